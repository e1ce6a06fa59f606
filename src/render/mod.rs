//! Turning feeds into files: one module per format, the HTML page of each feed, plus the
//! HTML content they share.
//!
//! Every renderer returns the file's complete bytes; nothing here touches the disk.

pub mod atom;
pub mod html;
pub mod index;
pub mod json;
pub mod page;
pub mod rss;
pub mod shared;

use std::path::PathBuf;

use crate::feed::{Feed, Slugs};
use crate::settings::Site;

pub use shared::{
    media_elements, File, Format, Page, FORMATS, GENERATOR, MEDIA_NS, STYLESHEET, STYLESHEET_BYTES,
};

/// The relative paths of one feed's files, in the order [`feed`] renders them: one per
/// format, then its HTML page.
pub fn paths(page: &Page) -> [String; 4] {
    [
        page.path(FORMATS[0].file),
        page.path(FORMATS[1].file),
        page.path(FORMATS[2].file),
        page::path(page),
    ]
}

/// Renders one feed in every format, and its HTML page.
pub fn feed(feed: &Feed, slugs: &Slugs, site: &Site) -> [File; 4] {
    let page = Page::new(feed.group.as_ref(), site);
    // Each entry's HTML content, built once for the three formats.
    let contents: Vec<String> = feed.entries.iter().map(|e| html::content(e)).collect();
    [
        File {
            path: PathBuf::from(page.path(FORMATS[0].file)),
            bytes: rss::render(feed, &contents, site, &page),
        },
        File {
            path: PathBuf::from(page.path(FORMATS[1].file)),
            bytes: atom::render(feed, &contents, slugs, site, &page),
        },
        File {
            path: PathBuf::from(page.path(FORMATS[2].file)),
            bytes: json::render(feed, &contents, site, &page),
        },
        File {
            path: PathBuf::from(page::path(&page)),
            bytes: page::render(feed, site, &page),
        },
    ]
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
                description: None,
            }),
            Some(Group {
                kind: Kind::Curated,
                slug: "top".into(),
                name: "Top stories".into(),
                description: Some("The hottest articles.".into()),
            }),
        ];
        for group in groups {
            let feed = Feed {
                group: group.clone(),
                entries: Vec::new(),
                updated: chrono::DateTime::UNIX_EPOCH.fixed_offset(),
            };
            let rendered: Vec<String> = super::feed(&feed, &Slugs::default(), &site)
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
