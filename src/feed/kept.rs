//! A selection pass's state, kept from one build to the next, so that a build in which a few
//! article files changed offers just those to what the last build chose, instead of every
//! article again.
//!
//! What is kept is exact: every feed's entries and whether it ever pushed one out, every
//! curated feed's picks with their counts, and every link's digest ([`Seen`]); the candidates
//! they hold are kept once each. Taking an article out is exact only where nothing was ever
//! pushed out for it ([`Collector::take_out`] says when it is not); offering one is always
//! exact, since a feed's choice depends only on the set of its candidates.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::curated::{Curation, KeptCuration, Names};
use super::duplicates::{Canon, Seen};
use super::{Candidate, Collector, Facts, Newest};
use crate::group::Kind;
use crate::hash::Hash;
use crate::settings::Curated;

/// A [`Collector`] and its [`Seen`], as kept between builds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Kept {
    candidates: Vec<KeptCandidate>,
    all: KeptNewest,
    /// Per kind of group, in the collector's order: each group's feed.
    groups: Vec<Vec<(String, KeptNewest)>>,
    curated: Vec<KeptCuration>,
    seen: Vec<(u64, u32)>,
}

/// A candidate, without the entry a build may have parsed.
#[derive(Debug, Serialize, Deserialize)]
struct KeptCandidate {
    index: u32,
    path: PathBuf,
    hash: Option<Hash>,
    facts: Facts,
}

/// A feed's newest entries, by their places among the kept candidates.
#[derive(Debug, Serialize, Deserialize)]
struct KeptNewest {
    entries: Vec<u32>,
    evicted: bool,
}

/// The kept candidates, each once, by file number.
#[derive(Default)]
struct Table {
    places: HashMap<u32, u32>,
    candidates: Vec<KeptCandidate>,
}

impl Table {
    /// The place of `c` among the kept candidates.
    fn place(&mut self, c: &Candidate) -> u32 {
        *self.places.entry(c.index).or_insert_with(|| {
            self.candidates.push(KeptCandidate {
                index: c.index,
                path: c.path.clone(),
                hash: c.hash,
                facts: c.facts.clone(),
            });
            (self.candidates.len() - 1) as u32
        })
    }

    fn newest(&mut self, n: &Newest) -> KeptNewest {
        KeptNewest {
            entries: n.entries.values().map(|c| self.place(c)).collect(),
            evicted: n.evicted,
        }
    }
}

impl Collector {
    /// What to keep of this collector and `seen` after a pass; `None` when a curated feed
    /// needs a second pass.
    pub fn keep(&self, seen: &Seen) -> Option<Kept> {
        let mut table = Table::default();
        let all = table.newest(&self.all);
        let groups = self
            .groups
            .iter()
            .map(|(_, feeds)| {
                let mut feeds: Vec<(String, KeptNewest)> = feeds
                    .iter()
                    .map(|(id, n)| (id.clone(), table.newest(n)))
                    .collect();
                // The same build keeps the same bytes.
                feeds.sort_by(|a, b| a.0.cmp(&b.0));
                feeds
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
            seen: seen.kept().to_vec(),
        })
    }

    /// The collector and [`Seen`] that `kept` holds, for the same `limit`, `kinds`,
    /// `curated` feeds and link form `canon` as the build that kept it; each candidate as
    /// `swap` gives it. `None` when `kept` does not fit them.
    pub fn from_kept(
        kept: Kept,
        limit: usize,
        kinds: &[Kind],
        curated: &[Curated],
        canon: Canon,
        mut swap: impl FnMut(Candidate) -> Candidate,
    ) -> Option<(Collector, Seen)> {
        let mut collector = Collector::new(limit, kinds, curated);
        if kept.groups.len() != collector.groups.len() || kept.curated.len() != curated.len() {
            return None;
        }
        let table: Vec<Arc<Candidate>> = kept
            .candidates
            .into_iter()
            .map(|c| {
                Arc::new(swap(Candidate {
                    index: c.index,
                    path: c.path,
                    hash: c.hash,
                    facts: c.facts,
                    entry: None,
                }))
            })
            .collect();
        let newest = |n: KeptNewest| {
            let entries = n
                .entries
                .into_iter()
                .map(|place| {
                    let c = table.get(place as usize)?;
                    Some((super::Key::of(c), Arc::clone(c)))
                })
                .collect::<Option<_>>()?;
            Some(Newest {
                entries,
                evicted: n.evicted,
            })
        };
        collector.all = newest(kept.all)?;
        for ((_, feeds), kept) in collector.groups.iter_mut().zip(kept.groups) {
            for (id, n) in kept {
                feeds.insert(id, newest(n)?);
            }
        }
        collector.curated = curated
            .iter()
            .zip(kept.curated)
            .map(|(spec, kept)| Curation::from_kept(spec, kept, &table))
            .collect::<Option<_>>()?;
        Some((collector, Seen::from_kept(canon, kept.seen)))
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Provider;
    use crate::settings::{Rank, Texts, Window};
    use chrono::DateTime;
    use proptest::prelude::*;

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

    fn copy(c: &Candidate) -> Candidate {
        Candidate {
            index: c.index,
            path: c.path.clone(),
            hash: c.hash,
            facts: c.facts.clone(),
            entry: None,
        }
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
            let all: Vec<Candidate> = articles
                .iter()
                .enumerate()
                .map(|(i, &(h, t, p, heat))| candidate(i as u32, h, t, p, heat))
                .collect();
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
            let all: Vec<Candidate> = articles
                .iter()
                .enumerate()
                .map(|(i, &(h, t, p, heat))| candidate(i as u32, h, t, p, heat))
                .collect();
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

    #[test]
    fn a_change_to_an_entry_of_a_feed_that_pushed_one_out_asks_for_a_new_pass() {
        let all: Vec<Candidate> = (0..3)
            .map(|i| candidate(i, i64::from(i), 1, true, 0))
            .collect();
        let (collector, seen) = pass(&all, 2, &[]);
        let (mut restored, _) = Collector::from_kept(
            collector.keep(&seen).unwrap(),
            2,
            &KINDS,
            &[],
            Canon::default(),
            |c| c,
        )
        .unwrap();
        // The newest is in topic A's feed, which pushed the oldest out.
        assert!(restored.take_out(&all[2]));
        // The oldest is in no feed: taking it out changes nothing.
        let (collector, seen) = pass(&all, 2, &[]);
        let (mut restored, _) = Collector::from_kept(
            collector.keep(&seen).unwrap(),
            2,
            &KINDS,
            &[],
            Canon::default(),
            |c| c,
        )
        .unwrap();
        assert!(!restored.take_out(&all[0]));
    }
}
