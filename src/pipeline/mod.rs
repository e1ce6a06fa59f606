//! The pipeline: the one place that runs the stages in order, for a build or a check. (Named
//! `pipeline`, not `build`, so that tools which skip build output folders still see it.)
//!
//! [`build()`] reads as its stages: read and validate every article file (`read.rs`),
//! select each feed's entries and resolve duplicates (`select.rs`; a file found invalid is
//! read again before it is named), then plan, render and write (`write.rs`), and report.
//! [`check`] stops after selection. The [`Cache`] wraps two stages from outside: it answers
//! for unchanged article files while reading, and for unchanged feed files while planning; without one, the same code runs with [`Cache::off`]. Before
//! all that, a build asks the cache's memo whether anything changed since the last build
//! that finished; when nothing did, it tells that build's report again and stops there.

mod progress;
mod read;
mod select;
mod write;

pub use progress::{Progress, Quiet};

use crate::cache::{Articles, Cache, Feeds, Recalled, Rest};
use crate::error::Error;
use crate::feed::duplicates::Winners;
use crate::feed::Selection;
use crate::output::Output;
use crate::render::Theme;
use crate::report::Report;
use crate::settings::Settings;

/// Builds every feed into `output`. When an article is invalid and `skip_invalid` is off,
/// nothing is written and the report is `stopped`.
pub fn build(settings: &Settings, output: &Output) -> Result<Report, Error> {
    build_with(settings, output, &Quiet)
}

/// [`build`], telling `progress` how reading goes.
pub fn build_with(
    settings: &Settings,
    output: &Output,
    progress: &dyn Progress,
) -> Result<Report, Error> {
    // The theme first: a template error stops the build before any article is read.
    let theme = Theme::load(settings.templates.as_deref())?;
    let Cache {
        mut articles,
        feeds,
        memo,
    } = Cache::open(settings)?;
    // A dry run or a memory output neither trusts a memo nor keeps one.
    let memo = memo.filter(|_| !output.is_dry_run());
    let (mut rest, mut kept) = (None, None);
    if let Some(memo) = &memo {
        match memo.recall(settings, theme.digest(), output.root()) {
            Recalled::Same(report) => return Ok(report),
            // What the memo's walk proved unchanged is neither walked nor statted again.
            Recalled::Changed(proof, selection) => {
                rest = proof.and_then(|proof| articles.trust(proof));
                kept = selection;
            }
        }
        memo.forget()?;
    }
    let (selection, mut report, keep) = collect(
        settings,
        articles,
        progress,
        rest,
        Carry::from(kept, memo.is_some()),
    )?;
    if report.error_count() > 0 && !settings.skip_invalid {
        report.stopped = true;
        return Ok(report);
    }
    // A dry run or a memory output compares every file's bytes itself.
    let feeds = if output.is_dry_run() {
        Feeds::off()
    } else {
        feeds
    };
    let plan = write::plan(settings, &selection, &theme, &feeds, output);
    let to_render = write::load(settings, &plan)?;
    let written = write::write(
        settings, output, &selection, &theme, &plan, to_render, feeds,
    )?;
    report.summary.unchanged += written.current;
    for (path, status) in written.files {
        report.count(path, status);
    }
    report.summary.removed = written.removed.len();
    report.problems.extend(written.problems);
    report.problems.sort();
    report.removed = written.removed;
    if let Some(memo) = &memo {
        memo.save(
            settings,
            theme.digest(),
            output.root(),
            &report,
            keep.as_deref(),
        );
    }
    Ok(report)
}

/// Validates every article without writing anything but the cache. The report is
/// `stopped` (exit 1) when any article is invalid.
pub fn check(settings: &Settings) -> Result<Report, Error> {
    check_with(settings, &Quiet)
}

/// [`check`], telling `progress` how reading goes.
pub fn check_with(settings: &Settings, progress: &dyn Progress) -> Result<Report, Error> {
    let Cache { articles, .. } = Cache::open(settings)?;
    let (_, mut report, _) = collect(settings, articles, progress, None, Carry::Nothing)?;
    report.stopped = report.error_count() > 0;
    Ok(report)
}

/// What a build carries from the last one's selection to the next.
enum Carry {
    /// Nothing: a check, or a build without a cache.
    Nothing,
    /// Keeps its selection for the next build, carrying over the last build's when there is
    /// one.
    Keep(Option<Vec<u8>>),
}

impl Carry {
    fn from(kept: Option<Vec<u8>>, cache: bool) -> Carry {
        if cache {
            Carry::Keep(kept)
        } else {
            Carry::Nothing
        }
    }
}

/// Read, validate and select: every article file read through the article cache (from where
/// the memo's walk stopped, given its `rest`), each feed's candidates chosen, duplicates
/// resolved. When the last build's selection is `carry`'s and the walk went on from the
/// memo's, only the files that changed are read and offered to it; where that cannot be
/// exact, every file is read. Also gives what to keep of this selection, when asked to.
fn collect(
    settings: &Settings,
    mut articles: Articles,
    progress: &dyn Progress,
    rest: Option<Rest>,
    carry: Carry,
) -> Result<(Selection, Report, Option<Vec<u8>>), Error> {
    let (kept, keep) = match carry {
        Carry::Nothing => (None, false),
        Carry::Keep(kept) => (kept, true),
    };
    let mut carried = None;
    let rest = match (kept, rest) {
        (Some(kept), Some(rest)) => {
            let changes = read::changes(settings, &mut articles, rest)?;
            let files = changes.as_ref().map_or(0, |c| c.files);
            carried = changes.and_then(|changes| select::carry(settings, &kept, changes));
            if carried.is_some() {
                progress.read(files);
            } else {
                // What was read is spent: every file is read again.
                articles = Cache::open(settings)?.articles;
            }
            None
        }
        (_, rest) => rest,
    };
    let was_carried = carried.is_some();
    let mut selected = match carried {
        Some(selected) => selected,
        None => {
            let reads = read::files(settings, &mut articles, progress, rest)?;
            select::select(settings, reads, &Winners::default())?
        }
    };
    let keep = if keep { selected.keep() } else { None };
    articles.finish()?;
    let selected = select::dedupe(settings, selected)?;
    let (selection, summary, problems) =
        select::second_pass(settings, selected)?.finish(&settings.texts);
    select::confirm(settings, &problems)?;
    // No article file at all is most often a wrong `--input`; building it would empty a
    // published site.
    if summary.read == 0 && !settings.allow_empty {
        return Err(Error::EmptyInput {
            input: settings.input.clone(),
            reads: crate::source::EXTENSIONS,
            others: crate::source::other_endings(&settings.input),
        });
    }
    let report = Report {
        summary,
        problems,
        carried: was_carried,
        ..Report::default()
    };
    Ok((selection, report, keep))
}
