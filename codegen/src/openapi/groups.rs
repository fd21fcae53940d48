//! Rules between fields (`one_of`, `at_most_one_of`, `required_when`) as JSON Schema: each
//! becomes one entry of the object's `allOf`, stated in terms of which keys are present.

use serde_json::{json, Value};

use crate::model::{Alternative, FieldGroup};

/// The `allOf` entries that hold `groups`.
pub(super) fn constraints(groups: &[FieldGroup]) -> Vec<Value> {
    groups.iter().map(constraint).collect()
}

fn constraint(group: &FieldGroup) -> Value {
    match group {
        FieldGroup::OneOf(alternatives) => {
            // Exactly one alternative present is exactly one of these subschemas valid.
            json!({ "oneOf": alternatives.iter().map(present).collect::<Vec<_>>() })
        }
        FieldGroup::AtMostOneOf(alternatives) => {
            let mut pairs = Vec::new();
            for (i, a) in alternatives.iter().enumerate() {
                for b in &alternatives[i + 1..] {
                    pairs.push(json!({ "allOf": [present(a), present(b)] }));
                }
            }
            json!({ "not": { "anyOf": pairs } })
        }
        FieldGroup::RequiredWhen {
            field,
            when,
            equals,
        } => {
            let mut condition = json!({ "required": [when.wire] });
            if let Some(value) = equals {
                condition["properties"] = json!({ when.wire.clone(): { "const": value } });
            }
            json!({ "if": condition, "then": { "required": [field.wire] } })
        }
    }
}

/// Valid when the alternative is set: its one field is present, or any of its fields.
fn present(alternative: &Alternative) -> Value {
    match alternative.as_slice() {
        [one] => json!({ "required": [one.wire] }),
        many => json!({
            "anyOf": many.iter().map(|m| json!({ "required": [m.wire] })).collect::<Vec<_>>()
        }),
    }
}
