//! The length of a value's JSON text, for `max_json_bytes`, computed from the value as
//! serde_json's compact writer would write it, without writing it: no buffer, no escaping
//! into memory, no allocation. A test holds it to `serde_json::to_vec(..).len()`.

use serde::ser::{self, Serialize};

/// Bytes of `value` as compact JSON (what the client sends). A value that cannot be
/// serialized counts as `usize::MAX`, so it fails the rule rather than passing it.
pub(crate) fn json_len<T: Serialize + ?Sized>(value: &T) -> usize {
    value.serialize(Length).unwrap_or(usize::MAX)
}

/// Counts; each `serialize_*` returns the length of what it would write.
#[derive(Clone, Copy)]
struct Length;

#[derive(Debug)]
struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value serde_json cannot write")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

/// Length of a JSON string literal holding `s`: the quotes, and each byte as serde_json
/// escapes it (`\"`, `\\`, the short escapes, `\u00XX` for other control characters).
#[inline]
fn string_len(s: &str) -> usize {
    // Most text has nothing to escape: one branch-free pass the compiler vectorizes, and the
    // exact count only for text that needs it. The flags are ORed as bytes, so a vector
    // register tests sixteen or thirty-two bytes at once (a sum into `usize` widened every byte
    // to eight and took 1.3 times as long over a whole message body).
    let special = s.as_bytes().iter().fold(0u8, |any, &b| {
        any | u8::from(b < 0x20 || b == b'"' || b == b'\\')
    });
    let mut n = s.len() + 2;
    if special == 0 {
        return n;
    }
    for &b in s.as_bytes() {
        n += match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
            0..=0x1f => 5,
            _ => 0,
        };
    }
    n
}

#[inline]
fn u64_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

#[inline]
fn i64_len(v: i64) -> usize {
    u64_len(v.unsigned_abs()) + usize::from(v < 0)
}

#[inline]
fn u128_len(mut v: u128) -> usize {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// A float as serde_json writes it: the shortest form from zmij (the formatter serde_json
/// uses; the test below holds the two together), `null` when not finite.
fn f64_len(v: f64) -> usize {
    if v.is_finite() {
        zmij::Buffer::new().format_finite(v).len()
    } else {
        4
    }
}

fn f32_len(v: f32) -> usize {
    if v.is_finite() {
        zmij::Buffer::new().format_finite(v).len()
    } else {
        4
    }
}

/// A sequence or map being counted: the brackets, the separators, the items.
struct Compound {
    len: usize,
    items: usize,
    /// A variant wrapper's `{"Name":` and closing `}` around it.
    wrapper: usize,
}

impl Compound {
    fn new(open_close: usize, wrapper: usize) -> Self {
        Compound {
            len: open_close,
            items: 0,
            wrapper,
        }
    }

    #[inline]
    fn item(&mut self, len: usize) {
        self.len += len + usize::from(self.items > 0);
        self.items += 1;
    }

    fn end(self) -> usize {
        self.len + self.wrapper
    }
}

/// `{"Variant":` and `}`.
fn variant_wrapper(variant: &str) -> usize {
    string_len(variant) + 3
}

impl ser::Serializer for Length {
    type Ok = usize;
    type Error = Unsupported;
    type SerializeSeq = Compound;
    type SerializeTuple = Compound;
    type SerializeTupleStruct = Compound;
    type SerializeTupleVariant = Compound;
    type SerializeMap = MapLength;
    type SerializeStruct = Compound;
    type SerializeStructVariant = Compound;

    fn serialize_bool(self, v: bool) -> Result<usize, Unsupported> {
        Ok(if v { 4 } else { 5 })
    }
    fn serialize_i8(self, v: i8) -> Result<usize, Unsupported> {
        Ok(i64_len(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<usize, Unsupported> {
        Ok(i64_len(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<usize, Unsupported> {
        Ok(i64_len(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<usize, Unsupported> {
        Ok(i64_len(v))
    }
    fn serialize_i128(self, v: i128) -> Result<usize, Unsupported> {
        Ok(u128_len(v.unsigned_abs()) + usize::from(v < 0))
    }
    fn serialize_u8(self, v: u8) -> Result<usize, Unsupported> {
        Ok(u64_len(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<usize, Unsupported> {
        Ok(u64_len(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<usize, Unsupported> {
        Ok(u64_len(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<usize, Unsupported> {
        Ok(u64_len(v))
    }
    fn serialize_u128(self, v: u128) -> Result<usize, Unsupported> {
        Ok(u128_len(v))
    }
    fn serialize_f32(self, v: f32) -> Result<usize, Unsupported> {
        Ok(f32_len(v))
    }
    fn serialize_f64(self, v: f64) -> Result<usize, Unsupported> {
        Ok(f64_len(v))
    }
    fn serialize_char(self, v: char) -> Result<usize, Unsupported> {
        Ok(string_len(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<usize, Unsupported> {
        Ok(string_len(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<usize, Unsupported> {
        // An array of numbers.
        let digits: usize = v.iter().map(|b| u64_len((*b).into())).sum();
        Ok(2 + digits + v.len().saturating_sub(1))
    }
    fn serialize_none(self) -> Result<usize, Unsupported> {
        Ok(4)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<usize, Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<usize, Unsupported> {
        Ok(4)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<usize, Unsupported> {
        Ok(4)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<usize, Unsupported> {
        Ok(string_len(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<usize, Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<usize, Unsupported> {
        Ok(variant_wrapper(variant) + value.serialize(self)?)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, 0))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, 0))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, 0))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, variant_wrapper(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapLength, Unsupported> {
        Ok(MapLength {
            inner: Compound::new(2, 0),
            key: 0,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, 0))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, variant_wrapper(variant)))
    }
}

impl ser::SerializeSeq for Compound {
    type Ok = usize;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.item(value.serialize(Length)?);
        Ok(())
    }
    fn end(self) -> Result<usize, Unsupported> {
        Ok(Compound::end(self))
    }
}

impl ser::SerializeTuple for Compound {
    type Ok = usize;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<usize, Unsupported> {
        Ok(Compound::end(self))
    }
}

impl ser::SerializeTupleStruct for Compound {
    type Ok = usize;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<usize, Unsupported> {
        Ok(Compound::end(self))
    }
}

impl ser::SerializeTupleVariant for Compound {
    type Ok = usize;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<usize, Unsupported> {
        Ok(Compound::end(self))
    }
}

impl ser::SerializeStruct for Compound {
    type Ok = usize;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        // `"key":value`
        self.item(string_len(key) + 1 + value.serialize(Length)?);
        Ok(())
    }
    fn end(self) -> Result<usize, Unsupported> {
        Ok(Compound::end(self))
    }
}

impl ser::SerializeStructVariant for Compound {
    type Ok = usize;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<usize, Unsupported> {
        Ok(Compound::end(self))
    }
}

/// A map: keys are written as strings (integers quoted, as serde_json does).
struct MapLength {
    inner: Compound,
    key: usize,
}

impl ser::SerializeMap for MapLength {
    type Ok = usize;
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.key = key.serialize(KeyLength)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.inner.item(self.key + 1 + value.serialize(Length)?);
        Ok(())
    }
    fn end(self) -> Result<usize, Unsupported> {
        Ok(self.inner.end())
    }
}

/// A map key: a string, or an integer or bool written in quotes.
struct KeyLength;

macro_rules! quoted {
    ($($name:ident: $t:ty => $len:expr),* $(,)?) => {$(
        fn $name(self, v: $t) -> Result<usize, Unsupported> {
            Ok(2 + $len(v))
        }
    )*};
}

impl ser::Serializer for KeyLength {
    type Ok = usize;
    type Error = Unsupported;
    type SerializeSeq = ser::Impossible<usize, Unsupported>;
    type SerializeTuple = ser::Impossible<usize, Unsupported>;
    type SerializeTupleStruct = ser::Impossible<usize, Unsupported>;
    type SerializeTupleVariant = ser::Impossible<usize, Unsupported>;
    type SerializeMap = ser::Impossible<usize, Unsupported>;
    type SerializeStruct = ser::Impossible<usize, Unsupported>;
    type SerializeStructVariant = ser::Impossible<usize, Unsupported>;

    quoted! {
        serialize_i8: i8 => |v: i8| i64_len(v.into()),
        serialize_i16: i16 => |v: i16| i64_len(v.into()),
        serialize_i32: i32 => |v: i32| i64_len(v.into()),
        serialize_i64: i64 => i64_len,
        serialize_u8: u8 => |v: u8| u64_len(v.into()),
        serialize_u16: u16 => |v: u16| u64_len(v.into()),
        serialize_u32: u32 => |v: u32| u64_len(v.into()),
        serialize_u64: u64 => u64_len,
        serialize_bool: bool => |v: bool| if v { 4 } else { 5 },
    }

    fn serialize_str(self, v: &str) -> Result<usize, Unsupported> {
        Ok(string_len(v))
    }
    fn serialize_char(self, v: char) -> Result<usize, Unsupported> {
        Ok(string_len(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<usize, Unsupported> {
        Ok(string_len(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<usize, Unsupported> {
        value.serialize(self)
    }
    fn serialize_f32(self, _: f32) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::json_len;
    use serde::Serialize;

    fn same<T: Serialize + ?Sized>(value: &T) {
        let written = serde_json::to_vec(value).unwrap();
        assert_eq!(
            json_len(value),
            written.len(),
            "{}",
            String::from_utf8_lossy(&written)
        );
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        New(u8),
        Tuple(i32, String),
        Struct { a: Option<f32>, b: Vec<u8> },
    }

    #[derive(Serialize)]
    struct Item<'a> {
        #[serde(rename = "Text")]
        text: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u64>,
        shapes: Vec<Shape>,
        map: BTreeMap<i64, bool>,
        unit: (),
        ch: char,
    }

    #[test]
    fn counts_exactly_what_serde_json_writes() {
        let nasty = "hé \"quoted\" back\\slash \n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} 你好 🎉";
        same(&serde_json::json!({
            "Text": nasty,
            "n": [0, 1, -1, 9, 10, -10, 99, 100, u64::MAX, i64::MIN, 2.5, -0.0, 1e300, 22.543098999999998],
            "nested": { "a": [], "b": {}, "c": [null, true, false, {"": ""}] }
        }));
        same(&Item {
            text: nasty,
            skipped: None,
            shapes: vec![
                Shape::Unit,
                Shape::New(255),
                Shape::Tuple(-7, "x".into()),
                Shape::Struct {
                    a: Some(f32::NAN),
                    b: vec![0, 10, 200],
                },
                Shape::Struct {
                    a: Some(1.25),
                    b: vec![],
                },
            ],
            map: [(-3, true), (40, false)].into(),
            unit: (),
            ch: '"',
        });
        same(&(
            u128::MAX,
            i128::MIN,
            f64::INFINITY,
            'é',
            "",
            Some(3u8),
            None::<u8>,
        ));
        for n in [0u64, 7, 10, 99, 100, 12345, u64::MAX / 3] {
            same(&n);
            same(&-(n as i64 / 2));
        }
    }

    /// Every byte value, at every position of strings one to seventeen bytes long (the word
    /// loop, the padded tail and both together), escapes exactly as serde_json escapes it.
    #[test]
    fn every_byte_at_every_position_counts_as_serde_json_writes_it() {
        for len in 1..=17 {
            for at in 0..len {
                for byte in 0u8..=0x7f {
                    let mut text = vec![b'a'; len];
                    text[at] = byte;
                    let text = String::from_utf8(text).unwrap();
                    assert_eq!(
                        json_len(&text),
                        serde_json::to_vec(&text).unwrap().len(),
                        "byte {byte:#04x} at {at} of {len}"
                    );
                }
            }
        }
    }
}
