//! The CSV report: one row per result (dataset, indicator, measure, and each of their
//! groups), with the same columns for every kind so that a spreadsheet can filter them.

use crate::check::Program;
use crate::eval::Results;

use super::display;

const HEADER: &[&str] = &[
    "kind",
    "name",
    "group_by",
    "group",
    "value",
    "display",
    "type",
    "missing",
    "skipped",
    "status",
    "target",
    "target_met",
    "period",
];

/// The whole report as CSV text.
pub fn render(program: &Program, results: &Results) -> String {
    write(rows(program, results))
}

/// A series as CSV text: the rows of every period in turn, each with its period's label.
pub fn render_series(program: &Program, series: &[Results]) -> String {
    write(series.iter().flat_map(|r| rows(program, r)).collect())
}

fn write(rows: Vec<Vec<String>>) -> String {
    let mut out = ::csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = out.write_record(HEADER);
    for row in rows {
        let _ = out.write_record(&row);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// One row per result of one period's results.
fn rows(program: &Program, results: &Results) -> Vec<Vec<String>> {
    let period = results
        .period
        .as_ref()
        .map_or(String::new(), |p| p.label.clone());
    let mut rows: Vec<Vec<String>> = Vec::new();

    for d in &results.datasets {
        rows.push(vec![
            "dataset".into(),
            d.name.clone(),
            String::new(),
            String::new(),
            d.rows_in_period.to_string(),
            match (d.timed, results.period.is_some()) {
                (false, _) => format!("{} rows (snapshot, not cut to the period)", d.rows),
                (true, true) => format!("{} of {} rows in the period", d.rows_in_period, d.rows),
                (true, false) => format!("{} rows", d.rows_in_period),
            },
            "rows".into(),
            String::new(),
            d.skipped_rows.to_string(),
            String::new(),
            String::new(),
            String::new(),
            period.clone(),
        ]);
    }

    for i in &results.indicators {
        let target = i
            .target
            .as_ref()
            .map(|t| format!("{} {}", t.op.symbol(), display(program, &t.value, t.ty)))
            .unwrap_or_default();
        let all = std::iter::once((String::new(), &i.total))
            .chain(i.groups.iter().map(|g| (g.key.clone(), &g.result)));
        for (group, o) in all {
            rows.push(vec![
                "indicator".into(),
                i.name.clone(),
                i.group_by.clone().unwrap_or_default(),
                group,
                plain(program, &o.value, i.ty),
                display(program, &o.value, i.ty),
                i.type_name.clone(),
                o.value
                    .missing_reason()
                    .map(|m| m.reason().to_string())
                    .unwrap_or_default(),
                o.skipped.to_string(),
                o.status.clone().unwrap_or_default(),
                target.clone(),
                o.target_met.map(|b| b.to_string()).unwrap_or_default(),
                period.clone(),
            ]);
        }
    }

    for m in &results.measures {
        let all = std::iter::once((String::new(), &m.total))
            .chain(m.groups.iter().map(|g| (g.key.clone(), &g.result)));
        for (group, o) in all {
            rows.push(vec![
                "measure".into(),
                m.name.clone(),
                m.group_by.clone().unwrap_or_default(),
                group,
                plain(program, &o.value, m.ty),
                display(program, &o.value, m.ty),
                m.type_name.clone(),
                o.value
                    .missing_reason()
                    .map(|r| r.reason().to_string())
                    .unwrap_or_default(),
                o.skipped.to_string(),
                String::new(),
                String::new(),
                String::new(),
                period.clone(),
            ]);
        }
    }

    rows
}

/// The machine form of a value, as in JSON, without quotes; empty when missing.
fn plain(program: &Program, value: &crate::eval::value::Value, ty: crate::check::Type) -> String {
    match super::json_value(program, value, ty) {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}
