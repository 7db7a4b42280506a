//! Reporting periods and calendar buckets.
//!
//! A period is half-open, `[start, end)`, in UTC: 2025-04-01T00:00:00Z is in April and in
//! Q2, not in March. Weeks are ISO weeks, which start on Monday and belong to the year that
//! holds their Thursday.

use chrono::{DateTime, Datelike, NaiveDate, Weekday};

use crate::syntax::ast::Bucket;

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A half-open interval of time, `[start, end)`, in microseconds since the epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// As the user wrote it: `2025-09`, `2025-Q3`, `2025-W36`, `2025`, or a range.
    pub label: String,
    pub start: i64,
    pub end: i64,
}

impl Period {
    /// Parses a month (`2025-09`), quarter (`2025-Q3`), ISO week (`2025-W36`), year
    /// (`2025`) or day (`2025-09-14`).
    pub fn parse(text: &str) -> Result<Period, String> {
        let (bucket, start) = parse_start(text.trim())?;
        Ok(Period {
            label: text.trim().to_string(),
            start,
            end: next(bucket, start),
        })
    }

    /// The range from the start of `from` to the end of `to`, both periods as [`Period::parse`]
    /// takes them.
    pub fn range(from: &str, to: &str) -> Result<Period, String> {
        let from = Period::parse(from)?;
        let to = Period::parse(to)?;
        if to.end <= from.start {
            return Err(format!(
                "`{}` ends before `{}` starts",
                to.label, from.label
            ));
        }
        Ok(Period {
            label: format!("{}..{}", from.label, to.label),
            start: from.start,
            end: to.end,
        })
    }

    pub fn contains(&self, micros: i64) -> bool {
        self.start <= micros && micros < self.end
    }

    /// The start as an RFC 3339 timestamp.
    pub fn start_text(&self) -> String {
        timestamp_text(self.start)
    }

    /// The end as an RFC 3339 timestamp.
    pub fn end_text(&self) -> String {
        timestamp_text(self.end)
    }
}

const PERIOD_FORMS: &str = "write a year (2025), quarter (2025-Q3), month (2025-09), ISO week (2025-W36) or day (2025-09-14)";

fn parse_start(text: &str) -> Result<(Bucket, i64), String> {
    let bad = || format!("`{text}` is not a period: {PERIOD_FORMS}");
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();

    let date = match parts.as_slice() {
        [y] if y.len() == 4 && digits(y) => {
            let year = y.parse().map_err(|_| bad())?;
            (Bucket::Year, NaiveDate::from_ymd_opt(year, 1, 1))
        }
        [y, q] if q.len() == 2 && (q.starts_with('Q') || q.starts_with('q')) && digits(&q[1..]) => {
            let year = y.parse().map_err(|_| bad())?;
            let quarter: u32 = q[1..].parse().map_err(|_| bad())?;
            if !(1..=4).contains(&quarter) {
                return Err(format!(
                    "`{text}` names quarter {quarter}; quarters run from Q1 to Q4"
                ));
            }
            (
                Bucket::Quarter,
                NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1),
            )
        }
        [y, w] if (w.starts_with('W') || w.starts_with('w')) && digits(&w[1..]) => {
            let year = y.parse().map_err(|_| bad())?;
            let week: u32 = w[1..].parse().map_err(|_| bad())?;
            let date = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon);
            if date.is_none() {
                return Err(format!("`{text}`: year {year} has no ISO week {week}"));
            }
            (Bucket::Week, date)
        }
        [y, m] if digits(y) && m.len() == 2 && digits(m) => {
            let year = y.parse().map_err(|_| bad())?;
            let month = m.parse().map_err(|_| bad())?;
            (Bucket::Month, NaiveDate::from_ymd_opt(year, month, 1))
        }
        [y, m, d] if digits(y) && digits(m) && digits(d) => (
            Bucket::Day,
            NaiveDate::from_ymd_opt(
                y.parse().map_err(|_| bad())?,
                m.parse().map_err(|_| bad())?,
                d.parse().map_err(|_| bad())?,
            ),
        ),
        _ => return Err(bad()),
    };
    match date {
        (bucket, Some(d)) if text.len() >= 4 && digits(&text[..4]) => Ok((bucket, date_micros(d))),
        _ => Err(bad()),
    }
}

fn date_micros(d: NaiveDate) -> i64 {
    (d - NaiveDate::default()).num_days() * MICROS_PER_DAY
}

fn micros_date(micros: i64) -> NaiveDate {
    let days = micros.div_euclid(MICROS_PER_DAY);
    NaiveDate::default() + chrono::Duration::days(days)
}

/// The start of the bucket that holds the instant.
pub fn start(bucket: Bucket, micros: i64) -> i64 {
    let d = micros_date(micros);
    let first = match bucket {
        Bucket::Day => d,
        Bucket::Week => d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64),
        Bucket::Month => d.with_day(1).unwrap_or(d),
        Bucket::Quarter => {
            NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).unwrap_or(d)
        }
        Bucket::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
    };
    date_micros(first)
}

/// The start of the bucket after the one starting at `start`.
pub fn next(bucket: Bucket, start: i64) -> i64 {
    let d = micros_date(start);
    let next = match bucket {
        Bucket::Day => d + chrono::Duration::days(1),
        Bucket::Week => d + chrono::Duration::days(7),
        Bucket::Month => d.checked_add_months(chrono::Months::new(1)).unwrap_or(d),
        Bucket::Quarter => d.checked_add_months(chrono::Months::new(3)).unwrap_or(d),
        Bucket::Year => d.checked_add_months(chrono::Months::new(12)).unwrap_or(d),
    };
    date_micros(next)
}

/// How a bucket is named in results: `2025-09`, `2025-Q3`, `2025-W36`, `2025`, `2025-09-14`.
pub fn label(bucket: Bucket, start: i64) -> String {
    let d = micros_date(start);
    match bucket {
        Bucket::Day => d.format("%Y-%m-%d").to_string(),
        Bucket::Week => {
            let w = d.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Bucket::Month => d.format("%Y-%m").to_string(),
        Bucket::Quarter => format!("{}-Q{}", d.year(), d.month0() / 3 + 1),
        Bucket::Year => d.year().to_string(),
    }
}

/// An instant as RFC 3339 in UTC.
pub fn timestamp_text(micros: i64) -> String {
    match DateTime::from_timestamp_micros(micros) {
        Some(t) if micros % 1_000_000 == 0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        None => micros.to_string(),
    }
}

/// A date (days since the epoch) as `YYYY-MM-DD`.
pub fn date_text(days: i32) -> String {
    micros_date(days as i64 * MICROS_PER_DAY)
        .format("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_micros()
    }

    #[test]
    fn periods_are_half_open() {
        let april = Period::parse("2025-04").unwrap();
        assert!(april.contains(at("2025-04-01T00:00:00Z")));
        assert!(!april.contains(at("2025-05-01T00:00:00Z")));
        assert!(april.contains(at("2025-04-30T23:59:59.999999Z")));
        let q2 = Period::parse("2025-Q2").unwrap();
        assert!(q2.contains(at("2025-04-01T00:00:00Z")));
        assert!(!q2.contains(at("2025-03-31T23:59:59Z")));
        assert_eq!(q2.end, at("2025-07-01T00:00:00Z"));
    }

    #[test]
    fn iso_weeks_start_on_monday() {
        let w = Period::parse("2025-W01").unwrap();
        assert_eq!(w.start, at("2024-12-30T00:00:00Z"));
        assert_eq!(w.end, at("2025-01-06T00:00:00Z"));
        assert_eq!(
            label(
                Bucket::Week,
                start(Bucket::Week, at("2025-09-03T10:00:00Z"))
            ),
            "2025-W36"
        );
    }

    #[test]
    fn years_days_and_ranges() {
        let y = Period::parse("2025").unwrap();
        assert_eq!(
            (y.start, y.end),
            (at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"))
        );
        let d = Period::parse("2025-09-14").unwrap();
        assert_eq!(d.end - d.start, MICROS_PER_DAY);
        let r = Period::range("2025-01", "2025-03").unwrap();
        assert_eq!(
            (r.start, r.end),
            (at("2025-01-01T00:00:00Z"), at("2025-04-01T00:00:00Z"))
        );
        assert!(Period::range("2025-03", "2025-01").is_err());
    }

    #[test]
    fn bad_periods_are_explained() {
        for bad in [
            "2025-13",
            "2025-Q5",
            "2025-W60",
            "sept",
            "25-09",
            "2025-9-1x",
            "",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn buckets_have_labels_and_successors() {
        let t = at("2025-08-17T12:00:00Z");
        assert_eq!(label(Bucket::Quarter, start(Bucket::Quarter, t)), "2025-Q3");
        assert_eq!(
            label(Bucket::Month, next(Bucket::Month, start(Bucket::Month, t))),
            "2025-09"
        );
        assert_eq!(label(Bucket::Year, start(Bucket::Year, t)), "2025");
        assert_eq!(label(Bucket::Day, start(Bucket::Day, t)), "2025-08-17");
        assert_eq!(
            timestamp_text(at("2025-08-17T12:00:00Z")),
            "2025-08-17T12:00:00Z"
        );
    }
}
