//! A rate limiter shared by every worker calling one endpoint.
//!
//! It spaces calls evenly (a leaky bucket that holds one call: GCRA with no burst), one every
//! `1 / rate` seconds, so no window of one second ever holds more than `rate` calls however
//! many workers ask. The rate used is [`HEADROOM`] of the limit given: requests leave evenly
//! spaced but are counted by the service after varying delays (network, its own queueing),
//! and the slack keeps a one-second window at the service under the limit too: its requests
//! would have to bunch up by a tenth of a second to reach it. (Measured against the emulator
//! in a debug build under parallel test load, 5% slack was not enough: one second counted
//! 101 calls at a limit of 100.) When the service still answers "too many requests",
//! [`RateLimiter::pause`] holds every worker back for a while.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Fraction of the limit actually used.
pub const HEADROOM: f64 = 0.9;

/// Spaces calls to at most `limit` per second.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    limit: u32,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// A limiter for an endpoint allowing `limit` calls per second (at least 1).
    pub fn new(limit: u32) -> Self {
        let limit = limit.max(1);
        let per_second = (f64::from(limit) * HEADROOM).max(0.5);
        RateLimiter {
            interval: Duration::from_secs_f64(1.0 / per_second),
            limit,
            next: Mutex::new(None),
        }
    }

    /// The limit this limiter keeps under.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The time between two calls.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits for this caller's turn. Turns are handed out in the order callers ask.
    pub async fn acquire(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = match *next {
                Some(t) if t > now => t,
                _ => now,
            };
            *next = Some(at + self.interval);
            at
        };
        tokio::time::sleep_until(at).await;
    }

    /// Holds every caller back by `delay` from now (after a throttling answer).
    pub async fn pause(&self, delay: Duration) {
        let mut next = self.next.lock().await;
        let until = Instant::now() + delay;
        if !matches!(*next, Some(t) if t >= until) {
            *next = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// The most timestamps of `times` (sorted) in any half-open window of one second.
    fn max_in_any_second(times: &[Duration]) -> usize {
        let mut best = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end] - times[start] >= Duration::from_secs(1) {
                start += 1;
            }
            best = best.max(end - start + 1);
        }
        best
    }

    #[tokio::test(start_paused = true)]
    async fn no_second_exceeds_the_limit_with_many_workers() {
        let limiter = Arc::new(RateLimiter::new(100));
        let origin = Instant::now();
        let times = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let limiter = limiter.clone();
            let times = times.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..40 {
                    limiter.acquire().await;
                    times.lock().unwrap().push(Instant::now() - origin);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let mut times = times.lock().unwrap().clone();
        times.sort();
        assert_eq!(times.len(), 640);
        let max = max_in_any_second(&times);
        assert!(max <= 100, "{max} calls in one second");
        assert!(
            max >= 85,
            "the limiter should run close to the limit, got {max}"
        );
        // 640 calls at 90/s take about 7.1 s.
        let total = *times.last().unwrap();
        assert!(
            total >= Duration::from_millis(6900) && total <= Duration::from_millis(7300),
            "{total:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn pause_holds_everyone_back() {
        let limiter = RateLimiter::new(10);
        limiter.acquire().await;
        let before = Instant::now();
        limiter.pause(Duration::from_secs(2)).await;
        limiter.acquire().await;
        assert!(Instant::now() - before >= Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_is_not_saved_up_as_a_burst() {
        let limiter = RateLimiter::new(10);
        limiter.acquire().await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire().await;
        }
        // The first goes at once, the next two one interval apart each.
        assert!(Instant::now() - start >= limiter.interval() * 2);
    }
}
