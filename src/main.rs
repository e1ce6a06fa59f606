//! The `feedsmith` binary: parse arguments, resolve settings, run, map the outcome to an exit
//! status (0 success, 1 invalid articles or out-of-date output, 2 usage, settings or I/O
//! error).

mod cli;
mod diagnostic;
mod progress;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use feedsmith::{Output, Report, Settings};

use cli::{Command, ReportFormat};

/// mimalloc instead of the system allocator: parsing allocates many small, short-lived
/// values on every core, where glibc's malloc spent a sixth of a build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let json = match &cli.command {
        Command::Build(a) => a.report == ReportFormat::Json,
        Command::Check(a) => a.report == ReportFormat::Json,
        _ => false,
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("feedsmith: error: {e}");
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "status": 2, "error": e.to_string() })
                );
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: cli::Cli) -> Result<u8, feedsmith::Error> {
    match cli.command {
        Command::Build(args) => {
            let settings = Settings::resolve(args.overrides())?;
            let output = if args.check {
                Output::dry_run(&settings.output)
            } else {
                Output::new(&settings.output)
            };
            let report = feedsmith::build_with(&settings, &output, &progress::Bar::for_stderr())?;
            let mut status = report.exit_code();
            if report.stopped {
                eprintln!(
                    "feedsmith: {} invalid article(s); nothing was written. Fix them, or pass --skip-invalid to publish the rest.",
                    report.summary.rejected
                );
            } else if args.check {
                for path in &report.changed {
                    eprintln!("would write {}", settings.output.join(path).display());
                }
                for path in &report.removed {
                    eprintln!("would remove {}", settings.output.join(path).display());
                }
                if report.changed.is_empty() && report.removed.is_empty() {
                    eprintln!("feedsmith: {} is up to date", settings.output.display());
                } else {
                    eprintln!(
                        "feedsmith: {} is out of date: run `feedsmith build` and commit the result",
                        settings.output.display()
                    );
                    status = 1;
                }
            }
            finish(&report, "build", status, args.report)
        }
        Command::Check(args) => {
            let settings = Settings::resolve_for_check(args.common.overrides())?;
            let report = feedsmith::check_with(&settings, &progress::Bar::for_stderr())?;
            let status = report.exit_code();
            finish(&report, "check", status, args.report)
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve(args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut cli::Cli::command(),
                "feedsmith",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
        Command::Manpage => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cli::Cli::command())
                .render(&mut out)
                .map_err(|e| feedsmith::Error::io("stdout", "writing", e))?;
            std::io::stdout()
                .write_all(&out)
                .map_err(|e| feedsmith::Error::io("stdout", "writing", e))?;
            Ok(0)
        }
    }
}

/// Prints the problems and summary (stderr), the JSON report and GitHub annotations (stdout)
/// as asked, and returns the exit status.
fn finish(
    report: &Report,
    command: &str,
    status: i32,
    format: ReportFormat,
) -> Result<u8, feedsmith::Error> {
    let renderer = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        annotate_snippets::Renderer::styled()
    } else {
        annotate_snippets::Renderer::plain()
    };
    for problem in &report.problems {
        eprint!("{}", diagnostic::render(problem, &renderer));
    }
    eprintln!("feedsmith: {}", report.summary);
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
        println!("{}", report.to_json(command, status));
    }
    Ok(status as u8)
}

/// Serves a preview until Ctrl-C. Self links point at the preview itself, so readers and
/// browsers pointed at it follow links that work.
#[cfg(feature = "serve")]
fn serve(args: cli::ServeArgs) -> Result<u8, feedsmith::Error> {
    let overrides = feedsmith::Overrides {
        base_url: Some(format!("http://127.0.0.1:{}/", args.port)),
        limit: args.limit.map(|n| n as usize),
        ..args.common.overrides()
    };
    let settings = Settings::resolve(overrides.clone())?;
    let mut server = feedsmith::serve::Server::bind(settings, args.port)?;
    let config = overrides.config.clone().or_else(|| {
        let path = std::path::Path::new(feedsmith::settings::DEFAULT_CONFIG);
        path.is_file().then(|| path.to_path_buf())
    });
    if let Some(path) = config {
        server = server.watch_config(path, move || Settings::resolve(overrides.clone()));
    }
    server.run(args.open)?;
    Ok(0)
}
