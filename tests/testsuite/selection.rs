//! Every published article appears exactly once, wherever it belongs (issue 16).
//!
//! A property test writes small corpora built to hit the edges of selection: ties in date
//! (the same instant written with different offsets), duplicate links with equal and unequal
//! dates, unpublished and scheduled articles, names that differ only in letter case, and
//! curated feeds ranked by heat, quality and date with and without a window. Each corpus is
//! built through the library, cold and then from the article cache, and every feed's entries
//! are compared with a plain in-memory reference: filter, resolve duplicates, sort, take the
//! limit.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;

use crate::harness::library::{build_in_memory, CuratedFeed, InMemory};
use crate::harness::Project;

/// The build's clock.
const NOW: &str = "2024-03-10T12:00:00Z";

/// Instants, each written two ways (the same instant under two offsets), two of them after
/// [`NOW`] so they are held back.
const DATES: [[&str; 2]; 6] = [
    ["2024-03-01T09:00:00Z", "2024-03-01T10:00:00+01:00"],
    ["2024-03-01T09:00:00.5Z", "2024-03-01T04:00:00.5-05:00"],
    ["2024-03-02T09:00:00Z", "2024-03-02T14:30:00+05:30"],
    ["2024-03-09T23:00:00Z", "2024-03-10T00:00:00+01:00"],
    ["2024-03-10T12:00:01Z", "2024-03-10T13:00:01+01:00"],
    ["2025-01-01T00:00:00Z", "2024-12-31T19:00:00-05:00"],
];

/// Topic names: `Alpha` and `ALPHA` are one feed.
const TOPICS: [&str; 4] = ["Alpha", "ALPHA", "beta", "Gamma"];
const PROVIDERS: [&str; 3] = ["Reuters", "reuters", "AP"];
const CATEGORIES: [&str; 2] = ["news", "tech"];

/// One generated article file.
#[derive(Debug, Clone)]
struct Art {
    /// Sorts the files into an order other than the generation order.
    name: u8,
    link: u8,
    date: usize,
    /// Which of the date's two spellings.
    spelling: usize,
    published: Option<bool>,
    topics: Vec<usize>,
    provider: Option<usize>,
    category: Option<usize>,
    heat: Option<u8>,
    quality: Option<u8>,
}

fn art() -> impl Strategy<Value = Art> {
    (
        (any::<u8>(), 0u8..6, 0..DATES.len(), 0usize..2),
        prop_oneof![6 => Just(None), 2 => Just(Some(true)), 1 => Just(Some(false))],
        prop::collection::vec(0..TOPICS.len(), 0..3),
        (
            prop::option::of(0..PROVIDERS.len()),
            prop::option::of(0..CATEGORIES.len()),
        ),
        (prop::option::of(0u8..4), prop::option::of(0u8..4)),
    )
        .prop_map(
            |(
                (name, link, date, spelling),
                published,
                topics,
                (provider, category),
                (heat, quality),
            )| Art {
                name,
                link,
                date,
                spelling,
                published,
                topics,
                provider,
                category,
                heat,
                quality,
            },
        )
}

impl Art {
    fn file_name(&self, i: usize) -> String {
        format!("{:03}-{i:02}.md", self.name)
    }

    fn url(&self) -> String {
        format!("https://news.example.org/story/{}", self.link)
    }

    fn text(&self, title: &str) -> String {
        let mut t = format!(
            "---\ntitle: {title}\nwebUrl: {}\npublishedDateTime: {}\n",
            self.url(),
            DATES[self.date][self.spelling]
        );
        if let Some(p) = self.published {
            t.push_str(&format!("published: {p}\n"));
        }
        if !self.topics.is_empty() {
            t.push_str("topics:\n");
            for &i in &self.topics {
                t.push_str(&format!("  - {}\n", TOPICS[i]));
            }
        }
        if let Some(p) = self.provider {
            t.push_str(&format!("provider:\n  name: {}\n", PROVIDERS[p]));
        }
        if let Some(c) = self.category {
            t.push_str(&format!("category: {}\n", CATEGORIES[c]));
        }
        if let Some(h) = self.heat {
            t.push_str(&format!("heat: {h}\n"));
        }
        if let Some(q) = self.quality {
            t.push_str(&format!("quality: {q}\n"));
        }
        t.push_str("---\n");
        t
    }

    fn instant(&self) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(DATES[self.date][0]).unwrap()
    }
}

/// An article as the reference sees it: its file's title (unique), in walk order.
#[derive(Debug, Clone)]
struct Known {
    title: String,
    url: String,
    date: DateTime<FixedOffset>,
    topics: BTreeSet<String>,
    provider: Option<String>,
    category: Option<String>,
    heat: Option<u8>,
    quality: Option<u8>,
}

/// The names an article has in groups of one kind.
type Names = fn(&Known) -> Vec<String>;

/// What each feed must hold, by the path of its JSON Feed file, as titles newest first.
fn reference(
    arts: &[Art],
    limit: usize,
    curated: &[CuratedFeed],
) -> (BTreeMap<String, Vec<String>>, usize, usize) {
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    // Walk order: by file name.
    let mut files: Vec<(String, &Art)> = arts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.file_name(i), a))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    // Publishable now: not `published: false`, not dated after the clock.
    let publishable: Vec<(usize, &(String, &Art))> = files
        .iter()
        .enumerate()
        .filter(|(_, (_, a))| a.published != Some(false) && a.instant() <= now)
        .collect();
    // Duplicates: of the files with one link, the newest; on a tie, the first in walk order.
    let mut winners: BTreeMap<String, (usize, &Art, &String)> = BTreeMap::new();
    for &(order, (name, a)) in &publishable {
        let better = match winners.get(&a.url()) {
            None => true,
            Some((o, w, _)) => (a.instant(), Reverse(order)) > (w.instant(), Reverse(*o)),
        };
        if better {
            winners.insert(a.url(), (order, a, name));
        }
    }
    let known: Vec<Known> = winners
        .values()
        .map(|(_, a, name)| Known {
            title: (*name).clone(),
            url: a.url(),
            date: a.instant(),
            topics: a.topics.iter().map(|&i| TOPICS[i].to_lowercase()).collect(),
            provider: a.provider.map(|p| PROVIDERS[p].to_lowercase()),
            category: a.category.map(|c| CATEGORIES[c].to_lowercase()),
            heat: a.heat,
            quality: a.quality,
        })
        .collect();
    let newest_first = |list: &mut Vec<&Known>| {
        list.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    };
    let take = |mut list: Vec<&Known>, limit: usize| -> Vec<String> {
        newest_first(&mut list);
        list.truncate(limit);
        list.iter().map(|k| k.title.clone()).collect()
    };
    let mut feeds = BTreeMap::new();
    feeds.insert("feed.json".to_string(), take(known.iter().collect(), limit));
    let groups: [(&str, Names); 3] = [
        ("topics", |k| k.topics.iter().cloned().collect()),
        ("providers", |k| k.provider.iter().cloned().collect()),
        ("categories", |k| k.category.iter().cloned().collect()),
    ];
    for (folder, names) in groups {
        let all: BTreeSet<String> = known.iter().flat_map(names).collect();
        for name in all {
            let members = known.iter().filter(|k| names(k).contains(&name)).collect();
            feeds.insert(format!("{folder}/{name}/feed.json"), take(members, limit));
        }
    }
    for c in curated {
        let topics: BTreeSet<String> = c.topics.iter().map(|t| t.to_lowercase()).collect();
        let providers: BTreeSet<String> = c.providers.iter().map(|t| t.to_lowercase()).collect();
        let selected: Vec<&Known> = known
            .iter()
            .filter(|k| topics.is_empty() || !k.topics.is_disjoint(&topics))
            .filter(|k| {
                providers.is_empty() || k.provider.as_ref().is_some_and(|p| providers.contains(p))
            })
            .collect();
        let newest = selected.iter().map(|k| k.date).max();
        let window = c.window.map(|w| {
            let hours: i64 = w.trim_end_matches('h').parse().unwrap();
            chrono::Duration::hours(hours)
        });
        let mut inside: Vec<&Known> = selected
            .into_iter()
            .filter(|k| match (window, newest) {
                (Some(w), Some(n)) => k.date >= n - w,
                _ => true,
            })
            .collect();
        let score = |k: &Known| match c.rank {
            "heat" => k.heat,
            "quality" => k.quality,
            _ => None,
        };
        inside.sort_by(|a, b| {
            (score(b), b.date)
                .cmp(&(score(a), a.date))
                .then_with(|| a.url.cmp(&b.url))
        });
        inside.truncate(c.limit);
        let list = take(inside, usize::MAX);
        feeds.insert(format!("curated/{}/feed.json", c.slug), list);
    }
    let duplicates = publishable.len() - known.len();
    (feeds, known.len(), duplicates)
}

/// Every JSON Feed the build wrote, as its item titles in order.
fn built_feeds(built: &InMemory) -> BTreeMap<String, Vec<String>> {
    built
        .files
        .iter()
        .filter(|(path, _)| path.ends_with("feed.json"))
        .map(|(path, bytes)| {
            let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            let titles = json["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["title"].as_str().unwrap().to_string())
                .collect();
            (path.to_string_lossy().replace('\\', "/"), titles)
        })
        .collect()
}

fn curated_feeds(limits: [usize; 3]) -> Vec<CuratedFeed> {
    vec![
        CuratedFeed {
            slug: "hot",
            rank: "heat",
            window: Some("48h"),
            topics: Vec::new(),
            providers: Vec::new(),
            limit: limits[0],
        },
        CuratedFeed {
            slug: "alpha-best",
            rank: "quality",
            window: None,
            topics: vec!["alpha".into()],
            providers: Vec::new(),
            limit: limits[1],
        },
        CuratedFeed {
            slug: "wires",
            rank: "newest",
            window: Some("24h"),
            topics: Vec::new(),
            providers: vec!["REUTERS".into()],
            limit: limits[2],
        },
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_feed_holds_what_the_reference_selection_holds(
        arts in prop::collection::vec(art(), 1..24),
        limit in 1usize..5,
        curated_limits in [1usize..4, 1usize..4, 1usize..4],
    ) {
        let mut project = Project::empty();
        for (i, a) in arts.iter().enumerate() {
            let name = a.file_name(i);
            project = project.with_file(&format!("articles/{name}"), a.text(&name));
        }
        let curated = curated_feeds(curated_limits);
        let (expected, published, duplicates) = reference(&arts, limit, &curated);
        let unpublished = arts.iter().filter(|a| a.published == Some(false)).count();
        // Cold, then answered from the article cache: both must give the reference.
        for run in ["cold", "cached"] {
            let built = build_in_memory(project.path(), limit, NOW, &curated, true);
            if run == "cached" {
                prop_assert_eq!(built.summary.cached, arts.len());
            }
            let s = built.summary;
            prop_assert_eq!(
                (s.read, s.published, s.duplicates, s.unpublished, s.rejected),
                (arts.len(), published, duplicates, unpublished, 0),
                "{} run: {:?}", run, built.problems
            );
            prop_assert_eq!(&built_feeds(&built), &expected, "{} run", run);
        }
    }
}

/// The command from issue 16: a file and its copy (same link, same date) publish the
/// article once, in every feed it belongs in.
#[test]
fn a_file_and_its_copy_publish_the_article_once() {
    let text = "---\ntitle: One\npublishedDateTime: 2024-03-01T09:00:00Z\nwebUrl: https://x.example/a\ntopics: [AI]\n---\n";
    let project = Project::empty()
        .with_file("articles/a.md", text)
        .with_file("articles/copy.md", text);
    for cache in [false, true] {
        let built = build_in_memory(project.path(), 50, NOW, &[], cache);
        let feeds = built_feeds(&built);
        assert_eq!(feeds["feed.json"], ["One"], "cache {cache}");
        assert_eq!(feeds["topics/ai/feed.json"], ["One"], "cache {cache}");
        assert_eq!((built.summary.published, built.summary.duplicates), (1, 1));
        let rss = String::from_utf8(built.files[std::path::Path::new("rss.xml")].clone()).unwrap();
        assert_eq!(rss.matches("<item>").count(), 1);
    }
}
