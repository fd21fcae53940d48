// An integer bound on a text field: the error points at the rule and names the text rules.

#[derive(tim_rest::Validate)]
pub struct Page {
    #[validate(min = 1, max = 1000)]
    pub max_limited: u64,
    #[validate(min = 1)]
    pub from_account: String,
}

fn main() {}
