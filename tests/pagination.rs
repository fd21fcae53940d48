//! Paged reads with the generated friend_get and black_list_get types: the client walks every
//! page, following the schema's cursor and completion signal.

use serde_json::json;
use tim_rest::sns::{black_list_get, friend_get};
use tim_rest::transport::HttpResponse;
use tim_rest::{Client, FakeTransport};

fn client(fake: &FakeTransport) -> Client {
    Client::builder()
        .sdkappid(1400000000)
        .admin("administrator")
        .usersig("a-usersig-signed-elsewhere")
        .base_url("https://console.tim.qq.com")
        .transport(fake.clone())
        .build()
        .unwrap()
}

/// A friend list of `total` friends served `page` at a time, as friend_get does.
fn friend_list(total: u64, page: u64) -> FakeTransport {
    FakeTransport::with_handler(move |req| {
        let start = req.body_json().unwrap()["StartIndex"].as_u64().unwrap();
        let end = (start + page).min(total);
        let items: Vec<_> = (start..end)
            .map(|i| json!({"To_Account": format!("f{i}"), "ValueItem": [{"Tag": "Tag_SNS_IM_Group", "Value": ["朋友"]}]}))
            .collect();
        Ok(HttpResponse::json(&json!({
            "UserDataItem": items,
            "StandardSequence": 7, "CustomSequence": 3, "FriendNum": total,
            "CompleteFlag": u64::from(end == total),
            "NextStartIndex": end,
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ErrorDisplay": ""
        })))
    })
}

#[tokio::test]
async fn friend_get_pages_walk_the_whole_list() {
    let fake = friend_list(250, 100);
    let first = friend_get::Request::new("alice", 0);
    let pages = client(&fake)
        .friend_get_pages(first)
        .collect_all()
        .await
        .unwrap();
    let friends: Vec<&str> = pages
        .iter()
        .flat_map(|p| &p.user_data_item)
        .map(|f| f.to_account.as_str())
        .collect();
    assert_eq!(friends.len(), 250);
    assert_eq!(friends[0], "f0");
    assert_eq!(friends[249], "f249");
    let starts: Vec<u64> = fake
        .requests()
        .iter()
        .map(|r| r.body_json().unwrap()["StartIndex"].as_u64().unwrap())
        .collect();
    assert_eq!(starts, [0, 100, 200]);
    // Every page is asked for by the same account with the first request's other fields.
    assert!(fake
        .requests()
        .iter()
        .all(|r| r.body_json().unwrap()["From_Account"] == "alice"));
    let group = &pages[0].user_data_item[0].value_item[0].value;
    assert_eq!(group.as_strings(), Some(&["朋友".to_owned()][..]));
}

#[tokio::test]
async fn a_friend_list_that_never_completes_is_cut_off() {
    // A service that always says "more" but hands back the same cursor.
    let fake = FakeTransport::with_handler(|_| {
        Ok(HttpResponse::json(&json!({
            "UserDataItem": [], "CompleteFlag": 0, "NextStartIndex": 0,
            "ActionStatus": "OK", "ErrorCode": 0
        })))
    });
    let result = client(&fake)
        .friend_get_pages(friend_get::Request::new("alice", 0))
        .collect_all()
        .await;
    assert!(
        matches!(
            result,
            Err(tim_rest::Error::Pagination {
                pages: 1,
                reason: tim_rest::PaginationStop::Stalled
            })
        ),
        "{result:?}"
    );
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn black_list_get_stops_when_the_next_start_index_is_zero() {
    let fake = FakeTransport::with_handler(|req| {
        let start = req.body_json().unwrap()["StartIndex"].as_u64().unwrap();
        let next = if start >= 4 { 0 } else { start + 2 };
        let items: Vec<_> = (start..start + 2)
            .map(|i| json!({"To_Account": format!("b{i}"), "AddBlackTimeStamp": 1_700_000_000 + i}))
            .collect();
        Ok(HttpResponse::json(&json!({
            "BlackListItem": items, "StartIndex": next, "CurrentSequence": 9,
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ErrorDisplay": ""
        })))
    });
    let first = black_list_get::Request::new("alice", 0, 2, 0);
    let mut pages = client(&fake).black_list_get_pages(first);
    let mut blocked = Vec::new();
    while let Some(page) = pages.next_page().await {
        blocked.extend(
            page.unwrap()
                .black_list_item
                .into_iter()
                .map(|b| b.to_account),
        );
    }
    assert_eq!(blocked, ["b0", "b1", "b2", "b3", "b4", "b5"]);
    assert_eq!(pages.pages_fetched(), 3);
}
