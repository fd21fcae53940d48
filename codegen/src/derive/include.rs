//! `include_schema!("schema")` and `include_schema!("schema", client = crate::Client)`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};

use super::{schema_errors, Errors};
use crate::Settings;

struct Input {
    dir: syn::LitStr,
    client: Option<syn::Path>,
    errors: Errors,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let dir: syn::LitStr = input.parse().map_err(|e| {
            syn::Error::new(e.span(), "expected the schema directory as a string literal, e.g. `include_schema!(\"schema\")`")
        })?;
        let mut client = None;
        let mut errors = Errors::default();
        while input.parse::<syn::Token![,]>().is_ok() {
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            input.parse::<syn::Token![=]>()?;
            if key == "client" {
                client = Some(input.parse()?);
            } else {
                let _: syn::Expr = input.parse()?;
                errors.at(
                    key.span(),
                    format!(
                        "unknown option `{key}`; the only option is `client = path::to::Client`"
                    ),
                );
            }
        }
        Ok(Input {
            dir,
            client,
            errors,
        })
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
    let expansion = crate::expand_dir(&input.dir.value(), &settings);
    let errors = schema_errors(input.dir.span(), &expansion.diagnostics);
    let tokens = expansion.tokens;
    quote! { #errors #tokens }
}
