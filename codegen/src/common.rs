//! The common parts an expansion checks its endpoints against: the directory's own files, or
//! the built-in copies. The built-in ones are parsed and checked once per process and shared by
//! every expansion after it: a crate's derives, `tim` and the fuzz targets call `analyze` many
//! times, and checking the built-in shared types was most of the work of a one-file expansion.

use std::sync::OnceLock;

use crate::check::common::{CheckedEnvelope, CheckedErrors, CheckedShared};
use crate::diagnostic::Diagnostics;
use crate::load::{self, FileKind, SourceFile};
use crate::parse::{self, raw};

/// The built-in common files, parsed and checked.
pub(crate) struct Builtin {
    pub(crate) errors: CheckedErrors,
    pub(crate) envelope: Option<CheckedEnvelope>,
    pub(crate) shared: CheckedShared<'static>,
    /// Problems parsing the built-in files. There are none (`a_sound_endpoint_has_no_diagnostics`, in `tests/check.rs`, pins it); a
    /// broken copy would be reported with every expansion that uses it, never panicked on.
    pub(crate) parse_diagnostics: Diagnostics,
}

/// The built-in common files, parsed and checked on first use.
pub(crate) fn builtin() -> &'static Builtin {
    static FILES: OnceLock<Vec<SourceFile>> = OnceLock::new();
    static TYPES: OnceLock<(Vec<(&'static SourceFile, raw::RawTypesFile)>, Diagnostics)> =
        OnceLock::new();
    static BUILTIN: OnceLock<Builtin> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let files = FILES.get_or_init(load::builtin_common);
        let of_kind = |kind: FileKind| files.iter().filter(move |f| f.kind == kind);
        let mut parse_diagnostics = Vec::new();
        let errors = of_kind(FileKind::CommonErrors)
            .next()
            .map(|f| errors(f, &mut parse_diagnostics));
        let envelope = of_kind(FileKind::CommonEnvelope)
            .next()
            .and_then(|f| envelope(f, &mut parse_diagnostics));
        let (types, types_diagnostics) = TYPES.get_or_init(|| {
            let mut diagnostics = Vec::new();
            let parsed = types(of_kind(FileKind::CommonTypes), &mut diagnostics);
            (parsed, diagnostics)
        });
        parse_diagnostics.extend_from_slice(types_diagnostics);
        Builtin {
            errors: errors.unwrap_or_else(CheckedErrors::new_empty),
            envelope,
            shared: CheckedShared::new(types),
            parse_diagnostics,
        }
    })
}

/// Parses and checks an error catalog; one that does not parse is reported and read as empty,
/// so the endpoints are still checked.
pub(crate) fn errors(file: &SourceFile, diagnostics: &mut Diagnostics) -> CheckedErrors {
    match parse::parse::<raw::RawCommonErrors>(file) {
        Ok(raw) => CheckedErrors::new(file, &raw),
        Err(d) => {
            diagnostics.push(d);
            CheckedErrors::new_empty()
        }
    }
}

/// Parses and checks an envelope; without one that parses, no endpoint can be checked.
pub(crate) fn envelope(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<CheckedEnvelope> {
    parse::parse::<raw::RawEnvelope>(file)
        .map(|raw| CheckedEnvelope::new(file, &raw))
        .map_err(|d| diagnostics.push(d))
        .ok()
}

/// Parses the files of `common/types/`; a file that does not parse is reported and left out.
pub(crate) fn types<'f>(
    files: impl Iterator<Item = &'f SourceFile>,
    diagnostics: &mut Diagnostics,
) -> Vec<(&'f SourceFile, raw::RawTypesFile)> {
    files
        .filter_map(|file| {
            parse::parse(file)
                .map(|raw| (file, raw))
                .map_err(|d| diagnostics.push(d))
                .ok()
        })
        .collect()
}
