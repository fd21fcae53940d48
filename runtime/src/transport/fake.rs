//! A scriptable transport for tests: canned replies, a handler, and a record of requests.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, ThreadId};

use super::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

type Handler = Box<dyn FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + Send>;

/// A [`Transport`] that never touches the network, for tests of code that uses the client.
///
/// Each request is recorded, then answered by the first queued reply if there is one, else by
/// the handler if one is set, else with a [`TransportError`] of kind `Other`. Clones share the
/// script and the record, so keep a clone to inspect what the client sent.
///
/// The handler runs without any lock held: it may use a clone of the transport (to count
/// requests, queue replies or replace itself). Handler calls never overlap: a request sent
/// from another thread meanwhile waits for the handler to return, and one sent from inside
/// the handler through the same transport takes a queued reply if there is one, else fails
/// at once (the busy handler could never answer it).
///
/// ```
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use tim_rest_runtime::transport::{FakeTransport, HttpResponse};
/// use tim_rest_runtime::Client;
///
/// let fake = FakeTransport::new();
/// fake.push_json(serde_json::json!({"ActionStatus": "OK", "ErrorCode": 0}));
/// fake.push_reply(HttpResponse::new(502, "<html>bad gateway</html>"));
///
/// let client = Client::builder()
///     .sdkappid(1400000000)
///     .admin("administrator")
///     .usersig("a-fixed-usersig")
///     .base_url("https://fake.invalid")
///     .transport(fake.clone())
///     .build()?;
/// // ... client.call::<SomeEndpoint>(&request).await ...
/// assert_eq!(fake.request_count(), 0);
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct FakeTransport {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when a running handler returns.
    handler_done: Condvar,
}

#[derive(Default)]
struct State {
    replies: VecDeque<Result<HttpResponse, TransportError>>,
    handler: Option<Handler>,
    /// The thread running the handler, which is then out of `handler`.
    handler_running_on: Option<ThreadId>,
    requests: Vec<HttpRequest>,
}

/// The handler while it runs, outside the lock; on drop (panics included) it goes back in
/// place, unless the handler set a new one meanwhile, and waiting senders are woken.
struct Running<'a> {
    shared: &'a Shared,
    handler: Option<Handler>,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut state = lock(&self.shared.state);
        if state.handler.is_none() {
            state.handler = self.handler.take();
        }
        state.handler_running_on = None;
        drop(state);
        self.shared.handler_done.notify_all();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while the lock is held leaves the state consistent (every update is one step).
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeTransport {
    /// A transport with nothing scripted.
    pub fn new() -> Self {
        Self::default()
    }

    /// A transport that answers every request with `handler` (after any queued replies).
    pub fn with_handler<F>(handler: F) -> Self
    where
        F: FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + 'static,
    {
        let fake = Self::new();
        fake.set_handler(handler);
        fake
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.shared.state)
    }

    /// Records `request` and answers it: with a queued reply, else the handler's.
    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut state = self.state();
        state.requests.push(request.clone());
        loop {
            if let Some(reply) = state.replies.pop_front() {
                return reply;
            }
            match state.handler_running_on {
                None => break,
                Some(id) if id == thread::current().id() => {
                    return Err(TransportError::other(
                        "fake transport: the handler sent a request through its own transport",
                    ));
                }
                Some(_) => {
                    state = self
                        .shared
                        .handler_done
                        .wait(state)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
            }
        }
        let Some(handler) = state.handler.take() else {
            return Err(TransportError::other(
                "fake transport: no reply scripted for this request",
            ));
        };
        state.handler_running_on = Some(thread::current().id());
        drop(state);
        let mut running = Running {
            shared: &self.shared,
            handler: Some(handler),
        };
        let handler = running
            .handler
            .as_mut()
            .expect("the handler was just taken");
        handler(request)
    }

    /// Sets (or replaces) the handler that answers when no reply is queued.
    pub fn set_handler<F>(&self, handler: F) -> &Self
    where
        F: FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + 'static,
    {
        self.state().handler = Some(Box::new(handler));
        self
    }

    /// Queues a reply.
    pub fn push_reply(&self, reply: HttpResponse) -> &Self {
        self.state().replies.push_back(Ok(reply));
        self
    }

    /// Queues a `200` reply whose body is `value`.
    pub fn push_json(&self, value: serde_json::Value) -> &Self {
        self.push_reply(HttpResponse::json(&value))
    }

    /// Queues a reply with this status and body.
    pub fn push_status(&self, status: u16, body: impl Into<Vec<u8>>) -> &Self {
        self.push_reply(HttpResponse::new(status, body))
    }

    /// Queues a transport failure.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.state().replies.push_back(Err(error));
        self
    }

    /// How many queued replies are left.
    pub fn pending_replies(&self) -> usize {
        self.state().replies.len()
    }

    /// Every request sent so far, oldest first.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.state().requests.clone()
    }

    /// How many requests were sent.
    pub fn request_count(&self) -> usize {
        self.state().requests.len()
    }

    /// The latest request sent.
    pub fn last_request(&self) -> Option<HttpRequest> {
        self.state().requests.last().cloned()
    }

    /// Forgets the recorded requests (the script stays).
    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }
}

impl fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("FakeTransport")
            .field("queued_replies", &state.replies.len())
            .field(
                "has_handler",
                &(state.handler.is_some() || state.handler_running_on.is_some()),
            )
            .field("requests", &state.requests.len())
            .finish()
    }
}

impl Transport for FakeTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let reply = self.answer(&request);
        Box::pin(async move { reply })
    }
}
