//! Resolved settings: `feedsmith.yaml` read once, command-line overrides applied on top.
//! Nothing below this module reads flags or the settings file.

mod content;
mod curated;
mod keys;
mod texts;
mod zone;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;

use crate::error::{Error, Role, READING};
use crate::group::Kind;
use crate::paths::is_within;
use crate::text::{clean_line, near_miss, web_url};

pub use content::Content;
pub use curated::{Curated, Filter, Rank, Window};
pub use keys::{Key, KEYS};
pub use texts::{Named, Text, Texts};
pub use zone::Zone;

/// The settings file read when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "feedsmith.yaml";

/// The cache folder's name beside the settings file, when neither `--cache-dir` nor
/// `cache_dir` names one.
pub const DEFAULT_CACHE: &str = ".feedsmith-cache";

/// The site the feeds belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The site's name; feed titles are `<title>` and `<title>: <topic>`.
    pub title: String,
    /// Where the output folder is served, ending in `/`; self links are built from it.
    pub base_url: String,
    /// The site's home page, the feeds' `link`.
    pub site_url: String,
    /// One sentence on the site, the all-articles feed's description.
    pub description: String,
    /// Language tag, such as `en` or `en-GB`.
    pub language: String,
    /// The time zone the pages show dates and times in (`timezone:`); the feeds keep each
    /// article's own offset.
    pub timezone: Zone,
    /// Who publishes the feeds (the Atom feed author).
    pub author: String,
    /// A square icon (absolute http(s) URL), when set: RSS `image`, Atom `icon`, JSON Feed
    /// `icon` and `favicon`, and the pages' `<link rel="icon">`.
    pub icon: Option<String>,
    /// A wide logo (absolute http(s) URL), when set: Atom `logo`.
    pub logo: Option<String>,
    /// WebSub hubs (absolute http(s) URLs) that every feed names as `rel="hub"`, and that
    /// `build --ping` notifies.
    pub hubs: Vec<String>,
    /// How long, in seconds, a browser, reader or proxy may reuse a served file before
    /// asking again (`max_age:`): `Cache-Control: max-age` in `_headers`, and the RSS `ttl`
    /// (in minutes, rounded up; none for 0) for hosts whose headers cannot be set.
    pub max_age: u64,
}

impl Default for Site {
    /// Every text empty, UTC, no icon, logo or hub, and the default [`DEFAULT_MAX_AGE`].
    fn default() -> Site {
        Site {
            title: String::new(),
            base_url: String::new(),
            site_url: String::new(),
            description: String::new(),
            language: String::new(),
            timezone: Zone::Utc,
            author: String::new(),
            icon: None,
            logo: None,
            hubs: Vec::new(),
            max_age: DEFAULT_MAX_AGE,
        }
    }
}

/// Limits on what one article may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Topics past this many are dropped with a warning.
    pub max_topics: usize,
    /// Related items past this many are dropped with a warning.
    pub max_related: usize,
    /// Images past this many are dropped with a warning.
    pub max_images: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_topics: 100,
            max_related: 20,
            max_images: 10,
        }
    }
}

/// Everything a build needs to know.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder of article files.
    pub input: PathBuf,
    /// Folder the feeds are written to.
    pub output: PathBuf,
    /// The site.
    pub site: Site,
    /// Entries per feed.
    pub limit: usize,
    /// Which group feeds to write besides the all-articles feed.
    pub kinds: Vec<Kind>,
    /// The curated feeds, in the settings' order.
    pub curated: Vec<Curated>,
    /// Write a `_headers` file (Netlify, Cloudflare Pages) with the content types.
    pub headers: bool,
    /// Article files larger than this are rejected.
    pub max_file_bytes: u64,
    /// Per-article limits.
    pub limits: Limits,
    /// The build's clock: articles dated later are scheduled, not published. `None`
    /// publishes every date.
    pub now: Option<DateTime<FixedOffset>>,
    /// Publish the valid articles even when some are invalid.
    pub skip_invalid: bool,
    /// Make every near-miss and other-generator key warning an error (`strict_keys:`), for
    /// CI: the article is then rejected.
    pub strict_keys: bool,
    /// Query parameters that only track, besides the built-in ones: links that differ only
    /// in them are one story (`tracking_params:`).
    pub tracking_params: Vec<String>,
    /// Build even when the input folder holds no article file (`--allow-empty`): an empty
    /// site, every feed published before removed.
    pub allow_empty: bool,
    /// Build even when that removes most of the files published before
    /// (`--allow-removals`).
    pub allow_removals: bool,
    /// The cache folder, or `None` to read every article afresh.
    pub cache_dir: Option<PathBuf>,
    /// The theme folder (`templates:`): its templates and assets replace the shipped ones of
    /// the same name (see `docs/themes.md`). `None` uses the shipped ones.
    pub templates: Option<PathBuf>,
    /// What an entry carries in the feeds (`content:`): the whole article, or its summary.
    /// A curated feed may say otherwise.
    pub content: Content,
    /// The most bytes an RSS, Atom or JSON Feed file may hold (`max_feed_bytes:`): past it,
    /// older entries fall back to their summary, and then are left out.
    pub max_feed_bytes: u64,
    /// The groups' own titles, descriptions and icons (`topics:`, `providers:`,
    /// `categories:`).
    pub texts: Texts,
}

/// The default size budget of a feed file: a little under a megabyte. FeedBurner refuses
/// feeds over 1 MB (1,048,576 bytes here would be just over its limit in its own units),
/// Feedly has been seen to stop fetching a large feed and Google News allows 2 MB; 50 full
/// news articles rarely come near it, so only feeds with very long bodies are cut.
pub const DEFAULT_MAX_FEED_BYTES: u64 = 1_000_000;

/// Values given on the command line; each beats the settings file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--config`: a settings file that must exist.
    pub config: Option<PathBuf>,
    /// `--input`.
    pub input: Option<PathBuf>,
    /// `--output`.
    pub output: Option<PathBuf>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--limit`.
    pub limit: Option<usize>,
    /// `--timezone`: the pages' time zone, as `timezone:` takes it.
    pub timezone: Option<String>,
    /// `--skip-invalid`.
    pub skip_invalid: bool,
    /// `--allow-empty`.
    pub allow_empty: bool,
    /// `--allow-removals`.
    pub allow_removals: bool,
    /// `--cache-dir`.
    pub cache_dir: Option<PathBuf>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// A theme folder (`--templates DIR`, for a front end that offers it); beats
    /// `templates:`.
    pub templates: Option<PathBuf>,
}

/// The settings file, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    title: Option<String>,
    base_url: Option<String>,
    site_url: Option<String>,
    description: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    author: Option<String>,
    limit: Option<usize>,
    max_file_bytes: Option<u64>,
    strict_keys: Option<bool>,
    tracking_params: Option<Vec<String>>,
    content: Option<Content>,
    max_feed_bytes: Option<u64>,
    input: Option<PathBuf>,
    output: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    templates: Option<PathBuf>,
    feeds: Option<Switches>,
    headers: Option<bool>,
    max_age: Option<u64>,
    icon: Option<String>,
    logo: Option<String>,
    hub: Option<OneOrMany>,
    curated: Option<Vec<curated::Written>>,
    topics: Option<texts::Written>,
    providers: Option<texts::Written>,
    categories: Option<texts::Written>,
}

/// A value written as one string or as a list of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// Ten minutes: GitHub Pages' own default, short enough that a new article reaches readers
/// that poll within ten minutes, long enough to absorb a burst of polls; every response
/// also carries a validator, so a stale copy costs a 304, not a download.
pub const DEFAULT_MAX_AGE: u64 = 600;

/// `feeds:` in the settings file: which group feeds to write (all on by default).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Switches {
    #[serde(default = "yes")]
    topics: bool,
    #[serde(default = "yes")]
    providers: bool,
    #[serde(default = "yes")]
    categories: bool,
}

fn yes() -> bool {
    true
}

impl Settings {
    /// Settings for building `input` into `output` for `site`, with every other value at its
    /// default (and no cache, no clock): the starting point for library use.
    pub fn new(input: impl Into<PathBuf>, output: impl Into<PathBuf>, site: Site) -> Settings {
        Settings {
            input: input.into(),
            output: output.into(),
            site,
            limit: 50,
            kinds: Kind::ALL.to_vec(),
            curated: Vec::new(),
            headers: false,
            max_file_bytes: 1024 * 1024,
            limits: Limits::default(),
            now: None,
            skip_invalid: false,
            strict_keys: false,
            tracking_params: Vec::new(),
            content: Content::Full,
            max_feed_bytes: DEFAULT_MAX_FEED_BYTES,
            texts: Texts::default(),
            allow_empty: false,
            allow_removals: false,
            cache_dir: None,
            templates: None,
        }
    }

    /// Reads the settings file (the one given, or `feedsmith.yaml` if present) and applies
    /// `overrides`, for a build: a base URL is required.
    pub fn resolve(overrides: Overrides) -> Result<Settings, Error> {
        Settings::resolve_for(overrides, true)
    }

    /// As [`Settings::resolve`], for a run that renders nothing (`check`): without a base
    /// URL, a placeholder stands in, since no link is ever built from it.
    pub fn resolve_for_check(overrides: Overrides) -> Result<Settings, Error> {
        Settings::resolve_for(overrides, false)
    }

    fn resolve_for(overrides: Overrides, renders: bool) -> Result<Settings, Error> {
        let ((file, source), path) = match &overrides.config {
            Some(path) => (read(path)?, Some(path.clone())),
            None if Path::new(DEFAULT_CONFIG).is_file() => {
                let path = PathBuf::from(DEFAULT_CONFIG);
                (read(&path)?, Some(path))
            }
            None => ((File::default(), String::new()), None),
        };
        let bad = |message: String| Error::config(path.clone(), message);
        let base_url = overrides
            .base_url
            .or(file.base_url)
            .or_else(|| (!renders).then(|| "http://localhost/".to_string()))
            .ok_or_else(|| {
                bad("no base URL: set `base_url:` in feedsmith.yaml or pass --base-url URL (where the output folder is served, e.g. https://example.com/feeds/)".to_string())
            })?;
        let base_url = absolute_folder_url(&base_url)
            .map_err(|why| bad(format!("base URL {base_url:?} {why}")))?;
        let site_url = match file.site_url {
            Some(url) => web_url(&url).map_err(|why| bad(format!("`site_url` {url:?} {why}")))?,
            None => base_url.clone(),
        };
        let limit = overrides.limit.or(file.limit).unwrap_or(50);
        if limit == 0 {
            return Err(bad("the item limit must be at least 1".to_string()));
        }
        let language = file.language.unwrap_or_else(|| "en".to_string());
        if !is_language_tag(&language) {
            return Err(bad(format!(
                "`language` {language:?} is not a language tag such as en or en-GB"
            )));
        }
        // A bad `--timezone` is the command line's fault, not the settings file's.
        let timezone = match (overrides.timezone, file.timezone) {
            (Some(raw), _) => {
                Zone::parse(&raw).map_err(|why| Error::config(None, format!("--timezone {why}")))?
            }
            (None, Some(raw)) => {
                Zone::parse(&raw).map_err(|why| bad(format!("`timezone` {why}")))?
            }
            (None, None) => Zone::Utc,
        };
        let clean = |s: Option<String>| s.map(|s| clean_line(&s)).filter(|s| !s.is_empty());
        let title = clean(file.title).unwrap_or_else(|| "feedsmith".to_string());
        let url = |key: &str, raw: String| {
            web_url(&raw).map_err(|why| bad(format!("`{key}` {raw:?} {why}")))
        };
        let icon = file.icon.map(|u| url("icon", u)).transpose()?;
        let logo = file.logo.map(|u| url("logo", u)).transpose()?;
        let hubs = file
            .hub
            .map(OneOrMany::into_vec)
            .unwrap_or_default()
            .into_iter()
            .map(|u| url("hub", u))
            .collect::<Result<Vec<_>, _>>()?;
        let output: PathBuf = overrides
            .output
            .or(file.output)
            .unwrap_or_else(|| "feeds".into());
        let cache_dir = if overrides.no_cache {
            None
        } else {
            overrides
                .cache_dir
                .or(file.cache_dir)
                .or_else(|| default_cache(path.as_deref(), &output))
        };
        Ok(Settings {
            input: overrides
                .input
                .or(file.input)
                .unwrap_or_else(|| "seeds".into()),
            output,
            site: Site {
                description: clean(file.description)
                    .unwrap_or_else(|| format!("The newest articles from {title}.")),
                author: clean(file.author).unwrap_or_else(|| title.clone()),
                title,
                base_url,
                site_url,
                language,
                timezone,
                icon,
                logo,
                hubs,
                max_age: file.max_age.unwrap_or(DEFAULT_MAX_AGE),
            },
            limit,
            kinds: match &file.feeds {
                None => Kind::ALL.to_vec(),
                Some(s) => Kind::ALL
                    .into_iter()
                    .zip([s.topics, s.providers, s.categories])
                    .filter_map(|(kind, on)| on.then_some(kind))
                    .collect(),
            },
            curated: curated::resolve(file.curated.unwrap_or_default(), limit).map_err(bad)?,
            headers: file.headers.unwrap_or(false),
            max_file_bytes: file.max_file_bytes.unwrap_or(1024 * 1024),
            limits: Limits::default(),
            now: Some(now()?),
            skip_invalid: overrides.skip_invalid,
            strict_keys: file.strict_keys.unwrap_or(false),
            content: file.content.unwrap_or_default(),
            max_feed_bytes: match file.max_feed_bytes {
                Some(0) => return Err(bad("`max_feed_bytes` must be more than 0".to_string())),
                Some(n) => n,
                None => DEFAULT_MAX_FEED_BYTES,
            },
            tracking_params: file.tracking_params.unwrap_or_default(),
            texts: Texts::resolve(
                [
                    (Kind::Topic, file.topics),
                    (Kind::Provider, file.providers),
                    (Kind::Category, file.categories),
                ],
                &source,
                path.as_deref(),
            )
            .map_err(bad)?,
            allow_empty: overrides.allow_empty,
            allow_removals: overrides.allow_removals,
            cache_dir,
            templates: overrides.templates.or(file.templates),
        })
    }
}

/// Where the cache goes when nothing names a folder: beside the settings file (the project's
/// folder) when one is used and that is not inside the output folder; otherwise the user's
/// cache folder (`$XDG_CACHE_HOME/feedsmith`, else `~/.cache/feedsmith`, or the platform's
/// equivalent), where each input and output pair has files of its own. `None`, and so no
/// cache, when there is no such folder.
fn default_cache(config: Option<&Path>, output: &Path) -> Option<PathBuf> {
    if let Some(config) = config {
        let project = config.parent().filter(|p| !p.as_os_str().is_empty());
        let beside = project.unwrap_or(Path::new(".")).join(DEFAULT_CACHE);
        if !is_within(&beside, output) {
            return Some(beside);
        }
    }
    dirs::cache_dir().map(|dir| dir.join("feedsmith"))
}

/// The build's clock: `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
/// convention) when set, else the system clock. It only decides which articles are still
/// scheduled; no output ever contains it.
pub fn now() -> Result<DateTime<FixedOffset>, Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(raw) => raw
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .map(|t| t.fixed_offset())
            .ok_or_else(|| {
                Error::config(
                    None,
                    format!("SOURCE_DATE_EPOCH={raw:?} is not a number of seconds since 1970"),
                )
            }),
        Err(_) => Ok(Utc::now().fixed_offset()),
    }
}

/// The settings file at `path`, and its text.
fn read(path: &Path) -> Result<(File, String), Error> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::at(Role::Settings, path, READING, e))?;
    let file = serde_yaml::from_str(&text).map_err(|e| {
        let message = e.to_string();
        let message = match did_you_mean(&message) {
            Some(key) => format!("{message}; did you mean `{key}`?"),
            None => message,
        };
        Error::config(Some(path.to_path_buf()), message)
    })?;
    Ok((file, text))
}

/// For serde's ``unknown field `titel`, expected one of `title`, …``, the expected key the
/// unknown one is a near miss of (letter case, `_` and `-`, or one or two letters off).
fn did_you_mean(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest.split("expected ").nth(1)?;
    near_miss(unknown, expected.split('`').skip(1).step_by(2))
}

/// An absolute http(s) URL that ends in `/`, so file names can be appended to it.
fn absolute_folder_url(raw: &str) -> Result<String, &'static str> {
    let mut url = web_url(raw)?;
    if url.contains(['?', '#']) {
        return Err("must not have a query or fragment");
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_near_a_known_one_is_named() {
        let message = "unknown field `titel`, expected one of `title`, `base_url`, `limit`";
        assert_eq!(did_you_mean(message), Some("title"));
        let message = "unknown field `Base-URL`, expected one of `title`, `base_url`";
        assert_eq!(did_you_mean(message), Some("base_url"));
        let message = "unknown field `colour`, expected one of `title`, `base_url`";
        assert_eq!(did_you_mean(message), None);
        assert_eq!(did_you_mean("invalid type: map"), None);
    }

    #[test]
    fn base_url_gains_a_trailing_slash() {
        assert_eq!(
            absolute_folder_url("https://e.com/feeds").unwrap(),
            "https://e.com/feeds/"
        );
        assert!(absolute_folder_url("/feeds/").is_err());
        assert!(absolute_folder_url("ftp://e.com/").is_err());
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("en-GB"));
        assert!(!is_language_tag("english language"));
        assert!(!is_language_tag(""));
    }

    #[test]
    fn the_list_of_keys_is_the_settings_file_s_keys() {
        let mut listed: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        let mut read = crate::fields::fields::<File>().to_vec();
        assert!(!read.is_empty());
        listed.sort_unstable();
        read.sort_unstable();
        assert_eq!(listed, read);
    }

    #[test]
    fn every_sample_value_is_accepted_and_every_default_sample_is_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let resolve = |yaml: String| {
            let path = dir.path().join("feedsmith.yaml");
            std::fs::write(&path, yaml).unwrap();
            let mut settings = Settings::resolve(Overrides {
                config: Some(path),
                ..Overrides::default()
            })
            .unwrap_or_else(|e| panic!("{e}"));
            settings.now = None;
            settings.cache_dir = None;
            format!("{settings:?}")
        };
        let every: String = KEYS
            .iter()
            .map(|k| format!("{}: {}\n", k.name, k.sample))
            .collect();
        resolve(every);
        let base = "base_url: https://example.com/feeds/\n";
        let defaults: String = KEYS
            .iter()
            .filter(|k| k.sample_is_default())
            .map(|k| format!("{}: {}\n", k.name, k.sample))
            .collect();
        assert_eq!(resolve(format!("{base}{defaults}")), resolve(base.into()));
    }
}
