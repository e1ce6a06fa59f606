//! How a build tells a front end how it is getting on, without drawing anything itself.

/// Hears how a long build is getting on; the command line draws it as a progress line.
/// Called from the thread that runs the build.
pub trait Progress: Sync {
    /// `files` more article files have been read.
    fn read(&self, files: usize) {
        let _ = files;
    }
}

/// A [`Progress`] that shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {}
