// An endpoint path with a leading slash: not `v4/<service>/<command>` as in the URL.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/bad_path.json")]
pub struct Ping;

fn main() {}
