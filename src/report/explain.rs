//! Explanations: how a value was computed, as a tree in text or nested JSON, and the rows
//! behind it as CSV, the implementation evidence an auditor asks for.

use serde_json::{json, Value as Json};

use crate::check::{Expr, ExprKind, Program};
use crate::data::Table;
use crate::eval::{self, EvidenceRow, Step, StepKind};

use super::{display, json_value};

/// Text on one line, every run of whitespace made one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A computation as a tree, from the value asked about down to its aggregates.
pub fn explanation(program: &Program, step: &Step) -> String {
    let mut out = String::new();
    node(program, step, "", "", &mut out);
    out
}

fn node(program: &Program, step: &Step, first: &str, rest: &str, out: &mut String) {
    let group = if step.kind == StepKind::Group {
        "group "
    } else {
        ""
    };
    let mut head = format!(
        "{group}{} = {} : {}",
        one_line(&step.label),
        display(program, &step.value, step.ty),
        program.type_name(step.ty)
    );
    if let Some(status) = &step.status {
        head.push_str(&format!(", status {status}"));
    }
    out.push_str(&format!("{first}{head}\n"));

    let mut details: Vec<String> = Vec::new();
    let mut inputs: &[Step] = &step.inputs;
    if let Some(expr) = &step.expr {
        let expr = one_line(expr);
        // A base measure that is one aggregate says so on its own lines.
        if let [only] = inputs {
            if matches!(only.kind, StepKind::Aggregate { .. }) && one_line(&only.label) == expr {
                details.push(expr.clone());
                details.extend(aggregate_lines(only));
                inputs = &[];
            }
        }
        let just_a_name = matches!(inputs, [only] if only.label == expr);
        if details.is_empty() && !just_a_name {
            details.push(expr);
        }
    }
    if matches!(step.kind, StepKind::Aggregate { .. }) {
        details.extend(aggregate_lines(step));
    }
    if let StepKind::OverGroups { by, groups } = &step.kind {
        let shown = match inputs.len() {
            n if n == *groups => String::new(),
            n => format!("; the first {n} shown"),
        };
        let plural = if *groups == 1 { "" } else { "s" };
        details.push(format!("over {groups} group{plural} of {by}{shown}"));
    }
    if let Some(criterion) = &step.criterion {
        details.push(format!("status: {}", one_line(criterion)));
    }
    if let Some((target, met)) = &step.target {
        let verdict = match met {
            Some(true) => "met",
            Some(false) => "not met",
            None => "unknown, as the value is missing",
        };
        details.push(format!("{}: {verdict}", one_line(target)));
    }
    if let Some(by) = &step.group_by {
        match &step.group {
            Some(key) => details.push(format!("grouped by {by}; this is group {key}")),
            None => details.push(format!("grouped by {by}; this is the total")),
        }
    }
    if step.skipped > 0 && !matches!(step.kind, StepKind::Aggregate { .. }) && inputs.is_empty() {
        details.push(format!("{} missing values skipped", step.skipped));
    }
    let bar = if inputs.is_empty() { "" } else { "│  " };
    for d in details {
        out.push_str(&format!("{rest}{bar}{d}\n"));
    }
    for (k, input) in inputs.iter().enumerate() {
        let last = k + 1 == inputs.len();
        let (branch, indent) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        node(
            program,
            input,
            &format!("{rest}{branch}"),
            &format!("{rest}{indent}"),
            out,
        );
    }
}

/// What an aggregate read and did: its rows in the period, excepted, matched by its
/// filter, and skipped for a missing value.
fn aggregate_lines(step: &Step) -> Vec<String> {
    let dataset = match &step.kind {
        StepKind::Aggregate { dataset } => dataset.as_str(),
        _ => "",
    };
    // The filter and exception are in the aggregate as written, shown above.
    let mut lines = Vec::new();
    let (Some(read), Some(matched)) = (step.read, step.rows) else {
        lines.push(format!("{dataset} could not be read"));
        return lines;
    };
    let rows = |n: u64| if n == 1 { "row" } else { "rows" };
    let mut text = format!("{read} {} of {dataset} read", rows(read));
    if let Some(e) = step.excepted.filter(|e| *e > 0) {
        text.push_str(&format!(", {e} excepted"));
    }
    if step.filter.is_some() {
        text.push_str(&format!(", {matched} matched"));
    }
    if step.skipped > 0 {
        text.push_str(&format!(", {} skipped (missing value)", step.skipped));
    }
    lines.push(text);
    lines
}

/// A computation as nested JSON objects.
pub fn explanation_json(program: &Program, step: &Step) -> Json {
    let kind = match &step.kind {
        StepKind::Indicator => "indicator",
        StepKind::Measure => "measure",
        StepKind::Aggregate { .. } => "aggregate",
        StepKind::OverGroups { .. } => "over_groups",
        StepKind::Group => "group",
    };
    let dataset = match &step.kind {
        StepKind::Aggregate { dataset } => json!(dataset),
        _ => Json::Null,
    };
    let names = &program.names;
    let mut node = json!({
        "kind": kind,
        "name": one_line(&step.label),
        "expression": step.expr.as_deref().map(one_line),
        "type": program.type_name(step.ty),
        "unit": step.ty.unit(names),
        "scale": step.ty.scale_type(names),
        "value": json_value(program, &step.value, step.ty),
        "display": display(program, &step.value, step.ty),
        "missing": step.value.missing_reason().map(|m| m.reason()),
        "group_by": step.group_by,
        "group": step.group,
        "status": step.status,
        "criterion": step.criterion.as_deref().map(one_line),
        "target": step.target.as_ref().map(|(t, _)| one_line(t)),
        "target_met": step.target.as_ref().and_then(|(_, met)| *met),
        "dataset": dataset,
        "filter": step.filter.as_deref().map(one_line),
        "except": step.except.as_deref().map(one_line),
        "rows_read": step.read,
        "rows_matched": step.rows,
        "rows_excepted": step.excepted,
        "skipped": step.skipped,
        "inputs": step.inputs.iter().map(|s| explanation_json(program, s)).collect::<Vec<_>>(),
    });
    // A value summed up over groups says over which, and how many there are; its inputs
    // are the first of them.
    if let StepKind::OverGroups { by, groups } = &step.kind {
        node["over"] = json!({ "by": by, "groups": groups });
    }
    node
}

/// The rows behind a value as CSV: for each row, the aggregate (as written), its dataset,
/// the file and line it was read from, what the aggregate did with it, and the columns that
/// identify it and that the aggregate read. Columns a row's dataset does not have are empty.
pub fn evidence_csv(program: &Program, tables: &[Option<Table>], rows: &[EvidenceRow]) -> String {
    // The key columns of each aggregate met, by dataset column index, and their union by name.
    let mut aggregates: Vec<usize> = Vec::new();
    for r in rows {
        if !aggregates.contains(&r.aggregate) {
            aggregates.push(r.aggregate);
        }
    }
    let keys: Vec<(usize, Vec<usize>)> = aggregates
        .iter()
        .map(|&a| (a, key_columns(program, a)))
        .collect();
    let mut names: Vec<String> = Vec::new();
    for (a, columns) in &keys {
        let dataset = &program.datasets[program.aggregates[*a].dataset];
        for &c in columns {
            let name = &dataset.columns[c].name;
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }

    let mut out = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header: Vec<String> = ["aggregate", "dataset", "file", "line", "outcome"]
        .map(String::from)
        .to_vec();
    header.extend(names.iter().cloned());
    // Writing to memory cannot fail.
    let _ = out.write_record(&header);
    for r in rows {
        let aggregate = &program.aggregates[r.aggregate];
        let dataset = &program.datasets[aggregate.dataset];
        let Some(table) = tables[aggregate.dataset].as_ref() else {
            continue;
        };
        let row = r.row as usize;
        let line = table
            .lines
            .as_ref()
            .and_then(|l| l.get(row))
            .map_or(String::new(), |l| l.to_string());
        let mut record = vec![
            one_line(program.sources.text(aggregate.span)),
            dataset.name.clone(),
            table.path.display().to_string(),
            line,
            r.outcome.word().to_string(),
        ];
        let columns = keys
            .iter()
            .find(|(a, _)| *a == r.aggregate)
            .map_or(&[][..], |(_, c)| c.as_slice());
        for name in &names {
            let declared = columns.iter().find(|&&c| dataset.columns[c].name == *name);
            let cell = declared.and_then(|&c| {
                let column = table.column(name)?;
                let value = eval::column_value(column, row);
                (!value.is_missing()).then(|| display(program, &value, dataset.columns[c].ty))
            });
            record.push(cell.unwrap_or_default());
        }
        let _ = out.write_record(&record);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The columns that identify a row of an aggregate's dataset and explain what the
/// aggregate did with it: the first declared column (an identifier, by convention), the
/// column that places rows in the period, and every column its value, filter and exception
/// read, in declaration order.
fn key_columns(program: &Program, a: usize) -> Vec<usize> {
    let aggregate = &program.aggregates[a];
    let dataset = &program.datasets[aggregate.dataset];
    let mut read = vec![false; dataset.columns.len()];
    if let Some(first) = read.first_mut() {
        *first = true;
    }
    if let Some(c) = aggregate.period_column.or(dataset.time) {
        read[c] = true;
    }
    let mut stack: Vec<&Expr> = aggregate
        .value
        .iter()
        .chain(&aggregate.filter)
        .chain(&aggregate.except)
        .collect();
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Column(c) => read[*c] = true,
            // A relation's key is this row's column; its condition is over the other
            // dataset's rows.
            ExprKind::Relation { key, .. } => stack.push(key),
            _ => stack.extend(e.children()),
        }
    }
    (0..read.len()).filter(|&c| read[c]).collect()
}
