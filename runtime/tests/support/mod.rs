//! Shared by the client tests: a hand-written endpoint (the code generator is not used here),
//! a loopback test server that answers like the service, and a tracing capture.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tim_rest_runtime::usersig::{self, SecretKey};
use tim_rest_runtime::validate::Path;
use tim_rest_runtime::{
    ActionStatus, ApiError, BatchField, Endpoint, Envelope, RateLimit, RetryClass, Rule,
    UnknownCode, Validate, Violation,
};

pub const SDKAPPID: u64 = 1400000000;
pub const ADMIN: &str = "administrator";
/// The sample key every public TLSSigAPIv2 test uses.
pub const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

// ---------------------------------------------------------------------------------------------
// A hand-written endpoint shaped like v4/sns/friend_import.

/// The endpoint marker.
pub struct Import;

impl Endpoint for Import {
    const PATH: &'static str = "v4/sns/friend_import";
    const RATE_LIMIT: Option<RateLimit> = Some(RateLimit { per_second: 200 });
    const BATCH: Option<BatchField> = Some(BatchField {
        wire_name: "AddFriendItem",
        max_items: 1000,
    });
    type Request = ImportRequest;
    type Response = ImportResponse;
    type Error = ImportError;
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportRequest {
    #[serde(rename = "From_Account")]
    pub from_account: String,
    #[serde(rename = "AddFriendItem")]
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    #[serde(rename = "To_Account")]
    pub to_account: String,
    #[serde(rename = "AddSource")]
    pub add_source: String,
}

impl ImportRequest {
    pub fn new(from: &str, to: &[&str]) -> Self {
        ImportRequest {
            from_account: from.to_owned(),
            items: to
                .iter()
                .map(|t| Item {
                    to_account: (*t).to_owned(),
                    add_source: "AddSource_Type_Test".to_owned(),
                })
                .collect(),
        }
    }
}

impl Validate for ImportRequest {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        if self.from_account.is_empty() {
            out.push(Violation {
                path: Path::Field(path, "From_Account").to_string(),
                rule: Rule::NonEmpty,
                value: "\"\"".to_owned(),
            });
        }
        if self.items.is_empty() {
            out.push(Violation {
                path: Path::Field(path, "AddFriendItem").to_string(),
                rule: Rule::MinItems(1),
                value: "[]".to_owned(),
            });
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ImportResponse {
    /// Required, so a FAIL reply without it exercises the client's fallback envelope.
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<ResultItem>,
    #[serde(rename = "Fail_Account", default)]
    pub fail_account: Vec<String>,
    #[serde(rename = "ActionStatus")]
    pub action_status: ActionStatus,
    #[serde(rename = "ErrorCode")]
    pub error_code: i64,
    #[serde(rename = "ErrorInfo", default)]
    pub error_info: String,
    #[serde(rename = "ErrorDisplay", default)]
    pub error_display: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ResultItem {
    #[serde(rename = "To_Account")]
    pub to_account: String,
    #[serde(rename = "ResultCode")]
    pub result_code: i64,
    #[serde(rename = "ResultInfo", default)]
    pub result_info: String,
}

impl ResultItem {
    pub fn result(&self) -> Result<(), ImportError> {
        match self.result_code {
            0 => Ok(()),
            code => Err(ImportError::from_code(code)),
        }
    }
}

impl Envelope for ImportResponse {
    fn action_status(&self) -> &ActionStatus {
        &self.action_status
    }
    fn error_code(&self) -> i64 {
        self.error_code
    }
    fn error_info(&self) -> &str {
        &self.error_info
    }
    fn error_display(&self) -> &str {
        &self.error_display
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    InvalidParameter,
    InternalError,
    WriteConflict,
    FriendLimit,
    RateLimited,
    UserSigExpired,
    UserSigInvalidated,
    BadUserSig,
    Unknown(UnknownCode),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message(), self.code())
    }
}

impl std::error::Error for ImportError {}

impl ApiError for ImportError {
    fn from_code(code: i64) -> Self {
        match code {
            30001 => ImportError::InvalidParameter,
            30006 => ImportError::InternalError,
            30008 => ImportError::WriteConflict,
            30010 => ImportError::FriendLimit,
            60007 => ImportError::RateLimited,
            70001 => ImportError::UserSigExpired,
            70052 => ImportError::UserSigInvalidated,
            70009 => ImportError::BadUserSig,
            other => ImportError::Unknown(tim_rest_runtime::__private::unknown_code(other)),
        }
    }
    fn code(&self) -> i64 {
        match self {
            ImportError::InvalidParameter => 30001,
            ImportError::InternalError => 30006,
            ImportError::WriteConflict => 30008,
            ImportError::FriendLimit => 30010,
            ImportError::RateLimited => 60007,
            ImportError::UserSigExpired => 70001,
            ImportError::UserSigInvalidated => 70052,
            ImportError::BadUserSig => 70009,
            ImportError::Unknown(code) => code.code(),
        }
    }
    fn message(&self) -> &'static str {
        match self {
            ImportError::InvalidParameter => "invalid request parameter",
            ImportError::InternalError => "internal server error, retry",
            ImportError::WriteConflict => "write conflict",
            ImportError::FriendLimit => "friend count at the limit",
            ImportError::RateLimited => "call rate over the limit",
            ImportError::UserSigExpired => "UserSig expired",
            ImportError::UserSigInvalidated => "UserSig invalidated",
            ImportError::BadUserSig => "UserSig verification failed",
            ImportError::Unknown(_) => "undocumented error code",
        }
    }
    fn message_zh(&self) -> &'static str {
        "（测试）"
    }
    fn retry_class(&self) -> RetryClass {
        match self {
            ImportError::InternalError => RetryClass::Transient,
            ImportError::WriteConflict => RetryClass::Conflict,
            ImportError::RateLimited => RetryClass::Throttling,
            ImportError::UserSigExpired | ImportError::UserSigInvalidated => {
                RetryClass::Credentials
            }
            _ => RetryClass::Never,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Replies.

pub fn ok_body(accounts: &[&str]) -> Value {
    json!({
        "ResultItem": accounts.iter().map(|a| json!({
            "To_Account": a, "ResultCode": 0, "ResultInfo": ""
        })).collect::<Vec<_>>(),
        "ActionStatus": "OK",
        "ErrorCode": 0,
        "ErrorInfo": "",
        "ErrorDisplay": ""
    })
}

/// A request-level failure, without the endpoint's own fields (as the service sends it).
pub fn fail_body(code: i64, info: &str) -> Value {
    json!({
        "ActionStatus": "FAIL",
        "ErrorCode": code,
        "ErrorInfo": info,
        "ErrorDisplay": ""
    })
}

/// What the test server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 with this JSON.
    Json(Value),
    /// This status and raw body, with a content type.
    Raw(u16, &'static str, String),
    /// Waits, then answers 200 with this JSON.
    Slow(Duration, Value),
}

impl Reply {
    pub fn fail(code: i64, info: &str) -> Reply {
        Reply::Json(fail_body(code, info))
    }
}

// ---------------------------------------------------------------------------------------------
// The loopback server.

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub query: HashMap<String, String>,
    pub content_type: Option<String>,
    pub body: Value,
}

struct ServerState {
    script: Mutex<VecDeque<Reply>>,
    fallback: Value,
    seen: Mutex<Vec<Seen>>,
    hits: AtomicUsize,
    verify_key: Option<SecretKey>,
}

/// An axum server on 127.0.0.1:<random port> that answers like the service.
///
/// It answers the scripted replies in order, then `fallback` (an OK reply by default). With
/// a verify key it first checks the query as the service does (sdkappid, identifier, random
/// as a u32, contenttype=json, the UserSig) and answers FAIL with the service's code when
/// something is wrong.
pub struct TestServer {
    pub addr: SocketAddr,
    state: Arc<ServerState>,
    task: tokio::task::JoinHandle<()>,
}

pub struct ServerBuilder {
    script: Vec<Reply>,
    fallback: Value,
    verify_key: Option<SecretKey>,
}

impl TestServer {
    pub fn builder() -> ServerBuilder {
        ServerBuilder {
            script: Vec::new(),
            fallback: ok_body(&["bob"]),
            verify_key: Some(SecretKey::new(KEY)),
        }
    }

    pub async fn start() -> TestServer {
        Self::builder().start().await
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.state.hits.load(Ordering::SeqCst)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ServerBuilder {
    pub fn reply(mut self, reply: Reply) -> Self {
        self.script.push(reply);
        self
    }

    pub fn fallback(mut self, body: Value) -> Self {
        self.fallback = body;
        self
    }

    /// Do not check the query or the UserSig.
    pub fn no_verify(mut self) -> Self {
        self.verify_key = None;
        self
    }

    pub async fn start(self) -> TestServer {
        let state = Arc::new(ServerState {
            script: Mutex::new(self.script.into()),
            fallback: self.fallback,
            seen: Mutex::new(Vec::new()),
            hits: AtomicUsize::new(0),
            verify_key: self.verify_key,
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        TestServer { addr, state, task }
    }
}

async fn handle(
    State(state): State<Arc<ServerState>>,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.hits.fetch_add(1, Ordering::SeqCst);
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state.seen.lock().unwrap().push(Seen {
        path: uri.path().to_owned(),
        query: query.clone(),
        content_type,
        body: parsed.clone(),
    });
    if let Some(key) = &state.verify_key {
        if let Err(reply) = check_query(key, &query, &parsed) {
            return json_reply(200, reply);
        }
    }
    let next = state.script.lock().unwrap().pop_front();
    match next.unwrap_or_else(|| Reply::Json(state.fallback.clone())) {
        Reply::Json(value) => json_reply(200, value),
        Reply::Raw(status, content_type, body) => (
            StatusCode::from_u16(status).unwrap(),
            [("content-type", content_type)],
            body,
        )
            .into_response(),
        Reply::Slow(delay, value) => {
            tokio::time::sleep(delay).await;
            json_reply(200, value)
        }
    }
}

fn json_reply(status: u16, value: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// The service's checks, with its error codes.
fn check_query(
    key: &SecretKey,
    query: &HashMap<String, String>,
    body: &Value,
) -> Result<(), Value> {
    let get = |name: &str| query.get(name).map(String::as_str);
    if get("contenttype") != Some("json") {
        return Err(fail_body(60002, "contenttype must be json"));
    }
    if get("sdkappid").and_then(|s| s.parse::<u64>().ok()) != Some(SDKAPPID) {
        return Err(fail_body(60006, "bad sdkappid"));
    }
    match get("random").map(str::parse::<u32>) {
        Some(Ok(_)) => {}
        _ => return Err(fail_body(60002, "random must be a u32")),
    }
    let identifier = get("identifier").unwrap_or("");
    if identifier != ADMIN {
        return Err(fail_body(60010, "identifier is not an App admin"));
    }
    if body.is_null() {
        return Err(fail_body(60003, "body is not JSON"));
    }
    let sig = get("usersig").unwrap_or("");
    match usersig::verify_at(SDKAPPID, key, identifier, sig, SystemTime::now()) {
        Ok(_) => Ok(()),
        Err(e) => Err(fail_body(e.service_code(), &e.to_string())),
    }
}

// ---------------------------------------------------------------------------------------------
// A bare HTTP/1.1 server, for replies axum will not send as they are (redirects, huge bodies)
// and for standing in as a proxy.

/// Reads each request on 127.0.0.1:<random port> (head, then a `Content-Length` body), writes
/// `response` byte for byte and closes the connection. Records every request head.
pub struct RawServer {
    pub addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    pub async fn start(response: impl Into<Vec<u8>>) -> RawServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        Self::from_std(listener, response)
    }

    /// Serves on a listener bound beforehand (so its address is known before a runtime
    /// exists). Needs a Tokio runtime.
    pub fn from_std(listener: std::net::TcpListener, response: impl Into<Vec<u8>>) -> RawServer {
        listener.set_nonblocking(true).unwrap();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let addr = listener.local_addr().unwrap();
        let response: Arc<[u8]> = response.into().into();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&heads);
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let response = Arc::clone(&response);
                let seen = Arc::clone(&seen);
                tokio::spawn(async move {
                    let _ = serve_raw(socket, &response, &seen).await;
                });
            }
        });
        RawServer { addr, heads, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The head (request line and headers) of every request received.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_raw(
    mut socket: tokio::net::TcpStream,
    response: &[u8],
    seen: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let body_len = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    seen.lock().unwrap().push(head);
    let mut have = buf.len() - head_end;
    while have < body_len {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        have += n;
    }
    socket.write_all(response).await?;
    socket.shutdown().await
}

// ---------------------------------------------------------------------------------------------
// Tracing capture: every span field and event field, as text.

/// Installs (once per process) a global subscriber that wants everything and keeps nothing.
///
/// `tracing` caches each callsite's interest for the whole process, computed on the thread
/// that reaches it first. A sibling test's thread with no subscriber would cache `never`, and
/// a [`Capture`] installed with `set_default` would then miss this test's events. With this
/// global default, every thread's answer is "interested", so the scoped capture sees them.
pub fn keep_callsites_interested() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing::subscriber::set_global_default(Discard);
    });
}

struct Discard;

impl tracing::Subscriber for Discard {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[derive(Clone, Default)]
pub struct Capture {
    text: Arc<Mutex<String>>,
    next_id: Arc<AtomicUsize>,
}

impl Capture {
    pub fn text(&self) -> String {
        self.text.lock().unwrap().clone()
    }
}

struct Collect<'a>(&'a mut String);

impl tracing::field::Visit for Collect<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        use std::fmt::Write;
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nspan ");
        text.push_str(span.metadata().name());
        span.record(&mut Collect(&mut text));
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) as u64 + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Collect(&mut self.text.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nevent ");
        text.push_str(event.metadata().target());
        event.record(&mut Collect(&mut text));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
