//! Helpers of the end-to-end tests: temporary directories, generated relations, an emulator
//! in the test process, and the built `tim` binary.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tim_rest::StringOrInteger;
use tim_rest_emulator::{Emulator, EmulatorConfig, FriendRecord};

/// The built binary.
pub const TIM: &str = env!("CARGO_BIN_EXE_tim");

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tim-cli-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One relation of a generated input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    pub from: String,
    pub to: String,
    pub add_source: String,
    pub remark: Option<String>,
    pub remark_time: Option<u64>,
    pub groups: Option<Vec<String>>,
    pub add_wording: Option<String>,
    pub add_time: u64,
    pub custom: Option<Vec<(String, String)>>,
}

impl Rel {
    pub fn to_json(&self) -> String {
        let mut v = serde_json::json!({
            "From_Account": self.from,
            "To_Account": self.to,
            "AddSource": self.add_source,
            "AddTime": self.add_time,
        });
        if let Some(r) = &self.remark {
            v["Remark"] = r.clone().into();
        }
        if let Some(t) = self.remark_time {
            v["RemarkTime"] = t.into();
        }
        if let Some(g) = &self.groups {
            v["GroupName"] = g.clone().into();
        }
        if let Some(w) = &self.add_wording {
            v["AddWording"] = w.clone().into();
        }
        if let Some(c) = &self.custom {
            v["CustomItem"] = c
                .iter()
                .map(|(t, val)| serde_json::json!({"Tag": t, "Value": val}))
                .collect::<Vec<_>>()
                .into();
        }
        v.to_string()
    }

    /// What the emulator should hold for this relation.
    pub fn record(&self) -> FriendRecord {
        FriendRecord {
            remark: self.remark.clone().unwrap_or_default(),
            group_names: self.groups.clone().unwrap_or_default(),
            add_source: self.add_source.clone(),
            add_wording: self.add_wording.clone().unwrap_or_default(),
            add_time: self.add_time,
            remark_time: self.remark_time.unwrap_or(0),
            custom: self
                .custom
                .iter()
                .flatten()
                .map(|(t, v)| (t.clone(), StringOrInteger::String(v.clone())))
                .collect(),
        }
    }
}

/// A small deterministic generator (PCG-ish LCG).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 17
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// `froms` accounts (`f0000`...) with `per_from` distinct friends each, drawn from a pool of
/// `pool` accounts (`t00000`...), sorted by From_Account. Some carry remarks, groups,
/// wording and custom fields.
pub fn generate(froms: usize, per_from: usize, pool: usize, seed: u64) -> Vec<Rel> {
    assert!(per_from <= pool);
    let mut rng = Rng::new(seed);
    let groups = ["friends", "work", "family", "同事"];
    let mut out = Vec::with_capacity(froms * per_from);
    for f in 0..froms {
        let from = format!("f{f:04}");
        let mut chosen = BTreeSet::new();
        while chosen.len() < per_from {
            chosen.insert(rng.below(pool as u64) as usize);
        }
        for t in chosen {
            let r = rng.below(100);
            out.push(Rel {
                from: from.clone(),
                to: format!("t{t:05}"),
                add_source: ["AddSource_Type_Import", "AddSource_Type_Web"][(r % 2) as usize]
                    .into(),
                remark: (r < 30).then(|| format!("remark {f}-{t}")),
                remark_time: (r < 20).then(|| 1_700_000_000 + r),
                groups: (40..55)
                    .contains(&r)
                    .then(|| vec![groups[(r % 4) as usize].to_owned()]),
                add_wording: (60..70).contains(&r).then(|| "hello".to_owned()),
                add_time: 1_600_000_000 + rng.below(100_000_000),
                custom: (r >= 88)
                    .then(|| vec![("Tag_SNS_Custom_Lv".to_owned(), format!("{}", r % 9))]),
            });
        }
    }
    out
}

pub fn write_jsonl(path: &Path, rels: &[Rel]) {
    let mut text = String::with_capacity(rels.len() * 120);
    for r in rels {
        let _ = writeln!(text, "{}", r.to_json());
    }
    std::fs::write(path, text).unwrap();
}

/// The friend lists `rels` should produce.
pub fn expected_friends(rels: &[Rel]) -> BTreeMap<String, BTreeMap<String, FriendRecord>> {
    let mut map: BTreeMap<String, BTreeMap<String, FriendRecord>> = BTreeMap::new();
    for r in rels {
        let prev = map
            .entry(r.from.clone())
            .or_default()
            .insert(r.to.clone(), r.record());
        assert!(prev.is_none(), "generated a duplicate relation");
    }
    map
}

/// Every account `rels` names.
pub fn expected_accounts(rels: &[Rel]) -> BTreeSet<String> {
    rels.iter()
        .flat_map(|r| [r.from.clone(), r.to.clone()])
        .collect()
}

/// Asserts the emulator holds exactly `rels` (reporting the first few differences).
pub fn assert_state_equals(emulator: &Emulator, rels: &[Rel]) {
    let snapshot = emulator.snapshot();
    let expected = expected_friends(rels);
    let got = &snapshot.friends;
    let held: usize = got.values().map(|m| m.len()).sum();
    if &expected != got {
        let mut diffs = Vec::new();
        for (from, friends) in &expected {
            for (to, rec) in friends {
                match got.get(from).and_then(|m| m.get(to)) {
                    None => diffs.push(format!("missing {from} -> {to}")),
                    Some(g) if g != rec => diffs.push(format!("{from} -> {to}: {g:?} != {rec:?}")),
                    _ => {}
                }
            }
        }
        for (from, friends) in got {
            for to in friends.keys() {
                if !expected.get(from).is_some_and(|m| m.contains_key(to)) {
                    diffs.push(format!("unexpected {from} -> {to}"));
                }
            }
        }
        panic!(
            "emulator state differs from the input ({held} held, {} expected); first differences:\n{}",
            rels.len(),
            diffs.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
        );
    }
    assert_eq!(held, rels.len());
}

/// An emulator in this process on a free loopback port, and a key file for `tim import`.
pub async fn emulator(
    dir: &TempDir,
    fault_rate: f64,
    seed: u64,
    enforce: bool,
) -> (Emulator, PathBuf) {
    let config = EmulatorConfig {
        fault_rate,
        seed,
        enforce_rate_limits: enforce,
        ..EmulatorConfig::default()
    };
    let emulator = tim_rest_emulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let key_file = dir.join("key");
    std::fs::write(&key_file, emulator.key().expose_secret()).unwrap();
    (emulator, key_file)
}

/// `tim import FILE --base-url .. --sdkappid .. --key-file ..` plus `extra`.
pub fn import_args(
    emulator: &Emulator,
    key_file: &Path,
    input: &Path,
    extra: &[&str],
) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "import".into(),
        input.display().to_string(),
        "--base-url".into(),
        emulator.base_url(),
        "--sdkappid".into(),
        emulator.sdkappid().to_string(),
        "--admin".into(),
        emulator.admin().to_owned(),
        "--key-file".into(),
        key_file.display().to_string(),
        "--progress".into(),
        "plain".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// Runs `tim` with `args` to completion (off the async runtime's threads).
pub async fn tim(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(TIM)
            .args(&args)
            .env_remove("TIM_SECRET_KEY")
            .env_remove("TIM_SDKAPPID")
            .env_remove("TIM_ADMIN")
            .stdin(Stdio::null())
            .output()
            .expect("run tim")
    })
    .await
    .unwrap()
}

/// The stdout of a finished `tim`, after asserting its exit status (both streams shown if not).
pub fn stdout_of(out: &Output, status: i32) -> String {
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(status),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    stdout
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The value of a row of the summary table (`  imported   123`).
pub fn summary_value(stdout: &str, row: &str) -> Option<String> {
    stdout.lines().find_map(|l| {
        let l = l.trim_start();
        let rest = l.strip_prefix(row)?;
        rest.starts_with("  ").then(|| rest.trim().to_owned())
    })
}

/// The first number in a summary row.
pub fn summary_number(stdout: &str, row: &str) -> u64 {
    let value =
        summary_value(stdout, row).unwrap_or_else(|| panic!("no row {row:?} in:\n{stdout}"));
    value
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("row {row:?} has no number: {value}"))
}

/// Reads a JSONL file into values.
pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    match std::fs::read_to_string(path) {
        Ok(text) => text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Polls `check` every 20 ms for up to `timeout`.
pub async fn wait_until(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    while tokio::time::Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    check()
}
