//! `#[derive(WireDeserialize)]`: serde's `Deserialize` for a struct read from a JSON object,
//! as the generated types need it and no more. serde's own derive also writes a sequence
//! visitor, a field enum with its own visitor and per-struct error plumbing; at API scale
//! that was over a third of the expanded bindings and most of the time the compiler spent on
//! them. Here the struct-independent parts (reading a key as a field index, duplicate and
//! missing fields) are runtime functions, and each struct gets one `match`.
//!
//! It reads `#[serde(rename = "..")]`, `#[serde(default)]` and `#[serde(skip)]` on fields (unknown fields of the
//! input are skipped; a field given twice, or a missing one that has no `default` and is not
//! spelt `Option<..>`, is an error, as with serde's derive) and accepts `skip_serializing_if` and `crate` for the `Serialize`
//! derive beside it. Any other serde attribute is an error, never silently ignored.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;

use super::Errors;
use crate::Settings;

struct WireField {
    ident: syn::Ident,
    ty: syn::Type,
    wire: String,
    default: bool,
    /// `#[serde(skip)]`: not in the JSON (a query parameter); `Default::default()`.
    skip: bool,
}

/// Expands `#[derive(WireDeserialize)]`.
pub fn derive_wire_deserialize(input: TokenStream, settings: &Settings) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let k = &settings.krate;
    let mut errors = Errors::default();
    let mut fields = Vec::new();
    let mut skipped: Vec<syn::Ident> = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let _: syn::LitStr = meta.value()?.parse()?;
            } else {
                errors.at(
                    meta.path.span(),
                    "#[derive(WireDeserialize)] supports no container attribute but `crate`",
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(named),
            ..
        }) if input.generics.params.is_empty() => {
            for field in &named.named {
                fields.push(read_field(field, &mut errors));
            }
            skipped = fields
                .iter()
                .filter(|f| f.skip)
                .map(|f| f.ident.clone())
                .collect();
            fields.retain(|f| !f.skip);
        }
        _ => errors.at(
            input.ident.span(),
            "#[derive(WireDeserialize)] supports structs with named fields and no generics",
        ),
    }
    let name = &input.ident;
    if !errors.is_empty() {
        let errors = errors.into_compile_errors();
        // A minimal impl, so code using the struct reports nothing but the errors above.
        return quote! {
            #errors
            impl<'de> #k::__private::serde::Deserialize<'de> for #name {
                fn deserialize<D: #k::__private::serde::Deserializer<'de>>(_: D) -> ::core::result::Result<Self, D::Error> {
                    ::core::unimplemented!()
                }
            }
        };
    }
    let shown = name.to_string();
    let wires: Vec<&String> = fields.iter().map(|f| &f.wire).collect();
    let slots: Vec<syn::Ident> = (0..fields.len()).map(|i| format_ident!("f{i}")).collect();
    let tys = fields.iter().map(|f| &f.ty);
    let indices: Vec<Literal> = (0..fields.len()).map(Literal::usize_unsuffixed).collect();
    let inits = fields
        .iter()
        .zip(&slots)
        .zip(&indices)
        .map(|((f, slot), i)| {
            let ident = &f.ident;
            if f.default {
                quote!(#ident: ::core::option::Option::unwrap_or_default(#slot))
            } else {
                quote!(#ident: #k::__private::required(#slot, FIELDS[#i])?)
            }
        });
    quote! {
        impl<'de> #k::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: #k::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                const FIELDS: &[&str] = &[ #( #wires ),* ];
                fn field_index(key: &::core::primitive::str) -> ::core::primitive::usize {
                    match key {
                        #( #wires => #indices, )*
                        _ => ::core::primitive::usize::MAX,
                    }
                }
                struct ObjectVisitor;
                impl<'de> #k::__private::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = #name;
                    #[inline]
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        #k::__private::expecting_object(f, #shown)
                    }
                    fn visit_map<A: #k::__private::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<#name, A::Error> {
                        #( let mut #slots: ::core::option::Option<#tys> = ::core::option::Option::None; )*
                        while let ::core::option::Option::Some(key) = map.next_key_seed(#k::__private::FieldKey(field_index))? {
                            match key {
                                #( #indices => #k::__private::field(&mut map, &mut #slots, FIELDS[#indices]), )*
                                _ => #k::__private::skip(&mut map),
                            }?;
                        }
                        ::core::result::Result::Ok(#name { #( #inits, )* #( #skipped: ::core::default::Default::default(), )* })
                    }
                }
                deserializer.deserialize_struct(#shown, FIELDS, ObjectVisitor)
            }
        }
    }
}

fn read_field(field: &syn::Field, errors: &mut Errors) -> WireField {
    let ident = field.ident.clone().expect("named field");
    let mut wire = None;
    let mut default = false;
    let mut skip = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip") {
                skip = true;
            } else if meta.path.is_ident("rename") {
                wire = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.path.is_ident("default") {
                if meta.input.peek(syn::Token![=]) {
                    errors.at(
                        meta.path.span(),
                        "#[derive(WireDeserialize)] takes `default` without a function",
                    );
                    skip_value(&meta)?;
                }
                default = true;
            } else if meta.path.is_ident("skip_serializing_if") {
                // The `Serialize` derive's.
                let _: syn::LitStr = meta.value()?.parse()?;
            } else {
                errors.at(
                    meta.path.span(),
                    "#[derive(WireDeserialize)] reads `rename`, `default` and `skip` on fields (and lets `skip_serializing_if` pass); use serde's derive for more",
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    let wire = wire.unwrap_or_else(|| super::unraw(&ident));
    // As with serde's derive, a missing `Option` field is `None`.
    let default = default || super::is_option(&field.ty);
    WireField {
        ident,
        ty: field.ty.clone(),
        wire,
        default,
        skip,
    }
}

fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let _: TokenStream = content.parse()?;
    }
    Ok(())
}
