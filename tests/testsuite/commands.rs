//! The command line as a Hugo or Zola user reaches for it: `init` for a new project, `-q` and
//! `-v` on every command, and a man page per command.

use snapbox::str;

use crate::harness::{Project, NOW};

#[test]
fn init_writes_a_project_that_builds_and_a_second_init_refuses_naming_the_file() {
    let project = Project::empty().clock(NOW);
    project.run(["init", "site"]).status(0).stderr(str![[r#"
feedsmith: created site/feedsmith.yaml and site/articles/hello-feedsmith.md
Next:
  cd site
  feedsmith serve    preview the feeds on http://127.0.0.1:8000/, rebuilt as you edit
  feedsmith build    write them to feeds/
Before you publish, set base_url in feedsmith.yaml to where feeds/ will be served.

"#]]);
    let settings = project.read("site/feedsmith.yaml");
    for key in ["title", "base_url", "limit", "cache_dir", "hub", "curated"] {
        assert!(
            settings.contains(&format!("\n{key}: ")) || settings.contains(&format!("\n# {key}: ")),
            "{key} missing from\n{settings}"
        );
    }
    assert!(
        project
            .read("site/articles/hello-feedsmith.md")
            .contains("publishedDateTime: 2025-11-24T16:00:00Z"),
        "the example is dated by the build's clock"
    );

    project
        .cmd(["build"])
        .in_folder("site")
        .run()
        .status(0)
        .stderr(str![[r#"
feedsmith: 1 article read: 1 published, 0 unpublished, 0 rejected; 15 files written, 0 unchanged

"#]])
        .file("site/feeds/rss.xml", |rss| {
            assert!(rss.contains("<title>Hello from feedsmith</title>"), "{rss}");
            assert!(rss.contains("https://example.com/feeds/rss.xml"), "{rss}");
        });
    project.cmd(["check"]).in_folder("site").run().status(0);

    let before = project.read("site/feedsmith.yaml");
    project.remove("site/articles/hello-feedsmith.md");
    project.write("site/feedsmith.yaml", "# mine\n");
    project.run(["init", "site"]).status(2).stderr(str![[r#"
feedsmith: error: site/feedsmith.yaml: already exists, and init never overwrites a file: nothing was written. Move it aside, or run init in another folder

"#]]);
    assert_eq!(project.read("site/feedsmith.yaml"), "# mine\n");
    assert!(
        !project.exists("site/articles/hello-feedsmith.md"),
        "a refusal writes nothing"
    );

    // The example article in the way is named just the same.
    project.write("site/feedsmith.yaml", before);
    project.remove("site/feedsmith.yaml");
    project.write("site/articles/hello-feedsmith.md", "mine");
    project
        .run(["init", "site"])
        .status(2)
        .stderr_line("feedsmith: error: site/articles/hello-feedsmith.md: already exists, and init never overwrites a file: nothing was written. Move it aside, or run init in another folder")
        .no_file("site/feedsmith.yaml");
}

#[test]
fn init_in_the_current_folder_says_no_cd() {
    let project = Project::empty().clock(NOW);
    project
        .cmd(["init"])
        .in_folder("here")
        .run()
        .status(0)
        .stderr_lacks("cd ")
        .stderr_line("feedsmith: created ./feedsmith.yaml and ./articles/hello-feedsmith.md");
    project
        .cmd(["-q", "build"])
        .in_folder("here")
        .run()
        .status(0)
        .stderr("");
}

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
    let mut commands = vec!["init", "build", "check", "completions", "manpage"];
    if cfg!(feature = "websub") {
        commands.push("ping");
    }
    if cfg!(feature = "serve") {
        commands.push("serve");
    }
    if cfg!(feature = "deploy") {
        commands.push("deploy");
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

/// A binary built without `deploy` says how to get it, for the command and for the flag.
#[cfg(not(feature = "deploy"))]
#[test]
fn deploy_without_the_feature_says_how_to_install_it() {
    let project = Project::empty();
    for args in [
        &["deploy", "s3://bucket/feeds"][..],
        &["build", "--deploy", "s3://bucket/feeds"][..],
    ] {
        let stderr = project.run(args).status(2).stderr_text();
        assert!(
            stderr.contains(
                "note: this feedsmith was built without the `deploy` feature: install it with \
                 `cargo install --path . --features deploy`"
            ),
            "{stderr}"
        );
    }
    // Any other mistake gets clap's message alone.
    let stderr = project.run(["deplyo"]).status(2).stderr_text();
    assert!(!stderr.contains("deploy` feature"), "{stderr}");
}
