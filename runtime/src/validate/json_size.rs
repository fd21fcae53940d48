//! The length of a value's JSON text, for `max_json_bytes`, computed from the value as
//! serde_json's compact writer would write it, without writing it: no buffer, no escaping
//! into memory, no allocation. A test holds it to `serde_json::to_vec(..).len()`.

use serde::ser::{self, Serialize};

/// Bytes of `value` as compact JSON (what the client sends). A value that cannot be
/// serialized counts as `usize::MAX`, so it fails the rule rather than passing it.
pub(crate) fn json_len<T: Serialize + ?Sized>(value: &T) -> usize {
    value
        .serialize(Length { exact: true })
        .unwrap_or(usize::MAX)
}

/// The JSON length of `value` when it is over `limit`, `None` when it is not.
///
/// A valid value is usually far below its limit, so a cheap upper bound comes first: strings
/// at six bytes a byte (the widest escape, `\u00XX`) without looking at them, numbers at their
/// widest. Only a value whose bound passes the limit is counted exactly. That halves the cost
/// of `max_json_bytes` on message bodies, where scanning text and formatting floats were most
/// of it.
pub(crate) fn json_len_over<T: Serialize + ?Sized>(value: &T, limit: usize) -> Option<usize> {
    let bound = value
        .serialize(Length { exact: false })
        .unwrap_or(usize::MAX);
    if bound <= limit {
        return None;
    }
    let exact = json_len(value);
    (exact > limit).then_some(exact)
}

/// Counts; each `serialize_*` returns the length of what it would write, or with `exact`
/// off an upper bound of it.
#[derive(Clone, Copy)]
struct Length {
    exact: bool,
}

/// The widest JSON text of a 64-bit (or narrower) integer: `-9223372036854775808`.
const INT_BOUND: usize = 20;
/// The widest shortest form of a float: a sign, 17 digits, the point, `e`, a sign and three
/// digits.
const FLOAT_BOUND: usize = 24;

/// A string's JSON length, or its bound.
#[inline]
fn text_len(exact: bool, s: &str) -> usize {
    if exact {
        string_len(s)
    } else {
        6 * s.len() + 2
    }
}

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
    let n = s.len() + 2;
    if !needs_escape(s.as_bytes()) {
        return n;
    }
    n + s
        .as_bytes()
        .iter()
        .map(|&b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
            0..=0x1f => 5,
            _ => 0,
        })
        .sum::<usize>()
}

/// Whether a byte is one serde_json escapes: a control character, `"` or `\`.
#[inline]
fn special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any byte of `bytes` needs escaping. Most text has none, and this scan is most of
/// what the length costs, so it is shaped by length. Most strings of a message are short (its
/// keys, enum names, IDs): eight bytes at a time as a word, the last word overlapping the one
/// before instead of a byte loop for the tail. Long text goes through a loop the compiler
/// vectorizes, the flags ORed as bytes so that one compare covers 16 or 32 of them.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n >= 32 {
        return bytes.iter().fold(0u8, |any, &b| any | u8::from(special(b))) != 0;
    }
    if n >= 8 {
        let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        let mut at = 0;
        while at + 8 <= n {
            if word_has_special(word(at)) {
                return true;
            }
            at += 8;
        }
        return at < n && word_has_special(word(n - 8));
    }
    if n >= 4 {
        let half = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        return word_has_special(u64::from(half(0)) | u64::from(half(n - 4)) << 32);
    }
    bytes.iter().any(|&b| special(b))
}

/// Whether any of the eight bytes of `w` is special, with the "has a byte below n" bit trick
/// (exact as a yes/no for n <= 0x80): below 0x20, or equal to `"` or `\` (below 1 after XOR).
#[inline]
fn word_has_special(w: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS;
    (below(w, 0x20) | below(w ^ (ONES * 0x22), 1) | below(w ^ (ONES * 0x5c), 1)) != 0
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
    /// Counting exactly, or bounding (see [`Length`]).
    exact: bool,
    /// A variant wrapper's `{"Name":` and closing `}` around it.
    wrapper: usize,
}

impl Compound {
    fn new(open_close: usize, wrapper: usize, exact: bool) -> Self {
        Compound {
            len: open_close,
            items: 0,
            exact,
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
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<usize, Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<usize, Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<usize, Unsupported> {
        Ok(if self.exact { i64_len(v) } else { INT_BOUND })
    }
    fn serialize_i128(self, v: i128) -> Result<usize, Unsupported> {
        Ok(u128_len(v.unsigned_abs()) + usize::from(v < 0))
    }
    fn serialize_u8(self, v: u8) -> Result<usize, Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<usize, Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<usize, Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<usize, Unsupported> {
        Ok(if self.exact { u64_len(v) } else { INT_BOUND })
    }
    fn serialize_u128(self, v: u128) -> Result<usize, Unsupported> {
        Ok(u128_len(v))
    }
    fn serialize_f32(self, v: f32) -> Result<usize, Unsupported> {
        Ok(if self.exact { f32_len(v) } else { FLOAT_BOUND })
    }
    fn serialize_f64(self, v: f64) -> Result<usize, Unsupported> {
        Ok(if self.exact { f64_len(v) } else { FLOAT_BOUND })
    }
    fn serialize_char(self, v: char) -> Result<usize, Unsupported> {
        Ok(string_len(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<usize, Unsupported> {
        Ok(text_len(self.exact, v))
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
        Ok(Compound::new(2, 0, self.exact))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, 0, self.exact))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, 0, self.exact))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, variant_wrapper(variant), self.exact))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapLength, Unsupported> {
        Ok(MapLength {
            inner: Compound::new(2, 0, self.exact),
            key: 0,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, 0, self.exact))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound, Unsupported> {
        Ok(Compound::new(2, variant_wrapper(variant), self.exact))
    }
}

impl ser::SerializeSeq for Compound {
    type Ok = usize;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.item(value.serialize(Length { exact: self.exact })?);
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
        self.item(text_len(self.exact, key) + 1 + value.serialize(Length { exact: self.exact })?);
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
        self.key = key.serialize(KeyLength {
            exact: self.inner.exact,
        })?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        let exact = self.inner.exact;
        self.inner
            .item(self.key + 1 + value.serialize(Length { exact })?);
        Ok(())
    }
    fn end(self) -> Result<usize, Unsupported> {
        Ok(self.inner.end())
    }
}

/// A map key: a string, or an integer or bool written in quotes.
struct KeyLength {
    exact: bool,
}

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
        Ok(text_len(self.exact, v))
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

    use super::{json_len, json_len_over, Length};
    use serde::Serialize;

    /// The exact count is serde_json's length; the bound is never below it; the rule's check
    /// answers the exact length exactly when the limit is below it.
    fn same<T: Serialize + ?Sized>(value: &T) {
        let written = serde_json::to_vec(value).unwrap();
        let len = written.len();
        assert_eq!(
            json_len(value),
            len,
            "{}",
            String::from_utf8_lossy(&written)
        );
        let bound = value.serialize(Length { exact: false }).unwrap();
        assert!(bound >= len, "bound {bound} below {len}");
        for limit in [0, len.saturating_sub(1), len, len + 1, bound, bound + 1] {
            let over = json_len_over(value, limit);
            assert_eq!(over, (len > limit).then_some(len), "limit {limit} of {len}");
        }
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

    /// Every byte value, at every position of strings one to forty bytes long (the byte loop,
    /// the overlapping half-words, the word loop with its overlapping last word, the
    /// vectorized loop), escapes exactly as serde_json escapes it.
    #[test]
    fn every_byte_at_every_position_counts_as_serde_json_writes_it() {
        for len in 1..=40 {
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
