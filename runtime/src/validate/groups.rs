//! What the rules between fields (`one_of`, `at_most_one_of`, `required_when`) ask of a
//! field's value: whether it is set, and whether it equals a documented value.

/// Whether a field is set: an `Option` when `Some`, any other value always.
pub trait Presence {
    /// Whether the value counts as given.
    fn is_set(&self) -> bool;
}

impl<T> Presence for Option<T> {
    #[inline]
    fn is_set(&self) -> bool {
        self.is_some()
    }
}

/// A value compared with a JSON scalar written in the schema (`"equals": 2`): the integer,
/// string or boolean it is on the wire. Enums generated from schemas compare their wire
/// values.
pub trait WireScalar {
    /// Whether the value is the string `s` on the wire.
    fn wire_is_str(&self, s: &str) -> bool {
        let _ = s;
        false
    }
    /// Whether the value is the integer `n` on the wire.
    fn wire_is_int(&self, n: i128) -> bool {
        let _ = n;
        false
    }
    /// Whether the value is the boolean `b` on the wire.
    fn wire_is_bool(&self, b: bool) -> bool {
        let _ = b;
        false
    }
}

impl WireScalar for String {
    #[inline]
    fn wire_is_str(&self, s: &str) -> bool {
        self == s
    }
}

impl WireScalar for bool {
    #[inline]
    fn wire_is_bool(&self, b: bool) -> bool {
        *self == b
    }
}

macro_rules! wire_int {
    ($($t:ty),*) => {$(
        impl WireScalar for $t {
            #[inline]
            fn wire_is_int(&self, n: i128) -> bool {
                i128::from(*self) == n
            }
        }
    )*};
}

wire_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: WireScalar> WireScalar for Option<T> {
    #[inline]
    fn wire_is_str(&self, s: &str) -> bool {
        self.as_ref().is_some_and(|v| v.wire_is_str(s))
    }
    #[inline]
    fn wire_is_int(&self, n: i128) -> bool {
        self.as_ref().is_some_and(|v| v.wire_is_int(n))
    }
    #[inline]
    fn wire_is_bool(&self, b: bool) -> bool {
        self.as_ref().is_some_and(|v| v.wire_is_bool(b))
    }
}
