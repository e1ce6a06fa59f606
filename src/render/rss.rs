//! RSS 2.0, with `content:encoded`, Dublin Core `dc:creator`, Media RSS and an Atom self link.

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Guid, Item};

use super::{html, Page, MEDIA_NS};
use crate::entry::{Entry, Image};
use crate::feed::Feed;
use crate::settings::Site;

/// Renders `feed` as an RSS 2.0 document.
pub fn render(feed: &Feed, site: &Site, page: &Page) -> Vec<u8> {
    let mut channel = Channel {
        title: page.title.clone(),
        link: site.site_url.clone(),
        description: page.description.clone(),
        language: Some(site.language.clone()),
        generator: Some(crate::GENERATOR.to_string()),
        docs: Some("https://www.rssboard.org/rss-specification".to_string()),
        last_build_date: feed.entries.first().map(|e| e.published.to_rfc2822()),
        atom_ext: Some(AtomExtension {
            links: vec![Link {
                href: page.url(site, "rss.xml"),
                rel: "self".to_string(),
                mime_type: Some("application/rss+xml".to_string()),
                ..Link::default()
            }],
        }),
        items: feed.entries.iter().map(|e| item(e)).collect(),
        ..Channel::default()
    };
    channel.namespaces = BTreeMap::from([("media".to_string(), MEDIA_NS.to_string())]);
    let mut body = channel
        .pretty_write_to(Vec::new(), b' ', 2)
        .expect("writing XML to memory cannot fail");
    // The writer's own declaration is replaced by ours, so every format starts alike.
    if let Some(end) = body.windows(2).position(|w| w == b"?>") {
        body.drain(..end + 2);
        while body.first().is_some_and(u8::is_ascii_whitespace) {
            body.remove(0);
        }
    }
    super::with_prolog(&body)
}

fn item(entry: &Entry) -> Item {
    let (description, content) = match &entry.summary {
        Some(summary) => (html::escape_text(summary), Some(entry.content_html.clone())),
        None => (entry.content_html.clone(), None),
    };
    Item {
        title: Some(entry.title.clone()),
        link: Some(entry.id.clone()),
        description: Some(description),
        guid: Some(Guid {
            value: entry.id.clone(),
            permalink: true,
        }),
        pub_date: Some(entry.published.to_rfc2822()),
        categories: entry
            .topics
            .iter()
            .map(|t| Category {
                name: t.clone(),
                domain: None,
            })
            .collect(),
        content,
        dublin_core_ext: entry.provider.as_ref().map(|p| DublinCoreExtension {
            creators: vec![p.name.clone()],
            ..DublinCoreExtension::default()
        }),
        extensions: media(&entry.images),
        ..Item::default()
    }
}

/// Media RSS elements for `images`. The `rss` crate escapes attribute values itself.
fn media(images: &[Image]) -> ExtensionMap {
    let mut elements: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
    for (name, attrs) in super::media_elements(images) {
        elements
            .entry(name.to_string())
            .or_default()
            .push(Extension {
                name: format!("media:{name}"),
                attrs,
                ..Extension::default()
            });
    }
    if elements.is_empty() {
        return ExtensionMap::new();
    }
    BTreeMap::from([("media".to_string(), elements)])
}
