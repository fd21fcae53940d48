//! `tim import FILE`: resolves the options and the target, runs the import, prints the
//! summary.

use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{bail, Context};

use crate::cli::ImportArgs;
use crate::import::{self, ImportOptions, ImportOutcome};
use crate::input::Format;
use crate::migrate::runner::KindStats;
use crate::progress::summary_table;
use crate::retry::RetryConfig;
use crate::target;

/// Default failures report when neither `--failures` nor `--checkpoint` names one.
pub const DEFAULT_FAILURES: &str = "tim-import-failures.jsonl";

/// Runs `tim import`.
pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let format = match args.format.or_else(|| Format::from_path(&args.file)) {
        Some(f) => f,
        None => bail!(
            "cannot tell the format of {} from its extension: give --format jsonl or --format csv",
            args.file.display()
        ),
    };
    let max_batch = import::friend_batch_max();
    let batch_size = args.batch_size.unwrap_or(max_batch);
    if batch_size == 0 || batch_size > max_batch {
        bail!("--batch-size must be 1 to {max_batch} (the schema's maximum)");
    }
    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    if !(0.0..=1.0).contains(&args.emulator_fault_rate) {
        bail!("--emulator-fault-rate must be within 0 and 1");
    }
    let failures = args
        .failures
        .clone()
        .unwrap_or_else(|| match &args.checkpoint {
            Some(c) => PathBuf::from(format!("{}.failures.jsonl", c.display())),
            None => PathBuf::from(DEFAULT_FAILURES),
        });
    let opts = ImportOptions {
        input: args.file.clone(),
        format,
        import_accounts: args.import_accounts || args.emulator,
        concurrency: args.concurrency,
        friend_rate: args.rate.unwrap_or_else(import::friend_rate_limit).max(1),
        account_rate: args
            .account_rate
            .unwrap_or_else(import::account_rate_limit)
            .max(1),
        batch_size,
        max_buffered_accounts: args.max_buffered_accounts.max(1),
        max_buffered_items: args.max_buffered_items.max(1),
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
        let outcome = import::run(None, &opts).await?;
        print_summary(&opts, &outcome, "dry run: nothing sent");
        return Ok(exit_code(&outcome));
    }

    if args.emulator && args.checkpoint.is_some() {
        eprintln!(
            "note: the in-process emulator starts empty on every run; a resumed run skips \
             batches only the earlier emulator received"
        );
    }
    let dest = target::destination(
        &args.target,
        args.emulator
            .then_some((args.emulator_fault_rate, args.emulator_seed)),
    )
    .await?;
    let outcome = import::run(Some(dest.client.clone()), &opts).await?;
    print_summary(&opts, &outcome, &dest.where_to);
    if let Some(emulator) = dest.local {
        print_emulator_state(&emulator);
        emulator.shutdown().await.context("stopping the emulator")?;
    }
    Ok(exit_code(&outcome))
}

/// 0 all imported, 1 something in the failures report, 2 stopped early, 130 interrupted.
pub fn exit_code(outcome: &ImportOutcome) -> ExitCode {
    if outcome.run.interrupted {
        ExitCode::from(130)
    } else if outcome.run.aborted.is_some() {
        ExitCode::from(2)
    } else if outcome.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The value of a counter.
fn n(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

fn print_summary(opts: &ImportOptions, o: &ImportOutcome, where_to: &str) {
    let f = o.friends();
    let a = o.accounts();
    let secs = o.run.elapsed.as_secs_f64().max(1e-3);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "tim import {} ({}{}) -> {where_to}",
        opts.input.display(),
        opts.format,
        if !f.started.load(Ordering::Relaxed) {
            ""
        } else if f.sorted.load(Ordering::Relaxed) {
            ", sorted by From_Account"
        } else {
            ", unsorted"
        }
    );
    if o.run.resumed {
        let _ = writeln!(
            out,
            "resumed from {}",
            opts.checkpoint
                .as_deref()
                .map(Path::display)
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
    }
    let bad_lines = {
        let mut v = n(&f.bad_lines).to_string();
        if n(&f.skipped_bad) > 0 {
            let _ = write!(v, " (+{} reported by an earlier run)", n(&f.skipped_bad));
        }
        v
    };
    let relations = n(&f.valid);
    let account_requests = a.map_or(0, |a| n(&a.requests));
    let mut rows: Vec<(&str, String)> = vec![("relations read", relations.to_string())];
    if opts.dry_run {
        rows.push(("bad input lines", bad_lines));
        rows.push((
            "friend_import requests",
            format!("{} needed", n(&f.requests)),
        ));
        if let Some(a) = a {
            rows.push(("distinct accounts", n(&a.valid).to_string()));
        }
    } else {
        let imported = n(&f.imported) + n(&f.already);
        rows.push(("imported", imported.to_string()));
        rows.push(("failed", n(&f.failed).to_string()));
        rows.push(("bad input lines", bad_lines));
        rows.push(("skipped (checkpoint)", n(&f.skipped).to_string()));
        if let Some(a) = a {
            let mut v = format!(
                "{} of {} distinct",
                n(&a.imported) + n(&a.already),
                n(&a.valid)
            );
            if n(&a.skipped) > 0 {
                let _ = write!(v, ", {} skipped (checkpoint)", n(&a.skipped));
            }
            if n(&a.failed) > 0 {
                let _ = write!(v, ", {} failed", n(&a.failed));
            }
            rows.push(("accounts imported", v));
        }
        rows.push((
            "requests",
            format!(
                "{} (friend_import {}, multiaccount_import {})",
                n(&f.requests) + account_requests,
                n(&f.requests),
                account_requests
            ),
        ));
        rows.push(("mean reply", mean_replies(f, a)));
        rows.push((
            "retries",
            format!(
                "{} requests, {} relations re-sent",
                n(&f.request_retries) + a.map_or(0, |a| n(&a.request_retries)),
                n(&f.item_retries)
            ),
        ));
    }
    rows.push(("elapsed", format!("{secs:.2} s")));
    if opts.dry_run {
        rows.push(("rate", format!("{:.0} records/s", n(&f.read) as f64 / secs)));
    } else {
        rows.push((
            "rate",
            format!(
                "{:.0} relations/s; friend_import: {} requests in the busiest second (limit {}), {:.1}/s on average",
                n(&f.imported) as f64 / secs,
                n(&f.busiest_second),
                opts.friend_rate,
                n(&f.requests) as f64 / secs
            ),
        ));
    }
    out.push_str(&summary_table(&rows));

    let report = o.failures_path.display();
    if o.failures_written > 0 {
        let _ = writeln!(out, "\nfailures ({}, in {report}):", o.failures_written);
        for line in first_failures(&o.failures_path, o.failures_earlier, 10) {
            let _ = writeln!(out, "  {line}");
        }
        if o.failures_written > 10 {
            let _ = writeln!(out, "  ... {} more", o.failures_written - 10);
        }
    }
    if o.failures_earlier > 0 {
        let _ = writeln!(
            out,
            "{report} also holds {} failures of earlier runs",
            o.failures_earlier
        );
    }
    if let Some(reason) = &o.run.aborted {
        let _ = writeln!(
            out,
            "\nstopped early: {reason}{}",
            if opts.checkpoint.is_some() {
                "; run the same command again to resume"
            } else {
                ""
            }
        );
    } else if opts.dry_run {
        let bad = n(&f.bad_lines) + n(&f.skipped_bad);
        let _ = writeln!(
            out,
            "\nresult: {relations} of {} records valid{}",
            n(&f.read),
            if bad > 0 {
                format!("; {bad} bad lines in {report} (exit status 1)")
            } else {
                String::new()
            }
        );
    } else if o.all_ok() {
        let _ = writeln!(out, "\nresult: every relation imported");
    } else {
        let _ = writeln!(
            out,
            "\nresult: {} relations imported; {} refused or failed, {} bad input lines: \
             see {report} (exit status 1)",
            n(&f.imported) + n(&f.already),
            n(&f.failed),
            n(&f.bad_lines)
        );
    }
    super::out(&out);
}

/// "line N: reason" for the first `n` failures of this run.
fn first_failures(path: &Path, skip: u64, n: usize) -> Vec<String> {
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.is_empty())
        .skip(skip as usize)
        .take(n)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .map(|v| {
            let error = v["error"].as_str().unwrap_or("").to_owned();
            let error = if error.chars().count() > 160 {
                format!("{}…", error.chars().take(160).collect::<String>())
            } else {
                error
            };
            match (v["line"].as_u64(), v["account"].as_str()) {
                (Some(line), _) => format!("line {line}: {error}"),
                (None, Some(account)) => format!("account {account}: {error}"),
                _ => error,
            }
        })
        .collect()
}

fn print_emulator_state(emulator: &tim_rest_emulator::Emulator) {
    let snapshot = emulator.snapshot();
    let stats = emulator.stats();
    let relations: usize = snapshot.friends.values().map(|m| m.len()).sum();
    let max = |path: &str| {
        stats
            .max_per_second
            .get(path)
            .map_or_else(|| "-".to_owned(), |n| n.to_string())
    };
    super::out(&format!(
        "emulator: {} accounts, {relations} relations; {} requests ({} faults injected, {} rate-limited); \
         busiest second: friend_import {}, multiaccount_import {}\n",
        snapshot.accounts.len(),
        stats.requests,
        stats.faults_injected,
        stats.rate_limited,
        max("v4/sns/friend_import"),
        max("v4/im_open_login_svc/multiaccount_import"),
    ));
}

/// The mean time a request waited for its reply, per endpoint. Each second of calls at the
/// limit costs about one reply's time (see `ratelimit`), so this explains the rate.
fn mean_replies(friends: &KindStats, accounts: Option<&KindStats>) -> String {
    let mean = |s: Option<&KindStats>| match s.map_or(0, |s| n(&s.requests)) {
        0 => "-".to_owned(),
        requests => format!(
            "{:.1} ms",
            s.map_or(0, |s| n(&s.reply_micros)) as f64 / requests as f64 / 1000.0
        ),
    };
    format!(
        "friend_import {}, multiaccount_import {}",
        mean(Some(friends)),
        mean(accounts)
    )
}
