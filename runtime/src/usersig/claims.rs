//! What a UserSig asserts.

use std::time::Duration;

/// The claims inside a UserSig: whom it is for, which application, and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// The account the UserSig authenticates (`TLS.identifier`); an App admin for REST calls.
    pub identifier: String,
    /// The application (`TLS.sdkappid`).
    pub sdkappid: u64,
    /// When it was signed, in unix seconds (`TLS.time`).
    pub issued_at: u64,
    /// How long it stays valid after `issued_at`, in whole seconds (`TLS.expire`).
    pub validity: Duration,
    /// The TRTC userbuf (`TLS.userbuf`, decoded from base64), if any. IM UserSigs have none.
    pub userbuf: Option<Vec<u8>>,
}

impl Claims {
    /// The last second of validity, in unix seconds: `issued_at + validity`. The UserSig is
    /// still accepted at this second and rejected after it.
    pub fn expires_at(&self) -> u64 {
        self.issued_at.saturating_add(self.validity.as_secs())
    }
}
