//! The checkpoint: a durable, append-only record of the batches that are finished.
//!
//! The batcher numbers friend batches 0, 1, 2, ... and the account pass numbers account
//! batches the same way; both sequences depend only on the input and the batching settings
//! (see `batch.rs`). So a batch is named by its id, and a finished batch costs one short line:
//!
//! ```text
//! #tim-import-checkpoint v1 {"input_len":52011,"input_hash":"6c1e…","format":"jsonl",…}
//! A 0             account batch 0 imported
//! D 0             friend batch 0 finished (imported, or its failures written to the report)
//! D 2
//! R 118           every bad input line up to line 118 is in the failures report
//! D 1-40          (ranges appear when a resumed run compacts the file)
//! ```
//!
//! A record is appended and `fsync`ed only after the batch's failures (if any) are in the
//! failures report and synced, so a run killed at any point (`kill -9` included) loses
//! nothing: on resume, the batches not listed are sent again, which is at most the ones that
//! were in flight. A torn last line (the process died mid-write) is ignored. The header pins
//! the input (size, and a hash of its first and last 64 KiB) and the batching settings: a
//! checkpoint of another file or other settings is refused rather than misapplied.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::hash::{fnv1a, fnv1a_continue};
use crate::rangeset::RangeSet;

const MAGIC: &str = "#tim-import-checkpoint v1 ";
/// Bytes hashed at each end of the input for its fingerprint.
const FINGERPRINT_BYTES: u64 = 64 * 1024;

/// What a checkpoint belongs to: the input and every setting that shapes the batches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Size of the input in bytes.
    pub input_len: u64,
    /// FNV-1a of the input's first and last 64 KiB, in hex.
    pub input_hash: String,
    /// `jsonl` or `csv`.
    pub format: String,
    /// Items per friend batch.
    pub batch_size: usize,
    /// The batcher's cap on buffered accounts.
    pub max_buffered_accounts: usize,
    /// The batcher's cap on buffered items.
    pub max_buffered_items: usize,
    /// Accounts per multiaccount_import batch.
    pub account_batch_size: usize,
}

impl Header {
    /// The differences between a checkpoint's header (`self`) and this run's (`now`).
    pub fn differences(&self, now: &Header) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |name: &str, was: String, is: String| {
            if was != is {
                out.push(format!("{name}: {was} in the checkpoint, {is} now"));
            }
        };
        check(
            "input size",
            self.input_len.to_string(),
            now.input_len.to_string(),
        );
        check(
            "input content hash",
            self.input_hash.clone(),
            now.input_hash.clone(),
        );
        check("format", self.format.clone(), now.format.clone());
        check(
            "batch size",
            self.batch_size.to_string(),
            now.batch_size.to_string(),
        );
        check(
            "--max-buffered-accounts",
            self.max_buffered_accounts.to_string(),
            now.max_buffered_accounts.to_string(),
        );
        check(
            "--max-buffered-items",
            self.max_buffered_items.to_string(),
            now.max_buffered_items.to_string(),
        );
        check(
            "account batch size",
            self.account_batch_size.to_string(),
            now.account_batch_size.to_string(),
        );
        out
    }
}

/// Size and content hash of a file, for [`Header`].
pub fn fingerprint(path: &Path) -> io::Result<(u64, String)> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut hash = fnv1a(&len.to_le_bytes());
    let mut buf = Vec::new();
    (&mut file).take(FINGERPRINT_BYTES).read_to_end(&mut buf)?;
    hash = fnv1a_continue(hash, &buf);
    if len > FINGERPRINT_BYTES {
        let tail = (len - FINGERPRINT_BYTES).max(FINGERPRINT_BYTES);
        file.seek(SeekFrom::Start(tail))?;
        buf.clear();
        file.take(FINGERPRINT_BYTES).read_to_end(&mut buf)?;
        hash = fnv1a_continue(hash, &buf);
    }
    Ok((len, format!("{hash:016x}")))
}

/// One line of the checkpoint after the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Friend batches `start..=end` are finished.
    Friends(u64, u64),
    /// Account batches `start..=end` are imported.
    Accounts(u64, u64),
    /// Every bad input line up to this line is in the failures report.
    BadLinesThrough(u64),
}

impl Entry {
    /// One finished friend batch.
    pub fn friend(id: u64) -> Self {
        Entry::Friends(id, id)
    }

    /// One imported account batch.
    pub fn account(id: u64) -> Self {
        Entry::Accounts(id, id)
    }

    fn parse(line: &str) -> Option<Entry> {
        let (kind, rest) = line.split_once(' ')?;
        let range = |text: &str| -> Option<(u64, u64)> {
            match text.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (a.parse().ok()?, b.parse().ok()?);
                    (a <= b).then_some((a, b))
                }
                None => {
                    let a = text.parse().ok()?;
                    Some((a, a))
                }
            }
        };
        match kind {
            "D" => range(rest).map(|(a, b)| Entry::Friends(a, b)),
            "A" => range(rest).map(|(a, b)| Entry::Accounts(a, b)),
            "R" => rest.parse().ok().map(Entry::BadLinesThrough),
            _ => None,
        }
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, a, b) = match *self {
            Entry::Friends(a, b) => ("D", a, b),
            Entry::Accounts(a, b) => ("A", a, b),
            Entry::BadLinesThrough(n) => return write!(f, "R {n}"),
        };
        if a == b {
            write!(f, "{kind} {a}")
        } else {
            write!(f, "{kind} {a}-{b}")
        }
    }
}

/// What a checkpoint says is done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Finished friend batches.
    pub friends: RangeSet,
    /// Imported account batches.
    pub accounts: RangeSet,
    /// Bad input lines up to this line are already reported.
    pub bad_lines_through: u64,
}

impl Progress {
    fn apply(&mut self, entry: Entry) {
        match entry {
            Entry::Friends(a, b) => {
                self.friends.insert_range(a, b);
            }
            Entry::Accounts(a, b) => {
                self.accounts.insert_range(a, b);
            }
            Entry::BadLinesThrough(n) => self.bad_lines_through = self.bad_lines_through.max(n),
        }
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.friends.is_empty() && self.accounts.is_empty() && self.bad_lines_through == 0
    }
}

/// Why a checkpoint could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The first line is not a checkpoint header.
    NotACheckpoint,
    /// A line in the middle of the file is not a record.
    BadLine {
        /// 1-based line number in the checkpoint.
        line: usize,
        /// The line.
        text: String,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::NotACheckpoint => f.write_str("not a tim import checkpoint (bad header)"),
            ParseError::BadLine { line, text } => {
                write!(f, "line {line} is not a checkpoint record: {text:?}")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Reads a checkpoint: its header and what it records.
///
/// A last line without its newline is a write the process did not finish, and unreadable
/// lines after the last good record are the same (a crash can leave zeros at the end of a
/// file): both are ignored. An unreadable line followed by good ones is an error.
pub fn parse<R: BufRead>(mut reader: R) -> Result<(Header, Progress), ParseError> {
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .map_err(|_| ParseError::NotACheckpoint)?;
    let header_json = first
        .strip_suffix('\n')
        .and_then(|l| l.strip_prefix(MAGIC))
        .ok_or(ParseError::NotACheckpoint)?;
    let header: Header =
        serde_json::from_str(header_json).map_err(|_| ParseError::NotACheckpoint)?;
    let mut progress = Progress::default();
    let mut pending_bad: Option<(usize, String)> = None;
    let mut buf = Vec::new();
    let mut number = 1;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(_) => break,
        }
        number += 1;
        if buf.last() != Some(&b'\n') {
            break; // torn last line
        }
        let text = String::from_utf8_lossy(&buf[..buf.len() - 1]).into_owned();
        match Entry::parse(&text) {
            Some(entry) => {
                if let Some((line, text)) = pending_bad.take() {
                    return Err(ParseError::BadLine { line, text });
                }
                progress.apply(entry);
            }
            None if text.is_empty() => {}
            None => {
                if pending_bad.is_none() {
                    pending_bad = Some((number, text));
                }
            }
        }
    }
    Ok((header, progress))
}

/// An open checkpoint, appending records.
pub struct Checkpoint {
    path: PathBuf,
    file: File,
    buf: Vec<u8>,
}

impl Checkpoint {
    /// Opens the checkpoint at `path` for a run with `header`.
    ///
    /// A missing or empty file starts a new checkpoint. An existing one must have the same
    /// header; it is then compacted (its records rewritten as ranges, atomically) and its
    /// progress returned for the run to skip.
    pub fn open(path: &Path, header: &Header) -> anyhow::Result<(Checkpoint, Progress)> {
        let existing = match File::open(path) {
            Ok(file) if file.metadata()?.len() > 0 => Some(file),
            Ok(_) => None,
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot open {}", path.display())),
        };
        let progress = match existing {
            None => Progress::default(),
            Some(file) => {
                let (old, progress) = parse(BufReader::new(file))
                    .with_context(|| format!("cannot resume from {}", path.display()))?;
                let diffs = old.differences(header);
                if !diffs.is_empty() {
                    bail!(
                        "the checkpoint {} belongs to another input or other settings ({}); \
                         use the same input and options, or another --checkpoint file",
                        path.display(),
                        diffs.join("; ")
                    );
                }
                progress
            }
        };
        write_compacted(path, header, &progress)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        Ok((
            Checkpoint {
                path: path.to_owned(),
                file,
                buf: Vec::new(),
            },
            progress,
        ))
    }

    /// Where the checkpoint is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entries` and makes them durable (one write, one `fsync`).
    pub fn append(&mut self, entries: &[Entry]) -> io::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        self.buf.clear();
        for e in entries {
            writeln!(self.buf, "{e}")?;
        }
        self.file.write_all(&self.buf)?;
        self.file.sync_data()
    }
}

/// Writes `header` and `progress` as ranges to a temporary file, syncs it and renames it over
/// `path` (then syncs the directory), so the checkpoint is always either the old or the new.
fn write_compacted(path: &Path, header: &Header, progress: &Progress) -> io::Result<()> {
    let tmp = path.with_extension("tmp-compact");
    {
        let mut out = io::BufWriter::new(File::create(&tmp)?);
        let header_json = serde_json::to_string(header).map_err(io::Error::other)?;
        writeln!(out, "{MAGIC}{header_json}")?;
        for (a, b) in progress.accounts.ranges() {
            writeln!(out, "{}", Entry::Accounts(a, b))?;
        }
        for (a, b) in progress.friends.ranges() {
            writeln!(out, "{}", Entry::Friends(a, b))?;
        }
        if progress.bad_lines_through > 0 {
            writeln!(
                out,
                "{}",
                Entry::BadLinesThrough(progress.bad_lines_through)
            )?;
        }
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(path);
    Ok(())
}

/// Syncs the directory holding `path`, so a new or renamed file survives a crash.
pub fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            input_len: 10,
            input_hash: "00ff".into(),
            format: "jsonl".into(),
            batch_size: 1000,
            max_buffered_accounts: 5,
            max_buffered_items: 50,
            account_batch_size: 100,
        }
    }

    fn text_with(records: &str) -> String {
        format!(
            "{MAGIC}{}\n{records}",
            serde_json::to_string(&header()).unwrap()
        )
    }

    #[test]
    fn parses_records_and_ranges() {
        let text = text_with("A 0-2\nD 0\nD 3\nD 1-2\nR 17\nR 9\nD 7\n");
        let (h, p) = parse(text.as_bytes()).unwrap();
        assert_eq!(h, header());
        assert_eq!(p.friends.to_string(), "0-3,7");
        assert_eq!(p.accounts.to_string(), "0-2");
        assert_eq!(p.bad_lines_through, 17);
    }

    #[test]
    fn torn_tail_is_ignored() {
        let (_, p) = parse(text_with("D 0\nD 1\nD 2").as_bytes()).unwrap();
        assert_eq!(p.friends.to_string(), "0-1");
        let (_, p) = parse(text_with("D 0\nD 1\n\0\0\0\0\n").as_bytes()).unwrap();
        assert_eq!(p.friends.to_string(), "0-1");
        let (_, p) = parse(text_with("D 0\nD 1\nD 1x\n").as_bytes()).unwrap();
        assert_eq!(p.friends.to_string(), "0-1");
    }

    #[test]
    fn garbage_in_the_middle_is_an_error() {
        let err = parse(text_with("D 0\nhello\nD 1\n").as_bytes()).unwrap_err();
        assert_eq!(
            err,
            ParseError::BadLine {
                line: 3,
                text: "hello".into()
            }
        );
        assert_eq!(
            parse("D 0\n".as_bytes()).unwrap_err(),
            ParseError::NotACheckpoint
        );
        assert!(parse(text_with("D 5-3\nD 1\n").as_bytes()).is_err());
    }

    #[test]
    fn entry_round_trip() {
        for e in [
            Entry::friend(4),
            Entry::Friends(1, 9),
            Entry::account(0),
            Entry::Accounts(2, 3),
            Entry::BadLinesThrough(12),
        ] {
            assert_eq!(Entry::parse(&e.to_string()), Some(e));
        }
    }

    #[test]
    fn open_append_resume_and_compact() {
        let dir = std::env::temp_dir().join(format!("tim-ckpt-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("run.ckpt");
        let _ = fs::remove_file(&path);
        let (mut c, p) = Checkpoint::open(&path, &header()).unwrap();
        assert!(p.is_empty());
        c.append(&[Entry::friend(0), Entry::friend(2), Entry::account(0)])
            .unwrap();
        c.append(&[Entry::friend(1), Entry::BadLinesThrough(4)])
            .unwrap();
        drop(c);
        // A torn write at the end.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"D 3").unwrap();
        drop(f);
        let (_c, p) = Checkpoint::open(&path, &header()).unwrap();
        assert_eq!(p.friends.to_string(), "0-2");
        assert_eq!(p.accounts.to_string(), "0");
        assert_eq!(p.bad_lines_through, 4);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("A 0\nD 0-2\nR 4\n"), "{text}");
        // Another input is refused.
        let mut other = header();
        other.input_len = 11;
        let err = Checkpoint::open(&path, &other).err().unwrap();
        assert!(
            format!("{err:#}").contains("input size: 10 in the checkpoint, 11 now"),
            "{err:#}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn fingerprint_changes_with_content() {
        let dir = std::env::temp_dir().join(format!("tim-fp-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("in.jsonl");
        fs::write(&path, b"hello\n").unwrap();
        let a = fingerprint(&path).unwrap();
        fs::write(&path, b"hellp\n").unwrap();
        let b = fingerprint(&path).unwrap();
        assert_eq!(a.0, b.0);
        assert_ne!(a.1, b.1);
        fs::remove_dir_all(&dir).unwrap();
    }
}
