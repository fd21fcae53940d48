//! friend_import as the import calls it: the generated request, and a reply read into a
//! leaner shape than the generated `friend_import::Response`.
//!
//! A reply lists one result per relation sent, and nearly all of them say 0. The generated
//! `ResultItem` owns its `To_Account`, so decoding a 1000-item reply allocates (and later
//! frees) a thousand strings only to be compared once. Here an account of up to
//! [`INLINE`] bytes (the schema allows 32) is kept inline, and the lists the import never
//! reads (`Fail_Account`, `Invalid_Account`) are skipped by the parser without being built.
//! Everything the import acts on is decoded as the generated type decodes it: the envelope,
//! and each item's `To_Account`, `ResultCode` and `ResultInfo`.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use tim_rest::sns::friend_import::{self, FriendImport};
use tim_rest::{ActionStatus, BatchField, Endpoint, Envelope, RateLimit};

/// Longest account kept without a heap allocation.
pub const INLINE: usize = 32;

/// The friend_import endpoint with [`Reply`] as its response.
#[derive(Debug, Clone, Copy)]
pub struct FriendImportCall;

impl Endpoint for FriendImportCall {
    const PATH: &'static str = FriendImport::PATH;
    const RATE_LIMIT: Option<RateLimit> = FriendImport::RATE_LIMIT;
    const BATCH: Option<BatchField> = FriendImport::BATCH;
    type Request = friend_import::Request;
    type Response = Reply;
    type Error = friend_import::Error;
}

/// A friend_import reply.
#[derive(Debug, Deserialize)]
pub struct Reply {
    /// One result per relation sent.
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<ItemResult>,
    // Read as `OK` when absent, as the generated `Response` reads it (common/envelope.json).
    #[serde(rename = "ActionStatus", default)]
    action_status: ActionStatus,
    #[serde(rename = "ErrorCode", default)]
    error_code: i64,
    #[serde(rename = "ErrorInfo", default)]
    error_info: String,
    #[serde(rename = "ErrorDisplay", default)]
    error_display: String,
}

impl Envelope for Reply {
    fn action_status(&self) -> &ActionStatus {
        &self.action_status
    }
    fn error_code(&self) -> i64 {
        self.error_code
    }
    fn error_info(&self) -> &str {
        &self.error_info
    }
    fn error_display(&self) -> &str {
        &self.error_display
    }
}

/// The outcome for one relation.
#[derive(Debug, Deserialize)]
pub struct ItemResult {
    /// The friend's account.
    #[serde(rename = "To_Account")]
    pub to_account: Account,
    /// 0 on success.
    #[serde(rename = "ResultCode")]
    pub result_code: i64,
    /// Error text; empty (and so not allocated) on success.
    #[serde(rename = "ResultInfo", default)]
    pub result_info: String,
}

impl Reply {
    /// The results in the order of `sent`: the result of `sent[i]`, or `None` when the reply
    /// has none for it. The service answers in request order, so each item is first looked
    /// for at its own position; an index by account is built only when that fails.
    pub fn in_order_of<T>(
        &self,
        sent: &[T],
        account: impl Fn(&T) -> &str,
    ) -> Vec<Option<&ItemResult>> {
        let mut out = Vec::with_capacity(sent.len());
        let mut index: Option<HashMap<&str, &ItemResult>> = None;
        for (i, item) in sent.iter().enumerate() {
            let to = account(item);
            let result = match self.result_item.get(i) {
                Some(r) if r.to_account.as_str() == to => Some(r),
                _ => index
                    .get_or_insert_with(|| {
                        // Like a map built from the list: for a repeated account, the last wins.
                        self.result_item
                            .iter()
                            .map(|r| (r.to_account.as_str(), r))
                            .collect()
                    })
                    .get(to)
                    .copied(),
            };
            out.push(result);
        }
        out
    }
}

/// An account name from a reply: inline up to [`INLINE`] bytes, on the heap beyond.
#[derive(Clone)]
pub enum Account {
    /// `len` bytes of `bytes`, valid UTF-8.
    Inline {
        /// Length in bytes.
        len: u8,
        /// The bytes; those past `len` are zero.
        bytes: [u8; INLINE],
    },
    /// A longer one.
    Heap(Box<str>),
}

impl Account {
    /// The account.
    pub fn as_str(&self) -> &str {
        match self {
            Account::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).expect("built from a str")
            }
            Account::Heap(s) => s,
        }
    }
}

impl From<&str> for Account {
    fn from(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Account::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Account::Heap(s.into())
        }
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Account {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Account {}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AccountVisitor;
        impl Visitor<'_> for AccountVisitor {
            type Value = Account;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Account, E> {
                Ok(Account::from(v))
            }
        }
        deserializer.deserialize_str(AccountVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_rest::sns::friend_import::Response;

    fn both(json: &str) -> (Reply, Response) {
        (
            serde_json::from_str(json).unwrap(),
            serde_json::from_str(json).unwrap(),
        )
    }

    #[test]
    fn decodes_what_the_generated_response_decodes() {
        for example in FriendImport::RESPONSE_EXAMPLES {
            let (reply, response) = both(example.json);
            assert_eq!(reply.action_status, response.action_status);
            assert_eq!(reply.error_code, response.error_code);
            assert_eq!(reply.error_info, response.error_info);
            assert_eq!(reply.error_display, response.error_display);
            assert_eq!(reply.result_item.len(), response.result_item.len());
            for (a, b) in reply.result_item.iter().zip(&response.result_item) {
                assert_eq!(a.to_account.as_str(), b.to_account);
                assert_eq!(a.result_code, b.result_code);
                assert_eq!(a.result_info, b.result_info.as_deref().unwrap_or_default());
            }
        }
    }

    #[test]
    fn accounts_long_or_escaped_survive() {
        let long = "x".repeat(40);
        let json = format!(
            r#"{{"ActionStatus":"OK","ErrorCode":0,"ResultItem":[
                {{"To_Account":"{long}","ResultCode":0}},
                {{"To_Account":"a\"b\u00e9","ResultCode":30001,"ResultInfo":"exists"}},
                {{"To_Account":"","ResultCode":0}}]}}"#
        );
        let (reply, response) = both(&json);
        let names: Vec<&str> = reply
            .result_item
            .iter()
            .map(|r| r.to_account.as_str())
            .collect();
        let expected: Vec<&str> = response
            .result_item
            .iter()
            .map(|r| r.to_account.as_str())
            .collect();
        assert_eq!(names, expected);
        assert!(matches!(reply.result_item[0].to_account, Account::Heap(_)));
        assert_eq!(reply.result_item[1].result_info, "exists");
    }

    #[test]
    fn a_reply_without_results_is_refused_and_one_without_status_is_ok_like_the_generated_one() {
        let json = r#"{"ActionStatus":"OK"}"#;
        assert!(serde_json::from_str::<Reply>(json).is_err());
        assert!(serde_json::from_str::<Response>(json).is_err());
        let json = r#"{"ResultItem":[]}"#;
        let reply: Reply = serde_json::from_str(json).unwrap();
        let response: Response = serde_json::from_str(json).unwrap();
        assert_eq!(reply.action_status, ActionStatus::Ok);
        assert_eq!(response.action_status, ActionStatus::Ok);
    }

    #[test]
    fn results_are_matched_by_position_then_by_account() {
        let json = r#"{"ActionStatus":"OK","ResultItem":[
            {"To_Account":"a","ResultCode":0},
            {"To_Account":"c","ResultCode":1},
            {"To_Account":"b","ResultCode":2}]}"#;
        let reply: Reply = serde_json::from_str(json).unwrap();
        let sent = ["a", "b", "c", "d"];
        let codes: Vec<Option<i64>> = reply
            .in_order_of(&sent, |s| s)
            .into_iter()
            .map(|r| r.map(|r| r.result_code))
            .collect();
        assert_eq!(codes, [Some(0), Some(2), Some(1), None]);
    }
}
