//! `components/schemas`: what each component is called, how it is referred to, and the map
//! that holds each one once.
//!
//! Names are dotted so the kinds cannot collide: a shared type of `common/types/` is
//! `types.<Name>`, an endpoint's own type `<service>.<command>.<Name>` (two endpoints may both
//! have a `ResultItem`), its bodies `<service>.<command>.Request` / `.Response`, a tagged
//! union's variant `<union>.<Variant>`, and the reply envelope names without a dot.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::model::Endpoint;

/// The component every reply's status fields are defined in.
pub(super) const ENVELOPE: &str = "ReplyEnvelope";
/// The component of a reply that failed as a whole.
pub(super) const FAILURE: &str = "FailureReply";

/// Whose named types a schema refers to: an endpoint's own, or only shared ones.
#[derive(Clone, Copy)]
pub(super) struct Scope<'a> {
    endpoint: Option<&'a Endpoint>,
}

impl<'a> Scope<'a> {
    pub fn shared() -> Self {
        Scope { endpoint: None }
    }

    pub fn endpoint(endpoint: &'a Endpoint) -> Self {
        Scope {
            endpoint: Some(endpoint),
        }
    }

    /// The component of the named type `name` as seen from here.
    pub fn type_name(&self, name: &str, shared: bool) -> String {
        match (shared, self.endpoint) {
            (false, Some(ep)) => format!("{}.{}", endpoint_prefix(ep), name),
            _ => format!("types.{name}"),
        }
    }
}

/// `sns.friend_import`: what an endpoint's components start with.
pub(super) fn endpoint_prefix(ep: &Endpoint) -> String {
    format!("{}.{}", ep.service, ep.command)
}

/// `{ "$ref": "#/components/schemas/<name>" }`.
pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The schemas of `components/schemas`, by name.
#[derive(Default)]
pub(super) struct Components {
    schemas: BTreeMap<String, Value>,
}

impl Components {
    /// Adds a component. Names are unique by construction (see the module docs), so a second
    /// definition is a bug of this module, caught in debug builds and by the tests.
    pub fn define(&mut self, name: String, schema: Value) {
        let previous = self.schemas.insert(name.clone(), schema);
        debug_assert!(previous.is_none(), "component `{name}` defined twice");
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.schemas.into_iter().collect())
    }
}
