// `schema` given twice in #[endpoint(...)]: the error sits on the second.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/pass/fixtures/friend_check.json", schema = "other.json")]
pub struct FriendCheck;

fn main() {}
