//! A rate limiter shared by every task calling one endpoint: what
//! [`ClientBuilder::rate_limits`](super::ClientBuilder::rate_limits) puts in front of each
//! endpoint with a schema rate limit, and what `tim import` shares between its workers.
//!
//! The promise: no window of one second, as the service counts, ever holds more than `limit`
//! calls. The service counts a call at some moment between the time it leaves here and the
//! time its reply comes back; nothing more precise can be known from the client, and spacing
//! calls by their send times alone is not enough: two requests sent a second apart can reach
//! the service's counter less than a second apart when the first one is delayed (a slow
//! connection, the service parsing a large body).
//!
//! So every call holds one of `limit` places from its start until a second after its reply,
//! and a call starts only when a place is free. Why that keeps the promise: if some second of
//! the service's held `limit + 1` calls, take the one of them that started last, at `t`. The
//! other `limit` were counted within that second, so after `t - 1 s`, so each was either still
//! waiting for its reply at `t` or had it after `t - 1 s`: all `limit` places were taken at
//! `t`, and the call could not have started.
//!
//! What this costs: each call keeps its place for its own latency on top of the second, so the
//! rate is `limit / (1 s + mean reply time)`: 99.9% of the limit against a service 1 ms away,
//! 97% against one 30 ms away.
//!
//! A call that ends without a reply (a timeout, a connection reset, a dropped future) may still
//! be counted by the service later: its place is held [`ABANDONED_GRACE`] longer. Calls are also
//! spaced [`SPACING`] of `1 / limit` apart, so the service sees a steady flow rather than
//! `limit` calls in a burst, while a schedule pushed back by slow replies can still catch up.
//! When the service answers "too many requests" anyway, [`RateLimiter::pause`] holds every
//! caller back for a while.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// The window the limit is counted over.
pub const WINDOW: Duration = Duration::from_secs(1);

/// How much longer than a second a call that ended without a reply keeps its place.
pub const ABANDONED_GRACE: Duration = Duration::from_secs(1);

/// The gap between two calls, as a fraction of the even spacing `1 / limit`.
pub const SPACING: f64 = 0.9;

/// The longest [`RateLimiter::pause`] (a day): longer ones are cut to it.
const MAX_PAUSE: Duration = Duration::from_secs(86_400);

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
    /// Calls started and not finished.
    in_flight: u32,
    /// When each finished call gives its place back, for those that have not yet. At most
    /// `limit` entries, and no more than the calls finished in the last second or so, so a
    /// huge limit (used to turn limiting off) costs no memory.
    releases: BinaryHeap<Reverse<Instant>>,
    /// No call starts before this (the spacing after the last call's planned time, or a
    /// pause).
    not_before: Option<Instant>,
    /// When the calls of the last second started, oldest first.
    recent_starts: std::collections::VecDeque<Instant>,
    /// The most calls started within any one second so far.
    busiest_second: u32,
}

/// What a caller waits for before its call can start.
enum Wait {
    /// A call in flight to finish: every place is held by one.
    Finished,
    /// A time: a place given back, the spacing, or the end of a pause.
    Until(Instant),
}

/// One call's place. Call [`finish`](RateLimitPermit::finish) when the service has answered
/// (any answer, error replies included) or the request certainly never left (a connection
/// refused); dropping the permit without it books the call as abandoned, its place held
/// a second longer (`ABANDONED_GRACE`), since the service may still count it.
#[derive(Debug)]
#[must_use = "the call keeps its place until the permit is finished or dropped"]
pub struct RateLimitPermit<'a> {
    limiter: &'a RateLimiter,
    finished: bool,
}

impl RateLimiter {
    /// A limiter for an endpoint allowing `limit` calls per second. A limit of 0 is taken
    /// as 1: a limiter that never lets a call through would only hang its callers.
    pub fn new(limit: u32) -> Self {
        let limit = limit.max(1);
        RateLimiter {
            limit,
            spacing: Duration::from_secs_f64(SPACING / f64::from(limit)),
            turn: tokio::sync::Mutex::new(()),
            book: Mutex::new(Book {
                in_flight: 0,
                releases: BinaryHeap::new(),
                not_before: None,
                recent_starts: std::collections::VecDeque::new(),
                busiest_second: 0,
            }),
            finished: Notify::new(),
        }
    }

    /// The limit this limiter keeps under.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The time between two calls when they go as fast as the limit allows.
    pub fn spacing(&self) -> Duration {
        self.spacing
    }

    /// The most calls this limiter started within any one second (a sliding window), the
    /// figure to hold against [`limit`](Self::limit): an average over a short run can read
    /// as more than the limit when the calls never were.
    pub fn busiest_second(&self) -> u32 {
        self.book().busiest_second
    }

    /// Waits for this caller's turn and starts its call. Turns are handed out in the order
    /// callers ask. Cancel-safe: nothing is booked until the permit is returned.
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

    /// Starts a call now if a place is free and the spacing allows, or says what to wait for.
    fn try_start(&self) -> Result<RateLimitPermit<'_>, Wait> {
        let mut book = self.book();
        let now = Instant::now();
        while book.releases.peek().is_some_and(|Reverse(at)| *at <= now) {
            book.releases.pop();
        }
        let held = book.in_flight as usize + book.releases.len();
        if held >= self.limit as usize {
            return Err(match book.releases.peek() {
                Some(Reverse(at)) => Wait::Until(*at),
                None => Wait::Finished,
            });
        }
        if let Some(at) = book.not_before.filter(|at| *at > now) {
            return Err(Wait::Until(at));
        }
        book.in_flight += 1;
        while book
            .recent_starts
            .front()
            .is_some_and(|at| now.duration_since(*at) >= WINDOW)
        {
            book.recent_starts.pop_front();
        }
        book.recent_starts.push_back(now);
        let started = u32::try_from(book.recent_starts.len()).unwrap_or(u32::MAX);
        book.busiest_second = book.busiest_second.max(started);
        // Spaced from the planned time, not the actual one, so waking late (the timer's
        // millisecond ticks, a busy machine) is not carried into every later call. Lateness
        // up to half a spacing is made up, so no two calls ever go closer than half a spacing.
        let planned = book.not_before.unwrap_or(now);
        let floor = now.checked_sub(self.spacing / 2).unwrap_or(now);
        book.not_before = Some(planned.max(floor) + self.spacing);
        Ok(RateLimitPermit {
            limiter: self,
            finished: false,
        })
    }

    /// Holds every caller back by `delay` from now (after a throttling answer).
    pub fn pause(&self, delay: Duration) {
        let until = Instant::now() + delay.min(MAX_PAUSE);
        let mut book = self.book();
        book.not_before = book.not_before.max(Some(until));
    }

    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Books the end of a call: its place is given back a second after `ended`.
    fn end(&self, ended: Instant) {
        {
            let mut book = self.book();
            book.in_flight -= 1;
            book.releases.push(Reverse(ended + WINDOW));
        }
        self.finished.notify_waiters();
    }
}

impl RateLimitPermit<'_> {
    /// The service has answered, or the request never left: the call keeps its place for a
    /// second from now.
    pub fn finish(mut self) {
        self.finished = true;
        self.limiter.end(Instant::now());
    }

    /// Ends the call by what came of it: [`finish`](Self::finish) when the service itself
    /// answered (a reply, an API error, an undecodable 200, an HTTP error under 500) or no
    /// connection was made; otherwise (a timeout, a reset, a proxy's 5xx, under which the
    /// request may still reach the service) the call is booked as abandoned.
    pub fn settle<T, E>(self, outcome: &Result<T, crate::Error<E>>) {
        use crate::Error;
        let answered = match outcome {
            Ok(_) => true,
            Err(Error::Api { .. } | Error::Decode { .. }) => true,
            Err(Error::HttpStatus { status, .. }) => *status < 500,
            Err(Error::Transport(e)) => e.is_connect(),
            Err(_) => false,
        };
        if answered {
            self.finish();
        }
    }
}

impl Drop for RateLimitPermit<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.limiter.end(Instant::now() + ABANDONED_GRACE);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_busiest_second_counts_calls_started_within_any_one_second() {
        let limiter = RateLimiter::new(10);
        assert_eq!(limiter.busiest_second(), 0);
        // 25 quick calls: at most 10 in any second, whatever the average of a short run.
        for _ in 0..25 {
            limiter.acquire().await.finish();
        }
        assert_eq!(limiter.busiest_second(), 10);
        let idle = RateLimiter::new(10);
        for _ in 0..3 {
            idle.acquire().await.finish();
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        assert_eq!(idle.busiest_second(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_keeps_its_place_until_a_second_after_its_reply() {
        let limiter = RateLimiter::new(2);
        let start = Instant::now();
        let slow = limiter.acquire().await;
        // One place left: quick calls go one per second while the slow one is in flight.
        let mut quick = Vec::new();
        let finish_slow = async {
            tokio::time::sleep(Duration::from_millis(5500)).await;
            slow.finish();
        };
        let quick_calls = async {
            for _ in 0..8 {
                limiter.acquire().await.finish();
                quick.push(Instant::now() - start);
            }
        };
        tokio::join!(finish_slow, quick_calls);
        let ms: Vec<u64> = quick.iter().map(|d| d.as_millis() as u64).collect();
        // The first waits a spacing (450 ms) after the slow call; each next one a second after
        // the previous one's reply, as the slow call holds the other place until 6.5 s; then
        // two places, and the next goes half a spacing after the previous (late) one.
        assert_eq!(ms, [450, 1450, 2450, 3450, 4450, 5450, 6450, 6675]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_abandoned_call_keeps_its_place_longer() {
        let limiter = RateLimiter::new(1);
        let start = Instant::now();
        drop(limiter.acquire().await);
        limiter.acquire().await.finish();
        assert_eq!(Instant::now() - start, WINDOW + ABANDONED_GRACE);
        limiter.acquire().await.finish();
        assert_eq!(Instant::now() - start, WINDOW * 2 + ABANDONED_GRACE);
    }

    #[tokio::test(start_paused = true)]
    async fn settle_holds_the_place_longer_only_when_the_request_may_still_arrive() {
        use crate::transport::{TransportError, TransportErrorKind};
        use crate::Error;
        type Outcome = Result<(), Error<()>>;
        let status = |status| Error::HttpStatus {
            status,
            body_snippet: String::new(),
        };
        let cases: [(Outcome, Duration); 5] = [
            (Ok(()), WINDOW),
            (Err(status(429)), WINDOW),
            (Err(status(504)), WINDOW + ABANDONED_GRACE),
            (
                Err(Error::Transport(TransportError::new(
                    TransportErrorKind::Connect,
                    "refused",
                ))),
                WINDOW,
            ),
            (
                Err(Error::Transport(TransportError::timeout("slow"))),
                WINDOW + ABANDONED_GRACE,
            ),
        ];
        for (outcome, held) in cases {
            let limiter = RateLimiter::new(1);
            limiter.acquire().await.settle(&outcome);
            let start = Instant::now();
            limiter.acquire().await.finish();
            assert_eq!(Instant::now() - start, held, "{outcome:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn turns_go_in_the_order_callers_ask() {
        let limiter = Arc::new(RateLimiter::new(1));
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let first = limiter.acquire().await;
        let mut tasks = Vec::new();
        for i in 0..5 {
            let (limiter, order) = (limiter.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                limiter.acquire().await.finish();
                order.lock().unwrap().push(i);
            }));
            // Each task is waiting for its turn before the next one asks.
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        first.finish();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3, 4]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_wait_books_nothing() {
        let limiter = RateLimiter::new(1);
        let held = limiter.acquire().await;
        let waited = tokio::time::timeout(Duration::from_secs(3), limiter.acquire()).await;
        assert!(
            waited.is_err(),
            "no place while the first call is in flight"
        );
        held.finish();
        let start = Instant::now();
        limiter.acquire().await.finish();
        // Only the finished call's second: the cancelled wait took no place.
        assert_eq!(Instant::now() - start, WINDOW);
    }

    #[tokio::test(start_paused = true)]
    async fn calls_are_spaced_not_bursting() {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await.finish();
        }
        // Five calls, four gaps of at least 90 ms.
        assert!(Instant::now() - start >= limiter.spacing() * 4);
        assert_eq!(limiter.spacing(), Duration::from_millis(90));
    }

    #[tokio::test(start_paused = true)]
    async fn a_late_call_does_not_push_back_the_ones_after_it() {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        limiter.acquire().await.finish();
        // Planned at 90 ms, started at 120 ms: the next is still planned at 180 ms.
        tokio::time::sleep(Duration::from_millis(120)).await;
        limiter.acquire().await.finish();
        limiter.acquire().await.finish();
        assert_eq!(Instant::now() - start, Duration::from_millis(180));
        // Late by more than half a spacing: made up for only that much.
        tokio::time::sleep(Duration::from_millis(500)).await;
        limiter.acquire().await.finish();
        let late = Instant::now();
        limiter.acquire().await.finish();
        assert_eq!(Instant::now() - late, Duration::from_millis(45));
    }

    #[tokio::test(start_paused = true)]
    async fn a_huge_limit_keeps_only_the_last_second() {
        // `--rate 1000000` turns limiting off; it must not cost a million slots.
        let limiter = RateLimiter::new(1_000_000);
        for _ in 0..3000 {
            limiter.acquire().await.finish();
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let kept = limiter.book().releases.len();
        assert!((990..=1001).contains(&kept), "{kept} calls kept");
        // A small limit keeps at most `limit`, however fast the replies.
        let limiter = RateLimiter::new(5);
        for _ in 0..20 {
            limiter.acquire().await.finish();
        }
        assert_eq!(limiter.book().releases.len(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn pause_holds_everyone_back() {
        let limiter = RateLimiter::new(10);
        limiter.acquire().await.finish();
        let before = Instant::now();
        limiter.pause(Duration::from_secs(2));
        limiter.acquire().await.finish();
        assert!(Instant::now() - before >= Duration::from_secs(2));
    }
}
