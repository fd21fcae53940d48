//! A set of `u64` ids kept as sorted, disjoint, non-adjacent ranges.
//!
//! Batches finish roughly in the order they were made, so the ids of finished batches
//! collapse into a few ranges, whatever their number.

use std::collections::BTreeMap;
use std::fmt;

/// A set of ids stored as inclusive ranges `start..=end`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeSet {
    /// start -> end (inclusive); ranges never overlap or touch.
    ranges: BTreeMap<u64, u64>,
    len: u64,
}

impl RangeSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of ids in the set.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of ranges the set is made of.
    pub fn range_count(&self) -> usize {
        self.ranges.len()
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: u64) -> bool {
        matches!(self.ranges.range(..=id).next_back(), Some((_, &end)) if end >= id)
    }

    /// Adds `id`; returns whether it was new.
    pub fn insert(&mut self, id: u64) -> bool {
        self.insert_range(id, id) > 0
    }

    /// Adds every id of `start..=end`; returns how many were new.
    pub fn insert_range(&mut self, start: u64, end: u64) -> u64 {
        if start > end {
            return 0;
        }
        let mut new_start = start;
        let mut new_end = end;
        let mut covered = 0u64;
        // Every range that overlaps or touches [start, end] is merged into it.
        let lower = start.saturating_sub(1);
        let touching: Vec<(u64, u64)> = self
            .ranges
            .range(..=end.saturating_add(1))
            .rev()
            .take_while(|(_, &e)| e >= lower)
            .map(|(&s, &e)| (s, e))
            .collect();
        for (s, e) in touching {
            self.ranges.remove(&s);
            let overlap_start = s.max(start);
            let overlap_end = e.min(end);
            if overlap_start <= overlap_end {
                covered += overlap_end - overlap_start + 1;
            }
            new_start = new_start.min(s);
            new_end = new_end.max(e);
        }
        self.ranges.insert(new_start, new_end);
        let added = (end - start + 1) - covered;
        self.len += added;
        added
    }

    /// The ranges, in order, as inclusive `(start, end)` pairs.
    pub fn ranges(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.ranges.iter().map(|(&s, &e)| (s, e))
    }
}

impl fmt::Display for RangeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (s, e)) in self.ranges().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if s == e {
                write!(f, "{s}")?;
            } else {
                write!(f, "{s}-{e}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::RangeSet;

    #[test]
    fn merges_neighbours_and_counts() {
        let mut set = RangeSet::new();
        assert!(set.insert(5));
        assert!(set.insert(7));
        assert_eq!(set.range_count(), 2);
        assert!(set.insert(6));
        assert_eq!(set.range_count(), 1);
        assert!(!set.insert(6));
        assert_eq!(set.len(), 3);
        assert_eq!(set.insert_range(0, 10), 8);
        assert_eq!(set.len(), 11);
        assert_eq!(set.range_count(), 1);
        assert!(set.contains(0) && set.contains(10) && !set.contains(11));
        assert_eq!(set.to_string(), "0-10");
    }

    #[test]
    fn out_of_order_inserts() {
        let mut set = RangeSet::new();
        for id in [9u64, 3, 1, 2, 8, 20, 0, 4] {
            set.insert(id);
        }
        assert_eq!(set.to_string(), "0-4,8-9,20");
        assert_eq!(set.len(), 8);
        assert!(!set.contains(5) && !set.contains(19) && set.contains(20));
        assert_eq!(set.insert_range(5, 19), 13);
        assert_eq!(set.to_string(), "0-20");
    }

    #[test]
    fn extremes() {
        let mut set = RangeSet::new();
        set.insert(u64::MAX);
        set.insert(0);
        assert!(set.contains(u64::MAX) && set.contains(0) && !set.contains(1));
        assert_eq!(set.len(), 2);
    }
}
