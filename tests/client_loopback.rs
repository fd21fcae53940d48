//! The README's client snippet, with the generated friend_import types, over a real loopback
//! socket against a small server that answers like the service and verifies the UserSig.
#![cfg(feature = "reqwest")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use serde_json::{json, Value};
use tim_rest::sns::friend_import::{self, AddFriendItem, CustomItem, ResultItem};
use tim_rest::{Client, RetryPolicy};

const SDKAPPID: u64 = 1400000000;
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

#[derive(Default)]
struct Service {
    hits: AtomicUsize,
    /// Answer this many calls with 30006 (internal error) before serving.
    fail_first: AtomicUsize,
}

async fn friend_import(
    State(service): State<Arc<Service>>,
    Query(query): Query<std::collections::HashMap<String, String>>,
    body: Bytes,
) -> axum::Json<Value> {
    service.hits.fetch_add(1, Ordering::SeqCst);
    let fail = |code: i64, info: String| {
        axum::Json(json!({"ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": info}))
    };
    if query.get("contenttype").map(String::as_str) != Some("json")
        || query
            .get("random")
            .and_then(|r| r.parse::<u32>().ok())
            .is_none()
    {
        return fail(60002, "bad query".into());
    }
    if query.get("sdkappid").and_then(|s| s.parse::<u64>().ok()) != Some(SDKAPPID) {
        return fail(60006, "bad sdkappid".into());
    }
    let (admin, sig) = (
        query.get("identifier").cloned().unwrap_or_default(),
        query.get("usersig").cloned().unwrap_or_default(),
    );
    if let Err(e) = tim_rest::usersig::verify(SDKAPPID, KEY, &admin, &sig) {
        return fail(e.service_code(), e.to_string());
    }
    if service.fail_first.load(Ordering::SeqCst) > 0 {
        service.fail_first.fetch_sub(1, Ordering::SeqCst);
        return fail(30006, "Err_SNS_Internal".into());
    }
    let Ok(req) = serde_json::from_slice::<friend_import::Request>(&body) else {
        return fail(60003, "bad json".into());
    };
    let items: Vec<ResultItem> = req
        .add_friend_item
        .iter()
        .map(|i| {
            ResultItem::new(
                i.to_account.clone(),
                if i.to_account.starts_with("full") {
                    30010
                } else {
                    0
                },
            )
        })
        .collect();
    let failed: Vec<String> = items
        .iter()
        .filter(|i| i.result_code != 0)
        .map(|i| i.to_account.clone())
        .collect();
    axum::Json(
        serde_json::to_value(friend_import::Response::new(items).fail_account(failed)).unwrap(),
    )
}

async fn serve(service: Arc<Service>) -> String {
    let app = axum::Router::new()
        .route("/v4/sns/friend_import", axum::routing::post(friend_import))
        .with_state(service);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn client(base: &str) -> Client {
    Client::builder()
        .sdkappid(SDKAPPID)
        .admin("administrator")
        .secret_key(KEY)
        .base_url(base)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn readme_snippet_against_a_local_server() {
    let service = Arc::new(Service::default());
    let client = client(&serve(service.clone()).await);

    let req = friend_import::Request::new(
        "alice",
        vec![
            AddFriendItem::new("bob", "AddSource_Type_Android")
                .remark("Bobby")
                .group_name(["朋友"])
                .custom_item([CustomItem::new("Tag_SNS_Custom_Level", 3u64)]),
            AddFriendItem::new("full_friend_list", "AddSource_Type_Android"),
        ],
    );
    let resp = client.friend_import(&req).await.unwrap();
    let mut failures = Vec::new();
    for item in &resp.result_item {
        if let Err(e) = item.result() {
            failures.push(format!("{}: {e}", item.to_account));
        }
    }
    assert_eq!(
        failures,
        ["full_friend_list: error 30010: the friend count is at the system limit"]
    );
    assert_eq!(resp.fail_account, ["full_friend_list"]);
    assert_eq!(service.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_invalid_request_never_reaches_the_server() {
    let service = Arc::new(Service::default());
    let client = client(&serve(service.clone()).await);
    let req = friend_import::Request::new("alice", [AddFriendItem::new("bob", "Android")]);
    let err = client.friend_import(&req).await.unwrap_err();
    assert!(matches!(err, tim_rest::Error::InvalidRequest(_)), "{err:?}");
    assert!(
        err.to_string().contains("AddFriendItem[0].AddSource"),
        "{err}"
    );
    assert_eq!(service.hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_transient_code_is_typed_and_retried_only_when_asked() {
    let service = Arc::new(Service::default());
    let base = serve(service.clone()).await;
    let req =
        friend_import::Request::new("alice", [AddFriendItem::new("bob", "AddSource_Type_Web")]);

    service.fail_first.store(1, Ordering::SeqCst);
    let err = client(&base).friend_import(&req).await.unwrap_err();
    assert_eq!(err.api_error(), Some(&friend_import::Error::InternalError));
    assert!(err.is_retryable());
    assert_eq!(service.hits.load(Ordering::SeqCst), 1);

    service.fail_first.store(2, Ordering::SeqCst);
    let policy = RetryPolicy::standard()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5));
    let retrying = Client::builder()
        .sdkappid(SDKAPPID)
        .admin("administrator")
        .secret_key(KEY)
        .base_url(&base)
        .retry(policy)
        .build()
        .unwrap();
    let resp = retrying.friend_import(&req).await.unwrap();
    assert_eq!(resp.result_item.len(), 1);
    assert_eq!(service.hits.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_wrong_key_is_the_services_signature_error() {
    let service = Arc::new(Service::default());
    let base = serve(service.clone()).await;
    let wrong = Client::builder()
        .sdkappid(SDKAPPID)
        .admin("administrator")
        .secret_key("not-the-key")
        .base_url(&base)
        .build()
        .unwrap();
    let req =
        friend_import::Request::new("alice", [AddFriendItem::new("bob", "AddSource_Type_Web")]);
    let err = wrong.friend_import(&req).await.unwrap_err();
    assert_eq!(
        err.api_error(),
        Some(&friend_import::Error::Common(
            tim_rest::CommonError::UserSigBadKey
        ))
    );
    assert!(!format!("{err:?} {err}").contains("not-the-key"));
}
