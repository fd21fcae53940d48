// More mistakes, one per construct: a query parameter of a map type, a default on a request
// field, an `equals` the other field cannot hold, a success-like code missing from `errors`.
// The paging mistake is not reported: with fields in error, the paging that names them is not
// checked, so only the causes show.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/more_constructs.json")]
pub struct More;

fn main() {}
