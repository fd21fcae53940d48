//! One kind's pass: read its file, skip what the checkpoint settled, batch per account or
//! group, send within the endpoint's rate limit (one batch at a time per key, up to
//! `concurrency` keys at once), settle every record: failures report first, then checkpoint.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context;
use tim_rest::{ApiError, RateLimiter};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::job::{code_name, Job, Outcome};
use super::jobs::command;
use super::ledger::Ledger;
use super::report::{Failure, Report};
use super::source::{self, BadLine, Numbered};
use crate::abort::Abort;
use crate::progress::Stats;
use crate::retry::RetryConfig;
use crate::send::{Caller, Failed};

/// What every pass shares.
pub struct Ctx {
    /// The client; `None` for a dry run.
    pub client: Option<tim_rest::Client>,
    /// The migration directory.
    pub dir: std::path::PathBuf,
    /// Settled lines.
    pub ledger: Ledger,
    /// The failures report.
    pub report: Report,
    /// The run's stop signal.
    pub abort: Abort,
    /// Retry settings.
    pub retry: RetryConfig,
    /// Keys (accounts or groups) in flight at once, per kind.
    pub concurrency: usize,
}

/// One kind's counters.
#[derive(Debug, Default)]
pub struct KindStats {
    /// Records read (bad lines included).
    pub read: AtomicU64,
    /// Whether the file has been read (`read` is then the total).
    pub started: std::sync::atomic::AtomicBool,
    /// Imported by this run.
    pub imported: AtomicU64,
    /// Found there already.
    pub already: AtomicU64,
    /// Refused (in the failures report).
    pub failed: AtomicU64,
    /// Bad lines reported by this run.
    pub bad_lines: AtomicU64,
    /// Lines an earlier run settled.
    pub skipped: AtomicU64,
    /// Requests to send (dry run) or sent, retries and verifications included; and the time
    /// they waited for replies. One `Stats` per kind, so its friend_import counters count
    /// this kind's command.
    pub calls: Arc<Stats>,
}

impl KindStats {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Records settled so far, by this run or an earlier one.
    pub fn settled(&self) -> u64 {
        [
            &self.imported,
            &self.already,
            &self.failed,
            &self.bad_lines,
            &self.skipped,
        ]
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .sum()
    }
}

/// Runs `J`'s pass to the end (or until the run stops).
pub async fn run<J: Job>(ctx: Arc<Ctx>, stats: Arc<KindStats>) -> anyhow::Result<()> {
    let kind = J::KIND;
    let path = ctx.dir.join(kind.file());
    let (records, bad) = source::read::<J::Record>(&path, J::check)
        .with_context(|| format!("reading {}", path.display()))?;
    KindStats::add(&stats.read, (records.len() + bad.len()) as u64);
    stats.started.store(true, Ordering::Relaxed);
    report_bad_lines::<J>(&ctx, &stats, bad)?;

    // One queue per key, in the order keys first appear.
    let mut keys: Vec<String> = Vec::new();
    let mut queues: HashMap<String, Vec<Numbered<J::Record>>> = HashMap::new();
    for numbered in records {
        if ctx.ledger.is_settled(kind, numbered.line) {
            KindStats::add(&stats.skipped, 1);
            continue;
        }
        let key = J::key(&numbered.record).to_owned();
        let queue = queues.entry(key.clone()).or_insert_with(|| {
            keys.push(key);
            Vec::new()
        });
        queue.push(numbered);
    }

    let caller = ctx.client.as_ref().map(|client| Caller {
        client: client.clone(),
        limiter: Arc::new(RateLimiter::new(command(J::KIND).per_second.max(1))),
        retry: ctx.retry,
        abort: ctx.abort.clone(),
        stats: stats.calls.clone(),
        requests: |s| &s.friend_requests,
        reply_micros: |s| &s.friend_reply_micros,
    });
    let slots = Arc::new(Semaphore::new(ctx.concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for key in keys {
        let mut queue = queues.remove(&key).unwrap_or_default();
        J::order(&mut queue);
        let (ctx, stats, caller, slots) =
            (ctx.clone(), stats.clone(), caller.clone(), slots.clone());
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await.expect("never closed");
            for batch in queue.chunks(J::batch_max().max(1)) {
                if ctx.abort.is_set() {
                    return Ok(());
                }
                send_batch::<J>(&ctx, &stats, caller.as_ref(), &key, batch).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.context("a batch task panicked")??;
    }
    Ok(())
}

fn report_bad_lines<J: Job>(ctx: &Ctx, stats: &KindStats, bad: Vec<BadLine>) -> anyhow::Result<()> {
    let kind = J::KIND;
    let fresh: Vec<BadLine> = bad
        .into_iter()
        .filter(|b| {
            let settled = ctx.ledger.is_settled(kind, b.line);
            if settled {
                KindStats::add(&stats.skipped, 1);
            }
            !settled
        })
        .collect();
    let failures: Vec<Failure> = fresh
        .iter()
        .map(|b| Failure {
            file: kind.file(),
            line: b.line,
            kind: kind.name(),
            command: "input",
            code: None,
            code_name: None,
            reason: b.reason.clone(),
            text: Some(b.text.clone()),
        })
        .collect();
    ctx.report
        .write(&failures)
        .context("writing the failures report")?;
    let lines: Vec<u64> = fresh.iter().map(|b| b.line).collect();
    if !lines.is_empty() {
        ctx.ledger
            .settle(kind, &lines)
            .context("writing the checkpoint")?;
    }
    KindStats::add(&stats.bad_lines, fresh.len() as u64);
    Ok(())
}

/// Sends one batch and settles its records; a dry run only counts the request. Records the
/// reply refuses with a code their endpoint says to retry are sent again, a bounded number of
/// times, in a request of their own.
async fn send_batch<J: Job>(
    ctx: &Ctx,
    stats: &KindStats,
    caller: Option<&Caller>,
    key: &str,
    batch: &[Numbered<J::Record>],
) -> anyhow::Result<()> {
    let Some(caller) = caller else {
        Stats::add(&stats.calls.friend_requests, 1);
        return Ok(());
    };
    let mut outcomes: Vec<Outcome> = vec![
        Outcome::Failed {
            code: None,
            code_name: None,
            reason: "not sent".to_owned(),
        };
        batch.len()
    ];
    let mut pending: Vec<usize> = (0..batch.len()).collect();
    for round in 0..=ctx.retry.max_item_retries {
        if round > 0 {
            Stats::add(&stats.calls.item_retries, pending.len() as u64);
            let delay = ctx.retry.backoff(tim_rest::RetryClass::Transient, round);
            if !caller.sleep(delay).await {
                return Ok(());
            }
        }
        let records: Vec<&J::Record> = pending.iter().map(|&i| &batch[i].record).collect();
        let request = J::request(key, &records);
        // A request given up on as a whole has used its retries already.
        let mut per_item = true;
        let mut got = match caller.call::<J::E>(&request).await {
            Ok(called) => J::outcomes(&records, &called.response),
            Err(Failed::GaveUp { error, .. }) => {
                per_item = false;
                let outcome = Outcome::Failed {
                    code: error.code,
                    code_name: error.code.map(code_name::<J::E>),
                    reason: error.message,
                };
                vec![outcome; records.len()]
            }
            // The run is stopping: nothing is settled, the batch is sent again on resume.
            Err(Failed::Aborted) => return Ok(()),
        };
        J::verify(caller, key, &records, &mut got).await;
        let mut again = Vec::new();
        for (&i, outcome) in pending.iter().zip(got) {
            let retryable = per_item
                && outcome.code().is_some_and(|code| {
                    <J::E as tim_rest::Endpoint>::Error::from_code(code)
                        .retry_class()
                        .is_retryable()
                });
            if retryable {
                again.push(i);
            }
            outcomes[i] = outcome;
        }
        if again.is_empty() {
            break;
        }
        pending = again;
    }

    let kind = J::KIND;
    let mut failures = Vec::new();
    for (numbered, outcome) in batch.iter().zip(&outcomes) {
        match outcome {
            Outcome::Done => KindStats::add(&stats.imported, 1),
            Outcome::Already => KindStats::add(&stats.already, 1),
            Outcome::Failed {
                code,
                code_name,
                reason,
            } => {
                KindStats::add(&stats.failed, 1);
                failures.push(Failure {
                    file: kind.file(),
                    line: numbered.line,
                    kind: kind.name(),
                    command: command(kind).path,
                    code: *code,
                    code_name: code_name.clone(),
                    reason: reason.clone(),
                    text: None,
                });
            }
        }
    }
    // The report first: a line the checkpoint settles is never lost from both.
    ctx.report
        .write(&failures)
        .context("writing the failures report")?;
    let lines: Vec<u64> = batch.iter().map(|n| n.line).collect();
    ctx.ledger
        .settle(kind, &lines)
        .context("writing the checkpoint")?;
    Ok(())
}
