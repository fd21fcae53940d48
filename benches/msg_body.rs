//! Message bodies: 1000 `v4/openim/importmsg` requests, and the same bodies as 1000
//! `v4/openim/sendmsg` requests (half with offline push settings), (the shape a migration sends, mixed
//! element kinds) through the generated types against hand-written serde structs with an
//! adjacently tagged enum, which is what a careful person writes by hand for
//! `{ "MsgType": .., "MsgContent": .. }`; and `validate()` (the 8 KB body rule included)
//! against serialization.
//!
//! Run: `cargo bench --bench msg_body -- --warm-up-time 1 --measurement-time 3`
//! (results: BENCHMARKS.md).
//!
//! Before measuring, the bench checks that the generated and hand-written types write the
//! same bytes and read back the same values, and counts the allocations of `validate()` on the
//! valid payload (must be 0, or it panics). Each pair a target is about is then timed side by
//! side in alternation (`common::paired`).

mod common;
mod messages;

use std::hint::black_box;

use common::{allocations_of, paired, ser, CountingAlloc};
use criterion::{Criterion, Throughput};
use messages::body;
use tim_rest::openim::importmsg::{self, SyncFromOldSystem};
use tim_rest::openim::sendmsg;
use tim_rest::types::{AndroidInfo, ApnsInfo, BadgeMode, MsgElem, OfflinePushInfo, PushFlag};
use tim_rest::Validate;

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

const MESSAGES: usize = 1000;

// ---------------------------------------------------------------------------------------------
// Hand-written baseline
// ---------------------------------------------------------------------------------------------

mod handwritten {
    use serde::{Deserialize, Serialize};

    pub use crate::messages::handwritten::MsgElem;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Request {
        #[serde(rename = "SyncFromOldSystem")]
        pub sync_from_old_system: i64,
        #[serde(rename = "From_Account")]
        pub from_account: String,
        #[serde(rename = "To_Account")]
        pub to_account: String,
        #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
        pub msg_seq: Option<u32>,
        #[serde(rename = "MsgRandom")]
        pub msg_random: u32,
        #[serde(rename = "MsgTimeStamp")]
        pub msg_time_stamp: u64,
        #[serde(rename = "MsgBody")]
        pub msg_body: Vec<MsgElem>,
        #[serde(
            rename = "CloudCustomData",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub cloud_custom_data: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct SendRequest {
        #[serde(
            rename = "SyncOtherMachine",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub sync_other_machine: Option<i64>,
        #[serde(
            rename = "From_Account",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub from_account: Option<String>,
        #[serde(rename = "To_Account")]
        pub to_account: String,
        #[serde(
            rename = "MsgLifeTime",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub msg_life_time: Option<u32>,
        #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
        pub msg_seq: Option<u32>,
        #[serde(rename = "MsgRandom")]
        pub msg_random: u32,
        #[serde(
            rename = "MsgTimeStamp",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub msg_time_stamp: Option<u64>,
        #[serde(
            rename = "ForbidCallbackControl",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub forbid_callback_control: Option<Vec<String>>,
        #[serde(
            rename = "SendMsgControl",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub send_msg_control: Option<Vec<String>>,
        #[serde(rename = "MsgBody")]
        pub msg_body: Vec<MsgElem>,
        #[serde(
            rename = "CloudCustomData",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub cloud_custom_data: Option<String>,
        #[serde(
            rename = "SupportMessageExtension",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub support_message_extension: Option<u32>,
        #[serde(
            rename = "OfflinePushInfo",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub offline_push_info: Option<OfflinePushInfo>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct OfflinePushInfo {
        #[serde(rename = "PushFlag", default, skip_serializing_if = "Option::is_none")]
        pub push_flag: Option<i64>,
        #[serde(rename = "Title", default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        #[serde(rename = "Desc", default, skip_serializing_if = "Option::is_none")]
        pub desc: Option<String>,
        #[serde(rename = "Ext", default, skip_serializing_if = "Option::is_none")]
        pub ext: Option<String>,
        #[serde(
            rename = "AndroidInfo",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub android_info: Option<AndroidInfo>,
        #[serde(rename = "ApnsInfo", default, skip_serializing_if = "Option::is_none")]
        pub apns_info: Option<ApnsInfo>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AndroidInfo {
        #[serde(rename = "Sound", default, skip_serializing_if = "Option::is_none")]
        pub sound: Option<String>,
        #[serde(
            rename = "HuaWeiChannelID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub hua_wei_channel_id: Option<String>,
        #[serde(
            rename = "XiaoMiChannelID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub xiao_mi_channel_id: Option<String>,
        #[serde(
            rename = "OPPOChannelID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub oppo_channel_id: Option<String>,
        #[serde(
            rename = "GoogleChannelID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub google_channel_id: Option<String>,
        #[serde(
            rename = "VIVOClassification",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub vivo_classification: Option<i64>,
        #[serde(
            rename = "HuaWeiImportance",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub hua_wei_importance: Option<String>,
        #[serde(
            rename = "ExtAsHuaweiIntentParam",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub ext_as_huawei_intent_param: Option<i64>,
        #[serde(
            rename = "HuaWeiCategory",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub hua_wei_category: Option<String>,
        #[serde(
            rename = "OPPOCategory",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub oppo_category: Option<String>,
        #[serde(
            rename = "VIVOCategory",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub vivo_category: Option<String>,
        #[serde(
            rename = "HonorImportance",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub honor_importance: Option<String>,
        #[serde(
            rename = "MeiZuNoticeMsgType",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub mei_zu_notice_msg_type: Option<u32>,
        #[serde(
            rename = "OPPOPrivateMsgTemplateId",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub oppo_private_msg_template_id: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ApnsInfo {
        #[serde(rename = "Sound", default, skip_serializing_if = "Option::is_none")]
        pub sound: Option<String>,
        #[serde(rename = "BadgeMode", default, skip_serializing_if = "Option::is_none")]
        pub badge_mode: Option<i64>,
        #[serde(rename = "Title", default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        #[serde(rename = "SubTitle", default, skip_serializing_if = "Option::is_none")]
        pub sub_title: Option<String>,
        #[serde(rename = "Image", default, skip_serializing_if = "Option::is_none")]
        pub image: Option<String>,
        #[serde(
            rename = "MutableContent",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub mutable_content: Option<i64>,
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

fn generated() -> Vec<importmsg::Request> {
    (0..MESSAGES)
        .map(|i| {
            importmsg::Request::new(
                SyncFromOldSystem::from_wire(2),
                format!("user{}", i % 50),
                format!("user{}", (i + 1) % 50),
                (i as u32).wrapping_mul(2_654_435_761),
                1_700_000_000 + i as u64,
                body(i),
            )
            .msg_seq(i as u32 + 1)
        })
        .collect()
}

/// The same bodies as sendmsg requests, with offline push settings on every other one.
fn generated_sends() -> Vec<sendmsg::Request> {
    (0..MESSAGES)
        .map(|i| {
            let request = sendmsg::Request::new(
                format!("user{}", (i + 1) % 50),
                (i as u32).wrapping_mul(2_654_435_761),
                body(i),
            )
            .from_account(format!("user{}", i % 50))
            .sync_other_machine(sendmsg::SyncOtherMachine::from_wire(1))
            .msg_life_time(604_800)
            .cloud_custom_data("cloud");
            if i % 2 == 0 {
                request.offline_push_info(
                    OfflinePushInfo::new()
                        .push_flag(PushFlag::Push)
                        .title("New message")
                        .desc(format!("message {i}"))
                        .ext("{\"k\":1}")
                        .android_info(
                            AndroidInfo::new()
                                .sound("android.mp3")
                                .oppo_channel_id("im"),
                        )
                        .apns_info(
                            ApnsInfo::new()
                                .sound("apns.mp3")
                                .badge_mode(BadgeMode::Count)
                                .title("t"),
                        ),
                )
            } else {
                request
            }
        })
        .collect()
}

struct Inputs {
    generated: Vec<importmsg::Request>,
    handwritten: Vec<handwritten::Request>,
    json: Vec<u8>,
    sends: Vec<sendmsg::Request>,
    sends_handwritten: Vec<handwritten::SendRequest>,
    sends_json: Vec<u8>,
}

fn inputs() -> Inputs {
    let generated = generated();
    let json = serde_json::to_vec(&generated).unwrap();
    let handwritten: Vec<handwritten::Request> = serde_json::from_slice(&json).unwrap();
    let hand_json = serde_json::to_vec(&handwritten).unwrap();
    if let Some(at) = hand_json.iter().zip(&json).position(|(a, b)| a != b) {
        let show = |b: &[u8]| {
            String::from_utf8_lossy(&b[at.saturating_sub(60)..(at + 60).min(b.len())]).into_owned()
        };
        panic!(
            "the hand-written types write other bytes at {at}:\n  generated:   {}\n  hand-written: {}",
            show(&json),
            show(&hand_json)
        );
    }
    assert_eq!(
        hand_json.len(),
        json.len(),
        "the hand-written types must write the same bytes"
    );
    let again: Vec<importmsg::Request> = serde_json::from_slice(&json).unwrap();
    assert!(
        again == generated,
        "the generated types must read back what they wrote"
    );
    let sends = generated_sends();
    let sends_json = serde_json::to_vec(&sends).unwrap();
    let sends_handwritten: Vec<handwritten::SendRequest> =
        serde_json::from_slice(&sends_json).unwrap();
    assert!(
        serde_json::to_vec(&sends_handwritten).unwrap() == sends_json,
        "the hand-written sendmsg types must write the same bytes"
    );
    Inputs {
        generated,
        handwritten,
        json,
        sends,
        sends_handwritten,
        sends_json,
    }
}

fn main() {
    let inputs = inputs();
    println!(
        "payload: {MESSAGES} importmsg requests, {} bytes of JSON; size of an element: generated {} bytes, hand-written {}",
        inputs.json.len(),
        std::mem::size_of::<MsgElem>(),
        std::mem::size_of::<handwritten::MsgElem>()
    );
    let (valid, count) = allocations_of(|| {
        inputs.generated.iter().all(|r| r.validate().is_ok())
            && inputs.sends.iter().all(|r| r.validate().is_ok())
    });
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
            "msg_body/serialize",
            budget,
            || ser(&mut buf.borrow_mut(), &inputs.generated),
            || ser(&mut buf.borrow_mut(), &inputs.handwritten),
        );
        paired(
            "msg_body/deserialize",
            budget,
            || serde_json::from_slice::<Vec<importmsg::Request>>(black_box(json)).unwrap(),
            || serde_json::from_slice::<Vec<handwritten::Request>>(black_box(json)).unwrap(),
        );
        let sends_json = inputs.sends_json.as_slice();
        paired(
            "sendmsg/serialize",
            budget,
            || ser(&mut buf.borrow_mut(), &inputs.sends),
            || ser(&mut buf.borrow_mut(), &inputs.sends_handwritten),
        );
        paired(
            "sendmsg/deserialize",
            budget,
            || serde_json::from_slice::<Vec<sendmsg::Request>>(black_box(sends_json)).unwrap(),
            || {
                serde_json::from_slice::<Vec<handwritten::SendRequest>>(black_box(sends_json))
                    .unwrap()
            },
        );
        println!("  serialize (A) vs validate (B): ratio = validate time / serialize time, target <= 0.25");
        paired(
            "msg_body/validate_vs_serialize",
            budget,
            || ser(&mut buf.borrow_mut(), &inputs.generated),
            || {
                inputs
                    .generated
                    .iter()
                    .all(|r| black_box(r).validate().is_ok())
            },
        );
        paired(
            "sendmsg/validate_vs_serialize",
            budget,
            || ser(&mut buf.borrow_mut(), &inputs.sends),
            || inputs.sends.iter().all(|r| black_box(r).validate().is_ok()),
        );
    }

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("msg_body");
    group.throughput(Throughput::Bytes(inputs.json.len() as u64));
    let mut buf = Vec::with_capacity(inputs.json.len() * 2);
    group.bench_function("serialize/generated", |b| {
        b.iter(|| ser(&mut buf, &inputs.generated))
    });
    group.bench_function("serialize/handwritten", |b| {
        b.iter(|| ser(&mut buf, &inputs.handwritten))
    });
    group.bench_function("deserialize/generated", |b| {
        b.iter(|| {
            serde_json::from_slice::<Vec<importmsg::Request>>(black_box(&inputs.json)).unwrap()
        })
    });
    group.bench_function("deserialize/handwritten", |b| {
        b.iter(|| {
            serde_json::from_slice::<Vec<handwritten::Request>>(black_box(&inputs.json)).unwrap()
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
