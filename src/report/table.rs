//! The table report for people: a header with the period and the data read, then one row
//! per indicator (value, target, met, status) and one per measure, each grouped result
//! followed by its groups, indented.

use crate::check::Program;
use crate::eval::Results;

use super::{display, period_line};

/// The whole report as aligned text.
pub fn render(program: &Program, results: &Results) -> String {
    let mut out = String::new();
    out.push_str(&period_line(results));
    out.push('\n');
    for d in &results.datasets {
        let mut line = if d.timed && results.period.is_some() {
            format!(
                "dataset {}: {} of {} rows in the period",
                d.name, d.rows_in_period, d.rows
            )
        } else if d.timed {
            format!("dataset {}: {} rows", d.name, d.rows)
        } else {
            format!(
                "dataset {}: {} rows (snapshot, not cut to the period)",
                d.name, d.rows
            )
        };
        if d.skipped_rows > 0 {
            line.push_str(&format!(", {} bad rows skipped", d.skipped_rows));
        }
        out.push_str(&line);
        out.push('\n');
    }
    let values = values(program, results);
    if !values.is_empty() {
        out.push('\n');
    }
    out.push_str(&values);
    out
}

/// The indicators' table and the measures' table of a report, without its header, a blank
/// line between the two.
pub fn values(program: &Program, results: &Results) -> String {
    let mut tables = Vec::new();
    if !results.indicators.is_empty() {
        let mut rows = vec![header(&[
            "INDICATOR",
            "VALUE",
            "TARGET",
            "MET",
            "STATUS",
            "SKIPPED",
        ])];
        for i in &results.indicators {
            let target = i
                .target
                .as_ref()
                .map(|t| format!("{} {}", t.op.symbol(), display(program, &t.value, t.ty)))
                .unwrap_or_else(|| "-".into());
            let line = |name: String, o: &crate::eval::IndicatorOutcome| {
                vec![
                    name,
                    display(program, &o.value, i.ty),
                    target.clone(),
                    match o.target_met {
                        Some(true) => "yes".into(),
                        Some(false) => "no".into(),
                        None => "-".into(),
                    },
                    o.status.clone().unwrap_or_else(|| "(no band holds)".into()),
                    skipped(o.skipped),
                ]
            };
            rows.push(line(i.name.clone(), &i.total));
            if let Some(by) = &i.group_by {
                rows.push(vec![format!("  by {by}")]);
                for g in &i.groups {
                    rows.push(line(format!("    {}", g.key), &g.result));
                }
            }
        }
        tables.push(align(&rows));
    }

    if !results.measures.is_empty() {
        let mut rows = vec![header(&["MEASURE", "VALUE", "TYPE", "KIND", "SKIPPED"])];
        for m in &results.measures {
            let kind = m.kind.keyword();
            rows.push(vec![
                m.name.clone(),
                display(program, &m.total.value, m.ty),
                m.type_name.clone(),
                kind.into(),
                left_out(&m.total),
            ]);
            if let Some(by) = &m.group_by {
                rows.push(vec![format!("  by {by}")]);
                for g in &m.groups {
                    rows.push(vec![
                        format!("    {}", g.key),
                        display(program, &g.result.value, m.ty),
                        String::new(),
                        String::new(),
                        left_out(&g.result),
                    ]);
                }
            }
        }
        tables.push(align(&rows));
    }
    tables.join("\n")
}

pub(super) fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn skipped(n: u64) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("{n} missing")
    }
}

/// Values skipped because missing, and rows excepted on purpose.
fn left_out(o: &crate::eval::Outcome) -> String {
    match (o.skipped, o.excepted) {
        (_, 0) => skipped(o.skipped),
        (0, e) => format!("{e} excepted"),
        (n, e) => format!("{n} missing, {e} excepted"),
    }
}

/// Pads cells to column widths. A row of one cell (a group heading) spans the table.
pub fn align(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows.iter().filter(|r| r.len() > 1) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            if row.len() > 1 {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A series as aligned text: one column per period, one row per indicator (its value and
/// status) and per measure, each grouped result followed by its groups.
pub fn render_series(program: &Program, series: &[Results], every: &str) -> String {
    let Some(first) = series.first() else {
        return "no periods\n".to_string();
    };
    let mut out = match (
        first.period.as_ref(),
        series.last().and_then(|r| r.period.as_ref()),
    ) {
        (Some(a), Some(b)) => format!(
            "series {} to {} by {every} [{}, {}), {} periods\n",
            a.label,
            b.label,
            a.start_text(),
            b.end_text(),
            series.len()
        ),
        _ => String::new(),
    };
    for (k, d) in first.datasets.iter().enumerate() {
        let counts: Vec<String> = series
            .iter()
            .map(|r| r.datasets[k].rows_in_period.to_string())
            .collect();
        let line = if d.timed {
            format!(
                "dataset {}: {} rows; in each period {}",
                d.name,
                d.rows,
                counts.join(", ")
            )
        } else {
            format!(
                "dataset {}: {} rows (snapshot, not cut to the periods)",
                d.name, d.rows
            )
        };
        out.push_str(&line);
        out.push('\n');
    }
    let labels: Vec<String> = series
        .iter()
        .map(|r| r.period.as_ref().map_or(String::new(), |p| p.label.clone()))
        .collect();

    if !first.indicators.is_empty() {
        let mut heading = vec!["INDICATOR".to_string()];
        heading.extend(labels.iter().cloned());
        let mut rows = vec![heading];
        for (k, i) in first.indicators.iter().enumerate() {
            let cell = |o: &crate::eval::IndicatorOutcome| {
                let status = o.status.clone().unwrap_or_else(|| "(no band)".into());
                format!("{} {status}", display(program, &o.value, i.ty))
            };
            let mut row = vec![i.name.clone()];
            row.extend(series.iter().map(|r| cell(&r.indicators[k].total)));
            rows.push(row);
            if let Some(by) = &i.group_by {
                rows.push(vec![format!("  by {by}")]);
                for key in group_keys(series.iter().map(|r| &r.indicators[k].groups)) {
                    let mut row = vec![format!("    {key}")];
                    row.extend(series.iter().map(|r| {
                        r.indicators[k]
                            .groups
                            .iter()
                            .find(|g| g.key == key)
                            .map_or_else(|| "-".to_string(), |g| cell(&g.result))
                    }));
                    rows.push(row);
                }
            }
        }
        out.push('\n');
        out.push_str(&align(&rows));
    }

    if !first.measures.is_empty() {
        let mut heading = vec!["MEASURE".to_string()];
        heading.extend(labels.iter().cloned());
        let mut rows = vec![heading];
        for (k, m) in first.measures.iter().enumerate() {
            let mut row = vec![m.name.clone()];
            row.extend(
                series
                    .iter()
                    .map(|r| display(program, &r.measures[k].total.value, m.ty)),
            );
            rows.push(row);
            if let Some(by) = &m.group_by {
                rows.push(vec![format!("  by {by}")]);
                for key in group_keys(series.iter().map(|r| &r.measures[k].groups)) {
                    let mut row = vec![format!("    {key}")];
                    row.extend(series.iter().map(|r| {
                        r.measures[k]
                            .groups
                            .iter()
                            .find(|g| g.key == key)
                            .map_or_else(
                                || "-".to_string(),
                                |g| display(program, &g.result.value, m.ty),
                            )
                    }));
                    rows.push(row);
                }
            }
        }
        out.push('\n');
        out.push_str(&align(&rows));
    }
    out
}

/// The keys of a result's groups over all periods, in the order they first appear.
pub(super) fn group_keys<'r, T: 'r>(
    periods: impl Iterator<Item = &'r Vec<crate::eval::Group<T>>>,
) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for groups in periods {
        for g in groups {
            if !keys.contains(&g.key) {
                keys.push(g.key.clone());
            }
        }
    }
    keys
}
