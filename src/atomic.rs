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
//!
//! A batch's errors name the target, never the temp file (which is gone by then), or the
//! folder when the folder is at fault (it may not be written, or a whole folder is synced);
//! what the path is to the user is the batch's [`Role`]. A single write leaves the naming to
//! its caller.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Role, REPLACING};

/// Temp files start with this, so a later run can recognise and remove leftovers.
pub const TEMP_PREFIX: &str = ".feedsmith-";

/// Temp files end with this.
pub const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `target` through a temp file in `dir` (the target's folder), synced,
/// and a rename.
pub fn write_atomically(dir: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_file(dir, bytes, true)?;
    temp.persist(target).map_err(|e| e.error)
}

/// A temp file in `dir` holding `bytes`, world-readable, synced when `sync` is set. It is
/// closed, and removed when dropped unless persisted. Its errors are the system's own,
/// without the temp file's path.
fn temp_file(dir: &Path, bytes: &[u8], sync: bool) -> io::Result<tempfile::TempPath> {
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .make_in(dir, |path| {
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                // Served files must be world-readable; tempfile's default is owner-only.
                options.mode(0o644);
            }
            options.open(path)
        })?;
    // Through the file itself: tempfile's own writes add the temp path to every error.
    let file = temp.as_file_mut();
    file.write_all(bytes)?;
    if sync {
        file.sync_all()?;
    } else {
        start_writeback(file);
    }
    Ok(temp.into_temp_path())
}

/// Asks the system to start writing `file`'s data to the disk now, without waiting for it:
/// the flush of the batch (one `syncfs` after everything is staged) then finds most of the
/// data already written, instead of writing all of it while the build waits. Only a hint:
/// the flush is what makes the data durable, so a failure here changes nothing.
pub(crate) fn start_writeback(file: &fs::File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: sync_file_range(2) reads no memory of ours; it is given a file descriptor
        // that `file` owns and keeps open for the whole call, and plain integers.
        let _ =
            unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// A file written to a temp file beside its target, waiting for the batch's rename.
#[derive(Debug)]
pub struct Staged {
    temp: tempfile::TempPath,
    target: PathBuf,
    dir: PathBuf,
    role: Role,
}

impl Staged {
    /// The file that will be replaced.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the temp file over its target.
    pub fn rename(self) -> Result<(), Error> {
        let target = self.target;
        self.temp.persist(&target).map_err(|e| {
            let path = at_fault(&self.dir, &target, &e.error);
            Error::at(self.role, path, REPLACING, e.error)
        })
    }
}

/// Files staged from any thread and put in place together. Only paths are kept: the bytes
/// wait in the temp files. Dropping a batch before [`Batch::flush`] removes its temp files.
#[derive(Debug)]
pub struct Batch {
    staged: Mutex<Vec<Staged>>,
    role: Role,
}

impl Batch {
    /// An empty batch, whose files are `role` to the user (what its errors call them).
    pub fn new(role: Role) -> Batch {
        Batch {
            staged: Mutex::default(),
            role,
        }
    }

    /// Writes `bytes` to a temp file in `dir` (the folder of `target`), to replace `target`
    /// when the batch is put in place.
    pub fn stage(&self, dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), Error> {
        // Without syncfs, each temp file is synced now, while the bytes are at hand.
        let temp = temp_file(dir, bytes, !cfg!(target_os = "linux"))
            .map_err(|e| Error::at(self.role, at_fault(dir, target, &e), "writing", e))?;
        let staged = Staged {
            temp,
            target: target.to_path_buf(),
            dir: dir.to_path_buf(),
            role: self.role,
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
            sync_filesystems(&dirs).map_err(|(dir, e)| Error::at(self.role, dir, "writing", e))?;
        }
        Ok((staged, dirs))
    }
}

/// The path an error in writing `target`, in folder `dir`, is about: the folder when it may
/// not be written at all, else the file.
pub(crate) fn at_fault<'p>(dir: &'p Path, target: &'p Path, e: &io::Error) -> &'p Path {
    match e.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => dir,
        _ => target,
    }
}

/// Makes the renames and removals done in `dirs` durable; `role` is what the folders are to
/// the user.
pub fn settle(role: Role, dirs: &BTreeSet<PathBuf>) -> Result<(), Error> {
    let failed = |(dir, e): (&Path, io::Error)| Error::at(role, dir, REPLACING, e);
    #[cfg(target_os = "linux")]
    {
        sync_filesystems(dirs).map_err(failed)
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        for dir in dirs {
            fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| failed((dir, e)))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        // Folders cannot be synced here; renames are durable when the system says so.
        let _ = (dirs, failed);
        Ok(())
    }
}

/// Flushes every filesystem that holds one of `dirs` to disk: one `syncfs` each. An error
/// comes with the folder it happened in.
#[cfg(target_os = "linux")]
fn sync_filesystems(dirs: &BTreeSet<PathBuf>) -> Result<(), (&Path, io::Error)> {
    use std::os::unix::fs::MetadataExt;
    let mut devices = BTreeSet::new();
    for dir in dirs {
        let failed = |e: io::Error| (dir.as_path(), e);
        let folder = fs::File::open(dir).map_err(failed)?;
        let device = folder.metadata().map_err(failed)?.dev();
        if devices.insert(device) {
            rustix::fs::syncfs(&folder).map_err(|e| failed(e.into()))?;
        }
    }
    Ok(())
}

/// Elsewhere the temp files were synced as they were written.
#[cfg(not(target_os = "linux"))]
fn sync_filesystems(_dirs: &BTreeSet<PathBuf>) -> Result<(), (&Path, io::Error)> {
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
        let batch = Batch::new(Role::InOutput);
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
        settle(Role::InOutput, &dirs).unwrap();
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
        let batch = Batch::new(Role::InOutput);
        batch.stage(dir.path(), &target, b"new").unwrap();
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "the temp file"
        );
        drop(batch);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let batch = Batch::new(Role::InOutput);
        batch.stage(dir.path(), &target, b"new").unwrap();
        drop(batch.flush().unwrap());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
