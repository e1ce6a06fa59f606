//! Text and URL helpers that know no stage: cleaning user text of what XML forbids, quoting
//! values in messages, checking web URLs, and escaping for HTML and XML.

/// Removes characters that XML 1.0 forbids or that are never text: C0 controls other than
/// tab, line feed and carriage return, DEL and C1 controls, U+FFFE and U+FFFF. Line ends
/// become `\n`, as an XML parser would read them anyway.
pub(crate) fn clean_text(s: &str) -> String {
    if !may_need_cleaning(s) || !s.chars().any(|c| c == '\r' || forbidden(c)) {
        return s.to_string();
    }
    s.replace("\r\n", "\n")
        .chars()
        .filter(|&c| !forbidden(c))
        .map(|c| if c == '\r' { '\n' } else { c })
        .collect()
}

/// A byte-level over-approximation of "has `\r` or a forbidden character", far cheaper than
/// decoding every character: a control byte other than tab and line feed, DEL, or the first
/// byte of the encodings of C1 controls (`0xC2`) and of U+FFFE/U+FFFF (`0xEF`). Text without
/// any of these is clean; text with one is checked character by character.
fn may_need_cleaning(s: &str) -> bool {
    s.bytes()
        .any(|b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2 || b == 0xef)
}

fn forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// [`clean_text`] for one-line values: any run of whitespace (line breaks included) becomes
/// one space, and the ends are trimmed.
pub(crate) fn clean_line(s: &str) -> String {
    let cleaned = clean_text(s);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Shows a user's value in a message: quoted, and cut short when long.
pub(crate) fn quote(s: &str) -> String {
    const MAX: usize = 80;
    let mut shown: String = s.chars().take(MAX).filter(|c| !c.is_control()).collect();
    if s.chars().count() > MAX {
        shown.push('…');
    }
    format!("\"{shown}\"")
}

/// Checks that `raw` is an absolute http or https URL and returns it normalised.
pub(crate) fn web_url(raw: &str) -> Result<String, &'static str> {
    let trimmed = raw.trim();
    let url = url::Url::parse(trimmed).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase if trimmed.starts_with("//") => {
            "has no scheme: add https: in front of it"
        }
        url::ParseError::RelativeUrlWithoutBase if looks_like_a_host(trimmed) => {
            "has no scheme: add https:// in front of it"
        }
        _ => "is not an absolute URL: write it whole, starting with https://",
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http or https URL");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host");
    }
    Ok(url.into())
}

/// True when `s` starts with what reads as a host name (`news.example.net/a`): a dotted
/// name before any `/`, without spaces.
fn looks_like_a_host(s: &str) -> bool {
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
}

/// `name` in the form near misses are compared in: lowercase, without `_`, `-` or spaces.
pub(crate) fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Of the `known` names, the one `unknown` is a near miss of, when there is one: equal once
/// case and `_`, `-` and spaces are folded away (`Published`, `web_url`), or within one edit
/// for a name of up to five letters and two for a longer one (`pubished`, `titel`); the
/// closest, and of those the first.
pub(crate) fn near_miss<'k>(
    unknown: &str,
    known: impl IntoIterator<Item = &'k str>,
) -> Option<&'k str> {
    let unknown = folded(unknown);
    let allowed = if unknown.chars().count() <= 5 { 1 } else { 2 };
    known
        .into_iter()
        .map(|k| (strsim::osa_distance(&unknown, &folded(k)), k))
        .filter(|&(d, _)| d <= allowed)
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// Escapes text for HTML element content: `&`, `<` and `>` only, so text without them reads
/// the same whether a reader treats it as HTML or as plain text.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_text(&mut out, s);
    out
}

/// Escapes text for a quoted HTML or XML attribute value (and for anywhere else: the page
/// templates escape every value this way, wherever it goes).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_attribute(&mut out, s);
    out
}

/// Appends `s` to `out` escaped as [`escape_text`] does.
pub(crate) fn push_text(out: &mut String, s: &str) {
    push_escaped(out, s, Quotes::Kept);
}

/// Appends `s` to `out` escaped as [`escape`] does.
pub(crate) fn push_attribute(out: &mut String, s: &str) {
    push_escaped(out, s, Quotes::Escaped);
}

/// Whether quotes are escaped too.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quotes {
    Kept,
    Escaped,
}

fn push_escaped(out: &mut String, s: &str, quotes: Quotes) {
    let quotes = quotes == Quotes::Escaped;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_without_a_scheme_is_told_to_add_one() {
        assert_eq!(
            web_url("news.example.net/f"),
            Err("has no scheme: add https:// in front of it")
        );
        assert_eq!(
            web_url("//img.example.org/a.jpg"),
            Err("has no scheme: add https: in front of it")
        );
        assert_eq!(
            web_url("/news/a"),
            Err("is not an absolute URL: write it whole, starting with https://")
        );
        assert_eq!(
            web_url(" https://e.com/a "),
            Ok("https://e.com/a".to_string())
        );
    }

    #[test]
    fn the_byte_prefilter_flags_every_character_that_needs_cleaning() {
        // Every Unicode scalar value: the prefilter may say yes too often, never too rarely.
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            if c == '\r' || forbidden(c) {
                assert!(may_need_cleaning(c.encode_utf8(&mut [0; 4])), "{c:?}");
            }
        }
        assert!(!may_need_cleaning("plain text, é, ’ and 日本 — clean"));
    }

    #[test]
    fn text_loses_xml_forbidden_characters() {
        assert_eq!(clean_text("a\u{1}b\u{fffe}c\td\n"), "abc\td\n");
        assert_eq!(clean_text("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(clean_line("  a \n b\u{0}c  "), "a bc");
        assert_eq!(clean_line("a \u{1f} b"), "a b");
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
