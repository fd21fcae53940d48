//! account_import, multiaccount_import, account_delete, account_check.

use tim_rest::im_open_login_svc::{
    account_check, account_delete, account_import, kick, multiaccount_import,
};

use super::{require_imported, Emulated, Fail, Items, Service};
use crate::state::State;
use tim_rest::CommonError;

impl Emulated for account_import::AccountImport {
    const SERVICE: Service = Service::Account;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: account_import::Request,
        _now: u64,
    ) -> Result<account_import::Response, Fail> {
        state.import_account(&request.user_id, request.nick, request.face_url);
        Ok(account_import::Response::new())
    }
}

impl Emulated for multiaccount_import::MultiaccountImport {
    const SERVICE: Service = Service::Account;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: multiaccount_import::Request,
        _now: u64,
    ) -> Result<multiaccount_import::Response, Fail> {
        // Either form (validate() lets exactly one through): the current one with profile
        // data, or the older UserIDs-only one.
        for account in request.account_list.into_iter().flatten() {
            state.import_account(&account.user_id, account.nick, account.face_url);
        }
        for user_id in request.accounts.into_iter().flatten() {
            state.import_account(&user_id, None, None);
        }
        Ok(multiaccount_import::Response::new())
    }
}

impl Emulated for account_delete::AccountDelete {
    const SERVICE: Service = Service::Account;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: account_delete::Request,
        _now: u64,
    ) -> Result<account_delete::Response, Fail> {
        let mut items = Items::default();
        for item in &request.delete_item {
            let result = if state.delete_account(&item.user_id) {
                Ok(())
            } else {
                Err((
                    CommonError::AccountNotImported.code(),
                    "Err_TLS_PT_Open_Login_Account_Not_Exist",
                ))
            };
            items.push(item.user_id.clone(), result);
        }
        Ok(account_delete::Response::new(items.build(
            |id, code, info| account_delete::ResultItem::new(id, code).result_info(info),
        )))
    }
}

impl Emulated for account_check::AccountCheck {
    const SERVICE: Service = Service::Account;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: account_check::Request,
        _now: u64,
    ) -> Result<account_check::Response, Fail> {
        use account_check::{AccountStatus, ResultItem};
        let items = request.check_item.iter().map(|item| {
            let status = if state.has_account(&item.user_id) {
                AccountStatus::Imported
            } else {
                AccountStatus::NotImported
            };
            ResultItem::new(&item.user_id, 0).account_status(status)
        });
        Ok(account_check::Response::new(items))
    }
}

impl Emulated for kick::Kick {
    const SERVICE: Service = Service::Account;
    const WRITES: bool = false;

    /// The emulator keeps no client logins, so there is nothing to end: an imported account
    /// answers OK, as the service does, and one never imported its documented 70107.
    fn apply(state: &mut State, request: kick::Request, _now: u64) -> Result<kick::Response, Fail> {
        require_imported(
            state,
            &request.user_id,
            kick::Error::Common(CommonError::AccountNotImported),
            "UserID",
        )?;
        Ok(kick::Response::new())
    }
}
