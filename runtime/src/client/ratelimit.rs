//! A rate limiter shared by every task calling one endpoint: what
//! [`ClientBuilder::rate_limits`](super::ClientBuilder::rate_limits) puts in front of each
//! endpoint with a schema rate limit, and what `tim import` shares between its workers.
//!
//! The promise: no window of one second, as the service counts, ever holds more than `limit`
//! calls. The service counts a call at some moment between the time it leaves here and the
//! time its reply (or failure) comes back; nothing more precise can be known from the client,
//! and spacing calls by their send times alone is not enough: two requests sent a second
//! apart can reach the service's counter less than a second apart when the first one is
//! delayed (a slow connection, the service parsing a large body). So the limiter books both
//! ends of every call and lets call `n` start only once call `n - limit` has finished at
//! least a second ago. Then, whatever the delays, the service's times of calls `n - limit`
//! and `n` are a second or more apart, and any `limit + 1` calls span at least a second.
//!
//! What this costs: every `limit` calls take a second plus one call's latency, so against a
//! service that answers in 1 ms the rate is 99.9% of the limit, and against one 30 ms away
//! 97%. A plain even spacing at the limit would use the rest, but only by trusting the
//! delays to stay equal.
//!
//! Besides the window, calls are spaced [`SPACING`] of `1 / limit` apart, so the service sees
//! a steady flow rather than `limit` calls in a burst each second, while a schedule pushed
//! back by one slow reply can still catch up. When the service still answers
//! "too many requests", [`RateLimiter::pause`] holds every worker back for a while.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// The window the limit is counted over.
pub const WINDOW: Duration = Duration::from_secs(1);

/// The shortest gap between two calls, as a fraction of the even spacing `1 / limit`.
pub const SPACING: f64 = 0.9;

/// Keeps the calls to one endpoint within `limit` per second.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    spacing: Duration,
    /// Held while a caller waits for its turn, so turns go in the order callers ask.
    turn: tokio::sync::Mutex<()>,
    book: Mutex<Book>,
    /// Woken when a call finishes.
    finished: Notify,
}

#[derive(Debug)]
struct Book {
    /// The calls that may still hold a later one back, oldest first: those in flight and
    /// those finished less than a second ago, at most the last `limit`. (Kept by age rather
    /// than as a ring of `limit` slots so that a huge limit, used to turn limiting off,
    /// costs no memory.)
    calls: VecDeque<Call>,
    /// The number of the oldest call in `calls`.
    first: u64,
    /// Calls started so far.
    started: u64,
    /// No call starts before this (the spacing after the last call's planned time, or a
    /// pause).
    not_before: Option<Instant>,
}

#[derive(Debug, Clone, Copy)]
enum Call {
    InFlight,
    Finished(Instant),
}

/// What a caller waits for before its call can start.
enum Wait {
    /// The call `limit` places back to finish.
    Finished,
    /// A time: a second after that call finished, or the spacing.
    Until(Instant),
}

/// One call in flight. Dropping it marks the call finished: drop it once the reply (or the
/// failure) is in, or when the call is abandoned.
#[derive(Debug)]
#[must_use = "the call counts as finished when the permit is dropped"]
pub struct RateLimitPermit<'a> {
    limiter: &'a RateLimiter,
    call: u64,
}

impl RateLimiter {
    /// A limiter for an endpoint allowing `limit` calls per second (at least 1).
    pub fn new(limit: u32) -> Self {
        let limit = limit.max(1);
        RateLimiter {
            limit,
            spacing: Duration::from_secs_f64(SPACING / f64::from(limit)),
            turn: tokio::sync::Mutex::new(()),
            book: Mutex::new(Book {
                calls: VecDeque::new(),
                first: 0,
                started: 0,
                not_before: None,
            }),
            finished: Notify::new(),
        }
    }

    /// The limit this limiter keeps under.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The shortest time between two calls.
    pub fn spacing(&self) -> Duration {
        self.spacing
    }

    /// Waits for this caller's turn and starts its call. Turns are handed out in the order
    /// callers ask.
    pub async fn acquire(&self) -> RateLimitPermit<'_> {
        let _turn = self.turn.lock().await;
        loop {
            let finished = self.finished.notified();
            tokio::pin!(finished);
            // Registered before looking, so a call finishing in between still wakes us.
            finished.as_mut().enable();
            match self.try_start() {
                Ok(permit) => return permit,
                Err(Wait::Finished) => finished.await,
                Err(Wait::Until(at)) => tokio::time::sleep_until(at).await,
            }
        }
    }

    /// Starts a call now if the window and the spacing allow it, or says what to wait for.
    fn try_start(&self) -> Result<RateLimitPermit<'_>, Wait> {
        let mut book = self.book();
        let now = Instant::now();
        while let Some(Call::Finished(at)) = book.calls.front() {
            if now.saturating_duration_since(*at) < WINDOW {
                break;
            }
            book.calls.pop_front();
            book.first += 1;
        }
        // The call `limit` places back, if it has not been let go as finished long enough.
        let window = match book.started.checked_sub(u64::from(self.limit)) {
            Some(back) if back >= book.first => match book.calls[(back - book.first) as usize] {
                Call::Finished(at) => Some(at + WINDOW),
                Call::InFlight => return Err(Wait::Finished),
            },
            _ => None,
        };
        match window.max(book.not_before) {
            Some(at) if at > now => Err(Wait::Until(at)),
            _ => {
                let call = book.started;
                book.calls.push_back(Call::InFlight);
                book.started += 1;
                if book.calls.len() > self.limit as usize {
                    // Only the last `limit` calls can hold a later one back.
                    book.calls.pop_front();
                    book.first += 1;
                }
                // Spaced from the planned time, not the actual one, so waking late (the
                // timer's millisecond ticks, a busy machine) is not carried into every later
                // call. Lateness up to half a spacing is made up, so no two calls ever go
                // closer than half a spacing.
                let planned = book.not_before.unwrap_or(now);
                let floor = now.checked_sub(self.spacing / 2).unwrap_or(now);
                book.not_before = Some(planned.max(floor) + self.spacing);
                Ok(RateLimitPermit {
                    limiter: self,
                    call,
                })
            }
        }
    }

    /// Holds every caller back by `delay` from now (after a throttling answer).
    pub fn pause(&self, delay: Duration) {
        let until = Instant::now() + delay;
        let mut book = self.book();
        book.not_before = book.not_before.max(Some(until));
    }

    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for RateLimitPermit<'_> {
    fn drop(&mut self) {
        let mut book = self.limiter.book();
        if let Some(index) = self.call.checked_sub(book.first) {
            book.calls[index as usize] = Call::Finished(Instant::now());
        }
        self.limiter.finished.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// The most timestamps of `times` in any half-open window of one second.
    fn max_in_any_second(times: &mut [Duration]) -> usize {
        times.sort();
        let mut best = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end] - times[start] >= WINDOW {
                start += 1;
            }
            best = best.max(end - start + 1);
        }
        best
    }

    /// A small deterministic generator (SplitMix64) for latencies and arrival points.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// `workers` callers making `calls` calls each, every call taking a random latency up to
    /// `max_latency`, and reaching the service at a random point of it (the worst case for a
    /// limiter that books send times only: some early, some late). Returns the times the
    /// service saw and the total time.
    async fn run(
        limit: u32,
        workers: u64,
        calls: u64,
        max_latency: Duration,
    ) -> (Vec<Duration>, Duration) {
        let limiter = Arc::new(RateLimiter::new(limit));
        let origin = Instant::now();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for w in 0..workers {
            let limiter = limiter.clone();
            let seen = seen.clone();
            tasks.push(tokio::spawn(async move {
                let mut rng = Rng(w);
                let max = max_latency.as_micros() as u64 + 1;
                for _ in 0..calls {
                    let permit = limiter.acquire().await;
                    let latency = Duration::from_micros(rng.below(max));
                    let arrival = latency.mul_f64(rng.below(1001) as f64 / 1000.0);
                    tokio::time::sleep(arrival).await;
                    seen.lock().unwrap().push(Instant::now() - origin);
                    tokio::time::sleep(latency - arrival).await;
                    drop(permit);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let seen = seen.lock().unwrap().clone();
        (seen, Instant::now() - origin)
    }

    #[tokio::test(start_paused = true)]
    async fn no_second_exceeds_the_limit_whatever_the_delays() {
        let (mut seen, total) = run(100, 16, 50, Duration::from_millis(40)).await;
        assert_eq!(seen.len(), 800);
        let max = max_in_any_second(&mut seen);
        assert!(max <= 100, "{max} calls in one second");
        assert!(
            max >= 95,
            "the limiter should run close to the limit, got {max}"
        );
        // 800 calls: 7 windows of a second plus at most 40 ms each, and the last 100 calls.
        assert!(
            total >= Duration::from_secs(7) && total <= Duration::from_millis(8300),
            "{total:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn fast_replies_use_nearly_all_of_the_limit() {
        let (mut seen, _) = run(100, 4, 1000, Duration::from_millis(2)).await;
        assert!(max_in_any_second(&mut seen) <= 100);
        seen.sort();
        // From the 100th call on, the window rules: 100 calls per second and a reply's time.
        let span = seen[3999] - seen[99];
        let rate = 3900.0 / span.as_secs_f64();
        assert!((99.0..=100.0).contains(&rate), "{rate} calls/s");
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_in_flight_holds_back_the_call_a_limit_later() {
        let limiter = RateLimiter::new(3);
        let slow = limiter.acquire().await;
        let start = Instant::now();
        drop(limiter.acquire().await);
        drop(limiter.acquire().await);
        // The fourth call needs the first finished a second ago.
        let fourth = async {
            drop(limiter.acquire().await);
            Instant::now()
        };
        let finish_slow = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(slow);
        };
        let (fourth, ()) = tokio::join!(fourth, finish_slow);
        assert!(
            fourth - start >= Duration::from_secs(6),
            "{:?}",
            fourth - start
        );
    }

    #[tokio::test(start_paused = true)]
    async fn calls_are_spaced_not_bursting() {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        for _ in 0..5 {
            drop(limiter.acquire().await);
        }
        // Five calls, four gaps of at least 90 ms.
        assert!(Instant::now() - start >= limiter.spacing() * 4);
        assert_eq!(limiter.spacing(), Duration::from_millis(90));
    }

    #[tokio::test(start_paused = true)]
    async fn a_late_call_does_not_push_back_the_ones_after_it() {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        drop(limiter.acquire().await);
        // Planned at 90 ms, started at 120 ms: the next is still planned at 180 ms.
        tokio::time::sleep(Duration::from_millis(120)).await;
        drop(limiter.acquire().await);
        drop(limiter.acquire().await);
        assert_eq!(Instant::now() - start, Duration::from_millis(180));
        // Late by more than half a spacing: made up for only that much.
        tokio::time::sleep(Duration::from_millis(500)).await;
        drop(limiter.acquire().await);
        let late = Instant::now();
        drop(limiter.acquire().await);
        assert_eq!(Instant::now() - late, Duration::from_millis(45));
    }

    #[tokio::test(start_paused = true)]
    async fn a_huge_limit_keeps_only_the_last_second() {
        // `--rate 1000000` turns limiting off; it must not cost a million slots.
        let limiter = RateLimiter::new(1_000_000);
        for _ in 0..3000 {
            drop(limiter.acquire().await);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let kept = limiter.book().calls.len();
        assert!((990..=1001).contains(&kept), "{kept} calls kept");
        // A small limit keeps at most `limit`, however fast the replies.
        let limiter = RateLimiter::new(5);
        for _ in 0..20 {
            drop(limiter.acquire().await);
        }
        assert_eq!(limiter.book().calls.len(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn pause_holds_everyone_back() {
        let limiter = RateLimiter::new(10);
        drop(limiter.acquire().await);
        let before = Instant::now();
        limiter.pause(Duration::from_secs(2));
        drop(limiter.acquire().await);
        assert!(Instant::now() - before >= Duration::from_secs(2));
    }
}
