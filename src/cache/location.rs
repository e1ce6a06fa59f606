//! Where a cache lives, what it is keyed by, and how a file version is recognised cheaply.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::hash::{build_id, hash, Hash};
use crate::paths::{absolute, is_within};

/// Bumped whenever the layout of a cache file or what it means changes.
pub(super) const FORMAT: u32 = 4;

/// Where a cache lives and what it is keyed by.
#[derive(Debug, Clone)]
pub struct Location {
    pub(super) records: PathBuf,
    pub(super) outputs: PathBuf,
    pub(super) key: Hash,
}

impl Location {
    /// The cache for building `input` into `output` under `dir`. `settings` hashes every
    /// setting that changes what a file parses to.
    pub fn new(dir: &Path, input: &Path, output: &Path, settings: Hash) -> Result<Location, Error> {
        if is_within(dir, output) {
            return Err(Error::config(
                None,
                format!(
                    "the cache folder {} is inside the output folder {}, which is served to readers; choose another with --cache-dir",
                    dir.display(),
                    output.display()
                ),
            ));
        }
        // Absolute, so one cache folder can serve builds run from anywhere.
        let pair = hash(
            format!(
                "{}\n{}",
                absolute(input).display(),
                absolute(output).display()
            )
            .as_bytes(),
        );
        let stem = format!("{:016x}", pair as u64);
        Ok(Location {
            records: dir.join(format!("{stem}.records")),
            outputs: dir.join(format!("{stem}.outputs")),
            key: hash(&[settings.to_le_bytes(), build_id().to_le_bytes()].concat()),
        })
    }
}

/// Identifies a file version cheaply: what `stat` says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Stamp {
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    inode: u64,
}

impl Stamp {
    /// The stamp of the file at `path`, where the platform gives a change time (Unix);
    /// elsewhere every file is identified by its content hash alone.
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = fs::metadata(path).ok()?;
            Some(Stamp {
                size: meta.size(),
                mtime: (meta.mtime(), meta.mtime_nsec()),
                ctime: (meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
    }

    /// True when the file may have changed within the same clock tick as a build that
    /// started at `started` (seconds since 1970), so its stamp alone proves nothing.
    pub(super) fn racy(&self, started: i64) -> bool {
        self.ctime.0 >= started - 1 || self.mtime.0 >= started - 1
    }
}

/// The time to stamp a new cache with: now, in seconds since 1970.
pub(super) fn start_time() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_inside_the_output_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        let err = Location::new(&out.join("cache"), dir.path(), &out, 0).unwrap_err();
        assert!(
            err.to_string().contains("inside the output folder"),
            "{err}"
        );
        assert!(Location::new(&dir.path().join("cache"), dir.path(), &out, 0).is_ok());
    }

    #[test]
    fn a_file_changed_in_the_tick_of_the_build_is_not_trusted_by_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "x").unwrap();
        let stamp = Stamp::of(&path).unwrap();
        let changed = stamp.mtime.0.max(stamp.ctime.0);
        assert!(
            stamp.racy(changed),
            "a build that started when the file changed"
        );
        assert!(
            stamp.racy(changed + 1),
            "a build that started a second later"
        );
        assert!(!stamp.racy(changed + 2), "a build that started well after");
    }
}
