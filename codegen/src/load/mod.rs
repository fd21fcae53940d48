//! Stage 1: read schema files from disk. Never panics; a missing or unreadable file is a
//! diagnostic like any other.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};

/// What a file holds, decided by where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// One endpoint (`sns/friend_import.json`).
    Endpoint,
    /// The shared catalog of error codes (`common/errors.json`).
    CommonErrors,
    /// The shared query parameters and reply fields (`common/envelope.json`).
    CommonEnvelope,
    /// Named types any endpoint may use (`common/types/message.json`).
    CommonTypes,
}

/// A schema file read into memory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in diagnostics, relative to the invoking crate.
    pub display_path: String,
    /// The absolute path, for rebuild tracking; `None` for catalogs built into the generator.
    pub abs_path: Option<PathBuf>,
    /// The contents.
    pub text: String,
    /// What the file holds.
    pub kind: FileKind,
}

/// tim-rest's own shared types, by file name under `schema/common/types/` (a test keeps this
/// list and the directory the same).
pub const BUILTIN_TYPES: &[(&str, &str)] = &[
    (
        "avtopics.json",
        include_str!("../../schema-common/types/avtopics.json"),
    ),
    (
        "contacts.json",
        include_str!("../../schema-common/types/contacts.json"),
    ),
    (
        "group.json",
        include_str!("../../schema-common/types/group.json"),
    ),
    (
        "groupext.json",
        include_str!("../../schema-common/types/groupext.json"),
    ),
    (
        "groups.json",
        include_str!("../../schema-common/types/groups.json"),
    ),
    (
        "members.json",
        include_str!("../../schema-common/types/members.json"),
    ),
    (
        "message.json",
        include_str!("../../schema-common/types/message.json"),
    ),
    (
        "messages.json",
        include_str!("../../schema-common/types/messages.json"),
    ),
    (
        "moderation.json",
        include_str!("../../schema-common/types/moderation.json"),
    ),
    (
        "official.json",
        include_str!("../../schema-common/types/official.json"),
    ),
    (
        "profile.json",
        include_str!("../../schema-common/types/profile.json"),
    ),
    (
        "settings.json",
        include_str!("../../schema-common/types/settings.json"),
    ),
    (
        "sns.json",
        include_str!("../../schema-common/types/sns.json"),
    ),
];

/// The common files built into the generator, used when a schema directory has no `common/`
/// of its own (and always by `#[derive(Endpoint)]` on a single file). The shared types come
/// last, in file name order.
pub fn builtin_common() -> Vec<SourceFile> {
    let types = BUILTIN_TYPES.iter().map(|(name, text)| SourceFile {
        display_path: format!("<tim-rest>/schema/common/types/{name}"),
        abs_path: None,
        text: (*text).into(),
        kind: FileKind::CommonTypes,
    });
    let files = vec![
        SourceFile {
            display_path: "<tim-rest>/schema/common/errors.json".into(),
            abs_path: None,
            text: include_str!("../../schema-common/errors.json").into(),
            kind: FileKind::CommonErrors,
        },
        SourceFile {
            display_path: "<tim-rest>/schema/common/envelope.json".into(),
            abs_path: None,
            text: include_str!("../../schema-common/envelope.json").into(),
            kind: FileKind::CommonEnvelope,
        },
    ];
    files.into_iter().chain(types).collect()
}

/// Reads every schema of the directory `shown` (as the user wrote it), found at `dir`.
///
/// Files are read in sorted order so the output does not depend on the file system. Files under
/// `common/` are the shared parts; JSON Schema files (`*.schema.json`) and non-JSON files are
/// skipped.
pub fn load_dir(dir: &Path, shown: &str) -> Result<Vec<SourceFile>, Diagnostics> {
    let mut diagnostics = Vec::new();
    if !dir.is_dir() {
        let what = if dir.exists() {
            "is not a directory"
        } else {
            "does not exist"
        };
        return Err(vec![Diagnostic::new(
            shown,
            "",
            format!("schema directory {what}"),
        )
        .hint(format!(
            "paths are relative to the crate's Cargo.toml; looked at {}",
            dir.display()
        ))]);
    }
    let mut files = Vec::new();
    walk(dir, dir, shown, &mut files, &mut diagnostics);
    if files.iter().all(|f| f.kind != FileKind::Endpoint) && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::new(shown, "", "no endpoint schema found")
                .hint("add one JSON file per endpoint, such as `sns/friend_import.json`"),
        );
    }
    if diagnostics.is_empty() {
        Ok(files)
    } else {
        Err(diagnostics)
    }
}

fn walk(root: &Path, dir: &Path, shown: &str, out: &mut Vec<SourceFile>, diags: &mut Diagnostics) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(Diagnostic::new(
                display(root, dir, shown),
                "",
                format!("cannot read directory: {e}"),
            ));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries {
        match entry.and_then(|e| Ok((e.path(), e.file_type()?))) {
            // Symbolic links to directories are not followed: a loop would never end.
            Ok((path, kind)) => paths.push((path, kind.is_dir())),
            Err(e) => diags.push(Diagnostic::new(
                display(root, dir, shown),
                "",
                format!("cannot read a directory entry: {e}"),
            )),
        }
    }
    paths.sort();
    for (path, is_dir) in paths {
        if is_dir {
            walk(root, &path, shown, out, diags);
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !name.ends_with(".json") || name.ends_with(".schema.json") {
            continue;
        }
        let shown_path = display(root, &path, shown);
        // Compared by components, so `common\errors.json` on Windows is the same file.
        let rel: Vec<String> = path
            .strip_prefix(root)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let rel: Vec<&str> = rel.iter().map(String::as_str).collect();
        let kind = match rel.as_slice() {
            ["common", "errors.json"] => FileKind::CommonErrors,
            ["common", "envelope.json"] => FileKind::CommonEnvelope,
            ["common", "types", _] => FileKind::CommonTypes,
            ["common", ..] => {
                diags.push(
                    Diagnostic::new(shown_path, "", "unknown file in common/")
                        .hint("common/ holds errors.json, envelope.json and types/<topic>.json; put endpoints in a service folder such as sns/"),
                );
                continue;
            }
            _ => FileKind::Endpoint,
        };
        match read(&path, shown_path, kind) {
            Ok(file) => out.push(file),
            Err(d) => diags.push(d),
        }
    }
}

/// Reads one endpoint schema file.
pub fn load_file(path: &Path, shown: &str) -> Result<SourceFile, Diagnostic> {
    read(path, shown.to_owned(), FileKind::Endpoint)
}

fn read(path: &Path, shown: String, kind: FileKind) -> Result<SourceFile, Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(SourceFile {
            display_path: shown,
            abs_path: Some(path.canonicalize().unwrap_or_else(|_| path.to_path_buf())),
            text,
            kind,
        }),
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "paths are relative to the crate's Cargo.toml; looked at {}",
                    path.display()
                )
            } else {
                "schema files must be readable UTF-8 JSON".to_owned()
            };
            Err(Diagnostic::new(
                shown,
                "",
                format!("cannot read schema file: {}", io_reason(&e)),
            )
            .hint(hint))
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::InvalidData => "not valid UTF-8".to_owned(),
        _ => e.to_string(),
    }
}

fn display(root: &Path, path: &Path, shown: &str) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel.to_string_lossy().replace('\\', "/");
    if rel.is_empty() {
        shown.to_owned()
    } else {
        format!("{}/{rel}", shown.trim_end_matches('/'))
    }
}
