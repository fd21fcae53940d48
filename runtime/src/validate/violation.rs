use std::fmt;

use super::CharSet;

/// A rule from the schema (or a `#[validate(...)]` attribute) that a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The string or array must not be empty.
    NonEmpty,
    /// At least this many UTF-8 bytes.
    MinBytes(usize),
    /// At most this many UTF-8 bytes.
    MaxBytes(usize),
    /// At least this many array items.
    MinItems(usize),
    /// At most this many array items.
    MaxItems(usize),
    /// An integer of at least this value. `i128` holds every bound of every integer field
    /// exactly, from `i64::MIN` to `u64::MAX`.
    Min(i128),
    /// An integer of at most this value.
    Max(i128),
    /// One of fixed prefixes, then `min..=max` characters from a set.
    Pattern {
        /// The texts the value may start with (one or more).
        prefixes: &'static [&'static str],
        /// The characters allowed after the prefix.
        chars: CharSet,
        /// Fewest characters after the prefix.
        min: usize,
        /// Most characters after the prefix, if bounded.
        max: Option<usize>,
    },
    /// Every character must come from the set.
    Charset(CharSet),
    /// One of the values the schema lists (an enum's, a tagged union's tags): a request may
    /// not send what the service was never documented to take.
    Listed,
    /// The value's JSON text must be at most this many bytes.
    MaxJsonBytes(usize),
    /// Exactly one of these fields (wire names) must be set.
    ExactlyOneOf(&'static [&'static str]),
    /// At most one of these fields (wire names) may be set.
    AtMostOneOf(&'static [&'static str]),
    /// The field must be set when another is set, or has a value (as JSON).
    RequiredWhen {
        /// The other field's wire name.
        other: &'static str,
        /// The value of the other field that requires this one; `None`: any.
        equals: Option<&'static str>,
    },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::NonEmpty => f.write_str("must not be empty"),
            Rule::MinBytes(n) => write!(f, "must be at least {n} bytes"),
            Rule::MaxBytes(n) => write!(f, "must be at most {n} bytes"),
            Rule::MinItems(n) => write!(f, "must have at least {n} items"),
            Rule::MaxItems(n) => write!(f, "must have at most {n} items"),
            Rule::Min(n) => write!(f, "must be at least {n}"),
            Rule::Max(n) => write!(f, "must be at most {n}"),
            Rule::Pattern {
                prefixes,
                chars,
                min,
                max,
            } => {
                match prefixes {
                    [one] => write!(f, "must be \"{one}\" followed by ")?,
                    _ => {
                        f.write_str("must be one of ")?;
                        for (i, p) in prefixes.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write!(f, "\"{p}\"")?;
                        }
                        f.write_str(" followed by ")?;
                    }
                }
                match max {
                    Some(max) if max == min => write!(f, "{min}")?,
                    Some(max) => write!(f, "{min} to {max}")?,
                    None => write!(f, "at least {min}")?,
                }
                write!(f, " of {chars}")
            }
            Rule::Charset(chars) => write!(f, "must use only {chars}"),
            Rule::Listed => f.write_str("must be one of the values the schema lists"),
            Rule::MaxJsonBytes(n) => write!(f, "must be at most {n} bytes of JSON"),
            Rule::ExactlyOneOf(fields) => {
                write!(f, "must set exactly one of {}", fields.join(", "))
            }
            Rule::AtMostOneOf(fields) => write!(f, "must set at most one of {}", fields.join(", ")),
            Rule::RequiredWhen {
                other,
                equals: None,
            } => write!(f, "is required when {other} is set"),
            Rule::RequiredWhen {
                other,
                equals: Some(v),
            } => write!(f, "is required when {other} is {v}"),
        }
    }
}

/// One broken rule: where, which rule, and the value found there (cut to a readable length).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON path of the value, such as `AddFriendItem[2].AddSource`.
    pub path: String,
    /// The rule it broke.
    pub rule: Rule,
    /// The offending value, as JSON, cut after 64 characters.
    pub value: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} (found {})", self.path, self.rule, self.value)
    }
}

/// Every rule a value broke, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// Wraps a non-empty list of violations.
    pub fn new(violations: Vec<Violation>) -> Self {
        debug_assert!(!violations.is_empty());
        ValidationError { violations }
    }

    /// The violations, in document order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Takes the violations out.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "invalid request: {n} violation{}",
            if n == 1 { "" } else { "s" }
        )?;
        for v in &self.violations {
            write!(f, "\n  - {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}
