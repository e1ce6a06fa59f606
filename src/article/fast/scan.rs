//! The fast path's scanner: lines, keys, one-line scalars, and the block structure that
//! indentation gives them. Every function answers `None` when the text is anything but the
//! plain shape the fast path knows; the caller then bails.

use std::borrow::Cow;

/// One-line scalar in one of the three styles it knows, as written (quotes stripped).
#[derive(Debug, Clone, Copy)]
pub(super) enum Scalar<'a> {
    /// Plain, trailing spaces trimmed.
    Plain(&'a str),
    /// Single-quoted; `escaped` when it holds `''`.
    Single { raw: &'a str, escaped: bool },
    /// Double-quoted; `escaped` when it holds a `\`, every escape already known valid.
    Double { raw: &'a str, escaped: bool },
}

impl<'a> Scalar<'a> {
    /// The scalar's value as yaml_serde gives it to a `String`: borrowed from the text when
    /// it is written as it reads.
    pub(super) fn value(self) -> Cow<'a, str> {
        match self {
            Scalar::Plain(raw)
            | Scalar::Single {
                raw,
                escaped: false,
            }
            | Scalar::Double {
                raw,
                escaped: false,
            } => Cow::Borrowed(raw),
            Scalar::Single { raw, escaped: true } => Cow::Owned(raw.replace("''", "'")),
            Scalar::Double { raw, escaped: true } => Cow::Owned(unescape(raw)),
        }
    }
}

/// A mapping's value, after the key's line has been read.
#[derive(Debug)]
pub(super) enum Value<'a> {
    /// Nothing: a null.
    Empty,
    /// A scalar on the key's line.
    Scalar(Scalar<'a>),
    /// A block mapping on the following lines.
    Map(Map),
    /// A block sequence on the following lines.
    Seq(Seq),
    /// `[]`, the one flow collection taken: an empty sequence.
    EmptySeq,
}

/// A sequence item.
#[derive(Debug)]
pub(super) enum Item<'a> {
    /// `- scalar`
    Scalar(Scalar<'a>),
    /// `- key: value`, and more keys below it at the same column.
    Map(Map),
}

/// Where a block mapping is being read.
#[derive(Debug)]
pub(super) struct Map {
    /// The column of its keys.
    pub(super) indent: usize,
    /// The byte offset of the first key, when it starts mid-line (after `- `).
    first: Option<usize>,
}

impl Map {
    /// A mapping whose keys start lines at column `indent`.
    pub(super) fn at_lines(indent: usize) -> Map {
        Map {
            indent,
            first: None,
        }
    }
}

/// Where a block sequence is being read.
#[derive(Debug)]
pub(super) struct Seq {
    /// The column of its `-`.
    indent: usize,
    /// The column of the mapping's keys that holds it: a sequence may sit at that column.
    parent: usize,
}

/// A line that holds something: not blank, not only a comment.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    /// Spaces before the content.
    pub(super) indent: usize,
    /// Byte offset of the line's start.
    begin: usize,
    /// Byte offset of its first content byte.
    start: usize,
    /// Byte offset of its end, before `\r\n` or `\n`.
    end: usize,
    /// Byte offset of the next line.
    next: usize,
}

/// Reads lines of front matter.
pub(super) struct Scanner<'a> {
    text: &'a str,
    /// Where the next unread line starts.
    pos: usize,
    /// The next content line, once looked at.
    peeked: Option<Line>,
}

impl<'a> Scanner<'a> {
    /// A scanner over `text`, or `None` when any byte is one the fast path never takes.
    pub(super) fn new(text: &'a str) -> Option<Scanner<'a>> {
        plain_bytes(text.as_bytes()).then_some(Scanner {
            text,
            pos: 0,
            peeked: None,
        })
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next line that holds something, without reading it.
    pub(super) fn peek(&mut self) -> Option<Line> {
        if self.peeked.is_none() {
            self.peeked = self.find_line();
        }
        self.peeked
    }

    fn find_line(&self) -> Option<Line> {
        let bytes = self.bytes();
        let mut begin = self.pos;
        while begin < bytes.len() {
            let nl = memchr::memchr(b'\n', &bytes[begin..]).map_or(bytes.len(), |i| begin + i);
            let end = if nl > begin && bytes[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            let mut start = begin;
            while start < end && bytes[start] == b' ' {
                start += 1;
            }
            if start < end && bytes[start] != b'#' {
                return Some(Line {
                    indent: start - begin,
                    begin,
                    start,
                    end,
                    next: (nl + 1).min(bytes.len()),
                });
            }
            begin = nl + 1;
        }
        None
    }

    /// Reads the line [`Scanner::peek`] returned.
    fn advance(&mut self) {
        if let Some(line) = self.peek() {
            self.pos = line.next;
            self.peeked = None;
        }
    }

    /// The next `key: value` of `map`, `Ok(None)`-like `Some(None)` at its end.
    ///
    /// A nested value ([`Value::Map`], [`Value::Seq`]) must be read to its end before the
    /// next call.
    pub(super) fn entry(&mut self, map: &mut Map) -> Option<Option<(&'a str, Value<'a>)>> {
        let line = self.peek();
        let start = match (map.first.take(), line) {
            (Some(start), Some(_)) => start,
            (_, None) => return Some(None),
            (None, Some(l)) if l.indent == map.indent => l.start,
            (None, Some(l)) if l.indent < map.indent => return Some(None),
            (None, Some(_)) => return None,
        };
        let line = line?;
        let (key, after) = key(self.bytes(), start, line.end)?;
        let key = &self.text[start..key];
        if empty_seq(self.bytes(), after, line.end) {
            self.advance();
            return Some(Some((key, Value::EmptySeq)));
        }
        let inline = scalar(self.text, after, line.end)?;
        self.advance();
        let value = match inline {
            Some(s) => Value::Scalar(s),
            None => match self.peek() {
                Some(l) if l.indent > map.indent && self.is_item(l) => Value::Seq(Seq {
                    indent: l.indent,
                    parent: map.indent,
                }),
                Some(l) if l.indent > map.indent => Value::Map(Map::at_lines(l.indent)),
                Some(l) if l.indent == map.indent && self.is_item(l) => Value::Seq(Seq {
                    indent: l.indent,
                    parent: map.indent,
                }),
                _ => Value::Empty,
            },
        };
        Some(Some((key, value)))
    }

    /// Whether `line` is a sequence item: `-` then a space or its end.
    fn is_item(&self, line: Line) -> bool {
        let b = self.bytes();
        b[line.start] == b'-' && (line.start + 1 == line.end || b[line.start + 1] == b' ')
    }

    /// The next item of `seq`, `Some(None)` at its end.
    ///
    /// An [`Item::Map`] must be read to its end before the next call.
    pub(super) fn item(&mut self, seq: &mut Seq) -> Option<Option<Item<'a>>> {
        let Some(line) = self.peek() else {
            return Some(None);
        };
        if line.indent < seq.indent {
            return Some(None);
        }
        if line.indent > seq.indent {
            return None;
        }
        if !self.is_item(line) {
            // Only a sequence at its mapping's own column ends at a key of that mapping.
            return (seq.indent == seq.parent).then_some(None);
        }
        let b = self.bytes();
        let mut i = line.start + 1;
        while i < line.end && b[i] == b' ' {
            i += 1;
        }
        // `-` alone, `- # comment`, `- - x`: not taken.
        if i == line.start + 1 || i == line.end || b[i] == b'#' {
            return None;
        }
        if b[i] == b'-' && (i + 1 == line.end || b[i + 1] == b' ') {
            return None;
        }
        if key(b, i, line.end).is_some() {
            return Some(Some(Item::Map(Map {
                indent: i - line.begin,
                first: Some(i),
            })));
        }
        let s = scalar(self.text, i, line.end)??;
        self.advance();
        Some(Some(Item::Scalar(s)))
    }
}

/// Whether every byte of `b` is one the fast path reads as itself: no tab, no control
/// character, `\r` only before `\n`, and no character YAML treats specially (NEL, the line
/// and paragraph separators, the byte-order mark, the C1 controls, U+FFFE and U+FFFF).
fn plain_bytes(b: &[u8]) -> bool {
    /// Bytes per step of the quick check.
    const STEP: usize = 16;
    let mut i = 0;
    while i < b.len() {
        // Most text is printable ASCII and line feeds, which are always fine: check those
        // a block at a time, without branches, and look at each byte only in other blocks.
        let end = (i + STEP).min(b.len());
        let odd = b[i..end].iter().fold(false, |odd, &c| {
            odd | (!(0x20..=0x7e).contains(&c) & (c != b'\n'))
        });
        if !odd {
            i = end;
            continue;
        }
        while i < end {
            if !plain_byte(b, i) {
                return false;
            }
            i += 1;
        }
    }
    true
}

/// Whether the byte at `i` of `b` is one the fast path reads as itself (with the bytes after
/// it that decide: `\r` before `\n`, and the UTF-8 sequences YAML treats specially).
fn plain_byte(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\n' | 0x20..=0x7e | 0xc3..=0xe1 | 0xe3..=0xee | 0xf0..=0xf4 | 0x80..=0xc1 => true,
        b'\r' => b.get(i + 1) == Some(&b'\n'),
        0xc2 => b.get(i + 1).is_some_and(|&n| n >= 0xa0),
        0xe2 => !(b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9))),
        0xef => !matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
        ),
        _ => false,
    }
}

/// A key from `start`: a letter or `_`, then letters, digits, `_` or `-`, then `:` and a
/// space or the line's end. Returns where the key ends and where its value starts.
fn key(b: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    if !(b[start].is_ascii_alphabetic() || b[start] == b'_') {
        return None;
    }
    let mut i = start + 1;
    while i < end && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
        i += 1;
    }
    // libyaml's simple keys stop at 1024 characters; ours stay far below.
    if i >= end || b[i] != b':' || i - start > 128 {
        return None;
    }
    let key_end = i;
    i += 1;
    if i < end && b[i] != b' ' {
        return None;
    }
    while i < end && b[i] == b' ' {
        i += 1;
    }
    Some((key_end, i))
}

/// The scalar from `start` to the line's `end`: `Some(None)` when there is none (the line
/// ends, or a comment starts), `None` when it is not one the fast path takes.
fn scalar(text: &str, start: usize, end: usize) -> Option<Option<Scalar<'_>>> {
    let b = text.as_bytes();
    if start == end || b[start] == b'#' {
        return Some(None);
    }
    let (s, after) = match b[start] {
        b'\'' => single(text, start, end)?,
        b'"' => double(text, start, end)?,
        _ => (Scalar::Plain(plain(text, start, end)?), end),
    };
    // After a quoted scalar: spaces, then the end or a comment.
    let mut i = after;
    while i < end && b[i] == b' ' {
        i += 1;
    }
    if i < end && !(b[i] == b'#' && i > after) {
        return None;
    }
    Some(Some(s))
}

/// Whether the value from `start` is `[]` and nothing else (but spaces and a comment).
fn empty_seq(b: &[u8], start: usize, end: usize) -> bool {
    if b.get(start..start + 2) != Some(b"[]") {
        return false;
    }
    let mut i = start + 2;
    while i < end && b[i] == b' ' {
        i += 1;
    }
    i == end || (b[i] == b'#' && i > start + 2)
}

/// A plain scalar from `start`, up to a ` #` comment or the line's end, trailing spaces off.
fn plain(text: &str, start: usize, end: usize) -> Option<&str> {
    let b = text.as_bytes();
    // `-x` is a plain scalar; `- `, `-` alone and the other indicators are YAML's own.
    let dash_plain = b[start] == b'-' && start + 1 < end && b[start + 1] != b' ';
    if !dash_plain
        && matches!(
            b[start],
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        )
    {
        return None;
    }
    let mut stop = end;
    for i in memchr::memchr2_iter(b'#', b':', &b[start..end]) {
        let i = start + i;
        if b[i] == b'#' {
            if b[i - 1] == b' ' {
                stop = i;
                break;
            }
        } else if i + 1 == end || b[i + 1] == b' ' {
            // `a: b` on a value line is a mapping YAML refuses; leave it to yaml_serde.
            return None;
        }
    }
    while stop > start && b[stop - 1] == b' ' {
        stop -= 1;
    }
    Some(&text[start..stop])
}

/// A single-quoted scalar opening at `start`, closed on the same line.
fn single(text: &str, start: usize, end: usize) -> Option<(Scalar<'_>, usize)> {
    let b = text.as_bytes();
    let mut i = start + 1;
    let mut escaped = false;
    loop {
        let q = i + memchr::memchr(b'\'', &b[i..end])?;
        if q + 1 < end && b[q + 1] == b'\'' {
            escaped = true;
            i = q + 2;
            continue;
        }
        let raw = &text[start + 1..q];
        return Some((Scalar::Single { raw, escaped }, q + 1));
    }
}

/// A double-quoted scalar opening at `start`, closed on the same line, with known escapes.
fn double(text: &str, start: usize, end: usize) -> Option<(Scalar<'_>, usize)> {
    let b = text.as_bytes();
    let mut i = start + 1;
    let mut escaped = false;
    loop {
        let at = i + memchr::memchr2(b'"', b'\\', &b[i..end])?;
        if b[at] == b'"' {
            let raw = &text[start + 1..at];
            return Some((Scalar::Double { raw, escaped }, at + 1));
        }
        escaped = true;
        i = at + 1 + escape(&b[at + 1..end])?.1;
    }
}

/// The escape after a `\` at the start of `b`: its character and how many bytes it takes.
fn escape(b: &[u8]) -> Option<(char, usize)> {
    let hex = |n: usize| -> Option<(char, usize)> {
        let digits = b.get(1..1 + n)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let code = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
        // Control characters by number are left to yaml_serde.
        if code < 0x20 || (0x7f..=0x9f).contains(&code) {
            return None;
        }
        Some((char::from_u32(code)?, 1 + n))
    };
    match *b.first()? {
        b'\\' => Some(('\\', 1)),
        b'"' => Some(('"', 1)),
        b'n' => Some(('\n', 1)),
        b't' => Some(('\t', 1)),
        b'r' => Some(('\r', 1)),
        b'x' => hex(2),
        b'u' => hex(4),
        b'U' => hex(8),
        _ => None,
    }
}

/// The value of a double-quoted scalar whose escapes [`double`] checked.
fn unescape(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &b[i..]).map(|j| i + j) {
        out.push_str(&raw[i..at]);
        let (c, n) = escape(&b[at + 1..]).expect("checked by `double`");
        out.push(c);
        i = at + 1 + n;
    }
    out.push_str(&raw[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::{plain_byte, plain_bytes};
    use proptest::prelude::*;

    /// The check as first written, one byte at a time: the reference for the block version.
    fn one_byte_at_a_time(b: &[u8]) -> bool {
        /// Bytes per step of the quick check.
        const STEP: usize = 16;
        let mut i = 0;
        while i < b.len() {
            // Most text is printable ASCII and line feeds, which are always fine: check those
            // a block at a time, without branches, and look at a byte alone only otherwise.
            if let Some(block) = b.get(i..i + STEP) {
                let odd = block.iter().fold(false, |odd, &c| {
                    odd | (!(0x20..=0x7e).contains(&c) & (c != b'\n'))
                });
                if !odd {
                    i += STEP;
                    continue;
                }
            }
            if !plain_byte(b, i) {
                return false;
            }
            i += 1;
        }
        true
    }

    proptest! {
        #[test]
        fn the_block_check_agrees_with_the_byte_check(
            bytes in prop::collection::vec(prop_oneof![
                4 => 0x20u8..0x7f,
                1 => Just(b'\n'),
                1 => Just(b'\r'),
                1 => Just(b'\t'),
                1 => prop::sample::select(vec![0x80u8, 0x85, 0x9f, 0xa0, 0xa8, 0xa9, 0xbb, 0xbe, 0xbf, 0xc2, 0xc3, 0xe2, 0xef, 0xf4, 0xff, 0x7f, 0x00]),
            ], 0..80),
        ) {
            prop_assert_eq!(plain_bytes(&bytes), one_byte_at_a_time(&bytes));
        }
    }
}
