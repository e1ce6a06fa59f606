//! The article as published: validated, cleaned, feed-neutral. Only [`Entry::from_article`]
//! makes one, so every entry that reaches a renderer has a title, an http(s) link and a date,
//! and no text in it holds a character that XML 1.0 forbids.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset};

use serde::{Deserialize, Serialize};

use crate::article::locate::{self, Step};
use crate::article::{self, Article, Score};
use crate::problem::{Problem, ProblemKind};
use crate::settings::Limits;
use crate::source::Document;
use crate::text::{clean_line, clean_text, quote, web_url};

/// Who published an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// What selection needs to know of an entry: which feeds it belongs in and where it sorts.
/// It is also all the cache keeps of an article; the rest of the [`Entry`] is parsed again
/// only for the feeds that must be rendered. A field that decides selection goes here (and
/// `FORMAT` in the cache's `location.rs` is bumped); one only shown goes in [`Entry`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// The permanent id and permalink: the article's web URL.
    pub id: String,
    /// Publication time, with the offset the article gave.
    #[serde(with = "date")]
    pub published: DateTime<FixedOffset>,
    /// Topic names as written (cleaned, de-duplicated ignoring case), in article order.
    pub topics: Vec<String>,
    /// The provider, if named.
    pub provider: Option<Provider>,
    /// The article's category, if any.
    pub category: Option<String>,
    /// The article's type (`type:`), such as `story`, if any.
    pub kind: Option<String>,
    /// Its quality score, if any: finite, zero or more.
    pub quality: Option<f64>,
    /// Its heat score, if any: finite, zero or more.
    pub heat: Option<f64>,
}

/// A validated article, ready for any feed format: its [`Facts`] (which it derefs to) and
/// what is only shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What selection needs.
    pub facts: Facts,
    /// The file it came from.
    pub source: PathBuf,
    /// Plain-text title.
    pub title: String,
    /// Plain-text excerpt, if any.
    pub summary: Option<String>,
    /// When it was last updated (`updatedDateTime`), when that is after its publication.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Images, lead image first.
    pub images: Vec<Image>,
    /// Related coverage.
    pub related: Vec<Related>,
    /// The Markdown body as written (empty when there is none).
    pub body: String,
    /// The body rendered, once, when a feed first needs it: see [`Entry::body_html`].
    body_html: BodyHtml,
}

impl std::ops::Deref for Entry {
    type Target = Facts;

    fn deref(&self) -> &Facts {
        &self.facts
    }
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
    let doc = match Document::parse(path, bytes) {
        Err(problem) => return (Outcome::Rejected, vec![problem]),
        Ok(doc) => doc,
    };
    // The article borrows its values from the document's text.
    let parsed = match Article::parse(&doc) {
        Err(problem) => return (Outcome::Rejected, vec![problem]),
        Ok(parsed) => parsed,
    };
    // A key that may decide publication, misspelled, holds the article back; the fields
    // are still checked, so that every problem is told at once.
    let mut problems = parsed.key_problems(&doc);
    let held = problems.iter().any(Problem::is_error);
    let outcome = match Entry::from_article(&doc, parsed.article, limits, &mut problems) {
        Ok(_) if held => Outcome::Rejected,
        Ok(outcome) => outcome,
        Err(errors) => {
            problems.extend(errors);
            Outcome::Rejected
        }
    };
    (outcome, problems)
}

/// Makes problems about the fields of one document, each at the line and column of the
/// value it is about (or of the mapping a missing key belongs in).
struct Spot<'a> {
    doc: &'a Document,
}

impl Spot<'_> {
    fn path(&self) -> &Path {
        &self.doc.path
    }

    /// `problem`, pinned to the value at `at` in the front matter.
    fn at(&self, problem: Problem, at: &[Step]) -> Problem {
        match locate::value(self.doc.front_matter(), at) {
            Some((line, column)) => problem.at(self.doc.front_line + line - 1, column),
            None => problem,
        }
    }

    fn error(&self, at: &[Step], kind: ProblemKind, message: impl Into<String>) -> Problem {
        self.at(Problem::error(self.path(), kind, message), at)
    }

    fn warning(&self, at: &[Step], kind: ProblemKind, message: impl Into<String>) -> Problem {
        self.at(Problem::warning(self.path(), kind, message), at)
    }

    /// A `missing-field` error for `field`: at its key when it is there but empty (a null),
    /// or at the mapping it belongs in.
    fn missing(&self, field: &str, message: &str) -> Problem {
        let present = locate::value(self.doc.front_matter(), &key(field)).is_some();
        let at = if present { key(field) } else { Vec::new() };
        self.error(&at, ProblemKind::MissingField, message)
    }
}

/// The steps to a key of the front matter.
fn key(name: &str) -> Vec<Step> {
    vec![Step::key(name)]
}

/// The steps to `field` of item `i` of the list `list`, or to the item when `field` is empty.
fn in_list(list: &str, i: usize, field: &str) -> Vec<Step> {
    let mut steps = vec![Step::key(list), Step::Item(i)];
    if !field.is_empty() {
        steps.push(Step::key(field));
    }
    steps
}

impl Entry {
    /// Validates `article`, read from `doc`. Problems that do not reject the article are
    /// pushed to `warnings`; the first that does is returned as `Err` together with any
    /// others found. Every problem names the line and column of the value it is about.
    pub fn from_article(
        doc: &Document,
        article: Article,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Outcome<Box<Entry>>, Vec<Problem>> {
        let spot = Spot { doc };
        let path = spot.path();
        let body = doc.body();
        let mut errors = Vec::new();
        let title = article
            .title
            .as_deref()
            .map(clean_line)
            .filter(|t| !t.is_empty());
        if title.is_none() {
            errors.push(spot.missing(
                "title",
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
                errors.push(spot.missing(
                    "webUrl",
                    "no link: add `webUrl:` (or `originalUrl:`) with the article's http or https address",
                ));
                None
            }
            Some((field, raw)) => match web_url(raw) {
                Ok(url) => Some(url),
                Err(why) => {
                    errors.push(spot.error(
                        &key(field),
                        ProblemKind::BadUrl,
                        format!("`{field}` {} {why}", quote(raw)),
                    ));
                    None
                }
            },
        };
        let published = match &article.published_date_time {
            None => {
                errors.push(spot.missing(
                    "publishedDateTime",
                    "no date: add `publishedDateTime:` as RFC 3339, e.g. 2022-05-26T22:46:00Z",
                ));
                None
            }
            Some(raw) => match parse_date(raw) {
                Ok(date) => Some(date),
                Err(why) => {
                    errors.push(spot.error(
                        &key("publishedDateTime"),
                        ProblemKind::BadDate,
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

        let topics = topics(&spot, &article.topics, limits, warnings);
        let provider = article
            .provider
            .as_ref()
            .and_then(|p| provider(&spot, p, warnings));
        let images = images(&spot, &article.images, limits, warnings);
        let related = related(&spot, &article.related, limits, warnings);
        let summary = article
            .excerpt
            .as_deref()
            .map(clean_text)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let facts = Facts {
            id,
            published,
            topics,
            provider,
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
        };
        let updated = article
            .updated_date_time
            .as_deref()
            .and_then(|raw| updated(&spot, raw, &facts.published, warnings));
        let entry = Entry {
            facts,
            source: path.to_path_buf(),
            title,
            summary,
            updated,
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
///
/// The sanitiser builds a tree of the HTML it cleans, many times the size of the text, so
/// a long body is cleaned in pieces of about 64 KB, cut where the output cannot change.
pub fn markdown(body: &str, base: &str) -> String {
    sanitised(body, base, PIECE).0
}

/// About how many bytes of rendered Markdown the sanitiser takes at once.
const PIECE: usize = 64 * 1024;

/// [`markdown`], cleaning the rendered HTML `piece` bytes or more at a time; also says in
/// how many pieces.
///
/// A piece ends only between two top-level blocks, where the HTML parser is back where it
/// started: then each piece is parsed, cleaned and written as it would have been inside
/// the whole, and the pieces join into the same bytes. When every tag of a piece was
/// written by the Markdown renderer, each opened and closed within its block, that holds
/// by construction. A piece with HTML of its own (which may leave an element, a comment or
/// a table open) ends only where cleaning it followed by [`PROBE`] gives its cleaned HTML
/// followed by the probe's: a probe that text, a paragraph and the formatting it would
/// reopen all reach unchanged. Where that fails, the next try waits for twice the bytes,
/// so a body that never closes what it opened is cleaned whole, in linear time.
fn sanitised(body: &str, base: &str, piece: usize) -> (String, usize) {
    if body.trim().is_empty() {
        return (String::new(), 0);
    }
    let parser = parsed(body, piece);
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
    let html = std::cell::RefCell::new(String::with_capacity(piece.min(body.len() * 3 / 2)));
    let probe = cleaner.clean(PROBE).to_string();
    let mut out = Sanitised {
        cleaner,
        probe,
        html: String::with_capacity(body.len() + body.len() / 4),
        pieces: 0,
    };
    let blocks = Blocks {
        events: parser,
        html: &html,
        out: &mut out,
        piece,
        next_try: piece,
        depth: 0,
        own_html: false,
    };
    // Writing into a `String` cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(Shared(&html), blocks);
    out.clean(&html.borrow());
    out.html.shrink_to_fit();
    (out.html, out.pieces)
}

/// The Markdown events of `body`, parsed `piece` bytes or more at a time (see
/// [`markdown_cuts`]): the parser first builds a tree of the whole text it is given, ten
/// times its size and more for a long list, and a piece's tree is dropped before the next
/// piece is parsed. The events are those of the whole body, one piece after another.
fn parsed(body: &str, piece: usize) -> impl Iterator<Item = pulldown_cmark::Event<'_>> {
    let options =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    let cuts = markdown_cuts(body, piece);
    let starts = std::iter::once(0).chain(cuts.clone());
    let ends = cuts.into_iter().chain(std::iter::once(body.len()));
    starts
        .zip(ends)
        .flat_map(move |(start, end)| pulldown_cmark::Parser::new_ext(&body[start..end], options))
}

/// Where `body` may be cut so that its pieces, parsed one after another, give the events of
/// the whole, a cut only once its piece is `piece` bytes or more: at the start of a line
/// that begins with a letter or `#` (a heading's or a paragraph's), after a blank line, outside a fenced code block (and before
/// any fence line whose place is not that certain). Such a line
/// can only start a paragraph at the top level: the blank line before it and its column 0
/// close every list, quote and indented code block, and any HTML block that a blank line
/// ends. Nothing after a cut can then change what came before, or before it what comes
/// after, with two exceptions, where the body is not cut at all: a link reference
/// definition (`[x]: url`, which any part of the body may use), and the HTML blocks that a
/// blank line does not end (`<script`, `<pre`, `<style`, `<textarea`, `<!`, `<?`).
fn markdown_cuts(body: &str, piece: usize) -> Vec<usize> {
    if body.len() <= piece || body.contains("]:") {
        return Vec::new();
    }
    let unended = |(at, _): (usize, &str)| {
        let rest = &body.as_bytes()[at + 1..];
        matches!(rest.first(), Some(b'!' | b'?'))
            || ["script", "pre", "style", "textarea"].iter().any(|tag| {
                rest.get(..tag.len())
                    .is_some_and(|name| name.eq_ignore_ascii_case(tag.as_bytes()))
            })
    };
    if body.match_indices('<').any(unended) {
        return Vec::new();
    }
    let mut cuts = Vec::new();
    let (mut start, mut at) = (0, 0);
    let mut blank_before = false;
    // The open fence's character and length.
    let mut fence: Option<(u8, usize)> = None;
    for line in body.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        match fence {
            Some(open) => {
                if closes(text, open) {
                    fence = None;
                }
            }
            None => {
                if blank_before
                    && at - start >= piece
                    && text
                        .as_bytes()
                        .first()
                        .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'#')
                {
                    cuts.push(at);
                    start = at;
                }
                match opens(text) {
                    // At column 0 after a blank line (or first), a fence is always the
                    // body's own: not a list's or a quote's, which a line must be indented
                    // (or quoted) to continue, nor part of an HTML block or a table, which a
                    // blank line ends.
                    Some((0, open)) if blank_before || at == 0 => fence = Some(open),
                    // Elsewhere it may be any of those: from here on, the body is not cut.
                    Some(_) => break,
                    None => {}
                }
            }
        }
        blank_before = text.trim_matches([' ', '\t']).is_empty();
        at += line.len();
    }
    cuts
}

/// The fence `line` opens, as (indentation, (character, length)): up to three spaces, then
/// three or more backticks (with no backtick after them) or tildes.
fn opens(line: &str) -> Option<(usize, (u8, usize))> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line.as_bytes()[indent..];
    let c = *rest.first()?;
    let n = rest.iter().take_while(|&&b| b == c).count();
    let fenced = indent <= 3 && n >= 3 && (c == b'~' || (c == b'`' && !rest[n..].contains(&b'`')));
    fenced.then_some((indent, (c, n)))
}

/// True when `line` closes the fence `open`: up to three spaces, at least as many of its
/// character, then only white space.
fn closes(line: &str, (c, len): (u8, usize)) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line.as_bytes()[indent..];
    let n = rest.iter().take_while(|&&b| b == c).count();
    indent <= 3 && n >= len && rest[n..].iter().all(|b| matches!(b, b' ' | b'\t'))
}

/// What a piece with HTML of its own is cleaned with, to see whether it left the HTML parser
/// where it started: a line break (which an open raw-text element would drop), text, and a
/// paragraph with text (which an open element, table or formatting would take in).
const PROBE: &str = "\nx<p>x</p>\n";

/// The sanitised HTML so far, and the sanitiser.
struct Sanitised<'c> {
    cleaner: ammonia::Builder<'c>,
    /// [`PROBE`] cleaned.
    probe: String,
    html: String,
    pieces: usize,
}

impl Sanitised<'_> {
    /// Cleans one piece of rendered HTML onto the end.
    fn clean(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let cleaned = self.cleaner.clean(raw).to_string();
        self.push(&cleaned);
    }

    /// Cleans `raw`, a piece with HTML of its own, onto the end when it leaves the HTML
    /// parser where it started (see [`sanitised`]); false, and nothing done, when not.
    fn clean_if_closed(&mut self, raw: &mut String) -> bool {
        let cleaned = self.cleaner.clean(raw).to_string();
        let len = raw.len();
        raw.push_str(PROBE);
        let probed = self.cleaner.clean(raw).to_string();
        raw.truncate(len);
        let closed = probed.strip_prefix(cleaned.as_str()) == Some(self.probe.as_str());
        if closed {
            self.push(&cleaned);
        }
        closed
    }

    fn push(&mut self, cleaned: &str) {
        // Markdown and HTML character references (`&#x1;`) are decoded after the body was
        // cleaned, and the sanitiser writes what they stand for as raw characters.
        self.html.push_str(&clean_text(cleaned));
        self.pieces += 1;
    }
}

/// The rendered HTML not yet cleaned, written to by the Markdown renderer.
struct Shared<'a>(&'a std::cell::RefCell<String>);

impl std::fmt::Write for Shared<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

/// The Markdown events, handed to the renderer one at a time. The renderer has written
/// every event it took before it asks for the next, so between two top-level blocks the
/// HTML written so far is whole blocks, and a piece that is long enough is cleaned there.
struct Blocks<'a, 'c, I> {
    events: I,
    html: &'a std::cell::RefCell<String>,
    out: &'a mut Sanitised<'c>,
    piece: usize,
    /// The length at which the piece is next tried.
    next_try: usize,
    /// How many blocks and spans are open.
    depth: usize,
    /// The piece has HTML of its own.
    own_html: bool,
}

impl<'e, I: Iterator<Item = pulldown_cmark::Event<'e>>> Iterator for Blocks<'_, '_, I> {
    type Item = pulldown_cmark::Event<'e>;

    fn next(&mut self) -> Option<Self::Item> {
        use pulldown_cmark::{Event, Tag};
        if self.depth == 0 && self.html.borrow().len() >= self.next_try {
            let mut html = self.html.borrow_mut();
            let closed = if self.own_html {
                self.out.clean_if_closed(&mut html)
            } else {
                self.out.clean(&html);
                true
            };
            if closed {
                html.clear();
                self.own_html = false;
                self.next_try = self.piece;
            } else {
                self.next_try = html.len().saturating_mul(2);
            }
        }
        let event = self.events.next()?;
        match &event {
            Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock) => {
                self.own_html = true;
            }
            _ => {}
        }
        match &event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Some(event)
    }
}

/// Parses an RFC 3339 date-time, keeping its offset. Years before 1970 or after 9999 are
/// refused: feed readers and the RFC 822 dates of RSS cannot carry them faithfully. The
/// error says what is wrong with `raw` in words, and how to write it.
pub fn parse_date(raw: &str) -> Result<DateTime<FixedOffset>, String> {
    let raw = raw.trim();
    let date = DateTime::parse_from_rfc3339(raw)
        .map_err(|_| format!("{} {}", quote(raw), date_hint(raw)))?;
    if !(1970..=9999).contains(&date.year()) {
        return Err(format!(
            "{} is out of range: dates must fall in the years 1970 to 9999",
            quote(raw)
        ));
    }
    Ok(date)
}

/// How a date-time is written.
const RFC3339: &str = "write RFC 3339 with a time and an offset, e.g. 2022-05-26T22:46:00Z or \
                       2022-05-26T22:46:00+05:30";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why `raw`, which is not an RFC 3339 date-time, is not one, and the fix.
fn date_hint(raw: &str) -> String {
    let b = raw.as_bytes();
    if (9..=13).contains(&b.len()) && b.iter().all(u8::is_ascii_digit) {
        // Ten digits are seconds since 1970; thirteen, milliseconds.
        let n: i64 = raw.parse().unwrap_or(0);
        let seconds = if b.len() >= 12 { n / 1000 } else { n };
        let example = DateTime::from_timestamp(seconds, 0)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_else(|| "2024-03-01T09:00:00Z".to_string());
        return format!("is a number: a Unix timestamp? write RFC 3339, e.g. {example}");
    }
    let number = |at: std::ops::Range<usize>| -> Option<u32> {
        let d = b.get(at)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0')))
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return format!("is not a date-time: {RFC3339}");
    };
    if b[4] != b'-' || b[7] != b'-' {
        return format!("is not a date-time: {RFC3339}");
    }
    if !(1..=12).contains(&month) {
        return format!("has no month {month:02}: months run 01 to 12");
    }
    let days = days_in_month(year, month);
    if day == 0 || day > days {
        let name = MONTHS[month as usize - 1];
        return format!("is not a day of the calendar: {name} {year} has {days} days");
    }
    if b.len() == 10 {
        return format!(
            "is a date alone: add a time and an offset, e.g. {raw}T00:00:00Z (UTC) or \
             {raw}T00:00:00+01:00"
        );
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return format!("is not a date-time: {RFC3339}");
    }
    let (Some(hour), Some(minute)) = (number(11..13), number(14..16)) else {
        return format!("has no time that can be read: {RFC3339}");
    };
    if hour > 23 {
        return format!("has the hour {hour}: hours run 00 to 23");
    }
    if minute > 59 {
        return format!("has the minute {minute}: minutes run 00 to 59");
    }
    if number(17..19).is_some_and(|second| second > 60) {
        return "has a second past 60: seconds run 00 to 59 (60 for a leap second)".to_string();
    }
    let offset = raw[10..].find(['Z', 'z', '+']).is_some() || raw[11..].contains('-');
    if !offset {
        return format!(
            "has no offset: add Z for UTC ({raw}Z) or the offset of its time zone, such as \
             {raw}+01:00"
        );
    }
    format!("is not a date-time that can be read: {RFC3339}")
}

/// The days of `month` (1 to 12) of `year`, in the proleptic Gregorian calendar.
fn days_in_month(year: u32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&day| chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_some())
        .unwrap_or(31)
}

/// `updatedDateTime` when it is a date after the publication; otherwise a warning, and the
/// article is published as if it had none (a bad update never costs the article).
fn updated(
    spot: &Spot<'_>,
    raw: &str,
    published: &DateTime<FixedOffset>,
    warnings: &mut Vec<Problem>,
) -> Option<DateTime<FixedOffset>> {
    let at = key("updatedDateTime");
    match parse_date(raw) {
        Err(why) => {
            warnings.push(spot.warning(
                &at,
                ProblemKind::BadDate,
                format!("`updatedDateTime` {why}; the update date was left out"),
            ));
            None
        }
        Ok(update) if update < *published => {
            warnings.push(spot.warning(
                &at,
                ProblemKind::BadDate,
                format!(
                    "`updatedDateTime` {} is before `publishedDateTime` {}; the update date \
                     was left out: an update comes after the publication",
                    quote(raw.trim()),
                    published.to_rfc3339()
                ),
            ));
            None
        }
        // An update at the very time of publication says nothing new.
        Ok(update) if update == *published => None,
        Ok(update) => Some(update),
    }
}

fn topics(
    spot: &Spot<'_>,
    raw: &[article::Text<'_>],
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Vec<String> {
    // Linear in the number of names, so a crafted article with a hundred thousand topics
    // costs milliseconds: one set of identities, one warning for all empty names.
    let mut out: Vec<String> = Vec::with_capacity(raw.len().min(limits.max_topics));
    let mut seen: HashSet<String> = HashSet::new();
    let mut empty = 0usize;
    // Where the first empty name, and the first name past the limit, are: the warnings'
    // places.
    let (mut first_empty, mut first_cut) = (None, None);
    for (i, name) in raw.iter().enumerate() {
        let name = clean_line(name);
        if name.is_empty() {
            empty += 1;
            first_empty.get_or_insert(i);
        } else if seen.insert(name.to_lowercase()) {
            if out.len() < limits.max_topics {
                out.push(name);
            } else {
                first_cut.get_or_insert(i);
            }
        }
    }
    let at = |i: Option<usize>| in_list("topics", i.unwrap_or(0), "");
    match empty {
        0 => {}
        1 => warnings.push(spot.warning(
            &at(first_empty),
            ProblemKind::EmptyTopic,
            "an empty topic name was ignored",
        )),
        n => warnings.push(spot.warning(
            &at(first_empty),
            ProblemKind::EmptyTopic,
            format!("{n} empty topic names were ignored"),
        )),
    }
    if seen.len() > limits.max_topics {
        warnings.push(spot.warning(
            &at(first_cut),
            ProblemKind::TooManyTopics,
            format!(
                "{} topics; only the first {} are published",
                seen.len(),
                limits.max_topics
            ),
        ));
    }
    out
}

fn provider(
    spot: &Spot<'_>,
    raw: &article::Provider,
    warnings: &mut Vec<Problem>,
) -> Option<Provider> {
    let name = raw.name.as_deref().map(clean_line).unwrap_or_default();
    let uri = raw
        .domain
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .and_then(|domain| match domain_uri(domain) {
            Some(uri) => Some(uri),
            None => {
                warnings.push(spot.warning(
                    &[Step::key("provider"), Step::key("domain")],
                    ProblemKind::BadUrl,
                    format!(
                        "provider domain {} is not a host name, such as example.com; it was left out",
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
    spot: &Spot<'_>,
    raw: &[article::Image],
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Vec<Image> {
    let limit = (limits.max_images, ProblemKind::TooManyImages, "images");
    listed(
        spot,
        "images",
        raw,
        limit,
        warnings,
        |i, image, warnings| {
            let Some(url) = image.url.as_deref() else {
                warnings.push(spot.warning(
                &in_list("images", i, ""),
                ProblemKind::MissingField,
                format!("images[{i}] has no url; it was left out: add `url:` with its http or https address"),
            ));
                return None;
            };
            match web_url(url) {
                Ok(url) => Some(Image {
                    url,
                    width: image.width.filter(|&w| w > 0),
                    height: image.height.filter(|&h| h > 0),
                }),
                Err(why) => {
                    warnings.push(spot.warning(
                        &in_list("images", i, "url"),
                        ProblemKind::BadUrl,
                        format!(
                            "images[{i}].url {} {why}; the image was left out",
                            quote(url)
                        ),
                    ));
                    None
                }
            }
        },
    )
}

fn related(
    spot: &Spot<'_>,
    raw: &[article::Related],
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Vec<Related> {
    let limit = (
        limits.max_related,
        ProblemKind::TooManyRelated,
        "related items",
    );
    listed(
        spot,
        "related",
        raw,
        limit,
        warnings,
        |i, item, warnings| {
            let title = item.title.as_deref().map(clean_line).unwrap_or_default();
            let url = item.web_url.as_deref().map(|u| (u, web_url(u)));
            let (title, url) = match (title.is_empty(), url) {
                (false, Some((_, Ok(url)))) => (title, url),
                (_, Some((raw, Err(why)))) => {
                    warnings.push(spot.warning(
                        &in_list("related", i, "webUrl"),
                        ProblemKind::BadUrl,
                        format!(
                            "related[{i}].webUrl {} {why}; the item was left out",
                            quote(raw)
                        ),
                    ));
                    return None;
                }
                (true, _) => {
                    let mut at = in_list("related", i, "title");
                    if locate::value(spot.doc.front_matter(), &at).is_none() {
                        at.pop();
                    }
                    warnings.push(spot.warning(
                        &at,
                        ProblemKind::MissingField,
                        format!("related[{i}] has no title; the item was left out: add `title:`"),
                    ));
                    return None;
                }
                (false, None) => {
                    warnings.push(spot.warning(
                        &in_list("related", i, ""),
                        ProblemKind::MissingField,
                        format!(
                        "related[{i}] has no webUrl; the item was left out: add `webUrl:` with \
                         its http or https address"
                    ),
                    ));
                    return None;
                }
            };
            let published = match item.published_date_time.as_deref().map(parse_date) {
                Some(Ok(date)) => Some(date),
                Some(Err(why)) => {
                    warnings.push(spot.warning(
                        &in_list("related", i, "publishedDateTime"),
                        ProblemKind::BadDate,
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
            Some(Related {
                title,
                url,
                provider,
                published,
            })
        },
    )
}

/// The items of the front matter's list `list` that `each` keeps (it warns about the others,
/// item by item), the first `limit.0` of them, with a `limit.1` warning at the first one left
/// out past that, counting the kept `limit.2`.
fn listed<T, U>(
    spot: &Spot<'_>,
    list: &str,
    raw: &[T],
    limit: (usize, ProblemKind, &str),
    warnings: &mut Vec<Problem>,
    mut each: impl FnMut(usize, &T, &mut Vec<Problem>) -> Option<U>,
) -> Vec<U> {
    let (most, kind, noun) = limit;
    let mut out = Vec::new();
    let (mut kept, mut first_cut) = (0, None);
    for (i, item) in raw.iter().enumerate() {
        let Some(item) = each(i, item, warnings) else {
            continue;
        };
        kept += 1;
        if out.len() < most {
            out.push(item);
        } else {
            first_cut.get_or_insert(i);
        }
    }
    if let Some(i) = first_cut {
        warnings.push(spot.warning(
            &in_list(list, i, ""),
            kind,
            format!("{kept} {noun}; only the first {most} are published"),
        ));
    }
    out
}

/// A date as the cache stores it: seconds and nanoseconds since 1970, and the UTC offset in
/// seconds, so it reads back exactly as written, offset included.
mod date {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(
        date: &DateTime<FixedOffset>,
        to: S,
    ) -> Result<S::Ok, S::Error> {
        let parts = (
            date.timestamp(),
            date.timestamp_subsec_nanos(),
            date.offset().local_minus_utc(),
        );
        parts.serialize(to)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        from: D,
    ) -> Result<DateTime<FixedOffset>, D::Error> {
        let (secs, nanos, offset) = <(i64, u32, i32)>::deserialize(from)?;
        DateTime::from_timestamp(secs, nanos)
            .zip(FixedOffset::east_opt(offset))
            .map(|(t, o)| t.with_timezone(&o))
            .ok_or_else(|| serde::de::Error::custom("a date out of range"))
    }
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
    fn a_body_cleaned_in_pieces_gives_the_same_html_as_cleaned_whole() {
        let bodies = [
            "# T\n\npara *em* **b** `c` ~~s~~ [rel](../a \"t\") ![i](/i.png)\n\n---\n\n> q\n> > qq\n\n\
             1. one\n2. two\n   - nested\n\n```\n<script>x</script>\n```\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n\
             Setext\n===\n\nline  \nbreak &amp; &#13; &#1; &#xFFFE; &lt;p&gt;\n\n    indented\n\n\
             <https://e.com/auto> [x](javascript:alert(1))\n",
            "a\n\nb\n\n<div>\n\nc\n\nd\n\n</div>\n\ne\n\nf",
            "a\n\nb <span>x\n\nc</span>\n\nd\n\n<script>\n\ne\n\n</script>\n\nf",
            "a\n\n<table><tr><td>\n\nb\n\n</td></tr></table>\n\nc",
            "- a\n- b\n\n\n- c\n\n* d\n\ntext\n\n***\n\n1) e\n",
            // HTML that leaves something open, to the end or for a while.
            "a\n\n<div>\n\nb\n\nc",
            "a <b>bold\n\nc\n\nd\n\ne",
            "a <!-- c\n\nd\n\n--> e\n\nf\n\ng",
            "a\n\n<svg><style>\n\nb\n\nc\n\nd",
            "a\n\n<math><mi>\n\nb\n\nc",
            "a\n\n<table>\n\nb\n\nc\n\nd",
            "a\n\n<select>\n\nb\n\nc",
            "<p>x\n\ny\n\n</p>z\n\nw",
            "a\n\n<textarea>\n\nb\n\nc",
            "a\n\n<plaintext>\n\nb\n\nc",
            "a\n\n<form><div></div>\n\nb\n\n<form>c</form>\n\nd",
        ];
        for body in bodies {
            let whole = sanitised(body, "https://e.com/news/x", usize::MAX);
            let pieces = sanitised(body, "https://e.com/news/x", 1);
            assert_eq!(pieces.0, whole.0, "{body:?}");
            assert_eq!(whole.1, 1);
        }
        // Pieces end between blocks, and not where the body's own HTML left something open.
        assert!(sanitised(bodies[0], "https://e.com/", 1).1 >= 10);
        assert!(sanitised(bodies[1], "https://e.com/", 1).1 >= 4);
        assert!(sanitised(bodies[3], "https://e.com/", 1).1 >= 2);
        assert_eq!(
            markdown(bodies[0], "https://e.com/news/x"),
            sanitised(bodies[0], "https://e.com/news/x", usize::MAX).0
        );
    }

    /// Lines that start, continue or end every kind of block, for bodies made of them.
    const LINES: &[&str] = &[
        "",
        "",
        "",
        "a",
        "b *em",
        "text**",
        "c  ",
        "d\\",
        "x\r",
        "# head",
        "## section",
        "#tag",
        "####### seven",
        "===",
        "---",
        "***",
        "- item",
        "  - nested",
        "1. one",
        "1) x",
        "  continued",
        "> quote",
        ">",
        "> ```",
        "```",
        "```rust",
        "~~~",
        "````",
        "   ```",
        "    ```",
        "- ```",
        "  ```",
        "    code",
        "\tcode",
        "| a | b |",
        "|---|---|",
        "<div>",
        "</div>",
        "<span>x",
        "</span> y",
        "[x](https://e.com/a)",
        "e ~~s~~",
        "+ plus",
        "* star",
        "10. ten",
        "- [ ] task",
        "      - deep",
        "  > q",
        "a | b",
        "<table>",
        "<div/>",
        "\\```",
        "``` a`b",
        "~~~~",
        "  ~~~",
        "f <em>g",
        "h</em>",
    ];

    /// The events of `body` parsed whole, and in the most pieces it may be cut into.
    fn whole_and_pieces(
        body: &str,
    ) -> (
        Vec<pulldown_cmark::Event<'_>>,
        Vec<pulldown_cmark::Event<'_>>,
    ) {
        (
            parsed(body, usize::MAX).collect(),
            parsed(body, 1).collect(),
        )
    }

    #[test]
    fn markdown_parsed_in_pieces_gives_the_events_of_the_whole() {
        let bodies = [
            "a\n\nb\n\nc",
            "- a\n- b\n\nc\n\n- d\n\n  e\n\nf",
            "> q\n\nr\n>\n\ns",
            "```\na\n\nb\n```\n\nc\n\n~~~\n\nd\n\n````\n~~~\n\ne",
            "- ```\n  a\n\nb\n\n  ```\n\nc",
            "    code\n\nd\n\n    more\n\ne",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nc\n\nd\n===\n\ne\n---",
            "a <span>b\n\nc</span> d\n\ne",
            "<div>\n\na\n\n</div>\n\nb",
            "a\r\n\r\nb\r\n\r\n```\r\n\r\nc\r\n```\r\n\r\nd",
            "- a\n- b\n\n## S\n\n- c\n\n#tag\n- d\n\n# T",
        ];
        for body in bodies {
            let (whole, pieces) = whole_and_pieces(body);
            assert_eq!(pieces, whole, "{body:?}");
        }
        // Those bodies are cut, and a long one into pieces of about the size asked for.
        assert_eq!(markdown_cuts(bodies[0], 1), [3, 6]);
        assert_eq!(markdown_cuts(bodies[3], 1), [14, 35]);
        let body = "Some *words* in a paragraph.\n\n".repeat(10_000);
        let cuts = markdown_cuts(&body, PIECE);
        assert_eq!(cuts.len(), body.len() / PIECE);
        assert!(cuts.iter().all(|&at| at % PIECE < 64), "{cuts:?}");
    }

    #[test]
    fn a_body_that_may_not_be_cut_is_parsed_whole() {
        for body in [
            "a [x]\n\nb\n\n[x]: https://e.com/x",
            "a\n\n<script>\n\nb\n\n</script>\n\nc",
            "a\n\n<PRE>\n\nb\n\n</PRE>\n\nc",
            "a\n\n<!--\n\nb\n\n-->\n\nc",
            "a\n\n<?x\n\nb\n\n?>\n\nc",
            "a\n\n<Style>\n\nb\n\nc",
            "a\n\n<textarea>\n\nb\n\nc",
            "```\na\n\nb\n\nc",
        ] {
            assert_eq!(markdown_cuts(body, 1), Vec::<usize>::new(), "{body:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_body_parsed_in_pieces_gives_the_events_of_the_whole(
            lines in proptest::collection::vec(proptest::sample::select(LINES), 0..40)
        ) {
            let body = lines.join("\n");
            let (whole, pieces) = whole_and_pieces(&body);
            proptest::prop_assert_eq!(pieces, whole, "{:?}", body);
        }
    }

    #[test]
    fn a_long_body_is_cleaned_a_bounded_piece_at_a_time() {
        // The sanitiser's tree is many times the text: a 2 MB body must not make one.
        let paragraph = "Some **bold** and *emphasised* words in a paragraph.\n\n";
        let body = paragraph.repeat(2 * 1024 * 1024 / paragraph.len());
        let (html, pieces) = sanitised(&body, "https://e.com/", PIECE);
        let rendered = html.len();
        assert!(
            pieces >= rendered / (PIECE + 1024),
            "{pieces} pieces for {rendered} bytes"
        );
        assert!(
            pieces <= rendered / PIECE + 1,
            "{pieces} pieces for {rendered} bytes"
        );
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
    fn date_hints_say_what_is_really_wrong() {
        let why = |raw: &str| parse_date(raw).unwrap_err();
        assert_eq!(
            why("1700000000"),
            "\"1700000000\" is a number: a Unix timestamp? write RFC 3339, e.g. 2023-11-14T22:13:20Z"
        );
        assert!(why("1700000000000").ends_with("e.g. 2023-11-14T22:13:20Z"));
        assert_eq!(
            why("2024-02-30T10:00:00Z"),
            "\"2024-02-30T10:00:00Z\" is not a day of the calendar: February 2024 has 29 days"
        );
        assert!(why("2023-02-29T10:00:00Z").ends_with("February 2023 has 28 days"));
        assert!(why("2024-04-31T10:00:00Z").ends_with("April 2024 has 30 days"));
        assert!(why("2024-13-01T10:00:00Z").contains("has no month 13"));
        assert!(why("2024-03-01T24:00:00Z").contains("has the hour 24"));
        assert!(why("2024-03-01T10:61:00Z").contains("has the minute 61"));
        assert_eq!(
            why("2024-03-01T10:00:00"),
            "\"2024-03-01T10:00:00\" has no offset: add Z for UTC (2024-03-01T10:00:00Z) or the \
             offset of its time zone, such as 2024-03-01T10:00:00+01:00"
        );
        assert!(why("2024-03-01").contains("is a date alone"));
        assert!(why("March 1st").contains("is not a date-time: write RFC 3339"));
        assert!(!why("2024-02-30T10:00:00Z").contains("out of range"));
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
        let p = e.facts.provider.unwrap();
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
            "warning: a.txt:5:700: 150 topics; only the first 100 are published"
        );
    }

    #[test]
    fn a_hundred_thousand_topics_and_empty_names_give_two_warnings() {
        // Dedupe used to compare every name with every other: minutes for this article.
        let mut names: Vec<article::Text> = (0..100_000).map(|i| format!("t{i}").into()).collect();
        names.extend(["T1", "", " "].map(article::Text::from));
        let mut warnings = Vec::new();
        // Names given apart from the document: the warnings have no place to point at.
        let doc = Document::parse(Path::new("a.txt"), b"---\ntopics: []\n---\n".to_vec()).unwrap();
        let kept = topics(
            &Spot { doc: &doc },
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
    fn a_near_miss_of_published_holds_the_article_back_at_its_place() {
        for (key, block) in [("pubished", true), ("Published", false)] {
            let front = if block {
                format!("{BASE}{key}: false\n")
            } else {
                // A flow mapping: read by yaml_serde, not the fast path.
                format!("{BASE}provider: {{name: P}}\n{key}: false\n")
            };
            let (outcome, problems) = check(&front);
            assert_eq!(outcome, Outcome::Rejected, "{key}: {problems:?}");
            let line = if block { 5 } else { 6 };
            assert_eq!(
                problems[0].to_string(),
                format!(
                    "error: a.txt:{line}:1: `{key}` is not a key feedsmith reads: did you mean \
                     `published`? The article is held back, since guessing wrong could publish \
                     what must not be; rename the key"
                )
            );
            assert_eq!(problems[0].kind, "near-miss");
        }
    }

    #[test]
    fn other_near_misses_and_other_generators_keys_are_warnings_at_the_key() {
        let (outcome, problems) = check(&format!(
            "{BASE}topic: [AI]\ndate: 2024-01-01\nprovider:\n  nmae: P\nimages:\n  - url: https://e.com/i.jpg\n    widht: 3\n"
        ));
        assert!(matches!(outcome, Outcome::Published(_)), "{problems:?}");
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "warning: a.txt:5:1: `topic` is not a key feedsmith reads, so it is ignored: did you mean `topics`?",
                "warning: a.txt:6:1: `date` is another generator's key, so feedsmith ignores it: write `publishedDateTime:`, RFC 3339 with a time and an offset, e.g. 2024-03-01T09:00:00Z",
                "warning: a.txt:8:3: `provider.nmae` is not a key feedsmith reads, so it is ignored: did you mean `name`?",
                "warning: a.txt:11:5: `images[0].widht` is not a key feedsmith reads, so it is ignored: did you mean `width`?",
            ]
        );
        let (outcome, problems) = check(&format!("{BASE}draft: true\n"));
        assert_eq!(outcome, Outcome::Rejected);
        assert_eq!(
            (problems[0].kind.name(), problems[0].line),
            ("foreign-key", Some(5))
        );
        // An author's own keys pass in silence.
        let (_, problems) = check(&format!("{BASE}wordCount: 300\nlayout: post\n"));
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn field_problems_name_the_line_and_column_of_the_value() {
        let at = |front: &str| -> Vec<(Option<usize>, Option<usize>, String)> {
            check(front)
                .1
                .into_iter()
                .map(|p| (p.line, p.column, p.kind.to_string()))
                .collect()
        };
        // A missing key is placed at the mapping it belongs in; an empty one, at its value.
        let cases = [
            (
                "title: T\nwebUrl: news.example.net/f\npublishedDateTime: 2022-05-26T22:46:00Z\n",
                3,
                9,
                "bad-url",
            ),
            (
                "title: T\nwebUrl: https://e.com/a\npublishedDateTime: 1700000000\n",
                4,
                20,
                "bad-date",
            ),
            ("title: T\nwebUrl: https://e.com/a\n", 2, 1, "missing-field"),
            (
                "title:\nwebUrl: https://e.com/a\npublishedDateTime: 2022-05-26T22:46:00Z\n",
                2,
                7,
                "missing-field",
            ),
        ];
        for (front, line, column, kind) in cases {
            assert_eq!(
                at(front),
                [(Some(line), Some(column), kind.to_string())],
                "{front}"
            );
        }
        assert_eq!(
            at(&format!(
                "{BASE}images:\n  - width: 3\n  - url: ftp://x/y\n"
            )),
            [
                (Some(6), Some(5), "missing-field".to_string()),
                (Some(7), Some(10), "bad-url".to_string())
            ]
        );
        assert_eq!(
            at(&format!(
                "{BASE}related: [{{title: R}}, {{title: S, webUrl: x}}]\n"
            )),
            [
                (Some(5), Some(11), "missing-field".to_string()),
                (Some(5), Some(42), "bad-url".to_string())
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
