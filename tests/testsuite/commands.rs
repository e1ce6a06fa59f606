//! The command line as a Hugo or Zola user reaches for it: `-q` and `-v` on every command.

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
