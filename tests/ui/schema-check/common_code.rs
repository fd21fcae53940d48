// An endpoint lists a code of the common catalog, which every Error already has.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/common_code.json")]
pub struct Ping;

fn main() {}
