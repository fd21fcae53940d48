//! `#[derive(ApiError)]` on an enum of codes:
//!
//! ```text
//! #[code(30008, retry = conflict, en = "write conflict", zh = "并发写导致写冲突")]
//! WriteConflict,
//! #[code(unknown)]
//! Unknown(UnknownCode),
//! ```

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;

use super::Errors;
use crate::model::Retry;
use crate::Settings;

struct Code {
    variant: syn::Ident,
    code: i64,
    retry: Retry,
    en: String,
    zh: String,
}

/// Expands `#[derive(ApiError)]`.
pub fn derive_api_error(input: TokenStream, settings: &Settings) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let k = &settings.krate;
    let mut errors = Errors::default();
    let mut codes: Vec<Code> = Vec::new();
    let mut unknown: Option<syn::Ident> = None;

    match &input.data {
        syn::Data::Enum(data) => {
            for variant in &data.variants {
                read_variant(variant, &mut codes, &mut unknown, &mut errors);
            }
            if unknown.is_none() {
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
                fn retry_class(&self) -> #k::RetryClass { #k::RetryClass::Never }
            }
            impl #impl_generics ::core::fmt::Display for #name #ty_generics #where_clause {
                fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result { ::core::result::Result::Ok(()) }
            }
            impl #impl_generics ::std::error::Error for #name #ty_generics #where_clause {}
        };
    }
    let unknown = unknown.expect("checked above");
    let variants: Vec<&syn::Ident> = codes.iter().map(|c| &c.variant).collect();
    let numbers: Vec<proc_macro2::Literal> = codes
        .iter()
        .map(|c| proc_macro2::Literal::i64_unsuffixed(c.code))
        .collect();
    let en: Vec<&String> = codes.iter().map(|c| &c.en).collect();
    let zh: Vec<&String> = codes.iter().map(|c| &c.zh).collect();
    let retry: Vec<TokenStream> = codes.iter().map(|c| retry_class(c.retry, k)).collect();
    quote! {
        impl #impl_generics #k::ApiError for #name #ty_generics #where_clause {
            fn from_code(code: i64) -> Self {
                match code {
                    #( #numbers => Self::#variants, )*
                    other => Self::#unknown(#k::__private::unknown_code(other)),
                }
            }
            fn code(&self) -> i64 {
                match self {
                    #( Self::#variants => #numbers, )*
                    Self::#unknown(unknown) => unknown.code(),
                }
            }
            fn message(&self) -> &'static str {
                match self {
                    #( Self::#variants => #en, )*
                    Self::#unknown(_) => "undocumented error code",
                }
            }
            fn message_zh(&self) -> &'static str {
                match self {
                    #( Self::#variants => #zh, )*
                    Self::#unknown(_) => "未记录的错误码",
                }
            }
            fn retry_class(&self) -> #k::RetryClass {
                match self {
                    #( Self::#variants => #retry, )*
                    Self::#unknown(_) => #k::RetryClass::Never,
                }
            }
        }

        impl #impl_generics ::core::fmt::Display for #name #ty_generics #where_clause {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::write!(f, "error {}: {}", #k::ApiError::code(self), #k::ApiError::message(self))
            }
        }

        impl #impl_generics ::std::error::Error for #name #ty_generics #where_clause {}
    }
}

fn read_variant(
    variant: &syn::Variant,
    codes: &mut Vec<Code>,
    unknown: &mut Option<syn::Ident>,
    errors: &mut Errors,
) {
    let attrs: Vec<&syn::Attribute> = variant
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("code"))
        .collect();
    if attrs.is_empty() {
        errors.at(variant.ident.span(), format!("variant `{}` has no #[code(...)]; write #[code(30001, en = \"...\")] or #[code(unknown)]", variant.ident));
        return;
    }
    if attrs.len() > 1 {
        errors.at(attrs[1].span(), "one #[code(...)] per variant");
    }
    let attr = attrs[0];
    // `#[code(unknown)]`
    if let Ok(ident) = attr.parse_args::<syn::Ident>() {
        if ident == "unknown" {
            if unknown.is_some() {
                errors.at(ident.span(), "only one variant may be #[code(unknown)]");
            }
            match &variant.fields {
                syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                    *unknown = Some(variant.ident.clone())
                }
                _ => errors.at(
                    variant.ident.span(),
                    "the #[code(unknown)] variant holds the code: `Unknown(UnknownCode)`",
                ),
            }
            return;
        }
    }
    if !matches!(variant.fields, syn::Fields::Unit) {
        errors.at(
            variant.ident.span(),
            "a variant with a #[code(...)] has no fields",
        );
    }
    let mut code: Option<(i64, Span)> = None;
    let (mut retry, mut en, mut zh) = (None, None, None);
    let parsed = attr.parse_args_with(|input: syn::parse::ParseStream<'_>| {
        let lit: syn::LitInt = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the numeric code first: #[code(30001, ...)]",
            )
        })?;
        code = Some((lit.base10_parse()?, lit.span()));
        while input.parse::<syn::Token![,]>().is_ok() {
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            input.parse::<syn::Token![=]>()?;
            match key.to_string().as_str() {
                "retry" => {
                    let class: syn::Ident = input.parse()?;
                    match Retry::from_name(&class.to_string()) {
                        Some(known) => retry = Some(known),
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
                "en" => en = Some(input.parse::<syn::LitStr>()?.value()),
                "zh" => zh = Some(input.parse::<syn::LitStr>()?.value()),
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
        return;
    }
    let Some((code, code_span)) = code else {
        return;
    };
    if let Some(prev) = codes.iter().find(|c| c.code == code) {
        errors.at(
            code_span,
            format!("code {code} is already used by `{}`", prev.variant),
        );
    }
    let Some(en) = en else {
        errors.at(
            attr.span(),
            format!("code {code} needs an English message: `en = \"...\"`"),
        );
        return;
    };
    codes.push(Code {
        variant: variant.ident.clone(),
        code,
        retry: retry.unwrap_or(Retry::Never),
        zh: zh.unwrap_or_else(|| en.clone()),
        en,
    });
}

fn retry_class(class: Retry, k: &TokenStream) -> TokenStream {
    let variant = syn::Ident::new(class.variant(), Span::call_site());
    quote!(#k::RetryClass::#variant)
}
