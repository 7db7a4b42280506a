//! Reporting periods and calendar buckets, in a time zone.
//!
//! A period is half-open, `[start, end)`: 2025-04-01T00:00:00 is in April and in Q2, not in
//! March. Its bounds are the local midnights of the run's time zone (UTC unless told), held
//! as instants in microseconds since the epoch, so a day of 23 or 25 hours at a change of
//! daylight saving time is still one day. Weeks are ISO weeks, which start on Monday and
//! belong to the year that holds their Thursday. A midnight that a change of clocks skips
//! starts its day at the first moment that exists.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::syntax::ast::Bucket;

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// The time zone that periods, buckets and dates are read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    zone: Tz,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar { zone: Tz::UTC }
    }
}

impl Calendar {
    pub fn utc() -> Calendar {
        Calendar::default()
    }

    /// The calendar of a time zone.
    pub fn of_zone(zone: Tz) -> Calendar {
        Calendar { zone }
    }

    /// The calendar of an IANA time zone: `Europe/Berlin`, `America/New_York`, `UTC`.
    pub fn named(name: &str) -> Result<Calendar, String> {
        name.parse::<Tz>()
            .map(|zone| Calendar { zone })
            .map_err(|_| {
                format!(
                    "`{name}` is not an IANA time zone: write a name such as `Europe/Berlin`, \
                     `America/New_York` or `UTC`"
                )
            })
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &'static str {
        self.zone.name()
    }

    fn is_utc(&self) -> bool {
        self.zone == Tz::UTC
    }

    /// The local date of an instant.
    fn date(&self, micros: i64) -> NaiveDate {
        if self.is_utc() {
            return epoch_date(micros.div_euclid(MICROS_PER_DAY));
        }
        match DateTime::from_timestamp_micros(micros) {
            Some(t) => t.with_timezone(&self.zone).date_naive(),
            None => epoch_date(micros.div_euclid(MICROS_PER_DAY)),
        }
    }

    /// The local date of an instant, in days since 1970-01-01.
    pub fn day(&self, micros: i64) -> i32 {
        days_since_epoch(self.date(micros)) as i32
    }

    /// The first moment of a local date given in days since 1970-01-01.
    pub fn date_start(&self, days: i32) -> i64 {
        self.day_start(epoch_date(days as i64))
    }

    /// The first moment of a local date.
    pub fn day_start(&self, date: NaiveDate) -> i64 {
        let days = days_since_epoch(date);
        if self.is_utc() {
            return days * MICROS_PER_DAY;
        }
        let midnight: NaiveDateTime = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        // A skipped midnight: the day starts at the first local time that exists.
        for hour in 0..24 {
            let local = midnight + chrono::Duration::hours(hour);
            if let Some(t) = self.zone.from_local_datetime(&local).earliest() {
                return t.timestamp_micros();
            }
        }
        days * MICROS_PER_DAY
    }

    /// The start of the bucket that holds the instant.
    pub fn start(&self, bucket: Bucket, micros: i64) -> i64 {
        self.day_start(first_day(bucket, self.date(micros)))
    }

    /// The start of the bucket after the one starting at `start`.
    pub fn next(&self, bucket: Bucket, start: i64) -> i64 {
        self.day_start(step(bucket, self.date(start), 1))
    }

    /// The start of the bucket `back` buckets before the one starting at `start`.
    pub fn back(&self, bucket: Bucket, start: i64, back: u32) -> i64 {
        self.day_start(step(bucket, self.date(start), -(back as i64)))
    }

    /// How a bucket is named: `2025-09`, `2025-Q3`, `2025-W36`, `2025`, `2025-09-14`.
    pub fn label(&self, bucket: Bucket, start: i64) -> String {
        let d = self.date(start);
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

    /// The period of the bucket starting at `start`.
    pub fn period(&self, bucket: Bucket, start: i64) -> Period {
        let end = self.next(bucket, start);
        Period {
            label: self.label(bucket, start),
            start,
            end,
            bucket: Some(bucket),
            first_day: self.day(start),
            end_day: self.day(end),
            calendar: *self,
        }
    }

    /// Parses a month (`2025-09`), quarter (`2025-Q3`), ISO week (`2025-W36`), year
    /// (`2025`) or day (`2025-09-14`).
    pub fn parse(&self, text: &str) -> Result<Period, String> {
        let (bucket, first) = crate::syntax::period_start(text.trim())?;
        Ok(self.period(bucket, self.day_start(first)))
    }

    /// The periods of one length (`every`, or that of `from`) from the one that holds the
    /// start of `from` to the one that holds the last moment of `to`.
    pub fn series(
        &self,
        from: &str,
        to: &str,
        every: Option<Bucket>,
    ) -> Result<Vec<Period>, String> {
        let first = self.parse(from)?;
        let last = self.parse(to)?;
        if last.end <= first.start {
            return Err(format!("`{to}` ends before `{from}` starts"));
        }
        let bucket = every.or(first.bucket).unwrap_or(Bucket::Month);
        let mut periods = Vec::new();
        let mut start = self.start(bucket, first.start);
        while start < last.end {
            let period = self.period(bucket, start);
            start = period.end;
            periods.push(period);
            if periods.len() > MAX_PERIODS {
                return Err(format!(
                    "from `{from}` to `{to}` by {} is more than {MAX_PERIODS} periods",
                    bucket.keyword()
                ));
            }
        }
        Ok(periods)
    }

    /// An instant as RFC 3339 in this zone: `2025-09-01T00:00:00+02:00`, or with `Z` in UTC.
    pub fn timestamp_text(&self, micros: i64) -> String {
        if self.is_utc() {
            return timestamp_text(micros);
        }
        match DateTime::from_timestamp_micros(micros) {
            Some(t) => {
                let local = t.with_timezone(&self.zone);
                if micros % 1_000_000 == 0 {
                    local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
                } else {
                    local.format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string()
                }
            }
            None => micros.to_string(),
        }
    }

    /// An instant written by a user: RFC 3339, a date-time without offset (local to this
    /// zone), or a date (its first moment).
    pub fn instant(&self, text: &str) -> Result<i64, String> {
        let text = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Ok(t.timestamp_micros());
        }
        for layout in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S%.f",
        ] {
            if let Ok(local) = NaiveDateTime::parse_from_str(text, layout) {
                if let Some(t) = self.zone.from_local_datetime(&local).earliest() {
                    return Ok(t.timestamp_micros());
                }
            }
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(self.day_start(date));
        }
        Err(format!(
            "`{text}` is not an instant: write a date (`2025-09-30`) or a date-time \
             (`2025-09-30T17:00:00` in the run's time zone, or with an offset)"
        ))
    }
}

/// The most periods a series may hold: ten years of days.
const MAX_PERIODS: usize = 3_660;

/// A half-open interval of time, `[start, end)`, in microseconds since the epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// As the user wrote it: `2025-09`, `2025-Q3`, `2025-W36`, `2025`.
    pub label: String,
    pub start: i64,
    pub end: i64,
    /// The calendar unit the period is one of, which is the step back to the previous one.
    pub bucket: Option<Bucket>,
    /// The local dates the period covers, `[first_day, end_day)` in days since 1970-01-01,
    /// for `Date` values, which have no time of day.
    pub first_day: i32,
    pub end_day: i32,
    pub calendar: Calendar,
}

impl Period {
    /// Parses a period in UTC; see [`Calendar::parse`].
    pub fn parse(text: &str) -> Result<Period, String> {
        Calendar::utc().parse(text)
    }

    pub fn contains(&self, micros: i64) -> bool {
        self.start <= micros && micros < self.end
    }

    /// Whether a local date lies in the period.
    pub fn contains_day(&self, days: i32) -> bool {
        self.first_day <= days && days < self.end_day
    }

    /// The period cut short at an instant: the part of it before `at`.
    pub fn cut(&self, at: i64) -> Period {
        if at >= self.end {
            return self.clone();
        }
        let end = at.max(self.start);
        // A date counts while its first moment is before the cut.
        let day = self.calendar.day(end);
        let end_day = if self.calendar.date_start(day) < end {
            day + 1
        } else {
            day
        };
        Period {
            end,
            end_day: end_day.max(self.first_day),
            ..self.clone()
        }
    }

    /// The period `back` periods before this one, if it has a calendar unit.
    pub fn before(&self, back: u32) -> Option<Period> {
        let bucket = self.bucket?;
        let start = self.calendar.back(bucket, self.start, back);
        Some(self.calendar.period(bucket, start))
    }

    /// The start as RFC 3339 in the period's time zone.
    pub fn start_text(&self) -> String {
        self.calendar.timestamp_text(self.start)
    }

    /// The end as RFC 3339 in the period's time zone.
    pub fn end_text(&self) -> String {
        self.calendar.timestamp_text(self.end)
    }
}

fn epoch_date(days: i64) -> NaiveDate {
    NaiveDate::default() + chrono::Duration::days(days)
}

fn days_since_epoch(date: NaiveDate) -> i64 {
    (date - NaiveDate::default()).num_days()
}

/// The first day of the bucket that holds `date`.
fn first_day(bucket: Bucket, d: NaiveDate) -> NaiveDate {
    match bucket {
        Bucket::Day => d,
        Bucket::Week => d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64),
        Bucket::Month => d.with_day(1).unwrap_or(d),
        Bucket::Quarter => {
            NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).unwrap_or(d)
        }
        Bucket::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
    }
}

/// The first day of the bucket `by` buckets after (or before) the one starting on `d`.
fn step(bucket: Bucket, d: NaiveDate, by: i64) -> NaiveDate {
    let months = |n: i64| {
        let shifted = if n >= 0 {
            d.checked_add_months(chrono::Months::new(n as u32))
        } else {
            d.checked_sub_months(chrono::Months::new(n.unsigned_abs() as u32))
        };
        shifted.unwrap_or(d)
    };
    match bucket {
        Bucket::Day => d + chrono::Duration::days(by),
        Bucket::Week => d + chrono::Duration::days(7 * by),
        Bucket::Month => months(by),
        Bucket::Quarter => months(3 * by),
        Bucket::Year => months(12 * by),
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
    epoch_date(days as i64).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MICROS_PER_HOUR: i64 = 3_600_000_000;

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
        assert!(q2.contains_day(q2.first_day) && !q2.contains_day(q2.end_day));
    }

    #[test]
    fn iso_weeks_start_on_monday() {
        let utc = Calendar::utc();
        let w = Period::parse("2025-W01").unwrap();
        assert_eq!(w.start, at("2024-12-30T00:00:00Z"));
        assert_eq!(w.end, at("2025-01-06T00:00:00Z"));
        let start = utc.start(Bucket::Week, at("2025-09-03T10:00:00Z"));
        assert_eq!(utc.label(Bucket::Week, start), "2025-W36");
    }

    #[test]
    fn years_and_days() {
        let y = Period::parse("2025").unwrap();
        assert_eq!(
            (y.start, y.end),
            (at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"))
        );
        let d = Period::parse("2025-09-14").unwrap();
        assert_eq!(d.end - d.start, MICROS_PER_DAY);
    }

    #[test]
    fn series_step_by_the_period_or_by_every() {
        let utc = Calendar::utc();
        let months = utc.series("2025-01", "2025-12", None).unwrap();
        assert_eq!(months.len(), 12);
        assert_eq!(months[11].label, "2025-12");
        let quarters = utc
            .series("2025-01", "2025-12", Some(Bucket::Quarter))
            .unwrap();
        let labels: Vec<&str> = quarters.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
        // A series by quarter from a month in the middle starts with that month's quarter.
        let from_may = utc
            .series("2025-05", "2025-07", Some(Bucket::Quarter))
            .unwrap();
        assert_eq!(from_may[0].label, "2025-Q2");
        assert!(utc.series("2025-03", "2025-01", None).is_err());
        assert!(utc.series("2000-01-01", "2030-12-31", None).is_err());
    }

    #[test]
    fn stepping_back_keeps_the_calendar_unit() {
        let march = Period::parse("2025-03").unwrap();
        assert_eq!(march.before(1).unwrap().label, "2025-02");
        assert_eq!(march.before(14).unwrap().label, "2024-01");
        let q1 = Period::parse("2025-Q1").unwrap();
        assert_eq!(q1.before(1).unwrap().label, "2024-Q4");
        let w1 = Period::parse("2025-W01").unwrap();
        assert_eq!(w1.before(1).unwrap().label, "2024-W52");
    }

    #[test]
    fn a_time_zone_moves_the_bounds_to_local_midnight() {
        let berlin = Calendar::named("Europe/Berlin").unwrap();
        let september = berlin.parse("2025-09").unwrap();
        assert_eq!(september.start, at("2025-08-31T22:00:00Z"));
        assert_eq!(september.end, at("2025-09-30T22:00:00Z"));
        assert_eq!(september.start_text(), "2025-09-01T00:00:00+02:00");
        // An instant late on 30 September in UTC is already October in Berlin.
        assert!(!september.contains(at("2025-09-30T22:30:00Z")));
        // The day the clocks go back has 25 hours.
        let long_day = berlin.parse("2025-10-26").unwrap();
        assert_eq!(long_day.end - long_day.start, 25 * MICROS_PER_HOUR);
        assert!(Calendar::named("Mars/Olympus").is_err());
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_at_the_first_moment_that_exists() {
        // Clocks in Santiago went from 00:00 to 01:00 on 2024-09-08.
        let santiago = Calendar::named("America/Santiago").unwrap();
        let day = santiago.parse("2024-09-08").unwrap();
        assert_eq!(day.start, at("2024-09-08T04:00:00Z"));
        assert_eq!(day.end - day.start, 23 * MICROS_PER_HOUR);
    }

    #[test]
    fn a_period_cut_short_keeps_the_dates_before_the_cut() {
        let september = Period::parse("2025-09").unwrap();
        let cut = september.cut(at("2025-09-15T12:00:00Z"));
        assert_eq!(cut.end, at("2025-09-15T12:00:00Z"));
        assert!(cut.contains_day(Calendar::utc().day(at("2025-09-15T00:00:00Z"))));
        assert!(!cut.contains_day(Calendar::utc().day(at("2025-09-16T00:00:00Z"))));
        assert_eq!(september.cut(at("2026-01-01T00:00:00Z")), september);
        let before = september.cut(at("2025-01-01T00:00:00Z"));
        assert_eq!(before.start, before.end);
    }

    #[test]
    fn instants_read_in_the_zone() {
        let berlin = Calendar::named("Europe/Berlin").unwrap();
        assert_eq!(
            berlin.instant("2025-09-30T17:00:00").unwrap(),
            at("2025-09-30T15:00:00Z")
        );
        assert_eq!(
            berlin.instant("2025-09-30T17:00:00Z").unwrap(),
            at("2025-09-30T17:00:00Z")
        );
        assert_eq!(
            berlin.instant("2025-10-01").unwrap(),
            at("2025-09-30T22:00:00Z")
        );
        assert!(berlin.instant("yesterday").is_err());
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
        let utc = Calendar::utc();
        let t = at("2025-08-17T12:00:00Z");
        assert_eq!(
            utc.label(Bucket::Quarter, utc.start(Bucket::Quarter, t)),
            "2025-Q3"
        );
        let next = utc.next(Bucket::Month, utc.start(Bucket::Month, t));
        assert_eq!(utc.label(Bucket::Month, next), "2025-09");
        assert_eq!(utc.label(Bucket::Year, utc.start(Bucket::Year, t)), "2025");
        assert_eq!(
            utc.label(Bucket::Day, utc.start(Bucket::Day, t)),
            "2025-08-17"
        );
        assert_eq!(timestamp_text(t), "2025-08-17T12:00:00Z");
    }
}
