//! The feed side of the cache: for every feed file written, the signature of what it was
//! made from and the file's stamp right after, so an up-to-date, untouched file need not even
//! be rendered.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::location::{Location, Stamp, FORMAT};
use crate::error::{Error, Role, CREATING};
use crate::feed::{Chosen, Slugs};
use crate::hash::Hash;
use crate::render::{Cut, GENERATOR};
use crate::settings::Settings;

/// Signs feeds: a digest of everything a feed's files are made from: the program, the site,
/// the feed's group, and each entry's file content and topic slugs. Equal signatures render
/// equal bytes. What every feed shares is hashed once, in [`Signer::new`].
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    shared: blake3::Hasher,
}

impl Signer {
    /// A signer for the feeds of a build with `settings`.
    pub(crate) fn new(settings: &Settings) -> Signer {
        let mut shared = blake3::Hasher::new();
        // What an entry carries and the size budget change the bytes too; so may a curated
        // feed's own content setting.
        shared.update(
            format!(
                "{GENERATOR}\n{:?}\n{}\n{:?}\n{}\n{:?}\n",
                settings.site,
                settings.limit,
                settings.content,
                settings.max_feed_bytes,
                settings
                    .curated
                    .iter()
                    .map(|c| c.content)
                    .collect::<Vec<_>>()
            )
            .as_bytes(),
        );
        Signer { shared }
    }

    /// The signature of a feed's page: the feed's `signature` and the digest of the `theme`
    /// its template comes from, so a changed template renders the pages again, not the feeds.
    pub(crate) fn page(signature: Hash, theme: Hash) -> Hash {
        let mut h = blake3::Hasher::new();
        h.update(b"page\n");
        h.update(&signature.to_le_bytes());
        h.update(&theme.to_le_bytes());
        u128::from_le_bytes(h.finalize().as_bytes()[..16].try_into().expect("16 bytes"))
    }

    /// The signature of `chosen`'s feed files; `None` when an entry's content hash is
    /// unknown (it was read without a cache): such a feed is always rendered.
    pub(crate) fn sign(&self, chosen: &Chosen, slugs: &Slugs) -> Option<Hash> {
        // Gathered first and hashed in one update: many tiny updates cost more.
        let mut bytes =
            format!("{:?}\n{}\n", chosen.group, chosen.updated.to_rfc3339()).into_bytes();
        for c in &chosen.entries {
            bytes.extend_from_slice(&c.hash?.to_le_bytes());
            bytes.extend_from_slice(c.id.as_bytes());
            for t in &c.topics {
                bytes.extend_from_slice(slugs.get(t).unwrap_or("").as_bytes());
                bytes.push(b'\n');
            }
        }
        let mut h = self.shared.clone();
        h.update(&bytes);
        Some(u128::from_le_bytes(
            h.finalize().as_bytes()[..16].try_into().expect("16 bytes"),
        ))
    }
}

/// Which feed files are current, and what this build wrote.
#[derive(Debug)]
pub(crate) struct Feeds {
    location: Option<Location>,
    files: BTreeMap<PathBuf, (Hash, Option<Stamp>)>,
    /// What the size budget cut from a feed, by its first file: told again on a build that
    /// finds the feed current and does not render it.
    cuts: BTreeMap<PathBuf, Cut>,
    /// True when `files` differs from the saved index, which then needs saving.
    changed: bool,
}

impl Feeds {
    /// A cache that never calls a file current and saves nothing.
    pub(crate) fn off() -> Feeds {
        Feeds {
            location: None,
            files: BTreeMap::new(),
            cuts: BTreeMap::new(),
            changed: false,
        }
    }

    /// The index at `location` (empty when missing or outdated).
    pub(super) fn open(location: &Location) -> Feeds {
        let saved = fs::read(&location.outputs)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<(u32, String, Hash, Files)>(&bytes).ok())
            .filter(|(format, version, key, _)| {
                *format == FORMAT && version == env!("CARGO_PKG_VERSION") && *key == location.key
            })
            .map(|(.., files)| files);
        Feeds {
            location: Some(location.clone()),
            changed: saved.is_none(),
            files: saved.as_ref().map(|s| s.files.clone()).unwrap_or_default(),
            cuts: saved.map(|s| s.cuts).unwrap_or_default(),
        }
    }

    /// True when every one of `paths` (below `root`) was written with `signature` and is
    /// untouched since.
    pub(crate) fn current(&self, root: &Path, paths: &[PathBuf], signature: Hash) -> bool {
        self.location.is_some()
            && paths.iter().all(|path| {
                self.files.get(path).is_some_and(|(sig, stamp)| {
                    *sig == signature && stamp.is_some() && Stamp::of(&root.join(path)) == *stamp
                })
            })
    }

    /// Records that `path` (below `root`) now holds the feed with `signature`. Call it after
    /// the file is written, so the stamp describes the file as it now is.
    pub(crate) fn wrote(&mut self, root: &Path, path: &Path, signature: Hash) {
        if self.location.is_some() {
            let stamp = Stamp::of(&root.join(path));
            let before = self.files.insert(path.to_path_buf(), (signature, stamp));
            self.changed |= before != Some((signature, stamp));
        }
    }

    /// What the size budget cut from the feed whose first file is `path`, as the build that
    /// wrote it found.
    pub(crate) fn cut(&self, path: &Path) -> Option<Cut> {
        self.cuts.get(path).copied()
    }

    /// Notes what the size budget cut (`None`: nothing) from the feed whose first file is
    /// `path`, as this build rendered it.
    pub(crate) fn note_cut(&mut self, path: &Path, cut: Option<Cut>) {
        if self.location.is_none() {
            return;
        }
        let before = match cut {
            Some(cut) => self.cuts.insert(path.to_path_buf(), cut),
            None => self.cuts.remove(path),
        };
        self.changed |= before != cut;
    }

    /// Forgets `path`: it was written from entries whose signature is unknown.
    pub(crate) fn forget(&mut self, path: &Path) {
        self.changed |= self.files.remove(path).is_some();
    }

    /// Keeps only the paths in `keep`, and saves the index atomically, unless it is the
    /// saved one already.
    pub(crate) fn save(mut self, keep: &BTreeSet<PathBuf>) -> Result<(), Error> {
        let Some(location) = self.location else {
            return Ok(());
        };
        let before = self.files.len();
        self.files.retain(|p, _| keep.contains(p));
        self.cuts.retain(|p, _| keep.contains(p));
        if !self.changed && self.files.len() == before {
            return Ok(());
        }
        let bytes = postcard::to_stdvec(&(
            FORMAT,
            env!("CARGO_PKG_VERSION"),
            location.key,
            Files {
                files: self.files,
                cuts: self.cuts,
            },
        ))
        .map_err(|e| Error::io(&location.outputs, "encoding", std::io::Error::other(e)))?;
        let dir = location.outputs.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| Error::at(Role::Cache, dir, CREATING, e))?;
        crate::atomic::write_atomically(dir, &location.outputs, &bytes)
            .map_err(|e| Error::at(Role::Cache, dir, "writing", e))
    }
}

/// The index as stored.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Files {
    files: BTreeMap<PathBuf, (Hash, Option<Stamp>)>,
    cuts: BTreeMap<PathBuf, Cut>,
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;

    fn setup() -> (tempfile::TempDir, Location, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("rss.xml"), "feed").unwrap();
        let location = Location::new(&dir.path().join("cache"), dir.path(), &root, 1).unwrap();
        (dir, location, root)
    }

    #[test]
    fn a_file_written_with_the_same_signature_and_untouched_is_current() {
        let (_dir, location, root) = setup();
        let paths = [PathBuf::from("rss.xml")];
        let mut feeds = Feeds::open(&location);
        assert!(!feeds.current(&root, &paths, 42), "nothing known yet");
        feeds.wrote(&root, &paths[0], 42);
        feeds.save(&paths.iter().cloned().collect()).unwrap();
        let feeds = Feeds::open(&location);
        assert!(feeds.current(&root, &paths, 42));
        assert!(!feeds.current(&root, &paths, 43), "another signature");
    }

    #[test]
    fn a_file_touched_since_it_was_written_is_not_current() {
        let (_dir, location, root) = setup();
        let paths = [PathBuf::from("rss.xml")];
        let mut feeds = Feeds::open(&location);
        feeds.wrote(&root, &paths[0], 42);
        feeds.save(&paths.iter().cloned().collect()).unwrap();
        fs::remove_file(root.join("rss.xml")).unwrap();
        fs::write(root.join("rss.xml"), "edited by hand").unwrap();
        assert!(!Feeds::open(&location).current(&root, &paths, 42));
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_index_is_not_saved_again_and_a_changed_one_is() {
        let (_dir, location, root) = setup();
        let paths = [PathBuf::from("rss.xml")];
        let keep: BTreeSet<PathBuf> = paths.iter().cloned().collect();
        let mut feeds = Feeds::open(&location);
        feeds.wrote(&root, &paths[0], 42);
        feeds.save(&keep).unwrap();
        let saved = fs::metadata(&location.outputs).unwrap().ino();
        Feeds::open(&location).save(&keep).unwrap();
        assert_eq!(fs::metadata(&location.outputs).unwrap().ino(), saved);
        let mut feeds = Feeds::open(&location);
        feeds.wrote(&root, &paths[0], 43);
        feeds.save(&keep).unwrap();
        assert_ne!(fs::metadata(&location.outputs).unwrap().ino(), saved);
        assert!(Feeds::open(&location).current(&root, &paths, 43));
    }

    #[test]
    fn paths_not_kept_are_forgotten_and_an_off_cache_knows_nothing() {
        let (_dir, location, root) = setup();
        let paths = [PathBuf::from("rss.xml")];
        let mut feeds = Feeds::open(&location);
        feeds.wrote(&root, &paths[0], 42);
        feeds.save(&BTreeSet::new()).unwrap();
        assert!(!Feeds::open(&location).current(&root, &paths, 42));
        let mut off = Feeds::off();
        off.wrote(&root, &paths[0], 42);
        assert!(!off.current(&root, &paths, 42));
    }
}
