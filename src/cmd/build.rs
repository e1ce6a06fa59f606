//! `feedsmith build`: every feed from the articles in the input folder, written to the output
//! folder (or, with `--check`, compared with it); then, with `--ping`, the WebSub hubs told.

use std::path::PathBuf;

use clap::Args;

use feedsmith::report::plural;
use feedsmith::{Output, Overrides, Run, Settings};

use super::common::{
    exit_help, print_failure, print_machine, CommonArgs, ExitStatus, ReportFormat, ERROR,
};
use crate::shell::Shell;

/// Build every feed from the articles in the input folder.
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Folder to write the feeds to [default: feeds, or `output` in the settings file]
    #[arg(long, value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// Absolute URL the output folder is served at, used for self links
    /// (overrides `base_url` in the settings file)
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Most entries per feed, newest first (overrides `limit`; default 50)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) limit: Option<u32>,
    /// Publish the valid articles even when some are invalid; the rejected ones are listed
    /// and the exit status is 0
    #[arg(long)]
    pub(crate) skip_invalid: bool,
    /// Go on when the build would remove more than half of the files it published before
    /// (without this flag that stops with exit status 2 and nothing written)
    #[arg(long)]
    pub(crate) allow_removals: bool,
    /// Write nothing: exit 0 when every output file is up to date, 1 when any would change
    /// (each is listed)
    #[arg(long)]
    pub(crate) check: bool,
    /// `json` also prints one JSON document with the counts, every problem and the changed
    /// files on stdout
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub(crate) report: ReportFormat,
    /// After writing, notify each WebSub hub (`hub` in the settings file) of the feeds that
    /// changed; a hub that does not take it gives exit status 3 (the feeds stay written)
    #[cfg(feature = "websub")]
    #[arg(long)]
    pub(crate) ping: bool,
    /// After writing, upload the output folder to TARGET as `feedsmith deploy TARGET` does
    /// (s3://bucket/prefix, gs://…, az://…, file:///path); with --ping, the hubs are told
    /// after the deploy, of the feeds whose objects changed
    #[cfg(feature = "deploy")]
    #[arg(long, value_name = "TARGET", conflicts_with = "check")]
    pub(crate) deploy: Option<String>,
}

/// `build`'s exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[
    (
        0,
        "the feeds were written (or were already up to date); also with --skip-invalid when articles were rejected",
    ),
    (
        1,
        "invalid articles stopped the build (nothing was written); with --check, an output file is not up to date",
    ),
    ERROR,
    (
        3,
        "the feeds were written but a hub did not take the --ping",
    ),
];

impl BuildArgs {
    /// The overrides these flags make.
    fn overrides(&self) -> Overrides {
        Overrides {
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            limit: self.limit.map(|n| n as usize),
            skip_invalid: self.skip_invalid,
            allow_removals: self.allow_removals,
            ..self.common.overrides()
        }
    }
}

/// Builds, tells what happened, and gives the exit status. With `--report json`, a run that
/// fails still prints a JSON document.
pub(crate) fn run(args: BuildArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let format = args.report;
    build(args, shell).inspect_err(|e| print_failure(format, e))
}

fn build(args: BuildArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let settings = Settings::resolve(args.overrides())?;
    #[cfg(feature = "deploy")]
    let target = args
        .deploy
        .as_deref()
        .map(feedsmith::deploy::Target::parse)
        .transpose()?;
    #[cfg(feature = "websub")]
    let policy = if args.ping {
        Some(super::ping::policy_from_env()?)
    } else {
        None
    };
    let output = if args.check {
        Output::dry_run(&settings.output)
    } else {
        Output::new(&settings.output)
    };
    let report = feedsmith::build_with(&settings, &output, &shell.progress())?;
    let mut status = report.exit_code();
    shell.problems(&report);
    let run = if args.check { Run::DryRun } else { Run::Build };
    if report.remembered {
        shell.detail("nothing changed since the last build: its report, told again");
    }
    if report.carried {
        shell.detail(
            "only the article files changed since the last build were read, and offered to what it chose",
        );
    }
    if !report.stopped {
        let (write, remove) = if args.check {
            ("would write", "would remove")
        } else {
            ("wrote", "removed")
        };
        let list = |line: String| {
            if args.check {
                shell.info(line);
            } else {
                shell.detail(line);
            }
        };
        for path in &report.changed {
            list(format!("{write} {}", settings.output.join(path).display()));
        }
        for path in &report.removed {
            list(format!("{remove} {}", settings.output.join(path).display()));
        }
    }
    shell.info(format_args!(
        "feedsmith: {}",
        report.summary.line(run, report.stopped)
    ));
    // The line to act on comes last, after the problems and the counts.
    if report.stopped {
        let invalid = report.summary.rejected;
        shell.error(format_args!(
            "feedsmith: {}; nothing was written. Fix {}, or pass --skip-invalid to publish the rest.",
            plural(invalid, "invalid article", "invalid articles"),
            if invalid == 1 { "it" } else { "them" }
        ));
    } else if args.check {
        if report.changed.is_empty() && report.removed.is_empty() {
            shell.info(format_args!(
                "feedsmith: {} is up to date",
                settings.output.display()
            ));
        } else {
            shell.error(format_args!(
                "feedsmith: {} is out of date: run `feedsmith build` and commit the result",
                settings.output.display()
            ));
            status = 1;
        }
    }
    #[cfg(feature = "deploy")]
    let deployment = match &target {
        Some(target) if !report.stopped => Some(super::deploy::deploy_and_tell(
            &settings, target, false, shell,
        )?),
        _ => None,
    };
    #[cfg_attr(not(feature = "websub"), allow(unused_mut))]
    let mut json = report.to_json("build", status);
    #[cfg(feature = "websub")]
    if let Some(policy) = policy {
        #[cfg(feature = "deploy")]
        let websub = match &deployment {
            Some(deployment) => super::ping::after_deploy(&settings, deployment, policy, shell),
            None => super::ping::after_build(&settings, &report, args.check, policy, shell),
        };
        #[cfg(not(feature = "deploy"))]
        let websub = super::ping::after_build(&settings, &report, args.check, policy, shell);
        if !websub.hubs.iter().all(|hub| hub.notified) {
            status = super::ping::STATUS;
        }
        json.status = status;
        json.websub = Some(websub);
    }
    #[cfg(feature = "deploy")]
    let json = WithDeploy {
        build: json,
        deploy: deployment.as_ref(),
    };
    print_machine(&report, args.report, &json);
    Ok(status as u8)
}

/// The JSON report of `build --deploy`: the build's, and the deploy's part.
#[cfg(feature = "deploy")]
#[derive(serde::Serialize)]
struct WithDeploy<'a> {
    #[serde(flatten)]
    build: feedsmith::report::Json<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deploy: Option<&'a feedsmith::deploy::Deployment>,
}
