//! The checkpoint: which lines of which kind are settled (imported, already there, or in the
//! failures report), appended and synced after each batch, so that a run killed at any point
//! (`kill -9` included) resumes and sends again at most what was in flight.
//!
//! One JSON object a line: `{"kind":"group_members","lines":[[1,20],[31,40]]}`, after an
//! optional first line naming the input it belongs to (`{"input":{..}}`, see
//! [`crate::checkpoint::Header`]). A torn last line (the run was killed while writing it) is
//! ignored: its batch is sent again. Opening the file rewrites it with one line per kind
//! (atomically: a new file renamed over the old), so a checkpoint stays small however often a
//! run is resumed.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::sync::Mutex;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use super::kind::Kind;
use crate::checkpoint::{sync_dir, Header};
use crate::rangeset::RangeSet;

#[derive(Serialize, Deserialize)]
struct Entry {
    kind: String,
    lines: Vec<(u64, u64)>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputLine {
    input: Header,
}

/// Settled lines per kind, and the file new ones go to.
pub struct Ledger {
    settled: BTreeMap<Kind, RangeSet>,
    out: Option<Mutex<File>>,
}

impl Ledger {
    /// A ledger that records nothing (no `--checkpoint`, or a dry run).
    pub fn none() -> Self {
        Ledger {
            settled: BTreeMap::new(),
            out: None,
        }
    }

    /// Opens `path`, reading what an earlier run settled; creates it when missing. With
    /// `input`, the checkpoint must belong to that input (a new one is marked with it).
    pub fn open(path: &Path, input: Option<&Header>) -> anyhow::Result<Self> {
        let (earlier, settled) = match File::open(path) {
            Ok(file) => read(BufReader::new(file))
                .with_context(|| format!("cannot resume from {}", path.display()))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => (None, BTreeMap::new()),
            Err(e) => return Err(e).with_context(|| format!("cannot open {}", path.display())),
        };
        if let (Some(earlier), Some(now)) = (&earlier, input) {
            let differences = earlier.differences(now);
            if !differences.is_empty() {
                bail!(
                    "the checkpoint {} belongs to another input ({}); use the same input, or \
                     another --checkpoint file",
                    path.display(),
                    differences.join("; ")
                );
            }
        }
        write_compacted(path, input.or(earlier.as_ref()), &settled)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        Ok(Ledger {
            settled,
            out: Some(Mutex::new(file)),
        })
    }

    /// Whether an earlier run settled `line` of `kind`.
    pub fn is_settled(&self, kind: Kind, line: u64) -> bool {
        self.settled.get(&kind).is_some_and(|s| s.contains(line))
    }

    /// Lines of `kind` settled by earlier runs.
    pub fn settled_count(&self, kind: Kind) -> u64 {
        self.settled.get(&kind).map_or(0, RangeSet::len)
    }

    /// Whether an earlier run settled anything.
    pub fn is_resumed(&self) -> bool {
        self.settled.values().any(|s| !s.is_empty())
    }

    /// Records `lines` of `kind` as settled, durably, before returning.
    pub fn settle(&self, kind: Kind, lines: &[u64]) -> io::Result<()> {
        let Some(out) = &self.out else {
            return Ok(());
        };
        let mut sorted = lines.to_vec();
        sorted.sort_unstable();
        let mut ranges: Vec<(u64, u64)> = Vec::new();
        for line in sorted {
            match ranges.last_mut() {
                Some((_, last)) if *last + 1 >= line => *last = (*last).max(line),
                _ => ranges.push((line, line)),
            }
        }
        let mut text = serde_json::to_string(&Entry {
            kind: kind.name().to_owned(),
            lines: ranges,
        })?;
        text.push('\n');
        let mut file = out.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(text.as_bytes())?;
        file.sync_data()
    }
}

/// Reads a checkpoint: the input it belongs to, if it says, and the settled lines per kind.
fn read(reader: impl BufRead) -> anyhow::Result<(Option<Header>, BTreeMap<Kind, RangeSet>)> {
    let mut input = None;
    let mut settled: BTreeMap<Kind, RangeSet> = BTreeMap::new();
    let mut unreadable: Option<usize> = None;
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        if let Some(at) = unreadable {
            // Only the last line may be torn.
            bail!(
                "line {} is not a checkpoint entry of this version of tim",
                at + 1
            );
        }
        if let Ok(entry) = serde_json::from_str::<Entry>(&line) {
            let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == entry.kind) else {
                bail!("line {}: unknown kind {:?}", i + 1, entry.kind);
            };
            let set = settled.entry(kind).or_default();
            for (first, last) in entry.lines {
                set.insert_range(first, last);
            }
        } else if let (0, Ok(first)) = (i, serde_json::from_str::<InputLine>(&line)) {
            input = Some(first.input);
        } else {
            unreadable = Some(i);
        }
    }
    Ok((input, settled))
}

/// Rewrites the checkpoint at `path` as one line per kind, atomically.
fn write_compacted(
    path: &Path,
    input: Option<&Header>,
    settled: &BTreeMap<Kind, RangeSet>,
) -> io::Result<()> {
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp_name);
    {
        let mut file = File::create(&tmp)?;
        let mut text = String::new();
        if let Some(input) = input {
            text.push_str(&serde_json::to_string(&InputLine {
                input: input.clone(),
            })?);
            text.push('\n');
        }
        for (kind, set) in settled {
            text.push_str(&serde_json::to_string(&Entry {
                kind: kind.name().to_owned(),
                lines: set.ranges().collect(),
            })?);
            text.push('\n');
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("tim-ledger-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir.join("run.ckpt")
    }

    fn header(hash: &str) -> Header {
        Header {
            input_len: 10,
            input_hash: hash.to_owned(),
            format: "jsonl".to_owned(),
        }
    }

    #[test]
    fn settled_lines_survive_a_torn_last_line_and_are_compacted() {
        let path = temp("torn");
        let ledger = Ledger::open(&path, Some(&header("a"))).unwrap();
        ledger.settle(Kind::Friends, &[1, 2, 3, 7]).unwrap();
        ledger.settle(Kind::Friends, &[4, 5]).unwrap();
        ledger.settle(Kind::Accounts, &[1]).unwrap();
        drop(ledger);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"kind":"friends","li"#).unwrap();
        drop(file);

        let ledger = Ledger::open(&path, Some(&header("a"))).unwrap();
        assert!((1..=5).all(|l| ledger.is_settled(Kind::Friends, l)));
        assert!(!ledger.is_settled(Kind::Friends, 6));
        assert!(ledger.is_settled(Kind::Friends, 7));
        assert_eq!(ledger.settled_count(Kind::Accounts), 1);
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3, "input, accounts, friends:\n{text}");
        assert!(text.contains(r#"[[1,5],[7,7]]"#), "{text}");
    }

    #[test]
    fn a_checkpoint_of_another_input_is_refused() {
        let path = temp("other");
        Ledger::open(&path, Some(&header("a")))
            .unwrap()
            .settle(Kind::Friends, &[1])
            .unwrap();
        let err = Ledger::open(&path, Some(&header("b")))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("belongs to another input"), "{err}");
        assert!(err.contains("input content hash"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_checkpoint_is_refused() {
        let path = temp("foreign");
        fs::write(&path, "D 0\nD 1\n").unwrap();
        let err = format!("{:#}", Ledger::open(&path, None).err().unwrap());
        assert!(err.contains("line 1 is not a checkpoint entry"), "{err}");
    }
}
