//! What several commands share: the input, settings and cache flags, the report format, the
//! machine-readable output (the JSON report, GitHub annotations), the exit statuses'
//! vocabulary and the words for a settings key.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use feedsmith::settings::Key;
use feedsmith::{Overrides, Report};

/// Flags shared by the commands that read articles (`build`, `check`, `serve`).
#[derive(Debug, Args)]
pub(crate) struct CommonArgs {
    /// Folder of article files (.txt, .md, .markdown, .yaml, .yml), read recursively
    /// [default: seeds, or `input` in the settings file]
    #[arg(long, value_name = "DIR")]
    pub(crate) input: Option<PathBuf>,
    /// Settings file; without this flag, feedsmith.yaml is read when it exists
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Folder for the build cache, which lets an unchanged article skip parsing
    /// [default: .feedsmith-cache, or `cache_dir` in the settings file]; never inside the
    /// output folder
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub(crate) cache_dir: Option<PathBuf>,
    /// Read every article afresh, without reading or writing the cache
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// Go on when the input folder holds no article file; a build then publishes an empty
    /// site and removes every feed it published before (without this flag that stops with
    /// exit status 2, since it is most often a wrong --input)
    #[arg(long)]
    pub(crate) allow_empty: bool,
    /// Theme folder: a file there named like a shipped template or asset (page.html,
    /// style.css, …) replaces it [default: `templates` in the settings file]
    #[arg(long, value_name = "DIR")]
    pub(crate) templates: Option<PathBuf>,
    /// Time zone of the dates and times on the pages: an IANA name (Europe/Berlin), an
    /// offset (+01:00) or UTC; the feeds keep each article's own offset [default: UTC, or
    /// `timezone` in the settings file]
    #[arg(long, value_name = "ZONE")]
    pub(crate) timezone: Option<String>,
}

impl CommonArgs {
    /// The overrides these flags make.
    pub(crate) fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            input: self.input.clone(),
            cache_dir: self.cache_dir.clone(),
            no_cache: self.no_cache,
            allow_empty: self.allow_empty,
            templates: self.templates.clone(),
            timezone: self.timezone.clone(),
            ..Overrides::default()
        }
    }
}

/// How to report the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// Problems and the summary line on stderr.
    Text,
    /// Also one JSON document on stdout (docs/command-line.md has its shape).
    Json,
}

/// GitHub annotations when in GitHub Actions, and `json` (the report as JSON) when asked.
pub(crate) fn print_machine(report: &Report, format: ReportFormat, json: &impl Serialize) {
    let annotations = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    if annotations {
        // Workflow commands are read from both streams; with a JSON report on stdout they go
        // to stderr so stdout stays one JSON document.
        let text = report.github_annotations();
        if format == ReportFormat::Json {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    }
    if format == ReportFormat::Json {
        print_json(json);
    }
}

/// One JSON document on stdout, on one line.
pub(crate) fn print_json(json: &impl Serialize) {
    // A report holds only strings, numbers and lists: it always serialises.
    if let Ok(text) = serde_json::to_string(json) {
        println!("{text}");
    }
}

/// When `format` is JSON, the document of a run that failed: `{"error": …, "status": 2}`.
pub(crate) fn print_failure(format: ReportFormat, error: &feedsmith::Error) {
    if format == ReportFormat::Json {
        print_json(&feedsmith::report::JsonError::new(error));
    }
}

/// What a settings key does and its default, as one sentence: the comment `init` writes
/// above the key and the man page's line under it.
pub(crate) fn describe(key: &Key) -> String {
    let mut chars = key.meaning.chars();
    let first = chars.next().map(|c| c.to_uppercase().to_string());
    let default = match key.default {
        Some(default) => format!("Default: {default}."),
        None if key.required() => "Required to build.".to_string(),
        None => "Default: none.".to_string(),
    };
    format!("{}{}. {default}", first.unwrap_or_default(), chars.as_str())
}

/// An exit status and when a command ends with it.
pub(crate) type ExitStatus = (u8, &'static str);

/// The error status every command shares (some say more of what it covers).
pub(crate) const ERROR: ExitStatus = (2, "a usage, settings or I/O error");

/// Every status any command ends with, for the top man page.
pub(crate) const EVERY_STATUS: &[ExitStatus] = &[
    (0, "success: the feeds were written or were already up to date (build), every article is valid (check); also build --skip-invalid with rejected articles"),
    (1, "invalid articles: build stopped before writing anything, or check found problems; or build --check found output that is not up to date"),
    (2, "a usage, settings or I/O error: each message is one sentence naming the path given and the fix; nothing already published is lost"),
    (3, "build --ping, deploy --ping or ping: the feeds were written (or deployed), but a WebSub hub did not take the notification"),
];

/// The end of a command's `--help`: its exit statuses, each meaning wrapped under itself.
pub(crate) fn exit_help(statuses: &[ExitStatus]) -> String {
    /// Columns a line may take; clap wraps only lines wider than the terminal.
    const WIDTH: usize = 80;
    let mut text = String::from("Exit status:");
    for (status, meaning) in statuses {
        let mut line = format!("  {status} ");
        for word in meaning.split(' ') {
            if line.len() + 1 + word.len() > WIDTH {
                text.push('\n');
                text.push_str(&line);
                line = String::from("    ");
            }
            line.push(' ');
            line.push_str(word);
        }
        text.push('\n');
        text.push_str(&line);
    }
    text
}
