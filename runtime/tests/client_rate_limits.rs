//! `RateLimiter` on its own, and `ClientBuilder::rate_limits`: every attempt waits for its
//! endpoint's limiter. Paused tokio time, so the seconds are exact and the tests take none.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{fail_body, ok_body, Import, ImportRequest, ADMIN, KEY, SDKAPPID};
use tim_rest_runtime::transport::{FakeTransport, HttpResponse};
use tim_rest_runtime::{Client, RateLimiter, RetryPolicy};
use tokio::time::Instant;

/// A transport answering every request at once, noting when each one came.
fn timed_transport() -> (FakeTransport, Arc<Mutex<Vec<Instant>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let fake = {
        let seen = seen.clone();
        FakeTransport::with_handler(move |_| {
            seen.lock().unwrap().push(Instant::now());
            Ok(HttpResponse::new(200, ok_body(&["bob"]).to_string()))
        })
    };
    (fake, seen)
}

fn client(fake: &FakeTransport, rate_limits: bool) -> Client {
    Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url("https://fake.invalid/")
        .transport(fake.clone())
        .rate_limits(rate_limits)
        .retry(RetryPolicy::standard())
        .build()
        .unwrap()
}

/// The most instants of `times` in any half-open second.
fn max_in_any_second(times: &mut [Instant]) -> usize {
    times.sort();
    let mut start = 0;
    let mut best = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= Duration::from_secs(1) {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

/// Calls `Import` `calls` times from each of `tasks` tasks on clones of `client`.
async fn hammer(client: &Client, tasks: usize, calls: usize) {
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let client = client.clone();
        handles.push(tokio::spawn(async move {
            let request = ImportRequest::new("alice", &["bob"]);
            for _ in 0..calls {
                client.call::<Import>(&request).await.unwrap();
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn calls_from_every_clone_keep_within_the_schema_limit() {
    let (fake, seen) = timed_transport();
    let client = client(&fake, true);
    let start = Instant::now();
    hammer(&client, 8, 60).await;
    let mut seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 480);
    // `Import` allows 200 calls a second.
    let max = max_in_any_second(&mut seen);
    assert!((190..=200).contains(&max), "{max} calls in one second");
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "480 calls at 200/s"
    );
    let limiter = client.rate_limiter::<Import>().unwrap();
    assert_eq!(limiter.limit(), 200);
    assert!(Arc::ptr_eq(
        &limiter,
        &client.clone().rate_limiter::<Import>().unwrap()
    ));
}

#[tokio::test(start_paused = true)]
async fn off_by_default() {
    let (fake, seen) = timed_transport();
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url("https://fake.invalid/")
        .transport(fake.clone())
        .build()
        .unwrap();
    assert!(client.rate_limiter::<Import>().is_none());
    let start = Instant::now();
    hammer(&client, 4, 100).await;
    assert_eq!(seen.lock().unwrap().len(), 400);
    assert!(start.elapsed() < Duration::from_millis(10));
}

/// A throttling answer holds back the endpoint's other callers for the retry's delay, not
/// only the call that got it.
#[tokio::test(start_paused = true)]
async fn a_throttling_answer_holds_back_other_callers() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let first_answered = Arc::new(tokio::sync::Notify::new());
    let fake = {
        let seen = seen.clone();
        let first_answered = first_answered.clone();
        FakeTransport::with_handler(move |request| {
            let mut seen = seen.lock().unwrap();
            seen.push((Instant::now(), request.body_json().unwrap()));
            if seen.len() == 1 {
                first_answered.notify_one();
                return Ok(HttpResponse::new(
                    200,
                    fail_body(60007, "too many requests").to_string(),
                ));
            }
            Ok(HttpResponse::new(200, ok_body(&["bob"]).to_string()))
        })
    };
    let client = client(&fake, true);
    let a = {
        let client = client.clone();
        tokio::spawn(async move {
            let request = ImportRequest::new("a", &["bob"]);
            client.call::<Import>(&request).await.unwrap();
        })
    };
    first_answered.notified().await;
    let request = ImportRequest::new("b", &["bob"]);
    client.call::<Import>(&request).await.unwrap();
    a.await.unwrap();

    let seen = seen.lock().unwrap();
    let when = |from: &str, nth: usize| {
        seen.iter()
            .filter(|(_, body)| body["From_Account"] == from)
            .nth(nth)
            .map(|(at, _)| *at)
            .unwrap()
    };
    let (throttled, retried, b) = (when("a", 0), when("a", 1), when("b", 0));
    // Without the pause, b would go one spacing (5 ms) after the throttled call, before the
    // retry (a random delay of up to the standard policy's throttling ceiling).
    assert!(b > throttled);
    assert!(
        b + Duration::from_millis(5) >= retried,
        "b went {:?} after the throttled call, the retry {:?}",
        b - throttled,
        retried - throttled
    );
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

// ---------------------------------------------------------------------------------------------
// The limiter on its own, as `tim import` uses it.

/// `workers` callers making `calls` calls each, every call taking a random latency up to
/// `max_latency`, and reaching the service at a random point of it (the worst case for a
/// limiter that books send times only: some early, some late). Returns the times the
/// service saw and the total time.
async fn run(
    limit: u32,
    workers: u64,
    calls: u64,
    max_latency: Duration,
) -> (Vec<Instant>, Duration) {
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
                seen.lock().unwrap().push(Instant::now());
                tokio::time::sleep(latency - arrival).await;
                permit.finish();
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
async fn the_rate_follows_the_mean_reply_time_not_the_slowest() {
    // Replies take 0 to 200 ms, 100 ms on average: at most 100 calls per 1.1 s, a little
    // less as the spacing keeps calls from bunching when several places free up at once.
    let (mut seen, _) = run(100, 32, 100, Duration::from_millis(200)).await;
    assert!(max_in_any_second(&mut seen) <= 100);
    let span = seen[3199] - seen[199];
    let rate = 3000.0 / span.as_secs_f64();
    assert!((87.0..=91.0).contains(&rate), "{rate} calls/s");
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
