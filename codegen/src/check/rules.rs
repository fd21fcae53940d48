//! Rules against the type of the value they sit on: the one checker of the rule language,
//! for a schema's `rules` and for `#[validate(...)]` alike. Each front end reads its syntax
//! into [`RawRules`], says what the value is as a [`Target`], and collects the problems
//! through [`Report`] (located in the JSON text, or at the attribute's spans).

use crate::diagnostic::Report;
use crate::model::{Int, NamedKind, Pattern, Rules, Ty};
use crate::parse::raw::RawRules;
use crate::parse::SemPath;

/// What a set of rules sits on, as far as its front end can tell.
#[derive(Clone)]
pub(crate) struct Target {
    /// How the type is spelt in messages: the schema's spelling (`[AddFriendItem]`) or the
    /// Rust one (`Vec<String>`).
    pub shown: String,
    pub kind: TargetKind,
}

#[derive(Clone)]
pub(crate) enum TargetKind {
    Text,
    Int {
        name: &'static str,
        lo: i128,
        hi: i128,
    },
    /// `f64`: bounded by `min`/`max` as a number.
    Float,
    /// A string-or-integer union: its text may be bounded.
    Union,
    /// A value with rules of its own (an object, an enum, a tagged union).
    Object,
    Array(Box<Target>),
    /// A map from strings to the target.
    Map(Box<Target>),
    /// A type the front end cannot see into (a Rust alias or a type of the user's): every rule
    /// is taken, and the compiler checks it through the bounds of the runtime's rule
    /// functions.
    Opaque,
    /// Anything no rule applies to (`bool`, a string enum, the envelope's status).
    Other,
}

impl Target {
    /// The target of a field of the schema.
    pub(crate) fn of_ty(ty: &Ty) -> Self {
        let kind = match ty {
            Ty::String => TargetKind::Text,
            Ty::Int(int) => int_kind(*int),
            Ty::Float => TargetKind::Float,
            Ty::Named {
                kind: NamedKind::Union(_),
                ..
            } => TargetKind::Union,
            Ty::Named { kind, .. } if kind.validates() => TargetKind::Object,
            Ty::Array(inner) => TargetKind::Array(Box::new(Target::of_ty(inner))),
            Ty::Map(inner) => TargetKind::Map(Box::new(Target::of_ty(inner))),
            Ty::Bool | Ty::ActionStatus | Ty::Named { .. } => TargetKind::Other,
        };
        Target {
            shown: ty.to_string(),
            kind,
        }
    }

    fn is_opaque(&self) -> bool {
        matches!(self.kind, TargetKind::Opaque)
    }
}

fn int_kind(int: Int) -> TargetKind {
    let (lo, hi) = int.range();
    TargetKind::Int {
        name: int.name(),
        lo,
        hi,
    }
}

pub(crate) fn check_rules<R: Report>(
    ctx: &mut R,
    path: &SemPath,
    raw: &RawRules,
    target: &Target,
) -> Rules {
    let opaque = target.is_opaque();
    let is_text = matches!(target.kind, TargetKind::Text) || opaque;
    let is_union = matches!(target.kind, TargetKind::Union);
    let is_map = matches!(target.kind, TargetKind::Map(_));
    let is_array = matches!(target.kind, TargetKind::Array(_)) || opaque;
    let shown = &target.shown;
    let misfit = |ctx: &mut R, rule: &str, applies: &str| {
        ctx.error(
            &path.key(rule),
            format!("rule `{rule}` does not apply to a field of type {shown}"),
            format!("`{rule}` applies to {applies}"),
        );
    };

    let mut rules = Rules::default();
    if let Some(non_empty) = raw.non_empty {
        if is_text || is_array || is_map {
            rules.non_empty = non_empty;
        } else {
            misfit(ctx, "non_empty", "strings, arrays and maps");
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
            if is_array || is_map {
                *slot = value;
            } else {
                misfit(ctx, rule, "arrays and maps (their entries)");
            }
        }
    }
    for (rule, value, slot) in [
        ("min", raw.min, &mut rules.min),
        ("max", raw.max, &mut rules.max),
    ] {
        let Some(value) = value else { continue };
        match target.kind {
            TargetKind::Int { name, lo, hi } => {
                if (lo..=hi).contains(&value) {
                    *slot = Some(value);
                } else {
                    ctx.error(
                        &path.key(rule),
                        format!("{rule} ({value}) is outside the range of {name} ({lo} to {hi})"),
                        format!(
                            "write a bound within the range of {name}, or change the field's type"
                        ),
                    );
                }
            }
            TargetKind::Opaque => *slot = Some(value),
            // A union's integer is a u64; its text and arrays pass.
            TargetKind::Union => {
                let (lo, hi) = Int::U64.range();
                if (lo..=hi).contains(&value) {
                    *slot = Some(value);
                } else {
                    ctx.error(
                        &path.key(rule),
                        format!("{rule} ({value}) is outside the range of a union's integer ({lo} to {hi})"),
                        String::new(),
                    );
                }
            }
            TargetKind::Float => {
                // Bounds the docs give are whole numbers (degrees); an f64 holds them exactly
                // up to 2^53.
                if value.unsigned_abs() <= 1 << 53 {
                    *slot = Some(value);
                    rules.float_bounds = true;
                } else {
                    ctx.error(
                        &path.key(rule),
                        format!("{rule} ({value}) is beyond what an f64 holds exactly"),
                        String::new(),
                    );
                }
            }
            _ => ctx.error(
                &path.key(rule),
                format!("rule `{rule}` does not apply to a field of type {shown}"),
                int_bound_hint(target),
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
                    CHARSET_HINT.to_owned(),
                );
            }
            if p.prefix.0.is_empty() {
                ctx.error(
                    &at.key("prefix"),
                    "`prefix` lists no prefix".to_owned(),
                    "give one prefix as a string, or several in an array (use \"\" for none)"
                        .to_owned(),
                );
            }
            for (i, one) in p.prefix.0.iter().enumerate() {
                if p.prefix.0[..i].contains(one) {
                    ctx.error(
                        &at.key("prefix").index(i),
                        format!("the prefix `{one}` is listed twice"),
                        "list each prefix once".to_owned(),
                    );
                }
            }
            let min = p.min.unwrap_or(1);
            if let Some(max) = p.max {
                if max < min {
                    ctx.error(
                        &at.key("max"),
                        format!("max ({max}) is below min ({min})"),
                        String::new(),
                    );
                }
            }
            rules.pattern = Some(Pattern {
                prefixes: p.prefix.0.clone(),
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
                CHARSET_HINT.to_owned(),
            );
        } else {
            rules.charset = Some(chars.clone());
        }
    }
    let opaque_item = Target {
        shown: String::new(),
        kind: TargetKind::Opaque,
    };
    let item = match &target.kind {
        TargetKind::Array(inner) => Some(&**inner),
        // An opaque value may be an array: its items get the rules `each` gives, and nothing
        // else is known of them (going further would never end).
        TargetKind::Opaque if raw.each.is_some() => Some(&opaque_item),
        _ => None,
    };
    match (item, &raw.each) {
        (Some(item), each) => {
            // Items are checked even without `each`: objects in them (at any depth) have
            // rules of their own.
            let none = RawRules::default();
            let each = check_rules(
                ctx,
                &path.key("each"),
                each.as_deref().unwrap_or(&none),
                item,
            );
            if !each.is_empty() {
                rules.each = Some(Box::new(each));
            }
        }
        (None, Some(_)) if !target.is_opaque() => ctx.error(
            &path.key("each"),
            format!("rule `each` does not apply to a field of type {shown}"),
            "`each` applies to arrays (it holds the rules of each item)".to_owned(),
        ),
        (None, _) => {}
    }
    for (key, raw_rules) in [("keys", &raw.keys), ("values", &raw.values)] {
        let Some(raw_rules) = raw_rules else { continue };
        let at = path.key(key);
        let inner = match (&target.kind, key) {
            (TargetKind::Map(_) | TargetKind::Opaque, "keys") => Target {
                shown: "string".to_owned(),
                kind: TargetKind::Text,
            },
            (TargetKind::Map(inner), _) => (**inner).clone(),
            (TargetKind::Opaque, _) => Target {
                shown: String::new(),
                kind: TargetKind::Opaque,
            },
            _ => {
                misfit(ctx, key, "maps (`{T}`)");
                continue;
            }
        };
        let checked = check_rules(ctx, &at, raw_rules, &inner);
        let slot = if key == "keys" {
            &mut rules.keys
        } else {
            &mut rules.values
        };
        if !checked.is_empty() {
            *slot = Some(Box::new(checked));
        }
    }
    // The values of a map of objects validate by themselves, as an array's items do.
    if let (TargetKind::Map(inner), None) = (&target.kind, &rules.values) {
        let checked = check_rules(ctx, &path.key("values"), &RawRules::default(), inner);
        if !checked.is_empty() {
            rules.values = Some(Box::new(checked));
        }
    }
    rules.max_json_bytes = raw.max_json_bytes;
    if raw.max_json_bytes == Some(0) {
        ctx.error(
            &path.key("max_json_bytes"),
            "no JSON value fits in 0 bytes".to_owned(),
            String::new(),
        );
    }
    // A schema's object is nested by its type; a Rust type says so with `nested`.
    rules.nested = match target.kind {
        TargetKind::Object => true,
        TargetKind::Opaque => raw.nested,
        _ if raw.nested => {
            let hint = if matches!(target.kind, TargetKind::Array(_)) {
                "for the items of an array write `each(nested)`"
            } else {
                "`nested` applies to values with rules of their own (types that implement Validate)"
            };
            ctx.error(
                &path.key("nested"),
                format!("rule `nested` does not apply to a field of type {shown}"),
                hint.to_owned(),
            );
            false
        }
        _ => false,
    };
    rules
}

/// Where `min`/`max` was probably meant, for a value that is not an integer.
fn int_bound_hint(target: &Target) -> String {
    const BOUND: &str = "`min` and `max` bound integers (i32, i64, u32, u64)";
    match &target.kind {
        TargetKind::Text => format!("{BOUND}; for the length of a string use min_bytes/max_bytes"),
        TargetKind::Array(inner) if matches!(inner.kind, TargetKind::Int { .. }) => format!(
            "{BOUND}; for the length of an array use min_items/max_items, and to bound each item put min/max in `each`"
        ),
        TargetKind::Array(_) => format!("{BOUND}; for the length of an array use min_items/max_items"),
        _ => BOUND.to_owned(),
    }
}

const CHARSET_HINT: &str = "write ASCII characters and ranges such as `A-Za-z0-9_`";

fn bounds<T: PartialOrd + std::fmt::Display>(
    ctx: &mut impl Report,
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
                String::new(),
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
