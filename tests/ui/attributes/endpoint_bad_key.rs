// A misspelt key in #[endpoint(...)]: the error sits on the key.

#[derive(tim_rest::Endpoint)]
#[endpoint(shema = "schema/sns/friend_import.json")]
pub struct FriendImport;

fn main() {}
