//! The one write path: every output file goes through [`Output::write`] or, in a build,
//! [`Session::write`], which write atomically (a temp file in the target's folder, then a
//! rename) and leave a file alone when its bytes would not change. A dry run compares without
//! writing; a memory output keeps the files in memory (the preview server and tests use it).
//!
//! A [`Session`] guards a whole build: it holds a lock on the output folder so two builds
//! cannot interleave, removes temp files a killed run left behind, and keeps a manifest of the
//! files feedsmith wrote, so that the feeds of topics that are gone are removed, while no
//! other file in the folder is ever touched. It stages every changed file as a temp file and
//! puts them all in place in [`Session::finish`], with one flush to disk before the renames
//! and one after (see [`crate::atomic`]), instead of one per file.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::atomic::{at_fault, settle, write_atomically, Batch, TEMP_PREFIX, TEMP_SUFFIX};
use crate::error::{Error, Role, CREATING, READING};
use crate::render::File;

/// The list of files feedsmith wrote, in the output folder.
pub const MANIFEST: &str = ".feedsmith-manifest";

/// The lock file held while a build writes, in the output folder.
pub const LOCK: &str = ".feedsmith.lock";

/// Whether a file's bytes changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// New or different bytes: written (or, in a dry run, would be).
    Written,
    /// The file already held exactly these bytes.
    Unchanged,
}

/// Files kept in memory by [`Output::memory`], by path relative to the output root.
pub type Memory = Arc<Mutex<BTreeMap<PathBuf, Vec<u8>>>>;

#[derive(Debug, Clone)]
enum Mode {
    Disk,
    DryRun,
    Memory(Memory),
}

/// An output folder.
#[derive(Debug, Clone)]
pub struct Output {
    root: PathBuf,
    mode: Mode,
}

impl Output {
    /// Writes into `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Output {
            root: root.into(),
            mode: Mode::Disk,
        }
    }

    /// Compares with `root` but never writes.
    pub fn dry_run(root: impl Into<PathBuf>) -> Self {
        Output {
            root: root.into(),
            mode: Mode::DryRun,
        }
    }

    /// Keeps every file in memory; nothing on disk is read or written.
    pub fn memory() -> Self {
        Output {
            root: PathBuf::new(),
            mode: Mode::Memory(Memory::default()),
        }
    }

    /// The files kept by a memory output (empty for the others).
    pub fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        match &self.mode {
            Mode::Memory(files) => files.lock().map(|f| f.clone()).unwrap_or_default(),
            _ => BTreeMap::new(),
        }
    }

    /// True when this output never changes the disk (a dry run or memory).
    pub fn is_dry_run(&self) -> bool {
        !matches!(self.mode, Mode::Disk)
    }

    /// The output folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `file` below the root unless it already holds the same bytes.
    pub fn write(&self, file: &File) -> Result<Status, Error> {
        if let Mode::Memory(files) = &self.mode {
            let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
            let before = files.insert(file.path.clone(), file.bytes.clone());
            return Ok(if before.as_ref() == Some(&file.bytes) {
                Status::Unchanged
            } else {
                Status::Written
            });
        }
        let target = self.root.join(&file.path);
        if self.existing(&target)?.as_ref() == Some(&file.bytes) {
            return Ok(Status::Unchanged);
        }
        if self.is_dry_run() {
            return Ok(Status::Written);
        }
        let dir = self.folder_of(&target)?;
        write_atomically(dir, &target, &file.bytes)
            .map_err(|e| self.failed(at_fault(dir, &target, &e), "writing", e))?;
        Ok(Status::Written)
    }

    /// The bytes of the file at `target`, or `None` when there is none.
    fn existing(&self, target: &Path) -> Result<Option<Vec<u8>>, Error> {
        match fs::read(target) {
            Ok(existing) => Ok(Some(existing)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.failed(target, READING, e)),
        }
    }

    /// The folder of `target`, created if need be.
    fn folder_of<'t>(&'t self, target: &'t Path) -> Result<&'t Path, Error> {
        let dir = target.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(|e| self.failed(dir, CREATING, e))?;
        Ok(dir)
    }

    /// The error of `action` on `path`, in the output folder or the folder itself.
    fn failed(&self, path: &Path, action: &'static str, e: std::io::Error) -> Error {
        let role = if path == self.root {
            Role::Output
        } else {
            Role::InOutput
        };
        Error::at(role, path, action, e)
    }
}

/// A build's hold on its output folder: the lock, and the manifest of what it owns.
#[derive(Debug)]
pub struct Session {
    output: Output,
    _lock: Option<fs::File>,
    previous: BTreeSet<PathBuf>,
    /// The changed files of this build, waiting in temp files for [`Session::finish`].
    batch: Batch,
    /// The folders this build made sure exist.
    folders: Mutex<HashSet<PathBuf>>,
}

impl Session {
    /// Opens `output` for a build: takes the lock (refusing if another build holds it),
    /// removes leftover temp files, and reads the manifest. A dry run takes no lock and
    /// removes nothing.
    pub fn begin(output: &Output) -> Result<Session, Error> {
        if let Mode::Memory(_) = output.mode {
            return Ok(Session {
                output: output.clone(),
                _lock: None,
                previous: BTreeSet::new(),
                batch: Batch::new(Role::InOutput),
                folders: Mutex::default(),
            });
        }
        let root = output.root();
        if output.is_dry_run() {
            return Ok(Session {
                output: output.clone(),
                _lock: None,
                previous: read_manifest(output)?,
                batch: Batch::new(Role::InOutput),
                folders: Mutex::default(),
            });
        }
        fs::create_dir_all(root).map_err(|e| output.failed(root, CREATING, e))?;
        let previous = read_manifest(output)?;
        let lock_path = root.join(LOCK);
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| lock_failed(output, &lock_path, "writing", e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(Error::Locked { path: lock_path }),
            Err(fs::TryLockError::Error(e)) => {
                return Err(lock_failed(output, &lock_path, "locking", e))
            }
        }
        remove_temp_files(output)?;
        Ok(Session {
            output: output.clone(),
            _lock: Some(lock),
            previous,
            batch: Batch::new(Role::InOutput),
            folders: Mutex::default(),
        })
    }

    /// Writes `file` through the output, refusing to replace a file feedsmith did not write:
    /// an existing file outside the manifest whose bytes differ is somebody else's. On disk a
    /// changed file is only staged: it replaces the old one in [`Session::finish`]. Safe to
    /// call from many threads at once.
    pub fn write(&self, file: &File) -> Result<Status, Error> {
        if matches!(self.output.mode, Mode::Memory(_)) {
            return self.output.write(file);
        }
        let target = self.output.root.join(&file.path);
        let existing = self.output.existing(&target)?;
        match existing {
            Some(existing) if existing == file.bytes => return Ok(Status::Unchanged),
            Some(_) if !self.previous.contains(&file.path) => {
                return Err(Error::Foreign {
                    path: target,
                    manifest: MANIFEST,
                });
            }
            _ => {}
        }
        if self.output.is_dry_run() {
            return Ok(Status::Written);
        }
        let dir = target.parent().unwrap_or(&self.output.root);
        // Each folder is created once a build, not once a file.
        let mut made = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if !made.contains(dir) {
            fs::create_dir_all(dir).map_err(|e| self.output.failed(dir, CREATING, e))?;
            made.insert(dir.to_path_buf());
        }
        drop(made);
        self.batch.stage(dir, &target, &file.bytes)?;
        Ok(Status::Written)
    }

    /// Puts this build's files in place, removes the files the previous build wrote that
    /// this one did not (or, in a dry run, lists them as what would be), then updates the
    /// manifest to `current`.
    ///
    /// On disk, in this order: every staged temp file (the manifest's too) is made durable,
    /// then renamed over its target, then the files that are gone are removed, then the
    /// manifest is renamed, then the renames are made durable. A crash at any point leaves
    /// each file the old version or the new one (and temp files, which the next session
    /// removes).
    pub fn finish(self, current: &BTreeSet<PathBuf>) -> Result<Vec<PathBuf>, Error> {
        let root = self.output.root();
        let gone = self.gone(current);
        if self.output.is_dry_run() {
            return Ok(gone);
        }
        let mut manifest =
            String::from("# Files written by feedsmith; it removes only these. Do not edit.\n");
        for path in current {
            manifest.push_str(&path.to_string_lossy());
            manifest.push('\n');
        }
        let manifest_path = root.join(MANIFEST);
        if self.output.existing(&manifest_path)?.as_deref() != Some(manifest.as_bytes()) {
            self.batch
                .stage(root, &manifest_path, manifest.as_bytes())?;
        }
        let (staged, mut dirs) = self.batch.flush()?;
        let (manifest, files): (Vec<_>, Vec<_>) = staged
            .into_iter()
            .partition(|s| s.target() == manifest_path);
        for file in files {
            file.rename()?;
        }
        for path in &gone {
            let full = root.join(path);
            fs::remove_file(&full).map_err(|e| self.output.failed(&full, "removing", e))?;
            // Remove the folders that held only our files, never the root itself.
            let mut dir = full.parent();
            while let Some(d) = dir {
                if d == root || fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        // The folders that lost an entry and are still there: their removals to make durable.
        for path in &gone {
            if let Some(d) = root.join(path).ancestors().skip(1).find(|d| d.is_dir()) {
                dirs.insert(d.to_path_buf());
            }
        }
        for file in manifest {
            file.rename()?;
        }
        settle(Role::InOutput, &dirs)?;
        Ok(gone)
    }
}

impl Session {
    /// The files the previous build wrote that a build of `current` would remove, in path
    /// order.
    pub fn gone(&self, current: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
        let root = self.output.root();
        self.previous
            .iter()
            .filter(|p| !current.contains(*p) && root.join(p).is_file())
            .cloned()
            .collect()
    }

    /// How many files feedsmith published here before (the manifest's count).
    pub fn published(&self) -> usize {
        self.previous.len()
    }
}

/// The error of opening or locking the lock file `lock`. When the folder cannot be written
/// at all, the message is about the folder the user gave: the lock is feedsmith's own
/// business.
fn lock_failed(output: &Output, lock: &Path, action: &'static str, e: std::io::Error) -> Error {
    use std::io::ErrorKind as Kind;
    match e.kind() {
        Kind::PermissionDenied
        | Kind::ReadOnlyFilesystem
        | Kind::StorageFull
        | Kind::QuotaExceeded
        | Kind::NotFound => output.failed(output.root(), action, e),
        _ => output.failed(lock, action, e),
    }
}

/// The manifest's paths; only plain relative paths count, so an edited manifest can never
/// point a removal outside the folder.
fn read_manifest(output: &Output) -> Result<BTreeSet<PathBuf>, Error> {
    let path = output.root().join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
        // The output folder itself is a file (a dry run does not create it).
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(output.failed(output.root(), READING, e))
        }
        Err(e) => return Err(output.failed(&path, READING, e)),
    };
    Ok(text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .filter(|p| {
            !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
        })
        .collect())
}

/// Removes temp files that a killed run left anywhere below the output folder.
fn remove_temp_files(output: &Output) -> Result<(), Error> {
    for entry in walkdir::WalkDir::new(output.root()).follow_links(false) {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
        {
            fs::remove_file(entry.path())
                .map_err(|e| output.failed(entry.path(), "removing", e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: &[u8]) -> File {
        File {
            path: path.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn writes_then_leaves_identical_bytes_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path());
        assert_eq!(out.write(&file("a/b.xml", b"x")).unwrap(), Status::Written);
        assert_eq!(
            out.write(&file("a/b.xml", b"x")).unwrap(),
            Status::Unchanged
        );
        assert_eq!(out.write(&file("a/b.xml", b"y")).unwrap(), Status::Written);
        assert_eq!(fs::read(dir.path().join("a/b.xml")).unwrap(), b"y");
        let names: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temp file left behind");
    }

    #[test]
    fn a_session_puts_its_files_in_place_only_when_it_finishes() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path());
        let session = Session::begin(&out).unwrap();
        assert_eq!(
            session.write(&file("a/b.xml", b"x")).unwrap(),
            Status::Written
        );
        assert!(
            !dir.path().join("a/b.xml").exists(),
            "staged, not yet in place"
        );
        let all: BTreeSet<PathBuf> = [PathBuf::from("a/b.xml")].into();
        session.finish(&all).unwrap();
        assert_eq!(fs::read(dir.path().join("a/b.xml")).unwrap(), b"x");
        assert!(fs::read_to_string(dir.path().join(MANIFEST))
            .unwrap()
            .contains("a/b.xml"));
        let names: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temp file left behind");
    }

    #[test]
    fn a_session_that_fails_before_it_finishes_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a")).unwrap();
        let out = Output::new(dir.path());
        let session = Session::begin(&out).unwrap();
        session.write(&file("a/b.xml", b"x")).unwrap();
        drop(session);
        assert_eq!(fs::read_dir(dir.path().join("a")).unwrap().count(), 0);
    }

    #[test]
    fn a_finish_stopped_between_renames_leaves_each_file_old_or_new_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path());
        let all: BTreeSet<PathBuf> = ["a.xml", "b.xml", "c.xml"].map(PathBuf::from).into();
        let session = Session::begin(&out).unwrap();
        for p in &all {
            session.write(&file(p.to_str().unwrap(), b"old")).unwrap();
        }
        session.finish(&all).unwrap();
        let session = Session::begin(&out).unwrap();
        for p in &all {
            session.write(&file(p.to_str().unwrap(), b"new")).unwrap();
        }
        // The second rename cannot happen: its target became a folder that is not empty.
        fs::remove_file(dir.path().join("b.xml")).unwrap();
        fs::create_dir_all(dir.path().join("b.xml/inside")).unwrap();
        assert!(session.finish(&all).is_err());
        assert_eq!(fs::read(dir.path().join("a.xml")).unwrap(), b"new");
        assert_eq!(fs::read(dir.path().join("c.xml")).unwrap(), b"old");
        let temps = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().ends_with(TEMP_SUFFIX)
            })
            .count();
        assert_eq!(temps, 0, "the temp files not renamed are removed");
        fs::remove_dir_all(dir.path().join("b.xml")).unwrap();
        let session = Session::begin(&out).unwrap();
        for p in &all {
            session.write(&file(p.to_str().unwrap(), b"new")).unwrap();
        }
        session.finish(&all).unwrap();
        for p in &all {
            assert_eq!(fs::read(dir.path().join(p)).unwrap(), b"new");
        }
    }

    #[test]
    fn a_lock_that_cannot_be_made_is_told_of_the_output_folder_unless_it_is_the_problem() {
        use std::io::{Error as IoError, ErrorKind as Kind};
        let out = Output::new("out");
        let lock = Path::new("out").join(LOCK);
        for kind in [
            Kind::ReadOnlyFilesystem,
            Kind::PermissionDenied,
            Kind::StorageFull,
            Kind::QuotaExceeded,
        ] {
            let error = lock_failed(&out, &lock, "writing", IoError::from(kind));
            assert!(
                matches!(&error, Error::Io { path, role: Role::Output, .. } if path == Path::new("out")),
                "{error:?}"
            );
            assert!(!error.to_string().contains(LOCK), "{error}");
        }
        assert_eq!(
            lock_failed(
                &out,
                &lock,
                "writing",
                IoError::from(Kind::ReadOnlyFilesystem)
            )
            .to_string(),
            "cannot write to the output folder out (read-only file system): mount the disk \
             read-write, or pass --output with a folder on a writable disk"
        );
        let error = lock_failed(&out, &lock, "writing", IoError::from(Kind::IsADirectory));
        assert_eq!(
            error.to_string(),
            "out/.feedsmith.lock is a folder where feedsmith writes a file: move it out of the \
             output folder"
        );
    }

    #[test]
    fn an_output_folder_that_is_a_file_is_named_in_a_build_and_in_a_dry_run() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("feeds");
        fs::write(&root, "not a folder").unwrap();
        let expected = format!(
            "the output folder {} is a file, not a folder: remove it or pass another --output",
            root.display()
        );
        for output in [Output::new(&root), Output::dry_run(&root)] {
            assert_eq!(Session::begin(&output).unwrap_err().to_string(), expected);
        }
        assert_eq!(fs::read(&root).unwrap(), b"not a folder");
    }

    #[test]
    fn dry_run_reports_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::dry_run(dir.path());
        assert_eq!(out.write(&file("x.xml", b"x")).unwrap(), Status::Written);
        assert!(!dir.path().join("x.xml").exists());
    }

    #[test]
    fn a_second_session_is_refused_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path());
        let first = Session::begin(&out).unwrap();
        assert!(matches!(Session::begin(&out), Err(Error::Locked { .. })));
        drop(first);
        assert!(Session::begin(&out).is_ok());
    }

    #[test]
    fn leftover_temp_files_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("topics/a")).unwrap();
        fs::write(dir.path().join("topics/a/.feedsmith-x1.tmp"), "partial").unwrap();
        fs::write(dir.path().join("topics/a/notes.txt"), "mine").unwrap();
        Session::begin(&Output::new(dir.path())).unwrap();
        assert!(!dir.path().join("topics/a/.feedsmith-x1.tmp").exists());
        assert!(dir.path().join("topics/a/notes.txt").exists());
    }

    #[test]
    fn only_files_in_the_manifest_are_ever_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path());
        let session = Session::begin(&out).unwrap();
        for p in ["topics/a/rss.xml", "topics/b/rss.xml"] {
            out.write(&file(p, b"x")).unwrap();
        }
        let all: BTreeSet<PathBuf> = ["topics/a/rss.xml", "topics/b/rss.xml"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert!(session.finish(&all).unwrap().is_empty());
        fs::write(dir.path().join("topics/b/extra.html"), "not ours").unwrap();
        fs::write(dir.path().join("topics/c.xml"), "not ours").unwrap();
        let session = Session::begin(&out).unwrap();
        let fewer: BTreeSet<PathBuf> = [PathBuf::from("topics/a/rss.xml")].into();
        let gone = session.finish(&fewer).unwrap();
        assert_eq!(gone, [PathBuf::from("topics/b/rss.xml")]);
        assert!(!dir.path().join("topics/b/rss.xml").exists());
        assert!(
            dir.path().join("topics/b/extra.html").exists(),
            "not ours: kept"
        );
        assert!(dir.path().join("topics/c.xml").exists());
        assert!(dir.path().join("topics/a/rss.xml").exists());
    }

    #[test]
    fn a_file_feedsmith_did_not_write_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "mine").unwrap();
        fs::write(dir.path().join("same.xml"), "x").unwrap();
        let out = Output::new(dir.path());
        let session = Session::begin(&out).unwrap();
        assert!(matches!(
            session.write(&file("index.html", b"ours")),
            Err(Error::Foreign { .. })
        ));
        assert_eq!(fs::read(dir.path().join("index.html")).unwrap(), b"mine");
        // The same bytes are no conflict: the file is adopted.
        assert_eq!(
            session.write(&file("same.xml", b"x")).unwrap(),
            Status::Unchanged
        );
        let all: BTreeSet<PathBuf> = [PathBuf::from("same.xml")].into();
        session.finish(&all).unwrap();
        let session = Session::begin(&out).unwrap();
        assert_eq!(
            session.write(&file("same.xml", b"y")).unwrap(),
            Status::Written
        );
    }

    #[test]
    fn an_edited_manifest_cannot_reach_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "precious").unwrap();
        let root = dir.path().join("out");
        fs::create_dir(&root).unwrap();
        fs::write(root.join(MANIFEST), "../outside.txt\n/etc/passwd\n").unwrap();
        let session = Session::begin(&Output::new(&root)).unwrap();
        assert!(session.finish(&BTreeSet::new()).unwrap().is_empty());
        assert!(outside.exists());
    }

    #[test]
    fn memory_output_keeps_files_and_touches_no_disk() {
        let out = Output::memory();
        assert_eq!(out.write(&file("a/b.xml", b"x")).unwrap(), Status::Written);
        assert_eq!(
            out.write(&file("a/b.xml", b"x")).unwrap(),
            Status::Unchanged
        );
        assert_eq!(out.files()[Path::new("a/b.xml")], b"x");
        assert!(Session::begin(&out)
            .unwrap()
            .finish(&BTreeSet::new())
            .unwrap()
            .is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        Output::new(dir.path()).write(&file("x.xml", b"x")).unwrap();
        let mode = fs::metadata(dir.path().join("x.xml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
}
