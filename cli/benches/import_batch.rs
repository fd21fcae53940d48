//! Client-side CPU of `tim import` per friend_import batch, without the network: 1000 JSONL
//! lines of one `From_Account` go through what the engine does to them before the HTTP call
//! (read the file, parse each line refusing unknown fields, check it with the one-item
//! `validate()`, batch it, build the `friend_import::Request`, `validate()` it, serialize it),
//! against a baseline of plain serde: each line (from memory) parsed into a derived struct of
//! the same fields and the batch serialized.
//!
//! ```sh
//! cargo bench -p tim-rest-cli --bench import_batch -- --warm-up-time 1 --measurement-time 3
//! ```

use std::path::Path;

use criterion::{Criterion, Throughput};
use serde::{Deserialize, Serialize};
use tim_rest::Validate;
use tim_rest_cli::migrate::feed::{feed, Limits};
use tim_rest_cli::migrate::job::Job;
use tim_rest_cli::migrate::jobs::Friends;
use tim_rest_cli::migrate::ledger::Ledger;
use tim_rest_cli::migrate::source::Input;

const ITEMS: usize = 1000;

/// 1000 lines of one account, the shape `scripts/bench-import.sh` generates plus a few
/// optional fields.
fn lines() -> Vec<u8> {
    let mut out = String::new();
    for i in 0..ITEMS {
        let mut line = format!(
            r#"{{"From_Account":"u0000001","To_Account":"u{:07}","AddSource":"AddSource_Type_Bench""#,
            i + 2
        );
        if i % 3 == 0 {
            line.push_str(&format!(
                r#","Remark":"friend {i}","RemarkTime":1700000000"#
            ));
        }
        if i % 4 == 0 {
            line.push_str(r#","GroupName":["bench"],"AddTime":1690000000"#);
        }
        line.push_str("}\n");
        out.push_str(&line);
    }
    out.into_bytes()
}

/// The client's path for one batch; returns the serialized body's length.
fn pipeline(input: &Path, body: &mut Vec<u8>) -> usize {
    let mut len = 0;
    feed::<Friends>(
        &Input::Jsonl(input.to_owned()),
        &Ledger::none(),
        ITEMS,
        Limits::default(),
        |batch| {
            let mut items = batch.records;
            let request = Friends::request(&batch.key, items.iter_mut().map(|i| i.take()));
            request.validate().expect("valid");
            body.clear();
            serde_json::to_writer(&mut *body, &request).expect("serialize");
            len += body.len();
            true
        },
        |bad| panic!("bad line {}: {}", bad.line, bad.reason),
    )
    .expect("in the page cache");
    len
}

#[derive(Deserialize)]
struct PlainLine {
    #[serde(rename = "From_Account")]
    from: String,
    #[serde(flatten)]
    item: PlainItem,
}

#[derive(Deserialize, Serialize)]
struct PlainItem {
    #[serde(rename = "To_Account")]
    to: String,
    #[serde(rename = "AddSource")]
    add_source: String,
    #[serde(rename = "Remark", default, skip_serializing_if = "Option::is_none")]
    remark: Option<String>,
    #[serde(
        rename = "RemarkTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    remark_time: Option<u64>,
    #[serde(rename = "GroupName", default, skip_serializing_if = "Option::is_none")]
    group_name: Option<Vec<String>>,
    #[serde(rename = "AddTime", default, skip_serializing_if = "Option::is_none")]
    add_time: Option<u64>,
}

#[derive(Serialize)]
struct PlainRequest<'a> {
    #[serde(rename = "From_Account")]
    from: &'a str,
    #[serde(rename = "AddFriendItem")]
    items: &'a [PlainItem],
}

/// Plain serde: parse each line, serialize the batch.
fn baseline(input: &[u8], body: &mut Vec<u8>) -> usize {
    let mut from = String::new();
    let mut items = Vec::with_capacity(ITEMS);
    for line in input.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let parsed: PlainLine = serde_json::from_slice(line).expect("valid line");
        from = parsed.from;
        items.push(parsed.item);
    }
    body.clear();
    serde_json::to_writer(
        &mut *body,
        &PlainRequest {
            from: &from,
            items: &items,
        },
    )
    .expect("serialize");
    body.len()
}

fn main() {
    let input = lines();
    let dir = std::env::temp_dir().join(format!("tim-import-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("friends.jsonl");
    std::fs::write(&file, &input).expect("write the input");
    let mut body = Vec::with_capacity(256 * 1024);
    let a = pipeline(&file, &mut body);
    let b = baseline(&input, &mut body);
    eprintln!(
        "input: {ITEMS} lines, {} bytes; body: pipeline {a} bytes, baseline {b} bytes",
        input.len()
    );
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("import_batch");
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.bench_function("pipeline", |bench| {
        bench.iter(|| pipeline(std::hint::black_box(&file), &mut body))
    });
    group.bench_function("serde_baseline", |bench| {
        bench.iter(|| baseline(std::hint::black_box(&input), &mut body))
    });
    group.finish();
    c.final_summary();
    let _ = std::fs::remove_dir_all(&dir);
}
