//! The schema pipeline on arbitrary text: load (in memory), parse, check, and emit when the
//! checks pass. Never a panic, and every problem is reported against the fuzzed file with a
//! place in it: a `line:col` inside the text, or at least the semantic path.
//!
//! The first byte says what the text is, as its place under `schema/` would: an endpoint, or
//! one of the common files that replaces its built-in copy.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use tim_rest_codegen::load::{FileKind, SourceFile};
use tim_rest_codegen::{analyze, emit, Settings};

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else {
        return;
    };
    // The loader refuses a file that is not UTF-8 before parsing starts.
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let (kind, path) = match which % 4 {
        0 => (FileKind::CommonTypes, "schema/common/types/fuzz.json"),
        1 => (FileKind::CommonErrors, "schema/common/errors.json"),
        2 => (FileKind::CommonEnvelope, "schema/common/envelope.json"),
        _ => (FileKind::Endpoint, "schema/fuzz/fuzz_command.json"),
    };
    let file = SourceFile {
        display_path: path.to_owned(),
        abs_path: None,
        text: text.to_owned(),
        kind,
    };
    let (schema, diagnostics) = analyze(&[file], true);
    let lines = text.split('\n').count();
    for d in &diagnostics {
        assert_eq!(d.file, path, "a problem blamed on another file: {d}");
        match d.position {
            Some((line, col)) => assert!(
                line >= 1 && line <= lines && col >= 1,
                "a position outside the text ({lines} lines): {d}"
            ),
            None => assert!(!d.path.is_empty(), "a problem with no place: {d}"),
        }
    }
    if diagnostics.is_empty() {
        // What passed the checks must generate code without a panic.
        let _ = emit::schema(&schema, &Settings::standalone(), &BTreeMap::new());
    }
});
