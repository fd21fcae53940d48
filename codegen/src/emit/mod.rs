//! Stage 4: tokens from the checked model. Decides only how the model is spelt in Rust.

pub(crate) mod client;
pub(crate) mod codes;
mod docs;
mod endpoint;
mod enums;
mod errors;
mod tagged;
mod types;

pub use errors::Common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{CommonSource, Endpoint, Schema};
use crate::Settings;

/// Where the marker type of an endpoint lives relative to the endpoint's module.
#[derive(Clone, Copy)]
pub enum Marker<'a> {
    /// Generate it inside the module (`include_schema!`).
    Inside,
    /// The user declared it next to the module (`#[derive(Endpoint)]` on `struct <ident>`).
    Outside(&'a Ident),
}

/// Everything `include_schema!` generates: a module per service holding a module per endpoint.
pub fn schema(
    schema: &Schema,
    settings: &Settings,
    tracked: &BTreeMap<String, PathBuf>,
) -> TokenStream {
    let common = common_for(schema, settings);
    let catalog = (schema.common_source == CommonSource::Own).then(|| {
        errors::common_enum(
            &schema.common_errors,
            schema.common_doc.as_deref(),
            settings,
        )
    });
    let mut services: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for ep in &schema.endpoints {
        let module = endpoint_module(ep, &common, settings, Marker::Inside, tracked.get(&ep.file));
        services
            .entry(ep.service.as_str())
            .or_default()
            .push(module);
    }
    let modules = services.iter().map(|(service, endpoints)| {
        let ident = ident(service);
        let mut text = format!("Endpoints under `v4/{service}/`.");
        let gate = settings.service_features.then(|| {
            text.push_str(&format!("\n\nCompiled with the feature `{service}`."));
            quote!(#[cfg(feature = #service)])
        });
        let doc = docs::doc(&text);
        quote! {
            #doc
            #gate
            pub mod #ident {
                #( #endpoints )*
            }
        }
    });
    let shared = (schema.types_source == CommonSource::Own && !schema.shared_types.is_empty())
        .then(|| shared_types(schema, settings));
    let client = settings
        .client
        .as_ref()
        .map(|name| client::client(schema, name, settings));
    let paths = schema.endpoints.iter().map(|ep| &ep.path);
    quote! {
        /// The path of every endpoint generated here, in schema order.
        pub const ENDPOINT_PATHS: &[&str] = &[ #( #paths ),* ];
        #catalog
        #shared
        #( #modules )*
        #client
    }
}

/// The `types` module: the shared types, each compiled (with service features) only with a
/// service that names it.
fn shared_types(schema: &Schema, settings: &Settings) -> TokenStream {
    let defs = schema.shared_types.iter().map(|def| {
        let mut services: Vec<&str> = schema
            .endpoints
            .iter()
            .filter(|ep| ep.shared_used.contains(&def.name))
            .map(|ep| ep.service.as_str())
            .collect();
        services.dedup();
        let gate = match services.as_slice() {
            _ if !settings.service_features => None,
            [] => None,
            [one] => Some(quote!(#[cfg(feature = #one)])),
            many => Some(quote!(#[cfg(any( #( feature = #many ),* ))])),
        };
        types::type_def(
            def,
            &types::Cx {
                settings,
                shared: None,
                gate,
                types: &schema.shared_types,
                shared_types: &[],
            },
        )
    });
    quote! {
        /// Types the endpoints share, defined once (`common/types/` of the schema directory).
        pub mod types {
            #( #defs )*
        }
    }
}

/// The module of one endpoint, named after its command.
pub fn endpoint_module(
    ep: &Endpoint,
    common: &Common<'_>,
    settings: &Settings,
    marker: Marker<'_>,
    tracked: Option<&PathBuf>,
) -> TokenStream {
    let module = ident(&ep.command);
    let vis = match marker {
        Marker::Inside => quote!(pub),
        Marker::Outside(_) => settings.visibility.clone(),
    };
    let doc = docs::doc_parts([Some(ep.summary.as_str()), ep.doc.as_deref()]);
    let doc_url = ep
        .doc_url
        .as_ref()
        .map(|u| docs::doc(&format!("\nService docs: <{u}>")));
    let track = tracked.map(|path| {
        let path = path.to_string_lossy().into_owned();
        quote! { const _: &[u8] = ::core::include_bytes!(#path); }
    });
    let items = endpoint::items(ep, common, settings, marker);
    quote! {
        #doc
        #doc_url
        #vis mod #module {
            #track
            #items
        }
    }
}

/// Where the endpoint modules of `schema` find `CommonError` and the shared types: the
/// expansion's own sit two modules up (`<service>::<command>`), the built-in ones in the
/// `tim-rest` crate.
pub fn common_for<'a>(schema: &'a Schema, settings: &Settings) -> Common<'a> {
    let k = &settings.krate;
    Common {
        codes: &schema.common_errors,
        path: match schema.common_source {
            CommonSource::Own => quote!(super::super::CommonError),
            CommonSource::Builtin => quote!(#k::CommonError),
        },
        types: match schema.types_source {
            CommonSource::Own => quote!(super::super::types),
            CommonSource::Builtin => quote!(#k::types),
        },
        shared_types: &schema.shared_types,
    }
}

pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}
