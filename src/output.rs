//! The one write path: every output file goes through [`Output::write`], which writes
//! atomically (a temp file in the target's folder, then a rename) and leaves a file alone when
//! its bytes would not change. A dry run compares without writing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::render::File;
use crate::Error;

/// Temp files start with this, so a later run can recognise and remove leftovers.
pub const TEMP_PREFIX: &str = ".feedsmith-";

/// Whether a file's bytes changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// New or different bytes: written (or, in a dry run, would be).
    Written,
    /// The file already held exactly these bytes.
    Unchanged,
}

/// An output folder.
#[derive(Debug, Clone)]
pub struct Output {
    root: PathBuf,
    dry_run: bool,
}

impl Output {
    /// Writes into `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Output {
            root: root.into(),
            dry_run: false,
        }
    }

    /// Compares with `root` but never writes.
    pub fn dry_run(root: impl Into<PathBuf>) -> Self {
        Output {
            root: root.into(),
            dry_run: true,
        }
    }

    /// The output folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `file` below the root unless it already holds the same bytes.
    pub fn write(&self, file: &File) -> Result<Status, Error> {
        let target = self.root.join(&file.path);
        match fs::read(&target) {
            Ok(existing) if existing == file.bytes => return Ok(Status::Unchanged),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&target, "reading", e)),
        }
        if self.dry_run {
            return Ok(Status::Written);
        }
        let dir = target.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, "creating folder", e))?;
        write_atomically(dir, &target, &file.bytes)?;
        Ok(Status::Written)
    }
}

fn write_atomically(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(".tmp");
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
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io(temp.path(), "writing", e))?;
    temp.persist(target)
        .map_err(|e| Error::io(target, "replacing", e.error))?;
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
    fn dry_run_reports_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::dry_run(dir.path());
        assert_eq!(out.write(&file("x.xml", b"x")).unwrap(), Status::Written);
        assert!(!dir.path().join("x.xml").exists());
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
