//! The groups that get feeds of their own (topics, providers, categories): their kinds, their
//! names and the URL-safe slugs their feeds live under, with a stable rule for names whose
//! slugs collide.
//!
//! A slug is lowercase ASCII: the name transliterated (`Économie` → `economie`), every run of
//! other characters turned into one `-`, at most 60 characters. It can never be empty, `.` or
//! `..`, contain a `/`, or be a name Windows reserves, so no topic name can put a file
//! outside the output folder.
//!
//! Names that differ only in letter case are one topic. When different names give the same
//! slug (`C++` and `C`, `AI Hardware` and `AI-hardware!`), the name whose lowercase form *is*
//! the slug with spaces for hyphens (`c`, `ai hardware`) keeps the plain slug; every other
//! name gets the slug plus `-` and 8 hex digits of a hash of its lowercase form. The rule
//! depends only on the names, never on file order, and a plain name's URL never changes.

use std::collections::BTreeMap;

/// The kinds of feeds besides the all-articles feed: curated (chosen by rules in the
/// settings), and grouped per topic, per provider, per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `curated/<slug>/`: a feed the settings' `curated:` list defines.
    Curated,
    /// `topics/<slug>/`.
    Topic,
    /// `providers/<slug>/`.
    Provider,
    /// `categories/<slug>/`.
    Category,
}

impl Kind {
    /// Every kind of group (the articles' own topics, providers and categories), in output
    /// order. Curated feeds are not groups: the settings name them.
    pub const ALL: [Kind; 3] = [Kind::Topic, Kind::Provider, Kind::Category];

    /// How this kind is named, everywhere: see [`Wording`].
    pub fn wording(self) -> &'static Wording {
        match self {
            Kind::Curated => &Wording {
                folder: "curated",
                id: "curated",
                noun: "curated feed",
                heading: "Curated",
                column: "Feed",
                title: "{site}: {name}",
                // A curated feed's description comes from its settings.
                description: "",
            },
            Kind::Topic => &Wording {
                folder: "topics",
                id: "topic",
                noun: "topic",
                heading: "Topics",
                column: "Topic",
                title: "{site}: {name}",
                description: "The newest articles on {name} from {site}.",
            },
            Kind::Provider => &Wording {
                folder: "providers",
                id: "provider",
                noun: "provider",
                heading: "Providers",
                column: "Provider",
                title: "{site}: articles from {name}",
                description: "The newest articles from {name} on {site}.",
            },
            Kind::Category => &Wording {
                folder: "categories",
                id: "category",
                noun: "category",
                heading: "Categories",
                column: "Category",
                title: "{site}: {name} (category)",
                description: "The newest articles in the category {name} on {site}.",
            },
        }
    }

    /// The folder its feeds live in.
    pub fn folder(self) -> &'static str {
        self.wording().folder
    }

    /// Its name in messages, singular.
    pub fn noun(self) -> &'static str {
        self.wording().noun
    }
}

/// How a kind of feed is named, in one table: the folder its feeds live in, the words for
/// it in messages, templates and the index page, and the feed title and description made
/// from the site's title (`{site}`) and the group's name (`{name}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    /// Its folder in the output: `topics`.
    pub folder: &'static str,
    /// Its name for templates: `topic`.
    pub id: &'static str,
    /// Its name in messages, singular: `topic`.
    pub noun: &'static str,
    /// Its section of the index page: `Topics`.
    pub heading: &'static str,
    /// The index table's column for its feeds' names: `Topic`.
    pub column: &'static str,
    /// A feed's title.
    pub title: &'static str,
    /// A feed's description.
    pub description: &'static str,
}

impl Wording {
    /// `pattern` (its `title` or `description`) for the group `name` on the site `site`.
    pub fn fill(pattern: &str, site: &str, name: &str) -> String {
        pattern.replace("{site}", site).replace("{name}", name)
    }
}

/// The longest slug, before any collision suffix.
pub const MAX_SLUG: usize = 60;

const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The key that makes two spellings one topic: the name in lowercase.
pub fn identity(name: &str) -> String {
    name.to_lowercase()
}

/// [`identity`], written into `out` (cleared first): no allocation for an ASCII name once
/// `out` is large enough.
pub fn identity_into(name: &str, out: &mut String) {
    out.clear();
    if name.is_ascii() {
        out.push_str(name);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&identity(name));
    }
}

/// The plain slug of a topic name, before collisions are resolved.
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    if slug.len() > MAX_SLUG {
        slug.truncate(MAX_SLUG);
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        return format!("topic-{:08x}", hash(&identity(name)) as u32);
    }
    if RESERVED.contains(&slug.as_str()) {
        slug.push_str("-topic");
    }
    slug
}

/// A 64-bit FNV-1a hash: stable across platforms and Rust versions, so slugs never change.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// True when `identity` is the canonical spelling of `slug`.
fn is_canonical(identity: &str, slug: &str) -> bool {
    identity.len() == slug.len()
        && identity
            .bytes()
            .zip(slug.bytes())
            .all(|(a, b)| a == b || (a == b' ' && b == b'-'))
}

/// A collision between topic names, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The plain slug the names share.
    pub slug: String,
    /// Each name and the slug it was given.
    pub names: Vec<(String, String)>,
}

/// Assigns final slugs to topic identities (see the module docs for the rule). Returns the
/// slug of each identity and the collisions found.
pub fn assign_slugs<'a>(
    identities: impl IntoIterator<Item = &'a str>,
) -> (BTreeMap<String, String>, Vec<Collision>) {
    let mut by_slug: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for id in identities {
        by_slug.entry(slugify(id)).or_default().push(id);
    }
    let mut slugs = BTreeMap::new();
    let mut collisions = Vec::new();
    for (slug, mut ids) in by_slug {
        ids.sort_unstable();
        ids.dedup();
        if ids.len() == 1 {
            slugs.insert(ids[0].to_string(), slug);
            continue;
        }
        let mut names = Vec::new();
        for id in ids {
            let given = if is_canonical(id, &slug) {
                slug.clone()
            } else {
                format!("{slug}-{:08x}", hash(id) as u32)
            };
            names.push((id.to_string(), given.clone()));
            slugs.insert(id.to_string(), given);
        }
        collisions.push(Collision { slug, names });
    }
    (slugs, collisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        assert_eq!(slugify("AI Hardware"), "ai-hardware");
        assert_eq!(slugify("Économie"), "economie");
        assert_eq!(slugify("  Microsoft   AI! "), "microsoft-ai");
        assert_eq!(slugify("日本"), "ri-ben");
    }

    #[test]
    fn slugs_cannot_escape_the_output_folder() {
        for name in [
            "../../etc",
            "/abs",
            ".hidden",
            "a/b",
            "..",
            ".",
            "con",
            "NUL",
            "🔥🔥",
            "",
        ] {
            let slug = slugify(name);
            assert!(!slug.is_empty(), "{name}");
            assert!(
                !slug.contains('/') && !slug.contains('.'),
                "{name} -> {slug}"
            );
            assert!(!RESERVED.contains(&slug.as_str()), "{name} -> {slug}");
        }
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("con"), "con-topic");
        assert!(slugify("!!!").starts_with("topic-"));
        assert_eq!(slugify("🔥🔥"), "fire-fire");
        assert!(slugify(&"x".repeat(500)).len() <= MAX_SLUG);
    }

    #[test]
    fn collisions_keep_the_canonical_name_plain_and_hash_the_rest() {
        let (slugs, collisions) = assign_slugs(["c", "c++", "c#", "rust"]);
        assert_eq!(slugs["c"], "c");
        assert_eq!(slugs["rust"], "rust");
        assert!(slugs["c++"].starts_with("c-") && slugs["c++"].len() == 10);
        assert_ne!(slugs["c++"], slugs["c#"]);
        assert_eq!(collisions.len(), 1);
        assert_eq!(collisions[0].names.len(), 3);
    }

    #[test]
    fn collision_slugs_do_not_depend_on_other_names() {
        let (a, _) = assign_slugs(["c++", "c"]);
        let (b, _) = assign_slugs(["c#", "c++", "c"]);
        assert_eq!(a["c++"], b["c++"]);
    }
}
