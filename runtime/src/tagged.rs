//! Serde for the tagged unions generated from schemas (`{ "MsgType": "TIMTextElem",
//! "MsgContent": { .. } }`): the tag picks the content's type.
//!
//! Decoding reads the content straight into its type when the tag comes first, as the
//! service writes it; only a content that arrives before its tag is held as a
//! `serde_json::Value` until the tag says what it is.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// A generated tagged union: its two wire names, and how the content of each tag decodes.
pub trait Tagged: Sized {
    /// The tag's wire name (`MsgType`).
    const TAG: &'static str;
    /// The content's wire name (`MsgContent`).
    const CONTENT: &'static str;
    /// The type's name, for error messages.
    const NAME: &'static str;

    /// The value of tag `tag` whose content `content` holds (an unlisted tag keeps its
    /// content as it is).
    fn from_content<'de, D: Deserializer<'de>>(tag: &str, content: D) -> Result<Self, D::Error>;
}

/// Writes `{ tag_key: tag, content_key: content }`.
#[inline]
pub fn serialize_tagged<S: Serializer, C: Serialize + ?Sized>(
    serializer: S,
    tag_key: &'static str,
    tag: &str,
    content_key: &'static str,
    content: &C,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(2))?;
    map.serialize_entry(tag_key, tag)?;
    map.serialize_entry(content_key, content)?;
    map.end()
}

/// Reads a tagged union from a JSON object.
#[inline]
pub fn deserialize_tagged<'de, T: Tagged, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(TaggedVisitor(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<T>);

enum Key {
    Tag,
    Content,
    Other,
}

struct KeySeed<T>(PhantomData<T>);

impl<'de, T: Tagged> DeserializeSeed<'de> for KeySeed<T> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<T: Tagged> Visitor<'_> for KeySeed<T> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: Error>(self, key: &str) -> Result<Key, E> {
        Ok(if key == T::TAG {
            Key::Tag
        } else if key == T::CONTENT {
            Key::Content
        } else {
            Key::Other
        })
    }
}

/// A tag, borrowed from the input when it has no escapes.
struct TagText<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for TagText<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<TagText<'de>, E> {
                Ok(TagText(Cow::Borrowed(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<TagText<'de>, E> {
                Ok(TagText(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// The content of a known tag, read in place.
struct ContentSeed<'t, T>(&'t str, PhantomData<T>);

impl<'de, T: Tagged> DeserializeSeed<'de> for ContentSeed<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::from_content(self.0, d)
    }
}

impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} object with `{}` and `{}`",
            T::NAME,
            T::TAG,
            T::CONTENT
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut tag: Option<TagText<'de>> = None;
        let mut early: Option<serde_json::Value> = None;
        while let Some(key) = map.next_key_seed(KeySeed::<T>(PhantomData))? {
            match key {
                Key::Tag if tag.is_some() => return Err(A::Error::duplicate_field(T::TAG)),
                Key::Tag => tag = Some(map.next_value()?),
                Key::Content if early.is_some() => {
                    return Err(A::Error::duplicate_field(T::CONTENT))
                }
                Key::Content => match &tag {
                    Some(TagText(t)) => {
                        // Returned straight from here, never parked in an `Option`: an element
                        // is a few hundred bytes, and every move of it showed in the decoding
                        // benchmark.
                        let value = map.next_value_seed(ContentSeed::<T>(t, PhantomData))?;
                        finish::<T, A>(map)?;
                        return Ok(value);
                    }
                    None => early = Some(map.next_value()?),
                },
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let Some(TagText(tag)) = tag else {
            return Err(A::Error::missing_field(T::TAG));
        };
        match early {
            Some(content) => T::from_content(&tag, content).map_err(A::Error::custom),
            None => Err(A::Error::missing_field(T::CONTENT)),
        }
    }
}

/// The keys after the tag and the content: unknown ones are skipped, a repeat is an error.
fn finish<'de, T: Tagged, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while let Some(key) = map.next_key_seed(KeySeed::<T>(PhantomData))? {
        match key {
            Key::Tag => return Err(A::Error::duplicate_field(T::TAG)),
            Key::Content => return Err(A::Error::duplicate_field(T::CONTENT)),
            Key::Other => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Elem {
        Text(String),
        Other(String, serde_json::Value),
    }

    impl Tagged for Elem {
        const TAG: &'static str = "MsgType";
        const CONTENT: &'static str = "MsgContent";
        const NAME: &'static str = "Elem";
        fn from_content<'de, D: Deserializer<'de>>(tag: &str, d: D) -> Result<Self, D::Error> {
            match tag {
                "Text" => String::deserialize(d).map(Elem::Text),
                other => serde_json::Value::deserialize(d).map(|v| Elem::Other(other.into(), v)),
            }
        }
    }

    impl<'de> Deserialize<'de> for Elem {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_tagged(d)
        }
    }

    #[test]
    fn the_tag_may_come_first_or_last_and_unknown_keys_are_skipped() {
        let first: Elem =
            serde_json::from_str(r#"{"MsgType":"Text","x":1,"MsgContent":"hi"}"#).unwrap();
        let last: Elem = serde_json::from_str(r#"{"MsgContent":"hi","MsgType":"Text"}"#).unwrap();
        assert_eq!(first, Elem::Text("hi".into()));
        assert_eq!(last, first);
        let odd: Elem =
            serde_json::from_str(r#"{"MsgType":"New","MsgContent":{"a":[1]}}"#).unwrap();
        assert_eq!(
            odd,
            Elem::Other("New".into(), serde_json::json!({"a": [1]}))
        );
    }

    #[test]
    fn a_wrong_content_a_missing_part_or_a_repeat_is_an_error() {
        let wrong =
            serde_json::from_str::<Elem>(r#"{"MsgType":"Text","MsgContent":7}"#).unwrap_err();
        assert!(
            wrong
                .to_string()
                .contains("invalid type: integer `7`, expected a string"),
            "{wrong}"
        );
        let late =
            serde_json::from_str::<Elem>(r#"{"MsgContent":7,"MsgType":"Text"}"#).unwrap_err();
        assert!(late.to_string().contains("expected a string"), "{late}");
        for (json, want) in [
            (r#"{"MsgContent":"hi"}"#, "missing field `MsgType`"),
            (r#"{"MsgType":"Text"}"#, "missing field `MsgContent`"),
            (
                r#"{"MsgType":"Text","MsgType":"Text","MsgContent":"a"}"#,
                "duplicate field `MsgType`",
            ),
            (
                r#"[1]"#,
                "expected a Elem object with `MsgType` and `MsgContent`",
            ),
        ] {
            let err = serde_json::from_str::<Elem>(json).unwrap_err().to_string();
            assert!(err.contains(want), "{json}: {err}");
        }
    }
}
