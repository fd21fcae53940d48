//! One logical call: the client's own retry loop, run with this caller's limiter and with
//! hooks that judge failures as an idempotent import does and count every attempt; stopped
//! when the run stops.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use tim_rest::client::{AttemptFailure, AttemptReport, CallHooks};
use tim_rest::{CallOptions, Endpoint, RateLimiter, RetryClass, RetryPolicy};

use crate::abort::Abort;
use crate::failures::CallError;
use crate::retry::{describe, judge, RetryConfig, Verdict};

/// Everything a call needs. Cheap to clone.
#[derive(Clone)]
pub struct Caller {
    /// The client (its own retry policy off: every attempt goes through the limiter here).
    pub client: tim_rest::Client,
    /// The endpoint's limiter, shared by every worker.
    pub limiter: Arc<RateLimiter>,
    /// Retry settings.
    pub retry: RetryConfig,
    /// The run's stop signal.
    pub abort: Abort,
    /// Where the calls are counted.
    pub counts: Arc<dyn CallCounts>,
}

/// Where a caller counts what its calls did.
pub trait CallCounts: Send + Sync {
    /// One attempt sent, which waited `reply_micros` for its reply.
    fn attempt(&self, reply_micros: u64);
    /// `n` attempts that were retries.
    fn retries(&self, n: u64);
}

/// Why a call did not succeed.
#[derive(Debug)]
pub enum Failed {
    /// Given up: a `never` error, or retries used up. The items go to the failures report.
    GaveUp {
        /// What the last attempt failed with.
        error: CallError,
        /// Attempts made.
        attempts: u32,
    },
    /// The run is stopping (fatal error elsewhere, or Ctrl-C): nothing to record.
    Aborted,
}

/// A successful call.
#[derive(Debug)]
pub struct Called<R> {
    /// The reply.
    pub response: R,
    /// Whether an earlier attempt failed in a way that may hide a write the service applied
    /// (no reply, a reply cut short, a 5xx from a proxy), so items refused now may in fact
    /// have been imported by that attempt.
    pub maybe_applied_before: bool,
    /// Attempts made.
    pub attempts: u32,
}

impl Caller {
    /// The client's retry policy for these settings: every retryable class retried, the
    /// settings' attempts (at most [`RetryPolicy::MAX_ATTEMPTS`]) and delays.
    fn policy(&self) -> RetryPolicy {
        RetryPolicy::standard()
            .with_max_attempts(self.retry.max_attempts)
            .with_base_delay(self.retry.base_delay)
            .with_max_delay(self.retry.max_delay)
    }

    /// Calls `E` with `request` through the client's retry loop, waiting for this caller's
    /// limiter before every attempt and judging failures as an idempotent import does
    /// (`Imports`).
    pub async fn call<E: Endpoint>(
        &self,
        request: &E::Request,
    ) -> Result<Called<E::Response>, Failed> {
        let log = Arc::new(Imports {
            counts: self.counts.clone(),
            attempts: AtomicU32::new(0),
            maybe_applied: AtomicBool::new(false),
        });
        let options = CallOptions::new()
            .retry(self.policy())
            .limiter(self.limiter.clone())
            .hooks(log.clone());
        let result = tokio::select! {
            biased;
            _ = self.abort.wait() => return Err(Failed::Aborted),
            result = self.client.call_with::<E>(request, options) => result,
        };
        let attempts = log.attempts.load(Ordering::Relaxed);
        self.counts.retries(u64::from(attempts.saturating_sub(1)));
        let maybe_applied_before = log.maybe_applied.load(Ordering::Relaxed);
        let error = match result {
            Ok(response) => {
                return Ok(Called {
                    response,
                    maybe_applied_before,
                    attempts,
                })
            }
            Err(error) => error,
        };
        match judge(&error) {
            Verdict::Fatal => {
                self.abort
                    .trigger(format!("{} cannot succeed: {error}", E::PATH));
                Err(Failed::Aborted)
            }
            Verdict::GiveUp | Verdict::Retry(_) => {
                let mut described = describe(&error);
                if attempts > 1 {
                    described.message =
                        format!("gave up after {attempts} attempts: {}", described.message);
                }
                Err(Failed::GaveUp {
                    error: described,
                    attempts,
                })
            }
        }
    }

    /// Sleeps for `delay`; false if the run stopped meanwhile.
    pub async fn sleep(&self, delay: std::time::Duration) -> bool {
        tokio::select! {
            biased;
            _ = self.abort.wait() => false,
            _ = tokio::time::sleep(delay) => true,
        }
    }
}

/// The hooks of an import's calls: failures judged as for writes that are safe to repeat
/// ([`classify`](crate::retry::classify)), and every attempt counted.
struct Imports {
    counts: Arc<dyn CallCounts>,
    attempts: AtomicU32,
    maybe_applied: AtomicBool,
}

impl CallHooks for Imports {
    fn classify(&self, failure: AttemptFailure, class: RetryClass) -> RetryClass {
        crate::retry::classify(failure, class)
    }

    fn on_attempt(&self, report: &AttemptReport) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(report.elapsed.as_micros()).unwrap_or(u64::MAX);
        self.counts.attempt(micros);
        if let Some((failure, _)) = report.failure {
            if failure.may_have_applied() {
                self.maybe_applied.store(true, Ordering::Relaxed);
            }
        }
    }
}
