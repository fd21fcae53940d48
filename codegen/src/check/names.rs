//! Rust names for wire names: `From_Account` -> `from_account`, `friend_import` -> `FriendImport`.

/// Keywords a raw identifier (`r#type`) cannot spell.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Strict and reserved keywords of every edition.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// snake_case of a wire name: words split at `_`, at other punctuation, at a lower-to-upper
/// change, before the last capital of an acronym (`SDKAppID` -> `sdk_app_id`), and after
/// digits unless they sit inside an acronym (`C2CUnreadMsgNum` -> `c2c_unread_msg_num`).
pub fn snake_case(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // After digits, a capital starts a word when a lowercase letter precedes the digits
            // (`Tag2Name`) or follows the capital (`A2Invalid`); inside an acronym it does not
            // (`C2CUnread` -> `c2c_unread`, not `c2_c_unread`).
            let after_digits = prev.is_ascii_digit() && {
                let before = chars[..i].iter().rev().find(|c| !c.is_ascii_digit());
                before.is_some_and(|b| b.is_ascii_lowercase()) || next_lower
            };
            let boundary = prev.is_ascii_lowercase()
                || after_digits
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out.trim_end_matches('_').to_owned()
}

/// UpperCamelCase of a snake_case name: `friend_import` -> `FriendImport`.
pub fn upper_camel(snake: &str) -> String {
    snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Whether `s` is an identifier (ASCII letters, digits, `_`; not starting with a digit).
pub fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

/// Whether `s` is an UpperCamelCase identifier.
pub fn is_upper_camel(s: &str) -> bool {
    is_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase()) && !s.contains('_')
}

/// The identifier to use for a field: `Err` explains why no identifier fits.
pub fn field_ident(name: &str) -> Result<String, String> {
    if !is_ident(name) {
        return Err(format!("`{name}` is not a Rust identifier"));
    }
    if NOT_RAW.contains(&name) {
        return Err(format!(
            "`{name}` is a keyword that cannot be a field name, even as `r#{name}`"
        ));
    }
    if KEYWORDS.contains(&name) {
        return Ok(format!("r#{name}"));
    }
    Ok(name.to_owned())
}

/// Whether `name` is a keyword (types and modules may not be).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases_acronyms_with_digits() {
        assert_eq!(snake_case("AllC2CUnreadMsgNum"), "all_c2c_unread_msg_num");
        assert_eq!(snake_case("C2CMsgInfo"), "c2c_msg_info");
        assert_eq!(snake_case("Tag2Name"), "tag2_name");
        assert_eq!(snake_case("UserSigOrA2Invalid"), "user_sig_or_a2_invalid");
        assert_eq!(snake_case("FileMD5"), "file_md5");
    }

    #[test]
    fn snake_cases_wire_names() {
        for (wire, rust) in [
            ("From_Account", "from_account"),
            ("AddFriendItem", "add_friend_item"),
            ("Fail_Account", "fail_account"),
            ("ResultCode", "result_code"),
            ("SDKAppID", "sdk_app_id"),
            ("TLS.ver", "tls_ver"),
            ("Tag_SNS_IM_Group", "tag_sns_im_group"),
            ("MaxLimited", "max_limited"),
        ] {
            assert_eq!(snake_case(wire), rust, "{wire}");
        }
    }

    #[test]
    fn camel_cases_commands() {
        assert_eq!(upper_camel("friend_import"), "FriendImport");
        assert_eq!(upper_camel("black_list_get"), "BlackListGet");
    }

    #[test]
    fn keywords_become_raw_or_fail() {
        assert_eq!(field_ident("type").unwrap(), "r#type");
        assert!(field_ident("self").is_err());
        assert!(field_ident("9lives").is_err());
    }
}
