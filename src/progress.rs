//! The progress line a person watching a long build sees on stderr: drawn only on a
//! terminal and never in CI, and only once a build has read enough files to be worth it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Files read before the line appears: short builds show nothing.
const QUIET_FOR: usize = 2048;

/// The progress line of one build (the count is not known in advance: the input folder is
/// walked as it is read).
pub(crate) struct Bar {
    enabled: bool,
    read: AtomicUsize,
    bar: OnceLock<ProgressBar>,
}

impl Bar {
    /// A line on stderr when stderr is a terminal and `CI` is unset; otherwise nothing.
    pub(crate) fn for_stderr() -> Bar {
        Bar {
            enabled: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
            read: AtomicUsize::new(0),
            bar: OnceLock::new(),
        }
    }
}

impl feedsmith::Progress for Bar {
    fn read(&self, files: usize) {
        let read = self.read.fetch_add(files, Ordering::Relaxed) + files;
        if !self.enabled || read < QUIET_FOR {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {pos} articles read, {per_sec}, {elapsed}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        bar.set_position(read as u64);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
