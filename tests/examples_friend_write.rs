//! The write endpoints of the friend list (friend_add, friend_update, friend_delete,
//! friend_delete_all) and friend_check: their embedded examples against the generated types,
//! plus the enums, batch limits, per-item errors and constants the schemas give them.

mod support;

use serde_json::json;
use support::{request_examples_round_trip, response_examples_decode};
use tim_rest::sns::friend_add::{self, FriendAdd};
use tim_rest::sns::friend_check::{self, FriendCheck};
use tim_rest::sns::friend_delete::{self, FriendDelete};
use tim_rest::sns::friend_delete_all::{self, FriendDeleteAll};
use tim_rest::sns::friend_update::{self, FriendUpdate};
use tim_rest::{ApiError, Endpoint, Envelope, RetryClass, Rule, Validate};

/// The rules `validate()` reports, with their paths.
fn violations(request: &impl Validate) -> Vec<(String, Rule)> {
    match request.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .into_violations()
            .into_iter()
            .map(|v| (v.path, v.rule))
            .collect(),
    }
}

fn response_example<E: Endpoint>(name: &str) -> &'static str {
    E::RESPONSE_EXAMPLES
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{} has no response example `{name}`", E::PATH))
        .json
}

fn accounts(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i}")).collect()
}

// ---------------------------------------------------------------------------------------------
// The embedded examples

#[test]
fn friend_add_examples() {
    request_examples_round_trip::<FriendAdd>();
    response_examples_decode::<FriendAdd>();
}

#[test]
fn friend_update_examples() {
    request_examples_round_trip::<FriendUpdate>();
    response_examples_decode::<FriendUpdate>();
}

#[test]
fn friend_delete_examples() {
    request_examples_round_trip::<FriendDelete>();
    response_examples_decode::<FriendDelete>();
}

#[test]
fn friend_delete_all_examples() {
    request_examples_round_trip::<FriendDeleteAll>();
    response_examples_decode::<FriendDeleteAll>();
}

#[test]
fn friend_check_examples() {
    request_examples_round_trip::<FriendCheck>();
    response_examples_decode::<FriendCheck>();
}

// ---------------------------------------------------------------------------------------------
// Constants from the schemas

#[test]
fn endpoint_constants_come_from_the_schemas() {
    support::assert_constants::<FriendAdd>(
        "v4/sns/friend_add",
        Some(200),
        Some(("AddFriendItem", 1000)),
    );
    support::assert_constants::<FriendUpdate>(
        "v4/sns/friend_update",
        Some(200),
        Some(("UpdateItem", 1000)),
    );
    support::assert_constants::<FriendDelete>(
        "v4/sns/friend_delete",
        Some(200),
        Some(("To_Account", 1000)),
    );
    support::assert_constants::<FriendDeleteAll>("v4/sns/friend_delete_all", Some(200), None);
    support::assert_constants::<FriendCheck>(
        "v4/sns/friend_check",
        Some(200),
        Some(("To_Account", 1000)),
    );
}

// ---------------------------------------------------------------------------------------------
// friend_add

#[test]
fn friend_add_group_name_is_one_string_and_the_flags_are_sent() {
    let request = friend_add::Request::new(
        "alice",
        [friend_add::AddFriendItem::new("bob", "AddSource_Type_Android").group_name("同学")],
    )
    .add_type(friend_add::AddType::Single)
    .force_add_flags(1);
    assert_eq!(request.validate(), Ok(()));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "From_Account": "alice",
            "AddFriendItem": [{"To_Account": "bob", "GroupName": "同学", "AddSource": "AddSource_Type_Android"}],
            "AddType": "Add_Type_Single",
            "ForceAddFlags": 1
        })
    );
    // An array is friend_import's form, not this endpoint's.
    let wrong = r#"{"From_Account":"a","AddFriendItem":[{"To_Account":"b","AddSource":"AddSource_Type_X","GroupName":["g"]}]}"#;
    assert!(serde_json::from_str::<friend_add::Request>(wrong).is_err());
}

#[test]
fn friend_add_add_type_keeps_unknown_values() {
    let known: friend_add::AddType = serde_json::from_str(r#""Add_Type_Both""#).unwrap();
    assert_eq!(known, friend_add::AddType::Both);
    let unknown: friend_add::AddType = serde_json::from_str(r#""Add_Type_Someday""#).unwrap();
    assert_eq!(
        unknown,
        friend_add::AddType::Other("Add_Type_Someday".into())
    );
    assert_eq!(
        serde_json::to_string(&unknown).unwrap(),
        r#""Add_Type_Someday""#
    );
}

#[test]
fn friend_add_over_the_batch_limit_and_bad_items_fail_validation() {
    let items = accounts(1001)
        .into_iter()
        .map(|to| friend_add::AddFriendItem::new(to, "AddSource_Type_Android"));
    let request = friend_add::Request::new("alice", items);
    assert_eq!(
        violations(&request),
        [("AddFriendItem".to_string(), Rule::MaxItems(1000))]
    );

    let empty = friend_add::Request::new("alice", Vec::<friend_add::AddFriendItem>::new());
    assert_eq!(
        violations(&empty),
        [("AddFriendItem".to_string(), Rule::MinItems(1))]
    );

    let bad = friend_add::Request::new(
        "alice",
        [
            friend_add::AddFriendItem::new("bob", "AddSource_Type_Android")
                .group_name("g".repeat(31)),
            friend_add::AddFriendItem::new("carol", "Android"),
        ],
    );
    let found: Vec<String> = violations(&bad).into_iter().map(|(path, _)| path).collect();
    assert_eq!(
        found,
        ["AddFriendItem[0].GroupName", "AddFriendItem[1].AddSource"]
    );
}

#[test]
fn friend_add_partial_failure_items_carry_typed_errors() {
    let response: friend_add::Response =
        serde_json::from_str(response_example::<FriendAdd>("partial_failure")).unwrap();
    assert!(!response.is_failure());
    assert_eq!(response.fail_account, ["id2", "id3"]);
    let results: Vec<_> = response
        .result_item
        .iter()
        .map(|item| item.result())
        .collect();
    assert_eq!(
        results,
        [
            Ok(friend_add::ResultItemOutcome::Done),
            Err(friend_add::Error::InternalError),
            Err(friend_add::Error::SdkAppIdMismatch)
        ]
    );
    assert_eq!(
        friend_add::Error::InternalError.retry_class(),
        RetryClass::Transient
    );
}

#[test]
fn friend_add_pending_and_throttling_codes() {
    let pending = friend_add::Error::from_code(30539);
    assert_eq!(pending, friend_add::Error::PendingCreated);
    assert!(!pending.is_retryable());
    // On an item, 30539 is a success of another kind: a pending request was created.
    let item: friend_add::ResultItem =
        serde_json::from_value(json!({ "To_Account": "bob", "ResultCode": 30539 })).unwrap();
    assert_eq!(
        item.result(),
        Ok(friend_add::ResultItemOutcome::PendingCreated)
    );
    let throttled = friend_add::Error::from_code(30540);
    assert_eq!(throttled, friend_add::Error::AddFriendThrottled);
    assert_eq!(throttled.retry_class(), RetryClass::Throttling);
    assert_eq!(
        friend_add::Error::from_code(30014),
        friend_add::Error::PeerFriendLimitReached
    );
    assert_eq!(
        friend_add::Error::from_code(30014).message_zh(),
        "对方的好友数已达系统上限"
    );
    // The common codes are there too.
    assert_eq!(
        friend_add::Error::from_code(60007).retry_class(),
        RetryClass::Throttling
    );
}

// ---------------------------------------------------------------------------------------------
// friend_update

#[test]
fn friend_update_values_are_strings_integers_or_string_arrays() {
    let request = friend_update::Request::new(
        "alice",
        [friend_update::UpdateItem::new(
            "bob",
            [
                friend_update::SnsItem::new("Tag_SNS_IM_Remark", "Bobby"),
                friend_update::SnsItem::new(
                    "Tag_SNS_IM_Group",
                    vec!["group1".to_string(), "group2".to_string()],
                ),
                friend_update::SnsItem::new("Tag_SNS_Custom_Level", 3u64),
            ],
        )],
    );
    assert_eq!(request.validate(), Ok(()));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "From_Account": "alice",
            "UpdateItem": [{
                "To_Account": "bob",
                "SnsItem": [
                    {"Tag": "Tag_SNS_IM_Remark", "Value": "Bobby"},
                    {"Tag": "Tag_SNS_IM_Group", "Value": ["group1", "group2"]},
                    {"Tag": "Tag_SNS_Custom_Level", "Value": 3}
                ]
            }]
        })
    );
    let full: friend_update::Request =
        serde_json::from_str(FriendUpdate::REQUEST_EXAMPLES[1].json).unwrap();
    let group = &full.update_item[0].sns_item[1];
    assert_eq!(group.tag, "Tag_SNS_IM_Group");
    assert_eq!(
        group.value.as_strings(),
        Some(&["group1".to_string(), "group2".to_string()][..])
    );
}

#[test]
fn friend_update_rules() {
    let items = accounts(1001).into_iter().map(|to| {
        friend_update::UpdateItem::new(to, [friend_update::SnsItem::new("Tag_SNS_IM_Remark", "r")])
    });
    let request = friend_update::Request::new("alice", items);
    assert_eq!(
        violations(&request),
        [("UpdateItem".to_string(), Rule::MaxItems(1000))]
    );

    let bad = friend_update::Request::new(
        "alice",
        [
            friend_update::UpdateItem::new("bob", Vec::<friend_update::SnsItem>::new()),
            friend_update::UpdateItem::new(
                "carol",
                [
                    friend_update::SnsItem::new("Tag_Profile_IM_Nick", "x"),
                    friend_update::SnsItem::new("Tag_SNS_Custom_Note", "v".repeat(501).as_str()),
                ],
            ),
        ],
    );
    let found: Vec<(String, Rule)> = violations(&bad);
    let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "UpdateItem[0].SnsItem",
            "UpdateItem[1].SnsItem[0].Tag",
            "UpdateItem[1].SnsItem[1].Value"
        ]
    );
    assert_eq!(found[0].1, Rule::MinItems(1));
    assert_eq!(found[2].1, Rule::MaxBytes(500));
}

#[test]
fn friend_update_partial_failure_items_carry_typed_errors() {
    let response: friend_update::Response =
        serde_json::from_str(response_example::<FriendUpdate>("partial_failure")).unwrap();
    let results: Vec<_> = response
        .result_item
        .iter()
        .map(|item| item.result())
        .collect();
    assert_eq!(
        results,
        [
            Ok(()),
            Err(friend_update::Error::GroupLimitReached),
            Err(friend_update::Error::SdkAppIdMismatch)
        ]
    );
    assert_eq!(
        friend_update::Error::from_code(30008).retry_class(),
        RetryClass::Conflict
    );
}

// ---------------------------------------------------------------------------------------------
// friend_delete and friend_delete_all

#[test]
fn friend_delete_type_and_limits() {
    let request = friend_delete::Request::new("alice", ["bob", "carol"])
        .delete_type(tim_rest::types::DeleteType::Both);
    assert_eq!(request.validate(), Ok(()));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"From_Account": "alice", "To_Account": ["bob", "carol"], "DeleteType": "Delete_Type_Both"})
    );

    let unknown: tim_rest::types::DeleteType =
        serde_json::from_str(r#""Delete_Type_Later""#).unwrap();
    assert_eq!(
        unknown,
        tim_rest::types::DeleteType::Other("Delete_Type_Later".into())
    );

    let too_many = friend_delete::Request::new("alice", accounts(1001));
    assert_eq!(
        violations(&too_many),
        [("To_Account".to_string(), Rule::MaxItems(1000))]
    );
    let bad_ids = friend_delete::Request::new("alice", ["".to_string(), "x".repeat(33)]);
    assert_eq!(
        violations(&bad_ids),
        [
            ("To_Account[0]".to_string(), Rule::NonEmpty),
            ("To_Account[1]".to_string(), Rule::MaxBytes(32))
        ]
    );
}

#[test]
fn friend_delete_not_a_friend_is_typed() {
    let response: friend_delete::Response =
        serde_json::from_str(response_example::<FriendDelete>("partial_failure")).unwrap();
    assert!(!response.is_failure());
    let results: Vec<_> = response
        .result_item
        .iter()
        .map(|item| item.result())
        .collect();
    assert_eq!(results, [Ok(()), Err(friend_delete::Error::NotFriend)]);
    assert_eq!(
        friend_delete::Error::from_code(31707),
        friend_delete::Error::DeleteFriendThrottled
    );
}

#[test]
fn friend_delete_all_reply_has_the_status_only() {
    let request = friend_delete_all::Request::new("alice");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"From_Account": "alice"})
    );
    let both = request.delete_type(tim_rest::types::DeleteType::Both);
    assert_eq!(
        serde_json::to_value(&both).unwrap(),
        json!({"From_Account": "alice", "DeleteType": "Delete_Type_Both"})
    );
    assert_eq!(
        violations(&friend_delete_all::Request::new("")),
        [("From_Account".to_string(), Rule::NonEmpty)]
    );

    let ok: friend_delete_all::Response =
        serde_json::from_str(response_example::<FriendDeleteAll>("basic")).unwrap();
    assert!(!ok.is_failure());
    let failed: friend_delete_all::Response = serde_json::from_str(
        r#"{"ActionStatus":"FAIL","ErrorCode":30008,"ErrorInfo":"write conflict","ErrorDisplay":""}"#,
    )
    .unwrap();
    assert!(failed.is_failure());
    assert_eq!(
        friend_delete_all::Error::from_code(failed.error_code),
        friend_delete_all::Error::WriteConflict
    );
}

// ---------------------------------------------------------------------------------------------
// friend_check

#[test]
fn friend_check_relations_decode_and_unknown_ones_are_kept() {
    let response: friend_check::Response =
        serde_json::from_str(response_example::<FriendCheck>("partial_failure")).unwrap();
    let relations: Vec<Option<friend_check::Relation>> = response
        .info_item
        .iter()
        .map(|item| item.relation.clone())
        .collect();
    assert_eq!(
        relations,
        [
            Some(friend_check::Relation::BothWay),
            Some(friend_check::Relation::AWithB),
            Some(friend_check::Relation::BWithA),
            Some(friend_check::Relation::NoRelation),
            Some(friend_check::Relation::NoRelation),
        ]
    );
    assert_eq!(response.fail_account, ["id5"]);
    assert_eq!(
        response.info_item[4].result(),
        Err(friend_check::Error::InternalError)
    );
    assert!(response.info_item[4].result().unwrap_err().is_retryable());

    let odd: friend_check::Response = serde_json::from_str(
        r#"{"InfoItem":[{"To_Account":"a","Relation":"CheckResult_Type_Blocked","ResultCode":0},
                        {"To_Account":"b","ResultCode":30003}],"ActionStatus":"OK"}"#,
    )
    .unwrap();
    assert_eq!(
        odd.info_item[0].relation,
        Some(friend_check::Relation::Other(
            "CheckResult_Type_Blocked".into()
        ))
    );
    assert_eq!(odd.info_item[1].relation, None);
    assert_eq!(
        odd.info_item[1].result(),
        Err(friend_check::Error::AccountNotFound)
    );
}

#[test]
fn friend_check_check_type_and_limits() {
    let request = friend_check::Request::new("alice", ["bob"], friend_check::CheckType::Single);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"From_Account": "alice", "To_Account": ["bob"], "CheckType": "CheckResult_Type_Single"})
    );
    let unknown: friend_check::CheckType =
        serde_json::from_str(r#""CheckResult_Type_Triple""#).unwrap();
    assert_eq!(unknown.as_str(), "CheckResult_Type_Triple");

    let too_many =
        friend_check::Request::new("alice", accounts(1001), friend_check::CheckType::Both);
    assert_eq!(
        violations(&too_many),
        [("To_Account".to_string(), Rule::MaxItems(1000))]
    );
    let at_limit =
        friend_check::Request::new("alice", accounts(1000), friend_check::CheckType::Both);
    assert_eq!(at_limit.validate(), Ok(()));
    let none =
        friend_check::Request::new("alice", Vec::<String>::new(), friend_check::CheckType::Both);
    assert_eq!(
        violations(&none),
        [("To_Account".to_string(), Rule::MinItems(1))]
    );
}

#[tokio::test]
async fn friend_check_through_the_client() {
    let fake = tim_rest::FakeTransport::new();
    fake.push_json(
        serde_json::from_str(response_example::<FriendCheck>("partial_failure")).unwrap(),
    );
    let client = tim_rest::Client::builder()
        .sdkappid(1400000000)
        .admin("administrator")
        .usersig("a-fixed-usersig")
        .base_url("https://fake.invalid")
        .transport(fake.clone())
        .build()
        .unwrap();
    let request = friend_check::Request::new(
        "id",
        ["id1", "id2", "id3", "id4", "id5"],
        friend_check::CheckType::Both,
    );
    let response = client.friend_check(&request).await.unwrap();
    assert_eq!(response.info_item.len(), 5);
    let sent = fake.last_request().unwrap();
    assert!(sent.url.contains("/v4/sns/friend_check?"));
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["CheckType"], "CheckResult_Type_Both");

    // An invalid request never reaches the transport.
    let invalid = friend_check::Request::new("id", accounts(1001), friend_check::CheckType::Both);
    let err = client.friend_check(&invalid).await.unwrap_err();
    assert!(err.was_not_sent());
    assert_eq!(fake.request_count(), 1);
}
