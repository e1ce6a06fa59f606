//! `feedsmith completions`: a shell completion script, made from the command-line
//! definition.

use clap::Args;

use super::common::{exit_help, ExitStatus, ERROR};

/// Print a shell completion script (for example: feedsmith completions bash >
/// /etc/bash_completion.d/feedsmith).
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct CompletionsArgs {
    /// The shell.
    pub(crate) shell: clap_complete::Shell,
}

/// `completions`' exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[(0, "the script was printed"), ERROR];

/// Prints the script for the command line `cli` on stdout.
pub(crate) fn run(args: CompletionsArgs, mut cli: clap::Command) -> Result<u8, feedsmith::Error> {
    clap_complete::generate(args.shell, &mut cli, "feedsmith", &mut std::io::stdout());
    Ok(0)
}
