//! Reading a kind's file: each line is the command's own request item in its wire names,
//! read through the generated type; a line that is not becomes a bad line with its reason.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use serde::de::DeserializeOwned;

/// A record and its line (1-based).
#[derive(Debug, Clone)]
pub struct Numbered<T> {
    /// The line number in the file.
    pub line: u64,
    /// The record.
    pub record: T,
}

/// A line that is not a record of its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// The line number in the file.
    pub line: u64,
    /// Why.
    pub reason: String,
    /// The start of the line.
    pub text: String,
}

/// The records of `path`, in file order, and its bad lines; `check` refuses a record that
/// decodes but breaks a rule. A missing file has neither.
pub fn read<T: DeserializeOwned>(
    path: &Path,
    check: impl Fn(&T) -> Result<(), String>,
) -> io::Result<(Vec<Numbered<T>>, Vec<BadLine>)> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(e),
    };
    let mut records = Vec::new();
    let mut bad = Vec::new();
    for (i, text) in BufReader::new(file).lines().enumerate() {
        let line = i as u64 + 1;
        let text = match text {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                bad.push(BadLine {
                    line,
                    reason: "not UTF-8 text".to_owned(),
                    text: String::new(),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        if text.trim().is_empty() {
            continue;
        }
        let decoded = serde_json::from_str::<T>(&text)
            .map_err(|e| e.to_string())
            .and_then(|record| check(&record).map(|()| record));
        match decoded {
            Ok(record) => records.push(Numbered { line, record }),
            Err(reason) => bad.push(BadLine {
                line,
                reason,
                text: snippet(&text),
            }),
        }
    }
    Ok((records, bad))
}

/// The first 200 characters of a line, for the report.
fn snippet(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
