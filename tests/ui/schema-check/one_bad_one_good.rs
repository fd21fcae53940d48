// One bad and one good endpoint in a directory: only the bad one errors, and the good one is
// still generated (main uses it, so a missing module would be a second error).

tim_rest::include_schema!("tests/ui/schema-check/fixtures/one_bad_one_good");

fn main() {
    let request = sns::good::Request::new("alice");
    let _ = <sns::good::Good as tim_rest::Endpoint>::PATH;
    let _ = tim_rest::Validate::validate(&request);
}
