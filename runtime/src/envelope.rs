use std::fmt;

/// Request-level outcome the service reports in `ActionStatus`.
///
/// Values other than `OK` and `FAIL` are kept rather than rejected, so a service change does not
/// turn a good reply into a decoding error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum ActionStatus {
    /// `"OK"`: the request was processed (items may still have failed one by one).
    #[default]
    Ok,
    /// `"FAIL"`: the request as a whole failed; see `ErrorCode`.
    Fail,
    /// Any other value, kept verbatim.
    Other(String),
}

impl ActionStatus {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            ActionStatus::Ok => "OK",
            ActionStatus::Fail => "FAIL",
            ActionStatus::Other(s) => s,
        }
    }
}

impl fmt::Display for ActionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ActionStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ActionStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ActionStatus;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ActionStatus string such as \"OK\" or \"FAIL\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ActionStatus, E> {
                Ok(match v {
                    "OK" => ActionStatus::Ok,
                    "FAIL" => ActionStatus::Fail,
                    other => ActionStatus::Other(other.to_owned()),
                })
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// The fields every reply carries (`ActionStatus`, `ErrorCode`, `ErrorInfo`, `ErrorDisplay`).
///
/// Generated `Response` types implement it so the client can tell a request-level failure from
/// a success without decoding the body twice.
pub trait Envelope {
    /// `ActionStatus`.
    fn action_status(&self) -> &ActionStatus;
    /// `ErrorCode`; 0 on success.
    fn error_code(&self) -> i64;
    /// `ErrorInfo`, the service's detail text.
    fn error_info(&self) -> &str;
    /// `ErrorDisplay`, text meant for end users; often empty.
    fn error_display(&self) -> &str;

    /// True when the request as a whole failed: `ActionStatus` is `FAIL`, or `ErrorCode` is
    /// not 0.
    ///
    /// Another status with code 0 is not a failure: batchsendmsg documents a partial failure as
    /// `"ActionStatus": "SomeError", "ErrorCode": 0` with the failed receivers in `ErrorList`,
    /// which the caller must be able to read.
    fn is_failure(&self) -> bool {
        self.action_status() == &ActionStatus::Fail || self.error_code() != 0
    }
}
