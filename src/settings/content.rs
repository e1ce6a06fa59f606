//! What an entry carries in the feeds (`content:`), site-wide and per curated feed: its own
//! module so that the curated feeds' settings reads it without importing the settings that hold it.

use serde::Deserialize;

/// What an entry carries in the feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Content {
    /// The lead image, the excerpt, the body and the related coverage.
    #[default]
    Full,
    /// The lead image, the excerpt and the related coverage, without the body: the reader
    /// follows the link for the article.
    Summary,
}
