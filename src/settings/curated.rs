//! Curated feeds, as the settings' `curated:` list defines them: a name, filters on the
//! articles' own fields and scores, an optional time window, a rank and a limit.
//!
//! This module only reads and checks the definitions; [`crate::feed`] applies them.

use serde::Deserialize;

use super::content::Content;
use super::texts::Text;
use crate::group::{identity, slugify};
use crate::text::clean_line;

/// One curated feed: which articles it takes, how it ranks them, and how many it keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Curated {
    /// The feed's name, as written (`name:`); its title is `<site title>: <name>`.
    pub name: String,
    /// Its folder under `curated/`: `slug:`, or the name's slug.
    pub slug: String,
    /// One sentence on what it holds: `description:`, or one made from its rules.
    pub description: String,
    /// Which articles it takes.
    pub filter: Filter,
    /// When set, only articles no older than the newest selected one minus this.
    pub window: Option<Window>,
    /// Which articles make the limit.
    pub rank: Rank,
    /// Entries it keeps: `limit:`, or the site-wide limit.
    pub limit: usize,
    /// What its entries carry (`content:`), when it says; else the site-wide `content:`.
    pub content: Option<Content>,
    /// Its own title (`title:`), for `<site title>: <name>`.
    pub title: Option<String>,
    /// Its own icon (`icon:`, an absolute URL), for the site's.
    pub icon: Option<String>,
}

/// What an article must have to be in a curated feed. Every filter that is set must hold;
/// an empty list is not allowed (leave the key out instead). Names match in any letter case,
/// as they do for the topic, provider and category feeds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// At least one of these topics.
    pub topics: Vec<String>,
    /// Every one of these topics.
    pub all_topics: Vec<String>,
    /// One of these providers (by name).
    pub providers: Vec<String>,
    /// One of these categories.
    pub categories: Vec<String>,
    /// One of these types (`type:`, such as `story`).
    pub types: Vec<String>,
    /// A quality score of at least this.
    pub min_quality: Option<f64>,
    /// A heat score of at least this.
    pub min_heat: Option<f64>,
}

/// How a curated feed picks the entries that make its limit. Whatever the rank, the entries
/// are written newest first, as readers sort them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rank {
    /// The newest.
    #[default]
    Newest,
    /// The highest heat; ties go to the newer article, then to the id.
    Heat,
    /// The highest quality; ties go to the newer article, then to the id.
    Quality,
}

/// A span of time, written `<whole number><unit>`: `90m`, `48h`, `7d`, `2w`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    amount: u32,
    unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minute,
    Hour,
    Day,
    Week,
}

impl Unit {
    fn seconds(self) -> i64 {
        match self {
            Unit::Minute => 60,
            Unit::Hour => 3600,
            Unit::Day => 86_400,
            Unit::Week => 604_800,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Unit::Minute => "minute",
            Unit::Hour => "hour",
            Unit::Day => "day",
            Unit::Week => "week",
        }
    }
}

/// The longest window: about a hundred years, far past any feed's use, and small enough
/// that no date arithmetic can overflow.
const MAX_WINDOW_SECONDS: i64 = 100 * 366 * 86_400;

impl Window {
    /// Reads `48h`-style text.
    pub fn parse(raw: &str) -> Result<Window, String> {
        let text = raw.trim();
        let why = || {
            format!(
                "{raw:?} is not a window: write a whole number and a unit, m (minutes), h \
                 (hours), d (days) or w (weeks), such as 48h or 7d"
            )
        };
        let (number, unit) = text.split_at(text.len().saturating_sub(1));
        let unit = match unit {
            "m" => Unit::Minute,
            "h" => Unit::Hour,
            "d" => Unit::Day,
            "w" => Unit::Week,
            _ => return Err(why()),
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(why());
        }
        let amount: u32 = number.parse().map_err(|_| why())?;
        if amount == 0 {
            return Err(format!(
                "{raw:?} is an empty window: it must be longer than 0"
            ));
        }
        let window = Window { amount, unit };
        if window.seconds() > MAX_WINDOW_SECONDS {
            return Err(format!("{raw:?} is longer than a hundred years"));
        }
        Ok(window)
    }

    /// Its length in seconds.
    pub fn seconds(self) -> i64 {
        i64::from(self.amount) * self.unit.seconds()
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = if self.amount == 1 { "" } else { "s" };
        write!(f, "{} {}{plural}", self.amount, self.unit.noun())
    }
}

/// One `curated:` entry, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Written {
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    topics: Option<Vec<String>>,
    all_topics: Option<Vec<String>>,
    providers: Option<Vec<String>>,
    categories: Option<Vec<String>>,
    types: Option<Vec<String>>,
    min_quality: Option<f64>,
    min_heat: Option<f64>,
    window: Option<String>,
    rank: Option<String>,
    limit: Option<usize>,
    content: Option<Content>,
    title: Option<String>,
    icon: Option<String>,
}

/// Checks every `curated:` entry; `limit` is the site-wide one. An error names the entry's
/// key as `curated[i].key`.
pub(super) fn resolve(written: Vec<Written>, limit: usize) -> Result<Vec<Curated>, String> {
    let mut out: Vec<Curated> = Vec::with_capacity(written.len());
    for (i, w) in written.into_iter().enumerate() {
        let key = |name: &str| format!("`curated[{i}].{name}`");
        let name = w.name.as_deref().map(clean_line).unwrap_or_default();
        if name.is_empty() {
            return Err(format!(
                "{} is missing or empty: every curated feed needs a name, its title",
                key("name")
            ));
        }
        let slug = match w.slug {
            None => slugify(&name),
            Some(slug) if !slug.is_empty() && slugify(&slug) == slug => slug,
            Some(slug) => {
                return Err(format!(
                    "{} {slug:?} is not a slug: use lowercase letters, digits and single \
                     hyphens, at most 60 characters, such as {:?}",
                    key("slug"),
                    slugify(&slug)
                ))
            }
        };
        if let Some(other) = out.iter().find(|c| c.slug == slug) {
            return Err(format!(
                "{} {slug:?} is taken: the curated feed {:?} has it too; give one of them \
                 another `slug:`",
                key("slug"),
                other.name
            ));
        }
        let list = |name: &str, list: Option<Vec<String>>| -> Result<Vec<String>, String> {
            let Some(list) = list else {
                return Ok(Vec::new());
            };
            let list: Vec<String> = list.iter().map(|s| clean_line(s)).collect();
            if list.is_empty() || list.iter().any(String::is_empty) {
                return Err(format!(
                    "{} has an empty list or name: list at least one name, or leave the key out",
                    key(name)
                ));
            }
            Ok(list)
        };
        let threshold = |name: &str, value: Option<f64>| match value {
            Some(v) if !v.is_finite() || v < 0.0 => Err(format!(
                "{} is {v}: a threshold is a score, a finite number zero or more",
                key(name)
            )),
            other => Ok(other),
        };
        let filter = Filter {
            topics: list("topics", w.topics)?,
            all_topics: list("all_topics", w.all_topics)?,
            providers: list("providers", w.providers)?,
            categories: list("categories", w.categories)?,
            types: list("types", w.types)?,
            min_quality: threshold("min_quality", w.min_quality)?,
            min_heat: threshold("min_heat", w.min_heat)?,
        };
        let window = w
            .window
            .map(|raw| Window::parse(&raw).map_err(|why| format!("{} {why}", key("window"))))
            .transpose()?;
        let rank = match w.rank.as_deref().map(str::trim) {
            None | Some("newest") => Rank::Newest,
            Some("heat") => Rank::Heat,
            Some("quality") => Rank::Quality,
            Some(other) => {
                return Err(format!(
                    "{} {other:?} is not a rank: use newest, heat or quality",
                    key("rank")
                ))
            }
        };
        let limit = match w.limit {
            Some(0) => return Err(format!("{} must be at least 1", key("limit"))),
            Some(n) => n,
            None => limit,
        };
        // Its own title, description and icon are tidied and checked as a group feed's are.
        let text = Text {
            title: w.title,
            description: w.description,
            icon: w.icon,
        }
        .clean(&format!("curated[{i}]"))?;
        out.push(Curated {
            name,
            slug,
            description: text
                .description
                .unwrap_or_else(|| describe(&filter, window, rank)),
            filter,
            window,
            rank,
            limit,
            content: w.content,
            title: text.title,
            icon: text.icon,
        });
    }
    Ok(out)
}

/// A sentence that says what a curated feed holds, made from its rules: "The hottest
/// articles on AI or Chips, with quality 80 or more, within 7 days of the newest."
fn describe(filter: &Filter, window: Option<Window>, rank: Rank) -> String {
    let mut s = String::from(match rank {
        Rank::Newest => "The newest articles",
        Rank::Heat => "The hottest articles",
        Rank::Quality => "The highest-quality articles",
    });
    let join = |names: &[String], word: &str| match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    };
    if !filter.topics.is_empty() {
        s += &format!(" on {}", join(&filter.topics, "or"));
    }
    if !filter.all_topics.is_empty() {
        let and = if filter.topics.is_empty() { "" } else { " and" };
        s += &format!("{and} on {}", join(&filter.all_topics, "and"));
    }
    if !filter.categories.is_empty() {
        s += &format!(" in {}", join(&filter.categories, "or"));
    }
    if !filter.types.is_empty() {
        s += &format!(" of type {}", join(&filter.types, "or"));
    }
    if !filter.providers.is_empty() {
        s += &format!(" from {}", join(&filter.providers, "or"));
    }
    let scores: Vec<String> = [("quality", filter.min_quality), ("heat", filter.min_heat)]
        .into_iter()
        .filter_map(|(name, min)| min.map(|m| format!("{name} {m} or more")))
        .collect();
    if !scores.is_empty() {
        s += &format!(", with {}", scores.join(" and "));
    }
    if let Some(window) = window {
        s += &format!(", within {window} of the newest");
    }
    s.push('.');
    s
}

impl Filter {
    /// The filter with every name in its matching form (lowercase), for comparing.
    pub fn identities(&self) -> Filter {
        let ids = |list: &[String]| list.iter().map(|n| identity(n)).collect();
        Filter {
            topics: ids(&self.topics),
            all_topics: ids(&self.all_topics),
            providers: ids(&self.providers),
            categories: ids(&self.categories),
            types: ids(&self.types),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(yaml: &str) -> Vec<Written> {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn one(yaml: &str) -> Result<Curated, String> {
        resolve(written(yaml), 50).map(|mut v| v.remove(0))
    }

    #[test]
    fn windows_read_whole_numbers_and_a_unit() {
        assert_eq!(Window::parse("48h").unwrap().seconds(), 48 * 3600);
        assert_eq!(Window::parse("7d").unwrap().seconds(), 7 * 86_400);
        assert_eq!(Window::parse("90m").unwrap().seconds(), 90 * 60);
        assert_eq!(Window::parse("2w").unwrap().to_string(), "2 weeks");
        assert_eq!(Window::parse("1d").unwrap().to_string(), "1 day");
        for bad in [
            "",
            "d",
            "7",
            "7 days",
            "-1d",
            "1.5d",
            "0h",
            "7D",
            "+3d",
            "99999999w",
        ] {
            assert!(Window::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn defaults_slug_from_name_rank_newest_and_site_limit() {
        let c = one("- name: Top stories!\n").unwrap();
        assert_eq!(c.slug, "top-stories");
        assert_eq!(c.rank, Rank::Newest);
        assert_eq!(c.limit, 50);
        assert_eq!(c.window, None);
        assert_eq!(c.description, "The newest articles.");
    }

    #[test]
    fn the_description_says_the_rules() {
        let c = one(
            "- name: AI\n  topics: [AI, Chips]\n  providers: [Reuters]\n  min_quality: 80\n  \
             window: 7d\n  rank: heat\n",
        )
        .unwrap();
        assert_eq!(
            c.description,
            "The hottest articles on AI or Chips from Reuters, with quality 80 or more, \
             within 7 days of the newest."
        );
    }

    #[test]
    fn each_bad_value_names_its_key() {
        for (yaml, key) in [
            ("- name: ''\n", "`curated[0].name`"),
            ("- slug: x\n", "`curated[0].name`"),
            ("- name: A\n  window: 7 days\n", "`curated[0].window`"),
            ("- name: A\n  window: 0d\n", "`curated[0].window`"),
            ("- name: A\n  min_quality: -1\n", "`curated[0].min_quality`"),
            ("- name: A\n  min_heat: .nan\n", "`curated[0].min_heat`"),
            ("- name: A\n  rank: hot\n", "`curated[0].rank`"),
            ("- name: A\n  limit: 0\n", "`curated[0].limit`"),
            ("- name: A\n  topics: []\n", "`curated[0].topics`"),
            ("- name: A\n  providers: ['  ']\n", "`curated[0].providers`"),
            ("- name: A\n  slug: Top Stories\n", "`curated[0].slug`"),
            ("- name: A\n- name: B\n  slug: a\n", "`curated[1].slug`"),
        ] {
            let err = resolve(written(yaml), 50).unwrap_err();
            assert!(err.starts_with(key), "{yaml:?}: {err}");
        }
    }
}
