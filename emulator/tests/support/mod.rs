//! What the emulator's integration tests share: starting one, a real client for it, raw HTTP.
#![allow(dead_code)]

use std::time::Duration;

use serde_json::Value;
use tim_rest::im_open_login_svc::multiaccount_import::{self, AccountItem};
use tim_rest::usersig;
use tim_rest::Client;
use tim_rest_emulator::{start, Emulator, EmulatorConfig};

/// An emulator on a free loopback port.
pub async fn emulator(config: EmulatorConfig) -> Emulator {
    start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the emulator starts")
}

/// The real client, signing with the emulator's key, no retries.
pub fn client(emulator: &Emulator) -> Client {
    builder(emulator).build().expect("client")
}

/// A client builder set up for the emulator, to change one setting.
pub fn builder(emulator: &Emulator) -> tim_rest::ClientBuilder {
    Client::builder()
        .sdkappid(emulator.sdkappid())
        .admin(emulator.admin())
        .secret_key(emulator.key().clone())
        .base_url(emulator.base_url())
        .timeout(Duration::from_secs(10))
}

/// Imports `ids` (100 per request).
pub async fn import_accounts<S: AsRef<str>>(client: &Client, ids: &[S]) {
    for chunk in ids.chunks(100) {
        let req = multiaccount_import::Request::new()
            .account_list(chunk.iter().map(|id| AccountItem::new(id.as_ref())));
        let resp = client.multiaccount_import(&req).await.expect("import");
        assert!(resp.fail_accounts.is_empty());
    }
}

/// `prefix0 .. prefix{n-1}`.
pub fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// A well-formed query string signed for the admin.
pub fn good_query(emulator: &Emulator) -> String {
    let sig = usersig::generate(
        emulator.sdkappid(),
        emulator.key(),
        emulator.admin(),
        Duration::from_secs(3600),
    )
    .unwrap();
    format!(
        "sdkappid={}&identifier={}&usersig={}&random=12345&contenttype=json",
        emulator.sdkappid(),
        emulator.admin(),
        sig.expose_secret()
    )
}

/// A raw HTTP call: `(status, body text)`.
pub async fn raw(
    emulator: &Emulator,
    method: reqwest::Method,
    path_and_query: &str,
    body: &str,
) -> (u16, String) {
    let url = format!("{}/{}", emulator.base_url(), path_and_query);
    let resp = reqwest::Client::new()
        .request(method, url)
        .body(body.to_owned())
        .send()
        .await
        .expect("a reply");
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

/// POSTs `body` to `path` with `query`; returns the JSON reply (asserting HTTP 200).
pub async fn post_json(emulator: &Emulator, path: &str, query: &str, body: &str) -> Value {
    let (status, text) = raw(
        emulator,
        reqwest::Method::POST,
        &format!("{path}?{query}"),
        body,
    )
    .await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The `ErrorCode` of a FAIL envelope (asserting it is one).
pub fn fail_code(reply: &Value) -> i64 {
    assert_eq!(reply["ActionStatus"], "FAIL", "{reply}");
    reply["ErrorCode"].as_i64().expect("ErrorCode")
}
