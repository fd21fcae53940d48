//! Reading a kind's input as a stream: each JSONL line is the command's own request item in
//! its wire names, read through the generated type; a line that is not becomes a bad line
//! with its reason. Memory stays bounded: one line at a time, and a line longer than
//! [`MAX_LINE_BYTES`] is reported and skipped without being held.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read as _};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::keyed::deserialize_strict;

use crate::input::Format;

/// Longest line accepted; a longer one is reported as bad and skipped.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Where a kind's records come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file of the kind's own records, one JSON object a line (`tim migrate`'s files).
    Jsonl(PathBuf),
    /// Friend relations as CSV with a header (`tim import --format csv`).
    Csv(PathBuf),
    /// The distinct accounts a file of friend relations names, in the order it first names
    /// them (`tim import --import-accounts`); each is numbered by that order, not by line.
    AccountsOf(PathBuf, Format),
}

impl Input {
    /// The file read.
    pub fn path(&self) -> &Path {
        match self {
            Input::Jsonl(path) | Input::Csv(path) | Input::AccountsOf(path, _) => path,
        }
    }

    /// The file's name, as the failures report shows it.
    pub fn file_name(&self) -> String {
        self.path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Jsonl(path) => write!(f, "{} (jsonl)", path.display()),
            Input::Csv(path) => write!(f, "{} (csv)", path.display()),
            Input::AccountsOf(path, format) => {
                write!(f, "the accounts of {} ({format})", path.display())
            }
        }
    }
}

/// A record read, or the line that was not one.
pub type Read<R> = Result<Numbered<R>, BadLine>;

/// The records of an input, in its order; an `Err` is a failure to read the file itself.
pub type Records<R> = Box<dyn Iterator<Item = io::Result<Read<R>>> + Send>;

/// The records of a JSONL file of `R`, each checked by `check`; none when it does not exist.
pub fn jsonl<R: DeserializeOwned + Send + 'static>(
    path: &Path,
    check: fn(&R) -> Result<(), String>,
) -> io::Result<Records<R>> {
    let mut reader = LineReader::open(path)?;
    Ok(Box::new(std::iter::from_fn(move || {
        let line = reader.next_line().transpose()?;
        Some(line.map(|(number, text)| decode_text(number, text, check)))
    })))
}

/// A record and its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The text, without its end of line; an `Err` says why there is none (not UTF-8, too
    /// long).
    pub text: Result<String, String>,
}

/// The non-blank lines of `path`, or none when it does not exist.
pub fn lines(path: &Path) -> io::Result<Box<dyn Iterator<Item = io::Result<Line>> + Send>> {
    let mut reader = LineReader::open(path)?;
    Ok(Box::new(std::iter::from_fn(move || {
        let line = reader.next_line().transpose()?;
        Some(line.map(|(number, text)| Line {
            number,
            text: text.map(str::to_owned),
        }))
    })))
}

/// Reads the non-blank lines of a file into one buffer, used again for every line.
struct LineReader {
    /// `None` when the file does not exist.
    reader: Option<BufReader<File>>,
    number: u64,
    buf: Vec<u8>,
}

impl LineReader {
    fn open(path: &Path) -> io::Result<Self> {
        let reader = match File::open(path) {
            Ok(file) => Some(BufReader::with_capacity(256 * 1024, file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        Ok(LineReader {
            reader,
            number: 0,
            buf: Vec::new(),
        })
    }

    /// The next non-blank line's number and text (without its end of line), or why it has
    /// no text (not UTF-8, too long).
    fn next_line(&mut self) -> io::Result<Option<(u64, Result<&str, String>)>> {
        let Some(reader) = &mut self.reader else {
            return Ok(None);
        };
        loop {
            self.buf.clear();
            // At most one byte past the limit is held: enough to know the line is too long.
            let limit = MAX_LINE_BYTES as u64 + 1;
            if reader.take(limit).read_until(b'\n', &mut self.buf)? == 0 {
                return Ok(None);
            }
            self.number += 1;
            if self.buf.len() > MAX_LINE_BYTES && self.buf.last() != Some(&b'\n') {
                skip_rest_of_line(reader)?;
                let why = format!("longer than {MAX_LINE_BYTES} bytes");
                return Ok(Some((self.number, Err(why))));
            }
            let end = self.buf.len()
                - self
                    .buf
                    .iter()
                    .rev()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
            if self.buf[..end].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let text =
                std::str::from_utf8(&self.buf[..end]).map_err(|_| "not UTF-8 text".to_owned());
            return Ok(Some((self.number, text)));
        }
    }
}

/// Reads past the next end of line without keeping what it reads.
fn skip_rest_of_line(reader: &mut impl BufRead) -> io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                reader.consume(n);
            }
        }
    }
}

/// Decodes one line as `T`, which `check` may still refuse. A field `T` does not have is an
/// error (a misspelt optional field would otherwise be dropped without a word), and an error
/// names the field it is in.
pub fn decode<T: DeserializeOwned>(
    line: &Line,
    check: impl Fn(&T) -> Result<(), String>,
) -> Result<Numbered<T>, BadLine> {
    let text = line.text.as_deref().map_err(Clone::clone);
    decode_text(line.number, text, check)
}

/// [`decode`] of line `number`'s `text`.
fn decode_text<T: DeserializeOwned>(
    number: u64,
    text: Result<&str, String>,
    check: impl Fn(&T) -> Result<(), String>,
) -> Result<Numbered<T>, BadLine> {
    let shown = text.as_deref().unwrap_or_default();
    let decoded = match &text {
        Err(why) => Err(why.clone()),
        Ok(text) => parse::<T>(text).and_then(|record| check(&record).map(|()| record)),
    };
    decoded
        .map(|record| Numbered {
            line: number,
            record,
        })
        .map_err(|reason| BadLine {
            line: number,
            reason,
            text: snippet(shown),
        })
}

/// `text` as a `T`, refusing fields of its object that `T` does not have.
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = deserialize_strict::<_, T>(&mut de).and_then(|record| de.end().map(|()| record));
    parsed.map_err(|e| {
        // Only a bad line is parsed again, with path tracking, to name the field.
        let mut de = serde_json::Deserializer::from_str(text);
        let mut track = serde_path_to_error::Track::new();
        let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
        match deserialize_strict::<_, T>(tracked) {
            // The field refused is the path itself.
            Err(inner) if inner.to_string().starts_with("unknown field") => json_error(&inner),
            Err(inner) => at_path(&track.path().to_string(), &json_error(&inner)),
            Ok(_) => json_error(&e),
        }
    })
}

fn at_path(path: &str, message: &str) -> String {
    if path.is_empty() || path == "." || path == "?" {
        message.to_owned()
    } else {
        format!("{path}: {message}")
    }
}

/// serde_json's message without its " at line 1 column N" tail: the line is known anyway.
fn json_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) if e.line() > 0 => format!("{} (column {})", &message[..i], e.column()),
        _ => message,
    }
}

/// The first 200 characters of a line, for the report.
pub fn snippet(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::job::Job;
    use crate::migrate::jobs::{Friends, GroupMembers};

    fn read<J: Job>(name: &str, text: &str) -> Vec<Read<J::Record>> {
        let dir = std::env::temp_dir().join(format!("tim-source-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = jsonl::<J::Record>(&path, J::check)
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        out
    }

    fn reason<R: fmt::Debug>(read: &Read<R>) -> &str {
        match read {
            Err(bad) => &bad.reason,
            Ok(r) => panic!("expected a bad line, got {r:?}"),
        }
    }

    #[test]
    fn lines_keep_their_numbers_and_bad_ones_say_which_field() {
        let text = concat!(
            r#"{"From_Account":"a","To_Account":"b","AddSource":"AddSource_Type_Web","Remark":"Bee","CustomItem":[{"Tag":"Tag_SNS_Custom_Lv","Value":3}]}"#,
            "\n\n",
            r#"{"From_Account":"a","To_Account":"c"}"#,
            "\nnot json\n",
            r#"{"From_Account":"a","To_Account":"e","AddSource":"AddSource_Type_Web","Remarks":"typo"}"#,
            "\n",
            r#"{"From_Account":"a","To_Account":"f","AddSource":"AddSource_Type_Web","AddTime":-1}"#,
            "\n",
            r#"{"From_Account":"a","To_Account":"g","AddSource":"AddSource_Type_Web","CustomItem":[{"Tag":"Tag_SNS_Custom_Lv","Value":3,"Extra":1}]}"#,
            "\n",
        );
        let records = read::<Friends>("friends.jsonl", text);
        assert_eq!(records.len(), 6);
        let first = records[0].as_ref().unwrap();
        assert_eq!((first.line, first.record.from_account.as_str()), (1, "a"));
        assert_eq!(first.record.item.remark.as_deref(), Some("Bee"));
        assert!(reason(&records[1]).contains("missing field `AddSource`"));
        assert_eq!(records[2].as_ref().unwrap_err().line, 4);
        assert!(reason(&records[3]).starts_with("unknown field `Remarks`"));
        assert!(
            reason(&records[4]).starts_with("AddTime: invalid value"),
            "{}",
            reason(&records[4])
        );
        // Only the record's own fields are checked: an object inside it is read as its
        // generated type reads it.
        assert!(records[5].is_ok());
    }

    #[test]
    fn a_record_of_a_group_refuses_unknown_fields_and_a_missing_group() {
        let text = concat!(
            r#"{"GroupId":"g","Member_Account":"m"}"#,
            "\n",
            r#"{"Member_Account":"m"}"#,
            "\n",
            r#"{"GroupId":"g","Member_Account":"m","Role":"Admin","JoinTme":1}"#,
            "\n",
        );
        let records = read::<GroupMembers>("group_members.jsonl", text);
        assert_eq!(records[0].as_ref().unwrap().record.group_id, "g");
        assert!(reason(&records[1]).contains("missing field `GroupId`"));
        assert!(reason(&records[2]).starts_with("unknown field `JoinTme`"));
    }

    #[test]
    fn an_overlong_line_is_reported_and_skipped_without_being_held() {
        let text = format!(
            "{}\n{}\n",
            "x".repeat(MAX_LINE_BYTES + 10),
            r#"{"From_Account":"a","To_Account":"b","AddSource":"AddSource_Type_Web"}"#
        );
        let records = read::<Friends>("long.jsonl", &text);
        assert_eq!(records.len(), 2);
        assert!(reason(&records[0]).contains("longer than"));
        assert_eq!(records[1].as_ref().unwrap().line, 2);
    }
}
