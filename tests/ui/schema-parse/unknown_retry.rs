// An error code whose `retry` is not one of the retry classes.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-parse/fixtures/unknown_retry.json")]
pub struct Ping;

fn main() {}
