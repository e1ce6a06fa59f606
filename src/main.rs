//! The `feedsmith` binary: parse arguments, resolve settings, run, map the outcome to an exit
//! status (0 success, 1 invalid articles or out-of-date output, 2 usage, settings or I/O
//! error, 3 written but a WebSub hub did not take the notification).

mod cli;
mod diagnostic;
mod progress;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use feedsmith::report::plural;
use feedsmith::{Output, Report, Run, Settings};

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
                print_json(&feedsmith::report::JsonError::new(&e));
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: cli::Cli) -> Result<u8, feedsmith::Error> {
    match cli.command {
        Command::Build(args) => {
            let settings = Settings::resolve(args.overrides())?;
            #[cfg(feature = "websub")]
            let policy = if args.ping {
                Some(ping::policy_from_env()?)
            } else {
                None
            };
            let output = if args.check {
                Output::dry_run(&settings.output)
            } else {
                Output::new(&settings.output)
            };
            let report = feedsmith::build_with(&settings, &output, &progress::Bar::for_stderr())?;
            let mut status = report.exit_code();
            print_problems(&report);
            let run = if args.check { Run::DryRun } else { Run::Build };
            if args.check && !report.stopped {
                for path in &report.changed {
                    eprintln!("would write {}", settings.output.join(path).display());
                }
                for path in &report.removed {
                    eprintln!("would remove {}", settings.output.join(path).display());
                }
            }
            eprintln!("feedsmith: {}", report.summary.line(run, report.stopped));
            // The line to act on comes last, after the problems and the counts.
            if report.stopped {
                let invalid = report.summary.rejected;
                eprintln!(
                    "feedsmith: {}; nothing was written. Fix {}, or pass --skip-invalid to publish the rest.",
                    plural(invalid, "invalid article", "invalid articles"),
                    if invalid == 1 { "it" } else { "them" }
                );
            } else if args.check {
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
            #[cfg_attr(not(feature = "websub"), allow(unused_mut))]
            let mut json = report.to_json("build", status);
            #[cfg(feature = "websub")]
            if let Some(policy) = policy {
                let websub = ping::after_build(&settings, &report, args.check, policy);
                if !websub.hubs.iter().all(|hub| hub.notified) {
                    status = ping::STATUS;
                }
                json.status = status;
                json.websub = Some(websub);
            }
            print_machine(&report, args.report, &json);
            Ok(status as u8)
        }
        #[cfg(feature = "websub")]
        Command::Ping(args) => {
            let settings = Settings::resolve(args.overrides())?;
            ping::every_feed(&settings, ping::policy_from_env()?)
        }
        Command::Check(args) => {
            let settings = Settings::resolve_for_check(args.common.overrides())?;
            let report = feedsmith::check_with(&settings, &progress::Bar::for_stderr())?;
            let status = report.exit_code();
            print_problems(&report);
            eprintln!(
                "feedsmith: {}",
                report.summary.line(Run::Check, report.stopped)
            );
            if report.stopped {
                eprintln!(
                    "feedsmith: {} to fix before a build can publish",
                    plural(
                        report.summary.rejected,
                        "invalid article",
                        "invalid articles"
                    )
                );
            }
            print_machine(&report, args.report, &report.to_json("check", status));
            Ok(status as u8)
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

/// The problems, as rustc shows its errors (see `diagnostic`), on stderr.
fn print_problems(report: &Report) {
    let renderer = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        annotate_snippets::Renderer::styled()
    } else {
        annotate_snippets::Renderer::plain()
    };
    for problem in &report.problems {
        eprint!("{}", diagnostic::render(problem, &renderer));
    }
}

/// GitHub annotations when in GitHub Actions, and `json` (the report as JSON) when asked.
fn print_machine(report: &Report, format: ReportFormat, json: &impl serde::Serialize) {
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
fn print_json(json: &impl serde::Serialize) {
    // A report holds only strings, numbers and lists: it always serialises.
    if let Ok(text) = serde_json::to_string(json) {
        println!("{text}");
    }
}

/// Serves a preview until Ctrl-C. Self links point at the preview itself, so readers and
/// browsers pointed at it follow links that work.
#[cfg(feature = "serve")]
fn serve(args: cli::ServeArgs) -> Result<u8, feedsmith::Error> {
    let overrides = feedsmith::Overrides {
        base_url: Some(format!("http://127.0.0.1:{}/", args.port)),
        allow_empty: true,
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

/// `build --ping` and `ping`: what to send, the messages, the exit status.
#[cfg(feature = "websub")]
mod ping {
    use std::time::Duration;

    use feedsmith::report::{Hub, WebSub};
    use feedsmith::websub::{self, Policy, Publisher};
    use feedsmith::{Report, Settings};

    /// The exit status when the feeds were written but a hub did not take the notification.
    pub(crate) const STATUS: i32 = 3;

    /// The retry policy, with the waits and the timeout adjustable through
    /// `FEEDSMITH_PING_BACKOFF_MS` and `FEEDSMITH_PING_TIMEOUT_MS` (milliseconds; for slow
    /// hubs, and for tests that must not wait seconds).
    pub(crate) fn policy_from_env() -> Result<Policy, feedsmith::Error> {
        let mut policy = Policy::default();
        let millis = |name: &str| -> Result<Option<Duration>, feedsmith::Error> {
            match std::env::var(name) {
                Err(_) => Ok(None),
                Ok(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(|ms| Some(Duration::from_millis(ms)))
                    .map_err(|_| {
                        feedsmith::Error::config(
                            None,
                            format!("{name}={v:?} is not a number of milliseconds"),
                        )
                    }),
            }
        };
        if let Some(backoff) = millis("FEEDSMITH_PING_BACKOFF_MS")? {
            policy.backoff = backoff;
        }
        if let Some(timeout) = millis("FEEDSMITH_PING_TIMEOUT_MS")? {
            policy.timeout = timeout.max(Duration::from_millis(1));
        }
        Ok(policy)
    }

    /// Notifies the hubs of the feeds a build changed, or says why none is; returns the
    /// JSON report's `websub` part, in which every hub `notified` when all took it.
    pub(crate) fn after_build(
        settings: &Settings,
        report: &Report,
        dry_run: bool,
        policy: Policy,
    ) -> WebSub {
        match websub::after_build(&settings.site, report, dry_run) {
            Err(skip) => {
                eprintln!("feedsmith: {skip}");
                WebSub {
                    skipped: Some(skip.to_string()),
                    ..WebSub::default()
                }
            }
            Ok(topics) => {
                let hubs = notify(&settings.site.hubs, &topics, policy);
                if !hubs.iter().all(|hub| hub.notified) {
                    eprintln!(
                        "feedsmith: the feeds were written; `feedsmith ping` notifies the hubs of every feed once they take it"
                    );
                }
                WebSub {
                    hubs,
                    skipped: None,
                    topics,
                }
            }
        }
    }

    /// `feedsmith ping`: every feed the output folder holds, to every hub.
    pub(crate) fn every_feed(settings: &Settings, policy: Policy) -> Result<u8, feedsmith::Error> {
        if settings.site.hubs.is_empty() {
            return Err(feedsmith::Error::config(
                None,
                "no hub is configured: add `hub: https://…` to the settings file (see the README's WebSub section)",
            ));
        }
        let feeds = websub::published(&settings.output)?;
        let topics = websub::topics(&settings.site.base_url, &feeds);
        let hubs = notify(&settings.site.hubs, &topics, policy);
        Ok(if hubs.iter().all(|hub| hub.notified) {
            0
        } else {
            STATUS as u8
        })
    }

    /// Each hub in turn, each outcome on stderr.
    fn notify(hubs: &[String], topics: &[String], policy: Policy) -> Vec<Hub> {
        let publisher = Publisher::new(policy);
        hubs.iter()
            .map(|hub| match publisher.notify(hub, topics) {
                Ok(delivery) => {
                    eprintln!(
                        "feedsmith: notified hub {hub} of {} (HTTP {})",
                        feedsmith::report::plural(topics.len(), "feed", "feeds"),
                        delivery.status
                    );
                    Hub {
                        attempts: delivery.attempts,
                        error: None,
                        hub: hub.clone(),
                        notified: true,
                        status: Some(delivery.status),
                    }
                }
                Err(refusal) => {
                    eprintln!("feedsmith: error: {refusal}");
                    Hub {
                        attempts: refusal.attempts,
                        error: Some(refusal.to_string()),
                        hub: hub.clone(),
                        notified: false,
                        status: refusal.status,
                    }
                }
            })
            .collect()
    }
}
