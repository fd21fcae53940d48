//! Compile cost of the bindings: the time `include_schema!("schema")` spends in the generator
//! (load, parse, check, emit) for the workspace's whole `schema/` directory, against reading
//! the same files alone as the floor. Rebuild times are measured by `scripts/compile-cost.sh`.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use tim_rest_codegen::{expand_dir, Settings};

fn schema_settings() -> Settings {
    let mut settings = Settings::standalone();
    settings.base_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    settings.track_files = true;
    settings
}

fn expansion(c: &mut Criterion) {
    let settings = schema_settings();
    let check = expand_dir("schema", &settings);
    assert!(check.diagnostics.is_empty(), "schema/ has errors");
    let mut group = c.benchmark_group("expand_schema_dir");
    group.bench_function("include_schema", |b| {
        b.iter(|| {
            let expansion = expand_dir("schema", &settings);
            // A macro hands its tokens to the compiler as text-like token trees; count them so
            // nothing is optimised away.
            std::hint::black_box(expansion.tokens.into_iter().count())
        })
    });
    group.bench_function("read_files_only", |b| {
        let dir = settings.base_dir.join("schema");
        b.iter(|| {
            std::hint::black_box(tim_rest_codegen::load::load_dir(&dir, "schema").map(|f| f.len()))
        })
    });
    group.finish();
}

criterion_group!(benches, expansion);
criterion_main!(benches);
