//! `feedsmith ping`, and `build --ping`: the WebSub hubs told which feeds changed, what they
//! answered on stderr and in the JSON report, and the exit status.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use feedsmith::report::{plural, Hub, WebSub};
use feedsmith::websub::{self, Policy, Publisher};
use feedsmith::{Overrides, Report, Settings};

use super::common::{exit_help, ExitStatus};
use crate::shell::Shell;

/// Notify every WebSub hub (`hub` in the settings file) of every feed in the output folder,
/// for a first subscription or a hub that missed a `build --ping`.
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct PingArgs {
    /// Settings file; without this flag, feedsmith.yaml is read when it exists
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Folder the feeds were written to [default: feeds, or `output` in the settings file]
    #[arg(long, value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// Absolute URL the output folder is served at (overrides `base_url` in the settings
    /// file)
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
}

/// `ping`'s exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[
    (0, "every hub took the notification"),
    (
        2,
        "a usage, settings or I/O error (also: no hub is configured, no feed is built yet)",
    ),
    (STATUS as u8, "a hub did not take the notification"),
];

/// The exit status when the feeds were written but a hub did not take the notification.
pub(crate) const STATUS: i32 = 3;

impl PingArgs {
    /// The overrides these flags make.
    fn overrides(&self) -> Overrides {
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

/// `feedsmith ping`: every feed the output folder holds, to every hub.
pub(crate) fn run(args: PingArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let settings = Settings::resolve(args.overrides())?;
    let policy = policy_from_env()?;
    if settings.site.hubs.is_empty() {
        return Err(feedsmith::Error::config(
            None,
            "no hub is configured: add `hub: https://…` to the settings file (see \"WebSub\" in docs/ci-and-hosting.md)",
        ));
    }
    let feeds = websub::published(&settings.output)?;
    let topics = websub::topics(&settings.site.base_url, &feeds);
    let hubs = notify(&settings.site.hubs, &topics, policy, shell);
    Ok(if hubs.iter().all(|hub| hub.notified) {
        0
    } else {
        STATUS as u8
    })
}

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

/// `build --ping`: notifies the hubs of the feeds a build changed, or says why none is; the
/// JSON report's `websub` part, in which every hub `notified` when all took it.
pub(crate) fn after_build(
    settings: &Settings,
    report: &Report,
    dry_run: bool,
    policy: Policy,
    shell: &Shell,
) -> WebSub {
    match websub::after_build(&settings.site, report, dry_run) {
        Err(skip) => {
            shell.info(format_args!("feedsmith: {skip}"));
            WebSub {
                skipped: Some(skip.to_string()),
                ..WebSub::default()
            }
        }
        Ok(topics) => {
            let hubs = notify(&settings.site.hubs, &topics, policy, shell);
            if !hubs.iter().all(|hub| hub.notified) {
                shell.error(
                    "feedsmith: the feeds were written; `feedsmith ping` notifies the hubs of every feed once they take it",
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

/// `deploy --ping` (and `build --deploy --ping`): notifies the hubs of the feeds whose
/// objects a deploy uploaded (after it, never before), or says why none is.
#[cfg(feature = "deploy")]
pub(crate) fn after_deploy(
    settings: &Settings,
    deployment: &feedsmith::deploy::Deployment,
    policy: Policy,
    shell: &Shell,
) -> WebSub {
    let report = Report {
        changed: deployment.uploaded_paths(),
        ..Report::default()
    };
    match websub::after_build(&settings.site, &report, deployment.dry_run) {
        Err(skip) => {
            let skip = skip.to_string().replace("(--check)", "(--dry-run)");
            shell.info(format_args!("feedsmith: {skip}"));
            WebSub {
                skipped: Some(skip),
                ..WebSub::default()
            }
        }
        Ok(topics) => {
            let hubs = notify(&settings.site.hubs, &topics, policy, shell);
            if !hubs.iter().all(|hub| hub.notified) {
                shell.error(
                    "feedsmith: the files were deployed; `feedsmith ping` notifies the hubs of every feed once they take it",
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

/// Each hub in turn, each outcome on stderr.
fn notify(hubs: &[String], topics: &[String], policy: Policy, shell: &Shell) -> Vec<Hub> {
    let publisher = Publisher::new(policy);
    hubs.iter()
        .map(|hub| match publisher.notify(hub, topics) {
            Ok(delivery) => {
                shell.info(format_args!(
                    "feedsmith: notified hub {hub} of {} (HTTP {})",
                    plural(topics.len(), "feed", "feeds"),
                    delivery.status
                ));
                Hub {
                    attempts: delivery.attempts,
                    error: None,
                    hub: hub.clone(),
                    notified: true,
                    status: Some(delivery.status),
                }
            }
            Err(refusal) => {
                shell.error(format_args!("feedsmith: error: {refusal}"));
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
