//! Every endpoint of `schema/`, listed once: each embedded request example parses, validates and
//! serializes back to the same JSON; each reply example decodes, and a documented failure names
//! a documented code. A test holds the list to `ENDPOINT_PATHS`, so a new schema file must be
//! added here to be covered.

use serde_json::Value;
use tim_rest::{ApiError, Endpoint, Envelope, Validate};

fn check<E: Endpoint>() -> &'static str
where
    E::Request: serde::de::DeserializeOwned,
{
    for example in E::REQUEST_EXAMPLES {
        let original: Value = serde_json::from_str(example.json).unwrap();
        let request: E::Request = serde_json::from_str(example.json).unwrap_or_else(|e| {
            panic!(
                "{} request example `{}` does not parse: {e}",
                E::PATH,
                example.name
            )
        });
        if let Err(e) = request.validate() {
            panic!(
                "{} request example `{}` is invalid: {e}",
                E::PATH,
                example.name
            );
        }
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            original,
            "{} request example `{}` does not round-trip",
            E::PATH,
            example.name
        );
    }
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
    group_open_http_svc::import_group_member::ImportGroupMember,
    im_open_login_svc::account_check::AccountCheck,
    im_open_login_svc::account_delete::AccountDelete,
    im_open_login_svc::account_import::AccountImport,
    im_open_login_svc::kick::Kick,
    im_open_login_svc::multiaccount_import::MultiaccountImport,
    openim::admin_getroammsg::AdminGetroammsg,
    openim::admin_msgwithdraw::AdminMsgwithdraw,
    openim::admin_set_msg_read::AdminSetMsgRead,
    openim::batchsendmsg::Batchsendmsg,
    openim::get_c2c_unread_msg_num::GetC2cUnreadMsgNum,
    openim::importmsg::Importmsg,
    openim::modify_c2c_msg::ModifyC2cMsg,
    openim::query_online_status::QueryOnlineStatus,
    openim::sendmsg::Sendmsg,
    profile::portrait_get::PortraitGet,
    profile::portrait_set::PortraitSet,
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
