//! `#[derive(Validate)]` with `#[validate(...)]` field rules.
//!
//! Rules are checked against the field's type by the trait bounds of the runtime functions
//! they call; each call carries the span of its rule, so a rule on the wrong type is reported
//! at the rule.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use super::Errors;
use crate::check::rules_charset;
use crate::Settings;

const KEYS: &str = "non_empty, min_bytes, max_bytes, min_items, max_items, min, max, pattern(prefix, chars, min, max), charset, each(...), nested";

enum Rule {
    NonEmpty(Span),
    Bound {
        name: &'static str,
        span: Span,
        value: syn::LitInt,
    },
    Pattern {
        span: Span,
        prefix: syn::LitStr,
        chars: syn::LitStr,
        min: Option<syn::LitInt>,
        max: Option<syn::LitInt>,
    },
    Charset {
        span: Span,
        chars: syn::LitStr,
    },
    Each(Vec<Rule>),
    Nested(Span),
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
                let mut rules = Vec::new();
                for attr in field.attrs.iter().filter(|a| a.path().is_ident("validate")) {
                    if let Err(e) =
                        attr.parse_nested_meta(|meta| parse_rule(meta, &mut rules, &mut errors))
                    {
                        errors.push(e);
                    }
                }
                if rules.is_empty() {
                    continue;
                }
                check_int_bounds(
                    &rules,
                    Some(unwrap_generic(&field.ty, "Option")),
                    &mut errors,
                );
                let ident = field.ident.as_ref().expect("named field");
                let wire = wire_name(field, &mut errors);
                let body = rule_calls(&rules, k);
                let check = if is_option(&field.ty) {
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
            fn validate_at(
                &self,
                #path: &#k::validate::Path<'_>,
                #out: &mut ::std::vec::Vec<#k::Violation>,
            ) {
                #( #checks )*
            }
        }
    }
}

fn parse_rule(
    meta: syn::meta::ParseNestedMeta<'_>,
    rules: &mut Vec<Rule>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let span = meta.path.span();
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| meta.path.to_token_stream().to_string());
    match key.as_str() {
        "non_empty" => rules.push(Rule::NonEmpty(span)),
        "nested" => rules.push(Rule::Nested(span)),
        "min_bytes" | "max_bytes" | "min_items" | "max_items" => {
            let value: syn::LitInt = meta.value()?.parse()?;
            if let Err(e) = value.base10_parse::<usize>() {
                errors.push(e);
            }
            let name = match key.as_str() {
                "min_bytes" => "min_bytes",
                "max_bytes" => "max_bytes",
                "min_items" => "min_items",
                _ => "max_items",
            };
            rules.push(Rule::Bound { name, span, value });
        }
        "min" | "max" => {
            // Only whether it is an integer here: `check_int_bounds` fits it to the field's type.
            let value: syn::LitInt = meta.value()?.parse()?;
            if let Err(e) = value.base10_parse::<i128>() {
                errors.push(e);
            }
            let name = if key == "min" { "min" } else { "max" };
            rules.push(Rule::Bound { name, span, value });
        }
        "charset" => {
            let chars: syn::LitStr = meta.value()?.parse()?;
            if let Err(why) = rules_charset(&chars.value()) {
                errors.at(chars.span(), format!("bad character set: {why}; write ASCII characters and ranges such as \"A-Za-z0-9_\""));
            }
            rules.push(Rule::Charset { span, chars });
        }
        "pattern" => {
            let (mut prefix, mut chars, mut min, mut max) = (None, None, None, None);
            meta.parse_nested_meta(|inner| {
                let which = inner.path.get_ident().map(ToString::to_string).unwrap_or_default();
                match which.as_str() {
                    "prefix" => prefix = Some(inner.value()?.parse::<syn::LitStr>()?),
                    "chars" => chars = Some(inner.value()?.parse::<syn::LitStr>()?),
                    "min" => min = Some(inner.value()?.parse::<syn::LitInt>()?),
                    "max" => max = Some(inner.value()?.parse::<syn::LitInt>()?),
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
                    if let Err(why) = rules_charset(&chars.value()) {
                        errors.at(chars.span(), format!("bad character set: {why}; write ASCII characters and ranges such as \"A-Za-z\""));
                    }
                    rules.push(Rule::Pattern {
                        span,
                        prefix,
                        chars,
                        min,
                        max,
                    });
                }
                _ => errors.at(
                    span,
                    "pattern(...) needs `prefix = \"...\"` and `chars = \"...\"`",
                ),
            }
        }
        "each" => {
            let mut inner_rules = Vec::new();
            meta.parse_nested_meta(|inner| parse_rule(inner, &mut inner_rules, errors))?;
            rules.push(Rule::Each(inner_rules));
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

/// `min` above `max` on one value would refuse every value: an error at `max`. A bound outside
/// the range of a field spelt as a primitive integer is reported here too, in the words of the
/// schema checker; behind an alias the compiler still refuses it, since the runtime takes the
/// bound in the field's own type.
fn check_int_bounds(rules: &[Rule], ty: Option<&syn::Type>, errors: &mut Errors) {
    let range = ty.and_then(primitive_int);
    let mut found = [None, None];
    for rule in rules {
        match rule {
            Rule::Bound { name, span, value } if matches!(*name, "min" | "max") => {
                let Ok(n) = value.base10_parse::<i128>() else {
                    continue;
                };
                if let Some((int, lo, hi)) = range {
                    if !(lo..=hi).contains(&n) {
                        errors.at(
                            value.span(),
                            format!("{name} ({n}) is outside the range of {int} ({lo} to {hi})"),
                        );
                        continue;
                    }
                }
                found[usize::from(*name == "max")] = Some((n, *span));
            }
            Rule::Each(inner) => {
                let item = ty.and_then(|ty| item_type(ty));
                check_int_bounds(inner, item, errors);
            }
            _ => {}
        }
    }
    if let [Some((min, _)), Some((max, span))] = found {
        if max < min {
            errors.at(span, format!("max ({max}) is below min ({min})"));
        }
    }
}

/// The range of a primitive integer type spelt as such (`u32`, `core::primitive::u32`).
fn primitive_int(ty: &syn::Type) -> Option<(&'static str, i128, i128)> {
    let syn::Type::Path(p) = ty else {
        return match ty {
            syn::Type::Group(g) => primitive_int(&g.elem),
            _ => None,
        };
    };
    let last = p.path.segments.last()?;
    if p.qself.is_some() || !last.arguments.is_none() {
        return None;
    }
    Some(match last.ident.to_string().as_str() {
        "i8" => ("i8", i8::MIN.into(), i8::MAX.into()),
        "i16" => ("i16", i16::MIN.into(), i16::MAX.into()),
        "i32" => ("i32", i32::MIN.into(), i32::MAX.into()),
        "i64" => ("i64", i64::MIN.into(), i64::MAX.into()),
        "u8" => ("u8", 0, u8::MAX.into()),
        "u16" => ("u16", 0, u16::MAX.into()),
        "u32" => ("u32", 0, u32::MAX.into()),
        "u64" => ("u64", 0, u64::MAX.into()),
        _ => return None,
    })
}

/// The item type of a `Vec<T>`, `[T]`, `&[T]` or `Box<[T]>`, as far as the spelling shows it.
fn item_type(ty: &syn::Type) -> Option<&syn::Type> {
    match ty {
        syn::Type::Slice(s) => Some(&s.elem),
        syn::Type::Reference(r) => item_type(&r.elem),
        syn::Type::Group(g) => item_type(&g.elem),
        syn::Type::Path(_) => {
            let inner = unwrap_generic(ty, "Vec");
            if !std::ptr::eq(inner, ty) {
                return Some(inner);
            }
            let inner = unwrap_generic(ty, "Box");
            (!std::ptr::eq(inner, ty))
                .then(|| item_type(inner))
                .flatten()
        }
        _ => None,
    }
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

/// Calls of the runtime's rule functions on `value` at `path`.
fn rule_calls(rules: &[Rule], k: &TokenStream) -> TokenStream {
    let calls = rules.iter().map(|rule| match rule {
        Rule::NonEmpty(span) => quote_spanned!(*span=> #k::__private::non_empty(value, &path, out);),
        Rule::Nested(span) => quote_spanned!(*span=> #k::__private::nested(value, &path, out);),
        Rule::Bound { name, span, value: n } => {
            let f = syn::Ident::new(name, *span);
            let n = signed_literal(n);
            quote_spanned!(*span=> #k::__private::#f(value, #n, &path, out);)
        }
        Rule::Charset { span, chars } => {
            quote_spanned!(*span=> #k::__private::charset(value, { const SET: #k::validate::CharSet = #k::validate::CharSet::new(#chars); SET }, &path, out);)
        }
        Rule::Pattern { span, prefix, chars, min, max } => {
            let min = min.as_ref().map(|m| m.to_token_stream()).unwrap_or_else(|| quote!(1));
            let max = match max {
                Some(m) => quote!(::core::option::Option::Some(#m)),
                None => quote!(::core::option::Option::None),
            };
            quote_spanned!(*span=> #k::__private::pattern(value, #prefix, { const SET: #k::validate::CharSet = #k::validate::CharSet::new(#chars); SET }, #min, #max, &path, out);)
        }
        Rule::Each(inner) => {
            let body = rule_calls(inner, k);
            quote! {
                for (index, value) in #k::__private::items(value).iter().enumerate() {
                    let path = #k::validate::Path::Index(&path, index);
                    #body
                }
            }
        }
    });
    quote!(#( #calls )*)
}

/// A negative literal as `-` and a positive literal: rustc then reports `min = -1` on an
/// unsigned field as a value that cannot be negated, rather than as a missing `Neg` impl with
/// a garbled suggestion.
fn signed_literal(n: &syn::LitInt) -> TokenStream {
    let text = n.to_string();
    match text.strip_prefix('-') {
        Some(abs) => {
            let abs = syn::LitInt::new(abs, n.span());
            quote_spanned!(n.span()=> -#abs)
        }
        None => n.to_token_stream(),
    }
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
    let ident = field.ident.as_ref().expect("named field").to_string();
    ident.strip_prefix("r#").map(str::to_owned).unwrap_or(ident)
}

/// Whether the type is spelt `Option<..>` (with any path before it).
fn is_option(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().is_some_and(|s| {
            s.ident == "Option" && matches!(s.arguments, syn::PathArguments::AngleBracketed(_))
        }),
        syn::Type::Group(g) => is_option(&g.elem),
        _ => false,
    }
}
