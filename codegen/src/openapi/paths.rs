//! One `POST` operation per endpoint, and the components of its bodies and own types.

use serde_json::{json, Map, Value};

use super::components::{endpoint_prefix, reference, Components, Scope, ENVELOPE, FAILURE};
use super::{errors, paging, schemas};
use crate::model::{Endpoint, Example, TypeDef};

/// The name of the shared parameter component for each common query parameter.
pub(super) fn common_parameter_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

/// Defines `ep`'s components and returns its path item (`{ "post": ... }`).
pub(super) fn endpoint(
    ep: &Endpoint,
    shared: &[TypeDef],
    common_query: &[String],
    components: &mut Components,
) -> Value {
    let scope = Scope::endpoint(ep);
    let prefix = endpoint_prefix(ep);
    for def in &ep.types {
        schemas::define_type(def, scope, components);
    }

    let mut request = schemas::object_of(&ep.request.fields, &ep.request.groups, scope);
    describe(&mut request, ep.request.doc.as_deref());
    let request_name = format!("{prefix}.Request");
    components.define(request_name.clone(), Value::Object(request));

    let mut response = schemas::object_of(&ep.response.fields, &ep.response.groups, scope);
    // The envelope's fields come from its one component, beside any rules between fields.
    let mut all_of = vec![reference(ENVELOPE)];
    if let Some(Value::Array(groups)) = response.remove("allOf") {
        all_of.extend(groups);
    }
    response.insert("allOf".into(), Value::Array(all_of));
    describe(&mut response, ep.response.doc.as_deref());
    let response_name = format!("{prefix}.Response");
    components.define(response_name.clone(), Value::Object(response));

    let mut parameters: Vec<Value> = common_query
        .iter()
        .map(|name| common_parameter_ref(name))
        .collect();
    for f in ep.request.fields.iter().filter(|f| f.query) {
        let mut parameter = json!({
            "name": f.wire,
            "in": "query",
            "required": f.required,
            "schema": schemas::value(&f.ty, &f.rules, scope),
        });
        if let Some(doc) = &f.doc {
            parameter["description"] = json!(doc);
        }
        parameters.push(parameter);
    }

    let mut operation = json!({
        "operationId": ep.method,
        "tags": [ep.service],
        "summary": ep.summary,
        "description": description(ep),
        "parameters": parameters,
        "requestBody": {
            "required": true,
            "content": { "application/json": media(reference(&request_name), &ep.request_examples) },
        },
        "responses": {
            "200": {
                "description": "The reply. HTTP 200 also carries failures: on success the endpoint's fields with the envelope; when the request fails as a whole, the envelope alone with `ActionStatus` `FAIL` or a non-zero `ErrorCode` (see `x-tim-error-codes` and the document's `x-tim-common-error-codes`).",
                "content": {
                    "application/json": media(
                        json!({ "anyOf": [reference(&response_name), reference(FAILURE)] }),
                        &ep.response_examples,
                    ),
                },
            },
        },
        "x-tim-error-codes": errors::codes(&ep.errors),
    });
    if let Some(url) = &ep.doc_url {
        operation["externalDocs"] = json!({ "description": "The service's page", "url": url });
    }
    if let Some(rate) = &ep.rate_limit {
        let mut limit = json!({ "per_second": rate.per_second });
        if let Some(doc) = &rate.doc {
            limit["doc"] = json!(doc);
        }
        operation["x-tim-rate-limit"] = limit;
    }
    if let Some(batch) = &ep.batch {
        operation["x-tim-batch"] = json!({ "field": batch.wire, "max_items": batch.max_items });
    }
    if let Some(pages) = &ep.pagination {
        operation["x-tim-pagination"] = paging::pagination(ep, shared, pages);
    }
    json!({ "post": operation })
}

/// The operation's description: the schema's docs, then its limits in words.
fn description(ep: &Endpoint) -> String {
    let mut text = ep.doc.clone().unwrap_or_default();
    let mut note = |line: String| {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&line);
    };
    if let Some(rate) = &ep.rate_limit {
        note(format!(
            "Rate limit: {} calls per second (`x-tim-rate-limit`).",
            rate.per_second
        ));
    }
    if let Some(batch) = &ep.batch {
        note(format!(
            "Batch: at most {} items in `{}` per request (`x-tim-batch`).",
            batch.max_items, batch.wire
        ));
    }
    if ep.pagination.is_some() {
        note("Paged: `x-tim-pagination` says how to ask for the next page.".to_owned());
    }
    text
}

/// A media type object: the schema and the named examples.
fn media(schema: Value, examples: &[Example]) -> Value {
    let mut media = json!({ "schema": schema });
    let named: Map<String, Value> = examples
        .iter()
        .filter_map(|ex| {
            let value: Value = serde_json::from_str(&ex.json).ok()?;
            let mut example = json!({ "value": value });
            if let Some(doc) = &ex.doc {
                example["description"] = json!(doc);
            }
            Some((ex.name.clone(), example))
        })
        .collect();
    if !named.is_empty() {
        media["examples"] = Value::Object(named);
    }
    media
}

fn describe(schema: &mut Map<String, Value>, doc: Option<&str>) {
    if let Some(doc) = doc {
        schema.insert("description".into(), json!(doc));
    }
}
