//! `usersig::inspect` and `usersig::verify_at` on arbitrary input, never a panic, and the two
//! agree. The first byte picks what the rest is:
//!
//! - 0: the UserSig text itself (what a client sends in `usersig=`);
//! - 1: the JSON document inside one, sealed by the runtime's own sealing (zlib, then the UserSig's base64), so the
//!   fuzzer reaches the document reader rather than stopping at base64 or zlib;
//! - 2: claims to sign with `generate_with_userbuf_at`, whose UserSig must then verify to the
//!   same claims (the signer and the verifier agree).
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use tim_rest::usersig::{self, SecretKey, UserSigError};

/// The key every UserSig here is signed and checked with (the docs' example key).
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

/// Inspects and verifies `sig` (as of its own issue time, for the claims it names) and checks
/// that the two agree.
fn check(key: &SecretKey, sig: &str) {
    let inspected = usersig::inspect(sig);
    let (claims, _tag) = match inspected {
        Ok(found) => found,
        Err(e) => {
            assert!(matches!(e, UserSigError::Malformed(_)), "inspect: {e:?}");
            let verified = usersig::verify_at(1, key, "a", sig, SystemTime::now());
            assert_eq!(verified.unwrap_err(), e, "verify and inspect disagree");
            return;
        }
    };
    let _ = claims.expires_at();
    let Some(at) = UNIX_EPOCH.checked_add(Duration::from_secs(claims.issued_at)) else {
        return;
    };
    match usersig::verify_at(claims.sdkappid, key, &claims.identifier, sig, at) {
        Ok(verified) => assert_eq!(verified, claims, "verify read other claims than inspect"),
        Err(UserSigError::BadSignature | UserSigError::Malformed(_)) => {}
        Err(e) => panic!("a UserSig checked against its own claims fails with {e:?}"),
    }
    // Any error message formats (they quote identifiers, cut on character boundaries).
    if let Err(e) = usersig::verify_at(claims.sdkappid ^ 1, key, "x", sig, at) {
        let _ = e.to_string();
    }
    if let Err(e) = usersig::verify_at(claims.sdkappid, key, "administrator", sig, at) {
        let _ = e.to_string();
    }
}

/// Signs claims taken from `data` and checks that they verify back.
fn round_trip(key: &SecretKey, data: &[u8]) {
    if data.len() < 17 {
        return;
    }
    let (numbers, rest) = data.split_at(17);
    let sdkappid = u64::from_le_bytes(numbers[0..8].try_into().expect("8 bytes"));
    let time = u64::from_le_bytes(numbers[8..16].try_into().expect("8 bytes"));
    // The identifier's length, then the identifier; the userbuf is what follows.
    let cut = usize::from(numbers[16]).min(rest.len());
    let (identifier, userbuf) = rest.split_at(cut);
    let Ok(identifier) = std::str::from_utf8(identifier) else {
        return;
    };
    let validity = Duration::from_secs(u64::from(numbers[0]) * 3600 + 1);
    let Some(now) = UNIX_EPOCH.checked_add(Duration::from_secs(time)) else {
        return;
    };
    let sig = match usersig::generate_with_userbuf_at(
        sdkappid, key, identifier, validity, userbuf, now,
    ) {
        Ok(sig) => sig,
        Err(UserSigError::InvalidIdentifier(_) | UserSigError::InvalidValidity) => return,
        Err(e) => panic!("signing failed with {e:?}"),
    };
    let claims = usersig::verify_at(sdkappid, key, identifier, &sig, now)
        .unwrap_or_else(|e| panic!("a fresh UserSig does not verify: {e:?}"));
    assert_eq!(claims.identifier, identifier);
    assert_eq!(claims.sdkappid, sdkappid);
    assert_eq!(claims.issued_at, time);
    assert_eq!(claims.validity, validity);
    assert_eq!(claims.userbuf.as_deref().unwrap_or_default(), userbuf);
    check(key, sig.expose_secret());
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let key = SecretKey::new(KEY);
    match mode % 3 {
        0 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                check(&key, text);
            }
        }
        1 => check(&key, &tim_rest::__private::seal_usersig(rest)),
        _ => round_trip(&key, rest),
    }
});
