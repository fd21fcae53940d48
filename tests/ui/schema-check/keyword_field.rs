// A wire name whose snake_case is a keyword no raw identifier can spell (`self`).

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/keyword_field.json")]
pub struct Ping;

fn main() {}
