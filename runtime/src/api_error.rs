use std::fmt;

/// How a caller should react to an error: the basis of the client's retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// Retrying the same request cannot help.
    Never,
    /// A passing fault on the service side or the network: retry with backoff.
    Transient,
    /// Over a rate limit: retry after slowing down.
    Throttling,
    /// A write conflict on one account: back off, keep one writer per account.
    Conflict,
    /// The UserSig is expired or revoked: sign anew, then retry once.
    Credentials,
}

impl RetryClass {
    /// Whether a retry may succeed.
    pub fn is_retryable(self) -> bool {
        self != RetryClass::Never
    }

    /// The lowercase name used in schemas (`never`, `transient`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RetryClass::Never => "never",
            RetryClass::Transient => "transient",
            RetryClass::Throttling => "throttling",
            RetryClass::Conflict => "conflict",
            RetryClass::Credentials => "credentials",
        }
    }
}

impl fmt::Display for RetryClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code the service answered with that the schema does not document.
///
/// Only `ApiError::from_code` builds one, so matching on it never hides a documented code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownCode(i64);

impl UnknownCode {
    /// The code as received.
    pub fn code(self) -> i64 {
        self.0
    }
}

/// Builds an [`UnknownCode`]; reached by `#[derive(ApiError)]` through `__private` only, so
/// the type has no constructor a user would be pointed to.
#[doc(hidden)]
pub fn unknown_code(code: i64) -> UnknownCode {
    UnknownCode(code)
}

/// An error enum of one endpoint: a variant per documented code, plus an unknown one.
///
/// `#[derive(ApiError)]` implements it from `#[code(...)]` attributes.
pub trait ApiError: fmt::Debug + fmt::Display + std::error::Error + Send + Sync + 'static {
    /// The variant for `code`; undocumented codes land in the unknown variant.
    fn from_code(code: i64) -> Self
    where
        Self: Sized;
    /// The numeric code.
    fn code(&self) -> i64;
    /// What the code means, in English.
    fn message(&self) -> &'static str;
    /// What the code means, in Chinese, as the service documents it.
    fn message_zh(&self) -> &'static str;
    /// How to react to it.
    fn retry_class(&self) -> RetryClass;
    /// Whether a retry may succeed.
    fn is_retryable(&self) -> bool {
        self.retry_class().is_retryable()
    }
}
