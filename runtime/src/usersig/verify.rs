//! Checking a UserSig.

use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::{document, encode, sign, unix_seconds, AsSecretKey, AsUserSig, Claims, UserSigError};

/// The longest part of a foreign identifier quoted in [`UserSigError::IdentifierMismatch`].
const QUOTED_IDENTIFIER_LEN: usize = 64;

/// Checks that `sig` is a valid, unexpired UserSig for `identifier` of application
/// `sdkappid`, signed with `key`, and returns its claims.
///
/// The checks run in the order the errors are listed; each failure has its own variant:
///
/// # Errors
///
/// - [`UserSigError::Malformed`]: not base64 in the UserSig alphabet, not zlib, not the JSON
///   document, a field missing or mistyped, or a `TLS.ver` other than `2.0`;
/// - [`UserSigError::SdkAppIdMismatch`], then [`UserSigError::IdentifierMismatch`];
/// - [`UserSigError::Expired`] when now is after `TLS.time + TLS.expire`;
/// - [`UserSigError::BadSignature`] when the HMAC does not match (wrong key, altered claims).
///   A `TLS.sig` that is not base64 at all is [`UserSigError::Malformed`].
pub fn verify<K: AsSecretKey + ?Sized, S: AsUserSig + ?Sized>(
    sdkappid: u64,
    key: &K,
    identifier: &str,
    sig: &S,
) -> Result<Claims, UserSigError> {
    verify_at(sdkappid, key, identifier, sig, SystemTime::now())
}

/// Like [`verify`], judging expiry as of `now` instead of the system clock (a time before
/// 1970 counts as 0).
pub fn verify_at<K: AsSecretKey + ?Sized, S: AsUserSig + ?Sized>(
    sdkappid: u64,
    key: &K,
    identifier: &str,
    sig: &S,
    now: SystemTime,
) -> Result<Claims, UserSigError> {
    let (claims, tag) = inspect(sig)?;
    if claims.sdkappid != sdkappid {
        return Err(UserSigError::SdkAppIdMismatch {
            expected: sdkappid,
            found: claims.sdkappid,
        });
    }
    if claims.identifier != identifier {
        return Err(UserSigError::IdentifierMismatch {
            expected: identifier.to_owned(),
            found: quote(&claims.identifier),
        });
    }
    let now = unix_seconds(now);
    let expired_at = claims.expires_at();
    if now > expired_at {
        return Err(UserSigError::Expired { expired_at, now });
    }
    let tag = STANDARD
        .decode(tag)
        .map_err(|_| UserSigError::malformed("TLS.sig is not valid base64"))?;
    if !sign::check(key.secret_bytes(), &claims, &tag) {
        return Err(UserSigError::BadSignature);
    }
    Ok(claims)
}

/// Decodes a UserSig WITHOUT verifying it: returns its claims and its `TLS.sig` (the standard
/// base64 of the HMAC), whatever key signed it and however long ago it expired.
///
/// Use it to read the expiry of a UserSig or to debug one; never trust the claims it returns.
///
/// # Errors
///
/// [`UserSigError::Malformed`] only, as for [`verify`].
pub fn inspect<S: AsUserSig + ?Sized>(sig: &S) -> Result<(Claims, String), UserSigError> {
    document::read(&encode::open(sig.usersig_text())?)
}

/// `identifier` cut to at most [`QUOTED_IDENTIFIER_LEN`] bytes, at a character boundary.
fn quote(identifier: &str) -> String {
    let mut end = identifier.len().min(QUOTED_IDENTIFIER_LEN);
    while !identifier.is_char_boundary(end) {
        end -= 1;
    }
    identifier[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_cuts_at_char_boundaries() {
        assert_eq!(quote("abc"), "abc");
        assert_eq!(quote(&"a".repeat(100)).len(), 64);
        let s = format!("{}é", "a".repeat(63));
        assert_eq!(quote(&s), "a".repeat(63));
    }
}
