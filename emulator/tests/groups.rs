//! IM groups through the generated client: a migration's import of a group, its members and
//! its history, paging them back, muting, moving the ownership, destroying; and the rules
//! that differ by group type.

mod support;

use support::{client, emulator, import_accounts};
use tim_rest::group_open_http_svc::{
    add_group_member, change_group_owner, create_group, destroy_group, forbid_send_msg,
    get_appid_group_list, get_group_info, get_group_member_info, get_group_muted_account,
    get_joined_group_list, get_role_in_group, group_msg_get_simple, group_msg_recall, import_group,
    import_group_member, import_group_msg, modify_group_base_info, send_group_msg,
    set_unread_msg_num,
};
use tim_rest::types::{
    GroupHistoryMsg, GroupImportMsgItem, GroupMemberItem, GroupMsgSeqItem, GroupType, MsgElem,
    MuteTime, PlaceMsgFlag, RoleInGroup,
};
use tim_rest_emulator::EmulatorConfig;

const CREATED: u64 = 1_500_000_000;

fn text(message: &GroupHistoryMsg) -> String {
    match message.msg_body.as_deref() {
        Some([MsgElem::Text(t)]) => t.text.clone(),
        other => panic!("not one text element: {other:?}"),
    }
}

fn history_item(from: &str, i: u64) -> GroupImportMsgItem {
    GroupImportMsgItem::new(from, CREATED + 100 + i, [MsgElem::text(format!("old {i}"))])
        .random(i as u32)
}

#[tokio::test]
async fn a_group_is_imported_with_members_and_history_then_paged_muted_handed_over_and_destroyed() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["owner", "amy", "bob", "cat"]).await;

    // The group keeps its creation time; the same GroupId again is 10021.
    let import = import_group::Request::new(GroupType::Public, "Old friends")
        .group_id("old-friends")
        .owner_account("owner")
        .create_time(CREATED);
    let imported = client.import_group(&import).await.unwrap();
    assert_eq!(imported.group_id.as_deref(), Some("old-friends"));
    let again = client.import_group(&import).await.unwrap_err();
    assert_eq!(again.code(), Some(10021));

    // History first: 7 per request, each after the last; a message sent again is refused.
    let first: Vec<_> = (1..=7).map(|i| history_item("amy", i)).collect();
    let result = client
        .import_group_msg(&import_group_msg::Request::new(
            "old-friends",
            first.clone(),
        ))
        .await
        .unwrap();
    let seqs: Vec<u64> = result.import_msg_result.iter().map(|r| r.msg_seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6, 7]);
    assert!(result.import_msg_result.iter().all(|r| r.result().is_ok()));
    client
        .import_group_msg(&import_group_msg::Request::new(
            "old-friends",
            (8..=9).map(|i| history_item("bob", i)),
        ))
        .await
        .unwrap();
    let resent = client
        .import_group_msg(&import_group_msg::Request::new(
            "old-friends",
            [first[6].clone()],
        ))
        .await
        .unwrap();
    assert_eq!(resent.import_msg_result[0].result_code, 10004);

    // Then members: a join time before the group's creation fails, a member twice is one.
    let members = [
        GroupMemberItem::new("amy")
            .join_time(CREATED + 10)
            .unread_msg_num(3),
        GroupMemberItem::new("bob")
            .join_time(CREATED + 20)
            .unread_msg_num(50),
        GroupMemberItem::new("cat").join_time(CREATED - 1),
        GroupMemberItem::new("amy").join_time(CREATED + 10),
    ];
    let added = client
        .import_group_member(&import_group_member::Request::new("old-friends", members))
        .await
        .unwrap();
    let results: Vec<_> = added
        .member_list
        .unwrap()
        .into_iter()
        .map(|m| (m.member_account, m.result))
        .collect();
    use import_group_member::ImportResult::{AlreadyMember, Failed, Imported};
    assert_eq!(
        results,
        [
            ("amy".to_owned(), Imported),
            ("bob".to_owned(), Imported),
            ("cat".to_owned(), Failed),
            ("amy".to_owned(), AlreadyMember),
        ]
    );

    // Page the history back, newest first, 4 at a time: the pager walks down to seq 1.
    let pages = client
        .group_msg_get_simple_pages(group_msg_get_simple::Request::new("old-friends", 4))
        .collect_all()
        .await
        .unwrap();
    let texts: Vec<String> = pages
        .iter()
        .flat_map(|p| p.rsp_msg_list.iter().map(text))
        .collect();
    let expected: Vec<String> = (1..=9).rev().map(|i| format!("old {i}")).collect();
    assert_eq!(texts, expected);

    // Unread counts: bob's 50 was lowered to the 9 messages; set again, capped again.
    let member_info = |request: get_group_member_info::Request| {
        let client = client.clone();
        async move { client.get_group_member_info(&request).await.unwrap() }
    };
    let all = member_info(get_group_member_info::Request::new("old-friends")).await;
    assert_eq!(all.member_num, Some(3));
    let msg_seq = |info: &get_group_member_info::Response, who: &str| {
        let list = info.member_list.as_ref().unwrap();
        list.iter()
            .find(|m| m.member_account == who)
            .unwrap()
            .msg_seq
    };
    assert_eq!(msg_seq(&all, "amy"), Some(6), "3 of 9 unread");
    assert_eq!(msg_seq(&all, "bob"), Some(0), "all 9 unread");
    client
        .set_unread_msg_num(&set_unread_msg_num::Request::new("old-friends", "amy", 1))
        .await
        .unwrap();
    let all = member_info(get_group_member_info::Request::new("old-friends")).await;
    assert_eq!(msg_seq(&all, "amy"), Some(8));

    // Members page by Offset in join order.
    let member_pages = client
        .get_group_member_info_pages(get_group_member_info::Request::new("old-friends").limit(2))
        .collect_all()
        .await
        .unwrap();
    let order: Vec<String> = member_pages
        .iter()
        .flat_map(|p| {
            p.member_list
                .iter()
                .flatten()
                .map(|m| m.member_account.clone())
        })
        .collect();
    assert_eq!(order, ["owner", "amy", "bob"]);

    // A muted member cannot send; others can, and the message gets the next sequence.
    client
        .forbid_send_msg(&forbid_send_msg::Request::new(
            "old-friends",
            ["bob"],
            MuteTime(3600),
        ))
        .await
        .unwrap();
    let muted = client
        .get_group_muted_account(&get_group_muted_account::Request::new("old-friends"))
        .await
        .unwrap();
    let muted = muted.muted_account_list.unwrap();
    assert_eq!(muted.len(), 1);
    assert_eq!(muted[0].member_account, "bob");
    let send = |from: &str, text: &str| {
        send_group_msg::Request::new("old-friends", 7, [MsgElem::text(text)]).from_account(from)
    };
    let refused = client.send_group_msg(&send("bob", "hi")).await.unwrap_err();
    assert_eq!(refused.code(), Some(10017));
    let sent = client.send_group_msg(&send("amy", "hello")).await.unwrap();
    assert_eq!(sent.msg_seq, Some(10));
    let outsider = client
        .send_group_msg(&send("cat", "me too"))
        .await
        .unwrap_err();
    assert_eq!(outsider.code(), Some(10007));

    // Recall it: gone from the history unless asked for, then as a recalled placeholder.
    let recalled = client
        .group_msg_recall(&group_msg_recall::Request::new(
            "old-friends",
            [GroupMsgSeqItem::new(10), GroupMsgSeqItem::new(99)],
        ))
        .await
        .unwrap();
    let codes: Vec<i64> = recalled
        .recall_ret_list
        .iter()
        .map(|r| r.ret_code)
        .collect();
    assert_eq!(codes, [0, 10030]);
    let newest = client
        .group_msg_get_simple(&group_msg_get_simple::Request::new("old-friends", 1))
        .await
        .unwrap();
    assert_eq!(newest.rsp_msg_list[0].msg_seq, 9);
    let with_recalled = client
        .group_msg_get_simple(
            &group_msg_get_simple::Request::new("old-friends", 1)
                .with_recalled_msg(group_msg_get_simple::WithRecalledMsg::Include),
        )
        .await
        .unwrap();
    let top = &with_recalled.rsp_msg_list[0];
    assert_eq!(
        (top.msg_seq, top.is_place_msg),
        (10, PlaceMsgFlag::Recalled)
    );

    // Hand the group over; the old owner stays as a member.
    client
        .change_group_owner(&change_group_owner::Request::new("old-friends", "amy"))
        .await
        .unwrap();
    let roles = client
        .get_role_in_group(&get_role_in_group::Request::new(
            "old-friends",
            ["owner", "amy", "cat"],
        ))
        .await
        .unwrap();
    let roles: Vec<RoleInGroup> = roles.user_id_list.into_iter().map(|r| r.role).collect();
    assert_eq!(
        roles,
        [
            RoleInGroup::Member,
            RoleInGroup::Owner,
            RoleInGroup::NotMember
        ]
    );

    // The profile and the lists.
    client
        .modify_group_base_info(
            &modify_group_base_info::Request::new("old-friends").notification("welcome"),
        )
        .await
        .unwrap();
    let info = client
        .get_group_info(&get_group_info::Request::new(["old-friends", "nope"]))
        .await
        .unwrap();
    assert_eq!(info.group_info[0].error_code, Some(0));
    assert_eq!(info.group_info[0].owner_account.as_deref(), Some("amy"));
    assert_eq!(info.group_info[0].create_time, Some(CREATED));
    assert_eq!(info.group_info[0].notification.as_deref(), Some("welcome"));
    assert_eq!(info.group_info[0].member_num, Some(3));
    assert_eq!(info.group_info[0].next_msg_seq, Some(11));
    assert_eq!(info.group_info[1].error_code, Some(10010));
    let joined = client
        .get_joined_group_list(&get_joined_group_list::Request::new("bob"))
        .await
        .unwrap();
    assert_eq!(joined.total_count, Some(1));
    assert_eq!(joined.group_id_list[0].group_id, "old-friends");

    // Destroyed, it is gone everywhere.
    client
        .destroy_group(&destroy_group::Request::new("old-friends"))
        .await
        .unwrap();
    let gone = client
        .get_group_info(&get_group_info::Request::new(["old-friends"]))
        .await
        .unwrap();
    assert_eq!(gone.group_info[0].error_code, Some(10010));
    let after = client
        .send_group_msg(&send("amy", "anyone?"))
        .await
        .unwrap_err();
    assert_eq!(after.code(), Some(10010));
}

#[tokio::test]
async fn group_types_decide_what_is_allowed_and_the_app_lists_its_groups_in_pages() {
    // get_appid_group_list allows 1 call a second; the pages below come at once.
    let em = emulator(EmulatorConfig {
        enforce_rate_limits: false,
        ..EmulatorConfig::default()
    })
    .await;
    let client = client(&em);
    import_accounts(&client, &["host", "fan"]).await;

    // An audio-video group is created empty and refuses imports and invitations (10007).
    let av = client
        .create_group(
            &create_group::Request::new(GroupType::AvChatRoom, "Live").owner_account("host"),
        )
        .await
        .unwrap();
    let av_id = av.group_id.unwrap();
    assert!(av_id.starts_with("@TGS#"), "{av_id}");
    let with_members = client
        .create_group(
            &create_group::Request::new(GroupType::AvChatRoom, "Live 2")
                .member_list([tim_rest::types::NewGroupMemberItem::new("fan")]),
        )
        .await
        .unwrap_err();
    assert_eq!(with_members.code(), Some(10007));
    let import = client
        .import_group(&import_group::Request::new(GroupType::AvChatRoom, "Live 3"))
        .await
        .unwrap_err();
    assert_eq!(import.code(), Some(10007));
    let members = client
        .import_group_member(&import_group_member::Request::new(
            av_id.as_str(),
            [GroupMemberItem::new("fan")],
        ))
        .await
        .unwrap_err();
    assert_eq!(members.code(), Some(10007));
    let invite = client
        .add_group_member(&add_group_member::Request::new(
            av_id.as_str(),
            [add_group_member::AddMemberItem::new("fan")],
        ))
        .await
        .unwrap_err();
    assert_eq!(invite.code(), Some(10007));
    let history = client
        .import_group_msg(&import_group_msg::Request::new(
            av_id.as_str(),
            [history_item("fan", 1)],
        ))
        .await
        .unwrap_err();
    assert_eq!(history.code(), Some(10007));

    // A community pages its members by the `Next` cursor: the pager follows it, no Offset.
    let community = client
        .create_group(
            &create_group::Request::new(GroupType::Community, "Club").owner_account("host"),
        )
        .await
        .unwrap()
        .group_id
        .unwrap();
    assert!(community.starts_with("@TGS#_"), "{community}");
    client
        .add_group_member(&add_group_member::Request::new(
            community.as_str(),
            [add_group_member::AddMemberItem::new("fan")],
        ))
        .await
        .unwrap();
    let pages = client
        .get_group_member_info_pages(
            get_group_member_info::Request::new(community.as_str())
                .limit(1)
                .next(""),
        )
        .collect_all()
        .await
        .unwrap();
    let walked: Vec<(Option<String>, String)> = pages
        .iter()
        .map(|p| {
            let member = &p.member_list.as_ref().unwrap()[0];
            (p.next.clone(), member.member_account.clone())
        })
        .collect();
    assert_eq!(
        walked,
        [
            (Some("1".to_owned()), "host".to_owned()),
            (Some(String::new()), "fan".to_owned())
        ]
    );

    // A community's custom ID starts with @TGS#_, anyone else's must not start with @TGS#.
    let bad = client
        .create_group(&create_group::Request::new(GroupType::Community, "C").group_id("plain"))
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Some(10004));
    let bad = client
        .create_group(&create_group::Request::new(GroupType::Public, "P").group_id("@TGS#mine"))
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Some(10004));

    // A full group takes nobody else (10014); an unknown account is 10019.
    client
        .create_group(
            &create_group::Request::new(GroupType::Work, "Small")
                .group_id("small")
                .owner_account("host")
                .max_member_count(1),
        )
        .await
        .unwrap();
    let full = client
        .add_group_member(&add_group_member::Request::new(
            "small",
            [add_group_member::AddMemberItem::new("fan")],
        ))
        .await
        .unwrap_err();
    assert_eq!(full.code(), Some(10014));
    let unknown = client
        .add_group_member(&add_group_member::Request::new(
            "small",
            [add_group_member::AddMemberItem::new("ghost")],
        ))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some(10019));

    // Every group of the app, one per page, in the order made.
    for i in 0..3 {
        client
            .create_group(
                &create_group::Request::new(GroupType::Public, format!("g{i}"))
                    .group_id(format!("g{i}")),
            )
            .await
            .unwrap();
    }
    let pages = client
        .get_appid_group_list_pages(get_appid_group_list::Request::new().limit(1))
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| p.group_id_list.iter().map(|g| g.group_id.clone()))
        .collect();
    assert_eq!(
        ids,
        [
            av_id.as_str(),
            community.as_str(),
            "small",
            "g0",
            "g1",
            "g2"
        ]
    );
    assert!(pages.iter().all(|p| p.total_count == Some(6)));
    let public = client
        .get_appid_group_list(&get_appid_group_list::Request::new().group_type(GroupType::Public))
        .await
        .unwrap();
    assert_eq!(public.total_count, Some(3));
    assert_eq!(public.next, 0);
}

#[tokio::test]
async fn attributes_and_counters_keep_their_limits() {
    use tim_rest::group_open_attr_http_svc::get_group_attr;
    use tim_rest::group_open_http_svc::{
        delete_group_attr, get_group_counter, modify_group_attr, set_group_attr,
        update_group_counter,
    };
    use tim_rest::types::{GroupAttrItem, GroupCounterItem};

    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    client
        .create_group(&create_group::Request::new(GroupType::Public, "A").group_id("attrs"))
        .await
        .unwrap();

    client
        .modify_group_attr(&modify_group_attr::Request::new(
            "attrs",
            [GroupAttrItem::new("a", "1"), GroupAttrItem::new("b", "2")],
        ))
        .await
        .unwrap();
    let sixteen: Vec<GroupAttrItem> = (0..16)
        .map(|i| GroupAttrItem::new(format!("k{i}"), "v"))
        .collect();
    let too_many = client
        .modify_group_attr(&modify_group_attr::Request::new("attrs", sixteen.clone()))
        .await
        .unwrap_err();
    assert_eq!(too_many.code(), Some(10047), "16 new keys on top of 2");
    client
        .set_group_attr(&set_group_attr::Request::new("attrs", sixteen))
        .await
        .unwrap();
    let missing = client
        .delete_group_attr(&delete_group_attr::Request::new(
            "attrs",
            [delete_group_attr::AttrKeyItem::new("a")],
        ))
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some(10050), "set replaced a and b");
    let attrs = client
        .get_group_attr(&get_group_attr::Request::new("attrs"))
        .await
        .unwrap();
    assert_eq!(attrs.group_attr_ary.unwrap().len(), 16);

    let update = |mode, value| {
        update_group_counter::Request::new("attrs", [GroupCounterItem::new("likes", value)], mode)
    };
    use update_group_counter::CounterMode;
    client
        .update_group_counter(&update(CounterMode::Set, 10))
        .await
        .unwrap();
    client
        .update_group_counter(&update(CounterMode::Increase, 5))
        .await
        .unwrap();
    let after = client
        .update_group_counter(&update(CounterMode::Decrease, 3))
        .await
        .unwrap();
    assert_eq!(after.group_counter.unwrap()[0].value, 12);
    let read = client
        .get_group_counter(&get_group_counter::Request::new("attrs"))
        .await
        .unwrap();
    assert_eq!(
        read.group_counter.unwrap(),
        [GroupCounterItem::new("likes", 12)]
    );
}
