// Two wire names that both become the Rust field `fail_account`.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/colliding_fields.json")]
pub struct Ping;

fn main() {}
