//! Turning a kind's input into batches in bounded memory: one batch per account or group, up
//! to the command's batch limit.
//!
//! - In input order (every kind but group messages): the [`Batcher`], which sends a key's
//!   buffer when it is full, when sorted input moves to the next key, or (the largest first)
//!   when the buffers hold more than [`MAX_BUFFERED_KEYS`] keys or [`MAX_BUFFERED_RECORDS`]
//!   records.
//! - Sorted (group messages, by send time): the lines are kept as text and sorted by key,
//!   sort key and line; past [`SPILL_BYTES`] of text a sorted run goes to a temporary file,
//!   and the runs are merged at the end. The batches then come key by key, in order.
//!
//! Records an earlier run settled are read (to count them) and skipped; bad lines go to
//! `bad`, in input order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

pub use super::batcher::KeyBatch;
use super::batcher::{BatchConfig, Batcher};
use super::item::Item;
use super::job::Job;
use super::ledger::Ledger;
use super::source::{self, BadLine, Input, Line};

/// Keys with a buffer at once, in input order, before the largest buffer is sent.
pub const MAX_BUFFERED_KEYS: usize = 10_000;
/// Records buffered at once, in input order, before the largest buffer is sent.
pub const MAX_BUFFERED_RECORDS: usize = 20_000;
/// Bytes of line text a sort keeps in memory before it writes a sorted run to disk.
pub const SPILL_BYTES: usize = 16 << 20;

/// What a feed did besides its batches.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fed {
    /// Lines read, bad ones and settled ones included.
    pub read: u64,
    /// Records that were not bad lines, settled ones included.
    pub valid: u64,
    /// Records an earlier run settled.
    pub skipped: u64,
    /// Bad lines an earlier run reported.
    pub skipped_bad: u64,
    /// Whether the records came in key order (the batcher's fast path).
    pub sorted: bool,
}

/// The memory bounds of a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Keys with a buffer at once (input order).
    pub max_keys: usize,
    /// Records buffered at once (input order).
    pub max_records: usize,
    /// Bytes of text a sort keeps in memory.
    pub spill_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_keys: MAX_BUFFERED_KEYS,
            max_records: MAX_BUFFERED_RECORDS,
            spill_bytes: SPILL_BYTES,
        }
    }
}

/// Reads `input` and hands every batch of at most `batch_size` records to `send` (false:
/// stop, the run is ending) and every bad line to `bad`.
pub fn feed<J: Job>(
    input: &Input,
    ledger: &Ledger,
    batch_size: usize,
    limits: Limits,
    mut send: impl FnMut(KeyBatch<J::Record>) -> bool,
    mut bad: impl FnMut(BadLine) -> anyhow::Result<()>,
) -> anyhow::Result<Fed> {
    let mut fed = Fed {
        sorted: true,
        ..Fed::default()
    };
    let path = input.path();
    if J::SORTED {
        let Input::Jsonl(path) = input else {
            anyhow::bail!("{} is read only from its own JSONL file", J::KIND);
        };
        return feed_sorted::<J>(path, ledger, batch_size, limits, fed, send, bad);
    }
    let records = J::records(input).with_context(|| format!("opening {}", path.display()))?;
    let mut batcher = Batcher::new(BatchConfig {
        batch_size,
        max_buffered_keys: limits.max_keys,
        max_buffered_records: limits.max_records,
    });
    let mut out = Vec::new();
    for read in records {
        let read = read.with_context(|| format!("reading {}", path.display()))?;
        fed.read += 1;
        let settled = ledger.is_settled(J::KIND, read.as_ref().map_or_else(|b| b.line, |n| n.line));
        let numbered = match read {
            Err(_) if settled => {
                fed.skipped_bad += 1;
                continue;
            }
            Err(b) => {
                bad(b)?;
                continue;
            }
            Ok(n) => n,
        };
        fed.valid += 1;
        if settled {
            fed.skipped += 1;
            continue;
        }
        batcher.push(numbered, J::key, J::item, &mut out);
        for batch in out.drain(..) {
            if !send(batch) {
                fed.sorted = batcher.input_sorted();
                return Ok(fed);
            }
        }
    }
    batcher.finish(&mut out);
    fed.sorted = batcher.input_sorted();
    for batch in out.drain(..) {
        if !send(batch) {
            break;
        }
    }
    Ok(fed)
}

/// The sorted path: every line of `path` sorted by key, sort key and line, then batched key by
/// key.
fn feed_sorted<J: Job>(
    path: &Path,
    ledger: &Ledger,
    batch_size: usize,
    limits: Limits,
    mut fed: Fed,
    mut send: impl FnMut(KeyBatch<J::Record>) -> bool,
    mut bad: impl FnMut(BadLine) -> anyhow::Result<()>,
) -> anyhow::Result<Fed> {
    let lines = source::lines(path).with_context(|| format!("opening {}", path.display()))?;
    let mut sorter = Sorter::new(path, limits.spill_bytes);
    let mut last_key: Option<String> = None;
    for line in lines {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        fed.read += 1;
        let settled = ledger.is_settled(J::KIND, line.number);
        match source::decode::<J::Record>(&line, J::check) {
            Err(_) if settled => fed.skipped_bad += 1,
            Err(b) => bad(b)?,
            Ok(_) if settled => {
                fed.valid += 1;
                fed.skipped += 1;
            }
            Ok(n) => {
                fed.valid += 1;
                let key = J::key(&n.record).to_owned();
                if last_key.as_ref().is_some_and(|last| key < *last) {
                    fed.sorted = false;
                }
                last_key = Some(key.clone());
                sorter.push(key, J::sort_key(&n.record), line)?;
            }
        }
    }
    let mut current: Option<KeyBatch<J::Record>> = None;
    for entry in sorter.finish()? {
        let (key, line) = entry?;
        let numbered = source::decode::<J::Record>(&line, J::check)
            .map_err(|b| anyhow::anyhow!("line {} changed while sorting: {}", b.line, b.reason))?;
        let full = current
            .as_ref()
            .is_some_and(|b| b.key != key || b.records.len() >= batch_size.max(1));
        if full && !send(current.take().expect("checked above")) {
            return Ok(fed);
        }
        current
            .get_or_insert_with(|| KeyBatch {
                key,
                records: Vec::new(),
            })
            .records
            .push(Item::new(numbered));
    }
    if let Some(batch) = current {
        send(batch);
    }
    Ok(fed)
}

/// One line waiting to be sorted: by key, then sort key, then line number.
type Sortable = (String, u64, u64, String);

/// The sorted lines, with their keys.
type SortedLines = Box<dyn Iterator<Item = anyhow::Result<(String, Line)>>>;

/// A sort of lines that spills sorted runs to disk past [`SPILL_BYTES`].
struct Sorter {
    memory: Vec<Sortable>,
    bytes: usize,
    spill_bytes: usize,
    dir: PathBuf,
    runs: Vec<PathBuf>,
}

impl Sorter {
    fn new(path: &Path, spill_bytes: usize) -> Self {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Sorter {
            memory: Vec::new(),
            bytes: 0,
            spill_bytes,
            dir: std::env::temp_dir().join(format!("tim-migrate-{}-{name}", std::process::id())),
            runs: Vec::new(),
        }
    }

    fn push(&mut self, key: String, sort: u64, line: Line) -> anyhow::Result<()> {
        let text = line.text.unwrap_or_default();
        self.bytes += key.len() + text.len() + 48;
        self.memory.push((key, sort, line.number, text));
        if self.bytes > self.spill_bytes {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> anyhow::Result<()> {
        self.memory.sort_unstable();
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let path = self.dir.join(format!("run-{}.jsonl", self.runs.len()));
        let mut out = BufWriter::new(
            File::create(&path).with_context(|| format!("creating {}", path.display()))?,
        );
        for entry in self.memory.drain(..) {
            serde_json::to_writer(&mut out, &entry)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        self.runs.push(path);
        self.bytes = 0;
        Ok(())
    }

    /// Every line in order, as `(key, line)`.
    fn finish(mut self) -> anyhow::Result<SortedLines> {
        let to_line = |(key, _, number, text): Sortable| {
            (
                key,
                Line {
                    number,
                    text: Ok(text),
                },
            )
        };
        if self.runs.is_empty() {
            self.memory.sort_unstable();
            return Ok(Box::new(
                std::mem::take(&mut self.memory)
                    .into_iter()
                    .map(move |e| Ok(to_line(e))),
            ));
        }
        if !self.memory.is_empty() {
            self.spill()?;
        }
        let mut readers = Vec::new();
        for path in &self.runs {
            let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
            readers.push(BufReader::new(file).lines());
        }
        let mut merge = Merge {
            heap: BinaryHeap::new(),
            readers,
            dir: self.dir.clone(),
        };
        for run in 0..merge.readers.len() {
            merge.refill(run)?;
        }
        Ok(Box::new(
            std::iter::from_fn(move || merge.next_entry().transpose()).map(move |e| e.map(to_line)),
        ))
    }
}

/// The k-way merge of sorted runs; deletes the runs when dropped.
struct Merge {
    heap: BinaryHeap<Reverse<(Sortable, usize)>>,
    readers: Vec<io::Lines<BufReader<File>>>,
    dir: PathBuf,
}

impl Merge {
    fn refill(&mut self, run: usize) -> anyhow::Result<()> {
        if let Some(line) = self.readers[run].next() {
            let entry: Sortable = serde_json::from_str(&line?).context("reading a sorted run")?;
            self.heap.push(Reverse((entry, run)));
        }
        Ok(())
    }

    fn next_entry(&mut self) -> anyhow::Result<Option<Sortable>> {
        let Some(Reverse((entry, run))) = self.heap.pop() else {
            return Ok(None);
        };
        self.refill(run)?;
        Ok(Some(entry))
    }
}

impl Drop for Merge {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::jobs::{Friends, GroupMessages};

    fn temp_file(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tim-feed-test-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn unsorted_group_messages_come_per_group_in_send_time_order_through_spilled_runs() {
        // 3 groups x 20 messages, in a scrambled order.
        let mut lines = Vec::new();
        for n in 0..20u64 {
            for g in 0..3 {
                let time = 1_600_000_000 + (n * 7 % 20) * 10;
                lines.push(format!(
                    r#"{{"GroupId":"g{g}","From_Account":"a","SendTime":{time},"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"x"}}}}]}}"#
                ));
            }
        }
        lines.insert(5, "not json".to_owned());
        let path = temp_file("group_messages.jsonl", &(lines.join("\n") + "\n"));
        let limits = Limits {
            spill_bytes: 1000,
            ..Limits::default()
        };
        let mut batches = Vec::new();
        let mut bad = Vec::new();
        let fed = feed::<GroupMessages>(
            &Input::Jsonl(path.clone()),
            &Ledger::none(),
            GroupMessages::batch_max(),
            limits,
            |b| {
                batches.push(b);
                true
            },
            |b| {
                bad.push(b.line);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(fed.read, 61);
        assert_eq!(bad, [6]);
        let keys: Vec<&str> = batches.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["g0", "g0", "g0", "g1", "g1", "g1", "g2", "g2", "g2"]);
        for group in batches.chunk_by(|a, b| a.key == b.key) {
            let times: Vec<u64> = group
                .iter()
                .flat_map(|b| b.records.iter().map(|r| r.record().item.send_time))
                .collect();
            assert_eq!(times.len(), 20);
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
            assert!(group.iter().all(|b| b.records.len() <= 7));
        }
        assert!(
            !std::env::temp_dir()
                .join(format!("tim-migrate-{}-group_messages", std::process::id()))
                .exists(),
            "the runs are deleted"
        );
    }

    #[test]
    fn records_in_file_order_keep_it_per_account_when_the_buffers_overflow() {
        let mut lines = Vec::new();
        for i in 0..50 {
            lines.push(format!(
                r#"{{"From_Account":"u{}","To_Account":"f{i}","AddSource":"AddSource_Type_X"}}"#,
                i % 4
            ));
        }
        let path = temp_file("friends.jsonl", &(lines.join("\n") + "\n"));
        let limits = Limits {
            max_records: 5,
            ..Limits::default()
        };
        let mut batches = Vec::new();
        feed::<Friends>(
            &Input::Jsonl(path.clone()),
            &Ledger::none(),
            Friends::batch_max(),
            limits,
            |b| {
                batches.push(b);
                true
            },
            |_| Ok(()),
        )
        .unwrap();
        assert!(
            batches.len() > 4,
            "the buffers were sent before they were full"
        );
        for account in 0..4 {
            let key = format!("u{account}");
            let friends: Vec<u64> = batches
                .iter()
                .filter(|b| b.key == key)
                .flat_map(|b| b.records.iter().map(|r| r.line))
                .collect();
            let expected: Vec<u64> = (0..50u64)
                .filter(|i| i % 4 == account)
                .map(|i| i + 1)
                .collect();
            assert_eq!(friends, expected);
        }
    }
}
