//! Turning feeds into files: one module per format, the HTML page of each feed, plus the
//! HTML content they share; the pages and the lists of feeds come from templates
//! ([`theme`]), the feeds do not.
//!
//! Every renderer returns the file's complete bytes; nothing here writes to the disk, and
//! only [`Theme::load`] reads from it (a theme folder, once per build).

pub mod atom;
pub mod budget;
pub mod html;
pub mod index;
pub mod json;
pub mod page;
pub(crate) mod rate;
pub mod rss;
pub mod shared;
pub mod theme;
pub(crate) mod view;

use std::path::PathBuf;

use crate::error::Error;
use crate::feed::{Feed, Slugs};
use crate::settings::{Content, Site};

pub use budget::{Cut, Within};
pub use shared::{
    media_elements, Context, File, Format, Page, Syntax, FORMATS, GENERATOR, MEDIA_NS, STYLESHEET,
};
pub use theme::Theme;

/// The relative paths of one feed's files, in the order [`feed`] renders them: one per
/// format of [`FORMATS`], then its HTML page.
pub fn paths(page: &Page) -> Vec<String> {
    FORMATS
        .iter()
        .map(|f| page.path(f.file))
        .chain([page::path(page)])
        .collect()
}

/// Renders one feed in every format within `budget` bytes a file, its entries carrying
/// `content` (see [`budget`]), and its HTML page, which shows the same entries.
pub fn feed(
    feed: &Feed,
    slugs: &Slugs,
    site: &Site,
    theme: &Theme,
    content: Content,
    budget: u64,
) -> Result<Vec<File>, Error> {
    let within = formats(feed, slugs, site, content, budget);
    let mut files = within.files;
    files.push(feed_page(&feed.newest(within.kept), site, theme)?);
    Ok(files)
}

/// Renders one feed in every format of [`FORMATS`] (the first files of [`paths`]), within
/// `budget` bytes a file, its entries carrying `content`; no template takes part.
pub fn formats(feed: &Feed, slugs: &Slugs, site: &Site, content: Content, budget: u64) -> Within {
    let page = Page::new(feed.group.as_ref(), site);
    budget::within(
        &feed.entries,
        content,
        budget,
        &FORMATS,
        |kept, contents, formats| {
            let feed = feed.newest(kept);
            let cx = Context {
                feed: &feed,
                contents,
                slugs,
                site,
                page: &page,
            };
            formats
                .iter()
                .map(|format| File {
                    path: PathBuf::from(page.path(format.file)),
                    bytes: match format.syntax {
                        Syntax::Rss => rss::render(&cx),
                        Syntax::Atom => atom::render(&cx),
                        Syntax::Json => json::render(&cx),
                    },
                })
                .collect()
        },
    )
}

/// Renders the HTML page of one feed (the last of [`paths`]) from `theme`'s `page.html`.
pub fn feed_page(feed: &Feed, site: &Site, theme: &Theme) -> Result<File, Error> {
    let page = Page::new(feed.group.as_ref(), site);
    Ok(File {
        path: PathBuf::from(page::path(&page)),
        bytes: page::render(feed, site, &page, theme)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::Group;
    use crate::group::Kind;

    fn site() -> Site {
        Site {
            title: "T".into(),
            base_url: "https://example.org/feeds/".into(),
            site_url: "https://example.org/".into(),
            description: "D".into(),
            language: "en".into(),
            author: "A".into(),
            ..Site::default()
        }
    }

    #[test]
    fn the_planned_paths_are_the_rendered_files_page_included() {
        let site = site();
        let groups = [
            None,
            Some(Group {
                kind: Kind::Topic,
                slug: "ai".into(),
                name: "AI".into(),
                title: None,
                description: None,
                icon: None,
            }),
            Some(Group {
                kind: Kind::Curated,
                slug: "top".into(),
                name: "Top stories".into(),
                title: Some("Top".into()),
                description: Some("The hottest articles.".into()),
                icon: Some("https://example.org/top.png".into()),
            }),
        ];
        for group in groups {
            let feed = Feed {
                group: group.clone(),
                entries: Vec::new(),
                updated: chrono::DateTime::UNIX_EPOCH.fixed_offset(),
            };
            let rendered: Vec<String> = super::feed(
                &feed,
                &Slugs::default(),
                &site,
                &Theme::shipped(),
                Content::Full,
                1_000_000,
            )
            .unwrap()
            .iter()
            .map(|f| crate::paths::slashed(&f.path))
            .collect();
            let page = Page::new(group.as_ref(), &site);
            assert_eq!(rendered, paths(&page));
        }
        let root = Page::new(None, &site);
        assert_eq!(paths(&root)[3], "articles.html");
    }
}
