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

/// Renders `entries` (newest first) in each of `formats` with `render`, which takes the
/// number of entries kept, each kept entry's content and the formats to render, within
/// `budget` bytes per file; `content` is what entries carry when nothing is cut.
///
/// The cuts form one line, from nothing cut through each older entry a summary to each
/// oldest entry left out, and every format fits from some point on that line. The cut for
/// the feed is the furthest of those points, so the largest file is searched first and each
/// other one is only checked there, searched further only if it does not fit yet: one
/// search of one format in the usual case, not of all three.
pub fn within<F>(
    entries: &[std::sync::Arc<Entry>],
    content: Content,
    budget: u64,
    formats: &[F],
    render: impl Fn(usize, &[&str], &[F]) -> Vec<File>,
) -> Within
where
    F: Copy,
{
    let n = entries.len();
    let full: Vec<String> = entries.iter().map(|e| html::content(e, content)).collect();
    let whole: Vec<&str> = full.iter().map(String::as_str).collect();
    let files = render(n, &whole, formats);
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
    // Point `at` on the line: up to `n`, all `n` kept and the oldest `at` of them summaries;
    // past it, every kept entry a summary and the oldest `at - n` left out.
    let kept_at = |at: usize| if at <= n { n } else { 2 * n - at };
    let render_at = |at: usize, formats: &[F]| {
        let kept = kept_at(at);
        let summarised = at.min(kept);
        let contents: Vec<&str> = (0..kept)
            .map(|i| {
                if i + summarised >= kept {
                    summary[i].as_str()
                } else {
                    full[i].as_str()
                }
            })
            .collect();
        render(kept, &contents, formats)
    };
    // The formats over the budget with everything whole, largest first.
    let mut over: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.bytes.len() as u64 > budget)
        .map(|(i, f)| (f.bytes.len(), i))
        .collect();
    over.sort_by(|a, b| b.cmp(a));
    let mut at = 0;
    for (_, i) in over {
        let format = &formats[i..=i];
        if at > 0 && fits(&render_at(at, format), budget) {
            continue;
        }
        at = least(at + 1, 2 * n, |k| fits(&render_at(k, format), budget));
    }
    let files = render_at(at, formats);
    let kept = kept_at(at);
    Within {
        files,
        kept,
        cut: Some(Cut {
            entries: n,
            summarised: at.min(kept),
            dropped: n - kept,
            budget,
        }),
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
