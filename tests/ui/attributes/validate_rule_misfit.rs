// A rule on a type it cannot apply to, where the type is plain to see: the checker of the
// schema rules answers, in the words it uses for a schema.

#[derive(tim_rest::Validate)]
pub struct Profile {
    #[validate(min_items = 1)]
    pub nick: String,
    #[validate(nested)]
    pub children: Vec<String>,
    #[validate(pattern(prefix = "Tag_", chars = "A-Z", min = 3, max = 2))]
    pub tag: String,
}

fn main() {}
