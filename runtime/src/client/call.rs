//! One call: validate, serialize, sign, send, decode, and retry as the policy says.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument;

use super::hooks::{AttemptFailure, AttemptReport, CallHooks};
use super::{url, Client, RateLimiter, RetryPolicy};
use crate::transport::{Bytes, HttpRequest, HttpResponse, Method, TransportError};
use crate::usersig::UserSig;
use crate::{ActionStatus, ApiError, Endpoint, Envelope, Error, RetryClass, Validate};

/// Most bytes of a reply body kept in an error.
const SNIPPET_MAX: usize = 512;

/// Settings of one call that override the client's.
///
/// ```
/// use std::time::Duration;
/// use tim_rest_runtime::client::CallOptions;
/// use tim_rest_runtime::RetryPolicy;
///
/// let options = CallOptions::new()
///     .random(42)
///     .retry(RetryPolicy::standard())
///     .timeout(Duration::from_secs(5));
/// assert_eq!(options.random, Some(42));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// The `random` query parameter of every attempt; a fresh random `u32` per attempt when
    /// `None`.
    pub random: Option<u32>,
    /// The retry policy of this call instead of the client's.
    pub retry: Option<RetryPolicy>,
    /// The per-attempt timeout of this call instead of the client's.
    pub timeout: Option<Duration>,
    /// The limiter every attempt waits for instead of the client's own for the endpoint
    /// (for a rate of the caller's choosing, shared by its workers).
    pub limiter: Option<Arc<RateLimiter>>,
    /// Hooks into the attempts: a classifier of failures and an observer.
    pub hooks: Option<Arc<dyn CallHooks>>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("random", &self.random)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("limiter", &self.limiter.is_some())
            .field("hooks", &self.hooks.is_some())
            .finish()
    }
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends this `random` value.
    pub fn random(mut self, random: u32) -> Self {
        self.random = Some(random);
        self
    }

    /// Retries under this policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Bounds each attempt by this time.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Waits for this limiter before every attempt, instead of the client's.
    pub fn limiter(mut self, limiter: Arc<RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Runs the attempts through these hooks.
    pub fn hooks(mut self, hooks: Arc<dyn CallHooks>) -> Self {
        self.hooks = Some(hooks);
        self
    }
}

impl Client {
    /// Calls endpoint `E` with `request`.
    ///
    /// In order: `request.validate()` (an invalid request fails with
    /// [`Error::InvalidRequest`] and is never sent); serialize it; sign; POST it to
    /// `{base}/{E::PATH}?sdkappid=..&identifier=..&usersig=..&random=..&contenttype=json`;
    /// decode the reply. A reply with `ActionStatus` FAIL or a non-zero `ErrorCode` becomes
    /// [`Error::Api`] with the typed code; failures of single items come back in the `Ok`
    /// response. Failed attempts are retried as the client's [`RetryPolicy`] says.
    ///
    /// With the bindings of `tim-rest`, `client.call::<FriendImport>(&request).await?` is what
    /// the generated `client.friend_import(&request).await?` does. Each attempt is bounded by
    /// the client's timeout through `tokio::time`, so calls need a Tokio runtime with its
    /// time driver (as `#[tokio::main]` and `#[tokio::test]` have).
    pub async fn call<E: Endpoint>(
        &self,
        request: &E::Request,
    ) -> Result<E::Response, Error<E::Error>> {
        self.call_with::<E>(request, CallOptions::default()).await
    }

    /// [`call`](Client::call) with per-call settings: a caller-chosen `random`, another retry
    /// policy or timeout.
    pub async fn call_with<E: Endpoint>(
        &self,
        request: &E::Request,
        options: CallOptions,
    ) -> Result<E::Response, Error<E::Error>> {
        let span = tracing::debug_span!("tim_rest.call", path = E::PATH);
        self.run::<E>(request, options).instrument(span).await
    }

    async fn run<E: Endpoint>(
        &self,
        request: &E::Request,
        options: CallOptions,
    ) -> Result<E::Response, Error<E::Error>> {
        request.validate().map_err(Error::InvalidRequest)?;
        let body = Bytes::from(serde_json::to_vec(request).map_err(Error::Serialize)?);
        // This command's own query parameters (`&nettype=1`), after the common ones.
        let mut extra_query = String::new();
        E::extra_query(request, &mut extra_query);
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let timeout = options.timeout.or(self.inner.timeout);
        let signer = &self.inner.signer;
        let limiter = options.limiter.clone().or_else(|| self.rate_limiter::<E>());
        let hooks = options.hooks.as_deref();

        let mut attempt: u32 = 0;
        let mut policy_attempts: u32 = 1;
        let mut renewed = false;
        let mut next_sig: Option<UserSig> = None;
        loop {
            attempt += 1;
            let sig = match next_sig.take() {
                Some(sig) => sig,
                None => signer.usersig().map_err(Error::Credentials)?,
            };
            let random = options.random.unwrap_or_else(|| fastrand::u32(..));
            let permit = match &limiter {
                Some(limiter) => Some(limiter.acquire().await),
                None => None,
            };
            let started = Instant::now();
            let result = self
                .attempt::<E>(&body, &extra_query, &sig, random, timeout, attempt)
                .await;
            if let Some(permit) = permit {
                permit.settle(&result);
            }
            let failure = result.as_ref().err().map(|error| {
                let failure = AttemptFailure::of(error);
                let own = error.retry_class();
                let class = hooks.map_or(own, |h| h.classify(failure, own));
                (failure, class)
            });
            if let Some(hooks) = hooks {
                hooks.on_attempt(&AttemptReport {
                    attempt,
                    elapsed: started.elapsed(),
                    failure,
                });
            }
            let error = match result {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            let class = failure.map_or(RetryClass::Never, |(_, class)| class);

            if class == RetryClass::Credentials && !renewed {
                if let Some(renewal) = signer.renew(&sig) {
                    renewed = true;
                    next_sig = Some(renewal.map_err(Error::Credentials)?);
                    tracing::debug!(
                        attempt,
                        code = error.code(),
                        "UserSig rejected; signed a new one, retrying once"
                    );
                    continue;
                }
            }
            if policy.retries(class) && policy_attempts < policy.max_attempts() {
                let delay = policy.delay(class, policy_attempts);
                policy_attempts += 1;
                tracing::debug!(
                    attempt,
                    class = class.as_str(),
                    code = error.code(),
                    status = error.http_status(),
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "retrying"
                );
                if let (RetryClass::Throttling, Some(limiter)) = (class, &limiter) {
                    // Everyone calling this endpoint slows down, not only this call.
                    limiter.pause(delay);
                }
                tokio::time::sleep(delay).await;
                continue;
            }
            return Err(error);
        }
    }

    async fn attempt<E: Endpoint>(
        &self,
        body: &Bytes,
        extra_query: &str,
        sig: &UserSig,
        random: u32,
        timeout: Option<Duration>,
        attempt: u32,
    ) -> Result<E::Response, Error<E::Error>> {
        let inner = &self.inner;
        let mut url = url::endpoint_url(
            &inner.base_url,
            E::PATH,
            inner.sdkappid,
            &inner.admin,
            sig.expose_secret(),
            random,
        );
        url.push_str(extra_query);
        let request = HttpRequest::new(Method::Post, url, body.clone())
            .with_header("content-type", "application/json")
            .with_header("accept", "application/json");
        let started = Instant::now();
        let send = inner.transport.send(request);
        let sent = match timeout {
            Some(limit) => match tokio::time::timeout(limit, send).await {
                Ok(sent) => sent,
                Err(_) => Err(TransportError::timeout(format!(
                    "no reply within {} ms",
                    limit.as_millis()
                ))),
            },
            None => send.await,
        };
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                tracing::debug!(attempt, elapsed_ms, kind = ?error.kind(), "no reply");
                return Err(Error::Transport(error));
            }
        };
        tracing::debug!(attempt, status = response.status, elapsed_ms, "reply");
        decode::<E>(response)
    }
}

/// The envelope alone, for failure replies that lack the endpoint's own fields. Every field
/// may be absent or `null`.
#[derive(serde::Deserialize)]
struct BareEnvelope {
    #[serde(rename = "ActionStatus", default)]
    action_status: Option<ActionStatus>,
    #[serde(rename = "ErrorCode", default)]
    error_code: Option<i64>,
    #[serde(rename = "ErrorInfo", default)]
    error_info: Option<String>,
    #[serde(rename = "ErrorDisplay", default)]
    error_display: Option<String>,
}

/// What an absent `ActionStatus` counts as when judging a reply: only `ErrorCode` decides.
static ABSENT_STATUS: ActionStatus = ActionStatus::Ok;

impl Envelope for BareEnvelope {
    fn action_status(&self) -> &ActionStatus {
        self.action_status.as_ref().unwrap_or(&ABSENT_STATUS)
    }
    fn error_code(&self) -> i64 {
        self.error_code.unwrap_or(0)
    }
    fn error_info(&self) -> &str {
        self.error_info.as_deref().unwrap_or("")
    }
    fn error_display(&self) -> &str {
        self.error_display.as_deref().unwrap_or("")
    }
}

/// The API error `envelope` stands for, its texts redacted as body snippets are (the service
/// may quote the request URL, UserSig included).
fn api_error<E: ApiError>(envelope: &impl Envelope, action_status: ActionStatus) -> Error<E> {
    Error::Api {
        error: E::from_code(envelope.error_code()),
        info: url::redact(envelope.error_info()).into_owned(),
        display: url::redact(envelope.error_display()).into_owned(),
        action_status,
    }
}

/// Turns a reply into the response or the error it stands for. Public (through
/// `__private::decode_reply`) only so that the fuzz target drives this very function.
pub fn decode<E: Endpoint>(response: HttpResponse) -> Result<E::Response, Error<E::Error>> {
    let body = response.body;
    if response.status != 200 {
        return Err(Error::HttpStatus {
            status: response.status,
            body_snippet: snippet(&body),
        });
    }
    match serde_json::from_slice::<E::Response>(&body) {
        Ok(decoded) if decoded.is_failure() => {
            let status = decoded.action_status().clone();
            Err(api_error(&decoded, status))
        }
        Ok(decoded) => Ok(decoded),
        Err(source) => match serde_json::from_slice::<BareEnvelope>(&body) {
            Ok(envelope) if envelope.is_failure() => {
                // A failure without `ActionStatus` (a non-zero code alone) is reported as FAIL.
                let status = envelope.action_status.clone().unwrap_or(ActionStatus::Fail);
                Err(api_error(&envelope, status))
            }
            _ => Err(Error::Decode {
                source,
                body_snippet: snippet(&body),
            }),
        },
    }
}

/// The start of a body for an error message: at most 512 bytes, cut before a UTF-8
/// continuation byte, invalid UTF-8 replaced, any `usersig=` value redacted, and `…` added
/// when cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    let mut end = body.len().min(SNIPPET_MAX);
    if end < body.len() {
        while end > 0 && body[end] & 0xC0 == 0x80 {
            end -= 1;
        }
    }
    let text = String::from_utf8_lossy(&body[..end]);
    let mut text = url::redact(&text).into_owned();
    if end < body.len() {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{snippet, BareEnvelope};
    use crate::{ActionStatus, Envelope};

    fn bare(json: &str) -> BareEnvelope {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_bare_envelope_is_an_envelope() {
        let empty = bare("{}");
        assert!(!empty.is_failure());
        assert_eq!(empty.action_status(), &ActionStatus::Ok);
        assert_eq!(empty.error_code(), 0);
        assert_eq!(empty.error_info(), "");
        assert_eq!(empty.error_display(), "");
        let nulls =
            bare(r#"{"ActionStatus":"OK","ErrorCode":null,"ErrorInfo":null,"ErrorDisplay":null}"#);
        assert!(!nulls.is_failure());
        assert!(bare(r#"{"ActionStatus":"FAIL"}"#).is_failure());
        // A partial failure (batchsendmsg's "SomeError") with code 0 is a reply to read.
        assert!(!bare(r#"{"ActionStatus":"SomeError","ErrorCode":0}"#).is_failure());
        assert!(bare(r#"{"ActionStatus":"SomeError","ErrorCode":90012}"#).is_failure());
        let code_only = bare(r#"{"ErrorCode":60007,"ErrorInfo":"slow","ErrorDisplay":"d"}"#);
        assert!(code_only.is_failure());
        assert_eq!(code_only.error_code(), 60007);
        assert_eq!(code_only.error_info(), "slow");
        assert_eq!(code_only.error_display(), "d");
    }

    #[test]
    fn snippets_are_bounded_and_cut_on_char_boundaries() {
        assert_eq!(snippet(b"short"), "short");
        let long = "é".repeat(400); // 800 bytes
        let cut = snippet(long.as_bytes());
        assert!(cut.len() <= 512 + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        assert!(cut.trim_end_matches('…').chars().all(|c| c == 'é'));
        assert_eq!(snippet(b"\xff\xfe"), "\u{fffd}\u{fffd}");
        assert_eq!(snippet(b"see ?usersig=abc&x"), "see ?usersig=***&x");
    }
}
