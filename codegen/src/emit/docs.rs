//! `#[doc]` attributes from schema text.

use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc = " line"]` per line, so `cargo expand` shows ordinary `///` comments.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {}", escape_brackets(l))
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Escapes square brackets that rustdoc would read as a broken link: schema text quotes the
/// service's own bracketed words (the offline push text `[位置]`). Kept as they are: Markdown
/// links (`[text](url)`) and intra-doc links to code (`` [`Error`] ``).
fn escape_brackets(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close) => {
                let inner = &after[..close];
                let tail = &after[close + 1..];
                let link = inner.starts_with('`') || tail.starts_with('(') || inner.is_empty();
                if link {
                    out.push('[');
                    out.push_str(inner);
                    out.push(']');
                } else {
                    out.push_str("\\[");
                    out.push_str(inner);
                    out.push_str("\\]");
                }
                rest = tail;
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Docs from optional schema text, with paragraphs appended.
pub(crate) fn doc_parts<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let text: Vec<&str> = parts
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    doc(&text.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::escape_brackets;

    #[test]
    fn bracketed_words_are_escaped_and_links_kept() {
        assert_eq!(
            escape_brackets(r#"push text "[位置]" or "[Location]""#),
            r#"push text "\[位置\]" or "\[Location\]""#
        );
        assert_eq!(
            escape_brackets("see [the page](https://x)"),
            "see [the page](https://x)"
        );
        assert_eq!(escape_brackets("as an [`Error`]"), "as an [`Error`]");
        assert_eq!(
            escape_brackets("an empty [] list, [unclosed"),
            "an empty [] list, [unclosed"
        );
    }
}
