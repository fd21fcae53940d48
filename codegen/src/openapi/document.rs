//! The whole document: info, servers, tags, the common query parameters, the reply envelope,
//! every endpoint's path, and the document-level extensions.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::components::{reference, Components, Scope, ENVELOPE, FAILURE};
use super::{errors, paths, schemas, Server};
use crate::model::{Int, QueryDoc, Role, Rules, Schema, Ty};

const DESCRIPTION: &str = "\
Typed description of the Tencent Cloud IM server REST API, exported by tim-rest from its schema \
directory (`tim openapi`).

Every command is `POST https://{domain}/v4/{service}/{command}` with the query parameters \
`sdkappid`, `identifier`, `usersig`, `random` and `contenttype=json`, and a JSON body. Every \
reply is HTTP 200: a failure of the whole request is a body with `ActionStatus` `FAIL` or a \
non-zero `ErrorCode`, which is why each reply's schema is the endpoint's reply or a \
`FailureReply`.

What JSON Schema cannot say is in extensions:

- `x-tim-min-bytes`, `x-tim-max-bytes`: string lengths in UTF-8 bytes, as the service counts \
them. JSON Schema's `minLength`/`maxLength` count characters, so they are stated beside a byte \
limit only where the value is ASCII (a `pattern` or character set keeps it so) and the two \
counts agree; otherwise the only length claimed is `minLength: 1` for a non-empty string.
- `x-tim-max-json-bytes`: the most bytes the value's compact JSON text may take.
- `x-tim-error-codes` (per operation) and `x-tim-common-error-codes` (here, answered by every \
operation): `code`, `name`, `message`, `message_zh` and `retry`, one of the classes of \
`x-tim-retry-classes`.
- `x-tim-result-code` (on an item type): the item field holding a per-item error code, 0 for \
success, and the codes that are successes of another kind.
- `x-tim-rate-limit` (`per_second`), `x-tim-batch` (`field`, `max_items`) and \
`x-tim-pagination` (how the next page's request is made from a reply) on operations.
- `x-tim-consts`, `x-tim-flags`: the named values of an integer type, and whether they are bits \
of a mask.
- `x-enum-varnames`, `x-enum-descriptions`: names and docs of enum values, as client \
generators read them.
- `x-tim-secret` on `usersig`: the parameter carries a credential.

Enums list the documented values; tim-rest's own client refuses others in requests and keeps \
them in replies, so a reply with a value added by the service later is data for it, not an \
error. Unsigned 64-bit integers have the format `uint64` (not a registered format: the \
`minimum` and `maximum` beside it say the same).";

/// The document for `schema`, served from `servers`.
pub(super) fn document(schema: &Schema, servers: &[Server]) -> Value {
    let mut components = Components::default();
    define_envelope(schema, &mut components);

    let used: BTreeSet<&str> = schema
        .endpoints
        .iter()
        .flat_map(|ep| ep.shared_used.iter().map(String::as_str))
        .collect();
    for def in schema
        .shared_types
        .iter()
        .filter(|d| used.contains(d.name.as_str()))
    {
        schemas::define_type(def, Scope::shared(), &mut components);
    }

    let common_query: Vec<String> = schema
        .envelope_query
        .iter()
        .map(|q| q.name.clone())
        .collect();
    let mut paths = Map::new();
    for ep in &schema.endpoints {
        let item = paths::endpoint(ep, &schema.shared_types, &common_query, &mut components);
        paths.insert(format!("/{}", ep.path), item);
    }
    let services: BTreeSet<&str> = schema
        .endpoints
        .iter()
        .map(|ep| ep.service.as_str())
        .collect();
    let parameters: Map<String, Value> = schema
        .envelope_query
        .iter()
        .map(|q| (q.name.clone(), common_parameter(q)))
        .collect();

    let mut info = json!({
        "title": "Tencent Cloud IM server REST API",
        "version": env!("CARGO_PKG_VERSION"),
        "description": DESCRIPTION,
    });
    if let Some(doc) = &schema.common_doc {
        info["x-tim-common-errors-doc"] = json!(doc);
    }
    json!({
        "openapi": "3.1.0",
        "info": info,
        "servers": servers.iter().map(|s| json!({ "url": s.url, "description": s.description })).collect::<Vec<_>>(),
        "tags": services.iter().map(|s| json!({ "name": s, "description": format!("Commands under `v4/{s}/`.") })).collect::<Vec<_>>(),
        "paths": paths,
        "components": {
            "schemas": components.into_value(),
            "parameters": parameters,
        },
        "x-tim-common-error-codes": errors::codes(&schema.common_errors),
        "x-tim-retry-classes": errors::retry_classes(),
    })
}

/// `ReplyEnvelope`, the status fields of every reply, and `FailureReply`, a reply that says
/// the request failed as a whole (the runtime's reading: `FAIL`, or a code other than 0).
fn define_envelope(schema: &Schema, components: &mut Components) {
    let scope = Scope::shared();
    let mut properties = Map::new();
    for f in &schema.envelope {
        properties.insert(f.wire.clone(), schemas::field(f, scope));
    }
    components.define(
        ENVELOPE.to_owned(),
        json!({
            "type": "object",
            "description": "The status fields every reply carries, each read as a success when absent.",
            "properties": properties,
        }),
    );
    let wire_of = |role: Role| {
        schema
            .envelope
            .iter()
            .find(|f| f.role == Some(role))
            .map(|f| f.wire.clone())
    };
    let mut failed = Vec::new();
    if let Some(status) = wire_of(Role::ActionStatus) {
        failed.push(
            json!({ "required": [status], "properties": { status.clone(): { "const": "FAIL" } } }),
        );
    }
    if let Some(code) = wire_of(Role::ErrorCode) {
        failed.push(json!({ "required": [code], "properties": { code.clone(): { "not": { "const": 0 } } } }));
    }
    components.define(
        FAILURE.to_owned(),
        json!({
            "description": "A reply to a request that failed as a whole: the envelope, with `ActionStatus` `FAIL` or a non-zero `ErrorCode`; the endpoint's own fields may be absent.",
            "allOf": [reference(ENVELOPE)],
            "anyOf": failed,
        }),
    );
}

/// A common query parameter. The envelope file documents names and meanings; the types are
/// those the runtime writes (`runtime/src/client/url.rs`).
fn common_parameter(q: &QueryDoc) -> Value {
    let no_rules = Rules::default();
    let scope = Scope::shared();
    let (schema, secret) = match q.name.as_str() {
        "sdkappid" => (schemas::value(&Ty::Int(Int::U64), &no_rules, scope), false),
        "random" => (schemas::value(&Ty::Int(Int::U32), &no_rules, scope), false),
        "identifier" => (json!({ "type": "string", "minLength": 1 }), false),
        "usersig" => (
            json!({ "type": "string", "format": "password", "minLength": 1 }),
            true,
        ),
        "contenttype" => (json!({ "type": "string", "enum": ["json"] }), false),
        _ => (json!({ "type": "string" }), false),
    };
    let mut description = q.doc.clone().unwrap_or_default();
    if secret {
        description.push_str(" Secret-bearing: whoever holds it can call the API as `identifier` until it expires; keep it out of logs (tim-rest shows it as `usersig=***`).");
    }
    let mut parameter = json!({
        "name": q.name,
        "in": "query",
        "required": true,
        "description": description.trim(),
        "schema": schema,
    });
    if secret {
        parameter["x-tim-secret"] = json!(true);
    }
    parameter
}
