//! `feedsmith init`: a new project, as `zola init` and `hugo new site` make one: a commented
//! `feedsmith.yaml` with every key and one example article, then what to run next. It writes
//! only files that do not exist yet.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::SecondsFormat;
use clap::Args;

use feedsmith::settings::{DEFAULT_CONFIG, KEYS};

use super::common::{describe, exit_help, ExitStatus};
use crate::shell::Shell;

/// Start a project: write a commented feedsmith.yaml and an example article into DIR.
///
/// Every setting is in the file, with its default and what it does; only `base_url` (where
/// the feeds will be served) and `input` are set. No existing file is overwritten.
#[derive(Debug, Args)]
#[command(after_long_help = exit_help(EXIT))]
pub(crate) struct InitArgs {
    /// The project folder, made if missing
    #[arg(value_name = "DIR", default_value = ".")]
    pub(crate) dir: PathBuf,
}

/// `init`'s exit statuses.
pub(crate) const EXIT: &[ExitStatus] = &[
    (0, "the project was written"),
    (
        2,
        "a file init would write exists already (nothing was written), or another usage or I/O error",
    ),
];

/// The input folder the new settings name.
const INPUT: &str = "articles";

/// The example article's file name, in [`INPUT`].
const EXAMPLE: &str = "hello-feedsmith.md";

/// The base URL the new settings start with, to be replaced by the real one.
const BASE_URL: &str = "https://example.com/feeds/";

/// Writes the settings file and the example article, or names the file in the way.
pub(crate) fn run(args: InitArgs, shell: &Shell) -> Result<u8, feedsmith::Error> {
    let dir = &args.dir;
    let now = feedsmith::settings::now()?;
    let files = [
        (dir.join(DEFAULT_CONFIG), settings_file()),
        (
            dir.join(INPUT).join(EXAMPLE),
            example_article(&now.to_rfc3339_opts(SecondsFormat::Secs, true)),
        ),
    ];
    // Every file is looked for before any is written, so a refusal leaves nothing behind.
    if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(feedsmith::Error::config(
            Some(path.clone()),
            "already exists, and init never overwrites a file: nothing was written. Move it \
             aside, or run init in another folder",
        ));
    }
    for (path, text) in &files {
        create_new(path, text)?;
        shell.detail(format_args!("wrote {}", path.display()));
    }
    shell.info(format_args!(
        "feedsmith: created {} and {}",
        files[0].0.display(),
        files[1].0.display()
    ));
    shell.info(next_steps(dir));
    Ok(0)
}

/// Writes `text` to `path`, which must not exist (so a file made since it was looked for is
/// not overwritten either), making its folder.
fn create_new(path: &Path, text: &str) -> Result<(), feedsmith::Error> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| feedsmith::Error::io(folder, "creating", e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| feedsmith::Error::io(path, "creating", e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| feedsmith::Error::io(path, "writing", e))
}

/// What to run next, in the new project.
fn next_steps(dir: &Path) -> String {
    let mut text = String::from("Next:\n");
    if dir != Path::new(".") {
        let _ = writeln!(text, "  cd {}", dir.display());
    }
    text.push_str(
        "  feedsmith serve    preview the feeds on http://127.0.0.1:8000/, rebuilt as you edit\n\
         \x20 feedsmith build    write them to feeds/\n\
         Before you publish, set base_url in feedsmith.yaml to where feeds/ will be served.",
    );
    text
}

/// The settings file: every key, each with a one-line comment saying what it does and its
/// default; `base_url` and `input` set, the others commented out at their default (or, for
/// a key without one, an example).
pub(crate) fn settings_file() -> String {
    let mut text = String::from(
        "# feedsmith settings, written by `feedsmith init`. Every key but base_url is optional:\n\
         # a commented-out key shows its default (or an example, for a key with none). A flag on\n\
         # the command line beats its key here; `man feedsmith` and the user guide (docs/settings.md) say more.\n",
    );
    for key in KEYS {
        let _ = writeln!(text, "\n# {}", describe(key));
        match key.name {
            "base_url" => {
                let _ = writeln!(text, "base_url: {BASE_URL}");
            }
            "input" => {
                let _ = writeln!(text, "input: {INPUT}");
            }
            _ => {
                let _ = writeln!(text, "# {}: {}", key.name, key.sample);
            }
        }
    }
    text
}

/// The example article, dated `date` (RFC 3339), so that a build right away publishes it.
fn example_article(date: &str) -> String {
    format!(
        r#"---
# An example article, written by `feedsmith init`: one file is one article. The front matter
# (YAML, between the --- lines) says what to publish; a Markdown body may follow. Edit this
# file or delete it; every file in articles/ ending in .md, .markdown, .txt, .yaml or .yml
# is an article.
title: "Hello from feedsmith"
# The article's own page: its link, and its permanent id in every feed (http or https).
webUrl: "https://example.com/news/hello-feedsmith"
# When it was published: RFC 3339, with a time and an offset. A later date waits until then.
publishedDateTime: {date}
excerpt: "The first article of a new feed site."
# One feed for each topic, and one for each provider.
topics: [Example]
provider: {{ name: Example News, domain: example.com }}
# published: false keeps an article out of every feed.
---
This is the **Markdown** body. `feedsmith build` publishes it in `feeds/rss.xml`,
`feeds/atom.xml` and `feeds/feed.json`, and in the feeds of its topic and provider.
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_file_has_every_key_each_after_its_one_line_comment() {
        let text = settings_file();
        for key in KEYS {
            let line = text
                .lines()
                .position(|l| {
                    l.starts_with(&format!("{}: ", key.name))
                        || l.starts_with(&format!("# {}: ", key.name))
                })
                .unwrap_or_else(|| panic!("no {} in\n{text}", key.name));
            let comment = text.lines().nth(line - 1).unwrap();
            assert!(
                comment.starts_with("# ") && comment.ends_with('.'),
                "{comment}"
            );
        }
    }

    #[test]
    fn the_settings_file_still_reads_with_every_key_uncommented() {
        let uncommented: String = settings_file()
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if KEYS
                        .iter()
                        .any(|k| rest.starts_with(&format!("{}: ", k.name))) =>
                {
                    format!("{rest}\n")
                }
                _ => format!("{l}\n"),
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_CONFIG);
        std::fs::write(&path, &uncommented).unwrap();
        let settings = feedsmith::Settings::resolve(feedsmith::Overrides {
            config: Some(path),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        assert_eq!(settings.input, Path::new(INPUT));
        assert_eq!(settings.site.hubs.len(), 1);
    }
}
