//! Accounts and relationship chains, through the real client.

mod support;

use std::collections::BTreeMap;

use support::{client, emulator, ids, import_accounts};
use tim_rest::im_open_login_svc::{account_check, account_delete, account_import};
use tim_rest::sns::friend_import::{self, AddFriendItem, CustomItem};
use tim_rest::sns::{
    black_list_add, black_list_check, black_list_delete, black_list_get, friend_add, friend_check,
    friend_delete, friend_delete_all, friend_get, friend_get_list, friend_update, group_add,
    group_delete, group_get,
};
use tim_rest::{Client, StringOrInteger, TagValue};
use tim_rest_emulator::{EmulatorConfig, FriendRecord};

fn item(to: &str) -> AddFriendItem {
    AddFriendItem::new(to, "AddSource_Type_Import")
}

async fn import(client: &Client, from: &str, items: Vec<AddFriendItem>) -> Vec<(String, i64)> {
    let resp = client
        .friend_import(&friend_import::Request::new(from, items))
        .await
        .expect("friend_import");
    resp.result_item
        .into_iter()
        .map(|r| (r.to_account, r.result_code))
        .collect()
}

fn codes(results: &[(String, i64)]) -> Vec<i64> {
    results.iter().map(|(_, c)| *c).collect()
}

#[tokio::test]
async fn accounts_import_check_delete() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    client
        .account_import(&account_import::Request::new("solo").nick("Solo"))
        .await
        .unwrap();
    import_accounts(&client, &["a", "b", "b"]).await;
    let check = client
        .account_check(&account_check::Request::new(
            ["a", "solo", "zed"].map(account_check::CheckItem::new),
        ))
        .await
        .unwrap();
    let status: Vec<_> = check
        .result_item
        .iter()
        .map(|r| (r.user_id.as_str(), r.account_status.clone().unwrap()))
        .collect();
    use account_check::AccountStatus::{Imported, NotImported};
    assert_eq!(
        status,
        [("a", Imported), ("solo", Imported), ("zed", NotImported)]
    );

    import(&client, "a", vec![item("b")]).await;
    let deleted = client
        .account_delete(&account_delete::Request::new(
            ["b", "zed"].map(account_delete::DeleteItem::new),
        ))
        .await
        .unwrap();
    let results: Vec<_> = deleted
        .result_item
        .iter()
        .map(|r| (r.user_id.as_str(), r.result_code))
        .collect();
    assert_eq!(results, [("b", 0), ("zed", 70107)]);
    let snap = em.snapshot();
    assert_eq!(snap.accounts, ["a", "solo"].map(String::from).into());
    assert!(
        snap.friends.is_empty(),
        "b left a's friend list with its account"
    );
}

#[tokio::test]
async fn friend_get_pages_back_exactly_what_was_imported() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    let friends = ids("f", 250);
    import_accounts(&client, &friends).await;
    import_accounts(&client, &["owner"]).await;

    let mut expected = BTreeMap::new();
    let items: Vec<AddFriendItem> = friends
        .iter()
        .enumerate()
        .map(|(i, to)| {
            let mut item = item(to);
            let mut record = FriendRecord {
                add_source: item.add_source.clone(),
                ..FriendRecord::default()
            };
            if i % 2 == 0 {
                item = item
                    .remark(format!("remark {i}"))
                    .remark_time(1_420_000_000 + i as u64)
                    .add_wording("hi")
                    .add_time(1_500_000_000 + i as u64)
                    .group_name(["朋友", "work"])
                    .custom_item([
                        CustomItem::new("Tag_SNS_Custom_Level", i as u64),
                        CustomItem::new("Tag_SNS_Custom_Note", "note"),
                    ]);
                record.remark = format!("remark {i}");
                record.remark_time = 1_420_000_000 + i as u64;
                record.add_wording = "hi".into();
                record.add_time = 1_500_000_000 + i as u64;
                record.group_names = vec!["朋友".into(), "work".into()];
                record.custom = vec![
                    (
                        "Tag_SNS_Custom_Level".into(),
                        StringOrInteger::Integer(i as u64),
                    ),
                    ("Tag_SNS_Custom_Note".into(), "note".into()),
                ];
            }
            expected.insert(to.clone(), record);
            item
        })
        .collect();
    let results = import(&client, "owner", items).await;
    assert!(codes(&results).iter().all(|&c| c == 0), "{results:?}");

    // The state holds what was sent (AddTime defaults to the time of the import).
    let snap = em.snapshot();
    let stored = &snap.friends["owner"];
    assert_eq!(stored.len(), 250);
    for (to, want) in &expected {
        let got = &stored[to];
        if want.add_time == 0 {
            assert!(got.add_time > 1_600_000_000, "{to}: now");
            let want = FriendRecord {
                add_time: got.add_time,
                ..want.clone()
            };
            assert_eq!(*got, want, "{to}");
        } else {
            assert_eq!(got, want, "{to}");
        }
    }
    assert_eq!(
        snap.groups["owner"],
        ["work", "朋友"].map(String::from).into()
    );

    // Read it back page by page, by hand.
    let mut start = 0;
    let mut pages = Vec::new();
    let mut read = BTreeMap::new();
    loop {
        let page = client
            .friend_get(&friend_get::Request::new("owner", start))
            .await
            .unwrap();
        assert_eq!(page.friend_num, Some(250));
        pages.push(page.user_data_item.len());
        for friend in &page.user_data_item {
            let values: BTreeMap<String, TagValue> = friend
                .value_item
                .iter()
                .map(|v| (v.tag.clone(), v.value.clone()))
                .collect();
            read.insert(friend.to_account.clone(), values);
        }
        if page.complete_flag != 0 {
            assert_eq!(page.next_start_index, 0);
            break;
        }
        assert_eq!(
            page.next_start_index,
            start + page.user_data_item.len() as u64
        );
        start = page.next_start_index;
    }
    assert_eq!(pages, [100, 100, 50]);
    assert_eq!(read.len(), 250);
    for (to, record) in &stored.clone() {
        let values = &read[to];
        let mut want = BTreeMap::from([
            (
                "Tag_SNS_IM_AddSource".to_owned(),
                TagValue::from(record.add_source.as_str()),
            ),
            (
                "Tag_SNS_IM_AddTime".to_owned(),
                TagValue::Integer(record.add_time),
            ),
        ]);
        if !record.remark.is_empty() {
            want.insert("Tag_SNS_IM_Remark".into(), record.remark.as_str().into());
            want.insert(
                "Tag_SNS_IM_RemarkTime".into(),
                TagValue::Integer(record.remark_time),
            );
            want.insert(
                "Tag_SNS_IM_AddWording".into(),
                record.add_wording.as_str().into(),
            );
            want.insert("Tag_SNS_IM_Group".into(), record.group_names.clone().into());
            want.insert(
                "Tag_SNS_Custom_Level".into(),
                TagValue::Integer(record.custom[0].1.as_u64().unwrap()),
            );
            want.insert("Tag_SNS_Custom_Note".into(), "note".into());
        }
        assert_eq!(*values, want, "{to}");
    }

    // The client's pager walks the same pages.
    let all = client
        .friend_get_pages(friend_get::Request::new("owner", 0))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        all.iter()
            .map(|p| p.user_data_item.len())
            .collect::<Vec<_>>(),
        [100, 100, 50]
    );

    // A sequence that did not change leaves the standard data out.
    let seq = all[0]
        .standard_sequence
        .expect("the emulator sends StandardSequence");
    assert_ne!(seq, 0);
    let unchanged = client
        .friend_get(&friend_get::Request::new("owner", 0).standard_sequence(seq))
        .await
        .unwrap();
    assert!(unchanged.user_data_item[1]
        .value_item
        .iter()
        .all(|v| !v.tag.starts_with("Tag_SNS_IM_")));
}

#[tokio::test]
async fn importing_again_is_idempotent_for_the_same_relation() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["a", "b", "c"]).await;
    let first = item("b").remark("Bee").group_name(["g"]);
    assert_eq!(codes(&import(&client, "a", vec![first.clone()]).await), [0]);
    let before = em.snapshot();
    // The same relation again (a retry), and once more with an explicit AddTime that differs.
    assert_eq!(
        codes(&import(&client, "a", vec![first.clone(), first.clone()]).await),
        [0, 0]
    );
    assert_eq!(em.snapshot(), before);
    let changed = first.clone().remark("Other");
    let timed = first.clone().add_time(7);
    assert_eq!(
        codes(&import(&client, "a", vec![changed, timed, item("a"), item("c")]).await),
        [30001, 30001, 30001, 0]
    );
    assert_eq!(em.snapshot().friends["a"]["b"], before.friends["a"]["b"]);
}

#[tokio::test]
async fn unknown_accounts_are_30003() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["a", "b"]).await;
    let resp = client
        .friend_import(&friend_import::Request::new(
            "a",
            [item("b"), item("ghost")],
        ))
        .await
        .unwrap();
    let results: Vec<_> = resp
        .result_item
        .iter()
        .map(|r| (r.to_account.as_str(), r.result_code))
        .collect();
    assert_eq!(results, [("b", 0), ("ghost", 30003)]);
    assert_eq!(resp.fail_account, ["ghost"]);
    assert!(resp.result_item[1].result().is_err());

    let err = client
        .friend_import(&friend_import::Request::new("ghost", [item("a")]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(30003), "{err}");
    assert!(!em.snapshot().friends.contains_key("ghost"));
}

#[tokio::test]
async fn friend_check_reports_the_four_relations() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["a", "both", "mine", "theirs", "none"]).await;
    import(&client, "a", vec![item("both"), item("mine")]).await;
    import(&client, "both", vec![item("a")]).await;
    import(&client, "theirs", vec![item("a")]).await;

    use friend_check::{CheckType, Relation};
    let targets = ["both", "mine", "theirs", "none", "ghost"];
    let check = |kind: CheckType| {
        let client = client.clone();
        async move {
            let resp = client
                .friend_check(&friend_check::Request::new("a", targets, kind))
                .await
                .unwrap();
            let relations: Vec<_> = resp
                .info_item
                .iter()
                .map(|i| (i.relation.clone().unwrap(), i.result_code))
                .collect();
            (relations, resp.fail_account)
        }
    };
    let (both, failed) = check(CheckType::Both).await;
    assert_eq!(
        both,
        [
            (Relation::BothWay, 0),
            (Relation::AWithB, 0),
            (Relation::BWithA, 0),
            (Relation::NoRelation, 0),
            (Relation::NoRelation, 30003),
        ]
    );
    assert_eq!(failed, ["ghost"]);
    let (single, _) = check(CheckType::Single).await;
    assert_eq!(
        single.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>(),
        [
            Relation::AWithB,
            Relation::AWithB,
            Relation::NoRelation,
            Relation::NoRelation,
            Relation::NoRelation,
        ]
    );
}

#[tokio::test]
async fn blacklisting_ends_the_friendship_both_ways() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["a", "b", "c", "d"]).await;
    client
        .friend_add(&friend_add::Request::new(
            "a",
            [friend_add::AddFriendItem::new("b", "AddSource_Type_Web")],
        ))
        .await
        .unwrap();
    let snap = em.snapshot();
    assert!(snap.friends["a"].contains_key("b") && snap.friends["b"].contains_key("a"));

    let added = client
        .black_list_add(&black_list_add::Request::new(
            "b",
            ["a", "c", "d", "a", "ghost"],
        ))
        .await
        .unwrap();
    let codes: Vec<_> = added.result_item.iter().map(|r| r.result_code).collect();
    assert_eq!(codes, [0, 0, 0, 30001, 30003]);
    let snap = em.snapshot();
    assert!(snap.friends.is_empty(), "{:?}", snap.friends);
    assert_eq!(snap.blacklist["b"].len(), 3);

    // Blacklisted pairs cannot become friends again, from either side.
    assert_eq!(
        codes_of(import(&client, "b", vec![item("a")]).await),
        [30515]
    );
    assert_eq!(
        codes_of(import(&client, "a", vec![item("b")]).await),
        [30525]
    );
    let add = client
        .friend_add(&friend_add::Request::new(
            "a",
            [friend_add::AddFriendItem::new("b", "AddSource_Type_Web")],
        ))
        .await
        .unwrap();
    assert_eq!(add.result_item[0].result_code, 30525);

    use black_list_check::{BlackCheckType, BlackRelation};
    let check = client
        .black_list_check(&black_list_check::Request::new(
            "a",
            ["b", "c"],
            BlackCheckType::Both,
        ))
        .await
        .unwrap();
    let relations: Vec<_> = check
        .black_list_check_item
        .iter()
        .map(|i| i.relation.clone().unwrap())
        .collect();
    assert_eq!(relations, [BlackRelation::BWithA, BlackRelation::No]);

    // Paged by MaxLimited; StartIndex 0 ends.
    let mut start = 0;
    let mut seen = Vec::new();
    loop {
        let page = client
            .black_list_get(&black_list_get::Request::new("b", start, 2, 0))
            .await
            .unwrap();
        seen.extend(page.black_list_item.iter().map(|i| i.to_account.clone()));
        assert!(page
            .black_list_item
            .iter()
            .all(|i| i.add_black_time_stamp > 0));
        if page.start_index == 0 {
            break;
        }
        start = page.start_index;
    }
    assert_eq!(seen, ["a", "c", "d"]);
    // A page size outside 1..=1000 breaks the schema's rule: the client refuses it unsent (the
    // emulator's answer to one sent anyway is in gateway.rs).
    let sent = em.stats().requests;
    let err = client
        .black_list_get(&black_list_get::Request::new("b", 0, 0, 0))
        .await
        .unwrap_err();
    assert!(matches!(err, tim_rest::Error::InvalidRequest(_)), "{err}");
    assert_eq!(em.stats().requests, sent);

    let deleted = client
        .black_list_delete(&black_list_delete::Request::new("b", ["a", "a"]))
        .await
        .unwrap();
    let codes: Vec<_> = deleted.result_item.iter().map(|r| r.result_code).collect();
    assert_eq!(codes, [0, 30001]);
    assert!(!em.snapshot().friends.contains_key("a"), "not restored");
}

fn codes_of(results: Vec<(String, i64)>) -> Vec<i64> {
    codes(&results)
}

#[tokio::test]
async fn add_update_get_list_and_delete() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    client
        .account_import(
            &account_import::Request::new("b")
                .nick("Bee")
                .face_url("http://b"),
        )
        .await
        .unwrap();
    import_accounts(&client, &["a", "c", "d"]).await;
    let add = client
        .friend_add(
            &friend_add::Request::new(
                "a",
                [
                    friend_add::AddFriendItem::new("b", "AddSource_Type_Web").group_name("pals"),
                    friend_add::AddFriendItem::new("c", "AddSource_Type_Web"),
                    friend_add::AddFriendItem::new("b", "AddSource_Type_Web"),
                ],
            )
            .add_type(friend_add::AddType::Single),
        )
        .await
        .unwrap();
    let codes: Vec<_> = add.result_item.iter().map(|r| r.result_code).collect();
    assert_eq!(codes, [0, 0, 30001]);
    assert!(!em.snapshot().friends.contains_key("b"), "one-way");

    use friend_update::{SnsItem, UpdateItem};
    let update = client
        .friend_update(&friend_update::Request::new(
            "a",
            [
                UpdateItem::new(
                    "b",
                    [
                        SnsItem::new("Tag_SNS_IM_Remark", "Bestie"),
                        SnsItem::new(
                            "Tag_SNS_IM_Group",
                            TagValue::Strings(vec!["x".into(), "y".into()]),
                        ),
                        SnsItem::new("Tag_SNS_Custom_Mood", "happy"),
                    ],
                ),
                UpdateItem::new(
                    "c",
                    [SnsItem::new("Tag_SNS_IM_AddSource", "AddSource_Type_X")],
                ),
                UpdateItem::new("d", [SnsItem::new("Tag_SNS_IM_Remark", "nope")]),
            ],
        ))
        .await
        .unwrap();
    let codes: Vec<_> = update.result_item.iter().map(|r| r.result_code).collect();
    assert_eq!(codes, [0, 30001, 30001]);
    assert_eq!(update.fail_account, ["c", "d"]);
    let b = &em.snapshot().friends["a"]["b"];
    assert_eq!(b.remark, "Bestie");
    assert!(b.remark_time > 0);
    assert_eq!(b.group_names, ["x", "y"]);
    assert_eq!(
        b.custom,
        [("Tag_SNS_Custom_Mood".to_owned(), "happy".into())]
    );

    let list = client
        .friend_get_list(&friend_get_list::Request::new(
            "a",
            ["b", "d"],
            [
                "Tag_SNS_IM_Remark",
                "Tag_Profile_IM_Nick",
                "Tag_Profile_IM_Image",
                "Tag_SNS_Custom_Mood",
                "Tag_SNS_IM_AddWording",
            ],
        ))
        .await
        .unwrap();
    let b = &list.info_item[0];
    let tags: Vec<_> = b
        .sns_profile_item
        .iter()
        .map(|i| (i.tag.as_str(), i.value.clone()))
        .collect();
    assert_eq!(
        tags,
        [
            ("Tag_SNS_IM_Remark", TagValue::from("Bestie")),
            ("Tag_Profile_IM_Nick", TagValue::from("Bee")),
            ("Tag_Profile_IM_Image", TagValue::from("http://b")),
            ("Tag_SNS_Custom_Mood", TagValue::from("happy")),
        ]
    );
    assert_eq!(list.info_item[1].result_code, 30001);
    assert_eq!(list.fail_account, ["d"]);

    // Two-way add, then a one-way and a two-way delete.
    client
        .friend_add(&friend_add::Request::new(
            "d",
            [friend_add::AddFriendItem::new("a", "AddSource_Type_Web")],
        ))
        .await
        .unwrap();
    let deleted = client
        .friend_delete(
            &friend_delete::Request::new("a", ["c", "c", "ghost"])
                .delete_type(tim_rest::types::DeleteType::Single),
        )
        .await
        .unwrap();
    let codes: Vec<_> = deleted.result_item.iter().map(|r| r.result_code).collect();
    assert_eq!(codes, [0, 31704, 30003]);
    client
        .friend_delete(
            &friend_delete::Request::new("a", ["d"]).delete_type(tim_rest::types::DeleteType::Both),
        )
        .await
        .unwrap();
    let snap = em.snapshot();
    assert!(!snap.friends.contains_key("d"));
    assert_eq!(snap.friends["a"].keys().collect::<Vec<_>>(), ["b"]);

    client
        .friend_add(&friend_add::Request::new(
            "c",
            [friend_add::AddFriendItem::new("a", "AddSource_Type_Web")],
        ))
        .await
        .unwrap();
    client
        .friend_delete_all(
            &friend_delete_all::Request::new("a").delete_type(tim_rest::types::DeleteType::Both),
        )
        .await
        .unwrap();
    let snap = em.snapshot();
    assert!(snap.friends.is_empty(), "{:?}", snap.friends);
}

#[tokio::test]
async fn friend_groups() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["a", "b", "c", "d"]).await;
    import(&client, "a", vec![item("b"), item("c").group_name(["old"])]).await;
    let added = client
        .group_add(&group_add::Request::new("a", ["g1", "g2"]).to_account(["b", "d"]))
        .await
        .unwrap();
    let codes: Vec<_> = added.result_item.iter().map(|r| r.result_code).collect();
    assert_eq!(codes, [0, 32216]);
    assert_eq!(added.fail_account, ["d"]);
    assert!(added.current_sequence > Some(0));

    let all = client
        .group_get(&group_get::Request::new("a").need_friend(group_get::NeedFriend::Yes))
        .await
        .unwrap();
    let groups: Vec<_> = all
        .result_item
        .iter()
        .map(|g| (g.group_name.as_str(), g.friend_number, g.to_account.clone()))
        .collect();
    assert_eq!(
        groups,
        [
            ("g1", 1, vec!["b".to_owned()]),
            ("g2", 1, vec!["b".to_owned()]),
            ("old", 1, vec!["c".to_owned()]),
        ]
    );
    let unchanged = client
        .group_get(&group_get::Request::new("a").last_sequence(all.current_sequence.unwrap()))
        .await
        .unwrap();
    assert!(unchanged.result_item.is_empty());
    let one = client
        .group_get(&group_get::Request::new("a").group_name(["g2", "missing"]))
        .await
        .unwrap();
    assert_eq!(one.result_item.len(), 1);
    assert!(one.result_item[0].to_account.is_empty());

    client
        .group_delete(&group_delete::Request::new("a", ["g1", "old"]))
        .await
        .unwrap();
    let snap = em.snapshot();
    assert_eq!(snap.groups["a"], ["g2"].map(String::from).into());
    assert_eq!(snap.friends["a"]["b"].group_names, ["g2"]);
    assert!(snap.friends["a"]["c"].group_names.is_empty());
}

#[tokio::test]
async fn three_thousand_friends_at_most() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    let friends = ids("u", 3001);
    import_accounts(&client, &friends).await;
    import_accounts(&client, &["owner"]).await;
    for chunk in friends[..3000].chunks(1000) {
        let results = import(&client, "owner", chunk.iter().map(|f| item(f)).collect()).await;
        assert!(codes(&results).iter().all(|&c| c == 0));
    }
    let over = import(
        &client,
        "owner",
        vec![item(&friends[3000]), item(&friends[0])],
    )
    .await;
    assert_eq!(
        codes(&over),
        [30010, 0],
        "the retry of an existing friend still succeeds"
    );
    assert_eq!(em.snapshot().friends["owner"].len(), 3000);
    let add = client
        .friend_add(&friend_add::Request::new(
            "owner",
            [friend_add::AddFriendItem::new(
                &friends[3000],
                "AddSource_Type_Web",
            )],
        ))
        .await
        .unwrap();
    assert_eq!(add.result_item[0].result_code, 30010);
}

#[tokio::test]
async fn thirty_two_groups_at_most() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["a", "b", "c"]).await;
    let groups = ids("g", 32);
    assert_eq!(
        codes(&import(&client, "a", vec![item("b").group_name(groups.clone())]).await),
        [0]
    );
    let over = import(&client, "a", vec![item("c").group_name(["g0", "g32"])]).await;
    assert_eq!(codes(&over), [30011]);
    assert!(!em.snapshot().friends["a"].contains_key("c"));
    let err = client
        .group_add(&group_add::Request::new("a", ["g33"]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(30011));
    client
        .group_add(&group_add::Request::new("a", ["g31"]))
        .await
        .expect("an existing group is no new group");
    assert_eq!(em.snapshot().groups["a"].len(), 32);
}

#[tokio::test]
async fn a_thousand_blacklisted_at_most() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    let others = ids("x", 1001);
    import_accounts(&client, &others).await;
    import_accounts(&client, &["owner"]).await;
    let first = client
        .black_list_add(&black_list_add::Request::new("owner", &others[..1000]))
        .await
        .unwrap();
    assert!(first.result_item.iter().all(|r| r.result_code == 0));
    let over = client
        .black_list_add(&black_list_add::Request::new("owner", [&others[1000]]))
        .await
        .unwrap();
    assert_eq!(over.result_item[0].result_code, 30013);
    assert_eq!(over.fail_account, [others[1000].clone()]);
    assert_eq!(em.snapshot().blacklist["owner"].len(), 1000);
}
