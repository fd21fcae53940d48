//! `#[derive(ApiError)]` on an enum of codes:
//!
//! ```text
//! #[code(30008, retry = conflict, en = "write conflict", zh = "并发写导致写冲突")]
//! WriteConflict,
//! #[code(common)]
//! Common(tim_rest::CommonError),
//! #[code(unknown)]
//! Unknown(UnknownCode),
//! ```
//!
//! `from_code` tries the enum's own codes, then the nested common catalog, then lands in the
//! unknown variant.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;

use super::{Errors, SeenKeys};
use crate::emit::codes::{CodeArms, CodeRow};
use crate::model::Retry;
use crate::Settings;

/// A variant holding one field: the unknown code, or the nested common catalog.
struct Holder {
    variant: syn::Ident,
    ty: syn::Type,
}

#[derive(Default)]
struct Variants {
    codes: Vec<CodeRow>,
    unknown: Option<Holder>,
    common: Option<Holder>,
}

/// Expands `#[derive(ApiError)]`.
pub fn derive_api_error(input: TokenStream, settings: &Settings) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let k = &settings.krate;
    let mut errors = Errors::default();
    let mut found = Variants::default();

    match &input.data {
        syn::Data::Enum(data) => {
            for variant in &data.variants {
                read_variant(variant, &mut found, &mut errors);
            }
            if found.unknown.is_none() {
                errors.at(
                    input.ident.span(),
                    format!("#[derive(ApiError)] needs a variant for undocumented codes: add `#[code(unknown)] Unknown({}::UnknownCode)`", settings.krate_string()),
                );
            }
        }
        _ => errors.at(
            input.ident.span(),
            "#[derive(ApiError)] goes on an enum with one variant per code",
        ),
    }

    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    if !errors.is_empty() {
        // A minimal impl, so code using the enum reports nothing but the errors above.
        let errors = errors.into_compile_errors();
        return quote! {
            #errors
            impl #impl_generics #k::ApiError for #name #ty_generics #where_clause {
                fn from_code(_: i64) -> Self { ::core::unimplemented!() }
                fn code(&self) -> i64 { 0 }
                fn message(&self) -> &'static str { "" }
                fn message_zh(&self) -> &'static str { "" }
                fn retry_class(&self) -> #k::error::RetryClass { #k::error::RetryClass::Never }
            }
            impl #impl_generics ::core::fmt::Display for #name #ty_generics #where_clause {
                fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result { ::core::result::Result::Ok(()) }
            }
            impl #impl_generics ::std::error::Error for #name #ty_generics #where_clause {}
        };
    }
    let Holder {
        variant: unknown, ..
    } = found.unknown.as_ref().expect("checked above");
    let CodeArms {
        from_code,
        code,
        message,
        message_zh,
        retry_class,
    } = CodeArms::new(&found.codes, k);
    let unknown_value = quote!(Self::#unknown(#k::__private::unknown_code(other)));
    // The common catalog answers every method for the codes it holds.
    let common_arm = |method: TokenStream| {
        found
            .common
            .as_ref()
            .map(|Holder { variant, .. }| quote!(Self::#variant(common) => common.#method(),))
    };
    let (common_code, common_message, common_message_zh, common_retry) = (
        common_arm(quote!(code)),
        common_arm(quote!(message)),
        common_arm(quote!(message_zh)),
        common_arm(quote!(retry_class)),
    );
    let (fallback, common_fn) = match &found.common {
        None => (unknown_value, None),
        Some(Holder { variant, ty }) => {
            let fallback = quote! {
                match <#ty>::from_code(other) {
                    ::core::option::Option::Some(common) => Self::#variant(common),
                    ::core::option::Option::None => #unknown_value,
                }
            };
            let doc = format!(" The common code (one every endpoint can answer with), if this is one: a shortcut for matching `Self::{variant}`.");
            let common_fn = quote! {
                impl #impl_generics #name #ty_generics #where_clause {
                    #[doc = #doc]
                    #[inline]
                    pub fn common(&self) -> ::core::option::Option<#ty> {
                        match self {
                            Self::#variant(common) => ::core::option::Option::Some(::core::clone::Clone::clone(common)),
                            _ => ::core::option::Option::None,
                        }
                    }
                }
            };
            (fallback, Some(common_fn))
        }
    };
    quote! {
        impl #impl_generics #k::ApiError for #name #ty_generics #where_clause {
            #[inline]
            fn from_code(code: i64) -> Self {
                match code {
                    #( #from_code, )*
                    other => #fallback,
                }
            }
            #[inline]
            fn code(&self) -> i64 {
                match self {
                    #( #code, )*
                    #common_code
                    Self::#unknown(unknown) => unknown.code(),
                }
            }
            #[inline]
            fn message(&self) -> &'static str {
                match self {
                    #( #message, )*
                    #common_message
                    Self::#unknown(_) => "undocumented error code",
                }
            }
            #[inline]
            fn message_zh(&self) -> &'static str {
                match self {
                    #( #message_zh, )*
                    #common_message_zh
                    Self::#unknown(_) => "未记录的错误码",
                }
            }
            #[inline]
            fn retry_class(&self) -> #k::error::RetryClass {
                match self {
                    #( #retry_class, )*
                    #common_retry
                    Self::#unknown(_) => #k::error::RetryClass::Never,
                }
            }
        }

        #common_fn

        impl #impl_generics ::core::fmt::Display for #name #ty_generics #where_clause {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::write!(f, "error {}: {}", #k::ApiError::code(self), #k::ApiError::message(self))
            }
        }

        impl #impl_generics ::std::error::Error for #name #ty_generics #where_clause {}
    }
}

fn read_variant(variant: &syn::Variant, found: &mut Variants, errors: &mut Errors) {
    let attrs: Vec<&syn::Attribute> = variant
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("code"))
        .collect();
    if attrs.is_empty() {
        errors.at(variant.ident.span(), format!("variant `{}` has no #[code(...)]; write #[code(30001, en = \"...\")], #[code(common)] or #[code(unknown)]", variant.ident));
        return;
    }
    if attrs.len() > 1 {
        errors.at(attrs[1].span(), "one #[code(...)] per variant");
    }
    let attr = attrs[0];
    // `#[code(unknown)]` and `#[code(common)]`: a variant holding one value.
    if let Ok(ident) = attr.parse_args::<syn::Ident>() {
        let (slot, what, shape) = if ident == "unknown" {
            (&mut found.unknown, "unknown", "`Unknown(UnknownCode)`")
        } else if ident == "common" {
            (
                &mut found.common,
                "common",
                "`Common(tim_rest::CommonError)`",
            )
        } else {
            errors.at(
                ident.span(),
                format!("expected a numeric code, `common` or `unknown`, found `{ident}`"),
            );
            return;
        };
        if slot.is_some() {
            errors.at(
                ident.span(),
                format!("only one variant may be #[code({what})]"),
            );
            return;
        }
        match &variant.fields {
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                *slot = Some(Holder {
                    variant: variant.ident.clone(),
                    ty: f.unnamed[0].ty.clone(),
                })
            }
            _ => errors.at(
                variant.ident.span(),
                format!("the #[code({what})] variant holds one value: {shape}"),
            ),
        }
        return;
    }
    if !matches!(variant.fields, syn::Fields::Unit) {
        errors.at(
            variant.ident.span(),
            "a variant with a #[code(...)] has no fields",
        );
    }
    let Some(parsed) = read_code(attr, errors) else {
        return;
    };
    let (code, code_span) = parsed.code;
    if let Some(prev) = found.codes.iter().find(|c| c.code == code) {
        errors.at(
            code_span,
            format!("code {code} is already used by `{}`", prev.variant),
        );
    }
    let Some(en) = parsed.en else {
        errors.at(
            attr.span(),
            format!("code {code} needs an English message: `en = \"...\"`"),
        );
        return;
    };
    found.codes.push(CodeRow {
        variant: variant.ident.clone(),
        code,
        retry: parsed.retry.unwrap_or(Retry::Never),
        zh: parsed.zh.unwrap_or_else(|| en.clone()),
        en,
    });
}

/// What one `#[code(30001, retry = .., en = "..", zh = "..")]` says.
struct CodeAttr {
    code: (i64, Span),
    retry: Option<Retry>,
    en: Option<String>,
    zh: Option<String>,
}

/// Reads `#[code(30001, ...)]`; a key given twice is an error on the second one.
fn read_code(attr: &syn::Attribute, errors: &mut Errors) -> Option<CodeAttr> {
    let mut out: Option<CodeAttr> = None;
    let parsed = attr.parse_args_with(|input: syn::parse::ParseStream<'_>| {
        let lit: syn::LitInt = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the numeric code first: #[code(30001, ...)]",
            )
        })?;
        let this = out.insert(CodeAttr {
            code: (lit.base10_parse()?, lit.span()),
            retry: None,
            en: None,
            zh: None,
        });
        let mut seen = SeenKeys::new(" in #[code(...)]");
        while input.parse::<syn::Token![,]>().is_ok() {
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            input.parse::<syn::Token![=]>()?;
            let name = key.to_string();
            seen.note(&name, key.span(), errors);
            match name.as_str() {
                "retry" => {
                    let class: syn::Ident = input.parse()?;
                    match Retry::from_name(&class.to_string()) {
                        Some(known) => this.retry = Some(known),
                        None => {
                            let all: Vec<&str> = Retry::ALL.iter().map(|r| r.name()).collect();
                            errors.at(
                                class.span(),
                                format!(
                                    "unknown retry class `{class}`; expected one of {}",
                                    all.join(", ")
                                ),
                            );
                        }
                    }
                }
                "en" => this.en = Some(input.parse::<syn::LitStr>()?.value()),
                "zh" => this.zh = Some(input.parse::<syn::LitStr>()?.value()),
                other => {
                    errors.at(
                        key.span(),
                        format!("unknown key `{other}` in #[code(...)]; expected retry, en, zh"),
                    );
                    let _: syn::Expr = input.parse()?;
                }
            }
        }
        Ok(())
    });
    if let Err(e) = parsed {
        errors.push(e);
        return None;
    }
    out
}
