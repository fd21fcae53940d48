// `include_schema!("schema")` tracks each file it reads, but cannot see a file being added to or
// removed from the directory; this makes cargo re-run the expansion when anything under schema/
// changes.
fn main() {
    println!("cargo:rerun-if-changed=schema");
}
