//! A fast path for front matter: a scanner for the YAML that articles are actually written in,
//! deserialising straight into [`Article`], with yaml_serde as the reference for everything else.
//!
//! [`parse`] answers `Some(article)` only when it is certain the document means exactly that
//! to yaml_serde, and `None` ("don't know") otherwise; then the caller runs the nesting guard
//! and yaml_serde, which also produce every error message. It never reports an error itself.
//!
//! What it accepts: block mappings and block sequences (items that are one-line scalars or
//! compact `- key: value` mappings) and the empty flow sequence `[]`, keys in any order, unknown keys (with scalar or nested
//! block values, which are read and checked but not kept), and one-line plain, single-quoted
//! and double-quoted scalars (escapes `\\ \" \n \t \r \xHH \uHHHH \UHHHHHHHH` only), full-line
//! and trailing comments, CRLF line endings and blank lines.
//!
//! What makes it bail: anchors, aliases, tags, flow collections but `[]`, block scalars, multi-line
//! scalars, tabs, a byte-order mark, control characters and the Unicode line breaks, document
//! markers and directives, `?` keys, quoted or unusual keys, duplicate known keys, an
//! indented first line, nesting deeper than [`MAX_DEPTH`], and every value whose meaning for
//! its field is not plain: a number must be digits (with one `.` for a score), a bool
//! `true`/`false` in one of three spellings, a null `null`/`Null`/`NULL`/`~`/nothing, and
//! anything that would be a type error goes to yaml_serde to be reported.
//!
//! The switch: `FEEDSMITH_YAML=slow` in the environment turns the fast path off (read once,
//! see [`enabled`]), so that output can be compared with it on and off.

use std::sync::OnceLock;

use super::locate::Step;
use super::model::{Article, Image, Parsed, Provider, Related, Score, Secured};

mod scan;

use scan::{Item, Map, Scalar, Scanner, Value};

/// How deeply the fast path follows nested blocks (of unknown keys) before it gives up. The
/// nesting guard's bound is far above it, so nothing the guard would reject is accepted here.
pub const MAX_DEPTH: usize = 16;

/// Whether [`Article::parse`] tries the fast path: yes, unless the environment variable
/// `FEEDSMITH_YAML` is `slow` (read once per process).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FEEDSMITH_YAML").is_none_or(|v| v != "slow"))
}

/// The article that front matter `front` (the text between the `---` lines) means, when the
/// fast path is certain of it, with the paths of the keys it does not read (as yaml_serde
/// would ignore them); `None` when yaml_serde has to decide (which includes every document
/// with an error).
pub fn parse(front: &str) -> Option<Parsed> {
    let mut s = Scanner::new(front)?;
    let first = s.peek()?;
    if first.indent != 0 {
        return None;
    }
    let mut unread = Unread::default();
    let article = article(&mut s, Map::at_lines(0), &mut unread)?;
    // The top mapping ends only at the end of the text.
    match s.peek() {
        None => Some(Parsed {
            article,
            unread: unread.found,
        }),
        Some(_) => None,
    }
}

/// The keys not read, with where they are: the steps down to the mapping being read now.
#[derive(Default)]
struct Unread {
    at: Vec<Step>,
    found: Vec<Vec<Step>>,
}

impl Unread {
    /// Notes `key`, of the mapping being read, as not read.
    fn note(&mut self, key: &str) {
        let mut path = self.at.clone();
        path.push(Step::key(key));
        self.found.push(path);
    }

    /// Runs `read` one step further down.
    fn within<T>(&mut self, step: Step, read: impl FnOnce(&mut Unread) -> T) -> T {
        self.at.push(step);
        let out = read(self);
        self.at.pop();
        out
    }
}

/// Sets a field from a value, bailing when the field was set before (yaml_serde's
/// `duplicate field` error). `seen` holds a bit per field.
macro_rules! once {
    ($seen:ident, $bit:expr, $place:expr, $value:expr) => {{
        let bit = 1u32 << $bit;
        if $seen & bit != 0 {
            return None;
        }
        $seen |= bit;
        $place = $value;
    }};
}

fn article<'a>(s: &mut Scanner<'a>, mut map: Map, u: &mut Unread) -> Option<Article> {
    let mut a = Article::default();
    let mut seen = 0u32;
    while let Some((key, value)) = s.entry(&mut map)? {
        match key {
            "category" => once!(seen, 0, a.category, opt_string(value)?),
            "title" => once!(seen, 1, a.title, opt_string(value)?),
            "excerpt" => once!(seen, 2, a.excerpt, opt_string(value)?),
            "publishedDateTime" => once!(seen, 3, a.published_date_time, opt_string(value)?),
            "originalUrl" => once!(seen, 4, a.original_url, opt_string(value)?),
            "webUrl" => once!(seen, 5, a.web_url, opt_string(value)?),
            "ampWebUrl" => once!(seen, 6, a.amp_web_url, opt_string(value)?),
            "cdnAmpWebUrl" => once!(seen, 7, a.cdn_amp_web_url, opt_string(value)?),
            "type" => once!(seen, 8, a.kind, opt_string(value)?),
            "quality" => once!(seen, 9, a.quality, opt_score(value)?),
            "heat" => once!(seen, 10, a.heat, opt_score(value)?),
            "published" => once!(seen, 11, a.published, opt_bool(value)?),
            "provider" => once!(
                seen,
                12,
                a.provider,
                u.within(Step::key(key), |u| provider(s, value, u))?
            ),
            "topics" => once!(seen, 13, a.topics, strings(s, value)?),
            "images" => once!(
                seen,
                14,
                a.images,
                u.within(Step::key(key), |u| images(s, value, u))?
            ),
            "related" => once!(
                seen,
                15,
                a.related,
                u.within(Step::key(key), |u| related(s, value, u))?
            ),
            "secured" => once!(seen, 16, a.secured, secured(s, value, 1)?),
            _ => {
                u.note(key);
                skip(s, value, 1)?
            }
        }
    }
    Some(a)
}

fn provider(s: &mut Scanner<'_>, value: Value<'_>, u: &mut Unread) -> Option<Option<Provider>> {
    let mut map = match value {
        Value::Empty => return Some(None),
        Value::Scalar(Scalar::Plain(p)) if is_null(p) => return Some(None),
        Value::Map(map) => map,
        _ => return None,
    };
    let mut p = Provider::default();
    let mut seen = 0u32;
    while let Some((key, value)) = s.entry(&mut map)? {
        match key {
            "name" => once!(seen, 0, p.name, opt_string(value)?),
            "domain" => once!(seen, 1, p.domain, opt_string(value)?),
            _ => {
                u.note(key);
                skip(s, value, 2)?
            }
        }
    }
    Some(Some(p))
}

fn image(s: &mut Scanner<'_>, mut map: Map, depth: usize, u: &mut Unread) -> Option<Image> {
    let mut i = Image::default();
    let mut seen = 0u32;
    while let Some((key, value)) = s.entry(&mut map)? {
        match key {
            "url" => once!(seen, 0, i.url, opt_string(value)?),
            "width" => once!(seen, 1, i.width, opt_u32(value)?),
            "height" => once!(seen, 2, i.height, opt_u32(value)?),
            "isCached" => once!(seen, 3, i.is_cached, opt_bool(value)?),
            _ => {
                u.note(key);
                skip(s, value, depth + 1)?
            }
        }
    }
    Some(i)
}

fn images(s: &mut Scanner<'_>, value: Value<'_>, u: &mut Unread) -> Option<Vec<Image>> {
    let mut seq = match value {
        Value::Empty | Value::EmptySeq => return Some(Vec::new()),
        Value::Seq(seq) => seq,
        _ => return None,
    };
    let mut out = Vec::new();
    while let Some(item) = s.item(&mut seq)? {
        match item {
            Item::Map(map) => {
                let image = u.within(Step::Item(out.len()), |u| image(s, map, 3, u))?;
                out.push(image);
            }
            Item::Scalar(_) => return None,
        }
    }
    Some(out)
}

fn strings(s: &mut Scanner<'_>, value: Value<'_>) -> Option<Vec<String>> {
    let mut seq = match value {
        Value::Empty | Value::EmptySeq => return Some(Vec::new()),
        Value::Seq(seq) => seq,
        _ => return None,
    };
    let mut out = Vec::new();
    while let Some(item) = s.item(&mut seq)? {
        match item {
            // A sequence of strings takes every scalar as a string, `null` and `~` too.
            Item::Scalar(scalar) => out.push(scalar.value()),
            Item::Map(_) => return None,
        }
    }
    Some(out)
}

fn related(s: &mut Scanner<'_>, value: Value<'_>, u: &mut Unread) -> Option<Vec<Related>> {
    let mut seq = match value {
        Value::Empty | Value::EmptySeq => return Some(Vec::new()),
        Value::Seq(seq) => seq,
        _ => return None,
    };
    let mut out = Vec::new();
    while let Some(item) = s.item(&mut seq)? {
        let Item::Map(map) = item else {
            return None;
        };
        let r = u.within(Step::Item(out.len()), |u| related_item(s, map, u))?;
        out.push(r);
    }
    Some(out)
}

fn related_item(s: &mut Scanner<'_>, mut map: Map, u: &mut Unread) -> Option<Related> {
    let mut r = Related::default();
    let mut seen = 0u32;
    while let Some((key, value)) = s.entry(&mut map)? {
        match key {
            "title" => once!(seen, 0, r.title, opt_string(value)?),
            "excerpt" => once!(seen, 1, r.excerpt, opt_string(value)?),
            "publishedDateTime" => once!(seen, 2, r.published_date_time, opt_string(value)?),
            "webUrl" => once!(seen, 3, r.web_url, opt_string(value)?),
            "ampWebUrl" => once!(seen, 4, r.amp_web_url, opt_string(value)?),
            "cdnAmpWebUrl" => once!(seen, 5, r.cdn_amp_web_url, opt_string(value)?),
            "type" => once!(seen, 6, r.kind, opt_string(value)?),
            "provider" => once!(
                seen,
                7,
                r.provider,
                u.within(Step::key(key), |u| provider(s, value, u))?
            ),
            "quality" => once!(seen, 8, r.quality, opt_f64(value)?),
            "images" => once!(
                seen,
                9,
                r.images,
                u.within(Step::key(key), |u| images(s, value, u))?
            ),
            _ => {
                u.note(key);
                skip(s, value, 3)?
            }
        }
    }
    Some(r)
}

/// `secured`: `None` for a null, otherwise read past (and checked) without keeping anything.
fn secured(s: &mut Scanner<'_>, value: Value<'_>, depth: usize) -> Option<Option<Secured>> {
    match value {
        Value::Empty => Some(None),
        Value::Scalar(Scalar::Plain(p)) if is_null(p) => Some(None),
        value => skip(s, value, depth).map(|()| Some(Secured)),
    }
}

/// Reads past a value nobody keeps, checking that it is one the scanner fully understands.
fn skip(s: &mut Scanner<'_>, value: Value<'_>, depth: usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    match value {
        Value::Empty | Value::EmptySeq | Value::Scalar(_) => Some(()),
        Value::Map(mut map) => {
            while let Some((_, value)) = s.entry(&mut map)? {
                skip(s, value, depth + 1)?;
            }
            Some(())
        }
        Value::Seq(mut seq) => {
            while let Some(item) = s.item(&mut seq)? {
                if let Item::Map(map) = item {
                    skip(s, Value::Map(map), depth + 1)?;
                }
            }
            Some(())
        }
    }
}

/// The plain scalars yaml_serde reads as null for an `Option`.
fn is_null(plain: &str) -> bool {
    matches!(plain, "" | "~" | "null" | "Null" | "NULL")
}

fn opt_string(value: Value<'_>) -> Option<Option<String>> {
    match value {
        Value::Empty => Some(None),
        Value::Scalar(Scalar::Plain(p)) if is_null(p) => Some(None),
        Value::Scalar(scalar) => Some(Some(scalar.value())),
        Value::Map(_) | Value::Seq(_) | Value::EmptySeq => None,
    }
}

/// A plain scalar for a number field, or `None` for a null; anything else bails.
fn opt_plain<'a>(value: Value<'a>) -> Option<Option<&'a str>> {
    match value {
        Value::Empty => Some(None),
        Value::Scalar(Scalar::Plain(p)) if is_null(p) => Some(None),
        Value::Scalar(Scalar::Plain(p)) => Some(Some(p)),
        _ => None,
    }
}

fn opt_bool(value: Value<'_>) -> Option<Option<bool>> {
    match opt_plain(value)? {
        None => Some(None),
        Some("true" | "True" | "TRUE") => Some(Some(true)),
        Some("false" | "False" | "FALSE") => Some(Some(false)),
        Some(_) => None,
    }
}

/// `0` or digits without a leading zero, that fit.
fn opt_u32(value: Value<'_>) -> Option<Option<u32>> {
    let Some(p) = opt_plain(value)? else {
        return Some(None);
    };
    let b = p.as_bytes();
    let digits = !b.is_empty() && b.len() <= 10 && b.iter().all(u8::is_ascii_digit);
    if !digits || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    p.parse::<u32>().ok().map(Some)
}

/// Digits, optionally with one `.` between digits: what both parsers read the same way.
fn number(p: &str) -> Option<f64> {
    let b = p.as_bytes();
    let (int, frac) = match memchr::memchr(b'.', b) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let digits = |d: &[u8]| !d.is_empty() && d.len() <= 20 && d.iter().all(u8::is_ascii_digit);
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    p.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn opt_f64(value: Value<'_>) -> Option<Option<f64>> {
    match opt_plain(value)? {
        None => Some(None),
        Some(p) => number(p).map(Some),
    }
}

fn opt_score(value: Value<'_>) -> Option<Option<Score>> {
    match opt_plain(value)? {
        None => Some(None),
        Some(p) => Score::new(number(p)?).map(Some),
    }
}

#[cfg(test)]
mod tests;
