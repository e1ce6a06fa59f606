//! The served-file model: every file of the last good build with the validators it is served
//! with, and how the next build's files replace them.
//!
//! Whether a file changed is not decided here: each file arrives with the
//! [`Status`] that [`crate::Output::write`] gave it, the crate's one change-detection
//! rule. A file `Unchanged` keeps its entry, so its `ETag` and `Last-Modified`.

use std::collections::BTreeMap;
use std::path::{Component, Path};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use headers::ETag;

use crate::output::Status;
use crate::render::File;

/// One served file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The file's bytes.
    pub bytes: Bytes,
    /// Its strong entity tag: a BLAKE3 hash of the bytes, quoted.
    pub etag: ETag,
    /// When these bytes were first served, to the whole second (HTTP dates have no finer
    /// resolution).
    pub modified: SystemTime,
}

/// The strong entity tag of `bytes`: `"<32 hex digits>"` of [`crate::hash::hash`].
pub(super) fn etag(bytes: &[u8]) -> ETag {
    format!("\"{:032x}\"", crate::hash::hash(bytes))
        .parse()
        .expect("quoted hex digits are an entity tag")
}

/// The served files, by path relative to the output root with `/` separators
/// (`rss.xml`, `topics/ai/atom.xml`). Requests are answered only from this map, so no
/// request path can reach any other file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    files: BTreeMap<String, Served>,
}

/// What a rebuild changed, by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Paths new in this build.
    pub added: Vec<String>,
    /// Paths whose bytes changed.
    pub changed: Vec<String>,
    /// Paths gone from this build.
    pub removed: Vec<String>,
    /// How many paths kept their bytes (and so their `ETag` and `Last-Modified`).
    pub unchanged: usize,
}

impl Files {
    /// The files of the next build, each with its [`Status`] against the files served now.
    /// An `Unchanged` file keeps its entry; any other gets `now` as its `Last-Modified`
    /// (always later than the one it replaces, so `If-Modified-Since` never hides a change
    /// made within the same second). A path this build did not write is gone.
    pub fn update(
        &self,
        build: impl IntoIterator<Item = (File, Status)>,
        now: SystemTime,
    ) -> (Files, Changes) {
        let now = whole_seconds(now);
        let mut changes = Changes::default();
        let mut next = BTreeMap::new();
        for (file, status) in build {
            let Some(key) = key(&file.path) else { continue };
            let served = match (self.files.get(&key), status) {
                (Some(old), Status::Unchanged) => {
                    changes.unchanged += 1;
                    old.clone()
                }
                (old, _) => {
                    let modified = match old {
                        Some(old) if old.modified >= now => old.modified + Duration::from_secs(1),
                        _ => now,
                    };
                    let list = if old.is_some() {
                        &mut changes.changed
                    } else {
                        &mut changes.added
                    };
                    list.push(key.clone());
                    Served {
                        etag: etag(&file.bytes),
                        bytes: Bytes::from(file.bytes),
                        modified,
                    }
                }
            };
            next.insert(key, served);
        }
        changes.added.sort();
        changes.changed.sort();
        changes.removed = self
            .files
            .keys()
            .filter(|k| !next.contains_key(*k))
            .cloned()
            .collect();
        (Files { files: next }, changes)
    }

    /// The file at `path` (relative, `/`-separated, not percent-encoded).
    pub fn get(&self, path: &str) -> Option<&Served> {
        self.files.get(path)
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when there is no file (before the first good build).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A relative output path as a map key: its plain components joined by `/`.
fn key(path: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn whole_seconds(time: SystemTime) -> SystemTime {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, build, served};
    use super::*;

    #[test]
    fn unchanged_files_keep_their_validators() {
        let one = served(&[("rss.xml", "a"), ("topics/x/rss.xml", "b")], 100);
        let mut next = build(&[("rss.xml", "a2")], Status::Written);
        next.extend(build(
            &[("topics/y/rss.xml", "c"), ("feed.xsl", "s")],
            Status::Written,
        ));
        let (two, changes) = one.update(next, at(100));
        assert_eq!(changes.changed, ["rss.xml"]);
        assert_eq!(changes.added, ["feed.xsl", "topics/y/rss.xml"]);
        assert_eq!(changes.removed, ["topics/x/rss.xml"]);
        assert_eq!(changes.unchanged, 0);
        // Changed within the same second: still strictly later.
        assert_eq!(two.get("rss.xml").unwrap().modified, at(101));
        assert_ne!(
            two.get("rss.xml").unwrap().etag,
            one.get("rss.xml").unwrap().etag
        );
        let same = [
            ("rss.xml", "a2"),
            ("topics/y/rss.xml", "c"),
            ("feed.xsl", "s"),
        ];
        let (three, changes) = two.update(build(&same, Status::Unchanged), at(500));
        assert_eq!(changes.unchanged, 3);
        assert_eq!(three, two);
    }

    #[test]
    fn an_unchanged_file_that_was_not_served_is_new() {
        // Gone in one build, back with its old bytes in the next: served afresh.
        let (files, changes) =
            Files::default().update(build(&[("rss.xml", "a")], Status::Unchanged), at(7));
        assert_eq!(changes.added, ["rss.xml"]);
        assert_eq!(files.get("rss.xml").unwrap().modified, at(7));
    }

    #[test]
    fn paths_that_leave_the_root_are_never_served() {
        let files = served(
            &[("../x.xml", "a"), ("/etc/y.xml", "b"), ("./z.xml", "c")],
            0,
        );
        assert_eq!(files.paths().collect::<Vec<_>>(), ["z.xml"]);
    }
}
