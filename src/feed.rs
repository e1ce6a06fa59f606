//! Choosing what each feed holds: entries stream in, and each feed keeps only its newest
//! `limit`, so memory is bounded by feeds × limit, not by the number of articles.
//!
//! Order is newest first, ties broken by id, so a feed's content depends only on the set of
//! entries, never on the order files were read in. Two files with the same link make one
//! entry: the newer wins (on a tie, the file that sorts first), and a warning names both.

use std::cmp::Reverse;
use std::collections::hash_map::{DefaultHasher, Entry as Slot};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use crate::entry::Entry;
use crate::report::Problem;
use crate::topic::{self, Collision};

/// The instant of an entry, comparable across offsets.
type Instant = (i64, u32);

fn instant(entry: &Entry) -> Instant {
    (
        entry.published.timestamp(),
        entry.published.timestamp_subsec_nanos(),
    )
}

/// Sort key: newest first, then id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key(Reverse<Instant>, String);

impl Key {
    fn of(entry: &Entry) -> Key {
        Key(Reverse(instant(entry)), entry.id.clone())
    }
}

/// The newest `limit` entries offered to it.
#[derive(Debug)]
struct Newest {
    entries: BTreeMap<Key, Arc<Entry>>,
    /// True once an entry has been pushed out by newer ones.
    evicted: bool,
}

impl Newest {
    fn new() -> Self {
        Newest {
            entries: BTreeMap::new(),
            evicted: false,
        }
    }

    fn offer(&mut self, key: &Key, entry: &Arc<Entry>, limit: usize) {
        if self.entries.len() >= limit {
            match self.entries.last_key_value() {
                Some((last, _)) if last < key => {
                    self.evicted = true;
                    return;
                }
                _ => {}
            }
        }
        self.entries.insert(key.clone(), Arc::clone(entry));
        if self.entries.len() > limit {
            self.entries.pop_last();
            self.evicted = true;
        }
    }

    /// Removes `key`; true when it was present after something had been evicted, which
    /// means an entry that belonged here may already be gone.
    fn remove(&mut self, key: &Key) -> bool {
        self.entries.remove(key).is_some() && self.evicted
    }
}

#[derive(Debug)]
struct TopicAcc {
    spellings: BTreeSet<String>,
    first_source: (u32, PathBuf),
    newest: Newest,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    instant: Instant,
    index: u32,
}

/// A 128-bit digest of a link, so the duplicate index stays small at a million articles.
fn digest(s: &str) -> u128 {
    let mut a = DefaultHasher::new();
    0u8.hash(&mut a);
    s.hash(&mut a);
    let mut b = DefaultHasher::new();
    1u8.hash(&mut b);
    s.hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Which file won for each link, from a first pass: lets a second pass skip losers up front.
pub type Winners = HashMap<u128, u32>;

/// Gathers entries into the all-articles feed and one feed per topic.
#[derive(Debug)]
pub struct Collector {
    limit: usize,
    all: Newest,
    topics: HashMap<String, TopicAcc>,
    seen: HashMap<u128, Seen>,
    winners: Option<Winners>,
    conflict: bool,
    files: Arc<[PathBuf]>,
    /// Entries accepted (duplicates not counted).
    pub accepted: usize,
    /// Entries dropped because a newer file had the same link.
    pub duplicates: usize,
    /// Warnings about duplicates.
    pub problems: Vec<Problem>,
}

impl Collector {
    /// A collector keeping `limit` entries per feed, for entries read from `files` (in that
    /// order). `winners`, from an earlier pass, makes duplicate handling exact from the start.
    pub fn new(limit: usize, files: Arc<[PathBuf]>, winners: Option<Winners>) -> Self {
        Collector {
            files,
            limit: limit.max(1),
            all: Newest::new(),
            topics: HashMap::new(),
            seen: HashMap::new(),
            winners,
            conflict: false,
            accepted: 0,
            duplicates: 0,
            problems: Vec::new(),
        }
    }

    /// Offers the entry read from file number `index` (in sorted input order).
    pub fn add(&mut self, index: u32, entry: Box<Entry>) {
        let link = digest(&entry.id);
        if let Some(winners) = &self.winners {
            if winners.get(&link) != Some(&index) {
                self.duplicates += 1;
                return;
            }
        }
        let now = Seen {
            instant: instant(&entry),
            index,
        };
        match self.seen.entry(link) {
            Slot::Vacant(slot) => {
                slot.insert(now);
            }
            Slot::Occupied(mut slot) => {
                let before = *slot.get();
                let new_wins = (now.instant, Reverse(now.index)) > (before.instant, Reverse(before.index));
                self.duplicates += 1;
                if self.winners.is_none() {
                    let other = &self.files[before.index as usize];
                    let (loser, winner) = if new_wins {
                        (other, &entry.source)
                    } else {
                        (&entry.source, other)
                    };
                    self.problems.push(Problem::warning(
                        loser.clone(),
                        "duplicate",
                        format!(
                            "same webUrl as {} ({}); only the newer file, {}, is published",
                            if new_wins { entry.source.display() } else { other.display() },
                            entry.id,
                            winner.display()
                        ),
                    ));
                }
                if !new_wins {
                    return;
                }
                slot.insert(now);
                self.accepted -= 1;
                let old = Key(Reverse(before.instant), entry.id.clone());
                let mut lost = self.all.remove(&old);
                for topic in self.topics.values_mut() {
                    lost |= topic.newest.remove(&old);
                }
                self.conflict |= lost;
            }
        }
        self.accepted += 1;
        let key = Key::of(&entry);
        let entry: Arc<Entry> = Arc::from(entry);
        self.all.offer(&key, &entry, self.limit);
        for name in &entry.topics {
            let acc = self
                .topics
                .entry(topic::identity(name))
                .or_insert_with(|| TopicAcc {
                    spellings: BTreeSet::new(),
                    first_source: (index, entry.source.clone()),
                    newest: Newest::new(),
                });
            if !acc.spellings.contains(name) {
                acc.spellings.insert(name.clone());
            }
            if index < acc.first_source.0 {
                acc.first_source = (index, entry.source.clone());
            }
            acc.newest.offer(&key, &entry, self.limit);
        }
    }

    /// When duplicates may have pushed a valid entry out, the winners to run a second,
    /// exact pass with; `None` when this pass is already exact.
    pub fn rerun_with(&self) -> Option<Winners> {
        if !self.conflict || self.winners.is_some() {
            return None;
        }
        Some(self.seen.iter().map(|(k, s)| (*k, s.index)).collect())
    }

    /// The feeds, plus topic-collision warnings.
    pub fn finish(self) -> (Feeds, Vec<Problem>) {
        let mut problems = self.problems;
        let topics: Vec<(String, TopicAcc)> = self
            .topics
            .into_iter()
            .filter(|(_, acc)| !acc.newest.entries.is_empty())
            .collect();
        let (slugs, collisions) = topic::assign_slugs(topics.iter().map(|(id, _)| id.as_str()));
        let mut sources: BTreeMap<&str, &PathBuf> = BTreeMap::new();
        for (id, acc) in &topics {
            sources.insert(id, &acc.first_source.1);
        }
        for Collision { slug, names } in collisions {
            let list: Vec<String> = names
                .iter()
                .map(|(name, given)| format!("\"{name}\" gets {given}"))
                .collect();
            problems.push(Problem::warning(
                sources[names[0].0.as_str()].clone(),
                "topic-collision",
                format!(
                    "topic names share the slug \"{slug}\": {}; see the README's topic slug rule",
                    list.join(", ")
                ),
            ));
        }
        let mut feeds: Vec<Feed> = topics
            .into_iter()
            .map(|(id, acc)| Feed {
                topic: Some(FeedTopic {
                    name: acc.spellings.first().cloned().unwrap_or_else(|| id.clone()),
                    slug: slugs[&id].clone(),
                }),
                entries: acc.newest.entries.into_values().collect(),
            })
            .collect();
        feeds.sort_by(|a, b| a.topic.cmp(&b.topic));
        let all = Feed {
            topic: None,
            entries: self.all.entries.into_values().collect(),
        };
        (Feeds { all, topics: feeds, slugs }, problems)
    }
}

/// Every feed of a build.
#[derive(Debug)]
pub struct Feeds {
    /// The all-articles feed.
    pub all: Feed,
    /// One feed per topic, by slug.
    pub topics: Vec<Feed>,
    slugs: BTreeMap<String, String>,
}

impl Feeds {
    /// The slug of the topic named `name` (in any letter case).
    pub fn slug(&self, name: &str) -> Option<&str> {
        self.slugs.get(&topic::identity(name)).map(String::as_str)
    }

    /// All feeds, the all-articles feed first.
    pub fn iter(&self) -> impl Iterator<Item = &Feed> {
        std::iter::once(&self.all).chain(&self.topics)
    }
}

/// One feed: which topic (none for all articles) and its entries, newest first.
#[derive(Debug)]
pub struct Feed {
    /// The topic, or `None` for the all-articles feed.
    pub topic: Option<FeedTopic>,
    /// At most the limit, newest first, ties by id.
    pub entries: Vec<Arc<Entry>>,
}

/// A topic that has a feed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeedTopic {
    /// The folder name under `topics/` (first, so feeds sort by it).
    pub slug: String,
    /// The display name (of several spellings differing in case, the first in byte order).
    pub name: String,
}
