//! Inputs the fuzz target `schema_pipeline` (fuzz/) found wrong, kept as tests.

use tim_rest_codegen::analyze;
use tim_rest_codegen::load::{FileKind, SourceFile};

fn endpoint(text: &str) -> SourceFile {
    SourceFile {
        display_path: "schema/sns/ping.json".to_owned(),
        abs_path: None,
        text: text.to_owned(),
        kind: FileKind::Endpoint,
    }
}

/// A raw line break inside a string: serde_json reports it as column 0 of the next line,
/// which is no place in the file; the diagnostic points at the line break itself.
#[test]
fn a_line_break_in_a_string_is_located_where_it_is() {
    let text = "{\n  \"path\": \"v4/sns/ping\",\n  \"summary\": \"two\nlines\"\n}\n";
    let diagnostics = analyze(&[endpoint(text)], false).1;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert!(d.message.contains("control character"), "{d}");
    // Line 3 is `  "summary": "two`, 17 bytes: the line break is its 18th.
    assert_eq!(d.position, Some((3, 18)), "{d}");
    assert!(
        d.to_string().starts_with("schema/sns/ping.json:3:18: "),
        "{d}"
    );
}

/// Nothing read yet: line 1, column 1 (not 0).
#[test]
fn an_empty_file_is_located_at_its_start() {
    for text in ["", "\n", "  "] {
        let diagnostics = analyze(&[endpoint(text)], false).1;
        assert_eq!(diagnostics.len(), 1, "{text:?}: {diagnostics:?}");
        let (line, column) = diagnostics[0].position.expect("a position");
        assert!(line >= 1 && column >= 1, "{text:?}: {}", diagnostics[0]);
    }
}
