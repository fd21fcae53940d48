// A rule on a type it does not apply to: max_bytes on a u64.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/rule_wrong_type.json")]
pub struct Ping;

fn main() {}
