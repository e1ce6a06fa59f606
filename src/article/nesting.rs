//! A bound on how deeply front matter nests, checked before the YAML library sees the text.
//!
//! The YAML parser is quadratic on deeply nested flow collections (60,000 `[` take seconds,
//! a megabyte of them minutes), and it applies its own depth limit only after parsing the
//! whole document. This scan is linear. It is conservative: it may count a level that YAML
//! would not (a plain scalar indented deeper than its key, say), never one fewer, and the
//! bound is far above what any article needs (an image or a related item is three levels).

/// How deeply front matter may nest: block mappings and sequences, compact `- ` items and
/// flow `[` `{` collections, counted together.
pub(super) const MAX_DEPTH: usize = 64;

/// The 1-based line and column (in `text`) of the first place where it nests deeper than
/// `max`, or `None` when it never does.
///
/// It works on bytes: every character that matters is ASCII, and no byte of a multi-byte
/// UTF-8 character is. Once a plain scalar has started as a mapping value, the rest of its
/// line cannot open a collection, so it is not looked at.
pub(super) fn too_deep(text: &str, max: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<u8> = None;
    // The indentation of the line that opened a block scalar (`|` or `>`), whose more
    // indented lines are text.
    let mut scalar: Option<usize> = None;
    let mut start_of_line = 0;
    let mut number = 0;
    while start_of_line <= bytes.len() {
        number += 1;
        let end = memchr::memchr(b'\n', &bytes[start_of_line..])
            .map_or(bytes.len(), |i| start_of_line + i);
        let line = &bytes[start_of_line..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        start_of_line = end + 1;
        let deeper = |depth: usize, i: usize| {
            (depth > max).then(|| {
                (
                    number,
                    String::from_utf8_lossy(&line[..i]).chars().count() + 1,
                )
            })
        };
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let mut block = indents.len();
        let mut at_value = true;
        let mut i = 0;
        if flow == 0 && quote.is_none() {
            let blank = line[indent..].iter().all(u8::is_ascii_whitespace);
            if let Some(parent) = scalar {
                if blank || indent > parent {
                    continue;
                }
                scalar = None;
            }
            if blank || line[indent] == b'#' {
                continue;
            }
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            block = indents.len();
            i = indent;
            if let Some(found) = deeper(block, i) {
                return Some(found);
            }
        }
        while i < line.len() {
            let c = line[i];
            let next_blank = line.get(i + 1).is_none_or(u8::is_ascii_whitespace);
            if let Some(q) = quote {
                // Most of a front matter is quoted text: skip to what can end it.
                let skip = match q {
                    b'"' => memchr::memchr2(b'"', b'\\', &line[i..]),
                    _ => memchr::memchr(q, &line[i..]),
                };
                let Some(skip) = skip else { break };
                i += skip;
                let c = line[i];
                if q == b'"' && c == b'\\' {
                    i += 1;
                } else if c == q {
                    if q == b'\'' && line.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        quote = None;
                        at_value = false;
                    }
                }
            } else if c == b'#' && (i == 0 || line[i - 1].is_ascii_whitespace()) {
                break;
            } else if c == b'"' || c == b'\'' {
                if flow > 0 || at_value {
                    quote = Some(c);
                }
            } else if flow > 0 {
                match c {
                    b'[' | b'{' => {
                        flow += 1;
                        if let Some(found) = deeper(block + flow, i) {
                            return Some(found);
                        }
                    }
                    b']' | b'}' => flow = flow.saturating_sub(1),
                    _ => {}
                }
            } else if at_value {
                match c {
                    b' ' | b'\t' => {}
                    b'-' | b'?' if next_blank => {
                        block += 1;
                        if let Some(found) = deeper(block, i) {
                            return Some(found);
                        }
                    }
                    b'[' | b'{' => {
                        flow = 1;
                        if let Some(found) = deeper(block + flow, i) {
                            return Some(found);
                        }
                    }
                    b'|' | b'>' => {
                        scalar = Some(indent);
                        break;
                    }
                    b'&' | b'!' | b'*' => {
                        while i + 1 < line.len() && !line[i + 1].is_ascii_whitespace() {
                            i += 1;
                        }
                    }
                    _ if i > indent && line[..i].contains(&b':') => {
                        // A plain scalar as a mapping value: the rest of the line is text.
                        break;
                    }
                    _ => at_value = false,
                }
            } else if c == b':' && next_blank {
                at_value = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_shaped_document_is_shallow() {
        let text = "title: \"A [bracket] {brace}\"\ntopics: [AI, 'it''s [x]']\nimages:\n  - url: https://e.com/a.jpg\n    width: 10\nrelated:\n  - title: R\n    provider:\n      name: P\nexcerpt: |\n  text\n        deeper text [[[[\n";
        assert_eq!(too_deep(text, 4), None);
        assert_eq!(
            too_deep(text, 3),
            Some((9, 7)),
            "provider.name is the fourth level"
        );
    }

    #[test]
    fn nested_flow_collections_are_found_at_the_bracket_that_is_too_deep() {
        assert_eq!(
            too_deep(&format!("topics: {}", "[".repeat(100)), 64),
            Some((1, 72))
        );
        assert_eq!(
            too_deep(&format!("a: {}", "{".repeat(100)), 64),
            Some((1, 67))
        );
        assert_eq!(too_deep(&format!("a: {}", "[".repeat(63)), 64), None);
        let multi_line = format!("a: [\n{}", "[\n".repeat(100));
        assert_eq!(too_deep(&multi_line, 64), Some((64, 1)));
    }

    #[test]
    fn compact_and_indented_block_collections_count_too() {
        assert_eq!(
            too_deep(&format!("topics:\n{}x", "- ".repeat(100)), 64),
            Some((2, 127))
        );
        let mut indented = String::new();
        for depth in 0..100 {
            indented.push_str(&format!("{}a:\n", " ".repeat(depth)));
        }
        assert_eq!(too_deep(&indented, 64), Some((65, 65)));
    }

    #[test]
    fn brackets_in_quotes_plain_scalars_comments_and_block_scalars_are_text() {
        let brackets = "[".repeat(100);
        for text in [
            format!("title: \"{brackets}\""),
            format!("title: '{brackets}'"),
            format!("title: a{brackets}"),
            format!("title: a # {brackets}"),
            format!("# {brackets}"),
            format!("excerpt: >\n  {brackets}\n"),
            format!("title: \"x\\\"{brackets}\""),
        ] {
            assert_eq!(too_deep(&text, 64), None, "{text}");
        }
    }
}
