// The schema file of a derive does not exist: the error sits on the path literal.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-load/fixtures/no_such_file.json")]
pub struct FriendCheck;

fn main() {}
