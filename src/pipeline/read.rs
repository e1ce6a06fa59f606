//! Read and validate: the article files of the input folder, in walk order, each parsed and
//! validated on any core (or answered by the cache), as a stream that keeps memory flat.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::progress::Progress;
use crate::cache::{Articles, Read, Rest};
use crate::entry::{self, Entry, Outcome};
use crate::error::Error;
use crate::feed::duplicates::{Canon, Suspect};
use crate::feed::instant;
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
    /// How many of the first files are the records' a walk proved unchanged, still to read.
    proven: usize,
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
            // Answered by their records alone, in order: nothing to walk, stat or parse.
            let n = self.proven.min(CHUNK);
            let base = self.read;
            // Taken in order here, decoded on every core.
            let records = (0..n)
                .map(|_| self.articles.proven())
                .collect::<Result<Vec<_>, _>>()?;
            let reads: Option<Vec<Read>> = records
                .into_par_iter()
                .enumerate()
                .map(|(i, record)| record.read((base + i) as u32))
                .collect();
            let reads = reads.ok_or_else(|| self.articles.unreadable())?;
            for read in &reads {
                self.articles.remember(read)?;
            }
            self.proven -= n;
            self.read += n;
            self.progress.read(n);
            return Ok(reads);
        }
        let mut paths = Vec::with_capacity(CHUNK);
        while paths.len() < CHUNK {
            match self.walk.next() {
                Some(found) => match found? {
                    (Found::File(path), entry) => paths.push((path, entry)),
                    (Found::Skipped(problem), _) => self.skipped.push(problem),
                },
                None => break,
            }
        }
        let lookups: Vec<_> = paths.iter().map(|(p, _)| self.articles.lookup(p)).collect();
        let base = self.read;
        let settings = self.settings;
        let reads: Vec<Read> = paths
            .par_iter()
            .zip(lookups)
            .enumerate()
            .map(|(i, ((path, entry), lookup))| {
                let index = (base + i) as u32;
                let entry = entry.as_ref();
                lookup.read(index, path, entry, settings.max_file_bytes, |bytes| {
                    entry::validate(path, bytes, &settings.limits)
                })
            })
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

/// Reads and validates a file a second time, for the few whose full entry is needed after
/// the pass; `None` when it is no longer a publishable entry.
pub(super) fn reparse(path: &Path, settings: &Settings) -> Option<Box<Entry>> {
    let bytes = source::read_limited(path, settings.max_file_bytes, None)
        .ok()?
        .ok()?;
    match entry::validate(path, bytes, &settings.limits).0 {
        Outcome::Published(entry) => Some(entry),
        _ => None,
    }
}

/// The files numbered in `groups` (walk order), read again to compare their links: what
/// deciding between duplicates needs. Found by walking again, so no list of every path is
/// ever kept.
pub(super) fn suspects(
    settings: &Settings,
    groups: Vec<Vec<u32>>,
    canon: &Canon,
) -> Result<Vec<Vec<Suspect>>, Error> {
    let wanted: BTreeSet<u32> = groups.iter().flatten().copied().collect();
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
    Ok(groups
        .into_iter()
        .map(|group| {
            group
                .into_iter()
                .filter_map(|index| {
                    let path = paths.get(&index)?;
                    let entry = reparse(path, settings)?;
                    Some(Suspect {
                        index,
                        path: path.clone(),
                        published: instant(&entry.published),
                        key: canon.of(&entry.id).into_owned(),
                        id: entry.facts.id,
                    })
                })
                .collect()
        })
        .collect())
}
