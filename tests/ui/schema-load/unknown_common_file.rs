// common/ holds only errors.json and envelope.json; any other file there is an error.

tim_rest::include_schema!("tests/ui/schema-load/fixtures/unknown_common_file");

fn main() {}
