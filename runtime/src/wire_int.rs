//! Deserializing the integer enums generated from schemas.

use std::fmt;

/// Reads a JSON integer and maps it with `from_wire`.
pub fn deserialize_wire_i64<'de, D, T>(
    deserializer: D,
    from_wire: fn(i64) -> T,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor<T>(fn(i64) -> T);
    impl<T> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
            Ok((self.0)(v))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
            i64::try_from(v)
                .map(self.0)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
        }
    }
    deserializer.deserialize_i64(Visitor(from_wire))
}
