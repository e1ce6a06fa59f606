//! Building the preview: every build goes to a fresh [`Output::memory`] with the cache off,
//! and a good build's files replace the served set in one swap. A build stopped by invalid
//! articles leaves the previous files in place.
//!
//! Which files changed comes from the crate's one change-detection rule,
//! [`Output::write`]: [`Live`] keeps a second memory output holding the bytes it serves,
//! and writes each good build's files through it; the [`Status`] each write returns is what
//! [`Files::update`] keeps or renews validators by.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use super::files::{Changes, Files};
use super::listing::Listing;
use crate::output::Status;
use crate::render::File;
use crate::report::{plural, Run};
use crate::{Error, Output, Report, Settings};

/// How much the preview tells on stderr about each build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Verbosity {
    /// Problems and errors only.
    Quiet,
    /// Also the summary line of each build, and where it serves.
    #[default]
    Normal,
    /// Also each file a rebuild added, changed or dropped.
    Verbose,
}

/// What is served, shared by the HTTP side (reading) and the rebuilds (swapping), and how
/// much the rebuilds tell.
#[derive(Debug)]
pub(super) struct Live {
    files: RwLock<Arc<Files>>,
    pub(super) verbosity: Verbosity,
    /// The theme and site of the last good build, for the folder pages.
    listing: RwLock<Arc<Listing>>,
    /// The bytes of the files served, as the last good build wrote them: never on disk. A
    /// memory output never drops a file, so one that a later build no longer writes stays
    /// here; should it come back, [`Files::update`] serves it as new all the same.
    written: Output,
}

impl Default for Live {
    fn default() -> Live {
        Live::new(Verbosity::Normal)
    }
}

impl Live {
    /// Nothing served yet; builds tell as much as `verbosity` says.
    pub(super) fn new(verbosity: Verbosity) -> Live {
        Live {
            files: RwLock::default(),
            verbosity,
            listing: RwLock::default(),
            written: Output::memory(),
        }
    }

    /// The files served right now.
    pub(super) fn current(&self) -> Arc<Files> {
        Arc::clone(&self.files.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// What the folder pages are made with right now.
    pub(super) fn listing(&self) -> Arc<Listing> {
        Arc::clone(&self.listing.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Serves a good build's files (as [`Output::files`] gives them) from now on: each one
    /// is written through the served bytes' output, whose [`Status`] says whether it
    /// changed, and the new set replaces the old in one swap.
    pub(super) fn publish(&self, build: BTreeMap<PathBuf, Vec<u8>>, now: SystemTime) -> Changes {
        let mut files = self.files.write().unwrap_or_else(PoisonError::into_inner);
        let statuses = build.into_iter().map(|(path, bytes)| {
            let file = File { path, bytes };
            // A memory output cannot fail to write; were it to, a new validator is safe.
            let status = self.written.write(&file).unwrap_or(Status::Written);
            (file, status)
        });
        let (next, changes) = files.update(statuses, now);
        *files = Arc::new(next);
        changes
    }
}

/// The settings a preview build uses: no cache (nothing on disk), and the
/// clock moved to now, so scheduled articles appear once their time has come. A preview
/// publishes nothing, so an empty folder (a desk about to write its first article) is
/// served as an empty site.
fn preview(settings: &Settings) -> Settings {
    let mut settings = settings.clone();
    settings.cache_dir = None;
    settings.allow_empty = true;
    if settings.now.is_some() && std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        settings.now = Some(chrono::Utc::now().fixed_offset());
    }
    settings
}

/// What one build into memory did.
#[derive(Debug)]
pub(super) struct Refreshed {
    /// The build's report, its file counts made relative to what was served before.
    pub(super) report: Report,
    /// `None` when the build was stopped and the previous files are still served.
    pub(super) changes: Option<Changes>,
}

/// Builds into memory and, unless invalid articles stopped the build, serves the new files.
pub(super) fn refresh(settings: &Settings, live: &Live) -> Result<Refreshed, Error> {
    let output = Output::memory();
    let mut report = crate::build(&preview(settings), &output)?;
    if report.stopped {
        return Ok(Refreshed {
            report,
            changes: None,
        });
    }
    // The build loaded the theme already, so this load finds it as the build did.
    if let Ok(theme) = crate::render::Theme::load(settings.templates.as_deref()) {
        let listing = Arc::new(Listing::new(theme, settings.site.clone()));
        *live.listing.write().unwrap_or_else(PoisonError::into_inner) = listing;
    }
    let changes = live.publish(output.files(), SystemTime::now());
    report.summary.written = changes.added.len() + changes.changed.len();
    report.summary.unchanged = changes.unchanged;
    report.summary.removed = changes.removed.len();
    Ok(Refreshed {
        report,
        changes: Some(changes),
    })
}

/// Prints a build's problems and (unless quiet) its one summary line to stderr, and when
/// verbose each file it added, changed or dropped; `took` is `None` for the first build.
pub(super) fn print(refreshed: &Refreshed, took: Option<Duration>, live: &Live) {
    for problem in &refreshed.report.problems {
        eprintln!("{problem}");
    }
    if live.verbosity == Verbosity::Quiet {
        return;
    }
    let summary = refreshed.report.summary;
    match (&refreshed.changes, took) {
        (None, _) => eprintln!(
            "feedsmith: {}; {}: {}",
            summary.line(Run::Serve, true),
            plural(summary.rejected, "invalid article", "invalid articles"),
            if live.current().is_empty() {
                "nothing to serve until they are fixed"
            } else {
                "still serving the previous feeds"
            }
        ),
        (Some(_), Some(took)) => eprintln!(
            "feedsmith: {} (rebuilt in {} ms)",
            summary.line(Run::Serve, false),
            took.as_millis()
        ),
        (Some(_), None) => eprintln!("feedsmith: {}", summary.line(Run::Serve, false)),
    }
    if let (Some(changes), Verbosity::Verbose) = (&refreshed.changes, live.verbosity) {
        for (verb, paths) in [
            ("new", &changes.added),
            ("changed", &changes.changed),
            ("gone", &changes.removed),
        ] {
            for path in paths {
                eprintln!("{verb} {path}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::settings;
    use super::*;

    #[test]
    fn a_stopped_build_keeps_the_previous_files_and_nothing_touches_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let article = "---\ntitle: One\nwebUrl: https://e.com/1\npublishedDateTime: 2024-01-01T00:00:00Z\ntopics: [A]\n---\n";
        std::fs::write(dir.path().join("one.txt"), article).unwrap();
        let settings = settings(dir.path());
        let live = Live::default();
        let first = refresh(&settings, &live).unwrap().changes.unwrap();
        assert!(first.added.iter().any(|p| p == "topics/a/atom.xml"));
        let before = live.current();
        assert!(before.get("topics/a/atom.xml").is_some());

        std::fs::write(dir.path().join("two.txt"), "---\ntitle: [\n---\n").unwrap();
        let stopped = refresh(&settings, &live).unwrap();
        assert!(stopped.report.stopped && stopped.changes.is_none());
        assert_eq!(live.current(), before);

        std::fs::remove_file(dir.path().join("two.txt")).unwrap();
        let again = refresh(&settings, &live).unwrap();
        assert_eq!(again.changes.unwrap().unchanged, first.added.len());
        assert_eq!(again.report.summary.written, 0);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no output, cache or lock file on disk");
    }

    #[test]
    fn a_feed_that_is_gone_is_no_longer_served_and_the_rest_keep_their_validators() {
        let dir = tempfile::tempdir().unwrap();
        let article = |topic: &str| {
            format!("---\ntitle: One\nwebUrl: https://e.com/1\npublishedDateTime: 2024-01-01T00:00:00Z\ntopics: [{topic}]\n---\n")
        };
        let path = dir.path().join("one.txt");
        std::fs::write(&path, article("A")).unwrap();
        let settings = settings(dir.path());
        let live = Live::default();
        refresh(&settings, &live).unwrap();
        let before = live.current();
        let stylesheet = before.get("feed.xsl").unwrap().clone();

        std::fs::write(&path, article("B")).unwrap();
        let changes = refresh(&settings, &live).unwrap().changes.unwrap();
        assert!(changes.removed.iter().any(|p| p == "topics/a/rss.xml"));
        assert!(changes.added.iter().any(|p| p == "topics/b/rss.xml"));
        assert!(changes.changed.iter().any(|p| p == "rss.xml"));
        let after = live.current();
        assert!(after.get("topics/a/rss.xml").is_none());
        assert_eq!(after.get("feed.xsl"), Some(&stylesheet));

        // Back to the first topic: its feeds are served again, as new files.
        std::fs::write(&path, article("A")).unwrap();
        let changes = refresh(&settings, &live).unwrap().changes.unwrap();
        assert!(changes.added.iter().any(|p| p == "topics/a/rss.xml"));
        assert!(live.current().get("topics/a/rss.xml").is_some());
    }
}
