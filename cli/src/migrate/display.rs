//! Progress of `tim migrate` on stderr: on a terminal a bar per kind that has started (records
//! settled of those read, records/s, requests/s against the command's limit, errors, ETA),
//! plain lines at an interval otherwise.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::kind::Kind;
use super::runner::KindStats;
use crate::progress::{ProgressMode, RateWindow};

/// Shows progress until [`finish`](Display::finish).
pub struct Display {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

/// One kind's rates.
struct Rates {
    records: RateWindow,
    requests: RateWindow,
}

impl Display {
    /// Starts showing `kinds`; `limits` are the commands' calls per second.
    pub fn start(
        mode: ProgressMode,
        kinds: BTreeMap<Kind, Arc<KindStats>>,
        limits: BTreeMap<Kind, u32>,
        interval: Duration,
    ) -> Self {
        let (stop, rx) = watch::channel(false);
        let bar = match mode {
            ProgressMode::Off => None,
            ProgressMode::Bar => Some(true),
            ProgressMode::Plain => Some(false),
            ProgressMode::Auto => Some(std::io::stderr().is_terminal()),
        };
        let task = bar.map(|bar| tokio::spawn(show(bar, kinds, limits, interval, rx)));
        Display { stop, task }
    }

    /// Stops the display.
    pub async fn finish(mut self) {
        self.stop.send_replace(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// `records/s, requests/s of limit, errors`.
fn line(stats: &KindStats, rates: &mut Rates, limit: u32, now: Instant) -> String {
    let records = rates.records.rate(now, stats.settled());
    let requests = rates
        .requests
        .rate(now, stats.requests.load(Ordering::Relaxed));
    let errors = stats.failed.load(Ordering::Relaxed) + stats.bad_lines.load(Ordering::Relaxed);
    format!("{records:.0} records/s, {requests:.0} requests/s of {limit}, {errors} errors")
}

async fn show(
    bar: bool,
    kinds: BTreeMap<Kind, Arc<KindStats>>,
    limits: BTreeMap<Kind, u32>,
    interval: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let start = Instant::now();
    let mut rates: BTreeMap<Kind, Rates> = kinds
        .keys()
        .map(|k| {
            let rates = Rates {
                records: RateWindow::new(start, 0),
                requests: RateWindow::new(start, 0),
            };
            (*k, rates)
        })
        .collect();
    let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let mut bars: BTreeMap<Kind, ProgressBar> = BTreeMap::new();
    let style = ProgressStyle::with_template(
        "{prefix:>14} [{elapsed_precise}] [{bar:25}] {pos}/{len}, ETA {eta} · {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    let tick = if bar {
        Duration::from_millis(200)
    } else {
        interval
    };
    loop {
        let stopping = tokio::select! {
            _ = stop.changed() => true,
            _ = tokio::time::sleep(tick) => false,
        };
        let now = Instant::now();
        for (kind, stats) in &kinds {
            if !stats.started.load(Ordering::Relaxed) {
                continue;
            }
            let known = stats.total_known.load(Ordering::Relaxed);
            let settled = stats.settled();
            // An unknown total follows the count, so the bar reads as full.
            let total = if known {
                stats.total.load(Ordering::Relaxed)
            } else {
                settled
            };
            let limit = limits.get(kind).copied().unwrap_or_default();
            let text = line(stats, rates.get_mut(kind).expect("every kind"), limit, now);
            if bar {
                let progress = bars.entry(*kind).or_insert_with(|| {
                    let b = multi.add(ProgressBar::new(total));
                    b.set_style(style.clone());
                    b.set_prefix(kind.name());
                    b
                });
                progress.set_length(total);
                progress.set_position(settled);
                progress.set_message(text);
            } else if stopping || !stats.finished.load(Ordering::Relaxed) {
                let count = if known {
                    format!("{settled}/{total}")
                } else {
                    settled.to_string()
                };
                eprintln!(
                    "[{:>6.1}s] {:<14} {count} · {text}",
                    now.duration_since(start).as_secs_f64(),
                    kind.name()
                );
            }
        }
        if stopping {
            for progress in bars.values() {
                progress.finish();
            }
            return;
        }
    }
}
