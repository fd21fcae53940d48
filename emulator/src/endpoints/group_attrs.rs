//! A group's custom attributes (modify_group_attr, set_group_attr, clear_group_attr,
//! delete_group_attr, get_group_attr) and counters (get_group_counter, update_group_counter,
//! delete_group_counter).

use std::collections::BTreeMap;

use tim_rest::group_open_attr_http_svc::get_group_attr;
use tim_rest::group_open_http_svc::{
    clear_group_attr, delete_group_attr, delete_group_counter, get_group_counter,
    modify_group_attr, set_group_attr, update_group_counter,
};
use tim_rest::types::{GroupAttrItem, GroupCounterItem};

use super::group_access::{group, group_mut};
use super::{Emulated, Fail, Service};
use crate::state::{State, MAX_ATTR_BYTES, MAX_ATTR_KEYS, MAX_COUNTER_KEYS};

/// The per-group limits of the attribute pages: 16 keys (10047), 16000 bytes of values
/// together (10048).
fn check_attrs(attrs: &BTreeMap<String, String>) -> Result<(), Fail> {
    if attrs.len() > MAX_ATTR_KEYS {
        return Err(Fail::new(
            10047,
            format!(
                "a group has at most {MAX_ATTR_KEYS} attribute keys ({} asked)",
                attrs.len()
            ),
        ));
    }
    let bytes: usize = attrs.values().map(String::len).sum();
    if bytes > MAX_ATTR_BYTES {
        return Err(Fail::new(
            10048,
            format!(
                "a group's attribute values hold at most {MAX_ATTR_BYTES} bytes ({bytes} asked)"
            ),
        ));
    }
    Ok(())
}

/// Replaces the group's attributes by `attrs` if they keep within the limits.
fn store_attrs(
    state: &mut State,
    id: &str,
    change: impl FnOnce(&mut BTreeMap<String, String>) -> Result<(), Fail>,
) -> Result<(), Fail> {
    let group = group_mut(state, id)?;
    let mut attrs = group.attrs.clone();
    change(&mut attrs)?;
    check_attrs(&attrs)?;
    group.attrs = attrs;
    Ok(())
}

impl Emulated for modify_group_attr::ModifyGroupAttr {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Adds or replaces the listed keys, keeping the others.
    fn apply(
        state: &mut State,
        request: modify_group_attr::Request,
        _now: u64,
    ) -> Result<modify_group_attr::Response, Fail> {
        store_attrs(state, &request.group_id, |attrs| {
            attrs.extend(request.group_attr.into_iter().map(|a| (a.key, a.value)));
            Ok(())
        })?;
        Ok(modify_group_attr::Response::new())
    }
}

impl Emulated for set_group_attr::SetGroupAttr {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Replaces every attribute by the listed ones (the page's "reset"; it does not say
    /// otherwise what happens to keys left out, and the emulator drops them).
    fn apply(
        state: &mut State,
        request: set_group_attr::Request,
        _now: u64,
    ) -> Result<set_group_attr::Response, Fail> {
        store_attrs(state, &request.group_id, |attrs| {
            *attrs = request
                .group_attr
                .into_iter()
                .map(|a| (a.key, a.value))
                .collect();
            Ok(())
        })?;
        Ok(set_group_attr::Response::new())
    }
}

impl Emulated for clear_group_attr::ClearGroupAttr {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: clear_group_attr::Request,
        _now: u64,
    ) -> Result<clear_group_attr::Response, Fail> {
        group_mut(state, &request.group_id)?.attrs.clear();
        Ok(clear_group_attr::Response::new())
    }
}

impl Emulated for delete_group_attr::DeleteGroupAttr {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// A key the group does not have answers 10050, and nothing is deleted.
    fn apply(
        state: &mut State,
        request: delete_group_attr::Request,
        _now: u64,
    ) -> Result<delete_group_attr::Response, Fail> {
        store_attrs(state, &request.group_id, |attrs| {
            if let Some(missing) = request
                .group_attr
                .iter()
                .find(|k| !attrs.contains_key(&k.key))
            {
                return Err(Fail::new(
                    10050,
                    format!("the group has no attribute {:?}", missing.key),
                ));
            }
            for key in &request.group_attr {
                attrs.remove(&key.key);
            }
            Ok(())
        })?;
        Ok(delete_group_attr::Response::new())
    }
}

impl Emulated for get_group_attr::GetGroupAttr {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: get_group_attr::Request,
        _now: u64,
    ) -> Result<get_group_attr::Response, Fail> {
        let group = group(state, &request.group_id)?;
        Ok(get_group_attr::Response::new()
            .group_attr_ary(group.attrs.iter().map(|(k, v)| GroupAttrItem::new(k, v))))
    }
}

/// The counters `keys` names (all when absent or empty).
fn counters_named(
    counters: &BTreeMap<String, i64>,
    keys: Option<&[String]>,
) -> Vec<GroupCounterItem> {
    counters
        .iter()
        .filter(|(k, _)| keys.is_none_or(|keys| keys.is_empty() || keys.contains(k)))
        .map(|(k, v)| GroupCounterItem::new(k, *v))
        .collect()
}

impl Emulated for get_group_counter::GetGroupCounter {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: get_group_counter::Request,
        _now: u64,
    ) -> Result<get_group_counter::Response, Fail> {
        let group = group(state, &request.group_id)?;
        Ok(
            get_group_counter::Response::new().group_counter(counters_named(
                &group.counters,
                request.group_counter_keys.as_deref(),
            )),
        )
    }
}

impl Emulated for update_group_counter::UpdateGroupCounter {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// `Set`, `Increase` or `Decrease` each listed counter (a new one starts at 0); more than
    /// 20 keys in the group answers 10063. The reply carries the counters changed.
    fn apply(
        state: &mut State,
        request: update_group_counter::Request,
        _now: u64,
    ) -> Result<update_group_counter::Response, Fail> {
        use update_group_counter::CounterMode;
        let group = group_mut(state, &request.group_id)?;
        let mut counters = group.counters.clone();
        for item in &request.group_counter {
            let value = counters.entry(item.key.clone()).or_insert(0);
            *value = match request.mode {
                CounterMode::Set => item.value,
                CounterMode::Increase => value.saturating_add(item.value),
                CounterMode::Decrease => value.saturating_sub(item.value),
                ref other => {
                    return Err(Fail::new(10004, format!("Mode {other:?} is not valid")));
                }
            };
        }
        if counters.len() > MAX_COUNTER_KEYS {
            return Err(Fail::new(
                10063,
                format!(
                    "a group has at most {MAX_COUNTER_KEYS} counters ({} asked)",
                    counters.len()
                ),
            ));
        }
        let keys: Vec<String> = request
            .group_counter
            .iter()
            .map(|i| i.key.clone())
            .collect();
        let changed = counters_named(&counters, Some(&keys));
        group.counters = counters;
        Ok(update_group_counter::Response::new().group_counter(changed))
    }
}

impl Emulated for delete_group_counter::DeleteGroupCounter {
    const SERVICE: Service = Service::Group;
    const WRITES: bool = true;

    /// Deletes the listed counters (every counter when the list is absent or empty).
    fn apply(
        state: &mut State,
        request: delete_group_counter::Request,
        _now: u64,
    ) -> Result<delete_group_counter::Response, Fail> {
        let group = group_mut(state, &request.group_id)?;
        match request.group_counter_keys.as_deref() {
            Some(keys) if !keys.is_empty() => group.counters.retain(|k, _| !keys.contains(k)),
            _ => group.counters.clear(),
        }
        Ok(delete_group_counter::Response::new())
    }
}
