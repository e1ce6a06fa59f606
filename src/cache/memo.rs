//! The memo of a whole build: when nothing a build depends on has changed since the last
//! build that finished, that build's report is told again and nothing else is done.
//!
//! A build that wrote to disk and was not stopped keeps, in `*.memo`:
//! - a key over what decides the output besides the articles: the records' key (the program
//!   and the parse settings), every resolved setting but the clock, and the theme's digest;
//! - the span of the clock over which the same articles give the same build: from the
//!   build's own clock (an earlier clock could hold back an article it published) to the
//!   earliest date it held back as scheduled (from then on, that article is published).
//!   Nothing else reads the clock: a curated feed's window counts back from its newest
//!   selected article, which only a newly published article moves;
//! - the stamp of the article records (`*.records`), which hold every article file's path
//!   and stamp in walk order: a build or a check that changes a record replaces that file;
//! - the stamp of every output file (the manifest's files and the manifest itself), so that
//!   a file deleted or edited since is written again;
//! - the report a build that found everything current would give: no file written, every
//!   article from the cache, the same problems;
//! - the stamp of `*.selection`, when the build kept one: what its selection pass left
//!   (every feed's entries, every link's digest, the counts and problems; see `feed::kept`).
//!
//! The next build walks the input folder and compares each article file's path and stamp
//! with its record, by the rule the records use (equal, and not changed within a second of
//! the build that read it), statting on every core. Any difference, in anything above, and the
//! memo is removed and the build runs as it would without one, but from where the walk
//! stopped: the files it matched with their records are neither walked nor statted again.
//! The walk goes past files whose stamps changed (up to [`MAX_CHANGED`]) and stops at the
//! first file new or gone. When nothing but article files changed, the build also gets the
//! kept selection back, and offers it just the files changed, new or gone
//! (`pipeline::select::carry`).

use std::fs::{self, DirEntry};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::articles::{proves, Proof, Stamps, Walk, Walked};
use super::location::{Location, Stamp, FORMAT};
use crate::error::{Error, Role};
use crate::hash::{hash, Hash};
use crate::output::MANIFEST;
use crate::problem::{Problem, ProblemKind};
use crate::report::{Report, Summary};
use crate::settings::Settings;
use crate::source::{self, Found, Listed};

/// Article files are statted this many at a time, on every core.
const CHUNK: usize = 2048;

/// The most changed files the walk goes past (each is statted again when it is read); at
/// the next, it stops, and the build walks on from there as it reads.
const MAX_CHANGED: usize = 1024;

/// What the memo tells a build.
#[derive(Debug)]
pub(crate) enum Recalled {
    /// Nothing changed: the last build's report, to tell again.
    Same(Report),
    /// Something changed; what the walk proved of the article records, and the walk, when it
    /// got to compare them; and when nothing but article files can have changed, what the
    /// last build's selection kept (see [`Memo::save`]).
    Changed(Option<Proof>, Option<Vec<u8>>),
}

/// The memo of the builds of one (input, output) pair.
#[derive(Debug, Clone)]
pub(crate) struct Memo {
    location: Location,
}

/// A memo as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    format: u32,
    version: String,
    /// See [`Memo::key`].
    key: Hash,
    /// The build's clock, when it had one.
    now: Option<Instant>,
    /// The earliest date held back as scheduled, if any.
    until: Option<Instant>,
    /// The article records as the build left them.
    records: Stamp,
    /// Every output file, below the output folder, with its stamp.
    outputs: Vec<(String, Stamp)>,
    /// The stamp of the selection kept beside the memo, when one was.
    selection: Option<Stamp>,
    /// The report to tell again.
    summary: Summary,
    next_scheduled: Option<String>,
    problems: Vec<Problem>,
}

/// An instant: seconds since 1970 and nanoseconds, which order as the instants do.
type Instant = (i64, u32);

fn instant(date: &DateTime<FixedOffset>) -> Instant {
    (date.timestamp(), date.timestamp_subsec_nanos())
}

impl Memo {
    pub(super) fn new(location: &Location) -> Memo {
        Memo {
            location: location.clone(),
        }
    }

    /// What a build's output depends on besides the articles and the clock: the program and
    /// the parse settings (in the records' key), every other setting, and the `theme`'s
    /// digest.
    fn key(&self, settings: &Settings, theme: Hash) -> Hash {
        let mut timeless = settings.clone();
        let clock = timeless.now.take().is_some();
        hash(
            format!(
                "{FORMAT}\n{}\n{:032x}\n{theme:032x}\n{clock}\n{timeless:?}",
                env!("CARGO_PKG_VERSION"),
                self.location.key,
            )
            .as_bytes(),
        )
    }

    /// The report of the last build, when a build with `settings` and `theme` into `root`
    /// would find every file current: the same key, a clock within the span, the same
    /// records, untouched output files, and every article file provably the one its record
    /// was made from. Else, what the walk proved of the records, for the build to go on with.
    pub(crate) fn recall(&self, settings: &Settings, theme: Hash, root: &Path) -> Recalled {
        let saved = fs::read(&self.location.memo)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Saved>(&bytes).ok());
        let Some(mut records) = Stamps::open(&self.location) else {
            return Recalled::Changed(None, None);
        };
        let saved = saved.filter(|saved| self.current(saved, settings, theme, &records));
        let selection = saved
            .as_ref()
            .and_then(|saved| saved.selection)
            .and_then(|stamp| self.selection(stamp));
        let report = saved.and_then(|saved| self.report(saved, root));
        let (proof, unchanged) = self.compare(&settings.input, &mut records);
        match report {
            Some(report) if unchanged => {
                let mut skipped = proof.rest.as_ref().map_or(Vec::new(), |(_, s)| s.clone());
                skipped.sort();
                let symlinks = report
                    .problems
                    .iter()
                    .filter(|p| p.kind == ProblemKind::Symlink);
                if skipped.iter().eq(symlinks) {
                    Recalled::Same(report)
                } else {
                    Recalled::Changed(Some(proof), selection)
                }
            }
            _ => Recalled::Changed(Some(proof), selection),
        }
    }

    /// True when `saved` is of a build with the same program, settings and theme, at a
    /// clock within its span, that left the article records as they are: the same article
    /// files would give that build again.
    fn current(&self, saved: &Saved, settings: &Settings, theme: Hash, records: &Stamps) -> bool {
        let now = settings.now.as_ref().map(instant);
        let within = match (now, saved.now) {
            (Some(now), Some(then)) => then <= now && saved.until.is_none_or(|until| now < until),
            (None, None) => saved.until.is_none(),
            _ => false,
        };
        saved.format == FORMAT
            && saved.version == env!("CARGO_PKG_VERSION")
            && saved.key == self.key(settings, theme)
            && within
            && records.file == saved.records
    }

    /// The selection kept beside the memo, when its file has the stamp the memo recorded.
    fn selection(&self, stamp: Stamp) -> Option<Vec<u8>> {
        let mut file = fs::File::open(&self.location.selection).ok()?;
        if Stamp::from_metadata(&file.metadata().ok()?) != Some(stamp) {
            return None;
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
        Some(bytes)
    }

    /// The report a [`Memo::current`] `saved` holds, when no output file in `root` was
    /// touched since.
    fn report(&self, saved: Saved, root: &Path) -> Option<Report> {
        let same = saved
            .outputs
            .par_iter()
            .all(|(path, stamp)| Stamp::of(&root.join(path)) == Some(*stamp));
        if !same {
            return None;
        }
        let next_scheduled = match &saved.next_scheduled {
            Some(date) => Some(DateTime::parse_from_rfc3339(date).ok()?),
            None => None,
        };
        Some(Report {
            summary: Summary {
                next_scheduled,
                ..saved.summary
            },
            problems: saved.problems,
            remembered: true,
            ..Report::default()
        })
    }

    /// Walks `input`, comparing every article file with its record in `records`, up to the
    /// first file new or gone (or renamed, or a walk that fails), or the first changed file
    /// past [`MAX_CHANGED`]: what that proved, with the walk from there on (none when the
    /// walk could not start), and true when there was no difference.
    fn compare(&self, input: &Path, records: &mut Stamps) -> (Proof, bool) {
        let (started, file) = (records.started, records.file);
        let Ok(walk) = source::walk_listed(input) else {
            let proof = Proof {
                records: file,
                files: 0,
                end: 0,
                changed: Vec::new(),
                rest: None,
            };
            return (proof, false);
        };
        let mut walk: Walk = Box::new(walk);
        let (mut same, mut changed, mut skipped, mut stopped) = (0, Vec::new(), Vec::new(), false);
        // Where the records of the files matched so far end.
        let mut end = records.offset;
        // Each chunk's files are statted (on every core) while the next chunk is walked.
        let mut chunk = Chunk::gather(&mut walk, records, &mut skipped);
        loop {
            let ahead = !chunk.done();
            let (differ, next) = rayon::join(
                || {
                    chunk
                        .files
                        .par_iter()
                        .enumerate()
                        .filter(|(_, file)| {
                            // A link is stamped as the file it leads to, as the records stamp it.
                            let now = Stamp::of_walked(&file.path, file.entry.as_ref());
                            !proves(file.stamp, now, started)
                        })
                        .map(|(i, _)| i)
                        .collect::<Vec<usize>>()
                },
                || ahead.then(|| Chunk::gather(&mut walk, records, &mut skipped)),
            );
            // Past the bound, the walk stops at the first changed file it cannot take.
            let room = MAX_CHANGED - changed.len();
            let matched = differ.get(room).copied().unwrap_or(chunk.files.len());
            let base = same;
            let mut differ = differ.into_iter().take(room).peekable();
            for (i, file) in chunk.files.drain(..matched).enumerate() {
                end = file.record.1;
                if differ.next_if_eq(&i).is_some() {
                    changed.push(Walked {
                        index: base + i,
                        path: file.path,
                        entry: file.entry,
                        record: file.record,
                    });
                }
            }
            same += matched;
            if chunk.files.is_empty() && chunk.differs.is_none() {
                match next {
                    Some(next) => {
                        chunk = next;
                        continue;
                    }
                    None => break,
                }
            }
            // The build goes on with the files walked but not matched: the rest of this
            // chunk, what the walk gave where it differed, the chunk walked ahead, the walk.
            let unmatched = chunk
                .into_items()
                .chain(next.into_iter().flat_map(Chunk::into_items));
            walk = Box::new(unmatched.chain(walk));
            stopped = true;
            break;
        }
        // Else a file that had a record is gone.
        let unchanged = !stopped && changed.is_empty() && records.next_stamp().is_none();
        let proof = Proof {
            records: file,
            files: same,
            end,
            changed,
            rest: Some((walk, skipped)),
        };
        (proof, unchanged)
    }

    /// Removes the memo: done before a build writes anything, so that a memo only ever
    /// stands for a build that finished.
    pub(crate) fn forget(&self) -> Result<(), Error> {
        match fs::remove_file(&self.location.memo) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => {
                let dir = self.location.memo.parent().unwrap_or(Path::new("."));
                Err(Error::at(Role::Cache, dir, "removing", e))
            }
        }
    }

    /// Keeps the memo of the build with `settings` and `theme` into `root` that just gave
    /// `report` (not stopped): the report as the same build would give it again; and beside
    /// it the `selection` that build kept, if any, which the next build gets back when only
    /// article files changed. Keeping them only saves time next run, so a failure is no
    /// error (the memo is then not kept).
    pub(crate) fn save(
        &self,
        settings: &Settings,
        theme: Hash,
        root: &Path,
        report: &Report,
        selection: Option<&[u8]>,
    ) {
        if report.stopped {
            return;
        }
        let dir = self.location.memo.parent().unwrap_or(Path::new("."));
        let selection = selection.and_then(|bytes| {
            crate::atomic::write_atomically(dir, &self.location.selection, bytes).ok()?;
            Stamp::of(&self.location.selection)
        });
        if selection.is_none() {
            let _ = fs::remove_file(&self.location.selection);
        }
        if let Some(bytes) = self.encode(settings, theme, root, report, selection) {
            let _ = crate::atomic::write_atomically(dir, &self.location.memo, &bytes);
        }
    }

    fn encode(
        &self,
        settings: &Settings,
        theme: Hash,
        root: &Path,
        report: &Report,
        selection: Option<Stamp>,
    ) -> Option<Vec<u8>> {
        let manifest = fs::read_to_string(root.join(MANIFEST)).ok()?;
        let mut paths: Vec<String> = manifest
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        paths.push(MANIFEST.to_string());
        let outputs = paths
            .into_par_iter()
            .map(|path| Stamp::of(&root.join(&path)).map(|stamp| (path, stamp)))
            .collect::<Option<Vec<_>>>()?;
        // What the same build finds next time: every file current, every article cached.
        let mut summary = report.summary;
        summary.unchanged += summary.written;
        summary.written = 0;
        summary.removed = 0;
        summary.cached = summary.read;
        let saved = Saved {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            key: self.key(settings, theme),
            now: settings.now.as_ref().map(instant),
            until: summary.next_scheduled.as_ref().map(instant),
            records: Stamp::of(&self.location.records)?,
            selection,
            outputs,
            summary,
            next_scheduled: summary.next_scheduled.map(|d| d.to_rfc3339()),
            problems: report.problems.clone(),
        };
        postcard::to_stdvec(&saved).ok()
    }
}

/// Up to [`CHUNK`] article files of the walk whose paths are their records', and where the
/// walk ended.
struct Chunk {
    files: Vec<File>,
    /// The walk is over.
    end: bool,
    /// What the walk gave where a path is not its record's, or how it failed; the walk is
    /// then over too.
    differs: Option<Result<Listed, Error>>,
}

/// An article file of the walk, with its record's stamp and place in the records file.
struct File {
    path: PathBuf,
    entry: Option<DirEntry>,
    stamp: Option<Stamp>,
    record: (u64, u64),
}

impl Chunk {
    /// The next files of `walk`, each matched with the next record of `records`; the
    /// entries the walk skipped go to `skipped`.
    fn gather(walk: &mut Walk, records: &mut Stamps, skipped: &mut Vec<Problem>) -> Chunk {
        let mut chunk = Chunk {
            files: Vec::with_capacity(CHUNK),
            end: false,
            differs: None,
        };
        while chunk.files.len() < CHUNK && !chunk.done() {
            match walk.next() {
                None => chunk.end = true,
                Some(Ok((Found::Skipped(problem), _))) => skipped.push(problem),
                Some(Ok((Found::File(path), entry))) => match records.next_stamp() {
                    Some((recorded, stamp, record))
                        if recorded.as_bytes() == path.as_os_str().as_encoded_bytes() =>
                    {
                        chunk.files.push(File {
                            path,
                            entry,
                            stamp,
                            record,
                        });
                    }
                    // A new file, or one that had a record is gone.
                    _ => chunk.differs = Some(Ok((Found::File(path), entry))),
                },
                // The build tells what failed.
                Some(Err(e)) => chunk.differs = Some(Err(e)),
            }
        }
        chunk
    }

    /// True when the walk has nothing after this chunk.
    fn done(&self) -> bool {
        self.end || self.differs.is_some()
    }

    /// What the walk gave for this chunk, as the walk gave it: its files, then where it
    /// differed.
    fn into_items(self) -> impl Iterator<Item = Result<Listed, Error>> {
        let files = self
            .files
            .into_iter()
            .map(|file| Ok((Found::File(file.path), file.entry)));
        files.chain(self.differs)
    }
}
