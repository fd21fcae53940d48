//! Typed, validated bindings for the Tencent Cloud IM (Tencent Cloud Chat, "TIM") server
//! REST API, generated at compile time from the endpoint schemas in `schema/`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use tim_rest::sns::friend_import::{self, AddFriendItem};
//! use tim_rest::{Client, Region};
//!
//! let client = Client::builder()
//!     .sdkappid(1400000000)
//!     .admin("administrator")
//!     .secret_key(std::env::var("TIM_SECRET_KEY")?)
//!     .region(Region::Singapore)
//!     .build()?;
//! let req = friend_import::Request::new("alice", [AddFriendItem::new("bob", "AddSource_Type_Android")]);
//! let resp = client.friend_import(&req).await?;
//! for item in &resp.result_item {
//!     if let Err(e) = item.result() {
//!         eprintln!("{}: {e}", item.to_account);
//!     }
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

// Generated code names this crate `::tim_rest`, here as in downstream crates.
extern crate self as tim_rest;

pub use tim_rest_macros::{include_schema, ApiError, Endpoint, Validate, WireDeserialize};
pub use tim_rest_runtime::{
    client, prelude, transport, usersig, validate, ActionStatus, ApiError, BatchField, BuildError,
    CallOptions, Credentials, Endpoint, Envelope, Error, Example, FakeTransport, Pages, Paginated,
    PaginationStop, RateLimit, RateLimitPermit, RateLimiter, Region, RetryClass, RetryPolicy, Rule,
    StringOrInteger, TagValue, Transport, TransportError, UnknownCode, Validate, ValidationError,
    Violation,
};

#[doc(hidden)]
pub use tim_rest_runtime::__private;

// Defines `Client` (and `ClientBuilder`) with a method per endpoint, `CommonError`, and a
// module per service directory, each compiled only with the feature named after it.
include_schema!("schema", client = Client, service_features = true);
