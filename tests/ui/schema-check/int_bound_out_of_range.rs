// Integer bounds the field's type cannot hold, and a min above the max: each one is reported.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/int_bound_out_of_range.json")]
pub struct Ping;

fn main() {}
