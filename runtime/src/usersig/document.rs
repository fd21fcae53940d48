//! The JSON document inside a UserSig.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Claims, UserSigError};

/// The only `TLS.ver` this module writes and reads.
const VERSION: &str = "2.0";

#[derive(Serialize)]
struct Outgoing<'a> {
    #[serde(rename = "TLS.ver")]
    ver: &'static str,
    #[serde(rename = "TLS.identifier")]
    identifier: &'a str,
    #[serde(rename = "TLS.sdkappid")]
    sdkappid: u64,
    #[serde(rename = "TLS.expire")]
    expire: u64,
    #[serde(rename = "TLS.time")]
    time: u64,
    #[serde(rename = "TLS.userbuf", skip_serializing_if = "Option::is_none")]
    userbuf: Option<String>,
    #[serde(rename = "TLS.sig")]
    sig: &'a str,
}

/// Every field is read as a raw JSON value and checked by hand, so that a reason never
/// quotes a value from the document (serde's own messages would).
#[derive(Deserialize)]
struct Incoming {
    #[serde(rename = "TLS.ver")]
    ver: Option<Value>,
    #[serde(rename = "TLS.identifier")]
    identifier: Option<Value>,
    #[serde(rename = "TLS.sdkappid")]
    sdkappid: Option<Value>,
    #[serde(rename = "TLS.expire")]
    expire: Option<Value>,
    #[serde(rename = "TLS.time")]
    time: Option<Value>,
    #[serde(rename = "TLS.userbuf")]
    userbuf: Option<Value>,
    #[serde(rename = "TLS.sig")]
    sig: Option<Value>,
}

/// The compact JSON document for these claims and their `TLS.sig`.
pub(super) fn write(claims: &Claims, sig: &str) -> Vec<u8> {
    let doc = Outgoing {
        ver: VERSION,
        identifier: &claims.identifier,
        sdkappid: claims.sdkappid,
        expire: claims.validity.as_secs(),
        time: claims.issued_at,
        userbuf: claims.userbuf.as_ref().map(|b| STANDARD.encode(b)),
        sig,
    };
    serde_json::to_vec(&doc).expect("strings and integers always serialize")
}

/// Parses a document into its claims and its `TLS.sig` (still base64).
///
/// `TLS.sdkappid`, `TLS.time` and `TLS.expire` may be JSON integers or strings of digits.
/// An empty `TLS.userbuf` counts as none, as in the reference Go verifier.
pub(super) fn read(json: &[u8]) -> Result<(Claims, String), UserSigError> {
    let doc: Incoming = serde_json::from_slice(json).map_err(|e| {
        UserSigError::malformed(if e.is_data() {
            "the UserSig payload is not a JSON object of TLS fields"
        } else {
            "the UserSig payload is not valid JSON"
        })
    })?;
    match string(doc.ver, "TLS.ver")? {
        v if v == VERSION => {}
        _ => {
            return Err(UserSigError::malformed(
                "the UserSig is not TLS.ver 2.0 (TLSSigAPIv2)",
            ))
        }
    }
    let identifier = string(doc.identifier, "TLS.identifier")?;
    let sdkappid = integer(doc.sdkappid, "TLS.sdkappid")?;
    let expire = integer(doc.expire, "TLS.expire")?;
    let time = integer(doc.time, "TLS.time")?;
    if time.checked_add(expire).is_none() {
        return Err(UserSigError::malformed(
            "TLS.time + TLS.expire overflows a 64-bit integer",
        ));
    }
    let userbuf = match doc.userbuf {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(
            STANDARD
                .decode(s)
                .map_err(|_| UserSigError::malformed("TLS.userbuf is not valid base64"))?,
        ),
        Some(_) => return Err(UserSigError::malformed("TLS.userbuf is not a string")),
    };
    let sig = string(doc.sig, "TLS.sig")?;
    let claims = Claims {
        identifier,
        sdkappid,
        issued_at: time,
        validity: Duration::from_secs(expire),
        userbuf,
    };
    Ok((claims, sig))
}

fn string(value: Option<Value>, name: &str) -> Result<String, UserSigError> {
    match value {
        Some(Value::String(s)) => Ok(s),
        None => Err(UserSigError::malformed(format!("{name} is missing"))),
        Some(_) => Err(UserSigError::malformed(format!("{name} is not a string"))),
    }
}

fn integer(value: Option<Value>, name: &str) -> Result<u64, UserSigError> {
    let parsed = match &value {
        None => return Err(UserSigError::malformed(format!("{name} is missing"))),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        Some(_) => None,
    };
    parsed.ok_or_else(|| {
        UserSigError::malformed(format!("{name} is not a non-negative 64-bit integer"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(json: &str) -> String {
        match read(json.as_bytes()) {
            Err(UserSigError::Malformed(r)) => r,
            other => panic!("expected Malformed for {json}, got {other:?}"),
        }
    }

    const FULL: &str = r#"{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.expire":15552000,"TLS.time":1600000000,"TLS.sig":"c2ln"}"#;

    #[test]
    fn write_then_read() {
        let claims = Claims {
            identifier: "a\"b/c".into(),
            sdkappid: 1,
            issued_at: 2,
            validity: Duration::from_secs(3),
            userbuf: Some(vec![0, 255, 7]),
        };
        let json = write(&claims, "s+/=");
        assert_eq!(read(&json).unwrap(), (claims, "s+/=".to_owned()));
    }

    #[test]
    fn reads_the_reference_layout() {
        let (claims, sig) = read(FULL.as_bytes()).unwrap();
        assert_eq!(claims.identifier, "xiaojun");
        assert_eq!(claims.sdkappid, 1_400_000_000);
        assert_eq!(claims.issued_at, 1_600_000_000);
        assert_eq!(claims.validity, Duration::from_secs(15_552_000));
        assert_eq!(claims.userbuf, None);
        assert_eq!(sig, "c2ln");
    }

    #[test]
    fn tolerates_digit_strings_spaces_and_escapes() {
        let json = r#"{ "TLS.ver": "2.0", "TLS.identifier": "x", "TLS.sdkappid": "1400000000",
            "TLS.expire": "10", "TLS.time": 5, "TLS.userbuf": "", "TLS.sig": "a\/b", "other": [1] }"#;
        let (claims, sig) = read(json.as_bytes()).unwrap();
        assert_eq!(claims.sdkappid, 1_400_000_000);
        assert_eq!(claims.validity, Duration::from_secs(10));
        assert_eq!(claims.userbuf, None);
        assert_eq!(sig, "a/b");
    }

    #[test]
    fn rejects_bad_documents() {
        assert!(reason("not json").contains("not valid JSON"));
        assert!(reason("[1,2]").contains("JSON object"));
        assert!(reason(&FULL.replace("\"2.0\"", "\"1.0\"")).contains("TLS.ver 2.0"));
        assert!(reason(&FULL.replace("\"2.0\"", "2.0")).contains("TLS.ver is not a string"));
        assert!(reason(&FULL.replace(",\"TLS.sig\":\"c2ln\"", "")).contains("TLS.sig is missing"));
        assert!(reason(&FULL.replace("\"TLS.ver\":\"2.0\",", "")).contains("TLS.ver is missing"));
        assert!(reason(&FULL.replace("1400000000", "-1")).contains("TLS.sdkappid"));
        assert!(reason(&FULL.replace("1400000000", "1.5")).contains("TLS.sdkappid"));
        assert!(reason(&FULL.replace("1400000000", "\"14x\"")).contains("TLS.sdkappid"));
        assert!(reason(&FULL.replace("15552000", "null")).contains("TLS.expire"));
        assert!(reason(&FULL.replace("15552000", "18446744073709551615")).contains("overflows"));
        assert!(
            reason(&FULL.replace("\"TLS.sig\"", "\"TLS.userbuf\":\"%%\",\"TLS.sig\""))
                .contains("TLS.userbuf")
        );
        assert!(reason(&FULL.replace("\"xiaojun\"", "7")).contains("TLS.identifier"));
    }

    #[test]
    fn reasons_do_not_quote_values() {
        let json = FULL.replace("1400000000", "\"SECRETVALUE\"");
        assert!(!reason(&json).contains("SECRETVALUE"));
        let json = FULL.replace("\"c2ln\"", "{\"SECRETVALUE\":1}");
        assert!(!reason(&json).contains("SECRETVALUE"));
    }
}
