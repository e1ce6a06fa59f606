//! RSS 2.0, with `content:encoded`, Dublin Core `dc:creator`, Media RSS, the lead image as an
//! `enclosure`, and Atom self and WebSub hub links.
//!
//! Text is escaped once with the predefined entities (`&amp;`, `&lt;`, `&gt;`), as the writer
//! does it: some readers leave numeric references such as `&#x26;` undecoded in links.

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Enclosure, Guid, Image as ChannelImage, Item};

use super::shared::{
    self, lead_enclosure, prolog, size_hint, topic_scheme, AfterDeclaration, Context, Page,
    GENERATOR, MEDIA_NS,
};
use crate::entry::{Entry, Image};
use crate::settings::Site;
use crate::text::escape_text;

/// Renders the feed as an RSS 2.0 document.
pub fn render(cx: &Context<'_>) -> Vec<u8> {
    let (feed, contents, site, page) = (cx.feed, cx.contents, cx.site, cx.page);
    let mut channel = Channel {
        title: page.title.clone(),
        link: site.site_url.clone(),
        description: page.description.clone(),
        language: Some(site.language.clone()),
        generator: Some(GENERATOR.to_string()),
        docs: Some("https://www.rssboard.org/rss-specification".to_string()),
        last_build_date: (!feed.entries.is_empty()).then(|| feed.updated.to_rfc2822()),
        // How long a reader may wait before it polls again, in minutes: what `max_age` tells
        // a cache, said in the feed for hosts whose headers cannot be set (GitHub Pages).
        ttl: (site.max_age > 0).then(|| site.max_age.div_ceil(60).to_string()),
        // RSS requires an image's url, title and link, and wants the title and link to be the
        // channel's own.
        image: page.icon.as_ref().map(|icon| ChannelImage {
            url: icon.clone(),
            title: page.title.clone(),
            link: site.site_url.clone(),
            ..ChannelImage::default()
        }),
        atom_ext: Some(AtomExtension {
            links: atom_links(site, page),
        }),
        items: feed
            .entries
            .iter()
            .zip(contents)
            .map(|(e, content)| item(e, content, site))
            .collect(),
        ..Channel::default()
    };
    channel.namespaces = BTreeMap::from([("media".to_string(), MEDIA_NS.to_string())]);
    // The writer's own declaration gives way to ours, so every format starts alike.
    let out = AfterDeclaration::new(prolog(page, size_hint(contents)));
    channel
        .pretty_write_to(out, b' ', 2)
        .expect("writing XML to memory cannot fail")
        .finish()
}

/// The channel's `atom:link`s: exactly one `rel="self"`, then a `rel="hub"` per WebSub hub.
fn atom_links(site: &Site, page: &Page) -> Vec<Link> {
    let mut links = vec![Link {
        href: page.url(site, "rss.xml"),
        rel: "self".to_string(),
        mime_type: Some("application/rss+xml".to_string()),
        ..Link::default()
    }];
    links.extend(site.hubs.iter().map(|hub| Link {
        href: hub.clone(),
        rel: "hub".to_string(),
        ..Link::default()
    }));
    links
}

fn item(entry: &Entry, content_html: &str, site: &Site) -> Item {
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
                domain: Some(topic_scheme(site)),
            })
            .collect(),
        // Length 0 is the RSS Profile's (and the validator's) value for a size not known.
        enclosure: lead_enclosure(&entry.images).map(|(url, mime_type)| Enclosure {
            url: url.to_string(),
            length: "0".to_string(),
            mime_type: mime_type.to_string(),
        }),
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
    shared::media(images, |name, attrs| Extension {
        name,
        attrs,
        ..Extension::default()
    })
}
