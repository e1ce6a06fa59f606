//! RSS 2.0, with `content:encoded`, Dublin Core `dc:creator`, Media RSS and an Atom self link.

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Guid, Item};

use super::shared::{media_elements, with_prolog, Page, GENERATOR, MEDIA_NS};
use crate::entry::{Entry, Image};
use crate::feed::Feed;
use crate::settings::Site;
use crate::text::escape_text;

/// Renders `feed` as an RSS 2.0 document; `contents` holds each entry's HTML content.
pub fn render(feed: &Feed, contents: &[String], site: &Site, page: &Page) -> Vec<u8> {
    let mut channel = Channel {
        title: page.title.clone(),
        link: site.site_url.clone(),
        description: page.description.clone(),
        language: Some(site.language.clone()),
        generator: Some(GENERATOR.to_string()),
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
        items: feed
            .entries
            .iter()
            .zip(contents)
            .map(|(e, content)| item(e, content))
            .collect(),
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
    with_prolog(page, &hex_references(&body))
}

/// Rewrites `&amp;` and `&lt;` in text content (not in tags, attributes or CDATA) as the
/// hexadecimal references `&#x26;` and `&#x3C;`, as the RSS Best Practices Profile asks: the
/// same characters, which some RSS readers decode more reliably.
fn hex_references(xml: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len() + 64);
    let mut i = 0;
    while i < xml.len() {
        let rest = &xml[i..];
        if rest.starts_with(b"<![CDATA[") {
            let end = find(rest, b"]]>").map_or(rest.len(), |e| e + 3);
            out.extend_from_slice(&rest[..end]);
            i += end;
        } else if rest[0] == b'<' {
            let end = find(rest, b">").map_or(rest.len(), |e| e + 1);
            out.extend_from_slice(&rest[..end]);
            i += end;
        } else if rest.starts_with(b"&amp;") {
            out.extend_from_slice(b"&#x26;");
            i += 5;
        } else if rest.starts_with(b"&lt;") {
            out.extend_from_slice(b"&#x3C;");
            i += 4;
        } else {
            out.push(rest[0]);
            i += 1;
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn item(entry: &Entry, content_html: &str) -> Item {
    let (description, content) = match &entry.summary {
        Some(summary) => (escape_text(summary), Some(content_html.to_string())),
        None => (content_html.to_string(), None),
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
    for (name, attrs) in media_elements(images) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_gets_hex_references_but_tags_attributes_and_cdata_do_not() {
        let xml = b"<a href=\"x?a=1&amp;b\">R&amp;D &lt;b&gt;<![CDATA[&amp; &lt;]]></a>";
        assert_eq!(
            String::from_utf8(hex_references(xml)).unwrap(),
            "<a href=\"x?a=1&amp;b\">R&#x26;D &#x3C;b&gt;<![CDATA[&amp; &lt;]]></a>"
        );
    }
}
