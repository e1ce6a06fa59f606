//! Problems with one input file, and how serious each is: the vocabulary every stage uses to
//! say what went wrong with an article, located as precisely as it can be.

use std::borrow::Cow;
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
    /// A stable, machine-readable name for the kind of problem (`yaml`, `missing-field`, ...).
    pub kind: Cow<'static, str>,
    /// What is wrong and, where it helps, how to fix it.
    pub message: String,
}

impl Problem {
    /// An error that rejects the article in `path`.
    pub fn error(path: impl Into<PathBuf>, kind: &'static str, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            line: None,
            column: None,
            severity: Severity::Error,
            kind: Cow::Borrowed(kind),
            message: message.into(),
        }
    }

    /// A warning about `path`: the article is still published.
    pub fn warning(
        path: impl Into<PathBuf>,
        kind: &'static str,
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
