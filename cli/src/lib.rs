//! The `tim` command of tim-rest, as a library: each part of `tim import` in its own module,
//! so tests can drive them one by one.
//!
//! - [`input`]: JSONL and CSV readers, validation of each relation;
//! - [`batch`]: per-account batching in bounded memory;
//! - [`accounts`]: the account pass (`--import-accounts`);
//! - the rate limiter shared by all workers of an endpoint is `tim_rest::RateLimiter`;
//! - [`retry`], [`send`]: what to do after a failure, and one call with its retries;
//! - [`reply`]: friend_import with a lean decoding of its reply;
//! - [`checkpoint`], [`failures`], [`recorder`]: durable progress and the failures report;
//! - [`progress`]: counters, the progress display, the summary table;
//! - [`import`]: the run; [`target`]: credentials, region, emulator; [`commands`]: the CLI;
//! - [`migrate`]: `tim migrate`, every kind of record through one engine.
#![deny(missing_docs)]

pub mod abort;
pub mod accounts;
pub mod batch;
pub mod checkpoint;
pub mod cli;
pub mod commands;
pub mod failures;
pub mod hash;
pub mod import;
pub mod input;
pub mod migrate;
pub mod progress;
pub mod rangeset;
pub mod recorder;
pub mod reply;
pub mod retry;
pub mod send;
pub mod target;
