//! The signed content and its HMAC-SHA256.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Claims;

type HmacSha256 = Hmac<Sha256>;

/// The text the HMAC covers: one `TLS.name:value` line per claim, each ending in `\n`,
/// in this exact order; the userbuf line only when there is a userbuf.
pub(super) fn content(claims: &Claims) -> String {
    let mut text = format!(
        "TLS.identifier:{}\nTLS.sdkappid:{}\nTLS.time:{}\nTLS.expire:{}\n",
        claims.identifier,
        claims.sdkappid,
        claims.issued_at,
        claims.validity.as_secs()
    );
    if let Some(userbuf) = &claims.userbuf {
        text.push_str("TLS.userbuf:");
        text.push_str(&STANDARD.encode(userbuf));
        text.push('\n');
    }
    text
}

fn keyed(key: &[u8], claims: &Claims) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts a key of any length");
    mac.update(content(claims).as_bytes());
    mac
}

/// `TLS.sig`: the standard base64 of the HMAC-SHA256 of [`content`], keyed with the key text.
pub(super) fn sign(key: &[u8], claims: &Claims) -> String {
    STANDARD.encode(keyed(key, claims).finalize().into_bytes())
}

/// Whether `tag` (the decoded `TLS.sig`) is the HMAC of these claims, compared in constant time.
pub(super) fn check(key: &[u8], claims: &Claims, tag: &[u8]) -> bool {
    keyed(key, claims).verify_slice(tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn claims(userbuf: Option<&[u8]>) -> Claims {
        Claims {
            identifier: "xiaojun".into(),
            sdkappid: 1_400_000_000,
            issued_at: 1_600_000_000,
            validity: Duration::from_secs(15_552_000),
            userbuf: userbuf.map(<[u8]>::to_vec),
        }
    }

    #[test]
    fn content_layout() {
        assert_eq!(
            content(&claims(None)),
            "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1600000000\nTLS.expire:15552000\n"
        );
        assert_eq!(
            content(&claims(Some(b"abc"))),
            "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1600000000\nTLS.expire:15552000\nTLS.userbuf:YWJj\n"
        );
    }

    #[test]
    fn check_matches_sign() {
        let c = claims(None);
        let tag = STANDARD.decode(sign(b"k", &c)).unwrap();
        assert!(check(b"k", &c, &tag));
        assert!(!check(b"K", &c, &tag));
        assert!(!check(b"k", &c, &tag[..31]));
        assert!(!check(b"k", &c, &[]));
    }
}
