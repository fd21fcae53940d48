//! One kind's pass: read its file as a stream, skip what the checkpoint settled, batch per
//! account or group (`feed.rs`), send within the endpoint's rate limit (one batch at a time per
//! key, up to `concurrency` keys at once), settle every record: failures report first, then
//! checkpoint.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context;
use tim_rest::{ApiError, RateLimiter};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::feed::{feed, KeyBatch, Limits};
use super::item::Item;
use super::job::{code_name, Job, Outcome};
use super::kind::Kind;
use super::ledger::Ledger;
use super::report::{Failure, FailureSink};
use super::source::{BadLine, Input};
use crate::abort::Abort;
use crate::retry::RetryConfig;
use crate::send::{CallCounts, Caller, Failed};

/// What every pass shares.
pub struct Ctx {
    /// The client; `None` for a dry run.
    pub client: Option<tim_rest::Client>,
    /// Settled lines.
    pub ledger: Ledger,
    /// The failures report.
    pub report: Box<dyn FailureSink>,
    /// The batcher's memory bounds.
    pub limits: Limits,
    /// Whether to count each input's lines first (for the progress display's totals).
    pub count_lines: bool,
    /// The run's stop signal.
    pub abort: Abort,
    /// Retry settings.
    pub retry: RetryConfig,
    /// Keys (accounts or groups) in flight at once, per kind.
    pub concurrency: usize,
}

/// One kind's pass: where its records come from, and how it sends them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    /// The kind.
    pub kind: Kind,
    /// Its records.
    pub input: Input,
    /// Records per request.
    pub batch_size: usize,
    /// Requests per second at most.
    pub per_second: u32,
}

/// One kind's counters.
#[derive(Debug, Default)]
pub struct KindStats {
    /// Lines read (bad lines and settled lines included).
    pub read: AtomicU64,
    /// Records read that were not bad lines (settled ones included).
    pub valid: AtomicU64,
    /// Whether the pass has started.
    pub started: AtomicBool,
    /// Whether `total` was counted (the accounts of a relations file are not).
    pub total_known: AtomicBool,
    /// Whether the pass has ended.
    pub finished: AtomicBool,
    /// Whether the records came in key order (set when the pass has read its input).
    pub sorted: AtomicBool,
    /// Lines of the file (blank ones included), counted before the pass.
    pub total: AtomicU64,
    /// Imported by this run.
    pub imported: AtomicU64,
    /// Found there already.
    pub already: AtomicU64,
    /// Refused (in the failures report).
    pub failed: AtomicU64,
    /// Bad lines reported by this run.
    pub bad_lines: AtomicU64,
    /// Records an earlier run settled.
    pub skipped: AtomicU64,
    /// Bad lines an earlier run reported.
    pub skipped_bad: AtomicU64,
    /// Requests sent (a dry run: to send), retries and verifications included.
    pub requests: AtomicU64,
    /// Microseconds the requests waited for their replies, summed.
    pub reply_micros: AtomicU64,
    /// Attempts that were retries of a request.
    pub request_retries: AtomicU64,
    /// Records sent again after a refusal with a retryable code.
    pub item_retries: AtomicU64,
    /// The most requests started within any one second.
    pub busiest_second: AtomicU64,
    /// The requests per second the pass was held to.
    pub per_second: AtomicU64,
}

impl CallCounts for KindStats {
    fn attempt(&self, reply_micros: u64) {
        KindStats::add(&self.requests, 1);
        KindStats::add(&self.reply_micros, reply_micros);
    }

    fn retries(&self, n: u64) {
        KindStats::add(&self.request_retries, n);
    }
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
            &self.skipped_bad,
        ]
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .sum()
    }
}

/// Bad lines reported and settled together.
const BAD_LINES_AT_ONCE: usize = 1024;

/// Runs `J`'s pass to the end (or until the run stops): a reader thread feeds batches
/// (`feed.rs`) through a bounded channel to the dispatcher.
pub async fn run<J: Job>(ctx: Arc<Ctx>, pass: Pass, stats: Arc<KindStats>) -> anyhow::Result<()> {
    let path = pass.input.path().to_owned();
    // Only the progress display uses the count; it costs one more quick read of the file.
    if ctx.count_lines && path.exists() && !matches!(pass.input, Input::AccountsOf(..)) {
        let header = u64::from(matches!(pass.input, Input::Csv(_)));
        let total = crate::input::count_lines(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        stats
            .total
            .store(total.saturating_sub(header), Ordering::Relaxed);
        stats.total_known.store(true, Ordering::Relaxed);
    }
    stats
        .per_second
        .store(pass.per_second.into(), Ordering::Relaxed);
    stats.started.store(true, Ordering::Relaxed);
    let (tx, rx) = mpsc::channel::<KeyBatch<J::Record>>(ctx.concurrency * 2 + 4);
    let reader = {
        let (ctx, stats, pass) = (ctx.clone(), stats.clone(), pass.clone());
        tokio::task::spawn_blocking(move || {
            let mut bad: Vec<BadLine> = Vec::new();
            let fed = feed::<J>(
                &pass.input,
                &ctx.ledger,
                pass.batch_size,
                ctx.limits,
                |batch| {
                    if ctx.client.is_none() {
                        // A dry run: the batch is only counted.
                        KindStats::add(&stats.requests, 1);
                        return true;
                    }
                    tx.blocking_send(batch).is_ok()
                },
                |line| {
                    bad.push(line);
                    if bad.len() >= BAD_LINES_AT_ONCE {
                        report_bad_lines::<J>(&ctx, &pass, &stats, std::mem::take(&mut bad))?;
                    }
                    Ok(())
                },
            )?;
            report_bad_lines::<J>(&ctx, &pass, &stats, bad)?;
            KindStats::add(&stats.read, fed.read);
            KindStats::add(&stats.valid, fed.valid);
            KindStats::add(&stats.skipped, fed.skipped);
            KindStats::add(&stats.skipped_bad, fed.skipped_bad);
            stats.sorted.store(fed.sorted, Ordering::Relaxed);
            anyhow::Ok(())
        })
    };
    let dispatched = dispatch::<J>(&ctx, &pass, &stats, rx).await;
    let read = reader.await.context("the reader panicked");
    stats.finished.store(true, Ordering::Relaxed);
    read??;
    dispatched
}

/// Runs batches as they come: at most `concurrency` at once, one per key at a time, in order
/// per key.
async fn dispatch<J: Job>(
    ctx: &Arc<Ctx>,
    pass: &Pass,
    stats: &Arc<KindStats>,
    mut rx: mpsc::Receiver<KeyBatch<J::Record>>,
) -> anyhow::Result<()> {
    let caller = ctx.client.as_ref().map(|client| Caller {
        client: client.clone(),
        limiter: Arc::new(RateLimiter::new(pass.per_second.max(1))),
        retry: ctx.retry,
        abort: ctx.abort.clone(),
        counts: stats.clone(),
    });
    let concurrency = ctx.concurrency.max(1);
    let max_pending = concurrency * 4 + 16;
    let mut pending: VecDeque<KeyBatch<J::Record>> = VecDeque::new();
    let mut busy: HashSet<String> = HashSet::new();
    let mut workers: JoinSet<(String, anyhow::Result<()>)> = JoinSet::new();
    let mut input_done = false;
    let mut result = Ok(());
    loop {
        if ctx.abort.is_set() && !input_done {
            rx.close();
            pending.clear();
            input_done = true;
        }
        while workers.len() < concurrency {
            let Some(i) = pending
                .iter()
                .position(|b| !J::ONE_WRITER || !busy.contains(&b.key))
            else {
                break;
            };
            let batch = pending.remove(i).expect("index from position");
            if J::ONE_WRITER {
                busy.insert(batch.key.clone());
            }
            let (ctx, pass, stats) = (ctx.clone(), pass.clone(), stats.clone());
            let caller = caller.clone().expect("a dry run sends no batch here");
            workers.spawn(async move {
                let sent =
                    send_batch::<J>(&ctx, &pass, &stats, &caller, &batch.key, batch.records).await;
                (batch.key, sent)
            });
        }
        if input_done && pending.is_empty() && workers.is_empty() {
            if let Some(caller) = &caller {
                let busiest = caller.limiter.busiest_second();
                stats
                    .busiest_second
                    .store(busiest.into(), Ordering::Relaxed);
            }
            return result;
        }
        tokio::select! {
            batch = rx.recv(), if !input_done && pending.len() < max_pending => match batch {
                Some(batch) => pending.push_back(batch),
                None => input_done = true,
            },
            finished = workers.join_next(), if !workers.is_empty() => match finished {
                Some(Ok((key, sent))) => {
                    busy.remove(&key);
                    if let Err(e) = sent {
                        ctx.abort.trigger(format!("{}: {e:#}", J::KIND));
                        result = Err(e);
                    }
                }
                Some(Err(e)) => {
                    ctx.abort.trigger(format!("{}: a batch task failed: {e}", J::KIND));
                    result = Err(e.into());
                }
                None => {}
            },
            _ = ctx.abort.wait(), if !input_done => {},
        }
    }
}

fn report_bad_lines<J: Job>(
    ctx: &Ctx,
    pass: &Pass,
    stats: &KindStats,
    bad: Vec<BadLine>,
) -> anyhow::Result<()> {
    if bad.is_empty() {
        return Ok(());
    }
    let kind = J::KIND;
    let file = pass.input.file_name();
    let failures: Vec<Failure> = bad
        .iter()
        .map(|b| Failure {
            file: file.clone(),
            line: b.line,
            kind: kind.name(),
            command: "input",
            code: None,
            code_name: None,
            reason: b.reason.clone(),
            text: Some(b.text.clone()),
            retry_class: None,
            attempts: None,
            record: None,
        })
        .collect();
    let lines: Vec<u64> = bad.iter().map(|b| b.line).collect();
    settle(ctx, kind, &failures, &lines)?;
    KindStats::add(&stats.bad_lines, bad.len() as u64);
    Ok(())
}

/// Settles `lines` of `kind`: their `failures` go to the report first, then the checkpoint
/// records the lines, so a settled line is never lost from both.
fn settle(ctx: &Ctx, kind: Kind, failures: &[Failure], lines: &[u64]) -> anyhow::Result<()> {
    ctx.report
        .write(failures)
        .context("writing the failures report")?;
    ctx.ledger
        .settle(kind, lines)
        .context("writing the checkpoint")
}

/// Sends one batch and settles its records; a dry run only counts the request. Records the
/// reply refuses with a code their endpoint says to retry are sent again, a bounded number of
/// times, in a request of their own.
async fn send_batch<J: Job>(
    ctx: &Ctx,
    pass: &Pass,
    stats: &KindStats,
    caller: &Caller,
    key: &str,
    mut items: Vec<Item<J::Record>>,
) -> anyhow::Result<()> {
    for round in 0..=ctx.retry.max_item_retries {
        let mut pending: Vec<&mut Item<J::Record>> = items.iter_mut().filter(|i| i.again).collect();
        if pending.is_empty() {
            break;
        }
        if round > 0 {
            KindStats::add(&stats.item_retries, pending.len() as u64);
            let delay = ctx.retry.backoff(tim_rest::RetryClass::Transient, round);
            if !caller.sleep(delay).await {
                return Ok(());
            }
        }
        let request = J::request(key, pending.iter_mut().map(|i| i.take()));
        let called = caller.call::<J::E>(&request).await;
        for (item, record) in pending.iter_mut().zip(J::unpack(key, request)) {
            item.put_back(record);
        }
        let records: Vec<&J::Record> = pending.iter().map(|i| i.record()).collect();
        // A request given up on as a whole has used its retries already.
        let (mut outcomes, per_item, attempts) = match called {
            Ok(called) => {
                let mut outcomes = J::outcomes(&records, &called.response);
                if called.maybe_applied_before {
                    for outcome in &mut outcomes {
                        if let Outcome::Failed { reason, .. } = outcome {
                            reason.push_str(
                                "; an earlier attempt of this request got no proper reply \
                                 and may have applied it",
                            );
                        }
                    }
                }
                (outcomes, true, called.attempts)
            }
            Err(Failed::GaveUp { error, attempts }) => {
                let outcome = Outcome::Failed {
                    code: error.code,
                    code_name: error.code.map(code_name::<J::E>),
                    reason: error.message,
                };
                (vec![outcome; records.len()], false, attempts)
            }
            // The run is stopping: nothing is settled, the batch is sent again on resume.
            Err(Failed::Aborted) => return Ok(()),
        };
        J::verify(caller, key, &records, &mut outcomes).await;
        drop(records);
        let last_round = round == ctx.retry.max_item_retries;
        for (item, outcome) in pending.iter_mut().zip(outcomes) {
            item.attempts += attempts;
            item.again = per_item
                && !last_round
                && outcome.code().is_some_and(|code| {
                    <J::E as tim_rest::Endpoint>::Error::from_code(code)
                        .retry_class()
                        .is_retryable()
                });
            item.outcome = outcome;
        }
    }

    let kind = J::KIND;
    let file = pass.input.file_name();
    let command = <J::E as tim_rest::Endpoint>::PATH;
    let mut failures = Vec::new();
    for item in &items {
        match &item.outcome {
            Outcome::Done => KindStats::add(&stats.imported, 1),
            Outcome::Already => KindStats::add(&stats.already, 1),
            Outcome::Failed {
                code,
                code_name,
                reason,
            } => {
                KindStats::add(&stats.failed, 1);
                failures.push(Failure {
                    file: file.clone(),
                    line: item.line,
                    kind: kind.name(),
                    command,
                    code: *code,
                    code_name: code_name.clone(),
                    reason: reason.clone(),
                    text: None,
                    retry_class: code.map(|code| {
                        <J::E as tim_rest::Endpoint>::Error::from_code(code)
                            .retry_class()
                            .as_str()
                    }),
                    attempts: Some(item.attempts),
                    record: serde_json::to_value(item.record()).ok(),
                });
            }
        }
    }
    let lines: Vec<u64> = items.iter().map(|i| i.line).collect();
    settle(ctx, kind, &failures, &lines)
}
