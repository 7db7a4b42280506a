//! Parsing cell text into typed values, and describing values that do not parse.
//!
//! The parsers here are strict and allocation-free: each takes the exact text of one value
//! (the caller trims it where the format allows) and returns `None` unless the whole text is
//! valid. They are public because the language's literals use the same forms. The
//! descriptions turn a [`Problem`] with a column into the words of a diagnostic; they run only
//! on the error path, so they may allocate and try harder to say what went wrong.

use super::{type_name, ColumnSpec, ColumnType};
use crate::diagnostic::did_you_mean;

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;
const MICROS_PER_WEEK: i64 = 7 * MICROS_PER_DAY;
/// The largest integer an `f64` holds exactly; integral floats beyond it are not trusted.
const MAX_EXACT_FLOAT_INT: f64 = 9_007_199_254_740_992.0;

/// Parses a duration into microseconds.
///
/// Accepts the language's literal form (`72h`, `1d12h`, `1d 12h`, `90m`, `1.5h`: parts of a
/// number and a unit among `w`, `d`, `h`, `m` for minutes and `s`, each unit at most once),
/// ISO 8601 durations without years or months (`PT4H30M`, `P3D`, `P1DT2H`, `P2W`), and clock
/// form `HH:MM:SS` with optional fractional seconds. Negative durations are not accepted.
pub fn parse_duration(text: &str) -> Option<i64> {
    if text.starts_with('P') {
        parse_iso_duration(text)
    } else if text.contains(':') {
        parse_clock_duration(text)
    } else {
        parse_unit_duration(text)
    }
}

/// Parses an RFC 3339 date-time into microseconds since the Unix epoch, UTC.
///
/// The separator may be `T`, `t` or a space; seconds and fractional seconds are optional
/// (fractions beyond microseconds are truncated); the offset may be `Z`, `+HH:MM`, `+HHMM` or
/// absent, in which case the time is UTC. A bare date is not a date-time.
pub fn parse_datetime(text: &str) -> Option<i64> {
    parse_datetime_after(text, &mut DayCache::default())
}

/// The date part of the last timestamp a column read, and its day number. Exports are
/// ordered by time, so most timestamps of a column fall on the day of the one before, and
/// their dates need neither parsing nor calendar arithmetic.
#[derive(Debug, Default)]
pub(crate) struct DayCache {
    date: Option<[u8; 10]>,
    days: i32,
    /// The time zone a timestamp without an offset is local to; UTC when `None`.
    pub(crate) zone: Option<chrono_tz::Tz>,
}

impl DayCache {
    pub(crate) fn in_zone(zone: Option<chrono_tz::Tz>) -> Self {
        DayCache {
            zone,
            ..DayCache::default()
        }
    }
}

/// [`parse_datetime`], reusing the day of the previous timestamp of the column when the
/// date is the same.
pub(crate) fn parse_datetime_after(text: &str, cache: &mut DayCache) -> Option<i64> {
    let mut c = Cursor::new(text);
    let date = text.as_bytes().get(..10);
    let days = match (date, &cache.date) {
        (Some(date), Some(cached)) if date == cached => {
            c.pos = 10;
            cache.days
        }
        _ => {
            let days = c.date()?;
            // A date is always ten bytes, so `date` is what was just parsed.
            cache.date = date.and_then(|d| d.try_into().ok());
            cache.days = days;
            days
        }
    };
    let days = i64::from(days);
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return None;
    }
    let (hour, minute) = (c.fixed(2)?, c.eat_then(b':')?.fixed(2)?);
    let second = if c.eat(b':') { c.fixed(2)? } else { 0 };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let nanos = if c.eat(b'.') { c.fraction()? } else { 0 };

    // The offset is what local time is ahead of UTC, so it is subtracted.
    let local = c.at_end();
    let offset_minutes = if c.eat(b'Z') || c.eat(b'z') || local {
        0
    } else {
        let sign = match c.next()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours = c.fixed(2)?;
        c.eat(b':');
        let minutes = c.fixed(2)?;
        if hours > 23 || minutes > 59 {
            return None;
        }
        sign * i64::from(hours * 60 + minutes)
    };
    if !c.at_end() {
        return None;
    }

    let seconds = i64::from(hour * 3600 + minute * 60 + second);
    let micros = days * MICROS_PER_DAY + seconds * MICROS_PER_SECOND + (nanos / 1000) as i64
        - offset_minutes * MICROS_PER_MINUTE;
    match (local, cache.zone) {
        (true, Some(zone)) => Some(from_local(micros, zone)),
        _ => Some(micros),
    }
}

/// The instant of a local time in a zone, given as if it were UTC. A time the clocks skip
/// is read with the offset in force before the change; one they repeat, at its first
/// occurrence.
fn from_local(micros: i64, zone: chrono_tz::Tz) -> i64 {
    use chrono::{Offset, TimeZone};
    let Some(naive) = chrono::DateTime::from_timestamp_micros(micros).map(|t| t.naive_utc()) else {
        return micros;
    };
    // A skipped time lies in a gap of an hour or two: the offset a few hours earlier is
    // the one in force before the change.
    let before = naive - chrono::Duration::hours(3);
    let offset = match zone.offset_from_local_datetime(&naive).earliest() {
        Some(offset) => offset.fix(),
        None => zone.offset_from_utc_datetime(&before).fix(),
    };
    micros - i64::from(offset.local_minus_utc()) * 1_000_000
}

/// Parses a `YYYY-MM-DD` date into days since 1970-01-01.
pub fn parse_date(text: &str) -> Option<i32> {
    let mut c = Cursor::new(text);
    let days = c.date()?;
    c.at_end().then_some(days)
}

/// Parses a boolean: `true`/`false`, `yes`/`no` or `1`/`0`, in any case.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    const TRUE: [&str; 3] = ["true", "yes", "1"];
    const FALSE: [&str; 3] = ["false", "no", "0"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
        Some(false)
    } else {
        None
    }
}

/// Parses a whole number; an integral decimal such as `3.0` counts, as spreadsheet exports
/// write integers that way.
pub(crate) fn parse_int(text: &str) -> Option<i64> {
    text.parse::<i64>()
        .ok()
        .or_else(|| int_from_float(text.parse::<f64>().ok()?))
}

/// The integer an `f64` holds, if it holds one exactly.
pub(crate) fn int_from_float(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() <= MAX_EXACT_FLOAT_INT).then_some(value as i64)
}

/// Parses a finite number.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `<number><unit>` parts, optionally separated by spaces.
fn parse_unit_duration(text: &str) -> Option<i64> {
    let mut c = Cursor::new(text);
    let mut total: i128 = 0;
    let mut units_seen = 0u8;
    loop {
        let (whole, nanos) = c.decimal()?;
        let (bit, unit) = match c.next()? {
            b'w' => (1, MICROS_PER_WEEK),
            b'd' => (2, MICROS_PER_DAY),
            b'h' => (4, MICROS_PER_HOUR),
            b'm' => (8, MICROS_PER_MINUTE),
            b's' => (16, MICROS_PER_SECOND),
            _ => return None,
        };
        // `1h 1h` is far more likely a slip than a wish for two hours.
        if units_seen & bit != 0 {
            return None;
        }
        units_seen |= bit;
        total += scaled(whole, nanos, unit);
        while c.eat(b' ') {}
        if c.at_end() {
            return i64::try_from(total).ok();
        }
    }
}

/// ISO 8601 `PnWnDTnHnMnS`; years and months are refused, as they have no fixed length.
fn parse_iso_duration(text: &str) -> Option<i64> {
    let mut c = Cursor::new(text);
    c.eat(b'P').then_some(())?;
    let mut total: i128 = 0;
    let mut rank = 0; // each designator must come after the previous one
    let mut in_time = false;
    let mut parts_in_time = 0;
    let mut parts = 0;
    while !c.at_end() {
        if !in_time && c.eat(b'T') {
            in_time = true;
            continue;
        }
        let (whole, nanos) = c.decimal()?;
        let (new_rank, unit) = match (in_time, c.next()?) {
            (false, b'W') => (1, MICROS_PER_WEEK),
            (false, b'D') => (2, MICROS_PER_DAY),
            (true, b'H') => (3, MICROS_PER_HOUR),
            (true, b'M') => (4, MICROS_PER_MINUTE),
            (true, b'S') => (5, MICROS_PER_SECOND),
            _ => return None,
        };
        if new_rank <= rank {
            return None;
        }
        rank = new_rank;
        parts += 1;
        parts_in_time += usize::from(in_time);
        total += scaled(whole, nanos, unit);
    }
    if parts == 0 || (in_time && parts_in_time == 0) {
        return None;
    }
    i64::try_from(total).ok()
}

/// `H:MM:SS` with any number of hour digits and optional fractional seconds.
fn parse_clock_duration(text: &str) -> Option<i64> {
    let mut c = Cursor::new(text);
    let (hours, _) = c.digits()?;
    let minutes = c.eat_then(b':')?.fixed(2)?;
    let seconds = c.eat_then(b':')?.fixed(2)?;
    let nanos = if c.eat(b'.') { c.fraction()? } else { 0 };
    if minutes > 59 || seconds > 59 || !c.at_end() {
        return None;
    }
    let whole_seconds = i128::from(hours) * 3600 + i128::from(minutes * 60 + seconds);
    let total = scaled_i128(whole_seconds, nanos, MICROS_PER_SECOND);
    i64::try_from(total).ok()
}

/// `whole.fraction` units in microseconds, the fraction given in nanos and rounded.
fn scaled(whole: u64, nanos: u32, unit: i64) -> i128 {
    scaled_i128(i128::from(whole), nanos, unit)
}

fn scaled_i128(whole: i128, nanos: u32, unit: i64) -> i128 {
    let unit = i128::from(unit);
    whole * unit + (i128::from(nanos) * unit + 500_000_000) / 1_000_000_000
}

/// A forward-only reader over the bytes of one value.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    fn next(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, expected: u8) -> bool {
        let hit = self.bytes.get(self.pos) == Some(&expected);
        self.pos += usize::from(hit);
        hit
    }

    /// Eats `expected` or fails, so that a chain of parts reads as one expression.
    fn eat_then(&mut self, expected: u8) -> Option<&mut Self> {
        self.eat(expected).then_some(self)
    }

    /// Exactly `n` ASCII digits.
    fn fixed(&mut self, n: usize) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + n)?;
        let mut value = 0u32;
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(d - b'0');
        }
        self.pos += n;
        Some(value)
    }

    /// One or more ASCII digits, with their count; `None` on none or overflow.
    fn digits(&mut self) -> Option<(u64, usize)> {
        let start = self.pos;
        let mut value = 0u64;
        while let Some(&d) = self.bytes.get(self.pos).filter(|d| d.is_ascii_digit()) {
            value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.pos += 1;
        }
        (self.pos > start).then_some((value, self.pos - start))
    }

    /// The digits after a decimal point as nanos; digits past the ninth are ignored.
    fn fraction(&mut self) -> Option<u32> {
        let start = self.pos;
        let mut nanos = 0u32;
        while let Some(&d) = self.bytes.get(self.pos).filter(|d| d.is_ascii_digit()) {
            if self.pos - start < 9 {
                nanos = nanos * 10 + u32::from(d - b'0');
            }
            self.pos += 1;
        }
        let count = self.pos - start;
        if count == 0 {
            return None;
        }
        Some(nanos * 10u32.pow(9 - count.min(9) as u32))
    }

    /// A non-negative decimal number `123` or `1.5`, as whole part and nanos.
    fn decimal(&mut self) -> Option<(u64, u32)> {
        let (whole, _) = self.digits()?;
        let nanos = if self.eat(b'.') { self.fraction()? } else { 0 };
        Some((whole, nanos))
    }

    /// `YYYY-MM-DD` as days since the epoch.
    fn date(&mut self) -> Option<i32> {
        let year = self.fixed(4)?;
        let month = self.eat_then(b'-')?.fixed(2)?;
        let day = self.eat_then(b'-')?.fixed(2)?;
        days_from_civil(year, month, day)
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar, or `None` if there
/// is no such day. Arithmetic on eras of 400 years, so no calendar library is needed on the
/// path every date and timestamp of a file takes.
fn days_from_civil(year: u32, month: u32, day: u32) -> Option<i32> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month {
        return None;
    }
    // Years start in March here, so that the leap day falls at the end of a year.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    i32::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

/// What is wrong with one value of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Nothing where the column is not optional.
    Missing,
    /// Text that is not a value of the column's type.
    Invalid,
    /// A JSON value of the wrong kind; the kind found, as "a string", "a number", ...
    WrongJsonType(&'static str),
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// A JSON object that gives the column twice.
    DuplicateKey,
    /// More distinct texts than a dictionary code can number.
    TooManyTexts,
}

/// The words of a diagnostic about one value.
#[derive(Debug)]
pub(crate) struct Described {
    pub code: &'static str,
    pub message: String,
    pub label: String,
    pub help: String,
}

/// Describes `problem` with the value `shown` (as the user wrote it) in column `spec`.
pub(crate) fn describe(problem: Problem, spec: &ColumnSpec, shown: &str) -> Described {
    let column = spec.in_file();
    let value = shorten(shown);
    let (what, a_what) = type_words(&spec.ty);
    match problem {
        Problem::Missing => Described {
            code: "msr::data::missing_value",
            message: format!("missing value in column `{column}`, which is not optional"),
            label: format!("expected {a_what}, found nothing"),
            help: format!(
                "fill in the value, or declare the column optional: `{column}: {}?`",
                type_name(&spec.ty)
            ),
        },
        Problem::Invalid => describe_invalid(spec, shown),
        Problem::WrongJsonType(found) => Described {
            code: "msr::data::bad_value",
            message: format!("invalid {what} {value} in column `{column}`"),
            label: format!("expected {}, found {found}", json_expectation(&spec.ty)),
            help: match spec.ty {
                ColumnType::Int | ColumnType::Number => {
                    "write the number without quotes, e.g. `42`".to_string()
                }
                ColumnType::Bool => "write `true` or `false`".to_string(),
                _ => format!(
                    "write the value as a JSON string: `\"{}\"`",
                    shown.trim_matches('"')
                ),
            },
        },
        Problem::InvalidUtf8 => Described {
            code: "msr::data::invalid_utf8",
            message: format!("invalid UTF-8 in column `{column}`"),
            label: "not valid UTF-8".to_string(),
            help: "save the file as UTF-8 (in a spreadsheet, export as \"CSV UTF-8\")".to_string(),
        },
        Problem::DuplicateKey => Described {
            code: "msr::data::bad_json",
            message: format!("key `{column}` appears twice in one object"),
            label: "second value for the same key".to_string(),
            help: format!("keep one `{column}` entry per line"),
        },
        Problem::TooManyTexts => Described {
            code: "msr::data::bad_value",
            message: format!("too many distinct values in column `{column}`"),
            label: "one distinct value too many".to_string(),
            help: "split the dataset into smaller files".to_string(),
        },
    }
}

/// Describes text that does not parse, with a hint at the likely slip where one is clear.
fn describe_invalid(spec: &ColumnSpec, shown: &str) -> Described {
    let column = spec.in_file();
    let value = shorten(shown);
    let (what, a_what) = type_words(&spec.ty);
    let trimmed = shown.trim();
    let help = match &spec.ty {
        ColumnType::Int if parse_number(trimmed).is_some() => {
            "an integer column takes whole numbers only; declare it `Number` for fractions"
                .to_string()
        }
        ColumnType::Int => "write a whole number, e.g. `42`".to_string(),
        ColumnType::Number if trimmed.parse::<f64>().is_ok() => {
            "NaN and infinities are not allowed; leave the value empty if it is unknown".to_string()
        }
        ColumnType::Number => "write a number with a decimal point, e.g. `3.5`".to_string(),
        ColumnType::Bool if spec.bool_texts.is_empty() => {
            "write `true` or `false` (or yes/no, 1/0)".to_string()
        }
        ColumnType::Bool => {
            let texts: Vec<String> = spec
                .bool_texts
                .iter()
                .map(|(t, b)| format!("`{t}` for `{b}`"))
                .collect();
            format!(
                "write `true` or `false` (or yes/no, 1/0), or a text the binding recodes: {}",
                texts.join(", ")
            )
        }
        ColumnType::Text => "write any text".to_string(),
        ColumnType::Date => "write the date as YYYY-MM-DD, e.g. `2025-09-01`".to_string(),
        ColumnType::DateTime if parse_date(trimmed).is_some() => {
            format!("a date-time needs a time as well, e.g. `{trimmed}T00:00:00Z`")
        }
        ColumnType::DateTime => {
            "write an RFC 3339 date-time, e.g. `2025-09-01T14:30:00Z`".to_string()
        }
        ColumnType::Duration if looks_like_calendar_duration(trimmed) => {
            "years and months have no fixed length; write days instead, e.g. `P30D`".to_string()
        }
        ColumnType::Duration => {
            "write a duration such as `72h`, `1d12h`, `90m`, `PT4H30M` or `01:30:00`".to_string()
        }
        ColumnType::Category {
            scale,
            categories,
            aliases,
        } => {
            let names = categories.iter().chain(aliases.iter().map(|(a, _)| a));
            match did_you_mean(trimmed, names.map(|c| &**c)) {
                Some(near) => format!("did you mean `{near}`?"),
                None if aliases.is_empty() => {
                    format!("use one of {}", list_categories(scale, categories))
                }
                None => {
                    let texts: Vec<String> =
                        aliases.iter().map(|(a, _)| format!("`{a}`")).collect();
                    format!(
                        "use one of {}, or a text the binding recodes: {}",
                        list_categories(scale, categories),
                        texts.join(", ")
                    )
                }
            }
        }
    };
    let (message, label) = match &spec.ty {
        ColumnType::Category { scale, .. } => (
            format!("unknown category {value} in column `{column}`"),
            format!("expected a category of scale `{scale}`"),
        ),
        _ => (
            format!("invalid {what} {value} in column `{column}`"),
            format!("expected {a_what}"),
        ),
    };
    Described {
        code: "msr::data::bad_value",
        message,
        label,
        help,
    }
}

/// An ISO 8601 duration with years or months, which parse_duration refuses.
fn looks_like_calendar_duration(text: &str) -> bool {
    let date_part = text.split('T').next().unwrap_or_default();
    text.starts_with('P') && (date_part.contains('Y') || date_part.contains('M'))
}

/// "`low`, `medium` or `high` (scale `severity`)", cut short for long scales.
fn list_categories(scale: &str, categories: &[std::sync::Arc<str>]) -> String {
    const SHOWN: usize = 12;
    let mut names: Vec<String> = categories
        .iter()
        .take(SHOWN)
        .map(|c| format!("`{c}`"))
        .collect();
    if categories.len() > SHOWN {
        names.push(format!("{} more", categories.len() - SHOWN));
    }
    let list = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "no categories".to_string(),
    };
    format!("{list} (scale `{scale}`)")
}

/// The type as a noun and with an article: ("date-time", "a date-time").
fn type_words(ty: &ColumnType) -> (&'static str, &'static str) {
    match ty {
        ColumnType::Int => ("integer", "a whole number"),
        ColumnType::Number => ("number", "a number"),
        ColumnType::Bool => ("boolean", "true or false"),
        ColumnType::Text => ("text", "text"),
        ColumnType::Date => ("date", "a date"),
        ColumnType::DateTime => ("date-time", "a date-time"),
        ColumnType::Duration => ("duration", "a duration"),
        ColumnType::Category { .. } => ("category", "a category"),
    }
}

/// What a JSON Lines value of the type should look like.
fn json_expectation(ty: &ColumnType) -> &'static str {
    match ty {
        ColumnType::Int => "a whole JSON number",
        ColumnType::Number => "a JSON number",
        ColumnType::Bool => "`true` or `false`",
        ColumnType::Text => "a JSON string",
        ColumnType::Date => "a date as a JSON string",
        ColumnType::DateTime => "a date-time as a JSON string",
        ColumnType::Duration => "a duration as a JSON string",
        ColumnType::Category { .. } => "a category as a JSON string",
    }
}

/// The value in backticks, cut to a length that keeps the message on one line.
fn shorten(value: &str) -> String {
    const MAX_CHARS: usize = 40;
    if value.chars().count() <= MAX_CHARS {
        return format!("`{value}`");
    }
    let head: String = value.chars().take(MAX_CHARS - 1).collect();
    format!("`{head}…`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_reads_timestamps_without_an_offset_as_local_time() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        let mut zoned = DayCache::in_zone(Some(berlin));
        let at = |text: &str| parse_datetime(text).unwrap();
        // Summer time: two hours ahead of UTC.
        assert_eq!(
            parse_datetime_after("2025-10-01T01:30:00", &mut zoned),
            Some(at("2025-09-30T23:30:00Z"))
        );
        // An explicit offset wins over the zone.
        assert_eq!(
            parse_datetime_after("2025-10-01T01:30:00Z", &mut zoned),
            Some(at("2025-10-01T01:30:00Z"))
        );
        // 02:30 on the day the clocks go forward does not exist; it is read with the
        // winter offset in force before the change.
        assert_eq!(
            parse_datetime_after("2025-03-30T02:30:00", &mut zoned),
            Some(at("2025-03-30T01:30:00Z"))
        );
        // 02:30 on the day they go back happens twice; the first is meant.
        assert_eq!(
            parse_datetime_after("2025-10-26T02:30:00", &mut zoned),
            Some(at("2025-10-26T00:30:00Z"))
        );
    }

    #[test]
    fn calendar_arithmetic_agrees_with_chrono_and_rejects_impossible_days() {
        use chrono::{Datelike, NaiveDate};
        let mut d = NaiveDate::from_ymd_opt(1600, 1, 1).unwrap();
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        while d.year() < 2500 {
            let days = days_from_civil(d.year() as u32, d.month(), d.day());
            assert_eq!(days, Some((d - epoch).num_days() as i32), "{d}");
            d = d.succ_opt().unwrap();
        }
        for (y, m, day) in [
            (2025, 2, 29),
            (2024, 2, 30),
            (1900, 2, 29),
            (2025, 4, 31),
            (2025, 13, 1),
            (2025, 1, 0),
        ] {
            assert_eq!(days_from_civil(y, m, day), None, "{y}-{m}-{day}");
        }
        assert_eq!(days_from_civil(2000, 2, 29), Some(11_016));
    }

    const H: i64 = MICROS_PER_HOUR;
    const M: i64 = MICROS_PER_MINUTE;
    const S: i64 = MICROS_PER_SECOND;

    #[test]
    fn duration_literal_forms() {
        assert_eq!(parse_duration("72h"), Some(72 * H));
        assert_eq!(parse_duration("1d12h"), Some(36 * H));
        assert_eq!(parse_duration("1d 12h"), Some(36 * H));
        assert_eq!(parse_duration("90m"), Some(90 * M));
        assert_eq!(parse_duration("1.5h"), Some(90 * M));
        assert_eq!(parse_duration("2w"), Some(14 * 24 * H));
        assert_eq!(parse_duration("45s"), Some(45 * S));
        assert_eq!(parse_duration("0.5s"), Some(S / 2));
        assert_eq!(parse_duration("0h"), Some(0));
        assert_eq!(parse_duration("1h30m15s"), Some(H + 30 * M + 15 * S));
    }

    #[test]
    fn duration_literal_rejects() {
        for bad in [
            "", "72", "h", "72x", "1h1h", "-2h", "1.h", ".5h", "72 h", "72H", "1d-", "90ms",
            " 72h", "1e3h",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
        assert_eq!(parse_duration("99999999999999999999w"), None);
        assert_eq!(parse_duration("999999999999w"), None);
    }

    #[test]
    fn duration_iso_forms() {
        assert_eq!(parse_duration("PT4H30M"), Some(4 * H + 30 * M));
        assert_eq!(parse_duration("P3D"), Some(72 * H));
        assert_eq!(parse_duration("P1DT2H"), Some(26 * H));
        assert_eq!(parse_duration("P2W"), Some(14 * 24 * H));
        assert_eq!(parse_duration("PT0.5H"), Some(30 * M));
        assert_eq!(parse_duration("PT90S"), Some(90 * S));
        for bad in [
            "P", "PT", "P1Y", "P1M", "P1DT", "PT1D", "P1H", "PT2M1H", "P1D2D", "p1d",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn duration_clock_form() {
        assert_eq!(parse_duration("01:30:00"), Some(90 * M));
        assert_eq!(parse_duration("100:00:01"), Some(100 * H + S));
        assert_eq!(parse_duration("0:00:01.25"), Some(S + S / 4));
        for bad in [
            "1:30",
            "01:60:00",
            "01:00:60",
            "01:0:00",
            "01:00:00:00",
            ":00:00",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(parse_date("1969-12-31"), Some(-1));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-01",
            "25-01-01",
            "2025/01/01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert_eq!(parse_date("2025-01-01T00:00:00Z"), None);
    }

    #[test]
    fn datetimes() {
        let day = 20_332 * MICROS_PER_DAY; // 2025-09-01
        assert_eq!(parse_date("2025-09-01"), Some(20_332));
        let at = day + 14 * H + 30 * M;
        assert_eq!(parse_datetime("2025-09-01T14:30:00Z"), Some(at));
        assert_eq!(parse_datetime("2025-09-01T14:30:00"), Some(at));
        assert_eq!(parse_datetime("2025-09-01 14:30:00"), Some(at));
        assert_eq!(parse_datetime("2025-09-01t14:30z"), Some(at));
        assert_eq!(parse_datetime("2025-09-01T16:30:00+02:00"), Some(at));
        assert_eq!(parse_datetime("2025-09-01T16:30:00+0200"), Some(at));
        assert_eq!(parse_datetime("2025-09-01T09:00:00-05:30"), Some(at));
        assert_eq!(
            parse_datetime("2025-09-01T14:30:00.123456789Z"),
            Some(at + 123_456)
        );
        assert_eq!(parse_datetime("2025-09-01T14:30:00.5Z"), Some(at + S / 2));
        for bad in [
            "2025-09-01",
            "2025-09-01T",
            "2025-09-01T24:00:00Z",
            "2025-09-01T14:60:00Z",
            "2025-09-01T14:30:60Z",
            "2025-13-01T14:30:00Z",
            "2025-09-01T14:30:00+25:00",
            "2025-09-01T14:30:00 Z",
            "2025-09-01T14:30:00.Z",
            "2025-09-01T1:30:00Z",
            "2025-09-01X14:30:00Z",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn reusing_the_day_of_the_previous_timestamp_changes_no_result() {
        let texts = [
            "2025-09-01T14:30:00Z",
            "2025-09-01T23:59:59Z",
            "2025-09-01T24:00:00Z",
            "2025-09-01",
            "2025-09-01 08:00:00+02:00",
            "2025-09-02T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2024-02-29T00:00:00Z",
            "\0\0\0\0\0\0\0\0\0\0T00:00:00Z",
            "2024-02-29T00:00:00.5Z",
            "2024-02-2",
            "2024-02-29x",
            "2024-02-29T12:00",
        ];
        let mut cache = DayCache::default();
        for text in texts.iter().chain(texts.iter().rev()) {
            assert_eq!(
                parse_datetime_after(text, &mut cache),
                parse_datetime(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn bools_ints_numbers() {
        for (text, value) in [
            ("true", true),
            ("FALSE", false),
            ("Yes", true),
            ("no", false),
        ] {
            assert_eq!(parse_bool(text), Some(value));
        }
        assert_eq!(parse_bool("1"), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
        assert_eq!(parse_int("-42"), Some(-42));
        assert_eq!(parse_int("3.0"), Some(3));
        assert_eq!(parse_int("1.5"), None);
        assert_eq!(parse_int("9223372036854775808"), None);
        assert_eq!(parse_int("ten"), None);
        assert_eq!(parse_number("2.5"), Some(2.5));
        assert_eq!(parse_number("-1e3"), Some(-1000.0));
        for bad in ["NaN", "inf", "-infinity", "1,5", ""] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }
}
