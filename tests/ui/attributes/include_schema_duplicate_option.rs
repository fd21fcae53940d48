// An option of include_schema! given twice: the error sits on the second.

tim_rest::include_schema!("schema", client = Client, client = Other);

fn main() {}
