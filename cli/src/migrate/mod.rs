//! `tim migrate DIR`: moves a whole IM system into Tencent IM, one JSONL file per kind of
//! record, in the documented order (migration guide, cloud doc 269/36363).
//!
//! - [`kind`]: the kinds, their files and their stages;
//! - [`source`]: reading a file through the generated types; [`feed`]: batches in bounded
//!   memory (sorting group messages with a spill to disk);
//! - [`job`], [`jobs`]: what each kind sends and how a reply settles each record;
//! - [`runner`]: one kind's pass (batching per account or group, rate limit, retries through
//!   [`crate::send::Caller`], verification of refusals that may be records already there);
//! - [`ledger`], [`report`]: the checkpoint and the failures report.
//!
//! Stages run one after the other; the kinds of one stage run at the same time, each within
//! its command's rate limit.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

pub mod batcher;
pub mod display;
pub mod feed;
pub mod item;
pub mod job;
pub mod jobs;
pub mod keyed;
pub mod kind;
pub mod ledger;
pub mod report;
pub mod runner;
pub mod source;

use crate::abort::Abort;
use crate::checkpoint::Header;
use crate::progress::ProgressMode;
use crate::retry::RetryConfig;
use feed::Limits;
use kind::Kind;
use ledger::Ledger;
use report::FailureSink;
use runner::{Ctx, KindStats, Pass};
use source::Input;

/// Everything `tim migrate` was asked to do.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// The migration directory.
    pub dir: PathBuf,
    /// The kinds to migrate (all when empty).
    pub only: Vec<Kind>,
    /// Keys in flight at once, per kind.
    pub concurrency: usize,
    /// The checkpoint file, if any.
    pub checkpoint: Option<PathBuf>,
    /// The failures report.
    pub failures: PathBuf,
    /// Read and check everything; send nothing.
    pub dry_run: bool,
    /// Retry settings.
    pub retry: RetryConfig,
    /// How to show progress on stderr.
    pub progress: ProgressMode,
    /// Seconds between plain progress lines.
    pub progress_interval: Duration,
}

impl MigrateOptions {
    /// The run: a pass per kind whose file is in the directory (or that `--only` names), at
    /// its command's own batch and rate limits.
    pub fn plan(&self) -> Plan {
        let passes = Kind::ALL
            .into_iter()
            .filter(|k| self.only.is_empty() || self.only.contains(k))
            .filter(|k| self.dir.join(k.file()).exists() || self.only.contains(k))
            .map(|kind| Pass {
                kind,
                input: Input::Jsonl(self.dir.join(kind.file())),
                batch_size: jobs::command(kind).batch_max,
                per_second: jobs::command(kind).per_second,
            })
            .collect();
        Plan {
            passes,
            concurrency: self.concurrency,
            checkpoint: self.checkpoint.clone(),
            input: None,
            dry_run: self.dry_run,
            retry: self.retry,
            progress: self.progress,
            progress_interval: self.progress_interval,
            limits: Limits::default(),
        }
    }

    /// Runs the migration with `client` (`None`: a dry run), its failures in `--failures`.
    pub async fn run(&self, client: Option<tim_rest::Client>) -> anyhow::Result<MigrateOutcome> {
        run(
            client,
            &self.plan(),
            Box::new(report::Report::new(&self.failures)),
        )
        .await
    }
}

/// A run of the engine: which kinds it moves from where, and how.
#[derive(Debug, Clone)]
pub struct Plan {
    /// One pass per kind; a stage starts when every pass of the stages before it is done.
    pub passes: Vec<Pass>,
    /// Keys in flight at once, per kind.
    pub concurrency: usize,
    /// The checkpoint file, if any.
    pub checkpoint: Option<PathBuf>,
    /// The input the checkpoint must belong to, when the run reads a single file.
    pub input: Option<Header>,
    /// Read and check everything; send nothing.
    pub dry_run: bool,
    /// Retry settings.
    pub retry: RetryConfig,
    /// How to show progress on stderr.
    pub progress: ProgressMode,
    /// Seconds between plain progress lines.
    pub progress_interval: Duration,
    /// The batcher's memory bounds.
    pub limits: Limits,
}

/// How a run went, per kind.
#[derive(Debug)]
pub struct MigrateOutcome {
    /// Counters of every kind that had a file or was asked for.
    pub kinds: BTreeMap<Kind, Arc<KindStats>>,
    /// Why the run stopped early, if it did.
    pub aborted: Option<String>,
    /// Whether it stopped on Ctrl-C.
    pub interrupted: bool,
    /// Whether an earlier run's checkpoint was resumed.
    pub resumed: bool,
    /// Wall time.
    pub elapsed: Duration,
}

impl MigrateOutcome {
    /// Whether every record was imported or found there, and no line was bad.
    pub fn all_ok(&self) -> bool {
        self.aborted.is_none()
            && self.kinds.values().all(|s| {
                s.failed.load(Ordering::Relaxed) == 0 && s.bad_lines.load(Ordering::Relaxed) == 0
            })
    }

    /// The counters of `kind`, when it had a pass.
    pub fn kind(&self, kind: Kind) -> Option<&KindStats> {
        self.kinds.get(&kind).map(|s| &**s)
    }
}

/// Runs `plan` with `client` (`None`: a dry run); failures go to `report`.
pub async fn run(
    client: Option<tim_rest::Client>,
    plan: &Plan,
    report: Box<dyn FailureSink>,
) -> anyhow::Result<MigrateOutcome> {
    let started = Instant::now();
    let ledger = match (&plan.checkpoint, plan.dry_run) {
        (Some(path), false) => Ledger::open(path, plan.input.as_ref())?,
        _ => Ledger::none(),
    };
    let resumed = ledger.is_resumed();
    let ctx = Arc::new(Ctx {
        client: if plan.dry_run { None } else { client },
        ledger,
        report,
        limits: plan.limits,
        count_lines: !plan.dry_run && plan.progress != ProgressMode::Off,
        abort: Abort::new(),
        retry: plan.retry,
        concurrency: plan.concurrency,
    });
    let kinds: BTreeMap<Kind, Arc<KindStats>> = plan
        .passes
        .iter()
        .map(|p| (p.kind, Arc::new(KindStats::default())))
        .collect();
    let stages: std::collections::BTreeSet<u8> =
        plan.passes.iter().map(|p| p.kind.stage()).collect();
    let display = display::Display::start(
        if plan.dry_run {
            ProgressMode::Off
        } else {
            plan.progress
        },
        kinds.clone(),
        plan.passes.iter().map(|p| (p.kind, p.per_second)).collect(),
        plan.progress_interval,
    );
    let interrupt = {
        let abort = ctx.abort.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                abort.trigger(INTERRUPTED);
            }
        })
    };
    let mut result = Ok(());
    for stage in stages {
        let mut passes = tokio::task::JoinSet::new();
        for pass in plan.passes.iter().filter(|p| p.kind.stage() == stage) {
            let (ctx, stats) = (ctx.clone(), kinds[&pass.kind].clone());
            passes.spawn(run_pass(pass.clone(), ctx, stats));
        }
        while let Some(done) = passes.join_next().await {
            if let Err(e) = done.context("a pass panicked").and_then(|r| r) {
                ctx.abort.trigger(format!("{e:#}"));
                result = Err(e);
            }
        }
        if ctx.abort.is_set() {
            break;
        }
    }
    interrupt.abort();
    display.finish().await;
    result?;
    let aborted = ctx.abort.reason();
    Ok(MigrateOutcome {
        kinds,
        interrupted: aborted.as_deref() == Some(INTERRUPTED),
        aborted,
        resumed,
        elapsed: started.elapsed(),
    })
}

/// Why a run stopped on Ctrl-C.
const INTERRUPTED: &str = "interrupted";

async fn run_pass(pass: Pass, ctx: Arc<Ctx>, stats: Arc<KindStats>) -> anyhow::Result<()> {
    use jobs::*;
    match pass.kind {
        Kind::Accounts => runner::run::<Accounts>(ctx, pass, stats).await,
        Kind::Profiles => runner::run::<Profiles>(ctx, pass, stats).await,
        Kind::Friends => runner::run::<Friends>(ctx, pass, stats).await,
        Kind::Blocklists => runner::run::<Blocklists>(ctx, pass, stats).await,
        Kind::Groups => runner::run::<Groups>(ctx, pass, stats).await,
        Kind::GroupMembers => runner::run::<GroupMembers>(ctx, pass, stats).await,
        Kind::GroupMessages => runner::run::<GroupMessages>(ctx, pass, stats).await,
        Kind::GroupUnread => runner::run::<GroupUnread>(ctx, pass, stats).await,
        Kind::C2cMessages => runner::run::<C2cMessages>(ctx, pass, stats).await,
        Kind::C2cRead => runner::run::<C2cRead>(ctx, pass, stats).await,
    }
}

/// The summary: one row per kind.
pub fn summary(outcome: &MigrateOutcome, dry_run: bool) -> String {
    let mut out = String::new();
    let header: &[&str] = if dry_run {
        &["kind", "read", "bad lines", "skipped", "requests needed"]
    } else {
        &[
            "kind",
            "read",
            "imported",
            "already there",
            "failed",
            "bad lines",
            "requests",
            "busiest second",
            "mean reply",
        ]
    };
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| (*h).to_owned()).collect()];
    for (kind, s) in &outcome.kinds {
        let n = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed).to_string();
        let requests = s.requests.load(Ordering::Relaxed);
        rows.push(if dry_run {
            vec![
                kind.name().to_owned(),
                n(&s.read),
                n(&s.bad_lines),
                n(&s.skipped),
                requests.to_string(),
            ]
        } else {
            let mean = if requests == 0 {
                "-".to_owned()
            } else {
                format!(
                    "{:.1} ms",
                    s.reply_micros.load(Ordering::Relaxed) as f64 / requests as f64 / 1000.0
                )
            };
            vec![
                kind.name().to_owned(),
                n(&s.read),
                n(&s.imported),
                n(&s.already),
                n(&s.failed),
                n(&s.bad_lines),
                requests.to_string(),
                format!("{} of {}", n(&s.busiest_second), n(&s.per_second)),
                mean,
            ]
        });
    }
    let columns = header.len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let mut line = String::from(" ");
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                let _ = write!(line, " {cell}{}", " ".repeat(pad));
            } else {
                let _ = write!(line, "  {}{cell}", " ".repeat(pad));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let elapsed = outcome.elapsed.as_secs_f64();
    let ceiling = ceiling(outcome).as_secs_f64();
    if dry_run || ceiling == 0.0 {
        let _ = writeln!(out, "  ({elapsed:.1} s)");
    } else {
        let _ = writeln!(
            out,
            "  {elapsed:.1} s; these requests take {ceiling:.1} s at the documented rates ({:.2}x)",
            elapsed / ceiling
        );
    }
    out
}

/// How long the run's requests take at the commands' documented rates, sent evenly: the
/// stages one after the other, each as long as its slowest kind. Not a hard floor: a limit of
/// N in any second lets a stage send its first N at once, so a short run can beat it by up to
/// a second per stage (the bundled sample does).
pub fn ceiling(outcome: &MigrateOutcome) -> Duration {
    let mut stages: BTreeMap<u8, f64> = BTreeMap::new();
    for (kind, stats) in &outcome.kinds {
        let requests = stats.requests.load(Ordering::Relaxed) as f64;
        let seconds = requests / (stats.per_second.load(Ordering::Relaxed).max(1) as f64);
        let slowest = stages.entry(kind.stage()).or_default();
        *slowest = slowest.max(seconds);
    }
    Duration::from_secs_f64(stages.values().sum())
}
