//! The two secrets of the UserSig scheme: the console key and a signed UserSig.

use std::fmt;

use subtle::ConstantTimeEq;

/// The secret key of an IM application, as shown in the console (usually 64 hex characters).
///
/// The key signs as its ASCII text: it is never hex-decoded. `Debug` and `Display` print
/// `SecretKey(***)`, so the key cannot leak into logs by accident; call
/// [`expose_secret`](SecretKey::expose_secret) when the text itself is needed.
#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps the key text exactly as given: no trimming, no decoding.
    pub fn new(key: impl Into<String>) -> Self {
        SecretKey(key.into())
    }

    /// The key text.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretKey {
    fn from(key: String) -> Self {
        SecretKey(key)
    }
}

impl From<&str> for SecretKey {
    fn from(key: &str) -> Self {
        SecretKey(key.to_owned())
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

/// Anything that can act as the secret key of the signing and verifying functions.
///
/// Implemented for [`SecretKey`], `str`, `String` and references to them, so
/// [`generate`](super::generate) takes `&key` whichever of these `key` is.
pub trait AsSecretKey {
    /// The bytes the HMAC is keyed with: the UTF-8 text of the console key.
    fn secret_bytes(&self) -> &[u8];
}

impl AsSecretKey for SecretKey {
    fn secret_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl AsSecretKey for str {
    fn secret_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsSecretKey for String {
    fn secret_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<T: AsSecretKey + ?Sized> AsSecretKey for &T {
    fn secret_bytes(&self) -> &[u8] {
        (**self).secret_bytes()
    }
}

/// Anything that holds a UserSig's text: [`UserSig`], `str` and `String`, so that
/// [`verify`](super::verify) and [`inspect`](super::inspect) take what
/// [`generate`](super::generate) returns as well as a string received from elsewhere.
pub trait AsUserSig {
    /// The UserSig text.
    fn usersig_text(&self) -> &str;
}

impl AsUserSig for UserSig {
    fn usersig_text(&self) -> &str {
        &self.0
    }
}

impl AsUserSig for str {
    fn usersig_text(&self) -> &str {
        self
    }
}

impl AsUserSig for String {
    fn usersig_text(&self) -> &str {
        self
    }
}

impl<T: AsUserSig + ?Sized> AsUserSig for &T {
    fn usersig_text(&self) -> &str {
        (**self).usersig_text()
    }
}

/// A signed UserSig: the `usersig` query parameter of every REST call.
///
/// Whoever holds it can call the REST API as its identifier until it expires, so `Debug` and
/// `Display` print `UserSig(***)`; call [`expose_secret`](UserSig::expose_secret) to put it
/// on the wire. Equality runs in constant time for strings of equal length.
#[derive(Clone)]
pub struct UserSig(String);

impl UserSig {
    /// Wraps a UserSig obtained elsewhere (for example one signed by another service).
    ///
    /// Nothing is checked here; [`verify`](super::verify) or [`inspect`](super::inspect)
    /// decode it.
    pub fn new(sig: impl Into<String>) -> Self {
        UserSig(sig.into())
    }

    /// The UserSig text, as sent in the `usersig` query parameter.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for UserSig {
    fn from(sig: String) -> Self {
        UserSig(sig)
    }
}

impl From<&str> for UserSig {
    fn from(sig: &str) -> Self {
        UserSig(sig.to_owned())
    }
}

impl PartialEq for UserSig {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for UserSig {}

impl fmt::Debug for UserSig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserSig(***)")
    }
}

impl fmt::Display for UserSig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserSig(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_hides_the_values() {
        let key = SecretKey::new("topsecret");
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
        assert_eq!(format!("{key}"), "SecretKey(***)");
        assert_eq!(format!("{:#?}", key), "SecretKey(***)");
        let sig = UserSig::new("eJyrVg__");
        assert_eq!(format!("{sig:?}"), "UserSig(***)");
        assert_eq!(format!("{sig}"), "UserSig(***)");
    }

    #[test]
    fn key_sources_agree() {
        fn bytes<K: AsSecretKey + ?Sized>(k: &K) -> Vec<u8> {
            k.secret_bytes().to_vec()
        }
        let text = "abc";
        let owned = String::from("abc");
        let key = SecretKey::from("abc");
        assert_eq!(bytes(text), b"abc");
        assert_eq!(bytes(&text), b"abc");
        assert_eq!(bytes(&owned), b"abc");
        assert_eq!(bytes(&key), b"abc");
        assert_eq!(bytes(&&key), b"abc");
        assert_eq!(SecretKey::from(owned).expose_secret(), "abc");
    }

    #[test]
    fn usersig_equality() {
        assert_eq!(UserSig::new("abc"), UserSig::from("abc"));
        assert_ne!(UserSig::new("abc"), UserSig::new("abd"));
        assert_ne!(UserSig::new("abc"), UserSig::new("abcd"));
    }
}
