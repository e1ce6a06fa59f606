//! Keys feedsmith does not read, judged: most are an author's own fields and pass in silence,
//! but one that is a near miss of a known key (`pubished`, `Published`, `topic`), or the
//! key another generator uses for the same thing (`date`, `tags`, `draft`), is named, since
//! feedsmith would otherwise ignore it without a word.
//!
//! The known keys are not listed here: they are read from the article types' serde derive
//! (`crate::fields`), so `model.rs` stays the one place that names them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::locate::StepLike;
use super::model::{Article, Image, Provider, Related};
use crate::fields::fields;
use crate::text::{folded, near_miss};

/// Which mapping of the front matter a key is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The front matter itself.
    Article,
    /// `provider:`, of the article or of a related item.
    Provider,
    /// An item of `images:`.
    Image,
    /// An item of `related:`.
    Related,
}

impl Level {
    /// The mapping a key at `path` (the steps above it) is in, when it is one feedsmith
    /// reads; `None` inside a value it does not read (the `secured` blob, an unknown key's
    /// value).
    pub fn of<S: StepLike>(path: &[S]) -> Option<Level> {
        let key = |s: &S, name: &str| s.key() == Some(name);
        let item = |s: &S| s.key().is_none();
        match path {
            [] => Some(Level::Article),
            [p] if key(p, "provider") => Some(Level::Provider),
            [i, n] if key(i, "images") && item(n) => Some(Level::Image),
            [r, n] if key(r, "related") && item(n) => Some(Level::Related),
            [r, n, p] if key(r, "related") && item(n) && key(p, "provider") => {
                Some(Level::Provider)
            }
            [r, n, i, m] if key(r, "related") && item(n) && key(i, "images") && item(m) => {
                Some(Level::Image)
            }
            _ => None,
        }
    }

    /// The keys feedsmith reads at this level (worked out once).
    pub fn known(self) -> &'static [&'static str] {
        static KNOWN: [OnceLock<&'static [&'static str]>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        match self {
            Level::Article => KNOWN[0].get_or_init(fields::<Article>),
            Level::Provider => KNOWN[1].get_or_init(fields::<Provider>),
            Level::Image => KNOWN[2].get_or_init(fields::<Image>),
            Level::Related => KNOWN[3].get_or_init(fields::<Related>),
        }
    }
}

/// True when `path` ends in a key feedsmith reads at its level.
pub fn is_known<S: StepLike>(path: &[S]) -> bool {
    match path.split_last() {
        Some((last, parent)) => last
            .key()
            .is_some_and(|key| Level::of(parent).is_some_and(|level| level.known().contains(&key))),
        None => false,
    }
}

/// What an unread key looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A near miss of a known key: the key meant.
    NearMiss(&'static str),
    /// Another generator's key for something feedsmith reads under another name: what to
    /// write instead.
    Foreign(&'static str),
}

impl Verdict {
    /// True when the key may decide whether the article is published: guessing wrong would
    /// publish what must not be, so the article is held back until the key is fixed.
    pub fn decides_publication(&self) -> bool {
        matches!(
            self,
            Verdict::NearMiss("published") | Verdict::Foreign(FOR_DRAFT)
        )
    }
}

/// What `draft:` (Hugo, Jekyll, Zola) is written as here.
const FOR_DRAFT: &str = "`published: false` keeps an article out of every feed, and \
                         `published: true` or no key publishes it";

/// Other generators' front-matter keys (Hugo, Jekyll, Zola, Eleventy, WordPress exports) for
/// what feedsmith reads under another name, at the top level of the front matter.
const FOREIGN: &[(&str, &str)] = &[
    ("date", DATE),
    ("pubdate", DATE),
    ("publishdate", DATE),
    ("publisheddate", DATE),
    ("publishedat", DATE),
    ("datepublished", DATE),
    ("created", DATE),
    ("createdat", DATE),
    ("tags", "`topics:`, a list of names; each topic gets a feed"),
    (
        "keywords",
        "`topics:`, a list of names; each topic gets a feed",
    ),
    (
        "categories",
        "`category:` (one name, which gets a feed), or `topics:` for several",
    ),
    ("draft", FOR_DRAFT),
    ("summary", "`excerpt:`, a plain-text summary"),
    ("description", "`excerpt:`, a plain-text summary"),
    ("link", LINK),
    ("url", LINK),
    ("permalink", LINK),
    ("canonicalurl", LINK),
    ("author", "`provider:` with a `name:` (and a `domain:`)"),
    ("authors", "`provider:` with a `name:` (and a `domain:`)"),
    ("source", "`provider:` with a `name:` (and a `domain:`)"),
    ("image", IMAGES),
    ("featuredimage", IMAGES),
    ("cover", IMAGES),
    ("thumbnail", IMAGES),
];

const DATE: &str = "`publishedDateTime:`, RFC 3339 with a time and an offset, e.g. \
                    2024-03-01T09:00:00Z";
const LINK: &str = "`webUrl:`, the article's http or https address";
const IMAGES: &str = "`images:`, a list of `- url: …` items (with `width:` and `height:`)";

/// The judgement on `key`, a key at `level` that feedsmith does not read; `None` when it
/// looks like an author's own field. Remembered per thread: a corpus repeats its own keys.
pub fn judge(level: Level, key: &str) -> Option<Verdict> {
    thread_local! {
        static SEEN: RefCell<HashMap<(Level, String), Option<Verdict>>> =
            RefCell::new(HashMap::new());
    }
    SEEN.with(|seen| {
        if let Some(v) = seen.borrow().get(&(level, key.to_string())) {
            return v.clone();
        }
        let v = judge_afresh(level, key);
        let mut seen = seen.borrow_mut();
        // Bounded: a corpus of made-up keys cannot grow it without end.
        if seen.len() < 4096 {
            seen.insert((level, key.to_string()), v.clone());
        }
        v
    })
}

fn judge_afresh(level: Level, key: &str) -> Option<Verdict> {
    let known = level.known();
    if known.contains(&key) {
        return None;
    }
    if level == Level::Article {
        let folded_key = folded(key);
        if let Some((_, instead)) = FOREIGN.iter().find(|(k, _)| *k == folded_key) {
            return Some(Verdict::Foreign(instead));
        }
    }
    let known = known.iter().copied().filter(|k| *k != "secured");
    near_miss(key, known).map(Verdict::NearMiss)
}

#[cfg(test)]
mod tests {
    use super::super::locate::Step;
    use super::*;

    #[test]
    fn the_known_keys_come_from_the_derive() {
        let article = Level::Article.known();
        for k in [
            "title",
            "webUrl",
            "publishedDateTime",
            "type",
            "published",
            "secured",
        ] {
            assert!(article.contains(&k), "{k} in {article:?}");
        }
        assert_eq!(Level::Provider.known(), ["name", "domain"]);
        assert!(Level::Image.known().contains(&"isCached"));
    }

    #[test]
    fn near_misses_of_published_decide_publication() {
        for key in [
            "pubished",
            "Published",
            "publised",
            "PUBLISHED",
            "is_published",
        ] {
            let v = judge(Level::Article, key);
            assert_eq!(v, Some(Verdict::NearMiss("published")), "{key}");
            assert!(v.unwrap().decides_publication());
        }
    }

    #[test]
    fn other_near_misses_name_the_key_meant() {
        let cases = [
            (Level::Article, "topic", "topics"),
            (Level::Article, "web_url", "webUrl"),
            (Level::Article, "titel", "title"),
            (Level::Article, "Category", "category"),
            (Level::Article, "publishedDateTme", "publishedDateTime"),
            (Level::Provider, "nmae", "name"),
            (Level::Image, "widht", "width"),
            (Level::Related, "webURL", "webUrl"),
        ];
        for (level, key, meant) in cases {
            assert_eq!(judge(level, key), Some(Verdict::NearMiss(meant)), "{key}");
        }
    }

    #[test]
    fn other_generators_keys_get_a_hint_and_draft_decides_publication() {
        for key in [
            "date",
            "tags",
            "summary",
            "link",
            "author",
            "pubDate",
            "published_at",
        ] {
            let v = judge(Level::Article, key);
            assert!(matches!(v, Some(Verdict::Foreign(_))), "{key}: {v:?}");
            assert!(!v.unwrap().decides_publication(), "{key}");
        }
        assert!(judge(Level::Article, "draft")
            .unwrap()
            .decides_publication());
    }

    #[test]
    fn an_authors_own_fields_pass() {
        for key in [
            "layout",
            "slug",
            "weight",
            "wordCount",
            "sentiment",
            "x",
            "secured",
        ] {
            assert_eq!(judge(Level::Article, key), None, "{key}");
        }
        assert_eq!(judge(Level::Article, "title"), None);
    }

    #[test]
    fn levels_follow_the_path() {
        let at = |p: &[Step]| Level::of(p);
        assert_eq!(at(&[]), Some(Level::Article));
        assert_eq!(at(&[Step::key("provider")]), Some(Level::Provider));
        assert_eq!(
            at(&[Step::key("images"), Step::Item(2)]),
            Some(Level::Image)
        );
        let related_image = [
            Step::key("related"),
            Step::Item(0),
            Step::key("images"),
            Step::Item(1),
        ];
        assert_eq!(at(&related_image), Some(Level::Image));
        assert_eq!(at(&[Step::key("secured")]), None);
        assert_eq!(at(&[Step::key("custom")]), None);
    }
}
