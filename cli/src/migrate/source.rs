//! Reading a kind's file as a stream: each line is the command's own request item in its wire
//! names, read through the generated type; a line that is not becomes a bad line with its
//! reason.

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

/// One non-blank line of a file: its number and text.
pub struct Line {
    /// 1-based.
    pub number: u64,
    /// The text, without its end of line; `None` when the line is not UTF-8.
    pub text: Option<String>,
}

/// The non-blank lines of `path`, or none when it does not exist.
pub fn lines(path: &Path) -> io::Result<Box<dyn Iterator<Item = io::Result<Line>> + Send>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Box::new(std::iter::empty())),
        Err(e) => return Err(e),
    };
    let mut reader = BufReader::new(file);
    let mut number = 0u64;
    let mut buf = Vec::new();
    Ok(Box::new(std::iter::from_fn(move || loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return None,
            Ok(_) => {
                number += 1;
                let Ok(text) = String::from_utf8(std::mem::take(&mut buf)) else {
                    return Some(Ok(Line { number, text: None }));
                };
                let text = text.trim_end_matches(['\n', '\r']);
                if text.trim().is_empty() {
                    continue;
                }
                return Some(Ok(Line {
                    number,
                    text: Some(text.to_owned()),
                }));
            }
            Err(e) => return Some(Err(e)),
        }
    })))
}

/// Decodes one line as `T`, which `check` may still refuse.
pub fn decode<T: DeserializeOwned>(
    line: &Line,
    check: impl Fn(&T) -> Result<(), String>,
) -> Result<Numbered<T>, BadLine> {
    let text = line.text.as_deref().unwrap_or_default();
    let decoded = match &line.text {
        None => Err("not UTF-8 text".to_owned()),
        Some(text) => serde_json::from_str::<T>(text)
            .map_err(|e| e.to_string())
            .and_then(|record| check(&record).map(|()| record)),
    };
    decoded
        .map(|record| Numbered {
            line: line.number,
            record,
        })
        .map_err(|reason| BadLine {
            line: line.number,
            reason,
            text: snippet(text),
        })
}

/// The first 200 characters of a line, for the report.
fn snippet(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
