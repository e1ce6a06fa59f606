//! The article as published: validated, cleaned, feed-neutral. Only [`Entry::from_article`]
//! makes one, so every entry that reaches a renderer has a title, an http(s) link and a date,
//! and no text in it holds a character that XML 1.0 forbids.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset};

use serde::{Deserialize, Serialize};

use crate::article::{self, Article, Score};
use crate::problem::Problem;
use crate::settings::Limits;
use crate::source::Document;
use crate::text::{clean_line, clean_text, quote, web_url};

/// Who published an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// The provider's name, as shown to readers.
    pub name: String,
    /// `https://<domain>/`, when the article gives a valid domain.
    pub uri: Option<String>,
}

/// A published image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Absolute http(s) URL.
    pub url: String,
    /// Width in pixels, when known.
    pub width: Option<u32>,
    /// Height in pixels, when known.
    pub height: Option<u32>,
}

/// A related-coverage link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The related article's title.
    pub title: String,
    /// Absolute http(s) URL.
    pub url: String,
    /// Who published it.
    pub provider: Option<String>,
    /// When, if the date was valid.
    pub published: Option<DateTime<FixedOffset>>,
}

/// A validated article, ready for any feed format.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The file it came from.
    pub source: PathBuf,
    /// The permanent id and permalink: the article's web URL.
    pub id: String,
    /// Plain-text title.
    pub title: String,
    /// Plain-text excerpt, if any.
    pub summary: Option<String>,
    /// Publication time, with the offset the article gave.
    pub published: DateTime<FixedOffset>,
    /// The provider, if named.
    pub provider: Option<Provider>,
    /// Topic names as written (cleaned, de-duplicated ignoring case), in article order.
    pub topics: Vec<String>,
    /// The article's category, if any.
    pub category: Option<String>,
    /// The article's type (`type:`), such as `story`, if any.
    pub kind: Option<String>,
    /// Its quality score, if any: finite, zero or more.
    pub quality: Option<f64>,
    /// Its heat score, if any: finite, zero or more.
    pub heat: Option<f64>,
    /// Images, lead image first.
    pub images: Vec<Image>,
    /// Related coverage.
    pub related: Vec<Related>,
    /// The Markdown body as written (empty when there is none).
    pub body: String,
    /// The body rendered, once, when a feed first needs it: see [`Entry::body_html`].
    body_html: BodyHtml,
}

/// What one article file gave: an entry (or, where only selection's facts are kept, those
/// facts), a valid article marked `published: false`, or an invalid one. The one type for an
/// article's outcome, whether it was just parsed or remembered by the cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome<T> {
    /// A publishable article.
    Published(T),
    /// A valid article marked `published: false`.
    Unpublished,
    /// An invalid article; its errors say why.
    Rejected,
}

impl<T> Outcome<T> {
    /// The same outcome with the published value mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        match self {
            Outcome::Published(t) => Outcome::Published(f(t)),
            Outcome::Unpublished => Outcome::Unpublished,
            Outcome::Rejected => Outcome::Rejected,
        }
    }
}

/// Reads, parses and validates one article file's bytes (`path` names it in problems): the
/// outcome, and every problem found, warnings and errors alike.
pub fn validate(
    path: &Path,
    bytes: Vec<u8>,
    limits: &Limits,
) -> (Outcome<Box<Entry>>, Vec<Problem>) {
    let mut problems = Vec::new();
    let parsed = Document::parse(path, bytes)
        .and_then(|doc| Article::parse(&doc).map(|article| (doc, article)));
    let outcome = match parsed {
        Err(problem) => {
            problems.push(problem);
            Outcome::Rejected
        }
        Ok((doc, article)) => {
            match Entry::from_article(&doc.path, article, doc.body(), limits, &mut problems) {
                Ok(outcome) => outcome,
                Err(errors) => {
                    problems.extend(errors);
                    Outcome::Rejected
                }
            }
        }
    };
    (outcome, problems)
}

impl Entry {
    /// Validates `article` (read from `path`, with Markdown `body`). Problems that do not
    /// reject the article are pushed to `warnings`; the first that does is returned as `Err`
    /// together with any others found.
    pub fn from_article(
        path: &Path,
        article: Article,
        body: &str,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Outcome<Box<Entry>>, Vec<Problem>> {
        let mut errors = Vec::new();
        let title = article
            .title
            .as_deref()
            .map(clean_line)
            .filter(|t| !t.is_empty());
        if title.is_none() {
            errors.push(Problem::error(
                path,
                "missing-field",
                "no title: add a non-empty `title:` to the front matter",
            ));
        }
        let link = match (&article.web_url, &article.original_url) {
            (Some(web), _) => Some(("webUrl", web)),
            (None, Some(original)) => Some(("originalUrl", original)),
            (None, None) => None,
        };
        let id = match link {
            None => {
                errors.push(Problem::error(
                    path,
                    "missing-field",
                    "no link: add `webUrl:` (or `originalUrl:`) with the article's http or https address",
                ));
                None
            }
            Some((field, raw)) => match web_url(raw) {
                Ok(url) => Some(url),
                Err(why) => {
                    errors.push(Problem::error(
                        path,
                        "bad-url",
                        format!("`{field}` {why}: {}", quote(raw)),
                    ));
                    None
                }
            },
        };
        let published = match &article.published_date_time {
            None => {
                errors.push(Problem::error(
                    path,
                    "missing-field",
                    "no date: add `publishedDateTime:` as RFC 3339, e.g. 2022-05-26T22:46:00Z",
                ));
                None
            }
            Some(raw) => match parse_date(raw) {
                Ok(date) => Some(date),
                Err(why) => {
                    errors.push(Problem::error(
                        path,
                        "bad-date",
                        format!("`publishedDateTime` {why}"),
                    ));
                    None
                }
            },
        };
        let (Some(title), Some(id), Some(published), true) =
            (title, id, published, errors.is_empty())
        else {
            return Err(errors);
        };
        if article.published == Some(false) {
            return Ok(Outcome::Unpublished);
        }

        let topics = topics(path, &article.topics, limits, warnings);
        let provider = article
            .provider
            .as_ref()
            .and_then(|p| provider(path, p, warnings));
        let images = images(path, "images", &article.images, limits, warnings);
        let related = related(path, &article.related, limits, warnings);
        let summary = article
            .excerpt
            .as_deref()
            .map(clean_text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let entry = Entry {
            source: path.to_path_buf(),
            id,
            title,
            summary,
            published,
            provider,
            topics,
            category: article
                .category
                .as_deref()
                .map(clean_line)
                .filter(|c| !c.is_empty()),
            kind: article
                .kind
                .as_deref()
                .map(clean_line)
                .filter(|k| !k.is_empty()),
            quality: article.quality.map(Score::get),
            heat: article.heat.map(Score::get),
            images,
            related,
            body: body.to_string(),
            body_html: BodyHtml::default(),
        };
        Ok(Outcome::Published(Box::new(entry)))
    }
}

impl Entry {
    /// The Markdown body rendered to HTML and sanitised (empty when there is no body). It
    /// is rendered the first time a feed asks, then kept: validating an article never needs
    /// it, and most articles of a large archive are in no feed that is written, so `check`
    /// and a build never spend the time on them.
    pub fn body_html(&self) -> &str {
        self.body_html
            .0
            .get_or_init(|| markdown(&clean_text(&self.body), &self.id))
    }
}

/// The rendered body, filled on first use. It follows from the body and the id, so it takes
/// no part in comparing entries.
#[derive(Debug, Clone, Default)]
struct BodyHtml(std::sync::OnceLock<String>);

impl PartialEq for BodyHtml {
    fn eq(&self, _: &BodyHtml) -> bool {
        true
    }
}

/// Renders a Markdown body to sanitised HTML: no scripts, no event handlers, only http(s)
/// links, relative links resolved against the article's own URL (`base`), and no character
/// that XML 1.0 forbids, even one written as a character reference such as `&#1;`.
pub fn markdown(body: &str, base: &str) -> String {
    if body.trim().is_empty() {
        return String::new();
    }
    let options =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    let parser = pulldown_cmark::Parser::new_ext(body, options);
    let mut raw = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, parser);
    let mut cleaner = ammonia::Builder::default();
    cleaner.url_schemes(HashSet::from(["http", "https"]));
    let base = url::Url::parse(base).ok();
    cleaner.url_relative(match &base {
        Some(base) => ammonia::UrlRelative::RewriteWithBase(base.clone()),
        None => ammonia::UrlRelative::Deny,
    });
    // The sanitiser keeps a URL that parses with an allowed scheme as written, and checks no
    // scheme in `cite` at all. Written forms such as `https:host/x` are not what a reader
    // resolves them to (with an https base, that is a relative path), so every URL attribute
    // is written resolved against the article's URL, the way a browser resolves it, and
    // dropped unless that is http(s).
    cleaner.attribute_filter(move |_element, attribute, value| {
        if !matches!(attribute, "href" | "src" | "cite") {
            return Some(value.into());
        }
        let resolved = base.as_ref()?.join(value).ok()?;
        matches!(resolved.scheme(), "http" | "https").then(|| String::from(resolved).into())
    });
    // Markdown and HTML character references (`&#x1;`) are decoded after `body` was cleaned,
    // and the sanitiser writes what they stand for as raw characters.
    clean_text(&cleaner.clean(&raw).to_string())
}

/// Parses an RFC 3339 date-time, keeping its offset. Years before 1970 or after 9999 are
/// refused: feed readers and the RFC 822 dates of RSS cannot carry them faithfully.
pub fn parse_date(raw: &str) -> Result<DateTime<FixedOffset>, String> {
    let raw = raw.trim();
    let date = DateTime::parse_from_rfc3339(raw).map_err(|e| {
        let hint = if raw.len() == 10 {
            "a date alone is not enough: add a time and an offset, e.g. 2022-05-26T00:00:00Z"
        } else {
            "use RFC 3339 with a time and an offset, e.g. 2022-05-26T22:46:00Z or 2022-05-26T22:46:00+05:30"
        };
        format!("{} is not a valid date-time ({e}); {hint}", quote(raw))
    })?;
    if !(1970..=9999).contains(&date.year()) {
        return Err(format!(
            "{} is out of range: dates must fall in the years 1970 to 9999",
            quote(raw)
        ));
    }
    Ok(date)
}

fn topics(
    path: &Path,
    raw: &[String],
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Vec<String> {
    // Linear in the number of names, so a crafted article with a hundred thousand topics
    // costs milliseconds: one set of identities, one warning for all empty names.
    let mut out: Vec<String> = Vec::with_capacity(raw.len().min(limits.max_topics));
    let mut seen: HashSet<String> = HashSet::new();
    let mut empty = 0usize;
    for name in raw {
        let name = clean_line(name);
        if name.is_empty() {
            empty += 1;
        } else if seen.insert(name.to_lowercase()) && out.len() < limits.max_topics {
            out.push(name);
        }
    }
    match empty {
        0 => {}
        1 => warnings.push(Problem::warning(
            path,
            "empty-topic",
            "an empty topic name was ignored",
        )),
        n => warnings.push(Problem::warning(
            path,
            "empty-topic",
            format!("{n} empty topic names were ignored"),
        )),
    }
    if seen.len() > limits.max_topics {
        warnings.push(Problem::warning(
            path,
            "too-many-topics",
            format!(
                "{} topics; only the first {} are published",
                seen.len(),
                limits.max_topics
            ),
        ));
    }
    out
}

fn provider(path: &Path, raw: &article::Provider, warnings: &mut Vec<Problem>) -> Option<Provider> {
    let name = raw.name.as_deref().map(clean_line).unwrap_or_default();
    let uri = raw
        .domain
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .and_then(|domain| match domain_uri(domain) {
            Some(uri) => Some(uri),
            None => {
                warnings.push(Problem::warning(
                    path,
                    "bad-url",
                    format!(
                        "provider domain {} is not a host name; it was left out",
                        quote(domain)
                    ),
                ));
                None
            }
        });
    if name.is_empty() {
        return uri.map(|uri| Provider {
            name: url::Url::parse(&uri)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default(),
            uri: Some(uri),
        });
    }
    Some(Provider { name, uri })
}

/// `https://<domain>/` for a bare host name, or `None` when `domain` is anything else.
fn domain_uri(domain: &str) -> Option<String> {
    let valid = domain.len() <= 253
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if !valid {
        return None;
    }
    web_url(&format!("https://{domain}/")).ok()
}

fn images(
    path: &Path,
    field: &str,
    raw: &[article::Image],
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Vec<Image> {
    let mut out = Vec::new();
    for (i, image) in raw.iter().enumerate() {
        let Some(url) = image.url.as_deref() else {
            warnings.push(Problem::warning(
                path,
                "missing-field",
                format!("{field}[{i}] has no url; it was left out"),
            ));
            continue;
        };
        match web_url(url) {
            Ok(url) => out.push(Image {
                url,
                width: image.width.filter(|&w| w > 0),
                height: image.height.filter(|&h| h > 0),
            }),
            Err(why) => warnings.push(Problem::warning(
                path,
                "bad-url",
                format!("{field}[{i}].url {why}: {}; it was left out", quote(url)),
            )),
        }
    }
    if out.len() > limits.max_images {
        warnings.push(Problem::warning(
            path,
            "too-many-images",
            format!(
                "{} images; only the first {} are published",
                out.len(),
                limits.max_images
            ),
        ));
        out.truncate(limits.max_images);
    }
    out
}

fn related(
    path: &Path,
    raw: &[article::Related],
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Vec<Related> {
    let mut out = Vec::new();
    for (i, item) in raw.iter().enumerate() {
        let title = item.title.as_deref().map(clean_line).unwrap_or_default();
        let url = item.web_url.as_deref().map(|u| (u, web_url(u)));
        let (title, url) = match (title.is_empty(), url) {
            (false, Some((_, Ok(url)))) => (title, url),
            (_, Some((raw, Err(why)))) => {
                warnings.push(Problem::warning(
                    path,
                    "bad-url",
                    format!(
                        "related[{i}].webUrl {why}: {}; the item was left out",
                        quote(raw)
                    ),
                ));
                continue;
            }
            _ => {
                warnings.push(Problem::warning(
                    path,
                    "missing-field",
                    format!("related[{i}] needs a title and a webUrl; the item was left out"),
                ));
                continue;
            }
        };
        let published = match item.published_date_time.as_deref().map(parse_date) {
            Some(Ok(date)) => Some(date),
            Some(Err(why)) => {
                warnings.push(Problem::warning(
                    path,
                    "bad-date",
                    format!("related[{i}].publishedDateTime {why}; the date was left out"),
                ));
                None
            }
            None => None,
        };
        let provider = item
            .provider
            .as_ref()
            .and_then(|p| p.name.as_deref())
            .map(clean_line)
            .filter(|n| !n.is_empty());
        out.push(Related {
            title,
            url,
            provider,
            published,
        });
    }
    if out.len() > limits.max_related {
        warnings.push(Problem::warning(
            path,
            "too-many-related",
            format!(
                "{} related items; only the first {} are published",
                out.len(),
                limits.max_related
            ),
        ));
        out.truncate(limits.max_related);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(front: &str) -> (Outcome<Box<Entry>>, Vec<Problem>) {
        let text = format!("---\n{front}---\n");
        validate(Path::new("a.txt"), text.into_bytes(), &Limits::default())
    }

    fn errors(front: &str) -> Vec<Problem> {
        let (outcome, problems) = check(front);
        assert_eq!(outcome, Outcome::Rejected, "{problems:?}");
        problems.into_iter().filter(Problem::is_error).collect()
    }

    fn entry(front: &str) -> Entry {
        match check(front) {
            (Outcome::Published(e), _) => *e,
            other => panic!("expected an entry, got {other:?}"),
        }
    }

    const BASE: &str =
        "title: T\nwebUrl: https://e.com/a\npublishedDateTime: 2022-05-26T22:46:00+05:30\n";

    #[test]
    fn keeps_the_offset_of_the_date() {
        let e = entry(BASE);
        assert_eq!(e.published.to_rfc3339(), "2022-05-26T22:46:00+05:30");
    }

    #[test]
    fn missing_required_fields_are_all_reported() {
        let errors = errors("excerpt: x\n");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().all(|p| p.kind == "missing-field"));
    }

    #[test]
    fn original_url_stands_in_for_a_missing_web_url() {
        let e = entry(
            "title: T\noriginalUrl: https://e.com/o\npublishedDateTime: 2022-05-26T22:46:00Z\n",
        );
        assert_eq!(e.id, "https://e.com/o");
    }

    #[test]
    fn non_http_links_reject_the_article() {
        let errors = errors(
            "title: T\nwebUrl: javascript:alert(1)\npublishedDateTime: 2022-05-26T22:46:00Z\n",
        );
        assert_eq!(errors[0].kind, "bad-url");
    }

    #[test]
    fn unpublished_articles_are_validated_but_not_entries() {
        let (outcome, problems) = check(&format!("{BASE}published: false\n"));
        assert_eq!(outcome, Outcome::Unpublished);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn bad_images_and_related_items_are_dropped_with_warnings() {
        let (r, warnings) = check(&format!(
            "{BASE}images:\n  - url: ftp://x/y.jpg\n  - url: https://e.com/i.jpg\n    width: 10\nrelated:\n  - title: R\n    webUrl: /relative\n"
        ));
        let Outcome::Published(e) = r else { panic!() };
        assert_eq!(e.images.len(), 1);
        assert_eq!(e.images[0].width, Some(10));
        assert!(e.related.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn markdown_is_rendered_and_sanitised() {
        let html = markdown(
            "Hi **there** <script>alert(1)</script> <a href=\"javascript:x()\" onclick=\"y()\">l</a> [rel](/a/b)",
            "https://e.com/news/x",
        );
        assert!(html.contains("<strong>there</strong>"), "{html}");
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("href=\"https://e.com/a/b\""), "{html}");
    }

    #[test]
    fn content_urls_are_written_as_a_reader_resolves_them() {
        let html = markdown(
            "<img src=\"https:img.example.org/a.png\"> <a href=\" HTTP://E.com/x\">x</a> \
             <q cite=\"javascript:alert(1)\">q</q> <blockquote cite=\"/c\">b</blockquote> \
             [r](../up)",
            "https://e.com/news/x",
        );
        assert!(
            html.contains("src=\"https://e.com/news/img.example.org/a.png\""),
            "{html}"
        );
        assert!(html.contains("href=\"http://e.com/x\""), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("cite=\"https://e.com/c\""), "{html}");
        assert!(html.contains("href=\"https://e.com/up\""), "{html}");
    }

    #[test]
    fn character_references_cannot_bring_back_forbidden_characters() {
        let html = markdown(
            "a&#1;b&#x1F;c &#xFFFE; &#x85; `&#2;` <p title=\"&#3;\">d&#x0B;e&#13;f</p>",
            "https://e.com/a",
        );
        assert!(
            !html
                .chars()
                .any(|c| c != '\n' && c != '\t' && c.is_control()
                    || matches!(c, '\u{fffe}' | '\u{ffff}')),
            "{html:?}"
        );
        assert!(html.contains("abc"), "{html:?}");
    }

    #[test]
    fn dates_need_time_and_offset() {
        assert!(parse_date("2022-05-26").unwrap_err().contains("add a time"));
        assert!(parse_date("2022-05-26T10:00:00").is_err());
        assert!(parse_date("2022-02-30T10:00:00Z").is_err());
        assert!(parse_date("1969-12-31T23:59:59Z").is_err());
        assert!(parse_date("2022-05-26t10:00:00.25z").is_ok());
    }

    #[test]
    fn provider_uri_comes_from_a_valid_domain_only() {
        let e = entry(&format!(
            "{BASE}provider:\n  name: The Register\n  domain: theregister.com\n"
        ));
        let p = e.provider.unwrap();
        assert_eq!(p.uri.as_deref(), Some("https://theregister.com/"));
        let (_, warnings) = check(&format!(
            "{BASE}provider:\n  name: X\n  domain: \"evil.com/path?q\"\n"
        ));
        assert_eq!(warnings[0].kind, "bad-url");
    }

    #[test]
    fn topics_past_the_limit_are_trimmed_with_a_warning() {
        let topics: Vec<String> = (0..150).map(|i| format!("\"t{i}\"")).collect();
        let (outcome, warnings) = check(&format!("{BASE}topics: [{}]\n", topics.join(", ")));
        let Outcome::Published(e) = outcome else {
            panic!("an over-tagged article is still published: {warnings:?}")
        };
        assert_eq!(e.topics.len(), 100);
        assert_eq!((e.topics[0].as_str(), e.topics[99].as_str()), ("t0", "t99"));
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].to_string(),
            "warning: a.txt: 150 topics; only the first 100 are published"
        );
    }

    #[test]
    fn a_hundred_thousand_topics_and_empty_names_give_two_warnings() {
        // Dedupe used to compare every name with every other: minutes for this article.
        let mut names: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
        names.extend(["T1".to_string(), String::new(), " ".to_string()]);
        let mut warnings = Vec::new();
        let kept = topics(
            Path::new("a.txt"),
            &names,
            &Limits::default(),
            &mut warnings,
        );
        assert_eq!(kept.len(), 100);
        let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "warning: a.txt: 2 empty topic names were ignored",
                "warning: a.txt: 100000 topics; only the first 100 are published",
            ]
        );
    }

    #[test]
    fn topics_are_cleaned_and_deduplicated_ignoring_case() {
        let e = entry(&format!(
            "{BASE}topics: [\"AI\", \" ai \", \"Machine  Learning\", \"\"]\n"
        ));
        assert_eq!(e.topics, vec!["AI", "Machine Learning"]);
    }
}
