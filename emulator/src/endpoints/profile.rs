//! Profiles: portrait_set, portrait_get.

use tim_rest::profile::{portrait_get, portrait_set};
use tim_rest::types::ProfileItem;

use super::{Emulated, Fail, Service};
use crate::state::{Profile, State, TAG_PROFILE_IMAGE, TAG_PROFILE_NICK};

impl Emulated for portrait_set::PortraitSet {
    const SERVICE: Service = Service::Profile;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: portrait_set::Request,
        _now: u64,
    ) -> Result<portrait_set::Response, Fail> {
        let Some(profile) = state.profile_mut(&request.from_account) else {
            return Err(Fail::code(
                portrait_set::Error::AccountNotFound,
                format!(
                    "From_Account {:?} has not been imported",
                    request.from_account
                ),
            ));
        };
        // validate() has refused unlisted tags and values of the wrong shape already.
        for item in request.profile_item {
            set(profile, &item);
        }
        Ok(portrait_set::Response::new())
    }
}

/// Stores one item: the nickname and avatar where account_import keeps them, any other tag
/// with its value as sent.
fn set(profile: &mut Profile, item: &ProfileItem) {
    match item {
        ProfileItem::Nick(nick) => profile.nick = Some(nick.clone()),
        ProfileItem::Image(url) => profile.face_url = Some(url.clone()),
        other => {
            let mut json = serde_json::to_value(other).unwrap_or_default();
            let value = json.get_mut("Value").map(serde_json::Value::take);
            if let Some(value) = value {
                profile.tags.insert(other.tag().to_owned(), value);
            }
        }
    }
}

/// The stored value of one tag, as a profile item.
fn get(profile: &Profile, tag: &str) -> Option<ProfileItem> {
    match tag {
        TAG_PROFILE_NICK => profile.nick.clone().map(ProfileItem::Nick),
        TAG_PROFILE_IMAGE => profile.face_url.clone().map(ProfileItem::Image),
        _ => {
            let value = profile.tags.get(tag)?;
            serde_json::from_value(serde_json::json!({ "Tag": tag, "Value": value })).ok()
        }
    }
}

impl Emulated for portrait_get::PortraitGet {
    const SERVICE: Service = Service::Profile;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: portrait_get::Request,
        _now: u64,
    ) -> Result<portrait_get::Response, Fail> {
        let mut failed = Vec::new();
        let items = request
            .to_account
            .iter()
            .map(|to| match state.profile(to) {
                None => {
                    failed.push(to.clone());
                    portrait_get::UserProfileItem::new(to, 40003)
                        .result_info("Err_Profile_Account_Not_Exist")
                }
                // The tags asked for that have a value, in the order asked.
                Some(profile) => portrait_get::UserProfileItem::new(to, 0)
                    .profile_item(request.tag_list.iter().filter_map(|tag| get(profile, tag))),
            })
            .collect::<Vec<_>>();
        Ok(portrait_get::Response::new(items).fail_account(failed))
    }
}
