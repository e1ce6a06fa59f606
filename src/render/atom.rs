//! Atom 1.0 (RFC 4287), with Media RSS elements and the lead image as `link rel="enclosure"`
//! per entry, and WebSub hub links in the head.
//!
//! Every text construct that holds plain text (titles, subtitle, summaries) is type text,
//! XML-escaped once: several readers ignore `type="html"` and show its escaped source
//! (`AT&amp;T`). Only the content is HTML.

use std::collections::BTreeMap;

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{
    Category, Content, Entry as AtomEntry, Feed as AtomFeed, Generator, Link, Person, Text,
    WriteConfig,
};

use super::shared::{self, lead_enclosure, prolog, size_hint, topic_scheme, Context, MEDIA_NS};
use crate::entry::Entry;
use crate::feed::Slugs;
use crate::settings::Site;
use crate::text::escape;

/// Renders the feed as an Atom 1.0 document.
pub fn render(cx: &Context<'_>) -> Vec<u8> {
    let (feed, contents, slugs) = (cx.feed, cx.contents, cx.slugs);
    let (site, page) = (cx.site, cx.page);
    let self_url = page.url(site, "atom.xml");
    let atom = AtomFeed {
        title: Text::plain(page.title.clone()),
        id: self_url.clone(),
        updated: feed.updated,
        authors: vec![Person {
            name: site.author.clone(),
            uri: Some(site.site_url.clone()),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "feedsmith".to_string(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        links: head_links(site, &self_url),
        icon: page.icon.clone(),
        logo: site.logo.clone(),
        subtitle: Some(Text::plain(page.description.clone())),
        entries: feed
            .entries
            .iter()
            .zip(contents)
            .map(|(e, content)| entry(e, content, slugs, site))
            .collect(),
        namespaces: BTreeMap::from([("media".to_string(), MEDIA_NS.to_string())]),
        lang: Some(site.language.clone()),
        ..AtomFeed::default()
    };
    let config = WriteConfig {
        write_document_declaration: false,
        indent_size: Some(2),
    };
    let mut out = atom
        .write_with_config(prolog(page, size_hint(contents)), config)
        .expect("writing XML to memory cannot fail");
    out.push(b'\n');
    out
}

/// The feed's links: the site, exactly one `rel="self"`, then a `rel="hub"` per WebSub hub.
fn head_links(site: &Site, self_url: &str) -> Vec<Link> {
    let mut links = vec![
        link(&site.site_url, "alternate", Some("text/html")),
        link(self_url, "self", Some("application/atom+xml")),
    ];
    links.extend(site.hubs.iter().map(|hub| link(hub, "hub", None)));
    links
}

fn link(href: &str, rel: &str, mime_type: Option<&str>) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime_type.map(str::to_string),
        ..Link::default()
    }
}

fn entry(entry: &Entry, content_html: &str, slugs: &Slugs, site: &Site) -> AtomEntry {
    let mut links = vec![link(&entry.id, "alternate", Some("text/html"))];
    links.extend(entry.related.iter().map(|r| Link {
        title: Some(r.title.clone()),
        ..link(&r.url, "related", Some("text/html"))
    }));
    // No length: Atom's is optional, and the size is not known.
    links.extend(
        lead_enclosure(&entry.images)
            .map(|(url, mime_type)| link(url, "enclosure", Some(mime_type))),
    );
    AtomEntry {
        title: Text::plain(entry.title.clone()),
        id: entry.id.clone(),
        updated: entry.updated.unwrap_or(entry.published),
        published: Some(entry.published),
        authors: entry
            .provider
            .iter()
            .map(|p| Person {
                name: p.name.clone(),
                uri: p.uri.clone(),
                ..Person::default()
            })
            .collect(),
        // Most readers show `term`, not `label`, so the term is the name people read; the
        // scheme says these are feedsmith's topics.
        categories: entry
            .topics
            .iter()
            .filter(|name| slugs.get(name).is_some())
            .map(|name| Category {
                term: name.clone(),
                scheme: Some(topic_scheme(site)),
                label: Some(name.clone()),
            })
            .collect(),
        links,
        summary: entry.summary.clone().map(Text::plain),
        content: Some(Content {
            value: Some(content_html.to_string()),
            content_type: Some("html".to_string()),
            ..Content::default()
        }),
        extensions: media(entry),
        ..AtomEntry::default()
    }
}

/// Media RSS elements. atom_syndication writes extension attributes unescaped, so they are
/// XML-escaped here.
fn media(entry: &Entry) -> ExtensionMap {
    shared::media(&entry.images, |name, attrs| Extension {
        name,
        attrs: attrs.into_iter().map(|(k, v)| (k, escape(&v))).collect(),
        ..Extension::default()
    })
}
