//! The HTML every format carries as an entry's content: lead image, excerpt, the Markdown
//! body rendered and sanitised, and a "Related coverage" list.

use std::collections::HashSet;
use std::fmt::Write;

use crate::entry::Entry;

/// Escapes text for HTML element content: `&`, `<` and `>` only, so text without them reads
/// the same whether a reader treats it as HTML or as plain text.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s, false);
    out
}

/// Escapes text for a quoted HTML or XML attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s, true);
    out
}

fn push_escaped(out: &mut String, s: &str, quotes: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn escape_into(out: &mut String, s: &str) {
    push_escaped(out, s, true);
}

fn text_into(out: &mut String, s: &str) {
    push_escaped(out, s, false);
}

/// Renders a Markdown body to sanitised HTML: no scripts, no event handlers, only http(s)
/// links, relative links resolved against the article's own URL (`base`).
pub fn markdown(body: &str, base: &str) -> String {
    if body.trim().is_empty() {
        return String::new();
    }
    let options =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    let parser = pulldown_cmark::Parser::new_ext(body, options);
    let mut raw = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, parser);
    let mut cleaner = ammonia::Builder::default();
    cleaner.url_schemes(HashSet::from(["http", "https"]));
    cleaner.url_relative(match url::Url::parse(base) {
        Ok(base) => ammonia::UrlRelative::RewriteWithBase(base),
        Err(_) => ammonia::UrlRelative::Deny,
    });
    cleaner.clean(&raw).to_string()
}

/// Builds an entry's HTML content around its already-sanitised `body_html`.
pub fn content(entry: &Entry, body_html: &str) -> String {
    let mut out = String::with_capacity(256 + body_html.len());
    if let Some(image) = entry.images.first() {
        out.push_str("<p><img src=\"");
        escape_into(&mut out, &image.url);
        out.push_str("\" alt=\"\"");
        if let Some(w) = image.width {
            let _ = write!(out, " width=\"{w}\"");
        }
        if let Some(h) = image.height {
            let _ = write!(out, " height=\"{h}\"");
        }
        out.push_str("></p>\n");
    }
    if let Some(summary) = &entry.summary {
        out.push_str("<p>");
        text_into(&mut out, summary);
        out.push_str("</p>\n");
    }
    if !body_html.is_empty() {
        out.push_str(body_html.trim_end());
        out.push('\n');
    }
    if !entry.related.is_empty() {
        out.push_str("<h3>Related coverage</h3>\n<ul>\n");
        for item in &entry.related {
            out.push_str("<li><a href=\"");
            escape_into(&mut out, &item.url);
            out.push_str("\">");
            text_into(&mut out, &item.title);
            out.push_str("</a>");
            let provider = item.provider.as_deref();
            let date = item.published.map(|d| d.format("%-d %B %Y").to_string());
            match (provider, date) {
                (Some(p), Some(d)) => {
                    out.push_str(" — ");
                    text_into(&mut out, p);
                    let _ = write!(out, ", {d}");
                }
                (Some(p), None) => {
                    out.push_str(" — ");
                    text_into(&mut out, p);
                }
                (None, Some(d)) => {
                    let _ = write!(out, " — {d}");
                }
                (None, None) => {}
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    // `]]>` would end the CDATA section RSS wraps this in; `&gt;` means the same in HTML,
    // in text and in attribute values alike.
    if out.contains("]]>") {
        out = out.replace("]]>", "]]&gt;");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_sanitised() {
        let html = markdown(
            "Hi **there** <script>alert(1)</script> <a href=\"javascript:x()\" onclick=\"y()\">l</a> [rel](/a/b)",
            "https://e.com/news/x",
        );
        assert!(html.contains("<strong>there</strong>"), "{html}");
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("href=\"https://e.com/a/b\""), "{html}");
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            escape_text("<a href=\"x\">&'"),
            "&lt;a href=\"x\"&gt;&amp;'"
        );
    }
}
