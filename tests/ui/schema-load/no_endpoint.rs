// A schema directory holding common files but no endpoint.

tim_rest::include_schema!("tests/ui/schema-load/fixtures/no_endpoint");

fn main() {}
