//! What every format shares: the file type, the list of formats, a feed's title and place,
//! the generator string, the XML prolog, the Media RSS elements and the lead image's
//! enclosure.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::entry::Image;
use crate::feed::{Feed, Group, Slugs};
use crate::group::Wording;
use crate::settings::Site;

/// The generator string written into every feed.
pub const GENERATOR: &str = concat!("feedsmith ", env!("CARGO_PKG_VERSION"));

/// The Media RSS namespace (exactly this string, trailing slash included).
pub const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// One rendered output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the output folder.
    pub path: PathBuf,
    /// The complete contents.
    pub bytes: Vec<u8>,
}

/// Which writer a format's file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// RSS 2.0 (`super::rss`).
    Rss,
    /// Atom 1.0 (`super::atom`).
    Atom,
    /// JSON Feed 1.1 (`super::json`).
    Json,
}

/// What every format's writer is given: the feed, each entry's HTML content (built once for
/// every format), the topic slugs, the site and the feed's page.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The feed.
    pub feed: &'a Feed,
    /// Each entry's HTML content, in the feed's order.
    pub contents: &'a [&'a str],
    /// Every topic's slug, for Atom categories.
    pub slugs: &'a Slugs,
    /// The site.
    pub site: &'a Site,
    /// The feed's page: its folder, title and description.
    pub page: &'a Page,
}

/// One output format of a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// Its writer.
    pub syntax: Syntax,
    /// The file name in each feed's folder.
    pub file: &'static str,
    /// Its name for people.
    pub label: &'static str,
    /// Its media type, for `<link rel="alternate">` and `type` attributes.
    pub mime: &'static str,
}

/// Every format, in the order [`super::feed`] renders them.
pub const FORMATS: [Format; 3] = [
    Format {
        syntax: Syntax::Rss,
        file: "rss.xml",
        label: "RSS",
        mime: "application/rss+xml",
    },
    Format {
        syntax: Syntax::Atom,
        file: "atom.xml",
        label: "Atom",
        mime: "application/atom+xml",
    },
    Format {
        syntax: Syntax::Json,
        file: "feed.json",
        label: "JSON Feed",
        mime: "application/feed+json",
    },
];

/// What a feed is called and where it lives, shared by every format.
#[derive(Debug, Clone)]
pub struct Page {
    /// Folder below the output root, with a trailing `/`, or empty for the root.
    pub dir: String,
    /// The feed's title.
    pub title: String,
    /// One sentence on what the feed holds.
    pub description: String,
    /// Its square icon (an absolute URL): the group's own, else the site's.
    pub icon: Option<String>,
}

impl Page {
    /// The page of the feed of `group` (`None` for all articles) on `site`.
    pub fn new(group: Option<&Group>, site: &Site) -> Page {
        let Some(group) = group else {
            return Page {
                dir: String::new(),
                title: site.title.clone(),
                description: site.description.clone(),
                icon: site.icon.clone(),
            };
        };
        let words = group.kind.wording();
        let fill = |pattern| Wording::fill(pattern, &site.title, &group.name);
        Page {
            dir: format!("{}/{}/", group.kind.folder(), group.slug),
            title: group.title.clone().unwrap_or_else(|| fill(words.title)),
            description: group
                .description
                .clone()
                .unwrap_or_else(|| fill(words.description)),
            icon: group.icon.clone().or_else(|| site.icon.clone()),
        }
    }

    /// The relative path of this feed's `file`.
    pub fn path(&self, file: &str) -> String {
        format!("{}{file}", self.dir)
    }

    /// The absolute URL this feed's `file` is served at.
    pub fn url(&self, site: &Site, file: &str) -> String {
        format!("{}{}", site.base_url, self.path(file))
    }
}

/// The scheme (RSS `domain`) of feedsmith's topic categories: the folder of the topic feeds.
pub fn topic_scheme(site: &Site) -> String {
    format!("{}topics/", site.base_url)
}

/// The stylesheet that shows a feed as a readable page when a person opens it in a browser,
/// written to the output root.
pub const STYLESHEET: &str = "feed.xsl";

/// The start of every XML feed: the XML declaration (with its encoding) and the stylesheet
/// reference, in a buffer with room for `body` more bytes, which the writer appends to
/// directly (no copy of the document). The reference is relative (`../../feed.xsl` from
/// `topics/x/`), so it works wherever the folder is served, and browsers apply it only from
/// the same origin anyway.
pub fn prolog(page: &Page, body: usize) -> Vec<u8> {
    let depth = page.dir.matches('/').count();
    let prolog = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"{}{STYLESHEET}\"?>\n",
        "../".repeat(depth)
    );
    let mut out = Vec::with_capacity(prolog.len() + body + 1);
    out.extend_from_slice(prolog.as_bytes());
    out
}

/// About how many bytes a feed document of `contents` will take: their HTML plus a share
/// for each entry's other elements, with room for escaping. Only a capacity: a good guess
/// saves the buffer being copied as it grows.
pub fn size_hint(contents: &[&str]) -> usize {
    let html: usize = contents.iter().map(|c| c.len()).sum();
    html + html / 4 + 1024 * contents.len() + 4096
}

/// A [`Write`](std::io::Write) that appends to a buffer everything but the XML declaration
/// a writer crate starts its document with, and the white space after it, so the document
/// lands after our own [`prolog`] without being moved.
#[derive(Debug)]
pub struct AfterDeclaration {
    out: Vec<u8>,
    /// Where the declaration is, so far.
    state: Declaration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declaration {
    /// Still in it; the flag is set when the last byte was `?`.
    Within(bool),
    /// Past its `?>`, in the white space after it.
    Ended,
    /// Past the white space: everything is kept.
    Gone,
}

impl AfterDeclaration {
    /// Appends to `out`.
    pub fn new(out: Vec<u8>) -> AfterDeclaration {
        AfterDeclaration {
            out,
            state: Declaration::Within(false),
        }
    }

    /// The buffer, with a final newline.
    pub fn finish(mut self) -> Vec<u8> {
        self.out.push(b'\n');
        self.out
    }
}

impl std::io::Write for AfterDeclaration {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while self.state != Declaration::Gone {
            let Some((&byte, tail)) = rest.split_first() else {
                return Ok(buf.len());
            };
            self.state = match self.state {
                Declaration::Within(question) if question && byte == b'>' => Declaration::Ended,
                Declaration::Within(_) => Declaration::Within(byte == b'?'),
                Declaration::Ended if byte.is_ascii_whitespace() => Declaration::Ended,
                _ => {
                    self.state = Declaration::Gone;
                    break;
                }
            };
            rest = tail;
        }
        self.out.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The Media RSS elements of an entry's `images`, as an extension map of either writer crate
/// (`rss` and `atom_syndication` each have their own `Extension` type of the same shape):
/// `element` makes one from its qualified name (`media:content`) and its raw attributes,
/// escaping them as its writer requires. Empty when there are no images.
pub fn media<E>(
    images: &[Image],
    element: impl Fn(String, BTreeMap<String, String>) -> E,
) -> BTreeMap<String, BTreeMap<String, Vec<E>>> {
    let mut elements: BTreeMap<String, Vec<E>> = BTreeMap::new();
    for (name, attrs) in media_elements(images) {
        elements
            .entry(name.to_string())
            .or_default()
            .push(element(format!("media:{name}"), attrs));
    }
    if elements.is_empty() {
        return BTreeMap::new();
    }
    BTreeMap::from([("media".to_string(), elements)])
}

/// The Media RSS elements for an entry's images, as (local name, attributes): a
/// `media:content` (medium="image") per image, then a `media:thumbnail` for the lead image.
/// Attribute values are raw; each format escapes them as its writer requires.
pub fn media_elements(images: &[Image]) -> Vec<(&'static str, BTreeMap<String, String>)> {
    let attrs = |image: &Image, medium: bool| {
        let mut attrs = BTreeMap::from([("url".to_string(), image.url.clone())]);
        if medium {
            attrs.insert("medium".to_string(), "image".to_string());
        }
        if let Some(w) = image.width {
            attrs.insert("width".to_string(), w.to_string());
        }
        if let Some(h) = image.height {
            attrs.insert("height".to_string(), h.to_string());
        }
        attrs
    };
    let mut out: Vec<_> = images.iter().map(|i| ("content", attrs(i, true))).collect();
    if let Some(lead) = images.first() {
        out.push(("thumbnail", attrs(lead, false)));
    }
    out
}

/// The MIME type of an image URL from its file extension, when it names a common one.
pub fn image_type(url: &str) -> Option<&'static str> {
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

/// The lead image as an enclosure, (url, MIME type): RSS `enclosure`, Atom
/// `link rel="enclosure"`. Both need a type, and a guessed or generic one would mislead a
/// reader, so when the URL's extension names no known image type there is no enclosure; the
/// image still reaches readers as Media RSS and as the `<img>` in the content.
pub fn lead_enclosure(images: &[Image]) -> Option<(&str, &'static str)> {
    let lead = images.first()?;
    Some((lead.url.as_str(), image_type(&lead.url)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writers_declaration_gives_way_to_ours_however_it_is_written() {
        use std::io::Write;
        let doc = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n  <rss a=\"?\"/>";
        for size in 1..=doc.len() {
            let mut out = AfterDeclaration::new(b"<prolog/>\n".to_vec());
            for chunk in doc.chunks(size) {
                out.write_all(chunk).unwrap();
            }
            assert_eq!(
                out.finish(),
                b"<prolog/>\n<rss a=\"?\"/>\n",
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn image_types_come_from_the_extension_only_when_known() {
        assert_eq!(image_type("https://e.com/a.JPG?w=1"), Some("image/jpeg"));
        assert_eq!(image_type("https://e.com/a.webp"), Some("image/webp"));
        assert_eq!(image_type("https://e.com/image"), None);
        assert_eq!(image_type("https://e.com/a.php"), None);
    }

    #[test]
    fn only_the_lead_image_of_a_known_type_is_an_enclosure() {
        let image = |url: &str| Image {
            url: url.to_string(),
            width: None,
            height: None,
        };
        assert_eq!(lead_enclosure(&[]), None);
        assert_eq!(
            lead_enclosure(&[image("https://e.com/a.png"), image("https://e.com/b.jpg")]),
            Some(("https://e.com/a.png", "image/png"))
        );
        // The lead image decides: a later image of a known type does not stand in for it.
        assert_eq!(
            lead_enclosure(&[
                image("https://e.com/pic?id=1"),
                image("https://e.com/b.jpg")
            ]),
            None
        );
    }
}
