//! `tim migrate` against the emulator over loopback: every kind lands, bad lines are
//! reported with their file and line, unsorted group messages land in send-time order, a
//! resumed run sends nothing twice, and injected faults lose and duplicate nothing.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{emulator, Rng, TempDir};
use tim_rest::group_open_http_svc::{get_group_member_info, group_msg_get_simple};
use tim_rest::types::MsgElem;
use tim_rest_cli::migrate::kind::Kind;
use tim_rest_cli::migrate::{MigrateOptions, MigrateOutcome};
use tim_rest_cli::retry::RetryConfig;
use tim_rest_emulator::Emulator;

const USERS: usize = 40;
const GROUPS: usize = 6;
const MESSAGES_PER_GROUP: usize = 25;
const CREATED: u64 = 1_500_000_000;

/// A migration directory: every kind, group messages shuffled, two bad lines.
fn write_sample(dir: &TempDir, seed: u64) {
    let mut rng = Rng::new(seed);
    let user = |i: usize| format!("user{i}");
    let mut files: BTreeMap<&str, String> = BTreeMap::new();
    let mut add = |file: &'static str, line: String| {
        let text = files.entry(file).or_default();
        text.push_str(&line);
        text.push('\n');
    };
    for i in 0..USERS {
        add(
            "accounts",
            format!(r#"{{"UserID":"{}","Nick":"User {i}"}}"#, user(i)),
        );
    }
    add("accounts", r#"{"Nick":"no id"}"#.to_owned());
    for i in 0..USERS {
        add(
            "profiles",
            format!(
                r#"{{"From_Account":"{}","ProfileItem":[{{"Tag":"Tag_Profile_IM_Gender","Value":"Gender_Type_Female"}}]}}"#,
                user(i)
            ),
        );
        for d in 1..=3 {
            add(
                "friends",
                format!(
                    r#"{{"From_Account":"{}","To_Account":"{}","AddSource":"AddSource_Type_Migrate"}}"#,
                    user(i),
                    user((i + d) % USERS)
                ),
            );
        }
    }
    for i in 0..USERS / 4 {
        add(
            "blocklists",
            format!(
                r#"{{"From_Account":"{}","To_Account":"{}"}}"#,
                user(i),
                user(i + 20)
            ),
        );
    }
    for g in 0..GROUPS {
        add(
            "groups",
            format!(
                r#"{{"GroupId":"g{g}","Type":"Public","Name":"Group {g}","Owner_Account":"{}","CreateTime":{CREATED}}}"#,
                user(g)
            ),
        );
        for m in 1..=5 {
            add(
                "group_members",
                format!(
                    r#"{{"GroupId":"g{g}","Member_Account":"{}","JoinTime":{}}}"#,
                    user(g + m * 3),
                    CREATED + m as u64
                ),
            );
        }
        add(
            "group_unread",
            format!(
                r#"{{"GroupId":"g{g}","Member_Account":"{}","UnreadMsgNum":3}}"#,
                user(g + 3)
            ),
        );
    }
    let mut messages = Vec::new();
    for g in 0..GROUPS {
        for n in 0..MESSAGES_PER_GROUP {
            messages.push(format!(
                r#"{{"GroupId":"g{g}","From_Account":"{}","SendTime":{},"Random":{n},"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"g{g} m{n:02}"}}}}]}}"#,
                user(g),
                1_600_000_000 + n as u64 * 10
            ));
        }
    }
    rng.shuffle(&mut messages);
    for line in messages {
        add("group_messages", line);
    }
    add(
        "group_messages",
        r#"{"GroupId":"g0","From_Account":"user0"}"#.to_owned(),
    );
    for i in 0..USERS {
        let (from, to) = (user(i), user((i + 1) % USERS));
        add(
            "c2c_messages",
            format!(
                r#"{{"SyncFromOldSystem":2,"From_Account":"{from}","To_Account":"{to}","MsgRandom":{i},"MsgTimeStamp":{},"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"hi"}}}}]}}"#,
                1_600_000_000 + i as u64
            ),
        );
        add(
            "c2c_read",
            format!(r#"{{"Report_Account":"{to}","Peer_Account":"{from}"}}"#),
        );
    }
    for (file, text) in files {
        std::fs::write(dir.join(&format!("{file}.jsonl")), text).unwrap();
    }
}

/// The migration's client: no retries of its own, as `tim migrate` builds it (the engine
/// retries, within the rate limit).
fn client(emulator: &Emulator) -> tim_rest::Client {
    builder(emulator).build().unwrap()
}

/// The checks' client: they read through the same faults the migration went through.
fn checking_client(emulator: &Emulator) -> tim_rest::Client {
    builder(emulator)
        .retry(
            tim_rest::RetryPolicy::standard()
                .with_max_attempts(10)
                .with_base_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap()
}

fn builder(emulator: &Emulator) -> tim_rest::ClientBuilder {
    tim_rest::Client::builder()
        .sdkappid(emulator.sdkappid())
        .admin(emulator.admin())
        .secret_key(emulator.key().clone())
        .base_url(emulator.base_url())
        .timeout(Duration::from_secs(10))
        .retry(tim_rest::RetryPolicy::none())
}

fn options(dir: &TempDir, checkpoint: bool) -> MigrateOptions {
    MigrateOptions {
        dir: dir.path().to_owned(),
        only: Vec::new(),
        concurrency: 4,
        checkpoint: checkpoint.then(|| dir.join("checkpoint")),
        failures: dir.join("failures.jsonl"),
        dry_run: false,
        retry: RetryConfig {
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            max_attempts: 30,
            ..RetryConfig::default()
        },
        progress: tim_rest_cli::progress::ProgressMode::Off,
        progress_interval: Duration::from_secs(1),
    }
}

fn count(outcome: &MigrateOutcome, kind: Kind) -> (u64, u64, u64, u64) {
    let s = &outcome.kinds[&kind];
    (
        s.imported.load(Ordering::Relaxed),
        s.already.load(Ordering::Relaxed),
        s.failed.load(Ordering::Relaxed),
        s.bad_lines.load(Ordering::Relaxed),
    )
}

/// The emulator holds exactly the sample: every group's history in send-time order, once.
async fn assert_sample_landed(emulator: &Emulator) {
    let client = checking_client(emulator);
    let state = emulator.snapshot();
    assert_eq!(state.accounts.len(), USERS);
    let friends: usize = state.friends.values().map(BTreeMap::len).sum();
    assert_eq!(
        friends,
        USERS * 3,
        "the blocklist entries are not between friends"
    );
    let blocked: usize = state.blacklist.values().map(BTreeMap::len).sum();
    assert_eq!(blocked, USERS / 4);
    for g in 0..GROUPS {
        let id = format!("g{g}");
        let pages = client
            .group_msg_get_simple_pages(group_msg_get_simple::Request::new(id.as_str(), 20))
            .collect_all()
            .await
            .unwrap();
        let texts: Vec<String> = pages
            .iter()
            .flat_map(|p| p.rsp_msg_list.iter())
            .map(|m| match m.msg_body.as_deref() {
                Some([MsgElem::Text(t)]) => t.text.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        let mut expected: Vec<String> = (0..MESSAGES_PER_GROUP)
            .map(|n| format!("g{g} m{n:02}"))
            .collect();
        expected.reverse();
        assert_eq!(texts, expected, "group {id}: newest first, each once");
        let members = client
            .get_group_member_info(&get_group_member_info::Request::new(id.as_str()))
            .await
            .unwrap();
        assert_eq!(
            members.member_num,
            Some(6),
            "the owner and five imported members"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_system_migrates_and_a_second_run_sends_nothing() {
    let dir = TempDir::new("migrate-all");
    write_sample(&dir, 7);
    let (em, _) = emulator(&dir, 0.0, 0, true).await;
    let outcome = options(&dir, true).run(Some(client(&em))).await.unwrap();
    assert!(outcome.aborted.is_none());
    assert_eq!(count(&outcome, Kind::Accounts), (USERS as u64, 0, 0, 1));
    assert_eq!(count(&outcome, Kind::Friends), (USERS as u64 * 3, 0, 0, 0));
    assert_eq!(
        count(&outcome, Kind::GroupMessages),
        ((GROUPS * MESSAGES_PER_GROUP) as u64, 0, 0, 1)
    );
    assert_eq!(
        count(&outcome, Kind::GroupMembers),
        (GROUPS as u64 * 5, 0, 0, 0)
    );
    assert_eq!(count(&outcome, Kind::C2cRead), (USERS as u64, 0, 0, 0));
    // No command went over its limit in any one-second window: the client's own count, and
    // the emulator refused nothing with 60007.
    for (kind, stats) in &outcome.kinds {
        let busiest = stats.busiest_second.load(Ordering::Relaxed);
        let limit = tim_rest_cli::migrate::jobs::command(*kind).per_second;
        assert!(
            busiest <= u64::from(limit),
            "{kind}: {busiest} in one second, limit {limit}"
        );
    }
    assert_eq!(em.stats().rate_limited, 0);
    assert_sample_landed(&em).await;

    // Bad lines name their file and line.
    let report = std::fs::read_to_string(dir.join("failures.jsonl")).unwrap();
    let entries: Vec<serde_json::Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let places: Vec<(String, u64)> = entries
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_owned(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(places.len(), 2, "{report}");
    assert!(places.contains(&("accounts.jsonl".to_owned(), USERS as u64 + 1)));
    let last = (GROUPS * MESSAGES_PER_GROUP) as u64 + 1;
    assert!(places.contains(&("group_messages.jsonl".to_owned(), last)));
    assert!(entries
        .iter()
        .all(|e| e["command"] == "input" && e["text"].is_string()));

    // Resumed: everything is settled, nothing is sent, the report does not grow.
    let again = options(&dir, true).run(Some(client(&em))).await.unwrap();
    for (kind, stats) in &again.kinds {
        assert_eq!(
            stats.requests.load(Ordering::Relaxed),
            0,
            "{kind} sent again"
        );
        assert_eq!(stats.imported.load(Ordering::Relaxed), 0, "{kind}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("failures.jsonl")).unwrap(),
        report
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn injected_faults_lose_and_duplicate_nothing() {
    let dir = TempDir::new("migrate-faults");
    write_sample(&dir, 11);
    let (em, _) = emulator(&dir, 0.1, 3, true).await;
    let outcome = options(&dir, false).run(Some(client(&em))).await.unwrap();
    assert!(outcome.aborted.is_none());
    let mut failed = String::new();
    for (kind, stats) in &outcome.kinds {
        let n = stats.failed.load(Ordering::Relaxed);
        if n > 0 {
            let _ = write!(failed, "{kind}: {n} ");
        }
    }
    let report = std::fs::read_to_string(dir.join("failures.jsonl")).unwrap_or_default();
    assert!(
        failed.is_empty(),
        "refused under faults: {failed}\n{report}"
    );
    assert_sample_landed(&em).await;
}

/// `tim migrate DIR` against `emulator`, with a checkpoint.
fn migrate_args(emulator: &Emulator, key_file: &std::path::Path, dir: &TempDir) -> Vec<String> {
    vec![
        "migrate".into(),
        dir.path().display().to_string(),
        "--base-url".into(),
        emulator.base_url(),
        "--sdkappid".into(),
        emulator.sdkappid().to_string(),
        "--admin".into(),
        emulator.admin().to_owned(),
        "--key-file".into(),
        key_file.display().to_string(),
        "--checkpoint".into(),
        dir.join("checkpoint").display().to_string(),
        "--failures".into(),
        dir.join("failures.jsonl").display().to_string(),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_three_times_and_resumed_nothing_is_lost_or_doubled() {
    let dir = TempDir::new("migrate-kill");
    write_sample(&dir, 5);
    let (em, key_file) = emulator(&dir, 0.0, 0, true).await;
    let args = migrate_args(&em, &key_file, &dir);
    // kill -9 at three points of the run (the whole run takes a few hundred milliseconds).
    for delay in [60u64, 150, 250] {
        let args = args.clone();
        tokio::task::spawn_blocking(move || {
            let mut child = std::process::Command::new(common::TIM)
                .args(&args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(delay));
            let _ = child.kill();
            let _ = child.wait();
        })
        .await
        .unwrap();
    }
    let out = common::tim(args).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Exit 1: the sample's two bad lines are in the report.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_sample_landed(&em).await;
    let report = std::fs::read_to_string(dir.join("failures.jsonl")).unwrap();
    let refused: Vec<&str> = report
        .lines()
        .filter(|l| !l.contains(r#""command":"input""#))
        .collect();
    assert!(refused.is_empty(), "{report}");
}

/// The README's main job: the bundled sample into an in-process emulator.
#[tokio::test(flavor = "multi_thread")]
async fn the_main_job_migrates_the_bundled_sample() {
    let dir = TempDir::new("migrate-main-job");
    let failures = dir.join("failures.jsonl");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/migrate");
    let out = common::tim(vec![
        "migrate".into(),
        sample.into(),
        "--emulator".into(),
        "--failures".into(),
        failures.display().to_string(),
    ])
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "emulator now holds: 300 accounts (300 with profile fields), 900 friendships, 60 blocklist entries, 30 groups with 330 members and 1500 messages, 600 one-to-one messages"
        ),
        "{stdout}"
    );
    let report = std::fs::read_to_string(&failures).unwrap();
    let places: Vec<(String, u64)> = report
        .lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                e["file"].as_str().unwrap().to_owned(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(places.len(), 3, "{report}");
    for expected in [
        ("accounts.jsonl", 301),
        ("group_messages.jsonl", 1501),
        ("c2c_read.jsonl", 301),
    ] {
        assert!(
            places.contains(&(expected.0.to_owned(), expected.1)),
            "{report}"
        );
    }
}

/// Sent again without a checkpoint, every record the service already has counts as there
/// already, each found by reading the service: the group by get_group_info (10021), the
/// blocklist entry by black_list_check, the group message in the group's history (10004).
#[tokio::test(flavor = "multi_thread")]
async fn records_sent_again_are_found_there_not_failed() {
    let dir = TempDir::new("migrate-again");
    write_sample(&dir, 13);
    let (em, _) = emulator(&dir, 0.0, 0, true).await;
    options(&dir, false).run(Some(client(&em))).await.unwrap();
    let again = options(&dir, false).run(Some(client(&em))).await.unwrap();
    assert_eq!(count(&again, Kind::Groups), (0, GROUPS as u64, 0, 0));
    assert_eq!(count(&again, Kind::Blocklists), (0, USERS as u64 / 4, 0, 0));
    assert_eq!(
        count(&again, Kind::GroupMembers),
        (0, GROUPS as u64 * 5, 0, 0)
    );
    assert_eq!(
        count(&again, Kind::GroupMessages),
        (0, (GROUPS * MESSAGES_PER_GROUP) as u64, 0, 1)
    );
    assert_sample_landed(&em).await;
}
