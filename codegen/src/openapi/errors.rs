//! Error codes and retry classes as documented extensions: OpenAPI describes HTTP statuses,
//! and this service answers every failure with HTTP 200 and a code in the body.

use serde_json::{json, Value};

use crate::model::{ErrorCode, Retry};

/// `x-tim-error-codes` of an operation, or `x-tim-common-error-codes` of the document.
pub(super) fn codes(codes: &[ErrorCode]) -> Value {
    Value::Array(codes.iter().map(code).collect())
}

fn code(e: &ErrorCode) -> Value {
    json!({
        "code": e.code,
        "name": e.name,
        "message": e.en,
        "message_zh": e.zh,
        "retry": e.retry.name(),
    })
}

/// `x-tim-retry-classes`: what each `retry` value asks of a caller.
pub(super) fn retry_classes() -> Value {
    Value::Object(
        Retry::ALL
            .into_iter()
            .map(|r| (r.name().to_owned(), json!(meaning(r))))
            .collect(),
    )
}

fn meaning(retry: Retry) -> &'static str {
    match retry {
        Retry::Never => "Retrying the same request cannot help (bad input, missing permission, a limit reached): fix the request, data or configuration.",
        Retry::Transient => "A passing fault of the service or the network: retry with backoff.",
        Retry::Throttling => "Over a rate limit: slow down, then retry with a longer backoff.",
        Retry::Conflict => "Concurrent writes to one account collided: back off, keep one writer per account and batch.",
        Retry::Credentials => "The UserSig expired or was invalidated: sign a new one, then retry.",
    }
}
