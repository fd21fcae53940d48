//! The client: signs, sends, retries and decodes calls to the REST API.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use tim_rest_runtime::{Client, Region, RetryPolicy};
//!
//! let client = Client::builder()
//!     .sdkappid(1400000000)
//!     .admin("administrator")
//!     .secret_key(std::env::var("TIM_SECRET_KEY")?)
//!     .region(Region::Singapore)
//!     .retry(RetryPolicy::standard())
//!     .build()?;
//! // let resp = client.call::<FriendImport>(&request).await?;
//! # let _ = client; Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::transport::Transport;
use crate::usersig::{SecretKey, UserSig};

// `pub(crate)` so `__private` can re-export `decode` for the fuzz target.
pub(crate) mod call;
mod credentials;
mod hooks;
mod pages;
mod ratelimit;
mod region;
mod retry;
pub(crate) mod url;

pub use call::CallOptions;
pub use credentials::Credentials;
pub use hooks::{AttemptFailure, AttemptReport, CallHooks};
pub use pages::{Pages, DEFAULT_MAX_PAGES};
pub use ratelimit::{RateLimitPermit, RateLimiter};
pub use region::Region;
pub use retry::RetryPolicy;

use credentials::Signer;

/// Validity of generated UserSigs unless the builder sets another: 7 days.
///
/// The service recommends at least 24 hours; the client renews well before expiry anyway.
pub const DEFAULT_USERSIG_VALIDITY: Duration = Duration::from_secs(7 * 86400);
/// Connect timeout of the built-in transport unless the builder sets another: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Timeout of one attempt (sending to the last byte of the reply) unless the builder sets
/// another: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of the REST API for one application (SDKAppID) and admin identifier.
///
/// Cheap to clone (the state is shared behind an `Arc`), `Send` and `Sync`: build one and
/// share it. Calls go through [`Client::call`] or the generated methods of `tim_rest::Client`.
/// `Debug` shows the SDKAppID, the admin and the base URL, never a credential.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    sdkappid: u64,
    admin: String,
    base_url: String,
    signer: Signer,
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    /// Per endpoint path, when the builder turned rate limits on.
    limiters: Option<std::sync::Mutex<std::collections::HashMap<&'static str, Arc<RateLimiter>>>>,
}

impl Client {
    /// A builder of a runtime `Client`. (`tim_rest::Client::builder()` builds the root
    /// crate's client, which has the generated methods.)
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The application's SDKAppID.
    pub fn sdkappid(&self) -> u64 {
        self.inner.sdkappid
    }

    /// The admin identifier calls are made as.
    pub fn admin(&self) -> &str {
        &self.inner.admin
    }

    /// The base URL, such as `https://adminapisgp.im.qcloud.com`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy of calls that do not set their own.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The limiter in front of `E`: `None` unless the builder turned
    /// [rate limits](ClientBuilder::rate_limits) on and `E` has a rate limit.
    pub fn rate_limiter<E: crate::Endpoint>(&self) -> Option<Arc<RateLimiter>> {
        let limiters = self.inner.limiters.as_ref()?;
        let limit = E::RATE_LIMIT?;
        let mut limiters = limiters.lock().unwrap_or_else(|e| e.into_inner());
        let limiter = limiters
            .entry(E::PATH)
            .or_insert_with(|| Arc::new(RateLimiter::new(limit.per_second)));
        Some(Arc::clone(limiter))
    }
}

impl AsRef<Client> for Client {
    fn as_ref(&self) -> &Client {
        self
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("sdkappid", &self.inner.sdkappid)
            .field("admin", &self.inner.admin)
            .field("base_url", &self.inner.base_url)
            .finish_non_exhaustive()
    }
}

/// Why [`ClientBuilder::build`] failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A required setting was not given: `sdkappid`, `admin`, credentials (`secret_key` or
    /// `usersig`), or where to call (`region` or `base_url`).
    Missing(&'static str),
    /// The admin identifier is empty.
    EmptyAdmin,
    /// The UserSig validity is shorter than a minute.
    UsersigValidityTooShort,
    /// The base URL is malformed.
    InvalidBaseUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL is plain `http` to a host that is not loopback (`127.0.0.0/8`, `::1`,
    /// `localhost`). Use https, or `danger_allow_insecure_http(true)` if you really mean it.
    InsecureHttp {
        /// The host named in the URL.
        host: String,
    },
    /// The admin's UserSig cannot be generated from the secret key (for example the
    /// identifier is longer than 32 bytes).
    Credentials(crate::usersig::UserSigError),
    /// No transport was given and the built-in one is unavailable (feature `reqwest` off) or
    /// failed to start.
    Transport(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Missing(what) => write!(f, "client not configured: {what} is required"),
            BuildError::EmptyAdmin => f.write_str("the admin identifier must not be empty"),
            BuildError::UsersigValidityTooShort => {
                f.write_str("the UserSig validity must be at least one minute")
            }
            BuildError::InvalidBaseUrl { reason } => write!(f, "invalid base URL: {reason}"),
            BuildError::InsecureHttp { host } => write!(
                f,
                "plain http to {host:?} would expose the UserSig; use https, or \
                 danger_allow_insecure_http(true) (plain http is allowed to loopback hosts only)"
            ),
            BuildError::Credentials(e) => write!(f, "cannot sign as the admin: {e}"),
            BuildError::Transport(reason) => write!(f, "no transport: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Credentials(e) => Some(e),
            _ => None,
        }
    }
}

enum Target {
    Region(Region),
    BaseUrl(String),
}

/// Configures a [`Client`]. (The bindings' own client builder wraps this one.)
///
/// Required: [`sdkappid`](Self::sdkappid), [`admin`](Self::admin), credentials
/// ([`secret_key`](Self::secret_key) or [`usersig`](Self::usersig)) and where to call
/// ([`region`](Self::region) or [`base_url`](Self::base_url)). When a setting is given twice,
/// the last one wins (so `usersig` after `secret_key` replaces it, and `base_url` after
/// `region`).
#[must_use]
pub struct ClientBuilder {
    sdkappid: Option<u64>,
    admin: Option<String>,
    credentials: Option<Credentials>,
    target: Option<Target>,
    use_backup_domain: bool,
    allow_insecure_http: bool,
    connect_timeout: Duration,
    timeout: Option<Duration>,
    transport: Option<Arc<dyn Transport>>,
    retry: RetryPolicy,
    usersig_validity: Duration,
    rate_limits: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        ClientBuilder {
            sdkappid: None,
            admin: None,
            credentials: None,
            target: None,
            use_backup_domain: false,
            allow_insecure_http: false,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: Some(DEFAULT_TIMEOUT),
            transport: None,
            retry: RetryPolicy::none(),
            usersig_validity: DEFAULT_USERSIG_VALIDITY,
            rate_limits: false,
        }
    }

    /// Keeps the calls to each endpoint within the endpoint's schema rate limit
    /// ([`Endpoint::RATE_LIMIT`](crate::Endpoint::RATE_LIMIT)), shared by every clone of the
    /// client; off by default.
    ///
    /// Every attempt, retries included, waits for a [`RateLimiter`]: no second the service
    /// counts holds more calls than the limit, whatever the network delays, at the price of
    /// one reply's latency per second of calls. A throttling answer (60007 and the like)
    /// that the retry policy retries also holds back the endpoint's other callers for the
    /// retry's delay. The service's limits are per application: other processes calling
    /// with the same SDKAppID count too, and this client cannot see them.
    pub fn rate_limits(mut self, on: bool) -> Self {
        self.rate_limits = on;
        self
    }

    /// The application's SDKAppID, from the console.
    pub fn sdkappid(mut self, sdkappid: u64) -> Self {
        self.sdkappid = Some(sdkappid);
        self
    }

    /// The App admin identifier calls are made as (`identifier` in the URL).
    pub fn admin(mut self, identifier: impl Into<String>) -> Self {
        self.admin = Some(identifier.into());
        self
    }

    /// Sign with the application's secret key: UserSigs for the admin are generated, cached
    /// and renewed by the client.
    pub fn secret_key(mut self, key: impl Into<SecretKey>) -> Self {
        self.credentials = Some(Credentials::SecretKey(key.into()));
        self
    }

    /// Use this UserSig, signed elsewhere for the admin identifier, as it is.
    pub fn usersig(mut self, sig: impl Into<UserSig>) -> Self {
        self.credentials = Some(Credentials::UserSig(sig.into()));
        self
    }

    /// Either kind of credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Call the data centre of `region` over https.
    pub fn region(mut self, region: Region) -> Self {
        self.target = Some(Target::Region(region));
        self
    }

    /// Use the region's backup domain instead of the main one. Ignored with `base_url`.
    pub fn use_backup_domain(mut self, backup: bool) -> Self {
        self.use_backup_domain = backup;
        self
    }

    /// Call this base URL instead of a region's domain, such as a local emulator
    /// (`http://127.0.0.1:8080`) or a proxy. Paths are appended to it. Plain `http` is accepted
    /// for loopback hosts only, unless [`danger_allow_insecure_http`](Self::danger_allow_insecure_http).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.target = Some(Target::BaseUrl(url.into()));
        self
    }

    /// Accept a plain `http` base URL to any host. The UserSig then crosses the network in
    /// clear text: for test networks only.
    pub fn danger_allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Connect timeout of the built-in transport (10 s by default). A transport given with
    /// [`transport`](Self::transport) uses its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Longest time one attempt may take, from sending to the last byte of the reply (30 s by
    /// default). Applied by the client around any transport; a call may set a shorter or
    /// longer one with [`CallOptions::timeout`]. (The built-in transport is given only the
    /// connect timeout, so it never cuts a longer per-call timeout short.)
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Removes the client's own per-attempt timeout (a transport's own still applies; the
    /// built-in transport then bounds only the connection setup).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Send through this transport instead of the built-in reqwest one (for example a
    /// [`FakeTransport`](crate::transport::FakeTransport) in tests).
    ///
    /// The built-in transport uses no proxy and follows no redirect; to call through a proxy,
    /// give a `ReqwestTransport::from_client` wrapping a `reqwest::Client` configured for it.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The same, for a transport already behind an `Arc`.
    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Retry policy of every call (off by default); a call may override it.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Validity of the UserSigs the client generates from a secret key (7 days by default;
    /// at least a minute). They are renewed once less than 10% of it, or an hour, is left.
    pub fn usersig_validity(mut self, validity: Duration) -> Self {
        self.usersig_validity = validity;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let sdkappid = self.sdkappid.ok_or(BuildError::Missing("sdkappid"))?;
        let admin = self.admin.ok_or(BuildError::Missing("admin"))?;
        if admin.is_empty() {
            return Err(BuildError::EmptyAdmin);
        }
        let credentials = self
            .credentials
            .ok_or(BuildError::Missing("credentials (secret_key or usersig)"))?;
        if self.usersig_validity < Duration::from_secs(60) {
            return Err(BuildError::UsersigValidityTooShort);
        }
        let base_url = match self.target {
            None => return Err(BuildError::Missing("region or base_url")),
            Some(Target::Region(region)) => region.base_url(self.use_backup_domain),
            Some(Target::BaseUrl(url)) => url::check_base_url(&url, self.allow_insecure_http)?,
        };
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport(self.connect_timeout)?,
        };
        let signer = Signer::new(sdkappid, admin.clone(), credentials, self.usersig_validity);
        // Sign once now: a key that cannot sign for this admin fails here, not on every call,
        // and the first call finds the UserSig cached.
        signer.usersig().map_err(BuildError::Credentials)?;
        let client = Client {
            inner: Arc::new(Inner {
                sdkappid,
                admin,
                base_url,
                signer,
                transport,
                retry: self.retry,
                timeout: self.timeout,
                limiters: self.rate_limits.then(Default::default),
            }),
        };
        Ok(client)
    }
}

/// The built-in transport gets the connect timeout only: the client bounds each attempt with
/// its own timeout or the call's, which may be longer than the client's.
#[cfg(feature = "reqwest")]
fn default_transport(connect_timeout: Duration) -> Result<Arc<dyn Transport>, BuildError> {
    crate::transport::ReqwestTransport::build(connect_timeout, None)
        .map(|t| Arc::new(t) as Arc<dyn Transport>)
        .map_err(|e| BuildError::Transport(e.to_string()))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(_connect_timeout: Duration) -> Result<Arc<dyn Transport>, BuildError> {
    Err(BuildError::Transport(
        "the feature `reqwest` is off: give one with ClientBuilder::transport".into(),
    ))
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            None => None,
            Some(Target::Region(r)) => Some(r.base_url(self.use_backup_domain)),
            Some(Target::BaseUrl(u)) => Some(url::redact(u).into_owned()),
        };
        f.debug_struct("ClientBuilder")
            .field("sdkappid", &self.sdkappid)
            .field("admin", &self.admin)
            .field("credentials", &self.credentials)
            .field("target", &target)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
