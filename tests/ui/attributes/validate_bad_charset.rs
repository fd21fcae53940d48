// A character set whose range ends before it starts: the error points at the literal.

#[derive(tim_rest::Validate)]
pub struct Tag {
    #[validate(charset = "z-a0-9_")]
    pub name: String,
}

fn main() {}
