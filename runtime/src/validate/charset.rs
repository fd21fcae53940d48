use std::fmt;

/// A set of ASCII characters written as ranges and single characters, such as `A-Za-z0-9_`.
///
/// Built in a `const` so a generated rule costs one bit test per byte.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CharSet {
    bits: u128,
    source: &'static str,
}

impl CharSet {
    /// Parses `spec`; panics (at compile time when used in a `const`) on a non-ASCII character,
    /// a reversed range or an empty spec. Schemas are checked for this before code is emitted.
    pub const fn new(spec: &'static str) -> CharSet {
        match CharSet::parse(spec) {
            Ok(set) => set,
            Err(_) => panic!("invalid character set"),
        }
    }

    /// Parses `spec`, explaining what is wrong with it.
    pub const fn parse(spec: &'static str) -> Result<CharSet, &'static str> {
        let bytes = spec.as_bytes();
        if bytes.is_empty() {
            return Err("the character set is empty");
        }
        let mut bits = 0u128;
        let mut i = 0;
        while i < bytes.len() {
            let start = bytes[i];
            if start >= 128 {
                return Err("only ASCII characters are supported");
            }
            // `a-z` is a range; a `-` first, last, or right after a range stands for itself.
            if i + 2 < bytes.len() && bytes[i + 1] == b'-' {
                let end = bytes[i + 2];
                if end >= 128 {
                    return Err("only ASCII characters are supported");
                }
                if end < start {
                    return Err("a range ends before it starts");
                }
                let mut c = start;
                while c <= end {
                    bits |= 1u128 << c;
                    c += 1;
                }
                i += 3;
            } else {
                bits |= 1u128 << start;
                i += 1;
            }
        }
        Ok(CharSet { bits, source: spec })
    }

    /// Whether `c` is in the set.
    #[inline]
    pub fn contains(&self, c: char) -> bool {
        (c as u32) < 128 && self.bits & (1u128 << c as u32) != 0
    }

    /// Whether every byte of `s` is in the set (non-ASCII bytes never are).
    #[inline]
    pub fn matches_all(&self, s: &str) -> bool {
        s.bytes().all(|b| b < 128 && self.bits & (1u128 << b) != 0)
    }

    /// The spec it was built from.
    pub fn as_str(&self) -> &'static str {
        self.source
    }
}

impl fmt::Debug for CharSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CharSet([{}])", self.source)
    }
}

impl fmt::Display for CharSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::CharSet;

    #[test]
    fn ranges_and_literals() {
        const SET: CharSet = CharSet::new("A-Za-z0-9_");
        assert!(SET.matches_all("Tag_SNS_Custom_Level9"));
        assert!(!SET.matches_all("Tag-SNS"));
        assert!(!SET.matches_all("朋友"));
        assert!(SET.contains('_') && !SET.contains(' '));
    }

    #[test]
    fn dash_at_the_edges_is_literal() {
        let set = CharSet::parse("-a-c-").unwrap();
        assert!(set.matches_all("-abc-"));
        assert!(!set.matches_all("d"));
    }

    #[test]
    fn rejects_bad_specs() {
        assert!(CharSet::parse("").is_err());
        assert!(CharSet::parse("z-a").is_err());
        assert!(CharSet::parse("é").is_err());
    }
}
