//! What every group command checks first: the group exists, its type allows the command, the
//! accounts it names are members. One place, so that every command answers the same code.

use super::Fail;
use crate::state::{Group, State};

/// The group `id`, or 10010 (群组不存在).
pub(crate) fn group<'a>(state: &'a State, id: &str) -> Result<&'a Group, Fail> {
    state.chat_groups.get(id).ok_or_else(|| gone(id))
}

/// The group `id` to change, or 10010.
pub(crate) fn group_mut<'a>(state: &'a mut State, id: &str) -> Result<&'a mut Group, Fail> {
    state.chat_groups.get_mut(id).ok_or_else(|| gone(id))
}

fn gone(id: &str) -> Fail {
    Fail::new(
        10010,
        format!("group {id:?} does not exist or has been destroyed"),
    )
}

/// 10007 for a command an audio-video group (AVChatRoom) does not support: importing groups,
/// members or messages, inviting, reading history.
pub(crate) fn not_av_chat_room(group: &Group, command: &str) -> Result<(), Fail> {
    if group.is_av_chat_room() {
        Err(Fail::new(
            10007,
            format!("an audio-video group (AVChatRoom) does not support {command}"),
        ))
    } else {
        Ok(())
    }
}

/// 10004 (参数非法) unless `account` is a member: the group pages name no code of their own
/// for a request about a non-member.
pub(crate) fn require_member(group: &Group, account: &str, field: &str) -> Result<(), Fail> {
    if group.is_member(account) {
        Ok(())
    } else {
        Err(Fail::new(
            10004,
            format!("{field} {account:?} is not a member of the group"),
        ))
    }
}

/// 10004 unless `account` was imported: a group command that names an account the pages give
/// no code for (add_group_member has its own, 10019).
pub(crate) fn require_account(state: &State, account: &str, field: &str) -> Result<(), Fail> {
    super::require_imported(state, account, 10004, field)
}
