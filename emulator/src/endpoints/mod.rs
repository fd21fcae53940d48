//! What each endpoint does to the state, on the generated request and response types.
//!
//! Every endpoint of `schema/` implements [`Emulated`]; [`routes`] lists them all for the
//! server. An `apply` either fails as a whole before touching the state (a [`Fail`], answered
//! as a FAIL envelope) or applies every item it reports as done.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tim_rest::CommonError;

use axum::body::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tim_rest::Endpoint;

use crate::faults::Fault;
use crate::server::{self, Inner, Reply};
use crate::state::State;

mod accounts;
mod blacklist;
mod conversations;
mod friend_groups;
mod friends;
mod group_access;
mod group_attrs;
mod group_members;
mod group_messages;
mod group_profiles;
mod messages;
mod mute;
mod profile;

/// The service an endpoint belongs to, which decides the code of a bad parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    /// `v4/sns/...`: relationship chain.
    Sns,
    /// `v4/im_open_login_svc/...`: accounts.
    Account,
    /// `v4/openconfigsvr/...`: app settings (global mute).
    Config,
    /// `v4/profile/...`: profiles.
    Profile,
    /// `v4/openim/...`: one-to-one messages.
    Message,
    /// `v4/recentcontact/...`: conversations.
    Conversation,
    /// `v4/group_open_http_svc/...` and `v4/group_open_attr_http_svc/...`: groups.
    Group,
}

impl Service {
    /// The code of a request whose body does not fit the request type or breaks a rule.
    pub fn invalid_param(self) -> i64 {
        match self {
            Service::Sns => 30001,
            Service::Account => CommonError::ParameterInvalid.code(),
            // setnospeaking/getnospeaking: "the JSON request could not be parsed".
            Service::Config => 130001,
            Service::Profile => 40001,
            // "the JSON request could not be parsed" on every message page.
            Service::Message => 90001,
            Service::Conversation => 50002,
            // 参数非法 on every group page.
            Service::Group => 10004,
        }
    }
}

/// A request-level failure: `ActionStatus: FAIL` with this code and `ErrorInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail {
    pub code: i64,
    pub info: String,
}

impl Fail {
    pub fn new(code: i64, info: impl Into<String>) -> Self {
        Fail {
            code,
            info: info.into(),
        }
    }

    /// A failure with a code of the endpoint's generated error enum, so that the emulator
    /// can only answer a code the endpoint's page documents.
    pub fn code(code: impl tim_rest::ApiError, info: impl Into<String>) -> Self {
        Fail::new(code.code(), info)
    }
}

/// An endpoint the emulator serves.
pub(crate) trait Emulated: Endpoint {
    /// Which service it belongs to.
    const SERVICE: Service;
    /// Whether it may change the state (then the state file is saved after it).
    const WRITES: bool;

    /// The account whose relationship data this request writes: concurrent writes to one
    /// account are serialized (or answered 30008 when write conflicts are on).
    fn writer(_request: &Self::Request) -> Option<&str> {
        None
    }

    /// Applies the request at time `now` (unix seconds).
    fn apply(state: &mut State, request: Self::Request, now: u64) -> Result<Self::Response, Fail>;
}

/// The outcome of one item of a batch: `Err((code, ResultInfo))` when it failed.
pub(crate) type ItemResult = Result<(), (i64, &'static str)>;

/// The per-item outcomes of a batch, in request order.
#[derive(Debug, Default)]
pub(crate) struct Items {
    list: Vec<(String, i64, &'static str)>,
}

impl Items {
    pub fn push(&mut self, account: impl Into<String>, result: ItemResult) {
        let (code, info) = match result {
            Ok(()) => (0, ""),
            Err(failure) => failure,
        };
        self.list.push((account.into(), code, info));
    }

    /// The accounts whose item failed (`Fail_Account`).
    pub fn failed(&self) -> Vec<String> {
        self.list
            .iter()
            .filter(|(_, code, _)| *code != 0)
            .map(|(account, _, _)| account.clone())
            .collect()
    }

    /// One generated result item per outcome.
    pub fn build<T>(&self, item: impl Fn(&str, i64, &'static str) -> T) -> Vec<T> {
        self.list
            .iter()
            .map(|(account, code, info)| item(account, *code, info))
            .collect()
    }
}

/// Which ways a relation holds between the checking account and one checked account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ways {
    /// Neither way (or, for a one-way check, not from the checking account).
    Neither,
    /// From the checking account to the checked one only.
    FromTo,
    /// From the checked account to the checking one only (asked for both ways).
    ToFrom,
    /// Both ways.
    Both,
}

/// What friend_check and black_list_check do alike: `from` must exist; for each account of
/// `to`, `item` builds the result from `None` when the account does not exist (it also goes to
/// the returned failed accounts) or from the ways `holds` (a relation of the state, asked as
/// `holds(owner, other)`) holds, the reverse way only when `both_ways`.
pub(crate) fn check_ways<T>(
    state: &State,
    missing: impl tim_rest::ApiError,
    from: &str,
    to: &[String],
    both_ways: bool,
    holds: fn(&State, &str, &str) -> bool,
    item: impl Fn(&str, Option<Ways>) -> T,
) -> Result<(Vec<T>, Vec<String>), Fail> {
    require_account(state, from, missing)?;
    let mut failed = Vec::new();
    let items = to
        .iter()
        .map(|to| {
            if !state.has_account(to) {
                failed.push(to.clone());
                return item(to, None);
            }
            let ways = match (holds(state, from, to), both_ways && holds(state, to, from)) {
                (true, true) => Ways::Both,
                (true, false) => Ways::FromTo,
                (false, true) => Ways::ToFrom,
                (false, false) => Ways::Neither,
            };
            item(to, Some(ways))
        })
        .collect();
    Ok((items, failed))
}

/// Fails with `missing` (30003 on the relationship pages) unless `from` is an imported
/// account.
pub(crate) fn require_account(
    state: &State,
    from: &str,
    missing: impl tim_rest::ApiError,
) -> Result<(), Fail> {
    require_imported(
        state,
        from,
        missing,
        "Err_SNS_Invalid_Account: From_Account",
    )
}

/// Fails with `missing`, a code of the endpoint's own error enum, unless `id` is an imported
/// account; `field` names it in `ErrorInfo`.
pub(crate) fn require_imported(
    state: &State,
    id: &str,
    missing: impl tim_rest::ApiError,
    field: &str,
) -> Result<(), Fail> {
    if state.has_account(id) {
        Ok(())
    } else {
        Err(Fail::code(
            missing,
            format!("{field} {id:?} has not been imported"),
        ))
    }
}

/// A boxed handler future.
pub(crate) type RunFuture = Pin<Box<dyn Future<Output = Reply> + Send>>;

/// One served endpoint.
pub(crate) struct Route {
    pub path: &'static str,
    pub run: fn(Arc<Inner>, Bytes, Option<Fault>) -> RunFuture,
}

fn route<E>() -> Route
where
    E: Emulated + 'static,
    E::Request: DeserializeOwned,
    E::Response: Serialize,
{
    Route {
        path: E::PATH,
        run: |inner, body, fault| Box::pin(server::run_endpoint::<E>(inner, body, fault)),
    }
}

/// Every endpoint the emulator serves.
pub(crate) fn routes() -> Vec<Route> {
    use tim_rest::group_open_http_svc as group;
    use tim_rest::im_open_login_svc as acc;
    use tim_rest::openconfigsvr as config;
    use tim_rest::sns;
    vec![
        route::<group::create_group::CreateGroup>(),
        route::<group::import_group::ImportGroup>(),
        route::<group::get_group_info::GetGroupInfo>(),
        route::<group::modify_group_base_info::ModifyGroupBaseInfo>(),
        route::<group::destroy_group::DestroyGroup>(),
        route::<group::get_appid_group_list::GetAppidGroupList>(),
        route::<group::get_joined_group_list::GetJoinedGroupList>(),
        route::<group::get_role_in_group::GetRoleInGroup>(),
        route::<group::change_group_owner::ChangeGroupOwner>(),
        route::<group::add_group_member::AddGroupMember>(),
        route::<group::import_group_member::ImportGroupMember>(),
        route::<group::delete_group_member::DeleteGroupMember>(),
        route::<group::modify_group_member_info::ModifyGroupMemberInfo>(),
        route::<group::get_group_member_info::GetGroupMemberInfo>(),
        route::<group::forbid_send_msg::ForbidSendMsg>(),
        route::<group::get_group_muted_account::GetGroupMutedAccount>(),
        route::<group::send_group_msg::SendGroupMsg>(),
        route::<group::import_group_msg::ImportGroupMsg>(),
        route::<group::group_msg_get_simple::GroupMsgGetSimple>(),
        route::<group::group_msg_recall::GroupMsgRecall>(),
        route::<group::set_unread_msg_num::SetUnreadMsgNum>(),
        route::<group::modify_group_attr::ModifyGroupAttr>(),
        route::<group::set_group_attr::SetGroupAttr>(),
        route::<group::clear_group_attr::ClearGroupAttr>(),
        route::<group::delete_group_attr::DeleteGroupAttr>(),
        route::<tim_rest::group_open_attr_http_svc::get_group_attr::GetGroupAttr>(),
        route::<group::get_group_counter::GetGroupCounter>(),
        route::<group::update_group_counter::UpdateGroupCounter>(),
        route::<group::delete_group_counter::DeleteGroupCounter>(),
        route::<config::getnospeaking::Getnospeaking>(),
        route::<tim_rest::profile::portrait_get::PortraitGet>(),
        route::<tim_rest::openim::sendmsg::Sendmsg>(),
        route::<tim_rest::openim::batchsendmsg::Batchsendmsg>(),
        route::<tim_rest::openim::modify_c2c_msg::ModifyC2cMsg>(),
        route::<tim_rest::openim::query_online_status::QueryOnlineStatus>(),
        route::<tim_rest::recentcontact::get_list::GetList>(),
        route::<tim_rest::recentcontact::delete::Delete>(),
        route::<tim_rest::openim::importmsg::Importmsg>(),
        route::<tim_rest::openim::admin_getroammsg::AdminGetroammsg>(),
        route::<tim_rest::openim::admin_msgwithdraw::AdminMsgwithdraw>(),
        route::<tim_rest::openim::admin_set_msg_read::AdminSetMsgRead>(),
        route::<tim_rest::openim::get_c2c_unread_msg_num::GetC2cUnreadMsgNum>(),
        route::<tim_rest::profile::portrait_set::PortraitSet>(),
        route::<config::setnospeaking::Setnospeaking>(),
        route::<acc::account_check::AccountCheck>(),
        route::<acc::kick::Kick>(),
        route::<acc::account_delete::AccountDelete>(),
        route::<acc::account_import::AccountImport>(),
        route::<acc::multiaccount_import::MultiaccountImport>(),
        route::<sns::black_list_add::BlackListAdd>(),
        route::<sns::black_list_check::BlackListCheck>(),
        route::<sns::black_list_delete::BlackListDelete>(),
        route::<sns::black_list_get::BlackListGet>(),
        route::<sns::friend_add::FriendAdd>(),
        route::<sns::friend_check::FriendCheck>(),
        route::<sns::friend_delete::FriendDelete>(),
        route::<sns::friend_delete_all::FriendDeleteAll>(),
        route::<sns::friend_get::FriendGet>(),
        route::<sns::friend_get_list::FriendGetList>(),
        route::<sns::friend_import::FriendImport>(),
        route::<sns::friend_update::FriendUpdate>(),
        route::<sns::group_add::GroupAdd>(),
        route::<sns::group_delete::GroupDelete>(),
        route::<sns::group_get::GroupGet>(),
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Commands of the schemas the emulator answers with `NOT_EMULATED` (listed in the
    /// crate docs too).
    const NOT_EMULATED: &[&str] = &[
        "v4/ConfigSvc/GetIPList",
        "v4/all_member_push/im_add_tag",
        "v4/all_member_push/im_get_attr",
        "v4/all_member_push/im_get_attr_name",
        "v4/all_member_push/im_get_tag",
        "v4/all_member_push/im_push",
        "v4/all_member_push/im_remove_all_tags",
        "v4/all_member_push/im_remove_attr",
        "v4/all_member_push/im_remove_tag",
        "v4/all_member_push/im_set_attr",
        "v4/all_member_push/im_set_attr_name",
        "v4/follow/follow_add",
        "v4/follow/follow_check",
        "v4/follow/follow_delete",
        "v4/follow/follow_get",
        "v4/follow/follow_get_info",
        "v4/group_open_avchatroom_http_svc/check_members",
        "v4/group_open_avchatroom_http_svc/get_admin_list",
        "v4/group_open_avchatroom_http_svc/get_members",
        "v4/group_open_avchatroom_http_svc/modify_admin",
        "v4/group_open_avchatroom_http_svc/modify_user_info",
        "v4/group_open_http_svc/ban_group_member",
        "v4/group_open_http_svc/clear_group_msg",
        "v4/group_open_http_svc/delete_group_msg_by_sender",
        "v4/group_open_http_svc/get_group_ban_member",
        "v4/group_open_http_svc/get_group_msg_receipt",
        "v4/group_open_http_svc/get_group_msg_receipt_detail",
        "v4/group_open_http_svc/get_group_shutted_uin",
        "v4/group_open_http_svc/get_online_member_num",
        "v4/group_open_http_svc/get_specified_group_member_info",
        "v4/group_open_http_svc/group_msg_receipt",
        "v4/group_open_http_svc/import_topic",
        "v4/group_open_http_svc/send_broadcast_msg",
        "v4/group_open_http_svc/send_group_system_notification",
        "v4/group_open_http_svc/unban_group_member",
        "v4/im_cos_msg/allow_banned_object",
        "v4/im_cos_msg/forbid_illegal_object",
        "v4/im_cos_msg/get_cos_sig",
        "v4/im_msg_audit/batch_content_moderation",
        "v4/im_msg_audit/content_moderation",
        "v4/im_msg_audit_mgr/add_cloud_audit_keywords",
        "v4/im_msg_audit_mgr/add_local_audit_keywords",
        "v4/im_msg_audit_mgr/delete_cloud_audit_keywords",
        "v4/im_msg_audit_mgr/delete_local_audit_keywords",
        "v4/im_msg_audit_mgr/get_cloud_audit_keywords",
        "v4/im_msg_audit_mgr/get_cloud_audit_keywords_ids",
        "v4/im_msg_audit_mgr/get_local_audit_keywords",
        "v4/million_group_open_http_svc/create_topic",
        "v4/million_group_open_http_svc/destroy_topic",
        "v4/million_group_open_http_svc/get_topic",
        "v4/million_group_open_http_svc/modify_topic",
        "v4/official_account_open_http_svc/add_subscriber",
        "v4/official_account_open_http_svc/create_official_account",
        "v4/official_account_open_http_svc/delete_subscriber",
        "v4/official_account_open_http_svc/destroy_official_account",
        "v4/official_account_open_http_svc/get_official_account_info",
        "v4/official_account_open_http_svc/get_subscribed_official_account_list",
        "v4/official_account_open_http_svc/get_subscriber_info",
        "v4/official_account_open_http_svc/modify_official_account_base_info",
        "v4/official_account_open_http_svc/modify_subscriber_info",
        "v4/official_account_open_http_svc/official_account_msg_get_simple",
        "v4/official_account_open_http_svc/official_account_msg_recall",
        "v4/official_account_open_http_svc/send_official_account_msg",
        "v4/open_msg_svc/get_history",
        "v4/openconfigsvr/getappinfo",
        "v4/openim/c2c_msg_read_receipt",
        "v4/openim/delete_c2c_msg_ramble",
        "v4/openim/modify_group_msg",
        "v4/openim_msg_ext_http_svc/get_key_values",
        "v4/openim_msg_ext_http_svc/group_get_key_values",
        "v4/openim_msg_ext_http_svc/group_set_key_values",
        "v4/openim_msg_ext_http_svc/set_key_values",
        "v4/openim_robot_http_svc/create_robot",
        "v4/openim_robot_http_svc/delete_robot",
        "v4/openim_robot_http_svc/get_all_robots",
        "v4/openim_robot_http_svc/send_stream_msg",
        "v4/recentcontact/create_contact_group",
        "v4/recentcontact/del_contact_group",
        "v4/recentcontact/get_contact_group",
        "v4/recentcontact/mark_contact",
        "v4/recentcontact/search_contact_group",
        "v4/recentcontact/update_contact_group",
    ];

    #[test]
    fn every_schema_endpoint_is_served_or_listed_as_not_emulated() {
        let served: BTreeSet<&str> = super::routes().iter().map(|r| r.path).collect();
        let schema: BTreeSet<&str> = tim_rest::ENDPOINT_PATHS.iter().copied().collect();
        let not_emulated: BTreeSet<&str> = NOT_EMULATED.iter().copied().collect();
        assert!(served.is_disjoint(&not_emulated));
        assert_eq!(&served | &not_emulated, schema);
    }
}
