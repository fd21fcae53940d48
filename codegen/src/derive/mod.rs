//! The front ends: parse macro input, call the pipeline or emit directly, and turn problems into
//! compile errors. Like serde_derive, each collects every attribute error before failing, and
//! like thiserror it still emits a minimal impl on error so one mistake does not cascade.

mod api_error;
mod deserialize;
mod endpoint;
mod include;
pub(crate) mod validate;

pub use api_error::derive_api_error;
pub use deserialize::derive_wire_deserialize;
pub use endpoint::derive_endpoint;
pub use include::include_schema;
pub use validate::derive_validate;

use proc_macro2::{Span, TokenStream};

/// Errors collected while reading attributes, reported together.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.0.map(|e| e.to_compile_error()).unwrap_or_default()
    }
}

/// The keys of one attribute list read so far: a key given twice is an error on the second,
/// never a silent override.
pub(crate) struct SeenKeys {
    seen: Vec<String>,
    /// Where, for the message: `""` or `" in #[code(...)]"`.
    within: &'static str,
}

impl SeenKeys {
    pub(crate) fn new(within: &'static str) -> Self {
        SeenKeys {
            seen: Vec::new(),
            within,
        }
    }

    /// Records `key`, read at `span`.
    pub(crate) fn note(&mut self, key: &str, span: Span, errors: &mut Errors) {
        if self.seen.iter().any(|k| k == key) {
            errors.at(
                span,
                format!("`{key}` is given twice{}; keep one", self.within),
            );
        } else {
            self.seen.push(key.to_owned());
        }
    }
}

/// A field's name as serde spells it without a rename: the identifier, `r#` removed.
pub(crate) fn unraw(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_owned).unwrap_or(name)
}

/// Schema diagnostics as compile errors at `span` (a macro cannot point into a JSON file, so
/// the message carries `file:line:col`).
pub(crate) fn schema_errors(span: Span, diagnostics: &[crate::Diagnostic]) -> TokenStream {
    let mut errors = Errors::default();
    for d in diagnostics {
        errors.at(span, d);
    }
    errors.into_compile_errors()
}

/// Whether the type is spelt `Option<..>` (with any path before it).
pub(crate) fn is_option(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().is_some_and(|s| {
            s.ident == "Option" && matches!(s.arguments, syn::PathArguments::AngleBracketed(_))
        }),
        syn::Type::Group(g) => is_option(&g.elem),
        _ => false,
    }
}
