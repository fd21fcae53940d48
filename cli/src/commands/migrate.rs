//! `tim migrate DIR`: resolves the target, runs the migration, prints the summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};

use crate::cli::MigrateArgs;
use crate::migrate::{self, MigrateOptions, MigrateOutcome};
use crate::retry::RetryConfig;
use crate::target::{self, Remote};

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
    let timeout = Duration::from_secs(args.target.timeout.max(1));
    if args.dry_run {
        let outcome = migrate::run(None, &opts).await?;
        print(&opts, &outcome, "dry run: nothing sent");
        return Ok(exit_code(&outcome));
    }
    if args.emulator {
        let sdkappid = args.target.sdkappid.unwrap_or(1_400_000_000);
        let local = target::start_local_emulator(
            sdkappid,
            &args.target.admin,
            args.emulator_fault_rate,
            args.emulator_seed,
            timeout,
        )
        .await?;
        let where_to = format!(
            "the in-process emulator at {} (sdkappid {sdkappid})",
            local.emulator.base_url()
        );
        let outcome = migrate::run(Some(local.client.clone()), &opts).await?;
        print(&opts, &outcome, &where_to);
        let c = local.emulator.counts();
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
        let code = exit_code(&outcome);
        local
            .emulator
            .shutdown()
            .await
            .context("stopping the emulator")?;
        return Ok(code);
    }
    let Some(sdkappid) = args.target.sdkappid else {
        bail!("give --sdkappid (or TIM_SDKAPPID), or use --emulator");
    };
    let remote = Remote {
        region: args.target.region.map(Into::into),
        base_url: args.target.base_url.clone(),
        sdkappid,
        admin: args.target.admin.clone(),
        allow_insecure_http: args.target.allow_insecure_http,
        timeout,
    };
    if remote.region.is_none() && remote.base_url.is_none() {
        bail!("say where to call: --region REGION, --base-url URL, or --emulator");
    }
    let key = target::load_key(args.target.key_file.as_deref())?;
    let client = target::client(&remote, key)?;
    let where_to = format!("{} (sdkappid {sdkappid})", client.base_url());
    let outcome = migrate::run(Some(client), &opts).await?;
    print(&opts, &outcome, &where_to);
    Ok(exit_code(&outcome))
}

/// 0 everything migrated, 1 something in the failures report, 2 stopped early.
fn exit_code(outcome: &MigrateOutcome) -> ExitCode {
    if outcome.aborted.is_some() {
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
