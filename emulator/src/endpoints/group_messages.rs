//! Group messages: send_group_msg, import_group_msg, group_msg_get_simple, group_msg_recall,
//! set_unread_msg_num.

use tim_rest::group_open_http_svc::{
    group_msg_get_simple, group_msg_recall, import_group_msg, send_group_msg, set_unread_msg_num,
};
use tim_rest::types::{GroupHistoryMsg, MsgElem, PlaceMsgFlag};

use tim_rest::ApiError;

use super::group_access::{group, group_mut, not_av_chat_room, require_member};
use super::{Emulated, Fail, Service};
use crate::state::{Role, State, MAX_HISTORY_PAGE};

fn body(elements: &[MsgElem]) -> serde_json::Value {
    serde_json::to_value(elements).unwrap_or_default()
}

impl Emulated for send_group_msg::SendGroupMsg {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Sent as `From_Account` (a member: 10007 otherwise) or as the admin. A muted sender
    /// answers 10017: muted in the group, every ordinary member while `MuteAllMember` is On,
    /// or muted for groups by setnospeaking. Every other member gets one more unread message
    /// unless `SendMsgControl` has `NoUnread`. An online-only message (`OnlineOnlyFlag` 1)
    /// and a message to an audio-video group are not stored; the latter still takes a
    /// sequence.
    fn apply(
        state: &mut State,
        request: send_group_msg::Request,
        now: u64,
    ) -> Result<send_group_msg::Response, Fail> {
        let globally_muted = |account: &str| {
            state
                .mutes
                .get(account)
                .is_some_and(|m| m.group.in_force_at(now))
        };
        let from = request.from_account.clone();
        let muted_for_groups = from.as_deref().is_some_and(globally_muted);
        let admin = state.admin.clone();
        let group = group_mut(
            state,
            &request.group_id,
            send_group_msg::Error::GroupNotFound,
        )?;
        if let Some(from) = &from {
            let member = group.member(from).ok_or_else(|| {
                Fail::code(
                    send_group_msg::Error::PermissionDenied,
                    format!("From_Account {from:?} is not a member of the group"),
                )
            })?;
            let silenced = group.mute_all && member.role == Role::Member;
            if member.muted_at(now) || silenced || muted_for_groups {
                return Err(Fail::code(
                    send_group_msg::Error::SenderMuted,
                    format!("{from:?} is muted in the group"),
                ));
            }
        }
        let online_only =
            request.online_only_flag == Some(send_group_msg::OnlineOnlyFlag::OnlineOnly);
        if online_only {
            return Ok(send_group_msg::Response::new().msg_time(now));
        }
        let sender = from.unwrap_or(admin);
        let seq = if group.is_av_chat_room() {
            let seq = group.next_seq;
            group.next_seq += 1;
            seq
        } else {
            group.store(sender.clone(), request.random, now, body(&request.msg_body))
        };
        let no_unread = request
            .send_msg_control
            .iter()
            .flatten()
            .any(|c| *c == send_group_msg::SendMsgControl::NoUnread);
        let counts_unread = group.counts_unread() && !no_unread;
        for member in &mut group.members {
            if member.account == sender {
                member.last_send_time = now;
            } else if counts_unread {
                member.unread += 1;
            }
        }
        Ok(send_group_msg::Response::new().msg_time(now).msg_seq(seq))
    }
}

impl Emulated for import_group_msg::ImportGroupMsg {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// In request order, each message must be sent before now and after both the group's
    /// creation and its newest message, or it fails with 10004 (the page's code for an
    /// invalid send time). A message imported again is therefore refused, not stored twice.
    /// Afterwards every member's unread count is 0, as the page says.
    fn apply(
        state: &mut State,
        request: import_group_msg::Request,
        now: u64,
    ) -> Result<import_group_msg::Response, Fail> {
        let group = group_mut(
            state,
            &request.group_id,
            import_group_msg::Error::GroupNotFound,
        )?;
        not_av_chat_room(
            group,
            "import_group_msg",
            import_group_msg::Error::PermissionDenied,
        )?;
        let mut results = Vec::with_capacity(request.msg_list.len());
        for item in request.msg_list {
            let time = item.send_time;
            if time >= now || time <= group.latest_time() {
                results.push(import_group_msg::ImportMsgResultItem::new(
                    0,
                    time,
                    import_group_msg::Error::InvalidParameter.code(),
                ));
                continue;
            }
            let seq = group.store(
                item.from_account,
                item.random.unwrap_or(0),
                time,
                body(&item.msg_body),
            );
            results.push(import_group_msg::ImportMsgResultItem::new(seq, time, 0));
        }
        for member in &mut group.members {
            member.unread = 0;
        }
        Ok(import_group_msg::Response::new().import_msg_result(results))
    }
}

/// The value of `IsFinished` when every message of the range came back.
const FINISHED: u32 = 1;

impl Emulated for group_msg_get_simple::GroupMsgGetSimple {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    /// The newest `ReqMsgNumber` messages (at most 20) whose sequence is at most `ReqMsgSeq`
    /// (all when absent; 0 asks for nothing, which ends a walk back through the history),
    /// newest first. Recalled messages only with `WithRecalledMsg` 1, as `IsPlaceMsg` 2
    /// without a body.
    fn apply(
        state: &mut State,
        request: group_msg_get_simple::Request,
        _now: u64,
    ) -> Result<group_msg_get_simple::Response, Fail> {
        let group = group(
            state,
            &request.group_id,
            group_msg_get_simple::Error::GroupNotFound,
        )?;
        not_av_chat_room(
            group,
            "group_msg_get_simple",
            group_msg_get_simple::Error::PermissionDenied,
        )?;
        let with_recalled =
            request.with_recalled_msg == Some(group_msg_get_simple::WithRecalledMsg::Include);
        let upto = request.req_msg_seq.unwrap_or(u64::MAX);
        let wanted = request.req_msg_number as usize;
        let in_range: Vec<_> = group
            .messages
            .iter()
            .rev()
            .filter(|m| m.seq <= upto && (with_recalled || !m.recalled))
            .collect();
        let take = wanted.min(MAX_HISTORY_PAGE);
        let list = in_range.iter().take(take).map(|m| {
            let (flag, body) = if m.recalled {
                (PlaceMsgFlag::Recalled, None)
            } else {
                (
                    PlaceMsgFlag::Normal,
                    serde_json::from_value::<Vec<MsgElem>>(m.body.clone()).ok(),
                )
            };
            let item = GroupHistoryMsg::new(&m.from, flag, m.random, m.seq, m.time);
            match body {
                Some(body) => item.msg_body(body),
                None => item,
            }
        });
        let finished = if wanted > MAX_HISTORY_PAGE && in_range.len() > MAX_HISTORY_PAGE {
            group_msg_get_simple::IsFinished::from_wire(0)
        } else {
            group_msg_get_simple::IsFinished::from_wire(FINISHED.into())
        };
        Ok(group_msg_get_simple::Response::new()
            .group_id(&request.group_id)
            .is_finished(finished)
            .rsp_msg_list(list))
    }
}

impl Emulated for group_msg_recall::GroupMsgRecall {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Each sequence gets `RetCode` 0, or 10030 when no such message is stored (or it was
    /// recalled already).
    fn apply(
        state: &mut State,
        request: group_msg_recall::Request,
        _now: u64,
    ) -> Result<group_msg_recall::Response, Fail> {
        let group = group_mut(
            state,
            &request.group_id,
            group_msg_recall::Error::GroupNotFound,
        )?;
        let results: Vec<_> = request
            .msg_seq_list
            .iter()
            .map(|item| {
                let code = match group
                    .messages
                    .iter_mut()
                    .find(|m| m.seq == item.msg_seq && !m.recalled)
                {
                    Some(message) => {
                        message.recalled = true;
                        0
                    }
                    None => group_msg_recall::Error::MsgNotFound.code(),
                };
                group_msg_recall::RecallRetItem::new(item.msg_seq, code)
            })
            .collect();
        Ok(group_msg_recall::Response::new().recall_ret_list(results))
    }
}

impl Emulated for set_unread_msg_num::SetUnreadMsgNum {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// The count is lowered to the group's number of messages; in a type whose clients keep
    /// no unread counts (ChatRoom/Meeting, AVChatRoom) it changes nothing, without an error.
    fn apply(
        state: &mut State,
        request: set_unread_msg_num::Request,
        _now: u64,
    ) -> Result<set_unread_msg_num::Response, Fail> {
        let group = group_mut(
            state,
            &request.group_id,
            set_unread_msg_num::Error::GroupNotFound,
        )?;
        require_member(
            group,
            &request.member_account,
            "Member_Account",
            set_unread_msg_num::Error::InvalidParameter,
        )?;
        if group.counts_unread() {
            let cap = group.message_count();
            let member = group
                .member_mut(&request.member_account)
                .expect("checked above");
            member.unread = u64::from(request.unread_msg_num).min(cap);
        }
        Ok(set_unread_msg_num::Response::new())
    }
}
