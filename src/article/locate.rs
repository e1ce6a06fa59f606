//! Where a value or a key sits in the front matter, for the problems found after parsing
//! (a bad date, a missing link, a misspelled key), so that each names its line and column.
//!
//! Neither the fast path nor the article types keep positions: that would cost every article
//! for the few that have a problem. Instead, when a problem needs a place, the front matter
//! is read again by yaml_serde with a seed that walks down to the value (or key) and stops
//! there with an error; yaml_serde pins every error to the event it was reading, so the
//! error's location is the place. Any YAML shape works, flow or block, since yaml_serde reads
//! it, and a document that reached validation always parses.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One step down into the front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The value of this key of a mapping.
    Key(String),
    /// This item (0-based) of a sequence.
    Item(usize),
}

impl Step {
    /// A key step.
    pub fn key(name: &str) -> Step {
        Step::Key(name.to_string())
    }
}

/// A step of a path, owned ([`Step`]) or borrowed from the text: what matching a path needs.
pub trait StepLike {
    /// The key, for a key step; `None` for an item.
    fn key(&self) -> Option<&str>;
}

impl StepLike for Step {
    fn key(&self) -> Option<&str> {
        match self {
            Step::Key(k) => Some(k),
            Step::Item(_) => None,
        }
    }
}

/// A step borrowed from the text, for walking without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRef<'a> {
    /// The value of this key.
    Key(&'a str),
    /// This item.
    Item(usize),
}

impl StepLike for StepRef<'_> {
    fn key(&self) -> Option<&str> {
        match self {
            StepRef::Key(k) => Some(k),
            StepRef::Item(_) => None,
        }
    }
}

impl From<StepRef<'_>> for Step {
    fn from(step: StepRef<'_>) -> Step {
        match step {
            StepRef::Key(k) => Step::key(k),
            StepRef::Item(i) => Step::Item(i),
        }
    }
}

/// A path written as a reader of the front matter says it: `images[1].url`.
pub fn display(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Item(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The 1-based line and column, within `front`, of the value at `path` (the whole front
/// matter's mapping for an empty path). `None` when there is no such value.
pub fn value(front: &str, path: &[Step]) -> Option<(usize, usize)> {
    probe(front, path, false)
}

/// The 1-based line and column, within `front`, of the key that ends `path`, such as
/// `provider.nmae`. `None` when there is no such key.
pub fn key(front: &str, path: &[Step]) -> Option<(usize, usize)> {
    match path.last() {
        Some(Step::Key(_)) => probe(front, path, true),
        _ => None,
    }
}

/// What the probe raises where it stops: yaml_serde gives it the position of the event it
/// was reading. No message of a real error can contain it.
const HERE: &str = "\u{0}feedsmith: here\u{0}";

fn probe(front: &str, path: &[Step], at_key: bool) -> Option<(usize, usize)> {
    let de = serde_yaml::Deserializer::from_str(front);
    match (Probe { path, at_key }).deserialize(de) {
        Ok(()) => None,
        Err(e) if e.to_string().contains(HERE) => {
            e.location().map(|loc| (loc.line(), loc.column()))
        }
        Err(_) => None,
    }
}

/// Walks `path` down; raises [`HERE`] at its end.
struct Probe<'p> {
    path: &'p [Step],
    at_key: bool,
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (want, rest) = match self.path.split_first() {
            None => return Err(de::Error::custom(HERE)),
            Some((Step::Key(want), rest)) => (want, rest),
            Some((Step::Item(_), _)) => return Ok(()),
        };
        let stop_at_key = self.at_key && rest.is_empty();
        while let Some(found) = map.next_key_seed(Name {
            want,
            raise: stop_at_key,
        })? {
            if found {
                return map.next_value_seed(Probe {
                    path: rest,
                    at_key: self.at_key,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (index, rest) = match self.path.split_first() {
            None => return Err(de::Error::custom(HERE)),
            Some((Step::Item(index), rest)) => (*index, rest),
            Some((Step::Key(_), _)) => return Ok(()),
        };
        for _ in 0..index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Probe {
            path: rest,
            at_key: self.at_key,
        })
        .map(|_| ())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Probe<'_> {
    /// A scalar: the place when the path ends here; nothing to walk into otherwise.
    fn scalar<E: de::Error>(self) -> Result<(), E> {
        if self.path.is_empty() {
            Err(E::custom(HERE))
        } else {
            Ok(())
        }
    }
}

/// A mapping key: true when it is `want`; raises [`HERE`] instead when `raise` is set.
struct Name<'w> {
    want: &'w str,
    raise: bool,
}

impl<'de> DeserializeSeed<'de> for Name<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Name<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match key == self.want {
            true if self.raise => Err(E::custom(HERE)),
            same => Ok(same),
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRONT: &str = "title: T\n\
                         webUrl: \"news.example.org/a\"\n\
                         provider:\n  name: P\n  nmae: Q\n\
                         images:\n  - url: https://e.com/0.jpg\n  - width: 3\n    url: ftp://x\n\
                         related: [{title: R, webUrl: x}]\n";

    #[test]
    fn finds_values_at_any_depth_block_or_flow() {
        assert_eq!(value(FRONT, &[Step::key("webUrl")]), Some((2, 9)));
        assert_eq!(
            value(
                FRONT,
                &[Step::key("images"), Step::Item(1), Step::key("url")]
            ),
            Some((9, 10))
        );
        assert_eq!(
            value(
                FRONT,
                &[Step::key("related"), Step::Item(0), Step::key("webUrl")]
            ),
            Some((10, 30))
        );
    }

    #[test]
    fn a_mapping_is_found_where_it_starts() {
        assert_eq!(value(FRONT, &[]), Some((1, 1)));
        assert_eq!(
            value(FRONT, &[Step::key("images"), Step::Item(1)]),
            Some((8, 5))
        );
    }

    #[test]
    fn finds_keys() {
        assert_eq!(
            key(FRONT, &[Step::key("provider"), Step::key("nmae")]),
            Some((5, 3))
        );
        assert_eq!(key(FRONT, &[Step::key("images")]), Some((6, 1)));
    }

    #[test]
    fn what_is_not_there_has_no_place() {
        assert_eq!(value(FRONT, &[Step::key("excerpt")]), None);
        assert_eq!(value(FRONT, &[Step::key("images"), Step::Item(5)]), None);
        assert_eq!(value(FRONT, &[Step::key("title"), Step::key("x")]), None);
        assert_eq!(value("a: [", &[Step::key("b")]), None);
    }

    #[test]
    fn paths_read_as_written() {
        let path = [Step::key("related"), Step::Item(2), Step::key("webUrl")];
        assert_eq!(display(&path), "related[2].webUrl");
    }
}
