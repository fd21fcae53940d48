//! Every construct of the schema format on one fixture directory (`tests/fixtures/constructs`):
//! shared types, tagged unions with prefix variants, integer enums, named integers and bit
//! masks, floats with bounds, maps with key and value rules, rules between fields, the size of
//! a value's JSON, and optional reply fields with and without a default.

mod support;

tim_rest::include_schema!("tests/fixtures/constructs");

use demo::send::{self, AssistFlags, Condition, MuteTime, ProfileItem, Send};
use serde_json::json;
use support::{request_examples_round_trip, response_examples_decode};
use tim_rest::{Endpoint as _, Rule, Validate};
use types::{LocationElem, MsgElem, PushFlag, RelayElem, RelayMsg, TextElem};

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
fn the_examples_round_trip_and_validate() {
    request_examples_round_trip::<Send>();
    response_examples_decode::<Send>();
}

#[test]
fn a_message_body_reads_as_an_enum_and_builds_from_constructors() {
    let body = [
        MsgElem::text("hi"),
        MsgElem::location(22.5, -113.25).into_location_desc("here"),
    ];
    let request = send::Request::new(body.clone()).to_account("bob");
    assert_eq!(request.validate(), Ok(()));
    let sent = serde_json::to_value(&request).unwrap();
    assert_eq!(
        sent,
        json!({
            "To_Account": "bob",
            "MsgBody": [
                { "MsgType": "TIMTextElem", "MsgContent": { "Text": "hi" } },
                { "MsgType": "TIMLocationElem", "MsgContent": { "Desc": "here", "Latitude": 22.5, "Longitude": -113.25 } }
            ]
        })
    );
    let back: send::Request = serde_json::from_value(sent).unwrap();
    assert_eq!(back.msg_body, body);
    assert_eq!(body[1].tag(), "TIMLocationElem");
}

trait LocationDesc {
    fn into_location_desc(self, desc: &str) -> Self;
}

impl LocationDesc for MsgElem {
    fn into_location_desc(self, desc: &str) -> Self {
        match self {
            MsgElem::Location(l) => MsgElem::Location(l.desc(desc)),
            other => other,
        }
    }
}

#[test]
fn content_before_its_tag_and_unknown_kinds_survive_a_round_trip() {
    let late: MsgElem =
        serde_json::from_str(r#"{"MsgContent": {"Text": "late"}, "MsgType": "TIMTextElem"}"#)
            .unwrap();
    assert_eq!(late, MsgElem::text("late"));
    let unknown = json!({ "MsgType": "TIMNewElem", "MsgContent": { "Any": [1, { "x": null }] } });
    let kept: MsgElem = serde_json::from_value(unknown.clone()).unwrap();
    assert!(matches!(&kept, MsgElem::Other { msg_type, .. } if msg_type == "TIMNewElem"));
    assert_eq!(serde_json::to_value(&kept).unwrap(), unknown);
    // A content that does not fit its tag is an error, not another kind.
    let wrong =
        serde_json::from_str::<MsgElem>(r#"{"MsgType": "TIMTextElem", "MsgContent": {"Text": 5}}"#);
    assert!(wrong.is_err());
    // A relay nests message bodies.
    let relay = MsgElem::relay([RelayMsg::new([MsgElem::text("inner")])]);
    let text = serde_json::to_string(&relay).unwrap();
    assert_eq!(serde_json::from_str::<MsgElem>(&text).unwrap(), relay);
    let _ = RelayElem::new([]);
}

#[test]
fn requests_refuse_what_the_schema_does_not_list_and_check_each_kind() {
    let odd = MsgElem::Other {
        msg_type: "TIMNewElem".into(),
        msg_content: json!({}),
    };
    let long = MsgElem::Text(TextElem::new("thirteen byte"));
    let far = MsgElem::Location(LocationElem::new(90.5, f64::NAN));
    let request = send::Request::new([odd, long, far])
        .to_account("bob")
        .push_flag(PushFlag::Other(7));
    let found = violations(&request);
    assert_eq!(
        found,
        [
            ("MsgBody[0].MsgType".to_owned(), Rule::Listed),
            ("MsgBody[1].MsgContent.Text".to_owned(), Rule::MaxBytes(12)),
            ("MsgBody[2].MsgContent.Latitude".to_owned(), Rule::Max(90)),
            (
                "MsgBody[2].MsgContent.Longitude".to_owned(),
                Rule::Min(-180)
            ),
            ("MsgBody[2].MsgContent.Longitude".to_owned(), Rule::Max(180)),
            ("PushFlag".to_owned(), Rule::Listed),
        ]
    );
}

#[test]
fn the_size_of_the_body_and_the_rules_between_fields_are_checked() {
    let big = send::Request::new(vec![MsgElem::text("0123456789"); 8]).to_account("bob");
    assert_eq!(
        violations(&big),
        [("MsgBody".to_owned(), Rule::MaxJsonBytes(200))]
    );
    let neither = send::Request::new([MsgElem::text("hi")]);
    let both = neither
        .clone()
        .to_account("bob")
        .condition(Condition::new());
    for request in [neither, both] {
        assert_eq!(
            violations(&request),
            [(
                "$".to_owned(),
                Rule::ExactlyOneOf(&["To_Account", "Condition"])
            )]
        );
    }
    let push = send::Request::new([MsgElem::text("hi")])
        .to_account("bob")
        .push_flag(PushFlag::Push);
    assert_eq!(
        violations(&push),
        [(
            "Desc".to_owned(),
            Rule::RequiredWhen {
                other: "PushFlag",
                equals: Some("0")
            }
        )]
    );
    assert_eq!(violations(&push.desc("d")), []);
}

#[test]
fn maps_check_their_entries_keys_and_values() {
    let attrs = [("a", "1"), ("long-key", ""), ("c", "3")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let condition = Condition::new()
        .attrs_and(attrs)
        .attrs_or([("x".to_owned(), "y".to_owned())].into());
    let request = send::Request::new([MsgElem::text("hi")]).condition(condition);
    assert_eq!(
        violations(&request),
        // The fields' own rules first, then the rules between them.
        [
            ("Condition.AttrsAnd".to_owned(), Rule::MaxItems(2)),
            ("Condition.AttrsAnd.long-key".to_owned(), Rule::MaxBytes(4)),
            ("Condition.AttrsAnd.long-key".to_owned(), Rule::NonEmpty),
            (
                "Condition".to_owned(),
                Rule::AtMostOneOf(&["AttrsAnd", "AttrsOr"])
            ),
        ]
    );
}

#[test]
fn tag_dependent_values_and_prefix_tags() {
    let items = [
        ProfileItem::nick("bob"),
        ProfileItem::level(100),
        ProfileItem::custom("Tag_Profile_Custom_Hobby", "chess"),
        ProfileItem::custom("Tag_Profile_Custom_MuchTooLongName", "x"),
    ];
    let request = send::Request::new([MsgElem::text("hi")])
        .to_account("bob")
        .profile(items.clone());
    assert_eq!(
        violations(&request),
        [
            ("Profile[1].Value".to_owned(), Rule::Max(99)),
            ("Profile[3].Tag".to_owned(), Rule::MaxBytes(24)),
        ]
    );
    let sent = serde_json::to_value(&items).unwrap();
    assert_eq!(
        sent[2],
        json!({ "Tag": "Tag_Profile_Custom_Hobby", "Value": "chess" })
    );
    let back: Vec<ProfileItem> = serde_json::from_value(sent).unwrap();
    assert_eq!(back, items);
    // A value of the wrong type for its tag does not decode as that tag.
    assert!(serde_json::from_value::<ProfileItem>(
        json!({ "Tag": "Tag_Profile_IM_Level", "Value": "high" })
    )
    .is_err());
}

#[test]
fn named_integers_and_masks() {
    assert_eq!(MuteTime::FOREVER, MuteTime(u32::MAX));
    assert_eq!(
        serde_json::to_string(&MuteTime::FOREVER).unwrap(),
        "4294967295"
    );
    let flags = AssistFlags::PINNED | AssistFlags::MUTED;
    assert!(flags.contains(AssistFlags::MUTED));
    assert!(!AssistFlags::PINNED.contains(flags));
    let reply: send::Response = serde_json::from_str(Send::RESPONSE_EXAMPLES[0].json).unwrap();
    assert_eq!(reply.assist, flags);
    assert_eq!(reply.msg_time, Some(1_700_000_000));
    // Absent: a named default reads as its empty value, an optional number as None.
    let bare: send::Response = serde_json::from_str(r#"{"ActionStatus": "OK"}"#).unwrap();
    assert_eq!((bare.assist, bare.msg_time), (AssistFlags(0), None));
    assert_eq!(PushFlag::from_wire(1), PushFlag::NoPush);
    assert_eq!(PushFlag::from_wire(9), PushFlag::Other(9));
    assert_eq!(serde_json::to_string(&PushFlag::NoPush).unwrap(), "1");
}

#[test]
fn paging_follows_a_string_cursor_and_an_offset_until_the_cursor_is_empty() {
    use demo::list::{self, List};
    use tim_rest::Paginated;
    let first = list::Request::new();
    let page: list::Response = serde_json::from_value(
        json!({ "ActionStatus": "OK", "Next": "c2", "Items": ["a", "b"], "Paging": { "Token": 7 } }),
    )
    .unwrap();
    let second = List::next_request(&first, &page).expect("a next page");
    assert_eq!(second.next.as_deref(), Some("c2"));
    assert_eq!(second.offset, Some(2));
    // A cursor inside an object of the reply.
    assert_eq!(second.token, Some(7));
    let page: list::Response =
        serde_json::from_value(json!({ "ActionStatus": "OK", "Next": "c3", "Items": ["c"] }))
            .unwrap();
    let third = List::next_request(&second, &page).expect("a next page");
    assert_eq!((third.next.as_deref(), third.offset), (Some("c3"), Some(3)));
    for last in [
        json!({ "ActionStatus": "OK", "Next": "", "Items": ["d"] }),
        json!({ "ActionStatus": "OK" }),
    ] {
        let page: list::Response = serde_json::from_value(last).unwrap();
        assert!(List::next_request(&third, &page).is_none());
    }
}

#[tokio::test]
async fn a_query_parameter_travels_in_the_url_and_a_mixed_case_path_is_sent_as_written() {
    use config_svc::get_ip_list::{self, GetIpList};
    let fake = tim_rest::FakeTransport::new();
    fake.push_json(json!({ "ActionStatus": "OK", "ErrorCode": 0, "IPList": ["1.2.3.4"] }));
    let client = tim_rest::Client::builder()
        .sdkappid(1_400_000_000)
        .admin("admin")
        .secret_key("k".repeat(64))
        .region(tim_rest::Region::Singapore)
        .transport(fake.clone())
        .build()
        .unwrap();
    let request = get_ip_list::Request::new().nettype(2);
    // Not in the body.
    assert_eq!(serde_json::to_value(&request).unwrap(), json!({}));
    let reply = client.call::<GetIpList>(&request).await.unwrap();
    assert_eq!(reply.ip_list, ["1.2.3.4"]);
    let sent = &fake.requests()[0];
    let url = &sent.url;
    assert!(
        url.contains("/v4/ConfigSvc/GetIPList?sdkappid=1400000000&"),
        "{url}"
    );
    assert!(url.ends_with("&contenttype=json&nettype=2"), "{url}");
}

#[test]
fn paging_back_asks_below_the_smallest_sequence_received() {
    use demo::history::{self, History};
    use tim_rest::Paginated;
    let first = history::Request::new(20);
    let page: history::Response = serde_json::from_value(
        json!({ "ActionStatus": "OK", "RspMsgList": [{ "MsgSeq": 40 }, { "MsgSeq": 31 }, { "MsgSeq": 35 }] }),
    )
    .unwrap();
    let next = History::next_request(&first, &page).expect("a next page");
    assert_eq!((next.req_msg_seq, next.req_msg_number), (Some(30), 20));
    let last: history::Response =
        serde_json::from_value(json!({ "ActionStatus": "OK", "RspMsgList": [] })).unwrap();
    assert!(History::next_request(&next, &last).is_none());
}

#[test]
fn a_union_takes_bounds_on_its_integer_and_lengths_on_its_text() {
    let with = |score: tim_rest::StringOrInteger| {
        violations(
            &send::Request::new([MsgElem::text("hi")])
                .to_account("bob")
                .score(score),
        )
    };
    assert_eq!(with(50u64.into()), []);
    assert_eq!(with("abc".into()), []);
    assert_eq!(with(0u64.into()), [("Score".to_owned(), Rule::Min(1))]);
    assert_eq!(with(101u64.into()), [("Score".to_owned(), Rule::Max(100))]);
    assert_eq!(
        with("abcd".into()),
        [("Score".to_owned(), Rule::MaxBytes(3))]
    );
}
