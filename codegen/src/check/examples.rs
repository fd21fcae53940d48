//! Embedded examples must be bodies the generated types accept: the right keys, the right
//! JSON types, every required field. (Rules are checked by running the generated `validate()`
//! on them in the tests, so there is one implementation of each rule.)

use serde_json::Value;

use super::FileCtx;
use crate::model::{
    Example, Field, Int, Message, NamedKind, Side, TagMatch, Tagged, Ty, TypeDef, TypeKind,
    UnionKind,
};
use crate::parse::raw::RawExample;
use crate::parse::SemPath;

pub(crate) fn check_examples(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    raw: &[RawExample],
    message: &Message,
    types: TypeLookup<'_>,
    side: Side,
) -> Vec<Example> {
    let mut out = Vec::new();
    for (i, ex) in raw.iter().enumerate() {
        let at = path.index(i);
        if !super::names::is_ident(&ex.name)
            || ex.name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            ctx.error(
                &at.key("name"),
                format!("example name `{}` is not a snake_case identifier", ex.name),
                "name examples like `basic` or `partial_failure`",
            );
        }
        if raw[..i].iter().any(|e| e.name == ex.name) {
            ctx.error(
                &at.key("name"),
                format!("example `{}` is defined twice", ex.name),
                "",
            );
        }
        let checker = Conform { types, side };
        checker.object(ctx, &at.key("value"), &ex.value, &message.fields);
        out.push(Example {
            name: ex.name.clone(),
            doc: ex.doc.clone(),
            json: ex.value.to_string(),
        });
    }
    out
}

/// The definitions an example's named types are found in: the endpoint's, then the shared.
#[derive(Clone, Copy)]
pub(crate) struct TypeLookup<'a> {
    pub own: &'a [TypeDef],
    pub shared: &'a [TypeDef],
}

impl<'a> TypeLookup<'a> {
    fn get(&self, name: &str) -> Option<&'a TypeDef> {
        self.own.iter().chain(self.shared).find(|t| t.name == name)
    }
}

struct Conform<'a> {
    types: TypeLookup<'a>,
    side: Side,
}

impl Conform<'_> {
    fn object(&self, ctx: &mut FileCtx<'_>, path: &SemPath, value: &Value, fields: &[Field]) {
        let Some(map) = value.as_object() else {
            ctx.error(path, "the example is not a JSON object", "");
            return;
        };
        // Query parameters travel in the URL, not in the body an example shows.
        for f in fields.iter().filter(|f| !f.query) {
            match map.get(&f.wire) {
                Some(v) => self.value(ctx, &path.key(&f.wire), v, &f.ty),
                None if f.required => {
                    ctx.error(
                        path,
                        format!("the example lacks the required field `{}`", f.wire),
                        "add it, or mark the field `\"required\": false` if the service omits it",
                    );
                }
                None => {}
            }
        }
        // A reply may carry fields the schema does not model (they are ignored when decoding);
        // a request may not, since the generated type could not send them.
        if self.side == Side::Request {
            for key in map.keys() {
                if !fields.iter().any(|f| f.wire == *key && !f.query) {
                    ctx.error(
                        &path.key(key),
                        format!("`{key}` is not a field here"),
                        "add the field to the schema, or fix the example",
                    );
                }
            }
        }
    }

    fn value(&self, ctx: &mut FileCtx<'_>, path: &SemPath, value: &Value, ty: &Ty) {
        let fits = match ty {
            Ty::String | Ty::ActionStatus => value.is_string(),
            Ty::Bool => value.is_boolean(),
            Ty::Int(int)
            | Ty::Named {
                kind: NamedKind::Integer(int),
                ..
            } => fits_int(value, *int),
            Ty::Float => value.is_number(),
            Ty::Map(inner) => match value.as_object() {
                Some(entries) => {
                    for (key, item) in entries {
                        self.value(ctx, &path.key(key), item, inner);
                    }
                    true
                }
                None => false,
            },
            Ty::Named {
                name,
                kind: NamedKind::IntEnum,
                ..
            } => match (value.as_i64(), self.types.get(name)) {
                (
                    Some(n),
                    Some(TypeDef {
                        kind: TypeKind::IntEnum(variants),
                        ..
                    }),
                ) => {
                    if !variants.iter().any(|v| v.value == n) {
                        ctx.error(path, format!("{n} is not a value of `{name}`"), "documented examples use documented values; add it to the enum if the service sends it");
                    }
                    true
                }
                (Some(_), _) => true,
                (None, _) => false,
            },
            Ty::Named {
                name,
                kind: NamedKind::Tagged,
                ..
            } => match (value.as_object(), self.types.get(name)) {
                (
                    Some(object),
                    Some(TypeDef {
                        kind: TypeKind::Tagged(tagged),
                        ..
                    }),
                ) => {
                    self.tagged(ctx, path, object, tagged);
                    true
                }
                (Some(_), _) => true,
                (None, _) => false,
            },
            Ty::Array(inner) => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.value(ctx, &path.index(i), item, inner);
                    }
                    true
                }
                None => false,
            },
            Ty::Named {
                kind: NamedKind::Union(UnionKind::StringOrInteger),
                ..
            } => value.is_string() || value.is_u64(),
            Ty::Named {
                kind: NamedKind::Union(UnionKind::StringIntegerOrStrings),
                ..
            } => {
                value.is_string()
                    || value.is_u64()
                    || value
                        .as_array()
                        .is_some_and(|a| a.iter().all(Value::is_string))
            }
            Ty::Named {
                name,
                kind: NamedKind::Enum,
                ..
            } => match (value.as_str(), self.types.get(name)) {
                (
                    Some(s),
                    Some(TypeDef {
                        kind: TypeKind::Enum(variants),
                        ..
                    }),
                ) => {
                    if !variants.iter().any(|v| v.wire == s) {
                        ctx.error(path, format!("`{s}` is not a value of `{name}`"), "documented examples use documented values; add it to the enum if the service sends it");
                    }
                    true
                }
                (Some(_), _) => true,
                (None, _) => false,
            },
            Ty::Named {
                name,
                kind: NamedKind::Object,
                ..
            } => {
                if let Some(TypeDef {
                    kind: TypeKind::Object { fields, .. },
                    ..
                }) = self.types.get(name)
                {
                    if value.is_object() {
                        self.object(ctx, path, value, fields);
                        true
                    } else {
                        false
                    }
                } else {
                    true
                }
            }
        };
        if !fits {
            ctx.error(
                path,
                format!("{value} does not fit the type {}", ty),
                "fix the example or the field's type",
            );
        }
    }
}

impl Conform<'_> {
    /// A tagged value: its tag is listed, and its content fits the tag's type.
    fn tagged(
        &self,
        ctx: &mut FileCtx<'_>,
        path: &SemPath,
        object: &serde_json::Map<String, Value>,
        tagged: &Tagged,
    ) {
        let Some(tag) = object.get(&tagged.tag) else {
            ctx.error(
                path,
                format!("the example lacks the tag `{}`", tagged.tag),
                "",
            );
            return;
        };
        let Some(tag) = tag.as_str() else {
            ctx.error(
                &path.key(&tagged.tag),
                format!("{tag} is not a tag (a string)"),
                "",
            );
            return;
        };
        let variant = tagged.variants.iter().find(|v| match &v.tag {
            TagMatch::Exact(t) => t == tag,
            TagMatch::Prefix(p) => tag.starts_with(p.as_str()),
        });
        let Some(variant) = variant else {
            ctx.error(
                &path.key(&tagged.tag),
                format!("`{tag}` is not a listed tag"),
                "documented examples use documented kinds; add a variant if the service sends it",
            );
            return;
        };
        match object.get(&tagged.content) {
            Some(content) => self.value(ctx, &path.key(&tagged.content), content, &variant.ty),
            None => ctx.error(path, format!("the example lacks `{}`", tagged.content), ""),
        }
        if self.side == Side::Request {
            for key in object.keys() {
                if *key != tagged.tag && *key != tagged.content {
                    ctx.error(
                        &path.key(key),
                        format!("`{key}` is not a field here"),
                        "a tagged value has its tag and its content only",
                    );
                }
            }
        }
    }
}

fn fits_int(value: &Value, int: Int) -> bool {
    match int {
        Int::I32 => value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
        Int::I64 => value.is_i64(),
        Int::U32 => value.as_u64().is_some_and(|v| u32::try_from(v).is_ok()),
        Int::U64 => value.is_u64(),
    }
}
