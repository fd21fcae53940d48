//! What to do after a failed call or item: retry (after how long), give up on it, or stop the
//! whole run.
//!
//! friend_import and multiaccount_import are safe to repeat (importing a friend or an account
//! again leaves the same state), so a reply that never came (a dropped connection, a timeout,
//! an undecodable body) is retried like a transient fault even when the runtime's general
//! classification says `never`, unlike in the client's own retry policy, which must not assume
//! that. Errors that no batch can escape (bad credentials, wrong SDKAppID, missing admin
//! rights, an HTTP 401/403/404 from a wrong base URL) stop the run instead of filling the
//! failures report with every remaining relation; those batches stay out of the checkpoint.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use tim_rest::client::AttemptFailure;
use tim_rest::{ApiError, Error, RetryClass};

use crate::failures::CallError;

/// Retry settings of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Most attempts of one request (the first included).
    pub max_attempts: u32,
    /// Most times one item refused with a retryable code is sent again.
    pub max_item_retries: u32,
    /// The ceiling of the first wait.
    pub base_delay: Duration,
    /// The largest wait.
    pub max_delay: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 10,
            max_item_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryConfig {
    /// The wait before retry number `retry` (1 for the first) of something of class `class`:
    /// a random time up to `base * 2^(retry-1)` (full jitter), capped; throttling and conflicts
    /// start from twice the base.
    pub fn backoff(&self, class: RetryClass, retry: u32) -> Duration {
        let base = match class {
            RetryClass::Throttling | RetryClass::Conflict => self.base_delay * 2,
            _ => self.base_delay,
        };
        let ceiling = base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
            .min(self.max_delay);
        let nanos = ceiling.as_nanos() as u64;
        if nanos == 0 {
            return Duration::ZERO;
        }
        // At least a tenth of the ceiling, so retries never hammer.
        Duration::from_nanos(nanos / 10 + random_u64() % (nanos - nanos / 10 + 1))
    }
}

/// What to do about a failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Try again after a wait fitting the class.
    Retry(RetryClass),
    /// Give up on this request's items: report them.
    GiveUp,
    /// Stop the whole run: no request can succeed.
    Fatal,
}

/// The retry class an import acts on for a failed attempt (the client's retry loop asks
/// through [`tim_rest::client::CallHooks::classify`]): no reply, or one that cannot be read,
/// is transient, since the write is safe to repeat; HTTP 429 is throttling, other 5xx
/// transient; a code that concerns the caller's setup ([`is_fatal_code`]) is never retried,
/// so that [`judge`] can stop the run; any other code keeps its schema's class.
pub fn classify(failure: AttemptFailure, class: RetryClass) -> RetryClass {
    match failure {
        AttemptFailure::Transport { .. } | AttemptFailure::Decode => RetryClass::Transient,
        AttemptFailure::HttpStatus(429) => RetryClass::Throttling,
        AttemptFailure::HttpStatus(500..=599) => RetryClass::Transient,
        AttemptFailure::HttpStatus(_) => RetryClass::Never,
        AttemptFailure::Api(code) if is_fatal_code(code) => RetryClass::Never,
        AttemptFailure::Api(_) => class,
        _ => RetryClass::Never,
    }
}

/// Judges a failed call to an idempotent import endpoint.
pub fn judge<E: ApiError>(error: &Error<E>) -> Verdict {
    if matches!(error, Error::Credentials(_)) {
        return Verdict::Fatal;
    }
    // One classification: the one the client's retry loop asks for through the hooks.
    let failure = AttemptFailure::of(error);
    match (failure, classify(failure, error.retry_class())) {
        (AttemptFailure::HttpStatus(401 | 403 | 404 | 405), _) => Verdict::Fatal,
        (AttemptFailure::Api(code), RetryClass::Never) if is_fatal_code(code) => Verdict::Fatal,
        // The client already signed a new UserSig and retried once.
        (_, RetryClass::Credentials) => Verdict::Fatal,
        (_, RetryClass::Never) => Verdict::GiveUp,
        (_, class) => Verdict::Retry(class),
    }
}

/// Whether `code` concerns the caller's setup, not one request: wrong credentials, SDKAppID,
/// admin rights, plan or IP allow-list. Only common codes do; they are matched by name.
pub fn is_fatal_code(code: i64) -> bool {
    use tim_rest::CommonError as C;
    matches!(
        C::from_code(code),
        Some(
            C::HttpParseFailed
                | C::IdentityOrSignatureInvalid
                | C::IdentityOrSignatureInvalidInBody
                | C::SdkAppIdInvalid
                | C::RequestResourceInvalid
                | C::AdminPermissionRequired
                | C::SdkAppIdMissing
                | C::SdkAppIdDisabled
                | C::RequestDisabled
                | C::PlanExpired
                | C::CallerIpNotAllowed
                | C::UserSigExpired
                | C::UserSigEmpty
                | C::UserSigUnparsable
                | C::UserSigVerifyFailed
                | C::UserSigBadKey
                | C::UserSigIdentifierMismatch
                | C::UserSigSdkAppIdMismatch
                | C::KeyNotFound
                | C::SdkAppIdNotFound
                | C::UserSigRetriesBlocked
                | C::AccountBlacklisted
                | C::UserSigInvalidated
                | C::AccountAdminRequired
        )
    )
}

/// The report's view of a failed call.
pub fn describe<E: ApiError>(error: &Error<E>) -> CallError {
    let class = match judge(error) {
        Verdict::Retry(class) => class,
        _ => error.retry_class(),
    };
    CallError {
        message: error.to_string(),
        code: error.code(),
        class: Some(class.as_str()),
    }
}

/// The report's view of an item refused with `code`.
pub fn describe_code<E: ApiError>(code: i64, info: &str) -> CallError {
    let error = E::from_code(code);
    let mut message = format!("{code}: {error}");
    if !info.is_empty() {
        message.push_str(&format!(" ({info})"));
    }
    CallError {
        message,
        code: Some(code),
        class: Some(error.retry_class().as_str()),
    }
}

fn random_u64() -> u64 {
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut h = RandomState::new().build_hasher();
            h.write_u64(0x9e37_79b9_7f4a_7c15);
            h.finish() | 1
        });
    }
    STATE.with(|s| {
        // xorshift64*
        let mut x = s.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_rest::sns::friend_import::Error as FiError;
    use tim_rest::{ActionStatus, TransportError};

    fn api(code: i64) -> Error<FiError> {
        Error::Api {
            error: FiError::from_code(code),
            info: String::new(),
            display: String::new(),
            action_status: ActionStatus::Fail,
        }
    }

    #[test]
    fn verdicts() {
        assert_eq!(judge(&api(30006)), Verdict::Retry(RetryClass::Transient));
        assert_eq!(judge(&api(30008)), Verdict::Retry(RetryClass::Conflict));
        assert_eq!(judge(&api(60007)), Verdict::Retry(RetryClass::Throttling));
        assert_eq!(judge(&api(30003)), Verdict::GiveUp);
        assert_eq!(judge(&api(70009)), Verdict::Fatal);
        assert_eq!(judge(&api(60010)), Verdict::Fatal);
        let status = |s| Error::<FiError>::HttpStatus {
            status: s,
            body_snippet: String::new(),
        };
        assert_eq!(judge(&status(502)), Verdict::Retry(RetryClass::Transient));
        assert_eq!(judge(&status(429)), Verdict::Retry(RetryClass::Throttling));
        assert_eq!(judge(&status(404)), Verdict::Fatal);
        let dropped = Error::<FiError>::Transport(TransportError::other("connection reset"));
        assert_eq!(judge(&dropped), Verdict::Retry(RetryClass::Transient));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let cfg = RetryConfig {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..RetryConfig::default()
        };
        for _ in 0..100 {
            let d = cfg.backoff(RetryClass::Transient, 1);
            assert!(
                d >= Duration::from_millis(10) && d <= Duration::from_millis(100),
                "{d:?}"
            );
            let d = cfg.backoff(RetryClass::Conflict, 2);
            assert!(
                d >= Duration::from_millis(40) && d <= Duration::from_millis(400),
                "{d:?}"
            );
            let d = cfg.backoff(RetryClass::Transient, 30);
            assert!(d <= Duration::from_secs(1), "{d:?}");
        }
    }

    #[test]
    fn item_codes_are_described() {
        let e = describe_code::<FiError>(30003, "Err_Sns_Invalid_Account");
        assert_eq!(e.code, Some(30003));
        assert_eq!(e.class, Some("never"));
        assert!(e.message.starts_with("30003: "), "{}", e.message);
        assert!(e.message.ends_with("(Err_Sns_Invalid_Account)"));
    }
}
