//! group_add, group_delete, group_get.

use tim_rest::sns::{group_add, group_delete, group_get};

use tim_rest::ApiError;

use super::{require_account, Emulated, Fail, ItemResult, Items, Service};
use crate::state::{dedup, State, MAX_GROUPS};

impl Emulated for group_add::GroupAdd {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &group_add::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: group_add::Request,
        _now: u64,
    ) -> Result<group_add::Response, Fail> {
        let from = request.from_account.as_str();
        require_account(state, from, group_add::Error::AccountNotFound)?;
        let names = dedup(&request.group_name);
        if state.group_count_with(from, names.iter().map(String::as_str)) > MAX_GROUPS {
            return Err(Fail::code(group_add::Error::GroupLimitReached,
                format!("Err_SNS_GroupAdd_Group_Num_Exceed_Threshold: an account has at most {MAX_GROUPS} friend groups"),
            ));
        }
        state.add_groups(from, names.iter().map(String::as_str));
        let mut items = Items::default();
        for to in request.to_account.iter().flatten() {
            items.push(to.clone(), put_in_groups(state, from, to, &names));
        }
        Ok(group_add::Response::new()
            .result_item(
                items
                    .build(|to, code, info| group_add::ResultItem::new(to, code).result_info(info)),
            )
            .fail_account(items.failed())
            .current_sequence(state.sequences(from).groups))
    }
}

/// Puts friend `to` of `from` into every group of `names`.
fn put_in_groups(state: &mut State, from: &str, to: &str, names: &[String]) -> ItemResult {
    if !state.has_account(to) {
        return Err((
            group_add::Error::AccountNotFound.code(),
            "Err_SNS_GroupAdd_Account_Not_Exist",
        ));
    }
    let Some(record) = state.friend(from, to) else {
        return Err((
            group_add::Error::NotAFriend.code(),
            "Err_SNS_GroupAdd_ToTinyId_Not_Friend",
        ));
    };
    let mut record = record.clone();
    let before = record.group_names.len();
    for name in names {
        if !record.group_names.contains(name) {
            record.group_names.push(name.clone());
        }
    }
    if record.group_names.len() != before {
        state.set_friend(from, to, record);
    }
    Ok(())
}

impl Emulated for group_delete::GroupDelete {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &group_delete::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: group_delete::Request,
        _now: u64,
    ) -> Result<group_delete::Response, Fail> {
        let from = request.from_account.as_str();
        require_account(state, from, group_delete::Error::AccountNotFound)?;
        state.delete_groups(from, &request.group_name);
        Ok(group_delete::Response::new().current_sequence(state.sequences(from).groups))
    }
}

impl Emulated for group_get::GroupGet {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: group_get::Request,
        _now: u64,
    ) -> Result<group_get::Response, Fail> {
        let from = request.from_account.as_str();
        let need_friend = match &request.need_friend {
            None => false,
            Some(group_get::NeedFriend::Yes) => true,
            Some(other) => {
                return Err(Fail::code(
                    group_get::Error::InvalidParameter,
                    format!("NeedFriend {other:?} is not valid"),
                ))
            }
        };
        require_account(state, from, group_get::Error::AccountNotFound)?;
        let sequence = state.sequences(from).groups;
        let names: Vec<String> = match &request.group_name {
            Some(names) if !names.is_empty() => dedup(names)
                .into_iter()
                .filter(|name| state.has_group(from, name))
                .collect(),
            _ if request
                .last_sequence
                .is_some_and(|s| s != 0 && s == sequence) =>
            {
                Vec::new()
            }
            _ => state.groups_of(from).cloned().collect(),
        };
        let groups = names.into_iter().map(|name| {
            let members: Vec<&String> = state
                .friends_of(from)
                .filter(|(_, record)| record.group_names.contains(&name))
                .map(|(to, _)| to)
                .collect();
            let item = group_get::GroupItem::new(name, members.len() as u64);
            if need_friend {
                item.to_account(members)
            } else {
                item
            }
        });
        Ok(group_get::Response::new()
            .result_item(groups)
            .current_sequence(sequence))
    }
}
