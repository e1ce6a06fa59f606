//! Curated feeds (`curated:` in feedsmith.yaml): every filter and rank from the command
//! line, the window's edge, ties, an empty feed, slugs, listings, caching, settings errors.

use crate::harness::{xml, Project};

/// An article file: `n` names its title (`Story n`) and link; the rest are its fields.
struct A<'a> {
    n: u32,
    date: &'a str,
    topics: &'a [&'a str],
    provider: &'a str,
    category: &'a str,
    kind: &'a str,
    quality: Option<&'a str>,
    heat: Option<&'a str>,
}

impl A<'_> {
    fn text(&self) -> String {
        let mut s = format!(
            "---\ntitle: Story {n}\nwebUrl: https://news.example.org/{n}\npublishedDateTime: {}\n\
             category: {}\ntype: {}\nprovider:\n  name: {}\n  domain: p.example.org\ntopics:\n",
            self.date,
            self.category,
            self.kind,
            self.provider,
            n = self.n
        );
        for t in self.topics {
            s += &format!("  - {t}\n");
        }
        if let Some(q) = self.quality {
            s += &format!("quality: {q}\n");
        }
        if let Some(h) = self.heat {
            s += &format!("heat: {h}\n");
        }
        s + "---\nBody.\n"
    }
}

/// Eight articles over four days, with ties in score and in date.
fn newsroom(config: &str) -> Project {
    let articles = [
        A {
            n: 1,
            date: "2024-03-10T12:00:00Z",
            topics: &["AI", "Chips"],
            provider: "Reuters",
            category: "news",
            kind: "story",
            quality: Some("95"),
            heat: Some("40"),
        },
        A {
            n: 2,
            date: "2024-03-09T12:00:00Z",
            topics: &["AI"],
            provider: "Nikkei",
            category: "news",
            kind: "story",
            quality: Some("70"),
            heat: Some("90"),
        },
        A {
            n: 3,
            date: "2024-03-08T12:00:00Z",
            topics: &["Chips"],
            provider: "Nikkei",
            category: "markets",
            kind: "analysis",
            quality: Some("85"),
            heat: Some("90"),
        },
        A {
            n: 4,
            date: "2024-03-08T12:00:00Z",
            topics: &["Climate"],
            provider: "BBC",
            category: "news",
            kind: "story",
            quality: Some("85"),
            heat: Some("10"),
        },
        A {
            n: 5,
            date: "2024-03-07T12:00:00Z",
            topics: &["AI", "Chips"],
            provider: "The Verge",
            category: "tech",
            kind: "story",
            quality: Some("99"),
            heat: None,
        },
        A {
            n: 6,
            date: "2024-03-03T12:00:00Z",
            topics: &["AI"],
            provider: "Reuters",
            category: "news",
            kind: "video",
            quality: None,
            heat: Some("500"),
        },
        // Exactly 7 days before the newest article (n 1): on the edge of a 7d window.
        A {
            n: 7,
            date: "2024-03-03T12:00:00Z",
            topics: &["Chips"],
            provider: "Reuters",
            category: "news",
            kind: "story",
            quality: Some("60"),
            heat: Some("5"),
        },
        // A second older than the edge: outside it.
        A {
            n: 8,
            date: "2024-03-03T11:59:59Z",
            topics: &["Chips"],
            provider: "Reuters",
            category: "news",
            kind: "story",
            quality: Some("100"),
            heat: Some("999"),
        },
    ];
    let mut project = Project::empty().config(&format!("title: Desk\n{config}"));
    for a in &articles {
        project = project.with_file(&format!("articles/{:02}.txt", a.n), a.text());
    }
    project
}

/// The item titles of a built RSS feed, in order.
fn items(project: &Project, slug: &str) -> Vec<String> {
    let path = format!("feeds/curated/{slug}/rss.xml");
    let rss = xml::strict(&path, &project.bytes(&path));
    // The channel's own title and its image's come first.
    let titles = xml::texts(&rss, "title");
    let skip = if rss.contains("<image>") { 2 } else { 1 };
    titles[skip..].to_vec()
}

fn stories(ns: &[u32]) -> Vec<String> {
    ns.iter().map(|n| format!("Story {n}")).collect()
}

#[test]
fn each_rank_picks_its_limit_and_writes_it_newest_first() {
    let project = newsroom(
        "curated:\n\
         - {name: Newest, limit: 3}\n\
         - {name: Hottest, rank: heat, limit: 3}\n\
         - {name: Best, rank: quality, limit: 3}\n",
    );
    project.build().status(0);
    assert_eq!(items(&project, "newest"), stories(&[1, 2, 3]));
    // Heat: 8 (999), 6 (500), then 2 and 3 tie at 90 and 2 is newer.
    assert_eq!(items(&project, "hottest"), stories(&[2, 6, 8]));
    // Quality: 8 (100), 5 (99), 1 (95).
    assert_eq!(items(&project, "best"), stories(&[1, 5, 8]));
}

#[test]
fn ties_in_score_and_date_go_to_the_id_that_sorts_first() {
    // 3 and 4 share quality 85 and a date; the link of 3 sorts first.
    let project = newsroom("curated:\n- {name: Q, rank: quality, min_quality: 85, limit: 4}\n");
    project.build().status(0);
    assert_eq!(items(&project, "q"), stories(&[1, 3, 5, 8]));
    let project = newsroom("curated:\n- {name: Q, rank: quality, min_quality: 85, limit: 3}\n");
    project.build().status(0);
    assert_eq!(items(&project, "q"), stories(&[1, 5, 8]));
}

#[test]
fn an_article_exactly_on_the_window_edge_is_inside() {
    let project = newsroom("curated:\n- {name: Week, window: 7d, rank: heat}\n");
    project.build().status(0);
    // 8 is hotter than all, but a second too old; 7 sits on the edge.
    assert_eq!(items(&project, "week"), stories(&[1, 2, 3, 4, 5, 6, 7]));
}

#[test]
fn the_window_counts_from_the_newest_article_the_filters_select() {
    let project = newsroom("curated:\n- {name: Markets, categories: [Markets], window: 1d}\n- {name: Verge, providers: [the verge], window: 48h}\n");
    project.build().status(0);
    assert_eq!(items(&project, "markets"), stories(&[3]));
    assert_eq!(items(&project, "verge"), stories(&[5]));
}

#[test]
fn each_filter_selects_by_its_field() {
    let project = newsroom(
        "curated:\n\
         - {name: Any topic, topics: [climate, Chips]}\n\
         - {name: All topics, all_topics: [AI, chips]}\n\
         - {name: Two providers, topics: [Chips], providers: [Reuters, Nikkei]}\n\
         - {name: Category, categories: [tech, markets]}\n\
         - {name: Type, types: [video, Analysis]}\n\
         - {name: Quality, min_quality: 95}\n\
         - {name: Heat, min_heat: 90, window: 3d}\n",
    );
    project.build().status(0);
    assert_eq!(items(&project, "any-topic"), stories(&[1, 3, 4, 5, 7, 8]));
    assert_eq!(items(&project, "all-topics"), stories(&[1, 5]));
    assert_eq!(items(&project, "two-providers"), stories(&[1, 3, 7, 8]));
    assert_eq!(items(&project, "category"), stories(&[3, 5]));
    assert_eq!(items(&project, "type"), stories(&[3, 6]));
    assert_eq!(items(&project, "quality"), stories(&[1, 5, 8]));
    // Heat ≥ 90: 2, 3, 6, 8; the newest is 2, and 3 days back from it keeps 2 and 3.
    assert_eq!(items(&project, "heat"), stories(&[2, 3]));
}

#[test]
fn a_curated_feed_that_selects_nothing_is_a_valid_empty_feed() {
    let project = newsroom("curated:\n- {name: Nothing, topics: [Gardening]}\n");
    project.build().status(0);
    assert_eq!(items(&project, "nothing"), Vec::<String>::new());
    let atom = xml::strict("atom.xml", &project.bytes("feeds/curated/nothing/atom.xml"));
    let feed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    assert_eq!(feed.title.unwrap().content, "Desk: Nothing");
    assert!(feed.entries.is_empty());
    // Not 1970 (the validator calls that implausible): the newest article of the build.
    assert!(
        atom.contains("<updated>2024-03-10T12:00:00+00:00</updated>"),
        "{atom}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&project.read("feeds/curated/nothing/feed.json")).unwrap();
    assert_eq!(json["items"], serde_json::json!([]));
    assert!(project
        .read("feeds/index.html")
        .contains("curated/nothing/index.html"));
    assert!(project.exists("feeds/curated/nothing/index.html"));
}

#[test]
fn a_curated_slug_never_collides_with_a_topic_provider_or_category() {
    let project = newsroom("curated:\n- {name: Chips}\n- {name: Reuters desk, slug: reuters}\n");
    project.build().status(0);
    for path in [
        "feeds/curated/chips/rss.xml",
        "feeds/topics/chips/rss.xml",
        "feeds/curated/reuters/rss.xml",
        "feeds/providers/reuters/rss.xml",
    ] {
        assert!(project.exists(path), "{path}");
    }
    assert_eq!(items(&project, "chips"), stories(&[1, 2, 3, 4, 5, 6, 7, 8]));
}

#[test]
fn curated_feeds_are_listed_and_paged_after_all_articles() {
    let project = newsroom("curated:\n- {name: Top stories, rank: heat, window: 7d, limit: 2}\n");
    project.build().status(0);
    let index = project.read("feeds/index.html");
    let curated = index
        .find("<h2 id=\"curated\">Curated</h2>")
        .expect("a Curated section");
    assert!(curated < index.find("<h2 id=\"topics\">").unwrap());
    assert!(index.contains("<a href=\"curated/top-stories/index.html\">Top stories</a>"));
    let opml = xml::strict("feeds.opml", &project.bytes("feeds/feeds.opml"));
    assert!(
        opml.contains("xmlUrl=\"https://example.com/feeds/curated/top-stories/rss.xml\""),
        "{opml}"
    );
    assert!(opml.contains("description=\"The hottest articles, within 7 days of the newest.\""));
    let page = project.read("feeds/curated/top-stories/index.html");
    assert!(
        page.contains("Story 2") && page.contains("Story 6"),
        "{page}"
    );
    let rss = project.read("feeds/curated/top-stories/rss.xml");
    assert!(rss.contains("<title>Desk: Top stories</title>"), "{rss}");
    assert!(rss.contains(
        "<atom:link href=\"https://example.com/feeds/curated/top-stories/rss.xml\" rel=\"self\""
    ), "{rss}");
}

#[test]
fn an_unchanged_curated_feed_is_left_alone_and_a_changed_one_rewritten() {
    let project =
        newsroom("curated:\n- {name: Climate, topics: [Climate]}\n- {name: AI, topics: [AI]}\n")
            .settled();
    project.build().status(0);
    let climate = project.modified("feeds/curated/climate/rss.xml");
    // Dated far back, so a rewrite shows even within the file system's clock tick.
    let ai = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    project.set_modified("feeds/curated/ai/rss.xml", ai);
    project.edit("articles/02.txt", |t| {
        t.replace("Story 2", "Story 2, updated")
    });
    project.build().status(0);
    assert_eq!(project.modified("feeds/curated/climate/rss.xml"), climate);
    assert_ne!(project.modified("feeds/curated/ai/rss.xml"), ai);
    assert!(project
        .read("feeds/curated/ai/rss.xml")
        .contains("Story 2, updated"));
}

#[test]
fn every_curated_settings_error_names_its_key_and_exits_2() {
    for (config, message) in [
        ("- {name: A, colour: red}", "unknown field `colour`"),
        ("- {name: ''}", "`curated[0].name` is missing or empty"),
        ("- {topics: [AI]}", "`curated[0].name` is missing or empty"),
        (
            "- {name: A, window: a week}",
            "`curated[0].window` \"a week\" is not a window",
        ),
        (
            "- {name: A, window: 0h}",
            "`curated[0].window` \"0h\" is an empty window",
        ),
        (
            "- {name: A, min_quality: -1}",
            "`curated[0].min_quality` is -1",
        ),
        (
            "- {name: A, min_heat: -0.5}",
            "`curated[0].min_heat` is -0.5",
        ),
        ("- {name: A, min_heat: high}", "min_heat: invalid type"),
        (
            "- {name: A, rank: hot}",
            "`curated[0].rank` \"hot\" is not a rank",
        ),
        (
            "- {name: A, limit: 0}",
            "`curated[0].limit` must be at least 1",
        ),
        ("- {name: A, limit: -5}", "limit: invalid type"),
        (
            "- {name: A, topics: []}",
            "`curated[0].topics` has an empty list",
        ),
        (
            "- {name: A, slug: Top Stories}",
            "`curated[0].slug` \"Top Stories\" is not a slug",
        ),
        (
            "- {name: Top}\n- {name: top!}",
            "`curated[1].slug` \"top\" is taken",
        ),
        (
            "- {name: A, slug: b}\n- {name: B}",
            "`curated[1].slug` \"b\" is taken",
        ),
    ] {
        let project = newsroom(&format!("curated:\n{config}\n"));
        let run = project.build().status(2);
        let stderr = run.stderr_text();
        assert!(stderr.contains(message), "{config}: {stderr}");
        assert!(stderr.contains("feedsmith.yaml"), "{config}: {stderr}");
        assert!(!project.exists("feeds"), "{config}: nothing is written");
    }
}

#[test]
fn a_negative_or_non_numeric_score_rejects_the_article_at_its_position() {
    let project = newsroom("")
        .with_file(
            "articles/09.txt",
            "---\ntitle: Bad\nwebUrl: https://news.example.org/9\npublishedDateTime: 2024-03-01T00:00:00Z\nheat: -4\n---\n",
        )
        .with_file(
            "articles/10.txt",
            "---\ntitle: Bad\nwebUrl: https://news.example.org/10\npublishedDateTime: 2024-03-01T00:00:00Z\nquality: .inf\n---\n",
        );
    project
        .build()
        .status(1)
        .stderr_line(" --> articles/09.txt:5:7")
        .stderr_line(" --> articles/10.txt:5:10");
}
