//! The match arms of a table of documented codes: what `#[derive(ApiError)]` writes into an
//! endpoint's `Error` and what the common catalog (`CommonError`) writes into its own methods.
//! One place decides how a code row becomes Rust.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::Retry;

/// One documented code and the unit variant that stands for it: what a schema's code becomes,
/// and what `#[code(..)]` on a variant says.
pub(crate) struct CodeRow {
    pub variant: Ident,
    pub code: i64,
    pub retry: Retry,
    pub en: String,
    pub zh: String,
}

/// The arms of one table, each `pattern => value` without a trailing catch-all.
pub(crate) struct CodeArms {
    /// `30001 => Self::InvalidParameter`
    pub from_code: Vec<TokenStream>,
    /// `Self::InvalidParameter => 30001`
    pub code: Vec<TokenStream>,
    pub message: Vec<TokenStream>,
    pub message_zh: Vec<TokenStream>,
    pub retry_class: Vec<TokenStream>,
}

impl CodeArms {
    pub(crate) fn new(rows: &[CodeRow], krate: &TokenStream) -> Self {
        let mut arms = CodeArms {
            from_code: Vec::with_capacity(rows.len()),
            code: Vec::with_capacity(rows.len()),
            message: Vec::with_capacity(rows.len()),
            message_zh: Vec::with_capacity(rows.len()),
            retry_class: Vec::with_capacity(rows.len()),
        };
        for row in rows {
            let variant = &row.variant;
            let number = Literal::i64_unsuffixed(row.code);
            let (en, zh) = (&row.en, &row.zh);
            let class = retry_class(row.retry, krate);
            arms.from_code.push(quote!(#number => Self::#variant));
            arms.code.push(quote!(Self::#variant => #number));
            arms.message.push(quote!(Self::#variant => #en));
            arms.message_zh.push(quote!(Self::#variant => #zh));
            arms.retry_class.push(quote!(Self::#variant => #class));
        }
        arms
    }
}

/// `::tim_rest::RetryClass::Conflict`.
pub(crate) fn retry_class(class: Retry, krate: &TokenStream) -> TokenStream {
    let variant = Ident::new(class.variant(), Span::call_site());
    quote!(#krate::RetryClass::#variant)
}
