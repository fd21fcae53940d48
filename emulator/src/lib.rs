//! A local emulator of the Tencent Cloud IM REST service: every endpoint of tim-rest's
//! `schema/`, served over plain HTTP with axum, on the request and response types the schemas
//! generate.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use tim_rest::im_open_login_svc::account_import;
//! use tim_rest_emulator::{start, EmulatorConfig};
//!
//! let emulator = start(EmulatorConfig::default(), "127.0.0.1:0".parse()?).await?;
//! let client = tim_rest::Client::builder()
//!     .sdkappid(emulator.sdkappid())
//!     .admin(emulator.admin())
//!     .secret_key(emulator.key().clone())
//!     .base_url(emulator.base_url())
//!     .build()?;
//! client.account_import(&account_import::Request::new("alice")).await?;
//! assert!(emulator.snapshot().accounts.contains("alice"));
//! emulator.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! # The gateway
//!
//! Every request goes through these checks, in this order; a failed check answers HTTP 200
//! with a FAIL envelope (`{"ActionStatus":"FAIL","ErrorCode":..,"ErrorInfo":..,"ErrorDisplay":""}`),
//! as the service does:
//!
//! 1. The path is an endpoint of the schemas (`v4/<service>/<command>`), else **60009**
//!    (whatever the method). A known path with another method than POST: **60002**. A command
//!    of the schemas the emulator does not emulate passes the gateway checks below (2-5) and
//!    then answers [`NOT_EMULATED`] (-1) with `ErrorInfo` `not emulated: /v4/...`: never a
//!    made-up success.
//! 2. The query parameters: `sdkappid` (missing: **60012**), `identifier`, `usersig`,
//!    `random` (a `u32`) and `contenttype=json`; missing or malformed: **60002**. An empty
//!    `usersig` is **70002**.
//! 3. `sdkappid` is the emulator's, else **60006**.
//! 4. The UserSig verifies (TLSSigAPIv2, with the emulator's key, at the current time) for
//!    `identifier`: failures answer [`UserSigError::service_code`](tim_rest::usersig::UserSigError::service_code)
//!    (70001 expired, 70003 malformed, 70009 wrong key, 70013 identifier mismatch,
//!    70014 SDKAppID mismatch).
//! 5. `identifier` is the admin, else **60010**.
//! 6. Fault injection draws its decision for this request (see below).
//! 7. The body is JSON, else **60003**; it fits the endpoint's generated `Request`, else
//!    **30001** (sns) / **70402** (accounts) with an `ErrorInfo` naming the field
//!    (`AddFriendItem[0].AddSource: missing field ...`).
//! 8. The generated `validate()` passes, else 30001 / 70402 with the first violation as
//!    `ErrorInfo` (`AddFriendItem[2].AddSource must be "AddSource_Type_" followed by ...`).
//! 9. The endpoint's rate limit from its schema (`<Marker as Endpoint>::RATE_LIMIT`): more
//!    accepted calls of one path within any one second (a sliding window) answer **60007**.
//!    Refused calls are not counted; [`Stats::max_per_second`] records the most accepted calls
//!    seen in one second. [`EmulatorConfig::enforce_rate_limits`] off only measures.
//! 10. An injected fault, if one was drawn, answers now, before the state is touched.
//! 11. Writes to one `From_Account` are serialized by a per-account lock (with fault
//!     injection on, a write that overlaps another write to the same account answers **30008**
//!     instead of waiting, as the service does).
//! 12. The request is applied to the state in one step under one lock: a reply never comes from
//!     a half-applied write.
//!
//! [`EmulatorConfig::latency`] delays every reply once; a write holds its account's lock while
//! it waits, as a slow backend would.
//!
//! # Endpoints
//!
//! Not emulated yet (they answer [`NOT_EMULATED`]): `ConfigSvc/GetIPList`,
//! `all_member_push/im_add_tag`, `all_member_push/im_get_attr`,
//! `all_member_push/im_get_attr_name`, `all_member_push/im_get_tag`, `all_member_push/im_push`,
//! `all_member_push/im_remove_all_tags`, `all_member_push/im_remove_attr`,
//! `all_member_push/im_remove_tag`, `all_member_push/im_set_attr`,
//! `all_member_push/im_set_attr_name`, `follow/follow_add`, `follow/follow_check`,
//! `follow/follow_delete`, `follow/follow_get`, `follow/follow_get_info`,
//! `group_open_avchatroom_http_svc/check_members`,
//! `group_open_avchatroom_http_svc/get_admin_list`,
//! `group_open_avchatroom_http_svc/get_members`, `group_open_avchatroom_http_svc/modify_admin`,
//! `group_open_avchatroom_http_svc/modify_user_info`, `group_open_http_svc/ban_group_member`,
//! `group_open_http_svc/clear_group_msg`, `group_open_http_svc/delete_group_msg_by_sender`,
//! `group_open_http_svc/get_group_ban_member`, `group_open_http_svc/get_group_msg_receipt`,
//! `group_open_http_svc/get_group_msg_receipt_detail`,
//! `group_open_http_svc/get_group_shutted_uin`, `group_open_http_svc/get_online_member_num`,
//! `group_open_http_svc/get_specified_group_member_info`,
//! `group_open_http_svc/group_msg_receipt`, `group_open_http_svc/import_topic`,
//! `group_open_http_svc/send_broadcast_msg`,
//! `group_open_http_svc/send_group_system_notification`,
//! `group_open_http_svc/unban_group_member`, `im_cos_msg/allow_banned_object`,
//! `im_cos_msg/forbid_illegal_object`, `im_cos_msg/get_cos_sig`,
//! `im_msg_audit/batch_content_moderation`, `im_msg_audit/content_moderation`,
//! `im_msg_audit_mgr/add_cloud_audit_keywords`, `im_msg_audit_mgr/add_local_audit_keywords`,
//! `im_msg_audit_mgr/delete_cloud_audit_keywords`,
//! `im_msg_audit_mgr/delete_local_audit_keywords`, `im_msg_audit_mgr/get_cloud_audit_keywords`,
//! `im_msg_audit_mgr/get_cloud_audit_keywords_ids`,
//! `im_msg_audit_mgr/get_local_audit_keywords`, `million_group_open_http_svc/create_topic`,
//! `million_group_open_http_svc/destroy_topic`, `million_group_open_http_svc/get_topic`,
//! `million_group_open_http_svc/modify_topic`, `official_account_open_http_svc/add_subscriber`,
//! `official_account_open_http_svc/create_official_account`,
//! `official_account_open_http_svc/delete_subscriber`,
//! `official_account_open_http_svc/destroy_official_account`,
//! `official_account_open_http_svc/get_official_account_info`,
//! `official_account_open_http_svc/get_subscribed_official_account_list`,
//! `official_account_open_http_svc/get_subscriber_info`,
//! `official_account_open_http_svc/modify_official_account_base_info`,
//! `official_account_open_http_svc/modify_subscriber_info`,
//! `official_account_open_http_svc/official_account_msg_get_simple`,
//! `official_account_open_http_svc/official_account_msg_recall`,
//! `official_account_open_http_svc/send_official_account_msg`, `open_msg_svc/get_history`,
//! `openconfigsvr/getappinfo`, `openim/c2c_msg_read_receipt`, `openim/delete_c2c_msg_ramble`,
//! `openim/modify_group_msg`, `openim_msg_ext_http_svc/get_key_values`,
//! `openim_msg_ext_http_svc/group_get_key_values`,
//! `openim_msg_ext_http_svc/group_set_key_values`, `openim_msg_ext_http_svc/set_key_values`,
//! `openim_robot_http_svc/create_robot`, `openim_robot_http_svc/delete_robot`,
//! `openim_robot_http_svc/get_all_robots`, `openim_robot_http_svc/send_stream_msg`,
//! `recentcontact/create_contact_group`, `recentcontact/del_contact_group`,
//! `recentcontact/get_contact_group`, `recentcontact/mark_contact`,
//! `recentcontact/search_contact_group`, `recentcontact/update_contact_group`.
//!
//! Global mute (`v4/openconfigsvr/...`): `setnospeaking` sets an imported account's one-to-one
//! and group mute (0 lifts it, 4294967295 never ends, any other value ends that many seconds
//! later; neither given: **130008**; an account not imported: **130005**); `getnospeaking`
//! answers the seconds each mute has left, 0 once it ran out, or 4294967295 (not imported:
//! **130003**). A bad body answers **130001**; faults answer **130014**.
//!
//! One-to-one messages (`v4/openim/...`; accounts not imported answer the page's 90003, 90008
//! or 90012/90048 codes; a bad body **90001**, faults **91000**):
//! - `sendmsg` stores the message (from `From_Account`, or the admin when absent; `MsgSeq`
//!   one past the conversation's largest when absent, `MsgTimeStamp` now) and answers its
//!   `MsgTime` and `MsgKey` (`seq_random_time`); it counts as unread for the receiver unless
//!   `SendMsgControl` has `NoUnread`.
//! - `batchsendmsg` sends one message to each receiver; a receiver never imported goes to
//!   `ErrorList` with 70107 and the reply is `ActionStatus` "SomeError" with code 0, as the page
//!   documents a partial failure (90012 when no receiver exists).
//! - `modify_c2c_msg` replaces a stored message's body and/or custom data, found by `MsgKey`
//!   (**20001** when it has neither, or no such message).
//! - `query_online_status`: no client logs in to the emulator, so every imported account is
//!   `Offline`; one never imported goes to `ErrorList` with 70107.
//! - `importmsg` stores history, not counted unread; a message equal in sender, receiver,
//!   `MsgSeq`, `MsgRandom` and `MsgTimeStamp` to a stored one is that message, and importing it
//!   again changes nothing.
//! - `admin_getroammsg` answers the conversation within `MinTime..=MaxTime`, newest first,
//!   `MaxCnt` a page, continued after `LastMsgKey`, `Complete` 1 on the last page; recalled
//!   messages carry `MsgFlagBits` 8.
//! - `admin_msgwithdraw` recalls by `MsgKey` (**20022** unknown, **20023** recalled already).
//! - `admin_set_msg_read` marks the peer's messages read up to `MsgReadTime` (now when
//!   absent); `get_c2c_unread_msg_num` counts what is unread and not recalled, in total or per
//!   peer (a peer never imported goes to `ErrorList` with 90003).
//!
//! Conversations (`v4/recentcontact/...`, one-to-one only; From_Account not imported:
//! **50001**): `get_list` builds the list from the stored messages, newest conversation first,
//! 100 a page (the pages document no size; `StartIndex` counts from the first, nothing is
//! pinned); `delete` hides a conversation until a message stored later, and with
//! `ClearRamble` 1 drops its history so far from the owner's `admin_getroammsg`. A group
//! conversation answers [`NOT_EMULATED`].
//!
//! Groups (`v4/group_open_http_svc/...` and `group_open_attr_http_svc/get_group_attr`; a bad
//! body answers **10004**, faults **10002**; a group that does not exist **10010**). Where a
//! page names no code (an account not imported, a request about a non-member), the answer is
//! **10004** (参数非法) with the reason in `ErrorInfo`.
//! - `create_group` and `import_group` make a group of any type (import: not AVChatRoom,
//!   **10007**), with the owner as its first member; `import_group` keeps `CreateTime`. A
//!   custom `GroupId` in use is **10021**; one starting with `@TGS#` (or, for a community,
//!   one not starting with `@TGS#_`) **10004**; without one the emulator gives `@TGS#2...` /
//!   `@TGS#_...`. `MaxMemberCount` defaults to 2000. An AVChatRoom takes no `MemberList`
//!   (**10007**).
//! - `get_group_info` (a missing group is its item's `ErrorCode` 10010; a `ResponseFilter`
//!   returns only what it names), `modify_group_base_info` (an empty custom value removes the
//!   key), `destroy_group`, `get_appid_group_list` (in the order made, `Limit` a page, `Next`
//!   0 on the last; 1 call a second as the page says), `get_joined_group_list` (audio-video
//!   groups with `WithHugeGroups` 1 only), `get_role_in_group`, `change_group_owner` (the new
//!   owner must be a member; the old one stays as a member).
//! - Members: `add_group_member` (an account not imported: **10019**; already there:
//!   `AlreadyMember`; no room: **10014**), `import_group_member` (per member `Failed` when not
//!   imported or when `JoinTime` is not between the group's creation and now; the unread count
//!   is capped at the group's messages), `delete_group_member` (the owner is refused: move
//!   the ownership first), `modify_group_member_info`, `get_group_member_info` (join order,
//!   `Offset`/`Limit`, or the emulator's own `Next` text cursor), `forbid_send_msg` and
//!   `get_group_muted_account` (0 unmutes, 4294967295 is for ever). An AVChatRoom refuses
//!   invitations and imports (**10007**).
//! - Messages: `send_group_msg` (as `From_Account`, a member, else **10007**, or as the admin;
//!   a member muted in the group, an ordinary member under `MuteAllMember` On, or an account
//!   muted for groups by `setnospeaking` answers **10017**; one more unread for every other
//!   member unless `NoUnread`; online-only messages and audio-video groups keep no history),
//!   `import_group_msg` (each message must come before now and after the group's creation
//!   and newest message, else its `Result` is 10004, so a message imported again is refused,
//!   not doubled; every member's unread count is then 0), `group_msg_get_simple` (newest
//!   first, at most 20, `ReqMsgSeq` 0 answers nothing, which ends a walk back; the pages do
//!   not say what the service does with 0), `group_msg_recall` (per message 0 or **10030**),
//!   `set_unread_msg_num` (capped at the group's messages; no effect in ChatRoom/Meeting and
//!   AVChatRoom, as the page says).
//! - Custom attributes (`modify_group_attr`, `set_group_attr` which replaces them all,
//!   `clear_group_attr`, `delete_group_attr` with **10050** for a missing key,
//!   `get_group_attr`): at most 16 keys (**10047**) and 16000 bytes of values (**10048**) per
//!   group. Counters (`update_group_counter` with `Set`/`Increase`/`Decrease`,
//!   `get_group_counter`, `delete_group_counter`, all keys when none are named): at most 20
//!   per group (**10063**).
//!
//! Profiles (`v4/profile/...`): `portrait_set` stores each item of an imported account
//! (`Tag_Profile_IM_Nick` and `Tag_Profile_IM_Image` are the nickname and avatar account_import
//! sets; other tags keep their value as sent; not imported: **40003**); `portrait_get` answers,
//! per account, the asked tags that have a value, in the order asked (not imported: the item's
//! **40003**, and the account in `Fail_Account`). A bad body answers **40001**; faults **40006**.
//!
//! Accounts (`v4/im_open_login_svc/...`):
//! - `account_import`, `multiaccount_import` (either form: `AccountList` or the older
//!   `Accounts`): create the accounts (importing one again updates
//!   the nickname and avatar sent, keeps the rest); `FailAccounts` is always empty.
//! - `account_delete`: deletes each account with its friends, blacklist and groups, and takes
//!   it out of every other account's friend list and blacklist; unknown: per-item **70107**.
//! - `account_check`: `Imported` / `NotImported` per account.
//! - `kick`: OK for an imported account (the emulator keeps no client logins to end), **70107**
//!   for one never imported.
//!
//! The admin identifier is not an account unless imported.
//!
//! Relationship chain (`v4/sns/...`). `From_Account` must be imported, else the request fails
//! as a whole with **30003**. Per-item failures answer `ActionStatus: OK` with the item's
//! `ResultCode` and the account in `Fail_Account` (where the response has one):
//! - `friend_import`: adds one-way friends with every field kept (`AddTime` defaults to now,
//!   `RemarkTime` to 0). Per item: self **30001**, `To_Account` not imported **30003**, peer on
//!   my blacklist **30515**, me on the peer's **30525**, 3000 friends already **30010**, more than
//!   32 groups **30011**. Groups named are created. **Importing a relation that exists already
//!   succeeds (ResultCode 0, nothing changes) when every field sent equals the stored one**
//!   (an omitted `AddTime` matches any), so a migration can retry an import whose reply it
//!   lost; a different relation answers **30001** (`Err_SNS_FriendImport_Friend_Exist`). The
//!   service does not document this case.
//! - `friend_add`: adds friends now, one-way (`Add_Type_Single`) or both ways (the default).
//!   Every account behaves as if its friend-request setting were "allow anyone", so
//!   `ForceAddFlags` changes nothing and no pending requests are made. Per item: self or
//!   already a friend **30001**, **30003**, **30515**, **30525**, **30010**, the peer full
//!   (both ways) **30014**, **30011**.
//! - `friend_update`: sets `Tag_SNS_IM_Remark` (also stamps `RemarkTime`), `Tag_SNS_IM_Group`
//!   (an array; a single string counts as one group) and custom tags, all or nothing per item.
//!   Not a friend or another standard tag **30001**; **30003**; **30011**.
//! - `friend_delete` (one-way by default) and `friend_delete_all` (one-way by default): not a
//!   friend **31704**, not imported **30003**. `Delete_Type_Both` also removes the reverse entry.
//! - `friend_check`: the four relations; a one-way check sees only `From_Account`'s list.
//!   Unknown account: per-item 30003 with `CheckResult_Type_NoRelation`.
//! - `friend_get`: pages of 100 friends in UserID order: honours `StartIndex`, answers
//!   `NextStartIndex`, `CompleteFlag` (1 on the last page), `FriendNum`. Each friend carries the
//!   standard tags that are set (`Tag_SNS_IM_AddSource`, `Remark`, `Group`, `AddWording`,
//!   `AddTime`, `RemarkTime` when not 0) then its custom tags. One sequence per account counts
//!   friend-list changes and is answered as both `StandardSequence` and `CustomSequence`; a
//!   request sending the current non-zero value gets that part left out.
//! - `friend_get_list`: the requested `TagList` tags that have a value: friend tags and the
//!   profile tags `Tag_Profile_IM_Nick` / `Tag_Profile_IM_Image` (from account import). Not a
//!   friend **30001**, not imported **30003**.
//! - `black_list_add`: blacklists and ends the friendship in both directions. Already on it or
//!   self **30001**, **30003**, 1000 already **30013**. `black_list_delete`: not on it **30001**,
//!   **30003**; a friendship is not restored.
//! - `black_list_get`: pages of `MaxLimited` in UserID order (the schema holds it to 1 to
//!   1000, so another value is request-level 30001 from step 8); the reply's `StartIndex` is the
//!   next page, 0 when done. The sequence is answered under both `CurruentSequence` and
//!   `CurrentSequence`.
//! - `black_list_check`: the four blacklist relations, as for `friend_check`.
//! - `group_add`: creates the groups (existing ones are kept, not an error); more than 32 in
//!   all is request-level **30011**; each `To_Account` friend is put in every named group (not
//!   a friend **32216**, not imported **30003**). `group_delete`: removes the groups and takes
//!   friends out of them (unknown names are ignored). `group_get`: all groups or the named ones,
//!   with friend counts and, with `Need_Friend_Type_Yes`, their friends; `LastSequence` equal
//!   to the current non-zero sequence answers no groups. Groups also appear when
//!   friend_import / friend_add / friend_update name one.
//!
//! # Fault injection
//!
//! With [`EmulatorConfig::fault_rate`] P > 0, each request that passed the gateway checks
//! draws from `fastrand::Rng::with_seed(seed)`: with probability P it fails with one of
//! HTTP 502 (an HTML body), 30006 (internal error), 30008 (write conflict), or a dropped
//! connection (closed without a reply). The account endpoints, which document neither 30006
//! nor 30008, answer 70500 and 70169 instead. A request that fails validation or the rate
//! limit answers that error even when it drew a fault; a faulted request counts against the
//! rate limit. Faults are answered before the state is touched, so no write is ever partly
//! applied. The same seed and the same sequence of requests give the same faults.
//!
//! # State file
//!
//! With [`EmulatorConfig::state_file`], the state is loaded on start (a missing or empty file
//! is an empty state; anything else that is not a state file fails `start`), saved 250 ms
//! after a burst of writes, and on [`Emulator::shutdown`] (and, as a last resort, on drop).
//! Each save writes a temporary file in the same directory, fsyncs it, renames it over the
//! state file and fsyncs the directory. The file is JSON:
//! `{"format":"tim-rest-emulator-state","version":1,"state":{...}}`.
#![deny(missing_docs)]

/// The `ErrorCode` of a command the schemas define but the emulator does not emulate: negative,
/// so that it can never be mistaken for one of the service's codes.
pub const NOT_EMULATED: i64 = -1;

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tim_rest::usersig::SecretKey;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;

mod endpoints;
mod faults;
mod in_process;
mod limits;
mod persist;
mod server;
mod state;

pub use in_process::{Answer, InProcess};
pub use state::{Counts, FriendRecord, StateSnapshot};

use server::{DroppableListener, Inner};

/// How long [`Emulator::shutdown`] waits for requests in progress before closing anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The SDKAppID it answers for (60006 for any other).
    pub sdkappid: u64,
    /// The App admin identifier calls must be made as (60010 for any other).
    pub admin: String,
    /// The secret key UserSigs are checked with; a random one is generated when `None`
    /// (read it back with [`Emulator::key`]).
    pub key: Option<SecretKey>,
    /// Share of requests, 0 to 1, that fail on purpose (see the crate docs). 0 turns fault
    /// injection off.
    pub fault_rate: f64,
    /// Seed of the fault sequence.
    pub seed: u64,
    /// Added to every reply.
    pub latency: Duration,
    /// Where the state is kept between runs; `None` keeps it in memory only.
    pub state_file: Option<PathBuf>,
    /// Answer 60007 beyond each endpoint's documented rate; when off, rates are only measured
    /// ([`Stats::max_per_second`]).
    pub enforce_rate_limits: bool,
}

impl Default for EmulatorConfig {
    /// SDKAppID 1400000000, admin `administrator`, a random key, no faults, no latency, no
    /// state file, rate limits enforced.
    fn default() -> Self {
        EmulatorConfig {
            sdkappid: 1_400_000_000,
            admin: "administrator".to_owned(),
            key: None,
            fault_rate: 0.0,
            seed: 0,
            latency: Duration::ZERO,
            state_file: None,
            enforce_rate_limits: true,
        }
    }
}

/// Request counters since start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Every HTTP request received, whatever its outcome.
    pub requests: u64,
    /// Requests per URL path (without the leading `/`, e.g. `v4/sns/friend_import`), unknown
    /// paths included.
    pub by_path: BTreeMap<String, u64>,
    /// Requests answered with an injected fault.
    pub faults_injected: u64,
    /// Requests answered 60007.
    pub rate_limited: u64,
    /// Per endpoint path, the highest number of calls accepted by the rate limit within any
    /// one second. With limits enforced it never exceeds the schema's limit.
    pub max_per_second: BTreeMap<String, u32>,
}

/// A running emulator. Stop it with [`shutdown`](Emulator::shutdown); dropping it stops it too
/// (without waiting, saving the state file synchronously if it has unsaved changes).
pub struct Emulator {
    addr: SocketAddr,
    inner: Arc<Inner>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<io::Result<()>>>,
    saver: Option<persist::Saver>,
}

/// Starts an emulator listening on `addr` (port 0 picks a free port; see
/// [`Emulator::addr`]).
///
/// Must be called within a Tokio runtime (with its time driver). Fails if `fault_rate` is
/// not within 0 to 1, if `admin` is empty, if the address cannot be bound, or if the state
/// file cannot be read or is not a state file.
pub async fn start(config: EmulatorConfig, addr: SocketAddr) -> io::Result<Emulator> {
    check_config(&config)?;
    let state = match &config.state_file {
        Some(path) => persist::load(path)?,
        None => state::State::default(),
    };
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let inner = build_inner(config, state);

    let router = axum::Router::new()
        .fallback(server::entry)
        .with_state(Arc::clone(&inner))
        .into_make_service_with_connect_info::<server::Connection>();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(DroppableListener(listener), router)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    let saver = inner
        .state_file
        .is_some()
        .then(|| persist::Saver::spawn(Arc::clone(&inner)));
    tracing::debug!(addr = %local, "tim-rest-emulator: listening");
    Ok(Emulator {
        addr: local,
        inner,
        stop: Some(stop),
        server: Some(server),
        saver,
    })
}

/// The settings `start` and [`InProcess::new`] refuse.
fn check_config(config: &EmulatorConfig) -> io::Result<()> {
    if !(0.0..=1.0).contains(&config.fault_rate) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "fault_rate must be within 0 and 1, not {}",
                config.fault_rate
            ),
        ));
    }
    if config.admin.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the admin identifier must not be empty",
        ));
    }
    Ok(())
}

/// What the handlers share, from a checked `config` and the state to start from.
fn build_inner(config: EmulatorConfig, mut state: state::State) -> Arc<Inner> {
    // The sender of what the admin sends as itself.
    state.admin = config.admin.clone();
    let faults = faults::Faults::new(config.fault_rate, config.seed);
    let write_conflicts = faults.enabled();
    let routes: HashMap<_, _> = endpoints::routes()
        .into_iter()
        .map(|route| (route.path, route))
        .collect();
    Arc::new(Inner {
        sdkappid: config.sdkappid,
        admin: config.admin,
        key: config.key.unwrap_or_else(random_key),
        latency: config.latency,
        write_conflicts,
        routes,
        state: Mutex::new(state),
        counters: Mutex::default(),
        limiter: limits::RateLimiter::new(config.enforce_rate_limits),
        faults,
        locks: limits::AccountLocks::default(),
        state_file: config.state_file,
        generation: AtomicU64::new(0),
        saved_generation: AtomicU64::new(0),
        dirty: Notify::new(),
        save_lock: Mutex::new(()),
    })
}

/// A random 64-character hex key, like the console's.
fn random_key() -> SecretKey {
    let mut rng = fastrand::Rng::new();
    let key: String = (0..64)
        .map(|_| char::from_digit(rng.u32(0..16), 16).unwrap_or('0'))
        .collect();
    SecretKey::new(key)
}

impl Emulator {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://host:port` to give to `ClientBuilder::base_url` (a wildcard listen address is
    /// given as the loopback address of its family).
    pub fn base_url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    /// The secret key UserSigs are checked with.
    pub fn key(&self) -> &SecretKey {
        &self.inner.key
    }

    /// The SDKAppID it answers for.
    pub fn sdkappid(&self) -> u64 {
        self.inner.sdkappid
    }

    /// The App admin identifier.
    pub fn admin(&self) -> &str {
        &self.inner.admin
    }

    /// The request counters so far.
    pub fn stats(&self) -> Stats {
        self.inner.stats()
    }

    /// How much the emulator holds now, by kind.
    pub fn counts(&self) -> Counts {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .counts()
    }

    /// A copy of the current state.
    pub fn snapshot(&self) -> StateSnapshot {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .snapshot()
    }

    /// Stops accepting requests, waits (up to 10 s) for those in progress, and saves the
    /// state file if there is one.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut server) = self.server.take() {
            match tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await {
                Ok(Ok(served)) => served?,
                Ok(Err(join)) => return Err(io::Error::other(join)),
                Err(_) => server.abort(),
            }
        }
        if let Some(saver) = self.saver.take() {
            saver.stop().await;
        }
        persist::save(&self.inner, true).await
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(saver) = self.saver.take() {
            saver.abort();
        }
        if self.inner.is_dirty() {
            if let Err(e) = persist::save_blocking(&self.inner, false) {
                tracing::warn!(error = %e, "tim-rest-emulator: saving the state file on drop failed");
            }
        }
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .field("sdkappid", &self.inner.sdkappid)
            .field("admin", &self.inner.admin)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let config = EmulatorConfig::default();
        assert_eq!(config.sdkappid, 1_400_000_000);
        assert_eq!(config.admin, "administrator");
        assert!(config.key.is_none());
        assert_eq!(config.fault_rate, 0.0);
        assert!(config.latency.is_zero());
        assert!(config.enforce_rate_limits);
    }

    #[test]
    fn random_keys_look_like_console_keys() {
        let key = random_key();
        assert_eq!(key.expose_secret().len(), 64);
        assert!(key.expose_secret().chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(key.expose_secret(), random_key().expose_secret());
    }

    #[tokio::test]
    async fn bad_configs_are_refused() {
        let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
        for rate in [-0.1, 1.5, f64::NAN] {
            let config = EmulatorConfig {
                fault_rate: rate,
                ..EmulatorConfig::default()
            };
            let err = start(config, addr).await.unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        }
        let config = EmulatorConfig {
            admin: String::new(),
            ..EmulatorConfig::default()
        };
        assert!(start(config, addr).await.is_err());
    }

    #[tokio::test]
    async fn base_url_of_a_wildcard_address_is_loopback() {
        let emulator = start(EmulatorConfig::default(), "0.0.0.0:0".parse().unwrap())
            .await
            .unwrap();
        let port = emulator.addr().port();
        assert_eq!(emulator.base_url(), format!("http://127.0.0.1:{port}"));
        emulator.shutdown().await.unwrap();
    }
}
