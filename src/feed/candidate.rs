//! What selection knows of an article: its [`Facts`] (all the cache keeps of it, a part of
//! the entry), its file, and its entry when the file was parsed in this run; and the order
//! feeds sort it in.

use std::cmp::Reverse;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::entry::Entry;
pub use crate::entry::Facts;
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
            Kind::Provider => self
                .provider
                .as_ref()
                .map_or(&[], |p| std::slice::from_ref(&p.name)),
            Kind::Category => self.category.as_slice(),
            Kind::Curated => &[],
        }
    }
}
