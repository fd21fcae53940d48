//! The checked model: what the check stage hands to emit. Every name here is a valid Rust
//! identifier, every type reference resolves, every rule fits its field.

/// Everything one expansion generates.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Codes every endpoint can answer with.
    pub common_errors: Vec<ErrorCode>,
    /// Where the common codes came from.
    pub common_source: CommonSource,
    /// The catalog's own `doc`.
    pub common_doc: Option<String>,
    /// Reply fields every endpoint shares (`ActionStatus`, ...).
    pub envelope: Vec<Field>,
    /// The URL query parameters every request carries, as `common/envelope.json` documents
    /// them (the client builds the query itself; exports such as OpenAPI describe it).
    pub envelope_query: Vec<QueryDoc>,
    /// The endpoints, in file order.
    pub endpoints: Vec<Endpoint>,
    /// Types any endpoint may name, from `common/types/`, in file order.
    pub shared_types: Vec<TypeDef>,
    /// Whose shared types the endpoints name: the expansion's own (defined in its `types`
    /// module) or tim-rest's (`tim_rest::types`).
    pub types_source: CommonSource,
}

/// A query parameter of every request: its name and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryDoc {
    pub name: String,
    pub doc: Option<String>,
}

/// Whose catalog of common codes an expansion uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommonSource {
    /// The one built into the generator, which the `tim-rest` crate defines as
    /// `tim_rest::CommonError`: endpoints refer to that.
    Builtin,
    /// The schema directory's own `common/errors.json`: the expansion defines a `CommonError`
    /// of its own next to the service modules.
    Own,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The file it came from, as shown in diagnostics.
    pub file: String,
    /// `v4/sns/friend_import`.
    pub path: String,
    /// `sns`: the module the endpoint lives in.
    pub service: String,
    /// `friend_import`: the endpoint's own module.
    pub command: String,
    /// `FriendImport`: the marker type.
    pub marker: String,
    pub summary: String,
    pub doc: Option<String>,
    pub doc_url: Option<String>,
    pub rate_limit: Option<RateLimit>,
    pub batch: Option<Batch>,
    pub pagination: Option<Pagination>,
    /// The client method: the command, or `<service>_<command>` when services share it.
    pub method: String,
    pub request: Message,
    /// The endpoint's reply fields followed by the envelope's.
    pub response: Message,
    pub types: Vec<TypeDef>,
    /// The shared types this endpoint names, directly or through other types.
    pub shared_used: Vec<String>,
    /// Codes of this endpoint only; the common ones are in [`Schema::common_errors`].
    pub errors: Vec<ErrorCode>,
    pub request_examples: Vec<Example>,
    pub response_examples: Vec<Example>,
}

#[derive(Debug, Clone)]
pub struct RateLimit {
    pub per_second: u32,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Batch {
    pub wire: String,
    pub max_items: u64,
}

/// How the next page of a paged read is asked for.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// How each next request is made from the last request and its reply.
    pub cursor: Vec<Cursor>,
    /// Which reply is the last page.
    pub complete: Complete,
    /// A second way to page the same command (get_group_member_info: `Offset` for most
    /// groups, the `Next` cursor for communities).
    pub alternative: Option<Box<PagingAlternative>>,
}

/// The paging a walk takes instead of the main one when its field is in use: set in the
/// request, or non-empty (non-zero) in the reply.
#[derive(Debug, Clone)]
pub struct PagingAlternative {
    /// The request field, by Rust name (always optional).
    pub when_request: String,
    /// The reply field of the same wire name, by Rust name, whether it is an `Option`, and
    /// whether it is a string (else an integer).
    pub when_response: String,
    pub when_response_optional: bool,
    pub when_is_string: bool,
    /// Optional request fields the next request leaves unset (the main way's cursor).
    pub unset: Vec<String>,
    pub cursor: Vec<Cursor>,
    pub complete: Complete,
}

/// One request field of the next page.
#[derive(Debug, Clone)]
pub enum Cursor {
    /// Copied from a reply field of the same type (an index, a string cursor).
    Copy(CursorCopy),
    /// The request's value plus the number of items the reply carried (offset paging).
    Advance(CursorAdvance),
    /// One below the smallest value of a field of the reply's items (paging back by
    /// sequence: group_msg_get_simple's `ReqMsgSeq`).
    BeforeSmallest(CursorBeforeSmallest),
}

#[derive(Debug, Clone)]
pub struct CursorBeforeSmallest {
    /// The request field, by Rust name.
    pub to: String,
    /// Whether the request field is optional.
    pub optional: bool,
    /// The reply array, by Rust name, and whether it is an `Option`.
    pub list: String,
    pub list_optional: bool,
    /// The integer field of its items, by Rust name, and whether it is an `Option`.
    pub field: String,
    pub field_optional: bool,
}

/// A reply field the next request copies.
#[derive(Debug, Clone)]
pub struct CursorCopy {
    /// The reply field, by Rust name, with the fields leading to it when it sits inside
    /// objects (`Cursor.Next`): each step and whether it is an `Option`.
    pub from: Vec<(String, bool)>,
    /// The request field, by Rust name.
    pub to: String,
    /// Whether the request field is optional (then set to `Some`).
    pub optional: bool,
    /// Whether any step to the reply field is optional (`Option`): an absent cursor leaves
    /// the next request as it was, which the pager reports as a repeated cursor.
    pub from_optional: bool,
    /// Whether the value is cloned (a string) rather than copied (an integer).
    pub owned: bool,
}

/// `Offset` of the next request = `Offset` of this one + the items of this reply.
#[derive(Debug, Clone)]
pub struct CursorAdvance {
    /// The request field, by Rust name.
    pub to: String,
    pub int: Int,
    /// Whether the request field is optional (`None` counts as 0).
    pub optional: bool,
    /// The reply array, by Rust name.
    pub by: String,
    /// Whether the reply array is optional (`None` counts as empty).
    pub by_optional: bool,
}

/// The reply field that says a page is the last.
#[derive(Debug, Clone)]
pub struct Complete {
    /// By Rust name.
    pub field: String,
    pub when: CompleteWhen,
    /// Whether the field is an `Option` (only for `Empty`: absent counts as empty).
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompleteWhen {
    /// An integer 0 (a next-start index of 0).
    Zero,
    /// An integer other than 0 (a completion flag).
    NonZero,
    /// An empty or absent string or array (an empty cursor, an empty page).
    Empty,
}

#[derive(Debug, Clone)]
pub struct Message {
    /// Whether the struct can derive `Eq` (no `f64` inside).
    pub eq: bool,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
    /// Rules between fields.
    pub groups: Vec<FieldGroup>,
}

/// A rule between the fields of one object, by Rust name.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldGroup {
    /// Exactly one of these alternatives is set.
    OneOf(Vec<Alternative>),
    /// At most one of these alternatives is set.
    AtMostOneOf(Vec<Alternative>),
    /// `field` must be set when `when` is set (`equals` = `None`) or equals a value.
    RequiredWhen {
        field: GroupMember,
        when: GroupMember,
        equals: Option<serde_json::Value>,
    },
}

/// One alternative of a group: a field, or several fields that count as one (set when any
/// of them is).
pub type Alternative = Vec<GroupMember>;

/// A field in a [`FieldGroup`].
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMember {
    pub wire: String,
    pub rust: String,
    /// Whether the field is an `Option` (else always present).
    pub optional: bool,
    pub ty: Ty,
}

/// Which way a type travels; decides how optional fields are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Sent by the caller: optional fields are `Option<T>`, skipped when `None`.
    Request,
    /// Sent by the service: optional text, numbers and arrays default when absent.
    Response,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire: String,
    /// A valid identifier, raw (`r#type`) when it is a keyword.
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
    pub rules: Rules,
    /// An absent optional reply field reads as the type's empty value instead of `None`.
    pub default: bool,
    /// A request field sent as a URL query parameter (the endpoint's `query`), not in the body.
    pub query: bool,
    pub role: Option<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    ActionStatus,
    ErrorCode,
    ErrorInfo,
    ErrorDisplay,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    String,
    Bool,
    Int(Int),
    /// `f64`: a JSON number with a fraction (latitudes, longitudes).
    Float,
    ActionStatus,
    Array(Box<Ty>),
    /// `{T}`: a JSON object from any key to T.
    Map(Box<Ty>),
    /// A type of this endpoint's `types`, or a shared one.
    Named {
        name: String,
        kind: NamedKind,
        /// Defined in `common/types/` rather than by the endpoint.
        shared: bool,
    },
}

impl std::fmt::Display for Ty {
    /// The type as the schema spells it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ty::String => f.write_str("string"),
            Ty::Bool => f.write_str("bool"),
            Ty::Int(i) => f.write_str(i.name()),
            Ty::Float => f.write_str("f64"),
            Ty::ActionStatus => f.write_str("action_status"),
            Ty::Array(inner) => write!(f, "[{inner}]"),
            Ty::Map(inner) => write!(f, "{{{inner}}}"),
            Ty::Named { name, .. } => f.write_str(name),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    Object,
    Union(UnionKind),
    /// String values.
    Enum,
    /// Integer values.
    IntEnum,
    /// An integer with named values.
    Integer(Int),
    /// A union picked by a tag field.
    Tagged,
}

impl NamedKind {
    /// Whether the type has a `Validate` impl of its own, which its fields call.
    pub fn validates(self) -> bool {
        matches!(
            self,
            NamedKind::Object | NamedKind::Enum | NamedKind::IntEnum | NamedKind::Tagged
        )
    }
}

/// The shapes a value of a union may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnionKind {
    /// A string or an unsigned integer (`tim_rest::StringOrInteger`).
    StringOrInteger,
    /// A string, an unsigned integer or an array of strings (`tim_rest::TagValue`).
    StringIntegerOrStrings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Int {
    I32,
    I64,
    U32,
    U64,
}

impl Int {
    /// The values the type holds, inclusive.
    pub fn range(self) -> (i128, i128) {
        match self {
            Int::I32 => (i32::MIN.into(), i32::MAX.into()),
            Int::I64 => (i64::MIN.into(), i64::MAX.into()),
            Int::U32 => (0, u32::MAX.into()),
            Int::U64 => (0, u64::MAX.into()),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Int::I32 => "i32",
            Int::I64 => "i64",
            Int::U32 => "u32",
            Int::U64 => "u64",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    pub non_empty: bool,
    pub min_bytes: Option<u64>,
    pub max_bytes: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    /// Integer bounds, inclusive; within the field type's range.
    pub min: Option<i128>,
    pub max: Option<i128>,
    pub pattern: Option<Pattern>,
    pub charset: Option<String>,
    /// Rules of each array element.
    pub each: Option<Box<Rules>>,
    /// Rules of each key of a map.
    pub keys: Option<Box<Rules>>,
    /// Rules of each value of a map.
    pub values: Option<Box<Rules>>,
    /// Most bytes of the value's JSON text.
    pub max_json_bytes: Option<u64>,
    /// `min`/`max` bound an `f64`: compared as numbers.
    pub float_bounds: bool,
    /// The value is an object type with rules of its own.
    pub nested: bool,
}

impl Rules {
    pub fn is_empty(&self) -> bool {
        *self == Rules::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// One or more; the value starts with any of them.
    pub prefixes: Vec<String>,
    pub chars: String,
    pub min: u64,
    pub max: Option<u64>,
}

/// Where a named type is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// How its optional fields are held: `Request` when either message uses it.
    pub side: Side,
    /// Whether both the request and the reply use it.
    pub both: bool,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// Whether the type can derive `Eq` (no `f64` inside).
    pub eq: bool,
    pub side: Side,
    /// Used by the request and the reply alike: it gets both serde directions in every build.
    pub both_sides: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Object {
        fields: Vec<Field>,
        /// The field holding a per-item result code.
        result_code: Option<ResultCode>,
        /// Rules between fields.
        groups: Vec<FieldGroup>,
    },
    /// A union of JSON shapes.
    Union(UnionKind),
    /// A string enum that keeps values it does not list.
    Enum(Vec<EnumVariant>),
    /// An integer enum that keeps values it does not list.
    IntEnum(Vec<IntVariant>),
    /// An integer with named values (sentinels, bits of a mask).
    Integer {
        int: Int,
        consts: Vec<IntConst>,
        flags: bool,
    },
    /// A union whose shape a tag field picks.
    Tagged(Tagged),
}

#[derive(Debug, Clone)]
pub struct IntVariant {
    pub value: i64,
    pub name: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IntConst {
    /// Within the type's range.
    pub value: i128,
    /// SCREAMING_SNAKE_CASE.
    pub name: String,
    pub doc: Option<String>,
}

/// `{ "MsgType": "TIMTextElem", "MsgContent": { .. } }`: the tag field's value picks the
/// content's type.
#[derive(Debug, Clone)]
pub struct Tagged {
    /// The tag's wire name (`MsgType`).
    pub tag: String,
    /// The content's wire name (`MsgContent`).
    pub content: String,
    /// Rust names of the two, for the fields of prefix and unknown variants.
    pub tag_rust: String,
    pub content_rust: String,
    pub variants: Vec<TaggedVariant>,
}

#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// UpperCamelCase.
    pub name: String,
    pub tag: TagMatch,
    pub ty: Ty,
    /// Rules of the content.
    pub rules: Rules,
    /// Rules of the whole tag (prefix variants).
    pub tag_rules: Rules,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagMatch {
    /// This tag exactly.
    Exact(String),
    /// Every tag starting so; the variant keeps the tag.
    Prefix(String),
}

/// The integer field of a reply item that holds its own error code (0 for success).
#[derive(Debug, Clone)]
pub struct ResultCode {
    /// The field, by Rust name.
    pub field: String,
    pub int: Int,
    /// Codes other than 0 that mean success of another kind (30539, a pending friend
    /// request), each an entry of the endpoint's error table; `result()` then returns an
    /// outcome enum instead of `()`.
    pub ok: Vec<ErrorCode>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub wire: String,
    /// UpperCamelCase variant name.
    pub name: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ErrorCode {
    pub code: i64,
    pub name: String,
    pub zh: String,
    pub en: String,
    pub retry: Retry,
}

/// How a caller should react to a code; the schema's `retry` values and the runtime's
/// `RetryClass` variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retry {
    Never,
    Transient,
    Throttling,
    Conflict,
    Credentials,
}

impl Retry {
    pub const ALL: [Retry; 5] = [
        Retry::Never,
        Retry::Transient,
        Retry::Throttling,
        Retry::Conflict,
        Retry::Credentials,
    ];

    /// The schema's (and `#[code(retry = ..)]`'s) spelling.
    pub fn name(self) -> &'static str {
        match self {
            Retry::Never => "never",
            Retry::Transient => "transient",
            Retry::Throttling => "throttling",
            Retry::Conflict => "conflict",
            Retry::Credentials => "credentials",
        }
    }

    /// The class spelt `name`, if any.
    pub fn from_name(name: &str) -> Option<Retry> {
        Retry::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The runtime's `RetryClass` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Retry::Never => "Never",
            Retry::Transient => "Transient",
            Retry::Throttling => "Throttling",
            Retry::Conflict => "Conflict",
            Retry::Credentials => "Credentials",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub doc: Option<String>,
    /// Compact JSON.
    pub json: String,
}
