//! Compile cost of the bindings: the time `include_schema!("schema")` spends in the generator
//! (load, parse, check, emit) for a whole schema directory, against reading the same files
//! alone as the floor. Rebuild times are measured by `scripts/compile-cost.sh`, build times at
//! API scale by `scripts/compile-scale.sh`.
//!
//! The directory is the workspace's `schema/`, or the one named by `TIM_EXPAND_DIR` (an
//! absolute path; a relative one is taken from the workspace root), such as a synthetic one
//! from `scripts/gen-synthetic-schema.py`:
//!   TIM_EXPAND_DIR=/tmp/synth cargo bench -p tim-rest-codegen --bench expand

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use tim_rest_codegen::{expand_dir, Settings};

/// Names the directory to bench, as it should be passed to `expand_dir`.
const DIR_VAR: &str = "TIM_EXPAND_DIR";

fn schema_settings() -> Settings {
    let mut settings = Settings::standalone();
    settings.base_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    settings.track_files = true;
    settings
}

/// The schema directory, relative to `settings.base_dir` or absolute (joining an absolute
/// path replaces the base).
fn schema_dir() -> String {
    match std::env::var(DIR_VAR) {
        Ok(dir) if !dir.is_empty() => dir,
        _ => "schema".to_owned(),
    }
}

fn expansion(c: &mut Criterion) {
    let settings = schema_settings();
    let dir = schema_dir();
    let check = expand_dir(&dir, &settings);
    assert!(
        check.diagnostics.is_empty(),
        "{dir} has errors:\n{}",
        check
            .diagnostics
            .iter()
            .map(|d| format!("  {d}\n"))
            .collect::<String>()
    );
    let files = tim_rest_codegen::load::load_dir(&settings.base_dir.join(&dir), &dir)
        .map(|f| f.len())
        .unwrap_or(0);
    eprintln!("expand bench: {dir} ({files} schema files)");
    let mut group = c.benchmark_group("expand_schema_dir");
    group.bench_function("include_schema", |b| {
        b.iter(|| {
            let expansion = expand_dir(&dir, &settings);
            // A macro hands its tokens to the compiler as text-like token trees; count them so
            // nothing is optimised away.
            std::hint::black_box(expansion.tokens.into_iter().count())
        })
    });
    group.bench_function("read_files_only", |b| {
        let dir = settings.base_dir.join(&dir);
        b.iter(|| {
            std::hint::black_box(tim_rest_codegen::load::load_dir(&dir, "schema").map(|f| f.len()))
        })
    });
    group.finish();
}

/// `#[derive(Endpoint)]` on one schema file, as a downstream crate writes it once per
/// endpoint: the file is checked against the built-in common files (errors, envelope, the 13
/// shared-type files), which the generator parses and checks once per process. The floor is
/// reading and parsing the one file.
fn derive_one_file(c: &mut Criterion) {
    let settings = schema_settings();
    let file = "schema/sns/friend_import.json";
    let marker = proc_macro2::Ident::new("FriendImport", proc_macro2::Span::call_site());
    let check = tim_rest_codegen::expand_file(file, &marker, &settings);
    assert!(check.diagnostics.is_empty(), "{file} has errors");
    let mut group = c.benchmark_group("derive_one_file");
    group.bench_function("derive_endpoint", |b| {
        b.iter(|| {
            let expansion = tim_rest_codegen::expand_file(file, &marker, &settings);
            std::hint::black_box(expansion.tokens.into_iter().count())
        })
    });
    group.bench_function("read_and_parse_only", |b| {
        let path = settings.base_dir.join(file);
        b.iter(|| {
            let source = tim_rest_codegen::load::load_file(&path, file).expect("readable");
            let raw: Result<tim_rest_codegen::parse::raw::RawEndpoint, _> =
                tim_rest_codegen::parse::parse(&source);
            std::hint::black_box(raw.is_ok())
        })
    });
    group.finish();
}

criterion_group!(benches, expansion, derive_one_file);
criterion_main!(benches);
