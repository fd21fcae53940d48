//! The `Error` enum of an endpoint: its own codes, then the common ones, then `Unknown`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::model::{Endpoint, ErrorCode};
use crate::Settings;

pub(crate) fn error_enum(ep: &Endpoint, common: &[ErrorCode], settings: &Settings) -> TokenStream {
    let k = &settings.krate;
    let variants = ep.errors.iter().chain(common).map(|e| {
        let name = ident(&e.name);
        let code = proc_macro2::Literal::i64_unsuffixed(e.code);
        let retry = ident(e.retry.name());
        let (zh, en) = (&e.zh, &e.en);
        let doc = docs::doc(&format!("{}: {en}.\n\n{zh}", e.code));
        quote! {
            #doc
            #[code(#code, retry = #retry, en = #en, zh = #zh)]
            #name,
        }
    });
    let doc = docs::doc(&format!(
        "The error codes `{}` can answer with: its own ({}), then the common REST API and account codes ({}).\n\nBuild one from a number with `ApiError::from_code`; codes the schema does not list land in `Unknown`.",
        ep.path,
        ep.errors.len(),
        common.len()
    ));
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
            #k::ApiError,
        )]
        #[non_exhaustive]
        pub enum Error {
            #( #variants )*
            /// A code this schema does not document.
            #[code(unknown)]
            Unknown(#k::UnknownCode),
        }
    }
}
