//! Every service directory of `schema/` is a Cargo feature of `tim-rest` (and of the golden
//! crate, which compiles the same expansion), on by default: `include_schema!(..,
//! service_features = true)` gates each service module on the feature named after it, so a
//! directory without one would vanish from the crate.

use std::path::Path;

fn services() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let mut out: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|name| name != "common")
        .map(|name| module_name(&name))
        .collect();
    out.sort();
    out
}

/// The module (and feature) a service directory becomes: its snake_case (`ConfigSvc` ->
/// `config_svc`), as the generator names it.
fn module_name(dir: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in dir.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn features(manifest: &str) -> toml::Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(manifest);
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    doc["features"].as_table().unwrap().clone()
}

#[test]
fn each_service_directory_is_a_default_feature() {
    let services = services();
    assert!(services.contains(&"sns".to_owned()), "{services:?}");
    for manifest in ["Cargo.toml", "tests/golden/Cargo.toml"] {
        let features = features(manifest);
        let default: Vec<&str> = features["default"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for service in &services {
            assert_eq!(
                features
                    .get(service)
                    .and_then(|f| f.as_array())
                    .map(Vec::len),
                Some(0),
                "{manifest}: add `{service} = []` under [features]"
            );
            assert!(
                default.contains(&service.as_str()),
                "{manifest}: add \"{service}\" to the default features"
            );
        }
    }
}
