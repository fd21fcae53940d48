//! What `#[derive(WireDeserialize)]` calls: the parts of decoding a JSON object into a
//! generated struct that do not depend on the struct, written once here instead of expanded
//! into every struct. A struct's own code is then one `match` from field index to slot.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// Reads an object key as its field index, through the struct's own `match` on its wire
/// names (`usize::MAX` for a key it does not have, whose value is then skipped). The reading
/// is shared by every struct; only the `match` is the struct's.
#[derive(Clone, Copy)]
pub struct FieldKey(pub fn(&str) -> usize);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldKey {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<usize, E> {
        Ok((self.0)(key))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(std::str::from_utf8(key).map_or(usize::MAX, self.0))
    }
}

/// Reads the value of the field at `slot`, refusing a field given twice (as serde's derive
/// does). One call per field of a struct, without a `?` of its own: the struct's `match`
/// applies one to whichever arm ran, which keeps the generated code small to type-check.
pub fn field<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of a required field, or serde's "missing field" error.
pub fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// What `expecting` says for a struct.
pub fn expecting_object(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "a `{name}` object")
}
