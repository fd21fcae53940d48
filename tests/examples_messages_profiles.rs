//! The first endpoints written with the format's second wave, from their doc pages:
//! sendmsg, importmsg, portrait_set, portrait_get, import_group_member and im_push. Every
//! embedded example validates and round-trips (requests) or decodes (replies); the shared
//! types they name are one type each.

mod support;

use serde_json::json;
use support::{request_examples_round_trip, response_examples_decode};
use tim_rest::all_member_push::im_push::{self, ImPush};
use tim_rest::group_open_http_svc::import_group_member::{self, ImportGroupMember, ImportResult};
use tim_rest::openim::importmsg::{self, Importmsg};
use tim_rest::openim::sendmsg::{self, Sendmsg};
use tim_rest::profile::portrait_get::{self, PortraitGet};
use tim_rest::profile::portrait_set::{self, PortraitSet};
use tim_rest::types::{GroupMemberItem, MsgElem, ProfileGender, ProfileItem};
use tim_rest::{ApiError, Endpoint, Envelope, Rule, Validate};

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

#[test]
fn every_example_round_trips_or_decodes() {
    request_examples_round_trip::<Sendmsg>();
    request_examples_round_trip::<Importmsg>();
    request_examples_round_trip::<PortraitSet>();
    request_examples_round_trip::<PortraitGet>();
    request_examples_round_trip::<ImportGroupMember>();
    request_examples_round_trip::<ImPush>();
    response_examples_decode::<Importmsg>();
    response_examples_decode::<PortraitGet>();
    response_examples_decode::<ImportGroupMember>();
    response_examples_decode::<ImPush>();
    // sendmsg and portrait_set document a failing reply too.
    for example in Sendmsg::RESPONSE_EXAMPLES {
        serde_json::from_str::<sendmsg::Response>(example.json).unwrap();
    }
    let failed: portrait_set::Response =
        serde_json::from_str(PortraitSet::RESPONSE_EXAMPLES[0].json).unwrap();
    assert!(failed.is_failure());
    assert_eq!(
        portrait_set::Error::from_code(failed.error_code()).code(),
        40001
    );
}

#[test]
fn a_message_body_is_typed_and_bounded() {
    let request = sendmsg::Request::new("bob", 1, [MsgElem::text("hi")]);
    assert_eq!(request.validate(), Ok(()));
    let sent = serde_json::to_value(&request).unwrap();
    assert_eq!(
        sent["MsgBody"],
        json!([{ "MsgType": "TIMTextElem", "MsgContent": { "Text": "hi" } }])
    );
    // The body's JSON is bounded as the page says (8 KB).
    let big = sendmsg::Request::new("bob", 1, [MsgElem::text("x".repeat(9000))]);
    assert_eq!(
        violations(&big),
        [("MsgBody".to_owned(), Rule::MaxJsonBytes(8192))]
    );
    // A kind the schema does not list is kept in a reply and refused in a request.
    let odd = sendmsg::Request::new(
        "bob",
        1,
        [MsgElem::Other {
            msg_type: "TIMNewElem".into(),
            msg_content: json!({}),
        }],
    );
    assert_eq!(
        violations(&odd),
        [("MsgBody[0].MsgType".to_owned(), Rule::Listed)]
    );
}

#[test]
fn imported_messages_share_the_element_type() {
    for example in Importmsg::REQUEST_EXAMPLES {
        let request: importmsg::Request = serde_json::from_str(example.json).unwrap();
        assert!(request
            .msg_body
            .iter()
            .all(|e| !matches!(e, MsgElem::Other { .. })));
    }
}

#[test]
fn profile_items_take_the_type_of_their_tag() {
    let request = portrait_set::Request::new(
        "alice",
        [
            ProfileItem::nick("Alice"),
            ProfileItem::gender(ProfileGender::Female),
            ProfileItem::custom("Tag_Profile_Custom_Hobby", "chess"),
        ],
    );
    assert_eq!(request.validate(), Ok(()));
    assert_eq!(
        serde_json::to_value(&request).unwrap()["ProfileItem"],
        json!([
            { "Tag": "Tag_Profile_IM_Nick", "Value": "Alice" },
            { "Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Female" },
            { "Tag": "Tag_Profile_Custom_Hobby", "Value": "chess" }
        ])
    );
    // The keyword of a custom tag is letters only, at most 8 (269/1500).
    let bad = portrait_set::Request::new(
        "alice",
        [ProfileItem::custom("Tag_Profile_Custom_Too_Long_Name", "x")],
    );
    assert_eq!(violations(&bad).len(), 1);

    let reply: portrait_get::Response =
        serde_json::from_str(PortraitGet::RESPONSE_EXAMPLES[1].json).unwrap();
    let items = reply.user_profile_item[0]
        .profile_item
        .as_deref()
        .unwrap_or_default();
    assert!(items
        .iter()
        .any(|i| matches!(i, ProfileItem::Custom { tag, .. } if tag == "Tag_Profile_Custom_Test")));
    assert!(items
        .iter()
        .all(|i| !matches!(i, ProfileItem::Other { .. })));
}

#[test]
fn group_members_report_what_happened_to_each() {
    let request = import_group_member::Request::new(
        "@TGS#1",
        [GroupMemberItem::new("bob").join_time(1_448_357_837)],
    );
    assert_eq!(request.validate(), Ok(()));
    let reply: import_group_member::Response =
        serde_json::from_str(ImportGroupMember::RESPONSE_EXAMPLES[0].json).unwrap();
    let results: Vec<ImportResult> = reply
        .member_list
        .iter()
        .flatten()
        .map(|m| m.result)
        .collect();
    assert!(results.iter().all(|r| *r == ImportResult::Imported));
    let too_many = import_group_member::Request::new(
        "@TGS#1",
        (0..21).map(|i| GroupMemberItem::new(format!("m{i}"))),
    );
    assert_eq!(
        violations(&too_many),
        [("MemberList".to_owned(), Rule::MaxItems(20))]
    );
}

#[test]
fn a_push_condition_takes_tags_or_attributes() {
    for example in ImPush::REQUEST_EXAMPLES {
        let request: im_push::Request = serde_json::from_str(example.json).unwrap();
        assert_eq!(request.validate(), Ok(()), "{}", example.name);
    }
    // Both tag fields together are fine; tags with attributes are not (CN 269/45934).
    let tags = im_push::PushCondition::new().tags_and(["a"]).tags_or(["b"]);
    let push = |condition| im_push::Request::new(1, [MsgElem::text("hi")]).condition(condition);
    assert_eq!(push(tags.clone()).validate(), Ok(()));
    let mixed = tags.attrs_or([("level".to_owned(), "1".to_owned())].into());
    assert_eq!(
        violations(&push(mixed)),
        [(
            "Condition".to_owned(),
            Rule::AtMostOneOf(&["TagsAnd or TagsOr", "AttrsAnd or AttrsOr"])
        )]
    );
}
