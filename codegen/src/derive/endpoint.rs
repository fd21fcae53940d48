//! `#[derive(Endpoint)] #[endpoint(schema = "schema/sns/friend_check.json")] pub struct FriendCheck;`

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::{schema_errors, Errors};
use crate::Settings;

/// Expands `#[derive(Endpoint)]`: a module named after the command, next to the marker.
pub fn derive_endpoint(input: TokenStream, mut settings: Settings) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let mut schema: Option<syn::LitStr> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("endpoint")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("schema") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                if schema.is_some() {
                    errors.at(lit.span(), "`schema` is given twice; keep one");
                }
                schema = Some(lit);
            } else {
                let key = meta.path.to_token_stream().to_string().replace(' ', "");
                errors.at(meta.path.span_or_call_site(), format!("unknown key `{key}` in #[endpoint(...)]; expected `schema = \"path/to/endpoint.json\"`"));
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    if !matches!(input.data, syn::Data::Struct(_)) || !input.generics.params.is_empty() {
        errors.at(
            input.ident.span(),
            "#[derive(Endpoint)] goes on a struct without generics: `pub struct FriendCheck;`",
        );
    }
    let Some(schema) = schema else {
        if errors.is_empty() {
            errors.at(input.ident.span(), "#[derive(Endpoint)] needs the schema file: add #[endpoint(schema = \"schema/sns/friend_check.json\")]");
        }
        return errors.into_compile_errors();
    };
    if !errors.is_empty() {
        return errors.into_compile_errors();
    }
    settings.visibility = input.vis.to_token_stream();
    let expansion = crate::expand_file(&schema.value(), &input.ident, &settings);
    let errors = schema_errors(schema.span(), &expansion.diagnostics);
    let tokens = if expansion.tokens.is_empty() {
        fallback(&input.ident, &settings)
    } else {
        expansion.tokens
    };
    quote! { #errors #tokens }
}

/// `Endpoint` with stand-in types, so code naming the marker reports only the schema's errors.
fn fallback(marker: &syn::Ident, settings: &Settings) -> TokenStream {
    let k = &settings.krate;
    quote! {
        impl #k::Endpoint for #marker {
            const PATH: &'static str = "";
            const RATE_LIMIT: ::core::option::Option<#k::endpoint::RateLimit> = ::core::option::Option::None;
            const BATCH: ::core::option::Option<#k::endpoint::BatchField> = ::core::option::Option::None;
            type Request = #k::__private::Unavailable;
            type Response = #k::__private::Unavailable;
            type Error = #k::__private::Unavailable;
        }
    }
}

trait SpanOrCallSite {
    fn span_or_call_site(&self) -> proc_macro2::Span;
}

impl SpanOrCallSite for syn::Path {
    fn span_or_call_site(&self) -> proc_macro2::Span {
        self.segments
            .first()
            .map(|s| s.ident.span())
            .unwrap_or_else(proc_macro2::Span::call_site)
    }
}
