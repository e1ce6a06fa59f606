//! The templates and assets the HTML pages and the OPML list are made from, and a desk's
//! theme folder that replaces some of them.
//!
//! feedsmith ships its templates (`assets/templates/`: `base.html`, `head.html`,
//! `page.html`, `index.html`, `listing.html`, `feeds.opml`) and assets (`assets/style.css`,
//! `assets/copy.js`, `assets/feed.xsl`) inside the binary. A theme folder (`templates:` in
//! the settings) holds files named like them; each one replaces the shipped file of that
//! name, the others stay as shipped. A theme may add templates of its own (`*.html`, in
//! subfolders too) for the others to include.
//!
//! Escaping does not depend on the template: every value printed in a `.html`, `.xml` or
//! `.opml` template is escaped for HTML and XML (`&`, `<`, `>`, `"`, `'`) unless it is marked
//! safe, inside `{% autoescape false %}` too. The only values marked safe are the theme's own
//! (the stylesheet, the script, the policy) and an entry's body, HTML the sanitiser has
//! already cleaned; a theme can print anything else unescaped only by writing `|safe` itself. A template's error (its syntax, or a value it asks for that does
//! not exist) is an [`Error::Template`] naming the file, line and column.
//!
//! The Content-Security-Policy of every page is computed here, from the stylesheet and the
//! script a page inlines (shipped or the theme's): each is allowed by its SHA-256, and
//! nothing else is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use sha2::Digest as _;

use super::shared::STYLESHEET;
use crate::error::{Error, READING};
use crate::hash::Hash;
use crate::text::escape;

/// The shipped templates, by name: what a theme's file of the same name replaces.
pub const TEMPLATES: [(&str, &str); 6] = [
    (
        "base.html",
        include_str!("../../assets/templates/base.html"),
    ),
    (
        "head.html",
        include_str!("../../assets/templates/head.html"),
    ),
    (
        "page.html",
        include_str!("../../assets/templates/page.html"),
    ),
    (
        "index.html",
        include_str!("../../assets/templates/index.html"),
    ),
    (
        "listing.html",
        include_str!("../../assets/templates/listing.html"),
    ),
    (
        "feeds.opml",
        include_str!("../../assets/templates/feeds.opml"),
    ),
];

/// The stylesheet every page inlines.
pub const STYLE: &str = "style.css";
/// The script every page inlines (the copy buttons).
pub const SCRIPT: &str = "copy.js";

/// The shipped assets, by name: inlined (`style.css`, `copy.js`) or written as they are
/// (`feed.xsl`).
pub const ASSETS: [(&str, &str); 3] = [
    (STYLE, include_str!("../../assets/style.css")),
    (SCRIPT, include_str!("../../assets/copy.js")),
    (STYLESHEET, include_str!("../../assets/feed.xsl")),
];

/// Where a template or asset came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// Built into feedsmith.
    Shipped,
    /// A file of the theme folder.
    File(PathBuf),
}

/// One template's text and origin, kept to place an error's column.
#[derive(Debug, Clone)]
struct Source {
    origin: Origin,
    text: Arc<str>,
}

/// The templates and assets of a build: shipped, or a theme's where it has them.
pub struct Theme {
    env: Environment<'static>,
    sources: BTreeMap<String, Source>,
    style: Arc<str>,
    script: Arc<str>,
    stylesheet: Arc<str>,
    csp: String,
    digest: Hash,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("files", &self.sources.keys().collect::<Vec<_>>())
            .field("digest", &format_args!("{:032x}", self.digest))
            .finish_non_exhaustive()
    }
}

impl Theme {
    /// The shipped templates and assets, compiled once per process.
    pub fn shipped() -> Arc<Theme> {
        static SHIPPED: OnceLock<Arc<Theme>> = OnceLock::new();
        Arc::clone(SHIPPED.get_or_init(|| {
            Arc::new(Theme::new(BTreeMap::new()).expect("the shipped templates compile"))
        }))
    }

    /// The theme in `folder` over the shipped files, or the shipped ones for `None`. Every
    /// file below the folder is read now (a build sees one version of the theme): names of
    /// shipped files replace them, other `.html` and `.opml` files are added as templates,
    /// `.md` and `.txt` files (notes for people) and hidden files and folders (an editor's
    /// swap files, `.git`) are skipped, and anything else is refused.
    pub fn load(folder: Option<&Path>) -> Result<Arc<Theme>, Error> {
        let Some(folder) = folder else {
            return Ok(Theme::shipped());
        };
        if !folder.is_dir() {
            return Err(Error::config(
                Some(folder.to_path_buf()),
                "the theme folder does not exist or is not a folder: create it, or fix \
                 `templates:` in the settings file",
            ));
        }
        let mut files = BTreeMap::new();
        let hidden = |item: &walkdir::DirEntry| {
            item.depth() > 0 && item.file_name().to_string_lossy().starts_with('.')
        };
        let walk = walkdir::WalkDir::new(folder).sort_by_file_name();
        for item in walk.into_iter().filter_entry(|item| !hidden(item)) {
            let item = item.map_err(|e| {
                let path = e.path().unwrap_or(folder).to_path_buf();
                Error::io(path, READING, e.into())
            })?;
            let path = item.path();
            // A link to a file counts as the file.
            if !path.is_file() {
                continue;
            }
            let name = crate::paths::slashed(path.strip_prefix(folder).unwrap_or(path));
            if name.ends_with(".md") || name.ends_with(".txt") {
                continue;
            }
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, READING, e))?;
            files.insert(name, (path.to_path_buf(), text));
        }
        Theme::new(files).map(Arc::new)
    }

    /// The shipped files with `files` (name → (path, text)) in their place or beside them.
    pub(crate) fn new(files: BTreeMap<String, (PathBuf, String)>) -> Result<Theme, Error> {
        let mut sources: BTreeMap<String, Source> = TEMPLATES
            .iter()
            .chain(ASSETS.iter())
            .map(|(name, text)| {
                let source = Source {
                    origin: Origin::Shipped,
                    text: Arc::from(*text),
                };
                (name.to_string(), source)
            })
            .collect();
        for (name, (path, text)) in files {
            let template = is_template(&name);
            if !template && !sources.contains_key(&name) {
                return Err(Error::config(
                    Some(path),
                    format!(
                        "a theme file is a template (`.html`, `.opml`) or one of the assets \
                         it replaces ({}); rename it, or move it out of the theme folder",
                        ASSETS.map(|(n, _)| n).join(", ")
                    ),
                ));
            }
            let source = Source {
                origin: Origin::File(path),
                text: Arc::from(text),
            };
            sources.insert(name, source);
        }
        let asset = |name: &str| Arc::clone(&sources[name].text);
        let (style, script, stylesheet) = (asset(STYLE), asset(SCRIPT), asset(STYLESHEET));
        for (name, closing) in [(STYLE, "</style"), (SCRIPT, "</script")] {
            if let Some(at) = sources[name].text.to_ascii_lowercase().find(closing) {
                return Err(at_offset(
                    &sources[name],
                    name,
                    at,
                    format!("{closing}> would end the inlined {name} early: remove it"),
                ));
            }
        }
        let mut env = environment();
        for (name, source) in &sources {
            if is_template(name) {
                env.add_template_owned(name.clone(), source.text.to_string())
                    .map_err(|e| template_error(&sources, &e))?;
            }
        }
        let mut digest = blake3::Hasher::new();
        for (name, source) in &sources {
            digest.update(format!("{name}\n{}\n", source.text.len()).as_bytes());
            digest.update(source.text.as_bytes());
        }
        let digest = u128::from_le_bytes(
            digest.finalize().as_bytes()[..16]
                .try_into()
                .expect("16 bytes"),
        );
        Ok(Theme {
            env,
            csp: policy(&style, &script),
            style,
            script,
            stylesheet,
            sources,
            digest,
        })
    }

    /// A digest of every template and asset: pages made with themes of equal digests are
    /// equal. It takes part in the signature of each feed's page, so a changed template
    /// renders the pages again, and not the feeds.
    pub fn digest(&self) -> Hash {
        self.digest
    }

    /// `feed.xsl`, written to the output root as it is.
    pub fn stylesheet(&self) -> &str {
        &self.stylesheet
    }

    /// The page's Content-Security-Policy: no resource but the lead images, and the one
    /// inlined stylesheet and script, each by its SHA-256.
    pub fn csp(&self) -> &str {
        &self.csp
    }

    /// Renders the template `name` with `values` and what every template gets: `style`,
    /// `script` and `csp` (marked safe: they are the theme's own) and `generator`.
    pub(crate) fn render(&self, name: &str, values: Value) -> Result<String, Error> {
        let shared = minijinja::context! {
            style => Value::from_safe_string(self.style.to_string()),
            script => Value::from_safe_string(self.script.to_string()),
            // Only letters, digits, `+/=-:;` and `'`: as it is in a quoted attribute.
            csp => Value::from_safe_string(self.csp.clone()),
            generator => super::shared::GENERATOR,
        };
        let context = minijinja::context! { ..values, ..shared };
        self.env
            .get_template(name)
            .and_then(|t| t.render(context))
            .map_err(|e| template_error(&self.sources, &e))
    }
}

/// True when `name` is a template (autoescaped for HTML and XML), not an asset.
fn is_template(name: &str) -> bool {
    [".html", ".htm", ".xml", ".opml"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// The engine as every theme uses it: HTML and XML escaping of every value not marked safe,
/// in every template and block (feedsmith's own escape, so the OPML list is what it always
/// was), a value that does not
/// exist is an error (a misspelt name is found, not printed as nothing), `none` prints as
/// nothing, and a template's last line break is kept.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_debug(false);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters"),
    );
    env.set_auto_escape_callback(|name| {
        if is_template(name) {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // Every value not marked safe is escaped, whatever the template says: not even an
    // `{% autoescape false %}` block prints an article's text as markup (only `|safe` can).
    env.set_formatter(|out, _state, value| {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        let text = value.to_string();
        let text = if value.is_safe() { text } else { escape(&text) };
        out.write_str(&text).map_err(minijinja::Error::from)
    });
    // `|e` and `|escape` escape as the formatter does.
    for name in ["e", "escape"] {
        env.add_filter(name, |value: Value| {
            if value.is_safe() {
                value
            } else {
                Value::from_safe_string(escape(&value.to_string()))
            }
        });
    }
    env
}

/// `script-src` and `style-src` allow exactly the inlined script and stylesheet.
fn policy(style: &str, script: &str) -> String {
    let hash = |text: &str| {
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
    };
    format!(
        "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; \
         img-src http: https: data:; base-uri 'none'; form-action 'none'",
        hash(style),
        hash(script)
    )
}

/// A template error at the innermost template that names itself: the file (or the shipped
/// template's name), the line and the column, and what is wrong.
fn template_error(sources: &BTreeMap<String, Source>, error: &minijinja::Error) -> Error {
    let mut inner = error;
    let mut next: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(e) = next {
        if let Some(e) = e.downcast_ref::<minijinja::Error>() {
            if e.name().is_some() && e.line().is_some() {
                inner = e;
            }
        }
        next = e.source();
    }
    let name = inner.name().unwrap_or("?");
    // What the fault spans (`feed.titel`), when the engine says nothing more.
    let span = sources
        .get(name)
        .zip(inner.range())
        .and_then(|(source, range)| source.text.get(range))
        .filter(|span| !span.is_empty() && !span.contains('\n'));
    let message = match (inner.detail(), span) {
        (Some(detail), _) => format!("{}: {detail}", inner.kind()),
        (None, Some(span)) => format!("{}: `{span}`", inner.kind()),
        (None, None) => inner.kind().to_string(),
    };
    match sources.get(name) {
        Some(source) => match inner.range() {
            Some(range) => at_offset(source, name, range.start, message),
            None => Error::Template {
                file: file(source, name),
                line: inner.line().unwrap_or(1),
                column: 1,
                message,
            },
        },
        None => Error::Template {
            file: PathBuf::from(name),
            line: inner.line().unwrap_or(1),
            column: 1,
            message,
        },
    }
}

/// An [`Error::Template`] at byte `offset` of `source`.
fn at_offset(source: &Source, name: &str, offset: usize, message: String) -> Error {
    let before = &source.text[..offset.min(source.text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    Error::Template {
        file: file(source, name),
        line,
        column: before[start..].chars().count() + 1,
        message,
    }
}

/// The path an error names: the theme's file, or the shipped file's place in feedsmith.
fn file(source: &Source, name: &str) -> PathBuf {
    match &source.origin {
        Origin::File(path) => path.clone(),
        Origin::Shipped if name.ends_with(".html") || name.ends_with(".opml") => {
            PathBuf::from(format!("(built in) assets/templates/{name}"))
        }
        Origin::Shipped => PathBuf::from(format!("(built in) assets/{name}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(files: &[(&str, &str)]) -> Result<Theme, Error> {
        Theme::new(
            files
                .iter()
                .map(|(n, t)| {
                    (
                        n.to_string(),
                        (PathBuf::from("theme").join(n), t.to_string()),
                    )
                })
                .collect(),
        )
    }

    fn render(theme: &Theme, name: &str, values: Value) -> String {
        theme.render(name, values).unwrap()
    }

    #[test]
    fn the_policy_allows_the_inlined_style_and_script_by_their_hashes() {
        // `printf %s 'x' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            policy("x", "alert(1)"),
            "default-src 'none'; style-src 'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='; \
             script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='; \
             img-src http: https: data:; base-uri 'none'; form-action 'none'"
        );
    }

    #[test]
    fn a_themes_style_changes_the_policy_and_the_digest() {
        let shipped = Theme::shipped();
        let themed = theme(&[("style.css", "body{color:red}")]).unwrap();
        assert_ne!(shipped.csp(), themed.csp());
        assert!(themed.csp().contains(&format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(b"body{color:red}"))
        )));
        assert_ne!(shipped.digest(), themed.digest());
        assert_eq!(shipped.digest(), theme(&[]).unwrap().digest());
    }

    #[test]
    fn every_value_is_escaped_unless_marked_safe_whatever_the_template() {
        let theme = theme(&[(
            "x.html",
            "<p title=\"{{ t }}\">{{ t }}|{{ t|e }}|{{ t|safe }}|{{ s }}|{{ n }}|{{ style|length > 0 }}</p>",
        )])
        .unwrap();
        let values = minijinja::context! {
            t => "<b a='1'>\"&",
            s => Value::from_safe_string("<i>ok</i>".into()),
            n => Value::from(()),
        };
        assert_eq!(
            render(&theme, "x.html", values),
            "<p title=\"&lt;b a=&#39;1&#39;&gt;&quot;&amp;\">&lt;b a=&#39;1&#39;&gt;&quot;&amp;\
             |&lt;b a=&#39;1&#39;&gt;&quot;&amp;|<b a='1'>\"&|<i>ok</i>||True</p>"
        );
    }

    #[test]
    fn a_theme_unescapes_a_value_only_with_safe() {
        let theme = theme(&[(
            "x.html",
            "{% autoescape false %}{{ t }}{% endautoescape %}|{% filter safe %}{{ t }}{% endfilter %}\
             |{{ [t, t]|join(\"/\") }}|{{ t|replace(\"x\", \"y\") }}|{{ t|safe }}",
        )])
        .unwrap();
        let page = render(&theme, "x.html", minijinja::context! { t => "<b>" });
        assert_eq!(page.matches("<b>").count(), 1, "{page}");
        assert!(page.ends_with("|<b>"), "{page}");
    }

    #[test]
    fn a_syntax_error_names_the_themes_file_line_and_column() {
        let error = theme(&[("page.html", "<h1>\n  {{ feed.title }\n</h1>")]).unwrap_err();
        let Error::Template {
            file, line, column, ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(file, Path::new("theme/page.html"));
        assert_eq!((*line, *column), (2, 17), "{error}");
    }

    #[test]
    fn a_name_that_does_not_exist_is_an_error_at_its_place() {
        let theme = theme(&[("x.html", "ok\n<p>{{ feed.titel }}</p>")]).unwrap();
        let error = theme
            .render(
                "x.html",
                minijinja::context! { feed => minijinja::context! { title => "t" } },
            )
            .unwrap_err();
        let Error::Template { line, column, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!((*line, *column), (2, 7), "{error}");
    }

    #[test]
    fn an_unknown_asset_or_a_closing_tag_in_the_style_is_refused() {
        let error = theme(&[("styles.css", "")]).unwrap_err();
        assert!(
            error.to_string().contains("style.css, copy.js, feed.xsl"),
            "{error}"
        );
        let error = theme(&[("style.css", "a{}\n</STYLE>")]).unwrap_err();
        assert!(
            matches!(
                error,
                Error::Template {
                    line: 2,
                    column: 1,
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn the_shipped_style_and_script_are_text_an_xml_parser_reads() {
        for (name, text) in ASSETS.iter().take(2) {
            assert!(!text.contains('<') && !text.contains('&'), "{name}");
        }
    }
}
