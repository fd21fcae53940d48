//! How progress is shown, the rate over a recent window, and the summary table.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// How to show progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProgressMode {
    /// A bar on a terminal, plain lines otherwise.
    Auto,
    /// Always the bar.
    Bar,
    /// Plain lines.
    Plain,
    /// Nothing until the summary.
    Off,
}

/// A counter's rate over the last few seconds.
pub(crate) struct RateWindow {
    samples: std::collections::VecDeque<(Instant, u64)>,
}

impl RateWindow {
    pub(crate) fn new(now: Instant, value: u64) -> Self {
        let mut samples = std::collections::VecDeque::new();
        samples.push_back((now, value));
        RateWindow { samples }
    }

    pub(crate) fn rate(&mut self, now: Instant, value: u64) -> f64 {
        self.samples.push_back((now, value));
        while self.samples.len() > 2
            && now.duration_since(self.samples[0].0) > Duration::from_secs(3)
        {
            self.samples.pop_front();
        }
        let (t0, v0) = self.samples[0];
        // Never over less than a second: a burst in the first tenths of a second would read
        // as a rate above a per-second limit that no one-second window went over.
        let dt = now.duration_since(t0).as_secs_f64().max(1.0);
        value.saturating_sub(v0) as f64 / dt
    }
}

/// The end-of-run table.
pub fn summary_table(rows: &[(&str, String)]) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (k, v) in rows {
        let pad = width - k.chars().count();
        let _ = writeln!(out, "  {k}{}  {v}", " ".repeat(pad));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns() {
        let t = summary_table(&[("a", "1".into()), ("long name", "2".into())]);
        assert_eq!(t, "  a          1\n  long name  2\n");
    }
}
