//! Duplicates: two files with the same link make one entry. The newer file wins; on a tie,
//! the file that sorts first by path (the walk order). A warning names both, and says why.
//!
//! Links are compared in a canonical form ([`Canon`]), so that one story reached under
//! `http` and `https`, with tracking parameters or a fragment, is one entry; each entry is
//! still published under its own link, exactly as written.
//!
//! They are found without keeping every link in memory. During the pass each accepted
//! candidate leaves its link's 64-bit digest and its file number, 16 bytes an article
//! ([`Seen`]). After the pass, only the files whose digests meet ([`Seen::suspects`]) are read
//! again, and their actual links compared ([`confirm`]). The losers are then taken out of
//! every feed ([`super::Collector::remove`]); when a loser had pushed a valid entry out of
//! some feed, selection runs again with the [`Winners`] known up front, so it is exact.

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash as _, Hasher};
use std::path::PathBuf;

use super::candidate::{Candidate, Instant};
use crate::problem::{Problem, ProblemKind};

/// Query parameters that only track where a reader came from, in any letter case: dropped
/// from the canonical form. A name ending in `*` stands for every name it starts.
pub const TRACKING: &[&str] = &[
    "utm_*", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid",
];

/// The canonical form of a link, for comparing links only:
///
/// 1. the scheme is dropped, so `http` and `https` are one (the host is already in lower
///    case and the default port dropped: the link was parsed as a URL);
/// 2. the fragment (`#…`) is dropped;
/// 3. query parameters named in [`TRACKING`] or in the `tracking_params` setting (any letter
///    case) are dropped; the others stay, as written and in their order, and `?` goes when
///    none is left.
///
/// Nothing else changes: another path, a trailing `/`, a `www.` or another meaningful
/// parameter (`?id=2`) is another link.
#[derive(Debug, Clone, Default)]
pub struct Canon {
    /// The `tracking_params` setting's names, in lower case.
    extra: Vec<String>,
}

impl Canon {
    /// The canonical form with `tracking_params` dropped too.
    pub fn new(tracking_params: &[String]) -> Canon {
        Canon {
            extra: tracking_params.iter().map(|p| p.to_lowercase()).collect(),
        }
    }

    /// The canonical form of `link`, an entry's id (an absolute http(s) URL as the URL parser
    /// writes it). Borrowed for most links, which have no query or fragment.
    pub fn of<'a>(&self, link: &'a str) -> Cow<'a, str> {
        let rest = link
            .strip_prefix("https:")
            .or_else(|| link.strip_prefix("http:"))
            .unwrap_or(link);
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let Some((base, query)) = rest.split_once('?') else {
            return Cow::Borrowed(rest);
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !self.tracks(pair.split('=').next().unwrap_or("")))
            .collect();
        if kept.is_empty() {
            Cow::Borrowed(base)
        } else {
            Cow::Owned(format!("{base}?{}", kept.join("&")))
        }
    }

    /// True when a query parameter named `name` only tracks.
    fn tracks(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        TRACKING.iter().any(|t| match t.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == *t,
        }) || self.extra.contains(&name)
    }
}

/// The link digest and file number of every candidate accepted in a pass.
#[derive(Debug, Default)]
pub struct Seen {
    canon: Canon,
    seen: Vec<(u64, u32)>,
}

impl Seen {
    /// Nothing seen yet; links compared in `canon`'s form.
    pub fn new(canon: Canon) -> Seen {
        Seen {
            canon,
            seen: Vec::new(),
        }
    }

    /// Notes `candidate`.
    pub fn note(&mut self, candidate: &Candidate) {
        let key = self.canon.of(&candidate.id);
        self.seen.push((digest(&key), candidate.index));
    }

    /// True when no two links' digests meet: there are no [`Seen::suspects`].
    pub fn clear(&mut self) -> bool {
        self.seen.sort_unstable();
        self.seen.windows(2).all(|pair| pair[0].0 != pair[1].0)
    }

    /// Forgets file number `index`.
    pub fn forget(&mut self, index: u32) {
        self.seen.retain(|&(_, i)| i != index);
    }

    /// The digests and file numbers, to keep until the next build ([`Seen::from_kept`]).
    pub fn kept(&self) -> &[(u64, u32)] {
        &self.seen
    }

    /// What [`Seen::kept`] gave, links compared in `canon`'s form.
    pub fn from_kept(canon: Canon, seen: Vec<(u64, u32)>) -> Seen {
        Seen { canon, seen }
    }

    /// Forgets every file number in `indices`.
    pub fn forget_all(&mut self, indices: &HashSet<u32>) {
        self.seen.retain(|(_, i)| !indices.contains(i));
    }

    /// True when `other` saw the same links under the same file numbers.
    pub fn same(&mut self, other: &mut Seen) -> bool {
        self.seen.sort_unstable();
        other.seen.sort_unstable();
        self.seen == other.seen
    }

    /// File numbers whose links' digests meet, in groups: the only files that can be
    /// duplicates. Usually none.
    pub fn suspects(&mut self) -> Vec<Group> {
        self.seen.sort_unstable();
        self.seen
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
            .map(|run| Group {
                digest: run[0].0,
                indices: run.iter().map(|&(_, index)| index).collect(),
            })
            .collect()
    }
}

/// File numbers whose links' digests met in a pass ([`Seen::suspects`]).
#[derive(Debug, PartialEq, Eq)]
pub struct Group {
    digest: u64,
    /// The files, by number in walk order.
    pub indices: Vec<u32>,
}

impl Group {
    /// True when `key`, a link in its canonical form, has the digest the group's files had
    /// in the pass: false for a file read again that is no longer the one the pass read.
    pub fn fits(&self, key: &str) -> bool {
        digest(key) == self.digest
    }
}

/// A 64-bit digest of a link: only a hint, since files whose digests meet are compared by
/// their actual links before anything is called a duplicate.
fn digest(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// A suspect file, read again: what deciding between duplicates needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspect {
    /// Its file number, in walk order.
    pub index: u32,
    /// Its file.
    pub path: PathBuf,
    /// Its link.
    pub id: String,
    /// Its link's canonical form: what is compared.
    pub key: String,
    /// Its date.
    pub published: Instant,
}

/// An older file with the same link as a newer one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The file left out.
    pub loser: Suspect,
    /// The file published instead.
    pub winner: Suspect,
}

impl Duplicate {
    /// The warning that names both files, and why the other one won.
    pub fn warning(&self) -> Problem {
        let why = if self.winner.published == self.loser.published {
            "which has the same date and sorts first by path"
        } else {
            "which is newer"
        };
        let (winner, loser) = (&self.winner, &self.loser);
        let message = if winner.id == loser.id {
            format!(
                "same webUrl ({}) as {}, {why}, and is published instead",
                winner.id,
                winner.path.display()
            )
        } else {
            format!(
                "the same story as {} under another link ({} here, {} there), {why}, and is \
                 published instead",
                winner.path.display(),
                loser.id,
                winner.id
            )
        };
        Problem::warning(self.loser.path.clone(), ProblemKind::Duplicate, message)
    }
}

/// The duplicates among groups of suspects (files whose digests met): in each set of files
/// with the same link, every file but the winner. Sorted by the loser's file number.
pub fn confirm(groups: Vec<Vec<Suspect>>) -> Vec<Duplicate> {
    let mut pairs = Vec::new();
    for mut group in groups {
        group.sort_by(|a, b| a.key.cmp(&b.key));
        for same in group.chunk_by(|a, b| a.key == b.key) {
            let Some(winner) = same
                .iter()
                .max_by_key(|s| (s.published, std::cmp::Reverse(s.index)))
            else {
                continue;
            };
            for loser in same.iter().filter(|s| s.index != winner.index) {
                pairs.push(Duplicate {
                    loser: loser.clone(),
                    winner: winner.clone(),
                });
            }
        }
    }
    pairs.sort_by_key(|d| d.loser.index);
    pairs
}

/// Which file won for each duplicated link: lets a pass skip the losers up front.
#[derive(Debug, Default)]
pub struct Winners {
    canon: Canon,
    /// The winner's file number, by canonical link.
    won: HashMap<String, u32>,
}

impl Winners {
    /// True when no link was duplicated.
    pub fn is_empty(&self) -> bool {
        self.won.is_empty()
    }

    /// The winners of `pairs`, whose links were compared in `canon`'s form.
    pub fn of(pairs: &[Duplicate], canon: &Canon) -> Winners {
        Winners {
            canon: canon.clone(),
            won: pairs
                .iter()
                .map(|d| (d.winner.key.clone(), d.winner.index))
                .collect(),
        }
    }

    /// True when `candidate` has a duplicated link and is not the file that won it.
    pub fn loses(&self, candidate: &Candidate) -> bool {
        !self.won.is_empty()
            && self
                .won
                .get(self.canon.of(&candidate.id).as_ref())
                .is_some_and(|&winner| winner != candidate.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suspect(index: u32, id: &str, secs: i64) -> Suspect {
        Suspect {
            index,
            path: PathBuf::from(format!("{index}.txt")),
            id: id.to_string(),
            key: Canon::default().of(id).into_owned(),
            published: (secs, 0),
        }
    }

    #[test]
    fn the_canonical_form_drops_scheme_fragment_and_tracking_parameters_only() {
        let canon = Canon::new(&["TD".to_string()]);
        // Each link, and whether it is the same story as https://e.com/a/b?id=2.
        let links = [
            ("https://e.com/a/b?id=2", true),
            ("http://e.com/a/b?id=2", true),
            ("https://e.com/a/b?utm_source=x&id=2&UTM_Medium=y", true),
            (
                "https://e.com/a/b?id=2&fbclid=1&gclid=2&mc_cid=3#comments",
                true,
            ),
            ("https://e.com/a/b?td=amp-keepreading-btm&id=2", true),
            ("https://e.com/a/b?id=3", false),
            ("https://e.com/a/b", false),
            ("https://e.com/a/b/?id=2", false),
            ("https://e.com/a/c?id=2", false),
            ("https://www.e.com/a/b?id=2", false),
            ("https://e.com/a/b?id=2&page=2", false),
            ("https://e.com/a/b?utm=1&id=2", false),
        ];
        for (link, same) in links {
            assert_eq!(canon.of(link) == "//e.com/a/b?id=2", same, "{link}");
        }
        assert_eq!(canon.of("https://e.com/a?utm_source=x#top"), "//e.com/a");
        // Without the setting, `td` is a parameter like any other.
        assert_ne!(Canon::default().of(links[4].0), "//e.com/a/b?id=2");
    }

    #[test]
    fn the_newer_file_wins_and_a_tie_goes_to_the_file_that_sorts_first() {
        let pairs = confirm(vec![vec![
            suspect(0, "https://e.com/a", 10),
            suspect(1, "https://e.com/a", 20),
            suspect(2, "https://e.com/b", 5),
            suspect(3, "https://e.com/b", 5),
        ]]);
        let won: Vec<(u32, u32)> = pairs
            .iter()
            .map(|d| (d.loser.index, d.winner.index))
            .collect();
        assert_eq!(won, [(0, 1), (3, 2)]);
    }

    #[test]
    fn files_whose_digests_meet_but_links_differ_are_not_duplicates() {
        let pairs = confirm(vec![vec![
            suspect(0, "https://e.com/a", 10),
            suspect(1, "https://e.com/b", 20),
        ]]);
        assert!(pairs.is_empty());
    }

    #[test]
    fn the_warning_names_both_files_and_the_link() {
        let pairs = confirm(vec![vec![
            suspect(4, "https://e.com/a", 10),
            suspect(7, "https://e.com/a", 20),
        ]]);
        assert_eq!(
            pairs[0].warning().to_string(),
            "warning: 4.txt: same webUrl (https://e.com/a) as 7.txt, which is newer, and is published instead"
        );
        let tie = confirm(vec![vec![
            suspect(4, "https://e.com/a", 10),
            suspect(7, "https://e.com/a", 10),
        ]]);
        assert_eq!(
            tie[0].warning().to_string(),
            "warning: 7.txt: same webUrl (https://e.com/a) as 4.txt, which has the same date and sorts first by path, and is published instead"
        );
    }
}
