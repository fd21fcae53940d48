//! friend_import, friend_add, friend_update, friend_delete, friend_delete_all, friend_check,
//! friend_get, friend_get_list.

use tim_rest::sns::{
    friend_add, friend_check, friend_delete, friend_delete_all, friend_get, friend_get_list,
    friend_import, friend_update,
};
use tim_rest::{StringOrInteger, TagValue};

use tim_rest::ApiError;

use super::{check_ways, require_account, Emulated, Fail, ItemResult, Items, Service, Ways};
use crate::state::{
    dedup, FriendRecord, State, MAX_FRIENDS, MAX_GROUPS, TAG_GROUP, TAG_PROFILE_IMAGE,
    TAG_PROFILE_NICK, TAG_REMARK,
};

/// Friends per `friend_get` page (the service does not document its page size).
pub(crate) const FRIEND_PAGE: usize = 100;

const MAX_REMARK_BYTES: usize = 96;
const MAX_GROUP_NAME_BYTES: usize = 30;
const MAX_CUSTOM_BYTES: usize = 500;

impl Emulated for friend_import::FriendImport {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &friend_import::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: friend_import::Request,
        now: u64,
    ) -> Result<friend_import::Response, Fail> {
        let from = request.from_account.as_str();
        require_account(state, from, friend_import::Error::AccountNotFound)?;
        let mut items = Items::default();
        for item in &request.add_friend_item {
            items.push(item.to_account.clone(), import_one(state, from, item, now));
        }
        Ok(friend_import::Response::new(
            items
                .build(|to, code, info| friend_import::ResultItem::new(to, code).result_info(info)),
        )
        .fail_account(items.failed()))
    }
}

fn import_one(
    state: &mut State,
    from: &str,
    item: &friend_import::AddFriendItem,
    now: u64,
) -> ItemResult {
    let to = item.to_account.as_str();
    if to == from {
        return Err((
            friend_import::Error::InvalidParameter.code(),
            "Err_SNS_FriendImport_Add_Self",
        ));
    }
    if !state.has_account(to) {
        return Err((
            friend_import::Error::AccountNotFound.code(),
            "Err_SNS_FriendImport_Account_Not_Exist",
        ));
    }
    let mut record = FriendRecord {
        remark: item.remark.clone().unwrap_or_default(),
        group_names: dedup(item.group_name.iter().flatten()),
        add_source: item.add_source.clone(),
        add_wording: item.add_wording.clone().unwrap_or_default(),
        add_time: item.add_time.unwrap_or(now),
        remark_time: item.remark_time.unwrap_or(0),
        custom: Vec::new(),
    };
    for custom in item.custom_item.iter().flatten() {
        record.set_custom(&custom.tag, custom.value.clone());
    }
    if let Some(existing) = state.friend(from, to) {
        // A retried import of the same relation succeeds without a change; without AddTime
        // the retry cannot know the time stored by the first attempt, so any time matches.
        if item.add_time.is_none() {
            record.add_time = existing.add_time;
        }
        return if *existing == record {
            Ok(())
        } else {
            Err((
                friend_import::Error::InvalidParameter.code(),
                "Err_SNS_FriendImport_Friend_Exist",
            ))
        };
    }
    if state.is_blacklisted(from, to) {
        return Err((
            friend_import::Error::PeerInMyBlacklist.code(),
            "Err_SNS_FriendImport_Peer_In_My_BlackList",
        ));
    }
    if state.is_blacklisted(to, from) {
        return Err((
            friend_import::Error::InPeerBlacklist.code(),
            "Err_SNS_FriendImport_I_Am_In_Peer_BlackList",
        ));
    }
    if state.friend_count(from) >= MAX_FRIENDS {
        return Err((
            friend_import::Error::FriendLimitReached.code(),
            "Err_SNS_FriendImport_My_Friend_Num_Exceed_Threshold",
        ));
    }
    if state.group_count_with(from, record.group_names.iter().map(String::as_str)) > MAX_GROUPS {
        return Err((
            friend_import::Error::GroupLimitReached.code(),
            "Err_SNS_FriendImport_Group_Num_Exceed_Threshold",
        ));
    }
    state.add_groups(from, record.group_names.iter().map(String::as_str));
    state.set_friend(from, to, record);
    Ok(())
}

impl Emulated for friend_add::FriendAdd {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &friend_add::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: friend_add::Request,
        now: u64,
    ) -> Result<friend_add::Response, Fail> {
        let from = request.from_account.as_str();
        let both = match &request.add_type {
            None | Some(friend_add::AddType::Both) => true,
            Some(friend_add::AddType::Single) => false,
            Some(other) => {
                return Err(Fail::code(
                    friend_add::Error::InvalidParameter,
                    format!("AddType {other:?} is not valid"),
                ))
            }
        };
        require_account(state, from, friend_add::Error::AccountNotFound)?;
        let mut items = Items::default();
        for item in &request.add_friend_item {
            items.push(
                item.to_account.clone(),
                add_one(state, from, item, both, now),
            );
        }
        Ok(friend_add::Response::new(
            items.build(|to, code, info| friend_add::ResultItem::new(to, code).result_info(info)),
        )
        .fail_account(items.failed()))
    }
}

fn add_one(
    state: &mut State,
    from: &str,
    item: &friend_add::AddFriendItem,
    both: bool,
    now: u64,
) -> ItemResult {
    let to = item.to_account.as_str();
    if to == from {
        return Err((
            friend_add::Error::InvalidParameter.code(),
            "Err_SNS_FriendAdd_Add_Self",
        ));
    }
    if !state.has_account(to) {
        return Err((
            friend_add::Error::AccountNotFound.code(),
            "Err_SNS_FriendAdd_Account_Not_Exist",
        ));
    }
    if state.is_friend(from, to) {
        return Err((
            friend_add::Error::InvalidParameter.code(),
            "Err_SNS_FriendAdd_Friend_Exist",
        ));
    }
    if state.is_blacklisted(from, to) {
        return Err((
            friend_add::Error::PeerInMyBlacklist.code(),
            "Err_SNS_FriendAdd_Peer_In_My_BlackList",
        ));
    }
    if state.is_blacklisted(to, from) {
        return Err((
            friend_add::Error::InPeerBlacklist.code(),
            "Err_SNS_FriendAdd_I_Am_In_Peer_BlackList",
        ));
    }
    if state.friend_count(from) >= MAX_FRIENDS {
        return Err((
            friend_add::Error::FriendLimitReached.code(),
            "Err_SNS_FriendAdd_My_Friend_Num_Exceed_Threshold",
        ));
    }
    let reverse = both && !state.is_friend(to, from);
    if reverse && state.friend_count(to) >= MAX_FRIENDS {
        return Err((
            friend_add::Error::PeerFriendLimitReached.code(),
            "Err_SNS_FriendAdd_Peer_Friend_Num_Exceed_Threshold",
        ));
    }
    let groups: Vec<String> = item.group_name.iter().cloned().collect();
    if state.group_count_with(from, groups.iter().map(String::as_str)) > MAX_GROUPS {
        return Err((
            friend_add::Error::GroupLimitReached.code(),
            "Err_SNS_FriendAdd_Group_Num_Exceed_Threshold",
        ));
    }
    state.add_groups(from, groups.iter().map(String::as_str));
    let record = FriendRecord {
        remark: item.remark.clone().unwrap_or_default(),
        group_names: groups,
        add_source: item.add_source.clone(),
        add_wording: item.add_wording.clone().unwrap_or_default(),
        add_time: now,
        remark_time: if item.remark.is_some() { now } else { 0 },
        custom: Vec::new(),
    };
    state.set_friend(from, to, record);
    if reverse {
        let record = FriendRecord {
            add_source: item.add_source.clone(),
            add_time: now,
            ..FriendRecord::default()
        };
        state.set_friend(to, from, record);
    }
    Ok(())
}

impl Emulated for friend_update::FriendUpdate {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &friend_update::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: friend_update::Request,
        now: u64,
    ) -> Result<friend_update::Response, Fail> {
        let from = request.from_account.as_str();
        require_account(state, from, friend_update::Error::AccountNotFound)?;
        let mut items = Items::default();
        for item in &request.update_item {
            items.push(item.to_account.clone(), update_one(state, from, item, now));
        }
        Ok(friend_update::Response::new(
            items
                .build(|to, code, info| friend_update::ResultItem::new(to, code).result_info(info)),
        )
        .fail_account(items.failed()))
    }
}

/// Applies every field of one update item, or none of them.
fn update_one(
    state: &mut State,
    from: &str,
    item: &friend_update::UpdateItem,
    now: u64,
) -> ItemResult {
    let to = item.to_account.as_str();
    if !state.has_account(to) {
        return Err((
            friend_update::Error::AccountNotFound.code(),
            "Err_SNS_FriendUpdate_Account_Not_Exist",
        ));
    }
    let Some(existing) = state.friend(from, to) else {
        return Err((
            friend_update::Error::InvalidParameter.code(),
            "Err_SNS_FriendUpdate_Friend_Not_Exist",
        ));
    };
    let mut record = existing.clone();
    for field in &item.sns_item {
        match (field.tag.as_str(), &field.value) {
            (TAG_REMARK, TagValue::String(remark)) if remark.len() <= MAX_REMARK_BYTES => {
                record.remark = remark.clone();
                record.remark_time = now;
            }
            (TAG_REMARK, _) => {
                return Err((
                    friend_update::Error::InvalidParameter.code(),
                    "Err_SNS_FriendUpdate_Remark_Invalid",
                ))
            }
            (TAG_GROUP, value) => {
                let names = match value {
                    TagValue::Strings(names) => dedup(names),
                    TagValue::String(name) => vec![name.clone()],
                    TagValue::Integer(_) => {
                        return Err((
                            friend_update::Error::InvalidParameter.code(),
                            "Err_SNS_FriendUpdate_Group_Invalid",
                        ))
                    }
                };
                let valid = names
                    .iter()
                    .all(|n| !n.is_empty() && n.len() <= MAX_GROUP_NAME_BYTES);
                if !valid || names.len() > MAX_GROUPS {
                    return Err((
                        friend_update::Error::InvalidParameter.code(),
                        "Err_SNS_FriendUpdate_Group_Invalid",
                    ));
                }
                record.group_names = names;
            }
            (tag, _) if tag.starts_with("Tag_SNS_IM_") => {
                return Err((
                    friend_update::Error::InvalidParameter.code(),
                    "Err_SNS_FriendUpdate_Tag_Not_Updatable",
                ))
            }
            (tag, TagValue::String(text)) if text.len() <= MAX_CUSTOM_BYTES => {
                record.set_custom(tag, StringOrInteger::String(text.clone()));
            }
            (tag, TagValue::Integer(number)) => {
                record.set_custom(tag, StringOrInteger::Integer(*number));
            }
            _ => {
                return Err((
                    friend_update::Error::InvalidParameter.code(),
                    "Err_SNS_FriendUpdate_Custom_Value_Invalid",
                ))
            }
        }
    }
    if state.group_count_with(from, record.group_names.iter().map(String::as_str)) > MAX_GROUPS {
        return Err((
            friend_update::Error::GroupLimitReached.code(),
            "Err_SNS_FriendUpdate_Group_Num_Exceed_Threshold",
        ));
    }
    if *existing != record {
        state.add_groups(from, record.group_names.iter().map(String::as_str));
        state.set_friend(from, to, record);
    }
    Ok(())
}

impl Emulated for friend_delete::FriendDelete {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &friend_delete::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: friend_delete::Request,
        _now: u64,
    ) -> Result<friend_delete::Response, Fail> {
        let from = request.from_account.as_str();
        let both = match &request.delete_type {
            None | Some(tim_rest::types::DeleteType::Single) => false,
            Some(tim_rest::types::DeleteType::Both) => true,
            Some(other) => {
                return Err(Fail::code(
                    friend_delete::Error::InvalidParameter,
                    format!("DeleteType {other:?} is not valid"),
                ))
            }
        };
        require_account(state, from, friend_delete::Error::AccountNotFound)?;
        let mut items = Items::default();
        for to in &request.to_account {
            let result = if !state.has_account(to) {
                Err((
                    friend_delete::Error::AccountNotFound.code(),
                    "Err_SNS_FriendDelete_Account_Not_Exist",
                ))
            } else if !state.remove_friend(from, to) {
                Err((
                    friend_delete::Error::NotFriend.code(),
                    "Err_SNS_FriendDelete_Not_Friend",
                ))
            } else {
                if both {
                    state.remove_friend(to, from);
                }
                Ok(())
            };
            items.push(to.clone(), result);
        }
        Ok(friend_delete::Response::new(items.build(
            |to, code, info| friend_delete::ResultItem::new(to, code).result_info(info),
        )))
    }
}

impl Emulated for friend_delete_all::FriendDeleteAll {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &friend_delete_all::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: friend_delete_all::Request,
        _now: u64,
    ) -> Result<friend_delete_all::Response, Fail> {
        let from = request.from_account.as_str();
        let both = match &request.delete_type {
            None | Some(tim_rest::types::DeleteType::Single) => false,
            Some(tim_rest::types::DeleteType::Both) => true,
            Some(other) => {
                return Err(Fail::code(
                    friend_delete_all::Error::InvalidParameter,
                    format!("DeleteType {other:?} is not valid"),
                ))
            }
        };
        require_account(state, from, friend_delete_all::Error::AccountNotFound)?;
        for friend in state.remove_all_friends(from) {
            if both {
                state.remove_friend(&friend, from);
            }
        }
        Ok(friend_delete_all::Response::new())
    }
}

impl Emulated for friend_check::FriendCheck {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: friend_check::Request,
        _now: u64,
    ) -> Result<friend_check::Response, Fail> {
        use friend_check::{CheckType, InfoItem, Relation};
        let from = request.from_account.as_str();
        let both = match &request.check_type {
            CheckType::Single => false,
            CheckType::Both => true,
            other => {
                return Err(Fail::code(
                    friend_check::Error::InvalidParameter,
                    format!("CheckType {other:?} is not valid"),
                ))
            }
        };
        let (items, failed) = check_ways(
            state,
            friend_check::Error::AccountNotFound,
            from,
            &request.to_account,
            both,
            State::is_friend,
            |to, ways| match ways {
                None => InfoItem::new(to, 30003)
                    .relation(Relation::NoRelation)
                    .result_info("Err_SNS_FriendCheck_Account_Not_Exist"),
                Some(ways) => InfoItem::new(to, 0).relation(match ways {
                    Ways::Both => Relation::BothWay,
                    Ways::FromTo => Relation::AWithB,
                    Ways::ToFrom => Relation::BWithA,
                    Ways::Neither => Relation::NoRelation,
                }),
            },
        )?;
        Ok(friend_check::Response::new(items).fail_account(failed))
    }
}

impl Emulated for friend_get::FriendGet {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: friend_get::Request,
        _now: u64,
    ) -> Result<friend_get::Response, Fail> {
        use friend_get::{Response, UserDataItem, ValueItem};
        let from = request.from_account.as_str();
        require_account(state, from, friend_get::Error::AccountNotFound)?;
        let total = state.friend_count(from);
        let start = usize::try_from(request.start_index)
            .unwrap_or(usize::MAX)
            .min(total);
        let end = start.saturating_add(FRIEND_PAGE).min(total);
        let sequence = state.sequences(from).friends;
        let unchanged = |sent: Option<u64>| sent.is_some_and(|s| s != 0 && s == sequence);
        let skip_standard = unchanged(request.standard_sequence);
        let skip_custom = unchanged(request.custom_sequence);
        let page: Vec<UserDataItem> = state
            .friends_of(from)
            .skip(start)
            .take(end - start)
            .map(|(to, record)| {
                let values = record
                    .values()
                    .into_iter()
                    .filter(|(_, _, standard)| {
                        if *standard {
                            !skip_standard
                        } else {
                            !skip_custom
                        }
                    })
                    .map(|(tag, value, _)| ValueItem::new(tag, value));
                UserDataItem::new(to).value_item(values)
            })
            .collect();
        let complete = end >= total;
        Ok(Response::new(u64::from(complete))
            .user_data_item(page)
            .standard_sequence(sequence)
            .custom_sequence(sequence)
            .friend_num(total as u64)
            .next_start_index(if complete { 0 } else { end as u64 }))
    }
}

impl Emulated for friend_get_list::FriendGetList {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: friend_get_list::Request,
        _now: u64,
    ) -> Result<friend_get_list::Response, Fail> {
        use friend_get_list::{InfoItem, SnsProfileItem};
        let from = request.from_account.as_str();
        require_account(state, from, friend_get_list::Error::AccountNotFound)?;
        let mut failed = Vec::new();
        let items: Vec<InfoItem> = request
            .to_account
            .iter()
            .map(|to| {
                if !state.has_account(to) {
                    failed.push(to.clone());
                    return InfoItem::new(to, 30003)
                        .result_info("Err_SNS_FriendGetList_Account_Not_Exist");
                }
                let Some(record) = state.friend(from, to) else {
                    failed.push(to.clone());
                    return InfoItem::new(to, 30001)
                        .result_info("Err_SNS_FriendGetList_Friend_Not_Exist");
                };
                let profile = state.profile(to);
                let values = request.tag_list.iter().filter_map(|tag| {
                    let value = match tag.as_str() {
                        TAG_PROFILE_NICK => {
                            profile.and_then(|p| p.nick.clone()).map(TagValue::String)
                        }
                        TAG_PROFILE_IMAGE => profile
                            .and_then(|p| p.face_url.clone())
                            .map(TagValue::String),
                        tag if tag.starts_with("Tag_SNS_") => record.tag_value(tag),
                        _ => None,
                    };
                    value.map(|v| SnsProfileItem::new(tag, v))
                });
                InfoItem::new(to, 0).sns_profile_item(values)
            })
            .collect();
        Ok(friend_get_list::Response::new(items).fail_account(failed))
    }
}
