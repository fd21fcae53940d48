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
//!
//! The root holds what a program starts from: [`Client`], [`Region`], [`Error`], the traits
//! [`Endpoint`], [`Validate`] and [`ApiError`] (with their derives), [`prelude`], and one
//! module per service. The rest lives under its module: [`client`] (retry policy, rate
//! limiter, call options, paging), [`transport`], [`usersig`], [`validate`] (violations and
//! rules), [`endpoint`] (limits and examples from the schemas), [`error`] (retry classes,
//! unknown codes) and [`wire`] (the reply envelope and shared wire shapes).
#![deny(missing_docs)]

// Generated code names this crate `::tim_rest`, here as in downstream crates.
extern crate self as tim_rest;

pub use tim_rest_macros::{include_schema, ApiError, Endpoint, Validate, WireDeserialize};
pub use tim_rest_runtime::{
    client, endpoint, error, prelude, transport, usersig, validate, wire, ApiError, Endpoint,
    Error, Region, Validate,
};

// The names under the modules above, also at the root where earlier code reached them; the
// root documents only the names users start from.
#[doc(hidden)]
pub use tim_rest_runtime::{
    ActionStatus, BatchField, BuildError, CallOptions, Credentials, Envelope, Example,
    FakeTransport, Pages, Paginated, PaginationStop, RateLimit, RateLimitPermit, RateLimiter,
    RetryClass, RetryPolicy, Rule, StringOrInteger, TagValue, Transport, TransportError,
    UnknownCode, ValidationError, Violation,
};

#[doc(hidden)]
pub use tim_rest_runtime::__private;

// Defines `Client` (and `ClientBuilder`) with a method per endpoint, `CommonError`, and a
// module per service directory, each compiled only with the feature named after it.
include_schema!("schema", client = Client, service_features = true);
