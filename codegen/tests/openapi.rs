//! The OpenAPI export of the workspace's `schema/`: its structure (every endpoint a POST path,
//! every example present, every reference resolving, each component defined once), the rules
//! it carries, and a golden of the constructs fixture. Validation by independent tools is in
//! `cli/tests/openapi.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tim_rest_codegen::model::{Schema, TypeKind};
use tim_rest_codegen::openapi::{document, export_dir, Server};
use tim_rest_codegen::{analyze, load};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn servers() -> Vec<Server> {
    vec![Server {
        url: "https://console.tim.qq.com".into(),
        description: "China".into(),
    }]
}

fn checked(dir: &str) -> Schema {
    let files = load::load_dir(&root().join(dir), dir).unwrap();
    let (schema, diagnostics) = analyze(&files, true);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    schema
}

/// Every `$ref` in `value`, with where it was found.
fn refs<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(target)) => out.push((at.clone(), target)),
                    _ => refs(v, format!("{at}/{k}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                refs(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_endpoint_is_a_post_path_with_its_examples_and_resolving_references() {
    let schema = checked("schema");
    let doc = document(&schema, &servers());
    assert_eq!(doc["openapi"], "3.1.0");

    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(schema.endpoints.len(), 146);
    assert_eq!(paths.len(), 146);
    let mut operation_ids = BTreeSet::new();
    for ep in &schema.endpoints {
        let item = paths[&format!("/{}", ep.path)].as_object().unwrap();
        assert_eq!(item.keys().collect::<Vec<_>>(), ["post"], "{}", ep.path);
        let op = &item["post"];
        assert!(operation_ids.insert(op["operationId"].as_str().unwrap().to_owned()));
        // The five common query parameters, then the command's own.
        let params = op["parameters"].as_array().unwrap();
        let own = ep.request.fields.iter().filter(|f| f.query).count();
        assert_eq!(params.len(), 5 + own, "{}", ep.path);

        let request = &op["requestBody"]["content"]["application/json"];
        let reply = &op["responses"]["200"]["content"]["application/json"];
        for (media, examples) in [
            (request, &ep.request_examples),
            (reply, &ep.response_examples),
        ] {
            for ex in examples {
                let expected: Value = serde_json::from_str(&ex.json).unwrap();
                assert_eq!(
                    media["examples"][&ex.name]["value"], expected,
                    "{} example {}",
                    ep.path, ex.name
                );
            }
            let shown = media["examples"].as_object().map_or(0, |m| m.len());
            assert_eq!(shown, examples.len(), "{}", ep.path);
        }
        assert_eq!(
            op["x-tim-error-codes"].as_array().unwrap().len(),
            ep.errors.len()
        );
        assert_eq!(
            op["externalDocs"]["url"].as_str(),
            ep.doc_url.as_deref(),
            "{}",
            ep.path
        );
    }

    let mut found = Vec::new();
    refs(&doc, String::new(), &mut found);
    assert!(found.len() > 1000);
    for (at, target) in &found {
        let pointer = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{at}: {target} is not local"));
        assert!(
            doc.pointer(pointer).is_some(),
            "{at}: {target} does not resolve"
        );
    }
    // Discriminator mappings name components too.
    for (name, component) in doc["components"]["schemas"].as_object().unwrap() {
        if let Some(mapping) = component["discriminator"]["mapping"].as_object() {
            for target in mapping.values() {
                let pointer = target.as_str().unwrap().strip_prefix('#').unwrap();
                assert!(doc.pointer(pointer).is_some(), "{name}: {target}");
            }
        }
    }

    // Each component once: as many as the model has things to define, and no shared type
    // copied into an endpoint.
    let variants = |kind: &TypeKind| match kind {
        TypeKind::Tagged(t) => t.variants.len(),
        _ => 0,
    };
    let used: BTreeSet<&str> = schema
        .endpoints
        .iter()
        .flat_map(|ep| ep.shared_used.iter().map(String::as_str))
        .collect();
    let shared: usize = schema
        .shared_types
        .iter()
        .filter(|d| used.contains(d.name.as_str()))
        .map(|d| 1 + variants(&d.kind))
        .sum();
    let own: usize = schema
        .endpoints
        .iter()
        .map(|ep| {
            2 + ep
                .types
                .iter()
                .map(|d| 1 + variants(&d.kind))
                .sum::<usize>()
        })
        .sum();
    let components = doc["components"]["schemas"].as_object().unwrap();
    assert_eq!(components.len(), 2 + shared + own);
    for name in components.keys() {
        if let Some(last) = name
            .rsplit('.')
            .next()
            .filter(|_| !name.starts_with("types."))
        {
            assert!(
                !schema.shared_types.iter().any(|d| d.name == last),
                "{name} repeats a shared type"
            );
        }
    }
    assert_eq!(
        doc["components"]["parameters"].as_object().unwrap().len(),
        5
    );
    assert_eq!(
        doc["x-tim-common-error-codes"].as_array().unwrap().len(),
        schema.common_errors.len()
    );
}

#[test]
fn the_rules_of_friend_import_are_in_its_schemas() {
    let doc = export_dir(&root().join("schema"), &servers()).unwrap();
    let components = &doc["components"]["schemas"];
    let request = &components["sns.friend_import.Request"];
    assert_eq!(
        request["required"],
        json!(["From_Account", "AddFriendItem"])
    );
    // 32 bytes is not 32 characters: stated as bytes, with only the non-empty length.
    let from = &request["properties"]["From_Account"];
    assert_eq!(from["minLength"], 1);
    assert_eq!(from["x-tim-max-bytes"], 32);
    assert!(from.get("maxLength").is_none());
    let items = &request["properties"]["AddFriendItem"];
    assert_eq!(
        (&items["minItems"], &items["maxItems"]),
        (&json!(1), &json!(1000))
    );
    assert_eq!(
        items["items"]["$ref"],
        "#/components/schemas/sns.friend_import.AddFriendItem"
    );
    let item = &components["sns.friend_import.AddFriendItem"];
    assert_eq!(
        item["properties"]["AddSource"]["pattern"],
        "^(?:AddSource_Type_)[A-Za-z]{1,8}$"
    );
    let op = &doc["paths"]["/v4/sns/friend_import"]["post"];
    assert_eq!(
        op["x-tim-batch"],
        json!({ "field": "AddFriendItem", "max_items": 1000 })
    );
    assert_eq!(op["x-tim-rate-limit"]["per_second"], 100);
    let reply = &op["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(
        reply["anyOf"][1]["$ref"],
        "#/components/schemas/FailureReply"
    );
    let result = &components["sns.friend_import.ResultItem"]["x-tim-result-code"];
    assert_eq!(result["field"], "ResultCode");
    let usersig = &doc["components"]["parameters"]["usersig"];
    assert_eq!(usersig["x-tim-secret"], true);
    assert!(usersig["description"]
        .as_str()
        .unwrap()
        .contains("Secret-bearing"));
}

#[test]
fn a_broken_schema_gives_located_diagnostics() {
    let dir = std::env::temp_dir().join(format!("tim-rest-openapi-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sns")).unwrap();
    std::fs::write(
        dir.join("sns/x.json"),
        r#"{"path": "v4/sns/x", "summary": "s", "request": {"fields": [{"name": "A", "type": "strin", "required": true}]}, "response": {}}"#,
    )
    .unwrap();
    let diagnostics = export_dir(&dir, &servers()).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    let shown = diagnostics[0].to_string();
    assert!(shown.contains("x.json:1:"), "{shown}");
    assert!(shown.contains("unknown type `strin`"), "{shown}");
}

/// Every construct of the format (tagged unions, integer enums and masks, maps, rules between
/// fields, paging, query parameters) as exported, compared with a reviewed golden;
/// `TIM_REST_BLESS=1` rewrites it.
#[test]
fn constructs_fixture_matches_golden() {
    let doc = document(&checked("tests/fixtures/constructs"), &servers());
    let text = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    let golden = root().join("tests/golden/constructs.openapi.json");
    if std::env::var_os("TIM_REST_BLESS").is_some() {
        std::fs::write(&golden, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if expected != text {
        let first = expected
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(text.lines().count()));
        panic!(
            "the export drifted from tests/golden/constructs.openapi.json (line {}):\n  golden:   {:?}\n  exported: {:?}\nreview, then rewrite with TIM_REST_BLESS=1",
            first + 1,
            expected.lines().nth(first),
            text.lines().nth(first)
        );
    }
}
