//! Publishing for CI and static hosts: `build --check`, the JSON report, GitHub annotations,
//! completions and the man page, and the files beside the feeds (JSON Feed, index page, OPML,
//! `_headers`, group feeds and their switches).

use snapbox::str;

use crate::harness::{xml, Project};

#[test]
fn build_check_passes_when_up_to_date_and_fails_listing_what_would_change() {
    let project = Project::fixture("fixtures/topics");
    project.build().status(0);
    project
        .build_with(&["--check"])
        .status(0)
        .stderr_line("feedsmith: feeds is up to date");

    let before = project.bytes("feeds/topics/beta/rss.xml");
    project.edit("articles/story-3.txt", |text| {
        text.replace("Story 3", "Story Three")
    });
    project
        .build_with(&["--check"])
        .status(1)
        .stderr_line("would write feeds/topics/beta/rss.xml")
        .stderr_line("would write feeds/rss.xml")
        .stderr_lacks("would write feeds/topics/alpha/")
        .stderr_line(
            "feedsmith: feeds is out of date: run `feedsmith build` and commit the result",
        );
    assert_eq!(
        project.bytes("feeds/topics/beta/rss.xml"),
        before,
        "--check wrote"
    );

    project.remove("articles/story-3.txt");
    project.remove("articles/story-4.txt");
    project
        .build_with(&["--check"])
        .status(1)
        .stderr_line("would remove feeds/topics/beta/rss.xml");
    assert!(project.exists("feeds/topics/beta/rss.xml"));
}

#[test]
fn json_report_has_counts_problems_and_changes() {
    let project = Project::fixture("fixtures/mixed-invalid");
    let report = project
        .run(["check", "--input", "articles", "--report", "json"])
        .status(1)
        .stdout_json();
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

    let report = project
        .build_with(&["--skip-invalid", "--report", "json"])
        .status(0)
        .stdout_json();
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

    let report = project
        .run(["build", "--report", "json", "--input", "nope"])
        .status(2)
        .stdout_json();
    assert_eq!(report["status"], 2);
}

#[test]
fn github_actions_get_error_annotations_on_stdout() {
    let project = Project::fixture("fixtures/mixed-invalid");
    project
        .cmd(["check", "--input", "articles"])
        .env("GITHUB_ACTIONS", "true")
        .run()
        .status(1)
        .stdout(str![[r#"
::error file=articles/bad-yaml.txt,line=2,col=8,title=feedsmith yaml::the quote that opens this value is never closed: end it with " on the same line, or use single quotes
::error file=articles/no-title.md,line=2,col=1,title=feedsmith missing-field::no title: add a non-empty `title:` to the front matter

"#]]);
    // Outside GitHub Actions, stdout stays empty.
    project
        .run(["check", "--input", "articles"])
        .status(1)
        .stdout("");
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let project = Project::empty();
    for shell in ["bash", "zsh", "fish"] {
        let text = project.run(["completions", shell]).status(0).stdout_text();
        assert!(
            text.contains("feedsmith") && text.contains("skip-invalid"),
            "{shell}"
        );
    }
    let man = project.run(["manpage"]).status(0).stdout_text();
    assert!(
        man.starts_with(".ie") || man.contains(".TH feedsmith"),
        "{man}"
    );
    assert!(man.contains("build"));
}

/// The repository's seeds built into `feeds/`, without a cache.
fn seeds_built() -> Project {
    let project = Project::seeds();
    project.run(["build", "--no-cache"]).status(0);
    project
}

#[test]
fn json_feed_has_the_same_ids_authors_and_image_attachments() {
    let project = seeds_built();
    let bytes = project.bytes("feeds/topics/ai-hardware/feed.json");
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        doc["feed_url"],
        "https://example.com/feeds/topics/ai-hardware/feed.json"
    );
    let rss = feed_rs::parser::parse(project.bytes("feeds/topics/ai-hardware/rss.xml").as_slice())
        .unwrap();
    let json = feed_rs::parser::parse(bytes.as_slice()).unwrap();
    let rss_ids: Vec<&str> = rss
        .entries
        .iter()
        .map(|e| e.links[0].href.as_str())
        .collect();
    let items = doc["items"].as_array().unwrap();
    let json_ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(rss_ids, json_ids);
    assert_eq!(json.entries.len(), rss.entries.len());
    let seed = items
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
    let project = seeds_built();
    let feeds: Vec<String> = project
        .files("feeds")
        .into_iter()
        .filter(|p| p.ends_with("rss.xml"))
        .collect();
    assert!(
        feeds.iter().any(|p| p.starts_with("providers/"))
            && feeds.iter().any(|p| p.starts_with("categories/"))
    );
    let index = project.read("feeds/index.html");
    let opml_text = project.read("feeds/feeds.opml");
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
            )) && index.contains(&format!("href=\"https://example.com/feeds/{file}\" />")),
            "{mime}"
        );
    }
    assert!(
        index.contains("<html lang=\"en\">")
            && index.contains("<th scope=\"row\"><a href=\"topics/ai/index.html\">AI</a></th>")
    );
}

#[test]
fn group_feeds_can_be_switched_off_and_headers_switched_on() {
    Project::fixture("fixtures/mixed-invalid")
        .config("base_url: https://static.example/news/\ninput: articles\noutput: out\nheaders: true\nfeeds:\n  providers: false\n")
        .run(["build", "--skip-invalid"])
        .status(0)
        .no_file("out/providers")
        .file("out/topics/testing/rss.xml", |rss| {
            xml::strict("out/topics/testing/rss.xml", rss.as_bytes());
        })
        .file("out/_headers", |headers| {
            for rule in [
                "/news/topics/testing/rss.xml\n  Content-Type: application/xml; charset=utf-8\n",
                "/news/feed.json\n  Content-Type: application/feed+json; charset=utf-8\n",
                "/news/feeds.opml\n  Content-Type: text/x-opml; charset=utf-8\n",
                "/news/feed.xsl\n  Content-Type: text/xsl; charset=utf-8\n",
            ] {
                assert!(headers.contains(rule), "{rule:?} missing from:\n{headers}");
            }
        });
}

#[test]
fn every_feed_references_the_stylesheet_by_a_relative_path() {
    Project::fixture("fixtures/topics")
        .build()
        .status(0)
        .file("feeds/rss.xml", |rss| {
            assert!(rss.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>\n"), "{rss}");
        })
        .file("feeds/topics/alpha/atom.xml", |atom| {
            assert!(
                atom.contains("<?xml-stylesheet type=\"text/xsl\" href=\"../../feed.xsl\"?>"),
                "{atom}"
            );
        })
        .file("feeds/feed.xsl", |xsl| {
            xml::strict("feeds/feed.xsl", xsl.as_bytes());
        });
}

#[test]
fn headers_file_gives_every_file_its_type_and_a_cache_lifetime() {
    Project::fixture("fixtures/topics")
        .config("headers: true\nmax_age: 900\n")
        .build()
        .status(0)
        .file("feeds/_headers", |headers| {
            assert!(
                headers.contains("/feeds/rss.xml\n  Content-Type: application/xml; charset=utf-8\n  Cache-Control: public, max-age=900\n  X-Content-Type-Options: nosniff\n"),
                "{headers}"
            );
            assert_eq!(
                headers.matches("Cache-Control: public, max-age=900").count(),
                headers.matches("Content-Type:").count()
            );
        });
    Project::fixture("fixtures/topics")
        .config("headers: true\n")
        .build()
        .status(0)
        .file("feeds/_headers", |headers| {
            assert!(
                headers.contains("Cache-Control: public, max-age=600\n"),
                "{headers}"
            );
        });
}

#[test]
fn a_bad_icon_or_hub_url_is_a_settings_error_naming_the_key() {
    Project::fixture("fixtures/topics")
        .config("icon: /icon.png\n")
        .build()
        .status(2)
        .stderr_line(
            "feedsmith: error: feedsmith.yaml: `icon` \"/icon.png\" is not an absolute URL: write it whole, starting with https://",
        );
    Project::fixture("fixtures/topics")
        .config("hub: [https://hub.example.org/, \"ftp://x/\"]\n")
        .build()
        .status(2)
        .stderr_line(
            "feedsmith: error: feedsmith.yaml: `hub` \"ftp://x/\" must be an http or https URL",
        );
}
