//! The spec's examples, embedded in the schema, against the generated types.

mod support;

use serde_json::Value;
use support::{request_examples_round_trip, response_examples_decode};
use tim_rest::sns::friend_import::{self, FriendImport};
use tim_rest::{ApiError, Endpoint, Envelope};

#[test]
fn friend_import_request_examples_validate_and_round_trip() {
    request_examples_round_trip::<FriendImport>();
    let names: Vec<&str> = FriendImport::REQUEST_EXAMPLES
        .iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["basic", "full", "batch"]);
}

#[test]
fn friend_import_response_examples_decode() {
    response_examples_decode::<FriendImport>();
}

#[test]
fn the_spec_example_files_are_the_embedded_ones() {
    // The schema embeds the spec's examples; the files beside the spec must say the same.
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples");
    assert!(
        spec.is_dir(),
        "the spec's examples are expected at {}",
        spec.display()
    );
    let pairs = [
        ("request_basic.json", FriendImport::REQUEST_EXAMPLES[0].json),
        ("request_full.json", FriendImport::REQUEST_EXAMPLES[1].json),
        ("request_batch.json", FriendImport::REQUEST_EXAMPLES[2].json),
        (
            "response_basic.json",
            FriendImport::RESPONSE_EXAMPLES[0].json,
        ),
        (
            "response_batch.json",
            FriendImport::RESPONSE_EXAMPLES[1].json,
        ),
    ];
    for (file, embedded) in pairs {
        let on_disk: Value =
            serde_json::from_str(&std::fs::read_to_string(spec.join(file)).unwrap()).unwrap();
        let embedded: Value = serde_json::from_str(embedded).unwrap();
        assert_eq!(on_disk, embedded, "{file}");
    }
}

#[test]
fn partial_failure_items_carry_typed_errors() {
    let example = FriendImport::RESPONSE_EXAMPLES
        .iter()
        .find(|e| e.name == "partial_failure")
        .unwrap();
    let response: friend_import::Response = serde_json::from_str(example.json).unwrap();
    assert_eq!(response.action_status, tim_rest::ActionStatus::Ok);
    assert_eq!(response.fail_account, ["id2", "id3"]);
    let results: Vec<_> = response
        .result_item
        .iter()
        .map(|item| item.result())
        .collect();
    assert_eq!(
        results,
        [
            Ok(friend_import::ResultItemOutcome::Done),
            Err(friend_import::Error::FriendLimitReached),
            Err(friend_import::Error::SdkAppIdMismatch)
        ]
    );
}

#[test]
fn response_fields_the_service_omits_default() {
    let response: friend_import::Response =
        serde_json::from_str(r#"{"ResultItem":[],"ActionStatus":"OK","SomethingNew":1}"#).unwrap();
    assert!(response.fail_account.is_empty());
    assert_eq!(response.error_code, 0);
    assert_eq!(response.error_display, "");
    let odd: friend_import::Response =
        serde_json::from_str(r#"{"ResultItem":[],"ActionStatus":"PARTIAL"}"#).unwrap();
    assert_eq!(
        odd.action_status,
        tim_rest::ActionStatus::Other("PARTIAL".into())
    );
    // An unlisted status with code 0 is a reply to read, not a failure (batchsendmsg documents
    // "SomeError" for a partial failure).
    assert!(!odd.is_failure());
}

#[test]
fn endpoint_constants_come_from_the_schema() {
    support::assert_constants::<FriendImport>(
        "v4/sns/friend_import",
        Some(100),
        Some(("AddFriendItem", 1000)),
    );
}

#[test]
fn error_codes_map_both_ways() {
    use friend_import::Error;
    use tim_rest::RetryClass;
    let cases = [
        (30001, Error::InvalidParameter, RetryClass::Never),
        (30006, Error::InternalError, RetryClass::Transient),
        (30008, Error::WriteConflict, RetryClass::Conflict),
        (30540, Error::AddFriendThrottled, RetryClass::Throttling),
        (
            60007,
            Error::Common(tim_rest::CommonError::RestRateLimited),
            RetryClass::Throttling,
        ),
        (
            70001,
            Error::Common(tim_rest::CommonError::UserSigExpired),
            RetryClass::Credentials,
        ),
        (
            70500,
            Error::Common(tim_rest::CommonError::ServerInternalError),
            RetryClass::Transient,
        ),
        (
            80002,
            Error::Common(tim_rest::CommonError::MessageTooLong),
            RetryClass::Never,
        ),
    ];
    for (code, variant, class) in cases {
        let e = Error::from_code(code);
        assert_eq!(e, variant);
        assert_eq!(e.code(), code);
        assert_eq!(e.retry_class(), class, "{code}");
        assert_eq!(e.is_retryable(), class != RetryClass::Never);
    }
    let unknown = Error::from_code(12345);
    assert!(matches!(unknown, Error::Unknown(_)));
    assert_eq!(unknown.code(), 12345);
    assert!(!unknown.is_retryable());
    assert_eq!(
        Error::WriteConflict.message_zh(),
        "并发写导致写冲突，建议使用批量方式"
    );
    assert_eq!(
        Error::WriteConflict.to_string(),
        "error 30008: write conflict from concurrent writes to one account: batch instead"
    );
}
