//! A run killed with SIGKILL mid-way resumes from its checkpoint with nothing lost and at
//! most the batches that were in flight sent twice.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const FRIEND_IMPORT: &str = "v4/sns/friend_import";

/// Checkpoint entries of one kind so far (`friends`, `accounts`): one a settled batch.
fn records(checkpoint: &std::path::Path, kind: &str) -> usize {
    let entry = format!(r#"{{"kind":"{kind}""#);
    std::fs::read_to_string(checkpoint)
        .map(|t| t.lines().filter(|l| l.starts_with(&entry)).count())
        .unwrap_or(0)
}

fn finished_batches(checkpoint: &std::path::Path) -> usize {
    records(checkpoint, "friends")
}

/// Starts `tim` with `args` in the background, its stdout as given, stdin and stderr closed.
fn spawn_tim(args: &[String], stdout: Stdio) -> Child {
    Command::new(TIM)
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_run_resumes_without_loss() {
    let started = Instant::now();
    let dir = TempDir::new("resume");
    let (emulator, key) = emulator(&dir, 0.0, 0, true).await;
    // 200 accounts x 100 friends: 200 batches.
    let rels = generate(200, 100, 1000, 11);
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let checkpoint = dir.join("run.ckpt");
    let failures = dir.join("failures.jsonl");
    let ckpt_arg = checkpoint.display().to_string();
    let fail_arg = failures.display().to_string();
    let concurrency = 4;
    let common_args = [
        "--import-accounts",
        "--concurrency",
        "4",
        "--checkpoint",
        &ckpt_arg,
        "--failures",
        &fail_arg,
    ];

    // First run, slowed down so it is still going when killed.
    let mut args = import_args(&emulator, &key, &input, &common_args);
    args.extend(["--rate".to_owned(), "25".to_owned()]);
    let mut child = spawn_tim(&args, Stdio::null());
    let reached = wait_until(Duration::from_secs(30), || {
        finished_batches(&checkpoint) >= 40
    })
    .await;
    assert!(reached, "the first run checkpointed no batches");
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    let done_before = finished_batches(&checkpoint);
    let sent_before = emulator
        .stats()
        .by_path
        .get(FRIEND_IMPORT)
        .copied()
        .unwrap_or(0);
    assert!(
        done_before < 200,
        "killed too late to prove anything ({done_before} done)"
    );
    let held = emulator
        .snapshot()
        .friends
        .values()
        .map(|m| m.len())
        .sum::<usize>();
    assert!(held < rels.len(), "the first run must not have finished");

    // Second run: the same command (at full speed).
    let out = tim(import_args(&emulator, &key, &input, &common_args)).await;
    let stdout = stdout_of(&out, 0);
    assert!(stdout.contains("resumed from"), "{stdout}");
    let skipped = summary_number(&stdout, "skipped (checkpoint)");
    // Checkpoint records written after we counted them are skipped too.
    assert!(
        skipped >= done_before as u64 * 100,
        "{skipped} skipped, {done_before} batches were done"
    );
    assert_eq!(
        skipped + summary_number(&stdout, "imported"),
        rels.len() as u64,
        "{stdout}"
    );
    assert!(stdout.contains("skipped (checkpoint)"), "{stdout}");

    // Nothing lost, nothing extra.
    assert_state_equals(&emulator, &rels);
    assert!(read_jsonl(&failures).is_empty());
    // At most the batches in flight when killed were sent twice (no faults in this test).
    let sent_total = emulator.stats().by_path[FRIEND_IMPORT];
    assert!(
        sent_total <= 200 + concurrency,
        "{sent_total} friend_import requests for 200 batches ({sent_before} before the kill)"
    );
    // The checkpoint (compacted when the second run opened it) now covers every line.
    let text = std::fs::read_to_string(&checkpoint).unwrap();
    let ledger = tim_rest_cli::migrate::ledger::Ledger::open(&checkpoint, None).unwrap();
    let friends = tim_rest_cli::migrate::kind::Kind::Friends;
    assert_eq!(ledger.settled_count(friends), rels.len() as u64, "{text}");
    assert!(
        finished_batches(&checkpoint) == 1,
        "opened again, the checkpoint holds one entry per kind:\n{text}"
    );
    eprintln!("kill -9 and resume: {:?}", started.elapsed());
}

/// Killed while still importing accounts: the resumed run finishes the account pass (skipping
/// the account batches already done) and then every relation.
#[tokio::test(flavor = "multi_thread")]
async fn killed_during_the_account_pass_resumes() {
    let dir = TempDir::new("resume-accounts");
    let (emulator, key) = emulator(&dir, 0.0, 0, true).await;
    let rels = generate(300, 5, 3000, 12); // about 1800 distinct accounts: 18+ account batches
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let checkpoint = dir.join("run.ckpt");
    let ckpt_arg = checkpoint.display().to_string();
    let fail_arg = dir.join("f.jsonl").display().to_string();
    let common_args = [
        "--import-accounts",
        "--checkpoint",
        &ckpt_arg,
        "--failures",
        &fail_arg,
        "--rate",
        "400",
    ];
    let mut args = import_args(&emulator, &key, &input, &common_args);
    args.extend(["--account-rate".to_owned(), "4".to_owned()]);
    let mut child = spawn_tim(&args, Stdio::null());
    assert!(
        wait_until(Duration::from_secs(20), || records(&checkpoint, "accounts")
            >= 3)
        .await
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        finished_batches(&checkpoint),
        0,
        "no friend batch before the accounts"
    );
    let out = tim(import_args(&emulator, &key, &input, &common_args)).await;
    let stdout = stdout_of(&out, 0);
    assert!(stdout.contains("skipped (checkpoint)"), "{stdout}");
    assert!(
        summary_value(&stdout, "accounts imported")
            .unwrap()
            .contains("skipped (checkpoint)"),
        "{stdout}"
    );
    assert_state_equals(&emulator, &rels);
    assert_eq!(emulator.snapshot().accounts, expected_accounts(&rels));
}

/// Ctrl-C (SIGINT): the run stops taking batches, records what finished, exits 130, and the
/// same command resumes it.
#[tokio::test(flavor = "multi_thread")]
async fn interrupted_run_exits_130_and_resumes() {
    let dir = TempDir::new("interrupt");
    let (emulator, key) = emulator(&dir, 0.0, 0, true).await;
    let rels = generate(100, 20, 500, 13);
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let checkpoint = dir.join("run.ckpt");
    let ckpt_arg = checkpoint.display().to_string();
    let fail_arg = dir.join("f.jsonl").display().to_string();
    let common_args = [
        "--import-accounts",
        "--checkpoint",
        &ckpt_arg,
        "--failures",
        &fail_arg,
    ];
    let mut args = import_args(&emulator, &key, &input, &common_args);
    args.extend(["--rate".to_owned(), "20".to_owned()]);
    let child = spawn_tim(&args, Stdio::piped());
    assert!(
        wait_until(Duration::from_secs(20), || finished_batches(&checkpoint)
            >= 10)
        .await
    );
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert!(stdout.contains("stopped early: interrupted"), "{stdout}");
    assert!(
        stdout.contains("run the same command again to resume"),
        "{stdout}"
    );

    let out = tim(import_args(&emulator, &key, &input, &common_args)).await;
    let stdout = stdout_of(&out, 0);
    assert!(
        summary_number(&stdout, "skipped (checkpoint)") >= 10 * 20,
        "{stdout}"
    );
    assert_state_equals(&emulator, &rels);
}
