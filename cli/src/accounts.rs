//! The account pass of `tim import --import-accounts`: one streaming read of the input that
//! imports every distinct account (`From_Account` and `To_Account` of the valid relations)
//! with multiaccount_import, in batches of the schema's maximum, before any friend is sent.
//!
//! Memory: the accounts already seen are kept as 64-bit hashes (8 bytes each plus the table's
//! overhead; about 100 MB for 10 million distinct accounts), the account names only while
//! their batch is being filled or sent. Two accounts whose hashes collide (odds around 1 in
//! 10^7 for 10 million accounts) would leave the second unimported; its relations would then
//! be refused with 30003 and land in the failures report, never silently lost.
//!
//! Account batches are numbered in the order the input first names their accounts, so the
//! checkpoint can record them (`A <id>`) like friend batches.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use tim_rest::im_open_login_svc::multiaccount_import::{self, AccountItem, MultiaccountImport};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::abort::Abort;
use crate::checkpoint::Entry;
use crate::failures::{CallError, Failure};
use crate::hash::{account_hash, HashSet64};
use crate::input::{Format, InputReader, Record};
use crate::progress::Stats;
use crate::rangeset::RangeSet;
use crate::recorder::RecorderHandle;
use crate::send::{Caller, Failed};

/// A multiaccount_import request to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountBatch {
    /// Position in the sequence of account batches (from 0).
    pub id: u64,
    /// The accounts, in the order the input first names them.
    pub accounts: Vec<String>,
}

/// Collects distinct accounts into batches.
pub struct AccountBatcher {
    seen: HashSet64,
    current: Vec<String>,
    batch_size: usize,
    next_id: u64,
}

impl AccountBatcher {
    /// Batches of at most `batch_size` accounts.
    pub fn new(batch_size: usize) -> Self {
        AccountBatcher {
            seen: HashSet64::default(),
            current: Vec::new(),
            batch_size: batch_size.max(1),
            next_id: 0,
        }
    }

    /// Distinct accounts seen.
    pub fn distinct(&self) -> usize {
        self.seen.len()
    }

    /// Notes `account`; returns a full batch when it completes one.
    pub fn push(&mut self, account: &str) -> Option<AccountBatch> {
        if !self.seen.insert(account_hash(account)) {
            return None;
        }
        self.current.push(account.to_owned());
        (self.current.len() >= self.batch_size).then(|| self.take())
    }

    /// The last, partial batch, if any.
    pub fn finish(&mut self) -> Option<AccountBatch> {
        (!self.current.is_empty()).then(|| self.take())
    }

    fn take(&mut self) -> AccountBatch {
        let id = self.next_id;
        self.next_id += 1;
        AccountBatch {
            id,
            accounts: std::mem::take(&mut self.current),
        }
    }
}

/// Settings of the account pass.
pub struct AccountPass {
    /// The input.
    pub input: PathBuf,
    /// Its format.
    pub format: Format,
    /// Accounts per request.
    pub batch_size: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Account batches finished by earlier runs.
    pub done: RangeSet,
    /// Count accounts only; send nothing.
    pub dry_run: bool,
}

/// Runs the account pass. `caller` is `None` in a dry run.
pub async fn run(
    pass: AccountPass,
    caller: Option<Caller>,
    recorder: RecorderHandle,
    stats: Arc<Stats>,
    abort: Abort,
) -> anyhow::Result<()> {
    let concurrency = pass.concurrency.max(1);
    let (tx, mut rx) = mpsc::channel::<AccountBatch>(concurrency * 2);
    let reader = {
        let stats = stats.clone();
        let abort = abort.clone();
        let dry_run = pass.dry_run || caller.is_none();
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut input = InputReader::open(&pass.input, pass.format)?;
            let mut batcher = AccountBatcher::new(pass.batch_size);
            let emit = |batch: AccountBatch| -> bool {
                if pass.done.contains(batch.id) {
                    Stats::add(&stats.accounts_skipped, batch.accounts.len() as u64);
                    true
                } else if dry_run {
                    true
                } else {
                    tx.blocking_send(batch).is_ok()
                }
            };
            while let Some(record) = input.next_record()? {
                Stats::add(&stats.account_scan_lines, 1);
                if let Record::Relation(r) = record {
                    for account in [r.from.as_str(), r.item.to_account.as_str()] {
                        if let Some(batch) = batcher.push(account) {
                            Stats::add(&stats.accounts_seen, batch.accounts.len() as u64);
                            if !emit(batch) {
                                return Ok(());
                            }
                        }
                    }
                }
                if abort.is_set() {
                    return Ok(());
                }
            }
            if let Some(batch) = batcher.finish() {
                Stats::add(&stats.accounts_seen, batch.accounts.len() as u64);
                emit(batch);
            }
            Ok(())
        })
    };

    let mut workers = JoinSet::new();
    if let Some(caller) = caller {
        loop {
            if abort.is_set() {
                rx.close();
                break;
            }
            while workers.len() >= concurrency {
                let _ = workers.join_next().await;
            }
            let batch = tokio::select! {
                batch = rx.recv() => batch,
                _ = abort.wait() => None,
            };
            let Some(batch) = batch else { break };
            let caller = caller.clone();
            let recorder = recorder.clone();
            let stats = stats.clone();
            workers.spawn(async move { import_batch(&caller, &stats, &recorder, batch).await });
        }
    }
    drop(rx);
    while workers.join_next().await.is_some() {}
    match reader.await {
        Ok(result) => result,
        Err(e) => Err(anyhow::anyhow!("the account reader failed: {e}")),
    }
}

/// Imports one batch, re-sending the accounts the reply lists in `FailAccounts` a bounded
/// number of times, and records it.
async fn import_batch(
    caller: &Caller,
    stats: &Stats,
    recorder: &RecorderHandle,
    batch: AccountBatch,
) {
    let mut pending = batch.accounts;
    let mut failures = Vec::new();
    let mut round = 0u32;
    loop {
        round += 1;
        let request = multiaccount_import::Request::new()
            .account_list(pending.iter().map(|a| AccountItem::new(a.as_str())));
        match caller.call::<MultiaccountImport>(&request).await {
            Err(Failed::Aborted) => return,
            Err(Failed::GaveUp { error, attempts }) => {
                Stats::add(&stats.accounts_failed, pending.len() as u64);
                failures.extend(
                    pending
                        .iter()
                        .map(|a| Failure::account(a, &error, attempts)),
                );
                break;
            }
            Ok(called) => {
                let response = called.response;
                let failed: HashSet<&str> =
                    response.fail_accounts.iter().map(String::as_str).collect();
                let (still, ok): (Vec<String>, Vec<String>) = pending
                    .into_iter()
                    .partition(|a| failed.contains(a.as_str()));
                Stats::add(&stats.accounts_imported, ok.len() as u64);
                pending = still;
            }
        }
        if pending.is_empty() {
            break;
        }
        if round > caller.retry.max_item_retries {
            let error = CallError {
                message: format!("listed in FailAccounts by {round} multiaccount_import replies"),
                code: None,
                class: None,
            };
            Stats::add(&stats.accounts_failed, pending.len() as u64);
            failures.extend(pending.iter().map(|a| Failure::account(a, &error, round)));
            break;
        }
        Stats::add(&stats.item_retries, pending.len() as u64);
        let delay = caller.retry.backoff(tim_rest::RetryClass::Transient, round);
        if !caller.sleep(delay).await {
            return;
        }
    }
    if recorder
        .done(Some(Entry::account(batch.id)), failures)
        .await
        .is_err()
    {
        caller
            .abort
            .trigger("the failures report and checkpoint writer stopped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_accounts_in_order_of_first_mention() {
        let mut b = AccountBatcher::new(3);
        let mut out = Vec::new();
        for a in ["a", "b", "a", "c", "b", "d", "e", "a", "f", "g"] {
            out.extend(b.push(a));
        }
        out.extend(b.finish());
        assert_eq!(
            out,
            vec![
                AccountBatch {
                    id: 0,
                    accounts: vec!["a".into(), "b".into(), "c".into()]
                },
                AccountBatch {
                    id: 1,
                    accounts: vec!["d".into(), "e".into(), "f".into()]
                },
                AccountBatch {
                    id: 2,
                    accounts: vec!["g".into()]
                },
            ]
        );
        assert_eq!(b.distinct(), 7);
        assert_eq!(b.finish(), None);
    }
}
