//! What real feed readers need from each format (see the standards notes): plain-text titles,
//! the predefined entities, JSON Feed 1.0's `author`, the lead image as an enclosure,
//! human-readable Atom category terms, the feed's icon and logo, and WebSub hub links.
//!
//! Each test builds articles it writes itself and reads the output as a strict XML parser
//! (or a JSON parser) would.

use roxmltree::Document;

use crate::harness::xml::{strict, strict_files, texts};
use crate::harness::Project;

/// The settings of every project here; `extra` adds lines.
fn settings(extra: &str) -> String {
    format!(
        "title: \"News & <Views>\"\nsite_url: \"https://example.com/\"\nauthor: \"The Desk\"\n{extra}"
    )
}

/// An article with a title that needs escaping, a link with `&`, a provider, a topic and,
/// when `image` is given, a lead image.
fn article(name: &str, image: Option<&str>) -> String {
    let images = image.map_or(String::new(), |url| {
        format!("images:\n  - {{url: \"{url}\", width: 640, height: 480}}\n")
    });
    format!(
        "---\ntitle: \"AT&T <News> for {name}\"\nexcerpt: \"Fish & chips < 5\"\nwebUrl: \"https://news.example.org/{name}?a=1&b=2\"\npublishedDateTime: 2023-01-01T00:00:00Z\nprovider: {{name: \"Wire & Co\", domain: \"wire.example.org\"}}\ntopics: [\"Science & Tech\"]\n{images}---\nBody.\n"
    )
}

/// A project with one article per (name, image) and `extra` settings, built successfully.
fn built(extra: &str, articles: &[(&str, Option<&str>)]) -> Project {
    let mut project = Project::empty().config(&settings(extra));
    for (name, image) in articles {
        project = project.with_file(&format!("articles/{name}.txt"), article(name, *image));
    }
    project.build().status(0);
    project
}

fn json(project: &Project, path: &str) -> serde_json::Value {
    serde_json::from_slice(&project.bytes(path)).unwrap()
}

/// The elements named `name` (any namespace) whose attribute `rel` is `rel`, as their `href`s.
fn links(xml: &str, rel: &str) -> Vec<String> {
    let doc = Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "link" && n.attribute("rel") == Some(rel))
        .map(|n| n.attribute("href").unwrap().to_string())
        .collect()
}

#[test]
fn atom_text_constructs_are_plain_text_escaped_exactly_once() {
    let project = built("", &[("a", None)]);
    let atom = strict("atom.xml", &project.bytes("feeds/atom.xml"));
    // Escaped once, in the source a reader that ignores `type` shows.
    assert!(
        atom.contains("<title>News &amp; &lt;Views&gt;</title>"),
        "{atom}"
    );
    assert!(
        atom.contains("<title>AT&amp;T &lt;News&gt; for a</title>"),
        "{atom}"
    );
    assert!(
        atom.contains("<summary>Fish &amp; chips &lt; 5</summary>"),
        "{atom}"
    );
    let doc = Document::parse(&atom).unwrap();
    for node in doc.descendants().filter(|n| {
        matches!(
            n.tag_name().name(),
            "title" | "subtitle" | "summary" | "rights"
        )
    }) {
        // No type attribute is RFC 4287's type="text".
        assert!(
            matches!(node.attribute("type"), None | Some("text")),
            "{:?} is {:?}",
            node.tag_name().name(),
            node.attribute("type")
        );
    }
    assert_eq!(
        texts(&atom, "title"),
        ["News & <Views>", "AT&T <News> for a"]
    );
    assert_eq!(texts(&atom, "summary"), ["Fish & chips < 5"]);
    // The content stays HTML.
    let content = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "content")))
        .unwrap();
    assert_eq!(content.attribute("type"), Some("html"));
}

#[test]
fn rss_text_uses_the_predefined_entities_never_hex_references() {
    let project = built("", &[("a", Some("https://img.example.org/a.jpg?w=1&h=2"))]);
    let rss = strict("rss.xml", &project.bytes("feeds/rss.xml"));
    assert!(
        rss.contains("<title>News &amp; &lt;Views&gt;</title>"),
        "{rss}"
    );
    assert!(
        rss.contains("<title>AT&amp;T &lt;News&gt; for a</title>"),
        "{rss}"
    );
    assert!(
        rss.contains("<link>https://news.example.org/a?a=1&amp;b=2</link>"),
        "{rss}"
    );
    assert_eq!(texts(&rss, "title")[1], "AT&T <News> for a");
    for (path, xml) in strict_files(&project.join("feeds")) {
        let lower = xml.to_lowercase();
        assert!(
            !lower.contains("&#x26;") && !lower.contains("&#x3c;") && !lower.contains("&#38;"),
            "{path} has a numeric reference"
        );
    }
}

#[test]
fn json_feed_items_and_feed_carry_the_1_0_author_beside_authors() {
    let project = built("", &[("a", None)]);
    let doc = json(&project, "feeds/feed.json");
    assert_eq!(doc["author"], doc["authors"][0]);
    assert_eq!(doc["author"]["name"], "The Desk");
    let item = &doc["items"][0];
    assert_eq!(item["author"], item["authors"][0]);
    assert_eq!(item["author"]["name"], "Wire & Co");
    assert_eq!(item["author"]["url"], "https://wire.example.org/");
}

#[test]
fn the_lead_image_is_an_enclosure_of_its_type_with_length_0_in_rss_and_atom() {
    let project = built(
        "",
        &[
            ("a", Some("https://img.example.org/lead.PNG?w=1&h=2")),
            ("b", Some("https://img.example.org/picture?id=7")),
            ("c", None),
        ],
    );
    let rss = strict("rss.xml", &project.bytes("feeds/rss.xml"));
    let doc = Document::parse(&rss).unwrap();
    let enclosures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("enclosure"))
        .map(|n| {
            let item = n.parent().unwrap();
            let title = item.children().find(|c| c.has_tag_name("title")).unwrap();
            (
                title.text().unwrap().to_string(),
                n.attribute("url").unwrap().to_string(),
                n.attribute("type").unwrap().to_string(),
                n.attribute("length").unwrap().to_string(),
            )
        })
        .collect();
    // Only "a": "b"'s URL names no image type, "c" has no image.
    assert_eq!(
        enclosures,
        [(
            "AT&T <News> for a".to_string(),
            "https://img.example.org/lead.PNG?w=1&h=2".to_string(),
            "image/png".to_string(),
            "0".to_string()
        )]
    );
    assert!(rss.contains("url=\"https://img.example.org/lead.PNG?w=1&amp;h=2\""));
    // Media RSS stays, for every image.
    assert_eq!(rss.matches("<media:content ").count(), 2);

    let atom = strict("atom.xml", &project.bytes("feeds/atom.xml"));
    let doc = Document::parse(&atom).unwrap();
    let enclosures: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "link" && n.attribute("rel") == Some("enclosure"))
        .map(|n| {
            (
                n.attribute("href").unwrap().to_string(),
                n.attribute("type").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        enclosures,
        [(
            "https://img.example.org/lead.PNG?w=1&h=2".to_string(),
            "image/png".to_string()
        )]
    );
    assert_eq!(atom.matches("<media:content ").count(), 2);

    // JSON Feed: `image` for every lead image, attachments only of a known type.
    let doc = json(&project, "feeds/feed.json");
    let items = doc["items"].as_array().unwrap();
    let by_title = |t: &str| items.iter().find(|i| i["title"] == t).unwrap();
    let a = by_title("AT&T <News> for a");
    assert_eq!(a["image"], "https://img.example.org/lead.PNG?w=1&h=2");
    assert_eq!(a["attachments"][0]["mime_type"], "image/png");
    let b = by_title("AT&T <News> for b");
    assert_eq!(b["image"], "https://img.example.org/picture?id=7");
    assert!(b.get("attachments").is_none());
}

#[test]
fn atom_category_term_is_the_topic_name_with_feedsmith_topics_as_scheme() {
    let project = built("", &[("a", None)]);
    let atom = strict("atom.xml", &project.bytes("feeds/atom.xml"));
    let doc = Document::parse(&atom).unwrap();
    let category = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "category")))
        .unwrap();
    assert_eq!(category.attribute("term"), Some("Science & Tech"));
    assert_eq!(category.attribute("label"), Some("Science & Tech"));
    assert_eq!(
        category.attribute("scheme"),
        Some("https://example.com/feeds/topics/")
    );
    let rss = strict("rss.xml", &project.bytes("feeds/rss.xml"));
    assert_eq!(texts(&rss, "category"), ["Science & Tech"]);
    assert!(rss.contains("<category domain=\"https://example.com/feeds/topics/\">"));
}

#[test]
fn icon_and_logo_are_written_in_every_format_when_set() {
    let project = built(
        "icon: \"https://example.com/icon.png?v=1&s=2\"\nlogo: \"https://example.com/logo.svg\"\n",
        &[("a", None)],
    );
    for dir in ["feeds/", "feeds/topics/science-tech/"] {
        let rss = strict("rss.xml", &project.bytes(&format!("{dir}rss.xml")));
        let doc = Document::parse(&rss).unwrap();
        let channel = doc
            .descendants()
            .find(|n| n.has_tag_name("channel"))
            .unwrap();
        let child = |node: roxmltree::Node, name: &str| {
            node.children()
                .find(|c| c.has_tag_name(name))
                .and_then(|c| c.text())
                .map(str::to_string)
        };
        let image = channel
            .children()
            .find(|c| c.has_tag_name("image"))
            .expect("an RSS image");
        assert_eq!(
            child(image, "url").as_deref(),
            Some("https://example.com/icon.png?v=1&s=2")
        );
        // RSS wants the image's title and link to be the channel's own.
        assert_eq!(child(image, "title"), child(channel, "title"));
        assert_eq!(child(image, "link"), child(channel, "link"));

        let atom = strict("atom.xml", &project.bytes(&format!("{dir}atom.xml")));
        assert_eq!(
            texts(&atom, "icon"),
            ["https://example.com/icon.png?v=1&s=2"]
        );
        assert_eq!(texts(&atom, "logo"), ["https://example.com/logo.svg"]);

        let doc = json(&project, &format!("{dir}feed.json"));
        assert_eq!(doc["icon"], "https://example.com/icon.png?v=1&s=2");
        assert_eq!(doc["favicon"], "https://example.com/icon.png?v=1&s=2");
    }
}

#[test]
fn icon_and_logo_are_left_out_when_unset() {
    let project = built("", &[("a", Some("https://img.example.org/a.jpg"))]);
    let rss = strict("rss.xml", &project.bytes("feeds/rss.xml"));
    assert!(!rss.contains("<image>"), "{rss}");
    let atom = strict("atom.xml", &project.bytes("feeds/atom.xml"));
    assert!(
        !atom.contains("<icon>") && !atom.contains("<logo>"),
        "{atom}"
    );
    let doc = json(&project, "feeds/feed.json");
    assert!(doc.get("icon").is_none() && doc.get("favicon").is_none());
}

#[test]
fn websub_hubs_are_linked_in_every_format_beside_exactly_one_self_link() {
    let project = built(
        "hub: [\"https://hub.example.net/\", \"https://pubsub.example.org/hub?x=1&y=2\"]\n",
        &[("a", None)],
    );
    let hubs = [
        "https://hub.example.net/",
        "https://pubsub.example.org/hub?x=1&y=2",
    ];
    for dir in ["feeds/", "feeds/topics/science-tech/"] {
        for format in ["rss.xml", "atom.xml"] {
            let path = format!("{dir}{format}");
            let xml = strict(&path, &project.bytes(&path));
            assert_eq!(links(&xml, "hub"), hubs, "{path}");
            assert_eq!(
                links(&xml, "self"),
                [format!("https://example.com/{}", &path)],
                "{path}"
            );
        }
        let doc = json(&project, &format!("{dir}feed.json"));
        assert_eq!(
            doc["hubs"],
            serde_json::json!([
                {"type": "WebSub", "url": hubs[0]},
                {"type": "WebSub", "url": hubs[1]},
            ])
        );
    }
}

#[test]
fn a_single_hub_setting_is_one_hub_link() {
    let project = built("hub: \"https://hub.example.net/\"\n", &[("a", None)]);
    let rss = strict("rss.xml", &project.bytes("feeds/rss.xml"));
    assert_eq!(links(&rss, "hub"), ["https://hub.example.net/"]);
}

#[test]
fn no_hub_links_when_no_hub_is_set() {
    let project = built("", &[("a", None)]);
    for format in ["rss.xml", "atom.xml"] {
        let xml = strict(format, &project.bytes(&format!("feeds/{format}")));
        assert!(links(&xml, "hub").is_empty(), "{format}");
        assert_eq!(links(&xml, "self").len(), 1, "{format}");
    }
    assert!(json(&project, "feeds/feed.json").get("hubs").is_none());
}
