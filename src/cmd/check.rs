//! `feedsmith check`: every article validated, nothing written but the cache.

use clap::Args;

use feedsmith::report::plural;
use feedsmith::{Run, Settings};

use super::common::{
    exit_help, print_failure, print_machine, CommonArgs, ExitStatus, ReportFormat, ERROR,
};
use crate::shell::Shell;

/// Validate every article without writing anything.
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// `json` also prints one JSON document with the counts and every problem on stdout
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub(crate) report: ReportFormat,
}

/// `check`'s exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[
    (0, "every article is valid"),
    (1, "an article is invalid"),
    ERROR,
];

/// Checks, tells what was found, and gives the exit status. With `--report json`, a run that
/// fails still prints a JSON document.
pub(crate) fn run(args: CheckArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let format = args.report;
    check(args, shell).inspect_err(|e| print_failure(format, e))
}

fn check(args: CheckArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let settings = Settings::resolve_for_check(args.common.overrides())?;
    let report = feedsmith::check_with(&settings, &shell.progress())?;
    let status = report.exit_code();
    shell.problems(&report);
    shell.info(format_args!(
        "feedsmith: {}",
        report.summary.line(Run::Check, report.stopped)
    ));
    if report.stopped {
        shell.error(format_args!(
            "feedsmith: {} to fix before a build can publish",
            plural(
                report.summary.rejected,
                "invalid article",
                "invalid articles"
            )
        ));
    }
    print_machine(&report, args.report, &report.to_json("check", status));
    Ok(status as u8)
}
