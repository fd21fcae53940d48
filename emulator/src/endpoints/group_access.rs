//! What every group command checks first: the group exists, its type allows the command, the
//! accounts it names are members. Each check takes the code to answer from the calling
//! endpoint's own error enum, so a command only answers codes its page documents.

use tim_rest::ApiError;

use super::Fail;
use crate::state::{Group, State};

/// The group `id`, or `gone` (10010, 群组不存在).
pub(crate) fn group<'a>(
    state: &'a State,
    id: &str,
    gone: impl ApiError,
) -> Result<&'a Group, Fail> {
    state.chat_groups.get(id).ok_or_else(|| missing(id, gone))
}

/// The group `id` to change, or `gone`.
pub(crate) fn group_mut<'a>(
    state: &'a mut State,
    id: &str,
    gone: impl ApiError,
) -> Result<&'a mut Group, Fail> {
    state
        .chat_groups
        .get_mut(id)
        .ok_or_else(|| missing(id, gone))
}

fn missing(id: &str, gone: impl ApiError) -> Fail {
    Fail::code(
        gone,
        format!("group {id:?} does not exist or has been destroyed"),
    )
}

/// `denied` (10007) for a command an audio-video group (AVChatRoom) does not support:
/// importing groups, members or messages, inviting, reading history.
pub(crate) fn not_av_chat_room(
    group: &Group,
    command: &str,
    denied: impl ApiError,
) -> Result<(), Fail> {
    if group.is_av_chat_room() {
        Err(Fail::code(
            denied,
            format!("an audio-video group (AVChatRoom) does not support {command}"),
        ))
    } else {
        Ok(())
    }
}

/// `invalid` (10004, 参数非法) unless `account` is a member: the group pages name no code of
/// their own for a request about a non-member.
pub(crate) fn require_member(
    group: &Group,
    account: &str,
    field: &str,
    invalid: impl ApiError,
) -> Result<(), Fail> {
    if group.is_member(account) {
        Ok(())
    } else {
        Err(Fail::code(
            invalid,
            format!("{field} {account:?} is not a member of the group"),
        ))
    }
}

/// `invalid` unless `account` was imported: a group command that names an account the pages
/// give no code for (add_group_member has its own, 10019).
pub(crate) fn require_account(
    state: &State,
    account: &str,
    field: &str,
    invalid: impl ApiError,
) -> Result<(), Fail> {
    super::require_imported(state, account, invalid, field)
}
