//! `feedsmith manpage`: the manual pages, made from the command-line definition with
//! clap_mangen: `feedsmith.1` (the global flags, the commands, the settings file's keys,
//! every exit status, the environment) and `feedsmith-<command>.1` for each command (its
//! flags and exit statuses).

use std::io;
use std::path::PathBuf;

use clap::Args;
use clap_mangen::roff::{bold, italic, roman, Roff};
use clap_mangen::Man;

use feedsmith::settings::KEYS;

use super::common::{describe, exit_help, ExitStatus, ERROR};
use crate::shell::Shell;

/// Print the manual page in roff (for example: feedsmith manpage > feedsmith.1), or write
/// every page with --out.
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct ManpageArgs {
    /// Write every page into DIR (made if missing): feedsmith.1 and feedsmith-COMMAND.1 for
    /// each command, for example into /usr/local/share/man/man1
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
}

/// `manpage`'s exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[(0, "the pages were printed or written"), ERROR];

/// One manual page: its file name and its roff text.
pub(crate) struct Page {
    pub(crate) name: String,
    pub(crate) roff: Vec<u8>,
}

/// Each command's exit statuses, by the name the command line gives it (the program's own
/// name for the top page).
pub(crate) type Statuses = fn(&str) -> Option<&'static [ExitStatus]>;

/// Prints the top page of the command line `cli` on stdout, or writes every page into
/// `--out`.
pub(crate) fn run(
    args: ManpageArgs,
    shell: &Shell,
    cli: clap::Command,
    statuses: Statuses,
) -> Result<u8, feedsmith::Error> {
    let pages = pages(cli, statuses);
    let Some(dir) = args.out else {
        use io::Write;
        io::stdout()
            .write_all(&pages[0].roff)
            .map_err(|e| feedsmith::Error::io("stdout", "writing", e))?;
        return Ok(0);
    };
    std::fs::create_dir_all(&dir).map_err(|e| feedsmith::Error::io(&dir, "creating", e))?;
    for page in &pages {
        let path = dir.join(&page.name);
        feedsmith::atomic::write_atomically(&dir, &path, &page.roff)
            .map_err(|e| feedsmith::Error::io(&path, "writing", e))?;
        shell.detail(format_args!("wrote {}", path.display()));
    }
    shell.info(format_args!(
        "feedsmith: wrote {} manual pages to {} (feedsmith.1 and one per command)",
        pages.len(),
        dir.display()
    ));
    Ok(0)
}

/// Every page of the command line `cli`: its own first, then one per command, in `--help`'s
/// order.
pub(crate) fn pages(cli: clap::Command, statuses: Statuses) -> Vec<Page> {
    let mut cli = cli.disable_help_subcommand(true);
    cli.build();
    let source = format!(
        "{} {}",
        cli.get_name(),
        cli.get_version().unwrap_or_default()
    );
    let of = |cmd: &clap::Command| statuses(cmd.get_name()).unwrap_or(&[ERROR]);
    let mut pages = vec![page(&cli, &source, of(&cli), true)];
    for sub in cli.get_subcommands() {
        pages.push(page(sub, &source, of(sub), false));
    }
    pages
}

/// The page of `cmd` (the whole command line when `top`).
fn page(cmd: &clap::Command, source: &str, statuses: &[ExitStatus], top: bool) -> Page {
    let man = Man::new(cmd.clone()).source(source);
    let mut page = Page {
        name: man.get_filename(),
        roff: Vec::new(),
    };
    let roff = &mut page.roff;
    let man_sections: [Render; 5] = [
        Man::render_title,
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ];
    for render in man_sections {
        section(roff, |w| render(&man, w));
    }
    if top {
        section(roff, |w| man.render_subcommands_section(w));
        section(roff, |w| settings_section().to_writer(w));
    }
    section(roff, |w| exit_section(statuses).to_writer(w));
    if top {
        section(roff, |w| environment_section().to_writer(w));
        section(roff, |w| man.render_version_section(w));
    } else {
        let mut see = Roff::new();
        see.control("SH", ["SEE ALSO"]);
        see.text([bold("feedsmith"), roman("(1)")]);
        section(roff, |w| see.to_writer(w));
    }
    page
}

/// One of clap_mangen's sections, rendered into a writer.
type Render = fn(&Man, &mut dyn io::Write) -> io::Result<()>;

/// Appends one section; every rendering starts with roff's apostrophe preamble, which the
/// page needs once, at its top.
fn section(page: &mut Vec<u8>, render: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) {
    let mut text = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = render(&mut text);
    let preamble = Roff::new().render();
    let body = match text.strip_prefix(preamble.as_bytes()) {
        Some(body) if !page.is_empty() => body,
        _ => &text,
    };
    page.extend_from_slice(body);
}

/// SETTINGS: every key of the settings file, with a value, its default and what it does.
fn settings_section() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["SETTINGS"]);
    roff.text([roman(
        "feedsmith.yaml in the current folder is read when it exists; --config FILE names \
         another. Every key but base_url is optional, a flag beats the key it overrides, and \
         an unknown key is an error. feedsmith init writes a file with every key.",
    )]);
    for key in KEYS {
        roff.control("TP", []);
        roff.text([bold(key.name), roman(": "), italic(key.sample)]);
        roff.text([roman(describe(key))]);
    }
    roff
}

/// EXIT STATUS: each status and when the command ends with it.
fn exit_section(statuses: &[ExitStatus]) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (status, meaning) in statuses {
        roff.control("TP", []);
        roff.text([bold(status.to_string())]);
        roff.text([roman(*meaning)]);
    }
    roff
}

/// ENVIRONMENT: the variables feedsmith reads.
fn environment_section() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in [
        (
            "SOURCE_DATE_EPOCH",
            "the build's clock, in seconds since 1970: articles dated later are scheduled, not published",
        ),
        (
            "XDG_CACHE_HOME",
            "where the build cache goes when no settings file or flag places it (feedsmith/ in it)",
        ),
        ("NO_COLOR", "problems are shown without colour"),
        ("CI", "no progress line is drawn"),
        (
            "GITHUB_ACTIONS",
            "when true, every problem is also printed as a GitHub workflow command (an annotation)",
        ),
        (
            "FEEDSMITH_PING_BACKOFF_MS, FEEDSMITH_PING_TIMEOUT_MS",
            "the wait between WebSub attempts and each attempt's timeout, in milliseconds",
        ),
        (
            "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION, GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_ACCOUNT_NAME, AZURE_STORAGE_ACCOUNT_KEY, …",
            "deploy: the object store's credentials and endpoint, read as each cloud's own tools read them; never printed",
        ),
        (
            "FEEDSMITH_DEPLOY_RETRIES, FEEDSMITH_DEPLOY_BACKOFF_MS, FEEDSMITH_DEPLOY_TIMEOUT_MS",
            "deploy: the retries of a request that failed (network, 5xx, 429), the first wait between them and each request's timeout, in milliseconds",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(meaning)]);
    }
    roff
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::super::{exit_statuses, Cli};
    use super::*;

    #[test]
    fn every_command_has_a_page_naming_each_of_its_flags_and_its_exit_statuses() {
        let pages = pages(Cli::command(), exit_statuses);
        let mut cli = Cli::command().disable_help_subcommand(true);
        cli.build();
        assert_eq!(pages[0].name, "feedsmith.1");
        let commands = std::iter::once(&cli).chain(cli.get_subcommands());
        for (cmd, page) in commands.zip(&pages) {
            let text = String::from_utf8(page.roff.clone()).unwrap();
            let escaped = |s: &str| s.replace('-', "\\-");
            for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                if let Some(long) = arg.get_long() {
                    let flag = escaped(&format!("--{long}"));
                    assert!(text.contains(&flag), "{}: no {flag}", page.name);
                }
            }
            assert!(text.contains(".SH \"EXIT STATUS\""), "{}", page.name);
            assert_eq!(text.matches(".ie \\n(.g").count(), 1, "{}", page.name);
        }
        let top = String::from_utf8(pages[0].roff.clone()).unwrap();
        for key in KEYS {
            assert!(top.contains(&escaped_name(key.name)), "{}", key.name);
        }
    }

    fn escaped_name(name: &str) -> String {
        format!("\\fB{}\\fR", name.replace('-', "\\-"))
    }
}
