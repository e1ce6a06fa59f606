//! How often a feed publishes, at a glance: a rate in words ("about 3 articles a day") and a
//! small inline SVG of its entries per week, both computed from the dates of the entries the
//! feed holds, never from the clock, so the same entries always give the same page.
//!
//! A feed with fewer than [`MIN_ENTRIES`] entries, or whose entries span less than
//! [`MIN_SPAN_SECONDS`], has no rate: a few gaps between articles say more about chance than
//! about the feed, and a batch published at once would read as hundreds a day.

use chrono::{DateTime, FixedOffset};

use crate::text::escape;

/// The fewest entries a rate is given for: five entries are four gaps between articles, the
/// fewest from which an average says something (two articles a day apart are not a daily
/// feed, nor three after a quiet month a monthly one).
pub(crate) const MIN_ENTRIES: usize = 5;

/// The shortest span, newest entry minus oldest, a rate is given for: a day, so that articles
/// published together (an import, a batch) do not read as hundreds a day.
pub(crate) const MIN_SPAN_SECONDS: i64 = DAY;

/// The most weeks the chart draws: the newest half year, a bar of three pixels each.
pub(crate) const MAX_WEEKS: usize = 26;

/// A day, a week and a (Gregorian, average) year, in seconds; a month is a twelfth of a year.
const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;
const YEAR: i64 = 31_556_952;
/// The chart's height and each bar's width and step, in pixels.
const HEIGHT: u32 = 20;
const BAR: usize = 3;
const STEP: usize = 4;

/// The unit a rate is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Per {
    Day,
    Week,
    Month,
    Year,
}

impl Per {
    /// The unit's name: `day`, `week`, `month`, `year`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Per::Day => "day",
            Per::Week => "week",
            Per::Month => "month",
            Per::Year => "year",
        }
    }
}

/// How often a feed publishes: about `count` articles a `per` (a `count` of 0 is fewer than
/// one a year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rate {
    pub(crate) count: u64,
    pub(crate) per: Per,
}

impl Rate {
    /// The rate of entries published at `dates` (in any order): the gaps between them over
    /// the time from the oldest to the newest, in the first unit that gives a number worth
    /// saying: a day from 2.5 a day (so 12 a week stays "12 a week", not "2 a day"), a week
    /// from 1.5 a week, a month from 0.75 a month, else a year. `None` below
    /// [`MIN_ENTRIES`] or [`MIN_SPAN_SECONDS`].
    pub(crate) fn of(dates: &[DateTime<FixedOffset>]) -> Option<Rate> {
        let (oldest, newest) = (dates.iter().min()?, dates.iter().max()?);
        let span = (*newest - *oldest).num_seconds();
        if dates.len() < MIN_ENTRIES || span < MIN_SPAN_SECONDS {
            return None;
        }
        // Each unit's count as gaps × the unit's seconds / span: exact where it can be.
        let gaps = (dates.len() - 1) as f64;
        let count = |unit: i64| gaps * unit as f64 / span as f64;
        let (count, per) = if count(DAY) >= 2.5 {
            (count(DAY), Per::Day)
        } else if count(WEEK) >= 1.5 {
            (count(WEEK), Per::Week)
        } else if count(YEAR / 12) >= 0.75 {
            (count(YEAR / 12), Per::Month)
        } else {
            (count(YEAR), Per::Year)
        };
        // At least one, except for fewer than one a year.
        let count = match count.round() as u64 {
            0 if count >= 0.5 || per != Per::Year => 1,
            n => n,
        };
        Some(Rate { count, per })
    }

    /// The rate in words: `about 3 articles a day`, `about 1 article a month`, `fewer than
    /// one article a year`.
    pub(crate) fn text(&self) -> String {
        match self.count {
            0 => "fewer than one article a year".to_string(),
            1 => format!("about 1 article a {}", self.per.name()),
            n => format!("about {n} articles a {}", self.per.name()),
        }
    }
}

/// The entries published in each week counted back from the newest of `dates` (the week that
/// ends with it, the one before, ...), oldest first: the weeks from the oldest entry's, at
/// most the newest [`MAX_WEEKS`]. Empty when `dates` is.
pub(crate) fn weeks(dates: &[DateTime<FixedOffset>]) -> Vec<u32> {
    let Some(newest) = dates.iter().max() else {
        return Vec::new();
    };
    let back = |d: &DateTime<FixedOffset>| ((*newest - *d).num_seconds() / WEEK) as usize;
    let span = dates.iter().map(back).max().unwrap_or(0);
    let shown = (span + 1).min(MAX_WEEKS);
    let mut counts = vec![0; shown];
    for d in dates {
        let ago = back(d);
        if ago < shown {
            counts[shown - 1 - ago] += 1;
        }
    }
    counts
}

/// A small bar chart of `counts` (one bar per week, oldest first) as an inline SVG element
/// whose accessible name and tooltip is `label` (escaped here). Bars are as tall as their
/// count against the largest, at least two pixels when not zero, above a faint baseline;
/// they take the text's colour (`currentColor`), so the stylesheet colours them. Only
/// numbers and `label` go in, so the same counts always give the same bytes.
pub(crate) fn svg(counts: &[u32], label: &str) -> String {
    let width = counts.len() * STEP - (STEP - BAR);
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let mut out = format!(
        "<svg class=\"weeks\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" \
         height=\"{HEIGHT}\" viewBox=\"0 0 {width} {HEIGHT}\" fill=\"currentColor\" \
         role=\"img\"><title>{}</title><rect class=\"base\" x=\"0\" y=\"{}\" width=\"{width}\" \
         height=\"1\" opacity=\".35\"/>",
        escape(label),
        HEIGHT - 1,
    );
    for (i, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let height = ((count * HEIGHT + most / 2) / most).max(2);
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{BAR}\" height=\"{height}\"/>",
            i * STEP,
            HEIGHT - height,
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` dates, `every` seconds apart, the newest on 4 March 2025.
    fn dates(n: usize, every: i64) -> Vec<DateTime<FixedOffset>> {
        let newest = DateTime::parse_from_rfc3339("2025-03-04T08:00:00Z").unwrap();
        (0..n)
            .map(|i| newest - chrono::Duration::seconds(every * i as i64))
            .collect()
    }

    fn text(n: usize, every: i64) -> Option<String> {
        Rate::of(&dates(n, every)).map(|r| r.text())
    }

    const HOUR: i64 = 3600;

    #[test]
    fn the_rate_is_said_in_the_unit_that_gives_a_number_worth_saying() {
        assert_eq!(
            text(20, 8 * HOUR).as_deref(),
            Some("about 3 articles a day")
        );
        assert_eq!(text(50, HOUR).as_deref(), Some("about 24 articles a day"));
        // 12 a week is 1.7 a day: said by the week.
        assert_eq!(
            text(30, 14 * HOUR).as_deref(),
            Some("about 12 articles a week")
        );
        assert_eq!(
            text(10, 4 * DAY).as_deref(),
            Some("about 2 articles a week")
        );
        assert_eq!(
            text(10, 15 * DAY).as_deref(),
            Some("about 2 articles a month")
        );
        assert_eq!(
            text(6, 30 * DAY).as_deref(),
            Some("about 1 article a month")
        );
        assert_eq!(
            text(6, 60 * DAY).as_deref(),
            Some("about 6 articles a year")
        );
        assert_eq!(
            text(5, 500 * DAY).as_deref(),
            Some("about 1 article a year")
        );
        assert_eq!(
            text(5, 1000 * DAY).as_deref(),
            Some("fewer than one article a year")
        );
    }

    #[test]
    fn the_units_meet_where_their_numbers_round_alike() {
        // 2.5 a day is the first "a day"; just below, 17 a week.
        assert_eq!(text(11, 34_560).as_deref(), Some("about 3 articles a day"));
        assert_eq!(
            text(11, 34_561).as_deref(),
            Some("about 17 articles a week")
        );
        // 1.5 a week is the first "a week"; below, 6 a month.
        let week_and_a_half = 4 * DAY + 16 * HOUR;
        assert_eq!(
            text(13, week_and_a_half).as_deref(),
            Some("about 2 articles a week")
        );
        assert_eq!(
            text(13, week_and_a_half + HOUR).as_deref(),
            Some("about 6 articles a month")
        );
        // 0.75 a month is the first "a month"; below, 9 a year.
        assert_eq!(
            text(4 * 3 + 1, YEAR / 9).as_deref(),
            Some("about 1 article a month")
        );
        assert_eq!(
            text(13, YEAR / 9 + 1).as_deref(),
            Some("about 9 articles a year")
        );
    }

    #[test]
    fn too_few_entries_or_too_short_a_span_have_no_rate() {
        assert_eq!(text(4, DAY), None);
        assert_eq!(text(0, DAY), None);
        // Fifty articles within an hour: a batch, not a rate.
        assert_eq!(text(50, 60), None);
        assert_eq!(text(5, DAY / 4).as_deref(), Some("about 4 articles a day"));
        assert_eq!(text(5, DAY / 4 - 1), None);
    }

    #[test]
    fn the_rate_does_not_depend_on_the_order_or_the_offsets_of_the_dates() {
        let mut shuffled = dates(9, 2 * DAY);
        shuffled.reverse();
        shuffled.swap(1, 5);
        let berlin = FixedOffset::east_opt(3600).unwrap();
        let elsewhere: Vec<_> = shuffled.iter().map(|d| d.with_timezone(&berlin)).collect();
        assert_eq!(Rate::of(&shuffled), Rate::of(&dates(9, 2 * DAY)));
        assert_eq!(Rate::of(&elsewhere), Rate::of(&dates(9, 2 * DAY)));
        assert_eq!(weeks(&elsewhere), weeks(&dates(9, 2 * DAY)));
    }

    #[test]
    fn weeks_are_counted_back_from_the_newest_entry_oldest_first() {
        // Every other day for 16 days: 9 entries, the last week holding 4, then 3, then 2
        // (day 14 and day 16 are in the third week back).
        assert_eq!(weeks(&dates(9, 2 * DAY)), vec![2, 3, 4]);
        // A week exactly is the week before.
        assert_eq!(weeks(&dates(2, 7 * DAY)), vec![1, 1]);
        assert_eq!(weeks(&dates(2, 7 * DAY - 1)), vec![2]);
        // Quiet weeks are zeros; only the newest MAX_WEEKS are kept.
        assert_eq!(weeks(&dates(3, 14 * DAY)), vec![1, 0, 1, 0, 1]);
        let long = weeks(&dates(100, 7 * DAY));
        assert_eq!(long, vec![1; MAX_WEEKS]);
        assert!(weeks(&[]).is_empty());
    }

    #[test]
    fn the_chart_is_well_formed_svg_with_a_bar_per_busy_week() {
        let chart = svg(&[2, 0, 4, 1], "Articles per week: 2, 0, 4, 1 <&>");
        let doc = roxmltree::Document::parse(&chart).unwrap_or_else(|e| panic!("{e}: {chart}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        assert_eq!(root.attribute("width"), Some("15"));
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root.first_element_child().unwrap();
        assert_eq!(title.tag_name().name(), "title");
        assert_eq!(title.text(), Some("Articles per week: 2, 0, 4, 1 <&>"));
        let bars: Vec<(String, String)> = root
            .children()
            .filter(|n| n.has_tag_name("rect") && n.attribute("class").is_none())
            .map(|n| {
                (
                    n.attribute("x").unwrap().to_string(),
                    n.attribute("height").unwrap().to_string(),
                )
            })
            .collect();
        let expected = [("0", "10"), ("8", "20"), ("12", "5")];
        assert_eq!(
            bars,
            expected
                .map(|(x, h)| (x.to_string(), h.to_string()))
                .to_vec()
        );
        // A tall week does not hide a single article.
        assert!(svg(&[100, 1], "").contains("height=\"2\"/>"));
        // The same counts, the same bytes.
        assert_eq!(svg(&[2, 0, 4, 1], "x"), svg(&[2, 0, 4, 1], "x"));
    }
}
