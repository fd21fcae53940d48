//! The schema format as written: a serde model with no meaning attached yet.
//!
//! Every struct denies unknown keys, so a misspelt key (`max_byte`) is an error that names the
//! keys it could have been, never a silently ignored rule.

use serde::Deserialize;

use super::ordered::OrderedMap;

/// An endpoint file such as `sns/friend_import.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEndpoint {
    #[serde(rename = "$schema", default)]
    pub json_schema: Option<String>,
    pub path: String,
    pub summary: String,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub doc_url: Option<String>,
    #[serde(default)]
    pub rate_limit: Option<RawRateLimit>,
    #[serde(default)]
    pub batch: Option<RawBatch>,
    #[serde(default)]
    pub pagination: Option<RawPagination>,
    pub request: RawMessage,
    pub response: RawMessage,
    /// This command's own URL query parameters, sent beside the body.
    #[serde(default)]
    pub query: Vec<RawField>,
    #[serde(default)]
    pub types: Types,
    #[serde(default)]
    pub errors: Vec<RawErrorCode>,
    #[serde(default)]
    pub examples: RawExamples,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimit {
    pub per_second: u32,
    #[serde(default)]
    pub doc: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBatch {
    pub field: String,
    pub max_items: u64,
}

/// How to ask for the next page of a paged read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPagination {
    /// Reply fields copied into the next request.
    pub cursor: Vec<RawCursor>,
    /// When the reply is the last page.
    pub complete_when: RawComplete,
    /// A second way to page the same command, taken when its field is in use.
    #[serde(default)]
    pub alternative: Option<RawAlternative>,
}

/// `{ "when": "Next", "unset": ["Offset"], "cursor": [...], "complete_when": {...} }`: the
/// paging a walk uses instead when the request sets `when`, or the reply carries it non-empty.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlternative {
    pub when: String,
    #[serde(default)]
    pub unset: Vec<String>,
    pub cursor: Vec<RawCursor>,
    pub complete_when: RawComplete,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCursor {
    /// The reply field copied into `request` (absent with `advance_by`).
    #[serde(default)]
    pub response: Option<String>,
    pub request: String,
    /// A reply array whose length is added to `request` (offset paging).
    #[serde(default)]
    pub advance_by: Option<String>,
    /// A reply array and an integer field of its items: the next `request` is the smallest
    /// of them minus one (paging back by sequence).
    #[serde(default)]
    pub before_smallest: Option<RawListField>,
}

/// `{ "list": "RspMsgList", "field": "MsgSeq" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListField {
    pub list: String,
    pub field: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComplete {
    pub field: String,
    pub is: RawCompleteIs,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawCompleteIs {
    Zero,
    NonZero,
    /// An empty (or absent) string or array.
    Empty,
}

/// A request or response body.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawMessage {
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub fields: Vec<RawField>,
    /// Groups of fields of which exactly one is present.
    #[serde(default)]
    pub one_of: Vec<Vec<RawGroupItem>>,
    /// Groups of fields of which at most one is present.
    #[serde(default)]
    pub at_most_one_of: Vec<Vec<RawGroupItem>>,
}

/// An item of a `one_of` / `at_most_one_of` group: a field, or several that count as one
/// (set when any of them is).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged, expecting = "a field's wire name, or an array of them")]
pub enum RawGroupItem {
    Field(String),
    AnyOf(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub rust_name: Option<String>,
    #[serde(default)]
    pub rules: RawRules,
    /// What an absent reply field reads as: the type's empty value (`""`, `0`, `false`, `[]`).
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// An optional field that must be set when a sibling is present or has a value.
    #[serde(default)]
    pub required_when: Option<RawRequiredWhen>,
    #[serde(default)]
    pub role: Option<RawRole>,
}

/// `{ "field": "Other", "present": true }` or `{ "field": "Other", "equals": 2 }`.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawRequiredWhen {
    pub field: String,
    #[serde(default)]
    pub present: Option<bool>,
    #[serde(default)]
    pub equals: Option<serde_json::Value>,
}

/// Which envelope value a reply field carries (only in `common/envelope.json`).
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawRole {
    ActionStatus,
    ErrorCode,
    ErrorInfo,
    ErrorDisplay,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawRules {
    #[serde(default)]
    pub non_empty: Option<bool>,
    #[serde(default)]
    pub min_bytes: Option<u64>,
    #[serde(default)]
    pub max_bytes: Option<u64>,
    #[serde(default)]
    pub min_items: Option<u64>,
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Integer bounds, read wider than any field type so that one the type cannot hold
    /// (`-1` on a u32) reaches the check stage and is reported there with the field's type.
    #[serde(default)]
    pub min: Option<i128>,
    #[serde(default)]
    pub max: Option<i128>,
    #[serde(default)]
    pub pattern: Option<RawPattern>,
    #[serde(default)]
    pub charset: Option<String>,
    #[serde(default)]
    pub each: Option<Box<RawRules>>,
    /// Rules of each key of a map.
    #[serde(default)]
    pub keys: Option<Box<RawRules>>,
    /// Rules of each value of a map.
    #[serde(default)]
    pub values: Option<Box<RawRules>>,
    /// Most bytes of the value's JSON text as the client sends it.
    #[serde(default)]
    pub max_json_bytes: Option<u64>,
    /// `#[validate(nested)]`: the value has rules of its own. Not a key of the schema format,
    /// where an object type is nested by its type.
    #[serde(skip)]
    pub nested: bool,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawPattern {
    /// `"Tag_SNS_"`, or a list of prefixes any of which may start the value.
    pub prefix: RawPrefixes,
    pub chars: String,
    #[serde(default)]
    pub min: Option<u64>,
    #[serde(default)]
    pub max: Option<u64>,
}

/// A named type: exactly one of `fields` (an object), `union`, `enum`, `integer` (an integer
/// with named values) or `tagged` (a union picked by a tag field).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawType {
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub fields: Option<Vec<RawField>>,
    #[serde(default)]
    pub union: Option<RawUnion>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<RawEnumValue>>,
    /// The integer type of an `integer` kind (`"u32"`).
    #[serde(default)]
    pub integer: Option<String>,
    /// Named values of an `integer` kind.
    #[serde(default)]
    pub consts: Option<Vec<RawConst>>,
    /// Whether an `integer` kind is a bit mask.
    #[serde(default)]
    pub flags: Option<bool>,
    #[serde(default)]
    pub tagged: Option<RawTagged>,
    #[serde(default)]
    pub result_code: Option<RawResultCode>,
    /// On objects: groups of fields of which exactly one is present.
    #[serde(default)]
    pub one_of: Vec<Vec<RawGroupItem>>,
    /// On objects: groups of fields of which at most one is present.
    #[serde(default)]
    pub at_most_one_of: Vec<Vec<RawGroupItem>>,
}

/// `"ResultCode"`, or `{ "field": "ResultCode", "ok": [30539] }` when some codes of the
/// endpoint's table are successes of another kind.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    untagged,
    expecting = "a field's wire name, or { \"field\": .., \"ok\": [codes] }"
)]
pub enum RawResultCode {
    Field(String),
    WithOk(RawResultCodeOk),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResultCodeOk {
    pub field: String,
    pub ok: Vec<i64>,
}

impl RawResultCode {
    pub fn field(&self) -> &str {
        match self {
            RawResultCode::Field(field) => field,
            RawResultCode::WithOk(with) => &with.field,
        }
    }

    pub fn ok(&self) -> &[i64] {
        match self {
            RawResultCode::Field(_) => &[],
            RawResultCode::WithOk(with) => &with.ok,
        }
    }
}

/// A named value of an integer type (`FOREVER` = 4294967295).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConst {
    /// Read wide, so a value the type cannot hold is reported with the type.
    pub value: i128,
    pub name: String,
    #[serde(default)]
    pub doc: Option<String>,
}

/// `{ "tag": "MsgType", "content": "MsgContent", "variants": [...] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTagged {
    pub tag: String,
    pub content: String,
    pub variants: Vec<RawTaggedVariant>,
}

/// One kind of a tagged union: an exact tag (`value`) or every tag with a `prefix`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTaggedVariant {
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub doc: Option<String>,
    /// Rules of the content.
    #[serde(default)]
    pub rules: RawRules,
    /// Rules of the whole tag of a `prefix` variant.
    #[serde(default)]
    pub tag_rules: Option<RawRules>,
}

/// One value of an enum: the wire value (a string, or an integer), optionally with a Rust
/// name and docs.
#[derive(Debug)]
pub enum RawEnumValue {
    Plain(String),
    Detailed(RawEnumDetail),
}

/// The wire value of an enum value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawEnumWire {
    Text(String),
    Integer(i64),
}

impl<'de> Deserialize<'de> for RawEnumWire {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(text) => Ok(RawEnumWire::Text(text)),
            serde_json::Value::Number(n) if n.is_i64() => {
                Ok(RawEnumWire::Integer(n.as_i64().unwrap_or_default()))
            }
            other => Err(serde::de::Error::custom(format_args!(
                "an enum value is a string or an integer (i64), not {other}"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for RawEnumValue {
    // By hand rather than `untagged`, so a misspelt key in the object form is reported as such.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(value) => Ok(RawEnumValue::Plain(value)),
            object @ serde_json::Value::Object(_) => serde_json::from_value(object)
                .map(RawEnumValue::Detailed)
                .map_err(serde::de::Error::custom),
            other => Err(serde::de::Error::custom(format_args!(
                "an enum value is a string or {{\"value\": .., \"name\": .., \"doc\": ..}}, not {other}"
            ))),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnumDetail {
    pub value: RawEnumWire,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub doc: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawUnion {
    StringOrInteger,
    StringIntegerOrStrings,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawErrorCode {
    pub code: i64,
    pub name: String,
    pub zh: String,
    pub en: String,
    pub retry: crate::model::Retry,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    #[serde(default)]
    pub request: Vec<RawExample>,
    #[serde(default)]
    pub response: Vec<RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExample {
    pub name: String,
    #[serde(default)]
    pub doc: Option<String>,
    pub value: serde_json::Value,
}

/// `common/errors.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommonErrors {
    #[serde(rename = "$schema", default)]
    pub json_schema: Option<String>,
    #[serde(default)]
    pub doc: Option<String>,
    pub errors: Vec<RawErrorCode>,
}

/// `common/types/<topic>.json`: named types every endpoint may use.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTypesFile {
    #[serde(rename = "$schema", default)]
    pub json_schema: Option<String>,
    #[serde(default)]
    pub doc: Option<String>,
    pub types: Types,
}

/// `common/envelope.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvelope {
    #[serde(rename = "$schema", default)]
    pub json_schema: Option<String>,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub query: Vec<RawQueryParam>,
    pub response: RawMessage,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueryParam {
    pub name: String,
    #[serde(default)]
    pub doc: Option<String>,
}

/// The named types of an endpoint, in file order.
pub type Types = OrderedMap<RawType>;

/// One prefix (`"AddSource_Type_"`) or several (`["Tag_SNS_Custom_", "Tag_SNS_IM_"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPrefixes(pub Vec<String>);

impl<'de> Deserialize<'de> for RawPrefixes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawPrefixes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a prefix string or an array of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawPrefixes, E> {
                Ok(RawPrefixes(vec![v.to_owned()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawPrefixes, A::Error> {
                let mut all = Vec::new();
                while let Some(one) = seq.next_element::<String>()? {
                    all.push(one);
                }
                Ok(RawPrefixes(all))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
