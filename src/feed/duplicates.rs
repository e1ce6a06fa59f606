//! Duplicates: two files with the same link make one entry. The newer file wins; on a tie,
//! the file that sorts first by path (the walk order). A warning names both, and says why.
//!
//! They are found without keeping every link in memory. During the pass each accepted
//! candidate leaves its link's 64-bit digest and its file number, 16 bytes an article
//! ([`Seen`]). After the pass, only the files whose digests meet ([`Seen::suspects`]) are read
//! again, and their actual links compared ([`confirm`]). The losers are then taken out of
//! every feed ([`super::Collector::remove`]); when a loser had pushed a valid entry out of
//! some feed, selection runs again with the [`Winners`] known up front, so it is exact.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash as _, Hasher};
use std::path::PathBuf;

use super::candidate::{Candidate, Instant};
use crate::problem::{Problem, ProblemKind};

/// The link digest and file number of every candidate accepted in a pass.
#[derive(Debug, Default)]
pub struct Seen(Vec<(u64, u32)>);

impl Seen {
    /// Notes `candidate`.
    pub fn note(&mut self, candidate: &Candidate) {
        self.0.push((digest(&candidate.id), candidate.index));
    }

    /// File numbers whose links' digests meet, in groups: the only files that can be
    /// duplicates. Usually none.
    pub fn suspects(self) -> Vec<Vec<u32>> {
        let mut seen = self.0;
        seen.sort_unstable();
        seen.chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
            .map(|run| run.iter().map(|&(_, index)| index).collect())
            .collect()
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
        Problem::warning(
            self.loser.path.clone(),
            ProblemKind::Duplicate,
            format!(
                "same webUrl ({}) as {}, {why}, and is published instead",
                self.winner.id,
                self.winner.path.display()
            ),
        )
    }
}

/// The duplicates among groups of suspects (files whose digests met): in each set of files
/// with the same link, every file but the winner. Sorted by the loser's file number.
pub fn confirm(groups: Vec<Vec<Suspect>>) -> Vec<Duplicate> {
    let mut pairs = Vec::new();
    for mut group in groups {
        group.sort_by(|a, b| a.id.cmp(&b.id));
        for same in group.chunk_by(|a, b| a.id == b.id) {
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
pub struct Winners(HashMap<String, u32>);

impl Winners {
    /// The winners of `pairs`.
    pub fn of(pairs: &[Duplicate]) -> Winners {
        Winners(
            pairs
                .iter()
                .map(|d| (d.winner.id.clone(), d.winner.index))
                .collect(),
        )
    }

    /// True when `candidate` has a duplicated link and is not the file that won it.
    pub fn loses(&self, candidate: &Candidate) -> bool {
        self.0
            .get(&candidate.id)
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
            published: (secs, 0),
        }
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
