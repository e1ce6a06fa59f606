//! Read and validate: the article files of the input folder, in walk order, each parsed and
//! validated on any core (or answered by the cache), as a stream that keeps memory flat.

use std::collections::{BTreeSet, HashMap};
use std::fs::DirEntry;
use std::iter::Peekable;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::progress::Progress;
use crate::cache::{Articles, Checked, Lookup, Proven, Read, Rest, Same, Walked};
use crate::entry::{self, Entry, Outcome};
use crate::error::Error;
use crate::feed::duplicates::{Canon, Group, Suspect};
use crate::feed::{instant, Renumber};
use crate::problem::Problem;
use crate::settings::Settings;
use crate::source::{self, Found, Listed};

/// Files are read in chunks of this many: enough to keep every core busy, few enough that
/// memory stays flat.
const CHUNK: usize = 512;

/// Every article file's [`Read`], in walk order, a chunk of up to [`CHUNK`] at a time. An
/// error ends the stream.
pub(super) struct Reads<'a> {
    walk: Box<dyn Iterator<Item = Result<Listed, Error>> + Send + 'a>,
    articles: &'a mut Articles,
    settings: &'a Settings,
    progress: &'a dyn Progress,
    read: usize,
    /// How many of the first files are the records' a walk matched, still to read.
    proven: usize,
    /// Of those, the ones it could not prove unchanged, in order.
    changed: Peekable<std::vec::IntoIter<Walked>>,
    /// True once the walk is over or an error was given.
    done: bool,
    /// Warnings about entries of the input folder that were skipped.
    pub(super) skipped: Vec<Problem>,
}

/// Starts reading `settings.input`, through `articles`: from the start, or from where the
/// walk that proved `rest` stopped.
pub(super) fn files<'a>(
    settings: &'a Settings,
    articles: &'a mut Articles,
    progress: &'a dyn Progress,
    rest: Option<Rest>,
) -> Result<Reads<'a>, Error> {
    let rest = match rest {
        Some(rest) => rest,
        None => Rest {
            proven: 0,
            end: 0,
            changed: Vec::new(),
            walk: Box::new(source::walk_listed(&settings.input)?),
            skipped: Vec::new(),
        },
    };
    Ok(Reads {
        walk: rest.walk,
        articles,
        settings,
        progress,
        read: 0,
        proven: rest.proven,
        changed: rest.changed.into_iter().peekable(),
        done: false,
        skipped: rest.skipped,
    })
}

impl Reads<'_> {
    /// Reads the next chunk of files: the cache is asked in walk order, the files are read
    /// and parsed in parallel, and what they gave is remembered in walk order again. Empty
    /// when the walk is over.
    fn next_chunk(&mut self) -> Result<Vec<Read>, Error> {
        if self.proven > 0 {
            // Answered by their records alone, in order: nothing to walk, stat or parse; but
            // for the few the walk found changed, read as any file is.
            let n = self.proven.min(CHUNK);
            let base = self.read;
            // Taken in order here, decoded on every core.
            let items = proven_items(self.articles, base, n, &mut self.changed)?;
            let settings = self.settings;
            let reads: Option<Vec<Read>> = items
                .into_par_iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Item::Proven(record) => record.read((base + i) as u32).map(Ok),
                    Item::Check(check) => Some(check.read(settings)),
                })
                .collect::<Option<Vec<Result<Read, Error>>>>()
                .map(|reads| reads.into_iter().collect::<Result<Vec<_>, _>>())
                .transpose()?;
            let reads = reads.ok_or_else(|| self.articles.unreadable())?;
            for read in &reads {
                self.articles.remember(read)?;
            }
            self.proven -= n;
            self.read += n;
            self.progress.read(n);
            return Ok(reads);
        }
        let checks = checks(self.articles, self.read, &mut self.walk, &mut self.skipped)?;
        let settings = self.settings;
        let reads: Vec<Read> = checks
            .into_par_iter()
            .map(|check| check.read(settings))
            .collect::<Result<_, _>>()?;
        for read in &reads {
            self.articles.remember(read)?;
        }
        self.read += reads.len();
        self.progress.read(reads.len());
        Ok(reads)
    }
}

impl Iterator for Reads<'_> {
    type Item = Result<Vec<Read>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let chunk = self.next_chunk();
        self.done = chunk.as_ref().map_or(true, Vec::is_empty);
        match chunk {
            Ok(reads) if reads.is_empty() => None,
            chunk => Some(chunk),
        }
    }
}

/// An article file that differs from its record: what the record gave (none for a new
/// file), and what the file gives now (none for a file gone).
pub(super) struct Change {
    pub(super) path: PathBuf,
    pub(super) old: Option<Read>,
    pub(super) new: Option<Read>,
}

/// What reading every article file against the records gave: the files that changed, came
/// or went, how the file numbers moved, how many files there are, and the warnings of the
/// entries the walk skipped. Unchanged files are neither parsed nor decoded: their records
/// are kept as they are. A gone file's old read goes by the number `renumber` gave it.
pub(super) struct Changes {
    pub(super) changed: Vec<Change>,
    pub(super) renumber: Renumber,
    pub(super) files: usize,
    pub(super) skipped: Vec<Problem>,
}

/// Reads `settings.input` from where the memo's walk stopped (`rest`), against the records
/// of `articles`: see [`Changes`]. `None` when a record cannot be decoded, or the records
/// cannot be copied without reading them, after which `articles` is spent.
pub(super) fn changes(
    settings: &Settings,
    articles: &mut Articles,
    rest: Rest,
) -> Result<Option<Changes>, Error> {
    let mut changes = Changes {
        changed: Vec::new(),
        renumber: Renumber::default(),
        files: 0,
        skipped: rest.skipped,
    };
    articles.watch_gone();
    // The files the memo's walk matched with their records: the unchanged ones' records
    // kept a run at a time, never read; the few it found changed checked.
    let Some(mut at) = articles.records_start() else {
        return Ok(None);
    };
    let mut items = Vec::with_capacity(2 * rest.changed.len() + 1);
    for walked in rest.changed {
        items.push(Settle::Run(at, walked.record.0));
        at = walked.record.1;
        items.push(Settle::Check(Check {
            index: walked.index as u32,
            lookup: articles.lookup_at(walked.record)?,
            path: walked.path,
            entry: walked.entry,
        }));
    }
    items.push(Settle::Run(at, rest.end));
    if !articles.skip_proven(rest.proven, rest.end) {
        return Ok(None);
    }
    settle(settings, articles, &mut changes, items)?;
    changes.files = rest.proven;
    // Then the files the walk did not match, against the records from there on: a record
    // passed over, or left over at the end, is of a file gone.
    let mut walk = rest.walk;
    loop {
        let checks = checks(articles, changes.files, &mut walk, &mut changes.skipped)?;
        let over = checks.is_empty();
        changes.files += checks.len();
        let items = checks.into_iter().map(Settle::Check).collect();
        for (old, record) in articles.gone(over) {
            let index = changes.renumber.gone(old);
            let path = record.path();
            match (path, record.read(index)) {
                (Some(path), Some(old)) => changes.changed.push(Change {
                    path,
                    old: Some(old),
                    new: None,
                }),
                _ => return Ok(None),
            }
        }
        if over {
            return Ok(Some(changes));
        }
        settle(settings, articles, &mut changes, items)?;
    }
}

/// A file to read after a memo's walk: the record of one it proved unchanged, or one to
/// check against its record.
enum Item {
    Proven(Proven),
    Check(Check),
}

/// What [`settle`] settles, in walk order: the records of a run of files the memo's walk
/// proved unchanged (from, to, in the records file), to keep without reading, or a file to
/// check against its record.
enum Settle {
    Run(u64, u64),
    Check(Check),
}

/// A file to check against its record: its number, path and folder entry, and what the cache
/// knows of it.
struct Check {
    index: u32,
    path: PathBuf,
    entry: Option<DirEntry>,
    lookup: Lookup,
}

impl Check {
    /// What the file gives, from its record or read and validated ([`Lookup::read`]).
    fn read(self, settings: &Settings) -> Result<Read, Error> {
        let path = &self.path;
        self.lookup.read(
            self.index,
            path,
            self.entry.as_ref(),
            settings.max_file_bytes,
            |bytes| entry::validate(path, bytes, &settings.limits),
        )
    }

    /// Whether the file is provably the one its record was made from, and if not, what it
    /// gave and gives ([`Lookup::check`]); with its number and path.
    fn check(self, settings: &Settings) -> Result<(u32, PathBuf, Checked), Error> {
        let Check {
            index,
            path,
            entry,
            lookup,
        } = self;
        let checked = lookup.check(
            index,
            &path,
            entry.as_ref(),
            settings.max_file_bytes,
            |bytes| entry::validate(&path, bytes, &settings.limits),
        )?;
        Ok((index, path, checked))
    }
}

/// The next `n` of the files the memo's walk matched with their records, numbered from
/// `base`, in walk order; the ones it found `changed` to check.
fn proven_items(
    articles: &mut Articles,
    base: usize,
    n: usize,
    changed: &mut Peekable<std::vec::IntoIter<Walked>>,
) -> Result<Vec<Item>, Error> {
    (base..base + n)
        .map(
            |index| match changed.next_if(|walked| walked.index == index) {
                Some(walked) => Ok(Item::Check(Check {
                    index: index as u32,
                    path: walked.path,
                    entry: walked.entry,
                    lookup: articles.proven_lookup()?,
                })),
                None => articles.proven().map(Item::Proven),
            },
        )
        .collect()
}

/// The next article files of `walk`, up to [`CHUNK`], numbered from `base`, each with what
/// `articles` knows of it (asked in walk order); the warnings of the entries it skips go to
/// `skipped`.
fn checks(
    articles: &mut Articles,
    base: usize,
    walk: &mut dyn Iterator<Item = Result<Listed, Error>>,
    skipped: &mut Vec<Problem>,
) -> Result<Vec<Check>, Error> {
    let mut checks = Vec::with_capacity(CHUNK);
    while checks.len() < CHUNK {
        match walk.next() {
            Some(found) => match found? {
                (Found::File(path), entry) => checks.push(Check {
                    index: (base + checks.len()) as u32,
                    lookup: articles.lookup(&path),
                    path,
                    entry,
                }),
                (Found::Skipped(problem), _) => skipped.push(problem),
            },
            None => break,
        }
    }
    Ok(checks)
}

/// Settles `items` in walk order: unchanged files' records kept, changed and new files read
/// (on every core) and added to `changes`.
fn settle(
    settings: &Settings,
    articles: &mut Articles,
    changes: &mut Changes,
    items: Vec<Settle>,
) -> Result<(), Error> {
    let settled: Vec<Settled> = items
        .into_par_iter()
        .map(|item| match item {
            Settle::Run(from, to) => Ok(Settled::Run(from, to)),
            Settle::Check(check) => {
                let (index, path, checked) = check.check(settings)?;
                Ok(match checked {
                    Checked::Same(same) => Settled::Same(same),
                    Checked::Changed(pair) => {
                        let (old, new) = *pair;
                        let change = Change {
                            path,
                            old,
                            new: Some(new),
                        };
                        Settled::Changed(index, Box::new(change))
                    }
                })
            }
        })
        .collect::<Result<_, Error>>()?;
    for settled in settled {
        match settled {
            Settled::Same(same) => articles.keep(&same)?,
            Settled::Run(from, to) => articles.keep_run(from, to)?,
            Settled::Changed(index, change) => {
                if let Some(new) = &change.new {
                    articles.remember(new)?;
                }
                if change.old.is_none() {
                    changes.renumber.added(index);
                }
                changes.changed.push(*change);
            }
        }
    }
    Ok(())
}

/// What [`settle`] made of a [`Settle`]: a record kept, a run of them, or a file changed
/// (with its number).
enum Settled {
    Same(Same),
    Run(u64, u64),
    Changed(u32, Box<Change>),
}

/// Reads and validates a file a second time: what it gives now, and its problems, as
/// reading gave them the first time (before the settings' `strict_keys`).
fn read_again(
    path: &Path,
    settings: &Settings,
) -> Result<(Outcome<Box<Entry>>, Vec<Problem>), Error> {
    Ok(
        match source::read_limited(path, settings.max_file_bytes, None)? {
            Err(problem) => (Outcome::Rejected, vec![problem]),
            Ok(bytes) => entry::validate(path, bytes, &settings.limits),
        },
    )
}

/// A file's entry read a second time, for the few whose full entry is needed after the
/// pass; `None` when it is no longer a publishable entry.
pub(super) fn reparse(path: &Path, settings: &Settings) -> Option<Box<Entry>> {
    match read_again(path, settings).ok()?.0 {
        Outcome::Published(entry) => Some(entry),
        _ => None,
    }
}

/// The problems `path` gives when read again ([`read_again`]).
pub(super) fn problems(path: &Path, settings: &Settings) -> Result<Vec<Problem>, Error> {
    Ok(read_again(path, settings)?.1)
}

/// The error for a file that, read again, no longer gives what the build read.
pub(super) fn changed(path: &Path) -> Error {
    Error::io(
        path,
        "re-reading",
        std::io::Error::other("the file changed during the build; run the build again"),
    )
}

/// The error for an input folder whose files, read again by number in walk order, are no
/// longer the ones the build read.
pub(super) fn moved(input: &Path) -> Error {
    Error::io(
        input,
        "re-reading",
        std::io::Error::other("files came, went or changed during the build; run the build again"),
    )
}

/// The files numbered in `groups` (walk order), read again to compare their links: what
/// deciding between duplicates needs. Found by walking again, so no list of every path is
/// ever kept. When a number no longer leads to a published entry whose link has the
/// group's digest (files came, went or changed since the pass), the build stops: deciding
/// on other files would publish a copy twice.
pub(super) fn suspects(
    settings: &Settings,
    groups: Vec<Group>,
    canon: &Canon,
) -> Result<Vec<Vec<Suspect>>, Error> {
    let moved = || moved(&settings.input);
    let wanted: BTreeSet<u32> = groups.iter().flat_map(|g| &g.indices).copied().collect();
    let mut paths: HashMap<u32, PathBuf> = HashMap::new();
    let mut index = 0u32;
    for found in source::walk(&settings.input)? {
        if paths.len() == wanted.len() {
            break;
        }
        if let Found::File(path) = found? {
            if wanted.contains(&index) {
                paths.insert(index, path);
            }
            index += 1;
        }
    }
    groups
        .into_iter()
        .map(|group| {
            group
                .indices
                .iter()
                .map(|&index| {
                    let path = paths.get(&index).ok_or_else(moved)?;
                    let entry = reparse(path, settings).ok_or_else(moved)?;
                    let key = canon.of(&entry.id).into_owned();
                    if !group.fits(&key) {
                        return Err(moved());
                    }
                    Ok(Suspect {
                        index,
                        path: path.clone(),
                        published: instant(&entry.published),
                        key,
                        id: entry.facts.id,
                    })
                })
                .collect()
        })
        .collect()
}
