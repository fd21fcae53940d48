// A misspelt builtin type: the hint offers the nearest name.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/unknown_builtin_type.json")]
pub struct Ping;

fn main() {}
