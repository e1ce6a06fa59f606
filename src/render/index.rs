//! The files that list the feeds: `index.html` (a page for people, with autodiscovery links
//! and each feed's name linked to its page),
//! `feeds.opml` (a subscription list for readers) and, when asked for, a `_headers` file that
//! gives Netlify and Cloudflare Pages the right content types.

use std::fmt::Write;

use super::page;
use super::shared::{Page, FORMATS, GENERATOR};
use crate::feed::Chosen;
use crate::group::Kind;
use crate::settings::Site;
use crate::text::{escape, escape_text};

/// The page listing every feed.
pub const INDEX: &str = "index.html";
/// The OPML subscription list.
pub const OPML: &str = "feeds.opml";
/// The Netlify / Cloudflare Pages headers file.
pub const HEADERS: &str = "_headers";

fn heading(kind: Option<Kind>) -> &'static str {
    match kind {
        None => "All articles",
        Some(Kind::Curated) => "Curated",
        Some(Kind::Topic) => "Topics",
        Some(Kind::Provider) => "Providers",
        Some(Kind::Category) => "Categories",
    }
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

/// `index.html`: every feed, its name linked to its page, with its item count, newest date
/// and a link to each format.
pub fn html(feeds: &[Chosen], site: &Site) -> Vec<u8> {
    let mut out = String::with_capacity(4096 + feeds.len() * 400);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}: feeds</title>\n<meta name=\"description\" content=\"{desc}\">\n",
        lang = escape(&site.language),
        title = escape_text(&site.title),
        desc = escape(&site.description),
    );
    let main = Page::new(None, site);
    for f in FORMATS {
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"{}\" title=\"{} ({})\" href=\"{}\">",
            f.mime,
            escape(&site.title),
            f.label,
            escape(&main.url(site, f.file))
        );
    }
    if let Some(icon) = &site.icon {
        let _ = writeln!(out, "<link rel=\"icon\" href=\"{}\">", escape(icon));
    }
    out.push_str(STYLE);
    let _ = write!(
        out,
        "</head>\n<body>\n<header>\n<h1>{}</h1>\n<p>{}</p>\n<p>Copy a feed's address into your \
         feed reader to subscribe, or import <a href=\"{OPML}\">all feeds as OPML</a> at once. \
         <a href=\"https://aboutfeeds.com/\">What is a feed?</a></p>\n</header>\n<main>\n",
        escape_text(&site.title),
        escape_text(&site.description)
    );
    for (kind, list) in sections(feeds) {
        let id = heading(kind).to_lowercase().replace(' ', "-");
        let _ = write!(
            out,
            "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n<table>\n<thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\">Items</th><th scope=\"col\">Newest</th>\
             <th scope=\"col\">Subscribe</th></tr></thead>\n<tbody>\n",
            heading(kind),
            kind.map_or("Feed", |k| match k {
                Kind::Curated => "Feed",
                Kind::Topic => "Topic",
                Kind::Provider => "Provider",
                Kind::Category => "Category",
            })
        );
        for chosen in list {
            let page = Page::new(chosen.group.as_ref(), site);
            let name = chosen
                .group
                .as_ref()
                .map_or(site.title.as_str(), |g| &g.name);
            let newest = chosen.entries.first().map(|c| {
                format!(
                    "<time datetime=\"{}\">{}</time>",
                    c.published.to_rfc3339(),
                    c.published.format("%-d %b %Y")
                )
            });
            let _ = write!(
                out,
                "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td><td>{}</td><td>",
                escape(&page::path(&page)),
                escape_text(name),
                chosen.entries.len(),
                newest.unwrap_or_default()
            );
            for (i, f) in FORMATS.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(
                    out,
                    "<a href=\"{}\" type=\"{}\">{}<span class=\"v\"> feed of {}</span></a>",
                    escape(&page.path(f.file)),
                    f.mime,
                    f.label,
                    escape_text(name)
                );
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    let _ = write!(
        out,
        "</main>\n<footer><p>Made by {}.</p></footer>\n</body>\n</html>\n",
        escape_text(GENERATOR)
    );
    out.into_bytes()
}

const STYLE: &str = "<style>\n\
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#555;--line:#ddd;--link:#0645ad}\n\
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#121212;--muted:#aaa;--line:#333;--link:#8ab4f8}}\n\
body{font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:60rem;margin:0 auto;padding:1rem}\n\
a{color:var(--link)}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}\n\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line)}\n\
thead th{color:var(--muted);font-weight:600}td:nth-child(2){text-align:right}\n\
.v{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\n\
</style>\n";

/// `feeds.opml`: an OPML 2.0 subscription list of every feed (RSS addresses), grouped by kind.
pub fn opml(feeds: &[Chosen], site: &Site) -> Vec<u8> {
    let mut out = String::with_capacity(1024 + feeds.len() * 300);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">\n  <head>\n");
    let _ = writeln!(out, "    <title>{}: feeds</title>", escape(&site.title));
    let newest = feeds
        .iter()
        .filter_map(|c| c.entries.first())
        .map(|c| c.published)
        .max();
    if let Some(date) = newest {
        let _ = writeln!(
            out,
            "    <dateModified>{}</dateModified>",
            date.to_rfc2822()
        );
    }
    let _ = writeln!(out, "    <ownerName>{}</ownerName>", escape(&site.author));
    out.push_str("    <docs>http://opml.org/spec2.opml</docs>\n  </head>\n  <body>\n");
    for (kind, list) in sections(feeds) {
        let indent = if kind.is_some() {
            let _ = writeln!(out, "    <outline text=\"{}\">", heading(kind));
            "      "
        } else {
            "    "
        };
        for chosen in list {
            let page = Page::new(chosen.group.as_ref(), site);
            let _ = writeln!(
                out,
                "{indent}<outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\" htmlUrl=\"{}\" description=\"{}\" language=\"{}\"/>",
                escape(chosen.group.as_ref().map_or(site.title.as_str(), |g| &g.name)),
                escape(&page.title),
                escape(&page.url(site, FORMATS[0].file)),
                escape(&site.site_url),
                escape(&page.description),
                escape(&site.language)
            );
        }
        if kind.is_some() {
            out.push_str("    </outline>\n");
        }
    }
    out.push_str("  </body>\n</opml>\n");
    out.into_bytes()
}

/// `_headers` for Netlify and Cloudflare Pages, when the output folder is what they publish:
/// the content type of every file feedsmith writes, by its path on the site.
pub fn headers(paths: &[String], site: &Site, max_age: u64) -> Vec<u8> {
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
            cache_control(max_age)
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
