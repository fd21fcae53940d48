//! A downstream crate: it depends only on `tim-rest`, binds an endpoint tim-rest does not ship
//! from its own schema file, and uses the same derives on hand-written types.

use tim_rest::{ApiError, Endpoint, Validate};

/// `v4/openim/query_online_status`, bound from `schema/openim/query_online_status.json`:
/// this generates `query_online_status::{Request, Response, Error, QueryResult, ..}`.
#[derive(Endpoint)]
#[endpoint(schema = "schema/openim/query_online_status.json")]
pub struct QueryOnlineStatus;

/// A hand-written request of this crate's own, validated by the same rules the schemas use.
#[derive(Debug, Clone, Validate)]
pub struct Invitation {
    /// Who is invited.
    #[validate(non_empty, max_bytes = 32, charset = "A-Za-z0-9_-")]
    pub account: String,
    /// Where the invitation came from.
    #[validate(pattern(prefix = "AddSource_Type_", chars = "A-Za-z", min = 1, max = 8))]
    pub source: String,
    /// Tags on the invitation.
    #[validate(max_items = 4, each(non_empty, max_bytes = 16))]
    pub tags: Option<Vec<String>>,
}

/// This crate's own error codes, with the same traits as the generated ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ApiError)]
pub enum InvitationError {
    /// The invitation expired.
    #[code(91001, retry = never, en = "the invitation expired", zh = "邀请已过期")]
    Expired,
    /// The store was busy.
    #[code(91002, retry = transient, en = "the invitation store was busy")]
    Busy,
    /// Anything else.
    #[code(unknown)]
    Unknown(tim_rest::error::UnknownCode),
}
