//! `tim migrate DIR`: resolves the target, runs the migration, prints the summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};

use crate::cli::MigrateArgs;
use crate::migrate::{self, MigrateOptions, MigrateOutcome};
use crate::retry::RetryConfig;
use crate::target;

/// Default failures report when neither `--failures` nor `--checkpoint` names one.
pub const DEFAULT_FAILURES: &str = "tim-migrate-failures.jsonl";

/// Runs `tim migrate`.
pub async fn run(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    if !args.dir.is_dir() {
        bail!("{} is not a directory", args.dir.display());
    }
    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    let failures = args
        .failures
        .clone()
        .unwrap_or_else(|| match &args.checkpoint {
            Some(c) => PathBuf::from(format!("{}.failures.jsonl", c.display())),
            None => PathBuf::from(DEFAULT_FAILURES),
        });
    let opts = MigrateOptions {
        dir: args.dir.clone(),
        only: args.only.clone(),
        concurrency: args.concurrency,
        checkpoint: args.checkpoint.clone(),
        failures,
        dry_run: args.dry_run,
        retry: RetryConfig {
            max_attempts: args.max_attempts.max(1),
            max_item_retries: args.max_item_retries,
            ..RetryConfig::default()
        },
        progress: args.progress,
        progress_interval: Duration::from_secs_f64(args.progress_interval.max(0.1)),
    };
    if args.dry_run {
        let outcome = opts.run(None).await?;
        print(&opts, &outcome, "dry run: nothing sent");
        return Ok(exit_code(&outcome));
    }
    let dest = target::destination(
        &args.target,
        args.emulator
            .then_some((args.emulator_fault_rate, args.emulator_seed)),
    )
    .await?;
    let outcome = opts.run(Some(dest.client.clone())).await?;
    print(&opts, &outcome, &dest.where_to);
    if let Some(emulator) = dest.local {
        let c = emulator.counts();
        super::out(&format!(
            "emulator now holds: {} accounts ({} with profile fields), {} friendships, {} blocklist entries, {} groups with {} members and {} messages, {} one-to-one messages\n",
            c.accounts,
            c.profiles,
            c.friendships,
            c.blocklist_entries,
            c.groups,
            c.group_members,
            c.group_messages,
            c.c2c_messages
        ));
        emulator.shutdown().await.context("stopping the emulator")?;
    }
    Ok(exit_code(&outcome))
}

/// 0 everything migrated, 1 something in the failures report, 2 stopped early, 130
/// interrupted.
fn exit_code(outcome: &MigrateOutcome) -> ExitCode {
    if outcome.interrupted {
        ExitCode::from(130)
    } else if outcome.aborted.is_some() {
        ExitCode::from(2)
    } else if outcome.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print(opts: &MigrateOptions, outcome: &MigrateOutcome, where_to: &str) {
    let mut text = format!("tim migrate {} -> {where_to}\n", opts.dir.display());
    text.push_str(&migrate::summary(outcome, opts.dry_run));
    if let Some(reason) = &outcome.aborted {
        text.push_str(&format!("stopped early: {reason}\n"));
    }
    if !outcome.all_ok() && opts.failures.exists() {
        text.push_str(&format!("failures: {}\n", opts.failures.display()));
    }
    super::out(&text);
}
