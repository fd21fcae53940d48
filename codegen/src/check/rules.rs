//! Rules against the type of the field they sit on.

use super::FileCtx;
use crate::model::{NamedKind, Pattern, Rules, Ty};
use crate::parse::raw::RawRules;
use crate::parse::SemPath;

pub(crate) fn check_rules(ctx: &mut FileCtx<'_>, path: &SemPath, raw: &RawRules, ty: &Ty) -> Rules {
    let is_text = matches!(ty, Ty::String);
    let is_union = matches!(
        ty,
        Ty::Named {
            kind: NamedKind::Union(_),
            ..
        }
    );
    let is_array = matches!(ty, Ty::Array(_));
    let misfit = |ctx: &mut FileCtx<'_>, rule: &str, applies: &str| {
        ctx.error(
            &path.key(rule),
            format!("rule `{rule}` does not apply to a field of type {ty}"),
            format!("`{rule}` applies to {applies}"),
        );
    };

    let mut rules = Rules::default();
    if let Some(non_empty) = raw.non_empty {
        if is_text || is_array {
            rules.non_empty = non_empty;
        } else {
            misfit(ctx, "non_empty", "strings and arrays");
        }
    }
    for (rule, value, slot) in [
        ("min_bytes", raw.min_bytes, &mut rules.min_bytes),
        ("max_bytes", raw.max_bytes, &mut rules.max_bytes),
    ] {
        if value.is_some() {
            if is_text || is_union {
                *slot = value;
            } else {
                misfit(ctx, rule, "strings and unions that may hold a string");
            }
        }
    }
    for (rule, value, slot) in [
        ("min_items", raw.min_items, &mut rules.min_items),
        ("max_items", raw.max_items, &mut rules.max_items),
    ] {
        if value.is_some() {
            if is_array {
                *slot = value;
            } else {
                misfit(ctx, rule, "arrays");
            }
        }
    }
    for (rule, value, slot) in [
        ("min", raw.min, &mut rules.min),
        ("max", raw.max, &mut rules.max),
    ] {
        let Some(value) = value else { continue };
        match ty {
            Ty::Int(int) => {
                let (lo, hi) = int.range();
                if (lo..=hi).contains(&value) {
                    *slot = Some(value);
                } else {
                    ctx.error(
                        &path.key(rule),
                        format!("{rule} ({value}) is outside the range of {ty} ({lo} to {hi})"),
                        format!(
                            "write a bound within the range of {ty}, or change the field's type"
                        ),
                    );
                }
            }
            _ => ctx.error(
                &path.key(rule),
                format!("rule `{rule}` does not apply to a field of type {ty}"),
                int_bound_hint(ty),
            ),
        }
    }
    bounds(ctx, path, "min", "max", rules.min, rules.max);
    bounds(
        ctx,
        path,
        "min_bytes",
        "max_bytes",
        rules.min_bytes,
        rules.max_bytes,
    );
    bounds(
        ctx,
        path,
        "min_items",
        "max_items",
        rules.min_items,
        rules.max_items,
    );

    if let Some(p) = &raw.pattern {
        let at = path.key("pattern");
        if !is_text {
            misfit(ctx, "pattern", "strings");
        } else {
            if let Err(why) = check_charset(&p.chars) {
                ctx.error(
                    &at.key("chars"),
                    format!("bad character set `{}`: {why}", p.chars),
                    CHARSET_HINT,
                );
            }
            let min = p.min.unwrap_or(1);
            if let Some(max) = p.max {
                if max < min {
                    ctx.error(
                        &at.key("max"),
                        format!("max ({max}) is below min ({min})"),
                        "",
                    );
                }
            }
            rules.pattern = Some(Pattern {
                prefix: p.prefix.clone(),
                chars: p.chars.clone(),
                min,
                max: p.max,
            });
        }
    }
    if let Some(chars) = &raw.charset {
        if !is_text {
            misfit(ctx, "charset", "strings");
        } else if let Err(why) = check_charset(chars) {
            ctx.error(
                &path.key("charset"),
                format!("bad character set `{chars}`: {why}"),
                CHARSET_HINT,
            );
        } else {
            rules.charset = Some(chars.clone());
        }
    }
    match (ty, &raw.each) {
        (Ty::Array(inner), each) => {
            // Items are checked even without `each`: objects in them (at any depth) have
            // rules of their own.
            let none = RawRules::default();
            let each = check_rules(
                ctx,
                &path.key("each"),
                each.as_deref().unwrap_or(&none),
                inner,
            );
            if !each.is_empty() {
                rules.each = Some(Box::new(each));
            }
        }
        (_, Some(_)) => misfit(ctx, "each", "arrays (it holds the rules of each item)"),
        (_, None) => {}
    }
    rules.nested = matches!(
        ty,
        Ty::Named {
            kind: NamedKind::Object,
            ..
        }
    );
    rules
}

/// Where `min`/`max` was probably meant, for a field that is not an integer.
fn int_bound_hint(ty: &Ty) -> String {
    const BOUND: &str = "`min` and `max` bound integers (i32, i64, u32, u64)";
    match ty {
        Ty::String => format!("{BOUND}; for the length of a string use min_bytes/max_bytes"),
        Ty::Named {
            kind: NamedKind::Union(_),
            ..
        } => format!("{BOUND}; for the text of a union use min_bytes/max_bytes"),
        Ty::Array(inner) if matches!(**inner, Ty::Int(_)) => format!(
            "{BOUND}; for the length of an array use min_items/max_items, and to bound each item put min/max in `each`"
        ),
        Ty::Array(_) => format!("{BOUND}; for the length of an array use min_items/max_items"),
        _ => BOUND.to_owned(),
    }
}

const CHARSET_HINT: &str = "write ASCII characters and ranges such as `A-Za-z0-9_`";

fn bounds<T: PartialOrd + std::fmt::Display>(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    lo: &str,
    hi: &str,
    min: Option<T>,
    max: Option<T>,
) {
    if let (Some(min), Some(max)) = (min, max) {
        if max < min {
            ctx.error(
                &path.key(hi),
                format!("{hi} ({max}) is below {lo} ({min})"),
                "",
            );
        }
    }
}

/// The same grammar as the runtime's `CharSet`: ASCII, `a-z` ranges in order, not empty.
pub(crate) fn check_charset(spec: &str) -> Result<(), &'static str> {
    if spec.is_empty() {
        return Err("it is empty");
    }
    if !spec.is_ascii() {
        return Err("only ASCII characters are supported");
    }
    let b = spec.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if i + 2 < b.len() && b[i + 1] == b'-' {
            if b[i + 2] < b[i] {
                return Err("a range ends before it starts");
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}
