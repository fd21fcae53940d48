//! The `tim` command of tim-rest, as a library, so tests can drive each part.
//!
//! - [`migrate`]: the engine every import runs on: each kind of record read through the
//!   generated types, batched per account or group in bounded memory, sent within its
//!   command's rate limit, settled into the failures report and the checkpoint;
//! - [`import`]: `tim import`, the engine's `friends` kind (and `accounts`, from the same
//!   file: [`accounts`]) with its own [`input`] formats, [`failures`] report and [`checkpoint`]
//!   pinned to the input;
//! - [`retry`], [`send`]: how a failure is judged, and one call through the client's retry
//!   loop and the endpoint's rate limiter (`tim_rest::RateLimiter`);
//! - [`reply`]: friend_import with a lean decoding of its reply;
//! - [`progress`]: the display modes and the summary table; [`target`]: credentials, region,
//!   emulator; [`commands`]: the CLI.
#![deny(missing_docs)]

pub mod abort;
pub mod accounts;
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
pub mod reply;
pub mod retry;
pub mod send;
pub mod target;
