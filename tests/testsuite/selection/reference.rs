//! The reference for selection: small corpora of articles built to hit its edges, and what
//! every feed must hold for one, worked out plainly with every article in memory: filter,
//! resolve duplicates, sort, take the limit. Shared by the property test beside it and by the
//! `selection` fuzz target (`fuzz/fuzz_targets/selection.rs` includes this file), so it uses
//! nothing but the feedsmith library, chrono and serde_json.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use feedsmith::settings::{Curated, Filter, Rank, Site, Window};
use feedsmith::Settings;

/// A curated feed, as a settings file would give it.
pub(crate) struct CuratedFeed {
    pub(crate) slug: &'static str,
    /// `newest`, `heat` or `quality`.
    pub(crate) rank: &'static str,
    /// Such as `48h`.
    pub(crate) window: Option<&'static str>,
    pub(crate) topics: Vec<String>,
    pub(crate) providers: Vec<String>,
    pub(crate) limit: usize,
}

/// Library settings that build `input`: `limit` entries a feed, the clock at [`NOW`], the
/// `curated` feeds, the article cache in `cache` when there is one.
pub(crate) fn settings(
    input: &Path,
    limit: usize,
    curated: &[CuratedFeed],
    cache: Option<PathBuf>,
) -> Settings {
    let site = Site {
        title: "Selection".into(),
        base_url: "https://example.com/feeds/".into(),
        site_url: "https://example.com/".into(),
        description: "Selection tests".into(),
        language: "en".into(),
        author: "Selection".into(),
        ..Default::default()
    };
    let mut settings = Settings::new(input, "feeds", site);
    settings.limit = limit;
    settings.now = Some(DateTime::parse_from_rfc3339(NOW).unwrap());
    settings.cache_dir = cache;
    settings.curated = curated
        .iter()
        .map(|c| Curated {
            name: c.slug.to_string(),
            slug: c.slug.to_string(),
            description: String::new(),
            filter: Filter {
                topics: c.topics.clone(),
                providers: c.providers.clone(),
                ..Filter::default()
            },
            window: c.window.map(|w| Window::parse(w).unwrap()),
            rank: match c.rank {
                "heat" => Rank::Heat,
                "quality" => Rank::Quality,
                _ => Rank::Newest,
            },
            limit: c.limit,
            content: None,
            title: None,
            icon: None,
        })
        .collect();
    settings
}

/// The build's clock.
pub(crate) const NOW: &str = "2024-03-10T12:00:00Z";

/// Instants, each written two ways (the same instant under two offsets), two of them after
/// [`NOW`] so they are held back.
pub(crate) const DATES: [[&str; 2]; 6] = [
    ["2024-03-01T09:00:00Z", "2024-03-01T10:00:00+01:00"],
    ["2024-03-01T09:00:00.5Z", "2024-03-01T04:00:00.5-05:00"],
    ["2024-03-02T09:00:00Z", "2024-03-02T14:30:00+05:30"],
    ["2024-03-09T23:00:00Z", "2024-03-10T00:00:00+01:00"],
    ["2024-03-10T12:00:01Z", "2024-03-10T13:00:01+01:00"],
    ["2025-01-01T00:00:00Z", "2024-12-31T19:00:00-05:00"],
];

/// Topic names: `Alpha` and `ALPHA` are one feed.
pub(crate) const TOPICS: [&str; 4] = ["Alpha", "ALPHA", "beta", "Gamma"];
pub(crate) const PROVIDERS: [&str; 3] = ["Reuters", "reuters", "AP"];
pub(crate) const CATEGORIES: [&str; 2] = ["news", "tech"];

/// One generated article file.
#[derive(Debug, Clone)]
pub(crate) struct Art {
    /// Sorts the files into an order other than the generation order.
    pub(crate) name: u8,
    /// Which story: links 0 to 4 are `story/N`, link 5 is `story/1?id=2`, another story.
    pub(crate) link: u8,
    /// How the story's link is written (see [`Art::url`]): every variant is the same story.
    pub(crate) variant: u8,
    pub(crate) date: usize,
    /// Which of the date's two spellings.
    pub(crate) spelling: usize,
    pub(crate) published: Option<bool>,
    pub(crate) topics: Vec<usize>,
    pub(crate) provider: Option<usize>,
    pub(crate) category: Option<usize>,
    pub(crate) heat: Option<u8>,
    pub(crate) quality: Option<u8>,
}

impl Art {
    /// Its file name, `i` being its place in the corpus.
    pub(crate) fn file_name(&self, i: usize) -> String {
        format!("{:03}-{i:02}.md", self.name)
    }

    /// Its link as written: one of the ways the same story's link reaches a desk (`http`,
    /// tracking parameters, a fragment), which the duplicate rule must see as one.
    pub(crate) fn url(&self) -> String {
        let (path, query) = match self.link {
            5 => ("story/1", Some("id=2")),
            n => (
                ["story/0", "story/1", "story/2", "story/3", "story/4"][usize::from(n % 5)],
                None,
            ),
        };
        let join = |extra: &str| match query {
            Some(q) => format!("?{q}&{extra}"),
            None => format!("?{extra}"),
        };
        let plain = query.map(|q| format!("?{q}")).unwrap_or_default();
        let (scheme, tail) = match self.variant % 5 {
            0 => ("https", plain),
            1 => ("http", plain),
            2 => ("https", join("utm_source=feed&utm_medium=rss")),
            3 => ("https", format!("{plain}#comments")),
            _ => ("http", format!("{}#top", join("fbclid=abc"))),
        };
        format!("{scheme}://news.example.org/{path}{tail}")
    }

    /// The file's text, with `title`.
    pub(crate) fn text(&self, title: &str) -> String {
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

    /// Its date, as an instant.
    pub(crate) fn instant(&self) -> DateTime<FixedOffset> {
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
pub(crate) fn reference(
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
    // Links are one story when their `link` is: the variants are the same story written
    // differently.
    let mut winners: BTreeMap<u8, (usize, &Art, &String)> = BTreeMap::new();
    for &(order, (name, a)) in &publishable {
        let better = match winners.get(&a.link) {
            None => true,
            Some((o, w, _)) => (a.instant(), Reverse(order)) > (w.instant(), Reverse(*o)),
        };
        if better {
            winners.insert(a.link, (order, a, name));
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

/// Every JSON Feed of a build's `files`, as its item titles in order.
pub(crate) fn built_feeds(files: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<String, Vec<String>> {
    files
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

/// The curated feeds every corpus is built with: by heat within 48 hours, by quality on one
/// topic, and the newest of one provider within 24 hours, with these limits.
pub(crate) fn curated_feeds(limits: [usize; 3]) -> Vec<CuratedFeed> {
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
