// Two wire names of a named type that both become the Rust field `to_account`.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/colliding_type_fields.json")]
pub struct Ping;

fn main() {}
