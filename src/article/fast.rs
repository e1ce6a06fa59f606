//! A fast path for front matter: a scanner for the YAML that articles are actually written in,
//! offered to the article types as a serde `Deserializer`, with yaml_serde as the reference
//! for everything else.
//!
//! [`parse`] answers `Some(article)` only when it is certain the document means exactly that
//! to yaml_serde, and `None` ("don't know") otherwise; then the caller runs the nesting guard
//! and yaml_serde, which also produce every error message. It never reports an error itself.
//!
//! It knows no key: the serde derive of [`Article`] asks for its fields by name, and any
//! other key is read past as serde ignores it, and noted where it is, as
//! `super::reference` notes the keys yaml_serde ignores (the differential tests hold the
//! two lists equal). So a field added to the model is read here too, and one missing from
//! it is reported as an unread key, never dropped in silence. Whatever the derive refuses
//! (a duplicate field, a wrong type) is a "don't know", for yaml_serde to report.
//!
//! [`Article`]: super::Article
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

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::keys;
use super::locate::{Step, StepRef};
use super::model::Parsed;

mod scan;

use scan::{Item, Map, Scalar, Scanner, Seq, Value};

/// How deeply the fast path follows nested blocks (of unknown keys) before it gives up. The
/// nesting guard's bound is far above it, so nothing the guard would reject is accepted here.
pub const MAX_DEPTH: usize = 16;

/// Whether `Article::parse` tries the fast path: yes, unless the environment variable
/// `FEEDSMITH_YAML` is `slow` (read once per process).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FEEDSMITH_YAML").is_none_or(|v| v != "slow"))
}

/// The article that front matter `front` (the text between the `---` lines) means, when the
/// fast path is certain of it, with the paths of the keys it does not read (as yaml_serde
/// would ignore them); `None` when yaml_serde has to decide (which includes every document
/// with an error).
pub fn parse(front: &str) -> Option<Parsed<'_>> {
    let mut s = Scanner::new(front)?;
    let first = s.peek()?;
    if first.indent != 0 {
        return None;
    }
    let mut unread = Vec::new();
    let top = Node {
        s: &mut s,
        unread: &mut unread,
        value: Value::Map(Map::at_lines(0)),
        at: At::Top,
    };
    let article = serde::Deserialize::deserialize(top).ok()?;
    // The top mapping ends only at the end of the text.
    match s.peek() {
        None => Some(Parsed { article, unread }),
        Some(_) => None,
    }
}

/// Where a value is: the steps down from the front matter, borrowed from the text and from
/// the callers' frames, so that walking allocates nothing.
#[derive(Debug, Clone, Copy)]
enum At<'p, 'a> {
    Top,
    Key(&'p At<'p, 'a>, &'a str),
    Item(&'p At<'p, 'a>, usize),
}

impl<'a> At<'_, 'a> {
    /// How many steps down.
    fn depth(&self) -> usize {
        match self {
            At::Top => 0,
            At::Key(up, _) | At::Item(up, _) => up.depth() + 1,
        }
    }

    /// Calls `f` with the steps, when there are at most `N` of them.
    fn with_steps<R>(&self, f: impl FnOnce(Option<&[StepRef<'a>]>) -> R) -> R {
        const N: usize = 8;
        let depth = self.depth();
        if depth > N {
            return f(None);
        }
        let mut steps = [StepRef::Item(0); N];
        let mut here = *self;
        for slot in steps[..depth].iter_mut().rev() {
            here = match here {
                At::Key(up, key) => {
                    *slot = StepRef::Key(key);
                    *up
                }
                At::Item(up, i) => {
                    *slot = StepRef::Item(i);
                    *up
                }
                At::Top => break,
            };
        }
        f(Some(&steps[..depth]))
    }
}

/// "Don't know": whatever the fast path is not sure of, the document goes to yaml_serde. Its
/// message is never shown.
type Bail = de::value::Error;

/// The "don't know".
fn bail() -> Bail {
    de::Error::custom("left to yaml_serde")
}

/// A value of the front matter, read from the scanner as the article types ask for it. A
/// nested value is read to its end before the next key or item is read.
struct Node<'s, 'p, 'a> {
    s: &'s mut Scanner<'a>,
    /// The keys not read so far, with where they are.
    unread: &'s mut Vec<Vec<Step>>,
    value: Value<'a>,
    /// Where the value is.
    at: At<'p, 'a>,
}

impl<'a> Node<'_, '_, 'a> {
    /// The plain scalar of a number or bool field (a null was taken by the `Option`).
    fn plain(&self) -> Result<&'a str, Bail> {
        match self.value {
            Value::Scalar(Scalar::Plain(p)) if !is_null(p) => Ok(p),
            _ => Err(bail()),
        }
    }

    /// Reads past a value nobody keeps, checking that it is one the scanner fully
    /// understands.
    fn skip(self) -> Result<(), Bail> {
        skip(self.s, self.value, self.at.depth())
    }
}

/// Reads past `value`, `depth` levels down, checking that it is one the scanner fully
/// understands.
fn skip(s: &mut Scanner<'_>, value: Value<'_>, depth: usize) -> Result<(), Bail> {
    if depth > MAX_DEPTH {
        return Err(bail());
    }
    match value {
        Value::Empty | Value::EmptySeq | Value::Scalar(_) => Ok(()),
        Value::Map(mut map) => {
            while let Some((_, value)) = s.entry(&mut map).ok_or_else(bail)? {
                skip(s, value, depth + 1)?;
            }
            Ok(())
        }
        Value::Seq(mut seq) => {
            while let Some(item) = s.item(&mut seq).ok_or_else(bail)? {
                if let Item::Map(map) = item {
                    skip(s, Value::Map(map), depth + 1)?;
                }
            }
            Ok(())
        }
    }
}

impl<'de> de::Deserializer<'de> for Node<'_, '_, 'de> {
    type Error = Bail;

    /// Nothing the article types read needs a self-describing value; a caller that asks for
    /// one is not a case the fast path knows.
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Bail> {
        Err(bail())
    }

    /// The value of a key the article types do not read (or of `secured`, which they read
    /// by ignoring it): noted, unless it is a known key, and read past.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        let unread = self.at.with_steps(|steps| match steps {
            Some(steps) if keys::is_known(steps) => None,
            Some(steps) => Some(steps.iter().map(|&s| Step::from(s)).collect()),
            None => Some(Vec::new()),
        });
        match unread {
            Some(path) if path.is_empty() => return Err(bail()),
            Some(path) => self.unread.push(path),
            None => {}
        }
        self.skip()?;
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.value {
            Value::Empty => visitor.visit_none(),
            Value::Scalar(Scalar::Plain(p)) if is_null(p) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        // A string takes any scalar as written, `2024` and `true` and (in a list) `null` too.
        match self.value {
            Value::Scalar(scalar) => match scalar.value() {
                Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
                Cow::Owned(text) => visitor.visit_string(text),
            },
            _ => Err(bail()),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.plain()? {
            "true" | "True" | "TRUE" => visitor.visit_bool(true),
            "false" | "False" | "FALSE" => visitor.visit_bool(false),
            _ => Err(bail()),
        }
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        // `0` or digits without a leading zero, that fit.
        let p = self.plain()?;
        let b = p.as_bytes();
        let digits = b.len() <= 10 && b.iter().all(u8::is_ascii_digit);
        if !digits || (b.len() > 1 && b[0] == b'0') {
            return Err(bail());
        }
        visitor.visit_u32(p.parse().map_err(|_| bail())?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        visitor.visit_f64(number(self.plain()?).ok_or_else(bail)?)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        let seq = match self.value {
            Value::Empty | Value::EmptySeq => None,
            Value::Seq(seq) => Some(seq),
            _ => return Err(bail()),
        };
        let (s, unread, at) = (self.s, self.unread, self.at);
        visitor.visit_seq(Items {
            s,
            unread,
            seq,
            at,
            next: 0,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        let Value::Map(map) = self.value else {
            return Err(bail());
        };
        let (s, unread, at) = (self.s, self.unread, self.at);
        visitor.visit_map(Entries {
            s,
            unread,
            map,
            at,
            entry: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        self.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u64 u128 f32 char bytes byte_buf unit unit_struct
        newtype_struct tuple tuple_struct enum identifier
    }
}

/// The entries of a block mapping.
struct Entries<'s, 'p, 'a> {
    s: &'s mut Scanner<'a>,
    unread: &'s mut Vec<Vec<Step>>,
    map: Map,
    /// Where the mapping is.
    at: At<'p, 'a>,
    /// The key just given, and its value.
    entry: Option<(&'a str, Value<'a>)>,
}

impl<'de> MapAccess<'de> for Entries<'_, '_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Bail> {
        match self.s.entry(&mut self.map).ok_or_else(bail)? {
            None => Ok(None),
            Some((key, value)) => {
                self.entry = Some((key, value));
                seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        let (key, value) = self.entry.take().ok_or_else(bail)?;
        seed.deserialize(Node {
            s: self.s,
            unread: self.unread,
            value,
            at: At::Key(&self.at, key),
        })
    }
}

/// The items of a block sequence (none for `[]` or a null).
struct Items<'s, 'p, 'a> {
    s: &'s mut Scanner<'a>,
    unread: &'s mut Vec<Vec<Step>>,
    seq: Option<Seq>,
    /// Where the sequence is.
    at: At<'p, 'a>,
    /// The number of the next item.
    next: usize,
}

impl<'de> SeqAccess<'de> for Items<'_, '_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Bail> {
        let Some(seq) = &mut self.seq else {
            return Ok(None);
        };
        let value = match self.s.item(seq).ok_or_else(bail)? {
            None => return Ok(None),
            Some(Item::Scalar(scalar)) => Value::Scalar(scalar),
            Some(Item::Map(map)) => Value::Map(map),
        };
        let at = At::Item(&self.at, self.next);
        self.next += 1;
        seed.deserialize(Node {
            s: self.s,
            unread: self.unread,
            value,
            at,
        })
        .map(Some)
    }
}

/// The plain scalars yaml_serde reads as null for an `Option`.
fn is_null(plain: &str) -> bool {
    matches!(plain, "" | "~" | "null" | "Null" | "NULL")
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

#[cfg(test)]
mod tests;
