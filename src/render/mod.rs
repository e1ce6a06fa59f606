//! Turning feeds into files: one module per format, plus the HTML content they share.
//!
//! Every renderer returns the file's complete bytes; nothing here touches the disk.

pub mod atom;
pub mod html;
pub mod index;
pub mod json;
pub mod rss;
pub mod shared;

use std::path::PathBuf;

use crate::feed::{Feed, Slugs};
use crate::settings::Site;

pub use shared::{
    media_elements, File, Format, Page, FORMATS, GENERATOR, MEDIA_NS, STYLESHEET, STYLESHEET_BYTES,
};

/// Renders one feed in every format.
pub fn feed(feed: &Feed, slugs: &Slugs, site: &Site) -> [File; 3] {
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
    ]
}
