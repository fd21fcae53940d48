//! The read endpoints of the relationship chain (friend_get, friend_get_list) and the blacklist
//! endpoints: embedded examples against the generated types, plus the facts the client relies on
//! (paging signals, per-item errors, enums that keep unknown values, batch limits).

mod support;

use support::{request_examples_round_trip, response_examples_decode};
use tim_rest::sns::{
    black_list_add::{self, BlackListAdd},
    black_list_check::{self, BlackCheckType, BlackListCheck, BlackRelation},
    black_list_delete::{self, BlackListDelete},
    black_list_get::{self, BlackListGet},
    friend_get::{self, FriendGet},
    friend_get_list::{self, FriendGetList},
};
use tim_rest::{ApiError, BatchField, Endpoint, Paginated, RateLimit, Validate};

fn response<E: Endpoint>(name: &str) -> E::Response {
    let example = E::RESPONSE_EXAMPLES
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{} has no response example `{name}`", E::PATH));
    serde_json::from_str(example.json).unwrap()
}

fn request<E: Endpoint>(name: &str) -> E::Request
where
    E::Request: serde::de::DeserializeOwned,
{
    let example = E::REQUEST_EXAMPLES
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{} has no request example `{name}`", E::PATH));
    serde_json::from_str(example.json).unwrap()
}

fn accounts(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i}")).collect()
}

// ---- the embedded examples ----

#[test]
fn friend_get_examples() {
    request_examples_round_trip::<FriendGet>();
    response_examples_decode::<FriendGet>();
}

#[test]
fn friend_get_list_examples() {
    request_examples_round_trip::<FriendGetList>();
    response_examples_decode::<FriendGetList>();
}

#[test]
fn black_list_add_examples() {
    request_examples_round_trip::<BlackListAdd>();
    response_examples_decode::<BlackListAdd>();
}

#[test]
fn black_list_delete_examples() {
    request_examples_round_trip::<BlackListDelete>();
    response_examples_decode::<BlackListDelete>();
}

#[test]
fn black_list_get_examples() {
    request_examples_round_trip::<BlackListGet>();
    response_examples_decode::<BlackListGet>();
}

#[test]
fn black_list_check_examples() {
    request_examples_round_trip::<BlackListCheck>();
    response_examples_decode::<BlackListCheck>();
}

// ---- friend_get: tag values and paging ----

#[test]
fn friend_get_values_keep_their_shapes() {
    let page = response::<FriendGet>("last_page");
    let first = &page.user_data_item[0];
    assert_eq!(first.to_account, "id1");
    let value = |tag: &str| {
        &first
            .value_item
            .iter()
            .find(|v| v.tag == tag)
            .unwrap()
            .value
    };
    assert_eq!(
        value("Tag_SNS_IM_Group"),
        &friend_get::FriendValue::Strings(vec!["Group1".into(), "Group2".into()])
    );
    assert_eq!(value("Tag_SNS_IM_AddTime").as_u64(), Some(1563867420));
    assert_eq!(value("Tag_SNS_IM_Remark").as_str(), Some("Remark1"));
    assert_eq!(value("Tag_SNS_Custom_Test").as_str(), Some("CustomData1"));
    assert_eq!(
        (
            page.standard_sequence,
            page.custom_sequence,
            page.friend_num
        ),
        (Some(88), Some(46), Some(20))
    );
}

#[test]
fn friend_get_pages_until_complete_flag_is_non_zero() {
    let first = friend_get::Request::new("id", 0u64).standard_sequence(88u64);
    let more = response::<FriendGet>("first_of_several_pages");
    assert_eq!(more.complete_flag, 0);
    let next = FriendGet::next_request(&first, &more).expect("CompleteFlag 0: another page");
    assert_eq!(
        next.start_index, 2,
        "the next page starts at NextStartIndex"
    );
    assert_eq!(next.from_account, "id");
    assert_eq!(
        next.standard_sequence,
        Some(88),
        "the request's sequence is kept, not the reply's"
    );

    let last = response::<FriendGet>("last_page");
    assert_ne!(last.complete_flag, 0);
    assert_eq!(
        FriendGet::next_request(&next, &last),
        None,
        "CompleteFlag 1: the last page"
    );
}

#[test]
fn friend_get_reply_without_complete_flag_does_not_decode() {
    // A reply that does not say whether the list is complete must not read as "more to come".
    let body = r#"{"UserDataItem":[],"NextStartIndex":0,"ActionStatus":"OK","ErrorCode":0}"#;
    assert!(serde_json::from_str::<friend_get::Response>(body).is_err());
    // Everything else may be left out (an account without friends).
    let empty: friend_get::Response =
        serde_json::from_str(r#"{"CompleteFlag":1,"ActionStatus":"OK"}"#).unwrap();
    assert!(empty.user_data_item.is_empty());
    assert_eq!(empty.next_start_index, 0);
}

// ---- friend_get_list: per-item errors, batch ----

#[test]
fn friend_get_list_items_carry_typed_errors() {
    let reply = response::<FriendGetList>("batch");
    assert_eq!(reply.fail_account, ["UserID_4"]);
    let results: Vec<_> = reply.info_item.iter().map(|item| item.result()).collect();
    assert_eq!(
        results,
        [
            Ok(()),
            Ok(()),
            Err(friend_get_list::Error::InvalidParameter)
        ]
    );
    let failed = &reply.info_item[2];
    assert!(
        failed.sns_profile_item.is_empty(),
        "a failed item carries no fields"
    );
    assert_eq!(
        failed.result_info.as_deref(),
        Some("Err_SNS_FriendGetList_Friend_Not_Exist")
    );
    let nick = reply.info_item[1]
        .sns_profile_item
        .iter()
        .find(|p| p.tag == "Tag_Profile_IM_Nick");
    assert_eq!(nick.unwrap().value.as_str(), Some("nick_3"));
}

#[test]
fn friend_get_list_takes_at_most_100_friends() {
    assert_eq!(
        FriendGetList::BATCH,
        Some(BatchField {
            wire_name: "To_Account",
            max_items: 100
        })
    );
    let tags = ["Tag_SNS_IM_Remark"];
    assert!(friend_get_list::Request::new("a", accounts(100), tags)
        .validate()
        .is_ok());
    assert!(friend_get_list::Request::new("a", accounts(101), tags)
        .validate()
        .is_err());
    assert!(friend_get_list::Request::new("a", accounts(1), ["Tag SNS"])
        .validate()
        .is_err());
    let none: [&str; 0] = [];
    assert!(friend_get_list::Request::new("a", accounts(1), none)
        .validate()
        .is_err());
}

// ---- black_list_add / black_list_delete ----

#[test]
fn black_list_add_items_carry_typed_errors() {
    let reply = response::<BlackListAdd>("partial_failure");
    assert_eq!(reply.action_status, tim_rest::ActionStatus::Ok);
    assert_eq!(reply.fail_account, ["id2", "id3"]);
    let results: Vec<_> = reply.result_item.iter().map(|item| item.result()).collect();
    assert_eq!(
        results,
        [
            Ok(()),
            Err(black_list_add::Error::InvalidParameter),
            Err(black_list_add::Error::SdkAppIdMismatch)
        ]
    );
    let full = black_list_add::Error::from_code(30013);
    assert_eq!(full, black_list_add::Error::BlacklistLimitReached);
    assert!(!full.is_retryable());
    assert_eq!(
        black_list_add::Error::from_code(30008).retry_class(),
        tim_rest::RetryClass::Conflict
    );
}

#[test]
fn black_list_delete_failed_item_is_retryable() {
    let reply = response::<BlackListDelete>("partial_failure");
    let failed = reply.result_item[2].result().unwrap_err();
    assert_eq!(failed, black_list_delete::Error::InternalError);
    assert_eq!(failed.code(), 30006);
    assert!(failed.is_retryable());
}

#[test]
fn blacklist_batches_hold_at_most_1000_accounts() {
    let at_most_1000 = Some(BatchField {
        wire_name: "To_Account",
        max_items: 1000,
    });
    assert_eq!(BlackListAdd::BATCH, at_most_1000);
    assert_eq!(BlackListDelete::BATCH, at_most_1000);
    assert_eq!(BlackListCheck::BATCH, at_most_1000);

    assert!(black_list_add::Request::new("a", accounts(1000))
        .validate()
        .is_ok());
    let too_many = black_list_add::Request::new("a", accounts(1001))
        .validate()
        .unwrap_err();
    assert!(too_many.to_string().contains("To_Account"), "{too_many}");
    assert!(black_list_delete::Request::new("a", accounts(1001))
        .validate()
        .is_err());
    let check = black_list_check::Request::new("a", accounts(1001), BlackCheckType::Both);
    assert!(check.validate().is_err());
    let none: [&str; 0] = [];
    assert!(black_list_delete::Request::new("a", none)
        .validate()
        .is_err());
    assert!(black_list_add::Request::new("a", [""]).validate().is_err());
}

// ---- black_list_get: paging, the two spellings of the sequence ----

#[test]
fn black_list_get_pages_until_start_index_is_zero() {
    let first = black_list_get::Request::new("id", 0u64, 2u64, 0u64);
    let more = response::<BlackListGet>("first_of_several_pages");
    let next = BlackListGet::next_request(&first, &more).expect("StartIndex 2: another page");
    assert_eq!(
        (next.start_index, next.max_limited, next.last_sequence),
        (2, 2, 0)
    );

    let last = response::<BlackListGet>("last_page");
    assert_eq!(last.start_index, 0);
    assert_eq!(
        BlackListGet::next_request(&next, &last),
        None,
        "StartIndex 0: the last page"
    );
}

#[test]
fn black_list_get_reads_both_spellings_of_the_sequence() {
    let cn = response::<BlackListGet>("last_page");
    assert_eq!((cn.current_sequence, cn.curruent_sequence), (13, 0));
    let intl = response::<BlackListGet>("last_page_intl");
    assert_eq!((intl.current_sequence, intl.curruent_sequence), (0, 13));
    assert_eq!(intl.black_list_item[1].to_account, "id2");
    assert_eq!(intl.black_list_item[1].add_black_time_stamp, 1430000002);
}

#[test]
fn black_list_get_reply_without_start_index_does_not_decode() {
    // A missing StartIndex must not read as "finished" (0).
    let body = r#"{"BlackListItem":[],"CurruentSequence":1,"ActionStatus":"OK"}"#;
    assert!(serde_json::from_str::<black_list_get::Response>(body).is_err());
}

// ---- black_list_check: enums ----

#[test]
fn black_list_check_relations_decode_and_keep_unknown_values() {
    let reply = response::<BlackListCheck>("both");
    let relations: Vec<_> = reply
        .black_list_check_item
        .iter()
        .map(|i| i.relation.clone())
        .collect();
    assert_eq!(
        relations,
        [
            Some(BlackRelation::BothWay),
            Some(BlackRelation::AWithB),
            Some(BlackRelation::BWithA),
            Some(BlackRelation::No),
            Some(BlackRelation::No)
        ]
    );
    assert_eq!(
        reply.black_list_check_item[4].result(),
        Err(black_list_check::Error::NetworkTimeout)
    );
    assert_eq!(reply.fail_account, ["id5"]);

    let odd: black_list_check::Response = serde_json::from_str(
        r#"{"BlackListCheckItem":[{"To_Account":"x","Relation":"BlackCheckResult_Type_Muted","ResultCode":0}],"ActionStatus":"OK"}"#,
    )
    .unwrap();
    let relation = odd.black_list_check_item[0].relation.clone().unwrap();
    assert_eq!(
        relation,
        BlackRelation::Other("BlackCheckResult_Type_Muted".into())
    );
    assert_eq!(relation.as_str(), "BlackCheckResult_Type_Muted");
    let bare: black_list_check::Response = serde_json::from_str(
        r#"{"BlackListCheckItem":[{"To_Account":"x","ResultCode":30001}],"ActionStatus":"OK"}"#,
    )
    .unwrap();
    assert_eq!(bare.black_list_check_item[0].relation, None);
}

#[test]
fn black_list_check_type_is_sent_as_documented() {
    let single = request::<BlackListCheck>("single");
    assert_eq!(single.check_type, BlackCheckType::Single);
    let body = serde_json::to_value(black_list_check::Request::new(
        "a",
        ["b"],
        BlackCheckType::Both,
    ))
    .unwrap();
    assert_eq!(body["CheckType"], "BlackCheckResult_Type_Both");
    assert_eq!(
        BlackCheckType::from_wire("BlackCheckResult_Type_Single"),
        BlackCheckType::Single
    );
}

// ---- constants ----

#[test]
fn endpoint_constants_come_from_the_schemas() {
    let rate = Some(RateLimit { per_second: 200 });
    assert_eq!(FriendGet::PATH, "v4/sns/friend_get");
    assert_eq!(FriendGetList::PATH, "v4/sns/friend_get_list");
    assert_eq!(BlackListAdd::PATH, "v4/sns/black_list_add");
    assert_eq!(BlackListDelete::PATH, "v4/sns/black_list_delete");
    assert_eq!(BlackListGet::PATH, "v4/sns/black_list_get");
    assert_eq!(BlackListCheck::PATH, "v4/sns/black_list_check");
    for limit in [
        FriendGet::RATE_LIMIT,
        FriendGetList::RATE_LIMIT,
        BlackListAdd::RATE_LIMIT,
        BlackListDelete::RATE_LIMIT,
        BlackListGet::RATE_LIMIT,
        BlackListCheck::RATE_LIMIT,
    ] {
        assert_eq!(limit, rate);
    }
    assert_eq!(FriendGet::BATCH, None);
    assert_eq!(BlackListGet::BATCH, None);
}

#[test]
fn common_codes_are_part_of_every_error_enum() {
    let throttled = black_list_get::Error::from_code(60007);
    assert_eq!(throttled.code(), 60007);
    assert_eq!(throttled.retry_class(), tim_rest::RetryClass::Throttling);
    assert_eq!(
        friend_get::Error::from_code(30006).retry_class(),
        tim_rest::RetryClass::Transient
    );
    assert_eq!(
        friend_get::Error::from_code(30006),
        friend_get::Error::InternalError
    );
}

/// The paged client methods the schema docs point to exist (compile-time check only).
#[allow(dead_code)]
fn paged_client_methods_exist(client: &tim_rest::Client) {
    let _friends = client.friend_get_pages(friend_get::Request::new("a", 0u64));
    let _blacklist =
        client.black_list_get_pages(black_list_get::Request::new("a", 0u64, 100u64, 0u64));
}
