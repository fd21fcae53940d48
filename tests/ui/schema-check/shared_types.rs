// Shared types are one namespace: a name defined in two files of common/types/, or again by an
// endpoint, is an error where it is defined the second time.

tim_rest::include_schema!("tests/ui/schema-check/fixtures/shared_types");

fn main() {}
