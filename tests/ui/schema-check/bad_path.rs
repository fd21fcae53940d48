// An endpoint path that is not `v4/<service>/<command>` in lowercase.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/bad_path.json")]
pub struct Ping;

fn main() {}
