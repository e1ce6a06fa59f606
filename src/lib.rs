//! feedsmith reads a folder of news-article documents and publishes them as feeds.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`source`] finds the article files and splits each into YAML front matter and a
//!    Markdown body (a [`source::Document`]);
//! 2. [`article`] parses the front matter into a loose [`article::Article`];
//! 3. [`entry`] validates it into a feed-neutral [`entry::Entry`] (or problems);
//! 4. [`feed`] streams candidates into the all-articles feed and one feed per [`topic`], each
//!    keeping only its newest entries;
//! 5. [`render`] turns each feed into RSS 2.0 and Atom 1.0 bytes;
//! 6. [`output`] writes them atomically, leaving unchanged files alone;
//! 7. [`report`] counts what happened and decides the exit status.
//!
//! Reading and validating run on every core; the output is byte-identical whatever the
//! thread count or file order. The [`cache`] lets an unchanged file skip steps 1 to 3 and an
//! unchanged feed skip steps 5 and 6. [`build`] is the whole run; [`check`] stops after
//! step 4.

pub mod article;
pub mod atomic;
pub mod cache;
pub mod entry;
mod error;
pub mod feed;
pub mod group;
pub mod hash;
pub mod output;
pub mod problem;
pub mod render;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
pub mod settings;
pub mod source;
pub mod text;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::DateTime;
use rayon::prelude::*;

pub use error::Error;
pub use output::Output;
pub use problem::{Problem, Severity};
pub use render::GENERATOR;
pub use report::{Report, Summary};
pub use settings::{Overrides, Settings};

use cache::{Note, Outcome as Cached, Record, Stamp};
use entry::{Entry, Validated};
use feed::{Candidate, Chosen, Collector, Facts, Selection};
use hash::Hash;
use source::Document;

/// Files are read in chunks of this many: enough to keep every core busy, few enough that
/// memory stays flat.
const CHUNK: usize = 512;

/// What reading one file gave.
enum Kind {
    Entry,
    Unpublished,
    Rejected,
}

struct Read {
    kind: Kind,
    /// True when the cache answered without parsing.
    cached: bool,
    candidate: Option<Candidate>,
    problems: Vec<Problem>,
    /// The record to keep in the cache, when caching.
    record: Option<Record>,
}

impl Read {
    fn from_record(index: u32, path: &Path, record: Record) -> Read {
        let problems = record.notes.iter().map(|n| n.problem(path)).collect();
        let (kind, candidate) = match &record.outcome {
            Cached::Entry {
                id,
                date,
                topics,
                provider,
                category,
            } => {
                let published = DateTime::from_timestamp(date.0, date.1)
                    .zip(chrono::FixedOffset::east_opt(date.2))
                    .map(|(t, o)| t.with_timezone(&o));
                match published {
                    Some(published) => (
                        Kind::Entry,
                        Some(Candidate::new(
                            index,
                            path.to_path_buf(),
                            record.hash,
                            Facts {
                                id: id.clone(),
                                published,
                                topics: topics.clone(),
                                provider: provider.clone(),
                                category: category.clone(),
                            },
                        )),
                    ),
                    None => (Kind::Rejected, None),
                }
            }
            Cached::Unpublished => (Kind::Unpublished, None),
            Cached::Rejected => (Kind::Rejected, None),
        };
        Read {
            kind,
            cached: true,
            candidate,
            problems,
            record: Some(record),
        }
    }
}

/// Parses and validates one article file's bytes.
fn parse(
    path: &Path,
    bytes: Vec<u8>,
    settings: &Settings,
) -> (Result<Validated, Vec<Problem>>, Vec<Problem>) {
    let mut warnings = Vec::new();
    let result = Document::parse(path, bytes)
        .and_then(|doc| article::Article::parse(&doc).map(|a| (doc, a)))
        .map_err(|p| vec![p])
        .and_then(|(doc, article)| {
            Entry::from_article(
                &doc.path,
                article,
                doc.body(),
                &settings.limits,
                &mut warnings,
            )
        });
    (result, warnings)
}

/// Reads one file, from the cache when `cached` still describes it.
fn read_one(
    index: u32,
    path: &Path,
    cached: Option<Record>,
    started: i64,
    settings: &Settings,
    caching: bool,
) -> Read {
    let stamp = if caching {
        std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m))
    } else {
        None
    };
    let cached = match cached {
        Some(record) if record.fresh(stamp, started) => {
            return Read::from_record(index, path, record);
        }
        other => other,
    };
    let bytes = match source::read_limited(path, settings.max_file_bytes) {
        Ok(bytes) => bytes,
        Err(problem) => {
            let record = caching.then(|| Record {
                path: path.to_string_lossy().into_owned(),
                stamp,
                hash: 0,
                outcome: Cached::Rejected,
                notes: vec![Note::of(&problem)],
            });
            return Read {
                kind: Kind::Rejected,
                cached: false,
                candidate: None,
                problems: vec![problem],
                record,
            };
        }
    };
    let hash = if caching { hash::hash(&bytes) } else { 0 };
    if let Some(record) = cached.filter(|r| caching && r.hash == hash && hash != 0) {
        return Read::from_record(index, path, Record { stamp, ..record });
    }
    let (result, mut problems) = parse(path, bytes, settings);
    let (kind, candidate, outcome) = match result {
        Ok(Validated::Entry(entry)) => {
            let outcome = Cached::Entry {
                id: entry.id.clone(),
                date: (
                    entry.published.timestamp(),
                    entry.published.timestamp_subsec_nanos(),
                    entry.published.offset().local_minus_utc(),
                ),
                topics: entry.topics.clone(),
                provider: entry.provider.as_ref().map(|p| p.name.clone()),
                category: entry.category.clone(),
            };
            (
                Kind::Entry,
                Some(Candidate::parsed(index, hash, entry)),
                outcome,
            )
        }
        Ok(Validated::Unpublished) => (Kind::Unpublished, None, Cached::Unpublished),
        Err(errors) => {
            problems.extend(errors);
            (Kind::Rejected, None, Cached::Rejected)
        }
    };
    let record = caching.then(|| Record {
        path: path.to_string_lossy().into_owned(),
        stamp,
        hash,
        outcome,
        notes: problems.iter().map(Note::of).collect(),
    });
    Read {
        kind,
        cached: false,
        candidate,
        problems,
        record,
    }
}

/// One pass over the input: files read in parallel chunks, merged in order.
struct Pass {
    collector: Collector,
    problems: Vec<Problem>,
    read: usize,
    cached: usize,
    unpublished: usize,
    scheduled: usize,
    rejected: usize,
}

/// Reads the next chunk of file paths from the walk; warnings about skipped entries go to
/// `skipped`.
fn next_chunk(
    walk: &mut impl Iterator<Item = Result<source::Found, Error>>,
    skipped: &mut Vec<Problem>,
) -> Result<Vec<PathBuf>, Error> {
    let mut chunk = Vec::with_capacity(CHUNK);
    while chunk.len() < CHUNK {
        match walk.next() {
            Some(found) => match found? {
                source::Found::File(path) => chunk.push(path),
                source::Found::Skipped(problem) => skipped.push(problem),
            },
            None => break,
        }
    }
    Ok(chunk)
}

fn pass(
    settings: &Settings,
    winners: Option<feed::Winners>,
    cache: Option<&cache::Location>,
) -> Result<Pass, Error> {
    let mut pass = Pass {
        collector: Collector::new(settings.limit, &settings.kinds, winners),
        problems: Vec::new(),
        read: 0,
        cached: 0,
        unpublished: 0,
        scheduled: 0,
        rejected: 0,
    };
    let mut walk = source::walk(&settings.input)?;
    let mut reader = cache.map(cache::Reader::open);
    let started = reader.as_ref().map_or(0, cache::Reader::started);
    let mut writer = match cache {
        Some(location) => Some(cache::Writer::create(location, cache::start_time())?),
        None => None,
    };
    let mut progress = None;
    loop {
        let chunk = next_chunk(&mut walk, &mut pass.problems)?;
        if chunk.is_empty() {
            break;
        }
        let base = pass.read;
        pass.read += chunk.len();
        let cached: Vec<Option<Record>> = chunk
            .iter()
            .map(|p| reader.as_mut().and_then(|r| r.take(p)))
            .collect();
        let reads: Vec<Read> = chunk
            .par_iter()
            .zip(cached)
            .enumerate()
            .map(|(i, (path, cached))| {
                let index = (base + i) as u32;
                read_one(index, path, cached, started, settings, cache.is_some())
            })
            .collect();
        for read in reads {
            if let (Some(writer), Some(record)) = (writer.as_mut(), &read.record) {
                writer.push(record)?;
            }
            pass.problems.extend(read.problems);
            pass.cached += usize::from(read.cached);
            match (read.kind, read.candidate) {
                (Kind::Entry, Some(candidate)) => {
                    if settings.now.is_some_and(|now| candidate.published > now) {
                        pass.scheduled += 1;
                        pass.problems.push(Problem::warning(
                            candidate.path.clone(),
                            "scheduled",
                            format!(
                                "dated in the future ({}); held back until a build after that time",
                                candidate.published.to_rfc3339()
                            ),
                        ));
                    } else {
                        pass.collector.add(candidate);
                    }
                }
                (Kind::Unpublished, _) => pass.unpublished += 1,
                _ => pass.rejected += 1,
            }
        }
        if settings.progress && progress.is_none() && pass.read >= 4 * CHUNK {
            progress = Some(progress_bar());
        }
        if let Some(bar) = &progress {
            bar.set_position(pass.read as u64);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if let Some(writer) = writer {
        writer.finish()?;
    }
    Ok(pass)
}

/// A progress line on stderr for long builds: the count is not known in advance, since the
/// input folder is walked as it is read.
fn progress_bar() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {pos} articles read, {per_sec}, {elapsed}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// The paths of the files numbered `wanted` (in walk order), found by walking again: only
/// needed to name both files of a duplicate, so no list of every path is ever kept.
fn paths_of(settings: &Settings, wanted: &BTreeSet<u32>) -> Result<HashMap<u32, PathBuf>, Error> {
    let mut found = HashMap::new();
    if wanted.is_empty() {
        return Ok(found);
    }
    let mut index = 0u32;
    for item in source::walk(&settings.input)? {
        if let source::Found::File(path) = item? {
            if wanted.contains(&index) {
                found.insert(index, path);
                if found.len() == wanted.len() {
                    break;
                }
            }
            index += 1;
        }
    }
    Ok(found)
}

/// The cache of this run, if caching is on.
fn cache_location(settings: &Settings) -> Result<Option<cache::Location>, Error> {
    let Some(dir) = &settings.cache_dir else {
        return Ok(None);
    };
    let parse_settings = format!("{}|{:?}", settings.max_file_bytes, settings.limits);
    cache::Location::new(
        dir,
        &settings.input,
        &settings.output,
        hash::hash(parse_settings.as_bytes()),
    )
    .map(Some)
}

/// Reads the files whose link digests met and compares their actual links: the confirmed
/// duplicates (newer wins; on a tie, the file that sorts first), and the paths of every file
/// read, for the warnings.
fn confirm_duplicates(
    settings: &Settings,
    suspects: &[Vec<u32>],
) -> Result<(Vec<feed::Duplicate>, HashMap<u32, PathBuf>), Error> {
    let wanted: BTreeSet<u32> = suspects.iter().flatten().copied().collect();
    let paths = paths_of(settings, &wanted)?;
    let mut pairs = Vec::new();
    for group in suspects {
        let mut seen: Vec<(String, (i64, u32), u32)> = Vec::new();
        for index in group {
            if let Some(e) = paths.get(index).and_then(|p| reparse(p, settings)) {
                let instant = (
                    e.published.timestamp(),
                    e.published.timestamp_subsec_nanos(),
                );
                seen.push((e.id, instant, *index));
            }
        }
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        for same in seen.chunk_by(|a, b| a.0 == b.0) {
            let Some(winner) = same
                .iter()
                .max_by_key(|(_, instant, index)| (*instant, std::cmp::Reverse(*index)))
            else {
                continue;
            };
            for other in same.iter().filter(|o| o.2 != winner.2) {
                pairs.push(feed::Duplicate {
                    loser: other.2,
                    winner: winner.2,
                    id: winner.0.clone(),
                });
            }
        }
    }
    pairs.sort_by_key(|d| d.loser);
    Ok((pairs, paths))
}

/// What reading and selecting gave.
struct Collected {
    selection: Selection,
    report: Report,
}

/// Reads and validates every article, then selects each feed's entries.
fn collect(settings: &Settings, cache: Option<&cache::Location>) -> Result<Collected, Error> {
    let mut first = pass(settings, None, cache)?;
    let suspects = first.collector.duplicate_candidates();
    let (pairs, paths) = confirm_duplicates(settings, &suspects)?;
    if let Some(winners) = first.collector.drop_duplicates(pairs) {
        // A duplicate pushed a valid entry out of some feed: select again, skipping losers.
        let mut second = pass(settings, Some(winners), None)?.collector;
        second.duplicate_pairs = std::mem::take(&mut first.collector.duplicate_pairs);
        first.collector = second;
    }
    let Pass {
        mut collector,
        mut problems,
        read,
        cached,
        unpublished,
        scheduled,
        rejected,
    } = first;
    for dup in std::mem::take(&mut collector.duplicate_pairs) {
        let (Some(loser), Some(winner)) = (paths.get(&dup.loser), paths.get(&dup.winner)) else {
            continue;
        };
        problems.push(Problem::warning(
            loser.clone(),
            "duplicate",
            format!(
                "same webUrl ({}) as {}, which is newer and is published instead",
                dup.id,
                winner.display()
            ),
        ));
    }
    let summary = Summary {
        read,
        cached,
        published: collector.accepted,
        unpublished,
        scheduled,
        rejected,
        duplicates: collector.duplicates,
        ..Summary::default()
    };
    let (selection, feed_problems) = collector.finish();
    problems.extend(feed_problems);
    problems.sort();
    Ok(Collected {
        selection,
        report: Report {
            summary,
            problems,
            ..Report::default()
        },
    })
}

/// Validates every article without writing anything but the cache. The report is
/// `stopped` (exit 1) when any article is invalid.
pub fn check(settings: &Settings) -> Result<Report, Error> {
    let location = cache_location(settings)?;
    let mut report = collect(settings, location.as_ref())?.report;
    report.stopped = report.error_count() > 0;
    Ok(report)
}

/// A digest of everything a feed's files are made from: the site, the feed's topic, and each
/// entry's file content and topic slugs. Equal signatures render equal bytes.
fn signature(chosen: &Chosen, selection: &Selection, settings: &Settings) -> Hash {
    let mut h = blake3::Hasher::new();
    h.update(
        format!(
            "{GENERATOR}\n{:?}\n{}\n{:?}\n",
            settings.site, settings.limit, chosen.group
        )
        .as_bytes(),
    );
    for c in &chosen.entries {
        h.update(&c.hash.to_le_bytes());
        h.update(c.id.as_bytes());
        for t in &c.topics {
            h.update(selection.slugs.get(t).unwrap_or("").as_bytes());
            h.update(b"\n");
        }
    }
    u128::from_le_bytes(h.finalize().as_bytes()[..16].try_into().expect("16 bytes"))
}

/// Parses the file of a candidate whose entry is needed but came from the cache.
fn load(candidate: &Candidate, settings: &Settings) -> Result<(), Error> {
    match reparse(&candidate.path, settings) {
        Some(entry) if entry.id == candidate.id => {
            candidate.load(*entry);
            Ok(())
        }
        _ => Err(Error::io(
            &candidate.path,
            "re-reading",
            std::io::Error::other("the file changed during the build; run the build again"),
        )),
    }
}

/// Reads and validates a file a second time, for the few whose full entry is needed after
/// the pass; `None` when it is no longer a publishable entry.
fn reparse(path: &Path, settings: &Settings) -> Option<Box<Entry>> {
    let bytes = source::read_limited(path, settings.max_file_bytes).ok()?;
    match parse(path, bytes, settings).0 {
        Ok(Validated::Entry(entry)) => Some(entry),
        _ => None,
    }
}

/// A feed of this build, and whether its files must be rendered.
struct Planned<'a> {
    chosen: &'a Chosen,
    signature: Hash,
    paths: Vec<PathBuf>,
    render: bool,
}

/// Builds every feed into `output`. When an article is invalid and `skip_invalid` is off,
/// nothing is written and the report is `stopped`.
pub fn build(settings: &Settings, output: &Output) -> Result<Report, Error> {
    let location = cache_location(settings)?;
    let Collected {
        selection,
        mut report,
    } = collect(settings, location.as_ref())?;
    if report.error_count() > 0 && !settings.skip_invalid {
        report.stopped = true;
        return Ok(report);
    }
    let session = output::Session::begin(output)?;
    let mut outputs = location
        .as_ref()
        .map(cache::Outputs::load)
        .unwrap_or_default();

    // Which feeds must be rendered: all without a cache; with one, those whose content or
    // files changed since the last build.
    let plan: Vec<Planned> = selection
        .feeds
        .iter()
        .map(|chosen| {
            let page = render::Page::new(chosen.group.as_ref(), &settings.site);
            let paths: Vec<PathBuf> = render::FORMATS
                .iter()
                .map(|f| page.path(f.file).into())
                .collect();
            let signature = signature(chosen, &selection, settings);
            let current = location.is_some()
                && !output.is_dry_run()
                && paths
                    .iter()
                    .all(|p| outputs.current(output.root(), p, signature));
            Planned {
                chosen,
                signature,
                paths,
                render: !current,
            }
        })
        .collect();
    let mut missing: Vec<&Arc<Candidate>> = plan
        .iter()
        .filter(|p| p.render)
        .flat_map(|p| p.chosen.entries.iter())
        .filter(|c| c.entry().is_none())
        .collect();
    missing.sort_by_key(|c| c.index);
    missing.dedup_by_key(|c| c.index);
    missing.par_iter().try_for_each(|c| load(c, settings))?;

    let results: Vec<Result<Vec<(PathBuf, output::Status)>, Error>> = plan
        .par_iter()
        .filter(|p| p.render)
        .map(|p| {
            let feed = p
                .chosen
                .feed()
                .expect("every entry of a feed to render is loaded");
            render::feed(&feed, &selection.slugs, &settings.site)
                .into_iter()
                .map(|file| Ok((file.path.clone(), session.write(&file)?)))
                .collect()
        })
        .collect();
    // The files that list the feeds, and the stylesheet: small, always rendered and compared.
    let mut extras = vec![
        render::File {
            path: PathBuf::from(render::STYLESHEET),
            bytes: render::STYLESHEET_BYTES.to_vec(),
        },
        render::File {
            path: PathBuf::from(render::index::INDEX),
            bytes: render::index::html(&selection.feeds, &settings.site),
        },
        render::File {
            path: PathBuf::from(render::index::OPML),
            bytes: render::index::opml(&selection.feeds, &settings.site),
        },
    ];
    let mut current: BTreeSet<PathBuf> =
        plan.iter().flat_map(|p| p.paths.iter().cloned()).collect();
    current.extend(extras.iter().map(|f| f.path.clone()));
    if settings.headers {
        current.insert(PathBuf::from(render::index::HEADERS));
        let paths: Vec<String> = current
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        extras.push(render::File {
            path: PathBuf::from(render::index::HEADERS),
            bytes: render::index::headers(&paths, &settings.site),
        });
    }
    for file in &extras {
        report.count(file.path.clone(), session.write(file)?);
    }
    for p in plan.iter().filter(|p| !p.render) {
        report.summary.unchanged += p.paths.len();
    }
    for result in results {
        for (path, status) in result? {
            report.count(path, status);
        }
    }
    let removed = session.finish(&current)?;
    report.summary.removed = removed.len();
    report.removed = removed;
    if let (Some(location), false) = (&location, output.is_dry_run()) {
        outputs.retain(&current);
        // Stamps are taken after writing, so they describe the files as they now are.
        for p in plan.iter().filter(|p| p.render) {
            for path in &p.paths {
                outputs.set(output.root(), path, p.signature);
            }
        }
        outputs.save(location)?;
    }
    Ok(report)
}
