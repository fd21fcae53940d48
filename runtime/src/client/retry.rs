use std::time::Duration;

use crate::RetryClass;

/// When the client tries a failed call again, and how long it waits first.
///
/// Off by default ([`RetryPolicy::none`]): a write the service may have applied is not
/// repeated unless the caller asks. [`RetryPolicy::standard`] retries transient faults,
/// throttling and write conflicts up to 3 attempts in all, waiting a random time between 1 ms
/// and `base_delay * 2^(retry - 1)` (capped at `max_delay`: "full jitter"); throttling and
/// conflicts start from twice the base delay.
///
/// Bounds: a policy allows at most [`MAX_ATTEMPTS`](RetryPolicy::MAX_ATTEMPTS) (10) attempts
/// per call, and every wait is at least [`MIN_DELAY`](RetryPolicy::MIN_DELAY) (1 ms), whatever
/// the settings: larger attempt counts and shorter delays are brought within them.
///
/// Whatever the policy, an invalid request and a `Never`-class error are not retried, and a
/// UserSig the service calls expired or invalidated (70001, 70052) is replaced and the call
/// tried once more at once, when the client signs with a secret key; that extra attempt does
/// not count against `max_attempts`.
///
/// ```
/// use std::time::Duration;
/// use tim_rest_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::standard()
///     .with_max_attempts(5)
///     .with_base_delay(Duration::from_millis(50))
///     .retry_conflict(false);
/// assert_eq!(policy.max_attempts(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    slow_multiplier: u32,
    transient: bool,
    throttling: bool,
    conflict: bool,
}

impl RetryPolicy {
    /// The shortest wait before any retry, whatever the delays set: 1 ms. A zero base delay
    /// cannot turn retries into a busy loop.
    pub const MIN_DELAY: Duration = Duration::from_millis(1);
    /// The most attempts a policy allows per call, the first included: 10. Larger values given
    /// to [`with_max_attempts`](Self::with_max_attempts) are lowered to it.
    pub const MAX_ATTEMPTS: u32 = 10;

    /// No retries: one attempt per call (apart from a UserSig renewal).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// 3 attempts in all; 200 ms base delay, 5 s cap, full jitter; transient faults,
    /// throttling and conflicts retried, throttling and conflicts from a 400 ms base.
    pub fn standard() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            slow_multiplier: 2,
            transient: true,
            throttling: true,
            conflict: true,
        }
    }

    /// Most attempts per call, the first included: at least 1, at most
    /// [`MAX_ATTEMPTS`](Self::MAX_ATTEMPTS) (10).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.clamp(1, Self::MAX_ATTEMPTS);
        self
    }

    /// The ceiling of the first wait; each further retry doubles it. At least
    /// [`MIN_DELAY`](Self::MIN_DELAY) (1 ms): shorter values are raised to it.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay.max(Self::MIN_DELAY);
        self
    }

    /// The largest ceiling any wait may have. At least [`MIN_DELAY`](Self::MIN_DELAY) (1 ms):
    /// shorter values are raised to it.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay.max(Self::MIN_DELAY);
        self
    }

    /// How many times the base delay throttling and conflicts start from (at least 1; 2 by
    /// default).
    pub fn slow_multiplier(mut self, multiplier: u32) -> Self {
        self.slow_multiplier = multiplier.max(1);
        self
    }

    /// Whether to retry transient faults (connect errors, timeouts, HTTP 502/503/504, codes
    /// such as 30006 and 70500).
    pub fn retry_transient(mut self, on: bool) -> Self {
        self.transient = on;
        self
    }

    /// Whether to retry rate-limit refusals (60007, 60011, 60018, 60019, 30540).
    pub fn retry_throttling(mut self, on: bool) -> Self {
        self.throttling = on;
        self
    }

    /// Whether to retry write conflicts (30008).
    pub fn retry_conflict(mut self, on: bool) -> Self {
        self.conflict = on;
        self
    }

    /// Most attempts per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The base delay.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The delay cap.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// Whether errors of `class` are retried under this policy (`Credentials` is handled
    /// apart from the policy, and `Never` never is).
    pub fn retries(&self, class: RetryClass) -> bool {
        match class {
            RetryClass::Transient => self.transient,
            RetryClass::Throttling => self.throttling,
            RetryClass::Conflict => self.conflict,
            RetryClass::Credentials | RetryClass::Never => false,
        }
    }

    /// The ceiling of the wait before retry number `retry` (1 for the first retry) after an
    /// error of `class`; the actual wait is drawn uniformly from
    /// [`MIN_DELAY`](Self::MIN_DELAY) to it. Never below `MIN_DELAY`.
    pub fn delay_ceiling(&self, class: RetryClass, retry: u32) -> Duration {
        let base = match class {
            RetryClass::Throttling | RetryClass::Conflict => {
                self.base_delay.saturating_mul(self.slow_multiplier)
            }
            _ => self.base_delay,
        };
        let exponent = retry.saturating_sub(1).min(31);
        base.saturating_mul(1u32 << exponent)
            .min(self.max_delay)
            .max(Self::MIN_DELAY)
    }

    /// A wait before retry number `retry`: uniform in
    /// `MIN_DELAY..=delay_ceiling(class, retry)`.
    pub fn delay(&self, class: RetryClass, retry: u32) -> Duration {
        let ceiling = self.delay_ceiling(class, retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        let min = u64::try_from(Self::MIN_DELAY.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(min..=nanos.max(min)))
    }
}

impl Default for RetryPolicy {
    /// [`RetryPolicy::none`].
    fn default() -> Self {
        Self::none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_grow_and_cap() {
        let p = RetryPolicy::standard()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(1000));
        let t = RetryClass::Transient;
        assert_eq!(p.delay_ceiling(t, 1), Duration::from_millis(100));
        assert_eq!(p.delay_ceiling(t, 2), Duration::from_millis(200));
        assert_eq!(p.delay_ceiling(t, 4), Duration::from_millis(800));
        assert_eq!(p.delay_ceiling(t, 5), Duration::from_millis(1000));
        assert_eq!(p.delay_ceiling(t, 500), Duration::from_millis(1000));
        assert_eq!(
            p.delay_ceiling(RetryClass::Conflict, 1),
            Duration::from_millis(200)
        );
        assert_eq!(
            p.delay_ceiling(RetryClass::Throttling, 2),
            Duration::from_millis(400)
        );
        for retry in 1..10 {
            assert!(p.delay(t, retry) <= p.delay_ceiling(t, retry));
        }
    }

    #[test]
    fn zero_delays_and_huge_attempt_counts_are_bounded() {
        let p = RetryPolicy::standard()
            .with_base_delay(Duration::ZERO)
            .with_max_delay(Duration::ZERO)
            .with_max_attempts(u32::MAX);
        assert_eq!(p.max_attempts(), RetryPolicy::MAX_ATTEMPTS);
        assert_eq!(p.base_delay(), RetryPolicy::MIN_DELAY);
        assert_eq!(p.max_delay(), RetryPolicy::MIN_DELAY);
        let classes = [
            RetryClass::Transient,
            RetryClass::Throttling,
            RetryClass::Conflict,
        ];
        for class in classes {
            for retry in [0, 1, 2, 9, u32::MAX] {
                assert_eq!(p.delay_ceiling(class, retry), RetryPolicy::MIN_DELAY);
                assert_eq!(p.delay(class, retry), RetryPolicy::MIN_DELAY);
            }
        }
        // Every wait of any policy is at least the minimum, and at most its ceiling.
        let standard = RetryPolicy::standard();
        for _ in 0..2000 {
            let wait = standard.delay(RetryClass::Transient, 1);
            assert!(wait >= RetryPolicy::MIN_DELAY, "{wait:?}");
            assert!(wait <= Duration::from_millis(200), "{wait:?}");
        }
        assert_eq!(RetryPolicy::none().with_max_attempts(10).max_attempts(), 10);
        assert_eq!(RetryPolicy::none().with_max_attempts(11).max_attempts(), 10);
        assert_eq!(
            RetryPolicy::none()
                .with_base_delay(Duration::from_micros(10))
                .base_delay(),
            RetryPolicy::MIN_DELAY
        );
    }

    #[test]
    fn classes() {
        let p = RetryPolicy::standard().retry_throttling(false);
        assert!(p.retries(RetryClass::Transient));
        assert!(!p.retries(RetryClass::Throttling));
        assert!(p.retries(RetryClass::Conflict));
        assert!(!p.retries(RetryClass::Never));
        assert!(!p.retries(RetryClass::Credentials));
        assert_eq!(RetryPolicy::default().max_attempts(), 1);
        assert_eq!(RetryPolicy::none().with_max_attempts(0).max_attempts(), 1);
    }
}
