//! The atomic file write every file feedsmith makes goes through: a temp file in the target's
//! own folder, made durable, then renamed over the target, so a reader (or a killed run) only
//! ever sees the old file or the new one.
//!
//! A build writes many files at once as a [`Batch`]: every temp file is written first, all of
//! them are made durable in one flush, then all are renamed, then the renames are made
//! durable in one more flush. On Linux a flush is one `syncfs(2)` per filesystem touched (one
//! journal commit instead of one per file); elsewhere each temp file is synced as it is
//! written and each folder after the renames. A single file ([`write_atomically`]) is synced
//! on its own.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Error;

/// Temp files start with this, so a later run can recognise and remove leftovers.
pub const TEMP_PREFIX: &str = ".feedsmith-";

/// Temp files end with this.
pub const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `target` through a temp file in `dir` (the target's folder), synced,
/// and a rename.
pub fn write_atomically(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temp = temp_file(dir, bytes, true)?;
    temp.persist(target)
        .map_err(|e| Error::io(target, "replacing", e.error))?;
    Ok(())
}

/// A temp file in `dir` holding `bytes`, world-readable, synced when `sync` is set. It is
/// closed, and removed when dropped unless persisted.
fn temp_file(dir: &Path, bytes: &[u8], sync: bool) -> Result<tempfile::TempPath, Error> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Served files must be world-readable; tempfile's default is owner-only.
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, "creating a temp file in", e))?;
    temp.write_all(bytes)
        .and_then(|()| {
            if sync {
                temp.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .map_err(|e| Error::io(temp.path(), "writing", e))?;
    Ok(temp.into_temp_path())
}

/// A file written to a temp file beside its target, waiting for the batch's rename.
#[derive(Debug)]
pub struct Staged {
    temp: tempfile::TempPath,
    target: PathBuf,
    dir: PathBuf,
}

impl Staged {
    /// The file that will be replaced.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the temp file over its target.
    pub fn rename(self) -> Result<(), Error> {
        let target = self.target;
        self.temp
            .persist(&target)
            .map_err(|e| Error::io(&target, "replacing", e.error))
    }
}

/// Files staged from any thread and put in place together. Only paths are kept: the bytes
/// wait in the temp files. Dropping a batch before [`Batch::flush`] removes its temp files.
#[derive(Debug, Default)]
pub struct Batch {
    staged: Mutex<Vec<Staged>>,
}

impl Batch {
    /// Writes `bytes` to a temp file in `dir` (the folder of `target`), to replace `target`
    /// when the batch is put in place.
    pub fn stage(&self, dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), Error> {
        // Without syncfs, each temp file is synced now, while the bytes are at hand.
        let temp = temp_file(dir, bytes, !cfg!(target_os = "linux"))?;
        let staged = Staged {
            temp,
            target: target.to_path_buf(),
            dir: dir.to_path_buf(),
        };
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(staged);
        Ok(())
    }

    /// Makes every staged temp file durable and hands them over for renaming, with the
    /// folders that hold them (for [`settle`]). Nothing is renamed yet, so a crash until the
    /// renames leaves every target as it was.
    pub fn flush(self) -> Result<(Vec<Staged>, BTreeSet<PathBuf>), Error> {
        let staged = self.staged.into_inner().unwrap_or_else(|e| e.into_inner());
        let dirs: BTreeSet<PathBuf> = staged.iter().map(|s| s.dir.clone()).collect();
        if cfg!(target_os = "linux") {
            sync_filesystems(&dirs)?;
        }
        Ok((staged, dirs))
    }
}

/// Makes the renames and removals done in `dirs` durable.
pub fn settle(dirs: &BTreeSet<PathBuf>) -> Result<(), Error> {
    #[cfg(target_os = "linux")]
    {
        sync_filesystems(dirs)
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        for dir in dirs {
            fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| Error::io(dir, "syncing", e))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        // Folders cannot be synced here; renames are durable when the system says so.
        let _ = dirs;
        Ok(())
    }
}

/// Flushes every filesystem that holds one of `dirs` to disk: one `syncfs` each.
#[cfg(target_os = "linux")]
fn sync_filesystems(dirs: &BTreeSet<PathBuf>) -> Result<(), Error> {
    use std::os::unix::fs::MetadataExt;
    let mut devices = BTreeSet::new();
    for dir in dirs {
        let folder = fs::File::open(dir).map_err(|e| Error::io(dir, "opening", e))?;
        let device = folder
            .metadata()
            .map_err(|e| Error::io(dir, "reading", e))?
            .dev();
        if devices.insert(device) {
            rustix::fs::syncfs(&folder)
                .map_err(|e| Error::io(dir, "syncing the filesystem of", e.into()))?;
        }
    }
    Ok(())
}

/// Elsewhere the temp files were synced as they were written.
#[cfg(not(target_os = "linux"))]
fn sync_filesystems(_dirs: &BTreeSet<PathBuf>) -> Result<(), Error> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_replace_their_targets_only_when_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.xml");
        fs::write(&target, "old").unwrap();
        let batch = Batch::default();
        batch.stage(dir.path(), &target, b"new").unwrap();
        assert_eq!(
            fs::read(&target).unwrap(),
            b"old",
            "staging changes nothing"
        );
        let (staged, dirs) = batch.flush().unwrap();
        assert_eq!(
            fs::read(&target).unwrap(),
            b"old",
            "flushing changes nothing"
        );
        for s in staged {
            s.rename().unwrap();
        }
        settle(&dirs).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn a_batch_dropped_before_its_renames_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.xml");
        let batch = Batch::default();
        batch.stage(dir.path(), &target, b"new").unwrap();
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "the temp file"
        );
        drop(batch);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let batch = Batch::default();
        batch.stage(dir.path(), &target, b"new").unwrap();
        drop(batch.flush().unwrap());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
