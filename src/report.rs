//! Reports: rendering [`Results`] as an aligned table, JSON, CSV, an HTML document or Markdown.
//!
//! Every format carries the same facts: the period, each indicator's value, target, whether
//! it is met and its status, each measure's value and type, the groups of grouped results,
//! the missing values with their reasons, the values skipped by aggregates, and the rows
//! skipped while loading. docs/output.md describes the JSON, CSV, HTML and Markdown layouts.

mod csv;
pub mod explain;
mod html;
mod json;
mod markdown;
mod table;
mod types;

use crate::check::types::{plural, short_number, Entity, Quantity};
use crate::check::{Program, Type};
use crate::eval::period;
use crate::eval::value::Value;
use crate::eval::Results;

pub use self::csv::render as csv;
pub use self::csv::render_series as csv_series;
pub use self::html::render as html;
pub use self::html::render_series as html_series;
pub use self::json::render as json;
pub use self::json::render_series as json_series;
pub use self::markdown::render as markdown;
pub use self::markdown::render_series as markdown_series;
pub use self::table::align;
pub use self::table::render as table;
pub use self::table::render_series as table_series;
pub use self::table::values as table_values;
pub use self::types::render as types;

/// A value as a person reads it: `95.3%`, `1d 4h 12m`, `high`, `2025-09-01T10:00:00Z`,
/// `1250.00 EUR`, `0.42 findings per asset`.
pub fn display(program: &Program, value: &Value, ty: Type) -> String {
    let names = &program.names;
    match (value, ty) {
        (Value::Missing(m), _) => format!("missing ({m})"),
        (Value::Number(f), Type::Money(c)) => format!("{f:.0$} {c}", c.minor_units()),
        (Value::Int(i), Type::Money(c)) => format!("{:.1$} {c}", *i as f64, c.minor_units()),
        (_, Type::Per(q, e)) => {
            let per = names.entity(e);
            match q {
                Quantity::Count(Entity::Named(of)) => format!(
                    "{} {} per {per}",
                    plain(program, value, q.ty()),
                    plural(names.entity(of))
                ),
                _ => format!("{} per {per}", display(program, value, q.ty())),
            }
        }
        _ => plain(program, value, ty),
    }
}

/// A value without a unit beyond its own: a number, a duration, an instant, a category.
fn plain(program: &Program, value: &Value, ty: Type) -> String {
    match value {
        Value::Missing(m) => format!("missing ({m})"),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) if ty == Type::Percent => percent(*i as f64),
        Value::Int(i) => i.to_string(),
        Value::Number(f) if ty == Type::Percent => percent(*f),
        Value::Number(f) => number(*f),
        Value::Duration(d) => duration(*d),
        Value::Date(d) => period::date_text(*d),
        Value::DateTime(t) => period::timestamp_text(*t),
        Value::Text(s) => s.to_string(),
        Value::Category(c) => category(program, ty, *c),
    }
}

fn category(program: &Program, ty: Type, index: u16) -> String {
    match ty {
        Type::Category(s) => program.scales[s]
            .categories
            .get(index as usize)
            .cloned()
            .unwrap_or_else(|| index.to_string()),
        _ => index.to_string(),
    }
}

/// A number with at most two decimals, without trailing zeros.
fn number(f: f64) -> String {
    short_number(f)
}

/// A fraction as a percentage with at most two decimals: 0.953 is `95.3%`, 0.2504 is
/// `25.04%`, so that a value just past a threshold does not display as the threshold.
fn percent(f: f64) -> String {
    format!("{}%", number(f * 100.0))
}

/// A duration in its largest units, to the minute when it is an hour or more: `1d 4h 12m`,
/// `35m 10s`, `45s`.
pub fn duration(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let total = micros.unsigned_abs() as f64 / 1e6;
    if total < 60.0 {
        let s = format!("{total:.1}");
        return format!("{sign}{}s", s.strip_suffix(".0").unwrap_or(&s));
    }
    let mut secs = total.round() as u64;
    if secs >= 3600 {
        // Round to the minute: seconds are noise at this scale.
        secs = (secs + 30) / 60 * 60;
    }
    let parts = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    let mut out = Vec::new();
    for (size, unit) in parts {
        if secs >= size {
            out.push(format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    format!("{sign}{}", out.join(" "))
}

/// The JSON form of a value: numbers for counts and numbers, a fraction for percentages,
/// seconds for durations, RFC 3339 text for instants, names for categories, `null` when
/// missing.
pub fn json_value(program: &Program, value: &Value, ty: Type) -> serde_json::Value {
    use serde_json::json;
    match value {
        Value::Missing(_) => serde_json::Value::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Number(f) => json!(f),
        Value::Duration(d) => json!(*d as f64 / 1e6),
        Value::Date(d) => json!(period::date_text(*d)),
        Value::DateTime(t) => json!(period::timestamp_text(*t)),
        Value::Text(s) => json!(s.as_ref()),
        Value::Category(c) => json!(category(program, ty, *c)),
    }
}

/// How a run's period is described: its label and bounds, or that the whole data was used.
pub fn period_line(results: &Results) -> String {
    match &results.period {
        Some(p) => format!("period {} [{}, {})", p.label, p.start_text(), p.end_text()),
        None => "no period given: the whole data is used".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_their_largest_units() {
        let s = 1_000_000;
        assert_eq!(duration(45 * s), "45s");
        assert_eq!(duration(2_500_000), "2.5s");
        assert_eq!(duration(0), "0s");
        assert_eq!(duration((35 * 60 + 10) * s), "35m 10s");
        assert_eq!(
            duration((86_400 + 4 * 3600 + 12 * 60 + 20) * s),
            "1d 4h 12m"
        );
        assert_eq!(duration(72 * 3600 * s), "3d");
        assert_eq!(duration(-90 * s), "-1m 30s");
    }

    #[test]
    fn numbers_and_percentages() {
        assert_eq!(percent(0.953), "95.3%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.2504), "25.04%");
        assert_eq!(percent(2.0 / 3.0), "66.67%");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(1.23456), "1.23");
        assert_eq!(number(-0.001), "0");
    }
}
