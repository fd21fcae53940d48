// Integer bounds the derive refuses: a min above the max refuses every value, and a bound
// must be an integer literal.

#[derive(tim_rest::Validate)]
pub struct Page {
    #[validate(min = 10, max = 1)]
    pub max_limited: u64,
    #[validate(max = "1000")]
    pub start_index: u64,
}

fn main() {}
