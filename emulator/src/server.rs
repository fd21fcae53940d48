//! The HTTP side: a listener whose connections can be dropped on purpose, the gateway checks,
//! and the pipeline every request goes through.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tim_rest::{ApiError, CommonError, RetryClass};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Query, Request, State as AxumState};
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tim_rest::usersig::{self, SecretKey};
use tim_rest::Validate;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use crate::endpoints::{Emulated, Route};
use crate::faults::{Fault, Faults};
use crate::limits::{AccountLocks, RateLimiter};
use crate::state::State;
use crate::Stats;

/// Largest request body read (a full friend_import is far below it).
const MAX_BODY: usize = 16 << 20;

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Everything the handlers share.
pub(crate) struct Inner {
    pub sdkappid: u64,
    pub admin: String,
    pub key: SecretKey,
    pub latency: Duration,
    /// Answer 30008 when a write to an account overlaps another write to it.
    pub write_conflicts: bool,
    pub routes: HashMap<&'static str, Route>,
    pub state: Mutex<State>,
    pub counters: Mutex<Counters>,
    pub limiter: RateLimiter,
    pub faults: Faults,
    pub locks: AccountLocks,
    pub state_file: Option<std::path::PathBuf>,
    /// Bumped after every applied write; compared with `saved_generation` to skip saves.
    pub generation: AtomicU64,
    pub saved_generation: AtomicU64,
    /// Wakes the background saver.
    pub dirty: Notify,
    pub save_lock: Mutex<()>,
}

/// The request counters behind [`Stats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub requests: u64,
    pub by_path: BTreeMap<String, u64>,
    pub faults_injected: u64,
    pub rate_limited: u64,
}

impl Inner {
    pub fn stats(&self) -> Stats {
        let counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        Stats {
            requests: counters.requests,
            by_path: counters.by_path.clone(),
            faults_injected: counters.faults_injected,
            rate_limited: counters.rate_limited,
            max_per_second: self.limiter.max_per_second(),
        }
    }

    fn count(&self, update: impl FnOnce(&mut Counters)) {
        update(&mut self.counters.lock().unwrap_or_else(|e| e.into_inner()));
    }

    fn mark_dirty(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if self.state_file.is_some() {
            self.dirty.notify_one();
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.generation.load(Ordering::SeqCst) != self.saved_generation.load(Ordering::SeqCst)
    }
}

// --- connections that can be dropped ---------------------------------------------------------

/// The TCP listener, handing out streams a handler can cut.
pub(crate) struct DroppableListener(pub TcpListener);

impl Listener for DroppableListener {
    type Io = DroppableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (DroppableStream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let stream = DroppableStream {
                        inner: stream,
                        cut: Arc::new(AtomicBool::new(false)),
                    };
                    return (stream, addr);
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "tim-rest-emulator: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// A TCP stream that fails every write once cut, so the server closes the connection
/// without writing the reply.
pub(crate) struct DroppableStream {
    inner: TcpStream,
    cut: Arc<AtomicBool>,
}

impl DroppableStream {
    fn is_cut(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }
}

fn cut_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped by fault injection",
    )
}

impl AsyncRead for DroppableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.is_cut() {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for DroppableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.is_cut() {
            return Poll::Ready(Err(cut_error()));
        }
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.is_cut() {
            return Poll::Ready(Err(cut_error()));
        }
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// What a handler gets to cut its own connection.
#[derive(Clone)]
pub(crate) struct Connection(Arc<AtomicBool>);

impl Connection {
    fn cut(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, DroppableListener>> for Connection {
    fn connect_info(stream: IncomingStream<'_, DroppableListener>) -> Self {
        Connection(Arc::clone(&stream.io().cut))
    }
}

// --- the pipeline ----------------------------------------------------------------------------

/// What to answer.
pub(crate) enum Outcome {
    /// HTTP 200 with this JSON body.
    Json(Vec<u8>),
    /// HTTP 502 with an HTML body.
    BadGateway,
    /// No answer: the connection is closed.
    Drop,
}

/// An answer, and whether the configured latency was already spent on it.
pub(crate) struct Reply {
    outcome: Outcome,
    delayed: bool,
}

impl Reply {
    fn fail(code: i64, info: impl Into<String>) -> Reply {
        let info = info.into();
        tracing::debug!(code, info = %info, "tim-rest-emulator: FAIL");
        let body = serde_json::json!({
            "ActionStatus": "FAIL",
            "ErrorCode": code,
            "ErrorInfo": info,
            "ErrorDisplay": "",
        });
        Reply {
            outcome: Outcome::Json(body.to_string().into_bytes()),
            delayed: false,
        }
    }

    fn json<T: Serialize>(body: &T) -> Reply {
        match serde_json::to_vec(body) {
            Ok(bytes) => Reply {
                outcome: Outcome::Json(bytes),
                delayed: false,
            },
            Err(e) => Reply::fail(
                CommonError::ServerInternalError.code(),
                format!("the emulator could not encode its reply: {e}"),
            ),
        }
    }

    /// A fault of endpoint `E`: the service's internal-error (or conflict) code when `E`'s
    /// page documents it as one to retry, else the common internal error every endpoint
    /// answers, so that a client reads every injected fault as the retryable code it is.
    fn fault<E: Emulated>(fault: Fault) -> Reply {
        if let Some((code, info)) = fault.envelope(E::SERVICE) {
            let retryable = matches!(
                <E::Error as ApiError>::from_code(code).retry_class(),
                RetryClass::Transient | RetryClass::Conflict
            );
            if retryable {
                return Reply::fail(code, info);
            }
            return Reply::fail(
                CommonError::ServerInternalError.code(),
                "Err_Server_Internal_Error (injected fault)",
            );
        }
        let outcome = match fault {
            Fault::BadGateway => Outcome::BadGateway,
            _ => Outcome::Drop,
        };
        Reply {
            outcome,
            delayed: false,
        }
    }

    fn delayed(mut self) -> Reply {
        self.delayed = true;
        self
    }
}

/// The one handler: every path, every method.
pub(crate) async fn entry(
    AxumState(inner): AxumState<Arc<Inner>>,
    ConnectInfo(connection): ConnectInfo<Connection>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    match handle(&inner, &parts.method, &parts.uri, body).await {
        Outcome::Json(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Outcome::BadGateway => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            BAD_GATEWAY_HTML,
        )
            .into_response(),
        Outcome::Drop => {
            connection.cut();
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// One request, whatever carried it: counted, run through the gateway and its endpoint, and
/// delayed by the configured latency. The HTTP handler and [`crate::InProcess`] both answer
/// through it, so an in-process request takes the server's own path.
pub(crate) async fn handle(inner: &Arc<Inner>, method: &Method, uri: &Uri, body: Body) -> Outcome {
    let path = uri.path().trim_start_matches('/').to_owned();
    inner.count(|c| {
        c.requests += 1;
        *c.by_path.entry(path.clone()).or_default() += 1;
    });
    let reply = dispatch(inner, method, uri, &path, body).await;
    if !reply.delayed && !inner.latency.is_zero() {
        tokio::time::sleep(inner.latency).await;
    }
    reply.outcome
}

async fn dispatch(inner: &Arc<Inner>, method: &Method, uri: &Uri, path: &str, body: Body) -> Reply {
    let route = inner.routes.get(path);
    let known = route.is_some() || tim_rest::ENDPOINT_PATHS.contains(&path);
    if !known {
        return Reply::fail(
            CommonError::RequestResourceInvalid.code(),
            format!("no such REST resource: /{path}"),
        );
    }
    if method != Method::POST {
        return Reply::fail(
            CommonError::HttpParseFailed.code(),
            format!("{method} is not supported: REST calls are POST"),
        );
    }
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(_) => {
            return Reply::fail(
                CommonError::HttpParseFailed.code(),
                "the request body could not be read (over 16 MiB?)",
            )
        }
    };
    if let Err((code, info)) = check_gateway(inner, uri) {
        return Reply::fail(code, info);
    }
    let Some(route) = route else {
        return Reply::fail(
            crate::NOT_EMULATED,
            format!("not emulated: /{path} is a command of tim-rest's schema that tim-rest-emulator does not emulate; nothing was done"),
        );
    };
    let fault = inner.faults.draw();
    (route.run)(Arc::clone(inner), body, fault).await
}

/// The query parameters and the caller: 60002 / 60012 / 60006 / 700xx / 60010.
fn check_gateway(inner: &Inner, uri: &Uri) -> Result<(), (i64, String)> {
    let Query(params) = Query::<Vec<(String, String)>>::try_from_uri(uri).map_err(|_| {
        (
            CommonError::HttpParseFailed.code(),
            "the query string is not well formed".to_owned(),
        )
    })?;
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let missing = |name: &str| {
        (
            CommonError::HttpParseFailed.code(),
            format!("the URL lacks the query parameter {name}"),
        )
    };

    let sdkappid = param("sdkappid").ok_or((
        CommonError::SdkAppIdMissing.code(),
        "the URL lacks sdkappid".to_owned(),
    ))?;
    let sdkappid: u64 = sdkappid.parse().map_err(|_| {
        (
            CommonError::HttpParseFailed.code(),
            "sdkappid is not a number".to_owned(),
        )
    })?;
    let identifier = param("identifier")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("identifier"))?;
    let sig = param("usersig").ok_or_else(|| missing("usersig"))?;
    let random = param("random").ok_or_else(|| missing("random"))?;
    if random.parse::<u32>().is_err() {
        return Err((
            CommonError::HttpParseFailed.code(),
            "random must be an unsigned 32-bit integer".to_owned(),
        ));
    }
    match param("contenttype") {
        Some("json") => {}
        Some(_) => {
            return Err((
                CommonError::HttpParseFailed.code(),
                "contenttype must be json".to_owned(),
            ))
        }
        None => return Err(missing("contenttype")),
    }
    if sdkappid != inner.sdkappid {
        return Err((
            CommonError::SdkAppIdInvalid.code(),
            format!("SDKAppID {sdkappid} is not valid here"),
        ));
    }
    if sig.is_empty() {
        return Err((
            CommonError::UserSigEmpty.code(),
            "the UserSig is empty".to_owned(),
        ));
    }
    usersig::verify_at(sdkappid, &inner.key, identifier, sig, SystemTime::now())
        .map_err(|e| (e.service_code(), e.to_string()))?;
    if identifier != inner.admin {
        return Err((
            CommonError::AdminPermissionRequired.code(),
            format!("{identifier:?} is not an App admin"),
        ));
    }
    Ok(())
}

/// One call of endpoint `E` past the gateway: parse, validate, rate limit, fault, apply.
pub(crate) async fn run_endpoint<E>(inner: Arc<Inner>, body: Bytes, fault: Option<Fault>) -> Reply
where
    E: Emulated,
    E::Request: DeserializeOwned,
    E::Response: Serialize,
{
    let invalid = E::SERVICE.invalid_param();
    // One pass for a good body; a bad one is read again, with path tracking, to name the field.
    let request: E::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) if e.is_syntax() || e.is_eof() => {
            return Reply::fail(
                CommonError::RequestJsonInvalid.code(),
                format!("the request body is not valid JSON: {e}"),
            )
        }
        Err(e) => {
            // A shape error may hide text after the document (`{..} trailing`): not JSON either.
            if let Err(not_json) = serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
                return Reply::fail(
                    CommonError::RequestJsonInvalid.code(),
                    format!("the request body is not valid JSON: {not_json}"),
                );
            }
            let mut de = serde_json::Deserializer::from_slice(&body);
            let info = match serde_path_to_error::deserialize::<_, E::Request>(&mut de) {
                Err(e) => {
                    let path = e.path().to_string();
                    if path == "." {
                        e.inner().to_string()
                    } else {
                        format!("{path}: {}", e.inner())
                    }
                }
                Ok(_) => e.to_string(),
            };
            return Reply::fail(invalid, info);
        }
    };
    if let Err(e) = request.validate() {
        let first = e
            .violations()
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        return Reply::fail(invalid, first);
    }
    if !inner.limiter.admit(E::PATH, E::RATE_LIMIT) {
        inner.count(|c| c.rate_limited += 1);
        return Reply::fail(
            CommonError::RestRateLimited.code(),
            format!("more than the limit of calls per second to {}", E::PATH),
        );
    }
    if let Some(fault) = fault {
        inner.count(|c| c.faults_injected += 1);
        return Reply::fault::<E>(fault);
    }
    let _writer = match E::writer(&request) {
        Some(account) => match inner.locks.acquire(account, inner.write_conflicts).await {
            Some(guard) => Some(guard),
            None => {
                return Reply::fail(
                    30008,
                    format!("Err_SNS_Write_Conflict: another write to {account:?} is in progress"),
                )
            }
        },
        None => None,
    };
    // A write holds its account's lock for the whole latency, as a slow backend would.
    if !inner.latency.is_zero() {
        tokio::time::sleep(inner.latency).await;
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let result = {
        let mut state = inner.state.lock().unwrap_or_else(|e| e.into_inner());
        E::apply(&mut state, request, now)
    };
    if E::WRITES && result.is_ok() {
        inner.mark_dirty();
    }
    match result {
        Ok(response) => Reply::json(&response),
        Err(fail) => Reply::fail(fail.code, fail.info),
    }
    .delayed()
}
