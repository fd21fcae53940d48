//! One-to-one messages: sendmsg, batchsendmsg, importmsg, admin_getroammsg,
//! admin_msgwithdraw, admin_set_msg_read, get_c2c_unread_msg_num, modify_c2c_msg, and
//! query_online_status.

use tim_rest::openim::{
    admin_getroammsg, admin_msgwithdraw, admin_set_msg_read, batchsendmsg, get_c2c_unread_msg_num,
    importmsg, modify_c2c_msg, query_online_status, sendmsg,
};
use tim_rest::{ActionStatus, ApiError, CommonError};

use super::{require_imported, Emulated, Fail, Service};
use crate::state::{C2cMessage, State};

/// The sender: `From_Account` when given (it must be imported: 90048), else the admin,
/// sending as itself.
fn sender(
    state: &State,
    from: Option<&String>,
    missing: impl tim_rest::ApiError,
) -> Result<String, Fail> {
    match from {
        Some(from) => {
            require_imported(state, from, missing, "From_Account")?;
            Ok(from.clone())
        }
        None => Ok(state.admin.clone()),
    }
}

fn body(elements: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(elements).unwrap_or_default()
}

impl Emulated for sendmsg::Sendmsg {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: sendmsg::Request,
        now: u64,
    ) -> Result<sendmsg::Response, Fail> {
        require_imported(
            state,
            &request.to_account,
            sendmsg::Error::ToAccountNotFound,
            "To_Account",
        )?;
        let from = sender(
            state,
            request.from_account.as_ref(),
            sendmsg::Error::AccountNotFound,
        )?;
        let no_unread = request
            .send_msg_control
            .iter()
            .flatten()
            .any(|c| *c == sendmsg::SendMsgControl::NoUnread);
        let message = C2cMessage {
            seq: request
                .msg_seq
                .unwrap_or_else(|| next_seq(state, &from, &request.to_account)),
            random: request.msg_random,
            time: request.msg_time_stamp.unwrap_or(now),
            from,
            to: request.to_account,
            body: body(&request.msg_body),
            cloud_custom_data: request.cloud_custom_data,
            unread: !no_unread,
            withdrawn: false,
        };
        let reply = sendmsg::Response::new()
            .msg_time(message.time)
            .msg_key(message.key());
        state.messages.push(message);
        Ok(reply)
    }
}

/// The next sequence of a conversation: one past the largest so far.
fn next_seq(state: &State, a: &str, b: &str) -> u32 {
    state
        .messages
        .iter()
        .filter(|m| m.between(a, b))
        .map(|m| m.seq)
        .max()
        .map_or(1, |seq| seq.wrapping_add(1))
}

impl Emulated for importmsg::Importmsg {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = true;

    /// History: no unread count. A message equal in sender, receiver, sequence, random and
    /// time to one stored is the same message (the service's de-duplication key): importing
    /// it again changes nothing and succeeds.
    fn apply(
        state: &mut State,
        request: importmsg::Request,
        _now: u64,
    ) -> Result<importmsg::Response, Fail> {
        require_imported(
            state,
            &request.from_account,
            importmsg::Error::InvalidFromAccount,
            "From_Account",
        )?;
        require_imported(
            state,
            &request.to_account,
            importmsg::Error::ToAccountNotFound,
            "To_Account",
        )?;
        let seq = request.msg_seq.unwrap_or(0);
        let duplicate = state.messages.iter().any(|m| {
            m.from == request.from_account
                && m.to == request.to_account
                && m.seq == seq
                && m.random == request.msg_random
                && m.time == request.msg_time_stamp
        });
        if !duplicate {
            state.messages.push(C2cMessage {
                from: request.from_account,
                to: request.to_account,
                seq,
                random: request.msg_random,
                time: request.msg_time_stamp,
                body: body(&request.msg_body),
                cloud_custom_data: request.cloud_custom_data,
                unread: false,
                withdrawn: false,
            });
        }
        Ok(importmsg::Response::new())
    }
}

impl Emulated for admin_getroammsg::AdminGetroammsg {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = false;

    /// Newest first within `MinTime..=MaxTime`, `MaxCnt` a page; a continuation
    /// (`LastMsgKey`) starts after that message. Recalled messages come with
    /// `MsgFlagBits` 8 (RECALLED).
    fn apply(
        state: &mut State,
        request: admin_getroammsg::Request,
        _now: u64,
    ) -> Result<admin_getroammsg::Response, Fail> {
        require_imported(
            state,
            &request.operator_account,
            admin_getroammsg::Error::InvalidFromAccount,
            "Operator_Account",
        )?;
        require_imported(
            state,
            &request.peer_account,
            admin_getroammsg::Error::InvalidToAccount,
            "Peer_Account",
        )?;
        // What the operator cleared (recentcontact/delete with ClearRamble) is gone.
        let cleared = state.cleared(&request.operator_account, &request.peer_account);
        let mut window: Vec<&C2cMessage> = state
            .messages
            .iter()
            .skip(cleared)
            .filter(|m| m.between(&request.operator_account, &request.peer_account))
            .filter(|m| (request.min_time..=request.max_time).contains(&m.time))
            .collect();
        // Newest first; equal times by sequence, as the service orders a conversation.
        window.sort_by_key(|m| std::cmp::Reverse((m.time, m.seq)));
        let start = match &request.last_msg_key {
            Some(key) => window
                .iter()
                .position(|m| m.key() == *key)
                .map_or(0, |i| i + 1),
            None => 0,
        };
        let take = usize::try_from(request.max_cnt).unwrap_or(usize::MAX);
        let page: Vec<&C2cMessage> = window.iter().skip(start).take(take).copied().collect();
        let complete = start + page.len() >= window.len();
        let mut reply = admin_getroammsg::Response::new()
            .complete(u32::from(complete))
            .msg_cnt(page.len() as u32);
        if let Some(last) = page.last() {
            reply = reply.last_msg_time(last.time).last_msg_key(last.key());
        }
        let items = page.iter().map(|m| {
            let mut item = admin_getroammsg::RoamMsg::new(
                m.from.clone(),
                m.to.clone(),
                m.seq,
                m.random,
                m.time,
                m.key(),
                serde_json::from_value::<Vec<tim_rest::types::MsgElem>>(m.body.clone())
                    .unwrap_or_default(),
            );
            if m.withdrawn {
                item = item.msg_flag_bits(admin_getroammsg::MsgFlagBits::RECALLED);
            }
            if let Some(data) = &m.cloud_custom_data {
                item = item.cloud_custom_data(data.clone());
            }
            item
        });
        Ok(reply.msg_list(items))
    }
}

impl Emulated for admin_msgwithdraw::AdminMsgwithdraw {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: admin_msgwithdraw::Request,
        _now: u64,
    ) -> Result<admin_msgwithdraw::Response, Fail> {
        require_imported(
            state,
            &request.from_account,
            admin_msgwithdraw::Error::InvalidFromAccount,
            "From_Account",
        )?;
        require_imported(
            state,
            &request.to_account,
            admin_msgwithdraw::Error::InvalidToAccount,
            "To_Account",
        )?;
        let found = state.messages.iter_mut().find(|m| {
            m.from == request.from_account
                && m.to == request.to_account
                && m.key() == request.msg_key
        });
        match found {
            None => Err(Fail::code(
                admin_msgwithdraw::Error::MessageNotFound,
                format!("no message {:?}", request.msg_key),
            )),
            Some(m) if m.withdrawn => Err(Fail::code(
                admin_msgwithdraw::Error::AlreadyRecalled,
                "the message was recalled already",
            )),
            Some(m) => {
                m.withdrawn = true;
                Ok(admin_msgwithdraw::Response::new())
            }
        }
    }
}

impl Emulated for admin_set_msg_read::AdminSetMsgRead {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = true;

    /// Marks the peer's messages to the reader read up to `MsgReadTime` (now when absent).
    fn apply(
        state: &mut State,
        request: admin_set_msg_read::Request,
        now: u64,
    ) -> Result<admin_set_msg_read::Response, Fail> {
        require_imported(
            state,
            &request.report_account,
            admin_set_msg_read::Error::InvalidFromAccount,
            "Report_Account",
        )?;
        require_imported(
            state,
            &request.peer_account,
            admin_set_msg_read::Error::InvalidToAccount,
            "Peer_Account",
        )?;
        let up_to = request.msg_read_time.unwrap_or(now);
        let mark = state
            .read_up_to
            .entry(request.report_account)
            .or_default()
            .entry(request.peer_account)
            .or_default();
        *mark = (*mark).max(up_to);
        Ok(admin_set_msg_read::Response::new())
    }
}

impl Emulated for get_c2c_unread_msg_num::GetC2cUnreadMsgNum {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = false;

    /// Without `Peer_Account`, the total; with it, one count per peer (a peer never imported
    /// goes to `ErrorList` with 90003).
    fn apply(
        state: &mut State,
        request: get_c2c_unread_msg_num::Request,
        _now: u64,
    ) -> Result<get_c2c_unread_msg_num::Response, Fail> {
        require_imported(
            state,
            &request.to_account,
            get_c2c_unread_msg_num::Error::InvalidFromAccount,
            "To_Account",
        )?;
        let reader = &request.to_account;
        let Some(peers) = &request.peer_account else {
            let total = state
                .unread_peers(reader)
                .iter()
                .map(|peer| state.unread(reader, peer))
                .sum();
            return Ok(get_c2c_unread_msg_num::Response::new().all_c2c_unread_msg_num(total));
        };
        let mut counts = Vec::new();
        let mut errors = Vec::new();
        for peer in peers {
            if state.has_account(peer) {
                counts.push(get_c2c_unread_msg_num::C2CUnreadMsgNumItem::new(
                    peer.clone(),
                    state.unread(reader, peer),
                ));
            } else {
                errors.push(get_c2c_unread_msg_num::ErrorItem::new(
                    peer.clone(),
                    get_c2c_unread_msg_num::Error::InvalidToAccount.code(),
                ));
            }
        }
        Ok(get_c2c_unread_msg_num::Response::new()
            .c2c_unread_msg_num_list(counts)
            .error_list(errors))
    }
}

impl Emulated for batchsendmsg::Batchsendmsg {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = true;

    /// One message to each receiver. A receiver never imported goes to `ErrorList` with 70107
    /// (the page's partial-failure sample); then the reply is `ActionStatus` "SomeError" with
    /// code 0, as documented, or 90012 when no receiver exists.
    fn apply(
        state: &mut State,
        request: batchsendmsg::Request,
        now: u64,
    ) -> Result<batchsendmsg::Response, Fail> {
        let from = sender(
            state,
            request.from_account.as_ref(),
            batchsendmsg::Error::AccountNotFound,
        )?;
        let no_unread = request
            .send_msg_control
            .iter()
            .flatten()
            .any(|c| *c == batchsendmsg::SendMsgControl::NoUnread);
        let body = body(&request.msg_body);
        let mut errors = Vec::new();
        let mut key = None;
        for to in &request.to_account {
            if !state.has_account(to) {
                errors.push(batchsendmsg::ErrorItem::new(
                    to.clone(),
                    CommonError::AccountNotImported.code(),
                ));
                continue;
            }
            let message = C2cMessage {
                seq: request
                    .msg_seq
                    .unwrap_or_else(|| next_seq(state, &from, to)),
                random: request.msg_random,
                time: now,
                from: from.clone(),
                to: to.clone(),
                body: body.clone(),
                cloud_custom_data: request.cloud_custom_data.clone(),
                unread: !no_unread,
                withdrawn: false,
            };
            key.get_or_insert_with(|| message.key());
            state.messages.push(message);
        }
        let Some(key) = key else {
            return Err(Fail::code(
                batchsendmsg::Error::ToAccountNotFound,
                "invalid To_Account: no receiver has been imported",
            ));
        };
        let mut reply = batchsendmsg::Response::new().msg_key(key);
        if !errors.is_empty() {
            reply.action_status = ActionStatus::Other("SomeError".to_owned());
            reply = reply.error_list(errors);
        }
        Ok(reply)
    }
}

impl Emulated for modify_c2c_msg::ModifyC2cMsg {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = true;

    /// Replaces the body and/or the custom data of a stored message, found by `MsgKey`.
    fn apply(
        state: &mut State,
        request: modify_c2c_msg::Request,
        _now: u64,
    ) -> Result<modify_c2c_msg::Response, Fail> {
        // The page's code for a sender or receiver that is not imported.
        require_imported(
            state,
            &request.from_account,
            modify_c2c_msg::Error::InvalidUserId,
            "From_Account",
        )?;
        require_imported(
            state,
            &request.to_account,
            modify_c2c_msg::Error::ToAccountNotFound,
            "To_Account",
        )?;
        if request.msg_body.is_none() && request.cloud_custom_data.is_none() {
            return Err(Fail::code(
                modify_c2c_msg::Error::InvalidRequest,
                "give MsgBody, CloudCustomData or both",
            ));
        }
        let Some(message) = state.messages.iter_mut().find(|m| {
            m.from == request.from_account
                && m.to == request.to_account
                && m.key() == request.msg_key
        }) else {
            return Err(Fail::code(
                modify_c2c_msg::Error::InvalidRequest,
                format!("no message {:?}", request.msg_key),
            ));
        };
        if let Some(new_body) = &request.msg_body {
            message.body = body(new_body);
        }
        if let Some(data) = request.cloud_custom_data {
            message.cloud_custom_data = Some(data);
        }
        Ok(modify_c2c_msg::Response::new())
    }
}

impl Emulated for query_online_status::QueryOnlineStatus {
    const SERVICE: Service = Service::Message;
    const WRITES: bool = false;

    /// No client logs in to the emulator: every imported account is `Offline` (with no
    /// platform detail); one never imported goes to `ErrorList` with 70107.
    fn apply(
        state: &mut State,
        request: query_online_status::Request,
        _now: u64,
    ) -> Result<query_online_status::Response, Fail> {
        let mut results = Vec::new();
        let mut errors = Vec::new();
        for to in &request.to_account {
            if state.has_account(to) {
                results.push(query_online_status::QueryResultItem::new(
                    to.clone(),
                    query_online_status::OnlineStatus::Offline,
                ));
            } else {
                errors.push(query_online_status::ErrorItem::new(
                    to.clone(),
                    CommonError::AccountNotImported.code(),
                ));
            }
        }
        Ok(query_online_status::Response::new()
            .query_result(results)
            .error_list(errors))
    }
}
