//! The common schema files the generator embeds (`codegen/schema-common/`, so that the
//! published crate carries them) are the workspace's `schema/common/`, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn the_embedded_common_files_are_the_schema_directory_s() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = root.join("../schema/common");
    if !workspace.is_dir() {
        // The published crate alone: nothing to compare with.
        return;
    }
    let embedded = files(&root.join("schema-common"));
    let source = files(&workspace);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&embedded),
        names(&source),
        "codegen/schema-common/ must hold the files of schema/common/: copy them over"
    );
    for (name, bytes) in &source {
        assert!(
            embedded[name] == *bytes,
            "codegen/schema-common/{name} differs from schema/common/{name}: copy it over"
        );
    }
}
