//! The atomic file write every file feedsmith makes goes through: a temp file in the target's
//! own folder, made durable, then renamed over the target, so a reader (or a killed run) only
//! ever sees the old file or the new one.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Temp files start with this, so a later run can recognise and remove leftovers.
pub const TEMP_PREFIX: &str = ".feedsmith-";

/// Temp files end with this.
pub const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `target` through a temp file in `dir` (the target's folder) and a rename.
pub fn write_atomically(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), Error> {
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
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io(temp.path(), "writing", e))?;
    temp.persist(target)
        .map_err(|e| Error::io(target, "replacing", e.error))?;
    Ok(())
}
