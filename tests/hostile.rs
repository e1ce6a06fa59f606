//! Hostile input: every case is a fixture folder under `tests/hostile/` (or a file built here
//! when it is too large or too odd to commit), run through the real binary, with its exact
//! outcome asserted: exit status, messages, and what the output holds.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::*;

/// A fixed clock, so the scheduling rule gives the same answer on every run.
const NOW: &str = "1764000000"; // 2025-11-24T16:00:00Z

fn hostile(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/hostile").join(case),
        &dir.path().join("articles"),
    );
    dir
}

fn run(dir: &Path, extra: &[&str]) -> Output {
    build_command(dir, extra)
        .env("SOURCE_DATE_EPOCH", NOW)
        .output()
        .unwrap()
}

/// Every output file, strictly parsed; returns (path, text) pairs.
fn outputs(dir: &Path) -> Vec<(String, String)> {
    let feeds = dir.join("feeds");
    files(&feeds)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .map(|p| {
            let bytes = fs::read(feeds.join(&p)).unwrap();
            let text = strict_xml(&p, &bytes);
            (p.display().to_string(), text)
        })
        .collect()
}

/// The text of every `<name>` element in `xml`, decoded once by the XML parser.
fn texts(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

fn html_decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn assert_lines(err: &str, expected: &[&str]) {
    for line in expected {
        assert!(
            err.lines().any(|l| l == *line),
            "missing line:\n{line}\nin:\n{err}"
        );
    }
}

#[test]
fn markup_in_text_reaches_readers_as_the_same_literal_text_escaped_once() {
    let dir = hostile("markup");
    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let title = "<script>alert(1)</script> & &amp; ]]> <![CDATA[x]]> \"q\" 's";
    let excerpt = "Tags like <b>bold</b> & entities like &lt; stay literal text. ]]> too.";
    for (path, xml) in outputs(dir.path()) {
        if path.ends_with("rss.xml") {
            let titles = texts(&xml, "title");
            assert_eq!(titles[1], title, "{path}");
            // description is HTML: decoding the HTML once gives the text back.
            assert_eq!(
                html_decode(&texts(&xml, "description")[1]),
                excerpt,
                "{path}"
            );
            assert_eq!(texts(&xml, "creator"), ["AT&T <News>"], "{path}");
        } else {
            // Atom titles are type="html": XML-decoded once, HTML-decoded once.
            assert_eq!(html_decode(&texts(&xml, "title")[1]), title, "{path}");
            assert_eq!(html_decode(&texts(&xml, "summary")[0]), excerpt, "{path}");
        }
        let lower = xml.to_lowercase();
        // Tags may appear only escaped (as text the reader sees), never as live markup.
        for tag in ["<script", "<iframe", "<style", "<form"] {
            for (i, _) in lower.match_indices(tag) {
                let before = &lower[..i];
                assert!(
                    before.ends_with("&lt;") || before.ends_with("&#x3c;"),
                    "{path}: live {tag}"
                );
            }
        }
        for attr in ["onerror", "onclick", "javascript:", "data:text"] {
            assert!(!lower.contains(attr), "{path}: {attr}");
        }
        assert!(
            xml.contains("https://news.example.org/other/page"),
            "relative link resolved: {path}"
        );
    }
}

#[test]
fn forbidden_xml_characters_never_reach_the_output() {
    let dir = hostile("control-chars");
    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (path, xml) in outputs(dir.path()) {
        assert!(
            !xml.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')),
            "{path}"
        );
        if path == "rss.xml" {
            assert_eq!(texts(&xml, "title")[1], "Bell here and and and end");
            assert_eq!(texts(&xml, "category"), ["Control"]);
        }
    }
}

#[test]
fn only_absolute_http_urls_are_published_and_the_rest_reported() {
    let dir = hostile("urls");
    let out = run(dir.path(), &["--skip-invalid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_lines(
        &err,
        &[
            "error: articles/js-link.txt: `webUrl` must be an http or https URL: \"javascript:alert(1)\"",
            "error: articles/mailto-link.txt: `webUrl` must be an http or https URL: \"mailto:desk@example.org\"",
            "error: articles/relative-link.txt: `webUrl` is not an absolute URL: \"/news/relative\"",
            "warning: articles/good.txt: images[0].url must be an http or https URL: \"ftp://img.example.org/a.jpg\"; it was left out",
            "warning: articles/good.txt: images[1].url must be an http or https URL: \"data:image/png;base64,AAAA\"; it was left out",
            "warning: articles/good.txt: images[2].url is not an absolute URL: \"//img.example.org/proto-relative.jpg\"; it was left out",
            "warning: articles/good.txt: provider domain \"evil.example.com/path?x=<1>\" is not a host name; it was left out",
            "warning: articles/good.txt: related[0].webUrl must be an http or https URL: \"javascript:alert(1)\"; the item was left out",
            "warning: articles/good.txt: related[1].webUrl must be an http or https URL: \"vbscript:x\"; the item was left out",
        ],
    );
    for (path, xml) in outputs(dir.path()) {
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for node in doc.descendants() {
            for attr in node.attributes() {
                if matches!(attr.name(), "href" | "url" | "src" | "uri") {
                    assert!(
                        attr.value().starts_with("https://"),
                        "{path}: {}",
                        attr.value()
                    );
                }
            }
            if matches!(node.tag_name().name(), "link" | "guid" | "uri") {
                if let Some(t) = node.text().filter(|t| !t.trim().is_empty()) {
                    assert!(t.starts_with("https://"), "{path}: {t}");
                }
            }
        }
        assert!(!xml.contains("evil.example.com"), "{path}");
    }
}

#[test]
fn no_topic_name_can_write_outside_the_output_folder() {
    let dir = hostile("topic-names");
    let out = run(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let topics: Vec<String> = fs::read_dir(dir.path().join("feeds/topics"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let mut sorted = topics.clone();
    sorted.sort();
    let x60 = "x".repeat(60);
    let mut expected = vec![
        "a-b",
        "abs",
        "c",
        "c-0dae8bb0",
        "con-topic",
        "etc",
        "fire-fire",
        "hidden",
        "nul-txt",
        "ri-ben",
        "topic-b4a03f2d",
        &x60,
    ];
    expected.sort();
    assert_eq!(sorted, expected);
    // Nothing escaped: the temp folder holds only the input and the output.
    let mut top: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    top.sort();
    assert_eq!(top, [".feedsmith-cache", "articles", "feeds"]);
    assert!(
        err.contains("topic names share the slug \"c\": \"c\" gets c, \"c++\" gets c-0dae8bb0"),
        "{err}"
    );
    assert_eq!(
        err.matches("an empty topic name was ignored").count(),
        2,
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_outside_the_input_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("outside.txt");
    fs::write(
        &secret,
        "---\ntitle: \"Outside secret\"\nwebUrl: https://e.com/outside\npublishedDateTime: 2023-01-01T00:00:00Z\n---\n",
    )
    .unwrap();
    let dir = fixture("collisions");
    std::os::unix::fs::symlink(&secret, dir.path().join("articles/link.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("articles/linked-dir.txt")).unwrap();
    // A link to a file inside the folder is fine.
    std::os::unix::fs::symlink("c.txt", dir.path().join("articles/inside-link.txt")).unwrap();
    let out = run(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: articles/link.txt: skipped: a symbolic link"),
        "{err}"
    );
    assert!(
        err.contains("warning: articles/linked-dir.txt: skipped"),
        "{err}"
    );
    for (path, xml) in outputs(dir.path()) {
        assert!(!xml.contains("Outside secret"), "{path}");
    }
    assert!(err.contains("4 articles read"), "{err}");
}

#[test]
fn timestamps_follow_the_documented_rules() {
    let dir = hostile("timestamps");
    let out = run(dir.path(), &["--skip-invalid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_lines(
        &err,
        &[
            "error: articles/date-only.txt: `publishedDateTime` \"2023-03-01\" is not a valid date-time (premature end of input); a date alone is not enough: add a time and an offset, e.g. 2022-05-26T00:00:00Z",
            "error: articles/year-0.txt: `publishedDateTime` \"0000-01-01T00:00:00Z\" is out of range: dates must fall in the years 1970 to 9999",
            "error: articles/year-1969.txt: `publishedDateTime` \"1969-12-31T23:59:59Z\" is out of range: dates must fall in the years 1970 to 9999",
            "warning: articles/year-9999.txt: dated in the future (9999-12-31T23:59:59+00:00); held back until a build after that time",
            "warning: articles/far-future.txt: dated in the future (2999-01-01T00:00:00+00:00); held back until a build after that time",
        ],
    );
    for rejected in ["impossible", "no-zone", "year-10000"] {
        assert!(
            err.contains(&format!(
                "error: articles/{rejected}.txt: `publishedDateTime`"
            )),
            "{rejected}: {err}"
        );
    }
    assert!(
        err.contains("11 articles read: 3 published, 0 unpublished, 6 rejected, 2 scheduled"),
        "{err}"
    );
    let rss = fs::read_to_string(dir.path().join("feeds/rss.xml")).unwrap();
    let dates = texts(&rss, "pubDate");
    assert_eq!(
        dates,
        [
            "Wed, 1 Mar 2023 12:00:00 +0000",
            "Wed, 1 Mar 2023 12:00:00 +0000",
            "Wed, 1 Mar 2023 12:00:00 +0530"
        ]
    );
    let atom = fs::read_to_string(dir.path().join("feeds/atom.xml")).unwrap();
    let published = texts(&atom, "published");
    assert!(
        published.contains(&"2023-03-01T12:00:00.123456+00:00".to_string()),
        "{published:?}"
    );
    assert!(
        published.contains(&"2023-03-01T12:00:00+05:30".to_string()),
        "{published:?}"
    );
    // The scheduled article is published by a build after its date.
    let later = std::process::Command::new(env!("CARGO_BIN_EXE_feedsmith"))
        .current_dir(dir.path())
        .args(["check", "--input", "articles"])
        .env("SOURCE_DATE_EPOCH", "32503680000") // year 3000
        .output()
        .unwrap();
    assert!(stderr(&later).contains("4 published"), "{}", stderr(&later));
}

#[test]
fn encodings_and_odd_files_get_clear_messages() {
    let dir = hostile("encoding");
    let out = run(dir.path(), &["--skip-invalid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_lines(
        &err,
        &[
            "error: articles/invalid-utf8.txt:2:12: the file is not valid UTF-8; save it as UTF-8",
            "error: articles/empty.txt: the file is empty; an article starts with a `---` line, then YAML front matter, then `---`",
            "error: articles/binary.txt:2:118: the file is not valid UTF-8; save it as UTF-8",
        ],
    );
    assert!(err.contains("error: articles/nul-inside.txt:2:1: invalid front matter: control characters are not allowed"), "{err}");
    assert!(
        err.contains("6 articles read: 2 published, 0 unpublished, 4 rejected"),
        "{err}"
    );
    let rss = fs::read_to_string(dir.path().join("feeds/rss.xml")).unwrap();
    assert!(rss.contains("<title>With BOM</title>") && rss.contains("<title>With CRLF</title>"));
    assert!(
        !rss.contains('\r'),
        "CRLF bodies are normalised by the XML writer or Markdown"
    );
}

#[test]
fn wrong_types_name_the_field_line_and_column() {
    let dir = hostile("wrong-types");
    let out = run(dir.path(), &["--skip-invalid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_lines(
        &err,
        &[
            "error: articles/duplicate-key.txt:2:1: invalid front matter: duplicate field `title`",
            "error: articles/not-a-mapping.txt:2:1: invalid front matter: invalid type: sequence, expected a mapping of `key: value` lines",
            "error: articles/published-string.txt:5:12: invalid front matter: published: invalid type: string \"false\", expected a boolean",
            "error: articles/quality-string.txt:5:10: invalid front matter: quality: invalid type: string \"high\", expected a number",
            "error: articles/topics-string.txt:5:9: invalid front matter: topics: invalid type: string \"AI\", expected a sequence",
            "error: articles/width-text.txt:7:12: invalid front matter: images[0].width: invalid type: string \"wide\", expected a whole number (0 to 4294967295)",
        ],
    );
    // A number where text is expected is read as its text (documented coercion).
    let rss = fs::read_to_string(dir.path().join("feeds/rss.xml")).unwrap();
    assert!(rss.contains("<title>2024</title>"), "{rss}");
}

fn article(url: &str, extra: &str) -> String {
    format!("---\ntitle: \"T\"\nwebUrl: \"{url}\"\npublishedDateTime: 2023-01-01T00:00:00Z\n{extra}---\n")
}

#[test]
fn resource_limits_reject_or_trim_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("articles");
    fs::create_dir(&a).unwrap();
    // Over the 1 MiB default.
    let mut big = article("https://e.com/big", "");
    big.push_str(&"word ".repeat(220_000));
    fs::write(a.join("big.txt"), big).unwrap();
    // 10,000 topics.
    let topics: String = (0..10_000).map(|i| format!("  - topic {i}\n")).collect();
    fs::write(
        a.join("topics.txt"),
        article("https://e.com/topics", &format!("topics:\n{topics}")),
    )
    .unwrap();
    // 500 related items: published, trimmed to 20.
    let related: String = (0..500)
        .map(|i| format!("  - {{title: \"R{i}\", webUrl: \"https://r.example.org/{i}\"}}\n"))
        .collect();
    fs::write(
        a.join("related.txt"),
        article("https://e.com/related", &format!("related:\n{related}")),
    )
    .unwrap();
    // Deep nesting.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    fs::write(
        a.join("deep.txt"),
        article("https://e.com/deep", &format!("related: {deep}\n")),
    )
    .unwrap();
    // An alias bomb (billion laughs) in a field that is read.
    let mut bomb = String::from(
        "x0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = format!("*a{}", i - 1);
        bomb.push_str(&format!("x{i}: &a{i} [{}]\n", [p.as_str(); 9].join(",")));
    }
    bomb.push_str("topics: *a9\n");
    fs::write(a.join("bomb.txt"), article("https://e.com/bomb", &bomb)).unwrap();
    let out = run(dir.path(), &["--skip-invalid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_lines(
        &err,
        &[
            "error: articles/big.txt: the file is larger than the limit of 1048576 bytes; shorten it or raise max_file_bytes in feedsmith.yaml",
            "error: articles/topics.txt: 10000 topics; an article may have at most 100",
            "warning: articles/related.txt: 500 related items; only the first 20 are published",
        ],
    );
    assert!(err.contains("error: articles/deep.txt:"), "{err}");
    assert!(err.contains("error: articles/bomb.txt:"), "{err}");
    assert!(
        err.contains("5 articles read: 1 published, 0 unpublished, 4 rejected"),
        "{err}"
    );
    let atom = fs::read_to_string(dir.path().join("feeds/atom.xml")).unwrap();
    assert_eq!(atom.matches("rel=\"related\"").count(), 20);
}

#[test]
fn secured_values_of_any_shape_appear_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("articles");
    fs::create_dir(&a).unwrap();
    fs::write(
        a.join("a.txt"),
        article(
            "https://e.com/a",
            "topics: [X]\nsecured:\n  key: LEAK-MAPPING-VALUE\n  list: [LEAK-LIST-VALUE]\n",
        ),
    )
    .unwrap();
    fs::write(
        a.join("b.txt"),
        article(
            "https://e.com/b",
            "topics: [X]\nsecured: LEAK-SCALAR-VALUE\n",
        ),
    )
    .unwrap();
    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for path in files(&dir.path().join("feeds")) {
        let bytes = fs::read(dir.path().join("feeds").join(&path)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("LEAK-"), "{}", path.display());
    }
}

#[test]
fn feeds_of_removed_topics_are_deleted_but_foreign_files_kept() {
    let dir = fixture("collisions");
    assert_eq!(run(dir.path(), &[]).status.code(), Some(0));
    let feeds = dir.path().join("feeds");
    fs::write(feeds.join("about.html"), "mine").unwrap();
    fs::write(feeds.join("topics/c/notes.txt"), "mine too").unwrap();
    fs::create_dir_all(feeds.join("topics/handmade")).unwrap();
    fs::write(feeds.join("topics/handmade/rss.xml"), "<rss/>").unwrap();
    // The C++ article goes: its topic's feeds must go with it.
    fs::remove_file(dir.path().join("articles/cpp.txt")).unwrap();
    let cpp = ["c-0dae8bb0"];
    assert!(feeds.join("topics/c-0dae8bb0/rss.xml").exists());
    let out = run(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains(", 3 removed"), "{err}");
    for gone in &cpp {
        assert!(!feeds.join("topics").join(gone).exists(), "{gone}");
    }
    assert_eq!(
        fs::read_to_string(feeds.join("about.html")).unwrap(),
        "mine"
    );
    assert!(feeds.join("topics/c/notes.txt").exists());
    assert!(feeds.join("topics/handmade/rss.xml").exists());
}

#[test]
fn a_file_feedsmith_did_not_write_is_never_overwritten() {
    let dir = fixture("collisions");
    fs::create_dir_all(dir.path().join("feeds")).unwrap();
    fs::write(dir.path().join("feeds/index.html"), "my own page").unwrap();
    let out = run(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("feeds/index.html exists but feedsmith did not write it"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("feeds/index.html")).unwrap(),
        "my own page"
    );
}

#[test]
fn a_second_concurrent_build_is_refused_clearly() {
    let dir = fixture("collisions");
    fs::create_dir_all(dir.path().join("feeds")).unwrap();
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join("feeds/.feedsmith.lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = run(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("another feedsmith build is writing to this output folder"));
    assert!(!dir.path().join("feeds/rss.xml").exists());
    drop(lock);
    assert_eq!(run(dir.path(), &[]).status.code(), Some(0));
}
