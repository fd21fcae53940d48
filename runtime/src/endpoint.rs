//! What an endpoint is to the client: its path, request and reply types, error enum, and
//! the limits and examples its schema documents.

/// One REST command of the service, such as `v4/sns/friend_import`.
///
/// Implemented by the marker types that `include_schema!` and `#[derive(Endpoint)]` generate
/// (`tim_rest::sns::friend_import::FriendImport`); everything here comes from the schema.
pub trait Endpoint {
    /// URL path after the domain, without a leading slash: `v4/sns/friend_import`.
    const PATH: &'static str;
    /// Documented maximum call rate, if the schema gives one.
    const RATE_LIMIT: Option<RateLimit>;
    /// The array field a caller splits large jobs over, and its maximum length.
    const BATCH: Option<BatchField>;

    /// The request examples the schema embeds (from the service's docs).
    const REQUEST_EXAMPLES: &'static [Example] = &[];
    /// The reply examples the schema embeds.
    const RESPONSE_EXAMPLES: &'static [Example] = &[];

    /// The JSON body sent to the service.
    type Request: serde::Serialize + crate::Validate + Send + Sync;
    /// The JSON body the service answers with.
    type Response: serde::de::DeserializeOwned + crate::Envelope + Send;
    /// The error codes this endpoint can answer with.
    type Error: crate::ApiError;

    /// Appends this command's own URL query parameters (`&nettype=1`), which travel beside
    /// the JSON body rather than in it, after the ones every call has. Most commands have
    /// none.
    fn extra_query(request: &Self::Request, url: &mut String) {
        let _ = (request, url);
    }
}

/// An endpoint whose reads come in pages (`friend_get`, `black_list_get`).
///
/// Generated from the schema's `pagination` key; the client's `pages` walks every page.
pub trait Paginated: Endpoint
where
    Self::Request: Clone + PartialEq,
{
    /// The request for the page after `response`, or `None` when `response` was the last.
    fn next_request(request: &Self::Request, response: &Self::Response) -> Option<Self::Request>;
}

/// A documented maximum call rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Calls allowed per second.
    pub per_second: u32,
}

/// The request array that carries the items of a bulk call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchField {
    /// Wire name of the array field, such as `AddFriendItem`.
    pub wire_name: &'static str,
    /// Most items one request may carry.
    pub max_items: usize,
}

/// A JSON body embedded in a schema, as documented by the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Example {
    /// A snake_case name such as `basic` or `partial_failure`.
    pub name: &'static str,
    /// The JSON text.
    pub json: &'static str,
}
