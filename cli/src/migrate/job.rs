//! What the engine needs to know about one kind: the record a line holds, the command that
//! imports it, how records batch, and how a reply settles each record.

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use tim_rest::{ApiError, Endpoint};

use super::kind::Kind;
use super::source::{self, Input, Records};
use crate::send::Caller;

/// How a reply (or a verification after it) settled one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Imported by this request.
    Done,
    /// The service had it already (a record sent again after a resume or a lost reply).
    Already,
    /// Refused: it goes to the failures report.
    Failed {
        /// The service's code, when it gave one.
        code: Option<i64>,
        /// The code's generated name.
        code_name: Option<String>,
        /// What went wrong.
        reason: String,
    },
}

impl Outcome {
    /// A refusal with the service's `code`, named by `E`'s generated error enum.
    pub fn refused<E: Endpoint>(code: i64, reason: impl Into<String>) -> Self {
        Outcome::Failed {
            code: Some(code),
            code_name: Some(code_name::<E>(code)),
            reason: reason.into(),
        }
    }

    /// The code of a refusal.
    pub fn code(&self) -> Option<i64> {
        match self {
            Outcome::Failed { code, .. } => *code,
            _ => None,
        }
    }
}

/// The generated name of `code` in `E`'s error enum (`GroupNotFound`, `Common(RestRateLimited)`).
pub fn code_name<E: Endpoint>(code: i64) -> String {
    let error = E::Error::from_code(code);
    let name = format!("{error:?}");
    match name.split_once('(') {
        // `Unknown(UnknownCode(5))` says no more than the code itself.
        Some(("Unknown", _)) => "Unknown".to_owned(),
        _ => name,
    }
}

/// A verification after a reply: may turn refusals into `Already`.
pub type Verify<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// One kind's import: everything the engine does not know by itself.
pub trait Job: Send + Sync + 'static {
    /// What one line holds, read through the generated types (and written back, as the
    /// failures report shows a refused record).
    type Record: DeserializeOwned + serde::Serialize + Send + Sync + 'static;
    /// The command that imports it.
    type E: Endpoint;

    /// The kind.
    const KIND: Kind;

    /// A record that decodes but cannot be sent (a rule of the schema, a missing key).
    fn check(record: &Self::Record) -> Result<(), String>;

    /// The account or group the record is written to: one batch at a time per key.
    fn key(record: &Self::Record) -> &str;

    /// Whether one key's batches must run one at a time (one writer per account or group, as
    /// the service advises against write conflicts).
    const ONE_WRITER: bool = true;

    /// What the record writes within its key (a friend, a member), when two records may
    /// write the same one: a request then never carries both.
    fn item(_record: &Self::Record) -> Option<&str> {
        None
    }

    /// The records of `input`: the kind's own JSONL by default; a kind that reads another
    /// shape says so here.
    fn records(input: &Input) -> anyhow::Result<Records<Self::Record>> {
        match input {
            Input::Jsonl(path) => Ok(source::jsonl::<Self::Record>(path, Self::check)?),
            other => anyhow::bail!("{} cannot be read from {other}", Self::KIND),
        }
    }

    /// Records per request.
    fn batch_max() -> usize {
        Self::E::BATCH.map_or(1, |b| b.max_items)
    }

    /// Whether one key's records must go in the order of [`sort_key`](Job::sort_key) rather
    /// than the file's (group messages, by send time): the file is then sorted, spilling to
    /// disk past a threshold.
    const SORTED: bool = false;

    /// The value records of one key are sent in ascending order of, when `SORTED`.
    fn sort_key(_record: &Self::Record) -> u64 {
        0
    }

    /// The request carrying `records` (all of one key), which it takes: a record is moved
    /// into its request and back, never copied.
    fn request(
        key: &str,
        records: impl Iterator<Item = Self::Record>,
    ) -> <Self::E as Endpoint>::Request;

    /// The records `request` carries, in order: what [`request`](Job::request) took.
    fn unpack<'k>(
        key: &'k str,
        request: <Self::E as Endpoint>::Request,
    ) -> impl Iterator<Item = Self::Record> + 'k;

    /// How the reply settled each record, in order.
    fn outcomes(
        records: &[&Self::Record],
        response: &<Self::E as Endpoint>::Response,
    ) -> Vec<Outcome>;

    /// After the reply (or a refusal of the whole request): finds out, by reading the
    /// service, whether refused records were in fact there already.
    fn verify<'a>(
        _caller: &'a Caller,
        _key: &'a str,
        _records: &'a [&'a Self::Record],
        _outcomes: &'a mut [Outcome],
    ) -> Verify<'a> {
        Box::pin(async {})
    }
}
