//! The command line as a Hugo or Zola user reaches for it: `-q` and `-v` on every command,
//! and a man page per command.

use snapbox::str;

use crate::harness::{Project, NOW};

#[test]
fn quiet_prints_problems_and_errors_only() {
    let project = Project::fixture("fixtures/topics");
    project.build_with(&["-q"]).status(0).stderr("");
    project
        .run(["-q", "check", "--input", "articles"])
        .status(0)
        .stderr("");
    project
        .build_with(&["--check", "--quiet"])
        .status(0)
        .stderr("");
    project.edit("articles/story-3.txt", |text| {
        text.replace("Story 3", "Story Three")
    });
    project
        .build_with(&["--check", "-q"])
        .status(1)
        .stderr(str![[r#"
feedsmith: feeds is out of date: run `feedsmith build` and commit the result

"#]]);

    let project = Project::fixture("fixtures/mixed-invalid");
    project
        .build_with(&["-q"])
        .status(1)
        .stderr_lacks("articles read")
        .stderr_line("error: no title: add a non-empty `title:` to the front matter")
        .stderr_line("feedsmith: 2 invalid articles; nothing was written. Fix them, or pass --skip-invalid to publish the rest.");
    project
        .run(["check", "--input", "articles", "-q"])
        .status(1)
        .stderr_lacks("articles checked")
        .stderr_line("feedsmith: 2 invalid articles to fix before a build can publish");
    project
        .build_with(&["-q", "--skip-invalid"])
        .status(0)
        .stderr_lacks("feedsmith: ")
        .stderr_line("error: no title: add a non-empty `title:` to the front matter");
    project
        .run(["-q", "build", "--input", "nope"])
        .status(2)
        .stderr_line("feedsmith: error: no base URL: set `base_url:` in feedsmith.yaml or pass --base-url URL (where the output folder is served, e.g. https://example.com/feeds/)");
}

#[test]
fn verbose_lists_each_file_written_and_removed() {
    let project = Project::fixture("fixtures/topics");
    project
        .build_with(&["-v"])
        .status(0)
        .stderr_line("wrote feeds/rss.xml")
        .stderr_line("wrote feeds/topics/beta/atom.xml")
        .stderr_line("wrote feeds/index.html")
        .summary("feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; [..] files written, 0 unchanged");

    project.remove("articles/story-3.txt");
    project.remove("articles/story-4.txt");
    project
        .build_with(&["--verbose"])
        .status(0)
        .stderr_line("removed feeds/topics/beta/rss.xml")
        .stderr_line("wrote feeds/rss.xml")
        .stderr_lacks("wrote feeds/topics/alpha/");
    // Without -v, the files are counted, not listed.
    project.restore("fixtures/topics");
    project
        .build()
        .status(0)
        .stderr_lacks("wrote ")
        .stderr_lacks("removed ");
}

#[test]
fn quiet_and_verbose_go_before_or_after_the_command_but_not_together() {
    let project = Project::fixture("fixtures/topics");
    project
        .cmd(["-v", "build", "--input", "articles", "--output", "feeds"])
        .env("SOURCE_DATE_EPOCH", NOW)
        .run()
        .status(2)
        .stderr_line("feedsmith: error: no base URL: set `base_url:` in feedsmith.yaml or pass --base-url URL (where the output folder is served, e.g. https://example.com/feeds/)");
    project
        .run(["-q", "-v", "check"])
        .status(2)
        .stderr(str![[r#"
error: the argument '--quiet' cannot be used with '--verbose'

Usage: feedsmith --quiet <COMMAND>

For more information, try '--help'.

"#]]);
}

/// The flags `feedsmith ARGS --help` lists (its lines that start with a flag, before the exit
/// statuses).
fn flags_in_help(project: &Project, args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.push("--help");
    let help = project.run(all).status(0).stdout_text();
    let mut flags = Vec::new();
    for line in help.lines().take_while(|l| !l.starts_with("Exit status:")) {
        let line = line.trim_start();
        if !line.starts_with('-') {
            continue;
        }
        for token in line.split([' ', ',', '=', '<']) {
            if token.starts_with("--") && token.len() > 2 {
                flags.push(token.to_string());
            }
        }
    }
    assert!(flags.iter().any(|f| f == "--help"), "{help}");
    flags
}

/// The exit statuses `feedsmith ARGS --help` lists.
fn statuses_in_help(project: &Project, args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.push("--help");
    let help = project.run(all).status(0).stdout_text();
    help.lines()
        .skip_while(|l| !l.starts_with("Exit status:"))
        .skip(1)
        .filter_map(|l| l.trim_start().split_once("  ").map(|(s, _)| s.to_string()))
        .collect()
}

#[test]
fn manpage_out_writes_a_page_per_command_naming_each_flag_and_exit_status() {
    let project = Project::empty();
    let mut commands = vec!["build", "check", "completions", "manpage"];
    if cfg!(feature = "websub") {
        commands.push("ping");
    }
    if cfg!(feature = "serve") {
        commands.push("serve");
    }
    project
        .run(["manpage", "--out", "man"])
        .status(0)
        .stderr_line(&format!(
            "feedsmith: wrote {} manual pages to man (feedsmith.1 and one per command)",
            commands.len() + 1
        ));
    let mut expected: Vec<String> = commands
        .iter()
        .map(|c| format!("feedsmith-{c}.1"))
        .chain(["feedsmith.1".to_string()])
        .collect();
    expected.sort();
    assert_eq!(project.entries("man"), expected);

    let roff = |flag: &str| flag.replace('-', "\\-");
    for command in &commands {
        let page = project.read(&format!("man/feedsmith-{command}.1"));
        assert!(
            page.contains(&format!(".TH feedsmith-{command} 1")),
            "{page}"
        );
        for flag in flags_in_help(&project, &[command]) {
            assert!(
                page.contains(&format!("\\fB{}\\fR", roff(&flag))),
                "feedsmith-{command}.1 does not name {flag}:\n{page}"
            );
        }
        let statuses = statuses_in_help(&project, &[command]);
        assert!(
            statuses.contains(&"2".to_string()),
            "{command}: {statuses:?}"
        );
        let exit = page
            .split(".SH \"EXIT STATUS\"")
            .nth(1)
            .unwrap_or_else(|| panic!("feedsmith-{command}.1 has no EXIT STATUS:\n{page}"));
        for status in statuses {
            assert!(
                exit.contains(&format!(".TP\n\\fB{status}\\fR\n")),
                "feedsmith-{command}.1 lacks exit status {status}"
            );
        }
    }

    let top = project.read("man/feedsmith.1");
    for flag in flags_in_help(&project, &[]) {
        assert!(top.contains(&format!("\\fB{}\\fR", roff(&flag))), "{flag}");
    }
    for command in &commands {
        assert!(
            top.contains(&format!("feedsmith\\-{command}(1)")),
            "{command}"
        );
    }
    let settings = top
        .split(".SH SETTINGS")
        .nth(1)
        .expect("a SETTINGS section");
    for key in [
        "title",
        "base_url",
        "limit",
        "max_file_bytes",
        "cache_dir",
        "hub",
        "strict_keys",
    ] {
        assert!(
            settings.contains(&format!("\\fB{}\\fR: ", roff(key))),
            "{key}"
        );
    }
    for status in ["0", "1", "2", "3"] {
        assert!(
            top.contains(&format!(".TP\n\\fB{status}\\fR\n")),
            "{status}"
        );
    }
    // Without --out, the top page is printed.
    assert_eq!(project.run(["manpage"]).status(0).stdout_text(), top);
}
