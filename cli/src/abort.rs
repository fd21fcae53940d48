//! A shared stop signal: set once, with the first reason, by whoever hits a fatal error
//! (wrong credentials, an unwritable report) or by Ctrl-C; every part of the run watches it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

/// Cheap to clone; all clones share the signal.
#[derive(Clone)]
pub struct Abort {
    inner: Arc<Inner>,
}

struct Inner {
    /// The signal for [`Abort::is_set`]: the input reader asks once per line, and a load is
    /// cheaper than taking the watch channel's lock.
    set: AtomicBool,
    tx: watch::Sender<bool>,
    reason: Mutex<Option<String>>,
}

impl Default for Abort {
    fn default() -> Self {
        Self::new()
    }
}

impl Abort {
    /// A signal not set.
    pub fn new() -> Self {
        let (tx, _) = watch::channel(false);
        Abort {
            inner: Arc::new(Inner {
                set: AtomicBool::new(false),
                tx,
                reason: Mutex::new(None),
            }),
        }
    }

    /// Sets the signal; the first reason given is kept.
    pub fn trigger(&self, reason: impl Into<String>) {
        {
            let mut slot = self.inner.reason.lock().unwrap_or_else(|e| e.into_inner());
            if slot.is_none() {
                *slot = Some(reason.into());
            }
        }
        self.inner.set.store(true, Ordering::Release);
        self.inner.tx.send_replace(true);
    }

    /// Whether the signal is set.
    pub fn is_set(&self) -> bool {
        self.inner.set.load(Ordering::Acquire)
    }

    /// Why the run stopped, if it did.
    pub fn reason(&self) -> Option<String> {
        self.inner
            .reason
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Resolves once the signal is set.
    pub async fn wait(&self) {
        let mut rx = self.inner.tx.subscribe();
        let _ = rx.wait_for(|set| *set).await;
    }
}

#[cfg(test)]
mod tests {
    use super::Abort;

    #[tokio::test]
    async fn first_reason_wins_and_waiters_wake() {
        let abort = Abort::new();
        assert!(!abort.is_set());
        let waiter = {
            let abort = abort.clone();
            tokio::spawn(async move { abort.wait().await })
        };
        abort.trigger("first");
        abort.trigger("second");
        waiter.await.unwrap();
        assert!(abort.is_set());
        assert_eq!(abort.reason().as_deref(), Some("first"));
        abort.wait().await; // already set: returns at once
    }
}
