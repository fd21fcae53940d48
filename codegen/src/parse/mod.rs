//! Stage 2: JSON text to the raw model. Errors carry `file:line:col` and the semantic path.

mod locate;
mod ordered;
pub mod raw;

pub use locate::{locate, Seg, SemPath};

use serde::de::DeserializeOwned;

use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;

/// Parses `file` as `T`, turning serde's first complaint into a located diagnostic.
pub fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    let mut de = serde_json::Deserializer::from_str(&file.text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        diagnostic(
            file,
            if path == "." { String::new() } else { path },
            err.inner(),
        )
    })?;
    // Text after the document is an error too.
    de.end().map_err(|e| diagnostic(file, String::new(), &e))?;
    Ok(value)
}

fn diagnostic(file: &SourceFile, path: String, inner: &serde_json::Error) -> Diagnostic {
    let message = strip_position(&inner.to_string());
    let position = (inner.line() > 0).then(|| position(&file.text, inner.line(), inner.column()));
    let diagnostic = Diagnostic::new(&file.display_path, path, message.clone()).at(position);
    match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            diagnostic.hint("schema files are plain JSON: no comments, no trailing commas")
        }
        _ if message.starts_with("unknown field") => {
            diagnostic.hint("schema/README.md lists every key the format accepts")
        }
        _ if message.starts_with("missing field") => {
            diagnostic.hint("schema/README.md lists the keys each object requires")
        }
        _ if message.starts_with("unknown variant") => {
            diagnostic.hint("schema/README.md lists the values this key accepts")
        }
        _ => diagnostic,
    }
}

/// serde_json's 1-based line and column, except that it reports an error at a newline (a raw
/// line break inside a string) as column 0 of the next line: that newline ends the line
/// before, so it is shown there, one past the line's last byte. Column 0 of line 1 (nothing
/// read yet, as in an empty file) is column 1.
fn position(text: &str, line: usize, column: usize) -> (usize, usize) {
    if column > 0 || line < 2 {
        return (line, column.max(1));
    }
    let before = text.split('\n').nth(line - 2).map_or(0, str::len);
    (line - 1, before + 1)
}

/// serde_json appends " at line L column C"; the diagnostic shows the position itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message.to_owned(),
    }
}
