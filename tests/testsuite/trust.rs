//! Issue 16: what feedsmith refuses, and messages that say what really happened. Each test
//! runs the real binary as a user would.

use snapbox::str;

use crate::harness::Project;

const ARTICLE: &str = "---\ntitle: One\npublishedDateTime: 2024-03-01T09:00:00Z\nwebUrl: https://x.example/a\ntopics: [AI]\n---\n";

/// An article with its own link and topic.
fn article(n: usize, topic: &str) -> String {
    format!(
        "---\ntitle: Story {n}\npublishedDateTime: 2024-03-01T09:00:00Z\nwebUrl: https://x.example/{n}\ntopics: [{topic}]\n---\n"
    )
}

#[test]
fn issue_16_a_copied_file_is_published_once_in_every_feed() {
    let project = Project::empty()
        .with_file("in/a.md", ARTICLE)
        .with_file("in/copy.md", ARTICLE);
    // The cache on and off, the YAML fast path on and off.
    for (cache, yaml) in [
        (true, "fast"),
        (false, "fast"),
        (true, "slow"),
        (false, "slow"),
    ] {
        let mut args = vec![
            "build",
            "--input",
            "in",
            "--output",
            "out",
            "--base-url",
            "https://x.example/",
        ];
        if !cache {
            args.push("--no-cache");
        }
        project
            .cmd(args)
            .env("FEEDSMITH_YAML", yaml)
            .run()
            .status(0)
            .stderr_line("warning: in/copy.md: same webUrl (https://x.example/a) as in/a.md, which has the same date and sorts first by path, and is published instead")
            .summary("feedsmith: 2 articles read[..]: 1 published, 0 unpublished, 0 rejected, 1 duplicate; [..]");
        for feed in ["out/rss.xml", "out/topics/ai/rss.xml"] {
            assert_eq!(project.read(feed).matches("<item>").count(), 1, "{feed}");
        }
    }
}

#[test]
fn a_near_miss_of_published_is_refused_at_its_line_and_column() {
    let embargoed = "---\ntitle: Embargoed\npublishedDateTime: 2024-03-01T09:00:00Z\nwebUrl: https://x.example/e\npubished: false\n---\n";
    let project = Project::empty()
        .with_file("articles/good.md", article(1, "AI"))
        .with_file("articles/embargoed.md", embargoed);
    project.build().status(1).stderr(str![[r#"
error: `pubished` is not a key feedsmith reads: did you mean `published`? The article is held back, since guessing wrong could publish what must not be; rename the key
 --> articles/embargoed.md:5:1
  |
5 | pubished: false
  | ^

feedsmith: 2 articles read: 1 publishable, 0 unpublished, 1 rejected; nothing was written
feedsmith: 1 invalid article; nothing was written. Fix it, or pass --skip-invalid to publish the rest.

"#]]);
    // Even when the rest is published, the embargoed article is not.
    project.build_with(&["--skip-invalid"]).status(0);
    assert!(!project.read("feeds/rss.xml").contains("Embargoed"));
}

#[test]
fn other_near_misses_warn_and_strict_keys_makes_them_errors() {
    let typo = "---\ntitle: Typo\npublishedDateTime: 2024-03-01T09:00:00Z\nwebUrl: https://x.example/t\ntopic: [AI]\n---\n";
    let hugo = "---\ntitle: Hugo post\ndate: 2024-03-01\ntags: [AI]\n---\n";
    let project = Project::empty()
        .with_file("articles/typo.md", typo)
        .with_file("articles/hugo.md", hugo);
    project
        .run(["check", "--input", "articles"])
        .status(1)
        .stderr_line("warning: `date` is another generator's key, so feedsmith ignores it: write `publishedDateTime:`, RFC 3339 with a time and an offset, e.g. 2024-03-01T09:00:00Z")
        .stderr_line(" --> articles/hugo.md:3:1")
        .stderr_line("warning: `tags` is another generator's key, so feedsmith ignores it: write `topics:`, a list of names; each topic gets a feed")
        .stderr_line("warning: `topic` is not a key feedsmith reads, so it is ignored: did you mean `topics`?")
        .stderr_line(" --> articles/typo.md:5:1");
    // The typo alone: published (with the warning), unless the settings say strict.
    project.remove("articles/hugo.md");
    project
        .build()
        .status(0)
        .summary("feedsmith: 1 article read[..]: 1 published, 0 unpublished, 0 rejected; [..]");
    project.write("feedsmith.yaml", "strict_keys: true\n");
    project
        .build_with(&["--config", "feedsmith.yaml"])
        .status(1)
        .stderr_line("error: `topic` is not a key feedsmith reads, so it is ignored: did you mean `topics`? (an error here: `strict_keys: true` in the settings)");
}

#[test]
fn an_input_without_article_files_is_refused_and_nothing_published_is_lost() {
    let project = Project::empty().with_file("articles/a.md", article(1, "AI"));
    project.build().status(0);
    let before = project.tree("feeds");
    project.write("wrong/page.html", "<p>not an article</p>");
    project.write("wrong/notes.markdn", "---\ntitle: x\n---\n");
    project
        .run([
            "build", "--input", "wrong", "--output", "feeds", "--base-url", "https://example.com/feeds/",
        ])
        .status(2)
        .stderr(str![[r#"
feedsmith: error: wrong holds no article file: feedsmith reads files ending in .txt, .md, .markdown, .yaml, .yml, and the files there end in .html, .markdn; nothing was written or removed. Check --input (or `input:` in the settings file), or pass --allow-empty to publish an empty site

"#]]);
    assert_eq!(project.tree("feeds"), before, "nothing published was lost");
    project
        .run(["check", "--input", "wrong"])
        .status(2)
        .stderr_line("feedsmith: error: wrong holds no article file: feedsmith reads files ending in .txt, .md, .markdown, .yaml, .yml, and the files there end in .html, .markdn; nothing was written or removed. Check --input (or `input:` in the settings file), or pass --allow-empty to publish an empty site");
    // Asked for, an empty site is built.
    project
        .run([
            "build",
            "--input",
            "wrong",
            "--output",
            "feeds",
            "--base-url",
            "https://example.com/feeds/",
            "--allow-empty",
        ])
        .status(0)
        .summary(
            "feedsmith: 0 articles read: 0 published, 0 unpublished, 0 rejected; [..] removed",
        );
    assert!(!project.exists("feeds/topics/ai/rss.xml"));
}

#[test]
fn a_build_that_would_remove_most_feeds_is_refused() {
    let mut project = Project::empty();
    for n in 0..6 {
        project = project.with_file(&format!("articles/{n}.md"), article(n, &format!("T{n}")));
    }
    project.build().status(0);
    let before = project.tree("feeds");
    // Five of the six topics gone at once: 20 of 31 files.
    for n in 1..6 {
        project.remove(&format!("articles/{n}.md"));
    }
    project.build().status(2).stderr(str![[r#"
feedsmith: error: this build would remove 20 of the 31 files published in feeds (such as topics/t1/atom.xml); nothing was written or removed. If that is meant (a kind of feed turned off, topics renamed), pass --allow-removals; otherwise check --input and the settings

"#]]);
    assert_eq!(project.tree("feeds"), before, "nothing published was lost");
    project
        .build_with(&["--allow-removals"])
        .status(0)
        .summary("feedsmith: 1 article read[..]; [..], 20 removed");
    // One topic of several going is an ordinary build.
    let project = Project::empty()
        .with_file("articles/0.md", article(0, "A"))
        .with_file("articles/1.md", article(1, "A"))
        .with_file("articles/2.md", article(2, "B"));
    project.build().status(0);
    project.remove("articles/2.md");
    project
        .build()
        .status(0)
        .summary("feedsmith: 2 articles read[..], 4 removed");
}

#[test]
fn each_command_says_what_it_did() {
    let project = Project::empty().with_file("articles/a.md", article(1, "AI"));
    project
        .build_with(&["--check"])
        .status(1)
        .summary("feedsmith: 1 article read: 1 publishable, 0 unpublished, 0 rejected; would write 11 files, 0 up to date")
        .stderr_line("feedsmith: feeds is out of date: run `feedsmith build` and commit the result");
    project
        .build()
        .status(0)
        .summary("feedsmith: 1 article read[..]: 1 published, 0 unpublished, 0 rejected; 11 files written, 0 unchanged");
    project
        .build_with(&["--check"])
        .status(0)
        .summary("feedsmith: 1 article read[..]: 1 publishable, 0 unpublished, 0 rejected; would write 0 files, 11 up to date");
    project
        .run(["check", "--input", "articles"])
        .status(0)
        .summary("feedsmith: 1 article checked[..]: 1 publishable, 0 unpublished, 0 rejected")
        .stderr_lacks("written");
}

#[test]
fn field_problems_carry_their_line_and_column_in_json() {
    let project = Project::empty()
        .with_file(
            "articles/a.md",
            "---\ntitle: A\nwebUrl: news.example.net/f\npublishedDateTime: 1700000000\n---\n",
        )
        .with_file(
            "articles/b.md",
            "---\nexcerpt: no title, no link, no date\n---\n",
        );
    let run = project.run(["check", "--input", "articles", "--report", "json"]);
    let json = run.status(1).stdout_json();
    let problems: Vec<(String, u64, u64, String, String)> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_string(),
                p["line"].as_u64().expect("a line"),
                p["column"].as_u64().expect("a column"),
                p["kind"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let a = "articles/a.md".to_string();
    let b = "articles/b.md".to_string();
    assert_eq!(
        problems,
        [
            (a.clone(), 3, 9, "bad-url".into(), "`webUrl` \"news.example.net/f\" has no scheme: add https:// in front of it".into()),
            (a, 4, 20, "bad-date".into(), "`publishedDateTime` \"1700000000\" is a number: a Unix timestamp? write RFC 3339, e.g. 2023-11-14T22:13:20Z".into()),
            (b.clone(), 2, 1, "missing-field".into(), "no date: add `publishedDateTime:` as RFC 3339, e.g. 2022-05-26T22:46:00Z".into()),
            (b.clone(), 2, 1, "missing-field".into(), "no link: add `webUrl:` (or `originalUrl:`) with the article's http or https address".into()),
            (b, 2, 1, "missing-field".into(), "no title: add a non-empty `title:` to the front matter".into()),
        ]
    );
}
