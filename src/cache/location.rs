//! Where a cache lives, what it is keyed by, and how a file version is recognised cheaply.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::hash::{build_id, hash, running_exe, Hash};
use crate::paths::{absolute, is_within};

/// Bumped whenever the layout of a cache file or what it means changes.
pub(super) const FORMAT: u32 = 6;

/// The file in the cache folder that remembers the running program's id ([`build_id`]) by
/// the executable's stamp, so the executable is hashed once, not on every build.
const PROGRAM: &str = "program-id";

/// Where a cache lives and what it is keyed by.
#[derive(Debug, Clone)]
pub(crate) struct Location {
    pub(super) records: PathBuf,
    pub(super) outputs: PathBuf,
    pub(super) memo: PathBuf,
    /// What the last build chose, for the memo (see `memo.rs`).
    pub(super) selection: PathBuf,
    pub(super) key: Hash,
}

impl Location {
    /// The cache for building `input` into `output` under `dir`. `settings` hashes every
    /// setting that changes what a file parses to.
    pub(crate) fn new(
        dir: &Path,
        input: &Path,
        output: &Path,
        settings: Hash,
    ) -> Result<Location, Error> {
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
            memo: dir.join(format!("{stem}.memo")),
            selection: dir.join(format!("{stem}.selection")),
            key: hash(&[settings.to_le_bytes(), program_id(dir).to_le_bytes()].concat()),
        })
    }
}

/// The running program's id, as remembered in `dir` when the executable is provably the one
/// hashed then, else hashed now (and remembered).
fn program_id(dir: &Path) -> Hash {
    match running_exe() {
        Ok(exe) => remembered_id(&exe, &dir.join(PROGRAM), start_time(), build_id),
        Err(_) => build_id(),
    }
}

/// The id of the executable at `exe`: the one `memo` holds when it was saved for the same
/// stamp, and that stamp is not racy with the save; else `compute()`, saved in `memo` with
/// `now`. A file that cannot be stamped is always computed.
fn remembered_id(exe: &Path, memo: &Path, now: i64, compute: impl FnOnce() -> Hash) -> Hash {
    let Some(stamp) = Stamp::of(exe) else {
        return compute();
    };
    let saved = fs::read(memo)
        .ok()
        .and_then(|bytes| postcard::from_bytes::<(u32, Stamp, i64, Hash)>(&bytes).ok());
    if let Some((format, old, saved_at, id)) = saved {
        if format == FORMAT && old == stamp && !stamp.racy(saved_at) {
            return id;
        }
    }
    let id = compute();
    // Remembering only saves time next run, so a failure to save is no error.
    if let (Some(dir), Ok(bytes)) = (
        memo.parent(),
        postcard::to_stdvec(&(FORMAT, stamp, now, id)),
    ) {
        let _ = fs::create_dir_all(dir)
            .and_then(|()| crate::atomic::write_atomically(dir, memo, &bytes));
    }
    id
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
        Stamp::from_metadata(&fs::metadata(path).ok()?)
    }

    /// The stamp of a walked file at `path`: through `entry`, its folder entry when the walk
    /// gave one (read relative to the open folder, cheaper), else by the path (a link is so
    /// stamped as the file it leads to).
    pub(super) fn of_walked(path: &Path, entry: Option<&fs::DirEntry>) -> Option<Stamp> {
        match entry {
            Some(entry) => Stamp::from_metadata(&entry.metadata().ok()?),
            None => Stamp::of(path),
        }
    }

    /// The stamp `meta` gives, where the platform gives a change time (Unix).
    pub(super) fn from_metadata(meta: &fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Stamp {
                size: meta.size(),
                mtime: (meta.mtime(), meta.mtime_nsec()),
                ctime: (meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// The file's length in bytes.
    pub(super) fn size(&self) -> u64 {
        self.size
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

    /// Asks for the id of `exe` as a build at `now` would, returning it and whether the
    /// executable was hashed.
    fn id_at(exe: &Path, memo: &Path, now: i64) -> (Hash, bool) {
        let mut hashed = false;
        let id = remembered_id(exe, memo, now, || {
            hashed = true;
            hash(&fs::read(exe).unwrap())
        });
        (id, hashed)
    }

    #[test]
    fn the_program_id_is_remembered_while_the_executable_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let (exe, memo) = (dir.path().join("feedsmith"), dir.path().join(PROGRAM));
        fs::write(&exe, "build one").unwrap();
        let later = Stamp::of(&exe).unwrap().ctime.0 + 10;
        let (first, hashed) = id_at(&exe, &memo, later);
        assert!(hashed, "nothing remembered yet");
        assert_eq!(first, hash(b"build one"));
        assert_eq!(id_at(&exe, &memo, later + 5), (first, false));
    }

    #[test]
    fn a_replaced_executable_is_hashed_again_even_with_the_same_size_and_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let (exe, memo) = (dir.path().join("feedsmith"), dir.path().join(PROGRAM));
        fs::write(&exe, "build one").unwrap();
        let modified = fs::metadata(&exe).unwrap().modified().unwrap();
        let first = Stamp::of(&exe).unwrap();
        let later = first.ctime.0 + 10;
        id_at(&exe, &memo, later);
        fs::write(&exe, "build two").unwrap();
        let set_back = || {
            fs::File::options()
                .write(true)
                .open(&exe)
                .unwrap()
                .set_modified(modified)
                .unwrap();
        };
        set_back();
        // Two writes within one tick of the file system's clock share a change time (where
        // timestamps are coarse); until the tick has passed, set the mtime back again.
        let give_up = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while Stamp::of(&exe).unwrap().ctime == first.ctime {
            assert!(
                std::time::Instant::now() < give_up,
                "the change time never moved"
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
            set_back();
        }
        let second = Stamp::of(&exe).unwrap();
        assert_eq!(
            (second.size, second.mtime, second.inode),
            (first.size, first.mtime, first.inode),
            "only the change time tells"
        );
        let (id, hashed) = id_at(&exe, &memo, later + 5);
        assert!(hashed, "the change time differs");
        assert_eq!(id, hash(b"build two"));
    }

    #[test]
    fn an_executable_changed_in_the_tick_the_id_was_saved_is_hashed_again() {
        let dir = tempfile::tempdir().unwrap();
        let (exe, memo) = (dir.path().join("feedsmith"), dir.path().join(PROGRAM));
        fs::write(&exe, "build one").unwrap();
        let changed = Stamp::of(&exe).unwrap().ctime.0;
        id_at(&exe, &memo, changed);
        assert!(id_at(&exe, &memo, changed + 10).1, "saved in the racy tick");
        assert!(!id_at(&exe, &memo, changed + 20).1);
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
