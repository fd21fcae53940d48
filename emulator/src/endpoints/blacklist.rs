//! black_list_add, black_list_delete, black_list_get, black_list_check.

use tim_rest::sns::{black_list_add, black_list_check, black_list_delete, black_list_get};

use tim_rest::ApiError;

use super::{check_ways, require_account, Emulated, Fail, Items, Service, Ways};
use crate::state::{State, MAX_BLACKLIST};

impl Emulated for black_list_add::BlackListAdd {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &black_list_add::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: black_list_add::Request,
        now: u64,
    ) -> Result<black_list_add::Response, Fail> {
        let from = request.from_account.as_str();
        require_account(state, from, black_list_add::Error::AccountNotFound)?;
        let mut items = Items::default();
        for to in &request.to_account {
            let result = if to == from {
                Err((
                    black_list_add::Error::InvalidParameter.code(),
                    "Err_SNS_BlackListAdd_Add_Self",
                ))
            } else if !state.has_account(to) {
                Err((
                    black_list_add::Error::AccountNotFound.code(),
                    "Err_SNS_BlackListAdd_Account_Not_Exist",
                ))
            } else if state.is_blacklisted(from, to) {
                Err((
                    black_list_add::Error::InvalidParameter.code(),
                    "Err_SNS_BlackListAdd_Already_Exist",
                ))
            } else if state.blacklist_count(from) >= MAX_BLACKLIST {
                Err((
                    black_list_add::Error::BlacklistLimitReached.code(),
                    "Err_SNS_BlackListAdd_Black_Num_Exceed_Threshold",
                ))
            } else {
                state.blacklist_add(from, to, now);
                Ok(())
            };
            items.push(to.clone(), result);
        }
        Ok(black_list_add::Response::new(
            items.build(|to, code, info| {
                black_list_add::ResultItem::new(to, code).result_info(info)
            }),
        )
        .fail_account(items.failed()))
    }
}

impl Emulated for black_list_delete::BlackListDelete {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = true;

    fn writer(request: &black_list_delete::Request) -> Option<&str> {
        Some(&request.from_account)
    }

    fn apply(
        state: &mut State,
        request: black_list_delete::Request,
        _now: u64,
    ) -> Result<black_list_delete::Response, Fail> {
        let from = request.from_account.as_str();
        require_account(state, from, black_list_delete::Error::AccountNotFound)?;
        let mut items = Items::default();
        for to in &request.to_account {
            let result = if !state.has_account(to) {
                Err((
                    black_list_delete::Error::AccountNotFound.code(),
                    "Err_SNS_BlackListDelete_Account_Not_Exist",
                ))
            } else if !state.blacklist_remove(from, to) {
                Err((
                    black_list_delete::Error::InvalidParameter.code(),
                    "Err_SNS_BlackListDelete_Not_Exist",
                ))
            } else {
                Ok(())
            };
            items.push(to.clone(), result);
        }
        Ok(
            black_list_delete::Response::new(items.build(|to, code, info| {
                black_list_delete::ResultItem::new(to, code).result_info(info)
            }))
            .fail_account(items.failed()),
        )
    }
}

impl Emulated for black_list_get::BlackListGet {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: black_list_get::Request,
        _now: u64,
    ) -> Result<black_list_get::Response, Fail> {
        let from = request.from_account.as_str();
        require_account(state, from, black_list_get::Error::AccountNotFound)?;
        let total = state.blacklist_count(from);
        let start = usize::try_from(request.start_index)
            .unwrap_or(usize::MAX)
            .min(total);
        // The schema's rule holds MaxLimited to 1..=1000: the gateway's validate() has already
        // answered 30001 for any other page size.
        let end = start
            .saturating_add(usize::try_from(request.max_limited).unwrap_or(usize::MAX))
            .min(total);
        let page = state
            .blacklist_of(from)
            .skip(start)
            .take(end - start)
            .map(|(to, time)| black_list_get::BlackListItem::new(to, *time));
        let next = if end < total { end as u64 } else { 0 };
        let sequence = state.sequences(from).blacklist;
        Ok(black_list_get::Response::new(next)
            .black_list_item(page)
            .curruent_sequence(sequence)
            .current_sequence(sequence))
    }
}

impl Emulated for black_list_check::BlackListCheck {
    const SERVICE: Service = Service::Sns;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: black_list_check::Request,
        _now: u64,
    ) -> Result<black_list_check::Response, Fail> {
        use black_list_check::{BlackCheckType, BlackListCheckItem, BlackRelation};
        let from = request.from_account.as_str();
        let both = match &request.check_type {
            BlackCheckType::Single => false,
            BlackCheckType::Both => true,
            other => {
                return Err(Fail::code(
                    black_list_check::Error::InvalidParameter,
                    format!("CheckType {other:?} is not valid"),
                ))
            }
        };
        let (items, failed) = check_ways(
            state,
            black_list_check::Error::AccountNotFound,
            from,
            &request.to_account,
            both,
            State::is_blacklisted,
            |to, ways| match ways {
                None => BlackListCheckItem::new(to, 30003)
                    .relation(BlackRelation::No)
                    .result_info("Err_SNS_BlackListCheck_Account_Not_Exist"),
                Some(ways) => BlackListCheckItem::new(to, 0).relation(match ways {
                    Ways::Both => BlackRelation::BothWay,
                    Ways::FromTo => BlackRelation::AWithB,
                    Ways::ToFrom => BlackRelation::BWithA,
                    Ways::Neither => BlackRelation::No,
                }),
            },
        )?;
        Ok(black_list_check::Response::new(items).fail_account(failed))
    }
}
