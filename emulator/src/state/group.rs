//! IM groups (`group_open_http_svc`): profile, members, messages, custom attributes and
//! counters, as the group commands read and write them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tim_rest::types::{ApplyJoinOption, GroupType, MsgFlag};

/// Members a group may hold when neither the request nor a later change says (import_group's
/// page: "2,000 when absent"; the real default follows the plan).
pub(crate) const DEFAULT_MAX_MEMBERS: u32 = 2000;
/// Most custom attribute keys of one group (10047 beyond it, modify_group_attr's page).
pub(crate) const MAX_ATTR_KEYS: usize = 16;
/// Most bytes of all attribute values of one group together (10048 beyond it).
pub(crate) const MAX_ATTR_BYTES: usize = 16000;
/// Most counter keys of one group (10063 beyond it, update_group_counter's page).
pub(crate) const MAX_COUNTER_KEYS: usize = 20;
/// Most messages one group_msg_get_simple reply carries (its page: at most 20 a request).
pub(crate) const MAX_HISTORY_PAGE: usize = 20;
/// `MuteTime` for ever, and the `MuteUntil` a member muted for ever reports.
pub(crate) const MUTE_FOREVER: u64 = 4_294_967_295;

/// One group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Group {
    /// `Type`, as created.
    pub kind: GroupType,
    pub name: String,
    #[serde(default)]
    pub introduction: String,
    #[serde(default)]
    pub notification: String,
    #[serde(default)]
    pub face_url: String,
    /// `Owner_Account`; a group created without one has none.
    #[serde(default)]
    pub owner: Option<String>,
    pub max_members: u32,
    #[serde(default)]
    pub apply_join: Option<ApplyJoinOption>,
    /// `MuteAllMember` On: only the owner and admins may send.
    #[serde(default)]
    pub mute_all: bool,
    /// `CreateTime`, unix seconds: kept from import_group's request.
    pub created: u64,
    /// The order groups were made in, for get_appid_group_list.
    pub order: u64,
    /// `InfoSeq` and `LastInfoTime`: bumped by every change of the profile.
    #[serde(default)]
    pub info_seq: u64,
    #[serde(default)]
    pub last_info_time: u64,
    /// `SupportTopic` 1 (communities).
    #[serde(default)]
    pub support_topic: bool,
    /// `AppDefinedData`: key -> value.
    #[serde(default)]
    pub app_data: BTreeMap<String, String>,
    /// Members in the order they joined.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Stored messages in sequence order.
    #[serde(default)]
    pub messages: Vec<GroupMessage>,
    /// The sequence the next message gets (`NextMsgSeq`); the first message gets 1.
    pub next_seq: u64,
    /// Custom attributes (modify_group_attr and friends): key -> value.
    #[serde(default)]
    pub attrs: BTreeMap<String, String>,
    /// Counters (update_group_counter and friends): key -> value.
    #[serde(default)]
    pub counters: BTreeMap<String, i64>,
}

/// A member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Role {
    Owner,
    Admin,
    Member,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Member {
    pub account: String,
    pub role: Role,
    /// `JoinTime`, unix seconds.
    pub join_time: u64,
    #[serde(default = "accept_and_notify")]
    pub msg_flag: MsgFlag,
    #[serde(default)]
    pub name_card: String,
    /// `MuteUntil`, unix seconds; 0 when not muted, [`MUTE_FOREVER`] for ever.
    #[serde(default)]
    pub mute_until: u64,
    /// Unread messages in the group.
    #[serde(default)]
    pub unread: u64,
    /// `LastSendMsgTime`, unix seconds; 0 before the first message.
    #[serde(default)]
    pub last_send_time: u64,
    /// `AppMemberDefinedData`: key -> value.
    #[serde(default)]
    pub app_data: BTreeMap<String, String>,
}

fn accept_and_notify() -> MsgFlag {
    MsgFlag::AcceptAndNotify
}

impl Member {
    pub fn new(account: impl Into<String>, role: Role, join_time: u64) -> Self {
        Member {
            account: account.into(),
            role,
            join_time,
            msg_flag: MsgFlag::AcceptAndNotify,
            name_card: String::new(),
            mute_until: 0,
            unread: 0,
            last_send_time: 0,
            app_data: BTreeMap::new(),
        }
    }

    /// Whether a mute is in force at `now`.
    pub fn muted_at(&self, now: u64) -> bool {
        self.mute_until > now
    }
}

/// One stored group message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct GroupMessage {
    pub seq: u64,
    pub random: u32,
    /// Unix seconds: the send time, or the imported `SendTime`.
    pub time: u64,
    pub from: String,
    /// `MsgBody`, as sent.
    pub body: serde_json::Value,
    #[serde(default)]
    pub recalled: bool,
}

impl Group {
    pub fn member(&self, account: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.account == account)
    }

    pub fn member_mut(&mut self, account: &str) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.account == account)
    }

    pub fn is_member(&self, account: &str) -> bool {
        self.member(account).is_some()
    }

    /// Whether the type keeps no members or history of its own: an audio-video group
    /// (AVChatRoom), where import and invitation answer 10007.
    pub fn is_av_chat_room(&self) -> bool {
        matches!(self.kind, GroupType::AvChatRoom | GroupType::BChatRoom)
    }

    /// Whether clients of this type keep unread counts (set_unread_msg_num's page: not
    /// ChatRoom/Meeting or AVChatRoom).
    pub fn counts_unread(&self) -> bool {
        !matches!(
            self.kind,
            GroupType::ChatRoom | GroupType::Meeting | GroupType::AvChatRoom | GroupType::BChatRoom
        )
    }

    /// The time of the newest stored message, or the creation time.
    pub fn latest_time(&self) -> u64 {
        self.messages.last().map_or(self.created, |m| m.time)
    }

    /// Messages stored (recalled ones included), the cap of an unread count.
    pub fn message_count(&self) -> u64 {
        self.messages.len() as u64
    }

    /// Records a profile change at `now`.
    pub fn touch(&mut self, now: u64) {
        self.info_seq += 1;
        self.last_info_time = now;
    }

    /// Stores a message and gives it the next sequence.
    pub fn store(&mut self, from: String, random: u32, time: u64, body: serde_json::Value) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.messages.push(GroupMessage {
            seq,
            random,
            time,
            from,
            body,
            recalled: false,
        });
        seq
    }
}
