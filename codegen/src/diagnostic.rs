//! Schema errors as a user sees them: `file:line:col`, the semantic path, what is wrong, a hint.

use std::fmt;

/// One problem found in a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the invoking crate (`schema/sns/friend_import.json`).
    pub file: String,
    /// 1-based line and column of the offending JSON value, when known.
    pub position: Option<(usize, usize)>,
    /// Where in the document: `request.fields[3].rules.max_bytes`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem in `file` at the semantic `path`; locate it with [`Diagnostic::at`].
    pub fn new(
        file: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            position: None,
            path: path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// Sets the line and column.
    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        self.position = position;
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Problems collected across stages and files, reported together.
pub type Diagnostics = Vec<Diagnostic>;

/// Where a checker's problems go: a schema file, which locates each in its JSON text, or a
/// derive, which points at the attribute that says it. The checkers name the place by its
/// semantic path (`rules.pattern.chars`) and leave the rest to the front end.
pub(crate) trait Report {
    fn error(&mut self, at: &crate::parse::SemPath, message: String, hint: String);
}
