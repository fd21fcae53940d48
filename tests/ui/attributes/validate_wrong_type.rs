// A rule on a field type it does not apply to: the error points at the rule.

#[derive(tim_rest::Validate)]
pub struct Item {
    #[validate(non_empty, max_bytes = 32)]
    pub id: String,
    #[validate(max_bytes = 8)]
    pub add_time: u64,
}

fn main() {}
