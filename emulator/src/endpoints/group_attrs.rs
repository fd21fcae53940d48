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
use tim_rest::ApiError;

use super::{Emulated, Fail, Service};
use crate::state::{State, MAX_ATTR_BYTES, MAX_ATTR_KEYS, MAX_COUNTER_KEYS};

/// The codes modify_group_attr and set_group_attr answer, from the endpoint's own enum.
struct AttrCodes<E> {
    gone: E,
    /// 10047: more than 16 keys.
    too_many: E,
    /// 10048: more than 16000 bytes of values.
    too_large: E,
}

/// Replaces the group's attributes by what `change` makes of them, if that keeps within the
/// per-group limits of the attribute pages: 16 keys, 16000 bytes of values together.
fn store_attrs<E: ApiError>(
    state: &mut State,
    id: &str,
    codes: AttrCodes<E>,
    change: impl FnOnce(&mut BTreeMap<String, String>),
) -> Result<(), Fail> {
    let group = group_mut(state, id, codes.gone)?;
    let mut attrs = group.attrs.clone();
    change(&mut attrs);
    if attrs.len() > MAX_ATTR_KEYS {
        return Err(Fail::code(
            codes.too_many,
            format!(
                "a group has at most {MAX_ATTR_KEYS} attribute keys ({} asked)",
                attrs.len()
            ),
        ));
    }
    let bytes: usize = attrs.values().map(String::len).sum();
    if bytes > MAX_ATTR_BYTES {
        return Err(Fail::code(
            codes.too_large,
            format!(
                "a group's attribute values hold at most {MAX_ATTR_BYTES} bytes ({bytes} asked)"
            ),
        ));
    }
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
        use modify_group_attr::Error;
        let codes = AttrCodes {
            gone: Error::GroupNotFound,
            too_many: Error::TooManyAttrKeys,
            too_large: Error::AttrValuesTooLarge,
        };
        store_attrs(state, &request.group_id, codes, |attrs| {
            attrs.extend(request.group_attr.into_iter().map(|a| (a.key, a.value)));
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
        use set_group_attr::Error;
        let codes = AttrCodes {
            gone: Error::GroupNotFound,
            too_many: Error::TooManyAttrKeys,
            too_large: Error::AttrValuesTooLarge,
        };
        store_attrs(state, &request.group_id, codes, |attrs| {
            *attrs = request
                .group_attr
                .into_iter()
                .map(|a| (a.key, a.value))
                .collect();
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
        group_mut(
            state,
            &request.group_id,
            clear_group_attr::Error::GroupNotFound,
        )?
        .attrs
        .clear();
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
        let group = group_mut(
            state,
            &request.group_id,
            delete_group_attr::Error::GroupNotFound,
        )?;
        if let Some(missing) = request
            .group_attr
            .iter()
            .find(|k| !group.attrs.contains_key(&k.key))
        {
            return Err(Fail::code(
                delete_group_attr::Error::AttrNotFound,
                format!("the group has no attribute {:?}", missing.key),
            ));
        }
        for key in &request.group_attr {
            group.attrs.remove(&key.key);
        }
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
        let group = group(
            state,
            &request.group_id,
            get_group_attr::Error::GroupNotFound,
        )?;
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
        let group = group(
            state,
            &request.group_id,
            get_group_counter::Error::GroupNotFound,
        )?;
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
        let group = group_mut(
            state,
            &request.group_id,
            update_group_counter::Error::GroupNotFound,
        )?;
        let mut counters = group.counters.clone();
        for item in &request.group_counter {
            let value = counters.entry(item.key.clone()).or_insert(0);
            *value = match request.mode {
                CounterMode::Set => item.value,
                CounterMode::Increase => value.saturating_add(item.value),
                CounterMode::Decrease => value.saturating_sub(item.value),
                ref other => {
                    return Err(Fail::code(
                        update_group_counter::Error::InvalidParameter,
                        format!("Mode {other:?} is not valid"),
                    ));
                }
            };
        }
        if counters.len() > MAX_COUNTER_KEYS {
            return Err(Fail::code(
                update_group_counter::Error::TooManyCounterKeys,
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
        let group = group_mut(
            state,
            &request.group_id,
            delete_group_counter::Error::GroupNotFound,
        )?;
        match request.group_counter_keys.as_deref() {
            Some(keys) if !keys.is_empty() => group.counters.retain(|k, _| !keys.contains(k)),
            _ => group.counters.clear(),
        }
        Ok(delete_group_counter::Response::new())
    }
}
