// A rule on a type the derive cannot see into (an alias): the compiler refuses it through the
// bounds of the runtime's rule function, and the error points at the rule.

type Count = u64;

#[derive(tim_rest::Validate)]
pub struct Profile {
    #[validate(max_bytes = 8)]
    pub count: Count,
}

fn main() {}
