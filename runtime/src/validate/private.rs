//! What `#[derive(Validate)]` expands to calls. Each check allocates only when it fails.
//!
//! Rules are tied to traits rather than types, so a rule put on a field it cannot apply to
//! (`max_bytes` on a `u64`) is a type error at the field, and the union types generated for
//! string-or-integer values take text rules on their text variant only.

use super::{CharSet, Path, Rule, Violation};

/// A value text rules apply to. `None` means "not text right now" (an integer in a union):
/// text rules then pass.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not text, so this rule does not apply to it",
    label = "a text rule on a field of type `{Self}`",
    note = "min_bytes, max_bytes, pattern and charset apply to strings and to unions that may hold a string"
)]
pub trait TextValue {
    /// The text, if the value holds text.
    fn text(&self) -> Option<&str>;
}

impl TextValue for str {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl TextValue for String {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl TextValue for Box<str> {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl TextValue for std::borrow::Cow<'_, str> {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: TextValue + ?Sized> TextValue for &T {
    #[inline]
    fn text(&self) -> Option<&str> {
        (**self).text()
    }
}

/// A value item-count rules and `each(...)` apply to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an array, so this rule does not apply to it",
    label = "an array rule on a field of type `{Self}`",
    note = "min_items, max_items and each(...) apply to arrays (Vec<T>, slices)"
)]
pub trait ItemsValue {
    /// The element type.
    type Item;
    /// The elements, in order.
    fn items(&self) -> &[Self::Item];
}

impl<T> ItemsValue for Vec<T> {
    type Item = T;
    #[inline]
    fn items(&self) -> &[T] {
        self
    }
}

impl<T> ItemsValue for [T] {
    type Item = T;
    #[inline]
    fn items(&self) -> &[T] {
        self
    }
}

impl<T> ItemsValue for Box<[T]> {
    type Item = T;
    #[inline]
    fn items(&self) -> &[T] {
        self
    }
}

impl<T: ItemsValue + ?Sized> ItemsValue for &T {
    type Item = T::Item;
    #[inline]
    fn items(&self) -> &[T::Item] {
        (**self).items()
    }
}

/// An integer `min` and `max` apply to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an integer, so `min` and `max` do not apply to it",
    label = "an integer bound on a field of type `{Self}`",
    note = "min and max bound integers; for the length of text use min_bytes/max_bytes, of an array min_items/max_items, and each(min = .., max = ..) bounds an array's items"
)]
pub trait IntValue {
    /// The type a bound is written in: the integer itself, so a bound the field cannot hold
    /// (`min = -1` on a `u32`) does not compile.
    type Bound: Copy;
    /// The value, widened to a type every integer fits in.
    fn wide(&self) -> i128;
    /// A bound, widened the same way.
    fn widen(bound: Self::Bound) -> i128;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl IntValue for $t {
            type Bound = $t;
            #[inline]
            fn wide(&self) -> i128 {
                i128::from(*self)
            }
            #[inline]
            fn widen(bound: $t) -> i128 {
                i128::from(bound)
            }
        }
    )*};
}

int_value!(i8, i16, i32, i64, u8, u16, u32, u64);

// No `From<usize> for i128` (its width is the platform's), but every platform Rust supports has
// at most 64-bit pointers, so the cast is exact.
macro_rules! int_value_pointer_sized {
    ($($t:ty),*) => {$(
        impl IntValue for $t {
            type Bound = $t;
            #[inline]
            fn wide(&self) -> i128 {
                *self as i128
            }
            #[inline]
            fn widen(bound: $t) -> i128 {
                bound as i128
            }
        }
    )*};
}

int_value_pointer_sized!(usize, isize);

impl<T: IntValue + ?Sized> IntValue for &T {
    type Bound = T::Bound;
    #[inline]
    fn wide(&self) -> i128 {
        (**self).wide()
    }
    #[inline]
    fn widen(bound: T::Bound) -> i128 {
        T::widen(bound)
    }
}

/// A value `non_empty` applies to: text or an array.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither text nor an array, so `non_empty` does not apply to it",
    label = "`non_empty` on a field of type `{Self}`"
)]
pub trait Emptiable {
    /// Whether it is empty.
    fn is_empty_value(&self) -> bool;
    /// How to show it in a violation.
    fn describe(&self) -> String;
}

impl Emptiable for str {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        describe_text(self)
    }
}

impl Emptiable for String {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        describe_text(self)
    }
}

impl<T> Emptiable for Vec<T> {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        describe_items(self.len())
    }
}

impl<T> Emptiable for [T] {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        describe_items(self.len())
    }
}

impl<T: Emptiable + ?Sized> Emptiable for &T {
    fn is_empty_value(&self) -> bool {
        (**self).is_empty_value()
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// Longest value shown in a violation, in characters.
const SHOWN_CHARS: usize = 64;

/// The value as a JSON string, cut after [`SHOWN_CHARS`] characters.
fn describe_text(s: &str) -> String {
    match s.char_indices().nth(SHOWN_CHARS) {
        None => format!("{s:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &s[..cut], s.len()),
    }
}

fn describe_items(n: usize) -> String {
    format!("{n} item{}", if n == 1 { "" } else { "s" })
}

#[cold]
#[inline(never)]
fn push(out: &mut Vec<Violation>, path: &Path<'_>, rule: Rule, value: String) {
    out.push(Violation {
        path: path.to_string(),
        rule,
        value,
    });
}

/// `non_empty`.
#[inline]
pub fn non_empty<T: Emptiable + ?Sized>(v: &T, path: &Path<'_>, out: &mut Vec<Violation>) {
    if v.is_empty_value() {
        push(out, path, Rule::NonEmpty, v.describe());
    }
}

/// `min_bytes = n`.
#[inline]
pub fn min_bytes<T: TextValue + ?Sized>(
    v: &T,
    n: usize,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if let Some(s) = v.text() {
        if s.len() < n {
            push(out, path, Rule::MinBytes(n), describe_text(s));
        }
    }
}

/// `max_bytes = n`.
#[inline]
pub fn max_bytes<T: TextValue + ?Sized>(
    v: &T,
    n: usize,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if let Some(s) = v.text() {
        if s.len() > n {
            push(out, path, Rule::MaxBytes(n), describe_text(s));
        }
    }
}

/// `min_items = n`.
#[inline]
pub fn min_items<T: ItemsValue + ?Sized>(
    v: &T,
    n: usize,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    let len = v.items().len();
    if len < n {
        push(out, path, Rule::MinItems(n), describe_items(len));
    }
}

/// `max_items = n`.
#[inline]
pub fn max_items<T: ItemsValue + ?Sized>(
    v: &T,
    n: usize,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    let len = v.items().len();
    if len > n {
        push(out, path, Rule::MaxItems(n), describe_items(len));
    }
}

/// `min = n`.
#[inline]
pub fn min<T, B>(v: &T, n: B, path: &Path<'_>, out: &mut Vec<Violation>)
where
    T: IntValue<Bound = B> + ?Sized,
{
    let (v, n) = (v.wide(), T::widen(n));
    if v < n {
        push(out, path, Rule::Min(n), v.to_string());
    }
}

/// `max = n`.
#[inline]
pub fn max<T, B>(v: &T, n: B, path: &Path<'_>, out: &mut Vec<Violation>)
where
    T: IntValue<Bound = B> + ?Sized,
{
    let (v, n) = (v.wide(), T::widen(n));
    if v > n {
        push(out, path, Rule::Max(n), v.to_string());
    }
}

/// `pattern(prefix = "...", chars = "...", min = n, max = m)`.
#[inline]
pub fn pattern<T: TextValue + ?Sized>(
    v: &T,
    prefixes: &'static [&'static str],
    chars: CharSet,
    min: usize,
    max: Option<usize>,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(s) = v.text() else { return };
    // Allowed characters are ASCII, so the byte count of a matching rest is its length. Where
    // one prefix starts another, the value fits if it fits after either.
    let fits = |rest: &str| {
        rest.len() >= min && max.map_or(true, |m| rest.len() <= m) && chars.matches_all(rest)
    };
    let ok = prefixes.iter().any(|p| s.strip_prefix(p).is_some_and(fits));
    if !ok {
        let rule = Rule::Pattern {
            prefixes,
            chars,
            min,
            max,
        };
        push(out, path, rule, describe_text(s));
    }
}

/// `charset = "..."`.
#[inline]
pub fn charset<T: TextValue + ?Sized>(
    v: &T,
    chars: CharSet,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if let Some(s) = v.text() {
        if !chars.matches_all(s) {
            push(out, path, Rule::Charset(chars), describe_text(s));
        }
    }
}

/// `nested`: the value's own rules, under its path.
#[inline]
pub fn nested<T: super::Validate + ?Sized>(v: &T, path: &Path<'_>, out: &mut Vec<Violation>) {
    v.validate_at(path, out)
}

/// The elements of an array for `each(...)`.
#[inline]
pub fn items<T: ItemsValue + ?Sized>(v: &T) -> &[T::Item] {
    v.items()
}
