//! Names of reporting periods, as written on the command line and in tests: `2025`,
//! `2025-Q3`, `2025-09`, `2025-W36`, `2025-09-14`.
//!
//! A name says a calendar unit and its first day; where the period starts and ends in time
//! depends on the time zone, which evaluation knows and this module does not.

use chrono::{NaiveDate, Weekday};

use super::ast::Bucket;

const PERIOD_FORMS: &str = "write a year (2025), quarter (2025-Q3), month (2025-09), ISO week (2025-W36) or day (2025-09-14)";

/// The calendar unit a period names, and its first day.
pub fn period_start(text: &str) -> Result<(Bucket, NaiveDate), String> {
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
        (bucket, Some(d)) if text.len() >= 4 && digits(&text[..4]) => Ok((bucket, d)),
        _ => Err(bad()),
    }
}

/// A message of [`period_start`] split into a diagnostic's message and its help line.
pub fn period_problem(message: &str) -> (String, String) {
    match message.split_once(": write") {
        Some((what, how)) => (what.to_string(), format!("write{how}")),
        None => (message.to_string(), PERIOD_FORMS.to_string()),
    }
}
