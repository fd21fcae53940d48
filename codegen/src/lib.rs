//! The generator behind tim-rest's macros: schema files in, Rust tokens out.
//!
//! Four stages, one module each: [`load`] reads files, [`parse`] turns JSON into a raw model
//! with located errors, [`check`] gives it meaning and collects every problem, and [`emit`]
//! writes tokens from the checked model. Beside `emit`, `openapi` (feature `openapi`) writes
//! an OpenAPI 3.1 document from the same checked model. The front ends (`include_schema!`, the derives, and
//! the `tim codegen` command) share one [`Settings`]. Nothing here depends on `proc_macro`, so
//! every stage runs in ordinary tests.

pub mod check;
mod common;
pub mod derive;
mod diagnostic;
pub mod emit;
pub mod load;
pub mod model;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod parse;

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

pub use diagnostic::{Diagnostic, Diagnostics};

use check::common::CheckedShared;
use load::{FileKind, SourceFile};
use model::{CommonSource, Schema};

/// Environment variable that replaces `CARGO_MANIFEST_DIR` as the base of schema paths (the
/// trybuild scratch crate has a manifest dir of its own).
pub const MANIFEST_DIR_OVERRIDE: &str = "TIM_REST_MANIFEST_DIR";

/// What every front end needs to know besides the schema.
#[derive(Clone)]
pub struct Settings {
    /// Path of the crate users depend on, as tokens (`::tim_rest`).
    pub krate: TokenStream,
    /// Where relative schema paths start.
    pub base_dir: PathBuf,
    /// The name of a client type to define, with one method per endpoint
    /// (`include_schema!(.., client = Client)`).
    pub client: Option<syn::Ident>,
    /// Whether each service module (and its client methods) compiles only with the Cargo
    /// feature named after the service (`include_schema!(.., service_features = true)`).
    pub service_features: bool,
    /// Whether every type implements both serde directions. Off, requests only serialize and
    /// replies only deserialize, as a client needs; on for code that plays the service
    /// (the emulator, mocks, round-trip tests). The macros turn it on with their feature
    /// `server`, which `tim-rest`'s feature `server` enables.
    pub serde_both_ways: bool,
    /// Visibility of the modules a derive generates.
    pub visibility: TokenStream,
    /// Whether to emit `include_bytes!` of each schema file so cargo rebuilds when it changes.
    /// Off for goldens and `tim codegen`, whose output must not hold absolute paths.
    pub track_files: bool,
}

impl Settings {
    /// Settings for a macro expansion in the crate being compiled.
    pub fn for_macro() -> Self {
        let base = std::env::var_os(MANIFEST_DIR_OVERRIDE)
            .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        Settings {
            base_dir: base,
            track_files: true,
            client: None,
            service_features: false,
            ..Settings::standalone()
        }
    }

    /// Settings for code generated outside a compiler (goldens, `tim codegen`): what the
    /// `tim-rest` crate's own `include_schema!("schema", client = Client,
    /// service_features = true)` expands to for a client (without the feature `server`).
    pub fn standalone() -> Self {
        Settings {
            krate: quote!(::tim_rest),
            base_dir: PathBuf::from("."),
            client: Some(syn::Ident::new("Client", proc_macro2::Span::call_site())),
            service_features: true,
            serde_both_ways: false,
            visibility: quote!(pub),
            track_files: false,
        }
    }

    /// The crate path as written in `#[serde(crate = "...")]`.
    pub fn krate_string(&self) -> String {
        self.krate.to_string().replace(' ', "")
    }
}

/// The result of one expansion: the code for what is sound, and every problem found.
pub struct Expansion {
    pub tokens: TokenStream,
    pub diagnostics: Diagnostics,
}

/// Loads, parses and checks `files` (endpoints and, optionally, common files).
pub fn analyze(files: &[SourceFile], client_methods: bool) -> (Schema, Diagnostics) {
    let of_kind = |kind: FileKind| files.iter().filter(move |f| f.kind == kind);
    let own_types = of_kind(FileKind::CommonTypes).next().is_some();
    let mut diagnostics = Vec::new();
    // The built-in files are parsed and checked only by an expansion that uses one of them.
    let builtin = common::builtin;
    let uses_builtin = of_kind(FileKind::CommonErrors).next().is_none()
        || of_kind(FileKind::CommonEnvelope).next().is_none()
        || !own_types;
    if uses_builtin {
        diagnostics.extend_from_slice(&builtin().parse_diagnostics);
    }

    // Parse problems come in file order (catalog, envelope, endpoints, types), then the
    // checks' problems.
    let own_errors = of_kind(FileKind::CommonErrors)
        .next()
        .map(|file| common::errors(file, &mut diagnostics));
    let own_envelope = of_kind(FileKind::CommonEnvelope)
        .next()
        .map(|file| common::envelope(file, &mut diagnostics));
    let mut endpoints = Vec::new();
    for file in of_kind(FileKind::Endpoint) {
        match parse::parse(file) {
            Ok(raw) => endpoints.push((file, raw)),
            Err(d) => diagnostics.push(d),
        }
    }
    let own_types_parsed = common::types(of_kind(FileKind::CommonTypes), &mut diagnostics);

    let (common_errors, common_source) = match &own_errors {
        Some(errors) => (errors, CommonSource::Own),
        None => (&builtin().errors, CommonSource::Builtin),
    };
    let envelope = match &own_envelope {
        Some(envelope) => envelope.as_ref(),
        None => builtin().envelope.as_ref(),
    };
    let Some(envelope) = envelope else {
        return (
            Schema {
                common_errors: Vec::new(),
                common_source,
                common_doc: None,
                envelope: Vec::new(),
                envelope_query: Vec::new(),
                endpoints: Vec::new(),
                shared_types: Vec::new(),
                types_source: if own_types {
                    CommonSource::Own
                } else {
                    CommonSource::Builtin
                },
            },
            diagnostics,
        );
    };
    let own_shared;
    let (shared, types_source) = if own_types {
        own_shared = CheckedShared::new(&own_types_parsed);
        (&own_shared, CommonSource::Own)
    } else {
        (&builtin().shared, CommonSource::Builtin)
    };
    let (schema, mut more) = check::check(check::Parsed {
        common_errors,
        common_source,
        envelope,
        shared,
        types_source,
        endpoints,
        client_methods,
    });
    diagnostics.append(&mut more);
    (schema, diagnostics)
}

fn tracked_paths(files: &[SourceFile], settings: &Settings) -> BTreeMap<String, PathBuf> {
    if !settings.track_files {
        return BTreeMap::new();
    }
    files
        .iter()
        .filter_map(|f| Some((f.display_path.clone(), f.abs_path.clone()?)))
        .collect()
}

/// `include_schema!(dir)`: every endpoint of a directory.
pub fn expand_dir(dir: &str, settings: &Settings) -> Expansion {
    let files = match load::load_dir(&settings.base_dir.join(dir), dir) {
        Ok(files) => files,
        Err(diagnostics) => {
            return Expansion {
                tokens: TokenStream::new(),
                diagnostics,
            }
        }
    };
    let (schema, diagnostics) = analyze(&files, settings.client.is_some());
    let tracked = tracked_paths(&files, settings);
    // Common files are tracked too, though no module holds them.
    let common_tracks = files
        .iter()
        .filter(|f| f.kind != FileKind::Endpoint)
        .filter_map(|f| {
            let path = f.abs_path.as_ref()?.to_string_lossy().into_owned();
            settings.track_files.then(|| {
                quote!(
                    const _: &[u8] = ::core::include_bytes!(#path);
                )
            })
        });
    let code = emit::schema(&schema, settings, &tracked);
    Expansion {
        tokens: quote!(#( #common_tracks )* #code),
        diagnostics,
    }
}

/// `#[derive(Endpoint)]`: one endpoint file, its module next to the marker `marker`.
pub fn expand_file(file: &str, marker: &proc_macro2::Ident, settings: &Settings) -> Expansion {
    let source = match load::load_file(&settings.base_dir.join(file), file) {
        Ok(source) => source,
        Err(d) => {
            return Expansion {
                tokens: TokenStream::new(),
                diagnostics: vec![d],
            }
        }
    };
    let files = [source];
    let (schema, diagnostics) = analyze(&files, false);
    let tracked = tracked_paths(&files, settings);
    let tokens = schema
        .endpoints
        .iter()
        .map(|ep| {
            emit::endpoint_module(
                ep,
                &emit::common_for(&schema, settings),
                settings,
                emit::Marker::Outside(marker),
                tracked.get(&ep.file),
            )
        })
        .collect();
    Expansion {
        tokens,
        diagnostics,
    }
}

/// The code `include_schema!` generates for `dir`, formatted for reading (goldens, `tim codegen`).
#[cfg(feature = "format")]
pub fn generate_formatted(
    dir: &std::path::Path,
    settings: &Settings,
) -> Result<String, Diagnostics> {
    let shown = dir.to_string_lossy().into_owned();
    let mut settings = settings.clone();
    settings.base_dir = PathBuf::from(".");
    let expansion = expand_dir(&shown, &settings);
    if !expansion.diagnostics.is_empty() {
        return Err(expansion.diagnostics);
    }
    let file: syn::File = syn::parse2(expansion.tokens).map_err(|e| {
        vec![Diagnostic::new(
            shown.clone(),
            "",
            format!("generated code does not parse: {e}"),
        )]
    })?;
    Ok(prettyplease::unparse(&file))
}
