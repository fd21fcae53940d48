//! `validate()` of the generated friend_import types: every violation at once, with its path.

use tim_rest::sns::friend_import::{AddFriendItem, CustomItem, Request};
use tim_rest::{Rule, Validate};

fn item(to: &str) -> AddFriendItem {
    AddFriendItem::new(to, "AddSource_Type_Android")
}

fn paths_and_rules(request: &Request) -> Vec<(String, Rule)> {
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
fn a_valid_request_passes() {
    let request = Request::new(
        "alice",
        [
            item("bob")
                .remark("Bobby")
                .group_name(["朋友", "同事"])
                .add_wording("hi")
                .add_time(1_420_000_001)
                .custom_item([
                    CustomItem::new("Tag_SNS_Custom_Level", 3u64),
                    CustomItem::new("Tag_SNS_1300000000_Name", "x"),
                ]),
            item("carol"),
        ],
    );
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn every_violation_is_reported_with_its_path() {
    let long_value = "v".repeat(501);
    let request = Request::new(
        "",
        [
            item("bob"),
            item(&"x".repeat(33)).remark("r".repeat(97)),
            AddFriendItem::new("carol", "AddSource_Type_Too_Long9"),
            item("dave")
                .group_name(["", "g".repeat(31).as_str()])
                .custom_item([CustomItem::new("Tag_Profile_Custom_X", long_value.as_str())]),
            item("erin")
                .add_wording("w".repeat(257))
                .group_name((0..33).map(|i| format!("g{i}"))),
        ],
    );
    let found = paths_and_rules(&request);
    let expected: Vec<(String, Rule)> = vec![
        ("From_Account".into(), Rule::NonEmpty),
        ("AddFriendItem[1].To_Account".into(), Rule::MaxBytes(32)),
        ("AddFriendItem[1].Remark".into(), Rule::MaxBytes(96)),
        (
            "AddFriendItem[2].AddSource".into(),
            Rule::Pattern {
                prefixes: &["AddSource_Type_"],
                chars: tim_rest::validate::CharSet::new("A-Za-z"),
                min: 1,
                max: Some(8),
            },
        ),
        ("AddFriendItem[3].GroupName[0]".into(), Rule::NonEmpty),
        ("AddFriendItem[3].GroupName[1]".into(), Rule::MaxBytes(30)),
        (
            "AddFriendItem[3].CustomItem[0].Tag".into(),
            Rule::Pattern {
                prefixes: &["Tag_SNS_"],
                chars: tim_rest::validate::CharSet::new("A-Za-z0-9_"),
                min: 1,
                max: None,
            },
        ),
        (
            "AddFriendItem[3].CustomItem[0].Value".into(),
            Rule::MaxBytes(500),
        ),
        ("AddFriendItem[4].GroupName".into(), Rule::MaxItems(32)),
        ("AddFriendItem[4].AddWording".into(), Rule::MaxBytes(256)),
    ];
    assert_eq!(found, expected);
}

#[test]
fn violations_show_the_value_cut_to_a_readable_length() {
    let request = Request::new(
        "alice",
        [AddFriendItem::new(
            "bob",
            "AddSource_Type_".to_owned() + &"Z".repeat(300),
        )],
    );
    let err = request.validate().unwrap_err();
    let v = &err.violations()[0];
    assert!(v.value.len() < 120, "{}", v.value);
    assert!(v.value.contains("bytes"), "{}", v.value);
    let text = err.to_string();
    assert!(text.starts_with("invalid request: 1 violation\n"), "{text}");
    assert!(
        text.contains(
            "AddFriendItem[0].AddSource must be \"AddSource_Type_\" followed by 1 to 8 of [A-Za-z]"
        ),
        "{text}"
    );
}

#[test]
fn item_counts_are_bounded() {
    let empty = Request::new("alice", Vec::<AddFriendItem>::new());
    assert_eq!(
        paths_and_rules(&empty),
        [("AddFriendItem".to_owned(), Rule::MinItems(1))]
    );
    let too_many = Request::new("alice", (0..1001).map(|i| item(&format!("u{i}"))));
    assert_eq!(
        paths_and_rules(&too_many),
        [("AddFriendItem".to_owned(), Rule::MaxItems(1000))]
    );
    let full = Request::new("alice", (0..1000).map(|i| item(&format!("u{i}"))));
    assert_eq!(full.validate(), Ok(()));
}

#[test]
fn integer_custom_values_skip_text_rules() {
    let request = Request::new(
        "alice",
        [item("bob").custom_item([CustomItem::new("Tag_SNS_Custom_N", u64::MAX)])],
    );
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn byte_limits_count_bytes_not_characters() {
    // 11 CJK characters are 33 bytes: over the 32-byte account limit.
    let request = Request::new("朋友朋友朋友朋友朋友朋", [item("bob")]);
    assert_eq!(
        paths_and_rules(&request),
        [("From_Account".to_owned(), Rule::MaxBytes(32))]
    );
}
