//! `schema/format.schema.json` against the files it describes.
//!
//! Every JSON file of the workspace's `schema/` (JSON Schema files aside) must validate, both
//! against the whole schema (as an editor sees it) and against the definition of the kind its
//! location gives it (as the generator reads it). Broken documents must be rejected by the JSON
//! Schema and by the generator alike, and documents the generator accepts must not be rejected
//! by the JSON Schema, so the two do not drift apart.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};
use tim_rest_codegen::{expand_dir, Settings};

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema")
}

fn format_schema() -> Value {
    let path = schema_dir().join("format.schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The validator of the whole format: what an editor checks a file against.
fn whole() -> jsonschema::Validator {
    jsonschema::draft7::new(&format_schema())
        .unwrap_or_else(|e| panic!("format.schema.json is not a valid draft-07 schema: {e}"))
}

/// The validator of one kind of file (`endpoint`, `commonErrors`, `envelope`, `commonTypes`).
fn kind(definition: &str) -> jsonschema::Validator {
    let root = format_schema();
    let schema = json!({
        "$schema": root["$schema"],
        "definitions": root["definitions"],
        "allOf": [{ "$ref": format!("#/definitions/{definition}") }],
    });
    assert!(
        root["definitions"].get(definition).is_some(),
        "format.schema.json has no definition `{definition}`"
    );
    jsonschema::draft7::new(&schema)
        .unwrap_or_else(|e| panic!("definition `{definition}` does not compile: {e}"))
}

/// Every violation of `instance`, as `<where>: <what>`.
fn violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| {
            let at = e.instance_path.to_string();
            format!(
                "{}: {e}",
                if at.is_empty() { "(root)" } else { at.as_str() }
            )
        })
        .collect()
}

/// The JSON files the generator reads from `dir`: every `*.json` but `*.schema.json`, sorted.
fn schema_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            schema_files(&path, out);
        } else if name.ends_with(".json") && !name.ends_with(".schema.json") {
            out.push(path);
        }
    }
}

#[test]
fn every_schema_file_conforms() {
    let root = schema_dir();
    let mut files = Vec::new();
    schema_files(&root, &mut files);

    let whole = whole();
    let (endpoint, common_errors, envelope, common_types) = (
        kind("endpoint"),
        kind("commonErrors"),
        kind("envelope"),
        kind("commonTypes"),
    );
    let mut problems = Vec::new();
    let mut endpoints = 0;
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let shown = format!("schema/{rel}");
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {shown}: {e}"));
        let value: Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            Err(e) => {
                problems.push(format!("{shown}: not JSON: {e}"));
                continue;
            }
        };
        let (by_location, kind_name) = match rel.as_str() {
            "common/errors.json" => (&common_errors, "commonErrors"),
            "common/envelope.json" => (&envelope, "envelope"),
            _ if rel.starts_with("common/types/") => (&common_types, "commonTypes"),
            _ => {
                endpoints += 1;
                (&endpoint, "endpoint")
            }
        };
        problems.extend(
            violations(&whole, &value)
                .into_iter()
                .map(|v| format!("{shown}: {v}")),
        );
        problems.extend(
            violations(by_location, &value)
                .into_iter()
                .map(|v| format!("{shown} (as {kind_name}): {v}")),
        );

        // Editors find the format through `$schema`, relative to the file.
        let depth = rel.matches('/').count();
        let expected = format!("{}format.schema.json", "../".repeat(depth));
        if value.get("$schema").and_then(Value::as_str) != Some(expected.as_str()) {
            problems.push(format!(
                "{shown}: `$schema` should be {expected:?}, found {}",
                value.get("$schema").unwrap_or(&Value::Null)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} violation(s) of schema/format.schema.json:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    for common in ["common/errors.json", "common/envelope.json"] {
        assert!(root.join(common).is_file(), "schema/{common} is missing");
    }
    assert!(
        endpoints > 0,
        "no endpoint file found under {}",
        root.display()
    );
}

/// A scratch schema directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("tim-rest-format-schema-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }

    fn write(&self, rel: &str, value: &Value) {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the generator reports for a schema directory holding `files`; `Err` with the panic
/// message if it panicked instead.
fn try_generator_diagnostics(files: &[(&str, &Value)]) -> Result<Vec<String>, String> {
    let scratch = Scratch::new();
    for (rel, value) in files {
        scratch.write(rel, value);
    }
    let mut settings = Settings::standalone();
    settings.base_dir = scratch.0.clone();
    let expansion = std::panic::catch_unwind(|| expand_dir(".", &settings)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned())
    })?;
    Ok(expansion
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect())
}

fn generator_diagnostics(files: &[(&str, &Value)]) -> Vec<String> {
    try_generator_diagnostics(files)
        .unwrap_or_else(|panic| panic!("the generator panicked: {panic}"))
}

/// A small endpoint that both the JSON Schema and the generator accept.
fn endpoint_doc() -> Value {
    json!({
        "$schema": "../format.schema.json",
        "path": "v4/sns/friend_check",
        "summary": "Check friendships.",
        "rate_limit": { "per_second": 200 },
        "batch": { "field": "To_Account", "max_items": 1000 },
        "request": {
            "fields": [
                { "name": "From_Account", "type": "string", "required": true, "rules": { "non_empty": true, "max_bytes": 32 } },
                {
                    "name": "To_Account", "type": "[string]", "required": true,
                    "rules": { "min_items": 1, "max_items": 1000, "each": { "non_empty": true, "max_bytes": 32 } }
                },
                {
                    "name": "CheckType", "type": "string", "required": true,
                    "rules": { "pattern": { "prefix": "CheckResult_Type_", "chars": "A-Za-z", "max": 6 } }
                }
            ]
        },
        "response": {
            "fields": [
                { "name": "InfoItem", "type": "[InfoItem]", "required": true },
                { "name": "Fail_Account", "type": "[string]", "required": false }
            ]
        },
        "types": {
            "InfoItem": {
                "result_code": "ResultCode",
                "fields": [
                    { "name": "To_Account", "type": "string", "required": true },
                    { "name": "Relation", "type": "Relation", "required": false },
                    { "name": "ResultCode", "type": "i64", "required": true }
                ]
            },
            "Relation": {
                "enum": [
                    "CheckResult_Type_BothWay",
                    "CheckResult_Type_AWithB",
                    { "value": "CheckResult_Type_BWithA", "doc": "Only the other account has this one as a friend." },
                    { "value": "CheckResult_Type_NoRelation", "name": "Strangers" }
                ]
            }
        },
        "errors": [
            { "code": 30001, "name": "InvalidParameter", "zh": "请求参数错误", "en": "bad request parameter", "retry": "never" }
        ],
        "examples": {
            "request": [
                { "name": "basic", "value": { "From_Account": "id", "To_Account": ["id1"], "CheckType": "CheckResult_Type_Both" } }
            ],
            "response": [
                {
                    "name": "basic",
                    "value": {
                        "InfoItem": [{ "To_Account": "id1", "Relation": "CheckResult_Type_BothWay", "ResultCode": 0 }],
                        "ActionStatus": "OK",
                        "ErrorCode": 0
                    }
                }
            ]
        }
    })
}

fn errors_doc() -> Value {
    json!({
        "$schema": "../format.schema.json",
        "errors": [
            { "code": 60007, "name": "RestRateLimited", "zh": "REST 接口调用频率超过限制", "en": "REST call rate over the limit", "retry": "throttling" }
        ]
    })
}

fn envelope_doc() -> Value {
    json!({
        "$schema": "../format.schema.json",
        "query": [{ "name": "sdkappid" }],
        "response": {
            "fields": [
                { "name": "ActionStatus", "type": "action_status", "required": true, "role": "action_status" },
                { "name": "ErrorCode", "type": "i64", "required": false, "default": 0, "role": "error_code" },
                { "name": "ErrorInfo", "type": "string", "required": false, "default": "", "role": "error_info" },
                { "name": "ErrorDisplay", "type": "string", "required": false, "default": "", "role": "error_display" }
            ]
        }
    })
}

/// The value at a JSON pointer, which must exist.
fn at<'v>(doc: &'v mut Value, pointer: &str) -> &'v mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the test document"))
}

fn object<'v>(doc: &'v mut Value, pointer: &str) -> &'v mut serde_json::Map<String, Value> {
    at(doc, pointer)
        .as_object_mut()
        .unwrap_or_else(|| panic!("{pointer} is not an object"))
}

#[test]
fn the_test_documents_are_valid() {
    let whole = whole();
    for (name, doc) in [
        ("endpoint", endpoint_doc()),
        ("errors", errors_doc()),
        ("envelope", envelope_doc()),
    ] {
        assert_eq!(
            violations(&whole, &doc),
            Vec::<String>::new(),
            "the {name} test document"
        );
    }
    let diagnostics = generator_diagnostics(&[
        ("sns/friend_check.json", &endpoint_doc()),
        ("common/errors.json", &errors_doc()),
        ("common/envelope.json", &envelope_doc()),
    ]);
    assert_eq!(
        diagnostics,
        Vec::<String>::new(),
        "the generator rejects the test documents"
    );
}

/// One broken document: which file it stands for, and where the JSON Schema should complain.
struct Broken {
    what: &'static str,
    file: &'static str,
    doc: Value,
    /// The instance path (JSON pointer) one of the violations must be at.
    at: &'static str,
}

fn broken_documents() -> Vec<Broken> {
    let endpoint = |what, at, edit: &dyn Fn(&mut Value)| {
        let mut doc = endpoint_doc();
        edit(&mut doc);
        Broken {
            what,
            file: "sns/friend_check.json",
            doc,
            at,
        }
    };
    let mut list = vec![
        endpoint("unknown top-level key", "", &|d| {
            object(d, "").insert("summmary".into(), json!("typo"));
        }),
        endpoint("unknown key in a field", "/request/fields/0", &|d| {
            object(d, "/request/fields/0").insert("optional".into(), json!(true));
        }),
        endpoint("misspelt rule", "/request/fields/0/rules", &|d| {
            let rules = object(d, "/request/fields/0/rules");
            rules.remove("max_bytes");
            rules.insert("max_byte".into(), json!(32));
        }),
        endpoint(
            "unknown key in a pattern",
            "/request/fields/2/rules/pattern",
            &|d| {
                object(d, "/request/fields/2/rules/pattern").insert("regex".into(), json!("^.*$"));
            },
        ),
        endpoint(
            "pattern without chars",
            "/request/fields/2/rules/pattern",
            &|d| {
                object(d, "/request/fields/2/rules/pattern").remove("chars");
            },
        ),
        endpoint("wrong retry class", "/errors/0/retry", &|d| {
            *at(d, "/errors/0/retry") = json!("sometimes");
        }),
        endpoint("missing path", "", &|d| {
            object(d, "").remove("path");
        }),
        endpoint("path with a leading slash", "/path", &|d| {
            *at(d, "/path") = json!("/v4/sns/friend_check");
        }),
        endpoint("missing required flag", "/request/fields/1", &|d| {
            object(d, "/request/fields/1").remove("required");
        }),
        endpoint(
            "byte rule on an integer",
            "/types/InfoItem/fields/2/rules",
            &|d| {
                object(d, "/types/InfoItem/fields/2")
                    .insert("rules".into(), json!({ "max_bytes": 4 }));
            },
        ),
        endpoint("item rule on a string", "/request/fields/0/rules", &|d| {
            object(d, "/request/fields/0/rules").insert("max_items".into(), json!(4));
        }),
        endpoint(
            "string rule in each of an array of integers",
            "/request/fields/3/rules/each",
            &|d| {
                let fields = at(d, "/request/fields").as_array_mut().unwrap();
                fields.push(json!({ "name": "Ids", "type": "[u64]", "required": false, "rules": { "each": { "non_empty": true } } }));
            },
        ),
        endpoint(
            "integer bound on a string",
            "/request/fields/0/rules",
            &|d| {
                object(d, "/request/fields/0/rules").insert("min".into(), json!(1));
            },
        ),
        endpoint(
            "integer bound on an array",
            "/request/fields/1/rules",
            &|d| {
                object(d, "/request/fields/1/rules").insert("max".into(), json!(1000));
            },
        ),
        endpoint(
            "negative bound on a u32",
            "/request/fields/3/rules/min",
            &|d| {
                let fields = at(d, "/request/fields").as_array_mut().unwrap();
                fields.push(json!({ "name": "Flag", "type": "u32", "required": false, "rules": { "min": -1 } }));
            },
        ),
        endpoint(
            "bound beyond i32 on the items of an array",
            "/request/fields/3/rules/each/max",
            &|d| {
                let fields = at(d, "/request/fields").as_array_mut().unwrap();
                fields.push(json!({ "name": "Ids", "type": "[i32]", "required": false, "rules": { "each": { "max": 2147483648_u64 } } }));
            },
        ),
        endpoint(
            "integer bound that is not an integer",
            "/request/fields/3/rules/max",
            &|d| {
                let fields = at(d, "/request/fields").as_array_mut().unwrap();
                fields.push(json!({ "name": "Limit", "type": "u64", "required": false, "rules": { "max": 10.5 } }));
            },
        ),
        endpoint(
            "type expression that is not one",
            "/request/fields/1/type",
            &|d| {
                *at(d, "/request/fields/1/type") = json!("Vec<string>");
            },
        ),
        endpoint("type with both fields and union", "/types/InfoItem", &|d| {
            object(d, "/types/InfoItem").insert("union".into(), json!("string_or_integer"));
        }),
        endpoint("unknown union kind", "/types/InfoItem/union", &|d| {
            let ty = object(d, "/types/InfoItem");
            ty.remove("fields");
            ty.remove("result_code");
            ty.insert("union".into(), json!("string_or_float"));
        }),
        endpoint("type name not UpperCamelCase", "/types", &|d| {
            let types = object(d, "/types");
            let ty = types.remove("InfoItem").unwrap();
            types.insert("Info_Item".into(), ty);
            *at(d, "/response/fields/0/type") = json!("[Info_Item]");
        }),
        endpoint("reserved type name", "/types", &|d| {
            let types = object(d, "/types");
            let ty = types.remove("InfoItem").unwrap();
            types.insert("Response".into(), ty);
            *at(d, "/response/fields/0/type") = json!("[Response]");
        }),
        endpoint(
            "enum value with an unknown key",
            "/types/Relation/enum/3",
            &|d| {
                object(d, "/types/Relation/enum/3").insert("wire".into(), json!("x"));
            },
        ),
        endpoint("enum without values", "/types/Relation/enum", &|d| {
            *at(d, "/types/Relation/enum") = json!([]);
        }),
        endpoint(
            "enum variant named Other",
            "/types/Relation/enum/3/name",
            &|d| {
                *at(d, "/types/Relation/enum/3/name") = json!("Other");
            },
        ),
        endpoint("type with both fields and enum", "/types/Relation", &|d| {
            object(d, "/types/Relation").insert("fields".into(), json!([]));
        }),
        endpoint(
            "unknown completion test",
            "/pagination/complete_when/is",
            &|d| {
                object(d, "").insert(
                    "pagination".into(),
                    json!({
                        "cursor": [{ "response": "NextStartIndex", "request": "StartIndex" }],
                        "complete_when": { "field": "CompleteFlag", "is": "nonempty" }
                    }),
                );
            },
        ),
        endpoint("pagination without a cursor", "/pagination/cursor", &|d| {
            object(d, "").insert(
                "pagination".into(),
                json!({ "cursor": [], "complete_when": { "field": "CompleteFlag", "is": "non_zero" } }),
            );
        }),
        endpoint("role outside the envelope", "/request/fields/0", &|d| {
            object(d, "/request/fields/0").insert("role".into(), json!("error_info"));
        }),
        endpoint("error code 0", "/errors/0/code", &|d| {
            *at(d, "/errors/0/code") = json!(0);
        }),
        endpoint("error name with an underscore", "/errors/0/name", &|d| {
            *at(d, "/errors/0/name") = json!("Invalid_Parameter");
        }),
        endpoint("error without a Chinese text", "/errors/0/zh", &|d| {
            *at(d, "/errors/0/zh") = json!(" ");
        }),
        endpoint(
            "rust_name that cannot be a field",
            "/request/fields/0/rust_name",
            &|d| {
                object(d, "/request/fields/0").insert("rust_name".into(), json!("self"));
            },
        ),
        endpoint("zero rate limit", "/rate_limit/per_second", &|d| {
            *at(d, "/rate_limit/per_second") = json!(0);
        }),
        endpoint(
            "example name not snake_case",
            "/examples/request/0/name",
            &|d| {
                *at(d, "/examples/request/0/name") = json!("Basic");
            },
        ),
        endpoint(
            "example that is not an object",
            "/examples/request/0/value",
            &|d| {
                *at(d, "/examples/request/0/value") = json!([1, 2]);
            },
        ),
    ];
    let mut errors = errors_doc();
    *at(&mut errors, "/errors/0/retry") = json!("maybe");
    list.push(Broken {
        what: "common error with a wrong retry class",
        file: "common/errors.json",
        doc: errors,
        at: "/errors/0/retry",
    });
    let mut errors = errors_doc();
    object(&mut errors, "").insert("codes".into(), json!([]));
    list.push(Broken {
        what: "unknown key in the error catalog",
        file: "common/errors.json",
        doc: errors,
        at: "",
    });
    let mut envelope = envelope_doc();
    object(&mut envelope, "/response/fields/3").remove("role");
    list.push(Broken {
        what: "envelope field without a role",
        file: "common/envelope.json",
        doc: envelope,
        at: "/response/fields/3",
    });
    let mut envelope = envelope_doc();
    *at(&mut envelope, "/response/fields/1/type") = json!("u32");
    list.push(Broken {
        what: "envelope error code of the wrong type",
        file: "common/envelope.json",
        doc: envelope,
        at: "/response/fields/1/type",
    });
    let mut envelope = envelope_doc();
    object(&mut envelope, "/query/0").insert("required".into(), json!(true));
    list.push(Broken {
        what: "unknown key in a query parameter",
        file: "common/envelope.json",
        doc: envelope,
        at: "/query/0",
    });
    list
}

#[test]
fn the_json_schema_rejects_broken_documents() {
    let whole = whole();
    let mut failures = Vec::new();
    for broken in broken_documents() {
        let found = violations(&whole, &broken.doc);
        let wanted = if broken.at.is_empty() {
            "(root)".to_owned()
        } else {
            broken.at.to_owned()
        };
        if !found.iter().any(|v| v.starts_with(&format!("{wanted}: "))) {
            failures.push(format!(
                "{}: expected a violation at {wanted}, found {found:#?}",
                broken.what
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "the JSON Schema let broken documents through:\n{}",
        failures.join("\n")
    );
}

/// The files of a scratch schema directory: the test documents, with `broken` in its place.
fn files_with(broken: &Broken) -> Vec<(&'static str, Value)> {
    [
        ("sns/friend_check.json", endpoint_doc()),
        ("common/errors.json", errors_doc()),
        ("common/envelope.json", envelope_doc()),
    ]
    .into_iter()
    .map(|(rel, doc)| {
        (
            rel,
            if rel == broken.file {
                broken.doc.clone()
            } else {
                doc
            },
        )
    })
    .collect()
}

/// The generator's verdict on each broken document: `Ok(diagnostics)` or `Err(panic message)`.
fn generator_verdicts() -> Vec<(&'static str, Result<Vec<String>, String>)> {
    broken_documents()
        .iter()
        .map(|broken| {
            let files = files_with(broken);
            let refs: Vec<(&str, &Value)> = files.iter().map(|(rel, doc)| (*rel, doc)).collect();
            (broken.what, try_generator_diagnostics(&refs))
        })
        .collect()
}

#[test]
fn the_generator_rejects_the_same_documents() {
    // A panic refuses the document too (the build fails); `the_generator_does_not_panic` is
    // about how.
    let accepted: Vec<&str> = generator_verdicts()
        .into_iter()
        .filter(|(_, verdict)| matches!(verdict, Ok(d) if d.is_empty()))
        .map(|(what, _)| what)
        .collect();
    assert!(
        accepted.is_empty(),
        "the generator accepted documents the JSON Schema rejects: {accepted:?}"
    );
}

/// The generator is meant to report, never to panic. Ignored while it still panics on an
/// envelope field without a `role`: the check stage reports the envelope but still hands the
/// endpoints to emit, whose `Envelope` impl expects every role.
#[test]
fn the_generator_does_not_panic() {
    let panics: Vec<String> = generator_verdicts()
        .into_iter()
        .filter_map(|(what, verdict)| verdict.err().map(|panic| format!("{what}: {panic}")))
        .collect();
    assert!(
        panics.is_empty(),
        "the generator panicked on:\n{}",
        panics.join("\n")
    );
}

/// Things the generator accepts that a stricter-looking schema might not: the JSON Schema must
/// take them too.
#[test]
fn the_json_schema_accepts_what_the_generator_accepts() {
    let mut doc = endpoint_doc();
    let fields = at(&mut doc, "/request/fields").as_array_mut().unwrap();
    fields.extend([
        // A keyword wire name becomes a raw identifier; `rust_name` renames another field.
        json!({ "name": "Type", "type": "u32", "required": false }),
        json!({ "name": "SDKAppID", "type": "u64", "required": false, "rust_name": "app_id" }),
        // Nested arrays with rules at each level, and spaces in a type expression.
        json!({
            "name": "Groups", "type": " [ [string] ] ", "required": false,
            "rules": { "max_items": 4, "each": { "non_empty": true, "each": { "charset": "-a-z_", "min_bytes": 1 } } }
        }),
        // Byte rules on a string-or-integer union, directly and in an array.
        json!({ "name": "Value", "type": "CustomValue", "required": false, "rules": { "max_bytes": 500 } }),
        json!({ "name": "Values", "type": "[CustomValue]", "required": false, "rules": { "each": { "max_bytes": 500 } } }),
        json!({ "name": "Flag", "type": "bool", "required": false, "rules": {} }),
        // Integer bounds at the ends of each type's range, directly and on items.
        json!({ "name": "Limit", "type": "u64", "required": false, "rules": { "min": 1, "max": 18446744073709551615_u64 } }),
        json!({ "name": "Offset", "type": " i32 ", "required": false, "rules": { "min": -2147483648, "max": 2147483647 } }),
        json!({ "name": "Balance", "type": "i64", "required": false, "rules": { "min": i64::MIN, "max": i64::MAX } }),
        json!({ "name": "Flags", "type": "[u32]", "required": false, "rules": { "max_items": 2, "each": { "min": 0, "max": 4294967295_u32 } } }),
        json!({ "name": "Tag", "type": "string", "required": false, "rules": { "pattern": { "prefix": "", "chars": "A-Z", "min": 0 } } }),
    ]);
    // The other union, in an array with a byte rule on each item; a one-value enum.
    fields.push(json!({ "name": "TagValue", "type": "[TagValue]", "required": false, "rules": { "each": { "min_bytes": 1 } } }));
    fields.push(json!({ "name": "Mode", "type": "Mode", "required": false }));
    // A paged read.
    fields.push(json!({ "name": "StartIndex", "type": "u64", "required": false }));
    let reply = at(&mut doc, "/response/fields").as_array_mut().unwrap();
    reply.push(json!({ "name": "NextStartIndex", "type": "u64", "required": false }));
    // An optional cursor, and a completion flag that reads as 0 when absent.
    reply.push(json!({ "name": "CompleteFlag", "type": "i32", "required": false, "default": 0 }));
    reply.push(json!({ "name": "Fail", "type": "[string]", "required": false, "default": [] }));
    object(&mut doc, "").insert(
        "pagination".into(),
        json!({
            "cursor": [{ "response": "NextStartIndex", "request": "StartIndex" }],
            "complete_when": { "field": "CompleteFlag", "is": "non_zero" }
        }),
    );
    let types = object(&mut doc, "/types");
    types.insert(
        "CustomValue".into(),
        json!({ "doc": "A value.", "union": "string_or_integer" }),
    );
    types.insert(
        "TagValue".into(),
        json!({ "union": "string_integer_or_strings" }),
    );
    types.insert(
        "Mode".into(),
        json!({ "doc": "One value is enough.", "enum": [{ "value": "only", "doc": "The one." }] }),
    );
    *at(&mut doc, "/path") = json!("v4/sns2/friend_check_v2");
    object(&mut doc, "/examples/response/0/value")
        .insert("Unmodelled".into(), json!({ "any": "thing" }));

    assert_eq!(
        generator_diagnostics(&[("sns/friend_check.json", &doc)]),
        Vec::<String>::new(),
        "the generator rejects the document"
    );
    assert_eq!(
        violations(&whole(), &doc),
        Vec::<String>::new(),
        "the JSON Schema rejects a document the generator accepts"
    );

    // A bare endpoint: only the required keys, empty bodies.
    let bare = json!({ "path": "v4/sns/friend_delete_all", "summary": "Delete all friends.", "request": {}, "response": {} });
    assert_eq!(
        generator_diagnostics(&[("sns/friend_delete_all.json", &bare)]),
        Vec::<String>::new()
    );
    assert_eq!(violations(&whole(), &bare), Vec::<String>::new());
}
