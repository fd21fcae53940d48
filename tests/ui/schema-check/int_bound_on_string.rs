// An integer bound on a string: the hint names the byte rules meant for text.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/int_bound_on_string.json")]
pub struct Ping;

fn main() {}
