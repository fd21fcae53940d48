//! One logical call: wait for the rate limiter, send, and retry by retry class until it
//! succeeds, is given up on, or the run stops.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use tim_rest::{Endpoint, RateLimiter, RetryClass};

use crate::abort::Abort;
use crate::failures::CallError;
use crate::progress::Stats;
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
    /// The run's counters.
    pub stats: Arc<Stats>,
    /// Which counter counts this endpoint's requests.
    pub requests: fn(&Stats) -> &AtomicU64,
    /// Which counter sums the time this endpoint's calls waited for their replies.
    pub reply_micros: fn(&Stats) -> &AtomicU64,
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
}

impl Caller {
    /// Calls `E` with `request`, retrying as the retry settings say.
    pub async fn call<E: Endpoint>(
        &self,
        request: &E::Request,
    ) -> Result<Called<E::Response>, Failed> {
        let mut attempt = 0u32;
        let mut maybe_applied_before = false;
        loop {
            attempt += 1;
            let permit = tokio::select! {
                biased;
                _ = self.abort.wait() => return Err(Failed::Aborted),
                permit = self.limiter.acquire() => permit,
            };
            Stats::add((self.requests)(&self.stats), 1);
            let sent = std::time::Instant::now();
            let result = tokio::select! {
                biased;
                _ = self.abort.wait() => return Err(Failed::Aborted),
                result = self.client.call::<E>(request) => result,
            };
            permit.settle(&result);
            let waited = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
            Stats::add((self.reply_micros)(&self.stats), waited);
            let error = match result {
                Ok(response) => {
                    return Ok(Called {
                        response,
                        maybe_applied_before,
                    })
                }
                Err(error) => error,
            };
            maybe_applied_before |= match &error {
                tim_rest::Error::Transport(e) => !e.is_connect(),
                tim_rest::Error::HttpStatus { .. } | tim_rest::Error::Decode { .. } => true,
                _ => false,
            };
            let class = match judge(&error) {
                Verdict::Fatal => {
                    self.abort
                        .trigger(format!("{} cannot succeed: {error}", E::PATH));
                    return Err(Failed::Aborted);
                }
                Verdict::GiveUp => {
                    return Err(Failed::GaveUp {
                        error: describe(&error),
                        attempts: attempt,
                    })
                }
                Verdict::Retry(class) => class,
            };
            if attempt >= self.retry.max_attempts {
                let mut described = describe(&error);
                described.message =
                    format!("gave up after {attempt} attempts: {}", described.message);
                return Err(Failed::GaveUp {
                    error: described,
                    attempts: attempt,
                });
            }
            tracing::debug!(path = E::PATH, attempt, %error, "retrying");
            Stats::add(&self.stats.request_retries, 1);
            let delay = self.retry.backoff(class, attempt);
            if class == RetryClass::Throttling {
                // Everyone slows down, not only this worker.
                self.limiter.pause(delay);
            }
            if !self.sleep(delay).await {
                return Err(Failed::Aborted);
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
