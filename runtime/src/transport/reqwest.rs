//! The default transport: reqwest over rustls.

use std::error::Error as _;
use std::fmt;
use std::time::Duration;

use super::{BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError};

use crate::client::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// HTTPS through [`reqwest`](https://docs.rs/reqwest) with rustls, HTTP/1.1 and HTTP/2.
///
/// The client builds one from its `connect_timeout` and `timeout` unless given another
/// transport. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with a 10 s connect timeout and a 30 s request timeout.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_timeouts(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT)
    }

    /// A transport with these timeouts: `connect` for the TCP and TLS setup, `request` for the
    /// whole exchange, from sending to the last byte of the reply.
    pub fn with_timeouts(connect: Duration, request: Duration) -> Result<Self, TransportError> {
        Self::build(connect, Some(request))
    }

    pub(crate) fn build(
        connect: Duration,
        request: Option<Duration>,
    ) -> Result<Self, TransportError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(connect);
        if let Some(request) = request {
            builder = builder.timeout(request);
        }
        let client = builder
            .build()
            .map_err(|e| TransportError::other(describe(&e)))?;
        Ok(ReqwestTransport { client })
    }

    /// Wraps a reqwest client configured by the caller (proxies, pools, timeouts...).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport").finish_non_exhaustive()
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
            let response = builder.body(request.body).send().await.map_err(convert)?;
            let status = response.status().as_u16();
            let body = response.bytes().await.map_err(convert)?;
            Ok(HttpResponse::new(status, body.to_vec()))
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
