//! JSON Schemas of values, fields, objects and named types.

use serde_json::{json, Map, Value};

use super::components::{reference, Components, Scope};
use super::rules::{self, Container};
use super::{groups, rules::number};
use crate::model::{
    Field, FieldGroup, Int, IntConst, Rules, TagMatch, Tagged, Ty, TypeDef, TypeKind, UnionKind,
};

/// The schema of a value of type `ty` that must pass `rules`.
pub(super) fn value(ty: &Ty, rules: &Rules, scope: Scope<'_>) -> Value {
    let (mut schema, container) = match ty {
        Ty::String => (object(json!({ "type": "string" })), Container::Scalar),
        Ty::Bool => (object(json!({ "type": "boolean" })), Container::Scalar),
        Ty::Int(int) => (integer(*int), Container::Scalar),
        Ty::Float => (
            object(json!({ "type": "number", "format": "double" })),
            Container::Scalar,
        ),
        // `OK` and `FAIL` are the documented values, but the format takes any string here
        // (batchsendmsg's documented partial failure says `SomeError`), so they are examples,
        // not an enum.
        Ty::ActionStatus => (
            object(json!({ "type": "string", "examples": ["OK", "FAIL"] })),
            Container::Scalar,
        ),
        Ty::Array(inner) => {
            let each = rules.each.as_deref().cloned().unwrap_or_default();
            let items = value(inner, &each, scope);
            (
                object(json!({ "type": "array", "items": items })),
                Container::Array,
            )
        }
        Ty::Map(inner) => {
            let values = rules.values.as_deref().cloned().unwrap_or_default();
            let mut map = object(json!({
                "type": "object",
                "additionalProperties": value(inner, &values, scope),
            }));
            if let Some(keys) = &rules.keys {
                map.insert("propertyNames".into(), value(&Ty::String, keys, scope));
            }
            (map, Container::Map)
        }
        Ty::Named { name, shared, .. } => {
            let target = reference(&scope.type_name(name, *shared));
            if !has_keywords(rules) {
                return target;
            }
            // Rules on a field of a named type sit beside a reference to the type.
            (object(json!({ "allOf": [target] })), Container::Scalar)
        }
    };
    rules::apply(&mut schema, rules, container);
    Value::Object(schema)
}

/// The schema of a field: its value's, with its docs and, for a reply field read as its
/// type's empty value when absent, that `default`.
pub(super) fn field(f: &Field, scope: Scope<'_>) -> Value {
    let mut schema = value(&f.ty, &f.rules, scope);
    if let Value::Object(map) = &mut schema {
        if let Some(doc) = &f.doc {
            map.insert("description".into(), json!(doc));
        }
        if f.default {
            map.insert("default".into(), empty_value(&f.ty));
        }
    }
    schema
}

/// An object of `fields` in a body: query parameters (sent in the URL) and envelope fields
/// (defined once, in their own component) are left out.
pub(super) fn object_of(
    fields: &[Field],
    groups: &[FieldGroup],
    scope: Scope<'_>,
) -> Map<String, Value> {
    let body: Vec<&Field> = fields
        .iter()
        .filter(|f| !f.query && f.role.is_none())
        .collect();
    let mut schema = object(json!({ "type": "object" }));
    let properties: Map<String, Value> = body
        .iter()
        .map(|f| (f.wire.clone(), field(f, scope)))
        .collect();
    schema.insert("properties".into(), Value::Object(properties));
    let required: Vec<&str> = body
        .iter()
        .filter(|f| f.required)
        .map(|f| f.wire.as_str())
        .collect();
    if !required.is_empty() {
        schema.insert("required".into(), json!(required));
    }
    let constraints = groups::constraints(groups);
    if !constraints.is_empty() {
        schema.insert("allOf".into(), Value::Array(constraints));
    }
    schema
}

/// Defines the component of the named type `def` (and of a tagged union's variants).
pub(super) fn define_type(def: &TypeDef, scope: Scope<'_>, components: &mut Components) {
    let name = scope.type_name(&def.name, false);
    let mut schema = match &def.kind {
        TypeKind::Object {
            fields,
            result_code,
            groups,
        } => {
            let mut schema = object_of(fields, groups, scope);
            if let Some(rc) = result_code {
                let wire = fields
                    .iter()
                    .find(|f| f.rust == rc.field)
                    .map_or(rc.field.as_str(), |f| f.wire.as_str());
                let ok: Vec<Value> = rc
                    .ok
                    .iter()
                    .map(|e| json!({ "code": e.code, "name": e.name }))
                    .collect();
                schema.insert(
                    "x-tim-result-code".into(),
                    json!({ "field": wire, "ok": ok }),
                );
            }
            schema
        }
        TypeKind::Union(kind) => union(*kind),
        TypeKind::Enum(variants) => {
            let mut schema = object(json!({
                "type": "string",
                "enum": variants.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(),
                "x-enum-varnames": variants.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
            }));
            variant_docs(&mut schema, variants.iter().map(|v| v.doc.as_deref()));
            schema
        }
        TypeKind::IntEnum(variants) => {
            let mut schema = object(json!({
                "type": "integer",
                "format": "int64",
                "enum": variants.iter().map(|v| v.value).collect::<Vec<_>>(),
                "x-enum-varnames": variants.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
            }));
            variant_docs(&mut schema, variants.iter().map(|v| v.doc.as_deref()));
            schema
        }
        TypeKind::Integer { int, consts, flags } => {
            let mut schema = integer(*int);
            schema.insert(
                "x-tim-consts".into(),
                Value::Array(consts.iter().map(named_const).collect()),
            );
            if *flags {
                schema.insert("x-tim-flags".into(), json!(true));
            }
            schema
        }
        TypeKind::Tagged(tagged) => tagged_union(&name, tagged, scope, components),
    };
    if let Some(doc) = &def.doc {
        schema.insert("description".into(), json!(doc));
    }
    components.define(name, Value::Object(schema));
}

/// `{ tag, content }` objects: a component per variant, the union a `oneOf` of them. The
/// discriminator maps exact tags; a prefix variant (custom profile tags) has no single tag to
/// map, so a union with one is told apart by its variants' tag patterns alone.
fn tagged_union(
    name: &str,
    tagged: &Tagged,
    scope: Scope<'_>,
    components: &mut Components,
) -> Map<String, Value> {
    let mut refs = Vec::new();
    let mut mapping = Map::new();
    let mut all_exact = true;
    for variant in &tagged.variants {
        let variant_name = format!("{name}.{}", variant.name);
        let tag = match &variant.tag {
            TagMatch::Exact(tag) => {
                mapping.insert(
                    tag.clone(),
                    json!(format!("#/components/schemas/{variant_name}")),
                );
                json!({ "type": "string", "const": tag })
            }
            TagMatch::Prefix(prefix) => {
                all_exact = false;
                let mut tag = object(json!({ "type": "string" }));
                rules::add_pattern(&mut tag, rules::starts_with(prefix));
                rules::apply(&mut tag, &variant.tag_rules, Container::Scalar);
                Value::Object(tag)
            }
        };
        let mut schema = object(json!({
            "type": "object",
            "required": [tagged.tag, tagged.content],
            "properties": {
                tagged.tag.clone(): tag,
                tagged.content.clone(): value(&variant.ty, &variant.rules, scope),
            },
        }));
        if let Some(doc) = &variant.doc {
            schema.insert("description".into(), json!(doc));
        }
        refs.push(reference(&variant_name));
        components.define(variant_name, Value::Object(schema));
    }
    let mut schema = object(json!({ "oneOf": refs }));
    if all_exact {
        schema.insert(
            "discriminator".into(),
            json!({ "propertyName": tagged.tag, "mapping": mapping }),
        );
    }
    schema
}

fn union(kind: UnionKind) -> Map<String, Value> {
    let unsigned = integer(Int::U64);
    let mut shapes = vec![json!({ "type": "string" }), Value::Object(unsigned)];
    if kind == UnionKind::StringIntegerOrStrings {
        shapes.push(json!({ "type": "array", "items": { "type": "string" } }));
    }
    object(json!({ "oneOf": shapes }))
}

/// An integer of one of the format's types, bounded to that type's range.
fn integer(int: Int) -> Map<String, Value> {
    let (min, max) = int.range();
    // `int64` also for u32, whose every value fits; u64 has no standard format.
    let format = match int {
        Int::I32 => "int32",
        Int::I64 | Int::U32 => "int64",
        Int::U64 => "uint64",
    };
    object(json!({
        "type": "integer",
        "format": format,
        "minimum": number(min),
        "maximum": number(max),
    }))
}

fn named_const(c: &IntConst) -> Value {
    let mut entry = json!({ "name": c.name, "value": number(c.value) });
    if let Some(doc) = &c.doc {
        entry["description"] = json!(doc);
    }
    entry
}

/// `x-enum-descriptions`, one per value, when any value has docs.
fn variant_docs<'a>(schema: &mut Map<String, Value>, docs: impl Iterator<Item = Option<&'a str>>) {
    let docs: Vec<&str> = docs.map(|d| d.unwrap_or("")).collect();
    if docs.iter().any(|d| !d.is_empty()) {
        schema.insert("x-enum-descriptions".into(), json!(docs));
    }
}

/// The value an absent reply field with `default` reads as.
fn empty_value(ty: &Ty) -> Value {
    match ty {
        Ty::String => json!(""),
        Ty::Bool => json!(false),
        Ty::Int(_) | Ty::Float | Ty::Named { .. } => json!(0),
        Ty::ActionStatus => json!("OK"),
        Ty::Array(_) => json!([]),
        Ty::Map(_) => json!({}),
    }
}

/// Whether `rules` has anything to say about the value itself (an object type's own rules
/// travel with its component).
fn has_keywords(rules: &Rules) -> bool {
    !Rules {
        nested: false,
        ..rules.clone()
    }
    .is_empty()
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NamedKind;

    #[test]
    fn a_named_type_with_rules_keeps_its_reference_and_adds_the_rules() {
        let ty = Ty::Named {
            name: "Value".into(),
            kind: NamedKind::Union(UnionKind::StringOrInteger),
            shared: true,
        };
        let rules = Rules {
            max_bytes: Some(8),
            max: Some(100),
            ..Rules::default()
        };
        assert_eq!(
            value(&ty, &rules, Scope::shared()),
            json!({
                "allOf": [{ "$ref": "#/components/schemas/types.Value" }],
                "x-tim-max-bytes": 8,
                "maximum": 100,
            })
        );
        assert_eq!(
            value(&ty, &Rules::default(), Scope::shared()),
            json!({ "$ref": "#/components/schemas/types.Value" })
        );
    }

    #[test]
    fn each_and_values_reach_the_inner_schema() {
        let rules = Rules {
            max_items: Some(3),
            each: Some(Box::new(Rules {
                min: Some(1),
                ..Rules::default()
            })),
            ..Rules::default()
        };
        let schema = value(
            &Ty::Array(Box::new(Ty::Int(Int::U32))),
            &rules,
            Scope::shared(),
        );
        assert_eq!(schema["maxItems"], json!(3));
        assert_eq!(schema["items"]["minimum"], json!(1));
        assert_eq!(schema["items"]["maximum"], json!(u32::MAX));
    }
}
