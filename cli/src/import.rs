//! `tim import`: friend relations from one JSONL or CSV file, the `friends` kind of the
//! migration engine (`crate::migrate`), with `--import-accounts` the `accounts` kind read from
//! the same file (the accounts its relations name, `crate::accounts`) in the stage before.
//!
//! The engine does the work: a reader thread reads and checks each relation, reports bad
//! lines, batches per `From_Account` (`migrate::batcher`); the dispatcher runs up to
//! `concurrency` batches at once, never two of the same account, each request within the
//! endpoint's rate limit and through the client's retry loop; relations refused with a
//! retryable code are sent again in a smaller request; every settled line goes to the failures
//! report (when refused) and then to the checkpoint. What is `tim import`'s own is here: its
//! options, the report's shape (`crate::failures`), and the checkpoint pinned to the input.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use tim_rest::im_open_login_svc::multiaccount_import::MultiaccountImport;
use tim_rest::sns::friend_import::FriendImport;
use tim_rest::Endpoint;

use crate::checkpoint::Header;
use crate::failures::FailureWriter;
use crate::input::Format;
use crate::migrate::feed::Limits;
use crate::migrate::kind::Kind;
use crate::migrate::ledger::Ledger;
use crate::migrate::runner::{KindStats, Pass};
use crate::migrate::source::Input;
use crate::migrate::{self, MigrateOutcome, Plan};
use crate::progress::ProgressMode;
use crate::retry::RetryConfig;

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
    /// Relations per friend_import request.
    pub batch_size: usize,
    /// Accounts with a buffer at once, in unsorted input.
    pub max_buffered_accounts: usize,
    /// Relations buffered at once.
    pub max_buffered_items: usize,
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

impl ImportOptions {
    /// The engine's run: the accounts pass (when asked), then the friends pass.
    fn plan(&self, input: Option<Header>) -> Plan {
        let relations = match self.format {
            Format::Jsonl => Input::Jsonl(self.input.clone()),
            Format::Csv => Input::Csv(self.input.clone()),
        };
        let mut passes = Vec::new();
        if self.import_accounts {
            passes.push(Pass {
                kind: Kind::Accounts,
                input: Input::AccountsOf(self.input.clone(), self.format),
                batch_size: account_batch_max(),
                per_second: self.account_rate,
            });
        }
        passes.push(Pass {
            kind: Kind::Friends,
            input: relations,
            batch_size: self.batch_size,
            per_second: self.friend_rate,
        });
        Plan {
            passes,
            concurrency: self.concurrency,
            checkpoint: self.checkpoint.clone(),
            input,
            dry_run: self.dry_run,
            retry: self.retry,
            progress: self.progress,
            progress_interval: self.progress_interval,
            limits: Limits {
                max_keys: self.max_buffered_accounts,
                max_records: self.max_buffered_items,
                ..Limits::default()
            },
        }
    }
}

/// What a run did.
#[derive(Debug)]
pub struct ImportOutcome {
    /// The engine's outcome: the counters of the accounts and friends passes.
    pub run: MigrateOutcome,
    /// The failures report.
    pub failures_path: PathBuf,
    /// Entries this run added to it.
    pub failures_written: u64,
    /// Entries it held from earlier runs.
    pub failures_earlier: u64,
}

impl ImportOutcome {
    /// Whether everything was imported (or, in a dry run, valid) and nothing is in the report.
    pub fn all_ok(&self) -> bool {
        self.run.aborted.is_none() && self.failures_written == 0 && self.failures_earlier == 0
    }

    /// The friends pass's counters.
    pub fn friends(&self) -> &KindStats {
        self.run
            .kind(Kind::Friends)
            .expect("an import always has a friends pass")
    }

    /// The accounts pass's counters, with `--import-accounts`.
    pub fn accounts(&self) -> Option<&KindStats> {
        self.run.kind(Kind::Accounts)
    }
}

/// Runs an import. `client` is `None` only for a dry run.
pub async fn run(
    client: Option<tim_rest::Client>,
    opts: &ImportOptions,
) -> anyhow::Result<ImportOutcome> {
    // Fail now on an unreadable input, not in a thread later.
    std::fs::File::open(&opts.input)
        .with_context(|| format!("cannot open {}", opts.input.display()))?;
    let (input, resumed) = match (&opts.checkpoint, opts.dry_run) {
        (Some(path), false) => {
            let header = Header::of(&opts.input, opts.format.as_str())
                .with_context(|| format!("cannot read {}", opts.input.display()))?;
            // Checked (and the question answered) before the report is touched: a checkpoint
            // of another input must not cost the report its entries.
            let resumed = Ledger::open(path, Some(&header))?.is_resumed();
            (Some(header), resumed)
        }
        _ => (None, false),
    };
    let report = Arc::new(Mutex::new(
        FailureWriter::new(&opts.failures, resumed)
            .with_context(|| format!("cannot write {}", opts.failures.display()))?,
    ));
    let run = migrate::run(client, &opts.plan(input), Box::new(report.clone())).await?;
    let report = report.lock().unwrap_or_else(|e| e.into_inner());
    Ok(ImportOutcome {
        run,
        failures_path: opts.failures.clone(),
        failures_written: report.written(),
        failures_earlier: report.earlier(),
    })
}
