//! Publishing for CI and static hosts: `build --check`, the JSON report, GitHub annotations,
//! completions and the man page, and the files beside the feeds (JSON Feed, index page, OPML,
//! `_headers`, group feeds and their switches).

mod common;

use std::fs;
use std::process::Command;

use common::*;

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn build_check_passes_when_up_to_date_and_fails_listing_what_would_change() {
    let dir = fixture("topics");
    assert_eq!(build(dir.path(), &[]).status.code(), Some(0));
    let out = build(dir.path(), &["--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("feeds is up to date"),
        "{}",
        stderr(&out)
    );

    let story = dir.path().join("articles/story-3.txt");
    let before = fs::read(dir.path().join("feeds/topics/beta/rss.xml")).unwrap();
    fs::write(
        &story,
        fs::read_to_string(&story)
            .unwrap()
            .replace("Story 3", "Story Three"),
    )
    .unwrap();
    let out = build(dir.path(), &["--check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("would write feeds/topics/beta/rss.xml"),
        "{err}"
    );
    assert!(err.contains("would write feeds/rss.xml"), "{err}");
    assert!(!err.contains("would write feeds/topics/alpha/"), "{err}");
    assert!(err.contains("is out of date"), "{err}");
    assert_eq!(
        fs::read(dir.path().join("feeds/topics/beta/rss.xml")).unwrap(),
        before,
        "--check wrote"
    );

    fs::remove_file(&story).unwrap();
    fs::remove_file(dir.path().join("articles/story-4.txt")).unwrap();
    let out = build(dir.path(), &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("would remove feeds/topics/beta/rss.xml"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("feeds/topics/beta/rss.xml").exists());
}

#[test]
fn json_report_has_counts_problems_and_changes() {
    let dir = fixture("mixed-invalid");
    let out = feedsmith(
        dir.path(),
        &["check", "--input", "articles", "--report", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["command"], "check");
    assert_eq!(report["status"], 1);
    assert_eq!(report["summary"]["read"], 3);
    assert_eq!(report["summary"]["rejected"], 2);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2);
    let yaml = problems.iter().find(|p| p["kind"] == "yaml").unwrap();
    assert_eq!(yaml["file"], "articles/bad-yaml.txt");
    assert_eq!(yaml["severity"], "error");
    assert!(yaml["line"].as_u64().unwrap() >= 2 && yaml["column"].is_u64());

    let out = build(dir.path(), &["--skip-invalid", "--report", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(report["summary"]["published"], 1);
    let changed: Vec<&str> = report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        changed.contains(&"rss.xml") && changed.contains(&"topics/testing/atom.xml"),
        "{changed:?}"
    );

    let out = feedsmith(
        dir.path(),
        &["build", "--report", "json", "--input", "nope"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["status"], 2);
}

#[test]
fn github_actions_get_annotations() {
    let dir = fixture("mixed-invalid");
    let out = Command::new(env!("CARGO_BIN_EXE_feedsmith"))
        .current_dir(dir.path())
        .args(["check", "--input", "articles"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.lines().any(
            |l| l.starts_with("::error file=articles/bad-yaml.txt,line=")
                && l.contains("title=feedsmith yaml::invalid front matter")
        ),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("::error file=articles/no-title.md,title=feedsmith missing-field::no title"),
        "{stdout}"
    );
    // Outside GitHub Actions, stdout stays empty.
    let out = feedsmith(dir.path(), &["check", "--input", "articles"]);
    assert!(out.stdout.is_empty());
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = feedsmith(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("feedsmith") && text.contains("skip-invalid"),
            "{shell}"
        );
    }
    let out = feedsmith(dir.path(), &["manpage"]);
    assert_eq!(out.status.code(), Some(0));
    let man = String::from_utf8(out.stdout).unwrap();
    assert!(
        man.starts_with(".ie") || man.contains(".TH feedsmith"),
        "{man}"
    );
    assert!(man.contains("build"));
}

#[test]
fn json_feed_has_the_same_ids_authors_and_image_attachments() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("feeds");
    let out = feedsmith(
        &root(),
        &["build", "--no-cache", "--output", target.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bytes = fs::read(target.join("topics/ai-hardware/feed.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        doc["feed_url"],
        "https://example.com/feeds/topics/ai-hardware/feed.json"
    );
    let rss = feed_rs::parser::parse(
        fs::read(target.join("topics/ai-hardware/rss.xml"))
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    let json = feed_rs::parser::parse(bytes.as_slice()).unwrap();
    let rss_ids: Vec<&str> = rss
        .entries
        .iter()
        .map(|e| e.links[0].href.as_str())
        .collect();
    let json_ids: Vec<&str> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(rss_ids, json_ids);
    assert_eq!(json.entries.len(), rss.entries.len());
    let seed = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"].as_str().unwrap().contains("amd_azure_microsoft"))
        .unwrap();
    assert_eq!(seed["authors"][0]["name"], "theregister");
    assert_eq!(seed["authors"][0]["url"], "https://theregister.com/");
    assert_eq!(
        seed["attachments"][0]["url"],
        "https://regmedia.co.uk/2020/11/16/amdmi100.jpg"
    );
    assert_eq!(seed["attachments"][0]["mime_type"], "image/jpeg");
    assert_eq!(seed["date_published"], "2022-05-26T22:46:00+00:00");
    assert!(seed["content_html"]
        .as_str()
        .unwrap()
        .contains("Related coverage"));
}

#[test]
fn index_page_and_opml_list_every_feed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("feeds");
    let out = feedsmith(
        &root(),
        &["build", "--no-cache", "--output", target.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let feeds: Vec<String> = files(&target)
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.ends_with("rss.xml"))
        .collect();
    assert!(
        feeds.iter().any(|p| p.starts_with("providers/"))
            && feeds.iter().any(|p| p.starts_with("categories/"))
    );
    let index = fs::read_to_string(target.join("index.html")).unwrap();
    let opml_text = fs::read_to_string(target.join("feeds.opml")).unwrap();
    let opml = roxmltree::Document::parse(&opml_text).unwrap();
    let xml_urls: Vec<&str> = opml
        .descendants()
        .filter_map(|n| n.attribute("xmlUrl"))
        .collect();
    assert_eq!(xml_urls.len(), feeds.len());
    assert!(opml
        .descendants()
        .filter(|n| n.has_tag_name("outline"))
        .all(|n| n.attribute("text").is_some_and(|t| !t.is_empty())));
    for feed in &feeds {
        let dir = feed.trim_end_matches("rss.xml");
        for format in ["rss.xml", "atom.xml", "feed.json"] {
            assert!(
                index.contains(&format!("href=\"{dir}{format}\"")),
                "{dir}{format}"
            );
        }
        assert!(
            xml_urls.contains(&format!("https://example.com/feeds/{feed}").as_str()),
            "{feed}"
        );
    }
    for (mime, file) in [
        ("application/rss+xml", "rss.xml"),
        ("application/atom+xml", "atom.xml"),
        ("application/feed+json", "feed.json"),
    ] {
        assert!(
            index.contains(&format!(
                "<link rel=\"alternate\" type=\"{mime}\" title=\"feedsmith example news"
            )) && index.contains(&format!("href=\"https://example.com/feeds/{file}\">")),
            "{mime}"
        );
    }
    assert!(index.contains("<html lang=\"en\">") && index.contains("<th scope=\"row\">AI</th>"));
}

#[test]
fn group_feeds_can_be_switched_off_and_headers_switched_on() {
    let dir = fixture("mixed-invalid");
    fs::write(
        dir.path().join("feedsmith.yaml"),
        "base_url: https://static.example/news/\ninput: articles\noutput: out\nheaders: true\nfeeds:\n  providers: false\n",
    )
    .unwrap();
    let out = feedsmith(dir.path(), &["build", "--skip-invalid"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dir.path().join("out/providers").exists());
    assert!(dir.path().join("out/topics/testing/rss.xml").exists());
    let headers = fs::read_to_string(dir.path().join("out/_headers")).unwrap();
    assert!(
        headers.contains(
            "/news/topics/testing/rss.xml\n  Content-Type: application/xml; charset=utf-8\n"
        ),
        "{headers}"
    );
    assert!(
        headers.contains("/news/feed.json\n  Content-Type: application/feed+json; charset=utf-8\n"),
        "{headers}"
    );
    assert!(
        headers.contains("/news/feeds.opml\n  Content-Type: text/x-opml; charset=utf-8\n"),
        "{headers}"
    );
    assert!(
        headers.contains("/news/feed.xsl\n  Content-Type: text/xsl; charset=utf-8\n"),
        "{headers}"
    );
}

#[test]
fn every_feed_references_the_stylesheet_by_a_relative_path() {
    let dir = fixture("topics");
    assert_eq!(build(dir.path(), &[]).status.code(), Some(0));
    let root = fs::read_to_string(dir.path().join("feeds/rss.xml")).unwrap();
    assert!(root.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>\n"));
    let topic = fs::read_to_string(dir.path().join("feeds/topics/alpha/atom.xml")).unwrap();
    assert!(topic.contains("<?xml-stylesheet type=\"text/xsl\" href=\"../../feed.xsl\"?>"));
    let xsl = fs::read_to_string(dir.path().join("feeds/feed.xsl")).unwrap();
    roxmltree::Document::parse(&xsl).unwrap();
}
