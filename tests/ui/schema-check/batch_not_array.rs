// The batch field is not an array.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/batch_not_array.json")]
pub struct Ping;

fn main() {}
