//! Reading a record that carries its key beside the command's own item fields
//! (`{"From_Account": "a", "To_Account": "b", ...}`) as a key and a generated item, in one
//! pass over the object.
//!
//! `#[serde(flatten)]` would buffer every field of every line before handing them to the
//! item, and its errors lose the field they are in (`invalid value: integer -1` instead of
//! `AddTime: invalid value ...`). Here the item reads the object itself; the key's field is
//! taken out of its way as it goes by. Fields the item does not have reach it as ignored
//! values, which the caller's `serde_ignored` sees and refuses.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// Reads an object as the string field `name` and a `T` of its other fields.
pub fn deserialize_keyed<'de, D, T>(
    deserializer: D,
    name: &'static str,
) -> Result<(String, T), D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut key = None;
    let item = T::deserialize(Keyed {
        inner: deserializer,
        name,
        key: &mut key,
    })?;
    match key {
        Some(key) => Ok((key, item)),
        None => Err(de::Error::missing_field(name)),
    }
}

/// A deserializer that reads the object of `inner` for the item, holding `name` back.
struct Keyed<'k, D> {
    inner: D,
    name: &'static str,
    key: &'k mut Option<String>,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Keyed<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(KeyedVisitor {
            visitor,
            name: self.name,
            key: self.key,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct KeyedVisitor<'k, V> {
    visitor: V,
    name: &'static str,
    key: &'k mut Option<String>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyedVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(HoldBack {
            map,
            name: self.name,
            key: self.key,
        })
    }
}

/// The object's fields, without `name`, whose value goes to `key`.
struct HoldBack<'k, A> {
    map: A,
    name: &'static str,
    key: &'k mut Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for HoldBack<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            match self.map.next_key::<Field<'de>>()? {
                None => return Ok(None),
                Some(field) if field.as_str() == self.name => {
                    if self.key.is_some() {
                        return Err(de::Error::duplicate_field(self.name));
                    }
                    *self.key = Some(self.map.next_value()?);
                }
                Some(Field::Borrowed(field)) => {
                    return seed
                        .deserialize(BorrowedStrDeserializer::<A::Error>::new(field))
                        .map(Some)
                }
                Some(Field::Owned(field)) => {
                    return seed
                        .deserialize(StringDeserializer::<A::Error>::new(field))
                        .map(Some)
                }
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A field name: borrowed from the input when it has no escapes (nearly always), so reading
/// it costs no allocation.
enum Field<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Field<'_> {
    fn as_str(&self) -> &str {
        match self {
            Field::Borrowed(s) => s,
            Field::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Field<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = Field<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Field<'de>, E> {
                Ok(Field::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field<'de>, E> {
                Ok(Field::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Field<'de>, E> {
                Ok(Field::Owned(v))
            }
        }
        deserializer.deserialize_str(FieldVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        #[serde(rename = "To_Account")]
        to: String,
        #[serde(rename = "AddTime", default)]
        add_time: Option<u64>,
    }

    fn keyed(text: &str) -> Result<(String, Item), String> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))
            .map(|w: Wrapped| w.0)
    }

    struct Wrapped((String, Item));

    impl<'de> Deserialize<'de> for Wrapped {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_keyed(d, "From_Account").map(Wrapped)
        }
    }

    #[test]
    fn the_key_anywhere_in_the_object_and_errors_keep_their_field() {
        let expected = (
            "a".to_owned(),
            Item {
                to: "b".into(),
                add_time: Some(5),
            },
        );
        assert_eq!(
            keyed(r#"{"To_Account":"b","From_Account":"a","AddTime":5}"#).unwrap(),
            expected
        );
        assert_eq!(
            keyed(r#"{"From_Account":"a","To_Account":"b","AddTime":5}"#).unwrap(),
            expected
        );
        let err = keyed(r#"{"From_Account":"a","To_Account":"b","AddTime":-1}"#).unwrap_err();
        assert!(err.starts_with("AddTime: invalid value"), "{err}");
        let err = keyed(r#"{"To_Account":"b"}"#).unwrap_err();
        assert!(err.contains("missing field `From_Account`"), "{err}");
        let err = keyed(r#"{"From_Account":"a","From_Account":"a","To_Account":"b"}"#).unwrap_err();
        assert!(err.contains("duplicate field `From_Account`"), "{err}");
    }
}
