//! Reading output as a feed reader would: a strict XML parse, the text of elements, and HTML
//! text decoded once.

use std::fs;
use std::path::Path;

/// `bytes` as UTF-8 text that a strict XML parser accepts; panics naming `name` otherwise.
#[track_caller]
pub(crate) fn strict(name: &str, bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
    roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}\n{text}"));
    text.to_string()
}

/// Every `.xml` file below `dir`, strictly parsed, as (path relative to `dir`, text) pairs.
pub(crate) fn strict_files(dir: &Path) -> Vec<(String, String)> {
    super::files(dir)
        .into_iter()
        .filter(|p| p.ends_with(".xml"))
        .map(|p| {
            let text = strict(&p, &fs::read(dir.join(&p)).unwrap());
            (p, text)
        })
        .collect()
}

/// The text of every `<name>` element in `xml` (any namespace), decoded once by the parser.
pub(crate) fn texts(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

/// Decodes the five HTML entities our escaping can produce, left to right, once.
pub(crate) fn html_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
        ]
        .into_iter()
        .find_map(|(entity, c)| Some((rest.strip_prefix(entity)?, c)));
        match entity {
            Some((after, c)) => {
                out.push(c);
                rest = after;
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
