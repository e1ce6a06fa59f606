//! The command line: the global flags and one file per subcommand, each with its arguments
//! (a clap `Args` struct, a literal record of the flags) and its `run`, which resolves them
//! into [`feedsmith::Settings`] once and does the work; in the manner of mdBook's `src/cmd/`.
//! `main` parses and hands the arguments to the `run` of the command named.
//!
//! Each command's exit statuses are one list (`EXIT` in its file, [`exit_statuses`] by name),
//! shown at the end of its `--help` and in its man page. The subcommands never reach back up
//! here: `completions` and `manpage` are handed the command line they describe.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod common;
pub(crate) mod completions;
#[cfg(feature = "deploy")]
pub(crate) mod deploy;
pub(crate) mod init;
pub(crate) mod manpage;
#[cfg(feature = "websub")]
pub(crate) mod ping;
#[cfg(feature = "serve")]
pub(crate) mod serve;

use clap::{Args, Parser, Subcommand};

use crate::shell::Verbosity;
use common::ExitStatus;

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
    Init(init::InitArgs),
    Build(build::BuildArgs),
    Check(check::CheckArgs),
    #[cfg(feature = "deploy")]
    Deploy(deploy::DeployArgs),
    #[cfg(feature = "websub")]
    Ping(ping::PingArgs),
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    Completions(completions::CompletionsArgs),
    Manpage(manpage::ManpageArgs),
}

/// The exit statuses of the subcommand `name` (as the command line spells it), or of the
/// whole program for its own name.
pub(crate) fn exit_statuses(name: &str) -> Option<&'static [ExitStatus]> {
    Some(match name {
        "feedsmith" => common::EVERY_STATUS,
        "init" => init::EXIT,
        "build" => build::EXIT,
        "check" => check::EXIT,
        #[cfg(feature = "deploy")]
        "deploy" => deploy::EXIT,
        #[cfg(feature = "websub")]
        "ping" => ping::EXIT,
        #[cfg(feature = "serve")]
        "serve" => serve::EXIT,
        "completions" => completions::EXIT,
        "manpage" => manpage::EXIT,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed_and_every_subcommand_lists_its_exit_statuses() {
        let cli = Cli::command();
        cli.clone().debug_assert();
        for sub in cli.get_subcommands() {
            let statuses = exit_statuses(sub.get_name())
                .unwrap_or_else(|| panic!("no exit statuses for {}", sub.get_name()));
            assert!(statuses.iter().any(|(s, _)| *s == 2), "{}", sub.get_name());
        }
    }
}
