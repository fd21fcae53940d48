//! What a call can fail with: [`Error`], and what an endpoint's documented code means
//! ([`ApiError`], [`RetryClass`]).

use std::fmt;

pub use crate::api_error::{ApiError, RetryClass, UnknownCode};
use crate::transport::{TransportError, TransportErrorKind};
use crate::usersig::UserSigError;
use crate::{ActionStatus, ValidationError};

/// Why a call failed. `E` is the endpoint's error enum (`friend_import::Error`).
///
/// The variants say how far the call got: never sent ([`InvalidRequest`](Error::InvalidRequest),
/// [`Credentials`](Error::Credentials)), no reply ([`Transport`](Error::Transport)), a reply that
/// is not the service's JSON ([`HttpStatus`](Error::HttpStatus), [`Decode`](Error::Decode)), or
/// the service's own refusal ([`Api`](Error::Api)). Failures of single items in a batch are not
/// errors: they come back in the `Ok` response, each with its code.
///
/// Nothing here ever holds the secret key, the UserSig or the URL that carries it.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke a rule of the schema. Nothing was sent.
    InvalidRequest(ValidationError),
    /// No UserSig could be made from the secret key. Nothing was sent.
    Credentials(UserSigError),
    /// The request could not be written as JSON (a hand-written `Serialize` that fails, or a
    /// map with non-string keys). Nothing was sent.
    Serialize(serde_json::Error),
    /// No HTTP reply: the connection failed, timed out or broke.
    Transport(TransportError),
    /// The reply's HTTP status was not 200, as when a proxy answers 502.
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The start of the body (at most 512 bytes, cut on a character boundary).
        body_snippet: String,
    },
    /// A 200 reply whose body is neither the endpoint's response nor a failure envelope.
    Decode {
        /// What the JSON decoder reported.
        source: serde_json::Error,
        /// The start of the body (at most 512 bytes, cut on a character boundary).
        body_snippet: String,
    },
    /// The service refused the request as a whole (`ActionStatus` FAIL or `ErrorCode` != 0).
    Api {
        /// The typed code.
        error: E,
        /// `ErrorInfo`: the service's detail text.
        info: String,
        /// `ErrorDisplay`: text meant for end users, often empty.
        display: String,
        /// `ActionStatus` as received.
        action_status: ActionStatus,
    },
    /// Paging stopped before the service said it was complete: the cursor did not move, or
    /// the page limit was reached. The pages before it were delivered.
    Pagination {
        /// Pages fetched, this one included.
        pages: usize,
        /// Why paging stopped.
        reason: PaginationStop,
    },
}

impl<E> Error<E> {
    /// The typed API error, taken out of the error; any other failure comes back unchanged as
    /// `Err`, so nothing is lost.
    ///
    /// ```
    /// use tim_rest_runtime::{ActionStatus, Error};
    ///
    /// // `E` is the endpoint's error enum; a plain code stands in for it here.
    /// let err: Error<i64> = Error::Api {
    ///     error: 30001,
    ///     info: "Err_SNS_Invalid_Param".into(),
    ///     display: String::new(),
    ///     action_status: ActionStatus::Fail,
    /// };
    /// assert_eq!(err.map_api_error(|code| code + 1).into_api_error().ok(), Some(30002));
    /// ```
    pub fn into_api_error(self) -> Result<E, Self> {
        match self {
            Error::Api { error, .. } => Ok(error),
            other => Err(other),
        }
    }

    /// The same failure with the API error converted by `f`: for gathering the errors of
    /// several endpoints under one type of the caller's.
    pub fn map_api_error<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::InvalidRequest(e) => Error::InvalidRequest(e),
            Error::Credentials(e) => Error::Credentials(e),
            Error::Serialize(e) => Error::Serialize(e),
            Error::Transport(e) => Error::Transport(e),
            Error::HttpStatus {
                status,
                body_snippet,
            } => Error::HttpStatus {
                status,
                body_snippet,
            },
            Error::Decode {
                source,
                body_snippet,
            } => Error::Decode {
                source,
                body_snippet,
            },
            Error::Api {
                error,
                info,
                display,
                action_status,
            } => Error::Api {
                error: f(error),
                info,
                display,
                action_status,
            },
            Error::Pagination { pages, reason } => Error::Pagination { pages, reason },
        }
    }
}

/// Why a paged read gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaginationStop {
    /// The next request would have been the same as the last: the service never completes.
    Stalled,
    /// More pages than the limit set with `Pages::max_pages`.
    TooManyPages,
}

impl<E: ApiError> Error<E> {
    /// How to react: `Transient` for connect failures, timeouts and HTTP 502/503/504,
    /// `Throttling` for HTTP 429, the code's own class for an API error, `Never` otherwise.
    pub fn retry_class(&self) -> RetryClass {
        match self {
            Error::Transport(e) => match e.kind() {
                TransportErrorKind::Connect | TransportErrorKind::Timeout => RetryClass::Transient,
                _ => RetryClass::Never,
            },
            Error::HttpStatus { status, .. } => match status {
                502..=504 => RetryClass::Transient,
                429 => RetryClass::Throttling,
                _ => RetryClass::Never,
            },
            Error::Api { error, .. } => error.retry_class(),
            Error::InvalidRequest(_)
            | Error::Credentials(_)
            | Error::Serialize(_)
            | Error::Decode { .. }
            | Error::Pagination { .. } => RetryClass::Never,
        }
    }

    /// Whether a retry (after the wait the class asks for) may succeed.
    pub fn is_retryable(&self) -> bool {
        self.retry_class().is_retryable()
    }

    /// The typed API error, when the service refused the request.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The service's `ErrorCode`, when the service refused the request.
    pub fn code(&self) -> Option<i64> {
        self.api_error().map(ApiError::code)
    }

    /// `ErrorInfo`, when the service refused the request.
    pub fn error_info(&self) -> Option<&str> {
        match self {
            Error::Api { info, .. } => Some(info),
            _ => None,
        }
    }

    /// The HTTP status, when it was not 200.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::HttpStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the request certainly never reached the service (invalid, unsigned, or no
    /// connection), so a write cannot have happened.
    pub fn was_not_sent(&self) -> bool {
        match self {
            Error::InvalidRequest(_) | Error::Credentials(_) | Error::Serialize(_) => true,
            Error::Transport(e) => e.is_connect(),
            _ => false,
        }
    }
}

impl<E: ApiError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(e) => write!(f, "{e}"),
            Error::Credentials(e) => write!(f, "could not sign the request: {e}"),
            Error::Serialize(e) => write!(f, "could not write the request as JSON: {e}"),
            Error::Transport(e) => write!(f, "no reply from the service: {e}"),
            Error::HttpStatus {
                status,
                body_snippet,
            } => write!(f, "HTTP status {status} from the service: {body_snippet:?}"),
            Error::Decode {
                source,
                body_snippet,
            } => write!(f, "undecodable reply ({source}): {body_snippet:?}"),
            Error::Pagination { pages, reason } => match reason {
                PaginationStop::Stalled => write!(
                    f,
                    "paging stopped after {pages} pages: the service never reported the last page"
                ),
                PaginationStop::TooManyPages => write!(
                    f,
                    "paging stopped after {pages} pages: the page limit was reached"
                ),
            },
            Error::Api {
                error,
                info,
                display,
                action_status,
            } => {
                write!(
                    f,
                    "the service answered {action_status} with ErrorCode {}: {error}",
                    error.code()
                )?;
                if !info.is_empty() {
                    write!(f, " (ErrorInfo: {info})")?;
                }
                if !display.is_empty() {
                    write!(f, " (ErrorDisplay: {display})")?;
                }
                Ok(())
            }
        }
    }
}

impl<E: ApiError> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest(e) => Some(e),
            Error::Credentials(e) => Some(e),
            Error::Serialize(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::HttpStatus { .. } => None,
            Error::Decode { source, .. } => Some(source),
            Error::Api { error, .. } => Some(error),
            Error::Pagination { .. } => None,
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(e: ValidationError) -> Self {
        Error::InvalidRequest(e)
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}

impl<E> From<UserSigError> for Error<E> {
    fn from(e: UserSigError) -> Self {
        Error::Credentials(e)
    }
}
