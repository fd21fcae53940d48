use tim_rest::{ApiError, Client, Endpoint, FakeTransport, RetryClass, Rule, Validate};
use tim_rest_downstream_example::query_online_status::{self, OnlineStatus};
use tim_rest_downstream_example::{Invitation, InvitationError, QueryOnlineStatus};

#[test]
fn the_derived_endpoint_comes_from_the_crates_own_schema() {
    assert_eq!(QueryOnlineStatus::PATH, "v4/openim/query_online_status");
    assert_eq!(QueryOnlineStatus::BATCH.unwrap().max_items, 500);
    for example in QueryOnlineStatus::REQUEST_EXAMPLES {
        let req: query_online_status::Request = serde_json::from_str(example.json).unwrap();
        assert_eq!(req.validate(), Ok(()));
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::from_str::<serde_json::Value>(example.json).unwrap()
        );
    }
    let resp: query_online_status::Response =
        serde_json::from_str(QueryOnlineStatus::RESPONSE_EXAMPLES[0].json).unwrap();
    assert_eq!(resp.query_result[1].status, OnlineStatus::Online);
    assert_eq!(
        resp.error_list[0].result(),
        Err(query_online_status::Error::Common(
            tim_rest::CommonError::AccountNotImported
        ))
    );
    // The derived endpoint nests the one catalog of the tim-rest crate.
    assert_eq!(
        resp.error_list[0].result().unwrap_err().common(),
        Some(tim_rest::CommonError::AccountNotImported)
    );
    let odd: OnlineStatus = serde_json::from_str("\"Busy\"").unwrap();
    assert_eq!(odd, OnlineStatus::Other("Busy".into()));
}

#[tokio::test]
async fn the_derived_endpoint_is_callable() {
    let fake = FakeTransport::new();
    fake.push_json(serde_json::from_str(QueryOnlineStatus::RESPONSE_EXAMPLES[0].json).unwrap());
    let client = Client::builder()
        .sdkappid(1400000000)
        .admin("administrator")
        .usersig("a-usersig-signed-elsewhere")
        .base_url("https://console.tim.qq.com")
        .transport(fake.clone())
        .build()
        .unwrap();
    let req = query_online_status::Request::new(["id1", "id2", "id4"]).is_need_detail(1);
    let resp = client.call::<QueryOnlineStatus>(&req).await.unwrap();
    assert_eq!(resp.query_result.len(), 2);
    let sent = fake.last_request().unwrap();
    assert_eq!(sent.path(), "/v4/openim/query_online_status");
    let too_many = query_online_status::Request::new((0..501).map(|i| format!("u{i}")));
    assert!(matches!(
        client.call::<QueryOnlineStatus>(&too_many).await,
        Err(tim_rest::Error::InvalidRequest(_))
    ));
}

#[test]
fn hand_written_types_use_the_same_derives() {
    let ok = Invitation {
        account: "bob-1".into(),
        source: "AddSource_Type_Web".into(),
        tags: Some(vec!["a".into()]),
    };
    assert_eq!(ok.validate(), Ok(()));
    let bad = Invitation {
        account: "bob 1".into(),
        source: "Web".into(),
        tags: Some(vec!["".into(); 5]),
    };
    let rules: Vec<(String, Rule)> = bad
        .validate()
        .unwrap_err()
        .into_violations()
        .into_iter()
        .map(|v| (v.path, v.rule))
        .collect();
    let paths: Vec<&str> = rules.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["account", "source", "tags", "tags[0]", "tags[1]", "tags[2]", "tags[3]", "tags[4]"]
    );
    assert_eq!(rules[2].1, Rule::MaxItems(4));

    assert_eq!(InvitationError::from_code(91002), InvitationError::Busy);
    assert_eq!(InvitationError::Busy.retry_class(), RetryClass::Transient);
    assert_eq!(
        InvitationError::Busy.message_zh(),
        "the invitation store was busy"
    );
    assert_eq!(InvitationError::from_code(1).code(), 1);
    assert_eq!(
        InvitationError::Expired.to_string(),
        "error 91001: the invitation expired"
    );
}
