//! The stand-in types of an endpoint whose schema failed to compile: `#[derive(Endpoint)]`
//! still implements `Endpoint` with them, so the schema's own errors are all a user sees.

use std::fmt;

use crate::validate::{Path, Validate};
use crate::{ActionStatus, ApiError, Envelope, RetryClass, Violation};

/// Request, response and error of an endpoint whose schema has errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable;

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the endpoint's schema has errors")
    }
}

impl std::error::Error for Unavailable {}

impl serde::Serialize for Unavailable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl<'de> serde::Deserialize<'de> for Unavailable {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("the endpoint's schema has errors"))
    }
}

impl Validate for Unavailable {
    fn validate_at(&self, _: &Path<'_>, _: &mut Vec<Violation>) {}
}

impl Envelope for Unavailable {
    fn action_status(&self) -> &ActionStatus {
        &ActionStatus::Fail
    }
    fn error_code(&self) -> i64 {
        0
    }
    fn error_info(&self) -> &str {
        ""
    }
    fn error_display(&self) -> &str {
        ""
    }
}

impl ApiError for Unavailable {
    fn from_code(_: i64) -> Self {
        Unavailable
    }
    fn code(&self) -> i64 {
        0
    }
    fn message(&self) -> &'static str {
        "the endpoint's schema has errors"
    }
    fn message_zh(&self) -> &'static str {
        "接口的 schema 有错误"
    }
    fn retry_class(&self) -> RetryClass {
        RetryClass::Never
    }
}
