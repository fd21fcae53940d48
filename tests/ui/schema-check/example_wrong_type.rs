// An embedded request example has a string where the field is a u64.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/example_wrong_type.json")]
pub struct Ping;

fn main() {}
