//! What selection knows of an article: its [`Facts`] (all the cache keeps of it), its file,
//! and its entry when the file was parsed in this run; and the order feeds sort it in.

use std::cmp::Reverse;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::entry::Entry;
use crate::group::Kind;
use crate::hash::Hash;

/// The instant of a date, comparable across offsets.
pub type Instant = (i64, u32);

/// The instant of `date`.
pub fn instant(date: &DateTime<FixedOffset>) -> Instant {
    (date.timestamp(), date.timestamp_subsec_nanos())
}

/// Sort key: newest first, then id, then file number. The file number makes every
/// candidate's key its own: two files with the same link and the same date (a copied file)
/// must both be kept until the duplicate rule picks one, not have the second silently take
/// the first one's place, which left the feed with the loser alone and then with nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Key(Reverse<Instant>, String, u32);

impl Key {
    pub(super) fn of(candidate: &Candidate) -> Key {
        Key(
            Reverse(instant(&candidate.published)),
            candidate.id.clone(),
            candidate.index,
        )
    }
}

/// What selection needs to know of an entry: all the cache keeps of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// Its link and id.
    pub id: String,
    /// Its date.
    #[serde(with = "date")]
    pub published: DateTime<FixedOffset>,
    /// Its topic names.
    pub topics: Vec<String>,
    /// Its provider's name.
    pub provider: Option<String>,
    /// Its category.
    pub category: Option<String>,
    /// Its type, such as `story`.
    pub kind: Option<String>,
    /// Its quality score.
    pub quality: Option<f64>,
    /// Its heat score.
    pub heat: Option<f64>,
}

impl Facts {
    /// The facts of `entry`.
    pub fn of(entry: &Entry) -> Facts {
        Facts {
            id: entry.id.clone(),
            published: entry.published,
            topics: entry.topics.clone(),
            provider: entry.provider.as_ref().map(|p| p.name.clone()),
            category: entry.category.clone(),
            kind: entry.kind.clone(),
            quality: entry.quality,
            heat: entry.heat,
        }
    }
}

/// An article that may go into feeds, known by what selection needs.
#[derive(Debug)]
pub struct Candidate {
    /// Position of its file in the sorted input.
    pub index: u32,
    /// Its file.
    pub path: PathBuf,
    /// Its file's content hash, when a cache is kept: only the feed cache's signatures use
    /// it, so a build without a cache does not spend the time.
    pub hash: Option<Hash>,
    /// What selection needs.
    pub facts: Facts,
    /// The full entry, when the file was parsed in this run.
    pub entry: Option<Arc<Entry>>,
}

impl std::ops::Deref for Candidate {
    type Target = Facts;

    fn deref(&self) -> &Facts {
        &self.facts
    }
}

impl Candidate {
    /// The names this candidate has in groups of `kind`.
    pub(super) fn names(&self, kind: Kind) -> &[String] {
        match kind {
            Kind::Topic => &self.topics,
            Kind::Provider => self.provider.as_slice(),
            Kind::Category => self.category.as_slice(),
            Kind::Curated => &[],
        }
    }
}

/// A date as the cache stores it: seconds and nanoseconds since 1970, and the UTC offset in
/// seconds, so it reads back exactly as written, offset included.
mod date {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(
        date: &DateTime<FixedOffset>,
        to: S,
    ) -> Result<S::Ok, S::Error> {
        let parts = (
            date.timestamp(),
            date.timestamp_subsec_nanos(),
            date.offset().local_minus_utc(),
        );
        parts.serialize(to)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        from: D,
    ) -> Result<DateTime<FixedOffset>, D::Error> {
        let (secs, nanos, offset) = <(i64, u32, i32)>::deserialize(from)?;
        DateTime::from_timestamp(secs, nanos)
            .zip(FixedOffset::east_opt(offset))
            .map(|(t, o)| t.with_timezone(&o))
            .ok_or_else(|| serde::de::Error::custom("a date out of range"))
    }
}
