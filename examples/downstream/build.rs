// `#[derive(Endpoint)]` tracks the schema file it reads; this also re-runs the build when files
// are added to or removed from schema/ (only needed for `include_schema!`, kept as the pattern).
fn main() {
    println!("cargo:rerun-if-changed=schema");
}
