// The same error code listed twice in one endpoint.

tim_rest::include_schema!("tests/ui/schema-check/fixtures/duplicate_code");

fn main() {}
