//! Atom 1.0 (RFC 4287), with Media RSS elements per entry.

use std::collections::BTreeMap;

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{
    Category, Content, Entry as AtomEntry, Feed as AtomFeed, Generator, Link, Person, Text,
    TextType, WriteConfig,
};
use chrono::{DateTime, FixedOffset};

use super::shared::{media_elements, with_prolog, Page, MEDIA_NS};
use crate::entry::Entry;
use crate::feed::{Feed, Slugs};
use crate::settings::Site;
use crate::text::{escape, escape_text};

/// Renders `feed` as an Atom 1.0 document; `contents` holds each entry's HTML content.
pub fn render(
    feed: &Feed,
    contents: &[String],
    slugs: &Slugs,
    site: &Site,
    page: &Page,
) -> Vec<u8> {
    let self_url = page.url(site, "atom.xml");
    let atom = AtomFeed {
        title: html_text(&page.title),
        id: self_url.clone(),
        updated: feed.entries.first().map_or_else(epoch, |e| e.published),
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
        links: vec![
            link(&site.site_url, "alternate", Some("text/html")),
            link(&self_url, "self", Some("application/atom+xml")),
        ],
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
    let body = atom
        .write_with_config(Vec::new(), config)
        .expect("writing XML to memory cannot fail");
    with_prolog(page, &body)
}

fn epoch() -> DateTime<FixedOffset> {
    DateTime::UNIX_EPOCH.fixed_offset()
}

/// A text construct of type html: the text HTML-escaped (the writer XML-escapes it again), so
/// a title that mentions `<script>` is shown as written and never read as markup.
fn html_text(s: &str) -> Text {
    Text {
        value: escape_text(s),
        r#type: TextType::Html,
        ..Text::default()
    }
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
    AtomEntry {
        title: html_text(&entry.title),
        id: entry.id.clone(),
        updated: entry.published,
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
        categories: entry
            .topics
            .iter()
            .filter_map(|name| {
                let slug = slugs.get(name)?;
                Some(Category {
                    term: slug.to_string(),
                    scheme: Some(format!("{}topics/", site.base_url)),
                    label: Some(name.clone()),
                })
            })
            .collect(),
        links,
        summary: entry.summary.as_deref().map(html_text),
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
    let mut elements: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
    for (name, attrs) in media_elements(&entry.images) {
        let attrs = attrs.into_iter().map(|(k, v)| (k, escape(&v))).collect();
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
