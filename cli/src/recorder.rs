//! The recorder: the one writer of the failures report and the checkpoint.
//!
//! Workers hand it each finished batch (its id and the failures of its items) and the reader
//! hands it bad lines. It runs on its own thread and commits in groups: it writes every
//! message waiting, syncs the failures report, then appends the checkpoint entries of those
//! batches and syncs the checkpoint. A batch is therefore in the checkpoint only once its
//! failures are durable, and one `fsync` pair covers however many batches finished meanwhile.

use std::io;
use std::thread::JoinHandle;

use tokio::sync::mpsc;

use crate::abort::Abort;
use crate::checkpoint::{Checkpoint, Entry};
use crate::failures::{Failure, FailureWriter};
use crate::input::BadLine;

/// Most messages committed together.
const GROUP: usize = 4096;

enum Msg {
    Bad(BadLine),
    Done {
        entry: Option<Entry>,
        failures: Vec<Failure>,
    },
}

/// Sends to the recorder. Cheap to clone.
#[derive(Clone)]
pub struct RecorderHandle {
    tx: mpsc::Sender<Msg>,
}

/// The recorder has stopped (after an I/O error, reported by [`Recorder::finish`]).
#[derive(Debug)]
pub struct Closed;

impl RecorderHandle {
    /// Records a finished batch (`entry`: its checkpoint entry) and its failures.
    pub async fn done(&self, entry: Option<Entry>, failures: Vec<Failure>) -> Result<(), Closed> {
        self.tx
            .send(Msg::Done { entry, failures })
            .await
            .map_err(|_| Closed)
    }

    /// Records a bad input line, from a thread outside the async runtime.
    pub fn bad_line_blocking(&self, bad: BadLine) -> Result<(), Closed> {
        self.tx.blocking_send(Msg::Bad(bad)).map_err(|_| Closed)
    }

    /// Records a batch from a thread outside the async runtime.
    pub fn done_blocking(
        &self,
        entry: Option<Entry>,
        failures: Vec<Failure>,
    ) -> Result<(), Closed> {
        self.tx
            .blocking_send(Msg::Done { entry, failures })
            .map_err(|_| Closed)
    }
}

/// What the recorder wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Failures written by this run.
    pub failures: u64,
    /// Failures the report held from earlier runs.
    pub earlier_failures: u64,
}

/// The recorder thread.
pub struct Recorder {
    handle: JoinHandle<io::Result<Written>>,
}

impl Recorder {
    /// Starts the recorder. Without a checkpoint, nothing is synced until the end.
    pub fn start(
        failures: FailureWriter,
        checkpoint: Option<Checkpoint>,
        abort: Abort,
    ) -> (Recorder, RecorderHandle) {
        let (tx, rx) = mpsc::channel(1024);
        let handle = std::thread::Builder::new()
            .name("tim-recorder".into())
            .spawn(move || {
                let result = run(rx, failures, checkpoint);
                if let Err(e) = &result {
                    abort.trigger(format!(
                        "cannot write the failures report or checkpoint: {e}"
                    ));
                }
                result
            })
            .expect("spawn the recorder thread");
        (Recorder { handle }, RecorderHandle { tx })
    }

    /// Waits for the recorder to write everything (every handle must be dropped first).
    pub fn finish(self) -> io::Result<Written> {
        self.handle
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the recorder thread panicked")))
    }
}

fn run(
    mut rx: mpsc::Receiver<Msg>,
    mut failures: FailureWriter,
    mut checkpoint: Option<Checkpoint>,
) -> io::Result<Written> {
    let mut group = Vec::with_capacity(64);
    let mut entries = Vec::with_capacity(64);
    while let Some(first) = rx.blocking_recv() {
        group.push(first);
        while group.len() < GROUP {
            match rx.try_recv() {
                Ok(msg) => group.push(msg),
                Err(_) => break,
            }
        }
        let mut bad_through = None;
        for msg in group.drain(..) {
            match msg {
                Msg::Bad(bad) => {
                    failures.write(&Failure::bad_line(&bad))?;
                    bad_through = Some(bad.line);
                }
                Msg::Done {
                    entry,
                    failures: list,
                } => {
                    for f in &list {
                        failures.write(f)?;
                    }
                    entries.extend(entry);
                }
            }
        }
        if let Some(checkpoint) = &mut checkpoint {
            failures.sync()?;
            entries.extend(bad_through.map(Entry::BadLinesThrough));
            checkpoint.append(&entries)?;
        } else {
            failures.flush()?;
        }
        entries.clear();
    }
    failures.sync()?;
    Ok(Written {
        failures: failures.written(),
        earlier_failures: failures.earlier(),
    })
}
