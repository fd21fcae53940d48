//! Grouping one kind's records into requests: one account or group (the key) per request, at
//! most the command's batch size of records, in bounded memory.
//!
//! - Sorted input (by key, byte order) is the fast path: when the key changes, the previous
//!   key is complete, so its buffer is sent at once and only one buffer ever exists.
//! - The first time a key sorts before the one before it, the input is known to be unsorted
//!   and the batcher keeps one buffer per key instead: a buffer is sent when it reaches the
//!   batch size, and when the buffered keys or records exceed their caps the largest buffer
//!   is sent (the oldest among equals), however small.
//! - A record naming an item already in its key's buffer (the same friend, blocklist entry or
//!   member twice) sends that buffer first, so no request carries the same item twice and the
//!   later record is applied after the earlier one.
//!
//! A key's records keep their input order: its buffers are sent, and run, one after the other.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::item::Item;
use super::source::Numbered;
use crate::hash::{account_hash, HashSet64};

/// Limits of the batcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// Most records per request (the schema's maximum by default).
    pub batch_size: usize,
    /// Keys with a buffer at once, once the input is known to be unsorted.
    pub max_buffered_keys: usize,
    /// Records buffered at once.
    pub max_buffered_records: usize,
}

/// One request's worth of records of one key.
#[derive(Debug)]
pub struct KeyBatch<R> {
    /// The account or group.
    pub key: String,
    /// The records, in the order they are sent.
    pub records: Vec<Item<R>>,
}

struct Buffer<R> {
    key: String,
    records: Vec<Item<R>>,
    /// Hashes of the items in `records` (of those that name one).
    items: HashSet64,
}

/// Turns a stream of records into batches. Call [`push`](Batcher::push) for each record,
/// then [`finish`](Batcher::finish); each call appends the batches it completes to `out`.
pub struct Batcher<R> {
    config: BatchConfig,
    /// Buffers by creation sequence number (finish sends them in that order).
    buffers: BTreeMap<u64, Buffer<R>>,
    /// Key -> sequence number of its buffer.
    index: HashMap<String, u64>,
    /// (size, Reverse(seq)) of every buffer: the last element is the largest (oldest first).
    /// Kept only once the input is known to be unsorted: before that there is at most one
    /// buffer, and keeping it up to date cost two tree updates per record.
    by_size: BTreeSet<(usize, Reverse<u64>)>,
    records: usize,
    next_seq: u64,
    sorted: bool,
    last_key: Option<String>,
    /// The buffer of `last_key`, while it exists: consecutive records of one key (all of
    /// them, in sorted input) skip the lookup by key.
    last_seq: Option<u64>,
    /// Item sets of sent buffers, emptied, for the next buffers: a new set of a full batch's
    /// size is an allocation large enough to cost more than the rest of the batching.
    spare_sets: Vec<HashSet64>,
}

/// Spare item sets kept at most.
const SPARE_SETS: usize = 16;

impl<R> Batcher<R> {
    /// A batcher with these limits (a limit of 0 counts as 1).
    pub fn new(mut config: BatchConfig) -> Self {
        config.batch_size = config.batch_size.max(1);
        config.max_buffered_keys = config.max_buffered_keys.max(1);
        config.max_buffered_records = config.max_buffered_records.max(1);
        Batcher {
            config,
            buffers: BTreeMap::new(),
            index: HashMap::new(),
            by_size: BTreeSet::new(),
            records: 0,
            next_seq: 0,
            sorted: true,
            last_key: None,
            last_seq: None,
            spare_sets: Vec::new(),
        }
    }

    /// Whether the input has been in key order so far.
    pub fn input_sorted(&self) -> bool {
        self.sorted
    }

    /// Records waiting in buffers.
    pub fn buffered_records(&self) -> usize {
        self.records
    }

    /// Keys with a buffer.
    pub fn buffered_keys(&self) -> usize {
        self.buffers.len()
    }

    /// Adds `record`, written to the key `key_of` names; `item_of` names what it writes
    /// within the key (a friend, a member), when two records may write the same one.
    pub fn push(
        &mut self,
        record: Numbered<R>,
        key_of: fn(&R) -> &str,
        item_of: fn(&R) -> Option<&str>,
        out: &mut Vec<KeyBatch<R>>,
    ) {
        let key = key_of(&record.record);
        if self.last_key.as_deref() != Some(key) {
            if let Some(last) = self.last_key.take() {
                if key < last.as_str() && self.sorted {
                    self.sorted = false;
                    self.by_size = self
                        .buffers
                        .iter()
                        .map(|(&seq, b)| (b.records.len(), Reverse(seq)))
                        .collect();
                }
                if self.sorted {
                    // Sorted input: `last` will not come back.
                    self.flush_key(&last, out);
                }
            }
            self.last_key = Some(key.to_owned());
            self.last_seq = None;
        }
        let item_hash = item_of(&record.record).map(account_hash);
        let known = self.last_seq.or_else(|| self.index.get(key).copied());
        let seq = match known {
            Some(seq) if item_hash.is_some_and(|h| self.buffers[&seq].items.contains(&h)) => {
                // The same item again: send what came before it first.
                self.flush_seq(seq, out);
                self.new_buffer(key)
            }
            Some(seq) => seq,
            None => self.new_buffer(key),
        };
        self.last_seq = Some(seq);
        let buffer = self.buffers.get_mut(&seq).expect("indexed buffer");
        let old_len = buffer.records.len();
        buffer.records.push(Item::new(record));
        if let Some(h) = item_hash {
            buffer.items.insert(h);
        }
        if !self.sorted {
            self.by_size.remove(&(old_len, Reverse(seq)));
            self.by_size.insert((old_len + 1, Reverse(seq)));
        }
        self.records += 1;
        if old_len + 1 >= self.config.batch_size {
            self.flush_seq(seq, out);
        }
        while self.records > self.config.max_buffered_records
            || self.buffers.len() > self.config.max_buffered_keys
        {
            let largest = if self.sorted {
                // At most one buffer.
                self.buffers.keys().next().copied()
            } else {
                self.by_size.last().map(|&(_, Reverse(seq))| seq)
            };
            let Some(largest) = largest else {
                break;
            };
            self.flush_seq(largest, out);
        }
    }

    /// Sends every buffer left, oldest first.
    pub fn finish(&mut self, out: &mut Vec<KeyBatch<R>>) {
        let seqs: Vec<u64> = self.buffers.keys().copied().collect();
        for seq in seqs {
            self.flush_seq(seq, out);
        }
        self.last_key = None;
        self.last_seq = None;
    }

    fn new_buffer(&mut self, key: &str) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        // Sorted input has one buffer at a time and fills it to the batch size: room for all
        // of it at once saves growing (and copying) the records again and again. Unsorted
        // input may have many small buffers, which grow as they need.
        let room = if self.sorted {
            self.config.batch_size.min(self.config.max_buffered_records)
        } else {
            0
        };
        self.buffers.insert(
            seq,
            Buffer {
                key: key.to_owned(),
                records: Vec::with_capacity(room),
                items: self.spare_sets.pop().unwrap_or_default(),
            },
        );
        self.index.insert(key.to_owned(), seq);
        if !self.sorted {
            self.by_size.insert((0, Reverse(seq)));
        }
        seq
    }

    fn flush_key(&mut self, key: &str, out: &mut Vec<KeyBatch<R>>) {
        if let Some(&seq) = self.index.get(key) {
            self.flush_seq(seq, out);
        }
    }

    fn flush_seq(&mut self, seq: u64, out: &mut Vec<KeyBatch<R>>) {
        let Some(buffer) = self.buffers.remove(&seq) else {
            return;
        };
        if self.last_seq == Some(seq) {
            self.last_seq = None;
        }
        if !self.sorted {
            self.by_size.remove(&(buffer.records.len(), Reverse(seq)));
        }
        self.index.remove(&buffer.key);
        self.records -= buffer.records.len();
        if self.spare_sets.len() < SPARE_SETS {
            let mut items = buffer.items;
            items.clear();
            self.spare_sets.push(items);
        }
        if buffer.records.is_empty() {
            return;
        }
        out.push(KeyBatch {
            key: buffer.key,
            records: buffer.records,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A relation: the account and the friend it names.
    type Rel = (String, String);

    fn from(r: &Rel) -> &str {
        &r.0
    }

    fn to(r: &Rel) -> Option<&str> {
        Some(&r.1)
    }

    fn push(b: &mut Batcher<Rel>, line: u64, f: &str, t: &str, out: &mut Vec<KeyBatch<Rel>>) {
        let record = (f.to_owned(), t.to_owned());
        b.push(Numbered { line, record }, from, to, out);
    }

    fn run(config: BatchConfig, pairs: &[(&str, &str)]) -> (Vec<KeyBatch<Rel>>, Batcher<Rel>) {
        let mut batcher = Batcher::new(config);
        let mut out = Vec::new();
        for (i, (from, to)) in pairs.iter().enumerate() {
            push(&mut batcher, i as u64 + 1, from, to, &mut out);
            assert!(batcher.buffered_records() <= config.max_buffered_records);
            assert!(batcher.buffered_keys() <= config.max_buffered_keys);
        }
        batcher.finish(&mut out);
        (out, batcher)
    }

    fn lines(b: &KeyBatch<Rel>) -> Vec<u64> {
        b.records.iter().map(|r| r.line).collect()
    }

    fn shape(batches: &[KeyBatch<Rel>]) -> Vec<(u64, String, Vec<u64>)> {
        batches
            .iter()
            .enumerate()
            .map(|(i, b)| (i as u64, b.key.clone(), lines(b)))
            .collect()
    }

    fn config(batch: usize, keys: usize, records: usize) -> BatchConfig {
        BatchConfig {
            batch_size: batch,
            max_buffered_keys: keys,
            max_buffered_records: records,
        }
    }

    #[test]
    fn sorted_input_sends_each_account_when_it_ends() {
        let pairs = [
            ("a", "1"),
            ("a", "2"),
            ("a", "3"),
            ("b", "1"),
            ("c", "1"),
            ("c", "2"),
        ];
        let mut batcher = Batcher::new(config(2, 100, 100));
        let mut out = Vec::new();
        for (i, (from, to)) in pairs.iter().enumerate() {
            push(&mut batcher, i as u64 + 1, from, to, &mut out);
            assert!(batcher.buffered_keys() <= 1);
        }
        batcher.finish(&mut out);
        assert!(batcher.input_sorted());
        assert_eq!(
            shape(&out),
            vec![
                (0, "a".into(), vec![1, 2]),
                (1, "a".into(), vec![3]),
                (2, "b".into(), vec![4]),
                (3, "c".into(), vec![5, 6]),
            ]
        );
    }

    #[test]
    fn sorted_input_keeps_the_item_cap() {
        let pairs = [("a", "1"), ("a", "2"), ("a", "3"), ("a", "4"), ("b", "1")];
        let (out, batcher) = run(config(10, 100, 2), &pairs);
        assert!(batcher.input_sorted());
        assert_eq!(
            shape(&out),
            vec![
                (0, "a".into(), vec![1, 2, 3]),
                (1, "a".into(), vec![4]),
                (2, "b".into(), vec![5]),
            ]
        );
    }

    #[test]
    fn unsorted_input_buffers_per_account() {
        let pairs = [
            ("b", "1"),
            ("a", "1"),
            ("b", "2"),
            ("a", "2"),
            ("b", "3"),
            ("c", "1"),
        ];
        let (out, batcher) = run(config(3, 100, 100), &pairs);
        assert!(!batcher.input_sorted());
        // "a" after "b" reveals unsorted input: per-account buffers from then on.
        assert_eq!(
            shape(&out),
            vec![
                (0, "b".into(), vec![1, 3, 5]),
                (1, "a".into(), vec![2, 4]),
                (2, "c".into(), vec![6]),
            ]
        );
    }

    #[test]
    fn item_cap_sends_the_largest_buffer() {
        // Unsorted from the second line on; cap of 4 items.
        let pairs = [
            ("z", "0"),
            ("a", "1"),
            ("b", "1"),
            ("a", "2"),
            ("a", "3"),
            ("b", "2"),
            ("c", "1"),
        ];
        let (out, _) = run(config(10, 100, 4), &pairs);
        // The fifth item overflows the cap: "a" (3 items) is the largest and goes first; the
        // rest leave at the end, oldest buffer first.
        assert_eq!(
            shape(&out),
            vec![
                (0, "a".into(), vec![2, 4, 5]),
                (1, "z".into(), vec![1]),
                (2, "b".into(), vec![3, 6]),
                (3, "c".into(), vec![7]),
            ]
        );
    }

    #[test]
    fn account_cap_sends_the_largest_oldest_buffer() {
        let pairs = [
            ("z", "0"),
            ("a", "1"),
            ("b", "1"),
            ("c", "1"),
            ("b", "2"),
            ("d", "1"),
        ];
        let (out, _) = run(config(10, 2, 100), &pairs);
        let got = shape(&out);
        // At most 2 buffers: b arriving evicts z (oldest of size 1), c evicts a, d evicts b
        // (the largest).
        assert_eq!(
            got,
            vec![
                (0, "z".into(), vec![1]),
                (1, "a".into(), vec![2]),
                (2, "b".into(), vec![3, 5]),
                (3, "c".into(), vec![4]),
                (4, "d".into(), vec![6]),
            ]
        );
    }

    #[test]
    fn duplicate_friend_splits_the_batch_in_order() {
        let pairs = [("a", "x"), ("a", "y"), ("a", "x"), ("a", "z")];
        let (out, _) = run(config(10, 10, 10), &pairs);
        assert_eq!(
            shape(&out),
            vec![(0, "a".into(), vec![1, 2]), (1, "a".into(), vec![3, 4])]
        );
    }

    #[test]
    fn every_relation_lands_in_exactly_one_batch_and_runs_repeat() {
        // A pseudo-random unsorted stream with tight caps.
        let mut state = 12345u64;
        let mut pairs = Vec::new();
        for _ in 0..5000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let from = format!("u{}", (state >> 33) % 97);
            let to = format!("v{}", (state >> 13) % 53);
            pairs.push((from, to));
        }
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let cfg = config(7, 20, 60);
        let (first, _) = run(cfg, &refs);
        let (second, _) = run(cfg, &refs);
        assert_eq!(
            shape(&first),
            shape(&second),
            "batching must be deterministic"
        );
        let mut all: Vec<u64> = first.iter().flat_map(lines).collect();
        all.sort_unstable();
        assert_eq!(all, (1..=5000).collect::<Vec<_>>());
        for b in &first {
            assert!(!b.records.is_empty() && b.records.len() <= 7);
            let mut seen = std::collections::HashSet::new();
            for r in &b.records {
                assert_eq!(pairs[r.line as usize - 1].0, b.key);
                assert!(
                    seen.insert(r.record().1.clone()),
                    "duplicate friend in a batch"
                );
            }
        }
        // Per account, the batches keep input order.
        let mut last_line: HashMap<&str, u64> = HashMap::new();
        for b in &first {
            for r in &b.records {
                let prev = last_line.insert(b.key.as_str(), r.line).unwrap_or(0);
                assert!(r.line > prev, "account {} out of order", b.key);
            }
        }
    }
}
