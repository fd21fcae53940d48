//! Request URLs: checking a base URL, building `{base}/{path}?sdkappid=..`, and redacting the
//! UserSig out of any URL or text that is about to be shown.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::BuildError;

/// What replaces the value of a `usersig` query parameter in anything shown.
pub(crate) const REDACTED: &str = "***";

/// Checks a base URL given to the builder and returns it without a trailing slash.
///
/// Accepts `http` and `https` with a host, an optional port and an optional path prefix.
/// Rejects user info, queries and fragments (the client adds its own query), and plain `http`
/// to any host that is not loopback unless `danger_allow_insecure_http` is set.
pub(crate) fn check_base_url(input: &str, allow_insecure_http: bool) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        reason: reason.to_owned(),
    };
    let input = input.trim();
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid("must not contain whitespace or control characters"));
    }
    let (scheme, rest) = input
        .split_once("://")
        .ok_or_else(|| invalid("must start with https:// (or http:// for a loopback host)"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(invalid("the scheme must be https or http"));
    }
    if rest.contains('?') || rest.contains('#') {
        return Err(invalid(
            "must not carry a query or fragment; the client adds the query itself",
        ));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(invalid("must not carry user info (user:password@)"));
    }
    let host = host_of(authority).ok_or_else(|| invalid("has no valid host[:port]"))?;
    if scheme == "http" && !allow_insecure_http && !is_loopback_host(host) {
        return Err(BuildError::InsecureHttp {
            host: host.to_owned(),
        });
    }
    let path = path.trim_end_matches('/');
    Ok(format!("{scheme}://{authority}{path}"))
}

/// The host part of `host[:port]` or `[v6][:port]`, if the authority is well formed.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &authority[..end + 2];
        rest[..end].parse::<Ipv6Addr>().ok()?;
        let after = &rest[end + 1..];
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || port.parse::<u16>().is_err() {
            return None;
        }
    }
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    if host.is_empty() || (!host.starts_with('[') && !host.chars().all(ok_char)) {
        return None;
    }
    Some(host)
}

/// `localhost`, `127.0.0.0/8` or `[::1]`.
fn is_loopback_host(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower == "localhost" {
        return true;
    }
    if let Some(v6) = lower.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6
            .parse::<Ipv6Addr>()
            .map(|a| a.is_loopback())
            .unwrap_or(false);
    }
    lower
        .parse::<Ipv4Addr>()
        .map(|a| a.is_loopback())
        .unwrap_or(false)
}

/// `{base}/{path}?sdkappid=..&identifier=..&usersig=..&random=..&contenttype=json`.
pub(crate) fn endpoint_url(
    base: &str,
    path: &str,
    sdkappid: u64,
    identifier: &str,
    usersig: &str,
    random: u32,
) -> String {
    let path = path.trim_start_matches('/');
    let mut url = String::with_capacity(base.len() + path.len() + usersig.len() + 96);
    url.push_str(base);
    url.push('/');
    url.push_str(path);
    url.push_str("?sdkappid=");
    url.push_str(&sdkappid.to_string());
    url.push_str("&identifier=");
    encode_into(&mut url, identifier);
    url.push_str("&usersig=");
    encode_into(&mut url, usersig);
    url.push_str("&random=");
    url.push_str(&random.to_string());
    url.push_str("&contenttype=json");
    url
}

/// Appends `&name=value` to a URL's query, the value percent-encoded: a command's own query
/// parameters, written by the generated `Endpoint::extra_query`.
pub fn push_query(url: &mut String, name: &str, value: &dyn std::fmt::Display) {
    url.push('&');
    encode_into(url, name);
    url.push('=');
    encode_into(url, &value.to_string());
}

/// Percent-encodes a query value. Unreserved characters stay, and so does `*`, which the
/// UserSig alphabet uses (`A-Za-z0-9*-_`) and which RFC 3986 allows in a query as it is.
fn encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'*') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0x0f)] as char);
        }
    }
}

/// Decodes `%XX` escapes (and `+` as a space, as forms do); bad escapes stay as they are.
pub(crate) fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
                out.push(hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded value of the first query parameter called `name`, if any.
pub(crate) fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or("");
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == name).then(|| decode(v))
    })
}

/// The path of a URL (from the first `/` after the authority up to the query).
pub(crate) fn path_of(url: &str) -> &str {
    let without_query = url.split(['?', '#']).next().unwrap_or("");
    let after_scheme = match without_query.split_once("://") {
        Some((_, rest)) => rest,
        None => without_query,
    };
    match after_scheme.find('/') {
        Some(i) => &after_scheme[i..],
        None => "/",
    }
}

/// Replaces the value of every `usersig=` in `text` (any case) with `***`.
///
/// Works on a bare URL and on free text that quotes one, such as an HTTP library's error
/// message; the value ends at `&`, `#`, whitespace, a quote, or a closing bracket.
pub(crate) fn redact(text: &str) -> Cow<'_, str> {
    const KEY: &str = "usersig=";
    let lower = text.to_ascii_lowercase();
    if !lower.contains(KEY) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest_start = 0;
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find(KEY) {
        let value_start = search_from + found + KEY.len();
        let value_end = text[value_start..]
            .find(|c: char| {
                c == '&'
                    || c == '#'
                    || c == '"'
                    || c == '\''
                    || c == ')'
                    || c == ']'
                    || c == '>'
                    || c.is_whitespace()
            })
            .map_or(text.len(), |i| value_start + i);
        out.push_str(&text[rest_start..value_start]);
        if value_end > value_start {
            out.push_str(REDACTED);
        }
        rest_start = value_end;
        search_from = value_end;
    }
    out.push_str(&text[rest_start..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let ok = |s: &str| check_base_url(s, false).unwrap();
        assert_eq!(
            ok("https://console.tim.qq.com/"),
            "https://console.tim.qq.com"
        );
        assert_eq!(ok("HTTPS://h.example:8443/p/"), "https://h.example:8443/p");
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(ok("http://127.9.9.9"), "http://127.9.9.9");
        assert_eq!(ok("http://localhost:1/"), "http://localhost:1");
        assert_eq!(ok("http://[::1]:9000"), "http://[::1]:9000");
        for bad in [
            "console.tim.qq.com",
            "ftp://x",
            "https://",
            "https://a b",
            "https://u:p@host",
            "https://h?x=1",
            "https://h:port",
            "https://[zz]:1",
        ] {
            assert!(
                matches!(
                    check_base_url(bad, false),
                    Err(BuildError::InvalidBaseUrl { .. })
                ),
                "{bad}"
            );
        }
        for insecure in ["http://example.com", "http://10.0.0.1", "http://[::2]"] {
            assert!(matches!(
                check_base_url(insecure, false),
                Err(BuildError::InsecureHttp { .. })
            ));
            assert!(check_base_url(insecure, true).is_ok());
        }
    }

    #[test]
    fn builds_and_reads_urls() {
        let url = endpoint_url(
            "https://h",
            "/v4/sns/friend_import",
            1400000000,
            "ad min&x",
            "eJy*ab-c_",
            42,
        );
        assert_eq!(
            url,
            "https://h/v4/sns/friend_import?sdkappid=1400000000&identifier=ad%20min%26x\
             &usersig=eJy*ab-c_&random=42&contenttype=json"
        );
        assert_eq!(query_param(&url, "identifier").as_deref(), Some("ad min&x"));
        assert_eq!(query_param(&url, "usersig").as_deref(), Some("eJy*ab-c_"));
        assert_eq!(query_param(&url, "nope"), None);
        assert_eq!(path_of(&url), "/v4/sns/friend_import");
        assert_eq!(decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn redacts() {
        let url = "https://h/p?sdkappid=1&usersig=SECRET&random=2";
        assert_eq!(redact(url), "https://h/p?sdkappid=1&usersig=***&random=2");
        assert_eq!(
            redact("error sending request for url (http://h/p?UserSig=SECRET)"),
            "error sending request for url (http://h/p?UserSig=***)"
        );
        assert_eq!(
            redact("a usersig=S b usersig=T"),
            "a usersig=*** b usersig=***"
        );
        assert_eq!(redact("nothing here"), "nothing here");
        assert_eq!(redact("usersig="), "usersig=");
    }
}
