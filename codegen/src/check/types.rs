//! Named types: their names, their kinds, the type expressions that refer to them, and the
//! side (request or response) each one travels on.

use std::collections::HashMap;

use super::{fields, names, FileCtx, Sides};
use crate::model::{
    EnumVariant, Field, Int, NamedKind, Side, Ty, TypeDef, TypeKind, UnionKind, Usage,
};
use crate::parse::raw::{RawEnumValue, RawType, RawUnion};
use crate::parse::SemPath;

const BUILTINS: &[&str] = &[
    "string",
    "bool",
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
    let kind = match (&ty.fields, ty.union, &ty.enum_values) {
        (Some(_), None, None) => NamedKind::Object,
        (None, Some(union), None) => NamedKind::Union(union_kind(union)),
        (None, None, Some(_)) => NamedKind::Enum,
        (None, None, None) => {
            ctx.error(path, format!("type `{name}` has neither `fields`, `union` nor `enum`"), "give an object its `fields`, write `\"union\": \"string_or_integer\"`, or list the values of an `enum`");
            NamedKind::Object
        }
        _ => {
            ctx.error(
                path,
                format!("type `{name}` has more than one of `fields`, `union` and `enum`"),
                "a type is an object (`fields`), a union (`union`) or a string enum (`enum`)",
            );
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
    kind
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

    /// Resolves a type expression: a builtin, `[T]`, or a name from `types`.
    pub(crate) fn resolve(&self, expr: &str) -> Result<Ty, (String, String)> {
        let expr = expr.trim();
        if let Some(inner) = expr.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
            return Ok(Ty::Array(Box::new(self.resolve(inner)?)));
        }
        Ok(match expr {
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
            None => "a type is one of string, bool, i32, i64, u32, u64, `[T]` for an array, or a name defined under `types`".to_owned(),
        };
        (format!("unknown type `{name}`"), hint)
    }

    /// Object types that hold themselves with no array in between would be infinitely large.
    pub(crate) fn check_cycles(&self, ctx: &mut FileCtx<'_>) {
        let direct = |name: &str| -> Vec<String> {
            let fields = self.def_of(name).and_then(|t| t.fields.as_ref());
            fields
                .into_iter()
                .flatten()
                .filter_map(|f| match self.resolve(&f.ty) {
                    Ok(Ty::Named {
                        name,
                        kind: NamedKind::Object,
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
                    for f in raw.fields.iter().flatten() {
                        if let Ok(ty) = self.resolve(&f.ty) {
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
            let kind = match (&raw.fields, raw.union, &raw.enum_values) {
                (None, Some(union), _) => TypeKind::Union(union_kind(union)),
                (None, None, Some(values)) => {
                    TypeKind::Enum(enum_variants(ctx, &path.key("enum"), values))
                }
                (raw_fields, _, _) => {
                    let list = fields::check_fields(
                        ctx,
                        self,
                        &path.key("fields"),
                        raw_fields.as_deref().unwrap_or_default(),
                    );
                    fields::check_unique_names(ctx, &path.key("fields"), &list, &[]);
                    if usage.side == Side::Request {
                        fields::check_no_default(ctx, &path.key("fields"), &list);
                    }
                    let result_code = raw.result_code.as_ref().and_then(|wire| {
                        let found = list.iter().find(|f| f.wire == *wire);
                        match found {
                            Some(Field { ty: Ty::Int(int), rust, .. }) if rust == "result" => {
                                ctx.error(&path.key("result_code"), format!("the field `{wire}` is named `result`, like the method `result()` that `result_code` generates"), "set `rust_name` on that field");
                                let _ = int;
                                None
                            }
                            Some(Field { ty: Ty::Int(int), rust, .. }) => Some(crate::model::ResultCode { field: rust.clone(), int: *int }),
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
                    }
                }
            };
            defs.push(TypeDef {
                name: name.clone(),
                doc: raw.doc.clone(),
                side: usage.side,
                both_sides: usage.both,
                kind,
            });
        }
        defs
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
    let values: Vec<(&str, Option<&str>, Option<&String>)> = raw
        .iter()
        .map(|v| match v {
            RawEnumValue::Plain(value) => (value.as_str(), None, None),
            RawEnumValue::Detailed(d) => (d.value.as_str(), d.name.as_deref(), d.doc.as_ref()),
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
        Ty::Array(inner) => named(inner),
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
