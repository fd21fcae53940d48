//! The HTTP layer under the client, behind one small trait.
//!
//! [`Transport`] takes an [`HttpRequest`] (method, URL, headers, body bytes) and returns an
//! [`HttpResponse`] (status, body bytes). The client does everything else: signing, retries,
//! decoding. Two implementations come with the crate:
//!
//! - `ReqwestTransport` (feature `reqwest`, on by default): HTTPS with rustls, no proxy, no
//!   redirects, reply bodies up to 8 MiB;
//! - [`FakeTransport`]: scripted replies and a record of what was sent, for tests.
//!
//! Any other HTTP stack fits by implementing [`Transport`]; the trait is object safe and the
//! client keeps it as an `Arc<dyn Transport>`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::client::url;

/// The request body type: shared bytes, so each retry of a request hands the transport the
/// same buffer instead of a copy. Re-exported so a [`Transport`] needs no direct dependency.
pub use bytes::Bytes;

mod fake;
#[cfg(feature = "reqwest")]
mod reqwest;

#[cfg(feature = "reqwest")]
pub use self::reqwest::ReqwestTransport;
pub use fake::FakeTransport;

/// A boxed future that can move between threads, as [`Transport::send`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the reply.
///
/// Implementations report network-level failures as [`TransportError`] and return every HTTP
/// reply, whatever its status, as an [`HttpResponse`]: the client judges statuses itself.
/// They should apply their own connect and request timeouts; the client also bounds each
/// attempt with its configured timeout.
///
/// ```
/// use tim_rest_runtime::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
///
/// struct AlwaysOk;
///
/// impl Transport for AlwaysOk {
///     fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
///         Box::pin(async {
///             Ok(HttpResponse::new(200, br#"{"ActionStatus":"OK","ErrorCode":0}"#.to_vec()))
///         })
///     }
/// }
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and resolves to the reply.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

/// An HTTP method. The service only takes `POST`; `GET` is there for other uses of a transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `POST`.
    Post,
    /// `GET`.
    Get,
}

impl Method {
    /// The method name: `POST`, `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Get => "GET",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request for a [`Transport`] to send.
///
/// The URL carries the UserSig in its query, so `Debug` shows it with `usersig=***`; use
/// [`HttpRequest::redacted_url`] to log it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The full URL, query included. Secret: it carries the UserSig.
    pub url: String,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl HttpRequest {
    /// A request with no headers. `body` may be a `Vec<u8>` (taken without copying), a
    /// `&'static [u8]` or [`Bytes`].
    pub fn new(method: Method, url: impl Into<String>, body: impl Into<Bytes>) -> Self {
        HttpRequest {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first value of header `name` (compared ignoring case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The URL with the value of `usersig` replaced by `***`: safe to log.
    pub fn redacted_url(&self) -> String {
        url::redact(&self.url).into_owned()
    }

    /// The URL path, such as `/v4/sns/friend_import`.
    pub fn path(&self) -> &str {
        url::path_of(&self.url)
    }

    /// The decoded value of query parameter `name`, such as `sdkappid` or `random`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        url::query_param(&self.url, name)
    }

    /// The body as JSON, for tests and logs.
    pub fn body_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &url::redact(&self.url))
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A reply from the other end: any status, and the body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A reply with this status and body.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            body: body.into(),
        }
    }

    /// A `200` reply with `value` serialized as its body.
    pub fn json(value: &serde_json::Value) -> Self {
        HttpResponse::new(200, value.to_string().into_bytes())
    }
}

/// What went wrong below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, TLS handshake): the request was not sent.
    Connect,
    /// The connect or request timeout elapsed; the service may or may not have acted.
    Timeout,
    /// Anything else, such as a connection reset mid-reply.
    Other,
}

impl TransportErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "connect error",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Other => "transport error",
        }
    }
}

/// A failure below HTTP: no reply was received.
///
/// The message is redacted when built: any `usersig=` value in it becomes `***`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
}

impl TransportError {
    /// An error of `kind`; `message` is redacted before it is stored.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        let message = message.into();
        let message = match url::redact(&message) {
            std::borrow::Cow::Borrowed(_) => message,
            std::borrow::Cow::Owned(redacted) => redacted,
        };
        TransportError { kind, message }
    }

    /// A connect error.
    pub fn connect(message: impl Into<String>) -> Self {
        TransportError::new(TransportErrorKind::Connect, message)
    }

    /// A timeout.
    pub fn timeout(message: impl Into<String>) -> Self {
        TransportError::new(TransportErrorKind::Timeout, message)
    }

    /// Any other failure.
    pub fn other(message: impl Into<String>) -> Self {
        TransportError::new(TransportErrorKind::Other, message)
    }

    /// What kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The (redacted) detail text.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether it was a connect failure.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// Whether it was a timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(self.kind.as_str())
        } else {
            write!(f, "{}: {}", self.kind.as_str(), self.message)
        }
    }
}

impl std::error::Error for TransportError {}
