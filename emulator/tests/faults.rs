//! Fault injection: deterministic for a seed, never a partial write; write conflicts.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use support::{client, emulator, ids};
use tim_rest::im_open_login_svc::multiaccount_import::{self, AccountItem};
use tim_rest::sns::friend_import::{self, AddFriendItem};
use tim_rest::{Client, Error};
use tim_rest_emulator::{EmulatorConfig, StateSnapshot};

/// How one call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Http(u16),
    Code(i64),
    Dropped,
}

fn outcome<T, E: tim_rest::ApiError>(result: Result<T, Error<E>>) -> Outcome {
    match result {
        Ok(_) => Outcome::Ok,
        Err(Error::HttpStatus {
            status,
            body_snippet,
        }) => {
            assert!(body_snippet.contains("502 Bad Gateway"), "{body_snippet}");
            Outcome::Http(status)
        }
        Err(Error::Api { error, .. }) => Outcome::Code(error.code()),
        Err(Error::Transport(_)) => Outcome::Dropped,
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

/// Imports the accounts (retrying faults: a faulted call changes nothing), then makes 40
/// friend_import calls of 3 friends each; returns every outcome and the final state.
async fn run(seed: u64) -> (Vec<Outcome>, Vec<Outcome>, StateSnapshot, u64) {
    let em = emulator(EmulatorConfig {
        fault_rate: 0.5,
        seed,
        ..EmulatorConfig::default()
    })
    .await;
    let client = client(&em);
    let friends = ids("f", 120);
    let mut setup = Vec::new();
    let mut accounts: Vec<String> = friends.clone();
    accounts.push("owner".into());
    for chunk in accounts.chunks(100) {
        let req =
            multiaccount_import::Request::new().account_list(chunk.iter().map(AccountItem::new));
        loop {
            let result = outcome(client.multiaccount_import(&req).await);
            let done = result == Outcome::Ok;
            setup.push(result);
            if done {
                break;
            }
        }
    }
    let mut calls = Vec::new();
    let mut imported = BTreeSet::new();
    for (i, trio) in friends.chunks(3).enumerate() {
        let req = friend_import::Request::new(
            "owner",
            trio.iter()
                .map(|f| AddFriendItem::new(f, "AddSource_Type_Test").remark(format!("call {i}"))),
        );
        let result = outcome(client.friend_import(&req).await);
        if result == Outcome::Ok {
            imported.extend(trio.iter().cloned());
        }
        calls.push(result);
    }
    let snapshot = em.snapshot();
    // Never partial: exactly the friends of the calls that succeeded are there.
    let stored: BTreeSet<String> = snapshot
        .friends
        .get("owner")
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(stored, imported, "seed {seed}");
    let faults = em.stats().faults_injected;
    em.shutdown().await.unwrap();
    (setup, calls, snapshot, faults)
}

fn without_times(mut snapshot: StateSnapshot) -> StateSnapshot {
    for list in snapshot.friends.values_mut() {
        for record in list.values_mut() {
            record.add_time = 0;
        }
    }
    snapshot
}

#[tokio::test]
async fn faults_follow_the_seed_and_never_apply_a_write_in_part() {
    let (setup, calls, snapshot, faults) = run(7).await;
    let failed = setup
        .iter()
        .chain(&calls)
        .filter(|o| **o != Outcome::Ok)
        .count();
    assert_eq!(faults, failed as u64);
    assert!(calls.contains(&Outcome::Ok));
    for kind in [
        Outcome::Http(502),
        Outcome::Code(30006),
        Outcome::Code(30008),
        Outcome::Dropped,
    ] {
        assert!(calls.contains(&kind), "{kind:?} never happened: {calls:?}");
    }

    let (setup2, calls2, snapshot2, _) = run(7).await;
    assert_eq!(
        (&setup2, &calls2),
        (&setup, &calls),
        "same seed, same faults"
    );
    assert_eq!(without_times(snapshot2), without_times(snapshot));

    let (_, other, _, _) = run(8).await;
    assert_ne!(other, calls, "another seed, other faults");
}

#[tokio::test]
async fn account_endpoints_fail_with_their_own_codes() {
    let em = emulator(EmulatorConfig {
        fault_rate: 1.0,
        ..EmulatorConfig::default()
    })
    .await;
    let client = client(&em);
    let req = multiaccount_import::Request::new().account_list([AccountItem::new("a")]);
    let mut seen = BTreeSet::new();
    for _ in 0..40 {
        match outcome(client.multiaccount_import(&req).await) {
            Outcome::Code(code) => {
                seen.insert(code);
            }
            Outcome::Ok => panic!("every call faults at rate 1"),
            _ => {}
        }
    }
    assert_eq!(seen, [70169, 70500].into());
    assert!(em.snapshot().accounts.is_empty());
}

async fn two_writes(client: &Client) -> (Outcome, Outcome) {
    let write = |to: &'static str| {
        let client = client.clone();
        async move {
            let req = friend_import::Request::new(
                "owner",
                [AddFriendItem::new(to, "AddSource_Type_Test")],
            );
            outcome(client.friend_import(&req).await)
        }
    };
    tokio::join!(write("a"), write("b"))
}

async fn setup_accounts(client: &Client) {
    let req =
        multiaccount_import::Request::new().account_list(["owner", "a", "b"].map(AccountItem::new));
    client.multiaccount_import(&req).await.unwrap();
}

#[tokio::test]
async fn overlapping_writes_to_one_account_conflict_when_faults_are_on() {
    let em = emulator(EmulatorConfig {
        // On, yet practically never drawn.
        fault_rate: 1e-12,
        latency: Duration::from_millis(300),
        ..EmulatorConfig::default()
    })
    .await;
    let client = client(&em);
    setup_accounts(&client).await;
    let (first, second) = two_writes(&client).await;
    let mut outcomes = [first, second];
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(outcomes, [Outcome::Code(30008), Outcome::Ok]);
    assert_eq!(em.snapshot().friends["owner"].len(), 1);
    assert_eq!(em.stats().faults_injected, 0);
}

#[tokio::test]
async fn overlapping_writes_to_one_account_wait_their_turn_without_faults() {
    let latency = Duration::from_millis(200);
    let em = emulator(EmulatorConfig {
        latency,
        ..EmulatorConfig::default()
    })
    .await;
    let client = client(&em);
    setup_accounts(&client).await;
    let started = Instant::now();
    let (first, second) = two_writes(&client).await;
    assert_eq!((first, second), (Outcome::Ok, Outcome::Ok));
    assert!(started.elapsed() >= latency * 2, "serialized");
    assert_eq!(em.snapshot().friends["owner"].len(), 2);
}
