//! `feedsmith deploy TARGET`, and `build --deploy TARGET`: the built output folder uploaded
//! to an object store, only what changed; what was uploaded and deleted on stderr and in the
//! JSON report; then, with `--ping`, the WebSub hubs told of the feeds whose objects changed.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use feedsmith::deploy::{self, Deployment, Options, Policy, Target};
use feedsmith::report::{plural, WebSub};
use feedsmith::{Overrides, Settings};

use super::common::{exit_help, print_failure, print_json, ExitStatus, ReportFormat};
use crate::shell::Shell;

/// Upload the built output folder to an object store (S3, R2 and other S3-compatible
/// stores, Google Cloud Storage, Azure Blob) or a local folder: only the files that changed
/// since the last deploy, each with its content type and cache policy; delete the feeds that
/// are gone. Credentials and endpoints come from the environment (docs/ci-and-hosting.md).
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct DeployArgs {
    /// Where to upload: s3://bucket/prefix, gs://bucket/prefix, az://container/prefix or
    /// file:///path
    #[arg(value_name = "TARGET")]
    pub(crate) target: String,
    /// Settings file; without this flag, feedsmith.yaml is read when it exists
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Folder the feeds were built in [default: feeds, or `output` in the settings file]
    #[arg(long, value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// Absolute URL the target is served at (overrides `base_url` in the settings file)
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Upload and delete nothing: list what a deploy would upload and delete
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// `json` also prints one JSON document with what was uploaded and deleted on stdout
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub(crate) report: ReportFormat,
    /// After deploying, notify each WebSub hub (`hub` in the settings file) of the feeds
    /// whose objects changed; a hub that does not take it gives exit status 3
    #[cfg(feature = "websub")]
    #[arg(long)]
    pub(crate) ping: bool,
}

/// `deploy`'s exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[
    (
        0,
        "the target holds the output folder's files (or, with --dry-run, the changes were listed)",
    ),
    (
        2,
        "a usage, settings or I/O error, or the store refused or failed (access denied, no such bucket, no answer after retries); deploying again completes an interrupted deploy",
    ),
    (
        3,
        "the files were deployed but a hub did not take the --ping",
    ),
];

impl DeployArgs {
    /// The overrides these flags make.
    fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            // Deploying reads no article, so it needs no cache.
            no_cache: true,
            ..Overrides::default()
        }
    }
}

/// The JSON report of `deploy`: the command, the deploy, the status and the pings.
#[derive(Debug, Serialize)]
struct Json<'a> {
    command: &'a str,
    deploy: &'a Deployment,
    status: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    websub: Option<WebSub>,
}

/// `feedsmith deploy`. With `--report json`, a run that fails still prints a JSON document.
pub(crate) fn run(args: DeployArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let format = args.report;
    deploy_command(args, shell).inspect_err(|e| print_failure(format, e))
}

fn deploy_command(args: DeployArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let settings = Settings::resolve(args.overrides())?;
    let target = Target::parse(&args.target)?;
    #[cfg(feature = "websub")]
    let policy = if args.ping {
        Some(super::ping::policy_from_env()?)
    } else {
        None
    };
    let deployment = deploy_and_tell(&settings, &target, args.dry_run, shell)?;
    let mut status = 0;
    #[cfg_attr(not(feature = "websub"), allow(unused_mut))]
    let mut websub = None;
    #[cfg(feature = "websub")]
    if let Some(policy) = policy {
        let sent = super::ping::after_deploy(&settings, &deployment, policy, shell);
        if !sent.hubs.iter().all(|hub| hub.notified) {
            status = super::ping::STATUS;
        }
        websub = Some(sent);
    }
    if args.report == ReportFormat::Json {
        print_json(&Json {
            command: "deploy",
            deploy: &deployment,
            status,
            websub,
        });
    }
    Ok(status as u8)
}

/// Deploys the output folder of `settings` to `target` and says what happened: each file
/// uploaded or deleted (listed at `-v`, or always in a dry run), then one summary line.
pub(crate) fn deploy_and_tell(
    settings: &Settings,
    target: &Target,
    dry_run: bool,
    shell: &Shell,
) -> Result<Deployment, feedsmith::Error> {
    let options = Options {
        dry_run,
        policy: policy_from_env()?,
        stop_after: stop_after_from_env()?,
    };
    let deployment = deploy::deploy(&settings.output, &settings.site, target, &options)?;
    let (upload, delete) = if dry_run {
        ("would upload", "would delete")
    } else {
        ("uploaded", "deleted")
    };
    let list = |line: String| {
        if dry_run {
            shell.info(line);
        } else {
            shell.detail(line);
        }
    };
    for path in &deployment.uploaded {
        list(format!("{upload} {path}"));
    }
    for path in &deployment.deleted {
        list(format!("{delete} {path}"));
    }
    shell.info(format_args!(
        "feedsmith: {} {}, {} {}, {} unchanged ({}){}",
        upload,
        plural(deployment.uploaded.len(), "file", "files"),
        delete,
        deployment.deleted.len(),
        deployment.unchanged,
        plural(
            deployment.requests.get + deployment.requests.put + deployment.requests.delete,
            "request",
            "requests"
        ),
        if dry_run {
            format!(" for {}", deployment.target)
        } else {
            format!(" to {}", deployment.target)
        }
    ));
    Ok(deployment)
}

/// The retry policy, with the first wait, the timeout and the retries adjustable through
/// `FEEDSMITH_DEPLOY_BACKOFF_MS`, `FEEDSMITH_DEPLOY_TIMEOUT_MS` and
/// `FEEDSMITH_DEPLOY_RETRIES` (for slow stores, and for tests that must not wait seconds).
fn policy_from_env() -> Result<Policy, feedsmith::Error> {
    let mut policy = Policy::default();
    if let Some(ms) = number("FEEDSMITH_DEPLOY_BACKOFF_MS")? {
        policy.backoff = Duration::from_millis(ms as u64);
    }
    if let Some(ms) = number("FEEDSMITH_DEPLOY_TIMEOUT_MS")? {
        policy.timeout = Duration::from_millis(ms.max(1) as u64);
    }
    if let Some(n) = number("FEEDSMITH_DEPLOY_RETRIES")? {
        policy.retries = n;
    }
    Ok(policy)
}

/// `FEEDSMITH_DEPLOY_STOP_AFTER=N`, for the tests of an interrupted deploy: stop after N
/// uploads, as a deploy killed then would.
fn stop_after_from_env() -> Result<Option<usize>, feedsmith::Error> {
    number("FEEDSMITH_DEPLOY_STOP_AFTER")
}

/// The number in the environment variable `name`, if it is set.
fn number(name: &str) -> Result<Option<usize>, feedsmith::Error> {
    match std::env::var(name) {
        Err(_) => Ok(None),
        Ok(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
            feedsmith::Error::config(None, format!("{name}={v:?} is not a whole number"))
        }),
    }
}
