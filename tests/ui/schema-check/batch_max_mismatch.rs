// batch.max_items is not the max_items rule of the batch field.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/schema-check/fixtures/batch_max_mismatch.json")]
pub struct Ping;

fn main() {}
