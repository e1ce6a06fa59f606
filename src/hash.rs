//! Content hashes: what the cache keys article files and feeds by, and what identifies the
//! running program, so a cache written by another build of feedsmith is never trusted.

use std::fs;
use std::time::SystemTime;

/// A content hash: the first 128 bits of BLAKE3.
pub(crate) type Hash = u128;

/// Hashes `bytes`.
pub(crate) fn hash(bytes: &[u8]) -> Hash {
    truncated(&blake3::hash(bytes))
}

/// Hashes what `reader` gives, through a small buffer: the same as [`hash`] of all of it,
/// without holding it all at once.
pub(crate) fn hash_reader(reader: impl std::io::Read) -> std::io::Result<Hash> {
    Ok(truncated(
        &blake3::Hasher::new().update_reader(reader)?.finalize(),
    ))
}

/// The first 128 bits of `digest`.
fn truncated(digest: &blake3::Hash) -> Hash {
    u128::from_le_bytes(digest.as_bytes()[..16].try_into().expect("16 bytes"))
}

/// Identifies the program that is running: a hash of its own executable, so a cache made by
/// any other build of feedsmith (another version, or the same version with other code) is
/// never trusted. When the executable cannot be read, a value unique to this process makes
/// every cache miss: slower, never stale. The executable (15 MB) is streamed through the
/// hasher, not read into memory first: a first build of a small site then peaks 12 MB lower.
pub(crate) fn build_id() -> Hash {
    static ID: std::sync::OnceLock<Hash> = std::sync::OnceLock::new();
    *ID.get_or_init(|| {
        running_exe()
            .and_then(fs::File::open)
            .and_then(hash_reader)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_gives_the_hash_of_the_whole() {
        // Larger than any read buffer, and not a multiple of BLAKE3's 1 KiB chunks.
        let bytes: Vec<u8> = (0..300_001u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        for len in [0, 1, 1024, 65_536, 65_537, bytes.len()] {
            let part = &bytes[..len];
            assert_eq!(hash_reader(part).unwrap(), hash(part), "{len} bytes");
        }
        assert_ne!(hash(&bytes[..1024]), hash(&bytes[..1025]));
    }
}
