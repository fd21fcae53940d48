//! Reading an input line's object strictly, in one pass: a field the record does not have is
//! an error (`unknown field `Remarks``: a misspelt optional field would otherwise be dropped
//! without a word), and a record that carries its key beside the command's own item fields
//! (`{"From_Account": "a", "To_Account": "b", ...}`) is read as the key and the generated
//! item.
//!
//! `#[serde(flatten)]` would buffer every field of every line before handing them to the
//! item, and its errors lose the field they are in (`invalid value: integer -1` instead of
//! `AddTime: invalid value ...`). Here the item reads the object itself; the key's field is
//! taken out of its way as it goes by, and a field the item passes over (a derived struct
//! reads an unknown field's value as `IgnoredAny`) is refused. Only the object's own fields
//! are checked, not those of objects inside it: checking every depth (`serde_ignored`) keeps
//! each field name it passes, which doubled the client's CPU per friend_import batch.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// Reads an object as the string field `name` and a `T` of its other fields, refusing
/// fields `T` does not have.
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
        name: Some(name),
        key: &mut key,
    })?;
    match key {
        Some(key) => Ok((key, item)),
        None => Err(de::Error::missing_field(name)),
    }
}

/// Reads a `T`, refusing fields of its object that `T` does not have.
pub fn deserialize_strict<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(Keyed {
        inner: deserializer,
        name: None,
        key: &mut None,
    })
}

/// A deserializer that reads the object of `inner` for the item, holding `name` back.
struct Keyed<'k, D> {
    inner: D,
    name: Option<&'static str>,
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
    name: Option<&'static str>,
    key: &'k mut Option<String>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyedVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name {
            Some(name) => write!(f, "an object with {name}"),
            None => f.write_str("an object"),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(HoldBack {
            map,
            name: self.name,
            key: self.key,
            last: None,
        })
    }
}

/// The object's fields, without `name`, whose value goes to `key`.
struct HoldBack<'k, 'de, A> {
    map: A,
    name: Option<&'static str>,
    key: &'k mut Option<String>,
    /// The field whose value comes next.
    last: Option<Field<'de>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for HoldBack<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            match self.map.next_key::<Field<'de>>()? {
                None => return Ok(None),
                Some(field) if Some(field.as_str()) == self.name => {
                    if self.key.is_some() {
                        return Err(de::Error::duplicate_field(self.name.unwrap_or_default()));
                    }
                    *self.key = Some(self.map.next_value()?);
                }
                Some(Field::Borrowed(field)) => {
                    self.last = Some(Field::Borrowed(field));
                    return seed
                        .deserialize(BorrowedStrDeserializer::<A::Error>::new(field))
                        .map(Some);
                }
                Some(Field::Owned(field)) => {
                    self.last = Some(Field::Owned(field.clone()));
                    return seed
                        .deserialize(StringDeserializer::<A::Error>::new(field))
                        .map(Some);
                }
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let field = self.last.as_ref().map_or("", Field::as_str);
        self.map.next_value_seed(Refuse { seed, field })
    }
}

/// A field's value, as `seed` reads it, unless `seed` passes it over (the field is not one of
/// the record's).
struct Refuse<'f, S> {
    seed: S,
    field: &'f str,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Refuse<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(RefuseIgnored {
            inner: deserializer,
            field: self.field,
        })
    }
}

/// `inner`, but an error where a value would be passed over.
struct RefuseIgnored<'f, D> {
    inner: D,
    field: &'f str,
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method($($arg,)* visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for RefuseIgnored<'_, D> {
    type Error = D::Error;

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, D::Error> {
        Err(de::Error::custom(format_args!(
            "unknown field `{}`",
            self.field
        )))
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }

    forward! {
        deserialize_any(), deserialize_bool(), deserialize_i8(), deserialize_i16(),
        deserialize_i32(), deserialize_i64(), deserialize_i128(), deserialize_u8(),
        deserialize_u16(), deserialize_u32(), deserialize_u64(), deserialize_u128(),
        deserialize_f32(), deserialize_f64(), deserialize_char(), deserialize_str(),
        deserialize_string(), deserialize_bytes(), deserialize_byte_buf(),
        deserialize_option(), deserialize_unit(), deserialize_seq(), deserialize_map(),
        deserialize_identifier(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
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
