//! One-to-one messages through the generated client against the emulator: send, import
//! (de-duplicated), page back, recall, read marks and unread counts.

mod support;

use support::{client, emulator, import_accounts};
use tim_rest::openim::{
    admin_getroammsg, admin_msgwithdraw, admin_set_msg_read, get_c2c_unread_msg_num, importmsg,
    sendmsg,
};
use tim_rest::types::MsgElem;
use tim_rest_emulator::EmulatorConfig;

fn text(message: &admin_getroammsg::RoamMsg) -> String {
    match message.msg_body.first() {
        Some(MsgElem::Text(t)) => t.text.clone(),
        other => panic!("a text message, not {other:?}"),
    }
}

#[tokio::test]
async fn messages_are_sent_imported_paged_back_recalled_and_read() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["amy", "bob"]).await;
    // History first (no unread), twice: the second import is the same message.
    for _ in 0..2 {
        for (i, time) in [(1u32, 1_600_000_000u64), (2, 1_600_000_060)] {
            client
                .importmsg(
                    &importmsg::Request::new(
                        importmsg::SyncFromOldSystem::from_wire(2),
                        "amy",
                        "bob",
                        i,
                        time,
                        [MsgElem::text(format!("old {i}"))],
                    )
                    .msg_seq(i),
                )
                .await
                .unwrap();
        }
    }
    // Then three new ones, each a second apart.
    let mut keys = Vec::new();
    for (i, time) in [
        (1u32, 1_700_000_000u64),
        (2, 1_700_000_001),
        (3, 1_700_000_002),
    ] {
        let sent = client
            .sendmsg(
                &sendmsg::Request::new("bob", 100 + i, [MsgElem::text(format!("new {i}"))])
                    .from_account("amy")
                    .msg_time_stamp(time),
            )
            .await
            .unwrap();
        assert_eq!(sent.msg_time, Some(time));
        keys.push(sent.msg_key.unwrap());
    }

    // Page back two at a time, newest first, until Complete.
    let pages = client
        .admin_getroammsg_pages(admin_getroammsg::Request::new(
            "bob",
            "amy",
            2,
            0,
            u64::from(u32::MAX),
        ))
        .collect_all()
        .await
        .unwrap();
    let texts: Vec<String> = pages
        .iter()
        .flat_map(|p| p.msg_list.iter().map(text))
        .collect();
    assert_eq!(texts, ["new 3", "new 2", "new 1", "old 2", "old 1"]);
    assert_eq!(pages.last().unwrap().complete, 1);

    // Unread: the three new messages, not the imported history.
    let unread = |peers: Option<Vec<&str>>| {
        let mut request = get_c2c_unread_msg_num::Request::new("bob");
        if let Some(peers) = peers {
            request = request.peer_account(peers);
        }
        let client = client.clone();
        async move { client.get_c2c_unread_msg_num(&request).await.unwrap() }
    };
    assert_eq!(unread(None).await.all_c2c_unread_msg_num, Some(3));

    // Recall the newest: it stays in the history, flagged, and no longer counts as unread.
    client
        .admin_msgwithdraw(&admin_msgwithdraw::Request::new(
            "amy",
            "bob",
            keys[2].clone(),
        ))
        .await
        .unwrap();
    let again = client
        .admin_msgwithdraw(&admin_msgwithdraw::Request::new(
            "amy",
            "bob",
            keys[2].clone(),
        ))
        .await
        .unwrap_err();
    assert!(matches!(
        again,
        tim_rest::Error::Api {
            error: admin_msgwithdraw::Error::AlreadyRecalled,
            ..
        }
    ));
    let newest = client
        .admin_getroammsg(&admin_getroammsg::Request::new(
            "amy",
            "bob",
            1,
            0,
            u64::from(u32::MAX),
        ))
        .await
        .unwrap();
    assert_eq!(
        newest.msg_list[0].msg_flag_bits,
        Some(admin_getroammsg::MsgFlagBits::RECALLED)
    );
    assert_eq!(unread(None).await.all_c2c_unread_msg_num, Some(2));

    // Read up to the first new message: one left; per peer, with an unknown peer in ErrorList.
    client
        .admin_set_msg_read(
            &admin_set_msg_read::Request::new("bob", "amy").msg_read_time(1_700_000_000),
        )
        .await
        .unwrap();
    let per_peer = unread(Some(vec!["amy", "ghost"])).await;
    let counts = per_peer.c2c_unread_msg_num_list.unwrap();
    assert_eq!(
        (
            counts[0].peer_account.as_str(),
            counts[0].c2c_unread_msg_num
        ),
        ("amy", 1)
    );
    assert_eq!(per_peer.error_list[0].peer_account, "ghost");
    em.shutdown().await.unwrap();
}

#[tokio::test]
async fn conversations_come_from_messages_and_can_be_deleted_with_their_history() {
    use tim_rest::recentcontact::{delete, get_list};
    use tim_rest::types::ContactType;
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["amy", "bob", "cat"]).await;
    for (from, time) in [("amy", 1_700_000_000u64), ("cat", 1_700_000_100)] {
        client
            .sendmsg(
                &sendmsg::Request::new("bob", 1, [MsgElem::text("hi")])
                    .from_account(from)
                    .msg_time_stamp(time),
            )
            .await
            .unwrap();
    }
    let list = |client: tim_rest::Client| async move {
        let pages = client
            .get_list_pages(get_list::Request::new(
                "bob",
                0,
                0,
                0,
                0,
                get_list::AssistFlags::CN_FIXED,
            ))
            .collect_all()
            .await
            .unwrap();
        pages
            .iter()
            .flat_map(|p| p.session_item.iter().flatten())
            .map(|s| (s.to_account.clone().unwrap(), s.msg_time.unwrap()))
            .collect::<Vec<_>>()
    };
    // Newest first.
    assert_eq!(
        list(client.clone()).await,
        [
            ("cat".to_owned(), 1_700_000_100),
            ("amy".to_owned(), 1_700_000_000)
        ]
    );

    // Deleted with its history: gone from bob's list and bob's roaming, still in amy's.
    client
        .delete(
            &delete::Request::new("bob", ContactType::C2c)
                .to_account("amy")
                .clear_ramble(delete::ClearRamble::Clear),
        )
        .await
        .unwrap();
    assert_eq!(
        list(client.clone()).await,
        [("cat".to_owned(), 1_700_000_100)]
    );
    let roam = |operator: &str, peer: &str| {
        admin_getroammsg::Request::new(operator, peer, 10, 0, u64::from(u32::MAX))
    };
    assert!(client
        .admin_getroammsg(&roam("bob", "amy"))
        .await
        .unwrap()
        .msg_list
        .is_empty());
    assert_eq!(
        client
            .admin_getroammsg(&roam("amy", "bob"))
            .await
            .unwrap()
            .msg_list
            .len(),
        1
    );

    // A newer message brings the conversation back.
    client
        .sendmsg(&sendmsg::Request::new("bob", 2, [MsgElem::text("back")]).from_account("amy"))
        .await
        .unwrap();
    assert_eq!(list(client.clone()).await[0].0, "amy");
    em.shutdown().await.unwrap();
}

#[tokio::test]
async fn batches_modifications_and_online_status() {
    use tim_rest::openim::{batchsendmsg, modify_c2c_msg, query_online_status};
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    import_accounts(&client, &["amy", "bob", "cat"]).await;
    // One receiver missing: a partial failure, documented as "SomeError" with code 0.
    let sent = client
        .batchsendmsg(
            &batchsendmsg::Request::new(["bob", "ghost", "cat"], 9, [MsgElem::text("to all")])
                .from_account("amy"),
        )
        .await
        .unwrap();
    assert_eq!(
        sent.action_status,
        tim_rest::ActionStatus::Other("SomeError".into())
    );
    assert_eq!(sent.error_list.len(), 1);
    assert_eq!(
        (
            sent.error_list[0].to_account.as_str(),
            sent.error_list[0].error_code
        ),
        ("ghost", 70107)
    );
    let key = sent.msg_key.unwrap();

    // Modify the message bob received; amy's view of the conversation shows the new text.
    client
        .modify_c2c_msg(
            &modify_c2c_msg::Request::new("amy", "bob", key).msg_body([MsgElem::text("edited")]),
        )
        .await
        .unwrap();
    let history = client
        .admin_getroammsg(&admin_getroammsg::Request::new(
            "amy",
            "bob",
            10,
            0,
            u64::from(u32::MAX),
        ))
        .await
        .unwrap();
    assert_eq!(text(&history.msg_list[0]), "edited");
    assert_eq!(history.msg_list.len(), 1);

    // Nobody is logged in to the emulator.
    let status = client
        .query_online_status(&query_online_status::Request::new(["bob", "ghost"]))
        .await
        .unwrap();
    assert_eq!(
        status.query_result[0].status,
        query_online_status::OnlineStatus::Offline
    );
    assert_eq!(status.error_list[0].to_account, "ghost");
    em.shutdown().await.unwrap();
}
