//! The client against a real socket: the reqwest transport and an axum server on 127.0.0.1
//! that answers like the service.
#![cfg(feature = "reqwest")]

mod support;

use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use support::{
    ok_body, Capture, Import, ImportError, ImportRequest, RawServer, Reply, TestServer, ADMIN, KEY,
    SDKAPPID,
};
use tim_rest_runtime::client::CallOptions;
use tim_rest_runtime::transport::{
    HttpRequest, Method, ReqwestTransport, Transport, TransportErrorKind,
};
use tim_rest_runtime::usersig::{self, SecretKey};
use tim_rest_runtime::{ActionStatus, ApiError, Client, Error, RetryClass, RetryPolicy, Rule};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Retries with tiny waits, so the suite stays fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard()
        .with_base_delay(Duration::from_millis(2))
        .with_max_delay(Duration::from_millis(10))
}

fn request() -> ImportRequest {
    ImportRequest::new("alice", &["bob"])
}

#[tokio::test]
async fn ok_reply_is_decoded() {
    let server = TestServer::start().await;
    let resp = client(&server).call::<Import>(&request()).await.unwrap();
    assert_eq!(resp.action_status, ActionStatus::Ok);
    assert_eq!(resp.result_item.len(), 1);
    assert_eq!(resp.result_item[0].to_account, "bob");
    assert!(resp.fail_account.is_empty());

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/v4/sns/friend_import");
    assert_eq!(seen[0].content_type.as_deref(), Some("application/json"));
    assert_eq!(
        seen[0].body,
        json!({
            "From_Account": "alice",
            "AddFriendItem": [{"To_Account": "bob", "AddSource": "AddSource_Type_Test"}]
        })
    );
}

#[tokio::test]
async fn query_parameters_and_usersig_are_what_the_service_checks() {
    // The server verifies every request (sdkappid, identifier, random, contenttype, UserSig
    // through usersig::verify_at) and answers FAIL if anything is off.
    let server = TestServer::start().await;
    let client = client(&server);
    client.call::<Import>(&request()).await.unwrap();
    client
        .call_with::<Import>(&request(), CallOptions::new().random(42))
        .await
        .unwrap();
    client
        .call_with::<Import>(&request(), CallOptions::new().random(u32::MAX))
        .await
        .unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.query["sdkappid"], SDKAPPID.to_string());
        assert_eq!(s.query["identifier"], ADMIN);
        assert_eq!(s.query["contenttype"], "json");
        s.query["random"].parse::<u32>().unwrap();
        let claims = usersig::verify_at(
            SDKAPPID,
            &SecretKey::new(KEY),
            ADMIN,
            &s.query["usersig"],
            SystemTime::now(),
        )
        .unwrap();
        assert_eq!(claims.validity, Duration::from_secs(7 * 86400));
    }
    assert_eq!(seen[1].query["random"], "42");
    assert_eq!(seen[2].query["random"], "4294967295");
    // The cached UserSig is reused.
    assert_eq!(seen[0].query["usersig"], seen[1].query["usersig"]);
}

#[tokio::test]
async fn a_wrong_key_is_refused_by_the_server() {
    let server = TestServer::start().await;
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key("not-the-key")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = client.call::<Import>(&request()).await.unwrap_err();
    assert_eq!(err.api_error(), Some(&ImportError::BadUserSig));
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn partial_failure_is_ok_with_typed_items() {
    let body = json!({
        "ResultItem": [
            {"To_Account": "id1", "ResultCode": 0, "ResultInfo": ""},
            {"To_Account": "id2", "ResultCode": 30010,
             "ResultInfo": "Err_SNS_FriendImport_My_Friend_Num_Exceed_Threshold"},
            {"To_Account": "id3", "ResultCode": 30002,
             "ResultInfo": "Err_SNS_FriendImport_SdkAppId_Illegal"}
        ],
        "Fail_Account": ["id2", "id3"],
        "ActionStatus": "OK",
        "ErrorCode": 0,
        "ErrorInfo": "",
        "ErrorDisplay": ""
    });
    let server = TestServer::builder().reply(Reply::Json(body)).start().await;
    let resp = client(&server)
        .call::<Import>(&ImportRequest::new("alice", &["id1", "id2", "id3"]))
        .await
        .unwrap();
    assert_eq!(resp.fail_account, ["id2", "id3"]);
    assert!(resp.result_item[0].result().is_ok());
    assert_eq!(resp.result_item[1].result(), Err(ImportError::FriendLimit));
    let unknown = resp.result_item[2].result().unwrap_err();
    assert!(matches!(unknown, ImportError::Unknown(_)));
    assert_eq!(unknown.code(), 30002);
}

#[tokio::test]
async fn fail_reply_is_a_typed_api_error() {
    let server = TestServer::builder()
        .reply(Reply::Json(json!({
            "ActionStatus": "FAIL",
            "ErrorCode": 30001,
            "ErrorInfo": "Err_SNS_FriendImport_Invalid_Param",
            "ErrorDisplay": "参数错误"
        })))
        .reply(Reply::fail(30006, "internal error"))
        .reply(Reply::fail(60007, "too fast"))
        .reply(Reply::fail(30008, "conflict"))
        .reply(Reply::fail(91234, "something new"))
        .start()
        .await;
    let client = client(&server);

    let err = client.call::<Import>(&request()).await.unwrap_err();
    match &err {
        Error::Api {
            error,
            info,
            display,
            action_status,
        } => {
            assert_eq!(error, &ImportError::InvalidParameter);
            assert_eq!(info, "Err_SNS_FriendImport_Invalid_Param");
            assert_eq!(display, "参数错误");
            assert_eq!(action_status, &ActionStatus::Fail);
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(err.code(), Some(30001));
    assert_eq!(err.error_info(), Some("Err_SNS_FriendImport_Invalid_Param"));
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(text.contains("30001") && text.contains("Err_SNS_FriendImport_Invalid_Param"));

    let classes = [
        (30006, RetryClass::Transient),
        (60007, RetryClass::Throttling),
        (30008, RetryClass::Conflict),
        (91234, RetryClass::Never),
    ];
    for (code, class) in classes {
        let err = client.call::<Import>(&request()).await.unwrap_err();
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.retry_class(), class, "{code}");
    }
    assert_eq!(server.hits(), 5);
}

#[tokio::test]
async fn error_code_with_ok_status_is_a_failure() {
    let mut body = ok_body(&["bob"]);
    body["ErrorCode"] = json!(30001);
    let server = TestServer::builder().reply(Reply::Json(body)).start().await;
    let err = client(&server)
        .call::<Import>(&request())
        .await
        .unwrap_err();
    assert_eq!(err.api_error(), Some(&ImportError::InvalidParameter));
}

#[tokio::test]
async fn bad_gateway_keeps_a_snippet_and_is_transient() {
    let html = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "x".repeat(2000)
    );
    let server = TestServer::builder()
        .reply(Reply::Raw(502, "text/html", html))
        .start()
        .await;
    let err = client(&server)
        .call::<Import>(&request())
        .await
        .unwrap_err();
    match &err {
        Error::HttpStatus {
            status,
            body_snippet,
        } => {
            assert_eq!(*status, 502);
            assert!(body_snippet.starts_with("<html><head><title>502 Bad Gateway"));
            assert!(body_snippet.len() <= 512 + 3, "{}", body_snippet.len());
        }
        other => panic!("expected HttpStatus, got {other:?}"),
    }
    assert_eq!(err.retry_class(), RetryClass::Transient);
    assert!(err.is_retryable());
    assert_eq!(err.http_status(), Some(502));
    assert_eq!(err.code(), None);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_decode_error() {
    let server = TestServer::builder()
        .reply(Reply::Raw(
            200,
            "text/plain",
            "<html>maintenance</html>".into(),
        ))
        .reply(Reply::Json(json!({"ActionStatus": "OK", "ErrorCode": 0})))
        .start()
        .await;
    let client = client(&server);
    let err = client.call::<Import>(&request()).await.unwrap_err();
    match &err {
        Error::Decode { body_snippet, .. } => assert_eq!(body_snippet, "<html>maintenance</html>"),
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.retry_class(), RetryClass::Never);

    // JSON, an OK envelope, but without the endpoint's required fields: also Decode.
    let err = client.call::<Import>(&request()).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("ResultItem"), "{err}");
}

#[tokio::test]
async fn a_slow_reply_times_out() {
    let server = TestServer::builder()
        .reply(Reply::Slow(Duration::from_secs(3), ok_body(&["bob"])))
        .start()
        .await;
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.call::<Import>(&request()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match &err {
        Error::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::Timeout, "{e}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(err.retry_class(), RetryClass::Transient);

    // A per-call timeout overrides the client's.
    let server = TestServer::builder()
        .reply(Reply::Slow(Duration::from_millis(300), ok_body(&["bob"])))
        .start()
        .await;
    let patient = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = patient
        .call_with::<Import>(
            &request(),
            CallOptions::new().timeout(Duration::from_millis(100)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_per_call_timeout_longer_than_the_clients_is_honoured() {
    let server = TestServer::builder()
        .reply(Reply::Slow(Duration::from_millis(300), ok_body(&["bob"])))
        .start()
        .await;
    let hasty = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let resp = hasty
        .call_with::<Import>(
            &request(),
            CallOptions::new().timeout(Duration::from_millis(500)),
        )
        .await
        .unwrap();
    assert_eq!(resp.result_item[0].to_account, "bob");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_redirect_is_returned_not_followed() {
    // Where the redirect points: a host the base-URL rules never checked.
    let elsewhere = TestServer::start().await;
    let redirecting = RawServer::start(format!(
        "HTTP/1.1 302 Found\r\nLocation: {}/v4/sns/friend_import\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n",
        elsewhere.base_url()
    ))
    .await;
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url(redirecting.url())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = client.call::<Import>(&request()).await.unwrap_err();
    assert_eq!(err.http_status(), Some(302), "{err:?}");
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(redirecting.heads().len(), 1);
    assert_eq!(elsewhere.hits(), 0);
}

/// A 200 reply whose body is `len` bytes of JSON-ish filler, with or without a
/// `Content-Length` (without one, the body runs to the end of the connection).
fn big_reply(len: usize, content_length: bool) -> Vec<u8> {
    let mut reply = String::from("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
    if content_length {
        reply.push_str(&format!("Content-Length: {len}\r\n"));
    }
    reply.push_str("Connection: close\r\n\r\n");
    let mut bytes = reply.into_bytes();
    bytes.resize(bytes.len() + len, b' ');
    bytes
}

#[tokio::test]
async fn an_oversized_body_fails_cleanly() {
    let over = ReqwestTransport::DEFAULT_MAX_BODY + 1024;
    for content_length in [true, false] {
        let server = RawServer::start(big_reply(over, content_length)).await;
        let client = Client::builder()
            .sdkappid(SDKAPPID)
            .admin(ADMIN)
            .secret_key(KEY)
            .base_url(server.url())
            .timeout(Duration::from_secs(10))
            .retry(fast_retries())
            .build()
            .unwrap();
        let err = client.call::<Import>(&request()).await.unwrap_err();
        match &err {
            Error::Transport(e) => {
                assert_eq!(e.kind(), TransportErrorKind::Other, "{e}");
                assert!(e.message().contains("8388608"), "{e}");
            }
            other => panic!("expected Transport, got {other:?}"),
        }
        assert_eq!(err.retry_class(), RetryClass::Never);
        assert_eq!(server.heads().len(), 1, "not retried");
    }
}

#[tokio::test]
async fn the_body_limit_of_a_transport_can_be_set() {
    let transport = ReqwestTransport::new().unwrap().max_body(1000);
    for content_length in [true, false] {
        let at_limit = RawServer::start(big_reply(1000, content_length)).await;
        let reply = transport
            .send(HttpRequest::new(
                Method::Post,
                at_limit.url(),
                b"{}".to_vec(),
            ))
            .await
            .unwrap();
        assert_eq!(reply.body.len(), 1000);

        let over = RawServer::start(big_reply(1001, content_length)).await;
        let err = transport
            .send(HttpRequest::new(Method::Post, over.url(), b"{}".to_vec()))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other, "{err}");
        assert!(err.message().contains("1000 bytes"), "{err}");
    }
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    // A UserSig known to the test, so the check below looks for the real text.
    let sig = usersig::generate(
        SDKAPPID,
        &SecretKey::new(KEY),
        ADMIN,
        Duration::from_secs(3600),
    )
    .unwrap();
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .usersig(sig.clone())
        .base_url(format!("http://{addr}"))
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = client.call::<Import>(&request()).await.unwrap_err();
    match &err {
        Error::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::Connect, "{e}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(err.retry_class(), RetryClass::Transient);
    assert!(err.was_not_sent());
    let text = format!("{err} {err:?}");
    assert!(!text.contains(sig.expose_secret()), "{text}");
    assert!(!text.contains(KEY), "{text}");
}

#[tokio::test]
async fn an_invalid_request_never_reaches_the_server() {
    let server = TestServer::start().await;
    let client = client(&server);
    let err = client
        .call::<Import>(&ImportRequest::new("", &[]))
        .await
        .unwrap_err();
    match &err {
        Error::InvalidRequest(v) => {
            let violations = v.violations();
            assert_eq!(violations.len(), 2);
            assert_eq!(violations[0].path, "From_Account");
            assert_eq!(violations[0].rule, Rule::NonEmpty);
            assert_eq!(violations[1].path, "AddFriendItem");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert!(err.was_not_sent());
    // Not even with a retry policy.
    let err = client
        .call_with::<Import>(
            &ImportRequest::new("", &["bob"]),
            CallOptions::new().retry(fast_retries()),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert_eq!(server.hits(), 0);
}

#[tokio::test]
async fn transient_codes_are_retried_under_a_policy() {
    let script = || {
        TestServer::builder()
            .reply(Reply::fail(30006, "internal error"))
            .reply(Reply::fail(30006, "internal error"))
    };

    // With a policy: two failures, then the fallback OK.
    let server = script().start().await;
    let with_policy = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url(server.base_url())
        .retry(fast_retries())
        .build()
        .unwrap();
    with_policy.call::<Import>(&request()).await.unwrap();
    assert_eq!(server.hits(), 3);
    let randoms: Vec<String> = server
        .seen()
        .iter()
        .map(|s| s.query["random"].clone())
        .collect();
    assert!(
        randoms[0] != randoms[1] || randoms[1] != randoms[2],
        "fresh random per attempt"
    );

    // Without one (the default): one attempt.
    let server = script().start().await;
    let err = client(&server)
        .call::<Import>(&request())
        .await
        .unwrap_err();
    assert_eq!(err.api_error(), Some(&ImportError::InternalError));
    assert_eq!(server.hits(), 1);

    // The policy of one call.
    let server = script().start().await;
    client(&server)
        .call_with::<Import>(&request(), CallOptions::new().retry(fast_retries()))
        .await
        .unwrap();
    assert_eq!(server.hits(), 3);

    // max_attempts bounds the attempts.
    let server = script().start().await;
    let err = client(&server)
        .call_with::<Import>(
            &request(),
            CallOptions::new().retry(fast_retries().with_max_attempts(2)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(30006));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn bad_gateway_and_conflicts_are_retried_but_never_class_codes_are_not() {
    let server = TestServer::builder()
        .reply(Reply::Raw(503, "text/html", "<h1>unavailable</h1>".into()))
        .reply(Reply::fail(30008, "conflict"))
        .reply(Reply::fail(60007, "too fast"))
        .start()
        .await;
    let policy = fast_retries().with_max_attempts(4);
    client(&server)
        .call_with::<Import>(&request(), CallOptions::new().retry(policy.clone()))
        .await
        .unwrap();
    assert_eq!(server.hits(), 4);

    let server = TestServer::builder()
        .reply(Reply::fail(30001, "bad parameter"))
        .start()
        .await;
    let err = client(&server)
        .call_with::<Import>(&request(), CallOptions::new().retry(policy.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(30001));
    assert_eq!(server.hits(), 1);

    // A class switched off is not retried.
    let server = TestServer::builder()
        .reply(Reply::fail(30008, "conflict"))
        .start()
        .await;
    let err = client(&server)
        .call_with::<Import>(
            &request(),
            CallOptions::new().retry(policy.retry_conflict(false)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.retry_class(), RetryClass::Conflict);
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn an_expired_usersig_is_renewed_and_retried_once() {
    let server = TestServer::builder()
        .reply(Reply::fail(70001, "UserSig expired"))
        .start()
        .await;
    // No retry policy: the renewal retry happens regardless.
    let client = client(&server);
    let resp = client.call::<Import>(&request()).await.unwrap();
    assert_eq!(resp.result_item[0].to_account, "bob");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let (first, second) = (&seen[0].query["usersig"], &seen[1].query["usersig"]);
    assert_ne!(first, second, "a new UserSig");
    let key = SecretKey::new(KEY);
    usersig::verify(SDKAPPID, &key, ADMIN, second).unwrap();

    // The new one is cached for later calls.
    client.call::<Import>(&request()).await.unwrap();
    assert_eq!(&server.seen()[2].query["usersig"], second);
}

#[tokio::test]
async fn a_usersig_is_renewed_only_once_per_call() {
    let server = TestServer::builder()
        .reply(Reply::fail(70052, "UserSig invalidated"))
        .reply(Reply::fail(70001, "UserSig expired"))
        .reply(Reply::fail(70001, "UserSig expired"))
        .start()
        .await;
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url(server.base_url())
        .retry(fast_retries().with_max_attempts(5))
        .build()
        .unwrap();
    let err = client.call::<Import>(&request()).await.unwrap_err();
    assert_eq!(err.api_error(), Some(&ImportError::UserSigExpired));
    assert_eq!(err.retry_class(), RetryClass::Credentials);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_fixed_usersig_cannot_be_renewed() {
    // Signed an hour ago for one minute: the server finds it expired (70001).
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let stale = usersig::generate_at(
        SDKAPPID,
        &SecretKey::new(KEY),
        ADMIN,
        Duration::from_secs(60),
        an_hour_ago,
    )
    .unwrap();
    let server = TestServer::start().await;
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .usersig(stale.clone())
        .base_url(server.base_url())
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = client.call::<Import>(&request()).await.unwrap_err();
    assert_eq!(err.api_error(), Some(&ImportError::UserSigExpired));
    assert!(
        err.is_retryable(),
        "retryable by the caller after re-signing"
    );
    assert_eq!(server.hits(), 1);
    assert_eq!(server.seen()[0].query["usersig"], stale.expose_secret());

    // A fresh fixed UserSig works as it is.
    let fresh = usersig::generate(
        SDKAPPID,
        &SecretKey::new(KEY),
        ADMIN,
        Duration::from_secs(600),
    )
    .unwrap();
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .usersig(fresh)
        .base_url(server.base_url())
        .build()
        .unwrap();
    client.call::<Import>(&request()).await.unwrap();
}

#[tokio::test]
async fn a_shared_client_serves_concurrent_tasks() {
    let server = TestServer::start().await;
    let client = client(&server);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.call::<Import>(&request()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 8);
    assert!(seen
        .iter()
        .all(|s| s.query["usersig"] == seen[0].query["usersig"]));
}

#[test]
fn logs_never_carry_the_usersig_or_the_query() {
    support::keep_callsites_interested();
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sigs = runtime.block_on(async {
        let server = TestServer::builder()
            .reply(Reply::fail(70001, "expired"))
            .reply(Reply::fail(30006, "internal"))
            .reply(Reply::Raw(502, "text/html", "bad gateway".into()))
            .start()
            .await;
        let client = Client::builder()
            .sdkappid(SDKAPPID)
            .admin(ADMIN)
            .secret_key(KEY)
            .base_url(server.base_url())
            .retry(fast_retries().with_max_attempts(4))
            .build()
            .unwrap();
        client.call::<Import>(&request()).await.unwrap();
        let _ = client.call::<Import>(&ImportRequest::new("", &["x"])).await;
        server
            .seen()
            .iter()
            .map(|s| s.query["usersig"].clone())
            .collect::<Vec<_>>()
    });
    let logs = capture.text();
    assert!(logs.contains("v4/sns/friend_import"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    for sig in &sigs {
        assert!(!logs.contains(sig.as_str()), "{logs}");
    }
    assert!(!logs.contains(KEY));
    assert!(!logs.contains("usersig="), "{logs}");
    assert!(!logs.contains("sdkappid="), "{logs}");
}
