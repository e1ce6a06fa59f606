//! Choosing what each feed holds: entries stream in, and each feed keeps only its newest
//! `limit`, so memory is bounded by feeds × limit, not by the number of articles.
//!
//! Order is newest first, ties broken by id, so a feed's content depends only on the set of
//! entries, never on the order files were read in. Two files with the same link make one
//! entry: the newer wins (on a tie, the file that sorts first), and a warning names both.

use std::cmp::Reverse;
use std::collections::hash_map::{DefaultHasher, Entry as Slot};
use std::collections::{BTreeMap, HashMap};
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
    topics: HashMap<String, Newest>,
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
                let new_wins =
                    (now.instant, Reverse(now.index)) > (before.instant, Reverse(before.index));
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
                            if new_wins {
                                entry.source.display()
                            } else {
                                other.display()
                            },
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
                    lost |= topic.remove(&old);
                }
                self.conflict |= lost;
            }
        }
        self.accepted += 1;
        let key = Key::of(&entry);
        let entry: Arc<Entry> = Arc::from(entry);
        self.all.offer(&key, &entry, self.limit);
        for name in &entry.topics {
            self.topics
                .entry(topic::identity(name))
                .or_insert_with(Newest::new)
                .offer(&key, &entry, self.limit);
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
        let mut topics: Vec<(String, Vec<Arc<Entry>>)> = self
            .topics
            .into_iter()
            .map(|(id, newest)| (id, newest.entries.into_values().collect::<Vec<_>>()))
            .filter(|(_, entries)| !entries.is_empty())
            .collect();
        // Hash-map order must never leak into the output or the report.
        topics.sort_by(|a, b| a.0.cmp(&b.0));
        let (slugs, collisions) = topic::assign_slugs(topics.iter().map(|(id, _)| id.as_str()));
        let mut feeds: Vec<Feed> = topics
            .into_iter()
            .map(|(id, entries)| Feed {
                topic: Some(FeedTopic {
                    name: display_name(&id, &entries),
                    slug: slugs[&id].clone(),
                }),
                entries,
            })
            .collect();
        feeds.sort_by(|a, b| a.topic.cmp(&b.topic));
        for Collision { slug, names } in collisions {
            let list: Vec<String> = names
                .iter()
                .map(|(name, given)| format!("\"{name}\" gets {given}"))
                .collect();
            // Name the first file (in path order) that uses the first of the names.
            let source = feeds
                .iter()
                .find(|f| f.topic.as_ref().is_some_and(|t| t.slug == names[0].1))
                .and_then(|f| f.entries.iter().map(|e| &e.source).min())
                .cloned()
                .unwrap_or_default();
            problems.push(Problem::warning(
                source,
                "topic-collision",
                format!(
                    "topic names share the slug \"{slug}\": {}; see the README's topic slug rule",
                    list.join(", ")
                ),
            ));
        }
        let all = Feed {
            topic: None,
            entries: self.all.entries.into_values().collect(),
        };
        (
            Feeds {
                all,
                topics: feeds,
                slugs,
            },
            problems,
        )
    }
}

/// Of the spellings of topic `id` used by the feed's own entries, the first in byte order, so
/// the name depends only on what the feed holds.
fn display_name(id: &str, entries: &[Arc<Entry>]) -> String {
    entries
        .iter()
        .flat_map(|e| e.topics.iter())
        .filter(|t| topic::identity(t) == id)
        .min()
        .cloned()
        .unwrap_or_else(|| id.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn entry(index: u32, url: &str, date: &str, topics: &[&str]) -> (u32, Box<Entry>) {
        let entry = Entry {
            source: PathBuf::from(format!("{index}.txt")),
            id: url.to_string(),
            title: format!("title {index}"),
            summary: None,
            published: DateTime::parse_from_rfc3339(date).unwrap(),
            provider: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            images: Vec::new(),
            related: Vec::new(),
            content_html: String::new(),
        };
        (index, Box::new(entry))
    }

    fn files(n: usize) -> Arc<[PathBuf]> {
        (0..n).map(|i| PathBuf::from(format!("{i}.txt"))).collect()
    }

    fn run(order: &[(u32, Box<Entry>)], limit: usize, winners: Option<Winners>) -> Collector {
        let mut c = Collector::new(limit, files(order.len()), winners);
        for (i, e) in order {
            c.add(*i, e.clone());
        }
        c
    }

    fn ids(feed: &Feed) -> Vec<&str> {
        feed.entries.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn newest_first_ties_broken_by_id_and_limited() {
        let order = [
            entry(0, "https://e.com/b", "2022-01-01T00:00:00Z", &["T"]),
            entry(1, "https://e.com/a", "2022-01-01T01:00:00+01:00", &["T"]),
            entry(2, "https://e.com/c", "2022-01-02T00:00:00Z", &["T"]),
            entry(3, "https://e.com/d", "2021-01-02T00:00:00Z", &["T"]),
        ];
        let (feeds, _) = run(&order, 3, None).finish();
        assert_eq!(
            ids(&feeds.all),
            ["https://e.com/c", "https://e.com/a", "https://e.com/b"]
        );
        assert_eq!(ids(&feeds.topics[0]), ids(&feeds.all));
    }

    #[test]
    fn result_does_not_depend_on_arrival_order() {
        let make = || {
            vec![
                entry(0, "https://e.com/1", "2022-01-01T00:00:00Z", &["A", "B"]),
                entry(1, "https://e.com/2", "2022-01-03T00:00:00Z", &["a"]),
                entry(2, "https://e.com/1", "2022-01-02T00:00:00Z", &["B"]),
                entry(3, "https://e.com/3", "2022-01-01T00:00:00Z", &["B"]),
            ]
        };
        let forward = run(&make(), 2, None).finish().0;
        let mut reversed = make();
        reversed.reverse();
        let backward = run(&reversed, 2, None).finish().0;
        for (f, b) in forward.iter().zip(backward.iter()) {
            assert_eq!(ids(f), ids(b));
            assert_eq!(f.topic, b.topic);
        }
    }

    #[test]
    fn a_duplicate_that_pushed_out_a_valid_entry_triggers_an_exact_second_pass() {
        // File 0 is the older copy of a link whose newer copy (file 2) is in another topic.
        // With a limit of 1, file 0 pushes file 1 out of topic T before file 2 reveals that
        // file 0 must not be published at all.
        let order = [
            entry(0, "https://e.com/story", "2023-05-01T08:00:00Z", &["T"]),
            entry(1, "https://e.com/other", "2023-04-01T08:00:00Z", &["T"]),
            entry(2, "https://e.com/story", "2023-05-01T09:00:00Z", &["U"]),
        ];
        let first = run(&order, 1, None);
        let winners = first.rerun_with().expect("the first pass cannot be exact");
        let second = run(&order, 1, Some(winners));
        assert!(second.rerun_with().is_none());
        let (feeds, _) = second.finish();
        let t = feeds
            .topics
            .iter()
            .find(|f| f.topic.as_ref().unwrap().slug == "t")
            .unwrap();
        assert_eq!(ids(t), ["https://e.com/other"]);
        assert_eq!(feeds.all.entries[0].source, PathBuf::from("2.txt"));
    }

    #[test]
    fn topic_spellings_differing_in_case_are_one_feed() {
        let order = [
            entry(0, "https://e.com/1", "2022-01-01T00:00:00Z", &["Économie"]),
            entry(1, "https://e.com/2", "2022-01-02T00:00:00Z", &["économie"]),
        ];
        let (feeds, _) = run(&order, 5, None).finish();
        assert_eq!(feeds.topics.len(), 1);
        assert_eq!(feeds.topics[0].topic.as_ref().unwrap().slug, "economie");
        assert_eq!(feeds.topics[0].entries.len(), 2);
    }
}
