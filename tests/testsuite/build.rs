//! `feedsmith build` and `check` as a user runs them: what counts as an article, what stops a
//! build, duplicates, slug collisions, the entry limit, and the settings and usage errors.

use snapbox::str;

use crate::harness::{Project, BASE_URL, NOW};

#[test]
fn invalid_articles_stop_the_build_naming_file_line_and_column() {
    Project::fixture("fixtures/mixed-invalid")
        .build()
        .status(1)
        .stderr(str![[r#"
error: the quote that opens this value is never closed: end it with " on the same line, or use single quotes
 --> articles/bad-yaml.txt:2:8
  |
2 | title: "Broken quoting
  |        ^

error: no title: add a non-empty `title:` to the front matter
 --> articles/no-title.md:2:1
  |
2 | excerpt: "This one forgot its title."
  | ^

feedsmith: 3 articles read: 1 publishable, 0 unpublished, 2 rejected; nothing was written
feedsmith: 2 invalid articles; nothing was written. Fix them, or pass --skip-invalid to publish the rest.

"#]])
        .no_file("feeds");
}

#[test]
fn a_rejected_build_leaves_the_published_feeds_untouched() {
    let project = Project::fixture("fixtures/mixed-invalid");
    project.remove("articles/bad-yaml.txt");
    project.remove("articles/no-title.md");
    project.build().status(0);
    let before = project.bytes("feeds/rss.xml");
    project.restore("fixtures/mixed-invalid");
    project.build().status(1);
    assert_eq!(project.bytes("feeds/rss.xml"), before);
}

#[test]
fn skip_invalid_publishes_the_rest_and_lists_the_rejected() {
    let project = Project::fixture("fixtures/mixed-invalid");
    project
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r#"
error: the quote that opens this value is never closed: end it with " on the same line, or use single quotes
 --> articles/bad-yaml.txt:2:8
  |
2 | title: "Broken quoting
  |        ^

error: no title: add a non-empty `title:` to the front matter
 --> articles/no-title.md:2:1
  |
2 | excerpt: "This one forgot its title."
  | ^

feedsmith: 3 articles read: 1 published, 0 unpublished, 2 rejected; 15 files written, 0 unchanged

"#]])
        .file("feeds/rss.xml", |rss| {
            assert!(rss.contains("A good article"), "{rss}");
            assert!(!rss.contains("untitled"), "{rss}");
        });
    assert_eq!(
        project.files("feeds"),
        [
            ".feedsmith-manifest",
            ".feedsmith.lock",
            "articles.html",
            "atom.xml",
            "feed.json",
            "feed.xsl",
            "feeds.opml",
            "index.html",
            "providers/example-news/atom.xml",
            "providers/example-news/feed.json",
            "providers/example-news/index.html",
            "providers/example-news/rss.xml",
            "rss.xml",
            "topics/testing/atom.xml",
            "topics/testing/feed.json",
            "topics/testing/index.html",
            "topics/testing/rss.xml",
        ]
    );
}

#[test]
fn hidden_folders_and_other_extensions_are_not_articles() {
    Project::fixture("fixtures/mixed-invalid")
        .build_with(&["--skip-invalid"])
        .stderr_lacks("ignored.txt")
        .stderr_lacks("notes.json")
        .summary("feedsmith: 3 articles read: 1 published, 0 unpublished, 2 rejected; 15 files written, 0 unchanged");
}

#[test]
fn check_reports_invalid_articles_and_writes_nothing() {
    let project = Project::fixture("fixtures/mixed-invalid");
    project
        .run(["check", "--input", "articles"])
        .status(1)
        .stderr_line("error: no title: add a non-empty `title:` to the front matter")
        .stderr_line(" --> articles/no-title.md:2:1")
        .stderr_line("feedsmith: 3 articles checked: 1 publishable, 0 unpublished, 2 rejected")
        .stderr_line("feedsmith: 2 invalid articles to fix before a build can publish")
        .no_file("feeds");
    project.remove("articles/bad-yaml.txt");
    project.remove("articles/no-title.md");
    project
        .run(["check", "--input", "articles"])
        .status(0)
        .summary("feedsmith: 1 article checked[..]: 1 publishable, 0 unpublished, 0 rejected")
        .no_file("feeds");
}

#[test]
fn duplicate_links_make_one_entry_the_newer_with_a_warning_naming_both() {
    Project::fixture("fixtures/duplicates")
        .build()
        .status(0)
        .stderr(str![[r#"
warning: articles/a-older.txt: same webUrl (https://news.example.org/2023/05/story) as articles/b-newer.txt, which is newer, and is published instead
feedsmith: 3 articles read: 2 published, 0 unpublished, 0 rejected, 1 duplicate; 11 files written, 0 unchanged

"#]])
        .file("feeds/topics/updates/rss.xml", |rss| {
            assert_eq!(rss.matches("<item>").count(), 2, "{rss}");
            assert!(rss.contains("Corrected version"), "{rss}");
            assert!(!rss.contains("First version"), "{rss}");
        });
}

#[test]
fn one_story_under_tracking_links_is_one_entry_and_other_stories_stay_apart() {
    let article = |title: &str, link: &str, date: &str| {
        format!("---\ntitle: {title}\nwebUrl: \"{link}\"\npublishedDateTime: {date}\ntopics: [World]\n---\n")
    };
    let project = Project::empty()
        .with_file(
            "articles/a.md",
            article(
                "Plain",
                "https://news.example.org/world/1",
                "2024-03-01T09:00:00Z",
            ),
        )
        .with_file(
            "articles/b.md",
            article(
                "Tracked",
                "http://NEWS.example.org/world/1?utm_source=feed&utm_campaign=x#comments",
                "2024-03-01T10:00:00Z",
            ),
        )
        .with_file(
            "articles/c.md",
            article(
                "Newsletter",
                "https://news.example.org/world/1?mc_cid=9&td=amp-keepreading-btm",
                "2024-03-01T08:00:00Z",
            ),
        )
        .with_file(
            "articles/d.md",
            article(
                "Other id",
                "https://news.example.org/world/1?id=2",
                "2024-03-01T07:00:00Z",
            ),
        )
        .with_file(
            "articles/e.md",
            article(
                "Other path",
                "https://news.example.org/world/1/",
                "2024-03-01T07:00:00Z",
            ),
        );
    // `td` tracks only when the settings say so: without them, c is a story of its own.
    project
        .build()
        .status(0)
        .stderr(str![[r#"
warning: articles/a.md: the same story as articles/b.md under another link (https://news.example.org/world/1 here, http://news.example.org/world/1?utm_source=feed&utm_campaign=x#comments there), which is newer, and is published instead
feedsmith: 5 articles read: 4 published, 0 unpublished, 0 rejected, 1 duplicate; [..]

"#]]);
    project.write("feedsmith.yaml", "tracking_params: [td]\n");
    project
        .build_with(&["--config", "feedsmith.yaml"])
        .status(0)
        .stderr(str![[r#"
warning: articles/a.md: the same story as articles/b.md under another link (https://news.example.org/world/1 here, http://news.example.org/world/1?utm_source=feed&utm_campaign=x#comments there), which is newer, and is published instead
warning: articles/c.md: the same story as articles/b.md under another link (https://news.example.org/world/1?mc_cid=9&td=amp-keepreading-btm here, http://news.example.org/world/1?utm_source=feed&utm_campaign=x#comments there), which is newer, and is published instead
feedsmith: 5 articles read[..]: 3 published, 0 unpublished, 0 rejected, 2 duplicates; [..]

"#]])
        .file("feeds/topics/world/rss.xml", |rss| {
            let titles: Vec<&str> = ["Tracked", "Other id", "Other path"]
                .into_iter()
                .filter(|t| rss.contains(&format!("<title>{t}</title>")))
                .collect();
            assert_eq!(titles, ["Tracked", "Other id", "Other path"], "{rss}");
            assert_eq!(rss.matches("<item>").count(), 3, "{rss}");
            // Published under its own link, exactly as written (the parser's form).
            assert!(rss.contains("<link>http://news.example.org/world/1?utm_source=feed&amp;utm_campaign=x#comments</link>"), "{rss}");
        });
}

#[test]
fn duplicates_never_cost_a_feed_its_limit() {
    // The older copy of the story is in topic Updates; with a limit of 1 it can push the
    // other Updates story out before the newer copy (same link) is read.
    let project = Project::fixture("fixtures/duplicates");
    project.edit("articles/a-older.txt", |text| {
        text.replace("[Updates]", "[Archive]")
    });
    project.edit("articles/c-other.txt", |text| {
        text.replace("2023-05-02", "2023-04-02")
            .replace("[Updates]", "[Archive]")
    });
    project.build_with(&["--limit", "1"]).status(0).file(
        "feeds/topics/archive/rss.xml",
        |archive| {
            assert_eq!(archive.matches("<item>").count(), 1, "{archive}");
            assert!(archive.contains("Another story"), "{archive}");
        },
    );
}

#[test]
fn colliding_topic_slugs_follow_the_documented_rule_and_are_reported() {
    let project = Project::fixture("fixtures/collisions");
    project
        .build()
        .status(0)
        .stderr(str![[r#"
warning: articles/c.txt: topic names share the slug "c": "c" gets c, "c#" gets c-b54a8023, "c++" gets c-0dae8bb0; see "Topic slugs" in docs/output.md
feedsmith: 3 articles read: 3 published, 0 unpublished, 0 rejected; 19 files written, 0 unchanged

"#]])
        // "C" and "c" are one topic: both articles are in the plain `c` feed.
        .file("feeds/topics/c/rss.xml", |c| {
            assert!(c.contains("C turns 50") && c.contains("C# 13 ships"), "{c}");
            assert!(!c.contains("C++26"), "{c}");
        });
    assert_eq!(
        project.entries("feeds/topics"),
        ["c", "c-0dae8bb0", "c-b54a8023"]
    );
}

#[test]
fn limit_keeps_the_newest_entries() {
    Project::fixture("fixtures/collisions")
        .build_with(&["--limit", "2"])
        .status(0)
        .file("feeds/rss.xml", |rss| {
            let first = rss.find("C# 13 ships").expect(rss);
            let second = rss.find("C++26").expect(rss);
            assert!(first < second, "{rss}");
            assert!(!rss.contains("C turns 50"), "{rss}");
        });
}

#[test]
fn a_build_without_a_base_url_exits_2_saying_where_to_set_it() {
    Project::fixture("fixtures/collisions")
        .run(["build", "--input", "articles", "--output", "feeds"])
        .status(2)
        .stderr(str![[r#"
feedsmith: error: no base URL: set `base_url:` in feedsmith.yaml or pass --base-url URL (where the output folder is served, e.g. https://example.com/feeds/)

"#]])
        .no_file("feeds");
}

#[test]
fn a_missing_settings_file_exits_2_naming_it() {
    Project::fixture("fixtures/collisions")
        .build_with(&["--config", "missing.yaml"])
        .status(2)
        .stderr(str![[r#"
feedsmith: error: the settings file missing.yaml does not exist: create it, or pass --config with the file that holds your settings

"#]]);
}

#[test]
fn an_unknown_settings_key_exits_2_naming_the_file_and_the_key() {
    Project::fixture("fixtures/collisions")
        .with_file("bad.yaml", "titel: typo\n")
        .build_with(&["--config", "bad.yaml"])
        .status(2)
        .stderr(str![[r#"
feedsmith: error: bad.yaml: unknown field `titel`, expected one of `title`, `base_url`, `site_url`, `description`, `language`, `timezone`, `author`, `limit`, `max_file_bytes`, `strict_keys`, `tracking_params`, `content`, `max_feed_bytes`, `input`, `output`, `cache_dir`, `templates`, `feeds`, `headers`, `max_age`, `icon`, `logo`, `hub`, `curated`, `topics`, `providers`, `categories`; did you mean `title`?

"#]]);
}

#[test]
fn a_missing_input_folder_exits_2_naming_it() {
    Project::empty()
        .run(["build", "--input", "no-such-folder", "--base-url", BASE_URL])
        .status(2)
        .stderr(str![[r#"
feedsmith: error: the input folder no-such-folder does not exist: create it, or pass --input with the folder that holds your articles

"#]]);
}

#[test]
fn unknown_flags_and_a_zero_limit_are_usage_errors() {
    let project = Project::empty();
    project
        .run(["build", "--frobnicate"])
        .status(2)
        .stderr(str![[r#"
error: unexpected argument '--frobnicate' found

Usage: feedsmith build [OPTIONS]

For more information, try '--help'.

"#]]);
    project
        .run(["build", "--limit", "0"])
        .status(2)
        .stderr(str![[r#"
error: invalid value '0' for '--limit <N>': 0 is not in 1..=4294967295

For more information, try '--help'.

"#]]);
}

#[test]
fn build_help_lists_every_flag() {
    let project = Project::empty();
    let help = project.run(["build", "--help"]).status(0).stdout_text();
    for flag in [
        "--input",
        "--output",
        "--config",
        "--base-url",
        "--limit",
        "--skip-invalid",
        "--check",
        "--report",
        "--cache-dir",
        "--no-cache",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn settings_file_values_apply_and_flags_override_them() {
    let project = Project::fixture("fixtures/collisions").config(
        "title: Tiny Times\nbase_url: https://tiny.example/f\ninput: articles\noutput: out\nlimit: 1\n",
    );
    project.run(["build"]).status(0).file("out/rss.xml", |rss| {
        assert!(rss.contains("<title>Tiny Times</title>"), "{rss}");
        assert!(rss.contains("https://tiny.example/f/rss.xml"), "{rss}");
        assert_eq!(rss.matches("<item>").count(), 1, "{rss}");
    });
    project
        .run([
            "build",
            "--limit",
            "3",
            "--base-url",
            "https://other.example/",
        ])
        .status(0)
        .file("out/rss.xml", |rss| {
            assert_eq!(rss.matches("<item>").count(), 3, "{rss}");
            assert!(rss.contains("https://other.example/rss.xml"), "{rss}");
        });
}

#[test]
fn scheduled_articles_tell_ci_when_to_build_again() {
    let article = |title: &str, date: &str| {
        format!("---\ntitle: {title}\nwebUrl: https://x.example/{title}\npublishedDateTime: {date}\n---\n")
    };
    // The clock is 2025-11-24T16:00:00Z.
    let project = Project::empty()
        .clock(NOW)
        .with_file("articles/now.md", article("now", "2025-11-24T08:00:00Z"))
        .with_file(
            "articles/later.md",
            article("later", "2025-12-01T09:00:00+01:00"),
        )
        .with_file(
            "articles/soon.md",
            article("soon", "2025-11-25T06:30:00-05:00"),
        );
    let run = project.build_with(&["--report", "json"]);
    let json = run
        .status(0)
        .summary("feedsmith: 3 articles read: 1 published, 0 unpublished, 0 rejected, 2 scheduled (the next for 2025-11-25T06:30:00-05:00); [..]")
        .stdout_json();
    assert_eq!(json["next_scheduled"], "2025-11-25T06:30:00-05:00");
    assert_eq!(json["summary"]["scheduled"], 2);
    let json = Project::empty()
        .with_file("articles/now.md", article("now", "2025-11-24T08:00:00Z"))
        .clock(NOW)
        .build_with(&["--report", "json"])
        .status(0)
        .stdout_json();
    assert!(json["next_scheduled"].is_null(), "{json}");
}
