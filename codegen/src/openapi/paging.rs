//! `x-tim-pagination`: how to ask for the next page, in the format's own terms and wire names.
//! The checked model names fields by their Rust names; this maps them back.

use serde_json::{json, Value};

use crate::model::{
    Complete, CompleteWhen, Cursor, Endpoint, Field, NamedKind, Pagination, Ty, TypeDef, TypeKind,
};

/// The extension's value for `ep`'s pagination.
pub(super) fn pagination(ep: &Endpoint, shared: &[TypeDef], paging: &Pagination) -> Value {
    let names = Names { ep, shared };
    let mut out = json!({
        "cursor": names.cursor(&paging.cursor),
        "complete_when": names.complete(&paging.complete),
    });
    if let Some(alt) = &paging.alternative {
        out["alternative"] = json!({
            "when": names.request(&alt.when_request),
            "unset": alt.unset.iter().map(|u| names.request(u)).collect::<Vec<_>>(),
            "cursor": names.cursor(&alt.cursor),
            "complete_when": names.complete(&alt.complete),
        });
    }
    out
}

struct Names<'a> {
    ep: &'a Endpoint,
    shared: &'a [TypeDef],
}

impl Names<'_> {
    fn cursor(&self, steps: &[Cursor]) -> Value {
        Value::Array(
            steps
                .iter()
                .map(|step| match step {
                    Cursor::Copy(copy) => json!({
                        "response": self.response_path(copy.from.iter().map(|(rust, _)| rust.as_str())),
                        "request": self.request(&copy.to),
                    }),
                    Cursor::Advance(adv) => json!({
                        "request": self.request(&adv.to),
                        "advance_by": self.response(&adv.by),
                    }),
                    Cursor::BeforeSmallest(before) => {
                        let list = self.ep.response.fields.iter().find(|f| f.rust == before.list);
                        let item_fields = list.and_then(|f| self.object_fields(&f.ty));
                        json!({
                            "request": self.request(&before.to),
                            "before_smallest": {
                                "list": self.response(&before.list),
                                "field": wire(item_fields.unwrap_or(&[]), &before.field),
                            },
                        })
                    }
                })
                .collect(),
        )
    }

    fn complete(&self, complete: &Complete) -> Value {
        let is = match complete.when {
            CompleteWhen::Zero => "zero",
            CompleteWhen::NonZero => "non_zero",
            CompleteWhen::Empty => "empty",
        };
        json!({ "field": self.response(&complete.field), "is": is })
    }

    fn request(&self, rust: &str) -> String {
        wire(&self.ep.request.fields, rust)
    }

    fn response(&self, rust: &str) -> String {
        wire(&self.ep.response.fields, rust)
    }

    /// `Paging.Token`: each step looked up in the object type the previous one holds.
    fn response_path<'r>(&self, steps: impl Iterator<Item = &'r str>) -> String {
        let mut fields: &[Field] = &self.ep.response.fields;
        let mut wires = Vec::new();
        for rust in steps {
            wires.push(wire(fields, rust));
            let next = fields.iter().find(|f| f.rust == rust);
            fields = next.and_then(|f| self.object_fields(&f.ty)).unwrap_or(&[]);
        }
        wires.join(".")
    }

    /// The fields of the object type `ty` is, or holds the items of.
    fn object_fields(&self, ty: &Ty) -> Option<&[Field]> {
        let name = match ty {
            Ty::Named {
                name,
                kind: NamedKind::Object,
                ..
            } => name,
            Ty::Array(inner) => return self.object_fields(inner),
            _ => return None,
        };
        let def = self
            .ep
            .types
            .iter()
            .chain(self.shared)
            .find(|t| &t.name == name)?;
        match &def.kind {
            TypeKind::Object { fields, .. } => Some(fields),
            _ => None,
        }
    }
}

/// The wire name of the field whose Rust name is `rust` (the Rust name if none is: the checker
/// resolved every name, so this does not happen).
fn wire(fields: &[Field], rust: &str) -> String {
    fields
        .iter()
        .find(|f| f.rust == rust)
        .map_or_else(|| rust.to_owned(), |f| f.wire.clone())
}
