//! The page served for a folder that has no `index.html`: a list of links to every file
//! below it.

use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::files::Files;
use crate::text::{escape, escape_text};

/// What a link's path keeps unencoded: `/` and the unreserved characters of RFC 3986.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A small HTML page linking every file below `dir` (`""` or ending in `/`), by paths
/// relative to it.
pub(super) fn html(files: &Files, dir: &str) -> String {
    let title = format!("feedsmith preview: /{}", escape_text(dir));
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    let below: Vec<&str> = files.paths().filter_map(|p| p.strip_prefix(dir)).collect();
    if below.is_empty() {
        html.push_str("<p>No files yet: no build has succeeded.</p>\n");
    } else {
        html.push_str("<ul>\n");
        for path in below {
            let href = utf8_percent_encode(path, UNRESERVED).to_string();
            let _ = writeln!(
                html,
                "<li><a href=\"{}\">{}</a></li>",
                escape(&href),
                escape_text(path)
            );
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::super::testing::served;
    use super::*;

    #[test]
    fn links_are_percent_encoded_and_names_escaped() {
        let files = served(&[("topics/a b/<x>&.xml", "x"), ("rss.xml", "y")], 0);
        let page = html(&files, "topics/");
        assert!(
            page.contains("<a href=\"a%20b/%3Cx%3E%26.xml\">a b/&lt;x&gt;&amp;.xml</a>"),
            "{page}"
        );
        assert!(!page.contains("rss.xml"));
        assert!(html(&Files::default(), "").contains("No files yet"));
    }
}
