//! Where refused records and bad lines go: a [`FailureSink`] takes each [`Failure`] with
//! everything known about it and writes it, synced, before the checkpoint settles its line.
//! [`Report`] is `tim migrate`'s: one JSON object a line, appended across resumed runs;
//! `tim import` writes its own shape (`crate::failures`).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

/// One failed record or bad line. The fields without `skip` are `tim migrate`'s report line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// The input file's name (`group_members.jsonl`).
    pub file: String,
    /// The line, 1-based.
    pub line: u64,
    /// The kind (`group_members`).
    pub kind: &'static str,
    /// The command that refused it, or `input` for a bad line.
    pub command: &'static str,
    /// The service's code, when it gave one.
    pub code: Option<i64>,
    /// The code's generated name (`GroupNotFound`, `Common(RestRateLimited)`).
    pub code_name: Option<String>,
    /// What went wrong.
    pub reason: String,
    /// The start of a bad line's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The code's retry class (`never`, `transient`, ...).
    #[serde(skip)]
    pub retry_class: Option<&'static str>,
    /// Attempts made for the record.
    #[serde(skip)]
    pub attempts: Option<u32>,
    /// The refused record, in its input shape.
    #[serde(skip)]
    pub record: Option<serde_json::Value>,
}

/// Takes the failures of a run.
pub trait FailureSink: Send + Sync {
    /// Writes `failures` and syncs them to disk before returning.
    fn write(&self, failures: &[Failure]) -> io::Result<()>;
}

/// Appends to the report, creating it at the first failure.
pub struct Report {
    path: PathBuf,
    out: Mutex<Option<BufWriter<File>>>,
}

impl Report {
    /// A report at `path` (nothing is created until something fails).
    pub fn new(path: &Path) -> Self {
        Report {
            path: path.to_owned(),
            out: Mutex::new(None),
        }
    }

    /// The report's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl FailureSink for Report {
    fn write(&self, failures: &[Failure]) -> io::Result<()> {
        if failures.is_empty() {
            return Ok(());
        }
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        if out.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)?;
            *out = Some(BufWriter::new(file));
        }
        let writer = out.as_mut().expect("opened above");
        for failure in failures {
            serde_json::to_writer(&mut *writer, failure)?;
            writer.write_all(b"\n")?;
        }
        writer.flush()?;
        writer.get_ref().sync_data()
    }
}
