//! Group history: 300 `v4/group_open_http_svc/import_group_msg` requests of 7 messages each
//! (the most one request may carry: CN 269/1635 "一次最多导入7条"), bodies of mixed element
//! kinds, through the generated types against hand-written serde structs; and `validate()`
//! (the 8000-byte body rule on every message included) against serialization.
//!
//! Run: `cargo bench --bench group_msg -- --warm-up-time 1 --measurement-time 3`
//! (results: BENCHMARKS.md).
//!
//! Before measuring, the bench checks that both sides write the same bytes and that the
//! generated types read back what they wrote, and counts the allocations of `validate()` on
//! the valid payload (must be 0, or it panics).

mod common;
mod messages;

use std::hint::black_box;

use common::{allocations_of, paired, ser, CountingAlloc};
use criterion::{Criterion, Throughput};
use messages::body;
use tim_rest::group_open_http_svc::import_group_msg;
use tim_rest::types::GroupImportMsgItem;
use tim_rest::Validate;

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

const REQUESTS: usize = 300;
/// Messages per request: the documented maximum.
const PER_REQUEST: usize = 7;

mod handwritten {
    use serde::{Deserialize, Serialize};

    pub use crate::messages::handwritten::MsgElem;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Request {
        #[serde(rename = "GroupId")]
        pub group_id: String,
        #[serde(
            rename = "RecentContactFlag",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub recent_contact_flag: Option<i64>,
        #[serde(rename = "MsgList")]
        pub msg_list: Vec<Message>,
        #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
        pub topic_id: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Message {
        #[serde(rename = "From_Account")]
        pub from_account: String,
        #[serde(rename = "SendTime")]
        pub send_time: u64,
        #[serde(rename = "Random", default, skip_serializing_if = "Option::is_none")]
        pub random: Option<u32>,
        #[serde(rename = "MsgBody")]
        pub msg_body: Vec<MsgElem>,
    }
}

fn generated() -> Vec<import_group_msg::Request> {
    (0..REQUESTS)
        .map(|r| {
            let messages = (0..PER_REQUEST).map(|m| {
                let i = r * PER_REQUEST + m;
                GroupImportMsgItem::new(
                    format!("user{}", i % 50),
                    1_600_000_000 + i as u64,
                    body(i),
                )
                .random((i as u32).wrapping_mul(2_654_435_761))
            });
            import_group_msg::Request::new(format!("@TGS#2group{}", r % 40), messages)
        })
        .collect()
}

struct Inputs {
    generated: Vec<import_group_msg::Request>,
    handwritten: Vec<handwritten::Request>,
    json: Vec<u8>,
}

fn inputs() -> Inputs {
    let generated = generated();
    let json = serde_json::to_vec(&generated).unwrap();
    let handwritten: Vec<handwritten::Request> = serde_json::from_slice(&json).unwrap();
    assert!(
        serde_json::to_vec(&handwritten).unwrap() == json,
        "the hand-written types must write the same bytes"
    );
    let again: Vec<import_group_msg::Request> = serde_json::from_slice(&json).unwrap();
    assert!(
        again == generated,
        "the generated types must read back what they wrote"
    );
    Inputs {
        generated,
        handwritten,
        json,
    }
}

fn main() {
    let inputs = inputs();
    println!(
        "payload: {REQUESTS} import_group_msg requests of {PER_REQUEST} messages, {} bytes of JSON",
        inputs.json.len()
    );
    let (valid, count) = allocations_of(|| inputs.generated.iter().all(|r| r.validate().is_ok()));
    assert!(valid, "the payload must be valid");
    assert_eq!(
        count, 0,
        "validate() of a valid payload allocated {count} times"
    );
    println!("validate() of the valid payload: {count} allocations");

    if !std::env::args().any(|a| a == "--list" || a == "--test") {
        let budget = std::time::Duration::from_millis(1500);
        let buf = std::cell::RefCell::new(Vec::with_capacity(inputs.json.len() * 2));
        let json = inputs.json.as_slice();
        println!("interleaved A/B (median µs of A vs B, median of per-round B/A with 95% CI):");
        println!("  generated (A) vs hand-written (B): ratio = generated speed / hand-written speed, target >= 0.98");
        paired(
            "group_msg/serialize",
            budget,
            || ser(&mut buf.borrow_mut(), &inputs.generated),
            || ser(&mut buf.borrow_mut(), &inputs.handwritten),
        );
        paired(
            "group_msg/deserialize",
            budget,
            || serde_json::from_slice::<Vec<import_group_msg::Request>>(black_box(json)).unwrap(),
            || serde_json::from_slice::<Vec<handwritten::Request>>(black_box(json)).unwrap(),
        );
        println!("  serialize (A) vs validate (B): ratio = validate time / serialize time, target <= 0.25");
        paired(
            "group_msg/validate_vs_serialize",
            budget,
            || ser(&mut buf.borrow_mut(), &inputs.generated),
            || {
                inputs
                    .generated
                    .iter()
                    .all(|r| black_box(r).validate().is_ok())
            },
        );
    }

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("group_msg");
    group.throughput(Throughput::Bytes(inputs.json.len() as u64));
    let mut buf = Vec::with_capacity(inputs.json.len() * 2);
    group.bench_function("serialize/generated", |b| {
        b.iter(|| ser(&mut buf, &inputs.generated))
    });
    group.bench_function("deserialize/generated", |b| {
        b.iter(|| {
            serde_json::from_slice::<Vec<import_group_msg::Request>>(black_box(&inputs.json))
                .unwrap()
        })
    });
    group.bench_function("validate", |b| {
        b.iter(|| {
            inputs
                .generated
                .iter()
                .all(|r| black_box(r).validate().is_ok())
        })
    });
    group.finish();
    c.final_summary();
}
