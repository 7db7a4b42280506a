//! What the REPL prints: values with their types, tables of results, explanations as
//! trees, dataset views, each as aligned text or as JSON.

use serde_json::{json, Value as Json};

use crate::check::explain::{IndicatorTypes, MeasureTypes};
use crate::check::{ExprKind, Function, Program};
use crate::data::Table;
use crate::eval::{self, DatasetSummary, MeasureResult, Period, Results};
use crate::report::{self, align, display, json_value};

pub(super) use crate::report::explain::one_line;

/// Whether an expression, or a row expression of an aggregate it uses, calls one of the
/// lookups.
pub(super) fn uses_lookup(program: &Program, expr: &crate::check::Expr, lookups: &[&str]) -> bool {
    if lookups.is_empty() {
        return false;
    }
    let mut found = false;
    let mut test = |e: &crate::check::Expr| {
        if let ExprKind::Call(Function::Lookup(table), _) = &e.kind {
            found |= lookups.contains(&table.name.as_str());
        }
        found
    };
    expr.any(&mut |e| {
        if let ExprKind::Aggregate(a) = e.kind {
            let aggregate = &program.aggregates[a];
            let rows = aggregate
                .value
                .iter()
                .chain(&aggregate.filter)
                .chain(&aggregate.except);
            for row in rows {
                row.any(&mut test);
            }
        }
        test(e)
    })
}

/// The reporting period in words, as a line.
pub fn period_line(period: Option<&Period>) -> String {
    match period {
        Some(p) => format!(
            "period {} [{}, {})\n",
            p.label,
            p.start_text(),
            p.end_text()
        ),
        None => "no period: the whole data is used\n".to_string(),
    }
}

/// How much of a dataset is in the period.
pub(super) fn dataset_line(d: &DatasetSummary, has_period: bool) -> String {
    let mut line = if d.timed && has_period {
        format!(
            "dataset {}: {} of {} rows in the period",
            d.name, d.rows_in_period, d.rows
        )
    } else if d.timed {
        format!("dataset {}: {} rows", d.name, d.rows)
    } else {
        format!("dataset {}: {} rows (a snapshot)", d.name, d.rows)
    };
    if d.skipped_rows > 0 {
        line.push_str(&format!(", {} bad rows skipped", d.skipped_rows));
    }
    line
}

/// The measures' table, then the indicators', as `msr run` prints them.
pub(super) fn results(program: &Program, results: &Results) -> String {
    let measures = Results {
        indicators: Vec::new(),
        ..results.clone()
    };
    let indicators = Results {
        measures: Vec::new(),
        ..results.clone()
    };
    let parts: Vec<String> = [measures, indicators]
        .iter()
        .map(|r| report::table_values(program, r))
        .filter(|t| !t.is_empty())
        .collect();
    parts.join("\n")
}

/// The measures and indicators of some results, in the layout of `msr run --format json`.
pub(super) fn results_json(program: &Program, results: &Results) -> Json {
    let all = report::json(program, results);
    json!({
        "period": all["period"],
        "measures": all["measures"],
        "indicators": all["indicators"],
    })
}

/// The value of an expression with its type, and its groups when it is grouped.
pub(super) fn value(program: &Program, result: &MeasureResult) -> String {
    let mut out = format!(
        "{} : {}",
        display(program, &result.total.value, result.ty),
        result.type_name
    );
    out.push_str(&left_out(&result.total));
    out.push('\n');
    if let Some(by) = &result.group_by {
        let mut rows = vec![vec![format!("  by {by}")]];
        for g in &result.groups {
            rows.push(vec![
                format!("    {}", g.key),
                display(program, &g.result.value, result.ty) + &left_out(&g.result),
            ]);
        }
        out.push_str(&align(&rows));
    }
    out
}

/// Values that an aggregate skipped or excepted, to follow a value.
fn left_out(o: &eval::Outcome) -> String {
    match (o.skipped, o.excepted) {
        (0, 0) => String::new(),
        (n, 0) => format!("  ({n} missing skipped)"),
        (0, e) => format!("  ({e} excepted)"),
        (n, e) => format!("  ({n} missing skipped, {e} excepted)"),
    }
}

/// An expression's value as JSON: the measure object of `msr run --format json`, named by
/// the expression.
pub(super) fn value_json(program: &Program, results: &Results, text: &str) -> Json {
    let measure = report::json(program, results)["measures"][0].clone();
    let mut value = serde_json::Map::new();
    value.insert("expression".into(), json!(one_line(text)));
    if let Json::Object(fields) = measure {
        let wanted = fields
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "name" | "title" | "kind"));
        value.extend(wanted);
    }
    Json::Object(value)
}

/// What `:type` prints for an expression.
pub(super) fn measure_type(text: &str, types: &MeasureTypes) -> String {
    let mut rows = vec![
        vec!["scale".to_string(), scale(types.scale)],
        vec!["unit".to_string(), unit(types.unit.as_deref())],
        vec!["kind".to_string(), types.kind.keyword().to_string()],
    ];
    let from: Vec<String> = types.reads.iter().chain(&types.uses).cloned().collect();
    if !from.is_empty() {
        rows.push(vec!["from".to_string(), from.join(", ")]);
    }
    rows.push(vec!["missing".to_string(), missing(&types.missing)]);
    typed(text, &types.type_name, &rows)
}

/// What `:type` prints for an indicator's value.
pub(super) fn indicator_type(types: &IndicatorTypes) -> String {
    let rows = vec![
        vec!["scale".to_string(), scale(types.scale)],
        vec!["unit".to_string(), unit(types.unit.as_deref())],
        vec!["kind".to_string(), "indicator".to_string()],
        vec!["missing".to_string(), missing(&types.missing)],
    ];
    typed(&types.name, &types.type_name, &rows)
}

fn typed(text: &str, type_name: &str, rows: &[Vec<String>]) -> String {
    let mut out = format!("{} : {type_name}\n", one_line(text));
    for line in align(rows).lines() {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

fn scale(s: Option<crate::check::types::ScaleType>) -> String {
    s.map_or("none", |s| s.keyword()).to_string()
}

fn unit(u: Option<&str>) -> String {
    u.unwrap_or("none").to_string()
}

fn missing(reasons: &[&str]) -> String {
    if reasons.is_empty() {
        "never".to_string()
    } else {
        format!("when {}", reasons.join(", or "))
    }
}

/// Every dataset of the programme, one a line.
pub(super) fn datasets(program: &Program) -> String {
    let mut rows = vec![["DATASET", "SOURCE", "TIME", "COLUMNS"]
        .map(String::from)
        .to_vec()];
    for d in &program.datasets {
        rows.push(vec![
            d.name.clone(),
            d.source.clone(),
            d.time
                .map_or("-".to_string(), |t| d.columns[t].name.clone()),
            d.columns.len().to_string(),
        ]);
    }
    align(&rows)
}

/// Longest cell `:data` shows whole.
const LONGEST_CELL: usize = 40;

/// What `:data NAME` shows of a dataset.
pub(super) struct DataView<'a> {
    pub program: &'a Program,
    pub dataset: usize,
    pub table: &'a Table,
    pub summary: Option<&'a DatasetSummary>,
    pub period: Option<&'a Period>,
    pub rows: usize,
}

impl DataView<'_> {
    fn column_type(&self, c: usize) -> String {
        let column = &self.program.datasets[self.dataset].columns[c];
        let optional = if column.optional { "?" } else { "" };
        format!("{}{optional}", self.program.type_name(column.ty))
    }

    fn cell(&self, c: usize, row: usize) -> eval::value::Value {
        eval::column_value(&self.table.columns[c], row)
    }

    pub fn table(&self) -> String {
        let dataset = &self.program.datasets[self.dataset];
        let mut out = format!("dataset {}", dataset.name);
        if let Some(title) = &dataset.title {
            out.push_str(&format!(" \"{title}\""));
        }
        out.push_str(&format!(", from {}\n", dataset.source));
        if let Some(d) = self.summary {
            let rows = match (dataset.time, self.period) {
                (Some(t), Some(p)) => format!(
                    "{} rows, {} in period {} by {}",
                    d.rows, d.rows_in_period, p.label, dataset.columns[t].name
                ),
                (Some(t), None) => format!(
                    "{} rows, placed in periods by {}",
                    d.rows, dataset.columns[t].name
                ),
                (None, _) => format!("{} rows, a snapshot not cut to periods", d.rows),
            };
            out.push_str(&rows);
            if d.skipped_rows > 0 {
                out.push_str(&format!(", {} bad rows skipped", d.skipped_rows));
            }
            out.push('\n');
        }

        let mut schema = vec![vec!["COLUMN".to_string(), "TYPE".to_string()]];
        for (c, column) in dataset.columns.iter().enumerate() {
            let mut ty = self.column_type(c);
            if dataset.time == Some(c) {
                ty.push_str("  (time)");
            }
            schema.push(vec![column.name.clone(), ty]);
        }
        out.push('\n');
        out.push_str(&align(&schema));

        let shown = self.rows.min(self.table.len);
        if shown == 0 {
            out.push_str("\nthe file has no rows\n");
            return out;
        }
        out.push_str(&format!(
            "\nthe first {shown} of {} rows of the file:\n",
            self.table.len
        ));
        let mut rows = vec![dataset.columns.iter().map(|c| c.name.clone()).collect()];
        for row in 0..shown {
            let cells = (0..dataset.columns.len())
                .map(|c| {
                    let value = self.cell(c, row);
                    if value.is_missing() {
                        return String::new();
                    }
                    shorten(&display(self.program, &value, dataset.columns[c].ty))
                })
                .collect();
            rows.push(cells);
        }
        out.push_str(&align(&rows));
        out
    }

    pub fn json(&self) -> Json {
        let dataset = &self.program.datasets[self.dataset];
        let columns: Vec<Json> = dataset
            .columns
            .iter()
            .enumerate()
            .map(|(c, column)| {
                json!({
                    "name": column.name,
                    "type": self.program.type_name(column.ty),
                    "optional": column.optional,
                    "time": dataset.time == Some(c),
                })
            })
            .collect();
        let first_rows: Vec<Json> = (0..self.rows.min(self.table.len))
            .map(|row| {
                let mut o = serde_json::Map::new();
                for (c, column) in dataset.columns.iter().enumerate() {
                    let value = self.cell(c, row);
                    o.insert(
                        column.name.clone(),
                        json_value(self.program, &value, column.ty),
                    );
                }
                Json::Object(o)
            })
            .collect();
        json!({
            "name": dataset.name,
            "title": dataset.title,
            "source": dataset.source,
            "rows": self.table.len,
            "rows_in_period": self.summary.map(|s| s.rows_in_period),
            "columns": columns,
            "first_rows": first_rows,
        })
    }
}

/// A cell cut to a readable length.
fn shorten(text: &str) -> String {
    let text = one_line(text);
    if text.chars().count() <= LONGEST_CELL {
        return text;
    }
    let mut cut: String = text.chars().take(LONGEST_CELL - 1).collect();
    cut.push('…');
    cut
}
