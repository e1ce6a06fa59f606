//! What the binary tells a person on stderr, and how much (`-q`, `-v`), in the manner of
//! cargo's `Shell`: problems and errors always; summaries, progress and what happened unless
//! quiet; each file written or removed only when verbose.

use std::fmt::Display;
use std::io::IsTerminal;

use feedsmith::Report;

use crate::diagnostic;
use crate::progress;

/// How much a run says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verbosity {
    /// `-q`: problems and errors only.
    Quiet,
    /// The summary line, the progress line and what a command did, too.
    Normal,
    /// `-v`: also each file written or removed.
    Verbose,
}

/// Stderr, at one [`Verbosity`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shell {
    verbosity: Verbosity,
}

impl Shell {
    pub(crate) fn new(verbosity: Verbosity) -> Shell {
        Shell { verbosity }
    }

    #[cfg(feature = "serve")]
    pub(crate) fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// A line about what happened (a summary, a file listed, what to do next): not when
    /// quiet.
    pub(crate) fn info(&self, line: impl Display) {
        if self.verbosity != Verbosity::Quiet {
            eprintln!("{line}");
        }
    }

    /// A line about one file written or removed: only when verbose.
    pub(crate) fn detail(&self, line: impl Display) {
        if self.verbosity == Verbosity::Verbose {
            eprintln!("{line}");
        }
    }

    /// A line that says why the exit status is not 0, or what failed: always.
    pub(crate) fn error(&self, line: impl Display) {
        eprintln!("{line}");
    }

    /// The problems, as rustc shows its errors (see `diagnostic`): always.
    pub(crate) fn problems(&self, report: &Report) {
        let renderer = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        {
            annotate_snippets::Renderer::styled()
        } else {
            annotate_snippets::Renderer::plain()
        };
        for problem in &report.problems {
            eprint!("{}", diagnostic::render(problem, &renderer));
        }
    }

    /// The progress line of a long build: none when quiet.
    pub(crate) fn progress(&self) -> progress::Bar {
        progress::Bar::for_stderr(self.verbosity != Verbosity::Quiet)
    }

    /// The exit status of a command's outcome; an error is told (`feedsmith: error: …`)
    /// and is status 2.
    pub(crate) fn exit(&self, outcome: Result<u8, feedsmith::Error>) -> u8 {
        outcome.unwrap_or_else(|e| {
            self.error(format_args!("feedsmith: error: {e}"));
            2
        })
    }
}
