// A field without its required `required` key.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-parse/fixtures/missing_key.json")]
pub struct Ping;

fn main() {}
