//! Compile-time diagnostics of the macros (trybuild). Each topic folder under `tests/ui/`
//! holds small cases with their expected `.stderr`; the schema fixtures of a topic sit in its
//! `fixtures/` folder, which nothing else scans. `tests/ui/pass/` holds cases that must compile.
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test --test ui`.

/// `tim_rest_codegen::MANIFEST_DIR_OVERRIDE`, spelt out: the root package does not depend on
/// the generator crate directly.
const MANIFEST_DIR_OVERRIDE: &str = "TIM_REST_MANIFEST_DIR";

const COMPILE_FAIL_TOPICS: &[&str] = &[
    "schema-load",
    "schema-parse",
    "schema-check",
    "attributes",
    "usage",
];

#[test]
fn ui() {
    // trybuild compiles each case in a scratch crate with a manifest dir of its own, so schema
    // paths in the cases (`tests/ui/schema-check/fixtures/...`) resolve against this package.
    std::env::set_var(MANIFEST_DIR_OVERRIDE, env!("CARGO_MANIFEST_DIR"));
    let t = trybuild::TestCases::new();
    for topic in COMPILE_FAIL_TOPICS {
        t.compile_fail(format!("tests/ui/{topic}/*.rs"));
    }
    t.pass("tests/ui/pass/*.rs");
}
