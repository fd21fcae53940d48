//! Conversations: recentcontact/get_list (built from the stored messages), recentcontact/delete.
//! One-to-one conversations only: group conversations are not emulated.

use tim_rest::recentcontact::{delete, get_list};
use tim_rest::types::ContactType;

use super::{require_imported, Emulated, Fail, Service};
use crate::state::State;

/// Conversations per page: the pages document no size; this is the emulator's.
pub(crate) const PAGE: usize = 100;

impl Emulated for get_list::GetList {
    const SERVICE: Service = Service::Conversation;
    const WRITES: bool = false;

    /// Newest conversation first, `StartIndex` counting from the first; nothing is pinned, so
    /// the pinned cursors come back as sent.
    fn apply(
        state: &mut State,
        request: get_list::Request,
        _now: u64,
    ) -> Result<get_list::Response, Fail> {
        require_imported(
            state,
            &request.from_account,
            get_list::Error::UserIdNotImported,
            "From_Account",
        )?;
        let all = state.conversations(&request.from_account);
        let start = usize::try_from(request.start_index).unwrap_or(usize::MAX);
        let page: Vec<_> = all.iter().skip(start).take(PAGE).collect();
        let next = start.saturating_add(page.len());
        let items = page.iter().map(|(peer, time)| {
            get_list::SessionItem::new(ContactType::C2c)
                .to_account(peer.clone())
                .msg_time(*time)
                .top_flag(get_list::TopFlag::Normal)
        });
        Ok(get_list::Response::new(u64::from(next >= all.len()))
            .session_item(items)
            .time_stamp(request.time_stamp)
            .start_index(next as u64)
            .top_time_stamp(request.top_time_stamp)
            .top_start_index(request.top_start_index))
    }
}

impl Emulated for delete::Delete {
    const SERVICE: Service = Service::Conversation;
    const WRITES: bool = true;

    /// Hides the conversation until a message stored later; `ClearRamble` 1 also drops its
    /// history so far from the owner's admin_getroammsg.
    fn apply(
        state: &mut State,
        request: delete::Request,
        _now: u64,
    ) -> Result<delete::Response, Fail> {
        require_imported(
            state,
            &request.from_account,
            delete::Error::UserIdNotImported,
            "From_Account",
        )?;
        let peer = match (request.r#type, &request.to_account) {
            (ContactType::C2c, Some(peer)) => peer.clone(),
            (ContactType::C2c, None) => {
                return Err(Fail::code(
                    delete::Error::InvalidParameter,
                    "To_Account is required for a C2C conversation",
                ))
            }
            _ => {
                return Err(Fail::new(
                    crate::NOT_EMULATED,
                    "not emulated: group conversations (recentcontact/delete with Type 2)",
                ))
            }
        };
        let stored = state.messages.len();
        state
            .deleted_conversations
            .entry(request.from_account.clone())
            .or_default()
            .insert(peer.clone(), stored);
        if request.clear_ramble == Some(delete::ClearRamble::Clear) {
            state
                .cleared_roaming
                .entry(request.from_account)
                .or_default()
                .insert(peer, stored);
        }
        Ok(delete::Response::new())
    }
}
