//! `#[doc]` attributes from schema text.

use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc = " line"]` per line, so `cargo expand` shows ordinary `///` comments.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Docs from optional schema text, with paragraphs appended.
pub(crate) fn doc_parts<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let text: Vec<&str> = parts
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    doc(&text.join("\n\n"))
}
