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

/// A value `min_items`, `max_items` and `non_empty` count the entries of: an array or a map.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an array or a map, so this rule does not apply to it",
    label = "an item-count rule on a field of type `{Self}`",
    note = "min_items and max_items apply to arrays (Vec<T>, slices) and maps (BTreeMap<String, T>)"
)]
pub trait Counted {
    /// How many items or entries.
    fn count(&self) -> usize;
}

impl<T: ItemsValue + ?Sized> Counted for T {
    #[inline]
    fn count(&self) -> usize {
        self.items().len()
    }
}

impl<K, V> Counted for std::collections::BTreeMap<K, V> {
    #[inline]
    fn count(&self) -> usize {
        self.len()
    }
}

impl<K, V> Emptiable for std::collections::BTreeMap<K, V> {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        describe_items(self.len())
    }
}

/// The entries of a map for `keys(...)` and `values(...)`.
#[inline]
pub fn entries<V>(
    v: &std::collections::BTreeMap<String, V>,
) -> std::collections::btree_map::Iter<'_, String, V> {
    v.iter()
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

/// An integer `min` and `max` apply to, or a union with an integer side (its text passes).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an integer, so `min` and `max` do not apply to it",
    label = "an integer bound on a field of type `{Self}`",
    note = "min and max bound integers; for the length of text use min_bytes/max_bytes, of an array min_items/max_items, and each(min = .., max = ..) bounds an array's items"
)]
pub trait IntValue {
    /// The type a bound is written in: the integer itself, so a bound the field cannot hold
    /// (`min = -1` on a `u32`) does not compile.
    type Bound: Copy;
    /// The value, widened to a type every integer fits in; `None` for a union holding text
    /// (bounds pass).
    fn wide(&self) -> Option<i128>;
    /// A bound, widened the same way.
    fn widen(bound: Self::Bound) -> i128;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl IntValue for $t {
            type Bound = $t;
            #[inline]
            fn wide(&self) -> Option<i128> {
                Some(i128::from(*self))
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
            fn wide(&self) -> Option<i128> {
                Some(*self as i128)
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
    fn wide(&self) -> Option<i128> {
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
pub fn min_items<T: Counted + ?Sized>(v: &T, n: usize, path: &Path<'_>, out: &mut Vec<Violation>) {
    let len = v.count();
    if len < n {
        push(out, path, Rule::MinItems(n), describe_items(len));
    }
}

/// `max_items = n`.
#[inline]
pub fn max_items<T: Counted + ?Sized>(v: &T, n: usize, path: &Path<'_>, out: &mut Vec<Violation>) {
    let len = v.count();
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
    let (Some(v), n) = (v.wide(), T::widen(n)) else {
        return;
    };
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
    let (Some(v), n) = (v.wide(), T::widen(n)) else {
        return;
    };
    if v > n {
        push(out, path, Rule::Max(n), v.to_string());
    }
}

/// `min = n` on an `f64`: the bound is a whole number, which the float holds exactly.
#[inline]
pub fn min_number(v: &f64, n: f64, path: &Path<'_>, out: &mut Vec<Violation>) {
    // NaN is below nothing and above nothing: it breaks both bounds.
    if v.is_nan() || *v < n {
        push(out, path, Rule::Min(n as i128), v.to_string());
    }
}

/// `max = n` on an `f64`.
#[inline]
pub fn max_number(v: &f64, n: f64, path: &Path<'_>, out: &mut Vec<Violation>) {
    if v.is_nan() || *v > n {
        push(out, path, Rule::Max(n as i128), v.to_string());
    }
}

/// A value the schema does not list (an enum's `Other`, a tagged union's unknown tag), shown
/// as `shown`.
#[cold]
pub fn unlisted(shown: &dyn std::fmt::Display, path: &Path<'_>, out: &mut Vec<Violation>) {
    push(out, path, Rule::Listed, shown.to_string());
}

/// `max_json_bytes = n`: counts the JSON text as the client would send it, without
/// allocating.
#[inline]
pub fn max_json_bytes<T: serde::Serialize + ?Sized>(
    v: &T,
    n: usize,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if let Some(len) = super::json_size::json_len_over(v, n) {
        push(out, path, Rule::MaxJsonBytes(n), format!("{len} bytes"));
    }
}

/// `one_of(...)`: exactly one of the fields is set.
#[inline]
pub fn exactly_one_of(
    set: &[bool],
    fields: &'static [&'static str],
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    let n = set.iter().filter(|s| **s).count();
    if n != 1 {
        push(
            out,
            path,
            Rule::ExactlyOneOf(fields),
            describe_set(set, fields),
        );
    }
}

/// `at_most_one_of(...)`: no two of the fields are set.
#[inline]
pub fn at_most_one_of(
    set: &[bool],
    fields: &'static [&'static str],
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if set.iter().filter(|s| **s).count() > 1 {
        push(
            out,
            path,
            Rule::AtMostOneOf(fields),
            describe_set(set, fields),
        );
    }
}

/// `required_when(...)`: `field` is unset although `other` requires it.
#[inline]
pub fn required_when(
    set: bool,
    required: bool,
    other: &'static str,
    equals: Option<&'static str>,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if required && !set {
        push(
            out,
            path,
            Rule::RequiredWhen { other, equals },
            "nothing".to_owned(),
        );
    }
}

#[cold]
fn describe_set(set: &[bool], fields: &[&str]) -> String {
    let given: Vec<&str> = fields
        .iter()
        .zip(set)
        .filter(|(_, s)| **s)
        .map(|(f, _)| *f)
        .collect();
    if given.is_empty() {
        "none".to_owned()
    } else {
        given.join(", ")
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
