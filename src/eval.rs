//! Evaluation: computing every measure and indicator of a checked programme for a period.
//!
//! Evaluation runs in three steps. First the plan: which aggregates are needed under which
//! groupings, and the groups of each grouping. Then one pass over each dataset computes all
//! of that dataset's aggregates together ([`pass`]). Last, measures and indicators are
//! evaluated from the aggregate results, group by group, with decision criteria applied
//! in order. Nothing here prints; [`Results`] is what the report renders.

mod batch;
pub mod groups;
mod pass;
pub mod period;
mod relations;
mod timeline;
pub mod value;

use std::path::{Component, Path};

use crate::check::{DatasetId, Expr, ExprKind, Program, Type};
use crate::data::{LoadOptions, Table};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::CompareOp;

pub use period::{Calendar, Period};
pub use timeline::Clocks;
use timeline::Timeline;
use value::Value;

/// The status of an indicator whose value, or a criterion, is missing.
pub const INSUFFICIENT_DATA: &str = "insufficient data";

/// One value with the number of missing values its aggregates skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub value: Value,
    pub skipped: u64,
    /// Rows that the `except` of its aggregates left out on purpose (the most any one of
    /// them left out).
    pub excepted: u64,
}

impl Outcome {
    pub fn new(value: Value, skipped: u64) -> Self {
        Outcome {
            value,
            skipped,
            excepted: 0,
        }
    }
}

/// One group of a grouped result.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<T> {
    pub key: String,
    pub result: T,
}

#[derive(Debug, Clone)]
pub struct MeasureResult {
    pub name: String,
    pub title: Option<String>,
    pub ty: Type,
    /// The type as users write it (`Duration`, `Percent`, `Severity`).
    pub type_name: String,
    /// Base measures aggregate a dataset; derived ones combine measures.
    pub kind: crate::check::MeasureKind,
    pub total: Outcome,
    /// How the measure is grouped (`business_unit`, `month(opened_at)`), if it is.
    pub group_by: Option<String>,
    pub groups: Vec<Group<Outcome>>,
}

/// An indicator's evaluation for the total or for one group.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorOutcome {
    pub value: Value,
    pub skipped: u64,
    /// The status from the decision criteria; `None` when no band holds.
    pub status: Option<String>,
    /// Whether the value meets the target; `None` without a target or a value.
    pub target_met: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct TargetResult {
    pub op: CompareOp,
    pub value: Value,
    pub ty: Type,
}

#[derive(Debug, Clone)]
pub struct IndicatorResult {
    pub name: String,
    pub title: Option<String>,
    pub ty: Type,
    pub type_name: String,
    pub facts: crate::check::Facts,
    pub target: Option<TargetResult>,
    pub total: IndicatorOutcome,
    pub group_by: Option<String>,
    pub groups: Vec<Group<IndicatorOutcome>>,
}

/// What was read from one dataset.
#[derive(Debug, Clone)]
pub struct DatasetSummary {
    pub name: String,
    pub source: String,
    pub rows: usize,
    /// Rows in the period by the dataset's time column; all rows of a snapshot.
    pub rows_in_period: usize,
    /// Whether the dataset is cut to the period (it has a time column).
    pub timed: bool,
    pub skipped_rows: usize,
}

/// Everything a run computed.
#[derive(Debug, Clone)]
pub struct Results {
    /// `None` when the whole data was used.
    pub period: Option<Period>,
    pub datasets: Vec<DatasetSummary>,
    pub measures: Vec<MeasureResult>,
    pub indicators: Vec<IndicatorResult>,
    /// Warnings met while loading, such as skipped rows.
    pub warnings: Vec<Diagnostic>,
}

/// Datasets loaded for a programme, by dataset index; `None` for datasets nothing reads.
pub struct Data {
    pub tables: Vec<Option<Table>>,
    pub warnings: Vec<Diagnostic>,
}

/// Where data files may be read from.
#[derive(Debug, Clone, Default)]
pub struct DataAccess {
    /// Allow sources that are absolute or climb out of the data directory with `..`.
    pub allow_any_path: bool,
    pub load: LoadOptions,
}

/// Loads every dataset the programme reads from `data_dir`. All load errors are returned
/// together.
pub fn load_data(
    program: &Program,
    data_dir: &Path,
    access: &DataAccess,
) -> Result<Data, Vec<Diagnostic>> {
    let used = datasets_read(program);
    let mut tables = Vec::with_capacity(program.datasets.len());
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for (id, dataset) in program.datasets.iter().enumerate() {
        if !used[id] {
            tables.push(None);
            continue;
        }
        let relative = Path::new(&dataset.source);
        if !access.allow_any_path && escapes(relative) {
            let span = dataset.source_span;
            errors.push(
                program
                    .sources
                    .error(
                        "msr::data::path_outside_data",
                        span,
                        format!(
                            "source `{}` lies outside the data directory",
                            dataset.source
                        ),
                    )
                    .with_help("give a path inside the data directory, or pass `--allow-any-path`"),
            );
            tables.push(None);
            continue;
        }
        let path = data_dir.join(relative);
        let shown = path.display().to_string();
        let options = crate::data::LoadOptions {
            keep: Some(columns_read(program, id)),
            ..access.load.clone()
        };
        match crate::data::load(&path, &shown, &dataset.schema(&program.scales), &options) {
            Ok((table, w)) => {
                warnings.extend(w);
                tables.push(Some(table));
            }
            Err(e) => {
                errors.extend(e);
                tables.push(None);
            }
        }
    }
    if errors.is_empty() {
        Ok(Data { tables, warnings })
    } else {
        Err(errors)
    }
}

/// Which datasets the programme reads, by dataset index: those its measures and indicators
/// aggregate, those whose hierarchies a grouping rolls up along, and those read through
/// relations. Only these are loaded.
pub fn datasets_read(program: &Program) -> Vec<bool> {
    let mut used = vec![false; program.datasets.len()];
    for d in program
        .measures
        .iter()
        .flat_map(|m| &m.reads)
        .chain(program.indicators.iter().flat_map(|i| &i.reads))
    {
        used[*d] = true;
    }
    for h in rolled_up(program) {
        used[program.hierarchies[h].dataset] = true;
    }
    // A dataset read only through relations is loaded too; it is in no measure's `reads`,
    // which are the datasets a value aggregates and so decide its groups.
    for relation in &program.relations {
        used[relation.dataset] = true;
    }

    used
}

/// Which columns of a dataset the programme reads: in row expressions, to place rows in
/// periods, to group by, or as a related dataset's key, condition and column read. Only
/// these are kept when loading; the others are validated.
pub fn columns_read(program: &Program, dataset: DatasetId) -> Vec<bool> {
    let d = &program.datasets[dataset];
    let mut read = vec![false; d.columns.len()];
    if let Some(t) = d.time {
        read[t] = true;
    }
    for h in rolled_up(program) {
        let h = &program.hierarchies[h];
        if h.dataset == dataset {
            read[h.node] = true;
            read[h.parent] = true;
        }
    }
    let mut stack: Vec<&Expr> = Vec::new();
    for agg in program.aggregates.iter().filter(|a| a.dataset == dataset) {
        if let Some(c) = agg.period_column {
            read[c] = true;
        }
        stack.extend(agg.value.iter().chain(&agg.filter).chain(&agg.except));
    }
    for relation in program.relations.iter().filter(|r| r.dataset == dataset) {
        read[relation.key] = true;
        if let Some(c) = relation.column {
            read[c] = true;
        }
        stack.extend(relation.filter.iter());
    }
    // A relation's key on this side is a child of the relation; its condition, over the
    // related dataset, is not.
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Column(c) => read[*c] = true,
            _ => stack.extend(e.children()),
        }
    }
    let groupings = program
        .measures
        .iter()
        .filter(|m| m.reads.contains(&dataset))
        .filter_map(|m| m.group_by.as_ref())
        .chain(
            program
                .indicators
                .iter()
                .filter(|i| i.reads.contains(&dataset))
                .filter_map(|i| i.group_by.as_ref()),
        );
    for key in groupings
        .chain(summed_over(program, dataset))
        .flat_map(|g| &g.keys)
    {
        if let Some(c) = d.column(&key.column) {
            read[c] = true;
        }
    }
    read
}

/// The hierarchies that some grouping rolls up along.
fn rolled_up(program: &Program) -> Vec<crate::check::HierarchyId> {
    let mut found: Vec<_> = program
        .measures
        .iter()
        .filter_map(|m| m.group_by.as_ref())
        .chain(
            program
                .indicators
                .iter()
                .filter_map(|i| i.group_by.as_ref()),
        )
        .filter_map(|g| g.hierarchy())
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The groupings that values summed up over groups (`mean_by`) split a dataset's rows by.
fn summed_over(program: &Program, dataset: DatasetId) -> Vec<&crate::check::Grouping> {
    let mut stack: Vec<&Expr> = program
        .measures
        .iter()
        .map(|m| &m.expr)
        .chain(program.indicators.iter().flat_map(|i| {
            std::iter::once(&i.value).chain(i.sample.as_ref()).chain(
                i.criteria
                    .iter()
                    .chain(&i.gates)
                    .filter_map(|b| b.condition.as_ref()),
            )
        }))
        .collect();
    let mut found = Vec::new();
    while let Some(e) = stack.pop() {
        if let ExprKind::Call(
            crate::check::Function::OverGroups {
                grouping, reads, ..
            },
            _,
        ) = &e.kind
        {
            if reads.contains(&dataset) {
                found.push(&**grouping);
            }
        }
        stack.extend(e.children());
    }
    found
}

fn escapes(path: &Path) -> bool {
    path.is_absolute()
        || path
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
}

/// Evaluates every measure and indicator for the period (the whole data when `None`).
pub fn evaluate(program: &Program, data: Data, period: Option<&Period>, clocks: Clocks) -> Results {
    let mut timeline = Timeline::new(program, &data.tables, clocks);
    let results = results_for(program, &data, &mut timeline, period);
    Results {
        warnings: data.warnings,
        ..results
    }
}

/// Evaluates every measure and indicator for each period of a series, in order. Periods
/// share what they compute, so looking back from one period to the one before costs
/// nothing more. The load warnings go with the first period's results.
pub fn evaluate_series(
    program: &Program,
    data: Data,
    periods: &[Period],
    clocks: Clocks,
) -> Vec<Results> {
    let mut timeline = Timeline::new(program, &data.tables, clocks);
    let mut series: Vec<Results> = periods
        .iter()
        .map(|p| results_for(program, &data, &mut timeline, Some(p)))
        .collect();
    if let Some(first) = series.first_mut() {
        first.warnings = data.warnings;
    }
    series
}

fn results_for(
    program: &Program,
    data: &Data,
    timeline: &mut Timeline,
    period: Option<&Period>,
) -> Results {
    let s = timeline.state(period);
    let measures = (0..program.measures.len())
        .map(|id| timeline.measure_result(s, id))
        .collect();
    let indicators = (0..program.indicators.len())
        .map(|id| timeline.indicator_result(s, id))
        .collect();
    let datasets = program
        .datasets
        .iter()
        .zip(&data.tables)
        .enumerate()
        .filter_map(|(id, (d, t))| {
            let t = t.as_ref()?;
            Some(DatasetSummary {
                name: d.name.clone(),
                source: d.source.clone(),
                rows: t.len,
                rows_in_period: timeline.rows_in_period(s, id),
                timed: d.time.is_some(),
                skipped_rows: t.skipped_rows,
            })
        })
        .collect();
    Results {
        period: period.cloned(),
        datasets,
        measures,
        indicators,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_related_dataset_keeps_its_key_condition_and_column_read() {
        let text = r#"
dataset assets {
  source "assets.csv"
  id       : Text
  hostname : Text
  owner    : Text
  cost     : Number
}
dataset findings {
  source "findings.csv"
  time found_at
  asset_id : Text
  cvss     : Number
  found_at : DateTime
}
measure m : Count = count(findings where related(assets on id = asset_id where cost > 1).owner = "x")
"#;
        let Ok(parsed) = crate::syntax::parse_text("m.msr", text) else {
            panic!("the programme does not parse");
        };
        let Ok((program, _)) = crate::check::check(parsed) else {
            panic!("the programme does not check");
        };
        // assets: the key, the column read and the condition's column, not the host name.
        assert_eq!(columns_read(&program, 0), [true, false, true, true]);
        // findings: this side's key and the time column, not the CVSS.
        assert_eq!(columns_read(&program, 1), [true, false, true]);
    }

    #[test]
    fn columns_read_only_as_a_lookups_key_are_kept() {
        let text = r#"
scale Severity = ordinal [low, high]
dataset findings {
  source "findings.csv"
  found_at : DateTime
  severity : Severity
  owner    : Text
  note     : Text
}
lookup deadline : Severity -> Duration { low = 90d, high = 7d }
lookup team : Text -> Text { "alice" = "red" }
measure late : Count = count(findings where found_at < as_of - deadline(severity))
measure red : Count = count(team(owner) for findings)
"#;
        let Ok(parsed) = crate::syntax::parse_text("t.msr", text) else {
            panic!("the test programme does not parse");
        };
        let Ok((program, _)) = crate::check::check(parsed) else {
            panic!("the test programme does not check");
        };
        assert_eq!(columns_read(&program, 0), [true, true, true, false]);
    }
}
