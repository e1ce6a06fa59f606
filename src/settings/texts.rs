//! A desk's own words for its feeds: the settings' `topics:`, `providers:` and `categories:`
//! maps give a group, by its name, its own `title`, `description` and `icon`, in place of the
//! ones made from the site's title and the group's name.
//!
//! Names match in any letter case, as the feeds do. This module only reads and checks the
//! maps; [`crate::feed`] applies them and warns about a name that matches no group.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::group::{identity, Kind};
use crate::text::{clean_line, web_url};

/// A feed's own text, each part optional: what is left out keeps its made-up default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The whole feed title (not prefixed with the site's title).
    pub title: Option<String>,
    /// One sentence on what the feed holds.
    pub description: Option<String>,
    /// A square image for the feed (an absolute http(s) URL), in place of the site's `icon`.
    pub icon: Option<String>,
}

impl Text {
    /// Checks and tidies the parts; `key` names the entry in an error (`topics."AI"`).
    pub(super) fn clean(self, key: &str) -> Result<Text, String> {
        let line = |s: Option<String>| s.map(|s| clean_line(&s)).filter(|s| !s.is_empty());
        let icon = self
            .icon
            .map(|raw| web_url(&raw).map_err(|why| format!("`{key}.icon` {raw:?} {why}")))
            .transpose()?;
        Ok(Text {
            title: line(self.title),
            description: line(self.description),
            icon,
        })
    }
}

/// One group's own text, with where the settings file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The group's kind (the map it is in).
    pub kind: Kind,
    /// Its name, as written.
    pub name: String,
    /// The line and column of the name in the settings file, when it could be found.
    pub at: Option<(usize, usize)>,
    /// Its text.
    pub text: Text,
}

/// Every group's own text, by kind and the [`identity`] of its name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    named: BTreeMap<(Kind, String), Named>,
    source: Option<PathBuf>,
}

/// The three maps, as written.
pub(super) type Written = BTreeMap<String, Text>;

impl Texts {
    /// Checks the maps of each kind; `source` is the text of the settings file at `path`, for
    /// finding the line of each name. Two names that differ only in letter case are an error.
    pub(super) fn resolve(
        maps: [(Kind, Option<Written>); 3],
        source: &str,
        path: Option<&Path>,
    ) -> Result<Texts, String> {
        let mut named = BTreeMap::new();
        for (kind, map) in maps {
            let folder = kind.folder();
            for (name, text) in map.unwrap_or_default() {
                let key = format!("{folder}.{name:?}");
                let text = text.clean(&key)?;
                let entry = Named {
                    kind,
                    at: locate(source, folder, &name),
                    name,
                    text,
                };
                if let Some(earlier) = named.insert((kind, identity(&entry.name)), entry.clone()) {
                    return Err(format!(
                        "`{folder}` names {:?} and {:?}, which are one {} (names match in any \
                         letter case): keep one of them",
                        earlier.name,
                        entry.name,
                        kind.noun()
                    ));
                }
            }
        }
        Ok(Texts {
            named,
            source: path.map(Path::to_path_buf),
        })
    }

    /// The settings file the texts come from.
    pub fn source(&self) -> Option<&PathBuf> {
        self.source.as_ref()
    }

    /// The text the settings give the group of `kind` whose name has the identity `id`.
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Text> {
        self.named.get(&(kind, id.to_string())).map(|n| &n.text)
    }

    /// Every named group, by kind, then name identity.
    pub fn iter(&self) -> impl Iterator<Item = &Named> {
        self.named.values()
    }

    /// True when no group has text of its own.
    pub fn is_empty(&self) -> bool {
        self.named.is_empty()
    }
}

/// The line and column (1-based) of `name` as a key in the top-level block `block:` of the
/// settings text: the first indented line in that block whose key, quotes removed, is
/// `name`. `None` when the map was written in flow style or the name otherwise not found.
fn locate(source: &str, block: &str, name: &str) -> Option<(usize, usize)> {
    let mut inside = false;
    for (i, line) in source.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if indent == 0 {
            inside = trimmed
                .strip_prefix(block)
                .is_some_and(|rest| rest.trim_start().starts_with(':'));
            continue;
        }
        if !inside {
            continue;
        }
        let Some((key, _)) = trimmed.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        if key == name {
            return Some((i + 1, indent + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(yaml: &str) -> Result<Texts, String> {
        #[derive(Deserialize)]
        struct File {
            topics: Option<Written>,
            providers: Option<Written>,
            categories: Option<Written>,
        }
        let file: File = serde_yaml::from_str(yaml).unwrap();
        Texts::resolve(
            [
                (Kind::Topic, file.topics),
                (Kind::Provider, file.providers),
                (Kind::Category, file.categories),
            ],
            yaml,
            None,
        )
    }

    #[test]
    fn names_are_found_by_kind_and_any_case_with_their_line() {
        let yaml = "title: x\ntopics:\n  # a comment\n  \"AI\":\n    title: Machine learning\nproviders:\n  The Verge: {description: \"  Gadgets\\n and more \"}\n";
        let texts = resolve(yaml).unwrap();
        let ai = texts.get(Kind::Topic, "ai").unwrap();
        assert_eq!(ai.title.as_deref(), Some("Machine learning"));
        let verge = texts.get(Kind::Provider, "the verge").unwrap();
        assert_eq!(verge.description.as_deref(), Some("Gadgets and more"));
        assert!(texts.get(Kind::Category, "ai").is_none());
        let at: Vec<_> = texts.iter().map(|n| (n.name.as_str(), n.at)).collect();
        assert_eq!(
            at,
            [("AI", Some((4, 3))), ("The Verge", Some((7, 3)))],
            "each name's line and column"
        );
    }

    #[test]
    fn a_bad_icon_or_a_repeated_name_is_an_error_naming_the_key() {
        let err = resolve("categories:\n  tech:\n    icon: /icon.png\n").unwrap_err();
        assert!(
            err.starts_with("`categories.\"tech\".icon` \"/icon.png\""),
            "{err}"
        );
        let err = resolve("topics:\n  AI: {title: a}\n  ai: {title: b}\n").unwrap_err();
        assert!(
            err.contains("\"AI\" and \"ai\", which are one topic"),
            "{err}"
        );
        let err = serde_yaml::from_str::<Written>("AI: {titel: a}").unwrap_err();
        assert!(err.to_string().contains("unknown field `titel`"), "{err}");
    }
}
