//! Every endpoint of `schema/`, listed once: each embedded request example parses, validates and
//! serializes back to the same JSON; each reply example decodes, and a documented failure names
//! a documented code. A test holds the list to `ENDPOINT_PATHS`, so a new schema file must be
//! added here to be covered.

mod support;

use tim_rest::{ApiError, Endpoint, Envelope};

fn check<E: Endpoint>() -> &'static str
where
    E::Request: serde::de::DeserializeOwned,
{
    support::each_request_example_round_trips::<E>();
    for example in E::RESPONSE_EXAMPLES {
        let reply: E::Response = serde_json::from_str(example.json).unwrap_or_else(|e| {
            panic!(
                "{} reply example `{}` does not decode: {e}",
                E::PATH,
                example.name
            )
        });
        if reply.is_failure() {
            let error = E::Error::from_code(reply.error_code());
            assert!(
                !format!("{error:?}").starts_with("Unknown"),
                "{} reply example `{}` fails with {}, which its Error does not list",
                E::PATH,
                example.name,
                reply.error_code()
            );
        }
    }
    E::PATH
}

macro_rules! all {
    ($( $service:ident :: $command:ident :: $marker:ident ),* $(,)?) => {
        fn covered() -> Vec<&'static str> {
            vec![ $( check::<tim_rest::$service::$command::$marker>() ),* ]
        }
    };
}

all![
    all_member_push::im_add_tag::ImAddTag,
    all_member_push::im_get_attr::ImGetAttr,
    all_member_push::im_get_attr_name::ImGetAttrName,
    all_member_push::im_get_tag::ImGetTag,
    all_member_push::im_push::ImPush,
    all_member_push::im_remove_all_tags::ImRemoveAllTags,
    all_member_push::im_remove_attr::ImRemoveAttr,
    all_member_push::im_remove_tag::ImRemoveTag,
    all_member_push::im_set_attr::ImSetAttr,
    all_member_push::im_set_attr_name::ImSetAttrName,
    config_svc::get_ip_list::GetIpList,
    follow::follow_add::FollowAdd,
    follow::follow_check::FollowCheck,
    follow::follow_delete::FollowDelete,
    follow::follow_get::FollowGet,
    follow::follow_get_info::FollowGetInfo,
    group_open_attr_http_svc::get_group_attr::GetGroupAttr,
    group_open_avchatroom_http_svc::check_members::CheckMembers,
    group_open_avchatroom_http_svc::get_admin_list::GetAdminList,
    group_open_avchatroom_http_svc::get_members::GetMembers,
    group_open_avchatroom_http_svc::modify_admin::ModifyAdmin,
    group_open_avchatroom_http_svc::modify_user_info::ModifyUserInfo,
    group_open_http_svc::add_group_member::AddGroupMember,
    group_open_http_svc::ban_group_member::BanGroupMember,
    group_open_http_svc::change_group_owner::ChangeGroupOwner,
    group_open_http_svc::clear_group_attr::ClearGroupAttr,
    group_open_http_svc::clear_group_msg::ClearGroupMsg,
    group_open_http_svc::create_group::CreateGroup,
    group_open_http_svc::delete_group_attr::DeleteGroupAttr,
    group_open_http_svc::delete_group_counter::DeleteGroupCounter,
    group_open_http_svc::delete_group_member::DeleteGroupMember,
    group_open_http_svc::delete_group_msg_by_sender::DeleteGroupMsgBySender,
    group_open_http_svc::destroy_group::DestroyGroup,
    group_open_http_svc::forbid_send_msg::ForbidSendMsg,
    group_open_http_svc::get_appid_group_list::GetAppidGroupList,
    group_open_http_svc::get_group_ban_member::GetGroupBanMember,
    group_open_http_svc::get_group_counter::GetGroupCounter,
    group_open_http_svc::get_group_info::GetGroupInfo,
    group_open_http_svc::get_group_member_info::GetGroupMemberInfo,
    group_open_http_svc::get_group_msg_receipt::GetGroupMsgReceipt,
    group_open_http_svc::get_group_msg_receipt_detail::GetGroupMsgReceiptDetail,
    group_open_http_svc::get_group_muted_account::GetGroupMutedAccount,
    group_open_http_svc::get_group_shutted_uin::GetGroupShuttedUin,
    group_open_http_svc::get_joined_group_list::GetJoinedGroupList,
    group_open_http_svc::get_online_member_num::GetOnlineMemberNum,
    group_open_http_svc::get_role_in_group::GetRoleInGroup,
    group_open_http_svc::get_specified_group_member_info::GetSpecifiedGroupMemberInfo,
    group_open_http_svc::group_msg_get_simple::GroupMsgGetSimple,
    group_open_http_svc::group_msg_recall::GroupMsgRecall,
    group_open_http_svc::group_msg_receipt::GroupMsgReceipt,
    group_open_http_svc::import_group::ImportGroup,
    group_open_http_svc::import_group_member::ImportGroupMember,
    group_open_http_svc::import_group_msg::ImportGroupMsg,
    group_open_http_svc::import_topic::ImportTopic,
    group_open_http_svc::modify_group_attr::ModifyGroupAttr,
    group_open_http_svc::modify_group_base_info::ModifyGroupBaseInfo,
    group_open_http_svc::modify_group_member_info::ModifyGroupMemberInfo,
    group_open_http_svc::send_broadcast_msg::SendBroadcastMsg,
    group_open_http_svc::send_group_msg::SendGroupMsg,
    group_open_http_svc::send_group_system_notification::SendGroupSystemNotification,
    group_open_http_svc::set_group_attr::SetGroupAttr,
    group_open_http_svc::set_unread_msg_num::SetUnreadMsgNum,
    group_open_http_svc::unban_group_member::UnbanGroupMember,
    group_open_http_svc::update_group_counter::UpdateGroupCounter,
    im_cos_msg::allow_banned_object::AllowBannedObject,
    im_cos_msg::forbid_illegal_object::ForbidIllegalObject,
    im_cos_msg::get_cos_sig::GetCosSig,
    im_msg_audit::batch_content_moderation::BatchContentModeration,
    im_msg_audit::content_moderation::ContentModeration,
    im_msg_audit_mgr::add_cloud_audit_keywords::AddCloudAuditKeywords,
    im_msg_audit_mgr::add_local_audit_keywords::AddLocalAuditKeywords,
    im_msg_audit_mgr::delete_cloud_audit_keywords::DeleteCloudAuditKeywords,
    im_msg_audit_mgr::delete_local_audit_keywords::DeleteLocalAuditKeywords,
    im_msg_audit_mgr::get_cloud_audit_keywords::GetCloudAuditKeywords,
    im_msg_audit_mgr::get_cloud_audit_keywords_ids::GetCloudAuditKeywordsIds,
    im_msg_audit_mgr::get_local_audit_keywords::GetLocalAuditKeywords,
    im_open_login_svc::account_check::AccountCheck,
    im_open_login_svc::account_delete::AccountDelete,
    im_open_login_svc::account_import::AccountImport,
    im_open_login_svc::kick::Kick,
    im_open_login_svc::multiaccount_import::MultiaccountImport,
    million_group_open_http_svc::create_topic::CreateTopic,
    million_group_open_http_svc::destroy_topic::DestroyTopic,
    million_group_open_http_svc::get_topic::GetTopic,
    million_group_open_http_svc::modify_topic::ModifyTopic,
    official_account_open_http_svc::add_subscriber::AddSubscriber,
    official_account_open_http_svc::create_official_account::CreateOfficialAccount,
    official_account_open_http_svc::delete_subscriber::DeleteSubscriber,
    official_account_open_http_svc::destroy_official_account::DestroyOfficialAccount,
    official_account_open_http_svc::get_official_account_info::GetOfficialAccountInfo,
    official_account_open_http_svc::get_subscribed_official_account_list::GetSubscribedOfficialAccountList,
    official_account_open_http_svc::get_subscriber_info::GetSubscriberInfo,
    official_account_open_http_svc::modify_official_account_base_info::ModifyOfficialAccountBaseInfo,
    official_account_open_http_svc::modify_subscriber_info::ModifySubscriberInfo,
    official_account_open_http_svc::official_account_msg_get_simple::OfficialAccountMsgGetSimple,
    official_account_open_http_svc::official_account_msg_recall::OfficialAccountMsgRecall,
    official_account_open_http_svc::send_official_account_msg::SendOfficialAccountMsg,
    open_msg_svc::get_history::GetHistory,
    openconfigsvr::getappinfo::Getappinfo,
    openconfigsvr::getnospeaking::Getnospeaking,
    openconfigsvr::setnospeaking::Setnospeaking,
    openim::admin_getroammsg::AdminGetroammsg,
    openim::admin_msgwithdraw::AdminMsgwithdraw,
    openim::admin_set_msg_read::AdminSetMsgRead,
    openim::batchsendmsg::Batchsendmsg,
    openim::c2c_msg_read_receipt::C2cMsgReadReceipt,
    openim::delete_c2c_msg_ramble::DeleteC2cMsgRamble,
    openim::get_c2c_unread_msg_num::GetC2cUnreadMsgNum,
    openim::importmsg::Importmsg,
    openim::modify_c2c_msg::ModifyC2cMsg,
    openim::modify_group_msg::ModifyGroupMsg,
    openim::query_online_status::QueryOnlineStatus,
    openim::sendmsg::Sendmsg,
    openim_msg_ext_http_svc::get_key_values::GetKeyValues,
    openim_msg_ext_http_svc::group_get_key_values::GroupGetKeyValues,
    openim_msg_ext_http_svc::group_set_key_values::GroupSetKeyValues,
    openim_msg_ext_http_svc::set_key_values::SetKeyValues,
    openim_robot_http_svc::create_robot::CreateRobot,
    openim_robot_http_svc::delete_robot::DeleteRobot,
    openim_robot_http_svc::get_all_robots::GetAllRobots,
    openim_robot_http_svc::send_stream_msg::SendStreamMsg,
    profile::portrait_get::PortraitGet,
    profile::portrait_set::PortraitSet,
    recentcontact::create_contact_group::CreateContactGroup,
    recentcontact::del_contact_group::DelContactGroup,
    recentcontact::delete::Delete,
    recentcontact::get_contact_group::GetContactGroup,
    recentcontact::get_list::GetList,
    recentcontact::mark_contact::MarkContact,
    recentcontact::search_contact_group::SearchContactGroup,
    recentcontact::update_contact_group::UpdateContactGroup,
    sns::black_list_add::BlackListAdd,
    sns::black_list_check::BlackListCheck,
    sns::black_list_delete::BlackListDelete,
    sns::black_list_get::BlackListGet,
    sns::friend_add::FriendAdd,
    sns::friend_check::FriendCheck,
    sns::friend_delete::FriendDelete,
    sns::friend_delete_all::FriendDeleteAll,
    sns::friend_get::FriendGet,
    sns::friend_get_list::FriendGetList,
    sns::friend_import::FriendImport,
    sns::friend_update::FriendUpdate,
    sns::group_add::GroupAdd,
    sns::group_delete::GroupDelete,
    sns::group_get::GroupGet,
];

#[test]
fn every_endpoint_s_examples_round_trip_or_decode() {
    let mut covered = covered();
    let mut all: Vec<&str> = tim_rest::ENDPOINT_PATHS.to_vec();
    covered.sort_unstable();
    all.sort_unstable();
    assert_eq!(
        covered, all,
        "tests/examples_all.rs must list every endpoint of schema/"
    );
}
