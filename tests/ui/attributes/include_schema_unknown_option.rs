// A misspelt option of include_schema!: the error sits on the option's name.

pub struct Client;

tim_rest::include_schema!("schema", clinet = crate::Client);

fn main() {}
