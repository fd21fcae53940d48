//! The common files, each checked on its own: the error catalog, the envelope and the shared
//! types depend on no endpoint, so a checked part can serve every expansion that uses the same
//! file (the built-in ones are checked once per process, `crate::builtin`).

use super::{errors, fields, types, FileCtx, Sides};
use crate::diagnostic::Diagnostics;
use crate::load::SourceFile;
use crate::model::{ErrorCode, Field, QueryDoc, TypeDef};
use crate::parse::raw::{RawCommonErrors, RawEnvelope, RawTypesFile};
use crate::parse::SemPath;

/// `common/errors.json`, checked.
pub(crate) struct CheckedErrors {
    pub(crate) codes: Vec<ErrorCode>,
    pub(crate) doc: Option<String>,
    pub(crate) diagnostics: Diagnostics,
}

impl CheckedErrors {
    pub(crate) fn new(file: &SourceFile, raw: &RawCommonErrors) -> Self {
        let mut ctx = FileCtx::new(file);
        let codes = errors::check_codes(&mut ctx, &SemPath::root().key("errors"), &raw.errors, &[]);
        CheckedErrors {
            codes,
            doc: raw.doc.clone(),
            diagnostics: ctx.diagnostics,
        }
    }

    /// The catalog of a file that did not parse: no codes, and no problems beyond its own.
    pub(crate) fn new_empty() -> Self {
        CheckedErrors {
            codes: Vec::new(),
            doc: None,
            diagnostics: Vec::new(),
        }
    }
}

/// `common/envelope.json`, checked.
pub(crate) struct CheckedEnvelope {
    pub(crate) fields: Vec<Field>,
    pub(crate) query: Vec<QueryDoc>,
    pub(crate) diagnostics: Diagnostics,
}

impl CheckedEnvelope {
    pub(crate) fn new(file: &SourceFile, raw: &RawEnvelope) -> Self {
        let mut ctx = FileCtx::new(file);
        let fields = fields::check_envelope(&mut ctx, raw);
        let query = raw
            .query
            .iter()
            .map(|q| QueryDoc {
                name: q.name.clone(),
                doc: q.doc.clone(),
            })
            .collect();
        CheckedEnvelope {
            fields,
            query,
            diagnostics: ctx.diagnostics,
        }
    }
}

/// The files of `common/types/`, checked together (they are one namespace). The table borrows
/// the parsed files, which endpoints resolve their references against.
pub(crate) struct CheckedShared<'r> {
    pub(crate) table: types::SharedTable<'r>,
    pub(crate) types: Vec<TypeDef>,
    pub(crate) diagnostics: Diagnostics,
}

impl<'r> CheckedShared<'r> {
    pub(crate) fn new(files: &'r [(&'r SourceFile, RawTypesFile)]) -> Self {
        let mut diagnostics = Vec::new();
        let table = types::SharedTable::new(files, &mut diagnostics);
        let mut defs = Vec::new();
        for (file, raw) in files {
            let mut ctx = FileCtx::new(file);
            let file_table = types::TypeTable::for_shared(&raw.types, &table);
            file_table.check_cycles(&mut ctx);
            defs.extend(file_table.finish(&mut ctx, &Sides::new()));
            diagnostics.append(&mut ctx.diagnostics);
        }
        types::settle_eq(&mut defs, &[]);
        CheckedShared {
            table,
            types: defs,
            diagnostics,
        }
    }
}
