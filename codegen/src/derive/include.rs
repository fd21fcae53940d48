//! `include_schema!("schema")`, with the options `client = Client` (define a client type with
//! a method per endpoint) and `service_features = true` (gate each service behind the Cargo
//! feature named after it).

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};

use super::{schema_errors, Errors, SeenKeys};
use crate::Settings;

const OPTIONS: &str = "`client = Client` and `service_features = true`";

struct Input {
    dir: syn::LitStr,
    client: Option<syn::Ident>,
    service_features: bool,
    errors: Errors,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let dir: syn::LitStr = input.parse().map_err(|e| {
            syn::Error::new(e.span(), "expected the schema directory as a string literal, e.g. `include_schema!(\"schema\")`")
        })?;
        let mut parsed = Input {
            dir,
            client: None,
            service_features: false,
            errors: Errors::default(),
        };
        let mut seen = SeenKeys::new("");
        while input.parse::<syn::Token![,]>().is_ok() {
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            input.parse::<syn::Token![=]>()?;
            seen.note(&key.to_string(), key.span(), &mut parsed.errors);
            if key == "client" {
                let path: syn::Path = input.parse()?;
                match path.get_ident() {
                    Some(ident) => parsed.client = Some(ident.clone()),
                    None => parsed.errors.at(
                        path.segments.last().map_or(key.span(), |s| s.ident.span()),
                        "`client` names the client type the macro defines here, as a plain identifier: `client = Client`",
                    ),
                }
            } else if key == "service_features" {
                let on: syn::LitBool = input.parse()?;
                parsed.service_features = on.value;
            } else {
                let _: syn::Expr = input.parse()?;
                parsed.errors.at(
                    key.span(),
                    format!("unknown option `{key}`; the options are {OPTIONS}"),
                );
            }
        }
        Ok(parsed)
    }
}

/// Expands `include_schema!`.
pub fn include_schema(input: TokenStream, mut settings: Settings) -> TokenStream {
    let input: Input = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    if !input.errors.is_empty() {
        return input.errors.into_compile_errors();
    }
    settings.client = input.client;
    settings.service_features = input.service_features;
    let expansion = crate::expand_dir(&input.dir.value(), &settings);
    let errors = schema_errors(input.dir.span(), &expansion.diagnostics);
    let tokens = expansion.tokens;
    quote! { #errors #tokens }
}
