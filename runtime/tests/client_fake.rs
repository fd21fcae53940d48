//! The fake transport, as a user would script it in their own tests.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{ok_body, Import, ImportError, ImportRequest, ADMIN, KEY, SDKAPPID};
use tim_rest_runtime::client::CallOptions;
use tim_rest_runtime::transport::{
    FakeTransport, HttpResponse, Method, Transport, TransportError, TransportErrorKind,
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
                .retry(RetryPolicy::standard().base_delay(Duration::from_millis(1))),
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
