//! The emulator without a socket: one request in, its answer out, through the pipeline the
//! HTTP server runs ([`server::handle`]). For fuzzing the request handling (`fuzz/`) and for
//! tests that need no port.

use std::io;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Uri};
use tim_rest::usersig::SecretKey;

use crate::server::{self, Inner, Outcome};
use crate::{build_inner, check_config, state, EmulatorConfig, Stats};

/// What the emulator answers one request with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// HTTP 200 with this JSON body (a FAIL envelope included).
    Json(Vec<u8>),
    /// HTTP 502 with an HTML body: an injected fault.
    BadGateway,
    /// The connection is closed without a reply: an injected fault.
    Dropped,
    /// HTTP 400: the method or the request target is not HTTP, which the HTTP server refuses
    /// before the emulator sees the request.
    BadRequest,
}

/// An emulator that answers requests handed to it in process, state kept in memory.
///
/// ```
/// # async fn run() -> std::io::Result<()> {
/// use tim_rest_emulator::{Answer, EmulatorConfig, InProcess};
///
/// let emulator = InProcess::new(EmulatorConfig::default())?;
/// let answer = emulator.handle("POST", "/v4/sns/no_such_command", b"{}".to_vec()).await;
/// assert!(matches!(answer, Answer::Json(body) if body.windows(5).any(|w| w == b"60009")));
/// # Ok(()) }
/// ```
pub struct InProcess {
    inner: Arc<Inner>,
}

impl InProcess {
    /// An emulator with `config`, which `start` would accept, without a state file (the state
    /// is never saved here, so one is refused rather than silently not written).
    pub fn new(config: EmulatorConfig) -> io::Result<Self> {
        check_config(&config)?;
        if config.state_file.is_some() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "an in-process emulator keeps its state in memory: no state_file",
            ));
        }
        Ok(InProcess {
            inner: build_inner(config, state::State::default()),
        })
    }

    /// Answers one request: `method` (`POST`), `target` as on an HTTP request line
    /// (`/v4/sns/friend_import?sdkappid=..&usersig=..`) and the body. Must be awaited within
    /// a Tokio runtime with its time driver, as for [`start`](crate::start).
    pub async fn handle(&self, method: &str, target: &str, body: Vec<u8>) -> Answer {
        let (Ok(method), Ok(uri)) = (Method::from_bytes(method.as_bytes()), target.parse::<Uri>())
        else {
            return Answer::BadRequest;
        };
        match server::handle(&self.inner, &method, &uri, Body::from(body)).await {
            Outcome::Json(body) => Answer::Json(body),
            Outcome::BadGateway => Answer::BadGateway,
            Outcome::Drop => Answer::Dropped,
        }
    }

    /// The secret key UserSigs are checked with.
    pub fn key(&self) -> &SecretKey {
        &self.inner.key
    }

    /// The SDKAppID it answers for.
    pub fn sdkappid(&self) -> u64 {
        self.inner.sdkappid
    }

    /// The App admin identifier.
    pub fn admin(&self) -> &str {
        &self.inner.admin
    }

    /// The request counters so far.
    pub fn stats(&self) -> Stats {
        self.inner.stats()
    }
}

impl std::fmt::Debug for InProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcess")
            .field("sdkappid", &self.inner.sdkappid)
            .field("admin", &self.inner.admin)
            .finish_non_exhaustive()
    }
}
