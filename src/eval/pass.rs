//! The row pass: every aggregate over one dataset, for every grouping it is needed under,
//! computed in a single scan of that dataset's rows.
//!
//! For each row the pass tests the period, evaluates each aggregate's filter and per-row
//! value once, and feeds the value to one accumulator per grouping (the row's group and the
//! total). Accumulators keep integers exact (`i128` sums of counts, durations and
//! instants) and report how many values they skipped because they were missing.

use std::collections::{HashMap, HashSet};

use crate::check::types::Quantity;
use crate::check::{Aggregate, Expr, ExprKind, Type};
use crate::data::{Column, ColumnData, Table};
use crate::syntax::ast::{AggregateFn, BinaryOp, UnaryOp};

use super::batch::{self, Data, Vector, BATCH};
use super::groups::Domain;
use super::period::Period;
use super::relations::{Links, Source};
use super::value::{self, Cell, Missing, Value};

/// One aggregate's result for every group of one grouping, the total last.
#[derive(Debug, Clone)]
pub struct AggregateResult {
    pub values: Vec<Value>,
    pub skipped: Vec<u64>,
    /// Rows in the period that passed the filter, per group.
    pub rows: Vec<u64>,
    /// Rows in the period that `except` left out, per group.
    pub excepted: Vec<u64>,
}

/// Rows counted per group: those that reached the aggregate, and those `except` left out.
#[derive(Debug, Clone)]
struct Tally {
    rows: Vec<u64>,
    excepted: Vec<u64>,
}

impl Tally {
    fn new(groups: usize) -> Self {
        Tally {
            rows: vec![0; groups],
            excepted: vec![0; groups],
        }
    }

    fn merge(&mut self, other: Tally) {
        for (mine, theirs) in [
            (&mut self.rows, other.rows),
            (&mut self.excepted, other.excepted),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    /// Adds group `from`'s counts to group `into`'s, for a roll-up.
    fn fold(&mut self, from: usize, into: usize) {
        self.rows[into] += self.rows[from];
        self.excepted[into] += self.excepted[from];
    }
}

/// What the pass computes over one dataset: each aggregate under the groupings it is
/// needed for.
pub struct DatasetPass<'a> {
    pub dataset: crate::check::DatasetId,
    pub table: &'a Table,
    /// The dataset's own time column.
    pub time: Option<usize>,
    /// `(aggregate, [(grouping index, domain)])`.
    pub aggregates: Vec<(usize, Vec<(usize, &'a Domain)>)>,
    /// The lookups of the relations the row expressions may read, for the period.
    pub links: &'a Links<'a>,
}

/// Rows of a dataset that fall in the period by its own time column (all rows without one).
pub fn rows_in_period(table: &Table, time: Option<usize>, period: Option<&Period>) -> usize {
    match time {
        Some(t) => (0..table.len)
            .filter(|&r| in_period(&table.columns[t], r, period))
            .count(),
        None => table.len,
    }
}

/// Whether a row is in the period by a date-time column, or by none (a snapshot's rows
/// always are).
pub fn row_in_period(
    table: &Table,
    column: Option<usize>,
    row: usize,
    period: Option<&Period>,
) -> bool {
    column.is_none_or(|c| in_period(&table.columns[c], row, period))
}

/// Whether a row is in the period by a date-time column. A row whose column is empty
/// belongs to no period, so it is left out even when the whole data is used.
fn in_period(column: &Column, row: usize, period: Option<&Period>) -> bool {
    if column.is_missing(row) {
        return false;
    }
    let Some(period) = period else {
        return true;
    };
    match &column.data {
        ColumnData::DateTime(v) => period.contains(v[row]),
        ColumnData::Date(v) => period.contains_day(v[row]),
        _ => true,
    }
}

/// Rows below which a pass runs on one thread: splitting costs more than it saves.
const PARALLEL_FROM: usize = 1 << 16;

/// Runs the pass, returning for each `(aggregate, grouping)` its result. Large tables are
/// split into row ranges scanned on every core, whose accumulators are then merged.
pub fn run(
    aggregates: &[Aggregate],
    pass: &DatasetPass,
    period: Option<&Period>,
) -> Vec<((usize, usize), AggregateResult)> {
    let rows = pass.table.len;
    let workers = crate::threads();
    let states = if workers == 1 || rows < PARALLEL_FROM {
        scan(aggregates, pass, period, 0..rows)
    } else {
        let size = rows.div_ceil(workers);
        let partials: Vec<Vec<AggregateState>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let range = (w * size).min(rows)..((w + 1) * size).min(rows);
                    scope.spawn(move || scan(aggregates, pass, period, range))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        let mut partials = partials.into_iter();
        let mut merged = partials.next().unwrap_or_default();
        for partial in partials {
            for (into, from) in merged.iter_mut().zip(partial) {
                into.merge(from);
            }
        }
        merged
    };

    states
        .into_iter()
        .flat_map(|state| {
            let (id, agg) = (state.id, state.agg);
            state
                .accs
                .into_iter()
                .map(move |(g, domain, mut acc, mut tally)| {
                    // A roll-up adds each unit's values into the units above it.
                    for &(child, parent) in &domain.rollup {
                        let (child, parent) = (child as usize, parent as usize);
                        acc.fold(child, parent);
                        tally.fold(child, parent);
                    }
                    let mut result = acc.finish(agg);
                    result.rows = tally.rows;
                    result.excepted = tally.excepted;
                    ((id, g), result)
                })
        })
        .collect()
}

/// Scans a range of rows, feeding every aggregate of the pass.
fn scan<'a>(
    aggregates: &'a [Aggregate],
    pass: &'a DatasetPass,
    period: Option<&Period>,
    range: std::ops::Range<usize>,
) -> Vec<AggregateState<'a>> {
    let table = pass.table;
    let source = Source {
        table,
        links: pass.links,
    };
    let mut states: Vec<AggregateState> = pass
        .aggregates
        .iter()
        .map(|(id, groupings)| {
            let agg = &aggregates[*id];
            let arg = agg.value.as_ref().map(|v| v.ty);
            AggregateState {
                id: *id,
                agg,
                period_column: agg.period_column.or(pass.time),
                accs: groupings
                    .iter()
                    .map(|(g, domain)| {
                        (
                            *g,
                            *domain,
                            Accumulator::new(agg.func, arg, domain.len() + 1),
                            Tally::new(domain.len() + 1),
                        )
                    })
                    .collect(),
            }
        })
        .collect();

    // Each row's group under each grouping, and whether it is in the period by each
    // distinct period column: looked up once here, not per row and aggregate.
    let groups: Vec<Vec<&[u32]>> = states
        .iter()
        .map(|s| {
            s.accs
                .iter()
                .map(|(_, d, _, _)| d.groups_of(pass.dataset))
                .collect()
        })
        .collect();
    let mut period_columns: Vec<usize> = states.iter().filter_map(|s| s.period_column).collect();
    period_columns.sort_unstable();
    period_columns.dedup();
    let slots: Vec<Option<usize>> = states
        .iter()
        .map(|s| {
            s.period_column
                .and_then(|c| period_columns.iter().position(|&p| p == c))
        })
        .collect();

    // Batch by batch: the rows in the period by each period column, then each aggregate's
    // filter narrows its selection and its value is computed over what remains.
    let all_rows: Vec<u32> = Vec::with_capacity(BATCH);
    let mut all_rows = all_rows;
    let mut in_period_rows: Vec<Vec<u32>> = vec![Vec::with_capacity(BATCH); period_columns.len()];
    let mut selected: Vec<u32> = Vec::with_capacity(BATCH);
    let mut kept: Vec<u32> = Vec::with_capacity(BATCH);
    let mut start = range.start;
    while start < range.end {
        let end = (start + BATCH).min(range.end);
        all_rows.clear();
        all_rows.extend(start as u32..end as u32);
        for (rows, &c) in in_period_rows.iter_mut().zip(&period_columns) {
            rows_in_period_of(&table.columns[c], start..end, period, rows);
        }
        for ((state, slot), groups) in states.iter_mut().zip(&slots).zip(&groups) {
            let mut rows: &[u32] = match slot {
                Some(k) => &in_period_rows[*k],
                None => &all_rows,
            };
            // Rows left out on purpose are counted per group, then dropped.
            if let Some(except) = &state.agg.except {
                let holds = batch::evaluate(except, source, rows);
                kept.clear();
                for (i, &row) in rows.iter().enumerate() {
                    if !holds.cell(i).holds() {
                        kept.push(row);
                        continue;
                    }
                    for ((_, domain, _, tally), groups) in state.accs.iter_mut().zip(groups) {
                        let total = domain.len();
                        tally.excepted[total] += 1;
                        let group = groups.get(row as usize).map(|&g| g as usize);
                        if let Some(g) = group.filter(|&g| g < total) {
                            tally.excepted[g] += 1;
                        }
                    }
                }
                rows = &kept;
            }
            if let Some(filter) = &state.agg.filter {
                batch::evaluate(filter, source, rows).select(rows, &mut selected);
                rows = &selected;
            }
            let value = state
                .agg
                .value
                .as_ref()
                .map(|v| batch::evaluate(v, source, rows));
            for ((_, domain, acc, tally), groups) in state.accs.iter_mut().zip(groups) {
                let counts = &mut tally.rows;
                let total = domain.len();
                acc.add_vector(value.as_ref(), rows.len(), |_| Some(total));
                counts[total] += rows.len() as u64;
                if groups.is_empty() {
                    continue;
                }
                let group_of = |i: usize| {
                    let group = groups.get(rows[i] as usize).map(|&g| g as usize);
                    group.filter(|&g| g < total)
                };
                acc.add_vector(value.as_ref(), rows.len(), group_of);
                for i in 0..rows.len() {
                    if let Some(g) = group_of(i) {
                        counts[g] += 1;
                    }
                }
            }
        }
        start = end;
    }
    states
}

/// The rows of `range` in the period by a date-time column, into `out`.
pub(super) fn rows_in_period_of(
    column: &Column,
    range: std::ops::Range<usize>,
    period: Option<&Period>,
    out: &mut Vec<u32>,
) {
    out.clear();
    let present = |r: &usize| !column.is_missing(*r);
    let rows = range.filter(present);
    match (&column.data, period) {
        (ColumnData::DateTime(v), Some(p)) => {
            out.extend(rows.filter(|&r| p.contains(v[r])).map(|r| r as u32))
        }
        (ColumnData::Date(v), Some(p)) => {
            out.extend(rows.filter(|&r| p.contains_day(v[r])).map(|r| r as u32))
        }
        _ => out.extend(rows.map(|r| r as u32)),
    }
}

struct AggregateState<'a> {
    id: usize,
    agg: &'a Aggregate,
    period_column: Option<usize>,
    accs: Vec<(usize, &'a Domain, Accumulator, Tally)>,
}

impl AggregateState<'_> {
    /// Adds what another scan of other rows of the same table found.
    fn merge(&mut self, other: AggregateState) {
        for ((_, _, acc, tally), (_, _, more, more_tally)) in self.accs.iter_mut().zip(other.accs) {
            acc.merge(more);
            tally.merge(more_tally);
        }
    }
}

/// The value of a per-row expression at one row of the source's table.
pub fn cell<'a>(expr: &'a Expr, source: Source<'a>, row: usize) -> Cell<'a> {
    match &expr.kind {
        ExprKind::Literal(lit) => Cell::from_literal(lit),
        ExprKind::Category(_, c) => Cell::Category(*c),
        ExprKind::Column(i) => column_cell(&source.table.columns[*i], row),
        ExprKind::Unary(UnaryOp::Not, e) => value::not(cell(e, source, row)),
        ExprKind::Unary(UnaryOp::Neg, e) => value::negate(cell(e, source, row)),
        ExprKind::Binary(BinaryOp::And, a, b) => {
            let a = cell(a, source, row);
            if a == Cell::Bool(false) {
                return a;
            }
            value::and(a, cell(b, source, row))
        }
        ExprKind::Binary(BinaryOp::Or, a, b) => {
            let a = cell(a, source, row);
            if a == Cell::Bool(true) {
                return a;
            }
            value::or(a, cell(b, source, row))
        }
        ExprKind::Binary(BinaryOp::Compare(op), a, b) => {
            value::compare(*op, cell(a, source, row), cell(b, source, row))
        }
        ExprKind::Binary(op, a, b) => {
            value::arithmetic(*op, cell(a, source, row), cell(b, source, row))
        }
        ExprKind::InList {
            value,
            list,
            negated,
        } => {
            let v = cell(value, source, row);
            if let Cell::Missing(m) = v {
                return Cell::Missing(m);
            }
            let found = list.iter().any(|item| {
                value::compare(
                    crate::syntax::ast::CompareOp::Eq,
                    v,
                    cell(item, source, row),
                )
                .holds()
            });
            Cell::Bool(found != *negated)
        }
        ExprKind::IsNone { value, negated } => {
            Cell::Bool(cell(value, source, row).is_missing() != *negated)
        }
        ExprKind::Call(function, args) => {
            let cells: Vec<Cell> = args.iter().map(|a| cell(a, source, row)).collect();
            value::call(function, &cells)
        }
        ExprKind::Relation { relation, key } => {
            source.links.read(*relation, cell(key, source, row))
        }
        // The checker allows none of these inside a row expression, and the evaluator binds
        // the clock to literals before a pass.
        ExprKind::Measure(_)
        | ExprKind::Aggregate(_)
        | ExprKind::IndicatorValue
        | ExprKind::Clock(_)
        | ExprKind::Error => Cell::Missing(Missing::Input),
    }
}

pub(super) fn column_cell(column: &Column, row: usize) -> Cell<'_> {
    if column.is_missing(row) {
        return Cell::Missing(Missing::Input);
    }
    match &column.data {
        ColumnData::Int(v) => Cell::Int(v[row]),
        ColumnData::Number(v) => Cell::Number(v[row]),
        ColumnData::Bool(v) => Cell::Bool(v[row]),
        ColumnData::Text { codes, dictionary } => Cell::Text(&dictionary[codes[row] as usize]),
        ColumnData::Category(v) => Cell::Category(v[row]),
        ColumnData::Date(v) => Cell::Date(v[row]),
        ColumnData::DateTime(v) => Cell::DateTime(v[row]),
        ColumnData::Duration(v) => Cell::Duration(v[row]),
        // Only columns the programme reads are kept, so this is never reached.
        ColumnData::Unread => Cell::Missing(Missing::Input),
    }
}

/// A key for counting distinct values without keeping the values themselves.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum DistinctKey {
    Int(i64),
    Bits(u64),
    Text(Box<str>),
}

/// State of one aggregate for every group of one grouping (the total last).
enum Accumulator {
    Count {
        n: Vec<u64>,
        skipped: Vec<u64>,
        counts_values: bool,
    },
    Distinct {
        sets: Vec<HashSet<DistinctKey>>,
        skipped: Vec<u64>,
    },
    /// Sums and means of integers, durations and instants, exact.
    Exact {
        sum: Vec<i128>,
        n: Vec<u64>,
        skipped: Vec<u64>,
    },
    /// Compensated (Neumaier) sums, so that adding many decimals such as costs gives the
    /// correctly rounded total rather than one with float noise.
    Float {
        sum: Vec<f64>,
        compensation: Vec<f64>,
        n: Vec<u64>,
        skipped: Vec<u64>,
    },
    /// Medians and percentiles need every value.
    Values {
        values: Vec<Vec<f64>>,
        skipped: Vec<u64>,
    },
    Extreme {
        best: Vec<Option<f64>>,
        skipped: Vec<u64>,
        max: bool,
    },
    /// How often each value occurs.
    Mode {
        counts: Vec<HashMap<DistinctKey, u64>>,
        skipped: Vec<u64>,
    },
}

impl Accumulator {
    fn new(func: AggregateFn, arg: Option<Type>, groups: usize) -> Self {
        let skipped = vec![0; groups];
        match func {
            AggregateFn::Count => Accumulator::Count {
                n: vec![0; groups],
                skipped,
                counts_values: arg.is_some(),
            },
            AggregateFn::CountDistinct => Accumulator::Distinct {
                sets: vec![HashSet::new(); groups],
                skipped,
            },
            AggregateFn::Mode => Accumulator::Mode {
                counts: vec![HashMap::new(); groups],
                skipped,
            },
            AggregateFn::Sum | AggregateFn::Mean => match arg {
                Some(t) if !whole(t) => Accumulator::Float {
                    sum: vec![0.0; groups],
                    compensation: vec![0.0; groups],
                    n: vec![0; groups],
                    skipped,
                },
                _ => Accumulator::Exact {
                    sum: vec![0; groups],
                    n: vec![0; groups],
                    skipped,
                },
            },
            AggregateFn::Median | AggregateFn::Percentile => Accumulator::Values {
                values: vec![Vec::new(); groups],
                skipped,
            },
            AggregateFn::Min | AggregateFn::Max => Accumulator::Extreme {
                best: vec![None; groups],
                skipped,
                max: func == AggregateFn::Max,
            },
        }
    }

    fn add(&mut self, g: usize, value: Option<Cell>) {
        let missing = value.is_some_and(|v| v.is_missing());
        match self {
            Accumulator::Count { n, skipped, .. } => {
                if missing {
                    skipped[g] += 1;
                } else {
                    n[g] += 1;
                }
            }
            Accumulator::Distinct { sets, skipped } => match value.and_then(distinct_key) {
                Some(key) => {
                    sets[g].insert(key);
                }
                None => skipped[g] += 1,
            },
            Accumulator::Mode { counts, skipped } => match value.and_then(distinct_key) {
                Some(key) => *counts[g].entry(key).or_insert(0) += 1,
                None => skipped[g] += 1,
            },
            Accumulator::Exact { sum, n, skipped } => match value.and_then(exact) {
                Some(x) => {
                    sum[g] += x as i128;
                    n[g] += 1;
                }
                None => skipped[g] += 1,
            },
            acc @ (Accumulator::Float { .. }
            | Accumulator::Values { .. }
            | Accumulator::Extreme { .. }) => {
                let x = value.and_then(|c| c.ordinal());
                // Text has no ordinal: it counts as missing, as a missing value does.
                acc.add_ordinal(g, x)
            }
        }
    }

    /// Adds the values of a batch (or, for a count of rows, `n` rows) to the slots that
    /// `slot` gives each position; a position without a slot is left out.
    fn add_vector(
        &mut self,
        value: Option<&Vector>,
        n: usize,
        slot: impl Fn(usize) -> Option<usize>,
    ) {
        let Some(value) = value else {
            if let Accumulator::Count { n: counts, .. } = self {
                for g in (0..n).filter_map(&slot) {
                    counts[g] += 1;
                }
            }
            return;
        };
        let valid = &value.valid;
        match (self, &value.data) {
            (
                Accumulator::Count {
                    n: counts, skipped, ..
                },
                _,
            ) => {
                for (i, &ok) in valid.iter().enumerate().take(n) {
                    if let Some(g) = slot(i) {
                        if ok {
                            counts[g] += 1;
                        } else {
                            skipped[g] += 1;
                        }
                    }
                }
            }
            (
                Accumulator::Exact {
                    sum,
                    n: counts,
                    skipped,
                },
                Data::Ints(_, values),
            ) => {
                for (i, &x) in values.iter().enumerate() {
                    if let Some(g) = slot(i) {
                        if valid[i] {
                            sum[g] += x as i128;
                            counts[g] += 1;
                        } else {
                            skipped[g] += 1;
                        }
                    }
                }
            }
            (
                acc @ (Accumulator::Float { .. }
                | Accumulator::Values { .. }
                | Accumulator::Extreme { .. }),
                Data::Ints(_, _) | Data::Numbers(_),
            ) => {
                let ordinals: Vec<f64> = match &value.data {
                    Data::Ints(_, v) => v.iter().map(|&x| x as f64).collect(),
                    Data::Numbers(v) => v.clone(),
                    _ => Vec::new(),
                };
                for (i, &x) in ordinals.iter().enumerate() {
                    if let Some(g) = slot(i) {
                        acc.add_ordinal(g, valid[i].then_some(x));
                    }
                }
            }
            // The rest, value by value through the cell rules.
            (acc, _) => {
                for i in 0..n {
                    if let Some(g) = slot(i) {
                        acc.add(g, Some(value.cell(i)));
                    }
                }
            }
        }
    }

    /// Adds a number (or counts a missing value) to a sum, a list or an extreme.
    fn add_ordinal(&mut self, g: usize, x: Option<f64>) {
        match self {
            Accumulator::Float {
                sum,
                compensation,
                n,
                skipped,
            } => match x {
                Some(x) => {
                    compensated_add(&mut sum[g], &mut compensation[g], x);
                    n[g] += 1;
                }
                None => skipped[g] += 1,
            },
            Accumulator::Values { values, skipped } => match x {
                Some(x) => values[g].push(x),
                None => skipped[g] += 1,
            },
            Accumulator::Extreme { best, skipped, max } => match x {
                Some(x) => {
                    let b = &mut best[g];
                    let better = match b {
                        None => true,
                        Some(cur) => (*max && x > *cur) || (!*max && x < *cur),
                    };
                    if better {
                        *b = Some(x);
                    }
                }
                None => skipped[g] += 1,
            },
            Accumulator::Count { .. }
            | Accumulator::Distinct { .. }
            | Accumulator::Exact { .. }
            | Accumulator::Mode { .. } => {}
        }
    }

    /// Adds what group `from` holds to group `into`, as if its rows were in both.
    fn fold(&mut self, from: usize, into: usize) {
        fn add<T: Copy + std::ops::AddAssign>(v: &mut [T], from: usize, into: usize) {
            let x = v[from];
            v[into] += x;
        }
        match self {
            Accumulator::Count { n, skipped, .. } => {
                add(n, from, into);
                add(skipped, from, into);
            }
            Accumulator::Distinct { sets, skipped } => {
                let more = sets[from].clone();
                sets[into].extend(more);
                add(skipped, from, into);
            }
            Accumulator::Mode { counts, skipped } => {
                let more = counts[from].clone();
                for (key, k) in more {
                    *counts[into].entry(key).or_insert(0) += k;
                }
                add(skipped, from, into);
            }
            Accumulator::Exact { sum, n, skipped } => {
                add(sum, from, into);
                add(n, from, into);
                add(skipped, from, into);
            }
            Accumulator::Float {
                sum,
                compensation,
                n,
                skipped,
            } => {
                for part in [sum[from], compensation[from]] {
                    compensated_add(&mut sum[into], &mut compensation[into], part);
                }
                add(n, from, into);
                add(skipped, from, into);
            }
            Accumulator::Values { values, skipped } => {
                let more = values[from].clone();
                values[into].extend(more);
                add(skipped, from, into);
            }
            Accumulator::Extreme { best, skipped, max } => {
                best[into] = match (best[into], best[from]) {
                    (Some(x), Some(y)) => Some(if *max { x.max(y) } else { x.min(y) }),
                    (x, y) => x.or(y),
                };
                add(skipped, from, into);
            }
        }
    }

    /// Adds the state of another accumulator of the same aggregate over other rows.
    fn merge(&mut self, other: Accumulator) {
        fn add<T: Copy + std::ops::AddAssign>(a: &mut [T], b: Vec<T>) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        match (self, other) {
            (
                Accumulator::Count { n, skipped, .. },
                Accumulator::Count {
                    n: n2, skipped: s2, ..
                },
            ) => {
                add(n, n2);
                add(skipped, s2);
            }
            (
                Accumulator::Distinct { sets, skipped },
                Accumulator::Distinct {
                    sets: sets2,
                    skipped: s2,
                },
            ) => {
                for (a, b) in sets.iter_mut().zip(sets2) {
                    a.extend(b);
                }
                add(skipped, s2);
            }
            (
                Accumulator::Mode { counts, skipped },
                Accumulator::Mode {
                    counts: counts2,
                    skipped: s2,
                },
            ) => {
                for (a, b) in counts.iter_mut().zip(counts2) {
                    for (key, n) in b {
                        *a.entry(key).or_insert(0) += n;
                    }
                }
                add(skipped, s2);
            }
            (
                Accumulator::Exact { sum, n, skipped },
                Accumulator::Exact {
                    sum: sum2,
                    n: n2,
                    skipped: s2,
                },
            ) => {
                add(sum, sum2);
                add(n, n2);
                add(skipped, s2);
            }
            (
                Accumulator::Float {
                    sum,
                    compensation,
                    n,
                    skipped,
                },
                Accumulator::Float {
                    sum: sum2,
                    compensation: c2,
                    n: n2,
                    skipped: s2,
                },
            ) => {
                // Sum the partial sums with the same compensation as single values.
                for (i, (x, c)) in sum2.into_iter().zip(c2).enumerate() {
                    for part in [x, c] {
                        compensated_add(&mut sum[i], &mut compensation[i], part);
                    }
                }
                add(n, n2);
                add(skipped, s2);
            }
            (
                Accumulator::Values { values, skipped },
                Accumulator::Values {
                    values: values2,
                    skipped: s2,
                },
            ) => {
                for (a, b) in values.iter_mut().zip(values2) {
                    a.extend(b);
                }
                add(skipped, s2);
            }
            (
                Accumulator::Extreme { best, skipped, max },
                Accumulator::Extreme {
                    best: best2,
                    skipped: s2,
                    ..
                },
            ) => {
                for (a, b) in best.iter_mut().zip(best2) {
                    *a = match (*a, b) {
                        (Some(x), Some(y)) => Some(if *max { x.max(y) } else { x.min(y) }),
                        (x, y) => x.or(y),
                    };
                }
                add(skipped, s2);
            }
            // Accumulators of one aggregate always have the same kind.
            _ => {}
        }
    }

    fn finish(self, agg: &Aggregate) -> AggregateResult {
        let arg = agg.value.as_ref().map_or(agg.ty, |v| v.ty);
        match self {
            Accumulator::Count {
                n,
                skipped,
                counts_values,
            } => AggregateResult {
                values: n.into_iter().map(|c| Value::Int(c as i64)).collect(),
                skipped: if counts_values {
                    skipped
                } else {
                    vec![0; skipped.len()]
                },
                rows: Vec::new(),
                excepted: Vec::new(),
            },
            Accumulator::Distinct { sets, skipped } => AggregateResult {
                values: sets
                    .into_iter()
                    .map(|s| Value::Int(s.len() as i64))
                    .collect(),
                skipped,
                rows: Vec::new(),
                excepted: Vec::new(),
            },
            Accumulator::Mode { counts, skipped } => AggregateResult {
                values: counts.into_iter().map(|c| mode(c, arg)).collect(),
                skipped,
                rows: Vec::new(),
                excepted: Vec::new(),
            },
            Accumulator::Exact { sum, n, skipped } => {
                let values = sum
                    .iter()
                    .zip(&n)
                    .zip(&skipped)
                    .map(|((&s, &n), &k)| finish_exact(agg.func, arg, s, n, k))
                    .collect();
                AggregateResult {
                    values,
                    skipped,
                    rows: Vec::new(),
                    excepted: Vec::new(),
                }
            }
            Accumulator::Float {
                sum,
                compensation,
                n,
                skipped,
            } => {
                let sum: Vec<f64> = sum.iter().zip(&compensation).map(|(s, c)| s + c).collect();
                let values = sum
                    .iter()
                    .zip(&n)
                    .zip(&skipped)
                    .map(|((&s, &n), &k)| match (agg.func, n) {
                        (AggregateFn::Sum, 0) if k > 0 => Value::Missing(Missing::AllMissing),
                        (AggregateFn::Sum, _) => Value::Number(s),
                        (_, 0) => Value::Missing(Missing::NoValues),
                        _ => Value::Number(s / n as f64),
                    })
                    .collect();
                AggregateResult {
                    values,
                    skipped,
                    rows: Vec::new(),
                    excepted: Vec::new(),
                }
            }
            Accumulator::Values {
                mut values,
                skipped,
            } => {
                let values = values
                    .iter_mut()
                    .map(|v| percentile(v, agg.rank, arg))
                    .collect();
                AggregateResult {
                    values,
                    skipped,
                    rows: Vec::new(),
                    excepted: Vec::new(),
                }
            }
            Accumulator::Extreme { best, skipped, .. } => AggregateResult {
                values: best
                    .into_iter()
                    .map(|b| b.map_or(Value::Missing(Missing::NoValues), |x| from_ordinal(x, arg)))
                    .collect(),
                skipped,
                rows: Vec::new(),
                excepted: Vec::new(),
            },
        }
    }
}

/// Adds `x` to a compensated (Neumaier) sum: `sum` plus `compensation` is the sum of every
/// value added, correctly rounded.
fn compensated_add(sum: &mut f64, compensation: &mut f64, x: f64) {
    let t = *sum + x;
    *compensation += if sum.abs() >= x.abs() {
        (*sum - t) + x
    } else {
        (x - t) + *sum
    };
    *sum = t;
}

fn distinct_key(c: Cell) -> Option<DistinctKey> {
    Some(match c {
        Cell::Missing(_) => return None,
        Cell::Text(s) => DistinctKey::Text(s.into()),
        Cell::Number(f) => DistinctKey::Bits(f.to_bits()),
        Cell::Int(i) | Cell::Duration(i) | Cell::DateTime(i) => DistinctKey::Int(i),
        Cell::Date(d) => DistinctKey::Int(d as i64),
        Cell::Category(c) => DistinctKey::Int(c as i64),
        Cell::Bool(b) => DistinctKey::Int(b as i64),
    })
}

/// An integer view of a cell for exact sums: counts, durations and instants in
/// microseconds, dates in microseconds of their midnight, true as 1.
fn exact(c: Cell) -> Option<i64> {
    match c {
        Cell::Int(i) | Cell::Duration(i) | Cell::DateTime(i) => Some(i),
        Cell::Date(d) => Some(d as i64 * 86_400_000_000),
        Cell::Bool(b) => Some(b as i64),
        Cell::Category(c) => Some(c as i64),
        _ => None,
    }
}

fn finish_exact(func: AggregateFn, arg: Type, sum: i128, n: u64, skipped: u64) -> Value {
    if func == AggregateFn::Sum {
        if n == 0 && skipped > 0 {
            return Value::Missing(Missing::AllMissing);
        }
        let Ok(s) = i64::try_from(sum) else {
            return Value::Missing(Missing::Overflow);
        };
        return match arg {
            Type::Duration | Type::Per(Quantity::Duration, _) => Value::Duration(s),
            _ => Value::Int(s),
        };
    }
    if n == 0 {
        return Value::Missing(Missing::NoValues);
    }
    let mean = sum as f64 / n as f64;
    match arg {
        Type::Duration | Type::Per(Quantity::Duration, _) => Value::Duration(mean.round() as i64),
        Type::DateTime | Type::Date => Value::DateTime(mean.round() as i64),
        _ => Value::Number(mean),
    }
}

/// Whether values of a type are held as whole numbers (counts, durations and instants in
/// microseconds, days, category codes), so that sums of them are exact; the others are
/// floating-point numbers.
fn whole(ty: Type) -> bool {
    matches!(
        ty,
        Type::Int
            | Type::Count(_)
            | Type::Duration
            | Type::Per(Quantity::Duration, _)
            | Type::Date
            | Type::DateTime
            | Type::Bool
            | Type::Category(_)
    )
}

/// The most frequent value; of equally frequent ones, the lowest (the first category in
/// scale order, the earliest instant, text in byte order), so the result never depends on
/// the order of the rows.
fn mode(counts: HashMap<DistinctKey, u64>, ty: Type) -> Value {
    let best = counts.into_iter().max_by(|(a, n), (b, m)| {
        n.cmp(m).then_with(|| match (a, b) {
            (DistinctKey::Int(x), DistinctKey::Int(y)) => y.cmp(x),
            (DistinctKey::Bits(x), DistinctKey::Bits(y)) => {
                f64::from_bits(*y).total_cmp(&f64::from_bits(*x))
            }
            (DistinctKey::Text(x), DistinctKey::Text(y)) => y.cmp(x),
            _ => std::cmp::Ordering::Equal,
        })
    });
    match best {
        None => Value::Missing(Missing::NoValues),
        Some((DistinctKey::Text(s), _)) => Value::Text(s.into()),
        Some((DistinctKey::Bits(b), _)) => Value::Number(f64::from_bits(b)),
        Some((DistinctKey::Int(i), _)) => match ty {
            Type::Category(_) => Value::Category(i as u16),
            Type::Bool => Value::Bool(i != 0),
            Type::Duration | Type::Per(Quantity::Duration, _) => Value::Duration(i),
            Type::DateTime => Value::DateTime(i),
            Type::Date => Value::Date(i as i32),
            _ => Value::Int(i),
        },
    }
}

/// The percentile at `rank` of sorted values. Numbers, durations and instants interpolate
/// linearly between the closest ranks; ordinal categories and dates take the lower of the
/// two, since they have no midpoint.
fn percentile(values: &mut [f64], rank: f64, arg: Type) -> Value {
    if values.is_empty() {
        return Value::Missing(Missing::NoValues);
    }
    let pos = rank.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let lo = pos.floor() as usize;
    // Selecting the rank in linear time, rather than sorting, is all a percentile needs:
    // the next value up is the smallest of those above it.
    let (_, &mut low, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
    if matches!(arg, Type::Category(_) | Type::Date) {
        return from_ordinal(low, arg);
    }
    let high = if pos > lo as f64 {
        above.iter().copied().min_by(f64::total_cmp).unwrap_or(low)
    } else {
        low
    };
    let x = low + (high - low) * (pos - lo as f64);
    match arg {
        Type::Int | Type::Count(_) => Value::Number(x),
        _ => from_ordinal(x, arg),
    }
}

/// A value of type `ty` from its position on the number line (see [`Cell::ordinal`]).
fn from_ordinal(x: f64, ty: Type) -> Value {
    match ty {
        Type::Int | Type::Count(_) => Value::Int(x as i64),
        Type::Duration | Type::Per(Quantity::Duration, _) => Value::Duration(x.round() as i64),
        Type::DateTime => Value::DateTime(x.round() as i64),
        Type::Date => Value::Date((x / 86_400_000_000.0).floor() as i32),
        Type::Category(_) => Value::Category(x as u16),
        Type::Bool => Value::Bool(x != 0.0),
        _ => Value::Number(x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let mut v = [4.0, 2.0, 1.0, 3.0];
        assert_eq!(percentile(&mut v, 0.5, Type::Number), Value::Number(2.5));
        assert_eq!(percentile(&mut v, 0.9, Type::Number), Value::Number(3.7));
        assert_eq!(percentile(&mut v, 0.0, Type::Number), Value::Number(1.0));
        assert_eq!(percentile(&mut v, 1.0, Type::Number), Value::Number(4.0));
        assert_eq!(
            percentile(&mut [], 0.5, Type::Number),
            Value::Missing(Missing::NoValues)
        );
    }

    #[test]
    fn ordinal_median_is_the_lower_middle_category() {
        let mut v = [3.0, 1.0, 0.0, 2.0];
        assert_eq!(
            percentile(&mut v, 0.5, Type::Category(0)),
            Value::Category(1)
        );
    }

    #[test]
    fn sums_of_decimals_are_correctly_rounded() {
        let agg = Aggregate {
            func: AggregateFn::Sum,
            rank: 0.5,
            value: None,
            dataset: 0,
            period_column: None,
            filter: None,
            except: None,
            ty: Type::Number,
            span: Default::default(),
        };
        let mut acc = Accumulator::new(AggregateFn::Sum, Some(Type::Number), 1);
        for _ in 0..1_000_000 {
            acc.add(0, Some(Cell::Number(0.1)));
        }
        let result = acc.finish(&agg);
        assert_eq!(result.values[0], Value::Number(100_000.0));
    }

    #[test]
    fn the_mode_survives_merging_and_breaks_ties_by_the_lowest_value() {
        let agg = Aggregate {
            func: AggregateFn::Mode,
            rank: 0.5,
            value: None,
            dataset: 0,
            period_column: None,
            filter: None,
            except: None,
            ty: Type::Category(0),
            span: Default::default(),
        };
        let arg = Some(Type::Category(0));
        let (mut first, mut second) = (
            Accumulator::new(AggregateFn::Mode, arg, 1),
            Accumulator::new(AggregateFn::Mode, arg, 1),
        );
        // Category 2 once here and twice in the other part; category 1 three times in all.
        for c in [2, 1, 1] {
            first.add(0, Some(Cell::Category(c)));
        }
        for c in [2, 2, 1] {
            second.add(0, Some(Cell::Category(c)));
        }
        second.add(0, Some(Cell::Missing(Missing::Input)));
        first.merge(second);
        let result = first.finish(&agg);
        assert_eq!(result.values[0], Value::Category(1));
        assert_eq!(result.skipped[0], 1);
    }

    #[test]
    fn money_and_scores_are_summed_as_decimals() {
        let eur = Type::Money(crate::check::types::Currency::parse("EUR").unwrap());
        for ty in [eur, Type::Score(0)] {
            let acc = Accumulator::new(AggregateFn::Sum, Some(ty), 1);
            assert!(matches!(acc, Accumulator::Float { .. }), "{ty:?}");
        }
        let per = Type::Per(Quantity::Duration, 0);
        let acc = Accumulator::new(AggregateFn::Mean, Some(per), 1);
        assert!(matches!(acc, Accumulator::Exact { .. }));
    }

    #[test]
    fn sums_of_nothing_and_of_all_missing_differ() {
        assert_eq!(
            finish_exact(AggregateFn::Sum, Type::Int, 0, 0, 0),
            Value::Int(0)
        );
        assert_eq!(
            finish_exact(AggregateFn::Sum, Type::Int, 0, 0, 3),
            Value::Missing(Missing::AllMissing)
        );
        assert_eq!(
            finish_exact(AggregateFn::Mean, Type::Duration, 0, 0, 0),
            Value::Missing(Missing::NoValues)
        );
        assert_eq!(
            finish_exact(AggregateFn::Mean, Type::Duration, 3, 2, 0),
            Value::Duration(2)
        );
    }
}
