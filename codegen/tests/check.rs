//! The check stage on small schemas, without a compiler: what it rejects and what it builds.

use tim_rest_codegen::load::{FileKind, SourceFile};
use tim_rest_codegen::model::{Rules, TypeKind};
use tim_rest_codegen::{analyze, Diagnostic};

fn endpoint(name: &str, text: &str) -> SourceFile {
    SourceFile {
        display_path: format!("schema/{name}.json"),
        abs_path: None,
        text: text.to_owned(),
        kind: FileKind::Endpoint,
    }
}

/// An endpoint file with the given request fields and types.
fn with(path: &str, request_fields: &str, types: &str) -> String {
    format!(
        r#"{{"path": "{path}", "summary": "s", "request": {{"fields": [{request_fields}]}}, "response": {{"fields": []}}, "types": {{{types}}}}}"#
    )
}

fn diagnostics(files: &[SourceFile], client_methods: bool) -> Vec<Diagnostic> {
    analyze(files, client_methods).1
}

fn messages(files: &[SourceFile], client_methods: bool) -> Vec<String> {
    diagnostics(files, client_methods)
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn a_sound_endpoint_has_no_diagnostics() {
    let text = with(
        "v4/sns/ping",
        r#"{"name": "From_Account", "type": "string", "required": true}"#,
        "",
    );
    let (schema, diags) = analyze(&[endpoint("ping", &text)], true);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(schema.endpoints[0].method, "ping");
}

#[test]
fn non_ascii_enum_values_do_not_panic() {
    let text = with(
        "v4/sns/ping",
        r#"{"name": "Kind", "type": "Kind", "required": true}"#,
        r#""Kind": {"enum": [{"value": "aé", "name": "A"}, {"value": "aè", "name": "B"}]}"#,
    );
    let (schema, diags) = analyze(&[endpoint("ping", &text)], false);
    assert!(diags.is_empty(), "{diags:?}");
    let kind = schema.endpoints[0]
        .types
        .iter()
        .find(|t| t.name == "Kind")
        .unwrap();
    assert!(matches!(&kind.kind, TypeKind::Enum(v) if v.len() == 2));
}

#[test]
fn a_type_that_contains_itself_is_rejected_once() {
    let types = r#""A": {"fields": [{"name": "B", "type": "B", "required": false}]},
                   "B": {"fields": [{"name": "A", "type": "A", "required": false}, {"name": "List", "type": "[B]", "required": false}]}"#;
    let text = with(
        "v4/sns/ping",
        r#"{"name": "Root", "type": "A", "required": true}"#,
        types,
    );
    let found = messages(&[endpoint("ping", &text)], false);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("type `A` contains itself (A -> B -> A)"),
        "{found:?}"
    );
    // Through an array, a type may hold itself (an empty list ends it).
    let tree = with(
        "v4/sns/ping",
        r#"{"name": "Root", "type": "Node", "required": true}"#,
        r#""Node": {"fields": [{"name": "Children", "type": "[Node]", "required": false}]}"#,
    );
    assert!(messages(&[endpoint("ping", &tree)], false).is_empty());
}

#[test]
fn objects_inside_nested_arrays_are_validated() {
    let types = r#""Cell": {"fields": [{"name": "V", "type": "string", "required": true, "rules": {"non_empty": true}}]}"#;
    let text = with(
        "v4/sns/ping",
        r#"{"name": "Grid", "type": "[[Cell]]", "required": true}"#,
        types,
    );
    let (schema, diags) = analyze(&[endpoint("ping", &text)], false);
    assert!(diags.is_empty(), "{diags:?}");
    let rules = &schema.endpoints[0].request.fields[0].rules;
    let inner: &Rules = rules
        .each
        .as_ref()
        .and_then(|each| each.each.as_deref())
        .expect("rules for the inner items");
    assert!(inner.nested);
}

#[test]
fn generated_names_may_not_clash() {
    let new_field = with(
        "v4/sns/ping",
        r#"{"name": "New", "type": "string", "required": false}"#,
        "",
    );
    assert!(messages(&[endpoint("ping", &new_field)], false)[0].contains("setter named `new`"));

    let a = with("v4/sns/dup", "", "");
    let b = with("v5/sns/dup", "", "");
    let found = messages(&[endpoint("a", &a), endpoint("b", &b)], false);
    assert!(
        found
            .iter()
            .any(|m| m.contains("would be the module `sns::dup`")),
        "{found:?}"
    );

    let marker = with("v4/sns/request", "", "");
    assert!(messages(&[endpoint("request", &marker)], false)[0].contains("marker type `Request`"));

    // `call` would shadow `Client::call`, but only where client methods are generated.
    let call = with("v4/sns/call", "", "");
    assert!(messages(&[endpoint("call", &call)], true)[0].contains("client method `call`"));
    assert!(messages(&[endpoint("call", &call)], false).is_empty());

    // Two services sharing a command get prefixed methods, not a clash.
    let (schema, diags) = analyze(
        &[
            endpoint("x", &with("v4/sns/get", "", "")),
            endpoint("y", &with("v4/group/get", "", "")),
        ],
        true,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let methods: Vec<&str> = schema.endpoints.iter().map(|e| e.method.as_str()).collect();
    assert_eq!(methods, ["sns_get", "group_get"]);
}

#[test]
fn diagnostics_point_into_the_file() {
    let text = "{\n  \"path\": \"v4/sns/ping\",\n  \"summary\": \"s\",\n  \"request\": {\"fields\": [\n    {\"name\": \"N\", \"type\": \"u64\", \"required\": true, \"rules\": {\"max_bytes\": 3}}\n  ]},\n  \"response\": {\"fields\": []}\n}";
    let found = diagnostics(&[endpoint("ping", text)], false);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].position, Some((5, 75)));
    assert_eq!(found[0].path, "request.fields[0].rules.max_bytes");
    assert!(found[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("applies to strings"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_the_schema_directory_ends() {
    let dir = std::env::temp_dir().join(format!("tim-rest-symlink-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sns")).unwrap();
    std::fs::write(dir.join("sns/ping.json"), with("v4/sns/ping", "", "")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sns/loop")).unwrap();
    let files = tim_rest_codegen::load::load_dir(&dir, "schema").unwrap();
    assert_eq!(files.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
