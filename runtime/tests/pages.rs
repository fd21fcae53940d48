//! `Client::pages`: every page in order, stopping on the completion signal, with guards
//! against a service that never completes.

mod support;

use serde::{Deserialize, Serialize};
use serde_json::json;
use support::{ImportError, ADMIN, KEY, SDKAPPID};
use tim_rest_runtime::transport::HttpResponse;
use tim_rest_runtime::validate::Path;
use tim_rest_runtime::{
    ActionStatus, BatchField, Client, Endpoint, Envelope, Error, FakeTransport, Paginated,
    PaginationStop, RateLimit, Validate, Violation,
};

/// A paged read shaped like friend_get: StartIndex in, NextStartIndex and CompleteFlag out.
struct List;

#[derive(Debug, Clone, PartialEq, Serialize)]
struct ListRequest {
    #[serde(rename = "StartIndex")]
    start_index: u64,
}

impl Validate for ListRequest {
    fn validate_at(&self, _: &Path<'_>, _: &mut Vec<Violation>) {}
}

#[derive(Debug, Deserialize)]
struct ListResponse {
    #[serde(rename = "Items")]
    items: Vec<u64>,
    #[serde(rename = "NextStartIndex")]
    next_start_index: u64,
    #[serde(rename = "CompleteFlag")]
    complete_flag: u64,
    #[serde(rename = "ActionStatus")]
    action_status: ActionStatus,
    #[serde(rename = "ErrorCode", default)]
    error_code: i64,
}

impl Envelope for ListResponse {
    fn action_status(&self) -> &ActionStatus {
        &self.action_status
    }
    fn error_code(&self) -> i64 {
        self.error_code
    }
    fn error_info(&self) -> &str {
        ""
    }
    fn error_display(&self) -> &str {
        ""
    }
}

impl Endpoint for List {
    const PATH: &'static str = "v4/sns/friend_get";
    const RATE_LIMIT: Option<RateLimit> = None;
    const BATCH: Option<BatchField> = None;
    type Request = ListRequest;
    type Response = ListResponse;
    type Error = ImportError;
}

impl Paginated for List {
    fn next_request(request: &ListRequest, response: &ListResponse) -> Option<ListRequest> {
        if response.complete_flag != 0 {
            return None;
        }
        let mut next = request.clone();
        next.start_index = response.next_start_index;
        Some(next)
    }
}

fn client(fake: &FakeTransport) -> Client {
    Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .base_url("https://console.tim.qq.com")
        .transport(fake.clone())
        .build()
        .unwrap()
}

/// A service holding `total` items, `page` per reply; `stuck` replies never advance.
fn service(total: u64, page: u64, stuck: bool) -> FakeTransport {
    FakeTransport::with_handler(move |req| {
        let start = req.body_json().unwrap()["StartIndex"].as_u64().unwrap();
        let end = (start + page).min(total);
        let next = if stuck { start } else { end };
        Ok(HttpResponse::json(&json!({
            "Items": (start..end).collect::<Vec<_>>(),
            "NextStartIndex": next,
            "CompleteFlag": u64::from(end == total),
            "ActionStatus": "OK",
            "ErrorCode": 0,
        })))
    })
}

#[tokio::test]
async fn walks_every_page_and_stops_on_the_completion_flag() {
    let fake = service(10, 3, false);
    let pages = client(&fake)
        .pages::<List>(ListRequest { start_index: 0 })
        .collect_all()
        .await
        .unwrap();
    let items: Vec<u64> = pages.iter().flat_map(|p| p.items.clone()).collect();
    assert_eq!(items, (0..10).collect::<Vec<_>>());
    assert_eq!(pages.len(), 4);
    let starts: Vec<u64> = fake
        .requests()
        .iter()
        .map(|r| r.body_json().unwrap()["StartIndex"].as_u64().unwrap())
        .collect();
    assert_eq!(starts, [0, 3, 6, 9]);
}

#[tokio::test]
async fn a_cursor_that_never_moves_stops_the_stream() {
    let fake = service(10, 3, true);
    let mut pages = client(&fake).pages::<List>(ListRequest { start_index: 0 });
    assert!(pages.next_page().await.unwrap().is_ok());
    match pages.next_page().await {
        Some(Err(Error::Pagination {
            pages: 1,
            reason: PaginationStop::Stalled,
        })) => {}
        other => panic!("expected a stalled-pagination error, got {other:?}"),
    }
    assert!(pages.next_page().await.is_none());
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn the_page_limit_bounds_a_runaway_listing() {
    let fake = service(1_000_000, 1, false);
    let result = client(&fake)
        .pages::<List>(ListRequest { start_index: 0 })
        .max_pages(5)
        .collect_all()
        .await;
    assert!(
        matches!(
            result,
            Err(Error::Pagination {
                pages: 5,
                reason: PaginationStop::TooManyPages
            })
        ),
        "{result:?}"
    );
    assert_eq!(fake.request_count(), 5);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_it_is_reported() {
    let fake = FakeTransport::new();
    fake.push_json(json!({"ActionStatus": "FAIL", "ErrorCode": 30001, "ErrorInfo": "bad"}));
    let mut pages = client(&fake).pages::<List>(ListRequest { start_index: 0 });
    assert!(matches!(
        pages.next_page().await,
        Some(Err(Error::Api { .. }))
    ));
    assert!(pages.next_page().await.is_none());
}
