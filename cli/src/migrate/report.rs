//! The failures report of `tim migrate`: one JSON object a line for every refused record and
//! bad line, appended across resumed runs, synced before the checkpoint settles the lines.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

/// One failed record or bad line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

    /// Appends `failures` and syncs them to disk.
    pub fn write(&self, failures: &[Failure]) -> io::Result<()> {
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
