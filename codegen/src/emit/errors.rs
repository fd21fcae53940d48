//! The common catalog `CommonError`, and the `Error` enum of an endpoint: its own codes, then
//! `Common(CommonError)`, then `Unknown`.

use proc_macro2::TokenStream;
use quote::quote;

use super::codes::{CodeArms, CodeRow};
use super::{docs, ident};
use crate::model::{Endpoint, ErrorCode};
use crate::Settings;

/// The common codes as an endpoint module sees them: the catalog and the path of its enum.
pub struct Common<'a> {
    pub codes: &'a [ErrorCode],
    /// `::tim_rest::CommonError`, or `super::super::CommonError` when the expansion defines
    /// its own catalog.
    pub path: TokenStream,
    /// Where the shared types are: `::tim_rest::types`, or `super::super::types` when the
    /// expansion defines its own.
    pub types: TokenStream,
    /// Their definitions.
    pub shared_types: &'a [crate::model::TypeDef],
}

pub(crate) fn error_enum(ep: &Endpoint, common: &Common<'_>, settings: &Settings) -> TokenStream {
    let k = &settings.krate;
    let variants = ep.errors.iter().map(|e| {
        let name = ident(&e.name);
        let code = proc_macro2::Literal::i64_unsuffixed(e.code);
        let retry = ident(e.retry.name());
        let (zh, en) = (&e.zh, &e.en);
        let doc = code_doc(e);
        quote! {
            #doc
            #[code(#code, retry = #retry, en = #en, zh = #zh)]
            #name,
        }
    });
    let doc = docs::doc(&format!(
        "The error codes `{}` can answer with: its own ({}), the {} codes every endpoint shares in `Common`, and `Unknown` for the rest.\n\nBuild one from a number with `ApiError::from_code`.",
        ep.path,
        ep.errors.len(),
        common.codes.len()
    ));
    let common_path = &common.path;
    let derives = code_enum_derives();
    quote! {
        #doc
        #[derive(#derives #k::ApiError,)]
        #[non_exhaustive]
        pub enum Error {
            #( #variants )*
            /// A code every endpoint can answer with (REST API, UserSig and account codes).
            #[code(common)]
            Common(#common_path),
            /// A code this schema does not document.
            #[code(unknown)]
            Unknown(#k::error::UnknownCode),
        }
    }
}

/// The std traits of every enum of codes (an endpoint's `Error` adds `ApiError`).
fn code_enum_derives() -> TokenStream {
    quote!(
        ::core::fmt::Debug,
        ::core::clone::Clone,
        ::core::marker::Copy,
        ::core::cmp::PartialEq,
        ::core::cmp::Eq,
        ::core::hash::Hash,
    )
}

fn code_doc(e: &ErrorCode) -> TokenStream {
    docs::doc(&format!("{}: {}.\n\n{}", e.code, e.en, e.zh))
}

/// `CommonError`: one variant per code of the common catalog, with the same methods an
/// endpoint's `Error` has through `ApiError` (here inherent, since a catalog has no unknown
/// variant: `from_code` answers `None` for a code it does not hold).
pub(crate) fn common_enum(
    codes: &[ErrorCode],
    doc: Option<&str>,
    settings: &Settings,
) -> TokenStream {
    let k = &settings.krate;
    let rows: Vec<CodeRow> = codes
        .iter()
        .map(|e| CodeRow {
            variant: ident(&e.name),
            code: e.code,
            retry: e.retry,
            en: e.en.clone(),
            zh: e.zh.clone(),
        })
        .collect();
    let idents: Vec<&proc_macro2::Ident> = rows.iter().map(|r| &r.variant).collect();
    let variants = codes.iter().zip(&idents).map(|(e, name)| {
        let doc = code_doc(e);
        quote!(#doc #name,)
    });
    let CodeArms {
        from_code,
        code,
        message,
        message_zh,
        retry_class,
    } = CodeArms::new(&rows, k);
    let derives = code_enum_derives();
    let enum_doc = docs::doc_parts([
        Some("The codes every endpoint can answer with: the REST API's common codes, and the UserSig and account codes. An endpoint's `Error` holds one in its `Common` variant."),
        doc,
    ]);
    quote! {
        #enum_doc
        #[derive(#derives)]
        #[non_exhaustive]
        pub enum CommonError {
            #( #variants )*
        }

        impl CommonError {
            /// Every common code, in catalog order.
            pub const ALL: &'static [CommonError] = &[ #( Self::#idents ),* ];

            /// The variant of `code`, or `None` when the catalog does not hold it.
            pub fn from_code(code: ::core::primitive::i64) -> ::core::option::Option<Self> {
                ::core::option::Option::Some(match code {
                    #( #from_code, )*
                    _ => return ::core::option::Option::None,
                })
            }

            /// The numeric code.
            pub fn code(&self) -> ::core::primitive::i64 {
                match self {
                    #( #code, )*
                }
            }

            /// What the code means, in English.
            pub fn message(&self) -> &'static ::core::primitive::str {
                match self {
                    #( #message, )*
                }
            }

            /// What the code means, in Chinese, as the service documents it.
            pub fn message_zh(&self) -> &'static ::core::primitive::str {
                match self {
                    #( #message_zh, )*
                }
            }

            /// How to react to it.
            pub fn retry_class(&self) -> #k::error::RetryClass {
                match self {
                    #( #retry_class, )*
                }
            }

            /// Whether a retry may succeed.
            pub fn is_retryable(&self) -> ::core::primitive::bool {
                self.retry_class().is_retryable()
            }
        }

        impl ::core::fmt::Display for CommonError {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::write!(f, "error {}: {}", self.code(), self.message())
            }
        }

        impl ::std::error::Error for CommonError {}
    }
}
