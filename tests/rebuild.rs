//! Editing, adding or removing a schema file makes cargo re-expand the bindings with no Rust
//! source touched: a scratch crate is built, its schema changed, and built again.
//!
//! The scratch crate shares a target directory under ours, so only the first run compiles the
//! dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;

const ENDPOINT: &str = r#"{
  "path": "v4/sns/scratch_check",
  "summary": "A scratch endpoint.",
  "request": { "fields": [ { "name": "From_Account", "type": "string", "required": true } ] },
  "response": { "fields": [] },
  "errors": [ ERRORS ]
}"#;

const OTHER: &str = r#"{
  "path": "v4/sns/scratch_other",
  "summary": "Another scratch endpoint.",
  "request": { "fields": [] },
  "response": { "fields": [] }
}"#;

const MAIN: &str = r#"
tim_rest::include_schema!("schema");

fn main() {
    use tim_rest::ApiError;
    println!("{:?}", sns::scratch_check::Error::from_code(39999));
    println!("{:?}", ENDPOINT_PATHS);
}
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run(dir: &Path, target: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("TIM_REST_MANIFEST_DIR")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scratch build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Cargo compares modification times; make sure an edit lands after the previous build.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
}

#[test]
fn schema_edits_rebuild_without_touching_rust() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/rebuild-scratch/crate");
    let target = root.join("target/rebuild-scratch/target");
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"scratch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ntim-rest = {{ path = {:?}, default-features = false }}\n\n[workspace]\n",
            root.display().to_string()
        ),
    );
    // The same versions as the workspace, so the offline build needs nothing new.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    write(
        &dir.join("build.rs"),
        "fn main() { println!(\"cargo:rerun-if-changed=schema\"); }\n",
    );
    write(&dir.join("src/main.rs"), MAIN);
    let schema = dir.join("schema/sns/scratch_check.json");
    write(&schema, &ENDPOINT.replace("ERRORS", ""));

    let first = run(&dir, &target);
    assert_eq!(
        first,
        "Unknown(UnknownCode(39999))\n[\"v4/sns/scratch_check\"]\n"
    );

    settle();
    let code =
        r#"{ "code": 39999, "name": "ScratchCode", "zh": "新", "en": "new", "retry": "never" }"#;
    write(&schema, &ENDPOINT.replace("ERRORS", code));
    let edited = run(&dir, &target);
    assert_eq!(
        edited, "ScratchCode\n[\"v4/sns/scratch_check\"]\n",
        "an edited schema file must re-expand"
    );

    settle();
    let other = dir.join("schema/sns/scratch_other.json");
    write(&other, OTHER);
    let added = run(&dir, &target);
    assert_eq!(
        added, "ScratchCode\n[\"v4/sns/scratch_check\", \"v4/sns/scratch_other\"]\n",
        "an added file must be picked up"
    );

    settle();
    std::fs::remove_file(&other).unwrap();
    let removed = run(&dir, &target);
    assert_eq!(
        removed, "ScratchCode\n[\"v4/sns/scratch_check\"]\n",
        "a removed file must disappear"
    );
}
