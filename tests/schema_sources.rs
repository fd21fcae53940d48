//! Every schema gives its doc page, the source of its rate limit and the page's examples, or
//! says in its `doc` which of them no page gives.

use std::path::Path;

fn endpoint_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "common") {
                endpoint_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "json")
            && !path.to_string_lossy().ends_with(".schema.json")
        {
            out.push(path);
        }
    }
}

#[test]
fn what_a_schema_lacks_its_doc_says_no_page_gives() {
    let mut files = Vec::new();
    endpoint_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("schema"),
        &mut files,
    );
    assert!(files.len() >= 146, "{} schemas", files.len());
    let mut unexplained = Vec::new();
    for file in files {
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let doc = schema["doc"].as_str().unwrap_or_default();
        let stated = |what: &str| {
            doc.lines().any(|l| {
                l.starts_with("Not given by any page read for this schema:") && l.contains(what)
            })
        };
        let examples = &schema["examples"];
        let gaps = [
            (schema["doc_url"].is_string(), "doc_url"),
            (schema["rate_limit"]["doc"].is_string(), "rate_limit"),
            (
                examples["request"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty()),
                "request example",
            ),
            (
                examples["response"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty()),
                "response example",
            ),
        ];
        for (given, what) in gaps {
            if !given && !stated(what) {
                unexplained.push(format!("{}: {what}", file.display()));
            }
        }
    }
    assert!(unexplained.is_empty(), "{unexplained:#?}");
}
