//! Issue 18: what readers and news desks need beyond the first layer: corrected articles
//! (an updated date), and the rest of the features as they land.

use crate::harness::{Project, NOW};

/// An article, with `extra` front-matter lines.
fn article(n: usize, date: &str, extra: &str) -> String {
    format!(
        "---\ntitle: Story {n}\nwebUrl: https://x.example/{n}\npublishedDateTime: {date}\ntopics: [World]\n{extra}---\n"
    )
}

#[test]
fn an_updated_date_is_written_in_every_format_and_moves_the_feed_date() {
    let project = Project::empty()
        .clock(NOW)
        .with_file(
            "articles/1.md",
            article(
                1,
                "2025-01-10T09:00:00Z",
                "updatedDateTime: 2025-01-12T08:30:00+01:00\n",
            ),
        )
        .with_file("articles/2.md", article(2, "2025-01-11T09:00:00Z", ""));
    project.build().status(0).stderr_lacks("warning");
    {
        let atom = &project.read("feeds/topics/world/atom.xml");
        // The feed is as new as its newest publication or update; entries stay in order of
        // publication, and each says when it was updated.
        let head = &atom[..atom.find("<entry>").unwrap()];
        assert!(
            head.contains("<updated>2025-01-12T08:30:00+01:00</updated>"),
            "{head}"
        );
        let story2 = atom.find("Story 2").unwrap();
        let story1 = atom.find("Story 1").unwrap();
        assert!(story2 < story1, "entries stay ordered by publication");
        let entry1 = &atom[atom[..story1].rfind("<entry>").unwrap()..];
        assert!(
            entry1.contains("<updated>2025-01-12T08:30:00+01:00</updated>"),
            "{entry1}"
        );
        assert!(
            entry1.contains("<published>2025-01-10T09:00:00+00:00</published>"),
            "{entry1}"
        );
    }
    {
        let json = &project.read("feeds/topics/world/feed.json");
        let doc: serde_json::Value = serde_json::from_str(json).unwrap();
        let items = doc["items"].as_array().unwrap();
        assert_eq!(items[1]["date_modified"], "2025-01-12T08:30:00+01:00");
        assert!(items[0].get("date_modified").is_none(), "{json}");
    }
    {
        let rss = &project.read("feeds/topics/world/rss.xml");
        assert!(
            rss.contains("<lastBuildDate>Sun, 12 Jan 2025 08:30:00 +0100</lastBuildDate>"),
            "{rss}"
        );
    }
    {
        // The page shows it in the pages' zone, UTC by default.
        let page = &project.read("feeds/topics/world/index.html");
        assert!(
            page.contains(
                ", updated <time datetime=\"2025-01-12T07:30:00+00:00\">12 Jan 2025, 07:30 UTC</time>"
            ),
            "{page}"
        );
    }
}

#[test]
fn an_update_before_the_publication_is_a_warning_and_is_left_out() {
    let project = Project::empty().clock(NOW).with_file(
        "articles/1.md",
        article(
            1,
            "2025-01-10T09:00:00Z",
            "updatedDateTime: 2025-01-09T09:00:00Z\n",
        ),
    );
    project
        .build()
        .status(0)
        .stderr_line("warning: `updatedDateTime` \"2025-01-09T09:00:00Z\" is before `publishedDateTime` 2025-01-10T09:00:00+00:00; the update date was left out: an update comes after the publication")
        .stderr_line(" --> articles/1.md:6:18");
    {
        let json = &project.read("feeds/feed.json");
        assert!(!json.contains("date_modified"), "{json}");
    }
    // A date that cannot be read is a warning too; the article is still published.
    project.write(
        "articles/1.md",
        article(1, "2025-01-10T09:00:00Z", "updatedDateTime: yesterday\n"),
    );
    project
        .build()
        .status(0)
        .stderr_line("warning: `updatedDateTime` \"yesterday\" is not a date-time: write RFC 3339 with a time and an offset, e.g. 2022-05-26T22:46:00Z or 2022-05-26T22:46:00+05:30; the update date was left out")
        .summary("feedsmith: 1 article read[..]: 1 published, 0 unpublished, 0 rejected; [..]");
}

/// An article whose body is `paragraphs` paragraphs of a recognisable text.
fn long(n: usize, day: usize, paragraphs: usize) -> String {
    let body: String = (0..paragraphs)
        .map(|p| {
            format!(
                "Paragraph {p} of story {n}: {}\n\n",
                "lorem ipsum dolor sit amet ".repeat(8)
            )
        })
        .collect();
    format!(
        "---\ntitle: Story {n}\nwebUrl: https://x.example/{n}\npublishedDateTime: 2025-01-{day:02}T09:00:00Z\nexcerpt: The gist of story {n}.\ntopics: [World]\n---\n{body}"
    )
}

/// The size of every feed file of `project`'s output, by path.
fn feed_sizes(project: &Project) -> Vec<(String, usize)> {
    project
        .files("feeds")
        .into_iter()
        .filter(|p| p.ends_with("rss.xml") || p.ends_with("atom.xml") || p.ends_with("feed.json"))
        .map(|p| {
            let size = project.bytes(&format!("feeds/{p}")).len();
            (p, size)
        })
        .collect()
}

#[test]
fn feeds_ten_times_over_the_budget_keep_their_newest_whole_and_stay_under_it() {
    // 20 articles of about 20 KB of body each: over 400 KB a feed, against a 40 KB budget.
    let mut project = Project::empty()
        .clock(NOW)
        .config("max_feed_bytes: 40000\n");
    for n in 1..=20 {
        project = project.with_file(&format!("articles/{n:02}.md"), long(n, n, 80));
    }
    let run = project.build();
    let stderr = run.status(0).stderr_text();
    for (path, size) in feed_sizes(&project) {
        assert!(size <= 40_000, "{path} is {size} bytes");
    }
    // The newest entry is whole, the oldest are summaries or gone.
    let rss = project.read("feeds/topics/world/rss.xml");
    assert!(
        rss.contains("Paragraph 79 of story 20"),
        "the newest keeps its body"
    );
    assert!(
        !rss.contains("Paragraph 0 of story 1:"),
        "the oldest lost its body"
    );
    let warning = "warning: feeds/topics/world/rss.xml: its files would be over max_feed_bytes (40000 bytes): the ";
    assert!(stderr.contains(warning), "{stderr}");
    // The page shows the entries the feeds keep.
    let kept = rss.matches("<item>").count();
    let page = project.read("feeds/topics/world/index.html");
    assert_eq!(
        page.matches("<article class=\"entry").count(),
        kept,
        "{page}"
    );
    // Deterministic, and told again when the feed is current and not even rendered.
    let before = project.tree("feeds");
    project
        .build()
        .status(0)
        .stderr_line(stderr.lines().find(|l| l.starts_with(warning)).unwrap())
        .summary("feedsmith: 20 articles read (20 from cache): [..]; 0 files written, [..]");
    assert_eq!(project.tree("feeds"), before);
}

#[test]
fn an_entry_too_big_on_its_own_is_published_as_its_summary() {
    let project = Project::empty()
        .clock(NOW)
        .config("max_feed_bytes: 8000\n")
        .with_file("articles/big.md", long(1, 1, 60));
    project
        .build()
        .status(0)
        .stderr_line("warning: feeds/rss.xml: its files would be over max_feed_bytes (8000 bytes): the oldest of its 1 entries is published with its summary only; raise max_feed_bytes, lower limit, or set content: summary");
    let json = project.read("feeds/feed.json");
    assert!(json.contains("The gist of story 1."), "{json}");
    assert!(!json.contains("Paragraph 0 of story 1"), "{json}");
    for (path, size) in feed_sizes(&project) {
        assert!(size <= 8_000, "{path} is {size} bytes");
    }
}

#[test]
fn when_summaries_are_not_enough_the_oldest_entries_are_left_out() {
    // Many short entries whose summaries alone are over a tiny budget.
    let mut project = Project::empty().clock(NOW).config("max_feed_bytes: 6000\n");
    for n in 1..=20 {
        project = project.with_file(&format!("articles/{n:02}.md"), long(n, n, 1));
    }
    let stderr = project.build().status(0).stderr_text();
    assert!(
        stderr.contains("oldest of its 20 entries are left out"),
        "{stderr}"
    );
    let rss = project.read("feeds/rss.xml");
    assert!(rss.contains("Story 20"), "the newest stays");
    assert!(!rss.contains("<title>Story 1</title>"), "the oldest goes");
    for (path, size) in feed_sizes(&project) {
        assert!(size <= 6_000, "{path} is {size} bytes");
    }
}

#[test]
fn summary_feeds_carry_the_image_the_excerpt_and_related_coverage_without_the_body() {
    let article = "---\ntitle: Story\nwebUrl: https://x.example/s\npublishedDateTime: 2025-01-01T09:00:00Z\nexcerpt: The gist.\nimages: [{url: https://x.example/lead.jpg}]\nrelated: [{title: Background, webUrl: https://y.example/b}]\ntopics: [World]\n---\nThe whole body.\n";
    let curated = "curated:\n  - name: Whole\n    content: full\n";
    let project = Project::empty()
        .clock(NOW)
        .config(&format!("content: summary\n{curated}"))
        .with_file("articles/s.md", article);
    project.build().status(0).stderr_lacks("warning");
    for feed in ["feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"] {
        let text = project.read(feed);
        assert!(text.contains("The gist."), "{feed}");
        assert!(text.contains("https://x.example/lead.jpg"), "{feed}");
        assert!(text.contains("Background"), "{feed}");
        assert!(!text.contains("The whole body."), "{feed}: {text}");
    }
    // A curated feed may say otherwise.
    assert!(project
        .read("feeds/curated/whole/rss.xml")
        .contains("The whole body."));
}

#[test]
fn per_feed_text_is_written_in_every_format_the_page_the_index_and_opml() {
    let config = "\
icon: https://x.example/site.png
topics:
  world:
    title: The world desk
    description: Foreign news, checked twice.
    icon: https://x.example/world.png
curated:
  - name: Picks
    title: Picked by the editor
    description: What the editor read.
    icon: https://x.example/picks.png
";
    let project = Project::empty()
        .clock(NOW)
        .config(config)
        .with_file("articles/1.md", article(1, "2025-01-10T09:00:00Z", ""));
    project.build().status(0).stderr_lacks("warning");
    for (dir, title, description, icon) in [
        (
            "feeds/topics/world/",
            "The world desk",
            "Foreign news, checked twice.",
            "https://x.example/world.png",
        ),
        (
            "feeds/curated/picks/",
            "Picked by the editor",
            "What the editor read.",
            "https://x.example/picks.png",
        ),
    ] {
        let rss = project.read(&format!("{dir}rss.xml"));
        let head = &rss[..rss.find("<item>").unwrap()];
        assert!(head.contains(&format!("<title>{title}</title>")), "{head}");
        assert!(
            head.contains(&format!("<description>{description}</description>")),
            "{head}"
        );
        assert!(head.contains(&format!("<url>{icon}</url>")), "{head}");
        let atom = project.read(&format!("{dir}atom.xml"));
        let head = &atom[..atom.find("<entry>").unwrap()];
        assert!(head.contains(&format!("<title>{title}</title>")), "{head}");
        assert!(
            head.contains(&format!("<subtitle>{description}</subtitle>")),
            "{head}"
        );
        assert!(head.contains(&format!("<icon>{icon}</icon>")), "{head}");
        let json: serde_json::Value =
            serde_json::from_str(&project.read(&format!("{dir}feed.json"))).unwrap();
        assert_eq!(json["title"], title.to_string());
        assert_eq!(json["description"], description.to_string());
        assert_eq!(json["icon"], icon.to_string());
        let page = project.read(&format!("{dir}index.html"));
        assert!(page.contains(&format!("<title>{title}</title>")), "{page}");
        assert!(
            page.contains(&format!("<img class=\"icon\" src=\"{icon}\"")),
            "{page}"
        );
        assert!(
            page.contains(&format!("<link rel=\"icon\" href=\"{icon}\"")),
            "{page}"
        );
        assert!(page.contains(description), "{page}");
        let index = project.read("feeds/index.html");
        assert!(
            index.contains(&format!(
                ">{title}</a><span class=\"desc\">{description}</span>"
            )),
            "{index}"
        );
        let opml = project.read("feeds/feeds.opml");
        assert!(
            opml.contains(&format!("text=\"{title}\" title=\"{title}\"")),
            "{opml}"
        );
        assert!(
            opml.contains(&format!("description=\"{description}\"")),
            "{opml}"
        );
    }
    // A feed without text of its own keeps the made-up title and the site's icon.
    let rss = project.read("feeds/rss.xml");
    assert!(
        rss.contains("<url>https://x.example/site.png</url>"),
        "{rss}"
    );
}

#[test]
fn a_name_that_matches_no_group_is_a_warning_naming_the_key_and_its_line() {
    let project = Project::empty()
        .clock(NOW)
        .config("topics:\n  Wrold:\n    title: World\nproviders:\n  Nobody: {title: N}\n")
        .with_file("articles/1.md", article(1, "2025-01-10T09:00:00Z", ""));
    let stderr = project.build().status(0).stderr_text();
    assert!(
        stderr.contains("warning: `topics:` gives text to \"Wrold\", but no published article has the topic \"Wrold\", so it is unused: did you mean \"World\"?\n --> feedsmith.yaml:2:3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: `providers:` gives text to \"Nobody\", but no provider feed is written in this build, so it is unused: check the spelling, or remove it from `providers:`\n --> feedsmith.yaml:5:3"),
        "{stderr}"
    );
    // The text was not applied to another feed.
    assert!(!project
        .read("feeds/topics/world/rss.xml")
        .contains("<title>World</title>"));
}

#[test]
fn rss_says_how_long_to_wait_before_polling_again_from_max_age() {
    let project = Project::empty()
        .clock(NOW)
        .config("max_age: 3601\n")
        .with_file("articles/1.md", article(1, "2025-01-10T09:00:00Z", ""));
    project.build().status(0);
    assert!(project.read("feeds/rss.xml").contains("<ttl>61</ttl>"));
    let project = project.config("max_age: 0\n");
    project.build().status(0);
    assert!(!project.read("feeds/rss.xml").contains("<ttl>"));
}
