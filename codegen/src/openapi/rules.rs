//! The one place a format rule becomes JSON Schema keywords.
//!
//! JSON Schema counts a string's length in characters; the format counts UTF-8 bytes. A byte
//! limit is therefore written as `x-tim-min-bytes` / `x-tim-max-bytes`, and as
//! `minLength` / `maxLength` only where the two counts agree: when a `charset` or a `pattern`
//! keeps the value ASCII. Elsewhere the only length keyword claimed is `minLength: 1`, which a
//! positive byte minimum does imply.
//!
//! Structural rules (`each`, `keys`, `values`) describe an inner value; the caller that builds
//! the inner schema applies them there, through this same function.

use serde_json::{json, Map, Value};

use crate::model::{Pattern, Rules};

/// What a rule such as `non_empty` or `max_items` counts in the value it sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    /// A JSON array: items.
    Array,
    /// A JSON object used as a map: entries.
    Map,
    /// A string, a number or a union of those: `non_empty` means a non-empty string.
    Scalar,
}

/// Adds the keywords of `rules` (all but `each`, `keys` and `values`) to `schema`.
pub(super) fn apply(schema: &mut Map<String, Value>, rules: &Rules, container: Container) {
    let (min_count, max_count) = match container {
        Container::Array => ("minItems", "maxItems"),
        Container::Map => ("minProperties", "maxProperties"),
        Container::Scalar => ("minLength", "maxLength"),
    };
    if rules.non_empty {
        raise_min(schema, min_count, 1);
    }
    if let Some(min) = rules.min_items {
        raise_min(schema, min_count, min);
    }
    if let Some(max) = rules.max_items {
        lower_max(schema, max_count, max);
    }

    let ascii = rules.charset.is_some() || rules.pattern.as_ref().is_some_and(is_ascii_pattern);
    if let Some(min) = rules.min_bytes {
        schema.insert("x-tim-min-bytes".into(), json!(min));
        raise_min(schema, "minLength", if ascii { min } else { min.min(1) });
    }
    if let Some(max) = rules.max_bytes {
        schema.insert("x-tim-max-bytes".into(), json!(max));
        if ascii {
            lower_max(schema, "maxLength", max);
        }
    }

    if let Some(min) = rules.min {
        schema.insert("minimum".into(), number(min));
    }
    if let Some(max) = rules.max {
        schema.insert("maximum".into(), number(max));
    }

    if let Some(pattern) = &rules.pattern {
        add_pattern(schema, pattern_regex(pattern));
    }
    if let Some(charset) = &rules.charset {
        add_pattern(schema, format!("^{}*$", char_class(charset)));
    }
    if let Some(max) = rules.max_json_bytes {
        schema.insert("x-tim-max-json-bytes".into(), json!(max));
    }
}

/// A JSON number for an integer bound of any of the format's integer types.
pub(super) fn number(n: i128) -> Value {
    if let Ok(n) = i64::try_from(n) {
        json!(n)
    } else if let Ok(n) = u64::try_from(n) {
        json!(n)
    } else {
        // No integer type of the format reaches here; kept total rather than panicking.
        json!(n as f64)
    }
}

/// A schema may hold one `pattern`; a second one (a `charset` beside a `pattern`, a tag's
/// prefix beside its rules) goes into `allOf`, so both hold.
pub(super) fn add_pattern(schema: &mut Map<String, Value>, regex: String) {
    if !schema.contains_key("pattern") {
        schema.insert("pattern".into(), Value::String(regex));
        return;
    }
    let all_of = schema.entry("allOf").or_insert_with(|| json!([]));
    if let Value::Array(items) = all_of {
        items.push(json!({ "pattern": regex }));
    }
}

/// `^` followed by `text` with every regular-expression metacharacter escaped.
pub(super) fn starts_with(text: &str) -> String {
    format!("^{}", escape(text))
}

fn raise_min(schema: &mut Map<String, Value>, key: &str, min: u64) {
    if min == 0 {
        return;
    }
    let current = schema.get(key).and_then(Value::as_u64).unwrap_or(0);
    schema.insert(key.into(), json!(current.max(min)));
}

fn lower_max(schema: &mut Map<String, Value>, key: &str, max: u64) {
    let current = schema.get(key).and_then(Value::as_u64).unwrap_or(u64::MAX);
    schema.insert(key.into(), json!(current.min(max)));
}

fn is_ascii_pattern(pattern: &Pattern) -> bool {
    pattern.prefixes.iter().all(|p| p.is_ascii())
}

/// `{ prefix, chars, min, max }` as an anchored regular expression: one of the prefixes, then
/// `min` to `max` characters of the set. The dialect is the common subset of ECMA-262 (what
/// JSON Schema names) and the engines validators use.
fn pattern_regex(pattern: &Pattern) -> String {
    let prefixes: Vec<String> = pattern.prefixes.iter().map(|p| escape(p)).collect();
    let count = match pattern.max {
        Some(max) => format!("{{{},{max}}}", pattern.min),
        None => format!("{{{},}}", pattern.min),
    };
    format!(
        "^(?:{}){}{count}$",
        prefixes.join("|"),
        char_class(&pattern.chars)
    )
}

/// A character set of the format (`A-Za-z0-9_`, `-a-z`) as a bracket expression. The set's
/// grammar is the runtime's `CharSet`: `x-y` is a range, any other character stands for itself.
fn char_class(spec: &str) -> String {
    let bytes = spec.as_bytes();
    let mut class = String::from("[");
    let mut i = 0;
    while i < bytes.len() {
        if i + 2 < bytes.len() && bytes[i + 1] == b'-' {
            class.push_str(&class_char(bytes[i] as char));
            class.push('-');
            class.push_str(&class_char(bytes[i + 2] as char));
            i += 3;
        } else {
            class.push_str(&class_char(bytes[i] as char));
            i += 1;
        }
    }
    class.push(']');
    class
}

/// A character inside a bracket expression, escaped where it would mean something there.
fn class_char(c: char) -> String {
    match c {
        '\\' | ']' | '[' | '^' | '-' => format!("\\{c}"),
        _ => c.to_string(),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(rules: Rules, container: Container) -> Value {
        let mut schema = Map::new();
        apply(&mut schema, &rules, container);
        Value::Object(schema)
    }

    #[test]
    fn byte_limits_claim_no_character_limit_unless_ascii() {
        let rules = Rules {
            non_empty: true,
            max_bytes: Some(32),
            ..Rules::default()
        };
        assert_eq!(
            keywords(rules.clone(), Container::Scalar),
            json!({ "minLength": 1, "x-tim-max-bytes": 32 })
        );
        let ascii = Rules {
            charset: Some("a-z".into()),
            ..rules
        };
        assert_eq!(
            keywords(ascii, Container::Scalar),
            json!({ "minLength": 1, "maxLength": 32, "x-tim-max-bytes": 32, "pattern": "^[a-z]*$" })
        );
    }

    #[test]
    fn patterns_are_anchored_with_escaped_prefixes_and_sets() {
        let pattern = Pattern {
            prefixes: vec!["Tag_SNS_Custom_".into(), "A.(b)".into()],
            chars: "-a-z_]".into(),
            min: 1,
            max: Some(8),
        };
        assert_eq!(
            pattern_regex(&pattern),
            r"^(?:Tag_SNS_Custom_|A\.\(b\))[\-a-z_\]]{1,8}$"
        );
        let open = Pattern {
            max: None,
            ..pattern
        };
        assert!(pattern_regex(&open).ends_with("{1,}$"));
    }

    #[test]
    fn counts_follow_the_container() {
        let rules = Rules {
            non_empty: true,
            min_items: Some(2),
            max_items: Some(9),
            ..Rules::default()
        };
        assert_eq!(
            keywords(rules.clone(), Container::Array),
            json!({ "minItems": 2, "maxItems": 9 })
        );
        assert_eq!(
            keywords(rules, Container::Map),
            json!({ "minProperties": 2, "maxProperties": 9 })
        );
    }

    #[test]
    fn a_second_pattern_goes_into_all_of() {
        let rules = Rules {
            pattern: Some(Pattern {
                prefixes: vec!["x_".into()],
                chars: "0-9".into(),
                min: 1,
                max: None,
            }),
            charset: Some("x_0-9".into()),
            ..Rules::default()
        };
        let schema = keywords(rules, Container::Scalar);
        assert_eq!(schema["pattern"], json!("^(?:x_)[0-9]{1,}$"));
        assert_eq!(schema["allOf"], json!([{ "pattern": "^[x_0-9]*$" }]));
    }
}
