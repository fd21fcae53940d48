//! `tim import`: the whole run.
//!
//! 1. Open the checkpoint (if any) and the failures report; count the input's lines for the
//!    progress display.
//! 2. With `--import-accounts`, the account pass (`accounts.rs`).
//! 3. The friend pass: a reader thread parses and validates records, reports bad lines, and
//!    feeds the batcher (`batch.rs`); batches the checkpoint lists are skipped, the others go
//!    through a bounded channel to the dispatcher. The dispatcher runs up to `concurrency`
//!    batches at once, never two of the same `From_Account` (the service's advice against
//!    write conflicts), in input order per account. Every request of every worker waits for
//!    the endpoint's shared rate limiter.
//! 4. Each batch is sent until every item is imported or reported: whole-request failures are
//!    retried by class (`send.rs`); items refused with a retryable code are sent again in a
//!    smaller request, a bounded number of times; the rest go to the failures report. Then the
//!    batch is recorded (`recorder.rs`): failures synced first, then the checkpoint entry.

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use tim_rest::im_open_login_svc::multiaccount_import::MultiaccountImport;
use tim_rest::sns::friend_import::{self, FriendImport};
use tim_rest::{ApiError, Endpoint, RateLimiter, RetryClass};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::abort::Abort;
use crate::accounts::{self, AccountPass};
use crate::batch::{Batch, BatchConfig, Batcher, Entry as BatchEntry};
use crate::checkpoint::{self, Checkpoint, Entry, Header, Progress as Done};
use crate::failures::{CallError, Failure, FailureWriter};
use crate::input::{count_lines, Format, InputReader, Record};
use crate::progress::{Phase, Progress, ProgressMode, Snapshot, Stats};
use crate::recorder::{Recorder, RecorderHandle};
use crate::reply::FriendImportCall;
use crate::retry::{describe_code, RetryConfig};
use crate::send::{Caller, Failed, StatsCounts};

/// The per-item code the service is thought to answer for a friend already in the list (the
/// emulator answers it only when the stored relation differs; an identical one answers 0).
const ALREADY_EXISTS: i64 = 30001;

/// The schema's most items per friend_import request (1000).
pub fn friend_batch_max() -> usize {
    FriendImport::BATCH.map_or(1000, |b| b.max_items)
}

/// The schema's most accounts per multiaccount_import request (100).
pub fn account_batch_max() -> usize {
    MultiaccountImport::BATCH.map_or(100, |b| b.max_items)
}

/// The schema's friend_import rate limit (calls per second).
pub fn friend_rate_limit() -> u32 {
    FriendImport::RATE_LIMIT.map_or(100, |r| r.per_second)
}

/// The schema's multiaccount_import rate limit (calls per second).
pub fn account_rate_limit() -> u32 {
    MultiaccountImport::RATE_LIMIT.map_or(100, |r| r.per_second)
}

/// Everything `tim import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The input file.
    pub input: PathBuf,
    /// Its format.
    pub format: Format,
    /// Import the accounts first.
    pub import_accounts: bool,
    /// Batches (accounts) in flight at once.
    pub concurrency: usize,
    /// friend_import calls per second at most.
    pub friend_rate: u32,
    /// multiaccount_import calls per second at most.
    pub account_rate: u32,
    /// Batching of friends.
    pub batch: BatchConfig,
    /// Accounts per multiaccount_import request.
    pub account_batch_size: usize,
    /// The checkpoint file.
    pub checkpoint: Option<PathBuf>,
    /// The failures report.
    pub failures: PathBuf,
    /// Validate only.
    pub dry_run: bool,
    /// Retry settings.
    pub retry: RetryConfig,
    /// Progress display.
    pub progress: ProgressMode,
    /// Interval of plain progress lines.
    pub progress_interval: Duration,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    /// The final counters.
    pub stats: Snapshot,
    /// Wall time.
    pub elapsed: Duration,
    /// Non-blank lines of the input (CSV header excluded), when counted.
    pub total_records: Option<u64>,
    /// Whether an earlier run's checkpoint was resumed.
    pub resumed: bool,
    /// Whether the input was sorted by `From_Account` (the batcher's fast path); `None` when
    /// the friend pass did not run.
    pub input_sorted: Option<bool>,
    /// The failures report.
    pub failures_path: PathBuf,
    /// Entries this run added to it.
    pub failures_written: u64,
    /// Entries it held from earlier runs.
    pub failures_earlier: u64,
    /// Why the run stopped early, if it did.
    pub aborted: Option<String>,
    /// Whether it stopped on Ctrl-C.
    pub interrupted: bool,
    /// The most friend_import requests started within any one second.
    pub friend_busiest_second: u32,
}

impl ImportOutcome {
    /// Whether everything was imported (or, in a dry run, valid) and nothing is in the report.
    pub fn all_ok(&self) -> bool {
        self.aborted.is_none() && self.failures_written == 0 && self.failures_earlier == 0
    }
}

/// Runs an import. `client` is `None` only for a dry run.
pub async fn run(
    client: Option<tim_rest::Client>,
    opts: &ImportOptions,
) -> anyhow::Result<ImportOutcome> {
    let started = Instant::now();
    let abort = Abort::new();
    let stats = Arc::new(Stats::default());

    // The checkpoint and the report.
    let (checkpoint, done) = match (&opts.checkpoint, opts.dry_run) {
        (Some(path), false) => {
            let (len, hash) = checkpoint::fingerprint(&opts.input)
                .with_context(|| format!("cannot read {}", opts.input.display()))?;
            let header = Header {
                input_len: len,
                input_hash: hash,
                format: opts.format.as_str().to_owned(),
                batch_size: opts.batch.batch_size,
                max_buffered_accounts: opts.batch.max_buffered_accounts,
                max_buffered_items: opts.batch.max_buffered_items,
                account_batch_size: opts.account_batch_size,
            };
            let (c, done) = Checkpoint::open(path, &header)?;
            (Some(c), done)
        }
        _ => (None, Done::default()),
    };
    let resumed = !done.is_empty();
    let failures = FailureWriter::new(&opts.failures, resumed)
        .with_context(|| format!("cannot write {}", opts.failures.display()))?;
    // Fail now on an unreadable input, not in a thread later.
    InputReader::open(&opts.input, opts.format)?;

    // Only the progress display uses the count, and counting reads the whole input once more.
    let total_records = if opts.progress == ProgressMode::Off {
        None
    } else {
        let input = opts.input.clone();
        let header_lines = u64::from(opts.format == Format::Csv);
        tokio::task::spawn_blocking(move || count_lines(&input).ok())
            .await
            .ok()
            .flatten()
            .map(|n| n.saturating_sub(header_lines))
    };
    let progress = Progress::start(
        opts.progress,
        stats.clone(),
        total_records,
        opts.progress_interval,
    );
    let (recorder, handle) = Recorder::start(failures, checkpoint, abort.clone());

    let interrupt = {
        let abort = abort.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                abort.trigger("interrupted");
            }
        })
    };

    let friend_limiter = Arc::new(RateLimiter::new(opts.friend_rate));
    let friend_caller = client.as_ref().map(|client| Caller {
        client: client.clone(),
        limiter: friend_limiter.clone(),
        retry: opts.retry,
        abort: abort.clone(),
        counts: Arc::new(StatsCounts {
            stats: stats.clone(),
            requests: |s| &s.friend_requests,
            reply_micros: |s| &s.friend_reply_micros,
        }),
    });
    let result = async {
        if opts.import_accounts {
            stats.set_phase(Phase::Accounts);
            let caller = client.as_ref().map(|client| Caller {
                client: client.clone(),
                limiter: Arc::new(RateLimiter::new(opts.account_rate)),
                retry: opts.retry,
                abort: abort.clone(),
                counts: Arc::new(StatsCounts {
                    stats: stats.clone(),
                    requests: |s| &s.account_requests,
                    reply_micros: |s| &s.account_reply_micros,
                }),
            });
            let pass = AccountPass {
                input: opts.input.clone(),
                format: opts.format,
                batch_size: opts.account_batch_size,
                concurrency: opts.concurrency,
                done: done.accounts.clone(),
                dry_run: opts.dry_run,
            };
            accounts::run(pass, caller, handle.clone(), stats.clone(), abort.clone()).await?;
        }
        if abort.is_set() {
            return Ok(None);
        }
        stats.set_phase(Phase::Friends);
        friend_pass(
            opts,
            &done,
            friend_caller,
            handle.clone(),
            stats.clone(),
            abort.clone(),
        )
        .await
        .map(Some)
    }
    .await;
    drop(handle);
    interrupt.abort();
    let written = tokio::task::spawn_blocking(move || recorder.finish())
        .await
        .context("the recorder thread failed")?;
    stats.set_phase(Phase::Done);
    progress.finish().await;
    let input_sorted = result?;
    let written = written.with_context(|| {
        format!(
            "cannot write the failures report {} or the checkpoint",
            opts.failures.display()
        )
    })?;
    let reason = abort.reason();
    Ok(ImportOutcome {
        stats: stats.snapshot(),
        elapsed: started.elapsed(),
        total_records,
        resumed,
        input_sorted,
        failures_path: opts.failures.clone(),
        failures_written: written.failures,
        failures_earlier: written.earlier_failures,
        interrupted: reason.as_deref() == Some("interrupted"),
        aborted: reason,
        friend_busiest_second: friend_limiter.busiest_second(),
    })
}

/// The friend pass. Returns whether the input was sorted by `From_Account`.
async fn friend_pass(
    opts: &ImportOptions,
    done: &Done,
    caller: Option<Caller>,
    recorder: RecorderHandle,
    stats: Arc<Stats>,
    abort: Abort,
) -> anyhow::Result<bool> {
    let concurrency = opts.concurrency.max(1);
    let (tx, rx) = mpsc::channel::<Batch>(concurrency * 2);
    let reader = {
        let input = opts.input.clone();
        let format = opts.format;
        let batch = opts.batch;
        let done_batches = done.friends.clone();
        let bad_through = done.bad_lines_through;
        let dry_run = opts.dry_run || caller.is_none();
        let recorder = recorder.clone();
        let stats = stats.clone();
        let abort = abort.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<bool> {
            let mut reader = InputReader::open(&input, format)?;
            let mut batcher = Batcher::new(batch);
            let mut out = Vec::new();
            let send = |batch: Batch| -> bool {
                if done_batches.contains(batch.id) {
                    Stats::add(&stats.skipped, batch.items.len() as u64);
                    true
                } else if dry_run {
                    Stats::add(&stats.batches, 1);
                    true
                } else {
                    tx.blocking_send(batch).is_ok()
                }
            };
            let mut stopped = false;
            while let Some(record) = reader.next_record().context("cannot read the input")? {
                Stats::add(&stats.records, 1);
                match record {
                    Record::Bad(bad) if bad.line <= bad_through => {
                        Stats::add(&stats.bad_lines_skipped, 1);
                    }
                    Record::Bad(bad) => {
                        Stats::add(&stats.bad_lines, 1);
                        if recorder.bad_line_blocking(bad).is_err() {
                            stopped = true;
                        }
                    }
                    Record::Relation(r) => {
                        Stats::add(&stats.relations, 1);
                        batcher.push(
                            &r.from,
                            BatchEntry {
                                line: r.line,
                                item: r.item,
                            },
                            &mut out,
                        );
                    }
                }
                for batch in out.drain(..) {
                    stopped |= !send(batch);
                }
                if stopped || abort.is_set() {
                    return Ok(batcher.input_sorted());
                }
            }
            batcher.finish(&mut out);
            for batch in out.drain(..) {
                if !send(batch) {
                    break;
                }
            }
            Ok(batcher.input_sorted())
        })
    };
    if let Some(caller) = caller {
        dispatch(rx, concurrency, caller, stats, recorder, opts.retry).await;
    } else {
        drop(rx);
    }
    match reader.await {
        Ok(result) => result,
        Err(e) => Err(anyhow::anyhow!("the input reader failed: {e}")),
    }
}

/// Runs batches: at most `concurrency` at once, one per `From_Account` at a time, in order
/// per account.
async fn dispatch(
    mut rx: mpsc::Receiver<Batch>,
    concurrency: usize,
    caller: Caller,
    stats: Arc<Stats>,
    recorder: RecorderHandle,
    retry: RetryConfig,
) {
    let max_pending = concurrency * 4 + 16;
    let mut pending: VecDeque<Batch> = VecDeque::new();
    let mut busy: HashSet<String> = HashSet::new();
    let mut workers: JoinSet<String> = JoinSet::new();
    let mut input_done = false;
    let abort = caller.abort.clone();
    loop {
        if abort.is_set() && !input_done {
            // Stop taking batches; the reader sees the channel closed and stops.
            rx.close();
            pending.clear();
            input_done = true;
        }
        while workers.len() < concurrency {
            let Some(i) = pending.iter().position(|b| !busy.contains(&b.from)) else {
                break;
            };
            let batch = pending.remove(i).expect("index from position");
            busy.insert(batch.from.clone());
            let caller = caller.clone();
            let stats = stats.clone();
            let recorder = recorder.clone();
            workers.spawn(async move {
                let from = batch.from.clone();
                run_batch(&caller, &stats, &recorder, batch, retry).await;
                from
            });
        }
        if input_done && pending.is_empty() && workers.is_empty() {
            break;
        }
        tokio::select! {
            batch = rx.recv(), if !input_done && pending.len() < max_pending => match batch {
                Some(batch) => pending.push_back(batch),
                None => input_done = true,
            },
            finished = workers.join_next(), if !workers.is_empty() => {
                if let Some(Ok(from)) = finished {
                    busy.remove(&from);
                } else if let Some(Err(e)) = finished {
                    abort.trigger(format!("a worker failed: {e}"));
                }
            },
            _ = abort.wait(), if !input_done => {},
        }
    }
}

/// Sends one batch until every item is imported or reported, then records it.
async fn run_batch(
    caller: &Caller,
    stats: &Stats,
    recorder: &RecorderHandle,
    batch: Batch,
    retry: RetryConfig,
) {
    let Batch {
        id,
        from,
        mut lines,
        items: mut pending,
    } = batch;
    let mut tries: Vec<u32> = vec![0; pending.len()];
    let mut failures = Vec::new();
    let mut round = 0u32;
    while !pending.is_empty() {
        round += 1;
        let request = friend_import::Request::new(from.as_str(), std::mem::take(&mut pending));
        let result = caller.call::<FriendImportCall>(&request).await;
        let sent = request.add_friend_item;
        let sent_lines = std::mem::take(&mut lines);
        let sent_tries = std::mem::take(&mut tries);
        let mut slow = RetryClass::Transient;
        match result {
            Err(Failed::Aborted) => return,
            Err(Failed::GaveUp { error, attempts }) => {
                Stats::add(&stats.failed, sent.len() as u64);
                for ((item, line), t) in sent.iter().zip(&sent_lines).zip(&sent_tries) {
                    failures.push(Failure::relation(*line, &from, item, &error, t + attempts));
                }
                break;
            }
            Ok(called) => {
                let reply = called.response;
                let results = reply.in_order_of(&sent, |item| item.to_account.as_str());
                // The items are only looked at here: the few to send again are moved out
                // afterwards, instead of moving every item (about 200 bytes) out of the list.
                let mut again: Vec<(usize, u32)> = Vec::new();
                let mut imported = 0u64;
                for (i, result) in results.into_iter().enumerate() {
                    let (item, line, t) = (&sent[i], sent_lines[i], sent_tries[i]);
                    let attempts = t + 1;
                    let refusal = match result {
                        Some(r) if r.result_code == 0 => {
                            imported += 1;
                            continue;
                        }
                        Some(r) => {
                            let class =
                                friend_import::Error::from_code(r.result_code).retry_class();
                            let mut error = describe_code::<friend_import::Error>(
                                r.result_code,
                                &r.result_info,
                            );
                            if r.result_code == ALREADY_EXISTS && called.maybe_applied_before {
                                error.message.push_str(
                                    "; an earlier attempt of this request got no proper reply \
                                     and may have imported it",
                                );
                            }
                            (error, class)
                        }
                        None => (
                            CallError {
                                message: "the reply has no result for this relation".into(),
                                code: None,
                                class: Some("transient"),
                            },
                            RetryClass::Transient,
                        ),
                    };
                    let (error, class) = refusal;
                    if class.is_retryable() && t < retry.max_item_retries {
                        if matches!(class, RetryClass::Throttling | RetryClass::Conflict) {
                            slow = class;
                        }
                        again.push((i, attempts));
                    } else {
                        Stats::add(&stats.failed, 1);
                        failures.push(Failure::relation(line, &from, item, &error, attempts));
                    }
                }
                // One shared counter update per reply, not one per item.
                Stats::add(&stats.imported, imported);
                if !again.is_empty() {
                    let mut next = again.iter().peekable();
                    for (i, item) in sent.into_iter().enumerate() {
                        if let Some(&(_, attempts)) = next.next_if(|(j, _)| *j == i) {
                            pending.push(item);
                            lines.push(sent_lines[i]);
                            tries.push(attempts);
                        }
                    }
                }
            }
        }
        if !pending.is_empty() {
            Stats::add(&stats.item_retries, pending.len() as u64);
            if !caller.sleep(retry.backoff(slow, round)).await {
                return;
            }
        }
    }
    if recorder
        .done(Some(Entry::friend(id)), failures)
        .await
        .is_err()
    {
        caller
            .abort
            .trigger("the failures report and checkpoint writer stopped");
        return;
    }
    Stats::add(&stats.batches, 1);
}
