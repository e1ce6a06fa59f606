//! The HTML every format carries as an entry's content: lead image, excerpt, the Markdown
//! body rendered and sanitised (not in a summary), and a "Related coverage" list.

use std::fmt::Write;

use crate::entry::Entry;
use crate::settings::Content;
use crate::text::{push_attribute, push_text};

/// Builds an entry's HTML content around its already-sanitised body, or, for
/// [`Content::Summary`], without it.
pub fn content(entry: &Entry, content: Content) -> String {
    let body_html = match content {
        Content::Full => entry.body_html(),
        Content::Summary => "",
    };
    // Room for the body, the largest part, and what goes around it: a long body's content
    // is then allocated once, not grown to twice its size.
    let around: usize = entry.images.first().map_or(0, |i| i.url.len() * 2 + 64)
        + entry.summary.as_ref().map_or(0, |s| s.len() * 2 + 16)
        + entry
            .related
            .iter()
            .map(|r| {
                (r.url.len() + r.title.len() + r.provider.as_ref().map_or(0, String::len)) * 2 + 64
            })
            .sum::<usize>()
        + 64;
    let mut out = String::with_capacity(around + body_html.len());
    if let Some(image) = entry.images.first() {
        out.push_str("<p><img src=\"");
        push_attribute(&mut out, &image.url);
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
        push_text(&mut out, summary);
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
            push_attribute(&mut out, &item.url);
            out.push_str("\">");
            push_text(&mut out, &item.title);
            out.push_str("</a>");
            let provider = item.provider.as_deref();
            let date = item.published.map(|d| d.format("%-d %B %Y").to_string());
            match (provider, date) {
                (Some(p), Some(d)) => {
                    out.push_str(" — ");
                    push_text(&mut out, p);
                    let _ = write!(out, ", {d}");
                }
                (Some(p), None) => {
                    out.push_str(" — ");
                    push_text(&mut out, p);
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
