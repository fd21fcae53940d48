//! `#[derive(Validate)]` with `#[validate(...)]` field rules.
//!
//! The attribute is another spelling of a schema's `rules`: it is read into the same raw model
//! and checked by the same checker (`check::check_rules`), which reports through the spans
//! of the attribute instead of a JSON file. Rules on a type the derive cannot see into (an
//! alias, a type of the user's) are checked by the compiler through the bounds of the runtime
//! functions the code calls; each call carries the span of its rule, so such an error points
//! at the rule too.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use super::{Errors, SeenKeys};
use crate::check::{check_rules, Target, TargetKind};
use crate::diagnostic::Report;
use crate::model::Rules;
use crate::parse::raw::{RawPattern, RawPrefixes, RawRules};
use crate::parse::SemPath;
use crate::Settings;

const KEYS: &str = "non_empty, min_bytes, max_bytes, min_items, max_items, min, max, pattern(prefix = \"..\" or [..], chars, min, max), charset, each(...), keys(...), values(...), max_json_bytes, nested";

const STRUCT_KEYS: &str = "one_of(field or any(field, ..), ..), at_most_one_of(field or any(field, ..), ..), required_when(field = .., when = .., equals = ..)";

/// Where each rule of one field was written, by its path in the rule model (`pattern.chars`).
struct Spans {
    field: Span,
    at: Vec<(SemPath, Span)>,
}

impl Spans {
    /// The span of `path`, or of the nearest rule that holds it.
    fn of(&self, path: &SemPath) -> Span {
        let mut probe = path.0.clone();
        loop {
            // The last one registered: a value's span, written after its key's.
            if let Some((_, span)) = self.at.iter().rev().find(|(p, _)| p.0 == probe) {
                return *span;
            }
            if probe.pop().is_none() {
                return self.field;
            }
        }
    }
}

/// The checker's problems as errors at the attribute, worded like a schema's.
struct AttrReport<'a> {
    spans: &'a Spans,
    errors: &'a mut Errors,
}

impl Report for AttrReport<'_> {
    fn error(&mut self, at: &SemPath, message: String, hint: String) {
        let text = if hint.is_empty() {
            message
        } else {
            format!("{message}\n  = help: {hint}")
        };
        self.errors.at(self.spans.of(at), text);
    }
}

/// Expands `#[derive(Validate)]`.
pub fn derive_validate(input: TokenStream, settings: &Settings) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let k = &settings.krate;
    let mut errors = Errors::default();
    let mut checks = Vec::new();
    match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(fields),
            ..
        }) => {
            for field in &fields.named {
                let attrs: Vec<&syn::Attribute> = field
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("validate"))
                    .collect();
                if attrs.is_empty() {
                    continue;
                }
                let ident = field.ident.as_ref().expect("named field");
                let mut spans = Spans {
                    field: ident.span(),
                    at: Vec::new(),
                };
                let mut raw = RawRules::default();
                let mut seen = SeenKeys::new("");
                for attr in attrs {
                    let parsed = attr.parse_nested_meta(|meta| {
                        read_rule(
                            meta,
                            &SemPath::root(),
                            &mut raw,
                            &mut seen,
                            &mut spans,
                            &mut errors,
                        )
                    });
                    if let Err(e) = parsed {
                        errors.push(e);
                    }
                }
                let value_ty = unwrap_generic(&field.ty, "Option");
                let target = target_of(value_ty);
                let rules = check_rules(
                    &mut AttrReport {
                        spans: &spans,
                        errors: &mut errors,
                    },
                    &SemPath::root(),
                    &raw,
                    &target,
                );
                if rules.is_empty() {
                    continue;
                }
                let wire = wire_name(field, &mut errors);
                let body = rule_calls(&rules, &SemPath::root(), &spans, k);
                let check = if super::is_option(&field.ty) {
                    quote! {
                        if let ::core::option::Option::Some(value) = &self.#ident {
                            let path = #k::validate::Path::Field(path, #wire);
                            #body
                        }
                    }
                } else {
                    quote! {
                        {
                            let value = &self.#ident;
                            let path = #k::validate::Path::Field(path, #wire);
                            #body
                        }
                    }
                };
                checks.push(check);
            }
            for attr in input.attrs.iter().filter(|a| a.path().is_ident("validate")) {
                let parsed = attr.parse_nested_meta(|meta| {
                    checks.push(struct_rule(meta, fields, &mut errors, k)?);
                    Ok(())
                });
                if let Err(e) = parsed {
                    errors.push(e);
                }
            }
        }
        _ => errors.at(
            input.ident.span(),
            "#[derive(Validate)] supports structs with named fields",
        ),
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let (errors_tokens, checks) = if errors.is_empty() {
        (TokenStream::new(), checks)
    } else {
        (errors.into_compile_errors(), Vec::new())
    };
    let out = if checks.is_empty() {
        quote!(_out)
    } else {
        quote!(out)
    };
    let path = if checks.is_empty() {
        quote!(_path)
    } else {
        quote!(path)
    };
    quote! {
        #errors_tokens
        impl #impl_generics #k::Validate for #name #ty_generics #where_clause {
            // Compiled where a request is validated (the client's generic call), not in the
            // crate that defines a hundred of them.
            #[inline]
            fn validate_at(
                &self,
                #path: &#k::validate::Path<'_>,
                #out: &mut ::std::vec::Vec<#k::validate::Violation>,
            ) {
                #( #checks )*
            }
        }
    }
}

/// Reads one rule of `#[validate(...)]` into `raw`; a key given twice at one level is an error
/// on the second.
fn read_rule(
    meta: syn::meta::ParseNestedMeta<'_>,
    at: &SemPath,
    raw: &mut RawRules,
    seen: &mut SeenKeys,
    spans: &mut Spans,
    errors: &mut Errors,
) -> syn::Result<()> {
    let span = meta.path.span();
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| meta.path.to_token_stream().to_string());
    let known = matches!(
        key.as_str(),
        "non_empty"
            | "nested"
            | "min_bytes"
            | "max_bytes"
            | "min_items"
            | "max_items"
            | "min"
            | "max"
            | "charset"
            | "pattern"
            | "each"
            | "keys"
            | "values"
            | "max_json_bytes"
    );
    if known {
        seen.note(&key, span, errors);
        spans.at.push((at.key(&key), span));
    }
    match key.as_str() {
        "non_empty" => raw.non_empty = Some(true),
        "nested" => raw.nested = true,
        "min_bytes" | "max_bytes" | "min_items" | "max_items" | "max_json_bytes" => {
            let value: syn::LitInt = meta.value()?.parse()?;
            let n = value.base10_parse::<u64>()?;
            *match key.as_str() {
                "min_bytes" => &mut raw.min_bytes,
                "max_bytes" => &mut raw.max_bytes,
                "min_items" => &mut raw.min_items,
                "max_json_bytes" => &mut raw.max_json_bytes,
                _ => &mut raw.max_items,
            } = Some(n);
        }
        "keys" | "values" => {
            let slot = if key == "keys" {
                &mut raw.keys
            } else {
                &mut raw.values
            };
            let inner = slot.get_or_insert_with(Default::default);
            let mut inner_seen = SeenKeys::new("");
            let path = at.key(&key);
            meta.parse_nested_meta(|nested| {
                read_rule(nested, &path, inner, &mut inner_seen, spans, errors)
            })?;
        }
        "min" | "max" => {
            // Read wide: the checker fits the bound to the field's type.
            let value: syn::LitInt = meta.value()?.parse()?;
            let n = value.base10_parse::<i128>()?;
            spans.at.push((at.key(&key), value.span()));
            *if key == "min" {
                &mut raw.min
            } else {
                &mut raw.max
            } = Some(n);
        }
        "charset" => {
            let chars: syn::LitStr = meta.value()?.parse()?;
            spans.at.push((at.key("charset"), chars.span()));
            raw.charset = Some(chars.value());
        }
        "pattern" => {
            let (mut prefix, mut chars, mut min, mut max) = (None, None, None, None);
            let mut inner_seen = SeenKeys::new(" in pattern(...)");
            let pattern = at.key("pattern");
            meta.parse_nested_meta(|inner| {
                let which = inner
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                inner_seen.note(&which, inner.path.span(), errors);
                match which.as_str() {
                    "prefix" => {
                        let value = inner.value()?;
                        prefix = Some(if value.peek(syn::token::Bracket) {
                            let list: syn::ExprArray = value.parse()?;
                            let mut all = Vec::new();
                            for elem in &list.elems {
                                match elem {
                                    syn::Expr::Lit(syn::ExprLit {
                                        lit: syn::Lit::Str(one),
                                        ..
                                    }) => all.push(one.value()),
                                    other => errors.at(
                                        other.span(),
                                        "expected a string literal: `prefix = [\"A_\", \"B_\"]`",
                                    ),
                                }
                            }
                            spans.at.push((pattern.key("prefix"), list.span()));
                            all
                        } else {
                            vec![value.parse::<syn::LitStr>()?.value()]
                        });
                    }
                    "chars" => {
                        let lit = inner.value()?.parse::<syn::LitStr>()?;
                        spans.at.push((pattern.key("chars"), lit.span()));
                        chars = Some(lit.value());
                    }
                    "min" | "max" => {
                        let lit = inner.value()?.parse::<syn::LitInt>()?;
                        spans.at.push((pattern.key(&which), lit.span()));
                        let n = Some(lit.base10_parse::<u64>()?);
                        if which == "min" {
                            min = n;
                        } else {
                            max = n;
                        }
                    }
                    _ => {
                        errors.at(inner.path.span(), format!("unknown key `{which}` in pattern(...); expected prefix, chars, min, max"));
                        if inner.input.peek(syn::Token![=]) {
                            let _: syn::Expr = inner.value()?.parse()?;
                        }
                    }
                }
                Ok(())
            })?;
            match (prefix, chars) {
                (Some(prefix), Some(chars)) => {
                    raw.pattern = Some(RawPattern {
                        prefix: RawPrefixes(prefix),
                        chars,
                        min,
                        max,
                    })
                }
                _ => errors.at(
                    span,
                    "pattern(...) needs `prefix = \"...\"` and `chars = \"...\"`",
                ),
            }
        }
        "each" => {
            let each = raw.each.get_or_insert_with(Default::default);
            let mut each_seen = SeenKeys::new("");
            let path = at.key("each");
            meta.parse_nested_meta(|inner| {
                read_rule(inner, &path, each, &mut each_seen, spans, errors)
            })?;
        }
        _ => {
            errors.at(
                span,
                format!("unknown rule `{key}`; expected one of: {KEYS}"),
            );
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|inner| {
                    if inner.input.peek(syn::Token![=]) {
                        let _: syn::Expr = inner.value()?.parse()?;
                    }
                    Ok(())
                })?;
            }
        }
    }
    Ok(())
}

/// What the checker may know of a field's type from its spelling.
fn target_of(ty: &syn::Type) -> Target {
    let shown = ty.to_token_stream().to_string().replace(' ', "");
    let kind = match ty {
        syn::Type::Group(g) => return target_of(&g.elem),
        syn::Type::Reference(r) => return target_of(&r.elem),
        syn::Type::Slice(s) => TargetKind::Array(Box::new(target_of(&s.elem))),
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last().expect("a path has a segment");
            let bare = last.arguments.is_none();
            match last.ident.to_string().as_str() {
                "String" | "str" if bare => TargetKind::Text,
                "bool" if bare => TargetKind::Other,
                "f64" if bare => TargetKind::Float,
                "BTreeMap" => match &last.arguments {
                    syn::PathArguments::AngleBracketed(args) => match args.args.iter().nth(1) {
                        Some(syn::GenericArgument::Type(value)) => {
                            TargetKind::Map(Box::new(target_of(value)))
                        }
                        _ => TargetKind::Opaque,
                    },
                    _ => TargetKind::Opaque,
                },
                "i8" if bare => int("i8", i8::MIN.into(), i8::MAX.into()),
                "i16" if bare => int("i16", i16::MIN.into(), i16::MAX.into()),
                "i32" if bare => int("i32", i32::MIN.into(), i32::MAX.into()),
                "i64" if bare => int("i64", i64::MIN.into(), i64::MAX.into()),
                "u8" if bare => int("u8", 0, u8::MAX.into()),
                "u16" if bare => int("u16", 0, u16::MAX.into()),
                "u32" if bare => int("u32", 0, u32::MAX.into()),
                "u64" if bare => int("u64", 0, u64::MAX.into()),
                "Vec" | "Box" => {
                    let inner = unwrap_generic(ty, &last.ident.to_string());
                    if std::ptr::eq(inner, ty) {
                        TargetKind::Opaque
                    } else if last.ident == "Vec" {
                        TargetKind::Array(Box::new(target_of(inner)))
                    } else {
                        return target_of(inner);
                    }
                }
                _ => TargetKind::Opaque,
            }
        }
        _ => TargetKind::Opaque,
    };
    Target { shown, kind }
}

/// A primitive integer spelt as such; behind an alias the compiler checks the bound, since the
/// runtime takes it in the field's own type.
fn int(name: &'static str, lo: i128, hi: i128) -> TargetKind {
    TargetKind::Int { name, lo, hi }
}

/// `T` of `Wrapper<T>` (with any path before `Wrapper`), else the type itself.
fn unwrap_generic<'t>(ty: &'t syn::Type, wrapper: &str) -> &'t syn::Type {
    if let syn::Type::Path(p) = ty {
        if let Some(last) = p.path.segments.last() {
            if last.ident == wrapper {
                if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                    if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                        return inner;
                    }
                }
            }
        }
    }
    ty
}

/// The calls of [`rule_calls`] for rules the generator wrote itself (a tagged union's
/// variants), with no attribute to point at.
pub(crate) fn generated_rule_calls(rules: &Rules, k: &TokenStream) -> TokenStream {
    let spans = Spans {
        field: Span::call_site(),
        at: Vec::new(),
    };
    rule_calls(rules, &SemPath::root(), &spans, k)
}

/// Calls of the runtime's rule functions on `value` at `path`, each at the span of its rule.
fn rule_calls(rules: &Rules, at: &SemPath, spans: &Spans, k: &TokenStream) -> TokenStream {
    let span = |key: &str| spans.of(&at.key(key));
    let mut calls = Vec::new();
    if rules.non_empty {
        calls
            .push(quote_spanned!(span("non_empty")=> #k::__private::non_empty(value, &path, out);));
    }
    for (name, bound) in [
        ("min_bytes", rules.min_bytes),
        ("max_bytes", rules.max_bytes),
        ("min_items", rules.min_items),
        ("max_items", rules.max_items),
    ] {
        if let Some(n) = bound {
            let f = syn::Ident::new(name, span(name));
            let n = Literal::u64_unsuffixed(n);
            calls.push(quote_spanned!(span(name)=> #k::__private::#f(value, #n, &path, out);));
        }
    }
    for (name, bound) in [("min", rules.min), ("max", rules.max)] {
        if let (Some(n), true) = (bound, rules.float_bounds) {
            let f = syn::Ident::new(&format!("{name}_number"), span(name));
            let n = Literal::f64_suffixed(n as f64);
            calls.push(quote_spanned!(span(name)=> #k::__private::#f(value, #n, &path, out);));
            continue;
        }
        if let Some(n) = bound {
            let f = syn::Ident::new(name, span(name));
            // A `-` and a positive literal: rustc then reports `min = -1` on an unsigned alias
            // as a value that cannot be negated, rather than as a missing `Neg` impl.
            let abs = Literal::u128_unsuffixed(n.unsigned_abs());
            let n = if n < 0 {
                quote_spanned!(span(name)=> -#abs)
            } else {
                quote_spanned!(span(name)=> #abs)
            };
            calls.push(quote_spanned!(span(name)=> #k::__private::#f(value, #n, &path, out);));
        }
    }
    if let Some(chars) = &rules.charset {
        let s = span("charset");
        let chars = syn::LitStr::new(chars, s);
        calls.push(quote_spanned!(s=> #k::__private::charset(value, { const SET: #k::validate::CharSet = #k::validate::CharSet::new(#chars); SET }, &path, out);));
    }
    if let Some(p) = &rules.pattern {
        let s = span("pattern");
        let prefixes = p.prefixes.iter().map(|one| syn::LitStr::new(one, s));
        let prefix = quote_spanned!(s=> &[ #( #prefixes ),* ]);
        let chars = syn::LitStr::new(&p.chars, s);
        let min = Literal::u64_unsuffixed(p.min);
        let max = match p.max {
            Some(m) => {
                let m = Literal::u64_unsuffixed(m);
                quote!(::core::option::Option::Some(#m))
            }
            None => quote!(::core::option::Option::None),
        };
        calls.push(quote_spanned!(s=> #k::__private::pattern(value, #prefix, { const SET: #k::validate::CharSet = #k::validate::CharSet::new(#chars); SET }, #min, #max, &path, out);));
    }
    if let Some(n) = rules.max_json_bytes {
        let n = Literal::u64_unsuffixed(n);
        calls.push(quote_spanned!(span("max_json_bytes")=> #k::__private::max_json_bytes(value, #n, &path, out);));
    }
    if rules.nested {
        calls.push(quote_spanned!(span("nested")=> #k::__private::nested(value, &path, out);));
    }
    if let Some(keys) = &rules.keys {
        let body = rule_calls(keys, &at.key("keys"), spans, k);
        calls.push(quote! {
            for (value, _) in #k::__private::entries(value) {
                let path = #k::validate::Path::Key(&path, value);
                #body
            }
        });
    }
    if let Some(values) = &rules.values {
        let body = rule_calls(values, &at.key("values"), spans, k);
        calls.push(quote! {
            for (key, value) in #k::__private::entries(value) {
                let path = #k::validate::Path::Key(&path, key);
                #body
            }
        });
    }
    if let Some(each) = &rules.each {
        let body = rule_calls(each, &at.key("each"), spans, k);
        calls.push(quote! {
            for (index, value) in #k::__private::items(value).iter().enumerate() {
                let path = #k::validate::Path::Index(&path, index);
                #body
            }
        });
    }
    quote!(#( #calls )*)
}

/// The JSON name of a field: its `#[serde(rename = "...")]`, or its identifier.
fn wire_name(field: &syn::Field, errors: &mut Errors) -> String {
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let metas = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        );
        match metas {
            Ok(metas) => {
                for meta in metas {
                    if let syn::Meta::NameValue(nv) = meta {
                        if nv.path.is_ident("rename") {
                            if let syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(s),
                                ..
                            }) = &nv.value
                            {
                                return s.value();
                            }
                        }
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    super::unraw(field.ident.as_ref().expect("named field"))
}

/// One struct-level rule between fields, as a check on `self`.
fn struct_rule(
    meta: syn::meta::ParseNestedMeta<'_>,
    fields: &syn::FieldsNamed,
    errors: &mut Errors,
    k: &TokenStream,
) -> syn::Result<TokenStream> {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    // A field named in a rule: its identifier and its wire name.
    let field = |ident: &syn::Ident, errors: &mut Errors| -> Option<(syn::Ident, String)> {
        match fields
            .named
            .iter()
            .find(|f| f.ident.as_ref() == Some(ident))
        {
            Some(f) => Some((ident.clone(), wire_name(f, errors))),
            None => {
                errors.at(ident.span(), format!("no field `{ident}` in this struct"));
                None
            }
        }
    };
    match key.as_str() {
        "one_of" | "at_most_one_of" => {
            // Each alternative: one field, or `any(a, b)` (set when any of them is).
            let (mut alternatives, mut listed, mut sound) = (Vec::new(), 0, true);
            meta.parse_nested_meta(|inner| {
                listed += 1;
                let mut alternative = Vec::new();
                if inner.path.is_ident("any") {
                    inner.parse_nested_meta(|one| {
                        match one.path.get_ident().and_then(|i| field(i, errors)) {
                            Some(found) => alternative.push(found),
                            None => sound = false,
                        }
                        Ok(())
                    })?;
                } else {
                    match inner.path.get_ident() {
                        Some(ident) => match field(ident, errors) {
                            Some(found) => alternative.push(found),
                            None => sound = false,
                        },
                        None => {
                            errors.at(inner.path.span(), "expected a field name or any(field, ..)");
                            sound = false;
                        }
                    }
                }
                if alternative.is_empty() {
                    sound = false;
                }
                alternatives.push(alternative);
                Ok(())
            })?;
            if listed < 2 {
                errors.at(
                    meta.path.span(),
                    format!("`{key}` needs at least two fields"),
                );
                return Ok(TokenStream::new());
            }
            // A field it does not have was reported already.
            if !sound {
                return Ok(TokenStream::new());
            }
            let sets = alternatives.iter().map(|alt| {
                let each = alt
                    .iter()
                    .map(|(i, _)| quote!(#k::__private::Presence::is_set(&self.#i)));
                quote!(#( #each )||*)
            });
            let wires = alternatives.iter().map(|alt| {
                alt.iter()
                    .map(|(_, w)| w.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            });
            let f = syn::Ident::new(
                if key == "one_of" {
                    "exactly_one_of"
                } else {
                    "at_most_one_of"
                },
                meta.path.span(),
            );
            Ok(quote! {
                #k::__private::#f(
                    &[ #( #sets ),* ],
                    &[ #( #wires ),* ],
                    path,
                    out,
                );
            })
        }
        "required_when" => {
            let (mut target, mut when, mut equals) = (None, None, None);
            meta.parse_nested_meta(|inner| {
                let which = inner.path.get_ident().map(ToString::to_string).unwrap_or_default();
                match which.as_str() {
                    "field" | "when" => {
                        let ident: syn::Ident = inner.value()?.parse()?;
                        let found = field(&ident, errors);
                        if which == "field" { target = found } else { when = found }
                    }
                    "equals" => equals = Some(inner.value()?.parse::<syn::Lit>()?),
                    _ => errors.at(inner.path.span(), format!("unknown key `{which}` in required_when(...); expected field, when, equals")),
                }
                Ok(())
            })?;
            let (Some((field_ident, field_wire)), Some((when_ident, when_wire))) = (target, when)
            else {
                errors.at(
                    meta.path.span(),
                    "required_when(...) needs `field = ..` and `when = ..`",
                );
                return Ok(TokenStream::new());
            };
            let (required, shown) = match &equals {
                None => (
                    quote!(#k::__private::Presence::is_set(&self.#when_ident)),
                    quote!(::core::option::Option::None),
                ),
                Some(lit) => {
                    let test = match lit {
                        syn::Lit::Str(s) => {
                            quote!(#k::__private::WireScalar::wire_is_str(&self.#when_ident, #s))
                        }
                        syn::Lit::Int(i) => {
                            let n = i.base10_parse::<i128>()?;
                            let abs = Literal::u128_unsuffixed(n.unsigned_abs());
                            let n = if n < 0 { quote!(-#abs) } else { quote!(#abs) };
                            quote!(#k::__private::WireScalar::wire_is_int(&self.#when_ident, #n))
                        }
                        syn::Lit::Bool(b) => {
                            quote!(#k::__private::WireScalar::wire_is_bool(&self.#when_ident, #b))
                        }
                        other => {
                            errors.at(
                                other.span(),
                                "`equals` takes a string, integer or boolean literal",
                            );
                            return Ok(TokenStream::new());
                        }
                    };
                    let text = match lit {
                        syn::Lit::Str(s) => format!("{:?}", s.value()),
                        syn::Lit::Int(i) => i.base10_digits().to_owned(),
                        syn::Lit::Bool(b) => b.value.to_string(),
                        _ => String::new(),
                    };
                    (test, quote!(::core::option::Option::Some(#text)))
                }
            };
            Ok(quote! {
                #k::__private::required_when(
                    #k::__private::Presence::is_set(&self.#field_ident),
                    #required,
                    #when_wire,
                    #shown,
                    &#k::validate::Path::Field(path, #field_wire),
                    out,
                );
            })
        }
        _ => {
            errors.at(
                meta.path.span(),
                format!("unknown rule `{key}` on a struct; expected one of: {STRUCT_KEYS}"),
            );
            if !meta.input.is_empty() && meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|_| Ok(()))?;
            }
            Ok(TokenStream::new())
        }
    }
}
