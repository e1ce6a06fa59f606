//! Select: every valid article offered to the feeds it belongs in, each feed keeping its
//! newest (a curated feed, its best); articles dated after the build's clock held back;
//! duplicates resolved; a second pass for a curated feed that needs one.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::progress::Quiet;
use super::read::{self, Change, Changes, Reads};
use crate::cache::Articles;
use crate::cache::Read;
use crate::entry::Outcome;
use crate::error::Error;
use crate::feed::duplicates::{self, Canon, Duplicate, Seen, Winners};
use crate::feed::{Candidate, Collector, Kept, Selection};
use crate::problem::{Problem, ProblemKind};
use crate::report::Summary;
use crate::settings::{Settings, Texts};

/// What selecting gave: the feeds' candidates, and the counts and problems so far.
pub(super) struct Selected {
    collector: Collector,
    seen: Seen,
    summary: Summary,
    problems: Vec<Problem>,
    /// The dates of the articles held back as scheduled, for [`carry`].
    scheduled: Vec<DateTime<FixedOffset>>,
    /// The files that won a duplicated link, once [`dedupe`] knows them.
    winners: Winners,
}

/// Offers every read article to the feeds; the files that lost a duplicated link to
/// `winners` are skipped.
pub(super) fn select(
    settings: &Settings,
    reads: Reads,
    winners: &Winners,
) -> Result<Selected, Error> {
    let collector = Collector::new(settings.limit, &settings.kinds, &settings.curated);
    select_into(settings, reads, winners, collector)
}

/// [`select`], into `collector`. The files are read on a thread of their own while this one
/// selects, so that selecting one chunk overlaps with parsing the next.
fn select_into(
    settings: &Settings,
    reads: Reads,
    winners: &Winners,
    collector: Collector,
) -> Result<Selected, Error> {
    let mut selected = Selected {
        collector,
        seen: Seen::new(Canon::new(&settings.tracking_params)),
        summary: Summary::default(),
        problems: Vec::new(),
        scheduled: Vec::new(),
        winners: Winners::default(),
    };
    let skipped = std::thread::scope(|scope| {
        // Handed over a chunk at a time: one wake-up per chunk, not per file.
        let (send, receive) = std::sync::mpsc::sync_channel(2);
        let reader = scope.spawn(move || {
            let mut reads = reads;
            for chunk in reads.by_ref() {
                // The receiver is gone only when selection stopped on an error.
                if send.send(chunk).is_err() {
                    break;
                }
            }
            reads.skipped
        });
        let selecting = receive
            .into_iter()
            .try_for_each(|chunk: Result<Vec<Read>, Error>| {
                for read in chunk? {
                    offer(settings, winners, &mut selected, read);
                }
                Ok(())
            });
        // A panic on the reading thread is a bug; carry it on here.
        let skipped = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        selecting.map(|()| skipped)
    })?;
    selected.problems.extend(skipped);
    Ok(selected)
}

/// Counts one read article and offers it to the feeds, unless it is scheduled for later or
/// lost its link to a newer file.
fn offer(settings: &Settings, winners: &Winners, selected: &mut Selected, mut read: Read) {
    let s = &mut selected.summary;
    s.read += 1;
    s.cached += usize::from(read.cached);
    if settings.strict_keys && strict(&mut read.problems) {
        read.outcome = Outcome::Rejected;
    }
    selected.problems.extend(read.problems);
    match read.outcome {
        Outcome::Published(c) if is_scheduled(settings, &c) => {
            s.scheduled += 1;
            if s.next_scheduled.is_none_or(|next| c.published < next) {
                s.next_scheduled = Some(c.published);
            }
            selected.scheduled.push(c.published);
            selected.problems.push(held_back(&c));
        }
        Outcome::Published(c) if winners.loses(&c) => s.duplicates += 1,
        Outcome::Published(c) => {
            s.published += 1;
            selected.seen.note(&c);
            selected.collector.add(c);
        }
        Outcome::Unpublished => s.unpublished += 1,
        Outcome::Rejected => s.rejected += 1,
    }
}

/// True when `c` is dated after the build's clock: held back until a build after that time.
fn is_scheduled(settings: &Settings, c: &Candidate) -> bool {
    settings.now.is_some_and(|now| c.published > now)
}

/// The warning of an article held back as scheduled.
fn held_back(c: &Candidate) -> Problem {
    Problem::warning(
        c.path.clone(),
        ProblemKind::Scheduled,
        format!(
            "dated in the future ({}); held back until a build after that time",
            c.published.to_rfc3339()
        ),
    )
}

/// With `strict_keys:`, a misspelled or other generator's key rejects its article: its
/// warnings become errors. True when there was one. The cache keeps them as warnings, so
/// that turning the setting on or off needs no new parse.
fn strict(problems: &mut [Problem]) -> bool {
    let mut any = false;
    for p in problems.iter_mut().filter(|p| {
        !p.is_error() && matches!(p.kind, ProblemKind::NearMiss | ProblemKind::ForeignKey)
    }) {
        p.severity = crate::problem::Severity::Error;
        p.message
            .push_str(" (an error here: `strict_keys: true` in the settings)");
        any = true;
    }
    any
}

/// Reads every file that `problems` reject again before the run names them: a file caught
/// while something wrote it (an editor that saves in place, a checkout, a copy) reads as
/// empty or cut short, and its errors would name problems it does not have. A file whose
/// errors differ the second time stops the run, saying that it changed; one that is gone,
/// that it disappeared.
pub(super) fn confirm(settings: &Settings, problems: &[Problem]) -> Result<(), Error> {
    let mut blamed: BTreeMap<&Path, Vec<&Problem>> = BTreeMap::new();
    for problem in problems.iter().filter(|p| p.is_error()) {
        blamed.entry(&problem.path).or_default().push(problem);
    }
    let blamed: Vec<(&Path, Vec<&Problem>)> = blamed.into_iter().collect();
    blamed.into_par_iter().try_for_each(|(path, mut was)| {
        let mut now = problems_now(path, settings)?;
        now.retain(Problem::is_error);
        now.sort();
        was.sort();
        if now.iter().eq(was) {
            Ok(())
        } else {
            Err(read::changed(path))
        }
    })
}

/// The problems `path` gives when read again, made errors by `strict_keys` as [`offer`]
/// makes them.
fn problems_now(path: &Path, settings: &Settings) -> Result<Vec<Problem>, Error> {
    let mut problems = read::problems(path, settings)?;
    if settings.strict_keys {
        strict(&mut problems);
    }
    Ok(problems)
}

/// Resolves duplicated links: the files whose link digests met are read again and compared;
/// the older copies leave every feed, with a warning naming both files. When a loser had
/// pushed another entry out of a feed, selection runs again, exactly, with the winners known.
pub(super) fn dedupe(settings: &Settings, mut selected: Selected) -> Result<Selected, Error> {
    let groups = selected.seen.suspects();
    if groups.is_empty() {
        return Ok(selected);
    }
    let canon = Canon::new(&settings.tracking_params);
    let pairs = duplicates::confirm(read::suspects(settings, groups, &canon)?);
    let losers: HashSet<u32> = pairs.iter().map(|d| d.loser.index).collect();
    let winners = Winners::of(&pairs, &canon);
    // What a pass that skips the losers sees.
    selected.seen.forget_all(&losers);
    if selected.collector.remove(&losers) {
        let mut off = Articles::off();
        let reads = read::files(settings, &mut off, &Quiet, None)?;
        let again = select(settings, reads, &winners)?;
        selected.collector = same_files(settings, &mut selected, again)?.collector;
    }
    selected.summary.published -= losers.len();
    selected.summary.duplicates += losers.len();
    selected
        .problems
        .extend(pairs.iter().map(Duplicate::warning));
    selected.winners = winners;
    Ok(selected)
}

/// Fills the curated feeds that kept too many entries to finish in one pass (see
/// `feed::curated`): every article is read again, and offered to them alone, now that
/// their windows are known.
pub(super) fn second_pass(settings: &Settings, mut selected: Selected) -> Result<Selected, Error> {
    if !selected.collector.needs_second_pass() {
        return Ok(selected);
    }
    let mut off = Articles::off();
    let reads = read::files(settings, &mut off, &Quiet, None)?;
    let again = selected.collector.second_pass();
    let again = select_into(settings, reads, &selected.winners, again)?;
    let again = same_files(settings, &mut selected, again)?.collector;
    selected.collector.merge_second_pass(again);
    Ok(selected)
}

/// `again`, a pass over every file after `first`, when it read the files `first` read: the
/// same links accepted under the same file numbers, and as many files read, unpublished,
/// rejected and held back. Files that came, went or changed in between would mix two
/// states of the folder in one build (an article in one feed and not in the next, or no
/// copy of a duplicated link at all), so the build stops instead.
fn same_files(
    settings: &Settings,
    first: &mut Selected,
    mut again: Selected,
) -> Result<Selected, Error> {
    let counts = |s: &Summary| (s.read, s.unpublished, s.rejected, s.scheduled);
    if counts(&first.summary) == counts(&again.summary) && first.seen.same(&mut again.seen) {
        Ok(again)
    } else {
        Err(read::moved(&settings.input))
    }
}

/// What a build keeps of its selection for the next ([`Selected::keep`]): the pass's state,
/// and its counts and problems.
#[derive(Serialize, Deserialize)]
struct Carried<'a> {
    kept: Kept<'a>,
    summary: Summary,
    next_scheduled: Option<String>,
    problems: Cow<'a, [Problem]>,
    /// The dates of the articles held back as scheduled (RFC 3339, as written).
    scheduled: Vec<String>,
}

/// The selection of the last build (`kept`, as [`Selected::keep`] gave it) with the article
/// files that changed, came or went since offered again: the same selection as a pass over
/// every file would make, or `None` where it cannot be sure to be (see `feed::kept`), or
/// where a change involves a duplicated link or a curated feed's second pass. Then the
/// build reads every file. A scheduled article is counted, never offered, as a pass does.
pub(super) fn carry(settings: &Settings, kept: &[u8], changes: Changes) -> Option<Selected> {
    let mut carried: Carried = postcard::from_bytes(kept).ok()?;
    let mut summary = carried.summary;
    summary.next_scheduled = match &carried.next_scheduled {
        Some(date) => Some(DateTime::parse_from_rfc3339(date).ok()?),
        None => None,
    };
    let paths: HashSet<&Path> = changes.changed.iter().map(|c| c.path.as_path()).collect();
    // The walk's warnings are the new walk's; each changed file's, its new read's.
    let mut problems: Vec<Problem> = carried
        .problems
        .into_owned()
        .into_iter()
        .filter(|p| p.kind != ProblemKind::Symlink && !paths.contains(p.path.as_path()))
        .collect();
    problems.extend(changes.skipped);
    let parsed = changes
        .changed
        .iter()
        .filter(|c| c.new.as_ref().is_some_and(|new| !new.cached))
        .count();
    let mut scheduled = carried
        .scheduled
        .iter()
        .map(|date| DateTime::parse_from_rfc3339(date).ok())
        .collect::<Option<Vec<_>>>()?;
    let mut touched = false;
    let mut swaps = HashMap::new();
    let (mut out, mut offered) = (Vec::new(), Vec::new());
    for Change { old, new, .. } in changes.changed {
        // A file new or gone has one side only; a scheduled article is counted alone.
        let mut count = |read: Option<Read>, add| match read {
            Some(read) => counted(settings, &mut summary, &mut scheduled, read, add).map(Some),
            None => Some(None),
        };
        let (old, new) = (count(old, false)?, count(new, true)?);
        touched |= [&old, &new]
            .iter()
            .any(|side| side.as_ref().is_some_and(|(_, held)| *held));
        let old = old.and_then(|(old, held)| (!held).then_some(old.outcome));
        let new = new.and_then(|(new, held)| {
            problems.extend(new.problems);
            (!held).then_some(new.outcome)
        });
        match (old, new) {
            // What selection knows of it is the same: it takes the old one's place wherever
            // that is.
            (Some(Outcome::Published(o)), Some(Outcome::Published(n))) if o.facts == n.facts => {
                swaps.insert(o.index, n);
            }
            (old, new) => {
                out.extend(old);
                offered.extend(new);
            }
        }
    }
    if summary.read != changes.files {
        return None;
    }
    if touched {
        summary.next_scheduled = next(&scheduled)?;
    }
    summary.cached = summary.read - parsed;
    carried.kept.renumber(&changes.renumber);
    let (mut collector, mut seen) = Collector::from_kept(
        carried.kept,
        settings.limit,
        &settings.kinds,
        &settings.curated,
        Canon::new(&settings.tracking_params),
        |c| swaps.remove(&c.index).unwrap_or(c),
    )?;
    // Every old one out first: what is left is then what a pass over the rest would leave,
    // and offering is always exact.
    for old in out {
        if let Outcome::Published(old) = old {
            if collector.take_out(&old) {
                return None;
            }
            seen.forget(old.index);
        }
    }
    for new in offered {
        if let Outcome::Published(new) = new {
            seen.note(&new);
            collector.add(new);
        }
    }
    if !seen.clear() || collector.needs_second_pass() {
        return None;
    }
    Some(Selected {
        collector,
        seen,
        summary,
        problems,
        scheduled,
        winners: Winners::default(),
    })
}

/// The earliest of the `scheduled` dates, as a pass names it; `None` when the earliest are
/// one instant written with different offsets (which one a pass names then depends on the
/// walk).
fn next(scheduled: &[DateTime<FixedOffset>]) -> Option<Option<DateTime<FixedOffset>>> {
    let Some(earliest) = scheduled.iter().min() else {
        return Some(None);
    };
    scheduled
        .iter()
        .filter(|d| *d == earliest)
        .all(|d| d.offset() == earliest.offset())
        .then_some(Some(*earliest))
}

/// A changed file's `read` (the new one with `add`, else the old one), as selection takes
/// it (rejected for a near miss with `strict_keys:`), counted in or out of `summary`; a
/// scheduled one's date put in or taken out of `scheduled`, and the new one given its
/// warning. With true when it is scheduled (then it is not offered). `None` when it is not
/// there to count out.
fn counted(
    settings: &Settings,
    summary: &mut Summary,
    scheduled: &mut Vec<DateTime<FixedOffset>>,
    mut read: Read,
    add: bool,
) -> Option<(Read, bool)> {
    if settings.strict_keys && strict(&mut read.problems) {
        read.outcome = Outcome::Rejected;
    }
    let held = match &read.outcome {
        Outcome::Published(c) if is_scheduled(settings, c) => Some(c.published),
        _ => None,
    };
    let count = match (&read.outcome, held) {
        (_, Some(_)) => &mut summary.scheduled,
        (Outcome::Published(_), None) => &mut summary.published,
        (Outcome::Unpublished, _) => &mut summary.unpublished,
        (Outcome::Rejected, _) => &mut summary.rejected,
    };
    for count in [count, &mut summary.read] {
        *count = if add {
            count.checked_add(1)?
        } else {
            count.checked_sub(1)?
        };
    }
    if let (Some(date), Outcome::Published(c)) = (held, &read.outcome) {
        if add {
            scheduled.push(date);
            read.problems.push(held_back(c));
        } else {
            let at = scheduled
                .iter()
                .position(|d| *d == date && d.offset() == date.offset())?;
            scheduled.swap_remove(at);
        }
    }
    Some((read, held.is_some()))
}

impl Selected {
    /// What to keep of this pass for the next build's [`carry`], in a build with a cache:
    /// `None` when links met (the duplicate rule then reads files again) or a curated feed
    /// needs a second pass.
    pub(super) fn keep(&mut self) -> Option<Vec<u8>> {
        if !self.winners.is_empty() || !self.seen.clear() {
            return None;
        }
        let carried = Carried {
            kept: self.collector.keep(&self.seen)?,
            summary: self.summary,
            next_scheduled: self.summary.next_scheduled.map(|d| d.to_rfc3339()),
            problems: Cow::Borrowed(&self.problems),
            scheduled: self.scheduled.iter().map(|d| d.to_rfc3339()).collect(),
        };
        postcard::to_stdvec(&carried).ok()
    }

    /// The feeds' final contents, with every problem found (slug collisions included),
    /// sorted by file, line and column.
    pub(super) fn finish(self, texts: &Texts) -> (Selection, Summary, Vec<Problem>) {
        let (selection, collisions) = self.collector.finish(texts);
        let mut problems = self.problems;
        problems.extend(collisions);
        problems.sort();
        (selection, self.summary, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Site;

    /// An article of `link`, dated `minute` minutes into 1 May 2022 (under a day), in topic
    /// `topic`, with `heat`.
    fn article(link: &str, minute: u32, topic: &str, heat: u32) -> String {
        let (hour, minute) = (minute / 60, minute % 60);
        format!(
            "---\ntitle: T\nwebUrl: https://e.com/{link}\npublishedDateTime: 2022-05-01T{hour:02}:{minute:02}:00Z\ntopics: [{topic}]\nheat: {heat}\n---\nbody\n"
        )
    }

    /// Settings for the articles in `dir`.
    fn settings_in(dir: &Path) -> Settings {
        Settings::new(dir, dir.join("out"), Site::default())
    }

    /// Settings for `dir/in` from the settings file `yaml`.
    fn settings_of(dir: &Path, yaml: &str) -> Settings {
        let config = dir.join("feedsmith.yaml");
        std::fs::write(&config, yaml).unwrap();
        Settings::resolve(crate::settings::Overrides {
            config: Some(config),
            input: Some(dir.join("in")),
            output: Some(dir.join("out")),
            no_cache: true,
            ..Default::default()
        })
        .unwrap()
    }

    /// The first pass over `settings.input`, then `change`, then what follows it.
    fn after_the_pass(
        settings: &Settings,
        change: impl FnOnce(),
        then: impl FnOnce(&Settings, Selected) -> Result<Selected, Error>,
    ) -> Result<Selected, Error> {
        let mut off = Articles::off();
        let reads = read::files(settings, &mut off, &Quiet, None).unwrap();
        let selected = select(settings, reads, &Winners::default()).unwrap();
        change();
        then(settings, selected)
    }

    /// The message of a build stopped because the files of `input` moved under it.
    fn moved(input: &Path) -> String {
        format!(
            "re-reading {}: files came, went or changed during the build; run the build again",
            input.display()
        )
    }

    #[test]
    fn a_file_is_blamed_only_for_errors_it_still_has_when_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let settings = settings_in(dir.path());
        let path = dir.path().join("a.txt");
        // Empty, as a file an editor is saving in place reads between its truncation and
        // its write.
        std::fs::write(&path, "").unwrap();
        let problems = problems_now(&path, &settings).unwrap();
        assert_eq!(problems[0].kind, ProblemKind::Empty);
        // Still empty: the error stands.
        confirm(&settings, &problems).unwrap();
        let changed = format!(
            "re-reading {}: the file changed during the build; run the build again",
            path.display()
        );
        // Written since: the run says so, not that the file is empty.
        std::fs::write(&path, article("a", 0, "A", 1)).unwrap();
        assert_eq!(
            confirm(&settings, &problems).unwrap_err().to_string(),
            changed
        );
        // Written with another error: changed too.
        std::fs::write(&path, "---\ntitle: [\n---\n").unwrap();
        assert_eq!(
            confirm(&settings, &problems).unwrap_err().to_string(),
            changed
        );
        // Gone.
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            confirm(&settings, &problems).unwrap_err().to_string(),
            format!(
                "{} disappeared during the build: run the build again",
                path.display()
            )
        );
    }

    #[test]
    fn duplicates_are_decided_only_on_the_files_the_pass_read() {
        let dir = tempfile::tempdir().unwrap();
        let settings = settings_in(dir.path());
        let write = || {
            std::fs::write(dir.path().join("0.txt"), article("other", 0, "A", 1)).unwrap();
            std::fs::write(dir.path().join("1.txt"), article("a", 0, "A", 1)).unwrap();
            std::fs::write(dir.path().join("2.txt"), article("a", 1, "A", 1)).unwrap();
        };
        write();
        let selected = after_the_pass(&settings, || {}, dedupe).unwrap();
        assert_eq!(selected.summary.duplicates, 1);
        let warned: Vec<&Path> = selected
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Duplicate)
            .map(|p| p.path.as_path())
            .collect();
        assert_eq!(warned, [dir.path().join("1.txt")], "the older copy loses");
        // A file before the copies went: the numbers lead to other files, or none.
        let gone = after_the_pass(
            &settings,
            || std::fs::remove_file(dir.path().join("0.txt")).unwrap(),
            dedupe,
        );
        assert_eq!(gone.err().unwrap().to_string(), moved(dir.path()));
        // A copy's link changed.
        write();
        let edited = after_the_pass(
            &settings,
            || std::fs::write(dir.path().join("2.txt"), article("b", 1, "A", 1)).unwrap(),
            dedupe,
        );
        assert_eq!(edited.err().unwrap().to_string(), moved(dir.path()));
    }

    #[test]
    fn a_pass_run_again_after_duplicates_must_read_the_files_the_first_read() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        let settings = settings_of(dir.path(), "base_url: https://e.com/f/\nlimit: 1\n");
        // The older copy of x pushes o out of topic T, then loses to the newer copy in U:
        // selection runs again.
        std::fs::write(input.join("0.txt"), article("x", 21, "T", 1)).unwrap();
        std::fs::write(input.join("1.txt"), article("o", 20, "T", 1)).unwrap();
        std::fs::write(input.join("2.txt"), article("x", 22, "U", 1)).unwrap();
        let selected = after_the_pass(&settings, || {}, dedupe).unwrap();
        assert_eq!(selected.summary.duplicates, 1);
        // A file that came after the pass: not in this build's feeds, nor its counts.
        let came = after_the_pass(
            &settings,
            || std::fs::write(input.join("9.txt"), article("n", 23, "T", 1)).unwrap(),
            dedupe,
        );
        assert_eq!(came.err().unwrap().to_string(), moved(&input));
    }

    #[test]
    fn a_curated_feeds_second_pass_must_read_the_files_the_first_read() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        // Heat falls as dates rise, all inside the window: the feed keeps more than it may
        // (1,000) and is filled in a second pass.
        let settings = settings_of(
            dir.path(),
            "base_url: https://e.com/f/\ncurated:\n  - name: Hot\n    rank: heat\n    window: 30d\n    limit: 3\n",
        );
        for i in 0..1100u32 {
            let text = article(&format!("a{i}"), i, "T", 5000 - i);
            std::fs::write(input.join(format!("{i:04}.txt")), text).unwrap();
        }
        let first = after_the_pass(&settings, || {}, |_, s| Ok(s)).unwrap();
        assert!(first.collector.needs_second_pass());
        after_the_pass(&settings, || {}, second_pass).unwrap();
        // Gone before the second pass.
        let gone = after_the_pass(
            &settings,
            || std::fs::remove_file(input.join("0000.txt")).unwrap(),
            second_pass,
        );
        assert_eq!(gone.err().unwrap().to_string(), moved(&input));
        // Unpublished before the second pass.
        std::fs::write(input.join("0000.txt"), article("a0", 0, "T", 5000)).unwrap();
        let unpublished = after_the_pass(
            &settings,
            || {
                let text = article("a5", 5, "T", 4995).replace("heat:", "published: false\nheat:");
                std::fs::write(input.join("0005.txt"), text).unwrap()
            },
            second_pass,
        );
        assert_eq!(unpublished.err().unwrap().to_string(), moved(&input));
    }

    #[test]
    fn warnings_are_not_read_again_and_strict_keys_errors_are_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = settings_in(dir.path());
        let path = dir.path().join("a.txt");
        let foreign = article("a", 0, "A", 1).replace("topics:", "tags:");
        std::fs::write(&path, &foreign).unwrap();
        let problems = problems_now(&path, &settings).unwrap();
        assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");
        assert!(problems.iter().any(|p| p.kind == ProblemKind::ForeignKey));
        // A warning blames nothing: the file is not read, so its being gone is no error.
        std::fs::remove_file(&path).unwrap();
        confirm(&settings, &problems).unwrap();
        // With strict keys the foreign key is an error, and read again it still is one.
        std::fs::write(&path, &foreign).unwrap();
        settings.strict_keys = true;
        let problems = problems_now(&path, &settings).unwrap();
        assert!(problems.iter().any(|p| p.is_error()), "{problems:?}");
        confirm(&settings, &problems).unwrap();
    }
}
