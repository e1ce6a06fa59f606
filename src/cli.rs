//! The command-line syntax, and nothing else: flags are turned into [`Overrides`] here and
//! never read again.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use feedsmith::Overrides;

/// Publish a folder of news-article documents as RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds:
/// one for all articles and one per topic, provider and category, with an index page and OPML.
#[derive(Debug, Parser)]
#[command(name = "feedsmith", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build every feed from the articles in the input folder.
    ///
    /// Exit status: 0 when the feeds were written (or were already up to date), 1 when
    /// invalid articles stopped the build (nothing written), 2 on a usage, settings or I/O
    /// error, 3 when the feeds were written but a hub did not take the `--ping`.
    Build(BuildArgs),
    /// Validate every article without writing anything.
    ///
    /// Exit status: 0 when every article is valid, 1 when any is invalid, 2 on a usage,
    /// settings or I/O error.
    Check(CheckArgs),
    /// Notify every WebSub hub (`hub` in the settings file) of every feed in the output
    /// folder, for a first subscription or a hub that missed a `build --ping`.
    ///
    /// Exit status: 0 when every hub took the notification, 2 on a usage, settings or I/O
    /// error (also: no hub configured, no feed built yet), 3 when a hub did not take it.
    #[cfg(feature = "websub")]
    Ping(PingArgs),
    /// Preview the feeds on http://127.0.0.1:PORT/, rebuilt in memory when an article changes.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Print a shell completion script (for example: feedsmith completions bash >
    /// /etc/bash_completion.d/feedsmith).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (for example: feedsmith manpage > feedsmith.1).
    Manpage,
}

/// How to report the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// Problems and the summary line on stderr.
    Text,
    /// Also one JSON document on stdout (see the README for its shape).
    Json,
}

/// Flags for `check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// `json` also prints one JSON document with the counts and every problem on stdout
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub report: ReportFormat,
}

/// Flags for `serve`.
#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Port on 127.0.0.1 to serve on
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Open the index page in a browser
    #[arg(long)]
    pub open: bool,
    /// Most entries per feed (overrides `limit`; default 50)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
}

/// Flags shared by every command.
#[derive(Debug, Args)]
pub(crate) struct CommonArgs {
    /// Folder of article files (.txt, .md, .markdown, .yaml, .yml), read recursively
    /// [default: seeds, or `input` in the settings file]
    #[arg(long, value_name = "DIR")]
    pub input: Option<PathBuf>,
    /// Settings file; without this flag, feedsmith.yaml is read when it exists
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for the build cache, which lets an unchanged article skip parsing
    /// [default: .feedsmith-cache, or `cache_dir` in the settings file]; never inside the
    /// output folder
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
    /// Read every article afresh, without reading or writing the cache
    #[arg(long)]
    pub no_cache: bool,
    /// Go on when the input folder holds no article file; a build then publishes an empty
    /// site and removes every feed it published before (without this flag that stops with
    /// exit status 2, since it is most often a wrong --input)
    #[arg(long)]
    pub allow_empty: bool,
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Folder to write the feeds to [default: feeds, or `output` in the settings file]
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Absolute URL the output folder is served at, used for self links
    /// (overrides `base_url` in the settings file)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Most entries per feed, newest first (overrides `limit`; default 50)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Publish the valid articles even when some are invalid; the rejected ones are listed
    /// and the exit status is 0
    #[arg(long)]
    pub skip_invalid: bool,
    /// Go on when the build would remove more than half of the files it published before
    /// (without this flag that stops with exit status 2 and nothing written)
    #[arg(long)]
    pub allow_removals: bool,
    /// Write nothing: exit 0 when every output file is up to date, 1 when any would change
    /// (each is listed)
    #[arg(long)]
    pub check: bool,
    /// `json` also prints one JSON document with the counts, every problem and the changed
    /// files on stdout
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub report: ReportFormat,
    /// After writing, notify each WebSub hub (`hub` in the settings file) of the feeds that
    /// changed; a hub that does not take it gives exit status 3 (the feeds stay written)
    #[cfg(feature = "websub")]
    #[arg(long)]
    pub ping: bool,
}

/// Flags for `ping`.
#[cfg(feature = "websub")]
#[derive(Debug, Args)]
pub(crate) struct PingArgs {
    /// Settings file; without this flag, feedsmith.yaml is read when it exists
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder the feeds were written to [default: feeds, or `output` in the settings file]
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Absolute URL the output folder is served at (overrides `base_url` in the settings
    /// file)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

#[cfg(feature = "websub")]
impl PingArgs {
    /// The overrides these flags make.
    pub(crate) fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            // Pinging reads no article, so it needs no cache.
            no_cache: true,
            ..Overrides::default()
        }
    }
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
            ..Overrides::default()
        }
    }
}

impl BuildArgs {
    /// The overrides these flags make.
    pub(crate) fn overrides(&self) -> Overrides {
        Overrides {
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            limit: self.limit.map(|n| n as usize),
            skip_invalid: self.skip_invalid,
            allow_removals: self.allow_removals,
            ..self.common.overrides()
        }
    }
}
