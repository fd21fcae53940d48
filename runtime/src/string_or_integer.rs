use std::fmt;

/// A value the service takes as either a string or an unsigned integer, such as the `Value` of
/// a custom friend field.
///
/// Deserializes through a visitor that looks at the JSON token once, rather than serde's
/// `untagged`, which buffers every value before trying each variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StringOrInteger {
    /// A JSON string.
    String(String),
    /// A JSON non-negative integer.
    Integer(u64),
}

impl StringOrInteger {
    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            StringOrInteger::String(s) => Some(s),
            StringOrInteger::Integer(_) => None,
        }
    }

    /// The number, if this is an integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            StringOrInteger::String(_) => None,
            StringOrInteger::Integer(n) => Some(*n),
        }
    }
}

impl fmt::Display for StringOrInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StringOrInteger::String(s) => f.write_str(s),
            StringOrInteger::Integer(n) => write!(f, "{n}"),
        }
    }
}

impl From<String> for StringOrInteger {
    fn from(s: String) -> Self {
        StringOrInteger::String(s)
    }
}

impl From<&str> for StringOrInteger {
    fn from(s: &str) -> Self {
        StringOrInteger::String(s.to_owned())
    }
}

impl From<u64> for StringOrInteger {
    fn from(n: u64) -> Self {
        StringOrInteger::Integer(n)
    }
}

impl From<u32> for StringOrInteger {
    fn from(n: u32) -> Self {
        StringOrInteger::Integer(n.into())
    }
}

impl crate::validate::private::TextValue for StringOrInteger {
    #[inline]
    fn text(&self) -> Option<&str> {
        self.as_str()
    }
}

impl crate::validate::private::IntValue for StringOrInteger {
    type Bound = u64;
    #[inline]
    fn wide(&self) -> Option<i128> {
        match self {
            StringOrInteger::Integer(n) => Some(i128::from(*n)),
            _ => None,
        }
    }
    #[inline]
    fn widen(bound: u64) -> i128 {
        i128::from(bound)
    }
}

impl serde::Serialize for StringOrInteger {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StringOrInteger::String(v) => s.serialize_str(v),
            StringOrInteger::Integer(n) => s.serialize_u64(*n),
        }
    }
}

impl<'de> serde::Deserialize<'de> for StringOrInteger {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = StringOrInteger;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a non-negative integer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<StringOrInteger, E> {
                Ok(StringOrInteger::String(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<StringOrInteger, E> {
                Ok(StringOrInteger::String(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<StringOrInteger, E> {
                Ok(StringOrInteger::Integer(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<StringOrInteger, E> {
                u64::try_from(v)
                    .map(StringOrInteger::Integer)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
        }
        d.deserialize_any(Visitor)
    }
}
