//! The ten kinds: each line's record is the command's own request item in its wire names,
//! read through the generated types (with the account or group it belongs to beside it).

use std::collections::{HashMap, HashSet, VecDeque};

use serde::{Deserialize, Deserializer, Serialize};
use tim_rest::group_open_http_svc::{
    get_group_info, group_msg_get_simple, import_group, import_group_member, import_group_msg,
    set_unread_msg_num,
};
use tim_rest::im_open_login_svc::multiaccount_import::{self, AccountItem};
use tim_rest::openim::{admin_set_msg_read, importmsg};
use tim_rest::profile::portrait_set;
use tim_rest::sns::{black_list_add, black_list_check, friend_import};
use tim_rest::types::{GroupImportMsgItem, GroupMemberItem};
use tim_rest::{ApiError, Endpoint, Validate};

use super::job::{Job, Outcome, Verify};
use super::keyed::deserialize_keyed;
use super::kind::Kind;
use super::source::{self, Input, Records};
use crate::input::validate_relation;
use crate::reply::{FriendImportCall, Reply};
use crate::send::Caller;

/// A record written to one group: `{"GroupId": ..}` beside the command's own item.
#[derive(Debug, Serialize)]
pub struct InGroup<T> {
    /// The group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The item.
    #[serde(flatten)]
    pub item: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for InGroup<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (group_id, item) = deserialize_keyed(deserializer, "GroupId")?;
        Ok(InGroup { group_id, item })
    }
}

/// A record of one account's list: `{"From_Account": ..}` beside the command's own item.
#[derive(Debug, Serialize)]
pub struct OfAccount<T> {
    /// The account.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The item.
    #[serde(flatten)]
    pub item: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OfAccount<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (from_account, item) = deserialize_keyed(deserializer, "From_Account")?;
        Ok(OfAccount { from_account, item })
    }
}

impl<T> InGroup<T> {
    /// `item`, written to `group_id`.
    pub fn new(group_id: impl Into<String>, item: T) -> Self {
        InGroup {
            group_id: group_id.into(),
            item,
        }
    }
}

impl<T> OfAccount<T> {
    /// `item`, of `from_account`'s list.
    pub fn new(from_account: impl Into<String>, item: T) -> Self {
        OfAccount {
            from_account: from_account.into(),
            item,
        }
    }
}

/// The other side of a blocklist entry (black_list_add takes a list of them).
#[derive(Debug, Deserialize, Serialize)]
pub struct Blocked {
    /// The blocked account.
    #[serde(rename = "To_Account")]
    pub to_account: String,
}

fn valid(record: &impl Validate) -> Result<(), String> {
    record.validate().map_err(|e| e.to_string())
}

fn non_empty(value: &str, what: &str) -> Result<(), String> {
    if value.is_empty() {
        Err(format!("{what} must not be empty"))
    } else {
        Ok(())
    }
}

/// The one record of a kind sent one line per request.
fn one<R>(mut records: impl Iterator<Item = R>) -> R {
    records
        .next()
        .expect("a kind of one line per request has a batch size of 1")
}

/// Every record of the request settled as the whole request was.
fn all_done<T>(records: &[T]) -> Vec<Outcome> {
    records.iter().map(|_| Outcome::Done).collect()
}

/// `accounts.jsonl`: `{"UserID", "Nick"?, "FaceUrl"?}`, multiaccount_import's `AccountList`
/// item (which carries the nickname and avatar too), in batches of its limit.
pub struct Accounts;

impl Job for Accounts {
    type Record = AccountItem;
    type E = multiaccount_import::MultiaccountImport;
    const KIND: Kind = Kind::Accounts;

    fn check(record: &AccountItem) -> Result<(), String> {
        valid(record)
    }
    fn key(_: &AccountItem) -> &str {
        // One key for all: batches fill to the limit whatever the order of the accounts.
        ""
    }
    /// Accounts do not share a writer: their batches run at once.
    const ONE_WRITER: bool = false;
    fn item(record: &AccountItem) -> Option<&str> {
        Some(&record.user_id)
    }
    fn records(input: &Input) -> anyhow::Result<Records<AccountItem>> {
        match input {
            Input::Jsonl(path) => Ok(source::jsonl(path, Self::check)?),
            Input::AccountsOf(path, format) => crate::accounts::accounts_of(path, *format),
            other => anyhow::bail!("accounts cannot be read from {other}"),
        }
    }
    fn request(
        _: &str,
        records: impl Iterator<Item = AccountItem>,
    ) -> multiaccount_import::Request {
        multiaccount_import::Request::new().account_list(records)
    }
    fn unpack<'k>(
        _: &'k str,
        request: multiaccount_import::Request,
    ) -> impl Iterator<Item = AccountItem> + 'k {
        request.account_list.unwrap_or_default().into_iter()
    }
    fn outcomes(
        records: &[&AccountItem],
        response: &multiaccount_import::Response,
    ) -> Vec<Outcome> {
        let failed: HashSet<&str> = response.fail_accounts.iter().map(String::as_str).collect();
        records
            .iter()
            .map(|r| {
                if failed.contains(r.user_id.as_str()) {
                    Outcome::Failed {
                        code: None,
                        code_name: None,
                        reason: "multiaccount_import listed it in FailAccounts".to_owned(),
                    }
                } else {
                    Outcome::Done
                }
            })
            .collect()
    }
}

/// A kind whose line is the command's whole request, sent as it is, one per request; the reply
/// settles it as a whole. `$key` is the request field it is written to (one request at a time
/// per value).
macro_rules! one_request_per_line {
    ($(#[$doc:meta])* $name:ident, $kind:ident, $command:ident::$marker:ident, $key:ident) => {
        $(#[$doc])*
        pub struct $name;

        impl Job for $name {
            type Record = $command::Request;
            type E = $command::$marker;
            const KIND: Kind = Kind::$kind;

            fn check(record: &Self::Record) -> Result<(), String> {
                valid(record)
            }
            fn key(record: &Self::Record) -> &str {
                &record.$key
            }
            fn batch_max() -> usize {
                // The line is the whole request, whatever lists it holds.
                1
            }
            fn request(
                _: &str,
                records: impl Iterator<Item = Self::Record>,
            ) -> $command::Request {
                one(records)
            }
            fn unpack<'k>(
                _: &'k str,
                request: $command::Request,
            ) -> impl Iterator<Item = Self::Record> + 'k {
                std::iter::once(request)
            }
            fn outcomes(records: &[&Self::Record], _: &$command::Response) -> Vec<Outcome> {
                all_done(records)
            }
        }
    };
}

one_request_per_line!(
    /// `profiles.jsonl`: a portrait_set request.
    Profiles, Profiles, portrait_set::PortraitSet, from_account
);
one_request_per_line!(
    /// `group_unread.jsonl`: a set_unread_msg_num request.
    GroupUnread, GroupUnread, set_unread_msg_num::SetUnreadMsgNum, group_id
);
one_request_per_line!(
    /// `c2c_messages.jsonl`: an importmsg request (the service's de-duplication makes a
    /// message sent again a no-op).
    C2cMessages, C2cMessages, importmsg::Importmsg, from_account
);
one_request_per_line!(
    /// `c2c_read.jsonl`: an admin_set_msg_read request.
    C2cRead, C2cRead, admin_set_msg_read::AdminSetMsgRead, report_account
);

/// Matches per-item results to the records by account, in order (an account may appear
/// twice in one batch).
fn by_account<'r, R>(
    accounts: impl Iterator<Item = &'r str>,
    results: &'r [R],
    account_of: impl Fn(&R) -> &str,
    settle: impl Fn(&R) -> Outcome,
) -> Vec<Outcome> {
    let mut queues: HashMap<&str, VecDeque<&R>> = HashMap::new();
    for result in results {
        queues
            .entry(account_of(result))
            .or_default()
            .push_back(result);
    }
    accounts
        .map(
            |account| match queues.get_mut(account).and_then(VecDeque::pop_front) {
                Some(result) => settle(result),
                None => Outcome::Failed {
                    code: None,
                    code_name: None,
                    reason: "the reply has no result for this item".to_owned(),
                },
            },
        )
        .collect()
}

/// `friends.jsonl`: `From_Account` beside a friend_import item, per account.
pub struct Friends;

impl Job for Friends {
    type Record = OfAccount<friend_import::AddFriendItem>;
    /// friend_import with a reply read into a leaner shape (`crate::reply`).
    type E = FriendImportCall;
    const KIND: Kind = Kind::Friends;

    fn check(record: &Self::Record) -> Result<(), String> {
        validate_relation(&record.from_account, &record.item)
    }
    fn key(record: &Self::Record) -> &str {
        &record.from_account
    }
    fn item(record: &Self::Record) -> Option<&str> {
        Some(&record.item.to_account)
    }
    fn records(input: &Input) -> anyhow::Result<Records<Self::Record>> {
        match input {
            Input::Jsonl(path) => Ok(source::jsonl(path, Self::check)?),
            Input::Csv(path) => crate::input::csv_relations(path),
            other => anyhow::bail!("friends cannot be read from {other}"),
        }
    }
    fn request(key: &str, records: impl Iterator<Item = Self::Record>) -> friend_import::Request {
        friend_import::Request::new(key, records.map(|r| r.item))
    }
    fn unpack<'k>(
        key: &'k str,
        request: friend_import::Request,
    ) -> impl Iterator<Item = Self::Record> + 'k {
        let items = request.add_friend_item.into_iter();
        items.map(move |item| OfAccount::new(key, item))
    }
    fn outcomes(records: &[&Self::Record], response: &Reply) -> Vec<Outcome> {
        response
            .in_order_of(records, |r| r.item.to_account.as_str())
            .into_iter()
            .map(|result| match result {
                Some(r) if r.result_code == 0 => Outcome::Done,
                Some(r) => Outcome::refused::<Self::E>(r.result_code, r.result_info.clone()),
                None => Outcome::Failed {
                    code: None,
                    code_name: None,
                    reason: "the reply has no result for this relation".to_owned(),
                },
            })
            .collect()
    }
}

/// `blocklists.jsonl`: `{"From_Account", "To_Account"}`, per account.
pub struct Blocklists;

impl Job for Blocklists {
    type Record = OfAccount<Blocked>;
    type E = black_list_add::BlackListAdd;
    const KIND: Kind = Kind::Blocklists;

    /// As black_list_add checks a request of this one entry (an over-long account would
    /// otherwise fail its whole batch when sent).
    fn check(record: &Self::Record) -> Result<(), String> {
        let one = black_list_add::Request::new(
            record.from_account.as_str(),
            [record.item.to_account.as_str()],
        );
        valid(&one)
    }
    fn key(record: &Self::Record) -> &str {
        &record.from_account
    }
    fn item(record: &Self::Record) -> Option<&str> {
        Some(&record.item.to_account)
    }
    fn request(key: &str, records: impl Iterator<Item = Self::Record>) -> black_list_add::Request {
        black_list_add::Request::new(key, records.map(|r| r.item.to_account))
    }
    fn unpack<'k>(
        key: &'k str,
        request: black_list_add::Request,
    ) -> impl Iterator<Item = Self::Record> + 'k {
        let accounts = request.to_account.into_iter();
        accounts.map(move |to_account| OfAccount::new(key, Blocked { to_account }))
    }
    fn outcomes(records: &[&Self::Record], response: &black_list_add::Response) -> Vec<Outcome> {
        by_account(
            records.iter().map(|r| r.item.to_account.as_str()),
            &response.result_item,
            |r| &r.to_account,
            |r| match r.result() {
                Ok(()) => Outcome::Done,
                Err(e) => Outcome::refused::<Self::E>(e.code(), e.message()),
            },
        )
    }
    /// black_list_add refuses an entry already there with the same code as a bad parameter,
    /// so the refused entries are looked up with black_list_check.
    fn verify<'a>(
        caller: &'a Caller,
        key: &'a str,
        records: &'a [&'a Self::Record],
        outcomes: &'a mut [Outcome],
    ) -> Verify<'a> {
        Box::pin(async move {
            let refused: Vec<&str> = records
                .iter()
                .zip(outcomes.iter())
                .filter(|(_, o)| matches!(o, Outcome::Failed { .. }))
                .map(|(r, _)| r.item.to_account.as_str())
                .collect();
            if refused.is_empty() {
                return;
            }
            let check = black_list_check::Request::new(
                key,
                refused,
                black_list_check::BlackCheckType::Single,
            );
            let Ok(checked) = caller
                .call::<black_list_check::BlackListCheck>(&check)
                .await
            else {
                return;
            };
            let listed: HashSet<&str> = checked
                .response
                .black_list_check_item
                .iter()
                .filter(|i| i.relation == Some(black_list_check::BlackRelation::AWithB))
                .map(|i| i.to_account.as_str())
                .collect();
            for (record, outcome) in records.iter().zip(outcomes.iter_mut()) {
                if matches!(outcome, Outcome::Failed { .. })
                    && listed.contains(record.item.to_account.as_str())
                {
                    *outcome = Outcome::Already;
                }
            }
        })
    }
}

/// `groups.jsonl`: an import_group request, which must carry its `GroupId` (members and
/// messages refer to it).
pub struct Groups;

impl Job for Groups {
    type Record = import_group::Request;
    type E = import_group::ImportGroup;
    const KIND: Kind = Kind::Groups;

    fn check(record: &import_group::Request) -> Result<(), String> {
        match &record.group_id {
            None => {
                Err("GroupId is missing: members and messages refer to the group by it".to_owned())
            }
            Some(id) => non_empty(id, "GroupId").and_then(|()| valid(record)),
        }
    }
    fn key(record: &import_group::Request) -> &str {
        record.group_id.as_deref().unwrap_or_default()
    }
    fn batch_max() -> usize {
        // The line is the whole request, whatever lists it holds.
        1
    }
    fn request(
        _: &str,
        records: impl Iterator<Item = import_group::Request>,
    ) -> import_group::Request {
        one(records)
    }
    fn unpack<'k>(
        _: &'k str,
        request: import_group::Request,
    ) -> impl Iterator<Item = import_group::Request> + 'k {
        std::iter::once(request)
    }
    fn outcomes(records: &[&import_group::Request], _: &import_group::Response) -> Vec<Outcome> {
        all_done(records)
    }
    /// 10021 (the GroupId is taken) is the group imported by an earlier attempt when the
    /// group there has the same type and name.
    fn verify<'a>(
        caller: &'a Caller,
        key: &'a str,
        records: &'a [&'a Self::Record],
        outcomes: &'a mut [Outcome],
    ) -> Verify<'a> {
        Box::pin(async move {
            let taken = import_group::Error::GroupIdTaken.code();
            if outcomes.first().and_then(Outcome::code) != Some(taken) {
                return;
            }
            let ask = get_group_info::Request::new([key]);
            let Ok(info) = caller.call::<get_group_info::GetGroupInfo>(&ask).await else {
                return;
            };
            let same = info.response.group_info.iter().any(|g| {
                g.error_code.unwrap_or(0) == 0
                    && g.name.as_deref() == Some(records[0].name.as_str())
                    && g.r#type.as_ref() == Some(&records[0].r#type)
            });
            if same {
                outcomes[0] = Outcome::Already;
            }
        })
    }
}

/// `group_members.jsonl`: `GroupId` beside an import_group_member item, per group.
pub struct GroupMembers;

impl Job for GroupMembers {
    type Record = InGroup<GroupMemberItem>;
    type E = import_group_member::ImportGroupMember;
    const KIND: Kind = Kind::GroupMembers;

    fn check(record: &Self::Record) -> Result<(), String> {
        non_empty(&record.group_id, "GroupId")?;
        valid(&record.item)
    }
    fn key(record: &Self::Record) -> &str {
        &record.group_id
    }
    fn item(record: &Self::Record) -> Option<&str> {
        Some(&record.item.member_account)
    }
    fn request(
        key: &str,
        records: impl Iterator<Item = Self::Record>,
    ) -> import_group_member::Request {
        import_group_member::Request::new(key, records.map(|r| r.item))
    }
    fn unpack<'k>(
        key: &'k str,
        request: import_group_member::Request,
    ) -> impl Iterator<Item = Self::Record> + 'k {
        let members = request.member_list.into_iter();
        members.map(move |item| InGroup::new(key, item))
    }
    fn outcomes(
        records: &[&Self::Record],
        response: &import_group_member::Response,
    ) -> Vec<Outcome> {
        use import_group_member::ImportResult;
        by_account(
            records.iter().map(|r| r.item.member_account.as_str()),
            response.member_list.as_deref().unwrap_or_default(),
            |r| &r.member_account,
            |r| {
                match r.result {
                ImportResult::Imported => Outcome::Done,
                ImportResult::AlreadyMember => Outcome::Already,
                _ => Outcome::Failed {
                    code: None,
                    code_name: None,
                    reason: format!(
                        "not imported (Result {}): the account is not imported, or JoinTime is not between the group's creation and now",
                        r.result.as_i64()
                    ),
                },
            }
            },
        )
    }
}

/// `group_messages.jsonl`: `GroupId` beside an import_group_msg item, per group, in send-time
/// order whatever the file's order.
pub struct GroupMessages;

/// How far back a verification reads a group's history: pages of the most one request
/// returns.
const VERIFY_PAGES: usize = 50;

impl Job for GroupMessages {
    type Record = InGroup<GroupImportMsgItem>;
    type E = import_group_msg::ImportGroupMsg;
    const KIND: Kind = Kind::GroupMessages;

    fn check(record: &Self::Record) -> Result<(), String> {
        non_empty(&record.group_id, "GroupId")?;
        valid(&record.item)
    }
    fn key(record: &Self::Record) -> &str {
        &record.group_id
    }
    // Messages of one second keep the file's order.
    const SORTED: bool = true;
    fn sort_key(record: &Self::Record) -> u64 {
        record.item.send_time
    }
    fn request(
        key: &str,
        records: impl Iterator<Item = Self::Record>,
    ) -> import_group_msg::Request {
        import_group_msg::Request::new(key, records.map(|r| r.item))
    }
    fn unpack<'k>(
        key: &'k str,
        request: import_group_msg::Request,
    ) -> impl Iterator<Item = Self::Record> + 'k {
        let messages = request.msg_list.into_iter();
        messages.map(move |item| InGroup::new(key, item))
    }
    fn outcomes(records: &[&Self::Record], response: &import_group_msg::Response) -> Vec<Outcome> {
        records
            .iter()
            .enumerate()
            .map(|(i, _)| match response.import_msg_result.get(i) {
                None => Outcome::Failed {
                    code: None,
                    code_name: None,
                    reason: "the reply has no result for this message".to_owned(),
                },
                Some(r) => match r.result() {
                    Ok(()) => Outcome::Done,
                    Err(e) => Outcome::refused::<Self::E>(e.code(), e.message()),
                },
            })
            .collect()
    }
    /// A message whose send time is no longer after the group's newest (10004) may be one an
    /// earlier attempt imported: the group's history is read back to the oldest such
    /// message and a message of the same sender, time and random counts as there already.
    fn verify<'a>(
        caller: &'a Caller,
        key: &'a str,
        records: &'a [&'a Self::Record],
        outcomes: &'a mut [Outcome],
    ) -> Verify<'a> {
        Box::pin(async move {
            let invalid_time = import_group_msg::Error::InvalidParameter.code();
            let unsure: Vec<usize> = (0..records.len())
                .filter(|&i| outcomes[i].code() == Some(invalid_time))
                .collect();
            let Some(oldest) = unsure.iter().map(|&i| records[i].item.send_time).min() else {
                return;
            };
            let mut seen: HashSet<(String, u64, u32)> = HashSet::new();
            let mut ask = group_msg_get_simple::Request::new(key, 20);
            for _ in 0..VERIFY_PAGES {
                let Ok(page) = caller
                    .call::<group_msg_get_simple::GroupMsgGetSimple>(&ask)
                    .await
                else {
                    return;
                };
                let list = &page.response.rsp_msg_list;
                seen.extend(
                    list.iter()
                        .map(|m| (m.from_account.clone(), m.msg_time_stamp, m.msg_random)),
                );
                let reached = list.iter().any(|m| m.msg_time_stamp < oldest);
                match list.iter().map(|m| m.msg_seq).min() {
                    Some(smallest) if smallest > 1 && !reached => {
                        ask = ask.req_msg_seq(smallest - 1);
                    }
                    _ => break,
                }
            }
            for i in unsure {
                let item = &records[i].item;
                let id = (
                    item.from_account.clone(),
                    item.send_time,
                    item.random.unwrap_or(0),
                );
                if seen.contains(&id) {
                    outcomes[i] = Outcome::Already;
                }
            }
        })
    }
}

/// The command a kind is sent with: its path (for the reports), its documented rate and
/// batch limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// `v4/<service>/<command>`.
    pub path: &'static str,
    /// Calls per second the schema allows (100 when it states none).
    pub per_second: u32,
    /// Records per request.
    pub batch_max: usize,
}

/// The command of `kind`.
pub fn command(kind: Kind) -> Command {
    fn of<J: Job>() -> Command {
        Command {
            path: <J::E as Endpoint>::PATH,
            per_second: <J::E as Endpoint>::RATE_LIMIT.map_or(DEFAULT_RATE, |r| r.per_second),
            batch_max: J::batch_max(),
        }
    }
    match kind {
        Kind::Accounts => of::<Accounts>(),
        Kind::Profiles => of::<Profiles>(),
        Kind::Friends => of::<Friends>(),
        Kind::Blocklists => of::<Blocklists>(),
        Kind::Groups => of::<Groups>(),
        Kind::GroupMembers => of::<GroupMembers>(),
        Kind::GroupMessages => of::<GroupMessages>(),
        Kind::GroupUnread => of::<GroupUnread>(),
        Kind::C2cMessages => of::<C2cMessages>(),
        Kind::C2cRead => of::<C2cRead>(),
    }
}

/// The rate of a command whose schema states none.
pub const DEFAULT_RATE: u32 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    /// A kind whose line is a whole request sends it alone, whatever lists the request holds
    /// (a batch of two would send the first and count the second as sent).
    #[test]
    fn whole_request_kinds_send_one_line_per_request() {
        for kind in [
            Kind::Profiles,
            Kind::Groups,
            Kind::GroupUnread,
            Kind::C2cMessages,
            Kind::C2cRead,
        ] {
            assert_eq!(command(kind).batch_max, 1, "{kind}");
        }
        assert_eq!(command(Kind::Friends).batch_max, 1000);
        assert_eq!(command(Kind::GroupMessages).batch_max, 7);
    }

    /// Found by fuzzing: a blocklist entry its command refuses (an account over 32 bytes) is a
    /// bad line, not a record that fails the whole batch of its account when sent.
    #[test]
    fn a_blocklist_entry_is_checked_as_its_one_entry_request() {
        let entry = |to: &str| {
            OfAccount::new(
                "a",
                Blocked {
                    to_account: to.into(),
                },
            )
        };
        assert!(Blocklists::check(&entry("b")).is_ok());
        let reason = Blocklists::check(&entry(&"x".repeat(33))).unwrap_err();
        assert!(reason.contains("To_Account"), "{reason}");
        assert!(Blocklists::check(&entry("")).is_err());
    }
}
