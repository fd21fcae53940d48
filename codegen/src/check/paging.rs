//! `pagination`: how a paged read asks for its next page, and which reply is the last.

use super::FileCtx;
use crate::model::{
    Complete, CompleteWhen, Cursor, CursorAdvance, CursorBeforeSmallest, CursorCopy, Field,
    Pagination, PagingAlternative, Ty,
};
use crate::parse::raw::{RawAlternative, RawComplete, RawCompleteIs, RawCursor, RawPagination};
use crate::parse::SemPath;

/// A top-level field by wire name, or an error at `at`.
fn find<'f>(
    ctx: &mut FileCtx<'_>,
    at: &SemPath,
    fields: &'f [Field],
    wire: &str,
    side: &str,
) -> Option<&'f Field> {
    let found = fields.iter().find(|f| f.wire == wire);
    if found.is_none() {
        ctx.error(
            at,
            format!("`{wire}` is not a {side} field"),
            format!("name a top-level field of the {side}"),
        );
    }
    found
}

pub(crate) fn check_pagination(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    raw: &RawPagination,
    request: &[Field],
    response: &[Field],
    items: &dyn Fn(&str) -> Option<Vec<Field>>,
) -> Option<Pagination> {
    let main = check_style(
        ctx,
        path,
        &raw.cursor,
        &raw.complete_when,
        request,
        response,
        items,
    );
    let alternative = match &raw.alternative {
        None => Some(None),
        Some(alt) => {
            check_alternative(ctx, &path.key("alternative"), alt, request, response, items)
                .map(|a| Some(Box::new(a)))
        }
    };
    let (cursor, complete) = main?;
    Some(Pagination {
        cursor,
        complete,
        alternative: alternative?,
    })
}

/// The second way: `when` names an optional request field and a reply field of the same wire
/// name (a string or an integer), `unset` optional request fields.
fn check_alternative(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    raw: &RawAlternative,
    request: &[Field],
    response: &[Field],
    items: &dyn Fn(&str) -> Option<Vec<Field>>,
) -> Option<PagingAlternative> {
    let style = check_style(
        ctx,
        path,
        &raw.cursor,
        &raw.complete_when,
        request,
        response,
        items,
    );
    let at = path.key("when");
    let asked = find(ctx, &at, request, &raw.when, "request");
    let answered = find(ctx, &at, response, &raw.when, "response");
    let mut sound = true;
    if let Some(asked) = asked {
        if asked.required {
            ctx.error(
                &at,
                format!(
                    "`{}` is a required request field, so every request would take this way",
                    asked.wire
                ),
                "name an optional request field that only this way of paging sets",
            );
            sound = false;
        }
    }
    if let Some(answered) = answered {
        if !matches!(answered.ty, Ty::String | Ty::Int(_)) {
            ctx.error(
                &at,
                format!(
                    "`{}` is a {} field of the reply, not a string or an integer",
                    answered.wire, answered.ty
                ),
                "the alternative is taken when the reply carries this cursor non-empty or non-zero",
            );
            sound = false;
        }
    }
    let mut unset = Vec::new();
    for (i, name) in raw.unset.iter().enumerate() {
        let at = path.key("unset").index(i);
        match find(ctx, &at, request, name, "request") {
            Some(field) if field.required => {
                ctx.error(
                    &at,
                    format!("`{name}` is a required request field and cannot be left unset"),
                    "name an optional request field",
                );
                sound = false;
            }
            Some(field) => unset.push(field.rust.clone()),
            None => sound = false,
        }
    }
    let (asked, answered) = (asked?, answered?);
    let (cursor, complete) = style?;
    sound.then(|| PagingAlternative {
        when_request: asked.rust.clone(),
        when_response: answered.rust.clone(),
        when_response_optional: !answered.required && !answered.default,
        when_is_string: answered.ty == Ty::String,
        unset,
        cursor,
        complete,
    })
}

/// One way of paging: its cursor steps and its last-page test.
fn check_style(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    raw_cursor: &[RawCursor],
    raw_complete: &RawComplete,
    request: &[Field],
    response: &[Field],
    items: &dyn Fn(&str) -> Option<Vec<Field>>,
) -> Option<(Vec<Cursor>, Complete)> {
    if raw_cursor.is_empty() {
        ctx.error(
            &path.key("cursor"),
            "paging needs at least one cursor field",
            "map the reply's next-page field to the request's start field",
        );
    }
    let mut cursor = Vec::new();
    for (i, c) in raw_cursor.iter().enumerate() {
        let at = path.key("cursor").index(i);
        let Some(to) = find(ctx, &at.key("request"), request, &c.request, "request") else {
            continue;
        };
        match (&c.response, &c.advance_by, &c.before_smallest) {
            (None, None, Some(smallest)) => {
                let at = at.key("before_smallest");
                let Some(list) = find(ctx, &at.key("list"), response, &smallest.list, "response") else {
                    continue;
                };
                let item = match &list.ty {
                    Ty::Array(inner) => match &**inner {
                        Ty::Named { name, kind: crate::model::NamedKind::Object, .. } => items(name).and_then(|fields| fields.iter().find(|f| f.wire == smallest.field).cloned()),
                        _ => None,
                    },
                    _ => None,
                };
                match (item, &to.ty) {
                    (Some(item), Ty::Int(_)) if item.ty == to.ty => cursor.push(Cursor::BeforeSmallest(CursorBeforeSmallest {
                        to: to.rust.clone(),
                        optional: !to.required,
                        list: list.rust.clone(),
                        list_optional: !list.required && !list.default,
                        field: item.rust.clone(),
                        field_optional: !item.required && !item.default,
                    })),
                    (Some(item), _) => ctx.error(&at.key("field"), format!("`{}` is {} but `{}` is {}", item.wire, item.ty, to.wire, to.ty), "the smallest value and the request field have the same integer type"),
                    (None, _) => ctx.error(&at, format!("`{}` is not an array of objects with the field `{}`", smallest.list, smallest.field), "name a reply array of objects and an integer field of them (`RspMsgList`, `MsgSeq`)"),
                }
            }
            (Some(from), None, None) => {
                // `Next`, or `Cursor.Next` through object fields.
                let mut steps: Vec<(String, bool)> = Vec::new();
                let mut fields: Vec<Field> = response.to_vec();
                let mut found: Option<Field> = None;
                let segments: Vec<&str> = from.split('.').collect();
                for (n, segment) in segments.iter().enumerate() {
                    let Some(field) = find(ctx, &at.key("response"), &fields, segment, if n == 0 { "response" } else { "nested object" }).cloned() else {
                        break;
                    };
                    steps.push((field.rust.clone(), !field.required && !field.default));
                    if n + 1 < segments.len() {
                        match &field.ty {
                            Ty::Named { name, kind: crate::model::NamedKind::Object, .. } => {
                                fields = items(name).unwrap_or_default();
                            }
                            other => {
                                ctx.error(&at.key("response"), format!("`{}` is a {other} field, not an object to look into", field.wire), "a dotted cursor goes through object fields");
                                break;
                            }
                        }
                    } else {
                        found = Some(field);
                    }
                }
                let Some(from) = found else { continue };
                if !matches!(from.ty, Ty::Int(_) | Ty::String) {
                    ctx.error(&at.key("response"), format!("`{}` is a {} field, not an integer or a string", from.wire, from.ty), "paging copies integer indexes and string cursors");
                } else if from.ty != to.ty {
                    ctx.error(&at, format!("`{}` is {} but `{}` is {}", from.wire, from.ty, to.wire, to.ty), "give the two fields the same type");
                } else {
                    cursor.push(Cursor::Copy(CursorCopy {
                        from_optional: steps.iter().any(|(_, optional)| *optional),
                        from: steps,
                        to: to.rust.clone(),
                        optional: !to.required,
                        owned: from.ty == Ty::String,
                    }));
                }
            }
            (None, Some(by), None) => {
                let Some(by) = find(ctx, &at.key("advance_by"), response, by, "response") else {
                    continue;
                };
                match (&to.ty, &by.ty) {
                    (Ty::Int(int), Ty::Array(_)) => cursor.push(Cursor::Advance(CursorAdvance {
                        to: to.rust.clone(),
                        int: *int,
                        optional: !to.required,
                        by: by.rust.clone(),
                        by_optional: !by.required && !by.default,
                    })),
                    (Ty::Int(_), other) => ctx.error(&at.key("advance_by"), format!("`{}` is a {other} field, not an array", by.wire), "`advance_by` names the reply's list of items, whose length the offset grows by"),
                    (other, _) => ctx.error(&at.key("request"), format!("`{}` is a {other} field, not an integer", to.wire), "`advance_by` grows an integer offset"),
                }
            }
            _ => ctx.error(&at, "a cursor has one of `response` (a reply field to copy), `advance_by` (a reply array whose length the offset grows by) or `before_smallest` (one below the smallest value of a field of the reply's items)", ""),
        }
    }
    let complete = check_complete(ctx, path, raw_complete, response);
    if cursor.len() != raw_cursor.len() {
        return None;
    }
    Some((cursor, complete?))
}

fn check_complete(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    raw: &RawComplete,
    response: &[Field],
) -> Option<Complete> {
    let at = path.key("complete_when").key("field");
    let field = find(ctx, &at, response, &raw.field, "response")?;
    let optional = !field.required && !field.default;
    let when = match raw.is {
        RawCompleteIs::Zero => CompleteWhen::Zero,
        RawCompleteIs::NonZero => CompleteWhen::NonZero,
        RawCompleteIs::Empty => CompleteWhen::Empty,
    };
    match (when, &field.ty) {
        (CompleteWhen::Empty, Ty::String | Ty::Array(_)) => {}
        (CompleteWhen::Empty, other) => {
            ctx.error(&at, format!("`{}` is a {other} field, which cannot be empty", field.wire), "`is: empty` reads a string cursor or a list of items; for a number use `zero` or `non_zero`");
            return None;
        }
        (_, Ty::Int(_)) if optional => {
            ctx.error(
                &at,
                format!("`{}` is optional with no default, so a reply without it could not say whether it is the last page", field.wire),
                "make the field required, or give it `\"default\": 0` if the docs say what its absence means",
            );
            return None;
        }
        (_, Ty::Int(_)) => {}
        (_, other) => {
            ctx.error(
                &at,
                format!("`{}` is a {other} field, not an integer", field.wire),
                "`zero` and `non_zero` read an integer; `empty` reads a string or an array",
            );
            return None;
        }
    }
    Some(Complete {
        field: field.rust.clone(),
        when,
        optional,
    })
}
