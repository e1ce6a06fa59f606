//! A selection pass's state, kept from one build to the next, so that a build in which a few
//! article files changed offers just those to what the last build chose, instead of every
//! article again (see `Collector::keep`, `Collector::from_kept` and `Collector::take_out`).
//!
//! What is kept is exact: every feed's entries and whether it ever pushed one out, every
//! curated feed's picks with their counts, and every link's digest (`Seen`); the candidates
//! they hold are kept once each. Taking an article out is exact only where nothing was ever
//! pushed out for it (`Collector::take_out` says when it is not); offering one is always
//! exact, since a feed's choice depends only on the set of its candidates.
//!
//! Candidates are known by their file numbers (walk order), which move when a file comes or
//! goes: [`Renumber`] moves the kept ones before anything is taken out or offered.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::candidate::{Candidate, Facts};
use super::curated::KeptCuration;
use crate::hash::Hash;

/// How file numbers moved from one build to the next: the files gone (by their old numbers)
/// and the files added (by their new numbers). Every other file keeps its place in walk
/// order, so its new number is its old one, less the files gone before it, plus the files
/// added before it.
#[derive(Debug, Default)]
pub struct Renumber {
    gone: Vec<u32>,
    /// For each added file, in order: how many of the files that stayed come before it.
    added: Vec<u32>,
}

impl Renumber {
    /// Notes that the file numbered `old` is gone, after every one noted before it; gives
    /// the number it goes by from now on: its own, past every file's, so that it can still
    /// be taken out of what was kept.
    pub fn gone(&mut self, old: u32) -> u32 {
        debug_assert!(self.gone.last().is_none_or(|&last| last < old));
        self.gone.push(old);
        u32::MAX - (self.gone.len() - 1) as u32
    }

    /// Notes that the file numbered `new` is new, after every one noted before it.
    pub fn added(&mut self, new: u32) {
        // The files before it are the ones added before it and the ones that stayed.
        self.added.push(new - self.added.len() as u32);
    }

    /// The number the file numbered `old` in the last build goes by now.
    pub fn number(&self, old: u32) -> u32 {
        match self.gone.binary_search(&old) {
            Ok(at) => u32::MAX - at as u32,
            Err(before) => {
                let stayed = old - before as u32;
                stayed + self.added.partition_point(|&b| b <= stayed) as u32
            }
        }
    }

    /// True when no file came or went.
    pub fn is_none(&self) -> bool {
        self.gone.is_empty() && self.added.is_empty()
    }
}

/// A `Collector` and its `Seen`, as kept between builds: borrowed from them to be encoded,
/// owned when decoded.
#[derive(Debug, Serialize, Deserialize)]
pub struct Kept<'a> {
    pub(super) candidates: Vec<KeptCandidate<'a>>,
    pub(super) all: KeptNewest,
    /// Per kind of group, in the collector's order: each group's feed.
    pub(super) groups: Vec<Vec<(Cow<'a, str>, KeptNewest)>>,
    pub(super) curated: Vec<KeptCuration>,
    pub(super) seen: Cow<'a, [(u64, u32)]>,
}

impl Kept<'_> {
    /// Every file number in it as `renumber` moves it.
    pub fn renumber(&mut self, renumber: &Renumber) {
        if renumber.is_none() {
            return;
        }
        for c in &mut self.candidates {
            c.index = renumber.number(c.index);
        }
        for curation in &mut self.curated {
            curation.renumber(|old| renumber.number(old));
        }
        for (_, index) in self.seen.to_mut() {
            *index = renumber.number(*index);
        }
    }
}

/// A candidate, without the entry a build may have parsed.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct KeptCandidate<'a> {
    index: u32,
    path: Cow<'a, Path>,
    hash: Option<Hash>,
    facts: Cow<'a, Facts>,
}

/// A feed's newest entries, by their places among the kept candidates.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct KeptNewest {
    entries: Vec<u32>,
    pub(super) evicted: bool,
}

impl KeptNewest {
    /// Its entries, from the candidates `table` ([`Table::restore`]); `None` when a place is
    /// not in it.
    pub(super) fn entries<'t>(
        &'t self,
        table: &'t [Arc<Candidate>],
    ) -> Option<impl Iterator<Item = &'t Arc<Candidate>>> {
        self.entries
            .iter()
            .all(|&place| (place as usize) < table.len())
            .then(|| self.entries.iter().map(|&place| &table[place as usize]))
    }
}

/// The kept candidates, each once, by file number.
#[derive(Default)]
pub(super) struct Table<'a> {
    places: HashMap<u32, u32>,
    pub(super) candidates: Vec<KeptCandidate<'a>>,
}

impl<'a> Table<'a> {
    /// The place of `c` among the kept candidates.
    pub(super) fn place(&mut self, c: &'a Candidate) -> u32 {
        *self.places.entry(c.index).or_insert_with(|| {
            self.candidates.push(KeptCandidate {
                index: c.index,
                path: Cow::Borrowed(&c.path),
                hash: c.hash,
                facts: Cow::Borrowed(&c.facts),
            });
            (self.candidates.len() - 1) as u32
        })
    }

    /// A feed's `entries`, and whether it ever pushed one out.
    pub(super) fn newest(
        &mut self,
        entries: impl Iterator<Item = &'a Arc<Candidate>>,
        evicted: bool,
    ) -> KeptNewest {
        KeptNewest {
            entries: entries.map(|c| self.place(c)).collect(),
            evicted,
        }
    }

    /// The kept `candidates` again, each as `swap` gives it, by place.
    pub(super) fn restore(
        candidates: Vec<KeptCandidate<'_>>,
        mut swap: impl FnMut(Candidate) -> Candidate,
    ) -> Vec<Arc<Candidate>> {
        candidates
            .into_iter()
            .map(|c| {
                Arc::new(swap(Candidate {
                    index: c.index,
                    path: c.path.into_owned(),
                    hash: c.hash,
                    facts: c.facts.into_owned(),
                    entry: None,
                }))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Provider;
    use crate::feed::duplicates::{Canon, Seen};
    use crate::feed::tests::copy;
    use crate::feed::Collector;
    use crate::group::Kind;
    use crate::settings::Curated;
    use crate::settings::{Rank, Texts, Window};
    use chrono::DateTime;
    use proptest::prelude::*;
    use std::collections::HashSet;
    use std::path::PathBuf;

    /// An article `hours` after a fixed instant, in `topics` (of A, B, C by bit) and from
    /// provider P or Q, with `heat`.
    fn candidate(index: u32, hours: i64, topics: u8, provider: bool, heat: u8) -> Candidate {
        let base = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap();
        Candidate {
            index,
            path: PathBuf::from(format!("{index}.txt")),
            hash: Some(Hash::from(index)),
            facts: Facts {
                id: format!("https://e.com/{index}"),
                published: base + chrono::Duration::hours(hours),
                topics: ["A", "B", "C"]
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| topics & (1 << bit) != 0)
                    .map(|(_, t)| t.to_string())
                    .collect(),
                provider: Some(Provider {
                    name: if provider { "P" } else { "Q" }.into(),
                    uri: None,
                }),
                category: None,
                kind: None,
                quality: None,
                heat: Some(f64::from(heat)),
            },
            entry: None,
        }
    }

    fn curated(filtered: bool, window: Option<&str>) -> Curated {
        let mut spec = Curated {
            name: "Picks".into(),
            slug: "picks".into(),
            description: String::new(),
            filter: Default::default(),
            window: window.map(|w| Window::parse(w).unwrap()),
            rank: Rank::Heat,
            limit: 2,
            content: None,
            title: None,
            icon: None,
        };
        if filtered {
            spec.filter.topics = vec!["b".into()];
        }
        spec
    }

    const KINDS: [Kind; 2] = [Kind::Topic, Kind::Provider];

    /// A selection's feeds: slug, and each entry's file number and hash.
    type Chosen = Vec<(Option<String>, Vec<(u32, Option<Hash>)>)>;

    /// Every feed of what `collector` chose.
    fn feeds(collector: Collector) -> Chosen {
        collector
            .finish(&Texts::default())
            .0
            .feeds
            .into_iter()
            .map(|f| {
                let entries = f.entries.iter().map(|c| (c.index, c.hash)).collect();
                (f.group.map(|g| g.slug), entries)
            })
            .collect()
    }

    fn pass(all: &[Candidate], limit: usize, curated: &[Curated]) -> (Collector, Seen) {
        let mut collector = Collector::new(limit, &KINDS, curated);
        let mut seen = Seen::default();
        for c in all {
            seen.note(c);
            collector.add(copy(c));
        }
        (collector, seen)
    }

    /// The articles `arb_article` gave, numbered in order.
    fn numbered(articles: &[(i64, u8, bool, u8)]) -> Vec<Candidate> {
        articles
            .iter()
            .enumerate()
            .map(|(i, &(h, t, p, heat))| candidate(i as u32, h, t, p, heat))
            .collect()
    }

    fn arb_article() -> impl Strategy<Value = (i64, u8, bool, u8)> {
        // Few hours and heats, so ties are common.
        (0i64..40, 0u8..8, any::<bool>(), 0u8..5)
    }

    proptest! {
        /// A kept selection, restored, with one article changed (taken out, then offered
        /// again as it is now), is the selection of a new pass over the changed articles,
        /// unless taking out asked for one.
        #[test]
        fn a_kept_selection_with_one_change_is_a_new_pass_or_asks_for_one(
            articles in prop::collection::vec(arb_article(), 1..40),
            limit in 1usize..5,
            curated_feeds in prop::option::of((any::<bool>(), prop::option::of(prop_oneof![Just("6h"), Just("1d")]))),
            which in any::<prop::sample::Index>(),
            change in arb_article(),
        ) {
            let curated: Vec<Curated> =
                curated_feeds.iter().map(|(f, w)| curated(*f, *w)).collect();
            let all = numbered(&articles);
            let (collector, seen) = pass(&all, limit, &curated);
            let kept = collector.keep(&seen).expect("no second pass");
            // Through its encoding, as between two builds.
            let kept: Kept = postcard::from_bytes(&postcard::to_stdvec(&kept).unwrap()).unwrap();
            let (mut restored, _) =
                Collector::from_kept(kept, limit, &KINDS, &curated, Canon::default(), |c| c)
                    .expect("it fits");
            let i = which.index(all.len());
            let (h, t, p, heat) = change;
            let mut new = candidate(i as u32, h, t, p, heat);
            new.hash = Some(Hash::MAX);
            if !restored.take_out(&all[i]) {
                restored.add(copy(&new));
                let mut after: Vec<Candidate> = all.iter().map(copy).collect();
                after[i] = new;
                prop_assert_eq!(feeds(restored), feeds(pass(&after, limit, &curated).0));
            }
        }

        /// An article whose facts are the same takes the old one's place wherever it was,
        /// without taking out: the selection of a new pass.
        #[test]
        fn a_kept_selection_with_the_same_facts_swapped_in_is_a_new_pass(
            articles in prop::collection::vec(arb_article(), 1..40),
            limit in 1usize..5,
            which in any::<prop::sample::Index>(),
        ) {
            let curated = [curated(false, Some("1d"))];
            let all = numbered(&articles);
            let (collector, seen) = pass(&all, limit, &curated);
            let kept = collector.keep(&seen).expect("no second pass");
            let i = which.index(all.len()) as u32;
            let mut after: Vec<Candidate> = all.iter().map(copy).collect();
            after[i as usize].hash = Some(Hash::MAX);
            let swapped = copy(&after[i as usize]);
            let mut swap = Some(swapped);
            let (restored, _) = Collector::from_kept(
                kept,
                limit,
                &KINDS,
                &curated,
                Canon::default(),
                |c| if c.index == i { swap.take().unwrap_or(c) } else { c },
            )
            .expect("it fits");
            prop_assert_eq!(feeds(restored), feeds(pass(&after, limit, &curated).0));
        }
    }

    /// What becomes of a file from one build to the next.
    #[derive(Debug, Clone, Copy)]
    enum Fate {
        Stays,
        Gone,
        New,
    }

    fn arb_fate() -> impl Strategy<Value = Fate> {
        prop_oneof![3 => Just(Fate::Stays), 1 => Just(Fate::Gone), 1 => Just(Fate::New)]
    }

    /// `article` as file number `index`: its link, file and hash are its own (`label`),
    /// whatever its number.
    fn labelled(label: usize, index: u32, article: (i64, u8, bool, u8)) -> Candidate {
        let (h, t, p, heat) = article;
        let mut c = candidate(index, h, t, p, heat);
        c.facts.id = format!("https://e.com/a{label}");
        c.path = PathBuf::from(format!("a{label}.txt"));
        c.hash = Some(Hash::from(label as u32));
        c
    }

    proptest! {
        /// Renumbering gives every file that stays its place in the new walk, and every
        /// file gone a number of its own past every file's.
        #[test]
        fn renumbering_follows_the_walk(fates in prop::collection::vec(arb_fate(), 0..80)) {
            let mut renumber = Renumber::default();
            let (mut old, mut new) = (0u32, 0u32);
            let (mut stayed, mut gone) = (Vec::new(), Vec::new());
            for fate in fates {
                match fate {
                    Fate::Stays => {
                        stayed.push((old, new));
                        old += 1;
                        new += 1;
                    }
                    Fate::Gone => {
                        gone.push((old, renumber.gone(old)));
                        old += 1;
                    }
                    Fate::New => {
                        renumber.added(new);
                        new += 1;
                    }
                }
            }
            for (old, now) in stayed {
                prop_assert_eq!(renumber.number(old), now);
            }
            let mut numbers = HashSet::new();
            for (old, number) in gone {
                prop_assert_eq!(renumber.number(old), number);
                prop_assert!(number >= new);
                prop_assert!(numbers.insert(number));
            }
        }

        /// A kept selection, restored and renumbered, with the files gone taken out and the
        /// new ones offered, is the selection of a new pass over the files there are now,
        /// unless taking out asked for one.
        #[test]
        fn a_kept_selection_with_files_gone_and_new_is_a_new_pass_or_asks_for_one(
            files in prop::collection::vec((arb_article(), arb_fate()), 1..40),
            limit in 1usize..5,
            curated_feeds in prop::option::of((any::<bool>(), prop::option::of(prop_oneof![Just("6h"), Just("1d")]))),
        ) {
            let curated: Vec<Curated> =
                curated_feeds.iter().map(|(f, w)| curated(*f, *w)).collect();
            let (mut before, mut after) = (Vec::new(), Vec::new());
            let mut renumber = Renumber::default();
            let (mut gone, mut new) = (Vec::new(), Vec::new());
            for (label, &(article, fate)) in files.iter().enumerate() {
                let (old, now) = (before.len() as u32, after.len() as u32);
                match fate {
                    Fate::Stays => {
                        before.push(labelled(label, old, article));
                        after.push(labelled(label, now, article));
                    }
                    Fate::Gone => {
                        before.push(labelled(label, old, article));
                        gone.push(labelled(label, renumber.gone(old), article));
                    }
                    Fate::New => {
                        renumber.added(now);
                        after.push(labelled(label, now, article));
                        new.push(labelled(label, now, article));
                    }
                }
            }
            let (collector, seen) = pass(&before, limit, &curated);
            let kept = collector.keep(&seen).expect("no second pass");
            let mut kept: Kept =
                postcard::from_bytes(&postcard::to_stdvec(&kept).unwrap()).unwrap();
            kept.renumber(&renumber);
            let (mut restored, mut seen) =
                Collector::from_kept(kept, limit, &KINDS, &curated, Canon::default(), |c| c)
                    .expect("it fits");
            for old in &gone {
                if restored.take_out(old) {
                    return Ok(());
                }
                seen.forget(old.index);
            }
            for c in new {
                seen.note(&c);
                restored.add(c);
            }
            prop_assert!(seen.clear());
            let (fresh, mut fresh_seen) = pass(&after, limit, &curated);
            prop_assert!(fresh_seen.clear());
            prop_assert_eq!(seen.kept(), fresh_seen.kept());
            prop_assert_eq!(feeds(restored), feeds(fresh));
        }
    }

    #[test]
    fn the_same_pass_keeps_the_same_bytes() {
        // Many groups, so that two maps of them are unlikely to iterate alike.
        let all: Vec<Candidate> = (0..200)
            .map(|i| {
                let mut c = candidate(i, i64::from(i % 37), (i % 8) as u8, i % 2 == 0, 0);
                c.facts.topics.push(format!("Topic {}", i % 50));
                c
            })
            .collect();
        let bytes = || {
            let (collector, seen) = pass(&all, 3, &[]);
            postcard::to_stdvec(&collector.keep(&seen).unwrap()).unwrap()
        };
        let first = bytes();
        for _ in 0..5 {
            assert_eq!(bytes(), first);
        }
    }

    #[test]
    fn a_change_to_an_entry_of_a_feed_that_pushed_one_out_asks_for_a_new_pass() {
        let all: Vec<Candidate> = (0..3)
            .map(|i| candidate(i, i64::from(i), 1, true, 0))
            .collect();
        let restored = || {
            let (collector, seen) = pass(&all, 2, &[]);
            let kept = collector.keep(&seen).unwrap();
            Collector::from_kept(kept, 2, &KINDS, &[], Canon::default(), |c| c)
                .unwrap()
                .0
        };
        // The newest is in topic A's feed, which pushed the oldest out.
        assert!(restored().take_out(&all[2]));
        // The oldest is in no feed: taking it out changes nothing.
        assert!(!restored().take_out(&all[0]));
    }
}
