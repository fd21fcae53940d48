//! Named types: their names, their kinds, the type expressions that refer to them, and the
//! side (request or response) each one travels on.

use std::collections::HashMap;

use super::rules;
use super::{fields, names, FileCtx, Sides};
use crate::model::{
    EnumVariant, Field, Int, IntConst, IntVariant, NamedKind, Rules, Side, TagMatch, Tagged,
    TaggedVariant, Ty, TypeDef, TypeKind, UnionKind, Usage,
};
use crate::parse::raw::{
    RawConst, RawEnumDetail, RawEnumValue, RawEnumWire, RawTagged, RawType, RawUnion,
};
use crate::parse::SemPath;

const BUILTINS: &[&str] = &[
    "string",
    "bool",
    "f64",
    "i32",
    "i64",
    "u32",
    "u64",
    "action_status",
];

/// The shared types of an expansion (`common/types/`): each one's definition and kind.
#[derive(Default)]
pub(crate) struct SharedTable<'r> {
    /// Every shared type in file order, with the file that defines it.
    pub(crate) raw: Vec<(&'r str, &'r RawType, &'r str)>,
    kinds: HashMap<String, NamedKind>,
}

impl<'r> SharedTable<'r> {
    /// Reads the names and kinds of every shared file; a name defined twice is an error on the
    /// second definition.
    pub(crate) fn new(
        files: &'r [(&'r crate::load::SourceFile, crate::parse::raw::RawTypesFile)],
        diagnostics: &mut crate::Diagnostics,
    ) -> Self {
        let mut table = SharedTable::default();
        for (file, raw) in files {
            let mut ctx = FileCtx::new(file);
            for (name, ty) in &raw.types.0 {
                let path = SemPath::root().key("types").key(name);
                if let Some((_, _, first)) = table.raw.iter().find(|(n, _, _)| n == name) {
                    ctx.error(
                        &path,
                        format!("the shared type `{name}` is already defined in {first}"),
                        "shared types are one namespace across common/types/; rename one",
                    );
                    continue;
                }
                check_type_name(&mut ctx, &path, name, &[]);
                let kind = kind_of(&mut ctx, &path, name, ty);
                if ty.result_code.is_some() {
                    ctx.error(
                        &path.key("result_code"),
                        "`result_code` applies to an endpoint's own types",
                        "a per-item code is read with the endpoint's `Error`; define this item type in the endpoint",
                    );
                }
                table.kinds.insert(name.clone(), kind);
                table.raw.push((name, ty, &file.display_path));
            }
            diagnostics.append(&mut ctx.diagnostics);
        }
        table
    }

    pub(crate) fn file_of(&self, name: &str) -> Option<&'r str> {
        self.raw
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, f)| *f)
    }
}

/// Whether a type name is an UpperCamelCase identifier the generated code does not use.
fn check_type_name(ctx: &mut FileCtx<'_>, path: &SemPath, name: &str, taken: &[&str]) {
    if !names::is_upper_camel(name) || names::is_keyword(name) {
        ctx.error(
            path,
            format!("type name `{name}` is not an UpperCamelCase Rust identifier"),
            "name types like Rust types: `AddFriendItem`, `CustomValue`",
        );
    } else if taken.contains(&name) {
        ctx.error(
            path,
            format!("type name `{name}` is taken by the generated code"),
            format!(
                "{} are generated for every endpoint; rename this type",
                taken
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// Which of the kinds a definition is, by the one key it has.
fn kind_of(ctx: &mut FileCtx<'_>, path: &SemPath, name: &str, ty: &RawType) -> NamedKind {
    let keys = [
        ("fields", ty.fields.is_some()),
        ("union", ty.union.is_some()),
        ("enum", ty.enum_values.is_some()),
        ("integer", ty.integer.is_some()),
        ("tagged", ty.tagged.is_some()),
    ];
    let present: Vec<&str> = keys.iter().filter(|(_, on)| *on).map(|(k, _)| *k).collect();
    let kind = match present.as_slice() {
        ["fields"] => NamedKind::Object,
        ["union"] => NamedKind::Union(union_kind(ty.union.unwrap_or(RawUnion::StringOrInteger))),
        ["enum"] => {
            let values = ty.enum_values.as_deref().unwrap_or_default();
            let integers = values
                .iter()
                .filter(|v| matches!(v, RawEnumValue::Detailed(d) if matches!(d.value, RawEnumWire::Integer(_))))
                .count();
            if integers == 0 {
                NamedKind::Enum
            } else if integers == values.len() {
                NamedKind::IntEnum
            } else {
                ctx.error(
                    &path.key("enum"),
                    format!("enum `{name}` mixes string and integer values"),
                    "an enum's values are all strings or all integers, as the service sends them",
                );
                NamedKind::Enum
            }
        }
        ["integer"] => NamedKind::Integer(
            int_named(ty.integer.as_deref().unwrap_or_default()).unwrap_or(Int::I64),
        ),
        ["tagged"] => NamedKind::Tagged,
        [] => {
            ctx.error(path, format!("type `{name}` has none of `fields`, `union`, `enum`, `integer` or `tagged`"), "give an object its `fields`, write `\"union\": \"string_or_integer\"`, list the values of an `enum`, name the `integer` type of named integers, or describe a `tagged` union");
            NamedKind::Object
        }
        many => {
            ctx.error(path, format!("type `{name}` has more than one of {}", many.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")), "a type is one kind: an object (`fields`), a `union`, an `enum`, an `integer` with named values, or a `tagged` union");
            NamedKind::Object
        }
    };
    if ty.result_code.is_some() && kind != NamedKind::Object {
        ctx.error(
            &path.key("result_code"),
            "`result_code` applies to object types only",
            "",
        );
    }
    for (key, set) in [
        ("one_of", !ty.one_of.is_empty()),
        ("at_most_one_of", !ty.at_most_one_of.is_empty()),
    ] {
        if set && kind != NamedKind::Object {
            ctx.error(
                &path.key(key),
                format!("`{key}` applies to object types only"),
                "it names fields of the object",
            );
        }
    }
    for (key, set) in [
        ("consts", ty.consts.is_some()),
        ("flags", ty.flags.is_some()),
    ] {
        if set && !matches!(kind, NamedKind::Integer(_)) {
            ctx.error(
                &path.key(key),
                format!("`{key}` applies to `integer` types only"),
                "write `\"integer\": \"u32\"` (or i32, i64, u64) beside it",
            );
        }
    }
    if let Some(int) = &ty.integer {
        if int_named(int).is_none() {
            ctx.error(
                &path.key("integer"),
                format!("`{int}` is not an integer type"),
                "write one of i32, i64, u32, u64",
            );
        }
    }
    kind
}

fn int_named(name: &str) -> Option<Int> {
    Some(match name.trim() {
        "i32" => Int::I32,
        "i64" => Int::I64,
        "u32" => Int::U32,
        "u64" => Int::U64,
        _ => return None,
    })
}

/// The type expressions a definition refers to: its fields', and its tagged variants'.
fn references(def: &RawType) -> impl Iterator<Item = &str> {
    let fields = def.fields.iter().flatten().map(|f| f.ty.as_str());
    let variants = def
        .tagged
        .iter()
        .flat_map(|t| &t.variants)
        .map(|v| v.ty.as_str());
    fields.chain(variants)
}

/// Where the types a table checks are defined.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// An endpoint's own `types`.
    Endpoint,
    /// A file of `common/types/`.
    Shared,
}

pub(crate) struct TypeTable<'r> {
    /// The types this table defines and checks.
    raw: &'r [(String, RawType)],
    /// Kinds of `raw`'s types when they are an endpoint's own.
    kinds: HashMap<String, NamedKind>,
    shared: &'r SharedTable<'r>,
    scope: Scope,
}

impl<'r> TypeTable<'r> {
    /// The table of an endpoint's own types, which may also name the shared ones.
    pub(crate) fn new(
        ctx: &mut FileCtx<'_>,
        raw: &'r crate::parse::raw::Types,
        marker: &str,
        shared: &'r SharedTable<'r>,
    ) -> Self {
        let mut kinds = HashMap::new();
        for (name, ty) in &raw.0 {
            let path = SemPath::root().key("types").key(name);
            check_type_name(ctx, &path, name, &["Request", "Response", "Error", marker]);
            if let Some(file) = shared.file_of(name) {
                ctx.error(
                    &path,
                    format!("`{name}` is a shared type, defined in {file}"),
                    "name the shared type from a field as it is, or give this one another name",
                );
            }
            kinds.insert(name.clone(), kind_of(ctx, &path, name, ty));
        }
        TypeTable {
            raw: &raw.0,
            kinds,
            shared,
            scope: Scope::Endpoint,
        }
    }

    /// A table that names builtins only (the envelope's fields).
    pub(crate) fn builtins_only() -> TypeTable<'static> {
        static NONE: std::sync::OnceLock<SharedTable<'static>> = std::sync::OnceLock::new();
        TypeTable {
            raw: &[],
            kinds: HashMap::new(),
            shared: NONE.get_or_init(SharedTable::default),
            scope: Scope::Endpoint,
        }
    }

    /// The table of one file of shared types (their names and kinds are in `shared`).
    pub(crate) fn for_shared(
        raw: &'r crate::parse::raw::Types,
        shared: &'r SharedTable<'r>,
    ) -> Self {
        TypeTable {
            raw: &raw.0,
            kinds: HashMap::new(),
            shared,
            scope: Scope::Shared,
        }
    }

    /// The definition of a type this table can name.
    fn def_of(&self, name: &str) -> Option<&'r RawType> {
        match self.raw.iter().find(|(n, _)| n == name) {
            Some((_, def)) if self.scope == Scope::Endpoint => Some(def),
            _ => self
                .shared
                .raw
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|(_, def, _)| *def),
        }
    }

    /// Resolves a type expression: a builtin, `[T]`, `{T}`, or a name from `types`.
    pub(crate) fn resolve(&self, expr: &str) -> Result<Ty, (String, String)> {
        let expr = expr.trim();
        if let Some(inner) = expr.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
            return Ok(Ty::Array(Box::new(self.resolve(inner)?)));
        }
        if let Some(inner) = expr.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
            return Ok(Ty::Map(Box::new(self.resolve(inner)?)));
        }
        Ok(match expr {
            "f64" => Ty::Float,
            "string" => Ty::String,
            "bool" => Ty::Bool,
            "i32" => Ty::Int(Int::I32),
            "i64" => Ty::Int(Int::I64),
            "u32" => Ty::Int(Int::U32),
            "u64" => Ty::Int(Int::U64),
            "action_status" => Ty::ActionStatus,
            name => match (self.kinds.get(name), self.shared.kinds.get(name)) {
                (Some(kind), _) => Ty::Named {
                    name: name.to_owned(),
                    kind: *kind,
                    shared: false,
                },
                (None, Some(kind)) => Ty::Named {
                    name: name.to_owned(),
                    kind: *kind,
                    shared: true,
                },
                (None, None) => return Err(self.unknown(name)),
            },
        })
    }

    fn unknown(&self, name: &str) -> (String, String) {
        let candidates = BUILTINS
            .iter()
            .copied()
            .chain(self.kinds.keys().map(String::as_str))
            .chain(self.shared.kinds.keys().map(String::as_str));
        let near = candidates
            .map(|c| {
                (
                    edit_distance(&c.to_ascii_lowercase(), &name.to_ascii_lowercase()),
                    c,
                )
            })
            .filter(|(d, _)| *d <= 2)
            .min();
        let hint = match near {
            Some((_, c)) => format!("did you mean `{c}`?"),
            None => "a type is one of string, bool, i32, i64, u32, u64, f64, `[T]` for an array, `{T}` for a map, or a name defined under `types`".to_owned(),
        };
        (format!("unknown type `{name}`"), hint)
    }

    /// Object types that hold themselves with no array in between would be infinitely large.
    pub(crate) fn check_cycles(&self, ctx: &mut FileCtx<'_>) {
        let direct = |name: &str| -> Vec<String> {
            self.def_of(name)
                .into_iter()
                .flat_map(references)
                .filter_map(|ty| match self.resolve(ty) {
                    Ok(Ty::Named {
                        name,
                        kind: NamedKind::Object | NamedKind::Tagged,
                        ..
                    }) => Some(name),
                    _ => None,
                })
                .collect()
        };
        for (start, _) in self.raw {
            // Depth-first over direct references, remembering the way back to `start`.
            let mut stack = vec![(start.clone(), vec![start.clone()])];
            let mut seen = std::collections::HashSet::new();
            while let Some((at, way)) = stack.pop() {
                for next in direct(&at) {
                    if next == *start {
                        // Reported once, from the cycle's first type in file order.
                        let first = self.raw.iter().position(|(n, _)| way.contains(n));
                        if first == self.raw.iter().position(|(n, _)| n == start) {
                            let cycle = way
                                .iter()
                                .chain([start])
                                .map(String::as_str)
                                .collect::<Vec<_>>()
                                .join(" -> ");
                            ctx.error(
                                &SemPath::root().key("types").key(start),
                                format!("type `{start}` contains itself ({cycle}), so no value of it could be built"),
                                "make one of the fields on the way an array (`[T]`), which may be empty",
                            );
                        }
                    } else if seen.insert(next.clone()) {
                        let mut longer = way.clone();
                        longer.push(next.clone());
                        stack.push((next, longer));
                    }
                }
            }
        }
    }

    /// The side each type is used on, following references from the two messages.
    pub(crate) fn sides(&self, request: &[Field], response: &[Field]) -> Sides {
        let mut sides = Sides::new();
        for (fields, side) in [(request, Side::Request), (response, Side::Response)] {
            let mut todo: Vec<String> = fields.iter().filter_map(|f| named(&f.ty)).collect();
            while let Some(name) = todo.pop() {
                // A type on both sides behaves as a request type (optional fields are `Option`).
                let seen = sides.get(&name).copied();
                let usage = match seen {
                    None => Usage { side, both: false },
                    Some(seen) if seen.side == side || seen.both => continue,
                    Some(_) => Usage {
                        side: Side::Request,
                        both: true,
                    },
                };
                sides.insert(name.clone(), usage);
                if let Some(raw) = self.def_of(&name) {
                    for ty in references(raw) {
                        if let Ok(ty) = self.resolve(ty) {
                            todo.extend(named(&ty));
                        }
                    }
                }
            }
        }
        sides
    }

    /// The shared types among those `sides` reached, sorted.
    pub(crate) fn shared_in(&self, sides: &Sides) -> Vec<String> {
        let mut names: Vec<String> = sides
            .keys()
            .filter(|n| !self.kinds.contains_key(*n) && self.shared.kinds.contains_key(*n))
            .cloned()
            .collect();
        names.sort();
        names
    }

    /// Checks each type's fields and builds the definitions.
    pub(crate) fn finish(&self, ctx: &mut FileCtx<'_>, sides: &Sides) -> Vec<TypeDef> {
        let mut defs = Vec::new();
        for (name, raw) in self.raw {
            let path = SemPath::root().key("types").key(name);
            // Shared types are the parts downstream schemas build with: every one of them
            // travels both ways.
            let usage = match self.scope {
                Scope::Shared => Some(Usage {
                    side: Side::Request,
                    both: true,
                }),
                Scope::Endpoint => sides.get(name).copied(),
            };
            let Some(usage) = usage else {
                // After an unresolved reference, "never used" is likely the same mistake again.
                if !ctx.has_errors() {
                    ctx.error(
                        &path,
                        format!("type `{name}` is never used"),
                        "refer to it from a field, or remove it",
                    );
                }
                continue;
            };
            let own_kind = match self.scope {
                Scope::Endpoint => self.kinds.get(name),
                Scope::Shared => self.shared.kinds.get(name),
            };
            let kind = match own_kind.copied().unwrap_or(NamedKind::Object) {
                NamedKind::Union(kind) => TypeKind::Union(kind),
                NamedKind::Enum => TypeKind::Enum(enum_variants(
                    ctx,
                    &path.key("enum"),
                    raw.enum_values.as_deref().unwrap_or_default(),
                )),
                NamedKind::IntEnum => TypeKind::IntEnum(int_variants(
                    ctx,
                    &path.key("enum"),
                    raw.enum_values.as_deref().unwrap_or_default(),
                )),
                NamedKind::Integer(int) => TypeKind::Integer {
                    int,
                    consts: int_consts(
                        ctx,
                        &path.key("consts"),
                        int,
                        raw.consts.as_deref().unwrap_or_default(),
                    ),
                    flags: raw.flags.unwrap_or(false),
                },
                NamedKind::Tagged => match &raw.tagged {
                    Some(tagged) => TypeKind::Tagged(self.tagged(ctx, &path.key("tagged"), tagged)),
                    None => continue,
                },
                NamedKind::Object => {
                    let raw_fields = raw.fields.as_deref().unwrap_or_default();
                    let list = fields::check_fields(ctx, self, &path.key("fields"), raw_fields);
                    fields::check_unique_names(ctx, &path.key("fields"), &list, &[]);
                    if usage.side == Side::Request {
                        fields::check_no_default(ctx, &path.key("fields"), &list);
                    }
                    let groups = fields::check_groups(
                        ctx,
                        &path,
                        fields::RawGroups {
                            one_of: &raw.one_of,
                            at_most_one_of: &raw.at_most_one_of,
                            fields: raw_fields,
                        },
                        &list,
                    );
                    let result_code = raw.result_code.as_ref().and_then(|raw_code| {
                        let wire = raw_code.field();
                        let found = list.iter().find(|f| f.wire == *wire);
                        match found {
                            _ if list.iter().any(|f| f.rust == "result") => {
                                let clash = list.iter().find(|f| f.rust == "result").map_or("", |f| f.wire.as_str());
                                ctx.error(&path.key("result_code"), format!("the field `{clash}` is named `result`, like the method `result()` that `result_code` generates"), "set `rust_name` on that field");
                                None
                            }
                            Some(Field { ty: Ty::Int(_), required: false, default: false, .. }) => {
                                ctx.error(&path.key("result_code"), format!("`{wire}` is optional, so an item without it would have no result"), "make the field required, or give it `\"default\": 0` if the docs say an absent code means success");
                                None
                            }
                            Some(Field { ty: Ty::Int(int), rust, .. }) => Some(crate::model::ResultCode {
                                field: rust.clone(),
                                int: *int,
                                // Names and texts come from the error table, read later.
                                ok: raw_code.ok().iter().map(|code| crate::model::ErrorCode {
                                    code: *code,
                                    name: String::new(),
                                    zh: String::new(),
                                    en: String::new(),
                                    retry: crate::model::Retry::Never,
                                }).collect(),
                            }),
                            Some(_) => {
                                ctx.error(&path.key("result_code"), format!("`{wire}` is not an integer field"), "`result_code` names the integer field holding a per-item error code");
                                None
                            }
                            None => {
                                ctx.error(&path.key("result_code"), format!("`{wire}` is not a field of `{name}`"), "`result_code` names the integer field holding a per-item error code");
                                None
                            }
                        }
                    });
                    if result_code.is_some()
                        && usage.side != Side::Response
                        && self.scope == Scope::Endpoint
                    {
                        ctx.error(
                            &path.key("result_code"),
                            "`result_code` applies to types of the response",
                            "",
                        );
                    }
                    TypeKind::Object {
                        fields: list,
                        result_code,
                        groups,
                    }
                }
            };
            defs.push(TypeDef {
                name: name.clone(),
                doc: raw.doc.clone(),
                // Settled by `settle_eq` once every type is known.
                eq: true,
                side: usage.side,
                both_sides: usage.both,
                kind,
            });
        }
        defs
    }
}

impl TypeTable<'_> {
    /// The variants of a tagged union, each with its content type and rules.
    fn tagged(&self, ctx: &mut FileCtx<'_>, path: &SemPath, raw: &RawTagged) -> Tagged {
        let mut rust_of = |key: &str, wire: &str| {
            if wire.is_empty() {
                ctx.error(
                    &path.key(key),
                    format!("`{key}` names no field"),
                    "write the wire name of the JSON key, such as `MsgType`",
                );
            }
            names::field_ident(&names::snake_case(wire)).unwrap_or_else(|why| {
                ctx.error(
                    &path.key(key),
                    format!("no Rust name fits `{wire}`: {why}"),
                    "",
                );
                "value".to_owned()
            })
        };
        let tag_rust = rust_of("tag", &raw.tag);
        let content_rust = rust_of("content", &raw.content);
        if raw.tag == raw.content || tag_rust == content_rust {
            ctx.error(
                &path.key("content"),
                "the tag and the content need different names",
                "",
            );
        }
        if raw.variants.is_empty() {
            ctx.error(
                &path.key("variants"),
                "a tagged union needs at least one variant",
                "",
            );
        }
        let exact: Vec<&str> = raw
            .variants
            .iter()
            .filter_map(|v| v.value.as_deref())
            .collect();
        let prefix_len = common_prefix(exact.iter().copied());
        let mut variants: Vec<TaggedVariant> = Vec::new();
        for (i, v) in raw.variants.iter().enumerate() {
            let at = path.key("variants").index(i);
            let tag = match (&v.value, &v.prefix) {
                (Some(value), None) => TagMatch::Exact(value.clone()),
                (None, Some(prefix)) if !prefix.is_empty() => TagMatch::Prefix(prefix.clone()),
                (None, Some(_)) => {
                    ctx.error(
                        &at.key("prefix"),
                        "an empty prefix would take every tag",
                        "unlisted tags are kept in `Other` already",
                    );
                    continue;
                }
                _ => {
                    ctx.error(&at, "a variant has either `value` (one tag) or `prefix` (every tag starting so)", "");
                    continue;
                }
            };
            let name = match (&v.name, &tag) {
                (Some(name), _) => name.clone(),
                (None, TagMatch::Exact(value)) => {
                    names::upper_camel(&names::snake_case(&value[prefix_len..]))
                }
                (None, TagMatch::Prefix(prefix)) => names::upper_camel(&names::snake_case(prefix)),
            };
            if !names::is_upper_camel(&name) || names::is_keyword(&name) {
                ctx.error(
                    &at.key("name"),
                    format!("`{name}` is not an UpperCamelCase variant name"),
                    "set `name`",
                );
            } else if name == "Other" {
                ctx.error(
                    &at.key("name"),
                    "`Other` is the variant that keeps unlisted tags",
                    "give this variant another `name`",
                );
            }
            if let Some(prev) = variants.iter().find(|p| p.name == name) {
                ctx.error(
                    &at,
                    format!("two variants are named `{}`", prev.name),
                    "give one of them a `name`",
                );
            }
            if let Some(prev) = variants.iter().find(|p| overlaps(&p.tag, &tag)) {
                ctx.error(&at, format!("this variant's tag overlaps `{}`'s", prev.name), "each tag belongs to one variant: list a value once, and no prefix that starts another or an exact value");
            }
            let ty = match self.resolve(&v.ty) {
                Ok(ty) => ty,
                Err((message, hint)) => {
                    ctx.error(&at.key("type"), message, hint);
                    continue;
                }
            };
            let rules =
                rules::check_rules(ctx, &at.key("rules"), &v.rules, &rules::Target::of_ty(&ty));
            let tag_rules = match (&v.tag_rules, &tag) {
                (Some(raw_rules), TagMatch::Prefix(_)) => rules::check_rules(
                    ctx,
                    &at.key("tag_rules"),
                    raw_rules,
                    &rules::Target::of_ty(&Ty::String),
                ),
                (Some(_), TagMatch::Exact(_)) => {
                    ctx.error(
                        &at.key("tag_rules"),
                        "`tag_rules` applies to `prefix` variants",
                        "an exact tag needs no rules",
                    );
                    Rules::default()
                }
                (None, _) => Rules::default(),
            };
            variants.push(TaggedVariant {
                name,
                tag,
                ty,
                rules,
                tag_rules,
                doc: v.doc.clone(),
            });
        }
        Tagged {
            tag: raw.tag.clone(),
            content: raw.content.clone(),
            tag_rust,
            content_rust,
            variants,
        }
    }
}

/// Whether one tag could match two variants.
fn overlaps(a: &TagMatch, b: &TagMatch) -> bool {
    match (a, b) {
        (TagMatch::Exact(x), TagMatch::Exact(y)) => x == y,
        (TagMatch::Exact(x), TagMatch::Prefix(p)) | (TagMatch::Prefix(p), TagMatch::Exact(x)) => {
            x.starts_with(p.as_str())
        }
        (TagMatch::Prefix(p), TagMatch::Prefix(q)) => {
            p.starts_with(q.as_str()) || q.starts_with(p.as_str())
        }
    }
}

/// Variants of an integer enum: each value with its name.
fn int_variants(ctx: &mut FileCtx<'_>, path: &SemPath, raw: &[RawEnumValue]) -> Vec<IntVariant> {
    let mut out: Vec<IntVariant> = Vec::new();
    for (i, v) in raw.iter().enumerate() {
        let at = path.index(i);
        let RawEnumValue::Detailed(RawEnumDetail {
            value: RawEnumWire::Integer(value),
            name,
            doc,
        }) = v
        else {
            continue;
        };
        let Some(name) = name else {
            ctx.error(
                &at,
                format!("the integer value {value} has no `name`"),
                "an integer says nothing by itself: write {\"value\": 1, \"name\": \"Sync\"}",
            );
            continue;
        };
        if !names::is_upper_camel(name) || names::is_keyword(name) {
            ctx.error(
                &at.key("name"),
                format!("`{name}` is not an UpperCamelCase variant name"),
                "",
            );
        } else if name == "Other" {
            ctx.error(
                &at.key("name"),
                "`Other` is the variant that keeps unlisted values",
                "give this value another `name`",
            );
        }
        if out.iter().any(|o| o.value == *value) {
            ctx.error(
                &at.key("value"),
                format!("value {value} is listed twice"),
                "",
            );
        } else if out.iter().any(|o| o.name == *name) {
            ctx.error(
                &at.key("name"),
                format!("two values are named `{name}`"),
                "",
            );
        }
        out.push(IntVariant {
            value: *value,
            name: name.clone(),
            doc: doc.clone(),
        });
    }
    if raw.is_empty() {
        ctx.error(path, "an enum needs at least one value", "");
    }
    out
}

/// Named values of an `integer` type: SCREAMING_SNAKE_CASE names, values the type holds.
fn int_consts(ctx: &mut FileCtx<'_>, path: &SemPath, int: Int, raw: &[RawConst]) -> Vec<IntConst> {
    let (lo, hi) = int.range();
    let mut out: Vec<IntConst> = Vec::new();
    for (i, c) in raw.iter().enumerate() {
        let at = path.index(i);
        let screaming = !c.name.is_empty()
            && c.name.starts_with(|ch: char| ch.is_ascii_uppercase())
            && c.name
                .chars()
                .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_');
        if !screaming || names::is_keyword(&c.name) {
            ctx.error(
                &at.key("name"),
                format!("`{}` is not a SCREAMING_SNAKE_CASE constant name", c.name),
                "name it like a Rust constant: `FOREVER`, `NO_LIMIT`",
            );
        }
        if !(lo..=hi).contains(&c.value) {
            ctx.error(
                &at.key("value"),
                format!(
                    "{} is outside the range of {} ({lo} to {hi})",
                    c.value,
                    int.name()
                ),
                "",
            );
        }
        if out.iter().any(|o| o.name == c.name) {
            ctx.error(
                &at.key("name"),
                format!("two values are named `{}`", c.name),
                "",
            );
        }
        out.push(IntConst {
            value: c.value,
            name: c.name.clone(),
            doc: c.doc.clone(),
        });
    }
    out
}

/// Whether each type can derive `Eq`: not when an `f64` is inside, through any number of
/// types. `defs` are settled in place; `settled` are types defined elsewhere (the shared ones).
pub(crate) fn settle_eq(defs: &mut [TypeDef], settled: &[TypeDef]) {
    loop {
        let mut changed = false;
        for i in 0..defs.len() {
            if !defs[i].eq {
                continue;
            }
            let eq_of = |name: &str| {
                defs.iter()
                    .chain(settled)
                    .find(|d| d.name == name)
                    .map_or(true, |d| d.eq)
            };
            let float = match &defs[i].kind {
                TypeKind::Object { fields, .. } => fields.iter().any(|f| !ty_eq(&f.ty, &eq_of)),
                TypeKind::Tagged(t) => t.variants.iter().any(|v| !ty_eq(&v.ty, &eq_of)),
                _ => false,
            };
            if float {
                defs[i].eq = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Whether a value of `ty` compares with `Eq`.
pub(crate) fn ty_eq(ty: &Ty, eq_of: &dyn Fn(&str) -> bool) -> bool {
    match ty {
        Ty::Float => false,
        Ty::Array(inner) | Ty::Map(inner) => ty_eq(inner, eq_of),
        Ty::Named { name, .. } => eq_of(name),
        _ => true,
    }
}

fn union_kind(raw: RawUnion) -> UnionKind {
    match raw {
        RawUnion::StringOrInteger => UnionKind::StringOrInteger,
        RawUnion::StringIntegerOrStrings => UnionKind::StringIntegerOrStrings,
    }
}

/// Variants of a string enum. Names default to the value without the prefix every value shares
/// up to an underscore (`CheckResult_Type_AWithB` -> `AWithB`).
fn enum_variants(ctx: &mut FileCtx<'_>, path: &SemPath, raw: &[RawEnumValue]) -> Vec<EnumVariant> {
    // An integer among strings was reported when the kind was decided.
    let values: Vec<(&str, Option<&str>, Option<&String>)> = raw
        .iter()
        .filter_map(|v| match v {
            RawEnumValue::Plain(value) => Some((value.as_str(), None, None)),
            RawEnumValue::Detailed(RawEnumDetail {
                value: RawEnumWire::Text(value),
                name,
                doc,
            }) => Some((value.as_str(), name.as_deref(), doc.as_ref())),
            RawEnumValue::Detailed(_) => None,
        })
        .collect();
    if values.is_empty() {
        ctx.error(path, "an enum needs at least one value", "");
    }
    let prefix = common_prefix(values.iter().map(|v| v.0));
    let mut out: Vec<EnumVariant> = Vec::new();
    for (i, (value, name, doc)) in values.into_iter().enumerate() {
        let at = path.index(i);
        let name = match name {
            Some(name) => name.to_owned(),
            None => names::upper_camel(&names::snake_case(&value[prefix..])),
        };
        if !names::is_upper_camel(&name) || names::is_keyword(&name) {
            ctx.error(
                &at,
                format!(
                    "no variant name fits `{value}` (`{name}` is not an UpperCamelCase identifier)"
                ),
                "write the value as {\"value\": \"...\", \"name\": \"VariantName\"}",
            );
        } else if name == "Other" {
            ctx.error(
                &at,
                "`Other` is the variant that keeps unlisted values",
                "give this value another `name`",
            );
        }
        if let Some(prev) = out.iter().find(|v| v.wire == value) {
            ctx.error(&at, format!("value `{}` is listed twice", prev.wire), "");
        } else if let Some(prev) = out.iter().find(|v| v.name == name) {
            ctx.error(
                &at,
                format!(
                    "values `{}` and `{value}` both become the variant `{name}`",
                    prev.wire
                ),
                "give one of them a `name`",
            );
        }
        out.push(EnumVariant {
            wire: value.to_owned(),
            name,
            doc: doc.cloned(),
        });
    }
    out
}

/// Length of the prefix, ending in `_`, that every value shares and none consists of alone.
fn common_prefix<'a>(mut values: impl Iterator<Item = &'a str> + Clone) -> usize {
    let Some(first) = values.clone().next() else {
        return 0;
    };
    let mut len = first.len();
    for v in values.clone() {
        let shared: usize = first
            .chars()
            .zip(v.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        len = len.min(shared);
    }
    let cut = first[..len].rfind('_').map_or(0, |i| i + 1);
    if values.any(|v| v.len() <= cut) {
        0
    } else {
        cut
    }
}

fn named(ty: &Ty) -> Option<String> {
    match ty {
        Ty::Named { name, .. } => Some(name.clone()),
        Ty::Array(inner) | Ty::Map(inner) => named(inner),
        _ => None,
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
