//! The `feedsmith` binary: parse the command line, hand it to the `run` of the command named
//! (one file each, in `cmd/`), and exit with the status it gives (0 success, 1 invalid
//! articles or out-of-date output, 2 usage, settings or I/O error, 3 written but a WebSub hub
//! did not take the notification; each command's `--help` says which it uses).

mod cmd;
mod diagnostic;
mod progress;
mod shell;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cmd::{Cli, Command};
use shell::Shell;

/// mimalloc instead of the system allocator: parsing allocates many small, short-lived
/// values on every core, where glibc's malloc spent a sixth of a build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            #[cfg(not(feature = "deploy"))]
            if e.use_stderr() && asks_for_deploy() {
                eprintln!(
                    "\nnote: this feedsmith was built without the `deploy` feature: install it \
                     with `cargo install --path . --features deploy`, or run `cargo run \
                     --release --features deploy -- deploy TARGET`"
                );
            }
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let shell = Shell::new(cli.global.verbosity());
    let outcome = match cli.command {
        Command::Init(args) => cmd::init::run(args, &shell),
        Command::Build(args) => cmd::build::run(args, &shell),
        Command::Check(args) => cmd::check::run(args, &shell),
        #[cfg(feature = "deploy")]
        Command::Deploy(args) => cmd::deploy::run(args, &shell),
        #[cfg(feature = "websub")]
        Command::Ping(args) => cmd::ping::run(args, &shell),
        #[cfg(feature = "serve")]
        Command::Serve(args) => cmd::serve::run(args, &shell),
        Command::Completions(args) => cmd::completions::run(args, Cli::command()),
        Command::Manpage(args) => {
            cmd::manpage::run(args, &shell, Cli::command(), cmd::exit_statuses)
        }
    };
    ExitCode::from(shell.exit(outcome))
}

/// True when the command line names `deploy` or `--deploy`, which a build without the
/// feature does not know: its error then says how to get them.
#[cfg(not(feature = "deploy"))]
fn asks_for_deploy() -> bool {
    std::env::args_os().skip(1).any(|a| {
        a == "deploy" || a == "--deploy" || a.to_str().is_some_and(|a| a.starts_with("--deploy="))
    })
}
