//! Runtime of tim-rest: what generated bindings and their callers need at run time.
//!
//! Users depend on the `tim-rest` crate, which re-exports everything here; this crate never
//! depends on the code generator.
#![deny(missing_docs)]

mod api_error;
pub mod client;
pub mod endpoint;
mod envelope;
pub mod error;
mod string_or_integer;
mod tag_value;
mod tagged;
pub mod transport;
mod unavailable;
pub mod usersig;
pub mod validate;
mod wire_int;
mod wire_object;
mod wire_str;

pub use api_error::{ApiError, RetryClass, UnknownCode};
pub use client::{
    BuildError, CallOptions, Client, ClientBuilder, Credentials, Pages, RateLimitPermit,
    RateLimiter, Region, RetryPolicy,
};
pub use endpoint::{BatchField, Endpoint, Example, Paginated, RateLimit};
pub use envelope::{ActionStatus, Envelope};
pub use error::{Error, PaginationStop};
pub use string_or_integer::StringOrInteger;
pub use tag_value::TagValue;
pub use transport::{FakeTransport, Transport, TransportError};
pub use validate::{Rule, Validate, ValidationError, Violation};

/// The wire shapes every reply and many fields share: the reply envelope, and values the
/// service writes in more than one JSON type.
pub mod wire {
    pub use crate::envelope::{ActionStatus, Envelope};
    pub use crate::string_or_integer::StringOrInteger;
    pub use crate::tag_value::TagValue;
}

/// The traits whose methods users call: `use tim_rest::prelude::*;` brings `validate()`,
/// an error's `code()` and `retry_class()`, an endpoint's `PATH`, and the UserSig key and text
/// conversions into scope.
pub mod prelude {
    pub use crate::usersig::{AsSecretKey, AsUserSig};
    pub use crate::{ApiError, Endpoint, Paginated, Validate};
}

/// Items the derive macros and generated code reach through `::tim_rest::__private`, so that a
/// downstream crate needs no dependency of its own on serde. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::api_error::unknown_code;
    /// The client's decoding of a reply, for `fuzz/` (arbitrary bodies must never panic).
    pub use crate::client::call::decode as decode_reply;
    pub use crate::client::url::push_query;
    pub use crate::client::{Client as RuntimeClient, ClientBuilder as RuntimeClientBuilder};
    pub use crate::tagged::{deserialize_tagged, serialize_tagged, Tagged};
    pub use crate::unavailable::Unavailable;
    /// The UserSig wrapping of a document (zlib, base64, the UserSig alphabet), for `fuzz/`
    /// to seal arbitrary documents for `usersig::inspect` and `verify`.
    pub use crate::usersig::encode::seal as seal_usersig;
    pub use crate::validate::private::*;
    pub use crate::validate::{Presence, WireScalar};
    pub use crate::wire_int::deserialize_wire_i64;
    pub use crate::wire_object::{expecting_object, field, required, skip, FieldKey};
    pub use crate::wire_str::deserialize_wire_str;
    pub use serde;
    pub use serde_json;
}
