//! The HTML page of one feed, for people: what the feed is, its address in each format with a
//! copy button, and its items as a browser shows them without any XSLT.
//!
//! A topic's page is `topics/<slug>/index.html` beside its `rss.xml`, so `topics/<slug>/`
//! opens it; the all-articles feed lives at the output root, where `index.html` already lists
//! every feed, so its page is `articles.html` there. Each page is rendered with its feed and
//! is one of the feed's files (plan, cache and manifest treat it like `rss.xml`).
//!
//! The page is the theme's `page.html` (see [`super::theme`]), which escapes every value from
//! an article: a title `<script>` is shown as those characters. The page loads nothing from
//! elsewhere but the articles' lead images; its inline script (the copy buttons) and style
//! are allowed by hash in the Content-Security-Policy, and the page works without the
//! script: the addresses are plain, selectable text, and the buttons stay hidden.

use minijinja::context;

use super::shared::Page;
use super::theme::Theme;
use super::view;
use crate::error::Error;
use crate::feed::Feed;
use crate::settings::Site;

/// The page's file name in a group feed's folder.
pub const FILE: &str = "index.html";
/// The all-articles feed's page, at the output root (where `index.html` lists the feeds).
pub const ROOT_FILE: &str = "articles.html";
/// The template a feed's page is made from.
pub const TEMPLATE: &str = "page.html";

/// The relative path of the page of the feed at `page`.
pub fn path(page: &Page) -> String {
    if page.dir.is_empty() {
        ROOT_FILE.to_string()
    } else {
        page.path(FILE)
    }
}

/// Renders the page of `feed`, newest item first (the order the feed holds).
pub fn render(feed: &Feed, site: &Site, page: &Page, theme: &Theme) -> Result<Vec<u8>, Error> {
    let group = feed.group.as_ref();
    let dates: Vec<_> = feed.entries.iter().map(|e| e.published).collect();
    let values = context! {
        site => view::site(site),
        root => view::root(page),
        title => &page.title,
        description => &page.description,
        icon => &page.icon,
        alternates => view::alternates(&page.title, page, site),
        feed => context! {
            kind => view::kind(group.map(|g| g.kind)),
            name => group.map_or(site.title.as_str(), |g| g.name.as_str()),
            slug => group.map(|g| g.slug.as_str()),
            title => &page.title,
            description => &page.description,
            icon => group.and_then(|g| g.icon.as_deref()),
            formats => view::formats(page, site),
            rate => view::rate(&dates, &site.timezone),
            entries => feed
                .entries
                .iter()
                .map(|e| view::entry(e, &site.timezone))
                .collect::<Vec<_>>(),
        },
    };
    theme.render(TEMPLATE, values).map(String::into_bytes)
}
