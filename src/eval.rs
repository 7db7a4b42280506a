//! Evaluation: computing every measure and indicator of a checked programme for a period.
//!
//! Evaluation runs in three steps. First the plan: which aggregates are needed under which
//! groupings, and the groups of each grouping. Then one pass over each dataset computes all
//! of that dataset's aggregates together ([`pass`]). Last, measures and indicators are
//! evaluated from the aggregate results, group by group, with decision criteria applied
//! in order. Nothing here prints; [`Results`] is what the report renders.
//!
//! [`evaluate`] consumes the data it is given. [`evaluate_tables`] works over tables the
//! caller keeps, and can compute only a [`Selection`] of measures and indicators with what
//! they use, so that a session evaluates again and again over data read once. [`explain`]
//! gives the computation of one value as a tree of [`Step`]s, down to the rows its
//! aggregates matched.

mod batch;
mod coverage;
pub mod groups;
pub use coverage::{periods_after_data, AFTER_DATA};
mod pass;
pub mod period;
mod relations;
mod timeline;
pub mod value;

use std::path::{Component, Path};

use crate::check::{DatasetId, Expr, ExprKind, MeasureId, Program, Type};
use crate::data::{LoadOptions, Table};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::CompareOp;

pub use period::{Calendar, Period};
pub use timeline::evidence::{EvidenceRow, RowOutcome};
use timeline::Timeline;
pub use timeline::{Clocks, Step, StepKind, Subject};
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
    /// The instant the data was seen from, when the run was given one; otherwise each
    /// period is seen from its end.
    pub as_of: Option<i64>,
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
    for (id, &read) in used.iter().enumerate() {
        if !read {
            tables.push(None);
            continue;
        }
        // Evidence names rows by columns the programme may not read: keep them all then.
        let keep = (!access.load.row_lines).then(|| columns_read(program, id));
        let options = LoadOptions {
            keep,
            ..access.load.clone()
        };
        match load_dataset(program, id, data_dir, access.allow_any_path, &options) {
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

/// Which datasets the programme reads, by dataset index: those its measures and
/// indicators aggregate, those relations look rows up in, and those hierarchies that
/// some grouping rolls up along are declared in.
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

/// The file a dataset's source names, under `data_dir`; an error when the source lies
/// outside it and `allow_any_path` is not given.
pub fn dataset_path(
    program: &Program,
    dataset: DatasetId,
    data_dir: &Path,
    allow_any_path: bool,
) -> Result<std::path::PathBuf, Vec<Diagnostic>> {
    let dataset = &program.datasets[dataset];
    let relative = Path::new(&dataset.source);
    if !allow_any_path && escapes(relative) {
        return Err(vec![program
            .sources
            .error(
                "msr::data::path_outside_data",
                dataset.source_span,
                format!(
                    "source `{}` lies outside the data directory",
                    dataset.source
                ),
            )
            .with_help(
                "give a path inside the data directory, or pass `--allow-any-path`",
            )]);
    }
    Ok(data_dir.join(relative))
}

/// Loads one dataset of the programme from `data_dir`, validated against its declared
/// schema: the table and the load warnings, or the errors.
pub fn load_dataset(
    program: &Program,
    dataset: DatasetId,
    data_dir: &Path,
    allow_any_path: bool,
    options: &LoadOptions,
) -> Result<(Table, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = dataset_path(program, dataset, data_dir, allow_any_path)?;
    let shown = path.display().to_string();
    let schema = program.datasets[dataset].schema(&program.scales);
    crate::data::load(&path, &shown, &schema, options)
}

/// Which columns of a dataset the programme reads: in row expressions, to place rows in
/// periods, to group by, or as a related dataset's key, condition and column read. Only
/// these are kept when loading; the others are validated.
pub fn columns_read(program: &Program, dataset: DatasetId) -> Vec<bool> {
    columns_reached(program, dataset, None)
}

/// Which columns of each dataset the selected measures and indicators read, through the
/// measures they use and the indicators whose statuses they read: [`columns_read`] for
/// part of a programme, by dataset index. A dataset's time column, the columns hierarchies
/// roll up along and those that values summed over groups split rows by are always counted.
pub fn columns_read_by(program: &Program, selection: &Selection) -> Vec<Vec<bool>> {
    let reach = Reach::of(program, selection);
    (0..program.datasets.len())
        .map(|d| columns_reached(program, d, Some(&reach)))
        .collect()
}

/// Every measure and indicator that the selected ones use, directly or through others,
/// the selected ones among them: which measures (by id) and which indicators are reached.
pub fn reached(program: &Program, selection: &Selection) -> (Vec<bool>, Vec<bool>) {
    let reach = Reach::of(program, selection);
    (reach.measures, reach.indicators)
}

/// What a selection of measures and indicators uses, directly or through others.
struct Reach {
    measures: Vec<bool>,
    indicators: Vec<bool>,
    aggregates: Vec<bool>,
    relations: Vec<bool>,
}

impl Reach {
    fn of(program: &Program, selection: &Selection) -> Reach {
        let mut reach = Reach {
            measures: vec![false; program.measures.len()],
            indicators: vec![false; program.indicators.len()],
            aggregates: vec![false; program.aggregates.len()],
            relations: vec![false; program.relations.len()],
        };
        let mut stack: Vec<&Expr> = Vec::new();
        for &m in &selection.measures {
            reach.measures[m] = true;
            stack.push(&program.measures[m].expr);
        }
        for &i in &selection.indicators {
            reach.indicators[i] = true;
            stack.extend(program.indicators[i].expressions());
        }
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Measure(m) if !std::mem::replace(&mut reach.measures[*m], true) => {
                    stack.push(&program.measures[*m].expr);
                }
                ExprKind::Call(crate::check::Function::Status { indicator, .. }, _)
                    if !std::mem::replace(&mut reach.indicators[*indicator], true) =>
                {
                    stack.extend(program.indicators[*indicator].expressions());
                }
                ExprKind::Aggregate(a) if !std::mem::replace(&mut reach.aggregates[*a], true) => {
                    let a = &program.aggregates[*a];
                    stack.extend(a.value.iter().chain(&a.filter).chain(&a.except));
                }
                ExprKind::Relation { relation, .. }
                    if !std::mem::replace(&mut reach.relations[*relation], true) =>
                {
                    stack.extend(program.relations[*relation].filter.iter());
                }
                _ => {}
            }
            stack.extend(e.children());
        }
        reach
    }
}

fn columns_reached(program: &Program, dataset: DatasetId, reach: Option<&Reach>) -> Vec<bool> {
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
    let reached = |of: fn(&Reach) -> &Vec<bool>, id: usize| reach.is_none_or(|r| of(r)[id]);
    let aggregates = program.aggregates.iter().enumerate();
    for (_, agg) in
        aggregates.filter(|(a, agg)| agg.dataset == dataset && reached(|r| &r.aggregates, *a))
    {
        if let Some(c) = agg.period_column {
            read[c] = true;
        }
        stack.extend(agg.value.iter().chain(&agg.filter).chain(&agg.except));
    }
    let relations = program.relations.iter().enumerate();
    for (_, relation) in
        relations.filter(|(id, r)| r.dataset == dataset && reached(|r| &r.relations, *id))
    {
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
        .enumerate()
        .filter(|(id, m)| m.reads.contains(&dataset) && reached(|r| &r.measures, *id))
        .filter_map(|(_, m)| m.group_by.as_ref())
        .chain(
            program
                .indicators
                .iter()
                .enumerate()
                .filter(|(id, i)| i.reads.contains(&dataset) && reached(|r| &r.indicators, *id))
                .filter_map(|(_, i)| i.group_by.as_ref()),
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
    let results = evaluate_tables(program, &data.tables, period, clocks, None);
    Results {
        warnings: data.warnings,
        ..results
    }
}

/// Some measures and indicators of a programme, by id: what an evaluation reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub measures: Vec<MeasureId>,
    pub indicators: Vec<usize>,
}

/// Evaluates over tables that the caller keeps, for one period (the whole data when
/// `None`), so that data loaded once serves many evaluations. `tables` are by dataset
/// index, as [`load_data`] gives them. With a selection, only the measures and indicators
/// selected, and what they use, are computed, and the results hold those selected, in the
/// selection's order; without one, everything is, in declaration order. The results carry
/// no load warnings.
pub fn evaluate_tables(
    program: &Program,
    tables: &[Option<Table>],
    period: Option<&Period>,
    clocks: Clocks,
    selection: Option<&Selection>,
) -> Results {
    let mut timeline = Timeline::new(program, tables, clocks);
    if let Some(selection) = selection {
        timeline.select(selection);
    }
    let s = timeline.state(period);
    let (measures, indicators): (Vec<MeasureId>, Vec<usize>) = match selection {
        Some(selection) => (selection.measures.clone(), selection.indicators.clone()),
        None => (
            (0..program.measures.len()).collect(),
            (0..program.indicators.len()).collect(),
        ),
    };
    let measures = measures
        .into_iter()
        .map(|id| timeline.measure_result(s, id))
        .collect();
    let indicators = indicators
        .into_iter()
        .map(|id| timeline.indicator_result(s, id))
        .collect();
    Results {
        period: period.cloned(),
        datasets: summaries(program, tables, &timeline, s),
        measures,
        indicators,
        warnings: Vec::new(),
        as_of: clocks.as_of,
    }
}

/// How a measure or indicator was computed for the period (the whole data when `None`):
/// its total, and below it every measure and aggregate it was computed from, each with its
/// value and, for an aggregate, the rows it counted. `tables` are as for
/// [`evaluate_tables`].
pub fn explain(
    program: &Program,
    tables: &[Option<Table>],
    period: Option<&Period>,
    clocks: Clocks,
    subject: Subject,
) -> Step {
    let mut timeline = Timeline::new(program, tables, clocks);
    timeline.select(&selection_of(subject));
    let s = timeline.state(period);
    timeline.explain(s, subject)
}

/// [`explain`] for one group of a grouped subject, named by its key as the results show it
/// (`finance`, `finance / high`). When no group has that key, the keys there are (none for
/// a subject that is not grouped).
pub fn explain_group(
    program: &Program,
    tables: &[Option<Table>],
    period: Option<&Period>,
    clocks: Clocks,
    subject: Subject,
    key: &str,
) -> Result<Step, Vec<String>> {
    let mut timeline = Timeline::new(program, tables, clocks);
    timeline.select(&selection_of(subject));
    let s = timeline.state(period);
    timeline.explain_group(s, subject, key)
}

/// The rows behind a measure's or an indicator's value for the period: for every aggregate
/// it is computed from, the rows in the period that it counted, skipped for a missing value
/// or excepted, in row order. With a group key, only the rows of that group (and of the
/// groups rolled up into it); an error lists the keys there are when none matches.
pub fn evidence(
    program: &Program,
    tables: &[Option<Table>],
    period: Option<&Period>,
    clocks: Clocks,
    subject: Subject,
    group: Option<&str>,
) -> Result<Vec<EvidenceRow>, Vec<String>> {
    let expr = match subject {
        Subject::Measure(m) => &program.measures[m].expr,
        Subject::Indicator(i) => &program.indicators[i].value,
    };
    let aggregates = timeline::evidence::aggregates_behind(program, expr);
    let mut timeline = Timeline::new(program, tables, clocks);
    timeline.select(&selection_of(subject));
    let s = timeline.state(period);
    let group = match group {
        Some(key) => Some(timeline.group_of(s, subject, key)?),
        None => None,
    };
    Ok(timeline.evidence(s, &aggregates, group))
}

fn selection_of(subject: Subject) -> Selection {
    match subject {
        Subject::Measure(m) => Selection {
            measures: vec![m],
            indicators: Vec::new(),
        },
        Subject::Indicator(i) => Selection {
            measures: Vec::new(),
            indicators: vec![i],
        },
    }
}

/// The value of one row of a loaded column.
pub fn column_value(column: &crate::data::Column, row: usize) -> Value {
    pass::column_cell(column, row).to_value()
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
        .map(|p| results_for(program, &data.tables, &mut timeline, Some(p), clocks.as_of))
        .collect();
    if let Some(first) = series.first_mut() {
        first.warnings = data.warnings;
    }
    series
}

fn results_for(
    program: &Program,
    tables: &[Option<Table>],
    timeline: &mut Timeline,
    period: Option<&Period>,
    as_of: Option<i64>,
) -> Results {
    let s = timeline.state(period);
    let measures = (0..program.measures.len())
        .map(|id| timeline.measure_result(s, id))
        .collect();
    let indicators = (0..program.indicators.len())
        .map(|id| timeline.indicator_result(s, id))
        .collect();
    Results {
        period: period.cloned(),
        datasets: summaries(program, tables, timeline, s),
        measures,
        indicators,
        warnings: Vec::new(),
        as_of,
    }
}

/// What was read from each loaded dataset, and how much of it is in state `s`'s period.
fn summaries(
    program: &Program,
    tables: &[Option<Table>],
    timeline: &Timeline,
    s: usize,
) -> Vec<DatasetSummary> {
    program
        .datasets
        .iter()
        .zip(tables)
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
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(text: &str) -> Program {
        let Ok(parsed) = crate::syntax::parse_text("m.msr", text) else {
            panic!("the programme does not parse");
        };
        let Ok((program, _)) = crate::check::check(parsed) else {
            panic!("the programme does not check");
        };
        program
    }

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
        let program = checked(text);
        // assets: the key, the column read and the condition's column, not the host name.
        assert_eq!(columns_read(&program, 0), [true, false, true, true]);
        // findings: this side's key and the time column, not the CVSS.
        assert_eq!(columns_read(&program, 1), [true, false, true]);
    }

    #[test]
    fn a_selection_reads_the_columns_of_what_it_uses_and_no_others() {
        let text = r#"
dataset assets {
  source "assets.csv"
  id    : Text
  owner : Text
  cost  : Number
}
dataset findings {
  source "findings.csv"
  time found_at
  asset_id : Text
  cvss     : Number
  fixed    : Bool
  unit     : Text
  found_at : DateTime
}
measure severe : Count = count(findings where cvss >= 7)
measure owned : Count = count(findings where exists(assets on id = asset_id where cost > 1))
measure severe_share : Percent = severe / owned
measure fixed_by_unit : Count = count(findings where fixed) by unit
indicator exposure {
  value severe_share
  criteria { red when value > 50% green otherwise }
}
indicator gated {
  value fixed_by_unit
  gate red when status(exposure) = red
  criteria { green otherwise }
}
"#;
        let program = checked(text);
        let select = |measures: Vec<usize>, indicators: Vec<usize>| Selection {
            measures,
            indicators,
        };

        // `severe` reads the CVSS and, to place rows in periods, the time column.
        let severe = select(vec![0], vec![]);
        assert_eq!(
            columns_read_by(&program, &severe)[1],
            [false, true, false, false, true]
        );
        assert_eq!(columns_read_by(&program, &severe)[0], [false, false, false]);

        // `severe_share` reads through the measures it divides, and `owned`'s relation.
        let share = select(vec![2], vec![]);
        assert_eq!(
            columns_read_by(&program, &share)[1],
            [true, true, false, false, true]
        );
        assert_eq!(columns_read_by(&program, &share)[0], [true, false, true]);

        // `gated` reads its own value, grouped by unit, and through its gate, `exposure`'s.
        let gated = select(vec![], vec![1]);
        assert_eq!(
            columns_read_by(&program, &gated)[1],
            [true, true, true, true, true]
        );
        assert_eq!(columns_read(&program, 1), [true, true, true, true, true]);
    }

    /// The tiny fixture's programme with a query added, and its tables.
    fn tiny_with(query: &str) -> (Program, MeasureId, Vec<Option<Table>>) {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
        let Ok(mut parsed) = crate::syntax::load_program(&[root.join("tiny.msr")]) else {
            panic!("the fixture parses");
        };
        let file = parsed
            .sources
            .add("query".into(), "query", query.to_string());
        let Ok(query) = crate::syntax::parse_query(file, query) else {
            panic!("the query parses");
        };
        let Ok((program, id, _)) = crate::check::check_query(parsed, &query) else {
            panic!("the query checks");
        };
        let Ok(data) = load_data(&program, &root, &DataAccess::default()) else {
            panic!("the fixture's data loads");
        };
        (program, id, data.tables)
    }

    #[test]
    fn a_selection_reports_what_it_names_over_tables_kept_by_the_caller() {
        let (program, id, tables) = tiny_with("high_or_critical * 2");
        let september = Calendar::utc().parse("2025-09").ok();
        let selection = Selection {
            measures: vec![id, program.measure("incidents_total").unwrap_or(0)],
            indicators: Vec::new(),
        };
        for _ in 0..2 {
            let results = evaluate_tables(
                &program,
                &tables,
                september.as_ref(),
                Clocks::default(),
                Some(&selection),
            );
            let values: Vec<&Value> = results.measures.iter().map(|m| &m.total.value).collect();
            assert_eq!(values, [&Value::Int(6), &Value::Int(5)]);
            assert!(results.indicators.is_empty());
        }
    }

    #[test]
    fn an_explanation_goes_down_to_the_aggregates_with_the_rows_they_matched() {
        let (program, _, tables) = tiny_with("1");
        let september = Calendar::utc().parse("2025-09").ok();
        let Some(indicator) = program.indicator("incident_sla") else {
            panic!("the fixture declares incident_sla");
        };
        let step = explain(
            &program,
            &tables,
            september.as_ref(),
            Clocks::default(),
            Subject::Indicator(indicator),
        );
        assert_eq!(step.status.as_deref(), Some("amber"));
        assert_eq!(step.value, Value::Number(0.6));
        let [rate] = &step.inputs[..] else {
            panic!("the indicator's value is one measure: {step:#?}");
        };
        assert_eq!(rate.label, "sla_rate");
        let labels: Vec<&str> = rate.inputs.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["resolved_in_sla", "incidents_total"]);
        let count = &rate.inputs[0].inputs[0];
        assert_eq!(
            count.kind,
            StepKind::Aggregate {
                dataset: "incidents".into()
            }
        );
        assert_eq!((count.value.clone(), count.rows), (Value::Int(3), Some(3)));
        assert_eq!(rate.inputs[1].inputs[0].rows, Some(5));
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
        let program = checked(text);
        assert_eq!(columns_read(&program, 0), [true, true, true, false]);
    }
}
