//! An OpenAPI 3.1 document of a schema directory: a stage beside [`crate::emit`] that reads the
//! same checked model, so the document says what the generated Rust says.
//!
//! One file per job: `document` assembles, `paths` writes an operation per
//! endpoint, `schemas` the JSON Schemas of types and bodies, `rules` (the one place) a format
//! rule's keywords, `groups` the rules between fields, `errors` the codes, `paging` the
//! pagination extension, `components` the names.

mod components;
mod document;
mod errors;
mod groups;
mod paging;
mod paths;
mod rules;
mod schemas;

use std::path::Path;

use serde_json::Value;

use crate::model::Schema;
use crate::{load, Diagnostics};

/// A base URL the document lists under `servers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// `https://console.tim.qq.com`.
    pub url: String,
    /// `China`.
    pub description: String,
}

/// The OpenAPI 3.1 document of a checked schema.
pub fn document(schema: &Schema, servers: &[Server]) -> Value {
    document::document(schema, servers)
}

/// Loads and checks the schema directory `dir` as `tim codegen` does, and exports it; a bad
/// schema gives the same located diagnostics.
pub fn export_dir(dir: &Path, servers: &[Server]) -> Result<Value, Diagnostics> {
    let shown = dir.to_string_lossy().into_owned();
    let files = load::load_dir(dir, &shown)?;
    let (schema, diagnostics) = crate::analyze(&files, true);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(document(&schema, servers))
}
