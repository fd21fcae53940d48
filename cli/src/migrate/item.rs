//! One record on its way to the service: its line, the record itself (moved into a request
//! while one carries it, and back), and how it stands. The batcher makes them and the batch
//! loop settles them; nothing is copied or kept beside them.

use super::job::Outcome;
use super::source::Numbered;

/// A record of a batch.
#[derive(Debug)]
pub struct Item<R> {
    /// Its line (for accounts of a relations file, its number by first mention).
    pub line: u64,
    /// `None` only while a request carries it.
    record: Option<R>,
    /// How the last reply (or the verification after it) settled it.
    pub outcome: Outcome,
    /// Refused with a code its endpoint says to retry: sent again in the next round.
    pub again: bool,
    /// Attempts of the requests that carried it.
    pub attempts: u32,
}

impl<R> Item<R> {
    /// A record read, not sent yet.
    pub fn new(numbered: Numbered<R>) -> Self {
        Item {
            line: numbered.line,
            record: Some(numbered.record),
            outcome: Outcome::Done,
            again: true,
            attempts: 0,
        }
    }

    /// The record.
    ///
    /// # Panics
    /// While a request carries it (between [`take`](Item::take) and
    /// [`put_back`](Item::put_back)).
    pub fn record(&self) -> &R {
        self.record
            .as_ref()
            .expect("the record is back from its request")
    }

    /// Moves the record out, into a request.
    pub fn take(&mut self) -> R {
        self.record
            .take()
            .expect("a record is in one request at a time")
    }

    /// Puts the record back from its request.
    pub fn put_back(&mut self, record: R) {
        self.record = Some(record);
    }
}
