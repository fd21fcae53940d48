// An embedded request example lacks a required field.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/example_missing_field.json")]
pub struct Ping;

fn main() {}
