//! The gateway checks, in the service's order, through the real client and raw HTTP.

mod support;

use std::time::{Duration, SystemTime};

use reqwest::Method;
use support::{builder, client, emulator, fail_code, good_query, post_json, raw};
use tim_rest::im_open_login_svc::account_check::{self, CheckItem};
use tim_rest::usersig::{self, SecretKey};
use tim_rest_emulator::EmulatorConfig;

const CHECK: &str = "v4/im_open_login_svc/account_check";
const IMPORT: &str = "v4/sns/friend_import";

fn check_request() -> account_check::Request {
    account_check::Request::new([CheckItem::new("alice")])
}

#[tokio::test]
async fn the_right_credentials_pass() {
    let em = emulator(EmulatorConfig::default()).await;
    let resp = client(&em).account_check(&check_request()).await.unwrap();
    assert_eq!(resp.result_item.len(), 1);
    assert_eq!(
        resp.result_item[0].account_status,
        Some(account_check::AccountStatus::NotImported)
    );
    em.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_usersig_signed_with_another_key_is_70009() {
    let em = emulator(EmulatorConfig::default()).await;
    let other = builder(&em)
        .secret_key(SecretKey::new("0".repeat(64)))
        .build()
        .unwrap();
    let err = other.account_check(&check_request()).await.unwrap_err();
    assert_eq!(err.code(), Some(70009), "{err}");
}

#[tokio::test]
async fn an_expired_usersig_is_70001() {
    let em = emulator(EmulatorConfig::default()).await;
    let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 86400);
    let sig = usersig::generate_at(
        em.sdkappid(),
        em.key(),
        em.admin(),
        Duration::from_secs(86400),
        two_days_ago,
    )
    .unwrap();
    let expired = builder(&em).usersig(sig).build().unwrap();
    let err = expired.account_check(&check_request()).await.unwrap_err();
    assert_eq!(err.code(), Some(70001), "{err}");
}

#[tokio::test]
async fn a_caller_that_is_not_the_admin_is_60010() {
    let em = emulator(EmulatorConfig::default()).await;
    let bob = builder(&em).admin("bob").build().unwrap();
    let err = bob.account_check(&check_request()).await.unwrap_err();
    assert_eq!(err.code(), Some(60010), "{err}");
}

#[tokio::test]
async fn another_sdkappid_is_60006() {
    let em = emulator(EmulatorConfig::default()).await;
    let other = builder(&em).sdkappid(em.sdkappid() + 1).build().unwrap();
    let err = other.account_check(&check_request()).await.unwrap_err();
    assert_eq!(err.code(), Some(60006), "{err}");
}

#[tokio::test]
async fn query_parameters_are_checked() {
    let em = emulator(EmulatorConfig::default()).await;
    let good = good_query(&em);
    let sig =
        usersig::generate(em.sdkappid(), em.key(), em.admin(), Duration::from_secs(60)).unwrap();
    let sig = sig.expose_secret();
    let id = em.admin();
    let app = em.sdkappid();
    let cases: Vec<(String, i64)> = vec![
        (good.clone(), 0),
        (
            format!("identifier={id}&usersig={sig}&random=1&contenttype=json"),
            60012,
        ),
        (
            format!("sdkappid=abc&identifier={id}&usersig={sig}&random=1&contenttype=json"),
            60002,
        ),
        (
            format!("sdkappid={app}&usersig={sig}&random=1&contenttype=json"),
            60002,
        ),
        (
            format!("sdkappid={app}&identifier={id}&random=1&contenttype=json"),
            60002,
        ),
        (
            format!("sdkappid={app}&identifier={id}&usersig={sig}&contenttype=json"),
            60002,
        ),
        (
            format!("sdkappid={app}&identifier={id}&usersig={sig}&random=x&contenttype=json"),
            60002,
        ),
        (
            format!(
                "sdkappid={app}&identifier={id}&usersig={sig}&random=4294967296&contenttype=json"
            ),
            60002,
        ),
        (
            format!("sdkappid={app}&identifier={id}&usersig={sig}&random=1"),
            60002,
        ),
        (
            format!("sdkappid={app}&identifier={id}&usersig={sig}&random=1&contenttype=xml"),
            60002,
        ),
        (
            format!("sdkappid={app}&identifier={id}&usersig=&random=1&contenttype=json"),
            70002,
        ),
        (
            format!("sdkappid={app}&identifier={id}&usersig=garbage&random=1&contenttype=json"),
            70003,
        ),
        (
            format!("sdkappid={app}&identifier=other&usersig={sig}&random=1&contenttype=json"),
            70013,
        ),
    ];
    let body = r#"{"CheckItem":[{"UserID":"alice"}]}"#;
    for (query, code) in cases {
        let reply = post_json(&em, CHECK, &query, body).await;
        if code == 0 {
            assert_eq!(reply["ActionStatus"], "OK", "{reply}");
        } else {
            assert_eq!(fail_code(&reply), code, "{query}: {reply}");
        }
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_still_answer_json() {
    let em = emulator(EmulatorConfig::default()).await;
    let query = good_query(&em);
    for (method, path, code) in [
        (Method::POST, "v4/sns/friend_nope", 60009),
        (Method::POST, "", 60009),
        (Method::GET, "v4/sns/nothing/here", 60009),
        (Method::GET, IMPORT, 60002),
        (Method::PUT, IMPORT, 60002),
    ] {
        let (status, text) = raw(&em, method.clone(), &format!("{path}?{query}"), "{}").await;
        assert_eq!(status, 200, "{method} {path}: {text}");
        let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(fail_code(&reply), code, "{method} {path}");
    }
    let stats = em.stats();
    assert_eq!(stats.requests, 5);
    assert_eq!(stats.by_path[IMPORT], 2);
    assert_eq!(stats.by_path["v4/sns/friend_nope"], 1);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_60003() {
    let em = emulator(EmulatorConfig::default()).await;
    let query = good_query(&em);
    for body in ["", "{\"From_Account\":", "not json", "{\"a\":1} trailing"] {
        let reply = post_json(&em, IMPORT, &query, body).await;
        assert_eq!(fail_code(&reply), 60003, "{body:?}: {reply}");
    }
}

#[tokio::test]
async fn bad_parameters_name_the_field() {
    let em = emulator(EmulatorConfig::default()).await;
    let query = good_query(&em);
    let cases = [
        // Breaks a schema rule: the first violation is named.
        (
            IMPORT,
            r#"{"From_Account":"a","AddFriendItem":[{"To_Account":"b","AddSource":"Android"}]}"#,
            30001,
            "AddFriendItem[0].AddSource",
        ),
        (
            IMPORT,
            r#"{"From_Account":"a","AddFriendItem":[]}"#,
            30001,
            "AddFriendItem",
        ),
        // An integer out of its schema bounds (1 to 1000), either way.
        (
            "v4/sns/black_list_get",
            r#"{"From_Account":"a","StartIndex":0,"MaxLimited":0,"LastSequence":0}"#,
            30001,
            "MaxLimited must be at least 1 (found 0)",
        ),
        (
            "v4/sns/black_list_get",
            r#"{"From_Account":"a","StartIndex":0,"MaxLimited":1001,"LastSequence":0}"#,
            30001,
            "MaxLimited must be at most 1000 (found 1001)",
        ),
        // Does not fit the request type.
        (IMPORT, r#"{"AddFriendItem":[]}"#, 30001, "From_Account"),
        (
            IMPORT,
            r#"{"From_Account":"a","AddFriendItem":[{"To_Account":5,"AddSource":"AddSource_Type_A"}]}"#,
            30001,
            "AddFriendItem[0].To_Account",
        ),
        (
            "v4/sns/friend_check",
            r#"{"From_Account":"a","To_Account":["b"]}"#,
            30001,
            "CheckType",
        ),
        // The account endpoints answer 70402.
        (
            "v4/im_open_login_svc/account_import",
            r#"{"UserID":""}"#,
            70402,
            "UserID",
        ),
        (
            "v4/im_open_login_svc/account_import",
            r#"{"Nick":"x"}"#,
            70402,
            "UserID",
        ),
        (CHECK, r#"[1,2]"#, 70402, ""),
    ];
    for (path, body, code, field) in cases {
        let reply = post_json(&em, path, &query, body).await;
        assert_eq!(fail_code(&reply), code, "{body}: {reply}");
        let info = reply["ErrorInfo"].as_str().unwrap();
        assert!(
            info.contains(field),
            "{body}: ErrorInfo {info:?} should name {field}"
        );
    }
}

#[tokio::test]
async fn a_burst_over_the_rate_limit_is_60007() {
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    let req = check_request();
    let calls = (0..300).map(|_| {
        let client = client.clone();
        let req = req.clone();
        tokio::spawn(async move { client.account_check(&req).await })
    });
    let mut limited = 0;
    for call in calls.collect::<Vec<_>>() {
        match call.await.unwrap() {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.code(), Some(60007), "{e}");
                limited += 1;
            }
        }
    }
    assert!(limited > 0, "300 calls at once exceed 100/s");
    let stats = em.stats();
    assert_eq!(stats.rate_limited, limited);
    let max = stats.max_per_second[CHECK];
    assert!((1..=100).contains(&max), "max per second {max}");
}

#[tokio::test]
async fn limits_can_be_measured_without_enforcing_them() {
    let em = emulator(EmulatorConfig {
        enforce_rate_limits: false,
        ..EmulatorConfig::default()
    })
    .await;
    let client = client(&em);
    let req = check_request();
    let calls: Vec<_> = (0..150)
        .map(|_| {
            let client = client.clone();
            let req = req.clone();
            tokio::spawn(async move { client.account_check(&req).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("no limit enforced");
    }
    let stats = em.stats();
    assert_eq!(stats.rate_limited, 0);
    assert!(stats.max_per_second[CHECK] >= 1);
    assert_eq!(stats.by_path[CHECK], 150);
}

#[tokio::test]
async fn latency_delays_every_reply() {
    let em = emulator(EmulatorConfig {
        latency: Duration::from_millis(150),
        ..EmulatorConfig::default()
    })
    .await;
    let started = std::time::Instant::now();
    client(&em).account_check(&check_request()).await.unwrap();
    let reply = post_json(&em, "v4/nope", "", "{}").await;
    assert_eq!(fail_code(&reply), 60009);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_command_it_does_not_emulate_says_so_and_does_nothing() {
    use tim_rest::all_member_push::im_push;
    use tim_rest::types::MsgElem;
    let em = emulator(EmulatorConfig::default()).await;
    let err = client(&em)
        .im_push(&im_push::Request::new(1, [MsgElem::text("hi")]))
        .await
        .unwrap_err();
    match err {
        tim_rest::Error::Api { error, info, .. } => {
            assert_eq!(
                tim_rest::ApiError::code(&error),
                tim_rest_emulator::NOT_EMULATED
            );
            assert!(
                info.starts_with("not emulated: /v4/all_member_push/im_push"),
                "{info}"
            );
        }
        other => panic!("expected the not-emulated answer, got {other:?}"),
    }
    // The gateway still checks the caller first.
    let (_, text) = raw(
        &em,
        Method::POST,
        "v4/all_member_push/im_push?sdkappid=1",
        "{}",
    )
    .await;
    let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_ne!(fail_code(&reply), tim_rest_emulator::NOT_EMULATED);
    em.shutdown().await.unwrap();
}

#[tokio::test]
async fn multiaccount_import_takes_the_older_userid_only_form_too() {
    use tim_rest::im_open_login_svc::multiaccount_import;
    let em = emulator(EmulatorConfig::default()).await;
    client(&em)
        .multiaccount_import(&multiaccount_import::Request::new().accounts(["old1", "old2"]))
        .await
        .unwrap();
    let accounts = em.snapshot().accounts;
    assert!(accounts.contains("old1") && accounts.contains("old2"));
    em.shutdown().await.unwrap();
}

#[tokio::test]
async fn global_mute_is_set_read_back_and_lifted() {
    use tim_rest::im_open_login_svc::account_import;
    use tim_rest::openconfigsvr::{getnospeaking, setnospeaking};
    use tim_rest::types::NoSpeakingTime;
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    client
        .account_import(&account_import::Request::new("loud"))
        .await
        .unwrap();
    client
        .setnospeaking(
            &setnospeaking::Request::new("loud")
                .c2c_msg_nospeaking_time(NoSpeakingTime::FOREVER)
                .group_msg_nospeaking_time(NoSpeakingTime(3600)),
        )
        .await
        .unwrap();
    let muted = client
        .getnospeaking(&getnospeaking::Request::new("loud"))
        .await
        .unwrap();
    assert_eq!(muted.c2c_msg_nospeaking_time, NoSpeakingTime::FOREVER);
    assert!((3590..=3600).contains(&muted.group_msg_nospeaking_time.0));
    client
        .setnospeaking(
            &setnospeaking::Request::new("loud").c2c_msg_nospeaking_time(NoSpeakingTime::UNMUTED),
        )
        .await
        .unwrap();
    let lifted = client
        .getnospeaking(&getnospeaking::Request::new("loud"))
        .await
        .unwrap();
    assert_eq!(lifted.c2c_msg_nospeaking_time, NoSpeakingTime::UNMUTED);
    assert_ne!(lifted.group_msg_nospeaking_time, NoSpeakingTime::UNMUTED);

    // Neither period, or an account never imported: the documented codes.
    for (request, code) in [
        (setnospeaking::Request::new("loud"), 130008),
        (
            setnospeaking::Request::new("ghost").c2c_msg_nospeaking_time(NoSpeakingTime(1)),
            130005,
        ),
    ] {
        match client.setnospeaking(&request).await.unwrap_err() {
            tim_rest::Error::Api { error, .. } => {
                assert_eq!(tim_rest::ApiError::code(&error), code)
            }
            other => panic!("expected {code}, got {other:?}"),
        }
    }
    em.shutdown().await.unwrap();
}

#[tokio::test]
async fn kick_answers_for_an_imported_account_and_70107_otherwise() {
    use tim_rest::im_open_login_svc::{account_import, kick};
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    client
        .account_import(&account_import::Request::new("here"))
        .await
        .unwrap();
    client.kick(&kick::Request::new("here")).await.unwrap();
    match client.kick(&kick::Request::new("ghost")).await.unwrap_err() {
        tim_rest::Error::Api { error, .. } => assert_eq!(tim_rest::ApiError::code(&error), 70107),
        other => panic!("expected 70107, got {other:?}"),
    }
    em.shutdown().await.unwrap();
}

#[tokio::test]
async fn profiles_are_set_and_read_back_tag_by_tag() {
    use tim_rest::im_open_login_svc::account_import;
    use tim_rest::profile::{portrait_get, portrait_set};
    use tim_rest::types::{ProfileGender, ProfileItem};
    let em = emulator(EmulatorConfig::default()).await;
    let client = client(&em);
    client
        .account_import(&account_import::Request::new("ann").nick("Ann"))
        .await
        .unwrap();
    client
        .portrait_set(&portrait_set::Request::new(
            "ann",
            [
                ProfileItem::gender(ProfileGender::Female),
                ProfileItem::level(7),
                ProfileItem::custom("Tag_Profile_Custom_Hobby", "chess"),
            ],
        ))
        .await
        .unwrap();
    let tags = [
        "Tag_Profile_Custom_Hobby",
        "Tag_Profile_IM_Nick",
        "Tag_Profile_IM_Gender",
        "Tag_Profile_IM_Level",
        "Tag_Profile_IM_SelfSignature",
    ];
    let reply = client
        .portrait_get(&portrait_get::Request::new(["ann", "ghost"], tags))
        .await
        .unwrap();
    let ann = &reply.user_profile_item[0];
    assert_eq!(ann.result(), Ok(()));
    assert_eq!(
        ann.profile_item.as_deref().unwrap(),
        [
            ProfileItem::custom("Tag_Profile_Custom_Hobby", "chess"),
            ProfileItem::nick("Ann"),
            ProfileItem::gender(ProfileGender::Female),
            ProfileItem::level(7),
        ]
    );
    assert_eq!(reply.user_profile_item[1].result_code, 40003);
    assert_eq!(reply.fail_account, ["ghost"]);
    match client
        .portrait_set(&portrait_set::Request::new(
            "ghost",
            [ProfileItem::nick("x")],
        ))
        .await
        .unwrap_err()
    {
        tim_rest::Error::Api { error, .. } => assert_eq!(tim_rest::ApiError::code(&error), 40003),
        other => panic!("expected 40003, got {other:?}"),
    }
    em.shutdown().await.unwrap();
}
