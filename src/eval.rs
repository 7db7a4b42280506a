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
pub mod value;

use std::collections::HashMap;
use std::path::{Component, Path};

use crate::check::{DatasetId, Expr, ExprKind, Grouping, MeasureId, Program, Type};
use crate::data::{LoadOptions, Table};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{BinaryOp, CompareOp, UnaryOp};

use groups::Domain;
pub use period::Period;
use value::{Cell, Missing, Value};

/// The status of an indicator whose value, or a criterion, is missing.
pub const INSUFFICIENT_DATA: &str = "insufficient data";

/// One value with the number of missing values its aggregates skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub value: Value,
    pub skipped: u64,
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
    let mut used = vec![false; program.datasets.len()];
    for d in program
        .measures
        .iter()
        .flat_map(|m| &m.reads)
        .chain(program.indicators.iter().flat_map(|i| &i.reads))
    {
        used[*d] = true;
    }

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

/// Which columns of a dataset the programme reads: in row expressions, to place rows in
/// periods, or to group by. Only these are kept when loading; the others are validated.
fn columns_read(program: &Program, dataset: DatasetId) -> Vec<bool> {
    let d = &program.datasets[dataset];
    let mut read = vec![false; d.columns.len()];
    if let Some(t) = d.time {
        read[t] = true;
    }
    for agg in program.aggregates.iter().filter(|a| a.dataset == dataset) {
        if let Some(c) = agg.period_column {
            read[c] = true;
        }
        let mut stack: Vec<&Expr> = agg.value.iter().chain(agg.filter.iter()).collect();
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Column(c) => read[*c] = true,
                _ => stack.extend(e.children()),
            }
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
    for g in groupings {
        if let Some(c) = d.column(&g.column) {
            read[c] = true;
        }
    }
    read
}

fn escapes(path: &Path) -> bool {
    path.is_absolute()
        || path
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
}

/// Evaluates every measure and indicator for the period (the whole data when `None`).
pub fn evaluate(program: &Program, data: Data, period: Option<&Period>) -> Results {
    let mut ev = Evaluator::new(program, &data.tables, period);
    ev.plan();
    ev.run_passes();

    let measures = program
        .measures
        .iter()
        .enumerate()
        .map(|(id, m)| ev.measure_result(id, m))
        .collect();
    let indicators = program
        .indicators
        .iter()
        .enumerate()
        .map(|(id, _)| ev.indicator_result(id))
        .collect();
    let datasets = program
        .datasets
        .iter()
        .zip(&data.tables)
        .filter_map(|(d, t)| {
            let t = t.as_ref()?;
            Some(DatasetSummary {
                name: d.name.clone(),
                source: d.source.clone(),
                rows: t.len,
                rows_in_period: pass::rows_in_period(t, d.time, period),
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
        warnings: data.warnings,
    }
}

/// A value's grouping, as an index into [`Evaluator::domains`]; 0 is "ungrouped".
type GroupingId = usize;

struct Evaluator<'a> {
    program: &'a Program,
    tables: &'a [Option<Table>],
    period: Option<&'a Period>,
    /// Groupings by label, and their domains; index 0 is the ungrouped total.
    grouping_ids: HashMap<String, GroupingId>,
    domains: Vec<Domain>,
    /// Aggregates needed, with the groupings each is needed under.
    needed: Vec<Vec<GroupingId>>,
    aggregates: HashMap<(usize, GroupingId), pass::AggregateResult>,
    /// The aggregates each measure and each indicator uses.
    measure_aggregates: Vec<Vec<usize>>,
    indicator_aggregates: Vec<Vec<usize>>,
    memo: HashMap<(MeasureId, GroupingId), Vec<Outcome>>,
}

impl<'a> Evaluator<'a> {
    fn new(program: &'a Program, tables: &'a [Option<Table>], period: Option<&'a Period>) -> Self {
        Evaluator {
            program,
            tables,
            period,
            grouping_ids: HashMap::new(),
            domains: vec![Domain::total_only()],
            needed: vec![Vec::new(); program.aggregates.len()],
            aggregates: HashMap::new(),
            measure_aggregates: Vec::new(),
            indicator_aggregates: Vec::new(),
            memo: HashMap::new(),
        }
    }

    fn grouping_id(&mut self, grouping: Option<&Grouping>, reads: &[DatasetId]) -> GroupingId {
        let Some(grouping) = grouping else {
            return 0;
        };
        // Domains depend on the datasets read, so the label alone is not the key.
        let key = format!("{}@{:?}", grouping.label(), reads);
        if let Some(id) = self.grouping_ids.get(&key) {
            return *id;
        }
        let tables: Vec<(DatasetId, &Table)> = reads
            .iter()
            .filter_map(|d| self.tables[*d].as_ref().map(|t| (*d, t)))
            .collect();
        let domain = Domain::build(self.program, grouping, &tables, self.period);
        self.domains.push(domain);
        let id = self.domains.len() - 1;
        self.grouping_ids.insert(key, id);
        id
    }

    /// Records which aggregates each reported value needs, under which grouping.
    fn plan(&mut self) {
        let program = self.program;
        for m in &program.measures {
            let g = self.grouping_id(m.group_by.as_ref(), &m.reads);
            let aggregates = self.need(std::iter::once(&m.expr), g);
            self.measure_aggregates.push(aggregates);
        }
        for i in &program.indicators {
            let g = self.grouping_id(i.group_by.as_ref(), &i.reads);
            let exprs = std::iter::once(&i.value)
                .chain(i.target.as_ref().map(|t| &t.value))
                .chain(i.criteria.iter().filter_map(|b| b.condition.as_ref()));
            let aggregates = self.need(exprs, g);
            self.indicator_aggregates.push(aggregates);
        }
    }

    /// Records that the aggregates the expressions use, directly or through measures, are
    /// needed under grouping `g`, and returns them.
    fn need<'e>(&mut self, exprs: impl Iterator<Item = &'e Expr>, g: GroupingId) -> Vec<usize>
    where
        'a: 'e,
    {
        let program = self.program;
        let mut stack: Vec<&Expr> = exprs.collect();
        let mut seen_measures = Vec::new();
        let mut aggregates = Vec::new();
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Aggregate(a) => {
                    if !self.needed[*a].contains(&g) {
                        self.needed[*a].push(g);
                    }
                    aggregates.push(*a);
                }
                ExprKind::Measure(m) if !seen_measures.contains(m) => {
                    seen_measures.push(*m);
                    stack.push(&program.measures[*m].expr);
                }
                _ => stack.extend(e.children()),
            }
        }
        aggregates
    }

    fn run_passes(&mut self) {
        for (d, dataset) in self.program.datasets.iter().enumerate() {
            let Some(table) = self.tables[d].as_ref() else {
                continue;
            };
            let aggregates: Vec<(usize, Vec<(usize, &Domain)>)> = self
                .needed
                .iter()
                .enumerate()
                .filter(|(a, gs)| !gs.is_empty() && self.program.aggregates[*a].dataset == d)
                .map(|(a, gs)| (a, gs.iter().map(|g| (*g, &self.domains[*g])).collect()))
                .collect();
            if aggregates.is_empty() {
                continue;
            }
            let plan = pass::DatasetPass {
                dataset: d,
                table,
                time: dataset.time,
                aggregates,
            };
            let results = pass::run(self.program, &plan, self.period);
            self.aggregates.extend(results);
        }
    }

    /// A measure's outcome for every group of a grouping, the total last.
    fn measure_outcomes(&mut self, m: MeasureId, g: GroupingId) -> Vec<Outcome> {
        if let Some(v) = self.memo.get(&(m, g)) {
            return v.clone();
        }
        let expr = &self.program.measures[m].expr;
        let outcomes: Vec<Outcome> = (0..=self.domains[g].len())
            .map(|i| self.outcome(expr, g, i, None))
            .collect();
        self.memo.insert((m, g), outcomes.clone());
        outcomes
    }

    /// The value of an expression for group `i` of grouping `g`.
    fn outcome(
        &mut self,
        expr: &Expr,
        g: GroupingId,
        i: usize,
        indicator_value: Option<&Value>,
    ) -> Outcome {
        let (value, skipped) = match &expr.kind {
            ExprKind::Literal(lit) => (Cell::from_literal(lit).to_value(), 0),
            ExprKind::Category(_, c) => (Value::Category(*c), 0),
            ExprKind::IndicatorValue => (
                indicator_value
                    .cloned()
                    .unwrap_or(Value::Missing(Missing::Input)),
                0,
            ),
            ExprKind::Aggregate(a) => match self.aggregates.get(&(*a, g)) {
                Some(r) => (r.values[i].clone(), r.skipped[i]),
                // The dataset could not be loaded; load errors were reported already.
                None => (Value::Missing(Missing::Input), 0),
            },
            ExprKind::Measure(m) => {
                let o = self.measure_outcomes(*m, g).swap_remove(i);
                (o.value, o.skipped)
            }
            ExprKind::Unary(op, x) => {
                let o = self.outcome(x, g, i, indicator_value);
                let v = match op {
                    UnaryOp::Not => value::not(o.value.cell()),
                    UnaryOp::Neg => value::negate(o.value.cell()),
                };
                (v.to_value(), o.skipped)
            }
            ExprKind::Binary(op, x, y) => {
                let a = self.outcome(x, g, i, indicator_value);
                let b = self.outcome(y, g, i, indicator_value);
                let v = match op {
                    BinaryOp::And => value::and(a.value.cell(), b.value.cell()),
                    BinaryOp::Or => value::or(a.value.cell(), b.value.cell()),
                    BinaryOp::Compare(c) => value::compare(*c, a.value.cell(), b.value.cell()),
                    _ => value::arithmetic(*op, a.value.cell(), b.value.cell()),
                };
                (v.to_value(), a.skipped + b.skipped)
            }
            ExprKind::InList {
                value: x,
                list,
                negated,
            } => {
                let a = self.outcome(x, g, i, indicator_value);
                let mut skipped = a.skipped;
                let mut found = false;
                for item in list {
                    let b = self.outcome(item, g, i, indicator_value);
                    skipped += b.skipped;
                    found |= value::compare(CompareOp::Eq, a.value.cell(), b.value.cell()).holds();
                }
                let v = match a.value {
                    Value::Missing(m) => Value::Missing(m),
                    _ => Value::Bool(found != *negated),
                };
                (v, skipped)
            }
            ExprKind::IsNone { value: x, negated } => {
                let a = self.outcome(x, g, i, indicator_value);
                (Value::Bool(a.value.is_missing() != *negated), a.skipped)
            }
            ExprKind::Call(function, args) => {
                let outcomes: Vec<Outcome> = args
                    .iter()
                    .map(|x| self.outcome(x, g, i, indicator_value))
                    .collect();
                let cells: Vec<Cell> = outcomes.iter().map(|o| o.value.cell()).collect();
                let skipped = outcomes.iter().map(|o| o.skipped).sum();
                (value::call(function, &cells).to_value(), skipped)
            }
            ExprKind::Column(_) | ExprKind::Error => (Value::Missing(Missing::Input), 0),
        };
        Outcome { value, skipped }
    }

    fn measure_result(&mut self, id: MeasureId, m: &crate::check::Measure) -> MeasureResult {
        let g = self.grouping_id(m.group_by.as_ref(), &m.reads);
        let mut outcomes = self.measure_outcomes(id, g);
        let total = outcomes.pop().unwrap_or(Outcome {
            value: Value::Missing(Missing::NoValues),
            skipped: 0,
        });
        let groups = self.shown_groups(g, &self.measure_aggregates[id], outcomes);
        MeasureResult {
            name: m.name.clone(),
            title: m.title.clone(),
            ty: m.ty,
            type_name: self.program.type_name(m.ty),
            kind: m.kind,
            total,
            group_by: m.group_by.as_ref().map(Grouping::label),
            groups,
        }
    }

    /// The groups of grouping `g` with their results, leaving out a `(none)` or `(outside
    /// the period)` group in which none of the value's aggregates counted a row.
    fn shown_groups<T>(&self, g: GroupingId, uses: &[usize], results: Vec<T>) -> Vec<Group<T>> {
        let domain = &self.domains[g];
        let occupied = |i: usize| {
            uses.iter().any(|a| {
                self.aggregates
                    .get(&(*a, g))
                    .is_some_and(|r| r.rows.get(i).is_some_and(|&n| n > 0))
            })
        };
        domain
            .labels
            .iter()
            .cloned()
            .zip(results)
            .enumerate()
            .filter(|(i, _)| !domain.is_placeholder(*i) || occupied(*i))
            .map(|(_, (key, result))| Group { key, result })
            .collect()
    }

    fn indicator_result(&mut self, id: usize) -> IndicatorResult {
        let program = self.program;
        let ind = &program.indicators[id];
        let g = self.grouping_id(ind.group_by.as_ref(), &ind.reads);
        let mut outcomes: Vec<IndicatorOutcome> = (0..=self.domains[g].len())
            .map(|i| self.indicator_outcome(id, g, i))
            .collect();
        let total = outcomes.pop().expect("every grouping has a total");
        let groups = self.shown_groups(g, &self.indicator_aggregates[id], outcomes);
        let target = ind.target.as_ref().map(|t| TargetResult {
            op: t.op,
            value: self.outcome(&t.value, 0, 0, None).value,
            ty: t.value.ty,
        });
        IndicatorResult {
            name: ind.name.clone(),
            title: ind.title.clone(),
            ty: ind.value.ty,
            type_name: program.type_name(ind.value.ty),
            facts: ind.facts.clone(),
            target,
            total,
            group_by: ind.group_by.as_ref().map(Grouping::label),
            groups,
        }
    }

    fn indicator_outcome(&mut self, id: usize, g: GroupingId, i: usize) -> IndicatorOutcome {
        let ind = &self.program.indicators[id];
        let Outcome { value, skipped } = self.outcome(&ind.value, g, i, None);

        let target_met = ind.target.as_ref().and_then(|t| {
            let target = self.outcome(&t.value, g, i, None).value;
            match value::compare(t.op, value.cell(), target.cell()) {
                Cell::Bool(b) => Some(b),
                _ => None,
            }
        });

        // The first band that holds gives the status; a missing value, or a band that
        // cannot be decided because something in it is missing, gives insufficient data.
        let mut status = None;
        if value.is_missing() {
            status = Some(INSUFFICIENT_DATA.to_string());
        } else {
            for band in &ind.criteria {
                let holds = match &band.condition {
                    None => Cell::Bool(true).to_value(),
                    Some(c) => self.outcome(c, g, i, Some(&value)).value,
                };
                match holds {
                    Value::Bool(true) => {
                        status = Some(band.status.clone());
                        break;
                    }
                    Value::Missing(_) => {
                        status = Some(INSUFFICIENT_DATA.to_string());
                        break;
                    }
                    _ => {}
                }
            }
        }

        IndicatorOutcome {
            value,
            skipped,
            status,
            target_met,
        }
    }
}
