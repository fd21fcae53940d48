//! The emulator in process (`InProcess`): the server's pipeline without a socket, as the fuzz
//! target drives it.

use tim_rest::usersig::{self, SecretKey, DEFAULT_VALIDITY};
use tim_rest_emulator::{Answer, EmulatorConfig, InProcess};

fn json(answer: Answer) -> serde_json::Value {
    match answer {
        Answer::Json(body) => serde_json::from_slice(&body).unwrap(),
        other => panic!("not a JSON answer: {other:?}"),
    }
}

fn signed_query(emulator: &InProcess) -> String {
    let sig = usersig::generate(
        emulator.sdkappid(),
        emulator.key(),
        emulator.admin(),
        DEFAULT_VALIDITY,
    )
    .unwrap();
    format!(
        "sdkappid={}&identifier={}&usersig={}&random=1&contenttype=json",
        emulator.sdkappid(),
        emulator.admin(),
        sig.expose_secret()
    )
}

#[tokio::test]
async fn requests_take_the_servers_path() {
    let emulator = InProcess::new(EmulatorConfig::default()).unwrap();
    let query = signed_query(&emulator);
    let imported = emulator
        .handle(
            "POST",
            &format!("/v4/im_open_login_svc/account_import?{query}"),
            br#"{"UserID":"alice"}"#.to_vec(),
        )
        .await;
    assert_eq!(json(imported)["ActionStatus"], "OK");
    let checked = json(
        emulator
            .handle(
                "POST",
                &format!("/v4/im_open_login_svc/account_check?{query}"),
                br#"{"CheckItem":[{"UserID":"alice"}]}"#.to_vec(),
            )
            .await,
    );
    assert_eq!(checked["ResultItem"][0]["AccountStatus"], "Imported");
    // The gateway: an unknown path, another method, no UserSig.
    let unknown = json(emulator.handle("POST", "/v4/sns/nothing", Vec::new()).await);
    assert_eq!(unknown["ErrorCode"], 60009);
    let get = json(
        emulator
            .handle("GET", "/v4/im_open_login_svc/account_check", Vec::new())
            .await,
    );
    assert_eq!(get["ErrorCode"], 60002);
    let unsigned = json(
        emulator
            .handle(
                "POST",
                "/v4/im_open_login_svc/account_check?sdkappid=1400000000",
                Vec::new(),
            )
            .await,
    );
    assert_eq!(unsigned["ErrorCode"], 60002);
    assert_eq!(emulator.stats().requests, 5);
}

#[tokio::test]
async fn what_is_not_http_is_a_bad_request() {
    let emulator = InProcess::new(EmulatorConfig::default()).unwrap();
    for (method, target) in [
        ("POST", "/a b"),
        ("PO ST", "/v4/sns/friend_get"),
        ("POST", ""),
    ] {
        let answer = emulator.handle(method, target, Vec::new()).await;
        assert_eq!(answer, Answer::BadRequest, "{method} {target:?}");
    }
}

#[test]
fn a_state_file_or_a_bad_config_is_refused() {
    let with_file = EmulatorConfig {
        state_file: Some("state.json".into()),
        ..EmulatorConfig::default()
    };
    assert!(InProcess::new(with_file).is_err());
    let no_admin = EmulatorConfig {
        admin: String::new(),
        key: Some(SecretKey::new("k")),
        ..EmulatorConfig::default()
    };
    assert!(InProcess::new(no_admin).is_err());
}
