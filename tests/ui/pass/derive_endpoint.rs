// #[derive(Endpoint)] over one schema file: the module next to the marker, and its use.

use tim_rest::{ApiError, Endpoint, Validate};

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/pass/fixtures/friend_check.json")]
pub struct FriendCheck;

fn main() {
    assert_eq!(FriendCheck::PATH, "v4/sns/friend_check");
    assert_eq!(FriendCheck::RATE_LIMIT.map(|r| r.per_second), Some(100));
    assert_eq!(FriendCheck::BATCH.map(|b| (b.wire_name, b.max_items)), Some(("To_Account", 1000)));
    assert_eq!(FriendCheck::REQUEST_EXAMPLES.len(), 1);

    let request = friend_check::Request::new("alice", ["bob", "carol"], "CheckResult_Type_Both");
    request.validate().unwrap();
    let invalid = friend_check::Request::new("", Vec::<String>::new(), "Both");
    assert_eq!(invalid.validate().unwrap_err().violations().len(), 3);

    let response: friend_check::Response = serde_json::from_str(FriendCheck::RESPONSE_EXAMPLES[0].json).unwrap();
    assert_eq!(response.info_item.len(), 2);
    assert!(response.info_item[0].result().is_ok());
    let failed = response.info_item[1].result().unwrap_err();
    assert_eq!(failed, friend_check::Error::InternalError);
    assert!(failed.is_retryable());
    assert_eq!(response.fail_account, ["carol"]);

    // The common codes come with every endpoint's Error.
    assert_eq!(friend_check::Error::from_code(70001).retry_class(), tim_rest::RetryClass::Credentials);
}
