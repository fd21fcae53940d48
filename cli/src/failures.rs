//! The failures report: one JSON object per line for every bad input line, every relation the
//! service refused or that could not be sent, and every account that could not be imported.
//!
//! ```text
//! {"stage":"input","line":7,"error":"invalid: AddSource must be …","text":"{\"From_Account\":…}"}
//! {"stage":"friend_import","line":42,"error":"30003 the requested account does not exist","code":30003,"retry_class":"never","attempts":1,"relation":{"From_Account":"a","To_Account":"b",…}}
//! {"stage":"account_import","account":"u9","error":"…","attempts":5}
//! ```
//!
//! `relation` has the input's own shape, so the refused relations can be fed back to
//! `tim import` once fixed (`jq -c 'select(.relation) | .relation'`).

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tim_rest::sns::friend_import::AddFriendItem;

use crate::input::{BadLine, RelationRecord};

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
    /// A bad input line.
    pub fn bad_line(bad: &BadLine) -> Self {
        Failure {
            stage: Stage::Input,
            line: Some(bad.line),
            account: None,
            error: bad.reason.clone(),
            code: None,
            retry_class: None,
            attempts: None,
            text: Some(bad.text.clone()),
            relation: None,
        }
    }

    /// A relation friend_import did not import.
    pub fn relation(
        line: u64,
        from: &str,
        item: &AddFriendItem,
        error: &CallError,
        attempts: u32,
    ) -> Self {
        Failure {
            stage: Stage::FriendImport,
            line: Some(line),
            account: None,
            error: error.message.clone(),
            code: error.code,
            retry_class: error.class,
            attempts: Some(attempts),
            text: None,
            relation: serde_json::to_value(RelationRecord { from, item }).ok(),
        }
    }

    /// An account multiaccount_import did not import.
    pub fn account(account: &str, error: &CallError, attempts: u32) -> Self {
        Failure {
            stage: Stage::AccountImport,
            line: None,
            account: Some(account.to_owned()),
            error: error.message.clone(),
            code: error.code,
            retry_class: error.class,
            attempts: Some(attempts),
            text: None,
            relation: None,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_lazily_and_appends() {
        let dir = std::env::temp_dir().join(format!("tim-fail-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.jsonl");
        let _ = std::fs::remove_file(&path);
        let mut w = FailureWriter::new(&path, false).unwrap();
        w.sync().unwrap();
        assert!(!path.exists(), "no failure, no file");
        let bad = BadLine {
            line: 3,
            reason: "not json".into(),
            text: "{".into(),
        };
        w.write(&Failure::bad_line(&bad)).unwrap();
        let err = CallError {
            message: "30003 nope".into(),
            code: Some(30003),
            class: Some("never"),
        };
        let item = AddFriendItem::new("b", "AddSource_Type_X");
        w.write(&Failure::relation(9, "a", &item, &err, 2)).unwrap();
        w.sync().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["stage"], "input");
        assert_eq!(lines[0]["line"], 3);
        assert_eq!(lines[1]["code"], 30003);
        assert_eq!(lines[1]["relation"]["From_Account"], "a");
        assert_eq!(lines[1]["relation"]["To_Account"], "b");
        let w = FailureWriter::new(&path, true).unwrap();
        assert_eq!(w.earlier(), 2);
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
