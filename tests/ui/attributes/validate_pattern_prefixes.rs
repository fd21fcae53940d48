// Several prefixes in #[validate(pattern(..))]: string literals only, at least one.

#[derive(tim_rest::Validate)]
pub struct Tagged {
    #[validate(pattern(prefix = ["Tag_A_", 7], chars = "A-Z"))]
    pub tag: String,
    #[validate(pattern(prefix = [], chars = "A-Z"))]
    pub other: String,
}

fn main() {}
