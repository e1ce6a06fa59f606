//! `feedsmith manpage`: the manual page, made from the command-line definition with
//! clap_mangen.

use std::io::Write;

use clap::Args;

use super::common::{exit_help, ExitStatus, ERROR};

/// Print the manual page in roff (for example: feedsmith manpage > feedsmith.1).
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct ManpageArgs {}

/// `manpage`'s exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[(0, "the page was printed"), ERROR];

/// Prints the page of the command line `cli` on stdout.
pub(crate) fn run(_: ManpageArgs, cli: clap::Command) -> Result<u8, feedsmith::Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cli)
        .render(&mut out)
        .map_err(|e| feedsmith::Error::io("stdout", "writing", e))?;
    std::io::stdout()
        .write_all(&out)
        .map_err(|e| feedsmith::Error::io("stdout", "writing", e))?;
    Ok(0)
}
