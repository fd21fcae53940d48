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

/// The diagnostics of one request field `Value` of type `ty` with `rules`.
fn rule_diagnostics(ty: &str, rules: &str) -> Vec<Diagnostic> {
    let text = with(
        "v4/sns/ping",
        &format!(r#"{{"name": "Value", "type": "{ty}", "required": true, "rules": {rules}}}"#),
        "",
    );
    diagnostics(&[endpoint("ping", &text)], false)
}

#[test]
fn integer_bounds_are_kept_for_integers_and_their_items() {
    let text = with(
        "v4/sns/ping",
        r#"{"name": "Limit", "type": "u64", "required": true, "rules": {"min": 1, "max": 18446744073709551615}},
           {"name": "Offsets", "type": "[i32]", "required": false, "rules": {"each": {"min": -2147483648, "max": 0}}},
           {"name": "Big", "type": "i64", "required": false, "rules": {"min": -9223372036854775808, "max": 9223372036854775807}},
           {"name": "Flag", "type": "u32", "required": false, "rules": {"min": 1, "max": 1}}"#,
        "",
    );
    let (schema, diags) = analyze(&[endpoint("ping", &text)], false);
    assert!(diags.is_empty(), "{diags:?}");
    let fields = &schema.endpoints[0].request.fields;
    assert_eq!(
        (fields[0].rules.min, fields[0].rules.max),
        (Some(1), Some(u64::MAX.into()))
    );
    let each = fields[1]
        .rules
        .each
        .as_deref()
        .expect("rules for each offset");
    assert_eq!((each.min, each.max), (Some(i32::MIN.into()), Some(0)));
    assert_eq!(
        (fields[2].rules.min, fields[2].rules.max),
        (Some(i64::MIN.into()), Some(i64::MAX.into()))
    );
    assert_eq!(
        (fields[3].rules.min, fields[3].rules.max),
        (Some(1), Some(1))
    );
}

#[test]
fn an_integer_bound_on_a_string_points_to_the_byte_rules() {
    let text = "{\n  \"path\": \"v4/sns/ping\",\n  \"summary\": \"s\",\n  \"request\": {\"fields\": [\n    {\"name\": \"From_Account\", \"type\": \"string\", \"required\": true, \"rules\": {\"min\": 1}}\n  ]},\n  \"response\": {\"fields\": []}\n}";
    let found = diagnostics(&[endpoint("ping", text)], false);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].position, Some((5, 83)));
    assert_eq!(found[0].path, "request.fields[0].rules.min");
    assert_eq!(
        found[0].message,
        "rule `min` does not apply to a field of type string"
    );
    assert!(found[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("use min_bytes/max_bytes"));
}

#[test]
fn an_integer_bound_on_another_type_says_what_it_bounds() {
    let hint = |ty: &str, rules: &str| {
        let found = rule_diagnostics(ty, rules);
        assert_eq!(found.len(), 1, "{ty}: {found:?}");
        found[0].hint.clone().unwrap_or_default()
    };
    // An array of integers: the length rules, or the bound on each item.
    let items = hint("[u32]", r#"{"max": 10}"#);
    assert!(items.contains("min_items/max_items"), "{items}");
    assert!(items.contains("`each`"), "{items}");
    // An array of strings: only the length rules make sense.
    let strings = hint("[string]", r#"{"min": 1}"#);
    assert!(strings.contains("min_items/max_items"), "{strings}");
    assert!(!strings.contains("`each`"), "{strings}");
    // And inside `each`, on the item type.
    let found = rule_diagnostics("[string]", r#"{"each": {"max": 3}}"#);
    assert_eq!(found[0].path, "request.fields[0].rules.each.max");
    assert!(found[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("min_bytes/max_bytes"));
    for ty in ["bool", "action_status"] {
        let found = rule_diagnostics(ty, r#"{"min": 0}"#);
        assert_eq!(
            found[0].message,
            format!("rule `min` does not apply to a field of type {ty}")
        );
        assert!(found[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("i32, i64, u32, u64"));
    }
}

#[test]
fn an_integer_bound_outside_the_field_type_is_rejected() {
    for (ty, rules, path, message) in [
        ("u32", r#"{"min": -1}"#, "rules.min", "min (-1) is outside the range of u32 (0 to 4294967295)"),
        ("u64", r#"{"max": -1}"#, "rules.max", "max (-1) is outside the range of u64 (0 to 18446744073709551615)"),
        ("u32", r#"{"max": 4294967296}"#, "rules.max", "max (4294967296) is outside the range of u32 (0 to 4294967295)"),
        ("i32", r#"{"max": 2147483648}"#, "rules.max", "max (2147483648) is outside the range of i32 (-2147483648 to 2147483647)"),
        ("i32", r#"{"min": -2147483649}"#, "rules.min", "min (-2147483649) is outside the range of i32 (-2147483648 to 2147483647)"),
        ("i64", r#"{"max": 9223372036854775808}"#, "rules.max", "max (9223372036854775808) is outside the range of i64 (-9223372036854775808 to 9223372036854775807)"),
        ("[u32]", r#"{"each": {"min": -1}}"#, "rules.each.min", "min (-1) is outside the range of u32 (0 to 4294967295)"),
    ] {
        let found = rule_diagnostics(ty, rules);
        assert_eq!(found.len(), 1, "{ty} {rules}: {found:?}");
        assert_eq!(found[0].path, format!("request.fields[0].{path}"), "{ty} {rules}");
        assert_eq!(found[0].message, message);
        assert!(found[0].position.is_some(), "{ty} {rules}");
        assert!(found[0].hint.as_deref().unwrap().contains(&format!("within the range of {}", ty.trim_matches(['[', ']']))));
    }
}

#[test]
fn an_integer_min_above_its_max_is_rejected() {
    let found = rule_diagnostics("u64", r#"{"min": 1000, "max": 1}"#);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "request.fields[0].rules.max");
    assert_eq!(found[0].message, "max (1) is below min (1000)");
    // Equal bounds allow exactly one value.
    assert!(rule_diagnostics("i32", r#"{"min": -3, "max": -3}"#).is_empty());
    let found = rule_diagnostics("[i64]", r#"{"each": {"min": 0, "max": -1}}"#);
    assert_eq!(found[0].path, "request.fields[0].rules.each.max");
}

#[test]
fn every_integer_bound_problem_is_reported() {
    let text = with(
        "v4/sns/ping",
        r#"{"name": "A", "type": "string", "required": true, "rules": {"min": 1, "max": 2}},
           {"name": "B", "type": "u32", "required": true, "rules": {"min": -1, "max": 4294967296}},
           {"name": "C", "type": "i32", "required": true, "rules": {"min": 5, "max": 4}}"#,
        "",
    );
    let found: Vec<String> = diagnostics(&[endpoint("ping", &text)], false)
        .into_iter()
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect();
    assert_eq!(
        found,
        [
            "request.fields[0].rules.min: rule `min` does not apply to a field of type string",
            "request.fields[0].rules.max: rule `max` does not apply to a field of type string",
            "request.fields[1].rules.min: min (-1) is outside the range of u32 (0 to 4294967295)",
            "request.fields[1].rules.max: max (4294967296) is outside the range of u32 (0 to 4294967295)",
            "request.fields[2].rules.max: max (4) is below min (5)",
        ]
    );
}

#[test]
fn a_pattern_takes_one_prefix_or_several_each_once() {
    let text = with(
        "v4/sns/ping",
        r#"{"name": "Tag", "type": "string", "required": true, "rules": {"pattern": {"prefix": ["Tag_SNS_Custom_", "Tag_SNS_IM_"], "chars": "A-Za-z"}}}"#,
        "",
    );
    let (schema, diags) = analyze(&[endpoint("ping", &text)], false);
    assert!(diags.is_empty(), "{diags:?}");
    let pattern = schema.endpoints[0].request.fields[0]
        .rules
        .pattern
        .clone()
        .unwrap();
    assert_eq!(pattern.prefixes, ["Tag_SNS_Custom_", "Tag_SNS_IM_"]);

    let none = rule_diagnostics("string", r#"{"pattern": {"prefix": [], "chars": "A-Z"}}"#);
    assert_eq!(none[0].path, "request.fields[0].rules.pattern.prefix");
    assert!(none[0].message.contains("lists no prefix"), "{}", none[0]);
    let twice = rule_diagnostics(
        "string",
        r#"{"pattern": {"prefix": ["A_", "B_", "A_"], "chars": "A-Z"}}"#,
    );
    assert_eq!(twice[0].path, "request.fields[0].rules.pattern.prefix[2]");
    assert!(twice[0].position.is_some());
    let number = rule_diagnostics("string", r#"{"pattern": {"prefix": 7, "chars": "A-Z"}}"#);
    assert!(
        number[0]
            .message
            .contains("a prefix string or an array of them"),
        "{}",
        number[0]
    );
}

fn shared_types(name: &str, text: &str) -> SourceFile {
    SourceFile {
        display_path: format!("schema/common/types/{name}.json"),
        abs_path: None,
        text: text.to_owned(),
        kind: FileKind::CommonTypes,
    }
}

#[test]
fn shared_types_are_one_namespace_defined_once() {
    let a = shared_types(
        "a",
        r#"{"types": {"Item": {"fields": [{"name": "Key", "type": "string", "required": true}]}}}"#,
    );
    let b = shared_types(
        "b",
        r#"{"types": {"Item": {"enum": ["X"]}, "Coded": {"result_code": "Code", "fields": [{"name": "Code", "type": "i64", "required": true}]}}}"#,
    );
    let ep = endpoint(
        "ping",
        &with(
            "v4/sns/ping",
            r#"{"name": "Items", "type": "[Item]", "required": true}"#,
            r#""Item": {"enum": ["Y"]}"#,
        ),
    );
    let found = messages(&[a, b, ep], false);
    assert!(
        found
            .iter()
            .any(|m| m.contains("schema/common/types/b.json")
                && m.contains(
                    "the shared type `Item` is already defined in schema/common/types/a.json"
                )),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|m| m.contains("types.Coded.result_code") && m.contains("an endpoint's own types")),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|m| m.contains("schema/ping.json")
            && m.contains("`Item` is a shared type, defined in schema/common/types/a.json")),
        "{found:#?}"
    );
}

#[test]
fn an_endpoint_names_shared_types_and_records_them() {
    let types = shared_types(
        "a",
        r#"{"types": {"Outer": {"fields": [{"name": "Inner", "type": "[Inner]", "required": true}]}, "Inner": {"enum": ["I_A", "I_B"]}, "Spare": {"union": "string_or_integer"}}}"#,
    );
    let text = r#"{"path": "v4/sns/ping", "summary": "s",
        "request": {"fields": [{"name": "Outer", "type": "Outer", "required": true}]},
        "response": {"fields": []},
        "examples": {"request": [{"name": "bad", "value": {"Outer": {"Inner": ["I_C"]}}}]}}"#;
    let (schema, diags) = analyze(&[types, endpoint("ping", text)], false);
    // The example is checked against the shared enum's values.
    let found: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert!(
        found.len() == 1 && found[0].contains("`I_C` is not a value of `Inner`"),
        "{found:#?}"
    );
    assert_eq!(schema.shared_types.len(), 3, "unused shared types are kept");
    let fixed = text.replace("I_C", "I_B");
    let types = shared_types(
        "a",
        r#"{"types": {"Outer": {"fields": [{"name": "Inner", "type": "[Inner]", "required": true}]}, "Inner": {"enum": ["I_A", "I_B"]}}}"#,
    );
    let (schema, diags) = analyze(&[types, endpoint("ping", &fixed)], false);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(schema.endpoints[0].shared_used, ["Inner", "Outer"]);
    assert!(schema.endpoints[0].types.is_empty());
}

#[test]
fn the_builtin_shared_types_are_the_schema_directory_s() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/common/types");
    let mut on_disk: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    on_disk.sort();
    let builtin: Vec<(String, String)> = tim_rest_codegen::load::BUILTIN_TYPES
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect();
    let names = |files: &[(String, String)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&builtin),
        names(&on_disk),
        "load::BUILTIN_TYPES must list every file of schema/common/types/, in name order"
    );
    assert!(
        builtin == on_disk,
        "load::BUILTIN_TYPES embeds the files as they are"
    );
}

#[test]
fn a_default_is_the_empty_value_of_an_optional_reply_field() {
    let text = r#"{"path": "v4/sns/ping", "summary": "s",
        "request": {"fields": [{"name": "Sent", "type": "u64", "required": false, "default": 0}]},
        "response": {"fields": [
            {"name": "Required", "type": "u32", "required": true, "default": 0},
            {"name": "Seven", "type": "u32", "required": false, "default": 7},
            {"name": "Kind", "type": "Kind", "required": false, "default": "K_A"},
            {"name": "Fine", "type": "[string]", "required": false, "default": []},
            {"name": "Next", "type": "u64", "required": false},
            {"name": "Done", "type": "u64", "required": false}
        ]},
        "pagination": {"cursor": [{"response": "Next", "request": "Sent"}], "complete_when": {"field": "Done", "is": "non_zero"}},
        "types": {"Kind": {"enum": ["K_A"]}}}"#;
    let found = messages(&[endpoint("ping", text)], false);
    let expect = [
        "request.fields[0].default: `Sent` is sent, and `default` is for reply fields",
        "response.fields[0].default: a required field has no default",
        "response.fields[1].default: the default of a u32 field can only be 0, its empty value",
        "response.fields[2].default: a field of type Kind has no default",
    ];
    for e in expect {
        assert!(
            found.iter().any(|m| m.contains(e)),
            "missing {e:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");

    // Once the fields are sound, paging needs a completion flag that is always there.
    let sound = text
        .replace(r#", "default": 0}]},"#, r#"}]},"#)
        .replace(r#""required": true, "default": 0"#, r#""required": true"#)
        .replace(r#", "default": 7"#, "")
        .replace(r#", "default": "K_A""#, "");
    let found = messages(&[endpoint("ping", &sound)], false);
    assert!(
        found.len() == 1
            && found[0]
                .contains("pagination.complete_when.field: `Done` is optional with no default"),
        "{found:#?}"
    );
    let (schema, diags) = analyze(
        &[endpoint(
            "ping",
            &sound.replace(
                r#""name": "Done", "type": "u64", "required": false"#,
                r#""name": "Done", "type": "u64", "required": false, "default": 0"#,
            ),
        )],
        false,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let cursor = &schema.endpoints[0].pagination.as_ref().unwrap().cursor[0];
    let tim_rest_codegen::model::Cursor::Copy(cursor) = cursor else {
        panic!("a copied cursor")
    };
    assert!(cursor.from_optional && cursor.optional);
}

#[test]
fn success_like_item_codes_are_entries_of_the_error_table() {
    let text = |ok: &str| {
        format!(
            r#"{{"path": "v4/sns/ping", "summary": "s", "request": {{}},
            "response": {{"fields": [{{"name": "ResultItem", "type": "[ResultItem]", "required": true}}]}},
            "types": {{"ResultItem": {{"result_code": {{"field": "ResultCode", "ok": {ok}}},
                "fields": [{{"name": "ResultCode", "type": "i64", "required": true}}]}}}},
            "errors": [{{"code": 30539, "name": "PendingCreated", "zh": "未决", "en": "pending", "retry": "never"}}]}}"#
        )
    };
    let (schema, diags) = analyze(&[endpoint("ping", &text("[30539]"))], false);
    assert!(diags.is_empty(), "{diags:?}");
    let TypeKind::Object {
        result_code: Some(code),
        ..
    } = &schema.endpoints[0].types[0].kind
    else {
        panic!("an object with a result code")
    };
    assert_eq!(code.ok[0].name, "PendingCreated");
    let found = messages(
        &[endpoint("ping", &text("[0, 30540, 30539, 30539]"))],
        false,
    );
    for expect in [
        "types.ResultItem.result_code.ok[0]: 0 is always a success",
        "types.ResultItem.result_code.ok[1]: 30540 is not a code of this endpoint's `errors`",
        "types.ResultItem.result_code.ok[3]: 30539 is listed twice",
    ] {
        assert!(
            found.iter().any(|m| m.contains(expect)),
            "missing {expect:?} in {found:#?}"
        );
    }
}

#[test]
fn paging_copies_string_cursors_advances_offsets_and_ends_on_empty() {
    use tim_rest_codegen::model::{CompleteWhen, Cursor};
    let text = |pagination: &str| {
        format!(
            r#"{{"path": "v4/sns/ping", "summary": "s",
            "request": {{"fields": [
                {{"name": "Next", "type": "string", "required": false}},
                {{"name": "Offset", "type": "u32", "required": false}},
                {{"name": "Limit", "type": "u32", "required": true}}
            ]}},
            "response": {{"fields": [
                {{"name": "Next", "type": "string", "required": false}},
                {{"name": "Items", "type": "[string]", "required": false}},
                {{"name": "Total", "type": "u32", "required": false}}
            ]}},
            "pagination": {pagination}}}"#
        )
    };
    let (schema, diags) = analyze(
        &[endpoint(
            "ping",
            &text(
                r#"{"cursor": [{"response": "Next", "request": "Next"}, {"request": "Offset", "advance_by": "Items"}], "complete_when": {"field": "Next", "is": "empty"}}"#,
            ),
        )],
        false,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let paging = schema.endpoints[0].pagination.as_ref().unwrap();
    assert!(matches!(&paging.cursor[0], Cursor::Copy(c) if c.owned && c.from_optional));
    assert!(matches!(&paging.cursor[1], Cursor::Advance(a) if a.optional && a.by_optional));
    assert_eq!(paging.complete.when, CompleteWhen::Empty);

    let found = messages(
        &[endpoint(
            "ping",
            &text(
                r#"{"cursor": [{"response": "Next", "request": "Offset"}, {"request": "Limit", "advance_by": "Total"}, {"request": "Offset"}, {"request": "Offset", "before_smallest": {"list": "Items", "field": "Seq"}}], "complete_when": {"field": "Total", "is": "empty"}}"#,
            ),
        )],
        false,
    );
    for expect in [
        "pagination.cursor[0]: `Next` is string but `Offset` is u32",
        "pagination.cursor[1].advance_by: `Total` is a u32 field, not an array",
        "pagination.cursor[2]: a cursor has one of `response`",
        "pagination.complete_when.field: `Total` is a u32 field, which cannot be empty",
        "pagination.cursor[3].before_smallest: `Items` is not an array of objects with the field `Seq`",
    ] {
        assert!(
            found.iter().any(|m| m.contains(expect)),
            "missing {expect:?} in {found:#?}"
        );
    }
}

#[test]
fn a_second_way_of_paging_is_chosen_by_an_optional_field_in_request_and_reply() {
    let text = |alternative: &str| {
        format!(
            r#"{{"path": "v4/sns/ping", "summary": "s",
            "request": {{"fields": [
                {{"name": "Next", "type": "string", "required": false}},
                {{"name": "Offset", "type": "u32", "required": false}},
                {{"name": "Limit", "type": "u32", "required": true}}
            ]}},
            "response": {{"fields": [
                {{"name": "Next", "type": "string", "required": false}},
                {{"name": "Items", "type": "[string]", "required": false}},
                {{"name": "Limit", "type": "[string]", "required": false}}
            ]}},
            "pagination": {{"cursor": [{{"request": "Offset", "advance_by": "Items"}}],
                "complete_when": {{"field": "Items", "is": "empty"}},
                "alternative": {alternative}}}}}"#
        )
    };
    let (schema, diags) = analyze(
        &[endpoint(
            "ping",
            &text(
                r#"{"when": "Next", "unset": ["Offset"], "cursor": [{"response": "Next", "request": "Next"}], "complete_when": {"field": "Next", "is": "empty"}}"#,
            ),
        )],
        false,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let alternative = schema.endpoints[0]
        .pagination
        .as_ref()
        .unwrap()
        .alternative
        .as_ref()
        .unwrap();
    assert_eq!(alternative.when_request, "next");
    assert!(alternative.when_is_string && alternative.when_response_optional);
    assert_eq!(alternative.unset, ["offset"]);

    let found = messages(
        &[endpoint(
            "ping",
            &text(
                r#"{"when": "Limit", "unset": ["Limit", "Gone"], "cursor": [{"response": "Next", "request": "Next"}], "complete_when": {"field": "Next", "is": "empty"}}"#,
            ),
        )],
        false,
    );
    for expect in [
        "pagination.alternative.when: `Limit` is a required request field",
        "pagination.alternative.when: `Limit` is a [string] field of the reply, not a string or an integer",
        "pagination.alternative.unset[0]: `Limit` is a required request field and cannot be left unset",
        "pagination.alternative.unset[1]: `Gone` is not a request field",
    ] {
        assert!(
            found.iter().any(|m| m.contains(expect)),
            "missing {expect:?} in {found:#?}"
        );
    }
}

#[test]
fn a_result_code_is_always_there_and_result_is_the_method_s_name() {
    let text = |fields: &str| {
        format!(
            r#"{{"path": "v4/sns/ping", "summary": "s", "request": {{}},
            "response": {{"fields": [{{"name": "Items", "type": "[Item]", "required": true}}]}},
            "types": {{"Item": {{"result_code": "Code", "fields": [{fields}]}}}}}}"#
        )
    };
    let found = messages(
        &[endpoint(
            "ping",
            &text(r#"{"name": "Code", "type": "i64", "required": false}"#),
        )],
        false,
    );
    assert!(
        found.len() == 1
            && found[0].contains("`Code` is optional, so an item without it would have no result"),
        "{found:#?}"
    );
    let found = messages(
        &[endpoint(
            "ping",
            &text(
                r#"{"name": "Code", "type": "i64", "required": true}, {"name": "Result", "type": "string", "required": true}"#,
            ),
        )],
        false,
    );
    assert!(
        found.len() == 1 && found[0].contains("the field `Result` is named `result`"),
        "{found:#?}"
    );
}
