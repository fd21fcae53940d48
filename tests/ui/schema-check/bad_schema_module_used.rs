// Code that uses the module of a bad schema: the schema error should be the only error, not
// the first of many about the module that could not be generated.

use tim_rest::{Endpoint, Validate};

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/rule_wrong_type.json")]
pub struct Ping;

fn main() {
    let request = ping::Request::new("alice").add_time(5);
    let _ = request.validate();
    let _ = Ping::PATH;
}
