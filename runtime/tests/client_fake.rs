//! The fake transport, as a user would script it in their own tests.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use support::{ok_body, Import, ImportError, ImportRequest, ADMIN, KEY, SDKAPPID};
use tim_rest_runtime::client::CallOptions;
use tim_rest_runtime::transport::{
    FakeTransport, HttpRequest, HttpResponse, Method, Transport, TransportError, TransportErrorKind,
};
use tim_rest_runtime::{Client, Error, RetryClass, RetryPolicy};

fn client(fake: &FakeTransport) -> Client {
    Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url("https://fake.invalid/prefix/")
        .transport(fake.clone())
        .build()
        .unwrap()
}

#[tokio::test]
async fn scripted_replies_in_order_and_requests_recorded() {
    let fake = FakeTransport::new();
    fake.push_json(ok_body(&["bob"]))
        .push_status(503, "busy")
        .push_error(TransportError::timeout("too slow"));
    let client = client(&fake);
    let request = ImportRequest::new("alice", &["bob"]);

    let resp = client.call::<Import>(&request).await.unwrap();
    assert_eq!(resp.result_item[0].to_account, "bob");
    let err = client.call::<Import>(&request).await.unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    let err = client.call::<Import>(&request).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout));
    // Nothing left: an error, not a hang.
    let err = client.call::<Import>(&request).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Other));
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(fake.pending_replies(), 0);

    assert_eq!(fake.request_count(), 4);
    let sent = fake.last_request().unwrap();
    assert_eq!(sent.method, Method::Post);
    assert_eq!(sent.path(), "/prefix/v4/sns/friend_import");
    assert_eq!(sent.header("Content-Type"), Some("application/json"));
    assert_eq!(sent.query_param("sdkappid").as_deref(), Some("1400000000"));
    assert_eq!(sent.query_param("identifier").as_deref(), Some(ADMIN));
    assert_eq!(sent.query_param("contenttype").as_deref(), Some("json"));
    sent.query_param("random").unwrap().parse::<u32>().unwrap();
    assert_eq!(
        sent.body_json().unwrap(),
        json!({"From_Account": "alice",
               "AddFriendItem": [{"To_Account": "bob", "AddSource": "AddSource_Type_Test"}]})
    );
    fake.clear_requests();
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test]
async fn a_handler_answers_after_the_queue() {
    let fake = FakeTransport::with_handler(|req| {
        let body = req.body_json().unwrap();
        let to: Vec<&str> = body["AddFriendItem"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["To_Account"].as_str().unwrap())
            .collect();
        Ok(HttpResponse::json(&ok_body(&to)))
    });
    fake.push_json(json!({"ActionStatus": "FAIL", "ErrorCode": 30008, "ErrorInfo": "conflict"}));
    let client = client(&fake);
    let request = ImportRequest::new("alice", &["x", "y"]);
    let resp = client
        .call_with::<Import>(
            &request,
            CallOptions::new()
                .random(9)
                .retry(RetryPolicy::standard().with_base_delay(Duration::from_millis(1))),
        )
        .await
        .unwrap();
    let accounts: Vec<_> = resp
        .result_item
        .iter()
        .map(|i| i.to_account.as_str())
        .collect();
    assert_eq!(accounts, ["x", "y"]);
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests
        .iter()
        .all(|r| r.query_param("random").as_deref() == Some("9")));
}

#[tokio::test]
async fn the_fake_is_a_plain_transport() {
    let fake = FakeTransport::new();
    fake.push_status(204, "");
    let transport: std::sync::Arc<dyn Transport> = std::sync::Arc::new(fake.clone());
    let reply = transport
        .send(tim_rest_runtime::transport::HttpRequest::new(
            Method::Get,
            "https://h/x?usersig=abc",
            Vec::new(),
        ))
        .await
        .unwrap();
    assert_eq!(reply, HttpResponse::new(204, ""));
    assert!(format!("{:?}", fake.requests()).contains("usersig=***"));
}

#[tokio::test]
async fn a_failure_without_the_endpoint_fields_is_typed() {
    let fake = FakeTransport::new();
    // Only the envelope, ErrorDisplay missing: still an API error, not a decode error.
    fake.push_json(json!({"ActionStatus": "FAIL", "ErrorCode": 60007, "ErrorInfo": "slow down"}));
    let err = client(&fake)
        .call::<Import>(&ImportRequest::new("a", &["b"]))
        .await
        .unwrap_err();
    assert_eq!(err.api_error(), Some(&ImportError::RateLimited));
    assert_eq!(err.retry_class(), RetryClass::Throttling);
    assert_eq!(err.error_info(), Some("slow down"));
}

/// Sends `request` through `fake` on another thread and waits at most 5 s for the reply, so a
/// deadlock fails the test instead of hanging it.
fn send_with_deadline(
    fake: &FakeTransport,
    request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    let fake = fake.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let _ = tx.send(runtime.block_on(fake.send(request)));
    });
    match rx.recv_timeout(Duration::from_secs(5)) {
        Ok(reply) => reply,
        Err(RecvTimeoutError::Timeout) => panic!("the fake transport deadlocked"),
        Err(RecvTimeoutError::Disconnected) => panic!("the sending thread panicked"),
    }
}

fn probe() -> HttpRequest {
    HttpRequest::new(Method::Post, "https://fake.invalid/v4/x", b"{}".to_vec())
}

#[test]
fn a_handler_may_use_a_clone_of_its_transport() {
    let fake = FakeTransport::new();
    let inner = fake.clone();
    fake.set_handler(move |_| {
        // Both lock the shared state: they must not find it held by `send`.
        let seen = inner.request_count();
        inner.push_status(201, format!("queued by the handler after {seen} requests"));
        Ok(HttpResponse::new(200, format!("{seen}")))
    });
    let first = send_with_deadline(&fake, probe()).unwrap();
    assert_eq!(first, HttpResponse::new(200, "1"));
    assert_eq!(fake.pending_replies(), 1);
    let second = send_with_deadline(&fake, probe()).unwrap();
    assert_eq!(
        second,
        HttpResponse::new(201, "queued by the handler after 1 requests")
    );
    assert_eq!(fake.request_count(), 2);
    assert!(
        format!("{fake:?}").contains("has_handler: true"),
        "{fake:?}"
    );
}

#[test]
fn a_handler_may_replace_itself() {
    let fake = FakeTransport::new();
    let inner = fake.clone();
    fake.set_handler(move |_| {
        inner.set_handler(|_| Ok(HttpResponse::new(200, "second")));
        Ok(HttpResponse::new(200, "first"))
    });
    assert_eq!(send_with_deadline(&fake, probe()).unwrap().body, b"first");
    assert_eq!(send_with_deadline(&fake, probe()).unwrap().body, b"second");
    assert_eq!(send_with_deadline(&fake, probe()).unwrap().body, b"second");
}

#[test]
fn a_handler_that_sends_through_its_own_transport_gets_an_error() {
    let fake = FakeTransport::new();
    let inner = fake.clone();
    fake.set_handler(move |request| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let nested = runtime.block_on(inner.send(request.clone()));
        let err = nested.expect_err("a nested send cannot be answered by the busy handler");
        Ok(HttpResponse::new(200, err.to_string()))
    });
    let reply = send_with_deadline(&fake, probe()).unwrap();
    assert!(
        String::from_utf8_lossy(&reply.body).contains("handler"),
        "{reply:?}"
    );
}

#[test]
fn a_panicking_handler_is_kept_and_concurrent_sends_wait_their_turn() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let fake = FakeTransport::with_handler(move |_| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        if n == 0 {
            panic!("first call fails");
        }
        std::thread::sleep(Duration::from_millis(20));
        Ok(HttpResponse::new(200, format!("{n}")))
    });
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        drop(fake.send(probe()));
    }));
    assert!(panicked.is_err());

    // Eight threads at once: each waits for the handler, none finds it missing.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let fake = fake.clone();
            std::thread::spawn(move || send_with_deadline(&fake, probe()))
        })
        .collect();
    let mut bodies: Vec<String> = threads
        .into_iter()
        .map(|t| String::from_utf8(t.join().unwrap().unwrap().body).unwrap())
        .collect();
    bodies.sort_by_key(|b| b.parse::<usize>().unwrap());
    assert_eq!(bodies, ["1", "2", "3", "4", "5", "6", "7", "8"]);
    assert_eq!(fake.request_count(), 9);
}

#[tokio::test]
async fn service_text_in_an_api_error_is_redacted() {
    let leaky = "check https://h/v4/x?sdkappid=1&usersig=eJxSECRETSIG&random=2";
    let fake = FakeTransport::new();
    // The endpoint's own response shape, then the bare envelope.
    let mut full = ok_body(&["b"]);
    full["ActionStatus"] = json!("FAIL");
    full["ErrorCode"] = json!(30001);
    full["ErrorInfo"] = json!(leaky);
    full["ErrorDisplay"] = json!(format!("display: {leaky}"));
    fake.push_json(full).push_json(json!({
        "ActionStatus": "FAIL",
        "ErrorCode": 30001,
        "ErrorInfo": leaky,
        "ErrorDisplay": format!("display: {leaky}")
    }));
    let client = client(&fake);
    for _ in 0..2 {
        let err = client
            .call::<Import>(&ImportRequest::new("a", &["b"]))
            .await
            .unwrap_err();
        match &err {
            Error::Api { info, display, .. } => {
                assert_eq!(info, "check https://h/v4/x?sdkappid=1&usersig=***&random=2");
                assert_eq!(
                    display,
                    "display: check https://h/v4/x?sdkappid=1&usersig=***&random=2"
                );
            }
            other => panic!("expected Api, got {other:?}"),
        }
        assert_eq!(err.code(), Some(30001));
        let text = format!("{err} {err:?}");
        assert!(!text.contains("SECRETSIG"), "{text}");
    }
}

#[tokio::test]
async fn a_zero_delay_policy_is_bounded() {
    let fake = FakeTransport::with_handler(|_| Ok(HttpResponse::new(503, "busy")));
    let client = client(&fake);
    let policy = RetryPolicy::standard()
        .with_base_delay(Duration::ZERO)
        .with_max_delay(Duration::ZERO)
        .with_max_attempts(u32::MAX);
    let started = std::time::Instant::now();
    let err = client
        .call_with::<Import>(
            &ImportRequest::new("a", &["b"]),
            CallOptions::new().retry(policy),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(fake.request_count(), RetryPolicy::MAX_ATTEMPTS as usize);
    // At least the minimum wait before each of the 9 retries.
    assert!(
        started.elapsed() >= RetryPolicy::MIN_DELAY * (RetryPolicy::MAX_ATTEMPTS - 1),
        "{:?}",
        started.elapsed()
    );
}

/// Hooks judge failures and see every attempt, inside the client's own retry loop.
#[tokio::test]
async fn hooks_reclassify_failures_and_observe_every_attempt() {
    use std::sync::Mutex;
    use tim_rest_runtime::client::{AttemptFailure, AttemptReport, CallHooks};

    #[derive(Default)]
    struct Log(Mutex<Vec<Option<(AttemptFailure, RetryClass)>>>);
    impl CallHooks for Log {
        fn classify(&self, failure: AttemptFailure, class: RetryClass) -> RetryClass {
            // An unreadable reply to a write that is safe to repeat: try again.
            if failure == AttemptFailure::Decode {
                RetryClass::Transient
            } else {
                class
            }
        }
        fn on_attempt(&self, report: &AttemptReport) {
            self.0.lock().unwrap().push(report.failure);
        }
    }

    let fake = FakeTransport::new();
    fake.push_status(200, "<html>not json</html>")
        .push_json(ok_body(&["bob"]));
    let client = client(&fake);
    let log = Arc::new(Log::default());
    let policy = RetryPolicy::standard().with_base_delay(Duration::from_millis(1));
    let options = CallOptions::new()
        .retry(policy.clone())
        .hooks(log.clone())
        .limiter(Arc::new(tim_rest_runtime::RateLimiter::new(1000)));
    let resp = client
        .call_with::<Import>(&ImportRequest::new("alice", &["bob"]), options)
        .await
        .unwrap();
    assert_eq!(resp.result_item[0].to_account, "bob");
    assert_eq!(
        *log.0.lock().unwrap(),
        [Some((AttemptFailure::Decode, RetryClass::Transient)), None]
    );
    assert!(AttemptFailure::Decode.may_have_applied());
    assert!(!AttemptFailure::Transport { connect: true }.may_have_applied());

    // Without the hook the same reply is not retried: a decoding failure is `Never`.
    fake.push_status(200, "<html>not json</html>");
    let err = client
        .call_with::<Import>(
            &ImportRequest::new("alice", &["bob"]),
            CallOptions::new().retry(policy),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }));
}
