//! Members: add_group_member, import_group_member, delete_group_member,
//! modify_group_member_info, get_group_member_info, forbid_send_msg, get_group_muted_account.

use tim_rest::group_open_http_svc::{
    add_group_member, delete_group_member, forbid_send_msg, get_group_member_info,
    get_group_muted_account, import_group_member, modify_group_member_info,
};
use tim_rest::types::{
    GroupMemberInfo, GroupMemberRole, GroupType, MemberRole, MuteTime, MutedAccountItem,
};

use super::group_access::{group, group_mut, not_av_chat_room, require_member};
use super::group_profiles::app_data_items;
use super::{Emulated, Fail, Service};
use crate::state::{Group, Member, Role, State, MUTE_FOREVER};

/// A member's profile with the fields `fields` names (absent: all) and the custom keys
/// `keys` names (absent: all of them).
pub(crate) fn member_info(
    member: &Member,
    fields: Option<&[String]>,
    keys: Option<&[String]>,
    next_seq: u64,
) -> GroupMemberInfo {
    let want = |name: &str| fields.is_none_or(|f| f.iter().any(|n| n == name));
    let mut info = GroupMemberInfo::new(&member.account);
    if want("Role") {
        info = info.role(member_role(member.role));
    }
    if want("JoinTime") {
        info = info.join_time(member.join_time);
    }
    if want("MsgSeq") {
        // The last message read: everything but the unread ones.
        info = info.msg_seq(next_seq.saturating_sub(1).saturating_sub(member.unread));
    }
    if want("MsgFlag") {
        info = info.msg_flag(member.msg_flag.clone());
    }
    if want("LastSendMsgTime") {
        info = info.last_send_msg_time(member.last_send_time);
    }
    if want("MuteUntil") {
        info = info.mute_until(member.mute_until);
    }
    if want("NameCard") {
        info = info.name_card(&member.name_card);
    }
    if fields.is_none() || keys.is_some() {
        info = info.app_member_defined_data(app_data_items(&member.app_data, keys));
    }
    info
}

fn member_role(role: Role) -> MemberRole {
    match role {
        Role::Owner => MemberRole::Owner,
        Role::Admin => MemberRole::Admin,
        Role::Member => MemberRole::Member,
    }
}

/// `full` (10014) unless `adding` more members fit.
fn room_for(group: &Group, adding: usize, full: impl tim_rest::ApiError) -> Result<(), Fail> {
    if group.members.len() + adding > group.max_members as usize {
        return Err(Fail::code(
            full,
            format!(
                "the group is full: {} members of at most {}, {adding} more asked",
                group.members.len(),
                group.max_members
            ),
        ));
    }
    Ok(())
}

impl Emulated for add_group_member::AddGroupMember {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Every account must be imported (10019, the page's code for it); a member already there
    /// is `AlreadyMember`; an AVChatRoom answers 10007; a group without room 10014.
    fn apply(
        state: &mut State,
        request: add_group_member::Request,
        now: u64,
    ) -> Result<add_group_member::Response, Fail> {
        if let Some(missing) = request
            .member_list
            .iter()
            .find(|m| !state.has_account(&m.member_account))
        {
            return Err(Fail::code(
                add_group_member::Error::AccountNotFound,
                format!("Member_Account {:?} does not exist", missing.member_account),
            ));
        }
        let group = group_mut(
            state,
            &request.group_id,
            add_group_member::Error::GroupNotFound,
        )?;
        not_av_chat_room(
            group,
            "add_group_member",
            add_group_member::Error::PermissionDenied,
        )?;
        let mut accounts: Vec<&String> = request
            .member_list
            .iter()
            .map(|m| &m.member_account)
            .collect();
        accounts.dedup();
        let new = accounts.iter().filter(|a| !group.is_member(a)).count();
        room_for(group, new, add_group_member::Error::GroupFull)?;
        let results = request.member_list.iter().map(|item| {
            let account = &item.member_account;
            let result = if group.is_member(account) {
                add_group_member::AddResult::AlreadyMember
            } else {
                group.members.push(Member::new(account, Role::Member, now));
                add_group_member::AddResult::Added
            };
            add_group_member::AddMemberResult::new(account, result)
        });
        let results: Vec<_> = results.collect();
        Ok(add_group_member::Response::new().member_list(results))
    }
}

impl Emulated for import_group_member::ImportGroupMember {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Per member: `Failed` for an account not imported, a `JoinTime` not strictly between the
    /// group's creation and now (the page), or a full group; `AlreadyMember`, or `Imported`. An unread count
    /// above the group's messages is lowered to their number.
    fn apply(
        state: &mut State,
        request: import_group_member::Request,
        now: u64,
    ) -> Result<import_group_member::Response, Fail> {
        let known: Vec<bool> = request
            .member_list
            .iter()
            .map(|m| state.has_account(&m.member_account))
            .collect();
        let group = group_mut(
            state,
            &request.group_id,
            import_group_member::Error::GroupNotFound,
        )?;
        not_av_chat_room(
            group,
            "import_group_member",
            import_group_member::Error::PermissionDenied,
        )?;
        let mut results = Vec::with_capacity(request.member_list.len());
        for (item, known) in request.member_list.into_iter().zip(known) {
            let join_time = item.join_time.unwrap_or(now);
            let result = if group.is_member(&item.member_account) {
                import_group_member::ImportResult::AlreadyMember
            } else if !known
                || join_time <= group.created
                || join_time >= now
                || group.members.len() >= group.max_members as usize
            {
                // The page names no code for a full group: that member is not imported.
                import_group_member::ImportResult::Failed
            } else {
                let role = match item.role {
                    Some(GroupMemberRole::Admin) => Role::Admin,
                    _ => Role::Member,
                };
                let mut member = Member::new(&item.member_account, role, join_time);
                if group.counts_unread() {
                    member.unread =
                        u64::from(item.unread_msg_num.unwrap_or(0)).min(group.message_count());
                }
                group.members.push(member);
                import_group_member::ImportResult::Imported
            };
            results.push(import_group_member::MemberResult::new(
                item.member_account,
                result,
            ));
        }
        Ok(import_group_member::Response::new().member_list(results))
    }
}

impl Emulated for delete_group_member::DeleteGroupMember {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Accounts that are not members are passed over. The owner is not removed: the
    /// ownership must move first (10004; the page names no code for it).
    fn apply(
        state: &mut State,
        request: delete_group_member::Request,
        _now: u64,
    ) -> Result<delete_group_member::Response, Fail> {
        let group = group_mut(
            state,
            &request.group_id,
            delete_group_member::Error::GroupNotFound,
        )?;
        if let Some(owner) = &group.owner {
            if request.member_to_del_account.contains(owner) {
                return Err(Fail::code(
                    delete_group_member::Error::InvalidParameter,
                    format!("{owner:?} owns the group: change_group_owner first"),
                ));
            }
        }
        group
            .members
            .retain(|m| !request.member_to_del_account.contains(&m.account));
        Ok(delete_group_member::Response::new())
    }
}

/// `MuteUntil` for a `MuteTime` given at `now`: 0 lifts the mute, 4294967295 is for ever.
fn mute_until(time: MuteTime, now: u64) -> u64 {
    match u64::from(time.0) {
        0 => 0,
        MUTE_FOREVER => MUTE_FOREVER,
        seconds => now + seconds,
    }
}

impl Emulated for modify_group_member_info::ModifyGroupMemberInfo {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// The owner's role cannot be set (10004); an `AppMemberDefinedData` item with an empty
    /// value removes the key.
    fn apply(
        state: &mut State,
        request: modify_group_member_info::Request,
        now: u64,
    ) -> Result<modify_group_member_info::Response, Fail> {
        let group = group_mut(
            state,
            &request.group_id,
            modify_group_member_info::Error::GroupNotFound,
        )?;
        require_member(
            group,
            &request.member_account,
            "Member_Account",
            modify_group_member_info::Error::InvalidParameter,
        )?;
        let member = group
            .member_mut(&request.member_account)
            .expect("checked above");
        if let Some(role) = request.role {
            if member.role == Role::Owner {
                return Err(Fail::code(
                    modify_group_member_info::Error::InvalidParameter,
                    "the owner's role cannot be changed: change_group_owner instead",
                ));
            }
            member.role = match role {
                modify_group_member_info::AssignableRole::Admin => Role::Admin,
                _ => Role::Member,
            };
        }
        if let Some(flag) = request.msg_flag {
            member.msg_flag = flag;
        }
        if let Some(card) = request.name_card {
            member.name_card = card;
        }
        if let Some(time) = request.mute_time {
            member.mute_until = mute_until(time, now);
        }
        for item in request.app_member_defined_data.into_iter().flatten() {
            if item.value.is_empty() {
                member.app_data.remove(&item.key);
            } else {
                member.app_data.insert(item.key, item.value);
            }
        }
        Ok(modify_group_member_info::Response::new())
    }
}

impl Emulated for get_group_member_info::GetGroupMemberInfo {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    /// Members in the order they joined, filtered by role, from `Offset` (or from the
    /// emulator's own `Next` cursor, the offset as text), `Limit` at a time (all when
    /// absent). A community (or a request with `Next`) gets a `Next` back, empty on the last
    /// page.
    fn apply(
        state: &mut State,
        request: get_group_member_info::Request,
        _now: u64,
    ) -> Result<get_group_member_info::Response, Fail> {
        let group = group(
            state,
            &request.group_id,
            get_group_member_info::Error::GroupNotFound,
        )?;
        let roles = request.member_role_filter.as_deref();
        let matching: Vec<&Member> = group
            .members
            .iter()
            .filter(|m| roles.is_none_or(|r| r.contains(&member_role(m.role))))
            .collect();
        let offset = match &request.next {
            Some(next) if !next.is_empty() => next.parse::<usize>().map_err(|_| {
                Fail::code(
                    get_group_member_info::Error::InvalidParameter,
                    format!("Next {next:?} is not a cursor this emulator gave"),
                )
            })?,
            _ => request.offset.unwrap_or(0) as usize,
        };
        let limit = request.limit.map_or(usize::MAX, |l| l as usize);
        let fields: Option<Vec<String>> = request
            .member_info_filter
            .as_ref()
            .map(|f| f.iter().map(|x| x.as_str().to_owned()).collect());
        let keys = request.app_defined_data_filter_group_member.as_deref();
        let page: Vec<GroupMemberInfo> = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|m| member_info(m, fields.as_deref(), keys, group.next_seq))
            .collect();
        let end = offset.saturating_add(page.len());
        let reply = get_group_member_info::Response::new()
            .member_num(matching.len() as u64)
            .member_list(page);
        // Only a community answers with a `Next` cursor (or a walk that chose one).
        if group.kind != GroupType::Community && request.next.is_none() {
            return Ok(reply);
        }
        let next = if end < matching.len() {
            end.to_string()
        } else {
            String::new()
        };
        Ok(reply.next(next))
    }
}

impl Emulated for forbid_send_msg::ForbidSendMsg {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Mutes (or, with 0, unmutes) each listed member; accounts that are not members are
    /// passed over.
    fn apply(
        state: &mut State,
        request: forbid_send_msg::Request,
        now: u64,
    ) -> Result<forbid_send_msg::Response, Fail> {
        let group = group_mut(
            state,
            &request.group_id,
            forbid_send_msg::Error::GroupNotFound,
        )?;
        let until = mute_until(request.mute_time, now);
        for member in &mut group.members {
            if request.members_account.contains(&member.account) {
                member.mute_until = until;
            }
        }
        Ok(forbid_send_msg::Response::new())
    }
}

impl Emulated for get_group_muted_account::GetGroupMutedAccount {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: get_group_muted_account::Request,
        now: u64,
    ) -> Result<get_group_muted_account::Response, Fail> {
        let group = group(
            state,
            &request.group_id,
            get_group_muted_account::Error::GroupNotFound,
        )?;
        let muted = group
            .members
            .iter()
            .filter(|m| m.muted_at(now))
            .map(|m| MutedAccountItem::new(&m.account, m.mute_until));
        Ok(get_group_muted_account::Response::new()
            .group_id(&request.group_id)
            .muted_account_list(muted))
    }
}
