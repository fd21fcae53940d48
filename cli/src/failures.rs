//! The failures report: one JSON object per line for every bad input line, every relation the
//! service refused or that could not be sent, and every account that could not be imported.
//!
//! ```text
//! {"stage":"input","line":7,"error":"invalid: AddSource must be …","text":"{\"From_Account\":…}"}
//! {"stage":"friend_import","line":42,"error":"30003 the requested account does not exist","code":30003,"retry_class":"never","attempts":1,"relation":{"From_Account":"a","To_Account":"b",…}}
//! {"stage":"account_import","account":"u9","error":"…","attempts":5}
//! ```
//!
//! The engine (`migrate`) hands every failure to this report through [`FailureSink`].
//!
//! `relation` has the input's own shape, so the refused relations can be fed back to
//! `tim import` once fixed (`jq -c 'select(.relation) | .relation'`).

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::migrate::kind::Kind;
use crate::migrate::report::{self, FailureSink};

/// Where a failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading or validating the input.
    Input,
    /// multiaccount_import.
    AccountImport,
    /// friend_import.
    FriendImport,
}

/// One entry of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Where it happened.
    pub stage: Stage,
    /// The input line, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The account, for account failures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// What went wrong.
    pub error: String,
    /// The service's code, when it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// The code's retry class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_class: Option<&'static str>,
    /// Attempts made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    /// The start of a bad line's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The refused relation, in the input's shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<serde_json::Value>,
}

impl Failure {
    /// The import's entry for what the engine reports.
    pub fn of(failure: &report::Failure) -> Self {
        let error = match failure.code {
            Some(code) if !failure.reason.starts_with(&code.to_string()) => {
                format!("{code}: {}", failure.reason)
            }
            _ => failure.reason.clone(),
        };
        let mut entry = Failure {
            stage: Stage::FriendImport,
            line: Some(failure.line),
            account: None,
            error,
            code: failure.code,
            retry_class: failure.retry_class,
            attempts: failure.attempts,
            text: None,
            relation: None,
        };
        if failure.command == "input" {
            entry.stage = Stage::Input;
            entry.text = failure.text.clone();
        } else if failure.kind == Kind::Accounts.name() {
            // Accounts are numbered by first mention, not by line.
            entry.stage = Stage::AccountImport;
            entry.line = None;
            entry.account = failure
                .record
                .as_ref()
                .and_then(|r| r["UserID"].as_str())
                .map(str::to_owned);
        } else {
            entry.relation = failure.record.clone();
        }
        entry
    }
}

/// Why a request or an item failed, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// Readable text.
    pub message: String,
    /// The service's code.
    pub code: Option<i64>,
    /// The retry class name.
    pub class: Option<&'static str>,
}

/// Writes the report, creating the file at the first failure.
pub struct FailureWriter {
    path: PathBuf,
    append: bool,
    out: Option<BufWriter<File>>,
    written: u64,
    earlier: u64,
}

impl FailureWriter {
    /// A writer to `path`. With `append` (a resumed run), entries are added after those of the
    /// earlier runs, which are counted; otherwise an existing file is replaced (at once, so a
    /// stale report never survives a clean run).
    pub fn new(path: &Path, append: bool) -> io::Result<Self> {
        let mut earlier = 0;
        let mut out = None;
        if append {
            match File::open(path) {
                Ok(f) => {
                    earlier = BufReader::new(f)
                        .split(b'\n')
                        .filter(|l| matches!(l, Ok(l) if !l.is_empty()))
                        .count() as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        } else if path.exists() {
            out = Some(BufWriter::new(File::create(path)?));
        }
        Ok(FailureWriter {
            path: path.to_owned(),
            append,
            out,
            written: 0,
            earlier,
        })
    }

    /// Where the report is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Entries written by this run.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Entries the report held from earlier runs (when appending).
    pub fn earlier(&self) -> u64 {
        self.earlier
    }

    /// Whether the report has any entry at all.
    pub fn is_empty(&self) -> bool {
        self.written == 0 && self.earlier == 0
    }

    /// Adds one entry (buffered).
    pub fn write(&mut self, failure: &Failure) -> io::Result<()> {
        if self.out.is_none() {
            let file = if self.append {
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.path)?
            } else {
                File::create(&self.path)?
            };
            // A new file's directory entry must survive a crash as well as its content.
            crate::checkpoint::sync_dir(&self.path);
            self.out = Some(BufWriter::new(file));
        }
        let out = self.out.as_mut().expect("opened above");
        serde_json::to_writer(&mut *out, failure).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
        self.written += 1;
        Ok(())
    }

    /// Writes the buffered entries out.
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }

    /// Writes the buffered entries out and makes them durable.
    ///
    /// (The engine syncs each batch's failures before its checkpoint entry.)
    pub fn sync(&mut self) -> io::Result<()> {
        match &mut self.out {
            Some(out) => {
                out.flush()?;
                out.get_ref().sync_data()
            }
            None => Ok(()),
        }
    }
}

/// The import's report as the engine's sink (shared, so the run's counts can be read after).
impl FailureSink for Arc<Mutex<FailureWriter>> {
    fn write(&self, failures: &[report::Failure]) -> io::Result<()> {
        if failures.is_empty() {
            return Ok(());
        }
        let mut writer = self.lock().unwrap_or_else(|e| e.into_inner());
        for failure in failures {
            FailureWriter::write(&mut writer, &Failure::of(failure))?;
        }
        writer.sync()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine_failure(kind: Kind, command: &'static str) -> report::Failure {
        report::Failure {
            file: "in.jsonl".into(),
            line: 9,
            kind: kind.name(),
            command,
            code: Some(30003),
            code_name: Some("AccountNotFound".into()),
            reason: "Err_SNS_FriendImport_Account_Not_Exist".into(),
            text: None,
            retry_class: Some("never"),
            attempts: Some(2),
            record: Some(
                serde_json::json!({"From_Account": "a", "To_Account": "b", "UserID": "u9"}),
            ),
        }
    }

    #[test]
    fn writes_lazily_and_appends() {
        let dir = std::env::temp_dir().join(format!("tim-fail-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.jsonl");
        let _ = std::fs::remove_file(&path);
        let w = Arc::new(Mutex::new(FailureWriter::new(&path, false).unwrap()));
        FailureSink::write(&w, &[]).unwrap();
        assert!(!path.exists(), "no failure, no file");
        let mut bad = engine_failure(Kind::Friends, "input");
        bad.line = 3;
        bad.code = None;
        bad.reason = "not json".into();
        bad.text = Some("{".into());
        FailureSink::write(
            &w,
            &[
                bad,
                engine_failure(Kind::Friends, "v4/sns/friend_import"),
                engine_failure(Kind::Accounts, "v4/im_open_login_svc/multiaccount_import"),
            ],
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["stage"], "input");
        assert_eq!(lines[0]["line"], 3);
        assert_eq!(lines[0]["text"], "{");
        assert_eq!(lines[1]["stage"], "friend_import");
        assert_eq!(lines[1]["code"], 30003);
        assert_eq!(lines[1]["retry_class"], "never");
        assert_eq!(lines[1]["attempts"], 2);
        assert!(lines[1]["error"].as_str().unwrap().starts_with("30003: "));
        assert_eq!(lines[1]["relation"]["From_Account"], "a");
        assert_eq!(lines[2]["stage"], "account_import");
        assert_eq!(lines[2]["account"], "u9");
        assert!(lines[2].get("line").is_none());
        let w = FailureWriter::new(&path, true).unwrap();
        assert_eq!(w.earlier(), 3);
        let w = FailureWriter::new(&path, false).unwrap();
        assert_eq!(w.earlier(), 0);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "",
            "a fresh run truncates"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
