//! The settings file's keys as one list: each key's name, a value to show, its default and
//! what it does. `feedsmith init` writes a commented settings file from it and the man page
//! lists it; a test keeps it equal to the keys the settings file accepts.

/// One key of the settings file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key, as written in the file.
    pub name: &'static str,
    /// A value for it, as YAML: the default when the default is a value, else an example.
    pub sample: &'static str,
    /// The default, in words (`50`, `the title`), or `None` when the key has none: nothing
    /// is written without it, or (for `base_url`, [`Key::required`]) a build needs it.
    pub default: Option<&'static str>,
    /// What the key does, in one line.
    pub meaning: &'static str,
}

impl Key {
    /// True for the key a build cannot do without: `base_url`, unless `--base-url` gives it.
    pub fn required(&self) -> bool {
        self.name == "base_url"
    }

    /// True when [`Key::sample`] is the default itself, so writing it changes nothing.
    pub fn sample_is_default(&self) -> bool {
        self.default == Some(self.sample)
    }
}

/// Every key of the settings file, in the order the guide (docs/settings.md) lists them.
pub const KEYS: &[Key] = &[
    Key {
        name: "title",
        sample: "feedsmith",
        default: Some("feedsmith"),
        meaning: "site title; feed titles are \"<title>\" and \"<title>: <topic>\"",
    },
    Key {
        name: "base_url",
        sample: "https://example.com/feeds/",
        default: None,
        meaning: "absolute URL where the output folder is served; self links are built from it (--base-url)",
    },
    Key {
        name: "site_url",
        sample: "https://example.com/",
        default: Some("base_url"),
        meaning: "the site's home page, the feeds' link",
    },
    Key {
        name: "description",
        sample: "\"The newest articles from feedsmith.\"",
        default: Some("made from the title"),
        meaning: "the all-articles feed's description",
    },
    Key {
        name: "language",
        sample: "en",
        default: Some("en"),
        meaning: "language tag, such as en or en-GB",
    },
    Key {
        name: "timezone",
        sample: "UTC",
        default: Some("UTC"),
        meaning: "the time zone of the dates and times on the pages: an IANA name (Europe/Berlin), an offset (+01:00) or UTC; the feeds keep each article's own offset (--timezone)",
    },
    Key {
        name: "author",
        sample: "feedsmith",
        default: Some("the title"),
        meaning: "who publishes the feeds (the Atom feed author)",
    },
    Key {
        name: "limit",
        sample: "50",
        default: Some("50"),
        meaning: "entries per feed, newest first (--limit)",
    },
    Key {
        name: "content",
        sample: "full",
        default: Some("full"),
        meaning: "what an entry carries in the feeds: full (the body too) or summary (lead image, excerpt, related coverage)",
    },
    Key {
        name: "max_feed_bytes",
        sample: "1000000",
        default: Some("1000000"),
        meaning: "the most bytes an RSS, Atom or JSON Feed file may hold: past it, older entries fall back to their summary, then are left out",
    },
    Key {
        name: "max_file_bytes",
        sample: "1048576",
        default: Some("1048576"),
        meaning: "article files larger than this are rejected",
    },
    Key {
        name: "input",
        sample: "seeds",
        default: Some("seeds"),
        meaning: "folder of article files, read recursively (--input)",
    },
    Key {
        name: "output",
        sample: "feeds",
        default: Some("feeds"),
        meaning: "folder the feeds are written to (--output)",
    },
    Key {
        name: "cache_dir",
        sample: ".feedsmith-cache",
        default: Some(".feedsmith-cache beside the settings file"),
        meaning: "build cache folder, which lets an unchanged article skip parsing (--cache-dir, --no-cache)",
    },
    Key {
        name: "templates",
        sample: "theme",
        default: None,
        meaning: "theme folder: a file there named like a shipped template or asset (page.html, style.css, ...) replaces it (--templates; see docs/themes.md)",
    },
    Key {
        name: "feeds",
        sample: "{ topics: true, providers: true, categories: true }",
        default: Some("{ topics: true, providers: true, categories: true }"),
        meaning: "which group feeds to write besides the all-articles feed",
    },
    Key {
        name: "headers",
        sample: "false",
        default: Some("false"),
        meaning: "also write a _headers file (Netlify, Cloudflare Pages) with content types and caching",
    },
    Key {
        name: "max_age",
        sample: "600",
        default: Some("600"),
        meaning: "seconds a reader, browser or proxy may reuse a file before asking again (Cache-Control in _headers, RSS ttl in minutes)",
    },
    Key {
        name: "icon",
        sample: "https://example.com/icon.png",
        default: None,
        meaning: "a square icon (absolute URL): RSS image, Atom icon, JSON Feed icon and favicon, the pages' icon",
    },
    Key {
        name: "logo",
        sample: "https://example.com/logo.png",
        default: None,
        meaning: "a wide logo (absolute URL): Atom logo",
    },
    Key {
        name: "hub",
        sample: "https://pubsubhubbub.appspot.com/",
        default: None,
        meaning: "a WebSub hub URL or a list of them: rel=\"hub\" in every feed, notified by build --ping",
    },
    Key {
        name: "curated",
        sample: "[{ name: Top stories, rank: heat, window: 7d, limit: 10 }]",
        default: None,
        meaning: "curated feeds: filters, a window and a rank (see \"Curated feeds\" in docs/settings.md)",
    },
    Key {
        name: "topics",
        sample: "{ AI: { title: Machine learning, description: \"Models, chips and policy.\", icon: \"https://example.com/ai.png\" } }",
        default: None,
        meaning: "a topic feed's own title, description and icon, by the topic's name (see \"Feed titles, descriptions and icons\" in docs/settings.md)",
    },
    Key {
        name: "providers",
        sample: "{ Reuters: { description: \"Wire copy from Reuters.\" } }",
        default: None,
        meaning: "a provider feed's own title, description and icon, by the provider's name",
    },
    Key {
        name: "categories",
        sample: "{ tech: { title: Technology } }",
        default: None,
        meaning: "a category feed's own title, description and icon, by the category's name",
    },
    Key {
        name: "tracking_params",
        sample: "[td]",
        default: None,
        meaning: "query parameters that only track, besides utm_* and the usual click ids: links differing only in them are one story",
    },
    Key {
        name: "strict_keys",
        sample: "false",
        default: Some("false"),
        meaning: "make every near-miss and other-generator key warning in an article an error, for CI",
    },
];
