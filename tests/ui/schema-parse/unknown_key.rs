// A misspelt rule key is an error naming the keys it could have been, never ignored.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-parse/fixtures/unknown_key.json")]
pub struct Ping;

fn main() {}
