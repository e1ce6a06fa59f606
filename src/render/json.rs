//! JSON Feed 1.1, with the same ids as the other formats, `authors` (and 1.0's `author` beside
//! it, as 1.1 allows for older readers), image attachments, the icon and WebSub hubs.

use serde::Serialize;

use super::shared::{image_type, Context};
use crate::entry::Entry;

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    description: &'a str,
    language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    favicon: Option<&'a str>,
    /// JSON Feed 1.0's single author, for readers that know no `authors`.
    author: Author<'a>,
    authors: [Author<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize, Clone, Copy)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    /// JSON Feed 1.0's single author, the first of `authors`.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'static str,
}

fn item<'a>(entry: &'a Entry, content_html: &'a str) -> Item<'a> {
    let authors: Vec<Author<'a>> = entry
        .provider
        .iter()
        .map(|p| Author {
            name: &p.name,
            url: p.uri.as_deref(),
        })
        .collect();
    Item {
        id: &entry.id,
        url: &entry.id,
        title: &entry.title,
        content_html,
        summary: entry.summary.as_deref(),
        image: entry.images.first().map(|i| i.url.as_str()),
        date_published: entry.published.to_rfc3339(),
        date_modified: entry.updated.map(|u| u.to_rfc3339()),
        author: authors.first().copied(),
        authors,
        tags: &entry.topics,
        attachments: entry
            .images
            .iter()
            .filter_map(|i| {
                Some(Attachment {
                    url: &i.url,
                    mime_type: image_type(&i.url)?,
                })
            })
            .collect(),
    }
}

/// Renders the feed as a JSON Feed 1.1 document.
pub fn render(cx: &Context<'_>) -> Vec<u8> {
    let (feed, contents, site, page) = (cx.feed, cx.contents, cx.site, cx.page);
    let author = Author {
        name: &site.author,
        url: Some(&site.site_url),
    };
    let doc = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &page.title,
        home_page_url: &site.site_url,
        feed_url: page.url(site, "feed.json"),
        description: &page.description,
        language: &site.language,
        // The square icon serves as both: JSON Feed's `icon` is large, `favicon` small, and
        // the settings have one square image.
        icon: page.icon.as_deref(),
        favicon: page.icon.as_deref(),
        author,
        authors: [author],
        hubs: site
            .hubs
            .iter()
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .collect(),
        items: feed
            .entries
            .iter()
            .zip(contents)
            .map(|(e, content)| item(e, content))
            .collect(),
    };
    let mut bytes = Vec::with_capacity(super::shared::size_hint(contents));
    serde_json::to_writer_pretty(&mut bytes, &doc).expect("serialising to memory cannot fail");
    bytes.push(b'\n');
    bytes
}
