//! The size budget of a feed file: no RSS, Atom or JSON Feed file may be larger than
//! `max_feed_bytes`, since reader services stop fetching big feeds (FeedBurner refuses one
//! over 1 MB, Feedly has stopped at a large one).
//!
//! When a feed would be over it, its newest entries keep their content; older ones fall back
//! to their summary (the lead image, the excerpt and the related coverage, without the body),
//! oldest first, and only when every entry is a summary are entries left out, oldest first.
//! A single entry too big on its own is so published as its summary. What is cut is the least
//! that fits, found by bisection (a summary is never larger than the whole entry, and fewer
//! entries never make a larger file), so the result depends only on the feed and the budget.

use std::fmt;

use super::html;
use super::shared::File;
use crate::entry::Entry;
use crate::settings::Content;

/// What the budget took from a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cut {
    /// The entries the feed would hold.
    pub entries: usize,
    /// Of those, the oldest published with their summary only (among the kept ones).
    pub summarised: usize,
    /// Of those, the oldest left out.
    pub dropped: usize,
    /// The budget, in bytes.
    pub budget: u64,
}

impl fmt::Display for Cut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "its files would be over max_feed_bytes ({} bytes): ",
            self.budget
        )?;
        let (n, kept) = (self.entries, self.entries - self.dropped);
        match (self.summarised, self.dropped) {
            (1, 0) => write!(
                f,
                "the oldest of its {n} entries is published with its summary only"
            )?,
            (s, 0) => write!(
                f,
                "the {s} oldest of its {n} entries are published with their summary only"
            )?,
            (_, d) => write!(
                f,
                "the {kept} it keeps are published with their summary only, and the {d} oldest \
                 of its {n} entries are left out"
            )?,
        }
        f.write_str("; raise max_feed_bytes, lower limit, or set content: summary")
    }
}

/// A feed's format files within the budget.
#[derive(Debug)]
pub struct Within {
    /// The files, one per format.
    pub files: Vec<File>,
    /// How many of the feed's entries (the newest) they hold: its page shows the same.
    pub kept: usize,
    /// What was cut, when anything was.
    pub cut: Option<Cut>,
}

/// Renders `entries` (newest first) in every format with `render`, which takes each kept
/// entry's content, within `budget` bytes per file; `content` is what entries carry when
/// nothing is cut.
pub fn within(
    entries: &[std::sync::Arc<Entry>],
    content: Content,
    budget: u64,
    render: impl Fn(usize, &[String]) -> Vec<File>,
) -> Within {
    let n = entries.len();
    let full: Vec<String> = entries.iter().map(|e| html::content(e, content)).collect();
    let files = render(n, &full);
    if fits(&files, budget) {
        return Within {
            files,
            kept: n,
            cut: None,
        };
    }
    let summary: Vec<String> = match content {
        Content::Summary => full.clone(),
        Content::Full => entries
            .iter()
            .map(|e| html::content(e, Content::Summary))
            .collect(),
    };
    // The `kept` newest entries, the oldest `summarised` of them as summaries.
    let contents = |kept: usize, summarised: usize| -> Vec<String> {
        (0..kept)
            .map(|i| {
                if i + summarised >= kept {
                    summary[i].clone()
                } else {
                    full[i].clone()
                }
            })
            .collect()
    };
    let attempt = |kept: usize, summarised: usize| {
        let files = render(kept, &contents(kept, summarised));
        fits(&files, budget).then_some(files)
    };
    let cut = |summarised: usize, dropped: usize| Cut {
        entries: n,
        summarised,
        dropped,
        budget,
    };
    // The fewest summaries that fit, if summaries alone are enough.
    if let Some(files) = attempt(n, n) {
        let summarised = least(1, n, |k| attempt(n, k).is_some());
        let files = if summarised == n {
            files
        } else {
            attempt(n, summarised).expect("it fitted when searched")
        };
        return Within {
            files,
            kept: n,
            cut: Some(cut(summarised, 0)),
        };
    }
    // Every entry a summary, and the fewest left out that fit.
    let dropped = least(1, n, |d| attempt(n - d, n - d).is_some());
    let kept = n - dropped;
    let files = attempt(kept, kept).unwrap_or_else(|| render(0, &[]));
    Within {
        files,
        kept,
        cut: Some(cut(kept, dropped)),
    }
}

/// True when every file is within `budget` bytes.
fn fits(files: &[File], budget: u64) -> bool {
    files.iter().all(|f| f.bytes.len() as u64 <= budget)
}

/// The least `k` in `low..=high` for which `ok` holds, `ok` being false below some point and
/// true from it on; `high` when it holds nowhere below.
fn least(mut low: usize, mut high: usize, ok: impl Fn(usize) -> bool) -> usize {
    while low < high {
        let mid = low + (high - low) / 2;
        if ok(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    high
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_finds_the_first_that_holds() {
        assert_eq!(least(1, 10, |k| k >= 4), 4);
        assert_eq!(least(1, 10, |k| k >= 1), 1);
        assert_eq!(least(1, 10, |_| false), 10);
        assert_eq!(least(3, 3, |_| true), 3);
    }

    #[test]
    fn the_warning_says_what_was_cut() {
        let cut = Cut {
            entries: 50,
            summarised: 12,
            dropped: 0,
            budget: 1_000_000,
        };
        assert_eq!(
            cut.to_string(),
            "its files would be over max_feed_bytes (1000000 bytes): the 12 oldest of its 50 entries are published with their summary only; raise max_feed_bytes, lower limit, or set content: summary"
        );
        let cut = Cut {
            entries: 50,
            summarised: 40,
            dropped: 10,
            budget: 1_000,
        };
        assert_eq!(
            cut.to_string(),
            "its files would be over max_feed_bytes (1000 bytes): the 40 it keeps are published with their summary only, and the 10 oldest of its 50 entries are left out; raise max_feed_bytes, lower limit, or set content: summary"
        );
    }
}
