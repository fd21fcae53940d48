//! Groups as a whole: create_group, import_group, get_group_info, modify_group_base_info,
//! destroy_group, get_appid_group_list, get_joined_group_list, get_role_in_group,
//! change_group_owner.

use std::collections::BTreeMap;

use tim_rest::group_open_http_svc::{
    change_group_owner, create_group, destroy_group, get_appid_group_list, get_group_info,
    get_joined_group_list, get_role_in_group, import_group, modify_group_base_info,
};
use tim_rest::types::{
    AppDefinedDataItem, GroupInfo, GroupMemberRole, GroupType, MuteAllState, RoleInGroup,
};

use tim_rest::ApiError;

use super::group_access::{group, group_mut, require_account, require_member};
use super::group_members::member_info;
use super::{Emulated, Fail, Service};
use crate::state::{Group, Member, Role, State, DEFAULT_MAX_MEMBERS};

/// What create_group and import_group both take.
struct NewGroup {
    kind: GroupType,
    id: Option<String>,
    name: String,
    owner: Option<String>,
    introduction: Option<String>,
    notification: Option<String>,
    face_url: Option<String>,
    max_members: Option<u32>,
    apply_join: Option<tim_rest::types::ApplyJoinOption>,
    app_data: Option<Vec<AppDefinedDataItem>>,
    support_topic: bool,
}

/// Makes the group at creation time `created`: the ID checks of the Group System page
/// (1047/33529: a custom ID must not start with `@TGS#`, a community's must start with
/// `@TGS#_`; a taken ID is 10021), the owner joins as a member.
fn make_group<E: ApiError + Copy>(
    state: &mut State,
    new: NewGroup,
    created: u64,
    now: u64,
    (invalid, taken): (E, E),
) -> Result<String, Fail> {
    if let Some(owner) = &new.owner {
        require_account(state, owner, "Owner_Account", invalid)?;
    }
    let community = new.kind == GroupType::Community;
    let id = match new.id {
        Some(id) => {
            if community && !id.starts_with("@TGS#_") {
                return Err(Fail::code(
                    invalid,
                    format!("a community's GroupId must start with @TGS#_ (found {id:?})"),
                ));
            }
            if !community && id.starts_with("@TGS#") {
                return Err(Fail::code(
                    invalid,
                    format!("a custom GroupId must not start with @TGS# (found {id:?})"),
                ));
            }
            if state.chat_groups.contains_key(&id) {
                return Err(Fail::code(
                    taken,
                    format!("GroupId {id:?} is already in use"),
                ));
            }
            id
        }
        None => loop {
            let number = state.groups_made + 1;
            let id = if community {
                format!("@TGS#_{number:08X}")
            } else {
                format!("@TGS#2{number:08X}")
            };
            if !state.chat_groups.contains_key(&id) {
                break id;
            }
            state.groups_made += 1;
        },
    };
    state.groups_made += 1;
    let members = new
        .owner
        .iter()
        .map(|owner| Member::new(owner, Role::Owner, created))
        .collect();
    let group = Group {
        kind: new.kind,
        name: new.name,
        introduction: new.introduction.unwrap_or_default(),
        notification: new.notification.unwrap_or_default(),
        face_url: new.face_url.unwrap_or_default(),
        owner: new.owner,
        max_members: new.max_members.unwrap_or(DEFAULT_MAX_MEMBERS),
        apply_join: new.apply_join,
        mute_all: false,
        created,
        order: state.groups_made,
        info_seq: 1,
        last_info_time: now,
        support_topic: new.support_topic,
        app_data: app_data(new.app_data.unwrap_or_default()),
        members,
        messages: Vec::new(),
        next_seq: 1,
        attrs: BTreeMap::new(),
        counters: BTreeMap::new(),
    };
    state.chat_groups.insert(id.clone(), group);
    Ok(id)
}

pub(crate) fn app_data(items: Vec<AppDefinedDataItem>) -> BTreeMap<String, String> {
    items.into_iter().map(|i| (i.key, i.value)).collect()
}

pub(crate) fn app_data_items(
    data: &BTreeMap<String, String>,
    keys: Option<&[String]>,
) -> Vec<AppDefinedDataItem> {
    data.iter()
        .filter(|(k, _)| keys.is_none_or(|keys| keys.contains(k)))
        .map(|(k, v)| AppDefinedDataItem::new(k, v))
        .collect()
}

impl Emulated for create_group::CreateGroup {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// An AVChatRoom takes no members (10007); every member must be imported (10004, the page
    /// names no code) and joins at once.
    fn apply(
        state: &mut State,
        request: create_group::Request,
        now: u64,
    ) -> Result<create_group::Response, Fail> {
        let members = request.member_list.unwrap_or_default();
        let av = matches!(request.r#type, GroupType::AvChatRoom | GroupType::BChatRoom);
        if av && !members.is_empty() {
            return Err(Fail::code(
                create_group::Error::PermissionDenied,
                "an audio-video group (AVChatRoom) takes no MemberList: users join it by applying",
            ));
        }
        for member in &members {
            require_account(
                state,
                &member.member_account,
                "MemberList.Member_Account",
                create_group::Error::InvalidParameter,
            )?;
        }
        let kind = request.r#type.clone();
        let id = make_group(
            state,
            NewGroup {
                kind: request.r#type,
                id: request.group_id,
                name: request.name,
                owner: request.owner_account,
                introduction: request.introduction,
                notification: request.notification,
                face_url: request.face_url,
                max_members: request.max_member_count,
                apply_join: request.apply_join_option,
                app_data: request.app_defined_data,
                support_topic: request.support_topic == Some(1),
            },
            now,
            now,
            (
                create_group::Error::InvalidParameter,
                create_group::Error::GroupIdTaken,
            ),
        )?;
        let group = state.chat_groups.get_mut(&id).expect("just made");
        for item in members {
            if group.is_member(&item.member_account) {
                continue;
            }
            let role = match item.role {
                Some(GroupMemberRole::Admin) => Role::Admin,
                _ => Role::Member,
            };
            let mut member = Member::new(item.member_account, role, now);
            member.app_data = app_data(item.app_member_defined_data.unwrap_or_default());
            group.members.push(member);
        }
        Ok(create_group::Response::new().group_id(id).r#type(kind))
    }
}

impl Emulated for import_group::ImportGroup {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Keeps `CreateTime` (now when absent); an AVChatRoom answers 10007; a GroupId in use
    /// answers 10021, which a migration that re-sends takes as done.
    fn apply(
        state: &mut State,
        request: import_group::Request,
        now: u64,
    ) -> Result<import_group::Response, Fail> {
        if matches!(request.r#type, GroupType::AvChatRoom | GroupType::BChatRoom) {
            return Err(Fail::code(
                import_group::Error::PermissionDenied,
                "an audio-video group (AVChatRoom) cannot be imported: create it instead",
            ));
        }
        let created = request.create_time.unwrap_or(now);
        let id = make_group(
            state,
            NewGroup {
                kind: request.r#type,
                id: request.group_id,
                name: request.name,
                owner: request.owner_account,
                introduction: request.introduction,
                notification: request.notification,
                face_url: request.face_url,
                max_members: request.max_member_count,
                apply_join: request.apply_join_option,
                app_data: request.app_defined_data,
                support_topic: request.support_topic == Some(1),
            },
            created,
            now,
            (
                import_group::Error::InvalidParameter,
                import_group::Error::GroupIdTaken,
            ),
        )?;
        Ok(import_group::Response::new().group_id(id))
    }
}

/// Whether `filter` (absent: everything) names `name`.
fn wants(filter: Option<&[String]>, name: &str) -> bool {
    filter.is_none_or(|f| f.iter().any(|n| n == name))
}

fn mute_state(on: bool) -> MuteAllState {
    if on {
        MuteAllState::On
    } else {
        MuteAllState::Off
    }
}

/// A group's profile, the base fields `base` names (absent: all).
fn group_info(id: &str, group: &Group, base: Option<&[String]>) -> GroupInfo {
    let mut info = GroupInfo::new(id).error_code(0).error_info("");
    let want = |name| wants(base, name);
    if want("Type") {
        info = info.r#type(group.kind.clone());
    }
    if want("Name") {
        info = info.name(&group.name);
    }
    if want("Introduction") {
        info = info.introduction(&group.introduction);
    }
    if want("Notification") {
        info = info.notification(&group.notification);
    }
    if want("FaceUrl") {
        info = info.face_url(&group.face_url);
    }
    if want("Owner_Account") {
        info = info.owner_account(group.owner.clone().unwrap_or_default());
    }
    if want("CreateTime") {
        info = info.create_time(group.created);
    }
    if want("InfoSeq") {
        info = info.info_seq(group.info_seq);
    }
    if want("LastInfoTime") {
        info = info.last_info_time(group.last_info_time);
    }
    if want("LastMsgTime") {
        info = info.last_msg_time(group.messages.last().map_or(0, |m| m.time));
    }
    if want("NextMsgSeq") {
        info = info.next_msg_seq(group.next_seq);
    }
    if want("MemberNum") {
        info = info.member_num(group.members.len() as u32);
    }
    if want("MaxMemberNum") {
        info = info.max_member_num(group.max_members);
    }
    if want("ApplyJoinOption") {
        if let Some(option) = &group.apply_join {
            info = info.apply_join_option(option.clone());
        }
    }
    if want("MuteAllMember") {
        info = info.mute_all_member(mute_state(group.mute_all));
    }
    info
}

impl Emulated for get_group_info::GetGroupInfo {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    /// A group that does not exist is an item with its own `ErrorCode` 10010.
    fn apply(
        state: &mut State,
        request: get_group_info::Request,
        _now: u64,
    ) -> Result<get_group_info::Response, Fail> {
        let filter = request.response_filter.as_ref();
        // With a filter, only what it names; without, everything.
        let (base, members, group_keys, member_keys) = match filter {
            None => (None, Some(None), Some(None), None),
            Some(f) => (
                Some(f.group_base_info_filter.as_deref().unwrap_or(&[])),
                f.member_info_filter.as_deref().map(Some),
                f.app_defined_data_filter_group.as_deref().map(Some),
                f.app_defined_data_filter_group_member.as_deref(),
            ),
        };
        let infos = request.group_id_list.iter().map(|id| {
            let Some(group) = state.chat_groups.get(id) else {
                return GroupInfo::new(id)
                    .error_code(get_group_info::Error::GroupNotFound.code())
                    .error_info("the group does not exist or has been destroyed");
            };
            let mut info = group_info(id, group, base);
            if let Some(keys) = group_keys {
                info = info.app_defined_data(app_data_items(&group.app_data, keys));
            }
            if let Some(fields) = members {
                info = info.member_list(
                    group
                        .members
                        .iter()
                        .map(|m| member_info(m, fields, member_keys, group.next_seq)),
                );
            }
            info
        });
        Ok(get_group_info::Response::new().group_info(infos))
    }
}

impl Emulated for modify_group_base_info::ModifyGroupBaseInfo {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// An `AppDefinedData` item with an empty value removes the key.
    fn apply(
        state: &mut State,
        request: modify_group_base_info::Request,
        now: u64,
    ) -> Result<modify_group_base_info::Response, Fail> {
        let group = group_mut(
            state,
            &request.group_id,
            modify_group_base_info::Error::GroupNotFound,
        )?;
        if let Some(max) = request.max_member_num {
            if (max as usize) < group.members.len() {
                return Err(Fail::code(
                    modify_group_base_info::Error::InvalidParameter,
                    format!(
                        "MaxMemberNum {max} is below the group's {} members",
                        group.members.len()
                    ),
                ));
            }
            group.max_members = max;
        }
        if let Some(name) = request.name {
            group.name = name;
        }
        if let Some(text) = request.introduction {
            group.introduction = text;
        }
        if let Some(text) = request.notification {
            group.notification = text;
        }
        if let Some(url) = request.face_url {
            group.face_url = url;
        }
        if let Some(option) = request.apply_join_option {
            group.apply_join = Some(option);
        }
        if let Some(mute) = request.mute_all_member {
            group.mute_all = mute == MuteAllState::On;
        }
        for item in request.app_defined_data.into_iter().flatten() {
            if item.value.is_empty() {
                group.app_data.remove(&item.key);
            } else {
                group.app_data.insert(item.key, item.value);
            }
        }
        group.touch(now);
        Ok(modify_group_base_info::Response::new())
    }
}

impl Emulated for destroy_group::DestroyGroup {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: destroy_group::Request,
        _now: u64,
    ) -> Result<destroy_group::Response, Fail> {
        group(
            state,
            &request.group_id,
            destroy_group::Error::GroupNotFound,
        )?;
        state.chat_groups.remove(&request.group_id);
        Ok(destroy_group::Response::new())
    }
}

/// Most IDs one get_appid_group_list page carries, and its default.
const MAX_GROUP_IDS: u32 = 10_000;

impl Emulated for get_appid_group_list::GetAppidGroupList {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    /// Groups in the order they were made. `Next` is the creation order of the last group
    /// returned (0 when none is left), so a group made or destroyed between pages neither
    /// repeats nor hides the others.
    fn apply(
        state: &mut State,
        request: get_appid_group_list::Request,
        _now: u64,
    ) -> Result<get_appid_group_list::Response, Fail> {
        let limit = request
            .limit
            .unwrap_or(MAX_GROUP_IDS)
            .clamp(1, MAX_GROUP_IDS) as usize;
        let after = request.next.unwrap_or(0);
        let mut of_type: Vec<(u64, &String)> = state
            .chat_groups
            .iter()
            .filter(|(_, g)| request.group_type.as_ref().is_none_or(|t| *t == g.kind))
            .map(|(id, g)| (g.order, id))
            .collect();
        of_type.sort();
        let total = of_type.len() as u64;
        let page: Vec<&(u64, &String)> = of_type
            .iter()
            .filter(|(o, _)| *o > after)
            .take(limit)
            .collect();
        let more = of_type.iter().filter(|(o, _)| *o > after).count() > page.len();
        let next = if more {
            page.last().map_or(0, |(o, _)| *o)
        } else {
            0
        };
        Ok(get_appid_group_list::Response::new()
            .next(next)
            .total_count(total)
            .group_id_list(
                page.iter()
                    .map(|(_, id)| get_appid_group_list::GroupIdItem::new(id.as_str())),
            ))
    }
}

fn role_in_group(role: Role) -> RoleInGroup {
    match role {
        Role::Owner => RoleInGroup::Owner,
        Role::Admin => RoleInGroup::Admin,
        Role::Member => RoleInGroup::Member,
    }
}

impl Emulated for get_joined_group_list::GetJoinedGroupList {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    /// The groups `Member_Account` is in, oldest first; audio-video groups only with
    /// `WithHugeGroups: 1`. Base fields and the member's own data only as the filter names
    /// them.
    fn apply(
        state: &mut State,
        request: get_joined_group_list::Request,
        _now: u64,
    ) -> Result<get_joined_group_list::Response, Fail> {
        let account = request.member_account.as_str();
        require_account(
            state,
            account,
            "Member_Account",
            get_joined_group_list::Error::InvalidParameter,
        )?;
        let mut joined: Vec<(&String, &Group)> = state
            .chat_groups
            .iter()
            .filter(|(_, g)| g.is_member(account))
            .filter(|(_, g)| request.with_huge_groups == Some(1) || !g.is_av_chat_room())
            .filter(|(_, g)| request.group_type.as_ref().is_none_or(|t| *t == g.kind))
            .collect();
        joined.sort_by_key(|(_, g)| g.order);
        let total = joined.len() as u64;
        let offset = request.offset.unwrap_or(0) as usize;
        let limit = request.limit.map_or(usize::MAX, |l| l as usize);
        let filter = request.response_filter.as_ref();
        let base = filter.and_then(|f| f.group_base_info_filter.as_deref());
        let own = filter.and_then(|f| f.self_info_filter.as_deref());
        let items = joined.iter().skip(offset).take(limit).map(|(id, group)| {
            let mut item = get_joined_group_list::JoinedGroup::new(id.as_str());
            if let Some(base) = base {
                let info = group_info(id, group, Some(base));
                item.r#type = info.r#type;
                item.name = info.name;
                item.introduction = info.introduction;
                item.notification = info.notification;
                item.face_url = info.face_url;
                item.create_time = info.create_time;
                item.owner_account = info.owner_account;
                item.info_seq = info.info_seq;
                item.last_info_time = info.last_info_time;
                item.last_msg_time = info.last_msg_time;
                item.next_msg_seq = info.next_msg_seq;
                item.member_num = info.member_num;
                item.max_member_num = info.max_member_num;
                item.apply_join_option = info.apply_join_option;
                item.mute_all_member = info.mute_all_member;
            }
            if let Some(own) = own {
                let member = group.member(account).expect("filtered on membership");
                let want = |name| wants(Some(own), name);
                let mut me = get_joined_group_list::JoinedGroupSelfInfo::new();
                if want("Role") {
                    me = me.role(role_in_group(member.role));
                }
                if want("JoinTime") {
                    me = me.join_time(member.join_time);
                }
                if want("MsgFlag") {
                    me = me.msg_flag(member.msg_flag.clone());
                }
                if want("NameCard") {
                    me = me.name_card(&member.name_card);
                }
                if want("MuteUntil") {
                    me = me.mute_until(member.mute_until);
                }
                if want("LastSendMsgTime") {
                    me = me.last_send_msg_time(member.last_send_time);
                }
                item = item.self_info(me);
            }
            item
        });
        Ok(get_joined_group_list::Response::new()
            .total_count(total)
            .group_id_list(items))
    }
}

impl Emulated for get_role_in_group::GetRoleInGroup {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: get_role_in_group::Request,
        _now: u64,
    ) -> Result<get_role_in_group::Response, Fail> {
        let group = group(
            state,
            &request.group_id,
            get_role_in_group::Error::GroupNotFound,
        )?;
        let roles = request.user_account.iter().map(|account| {
            let role = group
                .member(account)
                .map_or(RoleInGroup::NotMember, |m| role_in_group(m.role));
            get_role_in_group::UserRole::new(account, role)
        });
        Ok(get_role_in_group::Response::new().user_id_list(roles))
    }
}

impl Emulated for change_group_owner::ChangeGroupOwner {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// The new owner must be a member (10004 otherwise); the old owner stays, as a member.
    fn apply(
        state: &mut State,
        request: change_group_owner::Request,
        now: u64,
    ) -> Result<change_group_owner::Response, Fail> {
        let group = group_mut(
            state,
            &request.group_id,
            change_group_owner::Error::GroupNotFound,
        )?;
        let new_owner = request.new_owner_account;
        require_member(
            group,
            &new_owner,
            "NewOwner_Account",
            change_group_owner::Error::InvalidParameter,
        )?;
        for member in &mut group.members {
            if member.role == Role::Owner {
                member.role = Role::Member;
            }
            if member.account == new_owner {
                member.role = Role::Owner;
            }
        }
        group.owner = Some(new_owner);
        group.touch(now);
        Ok(change_group_owner::Response::new())
    }
}
