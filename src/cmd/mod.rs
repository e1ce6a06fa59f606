//! The command line: the global flags and one file per subcommand, each with its arguments
//! (a clap `Args` struct, a literal record of the flags) and its `run`, which resolves them
//! into [`feedsmith::Settings`] once and does the work; in the manner of mdBook's `src/cmd/`.
//! `main` parses and hands the arguments to the `run` of the command named.
//!
//! Each command's exit statuses are one list (`EXIT` in its file), shown at the end of its
//! `--help`. The subcommands never reach back up here: `completions` and `manpage` are
//! handed the command line they describe.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod common;
pub(crate) mod completions;
pub(crate) mod manpage;
#[cfg(feature = "websub")]
pub(crate) mod ping;
#[cfg(feature = "serve")]
pub(crate) mod serve;

use clap::{Args, Parser, Subcommand};

use crate::shell::Verbosity;

/// Publish a folder of news-article documents as RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds:
/// one for all articles and one per topic, provider and category, with an index page and OPML.
#[derive(Debug, Parser)]
#[command(name = "feedsmith", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The heading of the flags every command takes.
const GLOBAL: &str = "Global options";

/// The flags every command takes, before or after its name.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Print problems and errors only: no summary, no progress line
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = GLOBAL
    )]
    pub(crate) quiet: bool,
    /// Also print each file written or removed
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub(crate) verbose: bool,
}

impl Global {
    /// How much the run says.
    pub(crate) fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }
}

/// The subcommands, in the order `--help` lists them.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Build(build::BuildArgs),
    Check(check::CheckArgs),
    #[cfg(feature = "websub")]
    Ping(ping::PingArgs),
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    Completions(completions::CompletionsArgs),
    Manpage(manpage::ManpageArgs),
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
