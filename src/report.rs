//! What happened during a run: the problems found, the counts, and the exit status they add up to.

use std::borrow::Cow;
use std::fmt::Display;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize, Serializer};

use crate::output::Status;
use crate::problem::Problem;

/// The counts a run ends with; the JSON report's `summary` as it is. Its fields are in the
/// order of their names, which is the JSON report's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Of the articles read, how many the cache answered for without parsing.
    pub cached: usize,
    /// Duplicates dropped in favour of a newer file with the same link.
    pub duplicates: usize,
    /// The earliest date among the articles held back as scheduled: when a build next has
    /// something new to publish. `None` when none is held back. (The JSON report has it at
    /// the top, as `next_scheduled`.)
    #[serde(skip)]
    pub next_scheduled: Option<DateTime<FixedOffset>>,
    /// Articles that reached at least the all-articles feed's candidates.
    pub published: usize,
    /// Article files read.
    pub read: usize,
    /// Articles rejected as invalid.
    pub rejected: usize,
    /// Output files feedsmith made earlier and removed because their feed is gone.
    pub removed: usize,
    /// Articles dated in the future, held back.
    pub scheduled: usize,
    /// Output files left untouched because their bytes were already right.
    pub unchanged: usize,
    /// Articles marked `published: false`.
    pub unpublished: usize,
    /// Output files whose bytes changed and were written.
    pub written: usize,
}

/// A date as RFC 3339, as the article gave it, or null.
fn rfc3339<S: Serializer>(date: &Option<DateTime<FixedOffset>>, to: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => to.serialize_str(&date.to_rfc3339()),
        None => to.serialize_none(),
    }
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
        if let (n @ 1.., Some(next)) = (self.scheduled, self.next_scheduled) {
            line.push_str(&format!(
                ", {n} scheduled (the next for {})",
                next.to_rfc3339()
            ));
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
    /// True when the build found nothing changed since the last one (by the cache's memo)
    /// and gave that build's report again, reading no article. Not part of the JSON report.
    pub remembered: bool,
    /// True when only the article files that changed since the last build were read, and
    /// offered to what that build chose (by the cache's memo). Not part of the JSON report.
    pub carried: bool,
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

    /// The report as one JSON document (the shape is documented in docs/command-line.md), with
    /// `status` the exit status and no WebSub part: a build that pings fills that in.
    pub fn to_json<'a>(&'a self, command: &'a str, status: i32) -> Json<'a> {
        let paths = |list: &[PathBuf]| list.iter().map(|p| crate::paths::slashed(p)).collect();
        Json {
            changed: paths(&self.changed),
            command,
            problems: &self.problems,
            removed: paths(&self.removed),
            status,
            summary: self.summary,
            next_scheduled: self.summary.next_scheduled,
            websub: None,
        }
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

/// The JSON report (`--report json`): one document on stdout. Its keys are printed in
/// alphabetical order, the order of the first releases, so a consumer comparing text sees no
/// change; the fields are in that order here.
#[derive(Debug, Clone, Serialize)]
pub struct Json<'a> {
    /// Output paths written (or that a dry run would write), `/`-separated, below the output
    /// folder.
    pub changed: Vec<String>,
    /// The command: `build` or `check`.
    pub command: &'a str,
    /// [`Summary::next_scheduled`]: when to build again, or null.
    #[serde(serialize_with = "rfc3339")]
    pub next_scheduled: Option<DateTime<FixedOffset>>,
    /// Every problem: file, line, column, severity, kind and message.
    #[serde(serialize_with = "problems")]
    pub problems: &'a [Problem],
    /// Output paths removed (or that a dry run would remove), as `changed`.
    pub removed: Vec<String>,
    /// The exit status.
    pub status: i32,
    /// The counts.
    pub summary: Summary,
    /// What `build --ping` sent, when asked to; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub websub: Option<WebSub>,
}

/// The JSON document of a run that failed with an [`crate::Error`] (exit status 2).
#[derive(Debug, Clone, Serialize)]
pub struct JsonError {
    /// The error's message.
    pub error: String,
    /// The exit status, 2.
    pub status: i32,
}

impl JsonError {
    /// The document for `error`.
    pub fn new(error: &crate::Error) -> JsonError {
        JsonError {
            error: error.to_string(),
            status: 2,
        }
    }
}

/// The WebSub part of a build's JSON report (`build --ping`): the feeds announced, each hub's
/// answer, or why nothing was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WebSub {
    /// Each hub's outcome, in the settings' order.
    pub hubs: Vec<Hub>,
    /// Why no hub was notified, when none was.
    pub skipped: Option<String>,
    /// The feed URLs announced.
    pub topics: Vec<String>,
}

/// One hub's answer to a WebSub notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hub {
    /// Requests sent.
    pub attempts: u32,
    /// Why the hub did not take it, when it did not.
    pub error: Option<String>,
    /// The hub's URL.
    pub hub: String,
    /// True when the hub took the notification.
    pub notified: bool,
    /// The hub's last HTTP status, when it answered.
    pub status: Option<u16>,
}

/// One problem in the JSON report. The kind is serialised as its own type does (a stable
/// name such as `yaml`), so the view holds whatever type [`Problem::kind`] is.
#[derive(Serialize)]
struct ProblemView<'a, K> {
    column: Option<usize>,
    file: Cow<'a, str>,
    kind: &'a K,
    line: Option<usize>,
    message: &'a str,
    #[serde(serialize_with = "display")]
    severity: &'a crate::problem::Severity,
}

/// The problems, each as a [`ProblemView`].
fn problems<S: Serializer>(list: &&[Problem], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(|p| ProblemView {
        column: p.column,
        file: p.path.to_string_lossy(),
        kind: &p.kind,
        line: p.line,
        message: &p.message,
        severity: &p.severity,
    }))
}

/// A value as its `Display` writes it.
fn display<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
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
        let json = serde_json::to_value(report.to_json("check", 1)).unwrap();
        assert_eq!(json["status"], 1);
        assert_eq!(json["summary"]["rejected"], 1);
        assert_eq!(json["problems"][0]["line"], 2);
        assert_eq!(json["problems"][0]["severity"], "error");
        assert_eq!(json["problems"][0]["file"], "x.txt");
    }

    #[test]
    fn json_report_keys_come_in_alphabetical_order_as_the_first_releases_printed_them() {
        let report = Report {
            summary: Summary {
                read: 2,
                written: 1,
                removed: 1,
                ..Summary::default()
            },
            problems: vec![Problem::warning("a/x.txt", ProblemKind::NearMiss, "typo")],
            changed: vec![PathBuf::from("topics").join("ai").join("rss.xml")],
            removed: vec![PathBuf::from("old.xml")],
            stopped: false,
            remembered: false,
            carried: false,
        };
        let mut json = report.to_json("build", 0);
        assert_eq!(
            serde_json::to_string(&json).unwrap(),
            r#"{"changed":["topics/ai/rss.xml"],"command":"build","next_scheduled":null,"problems":[{"column":null,"file":"a/x.txt","kind":"near-miss","line":null,"message":"typo","severity":"warning"}],"removed":["old.xml"],"status":0,"summary":{"cached":0,"duplicates":0,"published":0,"read":2,"rejected":0,"removed":1,"scheduled":0,"unchanged":0,"unpublished":0,"written":1}}"#
        );
        json.status = 3;
        json.websub = Some(WebSub {
            hubs: vec![Hub {
                attempts: 3,
                error: Some("busy".into()),
                hub: "https://hub.example/".into(),
                notified: false,
                status: Some(503),
            }],
            skipped: None,
            topics: vec!["https://e.com/rss.xml".into()],
        });
        let text = serde_json::to_string(&json).unwrap();
        assert!(
            text.ends_with(r#""status":3,"summary":{"cached":0,"duplicates":0,"published":0,"read":2,"rejected":0,"removed":1,"scheduled":0,"unchanged":0,"unpublished":0,"written":1},"websub":{"hubs":[{"attempts":3,"error":"busy","hub":"https://hub.example/","notified":false,"status":503}],"skipped":null,"topics":["https://e.com/rss.xml"]}}"#),
            "{text}"
        );
        let failed = JsonError::new(&crate::Error::config(None, "no base URL"));
        assert_eq!(
            serde_json::to_string(&failed).unwrap(),
            r#"{"error":"no base URL","status":2}"#
        );
    }
}
