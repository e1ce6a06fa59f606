//! The article as written: a loose serde mirror of the front matter, before any validation.
//!
//! Every field is optional here; [`crate::entry`] decides what is required. Unknown fields are
//! allowed, since documents carry fields of their own, but the parse says which keys it did
//! not read, so that a misspelled one is named ([`keys`]) rather than silently ignored. The
//! `secured` blob is recognised but its value is discarded while parsing, so it never exists
//! in memory past the YAML parser and cannot reach any output.

pub mod fast;
pub mod keys;
pub mod locate;
mod model;
mod nesting;
mod reference;
mod yaml_error;

pub use model::{Article, Image, Parsed, Provider, Related, Score, Secured, Text};
pub use reference::reference;

use crate::problem::{Problem, ProblemKind};
use crate::source::Document;
use keys::{Level, Verdict};
use locate::Step;

impl Parsed<'_> {
    /// The problems with the keys not read: a near miss of a known key, or another
    /// generator's key, named at its line and column with the key meant. Errors for a key
    /// that may decide publication (`pubished`, `draft`), warnings for the rest; the others
    /// are the author's own fields, and pass.
    pub fn key_problems(&self, doc: &Document) -> Vec<Problem> {
        let mut problems = Vec::new();
        for path in &self.unread {
            let Some((Step::Key(key), parent)) = path.split_last() else {
                continue;
            };
            let Some(verdict) = Level::of(parent).and_then(|level| keys::judge(level, key)) else {
                continue;
            };
            let shown = locate::display(path);
            let problem = match (&verdict, verdict.decides_publication()) {
                (Verdict::NearMiss(meant), true) => Problem::error(
                    &doc.path,
                    ProblemKind::NearMiss,
                    format!(
                        "`{shown}` is not a key feedsmith reads: did you mean `{meant}`? The article is held back, since guessing wrong could publish what must not be; rename the key"
                    ),
                ),
                (Verdict::NearMiss(meant), false) => Problem::warning(
                    &doc.path,
                    ProblemKind::NearMiss,
                    format!("`{shown}` is not a key feedsmith reads, so it is ignored: did you mean `{meant}`?"),
                ),
                (Verdict::Foreign(instead), true) => Problem::error(
                    &doc.path,
                    ProblemKind::ForeignKey,
                    format!(
                        "`{shown}` is another generator's key, which feedsmith does not read: {instead}. The article is held back until the key is replaced, since guessing wrong could publish what must not be"
                    ),
                ),
                (Verdict::Foreign(instead), false) => Problem::warning(
                    &doc.path,
                    ProblemKind::ForeignKey,
                    format!("`{shown}` is another generator's key, so feedsmith ignores it: write {instead}"),
                ),
            };
            problems.push(match locate::key(doc.front_matter(), path) {
                Some((line, column)) => problem.at(doc.front_line + line - 1, column),
                None => problem,
            });
        }
        problems
    }
}

impl Article<'_> {
    /// Parses a document's front matter. YAML errors name the file's own line and column.
    pub fn parse(doc: &Document) -> Result<Parsed<'_>, Problem> {
        let front = doc.front_matter();
        if front.trim().is_empty() {
            return Err(Problem::error(
                &doc.path,
                ProblemKind::FrontMatter,
                "the front matter is empty: it needs at least title, webUrl and publishedDateTime",
            )
            .at(doc.front_line, 1));
        }
        // The fast path first: it answers only for documents it is sure of, and never with
        // an error, so the guard and yaml_serde below still see every invalid one.
        if fast::enabled() {
            if let Some(parsed) = fast::parse(front) {
                return Ok(parsed);
            }
        }
        if let Some((line, column)) = nesting::too_deep(front, nesting::MAX_DEPTH) {
            return Err(Problem::error(
                &doc.path,
                ProblemKind::TooDeep,
                format!(
                    "the front matter nests more than {} levels deep here; an article needs a \
                     few at most: look for unclosed or repeated `[`, `{{` or `- `",
                    nesting::MAX_DEPTH
                ),
            )
            .at(doc.front_line + line - 1, column));
        }
        reference(front).map_err(|e| {
            // yaml_serde says where its parser gave up, in libyaml's words; say what is
            // wrong, and where it starts, in the author's.
            let at = e.location().map(|loc| (loc.line(), loc.column()));
            let found = yaml_error::explain(front, &e.to_string(), at);
            Problem::error(&doc.path, ProblemKind::Yaml, plain_words(&found.message))
                .at(doc.front_line + found.line - 1, found.column)
        })
    }
}

/// Says serde's Rust type names in words an article's author knows.
fn plain_words(message: &str) -> String {
    message
        .replace(
            "expected struct Article",
            "expected a mapping of `key: value` lines",
        )
        .replace("expected struct ", "expected a mapping for ")
        .replace("expected f64", "expected a number")
        .replace("invalid value: floating point ", "invalid value ")
        .replace("expected u32", "expected a whole number (0 to 4294967295)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Result<Article<'static>, Problem> {
        // The article borrows from its document, which a test may as well keep for good.
        let doc = Document::parse(Path::new("a.txt"), text.as_bytes().to_vec()).unwrap();
        Article::parse(Box::leak(Box::new(doc))).map(|p| p.article)
    }

    #[test]
    fn reads_camel_case_fields_and_ignores_unknown_ones() {
        let a = parse(
            "---\ntitle: T\nwebUrl: https://e.com/a\npublishedDateTime: 2022-05-26T22:46:00Z\nshiny: 3\n---\n",
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.web_url.as_deref(), Some("https://e.com/a"));
        assert_eq!(
            a.published_date_time.as_deref(),
            Some("2022-05-26T22:46:00Z")
        );
    }

    #[test]
    fn secured_is_accepted_in_any_shape_and_kept_nowhere() {
        let a = parse("---\ntitle: T\nsecured: {a: [1, 2]}\n---\n").unwrap();
        assert_eq!(a.secured, Some(Secured));
    }

    #[test]
    fn yaml_errors_carry_the_file_line_and_column() {
        let p = parse("---\ntitle: T\ntopics: [a, b\n---\n").unwrap_err();
        assert_eq!(p.kind, "yaml");
        assert!(p.line.unwrap() >= 3, "{p}");
        assert!(!p.message.contains(" at line "), "{}", p.message);
    }

    #[test]
    fn wrong_types_are_errors_with_a_position() {
        let p = parse("---\ntitle: T\npublished: \"false\"\n---\n").unwrap_err();
        assert_eq!(p.line, Some(3), "{p}");
        assert!(p.message.contains("published"), "{}", p.message);
    }

    #[test]
    fn negative_infinite_and_non_numeric_scores_are_errors_at_the_value() {
        for (value, column) in [
            ("-1", 10),
            (".inf", 10),
            (".nan", 10),
            ("high", 10),
            ("\"80\"", 10),
        ] {
            let p = parse(&format!("---\ntitle: T\nquality: {value}\n---\n")).unwrap_err();
            assert_eq!((p.line, p.column), (Some(3), Some(column)), "{value}: {p}");
            assert!(p.message.contains("quality"), "{value}: {}", p.message);
        }
        let p = parse("---\ntitle: T\nheat: -0.5\n---\n").unwrap_err();
        assert_eq!(p.line, Some(3), "{p}");
        assert!(
            p.message.contains("a finite number, zero or more"),
            "{}",
            p.message
        );
        let a = parse("---\ntitle: T\nquality: 0\nheat: 12.5\n---\n").unwrap();
        assert_eq!(a.quality.map(Score::get), Some(0.0));
        assert_eq!(a.heat.map(Score::get), Some(12.5));
    }
}
