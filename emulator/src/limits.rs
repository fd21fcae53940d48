//! Per-endpoint rate limits and per-account write locks.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tim_rest::RateLimit;
use tokio::sync::OwnedMutexGuard;

const WINDOW: Duration = Duration::from_secs(1);

/// The calls each endpoint accepted in the last second (a sliding window), so that no window
/// of one second ever holds more accepted calls than the endpoint's limit.
pub(crate) struct RateLimiter {
    enforce: bool,
    windows: Mutex<HashMap<&'static str, Window>>,
}

#[derive(Default)]
struct Window {
    accepted: VecDeque<Instant>,
    max: u32,
}

impl RateLimiter {
    pub fn new(enforce: bool) -> Self {
        RateLimiter {
            enforce,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a call of `path` and says whether it is within `limit` (always, when limits are
    /// not enforced). Refused calls are not counted.
    pub fn admit(&self, path: &'static str, limit: Option<RateLimit>) -> bool {
        self.admit_at(path, limit, Instant::now())
    }

    fn admit_at(&self, path: &'static str, limit: Option<RateLimit>, now: Instant) -> bool {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = windows.entry(path).or_default();
        while window
            .accepted
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= WINDOW)
        {
            window.accepted.pop_front();
        }
        if let (true, Some(limit)) = (self.enforce, limit) {
            if window.accepted.len() >= limit.per_second as usize {
                return false;
            }
        }
        window.accepted.push_back(now);
        let count = u32::try_from(window.accepted.len()).unwrap_or(u32::MAX);
        window.max = window.max.max(count);
        true
    }

    /// The most calls of each path accepted within one second so far.
    pub fn max_per_second(&self) -> BTreeMap<String, u32> {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        windows
            .iter()
            .map(|(path, w)| ((*path).to_owned(), w.max))
            .collect()
    }
}

/// One lock per account whose relationship data is being written.
#[derive(Default)]
pub(crate) struct AccountLocks {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl AccountLocks {
    /// Takes the write lock of `account`: waits for the writer before, or, when
    /// `fail_on_overlap`, returns `None` at once if there is one (a write conflict).
    pub async fn acquire(
        &self,
        account: &str,
        fail_on_overlap: bool,
    ) -> Option<OwnedMutexGuard<()>> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(locks.entry(account.to_owned()).or_default())
        };
        if fail_on_overlap {
            lock.try_lock_owned().ok()
        } else {
            Some(lock.lock_owned().await)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Option<RateLimit> = Some(RateLimit { per_second: 3 });

    #[test]
    fn sliding_window() {
        let limiter = RateLimiter::new(true);
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        assert!(limiter.admit_at("p", LIMIT, at(0)));
        assert!(limiter.admit_at("p", LIMIT, at(100)));
        assert!(limiter.admit_at("p", LIMIT, at(900)));
        assert!(
            !limiter.admit_at("p", LIMIT, at(950)),
            "4th within a second"
        );
        assert!(limiter.admit_at("q", LIMIT, at(950)), "paths are separate");
        assert!(
            limiter.admit_at("p", LIMIT, at(1000)),
            "the first left the window"
        );
        assert!(!limiter.admit_at("p", LIMIT, at(1099)));
        assert!(limiter.admit_at("p", LIMIT, at(1100)));
        assert_eq!(limiter.max_per_second()["p"], 3);
        assert_eq!(limiter.max_per_second()["q"], 1);
    }

    #[test]
    fn not_enforced_still_measured() {
        let limiter = RateLimiter::new(false);
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(limiter.admit_at("p", LIMIT, t0 + Duration::from_millis(i)));
        }
        assert_eq!(limiter.max_per_second()["p"], 5);
    }

    #[tokio::test]
    async fn overlapping_writers() {
        let locks = AccountLocks::default();
        let held = locks.acquire("a", true).await.unwrap();
        assert!(locks.acquire("a", true).await.is_none());
        assert!(locks.acquire("b", true).await.is_some());
        drop(held);
        assert!(locks.acquire("a", true).await.is_some());
    }
}
