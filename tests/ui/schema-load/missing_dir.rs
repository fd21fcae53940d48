// The directory given to include_schema! does not exist.

tim_rest::include_schema!("tests/ui/schema-load/fixtures/no_such_dir");

fn main() {}
