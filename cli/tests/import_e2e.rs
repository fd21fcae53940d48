//! `tim import` end to end: the built binary against an emulator over loopback.

mod common;

use std::time::{Duration, Instant};

use common::*;
use tim_rest::im_open_login_svc::multiaccount_import::{self, AccountItem};

const FRIEND_IMPORT: &str = "v4/sns/friend_import";
const MULTIACCOUNT_IMPORT: &str = "v4/im_open_login_svc/multiaccount_import";

fn schema_limit() -> u32 {
    use tim_rest::Endpoint;
    tim_rest::sns::friend_import::FriendImport::RATE_LIMIT
        .unwrap()
        .per_second
}

/// `tim import`'s bundled sample into an in-process emulator, all imported.
#[tokio::test(flavor = "multi_thread")]
async fn the_main_job_imports_the_sample_and_succeeds() {
    let dir = TempDir::new("main-job");
    let failures = dir.join("failures.jsonl");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/friends.jsonl");
    let out = tim(vec![
        "import".into(),
        sample.into(),
        "--emulator".into(),
        "--failures".into(),
        failures.display().to_string(),
    ])
    .await;
    let stdout = stdout_of(&out, 0);
    assert_eq!(summary_number(&stdout, "relations read"), 313, "{stdout}");
    assert_eq!(summary_number(&stdout, "imported"), 313, "{stdout}");
    assert_eq!(summary_number(&stdout, "bad input lines"), 0, "{stdout}");
    assert!(
        stdout.contains("emulator: 30 accounts, 313 relations"),
        "{stdout}"
    );
    assert!(!failures.exists(), "no failure, no report");
}

/// The same sample with four broken lines: they are reported with their line numbers and the
/// rest is imported.
#[tokio::test(flavor = "multi_thread")]
async fn sample_imports_into_the_in_process_emulator() {
    let dir = TempDir::new("sample");
    let failures = dir.join("failures.jsonl");
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/friends_with_bad_lines.jsonl"
    );
    let out = tim(vec![
        "import".into(),
        sample.into(),
        "--emulator".into(),
        "--failures".into(),
        failures.display().to_string(),
    ])
    .await;
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "bad lines make exit status 1:\n{stdout}\n{}",
        text(&out.stderr)
    );
    assert_eq!(summary_number(&stdout, "relations read"), 313, "{stdout}");
    assert_eq!(summary_number(&stdout, "imported"), 313, "{stdout}");
    assert_eq!(summary_number(&stdout, "failed"), 0, "{stdout}");
    assert_eq!(summary_number(&stdout, "bad input lines"), 4, "{stdout}");
    assert!(stdout.contains("30 of 30 distinct"), "{stdout}");
    assert!(
        stdout.contains("emulator: 30 accounts, 313 relations"),
        "{stdout}"
    );
    let report = read_jsonl(&failures);
    let lines: Vec<u64> = report.iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [41, 121, 201, 261]);
    assert!(report.iter().all(|f| f["stage"] == "input"));
    assert!(report[0]["error"].as_str().unwrap().contains("AddSource"));
    assert!(report[1]["error"].as_str().unwrap().contains("To_Account"));
    assert!(report[3]["error"]
        .as_str()
        .unwrap()
        .contains("Remark must be at most 96 bytes"));
}

/// 100k relations, 10% injected faults (502, 30006, 30008, dropped connections): the emulator
/// ends up holding exactly the input, and no second of calls exceeds the schema's limit.
#[tokio::test(flavor = "multi_thread")]
async fn hundred_thousand_relations_through_ten_percent_faults() {
    let started = Instant::now();
    let dir = TempDir::new("100k");
    // Rate limits measured, not enforced: the run's own limiter must keep under them.
    let (emulator, key) = emulator(&dir, 0.10, 7, false).await;
    let rels = generate(400, 250, 4000, 1);
    assert_eq!(rels.len(), 100_000);
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let failures = dir.join("failures.jsonl");
    let out = tim(import_args(
        &emulator,
        &key,
        &input,
        &[
            "--import-accounts",
            "--concurrency",
            "8",
            "--failures",
            &failures.display().to_string(),
        ],
    ))
    .await;
    let stdout = stdout_of(&out, 0);
    assert_eq!(summary_number(&stdout, "imported"), 100_000, "{stdout}");
    assert_eq!(summary_number(&stdout, "failed"), 0, "{stdout}");
    assert!(read_jsonl(&failures).is_empty());
    assert_state_equals(&emulator, &rels);
    assert_eq!(emulator.snapshot().accounts, expected_accounts(&rels));
    let stats = emulator.stats();
    eprintln!("{stdout}\nemulator: {stats:?}");
    assert!(
        stats.faults_injected > 10,
        "faults were injected: {stats:?}"
    );
    assert!(summary_number(&stdout, "retries") > 0, "{stdout}");
    let max = stats.max_per_second[FRIEND_IMPORT];
    assert!(
        max <= schema_limit(),
        "{max} friend_import calls in one second"
    );
    assert!(stats.max_per_second[MULTIACCOUNT_IMPORT] <= 100);
    eprintln!(
        "100k relations with faults: {:?}, {stats:?}",
        started.elapsed()
    );
}

/// Unsorted input with tight buffer caps: many partial batches, still exactly the input.
#[tokio::test(flavor = "multi_thread")]
async fn unsorted_input_with_tight_buffers_imports_everything() {
    let dir = TempDir::new("unsorted");
    let (emulator, key) = emulator(&dir, 0.05, 3, true).await;
    let mut rels = generate(40, 100, 500, 2);
    Rng::new(9).shuffle(&mut rels);
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let out = tim(import_args(
        &emulator,
        &key,
        &input,
        &[
            "--import-accounts",
            "--concurrency",
            "8",
            "--max-buffered-accounts",
            "36",
            "--max-buffered-items",
            "600",
            "--failures",
            &dir.join("f.jsonl").display().to_string(),
        ],
    ))
    .await;
    let stdout = stdout_of(&out, 0);
    assert!(stdout.contains("(jsonl, unsorted)"), "{stdout}");
    // Partial batches, but far fewer requests than relations.
    let requests = emulator.stats().by_path[FRIEND_IMPORT];
    assert!(requests > 40 && requests < 1500, "{requests} requests");
    assert_eq!(summary_number(&stdout, "imported"), 4000);
    assert_state_equals(&emulator, &rels);
}

/// Many small batches from 16 workers: no one-second window of friend_import calls goes over
/// the schema's limit (measured by the emulator, which here does not enforce it).
#[tokio::test(flavor = "multi_thread")]
async fn rate_limit_is_never_exceeded_in_any_second() {
    let dir = TempDir::new("rate");
    let (emulator, key) = emulator(&dir, 0.0, 0, false).await;
    let rels = generate(400, 3, 300, 5);
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let started = Instant::now();
    let out = tim(import_args(
        &emulator,
        &key,
        &input,
        &["--import-accounts", "--concurrency", "16"],
    ))
    .await;
    stdout_of(&out, 0);
    assert_state_equals(&emulator, &rels);
    let stats = emulator.stats();
    assert_eq!(stats.by_path[FRIEND_IMPORT], 400, "one request per account");
    let max = stats.max_per_second[FRIEND_IMPORT];
    assert!(
        max <= schema_limit(),
        "{max} calls in one second (limit {})",
        schema_limit()
    );
    assert!(
        max >= schema_limit() * 8 / 10,
        "the limiter should run near the limit, got {max}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "400 calls at under 100/s take 4 s"
    );
}

/// Bad lines (JSONL and CSV) reported with line numbers and reasons; relations the service
/// refuses reported with their code and the relation itself.
#[tokio::test(flavor = "multi_thread")]
async fn bad_lines_and_refused_relations_are_reported() {
    let dir = TempDir::new("bad");
    let (emulator, key) = emulator(&dir, 0.0, 0, true).await;
    // Only these accounts exist: relations to others are refused per item with 30003.
    let client = tim_rest::Client::builder()
        .sdkappid(emulator.sdkappid())
        .admin(emulator.admin())
        .secret_key(emulator.key().clone())
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    client
        .multiaccount_import(
            &multiaccount_import::Request::new()
                .account_list(["a", "b", "c"].map(AccountItem::new)),
        )
        .await
        .unwrap();

    let jsonl = dir.join("in.jsonl");
    std::fs::write(
        &jsonl,
        [
            r#"{"From_Account":"a","To_Account":"b","AddSource":"AddSource_Type_Web","Remark":"ok"}"#,
            r#"{"From_Account":"a","To_Account":"ghost","AddSource":"AddSource_Type_Web"}"#,
            "",
            r#"{"From_Account":"a","To_Account":"c","AddSource":"AddSource_Type_Web_2"}"#,
            r#"{"From_Account":"a","To_Account":"c","AddSource":"AddSource_Type_Web","GroupName":[""]}"#,
            r#"{"From_Account":"a","To_Account":"c""#,
            r#"{"From_Account":"b","To_Account":"a","AddSource":"AddSource_Type_Web","AddTime":-1}"#,
            r#"{"From_Account":"b","To_Account":"c","AddSource":"AddSource_Type_Web","CustomItem":[{"Tag":"Custom","Value":"x"}]}"#,
            r#"{"From_Account":"b","To_Account":"c","AddSource":"AddSource_Type_Web","CustomItem":[{"Tag":"Tag_SNS_Custom_X","Value":"x"}]}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let failures = dir.join("f.jsonl");
    let out = tim(import_args(
        &emulator,
        &key,
        &jsonl,
        &["--failures", &failures.display().to_string()],
    ))
    .await;
    let stdout = stdout_of(&out, 1);
    assert_eq!(summary_number(&stdout, "imported"), 2, "{stdout}");
    assert_eq!(summary_number(&stdout, "failed"), 1, "{stdout}");
    assert_eq!(summary_number(&stdout, "bad input lines"), 5, "{stdout}");
    let report = read_jsonl(&failures);
    let by_line = |n: u64| {
        report
            .iter()
            .find(|f| f["line"] == n)
            .unwrap_or_else(|| panic!("no failure for line {n}: {report:?}"))
    };
    let refused = by_line(2);
    assert_eq!(refused["stage"], "friend_import");
    assert_eq!(refused["code"], 30003);
    assert_eq!(refused["retry_class"], "never");
    assert_eq!(refused["relation"]["To_Account"], "ghost");
    assert!(by_line(4)["error"]
        .as_str()
        .unwrap()
        .starts_with("invalid: AddSource"));
    assert!(by_line(5)["error"]
        .as_str()
        .unwrap()
        .contains("GroupName[0]"));
    assert!(by_line(6)["error"]
        .as_str()
        .unwrap()
        .starts_with("EOF while parsing"));
    assert!(by_line(7)["error"].as_str().unwrap().contains("AddTime"));
    assert!(by_line(8)["error"]
        .as_str()
        .unwrap()
        .contains("CustomItem[0].Tag"));
    assert_eq!(report.len(), 6);
    assert!(stdout.contains("line 2: 30003"), "{stdout}");
    let snapshot = emulator.snapshot();
    assert_eq!(snapshot.friends["a"]["b"].remark, "ok");
    assert!(snapshot.friends["b"].contains_key("c"));

    // CSV: line numbers are the file's, header included.
    let csv = dir.join("in.csv");
    std::fs::write(
        &csv,
        "From_Account,To_Account,AddSource,Remark,GroupName,AddTime,CustomItem\n\
         c,a,AddSource_Type_Csv,Ay,x;y,1500000000,\"[{\"\"Tag\"\":\"\"Tag_SNS_Custom_Lv\"\",\"\"Value\"\":\"\"3\"\"}]\"\n\
         c,b,AddSource_Type_Csv,,,not-a-time,\n\
         c,,AddSource_Type_Csv,,,,\n\
         c,b,AddSource_Type_Csv,,,,\n",
    )
    .unwrap();
    let csv_failures = dir.join("csv-f.jsonl");
    let out = tim(import_args(
        &emulator,
        &key,
        &csv,
        &["--failures", &csv_failures.display().to_string()],
    ))
    .await;
    let stdout = stdout_of(&out, 1);
    assert_eq!(summary_number(&stdout, "imported"), 2, "{stdout}");
    let report = read_jsonl(&csv_failures);
    let lines: Vec<u64> = report.iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 4], "{report:?}");
    let rec = &emulator.snapshot().friends["c"]["a"];
    assert_eq!(rec.group_names, ["x", "y"]);
    assert_eq!(rec.add_time, 1_500_000_000);
    assert_eq!(rec.custom.len(), 1);
}

/// `--dry-run` reads and validates everything and sends nothing.
#[tokio::test(flavor = "multi_thread")]
async fn dry_run_validates_and_sends_nothing() {
    let dir = TempDir::new("dry");
    let (emulator, key) = emulator(&dir, 0.0, 0, true).await;
    let mut rels = generate(10, 30, 100, 8);
    rels[5].add_source = "nope".into();
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let failures = dir.join("f.jsonl");
    let out = tim(import_args(
        &emulator,
        &key,
        &input,
        &[
            "--dry-run",
            "--import-accounts",
            "--failures",
            &failures.display().to_string(),
        ],
    ))
    .await;
    let stdout = stdout_of(&out, 1);
    assert!(stdout.contains("dry run: nothing sent"), "{stdout}");
    assert_eq!(summary_number(&stdout, "relations read"), 299);
    assert_eq!(summary_number(&stdout, "friend_import requests"), 10);
    assert_eq!(emulator.stats().requests, 0);
    let report = read_jsonl(&failures);
    assert_eq!(report.len(), 1);
    assert_eq!(report[0]["line"], 6);

    // Without a target at all.
    let out = tim(vec![
        "import".into(),
        input.display().to_string(),
        "--dry-run".into(),
        "--failures".into(),
        failures.display().to_string(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

/// A checkpoint belongs to one input and one set of batching options.
#[tokio::test(flavor = "multi_thread")]
async fn a_checkpoint_of_another_input_is_refused() {
    let dir = TempDir::new("ckpt-other");
    let (emulator, key) = emulator(&dir, 0.0, 0, true).await;
    let a = dir.join("a.jsonl");
    let b = dir.join("b.jsonl");
    write_jsonl(&a, &generate(3, 5, 20, 1));
    write_jsonl(&b, &generate(3, 5, 20, 2));
    let ckpt = dir.join("run.ckpt");
    let ckpt_arg = ckpt.display().to_string();
    let out = tim(import_args(
        &emulator,
        &key,
        &a,
        &["--import-accounts", "--checkpoint", &ckpt_arg],
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = tim(import_args(
        &emulator,
        &key,
        &b,
        &["--checkpoint", &ckpt_arg],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("belongs to another input"), "{stderr}");
    // The same input again: everything is skipped, nothing sent.
    let before = emulator.stats().requests;
    let out = tim(import_args(
        &emulator,
        &key,
        &a,
        &["--import-accounts", "--checkpoint", &ckpt_arg],
    ))
    .await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(summary_number(&stdout, "skipped (checkpoint)"), 15);
    assert_eq!(emulator.stats().requests, before);
}

/// Wrong credentials stop the run at once instead of reporting every relation.
#[tokio::test(flavor = "multi_thread")]
async fn wrong_key_stops_the_run() {
    let dir = TempDir::new("wrong-key");
    let (emulator, _) = emulator(&dir, 0.0, 0, true).await;
    let bad_key = dir.join("bad-key");
    std::fs::write(&bad_key, "0".repeat(64)).unwrap();
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &generate(5, 5, 20, 1));
    let failures = dir.join("f.jsonl");
    let out = tim(import_args(
        &emulator,
        &bad_key,
        &input,
        &["--failures", &failures.display().to_string()],
    ))
    .await;
    let stdout = stdout_of(&out, 2);
    assert!(stdout.contains("stopped early"), "{stdout}");
    assert!(stdout.contains("70009"), "{stdout}");
    assert!(read_jsonl(&failures).is_empty());
}

/// A `--rate` above the service's limit: the service answers 60007, the run slows down and
/// retries, and still imports everything.
#[tokio::test(flavor = "multi_thread")]
async fn throttling_answers_are_retried() {
    let dir = TempDir::new("throttled");
    let (emulator, key) = emulator(&dir, 0.0, 0, true).await;
    let rels = generate(300, 2, 100, 6);
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let out = tim(import_args(
        &emulator,
        &key,
        &input,
        &["--import-accounts", "--concurrency", "16", "--rate", "1000"],
    ))
    .await;
    let stdout = stdout_of(&out, 0);
    assert_state_equals(&emulator, &rels);
    let stats = emulator.stats();
    assert!(
        stats.rate_limited > 0,
        "the emulator should have throttled: {stats:?}"
    );
    assert!(summary_number(&stdout, "retries") >= stats.rate_limited);
}
