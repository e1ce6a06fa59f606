//! The files that list the feeds: `index.html` (a page for people, with autodiscovery links
//! and each feed's name linked to its page) and `feeds.opml` (a subscription list for
//! readers), both from the theme's templates with the same values, and, when asked for, a
//! `_headers` file that gives Netlify and Cloudflare Pages the right content types.

use std::fmt::Write;

use minijinja::context;
use minijinja::value::Value;

use super::page;
use super::shared::Page;
use super::theme::Theme;
use super::view;
use crate::error::Error;
use crate::feed::Chosen;
use crate::group::Kind;
use crate::settings::Site;

/// The page listing every feed.
pub const INDEX: &str = "index.html";
/// The OPML subscription list.
pub const OPML: &str = "feeds.opml";
/// The Netlify / Cloudflare Pages headers file.
pub const HEADERS: &str = "_headers";

/// The index section of feeds of `kind`, and the column of their names (the all-articles
/// feed for `None`).
fn heading(kind: Option<Kind>) -> (&'static str, &'static str) {
    kind.map_or(("All articles", "Feed"), |k| {
        (k.wording().heading, k.wording().column)
    })
}

/// Feeds grouped for listing: the all-articles feed, then each kind in order.
fn sections(feeds: &[Chosen]) -> Vec<(Option<Kind>, Vec<&Chosen>)> {
    let mut out: Vec<(Option<Kind>, Vec<&Chosen>)> = Vec::new();
    for chosen in feeds {
        let kind = chosen.group.as_ref().map(|g| g.kind);
        match out.last_mut() {
            Some((k, list)) if *k == kind => list.push(chosen),
            _ => out.push((kind, vec![chosen])),
        }
    }
    out
}

/// The values `index.html` and `feeds.opml` get: `site`, `root`, `title`, `description`,
/// `alternates` (the all-articles feed's), `opml` (its file name) and `sections`, each with
/// its `kind`, `id`, `heading`, `column` and `feeds`.
fn values(feeds: &[Chosen], site: &Site) -> Value {
    let main = Page::new(None, site);
    let sections: Vec<Value> = sections(feeds)
        .into_iter()
        .map(|(kind, list)| {
            let feeds: Vec<Value> = list.into_iter().map(|c| feed(c, site)).collect();
            context! {
                kind => view::kind(kind),
                id => heading(kind).0.to_lowercase().replace(' ', "-"),
                heading => heading(kind).0,
                column => heading(kind).1,
                feeds => feeds,
            }
        })
        .collect();
    let modified = feeds
        .iter()
        .filter_map(|c| c.entries.first())
        .map(|c| c.published)
        .max();
    context! {
        site => view::site(site),
        root => "",
        title => format!("{}: feeds", site.title),
        description => &site.description,
        icon => &site.icon,
        alternates => view::alternates(&site.title, &main, site),
        opml => OPML,
        modified => modified.map(|d| d.to_rfc2822()),
        sections => sections,
    }
}

/// One feed as the lists show it: its group's `name`, the `label` it is listed under (its
/// own title, else the name), its feed `title` and `description`, and `about` and `icon`
/// when the feed has its own description and icon (a curated feed always has the first),
/// and its publishing `rate`.
fn feed(chosen: &Chosen, site: &Site) -> Value {
    let group = chosen.group.as_ref();
    let page = Page::new(group, site);
    let name = group.map_or(site.title.as_str(), |g| g.name.as_str());
    let dates: Vec<_> = chosen.entries.iter().map(|c| c.published).collect();
    context! {
        kind => view::kind(group.map(|g| g.kind)),
        name => name,
        label => group.and_then(|g| g.title.as_deref()).unwrap_or(name),
        title => &page.title,
        description => &page.description,
        about => group.and_then(|g| g.description.as_deref()),
        icon => group.and_then(|g| g.icon.as_deref()),
        page => page::path(&page),
        count => chosen.entries.len(),
        newest => chosen.entries.first().map(|c| view::date(&c.published, &site.timezone)),
        rate => view::rate(&dates, &site.timezone),
        formats => view::formats(&page, site),
    }
}

/// `index.html`: every feed, its name linked to its page, with its item count, newest date
/// and a link to each format (the theme's `index.html`).
pub fn html(feeds: &[Chosen], site: &Site, theme: &Theme) -> Result<Vec<u8>, Error> {
    theme
        .render(INDEX, values(feeds, site))
        .map(String::into_bytes)
}

/// `feeds.opml`: an OPML 2.0 subscription list of every feed (RSS addresses), grouped by kind
/// (the theme's `feeds.opml`).
pub fn opml(feeds: &[Chosen], site: &Site, theme: &Theme) -> Result<Vec<u8>, Error> {
    theme
        .render(OPML, values(feeds, site))
        .map(String::into_bytes)
}

/// `_headers` for Netlify and Cloudflare Pages, when the output folder is what they publish:
/// the content type of every file feedsmith writes, by its path on the site.
pub fn headers(paths: &[String], site: &Site) -> Vec<u8> {
    let prefix = url::Url::parse(&site.base_url)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "/".to_string());
    let mut out =
        String::from("# Written by feedsmith: content types and caching for the feeds.\n");
    for path in paths {
        let Some(mime) = content_type(path) else {
            continue;
        };
        let _ = write!(
            out,
            "{prefix}{path}\n  Content-Type: {mime}\n  Cache-Control: {}\n  X-Content-Type-Options: nosniff\n",
            cache_control(site.max_age)
        );
    }
    out.into_bytes()
}

/// The `Cache-Control` value for a published file: anyone (a reader, a browser, a proxy) may
/// keep it for `max_age` seconds, then must ask again, which costs a `304` when it is
/// unchanged.
pub fn cache_control(max_age: u64) -> String {
    format!("public, max-age={max_age}")
}

/// The content type to serve a file feedsmith writes with. Feeds are `application/xml` so
/// that browsers apply the stylesheet while readers still take them as feeds.
pub fn content_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1;
    Some(match ext {
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/feed+json; charset=utf-8",
        "opml" => "text/x-opml; charset=utf-8",
        "xsl" => "text/xsl; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        _ => return None,
    })
}
