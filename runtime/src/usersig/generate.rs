//! Signing a UserSig.

use std::time::{Duration, SystemTime};

use super::{document, encode, sign, unix_seconds, AsSecretKey, Claims, UserSig, UserSigError};

/// The longest identifier the service accepts, in bytes.
const MAX_IDENTIFIER_LEN: usize = 32;

/// Signs a UserSig for `identifier` of application `sdkappid`, valid for `validity` from now.
///
/// `validity` counts in whole seconds (a fraction is dropped) and must be at least one
/// second; the service recommends at least a day, and [`DEFAULT_VALIDITY`](super::DEFAULT_VALIDITY)
/// is 180 days. For REST calls, `identifier` must be an App admin account.
///
/// # Errors
///
/// [`UserSigError::InvalidIdentifier`] if `identifier` is empty, longer than 32 bytes or
/// holds an ASCII control character; [`UserSigError::InvalidValidity`] if `validity` is
/// under a second or the expiry time would reach 2^63 unix seconds.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use tim_rest_runtime::usersig::{generate, verify, SecretKey};
///
/// let key = SecretKey::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e");
/// let sig = generate(1400000000, &key, "administrator", Duration::from_secs(86400)).unwrap();
/// let claims = verify(1400000000, &key, "administrator", sig.expose_secret()).unwrap();
/// assert_eq!(claims.validity, Duration::from_secs(86400));
/// ```
pub fn generate<K: AsSecretKey + ?Sized>(
    sdkappid: u64,
    key: &K,
    identifier: &str,
    validity: Duration,
) -> Result<UserSig, UserSigError> {
    generate_at(sdkappid, key, identifier, validity, SystemTime::now())
}

/// Like [`generate`], signed as of `now` instead of the system clock (a time before 1970
/// counts as 0).
pub fn generate_at<K: AsSecretKey + ?Sized>(
    sdkappid: u64,
    key: &K,
    identifier: &str,
    validity: Duration,
    now: SystemTime,
) -> Result<UserSig, UserSigError> {
    sign_claims(sdkappid, key, identifier, validity, None, now)
}

/// Like [`generate_at`], with a TRTC-style `userbuf` (for example a PrivateMapKey) signed
/// into the UserSig as `TLS.userbuf`. IM REST calls do not need one.
///
/// An empty `userbuf` counts as none: the result equals that of [`generate_at`], as
/// verifiers treat an empty `TLS.userbuf` as absent.
pub fn generate_with_userbuf_at<K: AsSecretKey + ?Sized>(
    sdkappid: u64,
    key: &K,
    identifier: &str,
    validity: Duration,
    userbuf: &[u8],
    now: SystemTime,
) -> Result<UserSig, UserSigError> {
    let userbuf = if userbuf.is_empty() {
        None
    } else {
        Some(userbuf)
    };
    sign_claims(sdkappid, key, identifier, validity, userbuf, now)
}

fn sign_claims<K: AsSecretKey + ?Sized>(
    sdkappid: u64,
    key: &K,
    identifier: &str,
    validity: Duration,
    userbuf: Option<&[u8]>,
    now: SystemTime,
) -> Result<UserSig, UserSigError> {
    check_identifier(identifier)?;
    let issued_at = unix_seconds(now);
    let expire = validity.as_secs();
    let fits = issued_at
        .checked_add(expire)
        .is_some_and(|end| end <= i64::MAX as u64);
    if expire == 0 || !fits {
        return Err(UserSigError::InvalidValidity);
    }
    let claims = Claims {
        identifier: identifier.to_owned(),
        sdkappid,
        issued_at,
        validity: Duration::from_secs(expire),
        userbuf: userbuf.map(<[u8]>::to_vec),
    };
    let tag = sign::sign(key.secret_bytes(), &claims);
    Ok(UserSig::new(encode::seal(&document::write(&claims, &tag))))
}

fn check_identifier(identifier: &str) -> Result<(), UserSigError> {
    if identifier.is_empty() {
        return Err(UserSigError::InvalidIdentifier(
            "the identifier is empty".to_owned(),
        ));
    }
    if identifier.len() > MAX_IDENTIFIER_LEN {
        return Err(UserSigError::InvalidIdentifier(format!(
            "the identifier is {} bytes long; at most {MAX_IDENTIFIER_LEN} are allowed",
            identifier.len()
        )));
    }
    if identifier.chars().any(|c| c.is_ascii_control()) {
        return Err(UserSigError::InvalidIdentifier(
            "the identifier holds an ASCII control character".to_owned(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_rules() {
        assert!(check_identifier("administrator").is_ok());
        assert!(check_identifier(&"a".repeat(32)).is_ok());
        assert!(check_identifier("用户_1").is_ok());
        for bad in [
            "",
            &"a".repeat(33),
            "a\nb",
            "tab\t",
            "del\u{7f}",
            "一二三四五六七八九十壹",
        ] {
            assert!(
                matches!(
                    check_identifier(bad),
                    Err(UserSigError::InvalidIdentifier(_))
                ),
                "{bad:?}"
            );
        }
    }
}
