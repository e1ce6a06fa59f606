//! The `feedsmith` binary: parse arguments, resolve settings, run, map the outcome to an exit
//! status (0 success, 1 invalid articles, 2 usage, settings or I/O error).

mod cli;

use std::process::ExitCode;

use clap::Parser;

use feedsmith::{Output, Report, Settings};

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("feedsmith: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: cli::Cli) -> Result<u8, feedsmith::Error> {
    let report = match cli.command {
        cli::Command::Build(args) => {
            let settings = Settings::resolve(args.overrides())?;
            let report = feedsmith::build(&settings, &Output::new(&settings.output))?;
            print(&report);
            if report.stopped {
                eprintln!(
                    "feedsmith: {} invalid article(s); nothing was written. Fix them, or pass --skip-invalid to publish the rest.",
                    report.summary.rejected
                );
            }
            report
        }
        cli::Command::Check(args) => {
            let settings = Settings::resolve_for_check(args.overrides())?;
            let report = feedsmith::check(&settings)?;
            print(&report);
            report
        }
    };
    Ok(report.exit_code() as u8)
}

fn print(report: &Report) {
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    eprintln!("feedsmith: {}", report.summary);
}
