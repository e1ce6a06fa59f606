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
        let page = &project.read("feeds/topics/world/index.html");
        assert!(
            page.contains(", updated <time datetime=\"2025-01-12T08:30:00+01:00\">"),
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
