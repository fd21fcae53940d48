//! Client-side validation: rules from the schema, checked before a request is sent.
//!
//! A valid request is checked without allocating: the JSON path of a value is a chain of
//! borrowed [`Path`] links on the stack, rendered to text only when a rule fails.

mod charset;
mod groups;
mod json_size;
mod path;
#[doc(hidden)]
pub mod private;
mod violation;

pub use charset::CharSet;
pub use groups::{Presence, WireScalar};
pub use path::Path;
pub use violation::{Rule, ValidationError, Violation};

/// A value whose fields carry rules, such as a generated `Request`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no rules of its own to check",
    label = "`nested` on a value of type `{Self}`",
    note = "`nested` checks a value whose type implements Validate: add #[derive(Validate)] to it, or remove `nested`"
)]
///
/// `#[derive(Validate)]` implements it from `#[validate(...)]` field attributes.
pub trait Validate {
    /// Checks every rule and reports every violation at once, each with its JSON path.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_at(&Path::Root, &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(violations))
        }
    }

    /// Checks this value found at `path`, pushing what fails onto `out`.
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>);
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out)
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out)
    }
}
