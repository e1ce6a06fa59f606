//! What the templates get: the values built from the site, a feed and its entries, each as
//! plain text (escaped when printed) except an entry's `body`, HTML the sanitiser cleaned,
//! and a publishing rate's chart, an SVG made here from numbers, both marked safe.
//! `docs/themes.md` lists them for theme authors; keep the two in step.
//!
//! Every date is shown in the site's time zone (`timezone:`), whatever the article's offset.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use minijinja::context;
use minijinja::value::Value;

use super::rate::{self, Rate};
use super::shared::{Page, FORMATS};
use crate::entry::Entry;
use crate::group::Kind;
use crate::settings::{Site, Zone};

/// Longest summary shown for an article without an excerpt (its body as text), in characters.
const MAX_SUMMARY: usize = 420;

/// `site`: the site's settings.
pub(crate) fn site(site: &Site) -> Value {
    context! {
        title => &site.title,
        description => &site.description,
        language => &site.language,
        timezone => site.timezone.name(),
        author => &site.author,
        base_url => &site.base_url,
        site_url => &site.site_url,
        icon => &site.icon,
        logo => &site.logo,
    }
}

/// `"../"` once per folder between the page at `page` and the output root.
pub(super) fn root(page: &Page) -> String {
    "../".repeat(page.dir.matches('/').count())
}

/// A feed's formats, each with its `label`, `mime`, `file`, `path` (from the output root),
/// `url` and `segments` (the URL cut after each `/`, see [`segments`]).
pub(super) fn formats(page: &Page, site: &Site) -> Value {
    FORMATS
        .iter()
        .map(|f| {
            let url = page.url(site, f.file);
            let pieces: Vec<String> = segments(&url).into_iter().map(String::from).collect();
            context! {
                label => f.label,
                mime => f.mime,
                file => f.file,
                path => page.path(f.file),
                segments => pieces,
                url => url,
            }
        })
        .collect()
}

/// `url` cut after each `/` (the scheme's `//` kept together), for a template to put a
/// `<wbr />` between the pieces, so that a long address wraps at its path separators and
/// not inside a word; joined, the pieces are `url` again.
fn segments(url: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, _) in url.match_indices('/') {
        // The second slash of `//` ends the piece the first one would have.
        if i == start && i > 0 && url[..i].ends_with('/') {
            if let Some(last) = out.last_mut() {
                *last = &url[start - last.len()..=i];
                start = i + 1;
                continue;
            }
        }
        out.push(&url[start..=i]);
        start = i + 1;
    }
    if start < url.len() {
        out.push(&url[start..]);
    }
    out
}

/// The `<link rel="alternate">` list of `head.html`: each format's `mime`, `url` and
/// `title` (`<title> (<format>)`).
pub(super) fn alternates(title: &str, page: &Page, site: &Site) -> Value {
    FORMATS
        .iter()
        .map(|f| {
            context! {
                mime => f.mime,
                url => page.url(site, f.file),
                title => format!("{title} ({})", f.label),
            }
        })
        .collect()
}

/// The kind of a feed as templates name it: `all`, `curated`, `topic`, `provider` or
/// `category`.
pub(super) fn kind(kind: Option<Kind>) -> &'static str {
    kind.map_or("all", |k| k.wording().id)
}

/// A date in the time zone `zone`: `iso` (RFC 3339, for `datetime`), `text` (`4 Mar 2025,
/// 09:00 CET`, the zone's abbreviation then, or `UTC+05:30` where it has none) and `date`
/// (`4 Mar 2025`).
pub(super) fn date(date: &DateTime<FixedOffset>, zone: &Zone) -> Value {
    let (local, label) = zone.local(date);
    let day = shown_day(&local);
    context! {
        iso => local.to_rfc3339(),
        text => format!("{day}, {:02}:{:02} {label}", local.hour(), local.minute()),
        date => day,
    }
}

/// `4 Mar 2025`, as chrono's `%-d %b %Y` writes it, without parsing that format for every
/// date of every page (a tenth of rendering a page, measured).
fn shown_day(d: &DateTime<FixedOffset>) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match d.year() {
        year @ 0..=9999 => format!("{} {} {year:04}", d.day(), MONTHS[d.month0() as usize]),
        _ => d.format("%-d %b %Y").to_string(),
    }
}

/// How often a feed whose entries were published at `dates` publishes, or `none` (too few
/// entries, see [`rate`]): `text` (`about 3 articles a day`), `count` and `per` (`3`,
/// `day`), `weeks` (the entries in each week counted back from the newest, oldest first) and
/// `svg` (a bar chart of them, marked safe; `none` when the entries fall in one week).
pub(super) fn rate(dates: &[DateTime<FixedOffset>], zone: &Zone) -> Value {
    let Some(rate) = Rate::of(dates) else {
        return Value::from(());
    };
    let weeks = rate::weeks(dates);
    let svg = (weeks.len() > 1).then(|| {
        let newest = dates.iter().max().map(|d| zone.local(d).0);
        let to = newest.as_ref().map_or(String::new(), shown_day);
        let counts: Vec<String> = weeks.iter().map(u32::to_string).collect();
        let label = format!(
            "Articles per week, the {} weeks to {to}, oldest first: {}",
            weeks.len(),
            counts.join(", ")
        );
        Value::from_safe_string(rate::svg(&weeks, &label))
    });
    context! {
        text => rate.text(),
        count => rate.count,
        per => rate.per.name(),
        weeks => weeks,
        svg => svg,
    }
}

/// One entry of a feed's page, its dates in `zone`.
pub(super) fn entry(entry: &Entry, zone: &Zone) -> Value {
    let summary = match &entry.summary {
        Some(summary) => summary.clone(),
        None => shorten(&html_to_text(entry.body_html()), MAX_SUMMARY),
    };
    let image = |i: &crate::entry::Image| {
        context! { url => &i.url, width => i.width, height => i.height }
    };
    let related: Vec<Value> = entry
        .related
        .iter()
        .map(|r| {
            context! {
                url => &r.url,
                title => &r.title,
                provider => &r.provider,
                published => r.published.as_ref().map(|d| date(d, zone)),
            }
        })
        .collect();
    context! {
        url => &entry.id,
        title => &entry.title,
        published => date(&entry.published, zone),
        updated => entry.updated.as_ref().map(|d| date(d, zone)),
        provider => entry.provider.as_ref().map(|p| p.name.as_str()),
        provider_url => entry.provider.as_ref().and_then(|p| p.uri.as_deref()),
        excerpt => &entry.summary,
        summary => summary,
        body => Value::from_safe_string(entry.body_html().to_string()),
        image => entry.images.first().map(image),
        images => entry.images.iter().map(image).collect::<Vec<_>>(),
        related => related,
        topics => &entry.topics,
        category => &entry.category,
    }
}

/// Sanitised HTML (an entry's body) as plain text: tags dropped (a space where a block
/// starts or ends), the entities the sanitiser writes decoded, white space collapsed.
fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        text.push(' ');
        rest = &rest[start + end + 1..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    let mut out = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !out.is_empty() {
            let glued = word.starts_with(['.', ',', ';', ':', '!', '?', ')']);
            if !glued {
                out.push(' ');
            }
        }
        out.push_str(word);
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text[end..].chars().nth(1).is_some() => {
            format!("{}…", text[..end].trim_end())
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_drops_tags_and_decodes_entities_once() {
        assert_eq!(
            html_to_text("<p>A &amp;lt; b &amp; <em>c</em>.</p>\n<p>Next</p>"),
            "A &lt; b & c. Next"
        );
    }

    #[test]
    fn long_summaries_are_cut_on_a_character_with_an_ellipsis() {
        assert_eq!(shorten("abcdef", 6), "abcdef");
        assert_eq!(shorten("abcdefg", 6), "abcde…");
        assert_eq!(shorten("ééééééé", 3), "éé…");
    }

    #[test]
    fn a_day_is_shown_as_chrono_shows_it() {
        let zones = [0, 3600 * 5 + 1800, -3600 * 11].map(|s| FixedOffset::east_opt(s).unwrap());
        let days = (-400_000..400_000)
            .step_by(997)
            .chain([0, 1, 59, 60, 365, 366]);
        for (day, zone) in days.zip(zones.iter().cycle()) {
            let d = DateTime::from_timestamp(i64::from(day) * 86_400 + 3_599, 0)
                .unwrap()
                .with_timezone(zone);
            assert_eq!(shown_day(&d), d.format("%-d %b %Y").to_string(), "{d}");
        }
        for year in [0, 9, 999, 9999, 10_000, -1] {
            let d = DateTime::parse_from_rfc3339("2000-03-01T12:00:00Z")
                .unwrap()
                .with_year(year)
                .unwrap();
            assert_eq!(shown_day(&d), d.format("%-d %b %Y").to_string(), "{d}");
        }
    }

    #[test]
    fn dates_are_shown_in_the_sites_zone() {
        let d = DateTime::parse_from_rfc3339("2025-03-02T00:30:00+02:00").unwrap();
        let shown = |zone: &str| {
            let v = date(&d, &Zone::parse(zone).unwrap());
            ["iso", "text", "date"].map(|k| v.get_attr(k).unwrap().to_string())
        };
        assert_eq!(
            shown("UTC"),
            [
                "2025-03-01T22:30:00+00:00",
                "1 Mar 2025, 22:30 UTC",
                "1 Mar 2025"
            ]
        );
        assert_eq!(
            shown("Europe/Berlin"),
            [
                "2025-03-01T23:30:00+01:00",
                "1 Mar 2025, 23:30 CET",
                "1 Mar 2025"
            ]
        );
        assert_eq!(
            shown("+02:00"),
            [
                "2025-03-02T00:30:00+02:00",
                "2 Mar 2025, 00:30 UTC+02:00",
                "2 Mar 2025"
            ]
        );
    }

    #[test]
    fn urls_are_cut_after_each_slash_and_join_back() {
        let url = "https://example.com/feeds/topics/chips-reuters-nikkei/rss.xml";
        let pieces = segments(url);
        assert_eq!(
            pieces,
            [
                "https://",
                "example.com/",
                "feeds/",
                "topics/",
                "chips-reuters-nikkei/",
                "rss.xml"
            ]
        );
        assert_eq!(pieces.concat(), url);
        for url in ["", "/", "a", "a//b/", "http://x/", "file:///a//b"] {
            assert_eq!(segments(url).concat(), url, "{url:?}");
        }
        assert_eq!(segments("a//b/"), ["a//", "b/"]);
    }
}
