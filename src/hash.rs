//! Content hashes: what the cache keys article files and feeds by, and what identifies the
//! running program, so a cache written by another build of feedsmith is never trusted.

use std::fs;
use std::time::SystemTime;

/// A content hash: the first 128 bits of BLAKE3.
pub(crate) type Hash = u128;

/// Hashes `bytes`.
pub(crate) fn hash(bytes: &[u8]) -> Hash {
    let digest = blake3::hash(bytes);
    u128::from_le_bytes(digest.as_bytes()[..16].try_into().expect("16 bytes"))
}

/// Identifies the program that is running: a hash of its own executable, so a cache made by
/// any other build of feedsmith (another version, or the same version with other code) is
/// never trusted. When the executable cannot be read, a value unique to this process makes
/// every cache miss: slower, never stale.
pub(crate) fn build_id() -> Hash {
    static ID: std::sync::OnceLock<Hash> = std::sync::OnceLock::new();
    *ID.get_or_init(|| {
        running_exe()
            .and_then(fs::read)
            .map(|bytes| hash(&bytes))
            .unwrap_or_else(|_| {
                hash(format!("{}:{:?}", std::process::id(), SystemTime::now()).as_bytes())
            })
    })
}

/// The executable that is running. On Linux, `/proc/self/exe` is the running file itself even
/// when its path has since been replaced (say, by an upgrade while a build runs); elsewhere its
/// path.
pub(crate) fn running_exe() -> std::io::Result<std::path::PathBuf> {
    if cfg!(target_os = "linux") {
        Ok(std::path::PathBuf::from("/proc/self/exe"))
    } else {
        std::env::current_exe()
    }
}
