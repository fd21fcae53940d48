//! Why signing or verifying a UserSig failed.

/// Why [`generate`](super::generate) or [`verify`](super::verify) failed.
///
/// The messages never contain the secret key, the UserSig text or its HMAC; a mismatching
/// identifier is quoted (cut to 64 bytes), as it is no secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UserSigError {
    /// The UserSig is past its expiry time (`TLS.time + TLS.expire`).
    #[error("the UserSig expired at {expired_at} (unix seconds); it is now {now}")]
    Expired {
        /// When it expired, in unix seconds.
        expired_at: u64,
        /// The time of the check, in unix seconds.
        now: u64,
    },
    /// The HMAC does not match: the UserSig was signed with another key, or altered.
    #[error("the UserSig signature does not match: wrong secret key, or the UserSig was altered")]
    BadSignature,
    /// The UserSig was issued to another identifier.
    #[error("the UserSig belongs to identifier {found:?}, not {expected:?}")]
    IdentifierMismatch {
        /// The identifier the caller expected.
        expected: String,
        /// The identifier inside the UserSig, cut to 64 bytes.
        found: String,
    },
    /// The UserSig was issued for another application.
    #[error("the UserSig belongs to SDKAppID {found}, not {expected}")]
    SdkAppIdMismatch {
        /// The SDKAppID the caller expected.
        expected: u64,
        /// The SDKAppID inside the UserSig.
        found: u64,
    },
    /// The text is no UserSig: bad base64, bad zlib, bad JSON, a missing field or a version
    /// other than `2.0`. The reason says which.
    #[error("malformed UserSig: {0}")]
    Malformed(String),
    /// The identifier cannot be signed: empty, longer than 32 bytes, or holding a control
    /// character. The reason says which.
    #[error("invalid identifier for a UserSig: {0}")]
    InvalidIdentifier(String),
    /// The validity is under one second, or so long that the expiry time overflows.
    #[error("invalid UserSig validity: it must be at least one second, and the expiry time must stay below 2^63 unix seconds")]
    InvalidValidity,
}

impl UserSigError {
    /// The account error code the service answers with for this failure (70001 expired,
    /// 70003 unparsable, 70009 bad signature, 70013 identifier mismatch, 70014 SDKAppID
    /// mismatch). Failures the service never sees map to 70003.
    pub fn service_code(&self) -> i64 {
        match self {
            UserSigError::Expired { .. } => 70001,
            UserSigError::Malformed(_) => 70003,
            UserSigError::BadSignature => 70009,
            UserSigError::IdentifierMismatch { .. } => 70013,
            UserSigError::SdkAppIdMismatch { .. } => 70014,
            UserSigError::InvalidIdentifier(_) | UserSigError::InvalidValidity => 70003,
        }
    }

    pub(super) fn malformed(reason: impl Into<String>) -> Self {
        UserSigError::Malformed(reason.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_codes() {
        let cases = [
            (
                UserSigError::Expired {
                    expired_at: 1,
                    now: 2,
                },
                70001,
            ),
            (UserSigError::malformed("x"), 70003),
            (UserSigError::BadSignature, 70009),
            (
                UserSigError::IdentifierMismatch {
                    expected: "a".into(),
                    found: "b".into(),
                },
                70013,
            ),
            (
                UserSigError::SdkAppIdMismatch {
                    expected: 1,
                    found: 2,
                },
                70014,
            ),
            (UserSigError::InvalidIdentifier("empty".into()), 70003),
            (UserSigError::InvalidValidity, 70003),
        ];
        for (err, code) in cases {
            assert_eq!(err.service_code(), code, "{err}");
        }
    }
}
