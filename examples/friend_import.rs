//! The main job on an embedded default: build and validate a friend_import request, send it
//! through the full client (validate, sign, send, decode) to an in-process stand-in for the
//! service, and read the per-item results. No credentials, no network.
//!
//! Run it with `cargo run --example friend_import`.

use std::time::{Duration, SystemTime};

use tim_rest::sns::friend_import::{self, AddFriendItem, CustomItem, FriendImport, ResultItem};
use tim_rest::transport::FakeTransport;
use tim_rest::transport::{HttpRequest, HttpResponse};
use tim_rest::{ApiError, Client, Endpoint, Validate};

/// The sample key of Tencent's UserSig libraries: fine for a demo, never for an app.
const DEMO_KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const SDKAPPID: u64 = 1400000000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A request as a user writes it.
    let req = friend_import::Request::new(
        "alice",
        vec![
            AddFriendItem::new("bob", "AddSource_Type_Android")
                .remark("Bobby")
                .group_name(["朋友"])
                .custom_item([CustomItem::new("Tag_SNS_Custom_Level", 3u64)]),
            AddFriendItem::new("carol", "AddSource_Type_Web").add_time(1_420_000_001),
            AddFriendItem::new("mallory", "AddSource_Type_Web"),
        ],
    );
    req.validate()?;
    println!(
        "request for {}:\n{}\n",
        FriendImport::PATH,
        serde_json::to_string_pretty(&req)?
    );

    // 2. An invalid one is reported field by field, and would never be sent.
    let bad = friend_import::Request::new(
        "",
        [AddFriendItem::new("dave", "Android").remark("r".repeat(100))],
    );
    if let Err(e) = bad.validate() {
        println!("{e}\n");
    }

    // 3. The client, pointed at a stand-in that checks the UserSig and answers like the service.
    let service = FakeTransport::with_handler(answer_like_the_service);
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin("administrator")
        .secret_key(DEMO_KEY)
        .base_url("https://console.tim.qq.com")
        .transport(service.clone())
        .build()?;
    let resp = client.friend_import(&req).await?;
    println!(
        "sent {} request(s); {} of {} friends imported",
        service.request_count(),
        resp.result_item
            .iter()
            .filter(|i| i.result().is_ok())
            .count(),
        resp.result_item.len()
    );
    for item in &resp.result_item {
        match item.result() {
            Ok(outcome) => println!("  {}: {outcome:?}", item.to_account),
            Err(e) => println!(
                "  {}: {e} [{}; retryable: {}]",
                item.to_account,
                e.message_zh(),
                e.is_retryable()
            ),
        }
    }

    // 4. The replies documented in the spec decode too.
    for example in FriendImport::RESPONSE_EXAMPLES {
        let decoded: friend_import::Response = serde_json::from_str(example.json)?;
        println!(
            "documented reply `{}`: {} item(s), ActionStatus {}",
            example.name,
            decoded.result_item.len(),
            decoded.action_status
        );
    }
    Ok(())
}

/// Verifies the UserSig in the query, then imports everyone but `mallory`, whose friend list
/// is full (30010), as the service reports a partial failure: ActionStatus OK, per-item codes.
fn answer_like_the_service(
    http: &HttpRequest,
) -> Result<HttpResponse, tim_rest::transport::TransportError> {
    let sig = http.query_param("usersig").unwrap_or_default();
    let admin = http.query_param("identifier").unwrap_or_default();
    if let Err(e) = tim_rest::usersig::verify_at(
        SDKAPPID,
        DEMO_KEY,
        &admin,
        &sig,
        SystemTime::now() + Duration::from_secs(1),
    ) {
        let code = e.service_code();
        return Ok(HttpResponse::json(
            &serde_json::json!({"ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": e.to_string()}),
        ));
    }
    let req: friend_import::Request =
        serde_json::from_slice(&http.body).expect("the client sends valid JSON");
    let items: Vec<ResultItem> = req
        .add_friend_item
        .iter()
        .map(|item| {
            let code = if item.to_account == "mallory" {
                friend_import::Error::FriendLimitReached.code()
            } else {
                0
            };
            ResultItem::new(item.to_account.clone(), code)
        })
        .collect();
    let failed: Vec<String> = items
        .iter()
        .filter(|i| i.result_code != 0)
        .map(|i| i.to_account.clone())
        .collect();
    let reply = friend_import::Response::new(items).fail_account(failed);
    Ok(HttpResponse::json(
        &serde_json::to_value(reply).expect("replies serialize"),
    ))
}
