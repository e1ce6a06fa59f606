//! Problems with one input file, and how serious each is: the vocabulary every stage uses to
//! say what went wrong with an article, located as precisely as it can be.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// The article was rejected: it cannot be published as written.
    Error,
    /// Something was dropped or merged, but the article is still published.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// What kind of problem: a stable name in the JSON report, the GitHub annotations and the
/// docs, which list every kind from [`ProblemKind::ALL`] (a test holds the two equal). The
/// variants are in the order of their names, so problems sort as they did by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// `bad-date`: a date that is not RFC 3339 with a time and an offset, or outside 1970 to 9999.
    BadDate,
    /// `bad-url`: a link that is not an absolute http(s) URL, or a provider domain that is not a host name.
    BadUrl,
    /// `duplicate`: another file has the same link and is published instead.
    Duplicate,
    /// `empty`: an empty file.
    Empty,
    /// `empty-topic`: an empty topic name, ignored.
    EmptyTopic,
    /// `encoding`: a file that is not UTF-8.
    Encoding,
    /// `foreign-key`: another generator's key (`date`, `tags`, `draft`, …) where feedsmith reads another.
    ForeignKey,
    /// `front-matter`: no `---` line to open or close the front matter, or an empty front matter.
    FrontMatter,
    /// `missing-field`: no title, link or date; an image without a URL; a related item without a title or link.
    MissingField,
    /// `near-miss`: a key that is a near miss of a known one (`pubished`, `topic`).
    NearMiss,
    /// `over-budget`: a feed whose files would be over `max_feed_bytes`: older entries were published with their summary, or left out.
    OverBudget,
    /// `scheduled`: dated after the build's clock: held back until a later build.
    Scheduled,
    /// `slug-collision`: names of one kind that share a slug; each gets its own.
    SlugCollision,
    /// `symlink`: a symbolic link skipped: to a folder, outside the input, dangling or looping.
    Symlink,
    /// `too-deep`: front matter nested deeper than the limit.
    TooDeep,
    /// `too-large`: a file larger than `max_file_bytes`.
    TooLarge,
    /// `too-many-images`: more images than the limit; the first are published.
    TooManyImages,
    /// `too-many-related`: more related items than the limit; the first are published.
    TooManyRelated,
    /// `too-many-topics`: more topics than the limit; the first are published.
    TooManyTopics,
    /// `unknown-name`: a name in the settings' `topics:`, `providers:` or `categories:` that no feed has; its text is unused.
    UnknownName,
    /// `yaml`: front matter that is not valid YAML, or a value of the wrong type.
    Yaml,
}

impl ProblemKind {
    /// Every kind, in the order of their names.
    pub const ALL: [ProblemKind; 21] = [
        ProblemKind::BadDate,
        ProblemKind::BadUrl,
        ProblemKind::Duplicate,
        ProblemKind::Empty,
        ProblemKind::EmptyTopic,
        ProblemKind::Encoding,
        ProblemKind::ForeignKey,
        ProblemKind::FrontMatter,
        ProblemKind::MissingField,
        ProblemKind::NearMiss,
        ProblemKind::OverBudget,
        ProblemKind::Scheduled,
        ProblemKind::SlugCollision,
        ProblemKind::Symlink,
        ProblemKind::TooDeep,
        ProblemKind::TooLarge,
        ProblemKind::TooManyImages,
        ProblemKind::TooManyRelated,
        ProblemKind::TooManyTopics,
        ProblemKind::UnknownName,
        ProblemKind::Yaml,
    ];

    /// Its stable name, as in the JSON report: `bad-url`.
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::BadDate => "bad-date",
            ProblemKind::BadUrl => "bad-url",
            ProblemKind::Duplicate => "duplicate",
            ProblemKind::Empty => "empty",
            ProblemKind::EmptyTopic => "empty-topic",
            ProblemKind::Encoding => "encoding",
            ProblemKind::ForeignKey => "foreign-key",
            ProblemKind::FrontMatter => "front-matter",
            ProblemKind::MissingField => "missing-field",
            ProblemKind::NearMiss => "near-miss",
            ProblemKind::OverBudget => "over-budget",
            ProblemKind::Scheduled => "scheduled",
            ProblemKind::SlugCollision => "slug-collision",
            ProblemKind::Symlink => "symlink",
            ProblemKind::TooDeep => "too-deep",
            ProblemKind::TooLarge => "too-large",
            ProblemKind::TooManyImages => "too-many-images",
            ProblemKind::TooManyRelated => "too-many-related",
            ProblemKind::TooManyTopics => "too-many-topics",
            ProblemKind::UnknownName => "unknown-name",
            ProblemKind::Yaml => "yaml",
        }
    }

    /// What it means, in a line.
    pub fn meaning(self) -> &'static str {
        match self {
            ProblemKind::BadDate => "a date that is not RFC 3339 with a time and an offset, or outside 1970 to 9999",
            ProblemKind::BadUrl => "a link that is not an absolute http(s) URL, or a provider domain that is not a host name",
            ProblemKind::Duplicate => "another file has the same link and is published instead",
            ProblemKind::Empty => "an empty file",
            ProblemKind::EmptyTopic => "an empty topic name, ignored",
            ProblemKind::Encoding => "a file that is not UTF-8",
            ProblemKind::ForeignKey => "another generator's key (`date`, `tags`, `draft`, …) where feedsmith reads another",
            ProblemKind::FrontMatter => "no `---` line to open or close the front matter, or an empty front matter",
            ProblemKind::MissingField => "no title, link or date; an image without a URL; a related item without a title or link",
            ProblemKind::NearMiss => "a key that is a near miss of a known one (`pubished`, `topic`)",
            ProblemKind::OverBudget => "a feed whose files would be over `max_feed_bytes`: older entries were published with their summary, or left out",
            ProblemKind::Scheduled => "dated after the build's clock: held back until a later build",
            ProblemKind::SlugCollision => "names of one kind that share a slug; each gets its own",
            ProblemKind::Symlink => "a symbolic link skipped: to a folder, outside the input, dangling or looping",
            ProblemKind::TooDeep => "front matter nested deeper than the limit",
            ProblemKind::TooLarge => "a file larger than `max_file_bytes`",
            ProblemKind::TooManyImages => "more images than the limit; the first are published",
            ProblemKind::TooManyRelated => "more related items than the limit; the first are published",
            ProblemKind::TooManyTopics => "more topics than the limit; the first are published",
            ProblemKind::UnknownName => "a name in the settings' `topics:`, `providers:` or `categories:` that no feed has; its text is unused",
            ProblemKind::Yaml => "front matter that is not valid YAML, or a value of the wrong type",
        }
    }
}

/// A kind equals its name: `kind == "bad-url"`.
impl PartialEq<&str> for ProblemKind {
    fn eq(&self, name: &&str) -> bool {
        self.name() == *name
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem with one input file, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Problem {
    /// The file, as a path below (or including) the input folder.
    pub path: PathBuf,
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// 1-based column in the file, where known.
    pub column: Option<usize>,
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// What is wrong and, where it helps, how to fix it.
    pub message: String,
}

impl Problem {
    /// An error that rejects the article in `path`.
    pub fn error(path: impl Into<PathBuf>, kind: ProblemKind, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            line: None,
            column: None,
            severity: Severity::Error,
            kind,
            message: message.into(),
        }
    }

    /// A warning about `path`: the article is still published.
    pub fn warning(
        path: impl Into<PathBuf>,
        kind: ProblemKind,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(path, kind, message)
        }
    }

    /// The same problem, pinned to a line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// True when the problem rejects its article.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_listed_once_in_the_order_of_their_names_which_serde_writes() {
        let names: Vec<&str> = ProblemKind::ALL.iter().map(|k| k.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "in name order, each once");
        for kind in ProblemKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            let back: ProblemKind = serde_json::from_str(&json).unwrap();
            assert_eq!(back, kind);
            assert!(kind.meaning().len() > 10, "{kind}");
        }
        // Sorting by kind sorts by name, as problems did when kinds were strings.
        let mut by_kind = ProblemKind::ALL;
        by_kind.sort();
        assert_eq!(by_kind, ProblemKind::ALL);
    }
}
