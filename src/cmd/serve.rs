//! `feedsmith serve`: the feeds built into memory and served for a preview, rebuilt when an
//! article or the settings file changes; self links point at the preview itself.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;

use clap::Args;

use feedsmith::serve::{self, Server, Verbosity};
use feedsmith::{Overrides, Settings};

use super::common::{exit_help, CommonArgs, ExitStatus};
use crate::shell::{self, Shell};

/// Preview the feeds on http://127.0.0.1:PORT/, rebuilt in memory when an article changes.
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Address to serve on: 127.0.0.1 for this machine only, 0.0.0.0 (or ::) for every
    /// address, as in a container. Self links name it, or localhost for 0.0.0.0 and ::
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub(crate) bind: IpAddr,
    /// Port to serve on (0 picks a free one)
    #[arg(long, default_value_t = 8000)]
    pub(crate) port: u16,
    /// Open the index page in a browser
    #[arg(long)]
    pub(crate) open: bool,
    /// Most entries per feed (overrides `limit`; default 50)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) limit: Option<u32>,
}

/// `serve`'s exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[
    (0, "stopped with Ctrl-C"),
    (
        2,
        "a usage, settings or I/O error (also: the address is taken, the input folder is missing)",
    ),
];

/// Binds the address, builds once, then serves until Ctrl-C. Self links are the URL the
/// preview is reached at ([`serve::url`]), so readers and browsers pointed at it follow
/// links that work.
pub(crate) fn run(args: ServeArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let listener = serve::listen(SocketAddr::new(args.bind, args.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| feedsmith::Error::io(args.bind.to_string(), "binding", e))?;
    let overrides = Overrides {
        base_url: Some(serve::url(addr)),
        allow_empty: true,
        limit: args.limit.map(|n| n as usize),
        ..args.common.overrides()
    };
    let settings = Settings::resolve(overrides.clone())?;
    let verbosity = match shell.verbosity() {
        shell::Verbosity::Quiet => Verbosity::Quiet,
        shell::Verbosity::Normal => Verbosity::Normal,
        shell::Verbosity::Verbose => Verbosity::Verbose,
    };
    let mut server = Server::on(listener, settings, verbosity)?;
    let config = overrides.config.clone().or_else(|| {
        let path = Path::new(feedsmith::settings::DEFAULT_CONFIG);
        path.is_file().then(|| path.to_path_buf())
    });
    if let Some(path) = config {
        server = server.watch_config(path, move || Settings::resolve(overrides.clone()));
    }
    server.run(args.open)?;
    Ok(0)
}
