//! The data the emulator keeps: accounts, friend lists, blacklists, friend groups, sequences,
//! one-to-one messages and IM groups.
//!
//! Every request is applied to [`State`] under one lock, in one go, so a reply is never built
//! from a half-applied write and a fault never leaves one behind.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use tim_rest::{StringOrInteger, TagValue};

mod group;

pub(crate) use group::{
    Group, Member, Role, DEFAULT_MAX_MEMBERS, MAX_ATTR_BYTES, MAX_ATTR_KEYS, MAX_COUNTER_KEYS,
    MAX_HISTORY_PAGE, MUTE_FOREVER,
};

/// Most friends one account may have (30010 beyond it).
pub(crate) const MAX_FRIENDS: usize = 3000;
/// Most friend groups one account may have (30011 beyond it).
pub(crate) const MAX_GROUPS: usize = 32;
/// Most accounts one blacklist may hold (30013 beyond it).
pub(crate) const MAX_BLACKLIST: usize = 1000;

/// One friend in an account's friend list: the standard friend fields and the custom ones.
///
/// Unset text fields are empty strings and unset times are 0, as the service stores them (a
/// field that is unset is simply not returned by `friend_get`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FriendRecord {
    /// `Tag_SNS_IM_Remark`: the owner's remark for the friend; empty when unset.
    #[serde(default)]
    pub remark: String,
    /// `Tag_SNS_IM_Group`: the friend groups the friend is in, in the order given.
    #[serde(default)]
    pub group_names: Vec<String>,
    /// `Tag_SNS_IM_AddSource`: `AddSource_Type_...`.
    #[serde(default)]
    pub add_source: String,
    /// `Tag_SNS_IM_AddWording`; empty when unset.
    #[serde(default)]
    pub add_wording: String,
    /// `Tag_SNS_IM_AddTime`, unix seconds: the time imported with the friend, or the time of
    /// the add.
    #[serde(default)]
    pub add_time: u64,
    /// `Tag_SNS_IM_RemarkTime`, unix seconds; 0 when unset.
    #[serde(default)]
    pub remark_time: u64,
    /// Custom friend fields (`Tag_SNS_Custom_*`, or any other `Tag_SNS_` tag that is not a
    /// standard one), in the order first set.
    #[serde(default)]
    pub custom: Vec<(String, StringOrInteger)>,
}

impl FriendRecord {
    /// Sets a custom field, replacing the value of a tag that is already there.
    pub(crate) fn set_custom(&mut self, tag: &str, value: StringOrInteger) {
        match self.custom.iter_mut().find(|(t, _)| t == tag) {
            Some(slot) => slot.1 = value,
            None => self.custom.push((tag.to_owned(), value)),
        }
    }

    /// The value of one friend tag, if it has one: a standard `Tag_SNS_IM_*` field or a custom
    /// one. Empty text, empty groups and a zero remark time count as unset.
    pub(crate) fn tag_value(&self, tag: &str) -> Option<TagValue> {
        let text = |s: &str| (!s.is_empty()).then(|| TagValue::String(s.to_owned()));
        match tag {
            TAG_REMARK => text(&self.remark),
            TAG_GROUP => {
                (!self.group_names.is_empty()).then(|| TagValue::Strings(self.group_names.clone()))
            }
            TAG_ADD_SOURCE => text(&self.add_source),
            TAG_ADD_WORDING => text(&self.add_wording),
            TAG_ADD_TIME => Some(TagValue::Integer(self.add_time)),
            TAG_REMARK_TIME => {
                (self.remark_time != 0).then_some(TagValue::Integer(self.remark_time))
            }
            _ => self
                .custom
                .iter()
                .find(|(t, _)| t == tag)
                .map(|(_, v)| custom_value(v)),
        }
    }

    /// Every field that has a value: the standard ones first (in the order of
    /// [`STANDARD_TAGS`]), then the custom ones. The flag is true for standard fields.
    pub(crate) fn values(&self) -> Vec<(String, TagValue, bool)> {
        let mut out: Vec<(String, TagValue, bool)> = STANDARD_TAGS
            .iter()
            .filter_map(|tag| self.tag_value(tag).map(|v| ((*tag).to_owned(), v, true)))
            .collect();
        out.extend(
            self.custom
                .iter()
                .map(|(tag, v)| (tag.clone(), custom_value(v), false)),
        );
        out
    }
}

fn custom_value(value: &StringOrInteger) -> TagValue {
    match value {
        StringOrInteger::String(s) => TagValue::String(s.clone()),
        StringOrInteger::Integer(n) => TagValue::Integer(*n),
    }
}

pub(crate) const TAG_REMARK: &str = "Tag_SNS_IM_Remark";
pub(crate) const TAG_GROUP: &str = "Tag_SNS_IM_Group";
pub(crate) const TAG_ADD_SOURCE: &str = "Tag_SNS_IM_AddSource";
pub(crate) const TAG_ADD_WORDING: &str = "Tag_SNS_IM_AddWording";
pub(crate) const TAG_ADD_TIME: &str = "Tag_SNS_IM_AddTime";
pub(crate) const TAG_REMARK_TIME: &str = "Tag_SNS_IM_RemarkTime";
pub(crate) const TAG_PROFILE_NICK: &str = "Tag_Profile_IM_Nick";
pub(crate) const TAG_PROFILE_IMAGE: &str = "Tag_Profile_IM_Image";

/// The standard friend fields, in the order `friend_get` returns them.
pub(crate) const STANDARD_TAGS: [&str; 6] = [
    TAG_ADD_SOURCE,
    TAG_REMARK,
    TAG_GROUP,
    TAG_ADD_WORDING,
    TAG_ADD_TIME,
    TAG_REMARK_TIME,
];

/// Everything the emulator holds at one moment, as plain data: what
/// [`Emulator::snapshot`](crate::Emulator::snapshot) returns.
///
/// Accounts without friends, blacklist entries or groups have no entry in those maps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSnapshot {
    /// Imported accounts.
    pub accounts: BTreeSet<String>,
    /// Friend lists: owner (`From_Account`) -> friend (`To_Account`) -> fields.
    pub friends: BTreeMap<String, BTreeMap<String, FriendRecord>>,
    /// Blacklists: owner -> blacklisted account -> when it was added (unix seconds).
    pub blacklist: BTreeMap<String, BTreeMap<String, u64>>,
    /// Friend groups: owner -> group names.
    pub groups: BTreeMap<String, BTreeSet<String>>,
}

/// How much the emulator holds, by kind: what a migration moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Imported accounts.
    pub accounts: usize,
    /// Accounts with a profile field set beyond the nickname and avatar.
    pub profiles: usize,
    /// One-way friendships.
    pub friendships: usize,
    /// Blocklist entries.
    pub blocklist_entries: usize,
    /// IM groups.
    pub groups: usize,
    /// Group members, over every group.
    pub group_members: usize,
    /// Stored group messages, over every group.
    pub group_messages: usize,
    /// Stored one-to-one messages.
    pub c2c_messages: usize,
}

/// An account's profile: the nickname and avatar that account_import sets (and
/// `Tag_Profile_IM_Nick` / `Tag_Profile_IM_Image` of portrait_set), and every other profile
/// tag portrait_set stores, with its value as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
    /// Other `Tag_Profile_*` tags: tag -> JSON value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, serde_json::Value>,
}

/// The sequences of one account's data, bumped on every change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Sequences {
    /// Friend list (standard and custom friend data alike).
    #[serde(default)]
    pub friends: u64,
    /// Friend groups.
    #[serde(default)]
    pub groups: u64,
    /// Blacklist.
    #[serde(default)]
    pub blacklist: u64,
}

/// The emulator's data. Maps never keep an empty entry for an account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    #[serde(default)]
    pub accounts: BTreeMap<String, Profile>,
    #[serde(default)]
    pub friends: BTreeMap<String, BTreeMap<String, FriendRecord>>,
    #[serde(default)]
    pub blacklist: BTreeMap<String, BTreeMap<String, u64>>,
    #[serde(default)]
    pub groups: BTreeMap<String, BTreeSet<String>>,
    #[serde(default)]
    pub sequences: BTreeMap<String, Sequences>,
    /// Global mutes (setnospeaking), by account.
    #[serde(default)]
    pub mutes: BTreeMap<String, Mute>,
    /// One-to-one messages (sendmsg, importmsg), in the order stored.
    #[serde(default)]
    pub messages: Vec<C2cMessage>,
    /// Read marks (admin_set_msg_read): reader -> peer -> messages from the peer up to this
    /// time (unix seconds) are read.
    #[serde(default)]
    pub read_up_to: BTreeMap<String, BTreeMap<String, u64>>,
    /// Deleted one-to-one conversations (recentcontact/delete): owner -> peer -> how many
    /// messages were stored then. A message stored later brings the conversation back.
    #[serde(default)]
    pub deleted_conversations: BTreeMap<String, BTreeMap<String, usize>>,
    /// Cleared roaming (delete with ClearRamble 1): owner -> peer -> the messages stored before
    /// that many are gone from the owner's history.
    #[serde(default)]
    pub cleared_roaming: BTreeMap<String, BTreeMap<String, usize>>,
    /// IM groups (group_open_http_svc), by `GroupId`.
    #[serde(default)]
    pub chat_groups: BTreeMap<String, Group>,
    /// Groups made so far: the creation order of the next one and the number in its
    /// generated `GroupId`.
    #[serde(default)]
    pub groups_made: u64,
    /// The admin identifier, sender of what the admin sends as itself; not persisted.
    #[serde(skip)]
    pub admin: String,
}

/// One one-to-one message as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct C2cMessage {
    pub from: String,
    pub to: String,
    pub seq: u32,
    pub random: u32,
    pub time: u64,
    /// `MsgBody`, as sent.
    pub body: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_custom_data: Option<String>,
    /// Counted as unread for `to` until read (sendmsg without `NoUnread`; not imported history).
    #[serde(default)]
    pub unread: bool,
    #[serde(default)]
    pub withdrawn: bool,
}

impl C2cMessage {
    /// `MsgKey`, as the service forms it: sequence, random and time.
    pub fn key(&self) -> String {
        format!("{}_{}_{}", self.seq, self.random, self.time)
    }

    /// Whether it belongs to the conversation of `a` and `b`, either way.
    pub fn between(&self, a: &str, b: &str) -> bool {
        (self.from == a && self.to == b) || (self.from == b && self.to == a)
    }
}

/// An account's global mute: when its one-to-one and its group mute end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Mute {
    #[serde(default)]
    pub c2c: MuteEnd,
    #[serde(default)]
    pub group: MuteEnd,
}

/// When a mute ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum MuteEnd {
    /// Not muted.
    #[default]
    None,
    /// At this unix second.
    At(u64),
    /// Never (4294967295 was set).
    Never,
}

impl MuteEnd {
    /// Whether the mute holds at `now`.
    pub fn in_force_at(self, now: u64) -> bool {
        match self {
            MuteEnd::None => false,
            MuteEnd::At(end) => end > now,
            MuteEnd::Never => true,
        }
    }
}

impl State {
    pub fn counts(&self) -> Counts {
        Counts {
            accounts: self.accounts.len(),
            profiles: self
                .accounts
                .values()
                .filter(|p| !p.tags.is_empty())
                .count(),
            friendships: self.friends.values().map(BTreeMap::len).sum(),
            blocklist_entries: self.blacklist.values().map(BTreeMap::len).sum(),
            groups: self.chat_groups.len(),
            group_members: self.chat_groups.values().map(|g| g.members.len()).sum(),
            group_messages: self.chat_groups.values().map(|g| g.messages.len()).sum(),
            c2c_messages: self.messages.len(),
        }
    }

    pub fn snapshot(&self) -> StateSnapshot {
        StateSnapshot {
            accounts: self.accounts.keys().cloned().collect(),
            friends: self.friends.clone(),
            blacklist: self.blacklist.clone(),
            groups: self.groups.clone(),
        }
    }

    /// Messages from `peer` to `reader` still unread: counted unread, not withdrawn, and after
    /// the reader's read mark for the peer.
    pub fn unread(&self, reader: &str, peer: &str) -> u64 {
        let read = self
            .read_up_to
            .get(reader)
            .and_then(|peers| peers.get(peer))
            .copied()
            .unwrap_or(0);
        self.messages
            .iter()
            .filter(|m| {
                m.to == reader && m.from == peer && m.unread && !m.withdrawn && m.time > read
            })
            .count() as u64
    }

    /// How many messages had been stored when `owner` cleared the conversation with `peer`
    /// (0: never): those are gone from the owner's history.
    pub fn cleared(&self, owner: &str, peer: &str) -> usize {
        self.cleared_roaming
            .get(owner)
            .and_then(|peers| peers.get(peer))
            .copied()
            .unwrap_or(0)
    }

    /// `owner`'s one-to-one conversations: each peer with the time of its newest message,
    /// newest first, leaving out conversations deleted after their last message was stored.
    pub fn conversations(&self, owner: &str) -> Vec<(String, u64)> {
        // Per peer: the newest time, and the position of the last message.
        let mut latest: BTreeMap<&str, (u64, usize)> = BTreeMap::new();
        for (at, m) in self.messages.iter().enumerate() {
            let peer = if m.from == owner {
                &m.to
            } else if m.to == owner {
                &m.from
            } else {
                continue;
            };
            let entry = latest.entry(peer.as_str()).or_default();
            *entry = (entry.0.max(m.time), at);
        }
        let deleted = self.deleted_conversations.get(owner);
        let mut out: Vec<(String, u64)> = latest
            .into_iter()
            .filter(
                |(peer, (_, last))| match deleted.and_then(|d| d.get(*peer)) {
                    Some(count) => last >= count,
                    None => true,
                },
            )
            .map(|(peer, (time, _))| (peer.to_owned(), time))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// The peers that sent `reader` messages it has not read.
    pub fn unread_peers(&self, reader: &str) -> BTreeSet<String> {
        self.messages
            .iter()
            .filter(|m| m.to == reader && m.unread && !m.withdrawn)
            .map(|m| m.from.clone())
            .filter(|peer| self.unread(reader, peer) > 0)
            .collect()
    }

    /// Drops empty per-account entries (after loading a hand-edited file).
    pub fn prune(&mut self) {
        self.friends.retain(|_, m| !m.is_empty());
        self.blacklist.retain(|_, m| !m.is_empty());
        self.groups.retain(|_, s| !s.is_empty());
    }

    pub fn has_account(&self, id: &str) -> bool {
        self.accounts.contains_key(id)
    }

    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.accounts.get(id)
    }

    pub fn profile_mut(&mut self, id: &str) -> Option<&mut Profile> {
        self.accounts.get_mut(id)
    }

    pub fn sequences(&self, id: &str) -> Sequences {
        self.sequences.get(id).copied().unwrap_or_default()
    }

    fn seq_mut(&mut self, id: &str) -> &mut Sequences {
        self.sequences.entry(id.to_owned()).or_default()
    }

    pub fn bump_friends(&mut self, id: &str) {
        self.seq_mut(id).friends += 1;
    }

    pub fn bump_groups(&mut self, id: &str) {
        self.seq_mut(id).groups += 1;
    }

    pub fn bump_blacklist(&mut self, id: &str) {
        self.seq_mut(id).blacklist += 1;
    }

    // --- friends ---

    pub fn friends_of(&self, owner: &str) -> impl Iterator<Item = (&String, &FriendRecord)> {
        self.friends.get(owner).into_iter().flatten()
    }

    pub fn friend(&self, owner: &str, friend: &str) -> Option<&FriendRecord> {
        self.friends.get(owner)?.get(friend)
    }

    /// Whether `friend` is in `owner`'s friend list.
    pub fn is_friend(&self, owner: &str, friend: &str) -> bool {
        self.friend(owner, friend).is_some()
    }

    pub fn friend_count(&self, owner: &str) -> usize {
        self.friends.get(owner).map_or(0, BTreeMap::len)
    }

    /// Puts (or replaces) `friend` in `owner`'s list.
    pub fn set_friend(&mut self, owner: &str, friend: &str, record: FriendRecord) {
        self.friends
            .entry(owner.to_owned())
            .or_default()
            .insert(friend.to_owned(), record);
        self.bump_friends(owner);
    }

    /// Takes `friend` out of `owner`'s list; false if it was not there.
    pub fn remove_friend(&mut self, owner: &str, friend: &str) -> bool {
        let Some(list) = self.friends.get_mut(owner) else {
            return false;
        };
        let removed = list.remove(friend).is_some();
        if list.is_empty() {
            self.friends.remove(owner);
        }
        if removed {
            self.bump_friends(owner);
        }
        removed
    }

    /// Empties `owner`'s friend list; returns who was in it.
    pub fn remove_all_friends(&mut self, owner: &str) -> Vec<String> {
        let removed: Vec<String> = self
            .friends
            .remove(owner)
            .map(|m| m.into_keys().collect())
            .unwrap_or_default();
        if !removed.is_empty() {
            self.bump_friends(owner);
        }
        removed
    }

    // --- blacklist ---

    /// Whether `other` is on `owner`'s blacklist.
    pub fn is_blacklisted(&self, owner: &str, other: &str) -> bool {
        self.blacklist
            .get(owner)
            .is_some_and(|m| m.contains_key(other))
    }

    pub fn blacklist_of(&self, owner: &str) -> impl Iterator<Item = (&String, &u64)> {
        self.blacklist.get(owner).into_iter().flatten()
    }

    pub fn blacklist_count(&self, owner: &str) -> usize {
        self.blacklist.get(owner).map_or(0, BTreeMap::len)
    }

    /// Blacklists `other` for `owner` and ends the friendship both ways.
    pub fn blacklist_add(&mut self, owner: &str, other: &str, now: u64) {
        self.blacklist
            .entry(owner.to_owned())
            .or_default()
            .insert(other.to_owned(), now);
        self.bump_blacklist(owner);
        self.remove_friend(owner, other);
        self.remove_friend(other, owner);
    }

    pub fn blacklist_remove(&mut self, owner: &str, other: &str) -> bool {
        let Some(list) = self.blacklist.get_mut(owner) else {
            return false;
        };
        let removed = list.remove(other).is_some();
        if list.is_empty() {
            self.blacklist.remove(owner);
        }
        if removed {
            self.bump_blacklist(owner);
        }
        removed
    }

    // --- friend groups ---

    pub fn groups_of(&self, owner: &str) -> impl Iterator<Item = &String> {
        self.groups.get(owner).into_iter().flatten()
    }

    pub fn has_group(&self, owner: &str, group: &str) -> bool {
        self.groups.get(owner).is_some_and(|s| s.contains(group))
    }

    /// How many groups `owner` would have after creating `names` (duplicates and existing
    /// groups counted once).
    pub fn group_count_with<'a>(
        &self,
        owner: &str,
        names: impl IntoIterator<Item = &'a str>,
    ) -> usize {
        let existing = self.groups.get(owner);
        let mut new: BTreeSet<&str> = BTreeSet::new();
        for name in names {
            if !existing.is_some_and(|s| s.contains(name)) {
                new.insert(name);
            }
        }
        existing.map_or(0, BTreeSet::len) + new.len()
    }

    /// Creates the groups of `names` that `owner` does not have yet.
    pub fn add_groups<'a>(&mut self, owner: &str, names: impl IntoIterator<Item = &'a str>) {
        let set = self.groups.entry(owner.to_owned()).or_default();
        let before = set.len();
        set.extend(names.into_iter().map(str::to_owned));
        let changed = set.len() != before;
        if set.is_empty() {
            self.groups.remove(owner);
        }
        if changed {
            self.bump_groups(owner);
        }
    }

    /// Deletes `owner`'s groups of `names` and takes every friend out of them.
    pub fn delete_groups(&mut self, owner: &str, names: &[String]) {
        let mut changed = false;
        if let Some(set) = self.groups.get_mut(owner) {
            for name in names {
                changed |= set.remove(name);
            }
            if set.is_empty() {
                self.groups.remove(owner);
            }
        }
        let mut records_changed = false;
        if let Some(list) = self.friends.get_mut(owner) {
            for record in list.values_mut() {
                let before = record.group_names.len();
                record.group_names.retain(|g| !names.contains(g));
                records_changed |= record.group_names.len() != before;
            }
        }
        if changed {
            self.bump_groups(owner);
        }
        if records_changed {
            self.bump_friends(owner);
        }
    }

    // --- accounts ---

    /// Imports an account, or updates the profile of one already there (fields not sent are
    /// kept).
    pub fn import_account(&mut self, id: &str, nick: Option<String>, face_url: Option<String>) {
        let profile = self.accounts.entry(id.to_owned()).or_default();
        if nick.is_some() {
            profile.nick = nick;
        }
        if face_url.is_some() {
            profile.face_url = face_url;
        }
    }

    /// Deletes an account with its whole relationship chain, and takes it out of every other
    /// account's friend list and blacklist. False if there was no such account.
    pub fn delete_account(&mut self, id: &str) -> bool {
        if self.accounts.remove(id).is_none() {
            return false;
        }
        self.friends.remove(id);
        self.blacklist.remove(id);
        self.groups.remove(id);
        self.sequences.remove(id);
        let owners: Vec<String> = self
            .friends
            .iter()
            .filter(|(_, m)| m.contains_key(id))
            .map(|(owner, _)| owner.clone())
            .collect();
        for owner in owners {
            self.remove_friend(&owner, id);
        }
        let owners: Vec<String> = self
            .blacklist
            .iter()
            .filter(|(_, m)| m.contains_key(id))
            .map(|(owner, _)| owner.clone())
            .collect();
        for owner in owners {
            self.blacklist_remove(&owner, id);
        }
        true
    }
}

/// Dedupes `names`, keeping the first of each.
pub(crate) fn dedup<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    names
        .into_iter()
        .filter(|n| seen.insert(n.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_friends() -> State {
        let mut st = State::default();
        for id in ["a", "b", "c"] {
            st.import_account(id, None, None);
        }
        st.set_friend("a", "b", FriendRecord::default());
        st.set_friend("b", "a", FriendRecord::default());
        st.set_friend("a", "c", FriendRecord::default());
        st
    }

    #[test]
    fn blacklisting_ends_both_directions() {
        let mut st = two_friends();
        st.blacklist_add("b", "a", 7);
        assert!(!st.is_friend("a", "b"));
        assert!(!st.is_friend("b", "a"));
        assert!(st.is_friend("a", "c"));
        assert!(st.is_blacklisted("b", "a"));
        assert!(!st.friends.contains_key("b"), "no empty entries");
    }

    #[test]
    fn deleting_an_account_removes_every_reference() {
        let mut st = two_friends();
        st.blacklist_add("c", "b", 1);
        assert!(st.delete_account("b"));
        assert!(!st.delete_account("b"));
        let snap = st.snapshot();
        assert_eq!(snap.accounts, ["a", "c"].map(String::from).into());
        assert_eq!(snap.friends["a"].keys().collect::<Vec<_>>(), ["c"]);
        assert!(snap.blacklist.is_empty());
    }

    #[test]
    fn groups_count_and_delete() {
        let mut st = two_friends();
        assert_eq!(st.group_count_with("a", ["x", "y", "x"]), 2);
        st.add_groups("a", ["x", "y"]);
        assert_eq!(st.group_count_with("a", ["x", "z"]), 3);
        let mut rec = st.friend("a", "b").unwrap().clone();
        rec.group_names = vec!["x".into(), "y".into()];
        st.set_friend("a", "b", rec);
        st.delete_groups("a", &["x".into()]);
        assert_eq!(st.friend("a", "b").unwrap().group_names, ["y"]);
        assert_eq!(st.groups["a"].iter().collect::<Vec<_>>(), ["y"]);
    }

    #[test]
    fn values_skip_unset_fields() {
        let mut rec = FriendRecord {
            add_source: "AddSource_Type_Web".into(),
            add_time: 5,
            ..FriendRecord::default()
        };
        rec.set_custom("Tag_SNS_Custom_A", "x".into());
        rec.set_custom("Tag_SNS_Custom_A", 3u64.into());
        assert_eq!(
            rec.values(),
            [
                (
                    TAG_ADD_SOURCE.to_owned(),
                    TagValue::from("AddSource_Type_Web"),
                    true
                ),
                (TAG_ADD_TIME.to_owned(), TagValue::Integer(5), true),
                ("Tag_SNS_Custom_A".to_owned(), TagValue::Integer(3), false),
            ]
        );
    }
}
