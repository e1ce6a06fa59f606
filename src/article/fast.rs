//! A fast path for front matter: a scanner for the YAML that articles are actually written in,
//! offered to the article types as a serde `Deserializer`, with yaml_serde as the reference
//! for everything else.
//!
//! [`parse`] answers `Some(article)` only when it is certain the document means exactly that
//! to yaml_serde, and `None` ("don't know") otherwise; then the caller runs the nesting guard
//! and yaml_serde, which also produce every error message. It never reports an error itself.
//!
//! It knows no key: the serde derive of [`Article`] asks for its fields by name, and any
//! other key is read past as serde ignores it (and noted, as [`super::reference`] notes it,
//! through the same code). So a field added to the model is read here too, and one missing
//! from it is reported as an unread key, never dropped in silence. Whatever the derive
//! refuses (a duplicate field, a wrong type) is a "don't know", for yaml_serde to report.
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

use std::fmt;
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::model::Parsed;
use super::reference;

mod scan;

use scan::{Item, Map, Scalar, Scanner, Seq, Value};

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
    let top = Node {
        s: &mut s,
        value: Value::Map(Map::at_lines(0)),
        depth: 0,
    };
    let parsed = reference::read(top).ok()?;
    // The top mapping ends only at the end of the text.
    match s.peek() {
        None => Some(parsed),
        Some(_) => None,
    }
}

/// "Don't know": whatever the fast path is not sure of, the document goes to yaml_serde.
#[derive(Debug)]
struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to yaml_serde")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: fmt::Display>(_: T) -> Bail {
        Bail
    }
}

/// A value of the front matter, read from the scanner as the article types ask for it. A
/// nested value is read to its end before the next key or item is read.
struct Node<'s, 'a> {
    s: &'s mut Scanner<'a>,
    value: Value<'a>,
    /// How deeply nested the value is.
    depth: usize,
}

impl<'a> Node<'_, 'a> {
    /// The plain scalar of a number or bool field (a null was taken by the `Option`).
    fn plain(&self) -> Result<&'a str, Bail> {
        match self.value {
            Value::Scalar(Scalar::Plain(p)) if !is_null(p) => Ok(p),
            _ => Err(Bail),
        }
    }

    /// Reads past a value nobody keeps, checking that it is one the scanner fully
    /// understands.
    fn skip(self) -> Result<(), Bail> {
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        let Node { s, value, depth } = self;
        match value {
            Value::Empty | Value::EmptySeq | Value::Scalar(_) => Ok(()),
            Value::Map(mut map) => {
                while let Some((_, value)) = s.entry(&mut map).ok_or(Bail)? {
                    let depth = depth + 1;
                    Node { s, value, depth }.skip()?;
                }
                Ok(())
            }
            Value::Seq(mut seq) => {
                while let Some(item) = s.item(&mut seq).ok_or(Bail)? {
                    if let Item::Map(map) = item {
                        let depth = depth + 1;
                        let value = Value::Map(map);
                        Node { s, value, depth }.skip()?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl<'de> de::Deserializer<'de> for Node<'_, 'de> {
    type Error = Bail;

    /// Nothing the article types read needs a self-describing value; a caller that asks for
    /// one is not a case the fast path knows.
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
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
            Value::Scalar(scalar) => visitor.visit_string(scalar.value()),
            _ => Err(Bail),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.plain()? {
            "true" | "True" | "TRUE" => visitor.visit_bool(true),
            "false" | "False" | "FALSE" => visitor.visit_bool(false),
            _ => Err(Bail),
        }
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        // `0` or digits without a leading zero, that fit.
        let p = self.plain()?;
        let b = p.as_bytes();
        let digits = b.len() <= 10 && b.iter().all(u8::is_ascii_digit);
        if !digits || (b.len() > 1 && b[0] == b'0') {
            return Err(Bail);
        }
        visitor.visit_u32(p.parse().map_err(|_| Bail)?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        visitor.visit_f64(number(self.plain()?).ok_or(Bail)?)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        let Node { s, value, depth } = self;
        let seq = match value {
            Value::Empty | Value::EmptySeq => None,
            Value::Seq(seq) => Some(seq),
            _ => return Err(Bail),
        };
        visitor.visit_seq(Items { s, seq, depth })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        let Node { s, value, depth } = self;
        match value {
            Value::Map(map) => visitor.visit_map(Entries {
                s,
                map,
                depth,
                value: None,
            }),
            _ => Err(Bail),
        }
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
struct Entries<'s, 'a> {
    s: &'s mut Scanner<'a>,
    map: Map,
    depth: usize,
    /// The value of the key just given.
    value: Option<Value<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Bail> {
        match self.s.entry(&mut self.map).ok_or(Bail)? {
            None => Ok(None),
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        let value = self.value.take().ok_or(Bail)?;
        seed.deserialize(Node {
            s: self.s,
            value,
            depth: self.depth + 1,
        })
    }
}

/// The items of a block sequence (none for `[]` or a null).
struct Items<'s, 'a> {
    s: &'s mut Scanner<'a>,
    seq: Option<Seq>,
    depth: usize,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Bail> {
        let Some(seq) = &mut self.seq else {
            return Ok(None);
        };
        let value = match self.s.item(seq).ok_or(Bail)? {
            None => return Ok(None),
            Some(Item::Scalar(scalar)) => Value::Scalar(scalar),
            Some(Item::Map(map)) => Value::Map(map),
        };
        seed.deserialize(Node {
            s: self.s,
            value,
            depth: self.depth + 1,
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
