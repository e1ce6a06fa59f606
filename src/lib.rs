//! feedsmith reads a folder of news-article documents and publishes them as feeds.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`source`] finds the article files and splits each into YAML front matter and a
//!    Markdown body (a [`source::Document`]);
//! 2. [`article`] parses the front matter into a loose [`article::Article`];
//! 3. [`entry`] validates it into a feed-neutral [`entry::Entry`] (or problems);
//! 4. [`feed`] streams entries into the all-articles feed and one feed per [`topic`], each
//!    keeping only its newest entries;
//! 5. [`render`] turns each feed into RSS 2.0 and Atom 1.0 bytes;
//! 6. [`output`] writes them atomically, leaving unchanged files alone;
//! 7. [`report`] counts what happened and decides the exit status.
//!
//! Reading and validating run on every core; the output is byte-identical whatever the
//! thread count or file order. [`build`] is the whole run; [`check`] stops after step 3.

pub mod article;
pub mod entry;
mod error;
pub mod feed;
pub mod output;
pub mod render;
pub mod report;
pub mod settings;
pub mod source;
pub mod topic;

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;

use rayon::prelude::*;

pub use error::Error;
pub use output::Output;
pub use report::{Problem, Report, Severity, Summary};
pub use settings::{Overrides, Settings};

use entry::{Entry, Validated};
use feed::{Collector, Feeds};
use source::Document;

/// The generator string written into every feed.
pub const GENERATOR: &str = concat!("feedsmith ", env!("CARGO_PKG_VERSION"));

/// What reading one file gave.
enum Outcome {
    Entry(Box<Entry>),
    Unpublished,
    Scheduled,
    Rejected(Vec<Problem>),
}

struct Read {
    index: u32,
    warnings: Vec<Problem>,
    outcome: Outcome,
}

fn read_one(index: usize, path: &std::path::Path, settings: &Settings) -> Read {
    let mut warnings = Vec::new();
    let outcome = Document::read(path, settings.max_file_bytes)
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
    Read {
        index: index as u32,
        warnings,
        outcome: match outcome {
            Ok(Validated::Entry(e)) => Outcome::Entry(e),
            Ok(Validated::Unpublished) => Outcome::Unpublished,
            Ok(Validated::Scheduled) => Outcome::Scheduled,
            Err(problems) => Outcome::Rejected(problems),
        },
    }
}

/// One pass over the input: every file read in parallel, merged as results arrive.
struct Pass {
    collector: Collector,
    problems: Vec<Problem>,
    unpublished: usize,
    scheduled: usize,
    rejected: usize,
}

fn pass(files: &Arc<[PathBuf]>, settings: &Settings, winners: Option<feed::Winners>) -> Pass {
    let mut pass = Pass {
        collector: Collector::new(settings.limit, Arc::clone(files), winners),
        problems: Vec::new(),
        unpublished: 0,
        scheduled: 0,
        rejected: 0,
    };
    // A bounded queue keeps memory flat: readers wait when the merge falls behind.
    let (tx, rx) = mpsc::sync_channel::<Read>(256);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            files
                .par_iter()
                .enumerate()
                .for_each_with(tx, |tx, (i, path)| {
                    // The receiver lives until every sender is gone.
                    let _ = tx.send(read_one(i, path, settings));
                });
        });
        for read in rx {
            pass.problems.extend(read.warnings);
            match read.outcome {
                Outcome::Entry(entry) => pass.collector.add(read.index, entry),
                Outcome::Unpublished => pass.unpublished += 1,
                Outcome::Scheduled => pass.scheduled += 1,
                Outcome::Rejected(problems) => {
                    pass.rejected += 1;
                    pass.problems.extend(problems);
                }
            }
        }
    });
    pass
}

/// Reads and validates every article, then selects each feed's entries.
fn collect(settings: &Settings) -> Result<(Feeds, Report), Error> {
    let sources = source::discover(&settings.input)?;
    let files: Arc<[PathBuf]> = sources.files.into();
    let mut first = pass(&files, settings, None);
    if let Some(winners) = first.collector.rerun_with() {
        // Duplicates pushed a valid entry out of some feed: select again, skipping them.
        first.collector = pass(&files, settings, Some(winners)).collector;
    }
    let Pass {
        collector,
        mut problems,
        unpublished,
        scheduled,
        rejected,
    } = first;
    let summary = Summary {
        read: files.len(),
        published: collector.accepted,
        unpublished,
        scheduled,
        rejected,
        duplicates: collector.duplicates,
        ..Summary::default()
    };
    let (feeds, feed_problems) = collector.finish();
    problems.extend(sources.skipped);
    problems.extend(feed_problems);
    problems.sort();
    Ok((
        feeds,
        Report {
            summary,
            problems,
            ..Report::default()
        },
    ))
}

/// Validates every article without writing anything. The report is `stopped` (exit 1)
/// when any article is invalid.
pub fn check(settings: &Settings) -> Result<Report, Error> {
    let (_, mut report) = collect(settings)?;
    report.stopped = report.error_count() > 0;
    Ok(report)
}

/// Builds every feed into `output`. When an article is invalid and `skip_invalid` is off,
/// nothing is written and the report is `stopped`.
pub fn build(settings: &Settings, output: &Output) -> Result<Report, Error> {
    let (feeds, mut report) = collect(settings)?;
    if report.error_count() > 0 && !settings.skip_invalid {
        report.stopped = true;
        return Ok(report);
    }
    let session = output::Session::begin(output)?;
    let feed_list: Vec<&feed::Feed> = feeds.iter().collect();
    let results: Vec<Result<Vec<(PathBuf, output::Status)>, Error>> = feed_list
        .par_iter()
        .map(|feed| {
            render::feed(feed, &feeds, &settings.site)
                .into_iter()
                .map(|file| Ok((file.path.clone(), output.write(&file)?)))
                .collect()
        })
        .collect();
    let mut current = std::collections::BTreeSet::new();
    for result in results {
        for (path, status) in result? {
            current.insert(path.clone());
            match status {
                output::Status::Written => {
                    report.summary.written += 1;
                    report.changed.push(path);
                }
                output::Status::Unchanged => report.summary.unchanged += 1,
            }
        }
    }
    let removed = session.finish(&current)?;
    report.summary.removed = removed.len();
    report.removed = removed;
    Ok(report)
}
