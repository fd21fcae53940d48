//! Friend groups (`sns/group_*`) and accounts (`im_open_login_svc/*`): the embedded examples,
//! plus the enums, batch limits, per-item results and constants of these endpoints.

mod support;

use tim_rest::im_open_login_svc::account_check::{self, AccountCheck, AccountStatus, CheckItem};
use tim_rest::im_open_login_svc::account_delete::{self, AccountDelete, DeleteItem};
use tim_rest::im_open_login_svc::account_import::{self, AccountImport};
use tim_rest::im_open_login_svc::multiaccount_import::{self, AccountItem, MultiaccountImport};
use tim_rest::sns::group_add::{self, GroupAdd};
use tim_rest::sns::group_delete::{self, GroupDelete};
use tim_rest::sns::group_get::{self, GroupGet, NeedFriend};
use tim_rest::{ApiError, BatchField, Endpoint, RateLimit, RetryClass, Rule, Validate};

fn rules_broken(result: Result<(), tim_rest::ValidationError>) -> Vec<(String, Rule)> {
    match result {
        Ok(()) => Vec::new(),
        Err(e) => e
            .into_violations()
            .into_iter()
            .map(|v| (v.path, v.rule))
            .collect(),
    }
}

fn response_example<E: Endpoint>(name: &str) -> E::Response {
    let example = E::RESPONSE_EXAMPLES
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{} has no response example `{name}`", E::PATH));
    serde_json::from_str(example.json).unwrap()
}

// --- the embedded examples -------------------------------------------------------------------

#[test]
fn group_add_examples() {
    support::request_examples_round_trip::<GroupAdd>();
    support::response_examples_decode::<GroupAdd>();
}

#[test]
fn group_delete_examples() {
    support::request_examples_round_trip::<GroupDelete>();
    support::response_examples_decode::<GroupDelete>();
}

#[test]
fn group_get_examples() {
    support::request_examples_round_trip::<GroupGet>();
    support::response_examples_decode::<GroupGet>();
}

#[test]
fn account_import_examples() {
    support::request_examples_round_trip::<AccountImport>();
    support::response_examples_decode::<AccountImport>();
}

#[test]
fn multiaccount_import_examples() {
    support::request_examples_round_trip::<MultiaccountImport>();
    support::response_examples_decode::<MultiaccountImport>();
}

#[test]
fn account_check_examples() {
    support::request_examples_round_trip::<AccountCheck>();
    support::response_examples_decode::<AccountCheck>();
}

#[test]
fn account_delete_examples() {
    support::request_examples_round_trip::<AccountDelete>();
    support::response_examples_decode::<AccountDelete>();
}

// --- constants -------------------------------------------------------------------------------

#[test]
fn paths_batches_and_rates() {
    let cases: [(&str, Option<BatchField>, Option<RateLimit>); 7] = [
        (GroupAdd::PATH, GroupAdd::BATCH, GroupAdd::RATE_LIMIT),
        (
            GroupDelete::PATH,
            GroupDelete::BATCH,
            GroupDelete::RATE_LIMIT,
        ),
        (GroupGet::PATH, GroupGet::BATCH, GroupGet::RATE_LIMIT),
        (
            AccountImport::PATH,
            AccountImport::BATCH,
            AccountImport::RATE_LIMIT,
        ),
        (
            MultiaccountImport::PATH,
            MultiaccountImport::BATCH,
            MultiaccountImport::RATE_LIMIT,
        ),
        (
            AccountCheck::PATH,
            AccountCheck::BATCH,
            AccountCheck::RATE_LIMIT,
        ),
        (
            AccountDelete::PATH,
            AccountDelete::BATCH,
            AccountDelete::RATE_LIMIT,
        ),
    ];
    let batch = |wire_name, max_items| {
        Some(BatchField {
            wire_name,
            max_items,
        })
    };
    let rate = |per_second| Some(RateLimit { per_second });
    let expected = [
        ("v4/sns/group_add", batch("GroupName", 32), rate(200)),
        ("v4/sns/group_delete", batch("GroupName", 32), rate(200)),
        ("v4/sns/group_get", batch("GroupName", 32), rate(200)),
        ("v4/im_open_login_svc/account_import", None, rate(200)),
        (
            "v4/im_open_login_svc/multiaccount_import",
            batch("AccountList", 100),
            rate(100),
        ),
        (
            "v4/im_open_login_svc/account_check",
            batch("CheckItem", 100),
            rate(100),
        ),
        (
            "v4/im_open_login_svc/account_delete",
            batch("DeleteItem", 100),
            rate(100),
        ),
    ];
    assert_eq!(cases, expected);
}

// --- enums keep unknown values ---------------------------------------------------------------

#[test]
fn need_friend_decodes_the_documented_value_and_keeps_others() {
    let request: group_get::Request =
        serde_json::from_str(r#"{"From_Account":"id","NeedFriend":"Need_Friend_Type_Yes"}"#)
            .unwrap();
    assert_eq!(request.need_friend, Some(NeedFriend::Yes));

    let request: group_get::Request =
        serde_json::from_str(r#"{"From_Account":"id","NeedFriend":"Need_Friend_Type_No"}"#)
            .unwrap();
    assert_eq!(
        request.need_friend,
        Some(NeedFriend::Other("Need_Friend_Type_No".to_owned()))
    );
    // The unknown value goes back out unchanged.
    assert_eq!(
        serde_json::to_value(&request).unwrap()["NeedFriend"],
        "Need_Friend_Type_No"
    );

    let built = group_get::Request::new("id")
        .need_friend(NeedFriend::Yes)
        .group_name(["group1"]);
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        serde_json::json!({
            "From_Account": "id",
            "NeedFriend": "Need_Friend_Type_Yes",
            "GroupName": ["group1"],
        })
    );
}

#[test]
fn account_status_decodes_both_values_and_keeps_others() {
    let response: account_check::Response = response_example::<AccountCheck>("basic");
    let statuses: Vec<_> = response
        .result_item
        .iter()
        .map(|item| item.account_status.clone())
        .collect();
    assert_eq!(
        statuses,
        [
            Some(AccountStatus::Imported),
            Some(AccountStatus::NotImported)
        ]
    );

    let response: account_check::Response = serde_json::from_str(
        r#"{"ActionStatus":"OK","ErrorCode":0,"ResultItem":[
            {"UserID":"u","ResultCode":0,"AccountStatus":"Frozen"},
            {"UserID":"v","ResultCode":70402,"ResultInfo":"bad"}]}"#,
    )
    .unwrap();
    assert_eq!(
        response.result_item[0].account_status,
        Some(AccountStatus::Other("Frozen".to_owned()))
    );
    assert_eq!(response.result_item[1].account_status, None);
    assert_eq!(
        response.result_item[1].result(),
        Err(account_check::Error::Common(
            tim_rest::CommonError::ParameterInvalid
        ))
    );
}

// --- batch limits ----------------------------------------------------------------------------

#[test]
fn multiaccount_import_takes_at_most_100_accounts() {
    let accounts = |n: usize| (0..n).map(|i| AccountItem::new(format!("user{i}")));
    let full = multiaccount_import::Request::new().account_list(accounts(100));
    assert_eq!(full.validate(), Ok(()));

    let over = multiaccount_import::Request::new().account_list(accounts(101));
    assert_eq!(
        rules_broken(over.validate()),
        [("AccountList".to_owned(), Rule::MaxItems(100))]
    );

    let empty = multiaccount_import::Request::new().account_list(Vec::<AccountItem>::new());
    assert_eq!(
        rules_broken(empty.validate()),
        [("AccountList".to_owned(), Rule::MinItems(1))]
    );

    let bad = multiaccount_import::Request::new().account_list([
        AccountItem::new("ok")
            .nick("n")
            .face_url("http://www.qq.com"),
        AccountItem::new("x".repeat(33)).nick("n".repeat(501)),
    ]);
    assert_eq!(
        rules_broken(bad.validate()),
        [
            ("AccountList[1].UserID".to_owned(), Rule::MaxBytes(32)),
            ("AccountList[1].Nick".to_owned(), Rule::MaxBytes(500)),
        ]
    );

    // The older form, UserIDs only; a request carries exactly one of the two.
    let older = multiaccount_import::Request::new().accounts(["a", "b"]);
    assert_eq!(older.validate(), Ok(()));
    assert_eq!(
        serde_json::to_value(&older).unwrap(),
        serde_json::json!({ "Accounts": ["a", "b"] })
    );
    let both = older.account_list([AccountItem::new("c")]);
    let neither = multiaccount_import::Request::new();
    for request in [both, neither] {
        assert_eq!(
            rules_broken(request.validate()),
            [(
                "$".to_owned(),
                Rule::ExactlyOneOf(&["AccountList", "Accounts"])
            )]
        );
    }
}

#[test]
fn account_check_and_delete_take_at_most_100_accounts() {
    let check = account_check::Request::new((0..101).map(|i| CheckItem::new(format!("u{i}"))));
    assert_eq!(
        rules_broken(check.validate()),
        [("CheckItem".to_owned(), Rule::MaxItems(100))]
    );
    let delete = account_delete::Request::new((0..101).map(|i| DeleteItem::new(format!("u{i}"))));
    assert_eq!(
        rules_broken(delete.validate()),
        [("DeleteItem".to_owned(), Rule::MaxItems(100))]
    );
    let delete = account_delete::Request::new([DeleteItem::new("")]);
    assert_eq!(
        rules_broken(delete.validate()),
        [("DeleteItem[0].UserID".to_owned(), Rule::NonEmpty)]
    );
}

#[test]
fn group_names_are_limited_to_32_names_of_30_bytes() {
    let names = |n: usize| (0..n).map(|i| format!("g{i}")).collect::<Vec<_>>();
    let ok = group_add::Request::new("alice", names(32)).to_account(["bob"]);
    assert_eq!(ok.validate(), Ok(()));

    let over =
        group_add::Request::new("alice", names(33)).to_account((0..1001).map(|i| format!("f{i}")));
    assert_eq!(
        rules_broken(over.validate()),
        [
            ("GroupName".to_owned(), Rule::MaxItems(32)),
            ("To_Account".to_owned(), Rule::MaxItems(1000)),
        ]
    );

    let bad_names = group_delete::Request::new("alice", ["".to_owned(), "g".repeat(31)]);
    assert_eq!(
        rules_broken(bad_names.validate()),
        [
            ("GroupName[0]".to_owned(), Rule::NonEmpty),
            ("GroupName[1]".to_owned(), Rule::MaxBytes(30)),
        ]
    );

    let read = group_get::Request::new("alice").group_name(names(33));
    assert_eq!(
        rules_broken(read.validate()),
        [("GroupName".to_owned(), Rule::MaxItems(32))]
    );
}

#[test]
fn account_import_checks_user_id_and_profile_lengths() {
    let ok = account_import::Request::new("test")
        .nick("test")
        .face_url("http://www.qq.com");
    assert_eq!(ok.validate(), Ok(()));
    let bad = account_import::Request::new("").face_url("u".repeat(501));
    assert_eq!(
        rules_broken(bad.validate()),
        [
            ("UserID".to_owned(), Rule::NonEmpty),
            ("FaceUrl".to_owned(), Rule::MaxBytes(500)),
        ]
    );
}

// --- per-item results ------------------------------------------------------------------------

#[test]
fn group_add_partial_failure_maps_each_item() {
    let response: group_add::Response = response_example::<GroupAdd>("partial_failure");
    let results: Vec<_> = response.result_item.iter().map(|i| i.result()).collect();
    assert_eq!(
        results,
        [
            Ok(()),
            Err(group_add::Error::NotAFriend),
            Err(group_add::Error::SdkAppIdMismatch),
        ]
    );
    assert_eq!(response.fail_account, ["id2", "id3"]);
    assert_eq!(response.current_sequence, Some(3));
    assert_eq!(group_add::Error::NotAFriend.code(), 32216);
    assert_eq!(
        group_add::Error::WriteConflict.retry_class(),
        RetryClass::Conflict
    );

    let basic: group_add::Response = response_example::<GroupAdd>("basic");
    assert!(basic.result_item.is_empty());
    assert_eq!(basic.current_sequence, Some(2));
}

#[test]
fn account_delete_missing_account_is_the_common_70107() {
    let response: account_delete::Response = response_example::<AccountDelete>("partial_failure");
    assert_eq!(response.result_item[0].result(), Ok(()));
    let err = response.result_item[1].result().unwrap_err();
    assert_eq!(
        err,
        account_delete::Error::Common(tim_rest::CommonError::AccountNotImported)
    );
    assert_eq!(err.code(), 70107);
    assert!(!err.is_retryable());

    // Codes of this endpoint only, next to the common ones.
    assert_eq!(
        account_delete::Error::from_code(71000),
        account_delete::Error::DeletionNotEnabled
    );
    assert_eq!(
        account_delete::Error::from_code(30008).retry_class(),
        RetryClass::Conflict
    );
}

#[test]
fn multiaccount_import_reports_failed_accounts() {
    let response: multiaccount_import::Response =
        response_example::<MultiaccountImport>("partial_failure");
    assert_eq!(response.fail_accounts, ["UserID_002", "UserID_003"]);
    let response: multiaccount_import::Response =
        response_example::<MultiaccountImport>("all_imported");
    assert!(response.fail_accounts.is_empty());
    assert_eq!(
        multiaccount_import::Error::from_code(70202).retry_class(),
        RetryClass::Transient
    );
    // 70398 (trial account limit) is a common code every endpoint knows.
    assert_eq!(
        multiaccount_import::Error::from_code(70398),
        multiaccount_import::Error::Common(tim_rest::CommonError::TrialAccountLimit)
    );
}

#[test]
fn group_get_friends_come_only_when_asked() {
    let basic: group_get::Response = response_example::<GroupGet>("basic");
    let counts: Vec<_> = basic
        .result_item
        .iter()
        .map(|g| (g.group_name.as_str(), g.friend_number, g.to_account.len()))
        .collect();
    assert_eq!(
        counts,
        [("group1", 1, 0), ("group2", 2, 0), ("group3", 3, 0)]
    );

    let full: group_get::Response = response_example::<GroupGet>("full");
    assert_eq!(full.result_item[0].to_account, ["friend1"]);
    assert_eq!(full.current_sequence, Some(2));
}
