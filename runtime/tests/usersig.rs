//! UserSig (TLSSigAPIv2): the computed vectors of the facts file, round trips, and every
//! failure of `verify`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tim_rest_runtime::usersig::*;

/// The sample key every reference library uses in its tests.
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const APP: u64 = 1_400_000_000;

/// Row 1 of the facts file, compressed at zlib level 6.
const ROW1: &str = "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMikVhRkFqUCxU1NTY3goiWZuSAxM1S1xZnpQJMNo0wD8tJdstwTS9NSgzMD8p1KK1I8Is1dvY29QlIcs3wDLI2DTbzLwox9bZVqAaoDMbs_";

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// A fresh UserSig for `admin`, signed at 1_700_000_000, valid one day.
fn admin_sig() -> UserSig {
    generate_at(
        APP,
        KEY,
        "admin",
        Duration::from_secs(86_400),
        at(1_700_000_000),
    )
    .unwrap()
}

fn now_of_admin_sig() -> SystemTime {
    at(1_700_000_100)
}

// ---- UserSig alphabet, re-encoded by hand: base64 and zlib are not dev-dependencies. ----

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-";

/// Encodes bytes in the UserSig alphabet (`*-` for `+/`, `_` padding).
fn b64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('_');
            }
        }
    }
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// A valid zlib stream of `data` made of stored (uncompressed) blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[][..]]
    } else {
        data.chunks(65_535).collect()
    };
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// A UserSig wrapping an arbitrary JSON text.
fn wrap_json(json: &str) -> String {
    b64url(&zlib_stored(json.as_bytes()))
}

fn assert_malformed(result: Result<Claims, UserSigError>, what: &str) {
    match result {
        Err(UserSigError::Malformed(reason)) => assert!(!reason.is_empty(), "{what}"),
        other => panic!("{what}: expected Malformed, got {other:?}"),
    }
}

// ---- computed vectors ----

#[test]
fn vector_1_xiaojun() {
    let sig = generate_at(
        APP,
        KEY,
        "xiaojun",
        Duration::from_secs(15_552_000),
        at(1_600_000_000),
    )
    .unwrap();
    let (claims, tag) = inspect(sig.expose_secret()).unwrap();
    assert_eq!(tag, "1Z5PngDjGaufeSiPoBuxdHY7EK3JTdAjMP93S4KvV3M=");
    assert_eq!(
        claims,
        Claims {
            identifier: "xiaojun".into(),
            sdkappid: APP,
            issued_at: 1_600_000_000,
            validity: Duration::from_secs(15_552_000),
            userbuf: None,
        }
    );
    // Not compared with ROW1 as text: miniz_oxide and zlib emit different (equally valid)
    // streams at the same level. Both decode to the same claims and tag.
    let (row1_claims, row1_tag) = inspect(ROW1).unwrap();
    assert_eq!((row1_claims, row1_tag), (claims, tag));
}

#[test]
fn vector_2_admin() {
    let (claims, tag) = inspect(admin_sig().expose_secret()).unwrap();
    assert_eq!(tag, "4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Y=");
    assert_eq!(claims.identifier, "admin");
    assert_eq!(claims.issued_at, 1_700_000_000);
    assert_eq!(claims.validity, Duration::from_secs(86_400));
    assert_eq!(claims.expires_at(), 1_700_086_400);
}

#[test]
fn vector_3_userbuf() {
    let sig = generate_with_userbuf_at(
        APP,
        KEY,
        "xiaojun",
        Duration::from_secs(15_552_000),
        b"abc",
        at(1_600_000_000),
    )
    .unwrap();
    let (claims, tag) = inspect(sig.expose_secret()).unwrap();
    assert_eq!(tag, "9tvdyuu11RSxrIwX0xC05oW7LdPxVnzkzBpcRT/UqfM=");
    assert_eq!(claims.userbuf.as_deref(), Some(&b"abc"[..]));
    let verified = verify_at(APP, KEY, "xiaojun", sig.expose_secret(), at(1_600_000_001)).unwrap();
    assert_eq!(verified, claims);
}

#[test]
fn facts_row_1_string_verifies() {
    let claims = verify_at(APP, KEY, "xiaojun", ROW1, at(1_600_000_001)).unwrap();
    assert_eq!(
        claims,
        Claims {
            identifier: "xiaojun".into(),
            sdkappid: APP,
            issued_at: 1_600_000_000,
            validity: Duration::from_secs(15_552_000),
            userbuf: None,
        }
    );
    assert_eq!(claims.expires_at(), 1_615_552_000);
}

#[test]
fn foreign_encodings_verify() {
    // Another library's spacing, key order and escaping, stored rather than compressed (as Go
    // does now): the document is parsed, not compared.
    let json = r#"{"TLS.sig": "1Z5PngDjGaufeSiPoBuxdHY7EK3JTdAjMP93S4KvV3M=", "TLS.time": 1600000000, "TLS.expire": 15552000, "TLS.sdkappid": "1400000000", "TLS.identifier": "xiaojun", "TLS.ver": "2.0"}"#;
    let sig = wrap_json(json);
    let claims = verify_at(APP, KEY, "xiaojun", &sig, at(1_600_000_001)).unwrap();
    assert_eq!(claims.validity, Duration::from_secs(15_552_000));
    // Without the `_` padding too.
    let unpadded = sig.trim_end_matches('_');
    verify_at(APP, KEY, "xiaojun", unpadded, at(1_600_000_001)).unwrap();
}

// ---- key parameter forms ----

#[test]
fn key_parameter_forms_compile_and_agree() {
    let owned: String = KEY.to_owned();
    let borrowed: &str = KEY;
    let wrapped: SecretKey = SecretKey::new(KEY);
    let now = at(1_700_000_000);
    let validity = Duration::from_secs(86_400);
    let a = generate_at(APP, &owned, "admin", validity, now).unwrap();
    let b = generate_at(APP, borrowed, "admin", validity, now).unwrap();
    let c = generate_at(APP, &borrowed, "admin", validity, now).unwrap();
    let d = generate_at(APP, &wrapped, "admin", validity, now).unwrap();
    let e = generate_at(APP, &SecretKey::from(owned.clone()), "admin", validity, now).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a, d);
    assert_eq!(a, e);
    // The `generate` signatures of the brief, with the system clock.
    for sig in [
        generate(APP, &owned, "administrator", Duration::from_secs(86_400)).unwrap(),
        generate(APP, borrowed, "administrator", Duration::from_secs(86_400)).unwrap(),
        generate(APP, &wrapped, "administrator", Duration::from_secs(86_400)).unwrap(),
    ] {
        let claims = verify(APP, &wrapped, "administrator", sig.expose_secret()).unwrap();
        assert_eq!(claims.validity, Duration::from_secs(86_400));
    }
    assert_eq!(wrapped.clone().expose_secret(), KEY);
}

// ---- round trips and expiry ----

#[test]
fn round_trip() {
    let sig = admin_sig();
    let claims = verify_at(APP, KEY, "admin", sig.expose_secret(), now_of_admin_sig()).unwrap();
    assert_eq!(claims.identifier, "admin");
    assert_eq!(claims.sdkappid, APP);
    assert_eq!(claims.userbuf, None);
    assert_eq!(UserSig::new(sig.expose_secret()), sig);
}

#[test]
fn default_validity_is_180_days() {
    assert_eq!(DEFAULT_VALIDITY, Duration::from_secs(15_552_000));
    let sig = generate(APP, KEY, "admin", DEFAULT_VALIDITY).unwrap();
    let claims = verify(APP, KEY, "admin", sig.expose_secret()).unwrap();
    assert_eq!(claims.validity, DEFAULT_VALIDITY);
}

#[test]
fn expiry_boundary() {
    let sig = admin_sig();
    let end = 1_700_086_400;
    verify_at(APP, KEY, "admin", sig.expose_secret(), at(end)).unwrap();
    // Sub-second parts do not count.
    verify_at(
        APP,
        KEY,
        "admin",
        sig.expose_secret(),
        at(end) + Duration::from_millis(999),
    )
    .unwrap();
    let err = verify_at(APP, KEY, "admin", sig.expose_secret(), at(end + 1)).unwrap_err();
    assert_eq!(
        err,
        UserSigError::Expired {
            expired_at: end,
            now: end + 1
        }
    );
    assert_eq!(err.service_code(), 70001);
}

#[test]
fn empty_userbuf_is_none() {
    let with_empty = generate_with_userbuf_at(
        APP,
        KEY,
        "admin",
        Duration::from_secs(86_400),
        b"",
        at(1_700_000_000),
    )
    .unwrap();
    assert_eq!(with_empty, admin_sig());
}

#[test]
fn userbuf_round_trip_binary() {
    let userbuf: Vec<u8> = (0..=255).collect();
    let sig = generate_with_userbuf_at(
        APP,
        KEY,
        "admin",
        Duration::from_secs(60),
        &userbuf,
        at(1_700_000_000),
    )
    .unwrap();
    let claims = verify_at(APP, KEY, "admin", sig.expose_secret(), at(1_700_000_060)).unwrap();
    assert_eq!(claims.userbuf, Some(userbuf));
}

// ---- verify failures, one variant each ----

#[test]
fn wrong_key_is_bad_signature() {
    let err = verify_at(
        APP,
        "0000000000000000000000000000000000000000000000000000000000000000",
        "admin",
        admin_sig().expose_secret(),
        now_of_admin_sig(),
    )
    .unwrap_err();
    assert_eq!(err, UserSigError::BadSignature);
    assert_eq!(err.service_code(), 70009);
}

#[test]
fn wrong_identifier() {
    let err = verify_at(
        APP,
        KEY,
        "root",
        admin_sig().expose_secret(),
        now_of_admin_sig(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        UserSigError::IdentifierMismatch {
            expected: "root".into(),
            found: "admin".into()
        }
    );
    assert_eq!(err.service_code(), 70013);
}

#[test]
fn wrong_sdkappid() {
    let err = verify_at(
        1_400_000_001,
        KEY,
        "admin",
        admin_sig().expose_secret(),
        now_of_admin_sig(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        UserSigError::SdkAppIdMismatch {
            expected: 1_400_000_001,
            found: APP
        }
    );
    assert_eq!(err.service_code(), 70014);
}

#[test]
fn mismatches_come_before_expiry_and_signature() {
    let long_after = at(1_800_000_000);
    let sig = admin_sig();
    let err = verify_at(1, "other key", "root", sig.expose_secret(), long_after).unwrap_err();
    assert!(matches!(err, UserSigError::SdkAppIdMismatch { .. }));
    let err = verify_at(APP, "other key", "root", sig.expose_secret(), long_after).unwrap_err();
    assert!(matches!(err, UserSigError::IdentifierMismatch { .. }));
    let err = verify_at(APP, "other key", "admin", sig.expose_secret(), long_after).unwrap_err();
    assert!(matches!(err, UserSigError::Expired { .. }));
}

#[test]
fn altered_claims_are_bad_signature() {
    // Re-wrap the document with a longer TLS.expire but the original TLS.sig.
    let json = r#"{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.expire":864000,"TLS.time":1700000000,"TLS.sig":"4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Y="}"#;
    let err = verify_at(APP, KEY, "admin", &wrap_json(json), now_of_admin_sig()).unwrap_err();
    assert_eq!(err, UserSigError::BadSignature);
    // The untouched document verifies.
    let json = json.replace("864000", "86400");
    verify_at(APP, KEY, "admin", &wrap_json(&json), now_of_admin_sig()).unwrap();
    // A userbuf added after signing.
    let json = json.replace("\"TLS.sig\"", "\"TLS.userbuf\":\"YWJj\",\"TLS.sig\"");
    let err = verify_at(APP, KEY, "admin", &wrap_json(&json), now_of_admin_sig()).unwrap_err();
    assert_eq!(err, UserSigError::BadSignature);
}

#[test]
fn altered_tag_is_bad_signature_or_malformed() {
    let base = r#"{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":1700000000,"TLS.sig":"SIG"}"#;
    for tag in [
        "4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Z=",
        "5lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Y=",
        "4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/",
        "",
    ] {
        let json = base.replace("SIG", tag);
        let result = verify_at(APP, KEY, "admin", &wrap_json(&json), now_of_admin_sig());
        assert!(
            matches!(
                result,
                Err(UserSigError::BadSignature | UserSigError::Malformed(_))
            ),
            "{tag}: {result:?}"
        );
    }
    let json = base.replace("SIG", "not base64!");
    assert_malformed(
        verify_at(APP, KEY, "admin", &wrap_json(&json), now_of_admin_sig()),
        "TLS.sig not base64",
    );
}

#[test]
fn every_flipped_character_fails() {
    let sig = admin_sig();
    let text = sig.expose_secret();
    for i in 0..text.len() {
        let mut bytes = text.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        let result = verify_at(APP, KEY, "admin", &altered, now_of_admin_sig());
        assert!(result.is_err(), "flip at {i} still verifies");
        // Whatever the failure, it never panics and never quotes the text.
        let message = format!("{} {:?}", result.as_ref().unwrap_err(), result);
        assert!(!message.contains(&altered));
    }
}

#[test]
fn garbage_is_malformed() {
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("punctuation", "!!!".into()),
        ("standard base64", "eJyr+/==".into()),
        ("bad base64 length", "A".into()),
        ("base64 of non-zlib", b64url(b"hello, this is not zlib")),
        ("zlib of non-JSON", b64url(&zlib_stored(b"TLS.sig=abc"))),
        ("zlib of a JSON array", wrap_json("[1,2,3]")),
        ("zlib of nothing", b64url(&zlib_stored(b""))),
        ("truncated", ROW1[..ROW1.len() - 8].to_owned()),
        (
            "trailing garbage",
            format!("{}AAAA", ROW1.trim_end_matches('_')),
        ),
        (
            "missing TLS.sig",
            wrap_json(
                r#"{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":1700000000}"#,
            ),
        ),
        (
            "missing TLS.time",
            wrap_json(
                r#"{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.sig":"4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Y="}"#,
            ),
        ),
        (
            "wrong TLS.ver",
            wrap_json(
                r#"{"TLS.ver":"1.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":1700000000,"TLS.sig":"4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Y="}"#,
            ),
        ),
        (
            "missing TLS.ver",
            wrap_json(
                r#"{"TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":1700000000,"TLS.sig":"4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Y="}"#,
            ),
        ),
        (
            "negative TLS.sdkappid",
            wrap_json(
                r#"{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":-1,"TLS.expire":86400,"TLS.time":1700000000,"TLS.sig":"4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Y="}"#,
            ),
        ),
        (
            "overflowing expiry",
            wrap_json(
                r#"{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.expire":18446744073709551615,"TLS.time":1700000000,"TLS.sig":"4lUxqF/B+QS/FhzU388MWw47s2GIKgpTCF1WmWL/l5Y="}"#,
            ),
        ),
        ("zip bomb", b64url(&zlib_stored(&vec![b' '; 70_000]))),
    ];
    for (what, sig) in cases {
        let result = verify_at(APP, KEY, "admin", &sig, now_of_admin_sig());
        if let Err(err) = &result {
            assert_eq!(err.service_code(), 70003, "{what}");
        }
        assert_malformed(result, what);
        assert!(inspect(&sig).is_err(), "{what}");
    }
}

// ---- generate failures ----

#[test]
fn invalid_identifiers() {
    let validity = Duration::from_secs(60);
    for identifier in ["", "a\nb", &"x".repeat(33)] {
        let err = generate(APP, KEY, identifier, validity).unwrap_err();
        assert!(
            matches!(err, UserSigError::InvalidIdentifier(_)),
            "{identifier:?}: {err:?}"
        );
    }
    generate(APP, KEY, &"x".repeat(32), validity).unwrap();
}

#[test]
fn invalid_validities() {
    let now = at(1_700_000_000);
    for validity in [
        Duration::ZERO,
        Duration::from_millis(999),
        Duration::MAX,
        Duration::from_secs(u64::MAX - 1_000),
        Duration::from_secs(i64::MAX as u64),
    ] {
        let err = generate_at(APP, KEY, "admin", validity, now).unwrap_err();
        assert_eq!(err, UserSigError::InvalidValidity, "{validity:?}");
    }
    // Sub-second parts are dropped.
    let sig = generate_at(APP, KEY, "admin", Duration::from_millis(86_400_500), now).unwrap();
    assert_eq!(sig, admin_sig());
}

// ---- secrecy of formatting ----

#[test]
fn formatting_never_reveals_secrets() {
    let key = SecretKey::new(KEY);
    let sig = admin_sig();
    let sig_text = sig.expose_secret().to_owned();
    let (_, tag) = inspect(&sig_text).unwrap();
    assert_eq!(format!("{key:?}"), "SecretKey(***)");
    assert_eq!(format!("{key}"), "SecretKey(***)");
    assert_eq!(format!("{sig:?}"), "UserSig(***)");
    assert_eq!(format!("{sig}"), "UserSig(***)");

    let later = at(1_800_000_000);
    let errors = vec![
        verify_at(APP, KEY, "admin", &sig_text, later).unwrap_err(),
        verify_at(APP, "wrong", "admin", &sig_text, now_of_admin_sig()).unwrap_err(),
        verify_at(APP, KEY, "root", &sig_text, now_of_admin_sig()).unwrap_err(),
        verify_at(1, KEY, "admin", &sig_text, now_of_admin_sig()).unwrap_err(),
        verify_at(APP, KEY, "admin", &sig_text[..40], now_of_admin_sig()).unwrap_err(),
        verify_at(
            APP,
            KEY,
            "admin",
            &format!("{sig_text}!"),
            now_of_admin_sig(),
        )
        .unwrap_err(),
        generate(APP, &key, "", DEFAULT_VALIDITY).unwrap_err(),
        generate(APP, &key, "admin", Duration::ZERO).unwrap_err(),
    ];
    let kinds: Vec<String> = errors
        .iter()
        .map(|e| {
            format!("{e:?}")
                .split([' ', '('])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "Expired",
            "BadSignature",
            "IdentifierMismatch",
            "SdkAppIdMismatch",
            "Malformed",
            "Malformed",
            "InvalidIdentifier",
            "InvalidValidity"
        ]
    );
    for err in &errors {
        for text in [format!("{err}"), format!("{err:?}"), format!("{err:#?}")] {
            assert!(!text.contains(KEY), "{text}");
            assert!(!text.contains(&sig_text[..20]), "{text}");
            assert!(!text.contains(&tag), "{text}");
            assert!(!text.contains(&tag[..20]), "{text}");
        }
    }
}

#[test]
fn error_is_std_error_and_send_sync() {
    fn check<E: std::error::Error + Send + Sync + 'static>() {}
    check::<UserSigError>();
    fn check_send<T: Send + Sync + Clone>() {}
    check_send::<SecretKey>();
    check_send::<UserSig>();
    check_send::<Claims>();
}
