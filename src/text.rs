//! Text and URL helpers that know no stage: cleaning user text of what XML forbids, quoting
//! values in messages, checking web URLs, and escaping for HTML and XML.

use std::borrow::Cow;

/// Removes characters that XML 1.0 forbids or that are never text: C0 controls other than
/// tab, line feed and carriage return, DEL and C1 controls, U+FFFE and U+FFFF. Line ends
/// become `\n`, as an XML parser would read them anyway.
/// Borrows `s` when it is clean already, as nearly all text is.
pub(crate) fn clean_text(s: &str) -> Cow<'_, str> {
    if !needs_cleaning(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("\r\n", "\n")
            .chars()
            .filter(|&c| !forbidden(c))
            .map(|c| if c == '\r' { '\n' } else { c })
            .collect(),
    )
}

/// True when `s` has `\r` or a forbidden character, found from their UTF-8 bytes without
/// decoding: a control byte other than tab and line feed, DEL, `C2 80`-`C2 9F` (the C1
/// controls) or `EF BF BE`/`EF BF BF`. Only the pieces [`flagged_pieces`] finds with a byte
/// that may start one are looked at byte by byte (`C2` also starts `«`, `°`, a no-break
/// space and the like, common in news text).
fn needs_cleaning(s: &str) -> bool {
    let bytes = s.as_bytes();
    let control = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') | (b == 0x7f);
    let flagged = move |b: u8| control(b) | (b == 0xc2) | (b == 0xef);
    flagged_pieces(bytes, flagged).any(|piece| {
        piece.into_iter().any(|i| match bytes[i] {
            0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
            0xef => bytes
                .get(i + 1..i + 3)
                .is_some_and(|t| matches!(t, [0xbf, 0xbe | 0xbf])),
            b => control(b),
        })
    })
}

/// The ranges of the 32-byte pieces of `bytes` that hold a byte `flagged` says yes to, in
/// order. Each piece is looked at whole, without stopping early inside it, which the
/// compiler turns into vector instructions: text is mostly pieces with none.
fn flagged_pieces<'a>(
    bytes: &'a [u8],
    flagged: impl Fn(u8) -> bool + 'a,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
    const PIECE: usize = 32;
    bytes
        .chunks(PIECE)
        .enumerate()
        .filter(move |(_, piece)| piece.iter().fold(false, |any, &b| any | flagged(b)))
        .map(|(n, piece)| n * PIECE..n * PIECE + piece.len())
}

fn forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// [`clean_text`] for one-line values: any run of whitespace (line breaks included) becomes
/// one space, and the ends are trimmed.
pub(crate) fn clean_line(s: &str) -> String {
    if is_clean_line(s) {
        return s.to_owned();
    }
    collapsed(s)
}

/// [`clean_line`] character by character.
fn collapsed(s: &str) -> String {
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

/// True when [`clean_line`] would give `s` back as it is, as most one-line values are: no
/// character it drops or changes, no whitespace but single spaces between words. Checked
/// byte by byte for ASCII; text with other characters, character by character.
fn is_clean_line(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let mut space = false;
    for &b in s.as_bytes() {
        if b >= 0x80 {
            return !s.contains("  ")
                && !s
                    .chars()
                    .any(|c| (c.is_whitespace() && c != ' ') || forbidden(c));
        }
        if b < 0x20 || b == 0x7f || (space && b == b' ') {
            return false;
        }
        space = b == b' ';
    }
    true
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
    if is_normal_web_url(trimmed) {
        return Ok(trimmed.to_owned());
    }
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

/// True when `s` is an http or https URL that the URL parser would give back as it is, in
/// a form most links have: a lowercase scheme and host name of letters, digits, `-` and
/// `.` (no port, user, IP address or IDNA label), then a path, query and fragment of
/// characters that are never escaped or changed and no `.` or `..` segment. Parsing costs
/// about a tenth of reading an article, and every article has several links; a property
/// test holds this to the parser's result.
fn is_normal_web_url(s: &str) -> bool {
    let s = s.as_bytes();
    let Some(rest) = s
        .strip_prefix(b"https://")
        .or_else(|| s.strip_prefix(b"http://"))
    else {
        return false;
    };
    let Some(slash) = rest.iter().position(|&b| b == b'/') else {
        return false;
    };
    let (host, rest) = rest.split_at(slash);
    normal_host(host) && normal_path_query_fragment(rest)
}

/// A host name the URL parser leaves as it is: lowercase letters, digits and `-` in
/// labels joined by single dots, no IDNA (`xn--`) label, and a last label that is not a
/// number (which would make it an IPv4 address).
fn normal_host(host: &[u8]) -> bool {
    let mut last = host;
    for label in host.split(|&b| b == b'.') {
        if label.is_empty()
            || label.starts_with(b"xn--")
            || !label
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return false;
        }
        last = label;
    }
    last.iter().any(u8::is_ascii_lowercase) && !last.starts_with(b"0x")
}

/// What a byte of a path, query or fragment is to [`normal_path_query_fragment`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum UrlByte {
    /// Never escaped or changed anywhere.
    Kept,
    /// Escaped or changed somewhere, or not allowed at all.
    Other,
    /// `/`, `.`, `?`, `#`, `%` or `'`: looked at one by one.
    Special,
}

/// [`UrlByte`] of every byte.
const URL_BYTES: [UrlByte; 256] = {
    let table = [UrlByte::Other; 256];
    let table = marked(
        table,
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~!$&()*+,;=:@",
        UrlByte::Kept,
    );
    marked(table, b"/.?#%'", UrlByte::Special)
};

/// `table` with each of `bytes` marked as `class`.
const fn marked(mut table: [UrlByte; 256], bytes: &[u8], class: UrlByte) -> [UrlByte; 256] {
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = class;
        i += 1;
    }
    table
}

/// A path (from its first `/`), query and fragment the URL parser leaves as they are:
/// only characters it never escapes in any of them, a `%` only before two hex digits and
/// never as an escaped dot, no `.` or `..` path segment, and no `'` in the query (escaped
/// there for http and https).
fn normal_path_query_fragment(s: &[u8]) -> bool {
    let mut i = 0;
    let mut in_path = true;
    let mut in_query = false;
    // Where the path segment being read starts.
    let mut segment = 0;
    let dot_segment = |segment: &[u8]| matches!(segment, b"." | b"..");
    while i < s.len() {
        let b = s[i];
        match URL_BYTES[b as usize] {
            UrlByte::Kept => {}
            UrlByte::Other => return false,
            UrlByte::Special => match b {
                b'/' if in_path => {
                    if dot_segment(&s[segment..i]) {
                        return false;
                    }
                    segment = i + 1;
                }
                b'?' | b'#' if in_path => {
                    if dot_segment(&s[segment..i]) {
                        return false;
                    }
                    in_path = false;
                    in_query = b == b'?';
                }
                b'#' if in_query => in_query = false,
                b'\'' if in_query => return false,
                b'%' => match (s.get(i + 1), s.get(i + 2)) {
                    (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                        if *h == b'2' && matches!(l, b'e' | b'E') {
                            return false;
                        }
                        i += 2;
                    }
                    _ => return false,
                },
                _ => {}
            },
        }
        i += 1;
    }
    !(in_path && dot_segment(&s[segment..]))
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

/// Copies the runs between the characters it escapes a slice at a time, and passes over
/// the pieces [`flagged_pieces`] finds none in. They are ASCII, so a byte equal to one is
/// that character, never part of another's encoding.
fn push_escaped(out: &mut String, s: &str, quotes: Quotes) {
    let quotes = quotes == Quotes::Escaped;
    let special = move |b: u8| {
        (b == b'&') | (b == b'<') | (b == b'>') | (quotes & ((b == b'"') | (b == b'\'')))
    };
    let bytes = s.as_bytes();
    let mut start = 0;
    for piece in flagged_pieces(bytes, special) {
        for i in piece {
            let escaped = match bytes[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' if quotes => "&quot;",
                b'\'' if quotes => "&#39;",
                _ => continue,
            };
            out.push_str(&s[start..i]);
            out.push_str(escaped);
            start = i + 1;
        }
    }
    out.push_str(&s[start..]);
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
    fn the_byte_check_finds_exactly_the_characters_that_need_cleaning() {
        // Every Unicode scalar value, alone and where a 32-byte piece ends.
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            let needs = c == '\r' || forbidden(c);
            assert_eq!(needs_cleaning(c.encode_utf8(&mut [0; 4])), needs, "{c:?}");
            if (c as u32).is_multiple_of(61)
                || needs
                || matches!(c as u32, 0x80..=0xff | 0xfff0..=0xffff)
            {
                for pad in 29..=32 {
                    let s = format!("{}{c}\u{a0}", "a".repeat(pad));
                    assert_eq!(needs_cleaning(&s), needs, "{c:?} after {pad}");
                }
            }
        }
        assert!(!needs_cleaning("plain text, é, ’, « », ° and 日本 — clean"));
    }

    #[test]
    fn text_loses_xml_forbidden_characters() {
        assert_eq!(clean_text("a\u{1}b\u{fffe}c\td\n"), "abc\td\n");
        assert_eq!(clean_text("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(clean_line("  a \n b\u{0}c  "), "a bc");
        assert_eq!(clean_line("a \u{1f} b"), "a b");
    }

    #[test]
    fn the_common_links_skip_the_parser_and_the_others_do_not() {
        for normal in [
            "https://www.example.com/news/2025/11/a-story-123.html",
            "http://e.co/a/b?id=7&ref=rss#top",
            "https://cdn.example.net/img/a_b~c.jpg?w=640",
            "https://example.com/wiki/Caf%C3%A9_(place)",
            "https://example.com/o'brien/",
            "https://news.example.org/",
        ] {
            assert!(is_normal_web_url(normal), "{normal}");
            assert_eq!(web_url(normal).as_deref(), Ok(normal));
        }
        for other in [
            "https://Example.com/",
            "HTTPS://example.com/",
            "https://example.com",
            "https://example.com:443/",
            "https://user@example.com/",
            "https://127.0.0.1/",
            "https://example.0x7f/",
            "https://example.123/",
            "https://example.com./",
            "https://xn--bcher-kva.example/",
            "https://example.com/a/./b",
            "https://example.com/a/..",
            "https://example.com/%2e%2E/b",
            "https://example.com/a b",
            "https://example.com/a%zz",
            "https://example.com/?q='x'",
            "https://example.com/caf\u{e9}",
            "https://example.com/a\\b",
            "ftp://example.com/",
        ] {
            assert!(!is_normal_web_url(other), "{other}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4000))]

        /// Whatever the fast path takes as it is, the URL parser gives back unchanged.
        /// Links are built mostly of what is common, with now and then something that is not.
        #[test]
        fn a_link_the_fast_path_keeps_is_one_the_parser_keeps(
            scheme in "https?://|HTTP://|ftp://",
            labels in proptest::collection::vec(proptest::prop_oneof![
                8 => "[a-z][a-z0-9-]{0,4}",
                1 => "[0-9]{1,3}",
                1 => "0x[0-9a-f]{1,2}",
                1 => "[a-zA-Z]{1,3}",
                1 => "xn--[a-z]{1,4}",
                1 => "[a-z]{0,2}[_%@:~]?[0-9]{0,2}",
            ], 1..4),
            pieces in proptest::collection::vec(proptest::prop_oneof![
                12 => "[a-zA-Z0-9/-]{1,4}",
                2 => r"[._~!$&()*+,;=:@?#']",
                2 => r"\.\.?/|/\.\.?",
                2 => "%[0-9a-fA-F]{2}|%2[eE]",
                1 => "[?#][a-z=&']{0,4}",
                1 => r#"[%"<>`{}|^\\ \t]|%[g-z]"#,
                1 => "[\u{80}-\u{2000}]",
            ], 0..10),
        ) {
            let s = format!("{scheme}{}/{}", labels.join("."), pieces.concat());
            if is_normal_web_url(&s) {
                let parsed = url::Url::parse(&s).map(String::from);
                proptest::prop_assert_eq!(parsed.as_deref(), Ok(s.as_str()));
            }
        }

        /// A one-line value the fast path keeps is one the slow path gives back unchanged.
        #[test]
        fn a_line_the_fast_path_keeps_is_one_the_slow_path_keeps(
            s in r"([a-z\u{e9}\u{2019}]{1,3}| {1,2}|[\t\n\r\u{0}\u{1f}\u{7f}\u{85}\u{a0}\u{2000}\u{2028}\u{3000}\u{fffe}]){0,8}",
        ) {
            proptest::prop_assert_eq!(clean_line(&s), collapsed(&s));
        }

        /// The same, for ASCII values (checked byte by byte).
        #[test]
        fn an_ascii_line_the_fast_path_keeps_is_one_the_slow_path_keeps(
            s in "([a-z]{1,3}| {1,2}|[\t\r\u{0}\u{7f}]){0,8}",
        ) {
            proptest::prop_assert_eq!(clean_line(&s), collapsed(&s));
        }
    }

    proptest::proptest! {
        /// Escaping a slice at a time gives what escaping a character at a time gave.
        #[test]
        fn escaping_by_runs_is_escaping_by_characters(s in r#"([a-z\u{e9}\u{2019}\u{1f600} ]{0,40}[&<>"']?){0,4}"#) {
            let by_characters = |quotes: bool| -> String {
                s.chars()
                    .map(|c| match c {
                        '&' => "&amp;".to_owned(),
                        '<' => "&lt;".to_owned(),
                        '>' => "&gt;".to_owned(),
                        '"' if quotes => "&quot;".to_owned(),
                        '\'' if quotes => "&#39;".to_owned(),
                        c => c.to_string(),
                    })
                    .collect()
            };
            proptest::prop_assert_eq!(escape_text(&s), by_characters(false));
            proptest::prop_assert_eq!(escape(&s), by_characters(true));
        }
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
