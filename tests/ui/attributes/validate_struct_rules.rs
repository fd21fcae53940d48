// Rules between fields on a hand-written struct: an unknown field, a group of one, an unknown
// struct rule, and `required_when` without `when`.

#[derive(tim_rest::Validate)]
#[validate(one_of(to_account, nobody), at_most_one_of(to_account), exactly_one(to_account))]
#[validate(required_when(field = to_account))]
pub struct Request {
    pub to_account: Option<String>,
    pub condition: Option<String>,
}

fn main() {}
