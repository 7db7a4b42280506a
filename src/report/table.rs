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
        out.push('\n');
        out.push_str(&align(&rows));
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
                skipped(m.total.skipped),
            ]);
            if let Some(by) = &m.group_by {
                rows.push(vec![format!("  by {by}")]);
                for g in &m.groups {
                    rows.push(vec![
                        format!("    {}", g.key),
                        display(program, &g.result.value, m.ty),
                        String::new(),
                        String::new(),
                        skipped(g.result.skipped),
                    ]);
                }
            }
        }
        out.push('\n');
        out.push_str(&align(&rows));
    }
    out
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

/// Pads cells to column widths. A row of one cell (a group heading) spans the table.
pub(super) fn align(rows: &[Vec<String>]) -> String {
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
