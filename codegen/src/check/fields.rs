//! Fields of messages and object types: names, types, rules; the envelope and the batch field.

use super::types::TypeTable;
use super::{names, rules, FileCtx};
use crate::model::{Batch, Field, FieldGroup, GroupMember, NamedKind, Role, Ty};
use crate::parse::raw::{RawBatch, RawEnvelope, RawField, RawGroupItem, RawRole};
use crate::parse::SemPath;

pub(crate) fn check_fields(
    ctx: &mut FileCtx<'_>,
    table: &TypeTable<'_>,
    path: &SemPath,
    raw: &[RawField],
) -> Vec<Field> {
    let mut out = Vec::new();
    for (i, f) in raw.iter().enumerate() {
        let at = path.index(i);
        if f.role.is_some() {
            ctx.error(
                &at.key("role"),
                "`role` is only for the fields of common/envelope.json",
                "remove it",
            );
        }
        if let Some(field) = check_field(ctx, table, &at, f) {
            out.push(field);
        }
    }
    out
}

fn check_field(
    ctx: &mut FileCtx<'_>,
    table: &TypeTable<'_>,
    at: &SemPath,
    f: &RawField,
) -> Option<Field> {
    if f.name.is_empty() {
        ctx.error(&at.key("name"), "a field needs a wire name", "");
    }
    if let Some(name) = &f.rust_name {
        if names::snake_case(name) != *name {
            let fixed = names::snake_case(name);
            ctx.error(
                &at.key("rust_name"),
                format!("`{name}` is not a snake_case field name"),
                format!("write it as `{fixed}`"),
            );
            return None;
        }
    }
    let rust_source = f
        .rust_name
        .clone()
        .unwrap_or_else(|| names::snake_case(&f.name));
    let rust = match names::field_ident(&rust_source) {
        Ok(ident) => ident,
        Err(reason) => {
            let key = if f.rust_name.is_some() {
                "rust_name"
            } else {
                "name"
            };
            ctx.error(
                &at.key(key),
                format!("no Rust field name fits `{}`: {reason}", f.name),
                "set `rust_name` to a snake_case identifier",
            );
            return None;
        }
    };
    if rust == "new" {
        ctx.error(
            &at.key("name"),
            format!(
                "`{}` would have a setter named `new`, which is the constructor",
                f.name
            ),
            "set `rust_name` to another snake_case name",
        );
        return None;
    }
    let ty = match table.resolve(&f.ty) {
        Ok(ty) => ty,
        Err((message, hint)) => {
            ctx.error(&at.key("type"), message, hint);
            return None;
        }
    };
    let rules = rules::check_rules(ctx, &at.key("rules"), &f.rules, &rules::Target::of_ty(&ty));
    let default = f
        .default
        .as_ref()
        .is_some_and(|value| check_default(ctx, &at.key("default"), f, &ty, value));
    Some(Field {
        wire: f.name.clone(),
        rust,
        ty,
        required: f.required,
        doc: f.doc.clone(),
        rules,
        default,
        query: false,
        role: None,
    })
}

/// A `default` is the empty value of the field's type, on an optional field: what the Rust
/// type's `Default` gives, so the generated code needs no literal of its own.
fn check_default(
    ctx: &mut FileCtx<'_>,
    at: &SemPath,
    f: &RawField,
    ty: &Ty,
    value: &serde_json::Value,
) -> bool {
    use serde_json::Value;
    if f.required {
        ctx.error(
            at,
            "a required field has no default",
            "a default says what an absent field reads as; make the field optional, or remove `default`",
        );
        return false;
    }
    let empty = match ty {
        Ty::String => Some(Value::from("")),
        Ty::Int(_)
        | Ty::Float
        | Ty::Named {
            kind: NamedKind::Integer(_),
            ..
        } => Some(Value::from(0)),
        Ty::Map(_) => Some(Value::Object(serde_json::Map::new())),
        Ty::Bool => Some(Value::from(false)),
        Ty::Array(_) => Some(Value::Array(Vec::new())),
        // Its `Default` is `OK`: what a reply without it means (samples of setnospeaking,
        // getappinfo).
        Ty::ActionStatus => Some(Value::from("OK")),
        Ty::Named { .. } => None,
    };
    let zero = matches!(ty, Ty::Float) && value.as_f64() == Some(0.0);
    match empty {
        Some(empty) if *value == empty || zero => true,
        Some(empty) => {
            ctx.error(
                at,
                format!("the default of a {ty} field can only be {empty}, its empty value"),
                "an absent field reads as the type's empty value or as `None`; describe other meanings of absence in `doc`",
            );
            false
        }
        None => {
            ctx.error(
                at,
                format!("a field of type {ty} has no default"),
                "`default` applies to strings, numbers, booleans, arrays, maps and named integers; an absent value of another named type is `None`",
            );
            false
        }
    }
}

/// A `default` describes how a reply is read: on a request field it is an error.
pub(crate) fn check_no_default(ctx: &mut FileCtx<'_>, path: &SemPath, fields: &[Field]) {
    for (i, f) in fields.iter().enumerate() {
        if f.default {
            ctx.error(
                &path.index(i).key("default"),
                format!("`{}` is sent, and `default` is for reply fields", f.wire),
                "an optional request field is `None` until set; remove `default`",
            );
        }
    }
}

/// Two fields may share neither a wire name nor a Rust name (`Fail_Account` and `FailAccount`
/// would both be `fail_account`).
pub(crate) fn check_unique_names(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    fields: &[Field],
    others: &[Field],
) {
    for (i, f) in fields.iter().enumerate() {
        let earlier = fields[..i].iter().chain(others);
        for g in earlier {
            if g.wire == f.wire {
                ctx.error(
                    &path.index(i).key("name"),
                    format!("field `{}` is defined twice", f.wire),
                    "remove one of them",
                );
            } else if g.rust == f.rust {
                ctx.error(
                    &path.index(i).key("name"),
                    format!(
                        "fields `{}` and `{}` both become the Rust field `{}`",
                        g.wire, f.wire, f.rust
                    ),
                    "set `rust_name` on one of them",
                );
            }
        }
    }
}

pub(crate) fn check_envelope(ctx: &mut FileCtx<'_>, raw: &RawEnvelope) -> Vec<Field> {
    let path = SemPath::root().key("response").key("fields");
    let table = TypeTable::builtins_only();
    let mut out = Vec::new();
    for (i, f) in raw.response.fields.iter().enumerate() {
        let at = path.index(i);
        let Some(mut field) = check_field(ctx, &table, &at, f) else {
            continue;
        };
        let expected = match f.role {
            Some(RawRole::ActionStatus) => (Role::ActionStatus, Ty::ActionStatus),
            Some(RawRole::ErrorCode) => (Role::ErrorCode, Ty::Int(crate::model::Int::I64)),
            Some(RawRole::ErrorInfo) => (Role::ErrorInfo, Ty::String),
            Some(RawRole::ErrorDisplay) => (Role::ErrorDisplay, Ty::String),
            None => {
                ctx.error(&at, format!("envelope field `{}` has no `role`", f.name), "each envelope field carries one of the roles action_status, error_code, error_info, error_display");
                continue;
            }
        };
        if field.ty != expected.1 {
            ctx.error(&at.key("type"), format!("the `{:?}` field must have the type the client reads it as", expected.0), "action_status: action_status; error_code: i64; error_info and error_display: string");
        }
        if !field.required && !field.default {
            ctx.error(&at, format!("the envelope field `{}` is optional without a default", f.name), "the client reads every envelope value of every reply: make it required, or give it its empty value as `default`");
        }
        field.role = Some(expected.0);
        out.push(field);
    }
    for role in [
        Role::ActionStatus,
        Role::ErrorCode,
        Role::ErrorInfo,
        Role::ErrorDisplay,
    ] {
        let count = out.iter().filter(|f| f.role == Some(role)).count();
        if count != 1 {
            ctx.error(
                &path,
                format!("the envelope needs exactly one field with role {role:?}, found {count}"),
                "",
            );
        }
    }
    check_unique_names(ctx, &path, &out, &[]);
    out
}

pub(crate) fn check_batch(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    raw: &RawBatch,
    request: &[Field],
) -> Option<Batch> {
    let Some(field) = request.iter().find(|f| f.wire == raw.field) else {
        ctx.error(
            &path.key("field"),
            format!("the batch field `{}` is not a request field", raw.field),
            "name the request's array field that carries the items",
        );
        return None;
    };
    if !matches!(field.ty, Ty::Array(_)) {
        ctx.error(
            &path.key("field"),
            format!("the batch field `{}` is not an array", raw.field),
            "the batch field is the request array a large job is split over, such as `[AddFriendItem]`",
        );
        return None;
    }
    if raw.max_items == 0 {
        ctx.error(
            &path.key("max_items"),
            "a batch holds at least one item",
            "",
        );
    }
    if let Some(max) = field.rules.max_items {
        if max != raw.max_items {
            ctx.error(
                &path.key("max_items"),
                format!(
                    "batch.max_items is {} but the field's max_items rule is {max}",
                    raw.max_items
                ),
                "make them equal: the client splits jobs by the one and validates by the other",
            );
        }
    }
    Some(Batch {
        wire: raw.field.clone(),
        max_items: raw.max_items,
    })
}

/// The rules between fields of one object, as written.
pub(crate) struct RawGroups<'a> {
    pub one_of: &'a [Vec<RawGroupItem>],
    pub at_most_one_of: &'a [Vec<RawGroupItem>],
    pub fields: &'a [RawField],
}

/// `one_of`, `at_most_one_of` (at `path`, beside `fields`) and each field's `required_when`,
/// against the checked `fields`.
pub(crate) fn check_groups(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    raw: RawGroups<'_>,
    fields: &[Field],
) -> Vec<FieldGroup> {
    let member = |ctx: &mut FileCtx<'_>, at: &SemPath, wire: &str| -> Option<GroupMember> {
        match fields.iter().find(|f| f.wire == wire) {
            Some(f) => Some(GroupMember {
                wire: f.wire.clone(),
                rust: f.rust.clone(),
                optional: !f.required,
                ty: f.ty.clone(),
            }),
            None => {
                ctx.error(
                    at,
                    format!("`{wire}` is not a field here"),
                    "name fields of this object by their wire names",
                );
                None
            }
        }
    };
    let mut out = Vec::new();
    for (key, lists) in [
        ("one_of", raw.one_of),
        ("at_most_one_of", raw.at_most_one_of),
    ] {
        for (i, list) in lists.iter().enumerate() {
            let at = path.key(key).index(i);
            if list.len() < 2 {
                ctx.error(&at, format!("`{key}` needs at least two fields"), "");
                continue;
            }
            let mut alternatives: Vec<Vec<GroupMember>> = Vec::new();
            let mut seen: Vec<&str> = Vec::new();
            let mut sound = true;
            for (j, item) in list.iter().enumerate() {
                let wires: Vec<(SemPath, &str)> = match item {
                    RawGroupItem::Field(wire) => vec![(at.index(j), wire.as_str())],
                    RawGroupItem::AnyOf(wires) if wires.is_empty() => {
                        ctx.error(&at.index(j), "an alternative names at least one field", "");
                        sound = false;
                        continue;
                    }
                    RawGroupItem::AnyOf(wires) => wires
                        .iter()
                        .enumerate()
                        .map(|(k, w)| (at.index(j).index(k), w.as_str()))
                        .collect(),
                };
                let mut alternative = Vec::new();
                for (where_, wire) in wires {
                    if seen.contains(&wire) {
                        ctx.error(&where_, format!("`{wire}` is listed twice"), "");
                        sound = false;
                        continue;
                    }
                    seen.push(wire);
                    let Some(m) = member(ctx, &where_, wire) else {
                        sound = false;
                        continue;
                    };
                    if !m.optional {
                        ctx.error(
                            &where_,
                            format!("`{wire}` is required, so always present"),
                            "a group names optional fields",
                        );
                        sound = false;
                        continue;
                    }
                    alternative.push(m);
                }
                alternatives.push(alternative);
            }
            let members = alternatives;
            if sound {
                out.push(if key == "one_of" {
                    FieldGroup::OneOf(members)
                } else {
                    FieldGroup::AtMostOneOf(members)
                });
            }
        }
    }
    for (i, f) in raw.fields.iter().enumerate() {
        let Some(when) = &f.required_when else {
            continue;
        };
        let at = path.key("fields").index(i).key("required_when");
        if f.required {
            ctx.error(
                &at,
                format!("`{}` is required already", f.name),
                "`required_when` makes an optional field required in some requests",
            );
            continue;
        }
        if when.field == f.name {
            ctx.error(&at.key("field"), "a field cannot depend on itself", "");
            continue;
        }
        let (Some(field), Some(other)) = (
            member(ctx, &at, &f.name),
            member(ctx, &at.key("field"), &when.field),
        ) else {
            continue;
        };
        let equals = match (&when.present, &when.equals) {
            (Some(true), None) => None,
            (None, Some(value)) => {
                if !scalar_fits(&other.ty, value) {
                    ctx.error(&at.key("equals"), format!("{value} is not a value of `{}` ({})", other.wire, other.ty), "`equals` takes a string, integer or boolean of the other field's type (an enum's wire value)");
                    continue;
                }
                Some(value.clone())
            }
            _ => {
                ctx.error(
                    &at,
                    "`required_when` takes either `\"present\": true` or `\"equals\": <value>`",
                    "",
                );
                continue;
            }
        };
        out.push(FieldGroup::RequiredWhen {
            field,
            when: other,
            equals,
        });
    }
    out
}

/// Whether `value` is a scalar a field of type `ty` may hold, for `required_when.equals`.
fn scalar_fits(ty: &Ty, value: &serde_json::Value) -> bool {
    match ty {
        Ty::String
        | Ty::Named {
            kind: NamedKind::Enum,
            ..
        } => value.is_string(),
        Ty::Int(_)
        | Ty::Named {
            kind: NamedKind::IntEnum | NamedKind::Integer(_),
            ..
        } => value.is_i64() || value.is_u64(),
        Ty::Bool => value.is_boolean(),
        _ => false,
    }
}
