//! Each feed's HTML page, without a browser: it exists beside every feed (`articles.html` for
//! the all-articles feed at the root), is well-formed (the pages are written as polyglot
//! markup, so a strict XML parser reads them), names the feed's three addresses in its
//! autodiscovery links and its subscribe list, shows hostile text as text, is linked from
//! `index.html`, goes away with its feed, and is rewritten only with its feed. (That the
//! feed cache plans exactly the files `render::feed` writes, page included, is a unit test
//! in `src/render/mod.rs`.)
//! Every page's Content-Security-Policy allows exactly the style and script it inlines, by
//! their SHA-256.
//! `browser.rs` opens the same pages in Chromium.

use snapbox::str;

use crate::harness::{assert_same_files, Project, BASE_URL, NOW};

/// Every format's file name and media type, as a feed's page must link them.
const FORMATS: [(&str, &str); 3] = [
    ("rss.xml", "application/rss+xml"),
    ("atom.xml", "application/atom+xml"),
    ("feed.json", "application/feed+json"),
];

/// The `browser` fixture (a hostile article among them), its image URLs pointed at
/// [`BASE_URL`], built into `feeds/`.
fn built() -> Project {
    built_with_settings("")
}

/// The `browser` fixture with `yaml` added to its settings, built into `feeds/` at the
/// harness's fixed time.
fn built_with_settings(yaml: &str) -> Project {
    let project = Project::fixture("browser").clock(NOW);
    project.edit("feedsmith.yaml", |text| format!("{text}{yaml}"));
    for name in project.entries("articles") {
        project.edit(&format!("articles/{name}"), |text| {
            text.replace("{{BASE}}", BASE_URL)
        });
    }
    project
        .build_with(&["--config", "feedsmith.yaml"])
        .status(0);
    project
}

/// The text of `node` and everything in it.
fn text_of(node: &roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// Every feed's folder below `feeds/` ("" for the root), found by its `rss.xml`.
fn feed_dirs(project: &Project) -> Vec<String> {
    let dirs: Vec<String> = project
        .files("feeds")
        .into_iter()
        .filter_map(|f| f.strip_suffix("rss.xml").map(str::to_string))
        .collect();
    assert!(dirs.len() > 3, "too few feeds: {dirs:?}");
    dirs
}

/// The page of the feed in `dir`.
fn page_of(dir: &str) -> String {
    if dir.is_empty() {
        "articles.html".to_string()
    } else {
        format!("{dir}index.html")
    }
}

#[test]
fn every_feed_has_a_well_formed_page_linking_its_three_formats() {
    let project = built();
    for dir in feed_dirs(&project) {
        let path = page_of(&dir);
        let html = project.read(&format!("feeds/{path}"));
        let doc = roxmltree::Document::parse_with_options(
            &html,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{path} is not well-formed: {e}\n{html}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "html", "{path}");
        assert_eq!(root.attribute("lang"), Some("en-GB"), "{path}");
        let elements = |name: &str| {
            root.descendants()
                .filter(|n| n.tag_name().name() == name)
                .collect::<Vec<_>>()
        };

        let alternates: Vec<(Option<&str>, Option<&str>)> = elements("link")
            .iter()
            .filter(|l| l.attribute("rel") == Some("alternate"))
            .map(|l| (l.attribute("type"), l.attribute("href")))
            .collect();
        let expected: Vec<(Option<&str>, Option<String>)> = FORMATS
            .iter()
            .map(|(file, mime)| (Some(*mime), Some(format!("{BASE_URL}{dir}{file}"))))
            .collect();
        assert_eq!(
            alternates,
            expected
                .iter()
                .map(|(t, h)| (*t, h.as_deref()))
                .collect::<Vec<_>>(),
            "{path}: autodiscovery"
        );

        let urls: Vec<String> = elements("code")
            .iter()
            .filter(|c| c.attribute("class") == Some("url"))
            .map(|c| text_of(c))
            .collect();
        let buttons: Vec<&str> = elements("button")
            .iter()
            .filter_map(|b| b.attribute("data-url"))
            .collect();
        for (file, _) in FORMATS {
            let url = format!("{BASE_URL}{dir}{file}");
            assert!(urls.contains(&url), "{path}: no subscribe URL {url}");
            assert!(
                buttons.contains(&url.as_str()),
                "{path}: no copy button for {url}"
            );
        }
        assert!(
            elements("button")
                .iter()
                .all(|b| b.attribute("hidden").is_some()),
            "{path}: the copy buttons must stay hidden until the script shows them"
        );

        let up = "../".repeat(dir.matches('/').count());
        assert!(
            elements("a")
                .iter()
                .any(|a| a.attribute("href") == Some(&format!("{up}index.html"))),
            "{path}: no link back to the index of all feeds"
        );
        assert!(
            elements("a")
                .iter()
                .any(|a| a.attribute("href") == Some("https://aboutfeeds.com/")),
            "{path}: no link saying what a feed is"
        );
        let items = elements("article").len();
        assert!(items > 0, "{path}: no items");
        let feed: serde_json::Value =
            serde_json::from_str(&project.read(&format!("feeds/{dir}feed.json"))).unwrap();
        assert_eq!(
            items,
            feed["items"].as_array().unwrap().len(),
            "{path}: one item per feed item"
        );
    }
}

#[test]
fn the_index_links_every_feeds_page() {
    let project = built();
    let index = project.read("feeds/index.html");
    for dir in feed_dirs(&project) {
        let link = format!("<a href=\"{}\">", page_of(&dir));
        assert!(index.contains(&link), "index.html lacks {link}:\n{index}");
    }
}

#[test]
fn a_pages_items_are_newest_first_with_date_provider_image_and_summary() {
    let project = built();
    let page = project.read("feeds/topics/energy/index.html");
    let titles = [
        "<a href=\"https://news.example.org/energy/solar-town\">Solar farm kept a whole town&#39;s \
         lights on through the winter</a>",
        "<a href=\"https://news.example.org/energy/hostile?a=1&amp;b=2\">",
        "<a href=\"https://news.example.org/energie/eolien-en-mer\">",
        "<a href=\"https://news.example.org/city/energy-budget\">",
    ];
    let mut last = 0;
    for title in titles {
        let at = page
            .find(title)
            .unwrap_or_else(|| panic!("no {title} in\n{page}"));
        assert!(at > last, "{title} is out of order");
        last = at;
    }
    for needed in [
        "<time datetime=\"2025-03-04T08:00:00+00:00\">4 Mar 2025, 08:00 UTC</time>",
        // Written at +02:00: shown in UTC, the default `timezone`.
        "<time datetime=\"2025-03-02T07:30:00+00:00\">2 Mar 2025, 07:30 UTC</time>",
        "<span class=\"provider\">Example Times</span>",
        &format!("<img src=\"{BASE_URL}img/solar.svg\" alt=\"\""),
        "width=\"1200\" height=\"800\"",
        "The 40-hectare array and its battery store met 92% of demand",
        // No excerpt: the body as text.
        "<p class=\"summary\">The budget for 2025 &amp; 2026 puts heat pumps first.",
    ] {
        assert!(page.contains(needed), "no {needed} in\n{page}");
    }
}

#[test]
fn a_hostile_title_excerpt_and_provider_are_literal_text_on_the_page() {
    let project = built();
    let page = project.read("feeds/topics/energy/index.html");
    for literal in [
        "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Fish &amp; Chips &amp;amp; \
         &lt;b&gt;bold&lt;/b&gt; claims</a>",
        "<p class=\"summary\">Tags like &lt;b&gt;bold&lt;/b&gt; &amp; \
         &lt;script&gt;alert(&quot;excerpt&quot;)&lt;/script&gt; stay literal; so does &amp;lt;.</p>",
        "<span class=\"provider\">AT&amp;T &lt;News&gt;</span>",
    ] {
        assert!(page.contains(literal), "no {literal} in\n{page}");
    }
    // The page's own script, and nothing else, is a script.
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    for markup in ["<b>", "onerror", "javascript:"] {
        assert!(!page.contains(markup), "{markup} became markup:\n{page}");
    }
}

#[test]
fn the_site_icon_is_linked_from_every_page_when_set() {
    let project = built();
    assert!(!project
        .read("feeds/topics/energy/index.html")
        .contains("rel=\"icon\""));
    project.edit("feedsmith.yaml", |yaml| {
        format!("{yaml}icon: \"https://news.example.org/icon.png?a=1&b=2\"\n")
    });
    project
        .build_with(&["--config", "feedsmith.yaml"])
        .status(0);
    for dir in feed_dirs(&project) {
        let page = project.read(&format!("feeds/{}", page_of(&dir)));
        assert!(
            page.contains(
                "<link rel=\"icon\" href=\"https://news.example.org/icon.png?a=1&amp;b=2\" />"
            ),
            "{dir}: no icon link"
        );
    }
    assert!(
        project.read("feeds/index.html").contains(
            "<link rel=\"icon\" href=\"https://news.example.org/icon.png?a=1&amp;b=2\" />"
        ),
        "the index of all feeds links the icon too"
    );
}

#[test]
fn a_removed_topics_page_is_removed_with_its_feeds() {
    let project = Project::fixture("fixtures/topics");
    project
        .build()
        .status(0)
        .file("feeds/topics/alpha/index.html", |_| {});
    project.remove("articles/story-1.txt");
    project.remove("articles/story-2.txt");
    project
        .build()
        .status(0)
        .no_file("feeds/topics/alpha/index.html")
        .no_file("feeds/topics/alpha/rss.xml")
        .file("feeds/topics/beta/index.html", |_| {});
}

#[test]
fn a_changed_article_rewrites_only_the_pages_of_the_feeds_it_is_in() {
    let project = Project::fixture("fixtures/topics").settled();
    project.build().status(0);
    let alpha = project.modified("feeds/topics/alpha/index.html");
    project.edit("articles/story-3.txt", |text| {
        text.replace("Story 3", "Story Three")
    });
    project
        .build()
        .status(0)
        .file("feeds/topics/beta/index.html", |page| {
            assert!(page.contains("Story Three"), "{page}");
        })
        .file("feeds/articles.html", |page| {
            assert!(page.contains("Story Three"), "{page}");
        });
    assert_eq!(project.modified("feeds/topics/alpha/index.html"), alpha);
}

/// The text between `open` and the next `close` in `html`, which must hold exactly one.
fn only(html: &str, open: &str, close: &str, path: &str) -> String {
    assert_eq!(html.matches(open).count(), 1, "{path}: not one {open}");
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find(close).unwrap();
    html[start..end].to_string()
}

/// Checks that the policy of the page at `path` allows its one inline style and one inline
/// script by their hashes, and nothing else inline.
pub(crate) fn check_policy(path: &str, html: &str) {
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = |text: &str| {
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
    };
    let csp = only(
        html,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"",
        "\"",
        path,
    );
    let style = hash(&only(html, "<style>", "</style>", path));
    let script = hash(&only(html, "<script>", "</script>", path));
    assert!(
        csp.starts_with(&format!(
            "default-src 'none'; style-src 'sha256-{style}'; script-src 'sha256-{script}'; "
        )),
        "{path}: {csp}"
    );
    assert_eq!(csp.matches("sha256-").count(), 2, "{path}: {csp}");
    assert!(!csp.contains("unsafe"), "{path}: {csp}");
    assert!(
        !html.contains(" style=\""),
        "{path}: a style attribute the policy refuses"
    );
}

#[test]
fn every_pages_policy_allows_exactly_its_inline_style_and_script_by_hash() {
    let project = built();
    let pages: Vec<String> = project
        .files("feeds")
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() > 4, "{pages:?}");
    for path in pages {
        check_policy(&path, &project.read(&format!("feeds/{path}")));
    }
}

#[test]
fn the_pages_show_every_time_in_the_timezone_setting_and_the_feeds_keep_their_offsets() {
    let utc = built_with_settings("");
    let berlin = built_with_settings("timezone: Europe/Berlin\n");
    let page = berlin.read("feeds/topics/energy/index.html");
    for needed in [
        // 08:00Z
        "<time datetime=\"2025-03-04T09:00:00+01:00\">4 Mar 2025, 09:00 CET</time>",
        // 09:30+02:00
        "<time datetime=\"2025-03-02T08:30:00+01:00\">2 Mar 2025, 08:30 CET</time>",
        // 18:45-05:00 on 1 March is past midnight in Berlin: the date moves too.
        "<time datetime=\"2025-03-02T00:45:00+01:00\">2 Mar 2025, 00:45 CET</time>",
        // Related coverage, 12:00Z, by its date.
        "<time datetime=\"2024-03-01T13:00:00+01:00\">1 Mar 2024</time>",
        "Times are in Europe/Berlin.",
    ] {
        assert!(page.contains(needed), "no {needed} in\n{page}");
    }
    assert!(!page.contains(" UTC</time>"), "{page}");
    let index = berlin.read("feeds/index.html");
    assert!(
        index.contains("<time datetime=\"2025-03-04T09:00:00+01:00\">4 Mar 2025</time>"),
        "{index}"
    );
    assert!(index.contains("Dates are in Europe/Berlin."), "{index}");
    assert!(utc
        .read("feeds/topics/energy/index.html")
        .contains("Times are in UTC."));

    // The feeds are the same bytes whatever the pages' zone, each date in its own offset.
    let feeds = |project: &Project| {
        let mut tree = project.tree("feeds");
        tree.retain(|path, _| !path.ends_with(".html"));
        tree
    };
    let (utc_feeds, berlin_feeds) = (feeds(&utc), feeds(&berlin));
    assert!(utc_feeds.len() > 10, "{:?}", utc_feeds.keys());
    assert_same_files(&utc_feeds, &berlin_feeds, "changed with the pages' zone");
    let atom = berlin.read("feeds/topics/energy/atom.xml");
    assert!(atom.contains("2025-03-02T09:30:00+02:00"), "{atom}");
    assert!(atom.contains("2025-03-01T18:45:00-05:00"), "{atom}");
}

#[test]
fn an_unknown_timezone_exits_2_naming_the_key_and_the_nearest_zone() {
    Project::fixture("fixtures/topics")
        .config("timezone: Europe/Berln\n")
        .build()
        .status(2)
        .stderr(str![[r#"
feedsmith: error: feedsmith.yaml: `timezone` "Europe/Berln" is not a time zone: use an IANA name such as Europe/Berlin, an offset such as +01:00, or UTC; did you mean `Europe/Berlin`?

"#]])
        .no_file("feeds");
    Project::fixture("fixtures/topics")
        .build_with(&["--timezone", "+25:00"])
        .status(2)
        .stderr(str![[r#"
feedsmith: error: --timezone "+25:00" is not an offset: write it as +HH:MM or -HH:MM, less than 24 hours (+01:00, -05:30)

"#]]);
}

/// `html`, a page, parsed: the pages are polyglot markup, which a strict XML parser reads.
fn parse(html: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"))
}

/// Every element of `doc` named `name` whose `class` is `class`.
fn with_class<'a>(
    doc: &'a roxmltree::Document<'a>,
    name: &str,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name(name) && n.attribute("class") == Some(class))
        .collect()
}

#[test]
fn subscribe_urls_may_break_only_after_a_slash() {
    let project = built();
    for dir in feed_dirs(&project) {
        let path = page_of(&dir);
        let html = project.read(&format!("feeds/{path}"));
        let doc = parse(&html);
        let codes = with_class(&doc, "code", "url");
        assert_eq!(codes.len(), FORMATS.len(), "{path}");
        for (code, (file, _)) in codes.iter().zip(FORMATS) {
            // <span>piece/</span><wbr/><span>piece/</span>…<wbr/><span>file</span>
            let children: Vec<_> = code.children().collect();
            assert!(
                children.iter().all(|c| c.is_element()),
                "{path}: {children:?}"
            );
            let pieces: Vec<String> = children.iter().step_by(2).map(text_of).collect();
            assert!(children.iter().step_by(2).all(|c| c.has_tag_name("span")));
            assert!(children
                .iter()
                .skip(1)
                .step_by(2)
                .all(|c| c.has_tag_name("wbr")));
            assert_eq!(children.len(), 2 * pieces.len() - 1, "{path}");
            assert_eq!(pieces.concat(), format!("{BASE_URL}{dir}{file}"), "{path}");
            let (last, before) = pieces.split_last().unwrap();
            assert_eq!(last, file, "{path}");
            assert_eq!(before[0], "https://", "{path}: the scheme's // stays whole");
            for piece in before {
                let word = piece.trim_end_matches('/');
                assert!(
                    piece.ends_with('/') && !word.is_empty() && !word.contains('/'),
                    "{path}: {piece:?} is not one path segment and its slash"
                );
            }
        }
    }
    // Each piece is one box, so a line breaks inside one (at a hyphen, say) only when the
    // piece alone is wider than the line.
    let page = project.read("feeds/topics/energy/index.html");
    assert!(
        page.contains(".url span{display:inline-block;overflow-wrap:anywhere}"),
        "{page}"
    );
}

#[test]
fn a_lead_image_that_fails_to_load_leaves_no_box() {
    let project = built();
    let html = project.read("feeds/topics/energy/index.html");
    let doc = parse(&html);
    let images: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("img"))
        .collect();
    assert_eq!(images.len(), 2, "{html}");
    for img in images {
        // An image with an empty alt that fails represents nothing: the browser draws no
        // broken-image icon and no frame for it...
        assert_eq!(img.attribute("alt"), Some(""), "{html}");
        for refused in ["style", "onerror", "onload"] {
            assert_eq!(img.attribute(refused), None, "{html}");
        }
        // ...first in its card, floated beside the text, which reads the same without it.
        let card = img.parent_element().unwrap();
        assert_eq!(card.attribute("class"), Some("entry has-img"), "{html}");
        assert_eq!(card.first_element_child(), Some(img), "{html}");
        let text = img.next_sibling_element().unwrap();
        assert_eq!(text.attribute("class"), Some("text"), "{html}");
    }
    // ...as long as the stylesheet gives it no size of its own: a box of a set width or
    // aspect ratio is drawn, empty, when the image fails.
    let start = html.find(".entry img{").expect("a rule for the images") + 11;
    let rule = &html[start..start + html[start..].find('}').unwrap()];
    assert!(rule.contains("width:auto;height:auto;"), "{rule}");
    for sizing in ["aspect-ratio", "object-fit", "min-width", "min-height"] {
        assert!(!rule.contains(sizing), "{rule}");
    }
}

/// A project whose articles are `busy` on Busy, one every 14 hours back from 4 March 2025
/// 08:00 UTC, and 4 on Quiet, a week apart back from the same time.
fn rated(busy: usize) -> Project {
    let project = Project::empty();
    let newest = 1_741_075_200; // 2025-03-04T08:00:00Z
    let article = |topic: &str, i: usize, ago: i64| {
        let at = chrono_like(newest - ago);
        format!(
            "---\ntitle: \"{topic} {i}\"\nwebUrl: \"https://news.example.org/{topic}/{i}\"\n\
             publishedDateTime: {at}\ntopics: [{topic}]\n---\nBody.\n"
        )
    };
    for i in 0..busy {
        project.write(
            &format!("articles/busy-{i:02}.txt"),
            article("Busy", i, i as i64 * 14 * 3600),
        );
    }
    for i in 0..4 {
        project.write(
            &format!("articles/quiet-{i}.txt"),
            article("Quiet", i, i as i64 * 7 * 86_400),
        );
    }
    project
}

/// `seconds` since the epoch as RFC 3339 in UTC.
fn chrono_like(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[test]
fn a_feed_with_enough_entries_says_how_often_it_publishes_with_a_weekly_chart() {
    let project = rated(30).clock(NOW);
    project.build().status(0);
    // 30 articles 14 hours apart: 29 gaps in 406 hours, 12 a week; 12, 12 and 6 in the
    // weeks counted back from the newest.
    let page = project.read("feeds/topics/busy/index.html");
    let doc = parse(&page);
    let rate = with_class(&doc, "p", "rate");
    assert_eq!(rate.len(), 1, "{page}");
    assert_eq!(rate[0].text(), Some("Publishes about 12 articles a week "));
    let svg = rate[0].first_element_child().unwrap();
    assert_eq!(svg.tag_name().name(), "svg");
    assert_eq!(
        svg.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(svg.attribute("role"), Some("img"));
    assert_eq!(
        svg.first_element_child().and_then(|t| t.text()),
        Some("Articles per week, the 3 weeks to 4 Mar 2025, oldest first: 6, 12, 12")
    );
    let bars: Vec<&str> = svg
        .children()
        .filter(|n| n.has_tag_name("rect") && n.attribute("class").is_none())
        .map(|n| n.attribute("height").unwrap())
        .collect();
    assert_eq!(bars, ["10", "20", "20"], "{page}");

    let index = project.read("feeds/index.html");
    assert!(
        index.contains("<td class=\"rate\">about 12 articles a week <svg class=\"weeks\""),
        "{index}"
    );
    // 34 articles in all, Quiet's oldest three weeks back: 33 gaps in 21 days.
    let all = project.read("feeds/articles.html");
    assert!(
        all.contains("Publishes about 11 articles a week <svg"),
        "{all}"
    );

    // The rate comes from the entries' dates alone: a build years later writes the same page.
    let later = rated(30).clock("1900000000");
    later.build().status(0);
    assert_eq!(later.read("feeds/topics/busy/index.html"), page);
    assert_eq!(later.read("feeds/index.html"), index);
}

#[test]
fn a_feed_with_too_few_entries_shows_no_rate() {
    let project = rated(30).clock(NOW);
    project.build().status(0);
    let quiet = project.read("feeds/topics/quiet/index.html");
    assert!(!quiet.contains("class=\"rate\""), "{quiet}");
    assert!(!quiet.contains("<svg"), "{quiet}");
    let index = project.read("feeds/index.html");
    let row = index
        .lines()
        .find(|l| l.contains("<a href=\"topics/quiet/index.html\">"))
        .unwrap_or_else(|| panic!("no Quiet row in\n{index}"));
    assert!(row.contains("<td class=\"rate\"></td>"), "{row}");
    // Four entries are too few however close together; five are enough.
    let five = rated(5).clock(NOW);
    five.build().status(0);
    assert!(five
        .read("feeds/topics/busy/index.html")
        .contains("<p class=\"rate\">Publishes about "));
    let four = rated(4).clock(NOW);
    four.build().status(0);
    assert!(!four
        .read("feeds/topics/busy/index.html")
        .contains("class=\"rate\""));
}
