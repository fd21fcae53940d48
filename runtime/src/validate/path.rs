use std::fmt;

/// Where a value sits in the JSON document, as a chain of borrowed links.
///
/// Renders as `AddFriendItem[2].AddSource`; the root renders as `$`.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The document itself.
    Root,
    /// A member of an object, by wire name.
    Field(&'a Path<'a>, &'static str),
    /// An element of an array.
    Index(&'a Path<'a>, usize),
    /// An entry of a map, by its key.
    Key(&'a Path<'a>, &'a str),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("$"),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) if is_plain(key) => match parent {
                Path::Root => f.write_str(key),
                _ => write!(f, "{parent}.{key}"),
            },
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// A key that reads unambiguously after a `.`.
fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
