//! JSON Feed 1.1, with the same ids as the other formats, `authors`, and image attachments.

use serde::Serialize;

use super::shared::Page;
use crate::entry::Entry;
use crate::feed::Feed;
use crate::settings::Site;

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    description: &'a str,
    language: &'a str,
    authors: [Author<'a>; 1],
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
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

/// The MIME type of an image URL from its file extension, when it names a common one.
fn image_type(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next()?;
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

fn item<'a>(entry: &'a Entry, content_html: &'a str) -> Item<'a> {
    Item {
        id: &entry.id,
        url: &entry.id,
        title: &entry.title,
        content_html,
        summary: entry.summary.as_deref(),
        image: entry.images.first().map(|i| i.url.as_str()),
        date_published: entry.published.to_rfc3339(),
        authors: entry
            .provider
            .iter()
            .map(|p| Author {
                name: &p.name,
                url: p.uri.as_deref(),
            })
            .collect(),
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

/// Renders `feed` as a JSON Feed 1.1 document; `contents` holds each entry's HTML content.
pub fn render(feed: &Feed, contents: &[String], site: &Site, page: &Page) -> Vec<u8> {
    let doc = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &page.title,
        home_page_url: &site.site_url,
        feed_url: page.url(site, "feed.json"),
        description: &page.description,
        language: &site.language,
        authors: [Author {
            name: &site.author,
            url: Some(&site.site_url),
        }],
        items: feed
            .entries
            .iter()
            .zip(contents)
            .map(|(e, content)| item(e, content))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("serialising to memory cannot fail");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_come_from_the_extension_only_when_known() {
        assert_eq!(image_type("https://e.com/a.JPG?w=1"), Some("image/jpeg"));
        assert_eq!(image_type("https://e.com/a.webp"), Some("image/webp"));
        assert_eq!(image_type("https://e.com/image"), None);
        assert_eq!(image_type("https://e.com/a.php"), None);
    }
}
