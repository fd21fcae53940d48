// A misspelt rule in #[validate(...)]: the error names the rule and lists the known ones.

#[derive(tim_rest::Validate)]
pub struct Account {
    #[validate(non_empty, max_byte = 32)]
    pub id: String,
}

fn main() {}
