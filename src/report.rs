//! What happened during a run: the problems found, the counts, and the exit status they add up to.

use std::path::PathBuf;

use crate::output::Status;
use crate::problem::Problem;

/// The counts a run ends with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Article files read.
    pub read: usize,
    /// Of those, how many the cache answered for without parsing.
    pub cached: usize,
    /// Articles that reached at least the all-articles feed's candidates.
    pub published: usize,
    /// Articles marked `published: false`.
    pub unpublished: usize,
    /// Articles dated in the future, held back.
    pub scheduled: usize,
    /// Articles rejected as invalid.
    pub rejected: usize,
    /// Duplicates dropped in favour of a newer file with the same link.
    pub duplicates: usize,
    /// Output files whose bytes changed and were written.
    pub written: usize,
    /// Output files left untouched because their bytes were already right.
    pub unchanged: usize,
    /// Output files feedsmith made earlier and removed because their feed is gone.
    pub removed: usize,
}

/// Which run a summary line is about: it decides the verbs, so that the line says what
/// really happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// `build`: files written.
    Build,
    /// `build --check`: nothing written; what a build would write.
    DryRun,
    /// `check`: articles validated, no file made.
    Check,
    /// `serve`: files built in memory and served.
    Serve,
}

/// `count` and the noun in the right number: `1 article`, `2 articles`.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

impl Summary {
    /// The one summary line of a run of kind `run`; `stopped` when invalid articles stopped
    /// it. Only a build that wrote says `published` and `written`.
    pub fn line(&self, run: Run, stopped: bool) -> String {
        let mut line = plural(self.read, "article", "articles");
        line.push_str(if run == Run::Check {
            " checked"
        } else {
            " read"
        });
        if self.cached > 0 {
            line.push_str(&format!(" ({} from cache)", self.cached));
        }
        let published = if run == Run::Build && !stopped {
            "published"
        } else {
            "publishable"
        };
        line.push_str(&format!(
            ": {} {published}, {} unpublished, {} rejected",
            self.published, self.unpublished, self.rejected
        ));
        if self.scheduled > 0 {
            line.push_str(&format!(", {} scheduled", self.scheduled));
        }
        if self.duplicates > 0 {
            line.push_str(&format!(
                ", {}",
                plural(self.duplicates, "duplicate", "duplicates")
            ));
        }
        let files = |n| plural(n, "file", "files");
        match (run, stopped) {
            (Run::Check, _) | (Run::Serve, true) => {}
            (Run::Build, true) => line.push_str("; nothing was written"),
            (Run::DryRun, true) => line.push_str("; a build would stop and write nothing"),
            (Run::Build, false) => {
                line.push_str(&format!(
                    "; {} written, {} unchanged",
                    files(self.written),
                    self.unchanged
                ));
                if self.removed > 0 {
                    line.push_str(&format!(", {} removed", self.removed));
                }
            }
            (Run::DryRun, false) => {
                line.push_str(&format!(
                    "; would write {}, {} up to date",
                    files(self.written),
                    self.unchanged
                ));
                if self.removed > 0 {
                    line.push_str(&format!(", would remove {}", self.removed));
                }
            }
            (Run::Serve, false) => {
                line.push_str(&format!(
                    "; serving {} ({} new or changed",
                    files(self.written + self.unchanged),
                    self.written
                ));
                if self.removed > 0 {
                    line.push_str(&format!(", {} gone", self.removed));
                }
                line.push(')');
            }
        }
        line
    }
}

/// The outcome of a build or check: counts, problems, and whether output was written.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The counts.
    pub summary: Summary,
    /// Every problem found, sorted by file, line and column.
    pub problems: Vec<Problem>,
    /// Output paths (relative to the output folder) that were written, or that would be
    /// written in a dry run.
    pub changed: Vec<PathBuf>,
    /// Output paths of feeds that no longer exist, removed (or that would be, in a dry run).
    pub removed: Vec<PathBuf>,
    /// True when the build stopped before writing because articles were invalid.
    pub stopped: bool,
}

impl Report {
    /// Counts one output file's fate: written (and listed as changed) or unchanged.
    pub fn count(&mut self, path: PathBuf, status: Status) {
        match status {
            Status::Written => {
                self.summary.written += 1;
                self.changed.push(path);
            }
            Status::Unchanged => self.summary.unchanged += 1,
        }
    }

    /// The number of problems that rejected an article.
    pub fn error_count(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    /// The process exit status for this outcome: 1 when invalid articles stopped the
    /// build (or a check found any), 0 otherwise. Status 2 is for [`crate::Error`]s.
    pub fn exit_code(&self) -> i32 {
        if self.stopped {
            1
        } else {
            0
        }
    }

    /// The report as one JSON document (the shape is documented in docs/command-line.md).
    pub fn to_json(&self, command: &str, status: i32) -> serde_json::Value {
        let s = &self.summary;
        let paths = |list: &[PathBuf]| -> Vec<String> {
            list.iter().map(|p| crate::paths::slashed(p)).collect()
        };
        serde_json::json!({
            "command": command,
            "status": status,
            "summary": {
                "read": s.read,
                "cached": s.cached,
                "published": s.published,
                "unpublished": s.unpublished,
                "scheduled": s.scheduled,
                "rejected": s.rejected,
                "duplicates": s.duplicates,
                "written": s.written,
                "unchanged": s.unchanged,
                "removed": s.removed,
            },
            "problems": self.problems.iter().map(|p| serde_json::json!({
                "file": p.path.to_string_lossy(),
                "line": p.line,
                "column": p.column,
                "severity": p.severity.to_string(),
                "kind": p.kind,
                "message": p.message,
            })).collect::<Vec<_>>(),
            "changed": paths(&self.changed),
            "removed": paths(&self.removed),
        })
    }

    /// The problems as GitHub Actions workflow commands (`::error file=…,line=…::…`), one
    /// per line, so they show as annotations on the pull request.
    pub fn github_annotations(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            let mut props = format!("file={}", escape_property(&p.path.to_string_lossy()));
            if let Some(line) = p.line {
                props.push_str(&format!(",line={line}"));
            }
            if let Some(column) = p.column {
                props.push_str(&format!(",col={column}"));
            }
            props.push_str(&format!(
                ",title={}",
                escape_property(&format!("feedsmith {}", p.kind))
            ));
            out.push_str(&format!(
                "::{} {props}::{}\n",
                p.severity,
                escape_data(&p.message)
            ));
        }
        out
    }
}

/// Escapes a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::ProblemKind;

    #[test]
    fn each_run_says_what_it_did_in_the_right_number() {
        let one = Summary {
            read: 1,
            published: 1,
            duplicates: 1,
            written: 1,
            ..Summary::default()
        };
        assert_eq!(
            one.line(Run::Build, false),
            "1 article read: 1 published, 0 unpublished, 0 rejected, 1 duplicate; 1 file written, 0 unchanged"
        );
        let s = Summary {
            read: 3,
            cached: 2,
            published: 2,
            rejected: 1,
            written: 16,
            unchanged: 3,
            removed: 2,
            ..Summary::default()
        };
        assert_eq!(
            s.line(Run::Build, true),
            "3 articles read (2 from cache): 2 publishable, 0 unpublished, 1 rejected; nothing was written"
        );
        assert_eq!(
            s.line(Run::DryRun, false),
            "3 articles read (2 from cache): 2 publishable, 0 unpublished, 1 rejected; would write 16 files, 3 up to date, would remove 2"
        );
        assert_eq!(
            s.line(Run::Check, true),
            "3 articles checked (2 from cache): 2 publishable, 0 unpublished, 1 rejected"
        );
        assert_eq!(
            s.line(Run::Serve, false),
            "3 articles read (2 from cache): 2 publishable, 0 unpublished, 1 rejected; serving 19 files (16 new or changed, 2 gone)"
        );
    }

    #[test]
    fn annotations_escape_what_github_would_misread() {
        let report = Report {
            problems: vec![
                Problem::error("a,b:c.txt", ProblemKind::Yaml, "bad: 100%\nreally").at(3, 7),
            ],
            ..Report::default()
        };
        assert_eq!(
            report.github_annotations(),
            "::error file=a%2Cb%3Ac.txt,line=3,col=7,title=feedsmith yaml::bad: 100%25%0Areally\n"
        );
    }

    #[test]
    fn json_report_carries_counts_and_located_problems() {
        let report = Report {
            summary: Summary {
                read: 2,
                rejected: 1,
                ..Summary::default()
            },
            problems: vec![Problem::error("x.txt", ProblemKind::Yaml, "broken").at(2, 1)],
            ..Report::default()
        };
        let json = report.to_json("check", 1);
        assert_eq!(json["status"], 1);
        assert_eq!(json["summary"]["rejected"], 1);
        assert_eq!(json["problems"][0]["line"], 2);
        assert_eq!(json["problems"][0]["severity"], "error");
        assert_eq!(json["problems"][0]["file"], "x.txt");
    }
}
