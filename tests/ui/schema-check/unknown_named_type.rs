// A misspelt reference to a named type: the hint offers the type defined under `types`.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/unknown_named_type.json")]
pub struct Ping;

fn main() {}
