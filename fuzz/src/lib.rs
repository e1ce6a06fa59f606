//! What the fuzz targets share: the pipeline from entries to every output file, and the
//! checks every output must pass (well-formed XML, valid JSON, http(s) links only, no secret).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use feedsmith::entry::Entry;
use feedsmith::feed::{Candidate, Collector, Feed, Selection};
use feedsmith::group::Kind;
use feedsmith::render::{self, index, File};
use feedsmith::settings::{Content, Site, Texts, DEFAULT_MAX_FEED_BYTES};

/// The value the article target gives `secured:`; it must never reach an output.
pub const MARKER: &str = "SECRETMARKER7f3a";

/// The site the article target renders for.
pub fn site() -> Site {
    Site {
        title: "Fuzz news".into(),
        base_url: "https://example.com/feeds/".into(),
        site_url: "https://example.com/".into(),
        description: "Feeds for fuzzing.".into(),
        language: "en".into(),
        author: "Fuzz desk".into(),
        // With an icon, a logo and a hub, so their output is checked too.
        icon: Some("https://example.com/icon.png".into()),
        logo: Some("https://example.com/logo.png".into()),
        hubs: vec!["https://hub.example.com/".into()],
        ..Site::default()
    }
}

/// Selection as the build makes it for these entries (one entry per link, the newest, on a
/// tie the first), then every feed in every format, `index.html` and `feeds.opml`.
pub fn render_all(entries: &[Arc<Entry>], site: &Site, limit: usize) -> (Selection, Vec<File>) {
    let mut winners: HashMap<&str, &Arc<Entry>> = HashMap::new();
    let mut order = Vec::new();
    for entry in entries {
        match winners.get(entry.id.as_str()) {
            Some(old) if old.published >= entry.published => {}
            Some(_) => {
                winners.insert(&entry.id, entry);
            }
            None => {
                winners.insert(&entry.id, entry);
                order.push(entry.id.as_str());
            }
        }
    }
    let mut collector = Collector::new(limit, &Kind::ALL, &[]);
    for (index, id) in order.iter().enumerate() {
        let entry = Arc::clone(winners[id]);
        collector.add(Candidate {
            index: index as u32,
            path: entry.source.clone(),
            hash: None,
            facts: entry.facts.clone(),
            entry: Some(entry),
        });
    }
    let (selection, _problems) = collector.finish(&Texts::default());
    let mut files = Vec::new();
    for chosen in &selection.feeds {
        let feed = Feed {
            group: chosen.group.clone(),
            entries: chosen
                .entries
                .iter()
                .map(|c| Arc::clone(c.entry.as_ref().expect("every candidate has its entry")))
                .collect(),
            updated: chosen.updated,
        };
        assert!(!feed.entries.is_empty(), "a chosen feed is never empty");
        files.extend(
            render::feed(
                &feed,
                &selection.slugs,
                site,
                &render::Theme::shipped(),
                Content::Full,
                DEFAULT_MAX_FEED_BYTES,
            )
                .expect("the shipped templates render"),
        );
    }
    files.push(File {
        path: PathBuf::from(index::INDEX),
        bytes: index::html(&selection.feeds, site, &render::Theme::shipped())
            .expect("the shipped templates render"),
    });
    files.push(File {
        path: PathBuf::from(index::OPML),
        bytes: index::opml(&selection.feeds, site, &render::Theme::shipped())
            .expect("the shipped templates render"),
    });
    (selection, files)
}

/// True for an absolute http or https URL with a host (any letter case in the scheme).
pub fn is_web_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return false;
    }
    match url::Url::parse(s) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

fn assert_web_url(what: &str, s: &str, file: &str) {
    assert!(is_web_url(s), "{file}: {what} is not an http(s) URL: {s:?}");
}

/// Every output file passes its format's checks, and none holds `secret` (when given).
pub fn check_files(files: &[File], site: &Site, secret: Option<&str>) {
    let paths: Vec<String> = files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    let mut contents: HashMap<String, Vec<String>> = HashMap::new();
    for (file, path) in files.iter().zip(&paths) {
        if let Some(secret) = secret {
            assert!(
                memchr::memmem::find(&file.bytes, secret.as_bytes()).is_none(),
                "{path}: the secured value reached the output"
            );
        }
        let text =
            std::str::from_utf8(&file.bytes).unwrap_or_else(|e| panic!("{path}: not UTF-8: {e}"));
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        if path.ends_with("rss.xml") {
            let c = check_rss(text, path);
            contents.entry(dir.clone()).or_default().extend(c);
        } else if path.ends_with("atom.xml") {
            let c = check_atom(text, path);
            assert_eq!(
                contents.get(&dir).map(Vec::as_slice),
                Some(c.as_slice()),
                "{path}: Atom content differs from RSS content"
            );
        } else if path.ends_with("feed.json") {
            let c = check_json(text, path);
            assert_eq!(
                contents.get(&dir).map(Vec::as_slice),
                Some(c.as_slice()),
                "{path}: JSON content differs from RSS content"
            );
        } else if path == index::OPML {
            check_opml(text, path);
        } else if path == index::INDEX {
            check_index(text, path, &paths, site);
        } else {
            panic!("unexpected output {path}");
        }
    }
}

fn parse_xml<'a>(text: &'a str, path: &str) -> roxmltree::Document<'a> {
    roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{path}: not well-formed XML: {e}\n{text}"))
}

/// Checks the URLs in every element of an XML document: URL-valued attributes, and the
/// text of elements whose text is a URL.
fn check_xml_urls(doc: &roxmltree::Document, path: &str, text_urls: &[&str]) {
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        for attr in node.attributes() {
            if matches!(
                attr.name(),
                "href" | "url" | "src" | "uri" | "scheme" | "xmlUrl" | "htmlUrl"
            ) {
                assert_web_url(&format!("<{name} {}>", attr.name()), attr.value(), path);
            }
        }
        if text_urls.contains(&name) {
            if let Some(t) = node.text() {
                assert_web_url(&format!("<{name}>"), t, path);
            }
        }
    }
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// RSS: well-formed, URLs, and each item's HTML content (the one with markup) in order.
fn check_rss(text: &str, path: &str) -> Vec<String> {
    let doc = parse_xml(text, path);
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss", "{path}");
    check_xml_urls(&doc, path, &["link", "guid", "docs", "url"]);
    let channel = child(rss, "channel").expect("a channel");
    let mut out = Vec::new();
    for item in channel
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "item")
    {
        let guid = child(item, "guid").expect("a guid");
        assert_ne!(guid.attribute("isPermaLink"), Some("false"), "{path}");
        let encoded = item.children().find(|c| {
            c.tag_name().name() == "encoded"
                && c.tag_name().namespace() == Some("http://purl.org/rss/1.0/modules/content/")
        });
        let description = child(item, "description").map(|d| d.text().unwrap_or("").to_string());
        let html = match encoded {
            Some(e) => {
                let summary = description.expect("a description beside content:encoded");
                check_html(&summary, path, false);
                e.text().unwrap_or("").to_string()
            }
            None => description.expect("a description"),
        };
        check_html(&html, path, true);
        out.push(html);
    }
    out
}

fn check_atom(text: &str, path: &str) -> Vec<String> {
    let doc = parse_xml(text, path);
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed", "{path}");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom"),
        "{path}"
    );
    check_xml_urls(&doc, path, &["id", "uri", "url"]);
    let mut out = Vec::new();
    for entry in feed
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "entry")
    {
        for text_construct in ["title", "summary"] {
            if let Some(node) = child(entry, text_construct) {
                // type="html": the text is HTML, and a title or summary is plain text in it.
                check_html(node.text().unwrap_or(""), path, false);
            }
        }
        let content = child(entry, "content").expect("content");
        assert_eq!(content.attribute("type"), Some("html"), "{path}");
        let html = content.text().unwrap_or("").to_string();
        check_html(&html, path, true);
        out.push(html);
    }
    out
}

fn check_json(text: &str, path: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{path}: not valid JSON: {e}\n{text}"));
    let obj = value.as_object().expect("a JSON object");
    assert_eq!(obj["version"], "https://jsonfeed.org/version/1.1", "{path}");
    for key in ["home_page_url", "feed_url"] {
        assert_web_url(key, obj[key].as_str().expect("a string"), path);
    }
    check_json_urls(&value, path, "");
    let mut out = Vec::new();
    for item in obj["items"].as_array().expect("items") {
        let html = item["content_html"]
            .as_str()
            .expect("content_html")
            .to_string();
        check_html(&html, path, true);
        out.push(html);
    }
    out
}

/// Every `url`, `*_url`, `image` and item `id` in a JSON Feed is an http(s) URL.
fn check_json_urls(value: &serde_json::Value, path: &str, at: &str) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}.{k}");
                let is_url = k == "url"
                    || k.ends_with("_url")
                    || k == "image"
                    || k == "banner_image"
                    || (k == "id" && at.contains("items"));
                if is_url {
                    assert_web_url(&here, v.as_str().expect("a URL string"), path);
                } else {
                    check_json_urls(v, path, &here);
                }
            }
        }
        serde_json::Value::Array(list) => {
            for v in list {
                check_json_urls(v, path, at);
            }
        }
        _ => {}
    }
}

fn check_opml(text: &str, path: &str) {
    let doc = parse_xml(text, path);
    assert_eq!(doc.root_element().tag_name().name(), "opml", "{path}");
    check_xml_urls(&doc, path, &["docs"]);
}

/// `index.html`: tags parse, `<link>` and off-site links are http(s), and every relative
/// link names a file of this build.
fn check_index(text: &str, path: &str, paths: &[String], _site: &Site) {
    for tag in tags(text).unwrap_or_else(|e| panic!("{path}: {e}\n{text}")) {
        for (name, value) in &tag.attrs {
            if !matches!(name.as_str(), "href" | "src") {
                continue;
            }
            let value = unescape(value);
            if tag.name == "link" || is_web_url(&value) {
                assert_web_url(&format!("<{} {name}>", tag.name), &value, path);
            } else {
                assert!(
                    paths.iter().any(|p| *p == value),
                    "{path}: a relative link to a file not written: {value:?}"
                );
            }
        }
        assert!(
            !matches!(tag.name.as_str(), "script" | "iframe" | "object" | "embed"),
            "{path}: <{}>",
            tag.name
        );
    }
}

/// An HTML fragment as the sanitiser writes it: every tag parses, nothing that runs code
/// survives, every link and image is an absolute http(s) URL. `markup` false: the text must
/// hold no tag at all (escaped plain text).
pub fn check_html(html: &str, path: &str, markup: bool) {
    let tags = tags(html).unwrap_or_else(|e| panic!("{path}: {e}\n{html}"));
    if !markup {
        assert!(tags.is_empty(), "{path}: markup in plain text: {html:?}");
        return;
    }
    for tag in tags {
        assert!(
            !matches!(
                tag.name.as_str(),
                "script"
                    | "style"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "form"
                    | "input"
                    | "svg"
                    | "math"
            ),
            "{path}: <{}> survived sanitising: {html}",
            tag.name
        );
        for (name, value) in &tag.attrs {
            let value = unescape(value);
            assert!(
                !name.starts_with("on") && name != "style",
                "{path}: attribute {name} survived: {html}"
            );
            if matches!(
                name.as_str(),
                "href"
                    | "src"
                    | "cite"
                    | "longdesc"
                    | "action"
                    | "srcset"
                    | "poster"
                    | "background"
                    | "formaction"
                    | "data"
            ) {
                assert_web_url(&format!("<{} {name}>", tag.name), &value, path);
            }
        }
    }
}

/// One start tag.
#[derive(Debug)]
pub struct Tag {
    /// Its name, lowercase.
    pub name: String,
    /// Its attributes, values as written (still escaped).
    pub attrs: Vec<(String, String)>,
}

/// The start tags of serialised HTML. Text never holds a raw `<` (the writers escape it),
/// so a `<` that starts no tag, comment or end tag is an error.
pub fn tags(html: &str) -> Result<Vec<Tag>, String> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        i += off;
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").ok_or("an unclosed comment")?;
            i += end + 3;
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("</") {
            let end = rest.find('>').ok_or("an unclosed declaration or end tag")?;
            i += end + 1;
            continue;
        }
        let name_len = rest[1..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            return Err(format!("a raw '<' in text at byte {i}"));
        }
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let mut j = i + 1 + name_len;
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() {
                return Err(format!("an unclosed <{name}> tag"));
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            if b[j..].starts_with(b"/>") {
                j += 2;
                break;
            }
            let start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            if start == j {
                return Err(format!("a stray '{}' in <{name}>", b[j] as char));
            }
            let attr = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = memchr::memchr(q, &b[j + 1..])
                            .ok_or(format!("an unclosed value of {attr}"))?;
                        value = html[j + 1..j + 1 + end].to_string();
                        j += end + 2;
                    }
                    _ => {
                        let start = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        value = html[start..j].to_string();
                    }
                }
            }
            attrs.push((attr, value));
        }
        out.push(Tag { name, attrs });
        i = j;
    }
    Ok(out)
}

/// The entities the HTML serialisers write in attribute values, decoded.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
