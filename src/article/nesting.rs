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
pub(super) fn too_deep(text: &str, max: usize) -> Option<(usize, usize)> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    // The indentation of the line that opened a block scalar (`|` or `>`), whose more
    // indented lines are text.
    let mut scalar: Option<usize> = None;
    for (number, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let chars: Vec<char> = line.chars().collect();
        let indent = chars.iter().take_while(|&&c| c == ' ').count();
        let mut block = indents.len();
        let mut at_value = true;
        let mut start = 0;
        if flow == 0 && quote.is_none() {
            let content = chars[indent..].iter().any(|c| !c.is_whitespace());
            if let Some(parent) = scalar {
                if !content || indent > parent {
                    continue;
                }
                scalar = None;
            }
            if !content || chars[indent] == '#' {
                continue;
            }
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            block = indents.len();
            start = indent;
        }
        let deeper = |block: usize, flow: usize, i: usize| {
            (block + flow > max).then_some((number + 1, i + 1))
        };
        if let Some(found) = deeper(block, flow, start) {
            return Some(found);
        }
        let mut i = start;
        while i < chars.len() {
            let c = chars[i];
            let next_blank = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
            let after_blank = i == 0 || chars[i - 1].is_whitespace();
            if let Some(q) = quote {
                if q == '"' && c == '\\' {
                    i += 1;
                } else if c == q {
                    if q == '\'' && chars.get(i + 1) == Some(&'\'') {
                        i += 1;
                    } else {
                        quote = None;
                        at_value = false;
                    }
                }
            } else if c == '#' && after_blank {
                break;
            } else if c == '"' || c == '\'' {
                if flow > 0 || at_value {
                    quote = Some(c);
                }
            } else if flow > 0 {
                match c {
                    '[' | '{' => {
                        flow += 1;
                        if let Some(found) = deeper(block, flow, i) {
                            return Some(found);
                        }
                    }
                    ']' | '}' => flow = flow.saturating_sub(1),
                    _ => {}
                }
            } else if at_value {
                match c {
                    ' ' => {}
                    '-' | '?' if next_blank => {
                        block += 1;
                        if let Some(found) = deeper(block, flow, i) {
                            return Some(found);
                        }
                    }
                    '[' | '{' => {
                        flow = 1;
                        if let Some(found) = deeper(block, flow, i) {
                            return Some(found);
                        }
                    }
                    '|' | '>' => {
                        scalar = Some(indent);
                        break;
                    }
                    '&' | '!' | '*' => {
                        while i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
                            i += 1;
                        }
                    }
                    _ => at_value = false,
                }
            } else if c == ':' && next_blank {
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
