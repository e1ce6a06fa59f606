//! Choosing what each feed holds: candidates stream in, and each feed keeps only its newest
//! `limit`, so memory is bounded by feeds × limit, not by the number of articles.
//!
//! A [`Candidate`] carries just what selection needs (its [`Facts`] and content hash); its
//! full [`Entry`] is attached when the file was parsed in this run. An entry that came from
//! the cache is parsed again later, only when a feed that holds it must be rendered.
//!
//! Order is newest first, ties broken by id, so a feed's content depends only on the set of
//! entries, never on the order files were read in. Two files with the same link make one
//! entry: the newer wins (on a tie, the file that sorts first), and a warning names both.
//!
//! Duplicates are the business of [`duplicates`], the one place that knows the rule.

mod candidate;
mod curated;
pub mod duplicates;
mod kept;

pub use candidate::{instant, Candidate, Facts, Instant};
pub use kept::{Kept, Renumber};

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::entry::Entry;
use crate::group::{self, Collision, Kind};
use crate::problem::{Problem, ProblemKind};
use crate::settings::{Curated, Texts};
use crate::text::near_miss;

use candidate::Key;
use curated::{Curation, Names};
use duplicates::{Canon, Seen};
use kept::{KeptNewest, Table};

/// A group: its kind and the identity of its name.
type GroupKey = (Kind, String);

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

/// Gathers entries into the all-articles feed, the curated feeds, and one feed per group
/// (topic, provider, category) of the kinds asked for.
#[derive(Debug)]
pub struct Collector {
    limit: usize,
    all: Newest,
    curated: Vec<Curation>,
    /// Per kind asked for: each group's feed, by the identity of its name.
    groups: Vec<(Kind, HashMap<String, Newest>)>,
    /// Reused for the identity of each name offered, so a lookup allocates nothing.
    scratch: String,
}

impl Collector {
    /// A collector keeping `limit` entries per feed, with group feeds of `kinds` and the
    /// `curated` feeds.
    pub fn new(limit: usize, kinds: &[Kind], curated: &[Curated]) -> Self {
        Collector {
            limit: limit.max(1),
            all: Newest::new(),
            curated: curated.iter().map(Curation::new).collect(),
            groups: kinds.iter().map(|&k| (k, HashMap::new())).collect(),
            scratch: String::new(),
        }
    }

    /// True when a curated feed kept too many entries to go on (see the `feed::curated` module
    /// docs): the articles must be offered again to [`Collector::second_pass`].
    pub fn needs_second_pass(&self) -> bool {
        self.curated.iter().any(Curation::overflowed)
    }

    /// An empty collector for a second pass over the same articles, with the windows of
    /// the curated feeds fixed by this pass. It holds only the curated feeds that need the
    /// pass; [`Collector::merge_second_pass`] puts them back.
    pub fn second_pass(&self) -> Collector {
        Collector {
            limit: self.limit,
            all: Newest::new(),
            curated: self
                .curated
                .iter()
                .filter(|c| c.overflowed())
                .map(Curation::refill)
                .collect(),
            groups: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Takes the curated feeds a [`Collector::second_pass`] filled.
    pub fn merge_second_pass(&mut self, second: Collector) {
        let mut filled = second.curated.into_iter();
        for c in self.curated.iter_mut().filter(|c| c.overflowed()) {
            if let Some(next) = filled.next() {
                *c = next;
            }
        }
    }

    /// Offers a candidate to every feed it belongs in.
    pub fn add(&mut self, candidate: Candidate) {
        let key = Key::of(&candidate);
        let candidate = Arc::new(candidate);
        if !self.curated.is_empty() {
            let names = Names::of(&candidate);
            for curation in &mut self.curated {
                curation.offer(&candidate, &names);
            }
        }
        self.all.offer(&key, &candidate, self.limit);
        for (kind, feeds) in &mut self.groups {
            for name in candidate.names(*kind) {
                group::identity_into(name, &mut self.scratch);
                match feeds.get_mut(self.scratch.as_str()) {
                    Some(newest) => newest.offer(&key, &candidate, self.limit),
                    None => feeds
                        .entry(self.scratch.clone())
                        .or_insert_with(Newest::new)
                        .offer(&key, &candidate, self.limit),
                }
            }
        }
    }

    /// What to keep of this collector and `seen` after a pass (see the `kept` module);
    /// `None` when a curated feed needs a second pass.
    pub fn keep<'a>(&'a self, seen: &'a Seen) -> Option<Kept<'a>> {
        let mut table = Table::default();
        let all = table.newest(self.all.entries.values(), self.all.evicted);
        let groups = self
            .groups
            .iter()
            .map(|(_, feeds)| {
                // In the order of their names, not the map's, so that the same build keeps
                // the same bytes.
                let mut feeds: Vec<(&'a String, &'a Newest)> = feeds.iter().collect();
                feeds.sort_by(|a, b| a.0.cmp(b.0));
                feeds
                    .into_iter()
                    .map(|(id, n)| {
                        let kept = table.newest(n.entries.values(), n.evicted);
                        (Cow::Borrowed(id.as_str()), kept)
                    })
                    .collect()
            })
            .collect();
        let curated = self
            .curated
            .iter()
            .map(|c| c.kept(|c| table.place(c)))
            .collect::<Option<Vec<_>>>()?;
        Some(Kept {
            candidates: table.candidates,
            all,
            groups,
            curated,
            seen: Cow::Borrowed(seen.kept()),
        })
    }

    /// The collector and [`Seen`] that `kept` holds, for the same `limit`, `kinds`,
    /// `curated` feeds and link form `canon` as the build that kept it; each candidate as
    /// `swap` gives it. `None` when `kept` does not fit them.
    pub fn from_kept(
        kept: Kept<'_>,
        limit: usize,
        kinds: &[Kind],
        curated: &[Curated],
        canon: Canon,
        swap: impl FnMut(Candidate) -> Candidate,
    ) -> Option<(Collector, Seen)> {
        let mut collector = Collector::new(limit, kinds, curated);
        if kept.groups.len() != collector.groups.len() || kept.curated.len() != curated.len() {
            return None;
        }
        let table = Table::restore(kept.candidates, swap);
        let newest = |n: KeptNewest| {
            let entries = n
                .entries(&table)?
                .map(|c| (Key::of(c), Arc::clone(c)))
                .collect();
            Some(Newest {
                entries,
                evicted: n.evicted,
            })
        };
        collector.all = newest(kept.all)?;
        for ((_, feeds), kept) in collector.groups.iter_mut().zip(kept.groups) {
            for (id, n) in kept {
                feeds.insert(id.into_owned(), newest(n)?);
            }
        }
        collector.curated = curated
            .iter()
            .zip(kept.curated)
            .map(|(spec, kept)| Curation::from_kept(spec, kept, &table))
            .collect::<Option<_>>()?;
        Some((collector, Seen::from_kept(canon, kept.seen.into_owned())))
    }

    /// Takes `old`, which this collector was offered, out of every feed, before more
    /// candidates are offered. True when that is not exact: a feed held it and once pushed
    /// another entry out, which only a new pass can bring back.
    pub fn take_out(&mut self, old: &Candidate) -> bool {
        let mut short = self.remove_newest(&HashSet::from([old.index]));
        if !self.curated.is_empty() {
            let names = Names::of(old);
            for curation in &mut self.curated {
                short |= curation.take_out(old, &names);
            }
        }
        short
    }

    /// Takes the files numbered `indices` out of every feed. True when one of them had
    /// pushed another entry out of a feed, which then holds fewer than it should: only a
    /// new pass can tell what that feed would hold.
    pub fn remove(&mut self, indices: &HashSet<u32>) -> bool {
        let mut short = self.remove_newest(indices);
        for curation in &mut self.curated {
            short |= curation.remove(indices);
        }
        short
    }

    /// [`Collector::remove`], from every feed but the curated ones.
    fn remove_newest(&mut self, indices: &HashSet<u32>) -> bool {
        let mut short = false;
        let groups = self
            .groups
            .iter_mut()
            .flat_map(|(_, feeds)| feeds.values_mut());
        for newest in std::iter::once(&mut self.all).chain(groups) {
            let before = newest.entries.len();
            newest.entries.retain(|_, c| !indices.contains(&c.index));
            short |= newest.entries.len() < before && newest.evicted;
        }
        short
    }

    /// The selection, with the groups' own `texts`, plus slug-collision warnings and one
    /// for each text that names no group.
    pub fn finish(self, texts: &Texts) -> (Selection, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut groups: Vec<(GroupKey, Vec<Arc<Candidate>>)> = self
            .groups
            .into_iter()
            .flat_map(|(kind, feeds)| feeds.into_iter().map(move |(id, n)| ((kind, id), n)))
            .map(|(key, newest)| (key, newest.entries.into_values().collect::<Vec<_>>()))
            .filter(|(_, entries)| !entries.is_empty())
            .collect();
        // Hash-map order must never leak into the output or the report.
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        let mut chosen: Vec<Chosen> = Vec::with_capacity(groups.len() + 1);
        let all: Vec<Arc<Candidate>> = self.all.entries.into_values().collect();
        // An empty feed is as new as the newest article of the build: a date that depends
        // only on the input, unlike the clock, and a plausible one, unlike 1970.
        let newest = all
            .first()
            .map_or(DateTime::UNIX_EPOCH.fixed_offset(), |c| c.published);
        chosen.push(Chosen::new(None, all, newest));
        for curation in self.curated {
            let spec = curation.spec.clone();
            let group = Group {
                kind: Kind::Curated,
                slug: spec.slug,
                name: spec.name,
                title: spec.title,
                description: Some(spec.description),
                icon: spec.icon,
            };
            chosen.push(Chosen::new(Some(group), curation.finish(), newest));
        }
        let mut topic_slugs = BTreeMap::new();
        for kind in Kind::ALL {
            let of_kind: Vec<&(GroupKey, Vec<Arc<Candidate>>)> =
                groups.iter().filter(|(k, _)| k.0 == kind).collect();
            let (slugs, collisions) =
                group::assign_slugs(of_kind.iter().map(|((_, id), _)| id.as_str()));
            let start = chosen.len();
            for ((_, id), entries) in &of_kind {
                let text = texts.get(kind, id).cloned().unwrap_or_default();
                let group = Group {
                    kind,
                    slug: slugs[id].clone(),
                    name: display_name(kind, id, entries),
                    title: text.title,
                    description: text.description,
                    icon: text.icon,
                };
                chosen.push(Chosen::new(Some(group), entries.clone(), newest));
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
                    ProblemKind::SlugCollision,
                    format!(
                        "{} names share the slug \"{slug}\": {}; see \"Topic slugs\" in docs/output.md",
                        kind.noun(),
                        list.join(", ")
                    ),
                ));
            }
            if kind == Kind::Topic {
                topic_slugs = slugs;
            }
        }
        problems.extend(unknown_names(texts, &groups, &chosen));
        (
            Selection {
                feeds: chosen,
                slugs: Slugs(topic_slugs),
            },
            problems,
        )
    }
}

/// A warning for each group the settings give text to that has no feed in this build,
/// pointing at its name in the settings file, with the name it is a near miss of, if any.
fn unknown_names(
    texts: &Texts,
    groups: &[(GroupKey, Vec<Arc<Candidate>>)],
    chosen: &[Chosen],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for named in texts.iter() {
        let kind = named.kind;
        let id = group::identity(&named.name);
        if groups.iter().any(|((k, i), _)| *k == kind && *i == id) {
            continue;
        }
        let folder = kind.folder();
        let why = if !groups.iter().any(|((k, _), _)| *k == kind) {
            format!("no {} feed is written in this build", kind.noun())
        } else {
            format!(
                "no published article has the {} {:?}",
                kind.noun(),
                named.name
            )
        };
        let names = chosen
            .iter()
            .filter_map(|c| c.group.as_ref())
            .filter(|g| g.kind == kind)
            .map(|g| g.name.as_str());
        let fix = match near_miss(&named.name, names) {
            Some(near) => format!("did you mean {near:?}?"),
            None => format!("check the spelling, or remove it from `{folder}:`"),
        };
        let mut problem = Problem::warning(
            texts.source().cloned().unwrap_or_default(),
            ProblemKind::UnknownName,
            format!(
                "`{folder}:` gives text to {:?}, but {why}, so it is unused: {fix}",
                named.name
            ),
        );
        if let Some((line, column)) = named.at {
            problem = problem.at(line, column);
        }
        problems.push(problem);
    }
    problems
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
        // Asked for each topic of each entry of each feed, twice (signing and Atom): a
        // short ASCII name is lowercased on the stack, not in a new string.
        let mut buf = [0u8; 64];
        let key = match buf.get_mut(..name.len()) {
            Some(key) if name.is_ascii() => {
                key.copy_from_slice(name.as_bytes());
                key.make_ascii_lowercase();
                std::str::from_utf8(key).ok()
            }
            _ => None,
        };
        match key {
            Some(key) => self.0.get(key),
            None => self.0.get(&group::identity(name)),
        }
        .map(String::as_str)
    }
}

/// What every feed of a build holds.
#[derive(Debug)]
pub struct Selection {
    /// The all-articles feed first, then the curated feeds in the settings' order, then one
    /// per group: by kind (topics, providers, categories), then slug.
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
    /// When the feed last changed (Atom `updated`): its newest entry's date, or for an
    /// empty feed the newest of the build's (1970 when there are no articles at all).
    pub updated: DateTime<FixedOffset>,
}

impl Chosen {
    fn new(
        group: Option<Group>,
        entries: Vec<Arc<Candidate>>,
        newest: DateTime<FixedOffset>,
    ) -> Chosen {
        let updated = entries.first().map_or(newest, |c| c.published);
        Chosen {
            group,
            entries,
            updated,
        }
    }
}

/// One feed, ready to render: its group (none for all articles) and entries, newest first.
#[derive(Debug)]
pub struct Feed {
    /// The group, or `None` for the all-articles feed.
    pub group: Option<Group>,
    /// At most the limit, newest first, ties by id.
    pub entries: Vec<Arc<Entry>>,
    /// When the feed last changed (Atom `updated`, RSS `lastBuildDate`): the newest of its
    /// entries' publication and update dates, or for an empty feed [`Chosen::updated`].
    pub updated: DateTime<FixedOffset>,
}

impl Feed {
    /// The same feed with only its `kept` newest entries (all of them when it has fewer).
    pub fn newest(&self, kept: usize) -> Feed {
        Feed {
            group: self.group.clone(),
            entries: self.entries[..kept.min(self.entries.len())].to_vec(),
            updated: self.updated,
        }
    }

    /// The feed `chosen` became, with its entries loaded.
    pub fn new(chosen: &Chosen, entries: Vec<Arc<Entry>>) -> Feed {
        let updated = entries
            .iter()
            .filter_map(|e| e.updated)
            .fold(chosen.updated, |newest, update| newest.max(update));
        Feed {
            group: chosen.group.clone(),
            entries,
            updated,
        }
    }
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
    /// Its own title, from the settings; else one made from the site's title and the name.
    pub title: Option<String>,
    /// The sentence that says what it holds: a curated feed's, or one from the settings;
    /// else one made from the name.
    pub description: Option<String>,
    /// Its own icon (an absolute URL), from the settings; else the site's.
    pub icon: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::duplicates::{confirm, Canon, Seen, Suspect, Winners};
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_topic_slug_is_found_in_any_letter_case_and_any_length() {
        let long = "Long ".repeat(30);
        let slugs = Slugs(BTreeMap::from(
            [
                ("ai", "ai"),
                ("économie", "economie"),
                (long.to_lowercase().as_str(), "long"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        ));
        assert_eq!(slugs.get("AI"), Some("ai"));
        assert_eq!(slugs.get("ai"), Some("ai"));
        assert_eq!(slugs.get("ÉCONOMIE"), Some("economie"));
        assert_eq!(slugs.get(&long.to_uppercase()), Some("long"));
        assert_eq!(slugs.get("AIs"), None);
        assert_eq!(slugs.get(""), None);
    }

    /// The file numbers of each group of suspects.
    fn indices(groups: Vec<duplicates::Group>) -> Vec<Vec<u32>> {
        groups.into_iter().map(|g| g.indices).collect()
    }

    fn candidate(index: u32, url: &str, date: &str, topics: &[&str]) -> Candidate {
        Candidate {
            index,
            path: PathBuf::from(format!("{index}.txt")),
            hash: None,
            facts: Facts {
                id: url.to_string(),
                published: DateTime::parse_from_rfc3339(date).unwrap(),
                topics: topics.iter().map(|t| t.to_string()).collect(),
                provider: None,
                category: None,
                kind: None,
                quality: None,
                heat: None,
            },
            entry: None,
        }
    }

    /// `c` again, without its entry.
    pub(super) fn copy(c: &Candidate) -> Candidate {
        Candidate {
            index: c.index,
            path: c.path.clone(),
            hash: c.hash,
            facts: c.facts.clone(),
            entry: None,
        }
    }

    /// One pass as the build runs it: losers known up front are skipped, the rest noted.
    fn pass(order: &[Candidate], limit: usize, winners: &Winners) -> (Collector, Seen) {
        let mut collector = Collector::new(limit, &[Kind::Topic], &[]);
        let mut seen = Seen::default();
        for c in order.iter().filter(|c| !winners.loses(c)) {
            seen.note(c);
            collector.add(copy(c));
        }
        (collector, seen)
    }

    /// The whole duplicate protocol as the build runs it, with links read from the
    /// candidates themselves instead of from re-read files.
    fn select(order: &[Candidate], limit: usize) -> Selection {
        let (mut first, mut seen) = pass(order, limit, &Winners::default());
        let suspect = |i: u32| {
            let c = order.iter().find(|c| c.index == i).unwrap();
            Suspect {
                index: i,
                path: c.path.clone(),
                id: c.id.clone(),
                key: Canon::default().of(&c.id).into_owned(),
                published: instant(&c.published),
            }
        };
        let groups = seen
            .suspects()
            .into_iter()
            .map(|g| g.indices.into_iter().map(suspect).collect())
            .collect();
        let pairs = confirm(groups);
        let losers = pairs.iter().map(|d| d.loser.index).collect();
        if first.remove(&losers) {
            pass(order, limit, &Winners::of(&pairs, &Canon::default()))
                .0
                .finish(&Texts::default())
                .0
        } else {
            first.finish(&Texts::default()).0
        }
    }

    fn ids(feed: &Chosen) -> Vec<&str> {
        feed.entries.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn newest_first_ties_broken_by_id_and_limited() {
        let order = [
            candidate(0, "https://e.com/b", "2022-01-01T00:00:00Z", &["T"]),
            candidate(1, "https://e.com/a", "2022-01-01T01:00:00+01:00", &["T"]),
            candidate(2, "https://e.com/c", "2022-01-02T00:00:00Z", &["T"]),
            candidate(3, "https://e.com/d", "2021-01-02T00:00:00Z", &["T"]),
        ];
        let s = select(&order, 3);
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
                candidate(0, "https://e.com/1", "2022-01-01T00:00:00Z", &["A", "B"]),
                candidate(1, "https://e.com/2", "2022-01-03T00:00:00Z", &["a"]),
                candidate(2, "https://e.com/1", "2022-01-02T00:00:00Z", &["B"]),
                candidate(3, "https://e.com/3", "2022-01-01T00:00:00Z", &["B"]),
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
    fn a_duplicate_that_pushed_out_a_valid_entry_forces_an_exact_second_pass() {
        // File 0 is the older copy of a link whose newer copy (file 2) is in another topic.
        // With a limit of 1, file 0 pushes file 1 out of topic T before file 2 reveals that
        // file 0 must not be published at all.
        let order = [
            candidate(0, "https://e.com/story", "2023-05-01T08:00:00Z", &["T"]),
            candidate(1, "https://e.com/other", "2023-04-01T08:00:00Z", &["T"]),
            candidate(2, "https://e.com/story", "2023-05-01T09:00:00Z", &["U"]),
        ];
        let (mut first, mut seen) = pass(&order, 1, &Winners::default());
        assert_eq!(indices(seen.suspects()), [vec![0, 2]]);
        assert!(
            first.remove(&[0].into()),
            "the first pass cannot be exact: topic T lost its only entry"
        );
        let s = select(&order, 1);
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
            candidate(0, "https://e.com/story", "2023-05-01T08:00:00Z", &["T"]),
            candidate(1, "https://e.com/story", "2023-05-01T09:00:00Z", &["T"]),
        ];
        let (mut first, mut seen) = pass(&order, 5, &Winners::default());
        assert_eq!(indices(seen.suspects()), [vec![0, 1]]);
        assert!(!first.remove(&[0].into()));
        let (s, _) = first.finish(&Texts::default());
        assert_eq!(s.feeds[0].entries.len(), 1);
        assert_eq!(s.feeds[0].entries[0].index, 1);
    }

    #[test]
    fn a_copied_file_with_the_same_link_and_date_leaves_the_first_file_published() {
        // Issue 16: the copy took the original's place in every feed (same sort key), then
        // the duplicate rule took the copy out, and the article was in no feed at all.
        for limit in [1, 5] {
            let order = [
                candidate(0, "https://e.com/a", "2024-03-01T09:00:00Z", &["AI"]),
                candidate(1, "https://e.com/a", "2024-03-01T10:00:00+01:00", &["AI"]),
            ];
            let s = select(&order, limit);
            for feed in &s.feeds {
                let files: Vec<u32> = feed.entries.iter().map(|e| e.index).collect();
                assert_eq!(files, [0], "limit {limit}, feed {:?}", feed.group);
            }
        }
    }

    #[test]
    fn topic_spellings_differing_in_case_are_one_feed() {
        let order = [
            candidate(0, "https://e.com/1", "2022-01-01T00:00:00Z", &["Économie"]),
            candidate(1, "https://e.com/2", "2022-01-02T00:00:00Z", &["économie"]),
        ];
        let s = select(&order, 5);
        assert_eq!(s.feeds.len(), 2);
        assert_eq!(s.feeds[1].group.as_ref().unwrap().slug, "economie");
        assert_eq!(s.feeds[1].entries.len(), 2);
    }

    #[test]
    fn facts_read_back_from_the_cache_exactly_offset_included() {
        let facts = candidate(0, "https://e.com/1", "2022-01-01T05:30:00.25+05:30", &["A"]).facts;
        let bytes = postcard::to_stdvec(&facts).unwrap();
        let back: Facts = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, facts);
        assert_eq!(back.published.to_rfc3339(), "2022-01-01T05:30:00.250+05:30");
    }
}
