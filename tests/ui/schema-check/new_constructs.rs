// A mistake in each construct of the format's second wave: a group naming a required field, an
// enum mixing strings and integers, an `equals` the other field cannot hold, tagged variants
// whose tags overlap, a constant out of its type and not named like one, a rule on a map's
// keys that does not fit strings.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/new_constructs.json")]
pub struct Broken;

fn main() {}
