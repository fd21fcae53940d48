// A rule given twice on one field: the error sits on the second, not a silent override; and
// min_bytes above max_bytes refuses every value, in #[validate] as in a schema.

#[derive(tim_rest::Validate)]
pub struct Profile {
    #[validate(max_bytes = 5, max_bytes = 6)]
    pub nick: String,
    #[validate(min_bytes = 10, max_bytes = 5)]
    pub remark: String,
    #[validate(each(non_empty, non_empty))]
    pub tags: Vec<String>,
}

fn main() {}
