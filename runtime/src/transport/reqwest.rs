//! The default transport: reqwest over rustls.

use std::error::Error as _;
use std::fmt;
use std::time::Duration;

use super::{BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError};

use crate::client::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// HTTPS through [`reqwest`](https://docs.rs/reqwest) with rustls: HTTP/1.1, and HTTP/2 with the
/// feature `http2`.
///
/// The client builds one from its `connect_timeout` unless given another transport (the
/// client bounds each attempt itself, so a per-call timeout may be longer than the client's).
/// Cloning is cheap and shares the connection pool.
///
/// A transport built here (by the client, [`new`](Self::new) or
/// [`with_timeouts`](Self::with_timeouts)):
///
/// - uses no proxy: `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and the system settings are
///   ignored, so a request (whose URL carries the UserSig) goes only to the host of the base
///   URL. To go through a proxy, configure a `reqwest::Client` and wrap it with
///   [`from_client`](Self::from_client);
/// - follows no redirect: a `3xx` reply is returned as it is, as every other status, and the
///   client reports it as `Error::HttpStatus`;
/// - reads at most [`DEFAULT_MAX_BODY`](Self::DEFAULT_MAX_BODY) bytes of a reply body (see
///   [`max_body`](Self::max_body)); a longer body fails with a [`TransportError`] of kind
///   `Other`.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body: usize,
}

impl ReqwestTransport {
    /// Most bytes of a reply body read unless [`max_body`](Self::max_body) sets another:
    /// 8 MiB. Replies of the service are far smaller.
    pub const DEFAULT_MAX_BODY: usize = 8 * 1024 * 1024;

    /// A transport with a 10 s connect timeout and a 30 s request timeout.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_timeouts(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT)
    }

    /// A transport with these timeouts: `connect` for the TCP and TLS setup, `request` for the
    /// whole exchange, from sending to the last byte of the reply. The `request` timeout
    /// applies whatever timeout the client or a call sets.
    pub fn with_timeouts(connect: Duration, request: Duration) -> Result<Self, TransportError> {
        Self::build(connect, Some(request))
    }

    /// The transport the client builds: no proxy, no redirects, `connect` as the connect
    /// timeout and `request` (if any) as a timeout of the whole exchange.
    pub(crate) fn build(
        connect: Duration,
        request: Option<Duration>,
    ) -> Result<Self, TransportError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect);
        if let Some(request) = request {
            builder = builder.timeout(request);
        }
        let client = builder
            .build()
            .map_err(|e| TransportError::other(describe(&e)))?;
        Ok(ReqwestTransport::from_client(client))
    }

    /// Wraps a reqwest client configured by the caller (proxies, pools, timeouts,
    /// redirects...). Its settings are used as they are: the proxy variables of the
    /// environment apply if the client reads them, as `reqwest::Client::new()` does, and so
    /// does its redirect policy (reqwest follows up to 10 by default, to any host). The body
    /// limit is [`DEFAULT_MAX_BODY`](Self::DEFAULT_MAX_BODY) unless set with
    /// [`max_body`](Self::max_body).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            max_body: Self::DEFAULT_MAX_BODY,
        }
    }

    /// Reads at most `bytes` bytes of a reply body; a longer one fails with a
    /// [`TransportError`] of kind `Other`.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let method = match request.method {
                Method::Post => reqwest::Method::POST,
                Method::Get => reqwest::Method::GET,
            };
            let mut builder = self.client.request(method, request.url.as_str());
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let mut response = builder.body(request.body).send().await.map_err(convert)?;
            let status = response.status().as_u16();
            let too_long = || {
                TransportError::other(format!(
                    "reply body exceeds the limit of {} bytes",
                    self.max_body
                ))
            };
            // A declared length over the limit fails before anything is read.
            let declared = response.content_length();
            if declared.is_some_and(|len| len > self.max_body as u64) {
                return Err(too_long());
            }
            let capacity = declared
                .map_or(0, |len| usize::try_from(len).unwrap_or(usize::MAX))
                .min(self.max_body);
            let mut body = Vec::with_capacity(capacity);
            while let Some(chunk) = response.chunk().await.map_err(convert)? {
                if chunk.len() > self.max_body - body.len() {
                    return Err(too_long());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse::new(status, body))
        })
    }
}

/// Maps a reqwest error to a kind, and a message without the URL (which carries the UserSig).
fn convert(error: reqwest::Error) -> TransportError {
    let kind = if error.is_timeout() {
        super::TransportErrorKind::Timeout
    } else if error.is_connect() {
        super::TransportErrorKind::Connect
    } else {
        super::TransportErrorKind::Other
    };
    TransportError::new(kind, describe(&error.without_url()))
}

/// The error and its causes, joined with `: `. `TransportError::new` redacts it again, in case
/// a cause quotes the URL.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
