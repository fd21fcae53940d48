//! Error codes: names, codes, and clashes within a file and with the common catalog.

use super::{names, FileCtx};
use crate::model::ErrorCode;
use crate::parse::raw::RawErrorCode;
use crate::parse::SemPath;

pub(crate) fn check_codes(
    ctx: &mut FileCtx<'_>,
    path: &SemPath,
    raw: &[RawErrorCode],
    common: &[ErrorCode],
) -> Vec<ErrorCode> {
    let mut out: Vec<ErrorCode> = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let at = path.index(i);
        if e.code == 0 {
            ctx.error(
                &at.key("code"),
                "0 means success, not an error",
                "remove this entry",
            );
        }
        if !names::is_upper_camel(&e.name) || names::is_keyword(&e.name) {
            ctx.error(
                &at.key("name"),
                format!("`{}` is not an UpperCamelCase variant name", e.name),
                "name codes like enum variants: `WriteConflict`",
            );
        } else if e.name == "Unknown" {
            ctx.error(
                &at.key("name"),
                "`Unknown` is the variant for undocumented codes",
                "pick another name",
            );
        }
        if let Some(prev) = out.iter().find(|p| p.code == e.code) {
            ctx.error(
                &at.key("code"),
                format!("code {} is listed twice (also as `{}`)", e.code, prev.name),
                "keep one entry per code",
            );
        } else if let Some(prev) = common.iter().find(|p| p.code == e.code) {
            ctx.error(
                &at.key("code"),
                format!("code {} is a common code (`{}`)", e.code, prev.name),
                "every endpoint's Error already has the common codes; remove it here",
            );
        }
        if let Some(prev) = out
            .iter()
            .chain(common)
            .find(|p| p.name == e.name && p.code != e.code)
        {
            ctx.error(
                &at.key("name"),
                format!(
                    "variant name `{}` is already used by code {}",
                    e.name, prev.code
                ),
                "give each code its own name",
            );
        }
        if e.zh.trim().is_empty() || e.en.trim().is_empty() {
            ctx.error(
                &at,
                format!("code {} needs both messages", e.code),
                "`zh` is the documented Chinese text, `en` an English one",
            );
        }
        out.push(ErrorCode {
            code: e.code,
            name: e.name.clone(),
            zh: e.zh.clone(),
            en: e.en.clone(),
            retry: e.retry,
        });
    }
    out
}

/// The success-like codes of each `result_code`: each is an entry of the endpoint's own error
/// table (whose name and texts it takes), listed once, not 0, and not an outcome name already
/// taken.
pub(crate) fn resolve_ok_codes(
    ctx: &mut FileCtx<'_>,
    types: &mut [crate::model::TypeDef],
    errors: &[ErrorCode],
) {
    let names: Vec<String> = types.iter().map(|t| t.name.clone()).collect();
    for def in types.iter_mut() {
        let crate::model::TypeKind::Object {
            result_code: Some(result_code),
            ..
        } = &mut def.kind
        else {
            continue;
        };
        if result_code.ok.is_empty() {
            continue;
        }
        let at = SemPath::root()
            .key("types")
            .key(&def.name)
            .key("result_code")
            .key("ok");
        let outcome = format!("{}Outcome", def.name);
        if names.contains(&outcome) {
            ctx.error(
                &at,
                format!(
                    "`{outcome}`, the outcome type of `{}`, is also a type of this file",
                    def.name
                ),
                "rename that type",
            );
        }
        let mut resolved: Vec<ErrorCode> = Vec::new();
        for (i, ok) in result_code.ok.iter().enumerate() {
            let code = ok.code;
            if code == 0 {
                ctx.error(
                    &at.index(i),
                    "0 is always a success",
                    "list only the other codes that mean success",
                );
            } else if resolved.iter().any(|r| r.code == code) {
                ctx.error(&at.index(i), format!("{code} is listed twice"), "");
            } else if let Some(entry) = errors.iter().find(|e| e.code == code) {
                if entry.name == "Done" {
                    ctx.error(
                        &at.index(i),
                        "`Done` is the outcome of code 0",
                        "rename the error entry",
                    );
                }
                resolved.push(entry.clone());
            } else {
                ctx.error(&at.index(i), format!("{code} is not a code of this endpoint's `errors`"), "list the code with its documented texts under `errors`; `ok` says which of them count as success");
            }
        }
        result_code.ok = resolved;
    }
}
