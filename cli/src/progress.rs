//! Counters of a run, the progress display, and the summary table.
//!
//! On a terminal, an indicatif bar on stderr (relations/s, requests/s, errors, ETA when the
//! total is known); otherwise a plain line on stderr every few seconds. The summary table is
//! printed at the end by the import command.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::watch;
use tokio::task::JoinHandle;

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

/// The phase a run is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Counting lines / starting.
    Starting = 0,
    /// Importing accounts.
    Accounts = 1,
    /// Importing friends.
    Friends = 2,
    /// Finished.
    Done = 3,
}

macro_rules! counters {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {
        /// Live counters, shared by every part of a run.
        #[derive(Debug, Default)]
        pub struct Stats {
            $( $(#[$doc])* pub $name: AtomicU64, )*
            phase: AtomicU8,
        }

        /// The counters at one moment.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct Snapshot {
            $( $(#[$doc])* pub $name: u64, )*
        }

        impl Stats {
            /// The counters now.
            pub fn snapshot(&self) -> Snapshot {
                Snapshot { $( $name: self.$name.load(Ordering::Relaxed), )* }
            }
        }
    };
}

counters! {
    /// Input records read in the friend pass (valid or not).
    records,
    /// Valid relations read.
    relations,
    /// Bad input lines reported by this run.
    bad_lines,
    /// Bad input lines skipped because an earlier run reported them.
    bad_lines_skipped,
    /// Relations imported.
    imported,
    /// Relations refused or given up on (in the failures report).
    failed,
    /// Relations skipped because the checkpoint lists their batch.
    skipped,
    /// friend_import requests sent (retries included).
    friend_requests,
    /// Microseconds friend_import requests waited for their replies, summed.
    friend_reply_micros,
    /// friend_import batches finished.
    batches,
    /// Items sent again after a retryable per-item code.
    item_retries,
    /// Requests sent again after a retryable error.
    request_retries,
    /// Input lines read by the account pass.
    account_scan_lines,
    /// Distinct accounts found.
    accounts_seen,
    /// Accounts imported.
    accounts_imported,
    /// Accounts that could not be imported.
    accounts_failed,
    /// Accounts skipped because the checkpoint lists their batch.
    accounts_skipped,
    /// multiaccount_import requests sent (retries included).
    account_requests,
    /// Microseconds multiaccount_import requests waited for their replies, summed.
    account_reply_micros,
}

impl Stats {
    /// Adds `n` to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Moves to `phase`.
    pub fn set_phase(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Relaxed) {
            1 => Phase::Accounts,
            2 => Phase::Friends,
            3 => Phase::Done,
            _ => Phase::Starting,
        }
    }
}

impl Snapshot {
    /// Input lines settled in the friend pass: imported, failed, skipped or bad.
    pub fn lines_done(&self) -> u64 {
        self.imported + self.failed + self.skipped + self.bad_lines + self.bad_lines_skipped
    }

    /// Every request sent.
    pub fn requests(&self) -> u64 {
        self.friend_requests + self.account_requests
    }

    /// Errors so far: failed relations, bad lines, failed accounts.
    pub fn errors(&self) -> u64 {
        self.failed + self.bad_lines + self.accounts_failed
    }
}

/// Shows progress until [`finish`](Progress::finish).
pub struct Progress {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts showing the progress of `stats`. `total` is the number of input records, when
    /// known.
    pub fn start(
        mode: ProgressMode,
        stats: Arc<Stats>,
        total: Option<u64>,
        interval: Duration,
    ) -> Self {
        let (stop, rx) = watch::channel(false);
        let bar = match mode {
            ProgressMode::Off => None,
            ProgressMode::Bar => Some(true),
            ProgressMode::Plain => Some(false),
            ProgressMode::Auto => Some(std::io::stderr().is_terminal()),
        };
        let task = bar.map(|bar| {
            if bar {
                tokio::spawn(run_bar(stats, total, rx))
            } else {
                tokio::spawn(run_plain(stats, total, interval, rx))
            }
        });
        Progress { stop, task }
    }

    /// Stops the display.
    pub async fn finish(mut self) {
        self.stop.send_replace(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
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
        let dt = now.duration_since(t0).as_secs_f64();
        if dt < 0.05 {
            0.0
        } else {
            value.saturating_sub(v0) as f64 / dt
        }
    }
}

fn position(stats: &Stats, s: &Snapshot) -> (u64, &'static str) {
    match stats.phase() {
        Phase::Accounts => (s.account_scan_lines, "accounts"),
        Phase::Starting => (0, "starting"),
        Phase::Friends | Phase::Done => (s.lines_done(), "friends"),
    }
}

async fn run_bar(stats: Arc<Stats>, total: Option<u64>, mut stop: watch::Receiver<bool>) {
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = if total.is_some() {
        "{prefix:>8} [{elapsed_precise}] [{bar:25}] {pos}/{len} lines, ETA {eta} · {msg}"
    } else {
        "{prefix:>8} [{elapsed_precise}] {spinner} {pos} lines · {msg}"
    };
    bar.set_style(
        ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let start = Instant::now();
    let mut requests = RateWindow::new(start, 0);
    let mut lines = RateWindow::new(start, 0);
    let mut phase = Phase::Starting;
    loop {
        let s = stats.snapshot();
        let now = Instant::now();
        let (pos, prefix) = position(&stats, &s);
        let now_phase = stats.phase();
        if now_phase != phase {
            // Each phase counts lines from 0 again.
            phase = now_phase;
            bar.reset_eta();
            lines = RateWindow::new(now, pos);
        }
        bar.set_prefix(prefix);
        bar.set_position(pos);
        let lps = lines.rate(now, pos);
        let rps = requests.rate(now, s.requests());
        bar.set_message(format!(
            "{lps:.0} lines/s · {rps:.0} req/s · {} errors",
            s.errors()
        ));
        tokio::select! {
            _ = stop.wait_for(|v| *v) => break,
            _ = tokio::time::sleep(Duration::from_millis(150)) => {}
        }
    }
    bar.finish_and_clear();
}

async fn run_plain(
    stats: Arc<Stats>,
    total: Option<u64>,
    interval: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let start = Instant::now();
    let mut requests = RateWindow::new(start, 0);
    let mut lines = RateWindow::new(start, 0);
    let mut phase = Phase::Starting;
    loop {
        tokio::select! {
            _ = stop.wait_for(|v| *v) => break,
            _ = tokio::time::sleep(interval) => {}
        }
        let s = stats.snapshot();
        let (pos, name) = position(&stats, &s);
        let now = Instant::now();
        if stats.phase() != phase {
            phase = stats.phase();
            lines = RateWindow::new(start, 0);
        }
        let rps = requests.rate(now, s.requests());
        let lps = lines.rate(now, pos);
        let mut line = format!("[{:>6.1}s] {name}: {pos}", start.elapsed().as_secs_f64());
        if let Some(total) = total {
            let pct = if total == 0 {
                100.0
            } else {
                pos as f64 * 100.0 / total as f64
            };
            let _ = write!(line, "/{total} lines ({pct:.0}%)");
            if lps > 0.0 && total > pos {
                let _ = write!(line, ", ETA {:.0}s", (total - pos) as f64 / lps);
            }
        } else {
            line.push_str(" lines");
        }
        let _ = write!(
            line,
            ", {lps:.0} lines/s, {rps:.1} req/s, {} imported, {} errors",
            s.imported,
            s.errors()
        );
        eprintln!("{line}");
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
    fn snapshot_sums() {
        let stats = Stats::default();
        Stats::add(&stats.imported, 5);
        Stats::add(&stats.failed, 2);
        Stats::add(&stats.skipped, 10);
        Stats::add(&stats.bad_lines, 1);
        Stats::add(&stats.friend_requests, 3);
        Stats::add(&stats.account_requests, 1);
        let s = stats.snapshot();
        assert_eq!(s.lines_done(), 18);
        assert_eq!(s.requests(), 4);
        assert_eq!(s.errors(), 3);
    }

    #[test]
    fn table_aligns() {
        let t = summary_table(&[("a", "1".into()), ("long name", "2".into())]);
        assert_eq!(t, "  a          1\n  long name  2\n");
    }
}
