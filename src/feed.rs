//! Choosing what each feed holds: candidates stream in, and each feed keeps only its newest
//! `limit`, so memory is bounded by feeds × limit, not by the number of articles.
//!
//! A [`Candidate`] carries just what selection needs (link, date, topics, content hash); its
//! full [`Entry`] is attached when the file was parsed in this run, or loaded later, only for
//! the feeds that must be rendered.
//!
//! Order is newest first, ties broken by id, so a feed's content depends only on the set of
//! entries, never on the order files were read in. Two files with the same link make one
//! entry: the newer wins (on a tie, the file that sorts first), and a warning names both.
//!
//! Duplicates are found after the pass from a compact list of (link digest, file number),
//! 16 bytes an article; the few files whose digests meet are read again to compare their
//! links exactly ([`Collector::duplicate_candidates`], [`Collector::drop_duplicates`]).

use std::cmp::Reverse;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash as _, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, FixedOffset};

use crate::entry::Entry;
use crate::group::{self, Collision, Kind};
use crate::hash::Hash;
use crate::problem::Problem;

/// The instant of an entry, comparable across offsets.
type Instant = (i64, u32);

fn instant(candidate: &Candidate) -> Instant {
    (
        candidate.published.timestamp(),
        candidate.published.timestamp_subsec_nanos(),
    )
}

/// Sort key: newest first, then id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key(Reverse<Instant>, String);

impl Key {
    fn of(candidate: &Candidate) -> Key {
        Key(Reverse(instant(candidate)), candidate.id.clone())
    }
}

/// What selection needs to know of an entry.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Its link and id.
    pub id: String,
    /// Its date.
    pub published: DateTime<FixedOffset>,
    /// Its topic names.
    pub topics: Vec<String>,
    /// Its provider's name.
    pub provider: Option<String>,
    /// Its category.
    pub category: Option<String>,
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
        }
    }
}

/// A group: its kind and the identity of its name.
type GroupKey = (Kind, String);

/// An article that may go into feeds, known by what selection needs.
#[derive(Debug)]
pub struct Candidate {
    /// Position of its file in the sorted input.
    pub index: u32,
    /// Its file.
    pub path: PathBuf,
    /// Its link and id.
    pub id: String,
    /// Its date.
    pub published: DateTime<FixedOffset>,
    /// Its topic names.
    pub topics: Vec<String>,
    /// Its provider's name.
    pub provider: Option<String>,
    /// Its category.
    pub category: Option<String>,
    /// Its file's content hash.
    pub hash: Hash,
    entry: OnceLock<Arc<Entry>>,
}

impl Candidate {
    /// A candidate known only from the cache; its entry is loaded on demand.
    pub fn new(index: u32, path: PathBuf, hash: Hash, facts: Facts) -> Candidate {
        Candidate {
            index,
            path,
            id: facts.id,
            published: facts.published,
            topics: facts.topics,
            provider: facts.provider,
            category: facts.category,
            hash,
            entry: OnceLock::new(),
        }
    }

    /// The names this candidate has in groups of `kind`.
    fn names(&self, kind: Kind) -> &[String] {
        match kind {
            Kind::Topic => &self.topics,
            Kind::Provider => self.provider.as_slice(),
            Kind::Category => self.category.as_slice(),
        }
    }

    /// A candidate for an entry parsed in this run.
    pub fn parsed(index: u32, hash: Hash, entry: Box<Entry>) -> Candidate {
        let candidate = Candidate::new(index, entry.source.clone(), hash, Facts::of(&entry));
        let _ = candidate.entry.set(Arc::from(entry));
        candidate
    }

    /// The full entry, when it has been parsed or loaded.
    pub fn entry(&self) -> Option<&Arc<Entry>> {
        self.entry.get()
    }

    /// Attaches the full entry (a no-op when one is already attached).
    pub fn load(&self, entry: Entry) {
        let _ = self.entry.set(Arc::new(entry));
    }
}

/// The newest `limit` entries offered to it.
#[derive(Debug)]
struct Newest {
    entries: BTreeMap<Key, Arc<Candidate>>,
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

    fn offer(&mut self, key: &Key, entry: &Arc<Candidate>, limit: usize) {
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
}

/// A 64-bit digest of a link: only a hint, since files whose digests meet are compared by
/// their actual links before anything is called a duplicate.
fn digest(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Which file won for each duplicated link, from a first pass: lets a second pass skip the
/// losers up front.
pub type Winners = HashMap<String, u32>;

/// Gathers entries into the all-articles feed and one feed per group (topic, provider,
/// category) of the kinds asked for.
#[derive(Debug)]
pub struct Collector {
    limit: usize,
    kinds: Vec<Kind>,
    all: Newest,
    groups: HashMap<GroupKey, Newest>,
    seen: Vec<(u64, u32)>,
    winners: Option<Winners>,
    /// Entries accepted (duplicates not counted).
    pub accepted: usize,
    /// Entries dropped because a newer file had the same link.
    pub duplicates: usize,
    /// Each duplicate found (first pass only), to be reported by file.
    pub duplicate_pairs: Vec<Duplicate>,
}

/// Two files with the same link: file numbers (in walk order) and the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The older file, left out.
    pub loser: u32,
    /// The newer file, published.
    pub winner: u32,
    /// The shared link.
    pub id: String,
}

impl Collector {
    /// A collector keeping `limit` entries per feed, with group feeds of `kinds`. `winners`,
    /// from an earlier pass, makes duplicate handling exact from the start.
    pub fn new(limit: usize, kinds: &[Kind], winners: Option<Winners>) -> Self {
        Collector {
            limit: limit.max(1),
            kinds: kinds.to_vec(),
            all: Newest::new(),
            groups: HashMap::new(),
            seen: Vec::new(),
            winners,
            accepted: 0,
            duplicates: 0,
            duplicate_pairs: Vec::new(),
        }
    }

    /// Offers a candidate.
    pub fn add(&mut self, entry: Candidate) {
        match &self.winners {
            Some(winners) => {
                if winners.get(&entry.id).is_some_and(|&w| w != entry.index) {
                    self.duplicates += 1;
                    return;
                }
            }
            None => self.seen.push((digest(&entry.id), entry.index)),
        }
        self.accepted += 1;
        let key = Key::of(&entry);
        let entry = Arc::new(entry);
        self.all.offer(&key, &entry, self.limit);
        for &kind in &self.kinds {
            for name in entry.names(kind) {
                self.groups
                    .entry((kind, group::identity(name)))
                    .or_insert_with(Newest::new)
                    .offer(&key, &entry, self.limit);
            }
        }
    }

    /// File numbers whose links' digests meet, in groups: the only files that can be
    /// duplicates. Usually empty. The digest list is freed.
    pub fn duplicate_candidates(&mut self) -> Vec<Vec<u32>> {
        let mut seen = std::mem::take(&mut self.seen);
        seen.sort_unstable();
        let mut groups = Vec::new();
        for run in seen.chunk_by(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                groups.push(run.iter().map(|&(_, index)| index).collect());
            }
        }
        groups
    }

    /// Drops the losers of confirmed duplicates (`pairs`) from every feed. Returns the
    /// winners to run an exact second pass with when a loser had pushed a valid entry out of
    /// some feed, or `None` when this selection is already exact.
    pub fn drop_duplicates(&mut self, pairs: Vec<Duplicate>) -> Option<Winners> {
        if pairs.is_empty() {
            return None;
        }
        let losers: std::collections::HashSet<u32> = pairs.iter().map(|d| d.loser).collect();
        let mut lost = false;
        for newest in std::iter::once(&mut self.all).chain(self.groups.values_mut()) {
            let before = newest.entries.len();
            newest.entries.retain(|_, c| !losers.contains(&c.index));
            lost |= newest.entries.len() < before && newest.evicted;
        }
        self.accepted -= losers.len();
        self.duplicates += losers.len();
        let winners = pairs.iter().map(|d| (d.id.clone(), d.winner)).collect();
        self.duplicate_pairs = pairs;
        lost.then_some(winners)
    }

    /// The selection, plus slug-collision warnings.
    pub fn finish(self) -> (Selection, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut groups: Vec<(GroupKey, Vec<Arc<Candidate>>)> = self
            .groups
            .into_iter()
            .map(|(key, newest)| (key, newest.entries.into_values().collect::<Vec<_>>()))
            .filter(|(_, entries)| !entries.is_empty())
            .collect();
        // Hash-map order must never leak into the output or the report.
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        let mut chosen: Vec<Chosen> = Vec::with_capacity(groups.len() + 1);
        chosen.push(Chosen {
            group: None,
            entries: self.all.entries.into_values().collect(),
        });
        let mut topic_slugs = BTreeMap::new();
        for kind in Kind::ALL {
            let of_kind: Vec<&(GroupKey, Vec<Arc<Candidate>>)> =
                groups.iter().filter(|(k, _)| k.0 == kind).collect();
            let (slugs, collisions) =
                group::assign_slugs(of_kind.iter().map(|((_, id), _)| id.as_str()));
            let start = chosen.len();
            for ((_, id), entries) in of_kind {
                chosen.push(Chosen {
                    group: Some(Group {
                        kind,
                        slug: slugs[id].clone(),
                        name: display_name(kind, id, entries),
                    }),
                    entries: entries.clone(),
                });
            }
            chosen[start..].sort_by(|a, b| a.group.cmp(&b.group));
            for Collision { slug, names } in collisions {
                let list: Vec<String> = names
                    .iter()
                    .map(|(name, given)| format!("\"{name}\" gets {given}"))
                    .collect();
                // Name the first file (in path order) that uses the first of the names.
                let source = chosen[start..]
                    .iter()
                    .find(|f| f.group.as_ref().is_some_and(|g| g.slug == names[0].1))
                    .and_then(|f| f.entries.iter().min_by_key(|e| e.index))
                    .map(|e| e.path.clone())
                    .unwrap_or_default();
                problems.push(Problem::warning(
                    source,
                    "slug-collision",
                    format!(
                        "{} names share the slug \"{slug}\": {}; see the README's slug rule",
                        kind.noun(),
                        list.join(", ")
                    ),
                ));
            }
            if kind == Kind::Topic {
                topic_slugs = slugs;
            }
        }
        (
            Selection {
                feeds: chosen,
                slugs: Slugs(topic_slugs),
            },
            problems,
        )
    }
}

/// Of the spellings of group `id` used by the feed's own entries, the first in byte order,
/// so the name depends only on what the feed holds.
fn display_name(kind: Kind, id: &str, entries: &[Arc<Candidate>]) -> String {
    entries
        .iter()
        .flat_map(|e| e.names(kind).iter())
        .filter(|t| group::identity(t) == id)
        .min()
        .cloned()
        .unwrap_or_else(|| id.to_string())
}

/// The slug of every topic that has a feed.
#[derive(Debug, Default)]
pub struct Slugs(BTreeMap<String, String>);

impl Slugs {
    /// The slug of the topic named `name` (in any letter case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(&group::identity(name)).map(String::as_str)
    }
}

/// What every feed of a build holds.
#[derive(Debug)]
pub struct Selection {
    /// The all-articles feed first, then one per topic by slug.
    pub feeds: Vec<Chosen>,
    /// Topic slugs.
    pub slugs: Slugs,
}

/// One feed's choice: its group (none for all articles) and candidates, newest first.
#[derive(Debug)]
pub struct Chosen {
    /// The group, or `None` for the all-articles feed.
    pub group: Option<Group>,
    /// At most the limit, newest first, ties by id.
    pub entries: Vec<Arc<Candidate>>,
}

impl Chosen {
    /// The feed, when every entry is loaded.
    pub fn feed(&self) -> Option<Feed> {
        let entries = self
            .entries
            .iter()
            .map(|c| c.entry().cloned())
            .collect::<Option<Vec<_>>>()?;
        Some(Feed {
            group: self.group.clone(),
            entries,
        })
    }
}

/// One feed, ready to render: its group (none for all articles) and entries, newest first.
#[derive(Debug)]
pub struct Feed {
    /// The group, or `None` for the all-articles feed.
    pub group: Option<Group>,
    /// At most the limit, newest first, ties by id.
    pub entries: Vec<Arc<Entry>>,
}

/// A topic, provider or category that has a feed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Group {
    /// Which kind of group (first, so feeds sort by kind, then slug).
    pub kind: Kind,
    /// The folder name under the kind's folder.
    pub slug: String,
    /// The display name (of several spellings differing in case, the first in byte order).
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn entry(index: u32, url: &str, date: &str, topics: &[&str]) -> Candidate {
        let entry = Entry {
            category: None,
            source: PathBuf::from(format!("{index}.txt")),
            id: url.to_string(),
            title: format!("title {index}"),
            summary: None,
            published: DateTime::parse_from_rfc3339(date).unwrap(),
            provider: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            images: Vec::new(),
            related: Vec::new(),
            body_html: String::new(),
        };
        Candidate::parsed(index, 0, Box::new(entry))
    }

    fn run(order: &[Candidate], limit: usize, winners: Option<Winners>) -> Collector {
        let mut c = Collector::new(limit, &[Kind::Topic], winners);
        for e in order {
            let entry = (**e.entry().unwrap()).clone();
            c.add(Candidate::parsed(e.index, e.hash, Box::new(entry)));
        }
        c
    }

    /// The whole duplicate protocol as `lib` runs it, with links compared from the
    /// candidates themselves instead of re-read files.
    fn select(order: &[Candidate], limit: usize) -> Selection {
        let mut first = run(order, limit, None);
        let by_index = |i: u32| order.iter().find(|c| c.index == i).unwrap();
        let mut pairs = Vec::new();
        for group in first.duplicate_candidates() {
            let winner = group
                .iter()
                .map(|&i| by_index(i))
                .max_by_key(|c| (instant(c), Reverse(c.index)))
                .unwrap();
            for &i in group.iter().filter(|&&i| i != winner.index) {
                pairs.push(Duplicate {
                    loser: i,
                    winner: winner.index,
                    id: winner.id.clone(),
                });
            }
        }
        match first.drop_duplicates(pairs) {
            Some(winners) => run(order, limit, Some(winners)).finish().0,
            None => first.finish().0,
        }
    }

    fn ids(feed: &Chosen) -> Vec<&str> {
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
        let (s, _) = run(&order, 3, None).finish();
        assert_eq!(
            ids(&s.feeds[0]),
            ["https://e.com/c", "https://e.com/a", "https://e.com/b"]
        );
        assert_eq!(ids(&s.feeds[1]), ids(&s.feeds[0]));
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
        let forward = select(&make(), 2);
        let mut reversed = make();
        reversed.reverse();
        let backward = select(&reversed, 2);
        assert_eq!(forward.feeds.len(), backward.feeds.len());
        for (f, b) in forward.feeds.iter().zip(backward.feeds.iter()) {
            assert_eq!(ids(f), ids(b));
            assert_eq!(f.group, b.group);
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
        let mut first = run(&order, 1, None);
        assert_eq!(first.duplicate_candidates(), [vec![0, 2]]);
        let pair = Duplicate {
            loser: 0,
            winner: 2,
            id: "https://e.com/story".into(),
        };
        let winners = first
            .drop_duplicates(vec![pair])
            .expect("the first pass cannot be exact");
        let mut second = run(&order, 1, Some(winners));
        assert!(second.duplicate_candidates().is_empty());
        assert_eq!(second.duplicates, 1);
        let (s, _) = second.finish();
        let t = s
            .feeds
            .iter()
            .find(|f| f.group.as_ref().is_some_and(|t| t.slug == "t"))
            .unwrap();
        assert_eq!(ids(t), ["https://e.com/other"]);
        assert_eq!(s.feeds[0].entries[0].index, 2);
    }

    #[test]
    fn a_duplicate_that_pushed_out_nothing_needs_no_second_pass() {
        let order = [
            entry(0, "https://e.com/story", "2023-05-01T08:00:00Z", &["T"]),
            entry(1, "https://e.com/story", "2023-05-01T09:00:00Z", &["T"]),
        ];
        let mut first = run(&order, 5, None);
        let pair = Duplicate {
            loser: 0,
            winner: 1,
            id: "https://e.com/story".into(),
        };
        assert_eq!(first.duplicate_candidates(), [vec![0, 1]]);
        assert!(first.drop_duplicates(vec![pair]).is_none());
        assert_eq!((first.accepted, first.duplicates), (1, 1));
        let (s, _) = first.finish();
        assert_eq!(s.feeds[0].entries.len(), 1);
        assert_eq!(s.feeds[0].entries[0].index, 1);
    }

    #[test]
    fn topic_spellings_differing_in_case_are_one_feed() {
        let order = [
            entry(0, "https://e.com/1", "2022-01-01T00:00:00Z", &["Économie"]),
            entry(1, "https://e.com/2", "2022-01-02T00:00:00Z", &["économie"]),
        ];
        let (s, _) = run(&order, 5, None).finish();
        assert_eq!(s.feeds.len(), 2);
        assert_eq!(s.feeds[1].group.as_ref().unwrap().slug, "economie");
        assert_eq!(s.feeds[1].entries.len(), 2);
    }
}
