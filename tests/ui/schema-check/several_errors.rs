// Several mistakes in one file are all reported, in file order, not just the first.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/several_errors.json")]
pub struct Ping;

fn main() {}
