//! Hooks into a call's attempts, for callers that keep the client's one retry loop but judge
//! failures their own way (a bulk import that knows its writes are safe to repeat) and count
//! what the loop does.

use std::time::Duration;

use crate::{ApiError, Error, RetryClass};

/// What went wrong in one attempt, with the endpoint's error type erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptFailure {
    /// No reply; `connect` when the connection was never made (nothing was sent).
    Transport {
        /// Whether it failed before anything was sent.
        connect: bool,
    },
    /// A reply with an HTTP status other than 200.
    HttpStatus(u16),
    /// A 200 reply that is not the service's JSON.
    Decode,
    /// The service refused the request with this code.
    Api(i64),
    /// Invalid, unsigned or unserializable: never sent.
    NotSent,
    /// Anything else the call can fail with.
    Other,
}

impl AttemptFailure {
    /// The erased view of `error`.
    pub fn of<E: ApiError>(error: &Error<E>) -> Self {
        match error {
            Error::Transport(e) => AttemptFailure::Transport {
                connect: e.is_connect(),
            },
            Error::HttpStatus { status, .. } => AttemptFailure::HttpStatus(*status),
            Error::Decode { .. } => AttemptFailure::Decode,
            Error::Api { error, .. } => AttemptFailure::Api(error.code()),
            Error::InvalidRequest(_) | Error::Credentials(_) | Error::Serialize(_) => {
                AttemptFailure::NotSent
            }
            _ => AttemptFailure::Other,
        }
    }

    /// Whether the service may have applied the request although the attempt failed: no
    /// reply came, or one that could not be read.
    pub fn may_have_applied(self) -> bool {
        match self {
            AttemptFailure::Transport { connect } => !connect,
            AttemptFailure::HttpStatus(_) | AttemptFailure::Decode => true,
            _ => false,
        }
    }
}

/// One finished attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptReport {
    /// 1 for the first attempt.
    pub attempt: u32,
    /// From sending to the reply (or the failure).
    pub elapsed: Duration,
    /// What went wrong, with the class the loop acts on; `None` when it succeeded.
    pub failure: Option<(AttemptFailure, RetryClass)>,
}

/// Hooks a call runs its attempts through ([`CallOptions::hooks`](super::CallOptions::hooks)).
pub trait CallHooks: Send + Sync {
    /// The retry class the loop acts on for a failed attempt, instead of `class`, the error's
    /// own (its code's class from the schema, `Transient` for connect failures and timeouts,
    /// ...). The policy still decides whether that class is retried, and how long to wait.
    fn classify(&self, failure: AttemptFailure, class: RetryClass) -> RetryClass {
        let _ = failure;
        class
    }

    /// Called after every attempt, successful or not.
    fn on_attempt(&self, report: &AttemptReport) {
        let _ = report;
    }
}
