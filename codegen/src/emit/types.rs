//! Structs of objects, aliases of unions, constructors and setters.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, enums, ident, tagged};
use crate::model::{
    Field, FieldGroup, Int, Message, NamedKind, Rules, Side, Ty, TypeDef, TypeKind, UnionKind,
};
use crate::Settings;

/// The traits a generated type implements besides `Debug`, `Clone`, `PartialEq` and `Eq`.
///
/// A client serializes requests and deserializes replies, and validates only what it sends;
/// the other serde direction (for emulators, mocks, round-trip tests) comes with
/// `Settings::serde_both_ways`, and always for a type both messages use.
#[derive(Clone, Copy)]
pub(crate) struct Traits {
    pub serialize: bool,
    pub deserialize: bool,
    pub validate: bool,
}

impl Traits {
    pub(crate) fn of(side: Side, both_sides: bool, settings: &Settings) -> Self {
        let both = both_sides || settings.serde_both_ways;
        Traits {
            serialize: side == Side::Request || both,
            deserialize: side == Side::Response || both,
            validate: side == Side::Request,
        }
    }
}

/// Where the code being emitted stands: the settings, and the path of the shared types from
/// there.
pub(crate) struct Cx<'a> {
    pub settings: &'a Settings,
    /// `super::super::types` from an endpoint module of an expansion with its own shared
    /// types, `::tim_rest::types` for tim-rest's, nothing inside the `types` module itself.
    pub shared: Option<TokenStream>,
    /// A `#[cfg(...)]` for every item emitted (a shared type compiled only with the services
    /// that use it).
    pub gate: Option<TokenStream>,
    /// The types names resolve to: the endpoint's own (or, in the `types` module, the
    /// shared ones), then the shared ones.
    pub types: &'a [TypeDef],
    pub shared_types: &'a [TypeDef],
}

impl<'a> Cx<'a> {
    /// The definition of a named type.
    pub(crate) fn def(&self, name: &str) -> Option<&'a TypeDef> {
        self.types
            .iter()
            .chain(self.shared_types)
            .find(|d| d.name == name)
    }
}

/// A struct for a message or an object type, with its constructor and setters.
pub(crate) fn object(
    name: &str,
    doc: TokenStream,
    fields: &[Field],
    groups: &[FieldGroup],
    eq: bool,
    traits: Traits,
    cx: &Cx<'_>,
) -> TokenStream {
    let settings = cx.settings;
    let k = &settings.krate;
    let serde_crate = format!("{}::__private::serde", settings.krate_string());
    let name = ident(name);
    let defs = fields.iter().map(|f| field_def(f, traits.validate, cx));
    // Building a value is for what this build sends: replies get a constructor and setters
    // only with both directions (code that plays the service builds them).
    let ctor = traits.serialize.then(|| constructor(&name, fields, cx));
    let serialize = traits
        .serialize
        .then(|| quote!(#k::__private::serde::Serialize,));
    let deserialize = traits.deserialize.then(|| quote!(#k::WireDeserialize,));
    let validate = traits.validate.then(|| quote!(#k::Validate,));
    let gate = &cx.gate;
    let ctor = ctor.map(|ctor| quote!(#gate #ctor));
    let eq = eq.then(|| quote!(::core::cmp::Eq,));
    let group_rules = traits
        .validate
        .then(|| group_rules(groups))
        .filter(|rules| !rules.is_empty())
        // One attribute per rule: clippy reads a field named in two rules of one attribute as a
        // duplicated attribute.
        .map(|rules| quote!(#( #[validate(#rules)] )*));
    quote! {
        #doc
        #gate
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::cmp::PartialEq,
            #eq
            #serialize
            #deserialize
            #validate
        )]
        #[serde(crate = #serde_crate)]
        #group_rules
        pub struct #name {
            #( #defs )*
        }

        #ctor
    }
}

pub(crate) fn message(
    name: &str,
    fallback_doc: &str,
    message: &Message,
    side: Side,
    cx: &Cx<'_>,
) -> TokenStream {
    let doc = docs::doc(message.doc.as_deref().unwrap_or(fallback_doc));
    let traits = Traits::of(side, false, cx.settings);
    object(
        name,
        doc,
        &message.fields,
        &message.groups,
        message.eq,
        traits,
        cx,
    )
}

pub(crate) fn type_def(def: &TypeDef, cx: &Cx<'_>) -> TokenStream {
    let settings = cx.settings;
    let k = &settings.krate;
    let fallback = format!("`{}` of the schema.", def.name);
    let doc = docs::doc(def.doc.as_deref().unwrap_or(&fallback));
    let traits = Traits::of(def.side, def.both_sides, settings);
    match &def.kind {
        TypeKind::Object { fields, groups, .. } => {
            object(&def.name, doc, fields, groups, def.eq, traits, cx)
        }
        TypeKind::Union(kind) => {
            let name = ident(&def.name);
            let runtime = match kind {
                UnionKind::StringOrInteger => quote!(#k::wire::StringOrInteger),
                UnionKind::StringIntegerOrStrings => quote!(#k::wire::TagValue),
            };
            let gate = &cx.gate;
            quote! {
                #doc
                #gate
                pub type #name = #runtime;
            }
        }
        TypeKind::Enum(variants) => enums::string_enum(&def.name, doc, variants, traits, cx),
        TypeKind::IntEnum(variants) => enums::int_enum(&def.name, doc, variants, traits, cx),
        TypeKind::Integer { int, consts, flags } => {
            enums::integer(&def.name, doc, *int, consts, *flags, traits, cx)
        }
        TypeKind::Tagged(tagged) => tagged::tagged(&def.name, doc, tagged, def.eq, traits, cx),
    }
}

/// How an optional field is held.
#[derive(Clone, Copy, PartialEq)]
enum Holding {
    /// `T`: required.
    Plain,
    /// `Option<T>`, skipped when `None`.
    Optional,
    /// `T`, defaulted when absent; arrays are skipped when empty.
    Defaulted,
}

fn holding(f: &Field) -> Holding {
    if f.required {
        Holding::Plain
    } else if f.default {
        Holding::Defaulted
    } else {
        Holding::Optional
    }
}

/// The Rust integer of `int`.
pub(crate) fn int_type(int: Int) -> TokenStream {
    match int {
        Int::I32 => quote!(::core::primitive::i32),
        Int::I64 => quote!(::core::primitive::i64),
        Int::U32 => quote!(::core::primitive::u32),
        Int::U64 => quote!(::core::primitive::u64),
    }
}

pub(crate) fn rust_type(ty: &Ty, cx: &Cx<'_>) -> TokenStream {
    let k = &cx.settings.krate;
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(::core::primitive::bool),
        Ty::Int(int) => int_type(*int),
        Ty::Float => quote!(::core::primitive::f64),
        Ty::Map(inner) => {
            let inner = rust_type(inner, cx);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::ActionStatus => quote!(#k::wire::ActionStatus),
        Ty::Array(inner) => {
            let inner = rust_type(inner, cx);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Named {
            name, shared: true, ..
        } if cx.shared.is_some() => {
            let name = ident(name);
            let path = &cx.shared;
            quote!(#path::#name)
        }
        Ty::Named { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn field_def(f: &Field, validated: bool, cx: &Cx<'_>) -> TokenStream {
    let fallback = format!("`{}` on the wire.", f.wire);
    let doc = docs::doc(f.doc.as_deref().unwrap_or(&fallback));
    let name = ident(&f.rust);
    let wire = &f.wire;
    let ty = rust_type(&f.ty, cx);
    let rules = if validated {
        rule_tokens(&f.rules)
    } else {
        Vec::new()
    };
    let validate = (!rules.is_empty()).then(|| quote!(#[validate(#( #rules ),*)]));
    let (serde_extra, ty) = match holding(f) {
        Holding::Plain => (quote!(), ty),
        Holding::Optional => (
            quote!(
                default,
                skip_serializing_if = "::core::option::Option::is_none",
            ),
            quote!(::core::option::Option<#ty>),
        ),
        Holding::Defaulted if matches!(f.ty, Ty::Array(_)) => (
            quote!(default, skip_serializing_if = "::std::vec::Vec::is_empty",),
            ty,
        ),
        Holding::Defaulted if matches!(f.ty, Ty::Map(_)) => (
            quote!(
                default,
                skip_serializing_if = "::std::collections::BTreeMap::is_empty",
            ),
            ty,
        ),
        Holding::Defaulted => (quote!(default,), ty),
    };
    // A query parameter travels in the URL (`Endpoint::extra_query`), not in the body.
    let skip = f.query.then(|| quote!(skip,));
    quote! {
        #doc
        #[serde(rename = #wire, #skip #serde_extra)]
        #validate
        pub #name: #ty,
    }
}

/// The struct-level `#[validate(...)]` arguments: rules between fields.
fn group_rules(groups: &[FieldGroup]) -> Vec<TokenStream> {
    groups
        .iter()
        .map(|g| match g {
            FieldGroup::OneOf(alternatives) | FieldGroup::AtMostOneOf(alternatives) => {
                let key = match g {
                    FieldGroup::OneOf(_) => quote!(one_of),
                    _ => quote!(at_most_one_of),
                };
                let items = alternatives.iter().map(|alt| match alt.as_slice() {
                    [one] => {
                        let one = ident(&one.rust);
                        quote!(#one)
                    }
                    many => {
                        let idents = many.iter().map(|m| ident(&m.rust));
                        quote!(any( #( #idents ),* ))
                    }
                });
                quote!(#key( #( #items ),* ))
            }
            FieldGroup::RequiredWhen {
                field,
                when,
                equals,
            } => {
                let (field, when) = (ident(&field.rust), ident(&when.rust));
                let equals = equals.as_ref().map(|v| match v {
                    serde_json::Value::String(s) => quote!(, equals = #s),
                    serde_json::Value::Bool(b) => quote!(, equals = #b),
                    other => {
                        let n: i128 = other
                            .as_i64()
                            .map(i128::from)
                            .or_else(|| other.as_u64().map(i128::from))
                            .unwrap_or_default();
                        let abs = proc_macro2::Literal::u128_unsuffixed(n.unsigned_abs());
                        let sign = (n < 0).then(|| quote!(-));
                        quote!(, equals = #sign #abs)
                    }
                });
                quote!(required_when(field = #field, when = #when #equals))
            }
        })
        .collect()
}

/// The `#[validate(...)]` arguments of a field.
fn rule_tokens(rules: &Rules) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if rules.non_empty {
        out.push(quote!(non_empty));
    }
    let bounds = [
        (rules.min_bytes, quote!(min_bytes)),
        (rules.max_bytes, quote!(max_bytes)),
        (rules.min_items, quote!(min_items)),
        (rules.max_items, quote!(max_items)),
    ];
    for (value, key) in bounds {
        if let Some(v) = value {
            let v = proc_macro2::Literal::u64_unsuffixed(v);
            out.push(quote!(#key = #v));
        }
    }
    for (value, key) in [(rules.min, quote!(min)), (rules.max, quote!(max))] {
        if let Some(v) = value {
            // A `-` and a positive literal: what a person writes, and what syn reads back.
            let abs = proc_macro2::Literal::u128_unsuffixed(v.unsigned_abs());
            let sign = (v < 0).then(|| quote!(-));
            out.push(quote!(#key = #sign #abs));
        }
    }
    if let Some(p) = &rules.pattern {
        let prefix = match p.prefixes.as_slice() {
            [one] => quote!(#one),
            many => quote!([ #( #many ),* ]),
        };
        let chars = &p.chars;
        let min = proc_macro2::Literal::u64_unsuffixed(p.min);
        let max = p.max.map(|m| {
            let m = proc_macro2::Literal::u64_unsuffixed(m);
            quote!(, max = #m)
        });
        out.push(quote!(pattern(prefix = #prefix, chars = #chars, min = #min #max)));
    }
    if let Some(chars) = &rules.charset {
        out.push(quote!(charset = #chars));
    }
    if let Some(each) = &rules.each {
        let inner = rule_tokens(each);
        out.push(quote!(each(#( #inner ),*)));
    }
    for (key, inner) in [(quote!(keys), &rules.keys), (quote!(values), &rules.values)] {
        if let Some(inner) = inner {
            let inner = rule_tokens(inner);
            out.push(quote!(#key(#( #inner ),*)));
        }
    }
    if let Some(n) = rules.max_json_bytes {
        let n = proc_macro2::Literal::u64_unsuffixed(n);
        out.push(quote!(max_json_bytes = #n));
    }
    if rules.nested {
        out.push(quote!(nested));
    }
    out
}

/// What a constructor or setter takes for a field of type `ty`.
pub(crate) fn arg_type(ty: &Ty, cx: &Cx<'_>) -> TokenStream {
    match ty {
        Ty::String
        | Ty::Named {
            kind: NamedKind::Union(_),
            ..
        } => {
            let t = rust_type(ty, cx);
            quote!(impl ::core::convert::Into<#t>)
        }
        Ty::Array(inner)
            if matches!(
                **inner,
                Ty::String
                    | Ty::Named {
                        kind: NamedKind::Union(_),
                        ..
                    }
            ) =>
        {
            let t = rust_type(inner, cx);
            quote!(impl ::core::iter::IntoIterator<Item = impl ::core::convert::Into<#t>>)
        }
        Ty::Array(inner) => {
            let t = rust_type(inner, cx);
            quote!(impl ::core::iter::IntoIterator<Item = #t>)
        }
        _ => rust_type(ty, cx),
    }
}

/// How the argument `value` of [`arg_type`] becomes the stored value; `None` when it is stored
/// as it is.
pub(crate) fn conversion(ty: &Ty, value: &proc_macro2::Ident) -> Option<TokenStream> {
    match ty {
        Ty::String
        | Ty::Named {
            kind: NamedKind::Union(_),
            ..
        } => Some(quote!(::core::convert::Into::into(#value))),
        Ty::Array(inner)
            if matches!(
                **inner,
                Ty::String
                    | Ty::Named {
                        kind: NamedKind::Union(_),
                        ..
                    }
            ) =>
        {
            Some(
                quote!(::core::iter::IntoIterator::into_iter(#value).map(::core::convert::Into::into).collect()),
            )
        }
        Ty::Array(_) => Some(quote!(::core::iter::IntoIterator::into_iter(#value).collect())),
        _ => None,
    }
}

/// Whether the constructor takes the field: required fields other than the envelope's, which
/// start as a success (`ActionStatus: OK`, code 0).
pub(crate) fn in_constructor(f: &Field) -> bool {
    holding(f) == Holding::Plain && f.role.is_none()
}

fn constructor(name: &proc_macro2::Ident, fields: &[Field], cx: &Cx<'_>) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| in_constructor(f)).collect();
    let params = required.iter().map(|f| {
        let arg = ident(&f.rust);
        let ty = arg_type(&f.ty, cx);
        quote!(#arg: #ty)
    });
    let inits = fields.iter().map(|f| {
        let field = ident(&f.rust);
        if in_constructor(f) {
            match conversion(&f.ty, &field) {
                Some(value) => quote!(#field: #value,),
                None => quote!(#field,),
            }
        } else if holding(f) == Holding::Optional {
            quote!(#field: ::core::option::Option::None,)
        } else {
            quote!(#field: ::core::default::Default::default(),)
        }
    });
    let required_names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
    let ctor_doc = if required_names.is_empty() {
        docs::doc(&format!("Builds `{name}` with every optional field unset."))
    } else {
        docs::doc(&format!("Builds `{name}` from its required fields ({}); set the others with the methods of the same names.", required_names.join(", ")))
    };
    let lint = match required.len() {
        0 => quote!(#[allow(clippy::new_without_default)]),
        n if n > 7 => quote!(#[allow(clippy::too_many_arguments)]),
        _ => quote!(),
    };
    let value = proc_macro2::Ident::new("value", proc_macro2::Span::call_site());
    // Envelope fields get no setter: it would hide the `Envelope` method of the same name.
    let setters = fields
        .iter()
        .filter(|f| !in_constructor(f) && f.role.is_none())
        .map(|f| {
            let field = ident(&f.rust);
            let ty = arg_type(&f.ty, cx);
            let converted = conversion(&f.ty, &value).unwrap_or_else(|| quote!(value));
            let store = match holding(f) {
                Holding::Optional => quote!(::core::option::Option::Some(#converted)),
                _ => converted,
            };
            let doc = docs::doc(&format!("Sets `{}`.", f.wire));
            quote! {
                #doc
                #[must_use]
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = #store;
                    self
                }
            }
        });
    quote! {
        impl #name {
            #ctor_doc
            #lint
            pub fn new(#( #params ),*) -> Self {
                Self { #( #inits )* }
            }

            #( #setters )*
        }
    }
}
