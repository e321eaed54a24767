//! Markdown-lite for implementation steps: everything is escaped, then `**bold**` becomes
//! `<strong>` and `` `code` `` becomes `<code>` (nothing inside code is emphasised).

use maud::{Escaper, PreEscaped};
use std::fmt::Write as _;

fn escape(text: &str, out: &mut String) {
    let _ = Escaper::new(out).write_str(text);
}

/// Renders bold outside code spans.
fn emphasis(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(start) = rest.find("**") {
        let after = &rest[start + 2..];
        match after.find("**") {
            Some(end) if end > 0 => {
                escape(&rest[..start], out);
                out.push_str("<strong>");
                escape(&after[..end], out);
                out.push_str("</strong>");
                rest = &after[end + 2..];
            }
            _ => break,
        }
    }
    escape(rest, out);
}

/// The HTML of one Markdown-lite text.
pub fn render(text: &str) -> PreEscaped<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let after = &rest[start + 1..];
        match after.find('`') {
            Some(end) => {
                emphasis(&rest[..start], &mut out);
                out.push_str("<code>");
                escape(&after[..end], &mut out);
                out.push_str("</code>");
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    emphasis(rest, &mut out);
    PreEscaped(out)
}

#[cfg(test)]
mod tests {
    use super::render;

    fn r(s: &str) -> String {
        render(s).0
    }

    #[test]
    fn escapes_everything() {
        assert_eq!(
            r("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert!(!r("**<script>**").contains("<script>"));
        assert!(!r("`<script>`").contains("<script>"));
        assert_eq!(r("**<b>**"), "<strong>&lt;b&gt;</strong>");
    }

    #[test]
    fn renders_bold_and_code() {
        assert_eq!(
            r("Open **Entra admin center** and run `Set-X -Y 1`."),
            "Open <strong>Entra admin center</strong> and run <code>Set-X -Y 1</code>."
        );
        assert_eq!(r("`a**b**c`"), "<code>a**b**c</code>");
        assert_eq!(
            r("**a** `b` **c**"),
            "<strong>a</strong> <code>b</code> <strong>c</strong>"
        );
    }

    #[test]
    fn leaves_unpaired_markers() {
        assert_eq!(r("a ** b"), "a ** b");
        assert_eq!(r("a ` b"), "a ` b");
        assert_eq!(r("****"), "****");
    }
}
