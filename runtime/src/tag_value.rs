use std::fmt;

/// The value of a tag/value pair the service reads back (`friend_get`, `friend_get_list`): a
/// string, an unsigned integer (`Tag_SNS_IM_AddTime`), or an array of strings
/// (`Tag_SNS_IM_Group`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TagValue {
    /// A JSON string.
    String(String),
    /// A JSON non-negative integer.
    Integer(u64),
    /// A JSON array of strings.
    Strings(Vec<String>),
}

impl TagValue {
    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            TagValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is an integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            TagValue::Integer(n) => Some(*n),
            _ => None,
        }
    }

    /// The strings, if this is an array.
    pub fn as_strings(&self) -> Option<&[String]> {
        match self {
            TagValue::Strings(v) => Some(v),
            _ => None,
        }
    }
}

impl From<String> for TagValue {
    fn from(s: String) -> Self {
        TagValue::String(s)
    }
}

impl From<&str> for TagValue {
    fn from(s: &str) -> Self {
        TagValue::String(s.to_owned())
    }
}

impl From<u64> for TagValue {
    fn from(n: u64) -> Self {
        TagValue::Integer(n)
    }
}

impl From<Vec<String>> for TagValue {
    fn from(v: Vec<String>) -> Self {
        TagValue::Strings(v)
    }
}

impl crate::validate::private::TextValue for TagValue {
    #[inline]
    fn text(&self) -> Option<&str> {
        self.as_str()
    }
}

impl crate::validate::private::IntValue for TagValue {
    type Bound = u64;
    #[inline]
    fn wide(&self) -> Option<i128> {
        match self {
            TagValue::Integer(n) => Some(i128::from(*n)),
            _ => None,
        }
    }
    #[inline]
    fn widen(bound: u64) -> i128 {
        i128::from(bound)
    }
}

impl serde::Serialize for TagValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TagValue::String(v) => s.serialize_str(v),
            TagValue::Integer(n) => s.serialize_u64(*n),
            TagValue::Strings(v) => serde::Serialize::serialize(v, s),
        }
    }
}

impl<'de> serde::Deserialize<'de> for TagValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TagValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a non-negative integer, or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TagValue, E> {
                Ok(TagValue::String(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<TagValue, E> {
                Ok(TagValue::String(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<TagValue, E> {
                Ok(TagValue::Integer(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<TagValue, E> {
                u64::try_from(v)
                    .map(TagValue::Integer)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<TagValue, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(TagValue::Strings(items))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::TagValue;

    #[test]
    fn decodes_each_shape() {
        let v: Vec<TagValue> = serde_json::from_str(r#"["a", 7, ["x", "y"]]"#).unwrap();
        assert_eq!(
            v,
            [
                TagValue::from("a"),
                TagValue::Integer(7),
                TagValue::Strings(vec!["x".into(), "y".into()])
            ]
        );
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"["a",7,["x","y"]]"#);
        assert!(serde_json::from_str::<TagValue>("-1").is_err());
        assert!(serde_json::from_str::<TagValue>("[1]").is_err());
    }
}
