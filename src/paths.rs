//! Path helpers that know no stage: paths made absolute for comparing, and relative paths
//! written with `/` for URLs, reports and manifests.

use std::fs;
use std::path::{Path, PathBuf};

/// `path` made absolute, with the part of it that exists resolved (`..`, links), so two
/// spellings of one folder compare equal even before it exists.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let Ok(abs) = std::path::absolute(path) else {
        return path.to_path_buf();
    };
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// True when `path` is `folder` or lies below it.
pub(crate) fn is_within(path: &Path, folder: &Path) -> bool {
    absolute(path).starts_with(absolute(folder))
}

/// A relative path with `/` between its parts, whatever the platform.
pub(crate) fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_below_another_is_within_it_even_before_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        assert!(is_within(&out.join("a/../cache"), &out));
        assert!(is_within(&out, &out));
        assert!(!is_within(&dir.path().join("feeds-cache"), &out));
        assert!(!is_within(dir.path(), &out));
    }
}
