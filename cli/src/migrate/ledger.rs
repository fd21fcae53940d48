//! The migration's checkpoint: which lines of which file are settled (imported, already
//! there, or in the failures report), appended and synced after each batch, so that a run
//! killed at any point resumes and sends again at most what was in flight.
//!
//! One JSON object a line: `{"kind":"group_members","lines":[[1,20],[31,40]]}`. A torn last
//! line (the run was killed while writing it) is ignored: its batch is sent again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::kind::Kind;
use crate::rangeset::RangeSet;

#[derive(Serialize, Deserialize)]
struct Entry {
    kind: String,
    lines: Vec<(u64, u64)>,
}

/// Settled lines per kind, and the file new ones go to.
pub struct Ledger {
    settled: HashMap<Kind, RangeSet>,
    out: Option<Mutex<File>>,
}

impl Ledger {
    /// A ledger that records nothing (no `--checkpoint`, or a dry run).
    pub fn none() -> Self {
        Ledger {
            settled: HashMap::new(),
            out: None,
        }
    }

    /// Opens `path`, reading what an earlier run settled; creates it when missing.
    pub fn open(path: &Path) -> io::Result<Self> {
        let mut settled: HashMap<Kind, RangeSet> = HashMap::new();
        match File::open(path) {
            Ok(file) => {
                for line in BufReader::new(file).lines() {
                    let Ok(entry) = serde_json::from_str::<Entry>(&line?) else {
                        continue;
                    };
                    let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == entry.kind) else {
                        continue;
                    };
                    let set = settled.entry(kind).or_default();
                    for (first, last) in entry.lines {
                        set.insert_range(first, last);
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
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
