// A string where the format wants a number.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-parse/fixtures/wrong_value_type.json")]
pub struct Ping;

fn main() {}
