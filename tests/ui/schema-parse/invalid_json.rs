// Not JSON: a trailing comma. The error gives the line and column in the file.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-parse/fixtures/invalid_json.json")]
pub struct Ping;

fn main() {}
