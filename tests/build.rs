//! The `feedsmith build` and `check` commands, run as a user would, on fixture folders.

mod common;

use std::fs;

use common::*;

#[test]
fn invalid_article_stops_the_build_and_names_file_line_and_column() {
    let dir = fixture("mixed-invalid");
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // The YAML error points into the file itself (line 2 opens the bad quote).
    assert!(
        err.contains("error: articles/bad-yaml.txt:") && err.contains("invalid front matter"),
        "{err}"
    );
    let line = err
        .lines()
        .find(|l| l.contains("bad-yaml.txt:"))
        .unwrap()
        .split(':')
        .nth(2)
        .unwrap()
        .parse::<usize>()
        .unwrap();
    assert!((2..=5).contains(&line), "{err}");
    assert!(
        err.contains("error: articles/no-title.md: no title"),
        "{err}"
    );
    assert!(
        err.contains("3 articles read: 1 published, 0 unpublished, 2 rejected"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!dir.path().join("feeds").exists(), "nothing may be written");
}

#[test]
fn invalid_article_leaves_published_feeds_untouched() {
    let dir = fixture("mixed-invalid");
    fs::remove_file(dir.path().join("articles/bad-yaml.txt")).unwrap();
    fs::remove_file(dir.path().join("articles/no-title.md")).unwrap();
    assert_eq!(build(dir.path(), &[]).status.code(), Some(0));
    let before = fs::read(dir.path().join("feeds/rss.xml")).unwrap();
    common::copy_dir(
        &root().join("tests/fixtures/mixed-invalid"),
        &dir.path().join("articles"),
    );
    assert_eq!(build(dir.path(), &[]).status.code(), Some(1));
    assert_eq!(fs::read(dir.path().join("feeds/rss.xml")).unwrap(), before);
}

#[test]
fn skip_invalid_publishes_the_rest_and_lists_the_rejected() {
    let dir = fixture("mixed-invalid");
    let out = build(dir.path(), &["--skip-invalid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("bad-yaml.txt") && err.contains("no-title.md"),
        "{err}"
    );
    let files = files(&dir.path().join("feeds"));
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            ".feedsmith-manifest",
            ".feedsmith.lock",
            "atom.xml",
            "feed.json",
            "feed.xsl",
            "feeds.opml",
            "index.html",
            "providers/example-news/atom.xml",
            "providers/example-news/feed.json",
            "providers/example-news/rss.xml",
            "rss.xml",
            "topics/testing/atom.xml",
            "topics/testing/feed.json",
            "topics/testing/rss.xml",
        ]
    );
    let rss = fs::read_to_string(dir.path().join("feeds/rss.xml")).unwrap();
    assert!(rss.contains("A good article"));
    assert!(!rss.contains("untitled"));
}

#[test]
fn hidden_files_and_other_extensions_are_not_articles() {
    let dir = fixture("mixed-invalid");
    let out = build(dir.path(), &["--skip-invalid"]);
    let err = stderr(&out);
    assert!(
        !err.contains("ignored.txt") && !err.contains("notes.json"),
        "{err}"
    );
    assert!(err.contains("3 articles read"), "{err}");
}

#[test]
fn check_validates_without_writing() {
    let dir = fixture("mixed-invalid");
    let out = feedsmith(dir.path(), &["check", "--input", "articles"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no-title.md"));
    assert!(!dir.path().join("feeds").exists());
    fs::remove_file(dir.path().join("articles/bad-yaml.txt")).unwrap();
    fs::remove_file(dir.path().join("articles/no-title.md")).unwrap();
    let out = feedsmith(dir.path(), &["check", "--input", "articles"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dir.path().join("feeds").exists());
}

#[test]
fn duplicate_links_make_one_entry_the_newer_with_a_warning_naming_both() {
    let dir = fixture("duplicates");
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let warning = err.lines().find(|l| l.contains("same webUrl")).expect(&err);
    assert!(
        warning.starts_with("warning: articles/a-older.txt")
            && warning.contains("articles/b-newer.txt"),
        "{warning}"
    );
    let rss = fs::read_to_string(dir.path().join("feeds/topics/updates/rss.xml")).unwrap();
    assert_eq!(rss.matches("<item>").count(), 2);
    assert!(rss.contains("Corrected version") && !rss.contains("First version"));
    assert!(
        err.contains("2 published") && err.contains("1 duplicates"),
        "{err}"
    );
}

#[test]
fn duplicates_never_cost_a_feed_its_limit() {
    // The older copy of the story is in topic Updates; with a limit of 1 it can push the
    // other Updates story out before the newer copy (same link) is read.
    let dir = fixture("duplicates");
    let older = dir.path().join("articles/a-older.txt");
    let text = fs::read_to_string(&older).unwrap();
    fs::write(&older, text.replace("[Updates]", "[Archive]")).unwrap();
    let other = dir.path().join("articles/c-other.txt");
    let text = fs::read_to_string(&other).unwrap();
    fs::write(
        &other,
        text.replace("2023-05-02", "2023-04-02")
            .replace("[Updates]", "[Archive]"),
    )
    .unwrap();
    let out = build(dir.path(), &["--limit", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let archive = fs::read_to_string(dir.path().join("feeds/topics/archive/rss.xml")).unwrap();
    assert_eq!(archive.matches("<item>").count(), 1, "{archive}");
    assert!(archive.contains("Another story"), "{archive}");
}

#[test]
fn colliding_topic_slugs_follow_the_documented_rule_and_are_reported() {
    let dir = fixture("collisions");
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("share the slug \"c\""), "{err}");
    let topics: Vec<String> = fs::read_dir(dir.path().join("feeds/topics"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(topics.len(), 3, "{topics:?}");
    assert!(topics.contains(&"c".to_string()));
    // "C" and "c" are one topic: both articles are in the plain `c` feed.
    let c = fs::read_to_string(dir.path().join("feeds/topics/c/rss.xml")).unwrap();
    assert!(c.contains("C turns 50") && c.contains("C# 13 ships"), "{c}");
    assert!(!c.contains("C++26"));
}

#[test]
fn limit_caps_entries_newest_first() {
    let dir = fixture("collisions");
    let out = build(dir.path(), &["--limit", "2"]);
    assert_eq!(out.status.code(), Some(0));
    let rss = fs::read_to_string(dir.path().join("feeds/rss.xml")).unwrap();
    let first = rss.find("C# 13 ships").unwrap();
    let second = rss.find("C++26").unwrap();
    assert!(first < second);
    assert!(!rss.contains("C turns 50"));
}

#[test]
fn settings_errors_exit_2_with_the_fix() {
    let dir = fixture("collisions");
    let out = feedsmith(
        dir.path(),
        &["build", "--input", "articles", "--output", "feeds"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--base-url"), "{}", stderr(&out));
    let out = build(dir.path(), &["--config", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.yaml"));
    fs::write(dir.path().join("bad.yaml"), "titel: typo\n").unwrap();
    let out = build(dir.path(), &["--config", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.yaml") && stderr(&out).contains("titel"));
    let out = feedsmith(
        dir.path(),
        &["build", "--input", "no-such-folder", "--base-url", BASE_URL],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-folder"));
}

#[test]
fn usage_errors_exit_2_and_help_explains_each_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = feedsmith(dir.path(), &["build", "--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = feedsmith(dir.path(), &["build", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = feedsmith(dir.path(), &["build", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--input",
        "--output",
        "--config",
        "--base-url",
        "--limit",
        "--skip-invalid",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn config_file_values_apply_and_flags_override_them() {
    let dir = fixture("collisions");
    fs::write(
        dir.path().join("feedsmith.yaml"),
        "title: Tiny Times\nbase_url: https://tiny.example/f\ninput: articles\noutput: out\nlimit: 1\n",
    )
    .unwrap();
    let out = feedsmith(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rss = fs::read_to_string(dir.path().join("out/rss.xml")).unwrap();
    assert!(rss.contains("<title>Tiny Times</title>"));
    assert!(rss.contains("https://tiny.example/f/rss.xml"));
    assert_eq!(rss.matches("<item>").count(), 1);
    let out = feedsmith(
        dir.path(),
        &[
            "build",
            "--limit",
            "3",
            "--base-url",
            "https://other.example/",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let rss = fs::read_to_string(dir.path().join("out/rss.xml")).unwrap();
    assert_eq!(rss.matches("<item>").count(), 3);
    assert!(rss.contains("https://other.example/rss.xml"));
}
