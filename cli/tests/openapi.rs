//! `tim openapi`: the export of `schema/` is checked by tools independent of tim-rest:
//! openapi-spec-validator (the OpenAPI 3.1 document) and Python's `jsonschema` (every embedded
//! example against its schema), through `scripts/validate-openapi.py`.
//!
//! Without those packages the validation is skipped with a note, unless
//! `TIM_REST_REQUIRE_PY_VALIDATORS` is set (as `.ci/run` does after installing them): then a
//! missing package fails the test, so CI cannot pass without validating.

mod common;

use std::process::Command;

use common::*;

const REQUIRE: &str = "TIM_REST_REQUIRE_PY_VALIDATORS";
/// The script's exit status when a package is missing.
const MISSING_PACKAGES: i32 = 3;

#[test]
fn the_export_of_schema_validates_with_independent_tools() {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/validate-openapi.py"
    );
    let dir = TempDir::new("openapi");
    let file = dir.join("tim.openapi.json");
    let out = Command::new(TIM)
        .args(["openapi", schema, "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["servers"][0]["url"], "https://console.tim.qq.com");

    let run = Command::new("python3").arg(script).arg(&file).output();
    let required = std::env::var_os(REQUIRE).is_some();
    let missing = match &run {
        Err(e) => Some(format!("python3 could not be run: {e}")),
        Ok(out) if out.status.code() == Some(MISSING_PACKAGES) => Some(text(&out.stderr)),
        Ok(_) => None,
    };
    if let Some(why) = missing {
        assert!(
            !required,
            "{REQUIRE} is set but the validators cannot run: {why}"
        );
        eprintln!(
            "note: the OpenAPI export was NOT validated by independent tools ({}); \
             install them with `python3 -m pip install openapi-spec-validator jsonschema` \
             (.ci/run does, and sets {REQUIRE})",
            why.trim()
        );
        return;
    }
    let out = run.unwrap();
    assert!(
        out.status.success(),
        "validate-openapi.py failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let report = text(&out.stdout);
    assert!(
        report.contains("is a valid OpenAPI 3.1.0 document"),
        "{report}"
    );
    assert!(report.contains(", 0 problems"), "{report}");
    eprintln!("{report}");
}

#[test]
fn a_broken_schema_gives_the_diagnostics_of_tim_codegen() {
    let dir = TempDir::new("openapi-broken");
    let bad = dir.join("schema");
    std::fs::create_dir_all(bad.join("sns")).unwrap();
    std::fs::write(bad.join("sns/broken.json"), "{ \"path\": 3 }").unwrap();
    let run = |command: &str| Command::new(TIM).arg(command).arg(&bad).output().unwrap();
    let (openapi, codegen) = (run("openapi"), run("codegen"));
    assert_eq!(openapi.status.code(), Some(1));
    assert!(openapi.stdout.is_empty());
    assert!(
        text(&openapi.stderr).contains("broken.json"),
        "{}",
        text(&openapi.stderr)
    );
    assert_eq!(text(&openapi.stderr), text(&codegen.stderr));
}
