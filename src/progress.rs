//! The progress line a person watching a long build sees on stderr: drawn only on a
//! terminal and never in CI, and only once a build has read enough files to be worth it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

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
    /// A line on stderr when `wanted` (not `-q`), stderr is a terminal and `CI` is unset;
    /// otherwise nothing.
    pub(crate) fn for_stderr(wanted: bool) -> Bar {
        Bar {
            enabled: wanted && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
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
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} {human_pos} articles read, {rate}, {elapsed}",
            ) {
                bar.set_style(style.with_key(
                    "rate",
                    |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&rate(state.per_sec()));
                    },
                ));
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        bar.set_position(read as u64);
    }
}

/// A rate in whole files a second, with thousands separated: `50,031/s` (indicatif's own
/// `{per_sec}` shows four decimals).
fn rate(per_sec: f64) -> String {
    // `as` saturates, and takes NaN to 0: a rate not yet known shows as 0/s.
    format!("{}/s", HumanCount(per_sec.round() as u64))
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn the_rate_is_a_whole_number_with_thousands_separated() {
        assert_eq!(rate(50031.2822), "50,031/s");
        assert_eq!(rate(999.5), "1,000/s");
        assert_eq!(rate(0.4), "0/s");
        assert_eq!(rate(f64::NAN), "0/s");
    }
}
