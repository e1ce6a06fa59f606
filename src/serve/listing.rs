//! The page served for a folder that has no `index.html`: a list of links to every file
//! below it, from the theme's `listing.html` (the theme and site of the last good build).

use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::files::Files;
use crate::render::Theme;
use crate::settings::Site;
use crate::Error;

/// What link paths keep unencoded: `/` and the unreserved characters of RFC 3986.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The theme and site the folder pages are made with.
#[derive(Debug, Clone)]
pub struct Listing {
    theme: Arc<Theme>,
    site: Site,
}

impl Default for Listing {
    /// The shipped templates, for a site whose settings are not known yet.
    fn default() -> Listing {
        Listing {
            theme: Theme::shipped(),
            site: Site {
                title: "feedsmith preview".to_string(),
                language: "en".to_string(),
                ..Site::default()
            },
        }
    }
}

impl Listing {
    /// Folder pages made with `theme` for `site`.
    pub fn new(theme: Arc<Theme>, site: Site) -> Listing {
        Listing { theme, site }
    }

    /// A small HTML page linking every file below `dir` (`""` or ending in `/`), by paths
    /// relative to it.
    pub(super) fn html(&self, files: &Files, dir: &str) -> Result<String, Error> {
        let list: Vec<minijinja::Value> = files
            .paths()
            .filter_map(|p| p.strip_prefix(dir))
            .map(|path| {
                minijinja::context! {
                    href => utf8_percent_encode(path, UNRESERVED).to_string(),
                    path => path,
                }
            })
            .collect();
        let values = minijinja::context! {
            site => crate::render::view::site(&self.site),
            root => "../".repeat(dir.matches('/').count()),
            title => format!("feedsmith preview: /{dir}"),
            description => (),
            alternates => Vec::<minijinja::Value>::new(),
            dir => dir,
            files => list,
        };
        self.theme.render("listing.html", values)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::served;
    use super::*;

    #[test]
    fn links_are_percent_encoded_and_names_escaped() {
        let files = served(&[("topics/a b/<x>&.xml", "x"), ("rss.xml", "y")], 0);
        let page = Listing::default().html(&files, "topics/").unwrap();
        assert!(
            page.contains("<a href=\"a%20b/%3Cx%3E%26.xml\">a b/&lt;x&gt;&amp;.xml</a>"),
            "{page}"
        );
        assert!(!page.contains("rss.xml"));
        assert!(Listing::default()
            .html(&Files::default(), "")
            .unwrap()
            .contains("No files yet"));
    }

    #[test]
    fn a_themes_listing_and_site_are_used() {
        let listing = "{% extends \"base.html\" %}{% block body %}<h1>{{ site.title }}</h1>\
                       {% for f in files %}[{{ f.path }}]{% endfor %}{% endblock %}";
        let theme = Theme::new(
            [(
                "listing.html".to_string(),
                ("theme/listing.html".into(), listing.to_string()),
            )]
            .into(),
        )
        .unwrap();
        let site = Site {
            title: "Desk <preview>".to_string(),
            language: "fr".to_string(),
            ..Site::default()
        };
        let files = served(&[("topics/a/rss.xml", "x")], 0);
        let page = Listing::new(Arc::new(theme), site)
            .html(&files, "topics/")
            .unwrap();
        assert!(page.contains("<html lang=\"fr\">"), "{page}");
        assert!(
            page.contains("<h1>Desk &lt;preview&gt;</h1>[a/rss.xml]"),
            "{page}"
        );
    }
}
