//! What a migration moves: one kind of record per input file, in Tencent's documented order
//! (migration guide, cloud doc 269/36363).

use std::fmt;

/// A kind of record, read from its own file of the migration directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Kind {
    /// `accounts.jsonl`: multiaccount_import, or account_import for lines with a profile.
    Accounts,
    /// `profiles.jsonl`: portrait_set.
    Profiles,
    /// `friends.jsonl`: friend_import, per account.
    Friends,
    /// `blocklists.jsonl`: black_list_add, per account.
    Blocklists,
    /// `groups.jsonl`: import_group.
    Groups,
    /// `group_members.jsonl`: import_group_member, per group.
    GroupMembers,
    /// `group_messages.jsonl`: import_group_msg, per group in send-time order.
    GroupMessages,
    /// `group_unread.jsonl`: set_unread_msg_num.
    GroupUnread,
    /// `c2c_messages.jsonl`: importmsg.
    C2cMessages,
    /// `c2c_read.jsonl`: admin_set_msg_read.
    C2cRead,
}

impl Kind {
    /// Every kind, in the order the summary lists them.
    pub const ALL: [Kind; 10] = [
        Kind::Accounts,
        Kind::Profiles,
        Kind::Friends,
        Kind::Blocklists,
        Kind::Groups,
        Kind::GroupMembers,
        Kind::GroupMessages,
        Kind::GroupUnread,
        Kind::C2cMessages,
        Kind::C2cRead,
    ];

    /// The kind's name, as `--only` and the reports spell it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Accounts => "accounts",
            Kind::Profiles => "profiles",
            Kind::Friends => "friends",
            Kind::Blocklists => "blocklists",
            Kind::Groups => "groups",
            Kind::GroupMembers => "group_members",
            Kind::GroupMessages => "group_messages",
            Kind::GroupUnread => "group_unread",
            Kind::C2cMessages => "c2c_messages",
            Kind::C2cRead => "c2c_read",
        }
    }

    /// The kind's file in the migration directory.
    pub fn file(self) -> String {
        format!("{}.jsonl", self.name())
    }

    /// When the kind may start: every kind of an earlier stage is done first. Accounts before
    /// everything; a group before its members, members before the group's messages (which
    /// reset unread counts), messages before unread counts and read marks; friends before
    /// blocklist entries (adding to a blocklist deletes the friendship both ways).
    pub fn stage(self) -> u8 {
        match self {
            Kind::Accounts => 0,
            Kind::Profiles | Kind::Friends | Kind::Groups | Kind::C2cMessages => 1,
            Kind::Blocklists | Kind::GroupMembers | Kind::C2cRead => 2,
            Kind::GroupMessages => 3,
            Kind::GroupUnread => 4,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
