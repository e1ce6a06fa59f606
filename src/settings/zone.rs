//! The time zone the pages show times in (`timezone:`): UTC, a fixed offset (`+01:00`) or
//! an IANA name (`Europe/Berlin`), from the tz database compiled into chrono-tz, so a page
//! reads the same on every machine. Only the pages use it: the feeds keep each article's own
//! offset.

use chrono::{DateTime, FixedOffset, Offset};
use chrono_tz::{OffsetName, Tz, TZ_VARIANTS};

use crate::text::near_miss;

/// A time zone for the pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Zone {
    /// Coordinated Universal Time, the default.
    #[default]
    Utc,
    /// A fixed offset from UTC, never zero (that is [`Zone::Utc`]).
    Fixed(FixedOffset),
    /// A zone of the IANA database, whose offset follows its rules (summer time).
    Named(Tz),
}

impl Zone {
    /// The zone `raw` names: `UTC`, an offset (`+01:00`, `-05:30`, `+02`, also written
    /// `UTC+01:00`) or an IANA name in any letter case (`Europe/Berlin`). The error says what
    /// is accepted, and names the zone `raw` is a near miss of.
    pub fn parse(raw: &str) -> Result<Zone, String> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("UTC") || raw == "Z" {
            return Ok(Zone::Utc);
        }
        let offset = raw
            .strip_prefix("UTC")
            .or_else(|| raw.strip_prefix("utc"))
            .unwrap_or(raw);
        if offset.starts_with(['+', '-']) {
            return match parse_offset(offset) {
                Some(o) if o.local_minus_utc() == 0 => Ok(Zone::Utc),
                Some(o) => Ok(Zone::Fixed(o)),
                None => Err(format!(
                    "{raw:?} is not an offset: write it as +HH:MM or -HH:MM, less than 24 hours \
                     (+01:00, -05:30)"
                )),
            };
        }
        if let Some(tz) = TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(raw))
        {
            return Ok(Zone::Named(*tz));
        }
        let hint = match near_miss(raw, TZ_VARIANTS.iter().map(|tz| tz.name())) {
            Some(name) => format!("; did you mean `{name}`?"),
            None => String::new(),
        };
        Err(format!(
            "{raw:?} is not a time zone: use an IANA name such as Europe/Berlin, an offset \
             such as +01:00, or UTC{hint}"
        ))
    }

    /// The zone's name, as the pages name it: `UTC`, `UTC+01:00` or `Europe/Berlin`.
    pub fn name(&self) -> String {
        match self {
            Zone::Utc => "UTC".to_string(),
            Zone::Fixed(offset) => offset_label(*offset),
            Zone::Named(tz) => tz.name().to_string(),
        }
    }

    /// The instant `at` as a clock in this zone shows it, and the zone's short label then:
    /// its abbreviation where the database has a word for it (`CET`, `CEST`, `EST`), else
    /// `UTC` and the offset (`UTC+05:30`).
    pub fn local(&self, at: &DateTime<FixedOffset>) -> (DateTime<FixedOffset>, String) {
        match self {
            Zone::Utc => (at.to_utc().fixed_offset(), "UTC".to_string()),
            Zone::Fixed(offset) => (at.with_timezone(offset), offset_label(*offset)),
            Zone::Named(tz) => {
                let local = at.with_timezone(tz);
                let offset = local.offset().fix();
                let label = match local.offset().abbreviation() {
                    Some(a) if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphabetic()) => {
                        a.to_string()
                    }
                    _ => offset_label(offset),
                };
                (local.with_timezone(&offset), label)
            }
        }
    }
}

/// `UTC` for a zero offset, else `UTC` and the offset (`UTC+01:00`, `UTC-05:30`).
fn offset_label(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    if seconds == 0 {
        return "UTC".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `+HH:MM`, `+HHMM` or `+HH` (or with `-`) as an offset of less than 24 hours.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let (sign, digits) = match text.split_at(1) {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "00"),
    };
    let number = |s: &str| {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let (hours, minutes) = (number(hours)?, number(minutes)?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap()
    }

    /// `at` shown in the zone `zone` names, as `local time label`.
    fn shown(zone: &str, rfc3339: &str) -> String {
        let (local, label) = Zone::parse(zone).unwrap().local(&at(rfc3339));
        format!("{} {label}", local.to_rfc3339())
    }

    #[test]
    fn utc_offsets_and_iana_names_are_zones() {
        assert_eq!(Zone::parse("UTC"), Ok(Zone::Utc));
        assert_eq!(Zone::parse(" utc "), Ok(Zone::Utc));
        assert_eq!(Zone::parse("+00:00"), Ok(Zone::Utc));
        let plus_one = Zone::Fixed(FixedOffset::east_opt(3600).unwrap());
        for raw in ["+01:00", "+0100", "+01", "UTC+01:00"] {
            assert_eq!(Zone::parse(raw), Ok(plus_one), "{raw}");
        }
        assert_eq!(
            Zone::parse("-05:30"),
            Ok(Zone::Fixed(FixedOffset::west_opt(5 * 3600 + 1800).unwrap()))
        );
        assert_eq!(
            Zone::parse("europe/berlin"),
            Ok(Zone::Named(Tz::Europe__Berlin))
        );
        assert_eq!(
            Zone::parse("Europe/Berlin").unwrap().name(),
            "Europe/Berlin"
        );
        assert_eq!(Zone::parse("-05:30").unwrap().name(), "UTC-05:30");
        assert_eq!(Zone::Utc.name(), "UTC");
    }

    #[test]
    fn a_wrong_zone_says_what_is_accepted_and_names_a_near_miss() {
        let error = Zone::parse("Europe/Berln").unwrap_err();
        assert!(error.contains("did you mean `Europe/Berlin`?"), "{error}");
        assert!(error.contains("an offset such as +01:00"), "{error}");
        assert!(!Zone::parse("Mars/Olympus")
            .unwrap_err()
            .contains("did you mean"));
        for raw in ["+24:00", "+1:00", "+01:60", "+", "-01:00:00", "+ab"] {
            let error = Zone::parse(raw).unwrap_err();
            assert!(error.contains("is not an offset"), "{raw}: {error}");
        }
    }

    #[test]
    fn a_named_zone_follows_summer_time_and_says_its_abbreviation() {
        assert_eq!(
            shown("Europe/Berlin", "2025-03-04T08:00:00Z"),
            "2025-03-04T09:00:00+01:00 CET"
        );
        assert_eq!(
            shown("Europe/Berlin", "2025-07-04T08:00:00Z"),
            "2025-07-04T10:00:00+02:00 CEST"
        );
        // The same instant, written with another offset.
        assert_eq!(
            shown("America/New_York", "2025-03-02T09:30:00+02:00"),
            "2025-03-02T02:30:00-05:00 EST"
        );
        // A zone whose abbreviation is a number is named by its offset.
        assert_eq!(
            shown("America/Sao_Paulo", "2025-03-04T08:00:00Z"),
            "2025-03-04T05:00:00-03:00 UTC-03:00"
        );
    }

    #[test]
    fn utc_and_fixed_offsets_convert_every_date_to_themselves() {
        assert_eq!(
            shown("UTC", "2025-03-02T09:30:00+02:00"),
            "2025-03-02T07:30:00+00:00 UTC"
        );
        assert_eq!(
            shown("+05:30", "2025-03-02T23:00:00Z"),
            "2025-03-03T04:30:00+05:30 UTC+05:30"
        );
    }
}
