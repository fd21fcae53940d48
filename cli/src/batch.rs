//! Grouping relations into friend_import batches: one `From_Account` per batch, at most the
//! schema's batch size of items, in bounded memory.
//!
//! - Sorted input (by `From_Account`, byte order) is the fast path: when the account changes,
//!   the previous account is complete, so its buffer is sent at once and only one buffer ever
//!   exists.
//! - The first time an account sorts before the one before it, the input is known to be
//!   unsorted and the batcher keeps one buffer per account instead: a buffer is sent when it
//!   reaches the batch size, and when the buffered accounts or items exceed their caps the
//!   largest buffer is sent (the oldest among equals), however small.
//! - A `To_Account` already in an account's buffer sends that buffer first, so no request
//!   carries the same friend twice and the later record is applied after the earlier one.
//!
//! The batches, and their ids (0, 1, 2, ...), depend only on the input and the
//! [`BatchConfig`]: a run over the same input makes the same batches, which is what lets a
//! checkpoint name finished batches by id.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use tim_rest::sns::friend_import::AddFriendItem;

use crate::hash::{account_hash, HashSet64};

/// Limits of the batcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BatchConfig {
    /// Most items per batch (the schema's maximum by default).
    pub batch_size: usize,
    /// Most accounts with a buffer at once.
    pub max_buffered_accounts: usize,
    /// Most items buffered, all accounts together.
    pub max_buffered_items: usize,
}

impl BatchConfig {
    /// The default caps for a batch size.
    pub fn with_batch_size(batch_size: usize) -> Self {
        BatchConfig {
            batch_size,
            max_buffered_accounts: 10_000,
            max_buffered_items: 200_000,
        }
    }
}

/// One relation waiting in a batch: its input line and the item to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based input line.
    pub line: u64,
    /// The friend.
    pub item: AddFriendItem,
}

/// A friend_import request to make: one account, up to `batch_size` friends.
///
/// The items are kept apart from their lines so that they become the request's item list as
/// they are, without being copied out of pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Position of the batch in the sequence the batcher made (from 0).
    pub id: u64,
    /// `From_Account`.
    pub from: String,
    /// The input line of each item.
    pub lines: Vec<u64>,
    /// The friends, in input order.
    pub items: Vec<AddFriendItem>,
}

struct Buffer {
    from: String,
    lines: Vec<u64>,
    items: Vec<AddFriendItem>,
    /// Hashes of the `To_Account`s in `items`.
    to: HashSet64,
}

/// Turns a stream of relations into batches. Call [`push`](Batcher::push) for each relation,
/// then [`finish`](Batcher::finish); each call appends the batches it completes to `out`.
pub struct Batcher {
    config: BatchConfig,
    /// Buffers by creation sequence number (finish sends them in that order).
    buffers: BTreeMap<u64, Buffer>,
    /// Account -> sequence number of its buffer.
    index: HashMap<String, u64>,
    /// (size, Reverse(seq)) of every buffer: the last element is the largest (oldest first).
    /// Kept only once the input is known to be unsorted: before that there is at most one
    /// buffer, and keeping it up to date cost two tree updates per relation.
    by_size: BTreeSet<(usize, Reverse<u64>)>,
    items: usize,
    next_seq: u64,
    next_id: u64,
    sorted: bool,
    last_from: Option<String>,
    /// The buffer of `last_from`, while it exists: consecutive relations of one account (all
    /// of them, in sorted input) skip the lookup by account.
    last_seq: Option<u64>,
}

impl Batcher {
    /// A batcher with these limits (a batch size of 0 counts as 1).
    pub fn new(mut config: BatchConfig) -> Self {
        config.batch_size = config.batch_size.max(1);
        config.max_buffered_accounts = config.max_buffered_accounts.max(1);
        config.max_buffered_items = config.max_buffered_items.max(1);
        Batcher {
            config,
            buffers: BTreeMap::new(),
            index: HashMap::new(),
            by_size: BTreeSet::new(),
            items: 0,
            next_seq: 0,
            next_id: 0,
            sorted: true,
            last_from: None,
            last_seq: None,
        }
    }

    /// Whether the input has been in `From_Account` order so far.
    pub fn input_sorted(&self) -> bool {
        self.sorted
    }

    /// Items waiting in buffers.
    pub fn buffered_items(&self) -> usize {
        self.items
    }

    /// Accounts with a buffer.
    pub fn buffered_accounts(&self) -> usize {
        self.buffers.len()
    }

    /// Batches made so far.
    pub fn batches_made(&self) -> u64 {
        self.next_id
    }

    /// Adds the relation `from` -> `entry`.
    pub fn push(&mut self, from: &str, entry: Entry, out: &mut Vec<Batch>) {
        if self.last_from.as_deref() != Some(from) {
            if let Some(last) = self.last_from.take() {
                if from < last.as_str() && self.sorted {
                    self.sorted = false;
                    self.by_size = self
                        .buffers
                        .iter()
                        .map(|(&seq, b)| (b.items.len(), Reverse(seq)))
                        .collect();
                }
                if self.sorted {
                    // Sorted input: `last` will not come back.
                    self.flush_account(&last, out);
                }
            }
            self.last_from = Some(from.to_owned());
            self.last_seq = None;
        }
        let to_hash = account_hash(&entry.item.to_account);
        let known = self.last_seq.or_else(|| self.index.get(from).copied());
        let seq = match known {
            Some(seq) if self.buffers[&seq].to.contains(&to_hash) => {
                // The same friend again: send what came before it first.
                self.flush_seq(seq, out);
                self.new_buffer(from)
            }
            Some(seq) => seq,
            None => self.new_buffer(from),
        };
        self.last_seq = Some(seq);
        let buffer = self.buffers.get_mut(&seq).expect("indexed buffer");
        let old_len = buffer.items.len();
        buffer.lines.push(entry.line);
        buffer.items.push(entry.item);
        buffer.to.insert(to_hash);
        if !self.sorted {
            self.by_size.remove(&(old_len, Reverse(seq)));
            self.by_size.insert((old_len + 1, Reverse(seq)));
        }
        self.items += 1;
        if old_len + 1 >= self.config.batch_size {
            self.flush_seq(seq, out);
        }
        while self.items > self.config.max_buffered_items
            || self.buffers.len() > self.config.max_buffered_accounts
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
    pub fn finish(&mut self, out: &mut Vec<Batch>) {
        let seqs: Vec<u64> = self.buffers.keys().copied().collect();
        for seq in seqs {
            self.flush_seq(seq, out);
        }
        self.last_from = None;
        self.last_seq = None;
    }

    fn new_buffer(&mut self, from: &str) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        // Sorted input has one buffer at a time and fills it to the batch size: room for all
        // of it at once saves growing (and copying) the items again and again. Unsorted input
        // may have many small buffers, which grow as they need.
        let room = if self.sorted {
            self.config.batch_size.min(self.config.max_buffered_items)
        } else {
            0
        };
        self.buffers.insert(
            seq,
            Buffer {
                from: from.to_owned(),
                lines: Vec::with_capacity(room),
                items: Vec::with_capacity(room),
                to: HashSet64::with_capacity_and_hasher(room, Default::default()),
            },
        );
        self.index.insert(from.to_owned(), seq);
        if !self.sorted {
            self.by_size.insert((0, Reverse(seq)));
        }
        seq
    }

    fn flush_account(&mut self, from: &str, out: &mut Vec<Batch>) {
        if let Some(&seq) = self.index.get(from) {
            self.flush_seq(seq, out);
        }
    }

    fn flush_seq(&mut self, seq: u64, out: &mut Vec<Batch>) {
        let Some(buffer) = self.buffers.remove(&seq) else {
            return;
        };
        if self.last_seq == Some(seq) {
            self.last_seq = None;
        }
        if !self.sorted {
            self.by_size.remove(&(buffer.items.len(), Reverse(seq)));
        }
        self.index.remove(&buffer.from);
        self.items -= buffer.items.len();
        if buffer.items.is_empty() {
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        out.push(Batch {
            id,
            from: buffer.from,
            lines: buffer.lines,
            items: buffer.items,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(line: u64, to: &str) -> Entry {
        Entry {
            line,
            item: AddFriendItem::new(to, "AddSource_Type_Test"),
        }
    }

    fn run(config: BatchConfig, pairs: &[(&str, &str)]) -> (Vec<Batch>, Batcher) {
        let mut batcher = Batcher::new(config);
        let mut out = Vec::new();
        for (i, (from, to)) in pairs.iter().enumerate() {
            batcher.push(from, entry(i as u64 + 1, to), &mut out);
            assert!(batcher.buffered_items() <= config.max_buffered_items);
            assert!(batcher.buffered_accounts() <= config.max_buffered_accounts);
        }
        batcher.finish(&mut out);
        (out, batcher)
    }

    fn shape(batches: &[Batch]) -> Vec<(u64, String, Vec<u64>)> {
        batches
            .iter()
            .map(|b| (b.id, b.from.clone(), b.lines.clone()))
            .collect()
    }

    fn config(batch: usize, accounts: usize, items: usize) -> BatchConfig {
        BatchConfig {
            batch_size: batch,
            max_buffered_accounts: accounts,
            max_buffered_items: items,
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
            batcher.push(from, entry(i as u64 + 1, to), &mut out);
            assert!(batcher.buffered_accounts() <= 1);
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
        assert_eq!(first, second, "batching must be deterministic");
        let mut lines: Vec<u64> = first.iter().flat_map(|b| b.lines.iter().copied()).collect();
        lines.sort_unstable();
        assert_eq!(lines, (1..=5000).collect::<Vec<_>>());
        for (i, b) in first.iter().enumerate() {
            assert_eq!(b.id, i as u64);
            assert!(!b.items.is_empty() && b.items.len() <= 7);
            let mut seen = std::collections::HashSet::new();
            assert_eq!(b.lines.len(), b.items.len());
            for (line, item) in b.lines.iter().zip(&b.items) {
                assert_eq!(pairs[*line as usize - 1].0, b.from);
                assert!(
                    seen.insert(item.to_account.clone()),
                    "duplicate friend in a batch"
                );
            }
        }
        // Per account, the batches keep input order.
        let mut last_line: HashMap<&str, u64> = HashMap::new();
        for b in &first {
            for &line in &b.lines {
                let prev = last_line.insert(b.from.as_str(), line).unwrap_or(0);
                assert!(line > prev, "account {} out of order", b.from);
            }
        }
    }
}
