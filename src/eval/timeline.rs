//! Evaluating a checked programme over periods: the one asked for, every period of a
//! series, and the earlier periods that functions of history (`previous`, `trend`, ...)
//! look back to.
//!
//! Each period has a state of its own: the groups of each grouping, the results of one pass
//! over each dataset, and the measures evaluated so far. States are made on demand and kept,
//! so a series and the look-backs of its periods share them. A look-back only ever goes to
//! an earlier period, so evaluation always ends. A value of a period before the data's
//! first period is missing, with that reason; the same group is found in an earlier period
//! by its label.

pub(super) mod evidence;
mod explain;
mod plan;

use std::collections::HashMap;

use crate::check::{
    Clock, DatasetId, Expr, ExprKind, Function, GroupSummary, Grouping, MeasureId, Program,
};
use crate::data::{Column, ColumnData, Table};
use crate::syntax::ast::{BinaryOp, CompareOp, UnaryOp};

use super::groups::Domain;
use super::pass;
use super::period::{Calendar, Period};
use super::value::{self, Cell, Missing, Value};
use super::INSUFFICIENT_DATA;
use super::{Group, IndicatorOutcome, IndicatorResult, MeasureResult, Outcome, TargetResult};
use plan::reads_clock;

pub use explain::{Step, StepKind, Subject};

/// A value's grouping, as an index into a state's domains; 0 is "ungrouped".
type GroupingId = usize;

/// What a run is evaluated against: the calendar of its periods and the moment it looks
/// from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clocks {
    pub calendar: Calendar,
    /// `--as-of`: the data is seen as it stood then; periods are cut there.
    pub as_of: Option<i64>,
}

pub(super) struct Timeline<'a> {
    program: &'a Program,
    /// Which measures and indicators are evaluated: those asked for, and the indicators
    /// whose status they use. `None` evaluates everything.
    wanted: Option<(Vec<bool>, Vec<bool>)>,
    tables: &'a [Option<Table>],
    clocks: Clocks,
    /// For each dataset with a time column, the first instant its data holds.
    first: Vec<Option<i64>>,
    /// The last instant any timed dataset holds, which a run over the whole data looks
    /// from.
    last: Option<i64>,
    /// Whether each aggregate's row expressions read the clock.
    clocked: Vec<bool>,
    states: Vec<State>,
    /// States by period bounds; the whole data by `(i64::MIN, i64::MAX)`.
    index: HashMap<(i64, i64), usize>,
}

/// Everything computed for one period.
struct State {
    period: Option<Period>,
    /// The period cut at `--as-of`: the rows the passes read.
    scanned: Option<Period>,
    as_of: Option<i64>,
    grouping_ids: HashMap<String, GroupingId>,
    /// The grouping behind each id, so that the same grouping can be found in another
    /// period; `None` for the ungrouped total.
    groupings: Vec<Option<(Grouping, Vec<DatasetId>)>>,
    domains: Vec<Domain>,
    aggregates: HashMap<(usize, GroupingId), pass::AggregateResult>,
    /// The aggregates each measure and each indicator uses.
    measure_aggregates: Vec<Vec<usize>>,
    indicator_aggregates: Vec<Vec<usize>>,
    memo: HashMap<(MeasureId, GroupingId), Vec<Outcome>>,
}

impl<'a> Timeline<'a> {
    pub(super) fn new(program: &'a Program, tables: &'a [Option<Table>], clocks: Clocks) -> Self {
        let first: Vec<Option<i64>> = program
            .datasets
            .iter()
            .zip(tables)
            .map(|(d, t)| {
                let (t, c) = (t.as_ref()?, d.time?);
                instants(&t.columns[c], &clocks.calendar).min()
            })
            .collect();
        let last = program
            .datasets
            .iter()
            .zip(tables)
            .filter_map(|(d, t)| {
                let (t, c) = (t.as_ref()?, d.time?);
                instants(&t.columns[c], &clocks.calendar).max()
            })
            .max();
        let clocked = program
            .aggregates
            .iter()
            .map(|a| {
                a.filter
                    .iter()
                    .chain(&a.value)
                    .chain(&a.except)
                    .any(reads_clock)
            })
            .collect();
        Timeline {
            program,
            wanted: None,
            tables,
            clocks,
            first,
            last,
            clocked,
            states: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The state of a period (the whole data for `None`), made and planned on first use.
    pub(super) fn state(&mut self, period: Option<&Period>) -> usize {
        let key = period.map_or((i64::MIN, i64::MAX), |p| (p.start, p.end));
        if let Some(&s) = self.index.get(&key) {
            return s;
        }
        let as_of = match (period, self.clocks.as_of) {
            (Some(p), Some(at)) => Some(p.end.min(at)),
            (Some(p), None) => Some(p.end),
            // The whole data is seen from just after its last instant.
            (None, at) => at.or(self.last.map(|l| l + 1)),
        };
        let scanned = match (period, self.clocks.as_of) {
            (Some(p), Some(at)) => Some(p.cut(at)),
            (p, _) => p.cloned(),
        };
        self.states.push(State {
            period: period.cloned(),
            scanned,
            as_of,
            grouping_ids: HashMap::new(),
            groupings: vec![None],
            domains: vec![Domain::total_only()],
            aggregates: HashMap::new(),
            measure_aggregates: Vec::new(),
            indicator_aggregates: Vec::new(),
            memo: HashMap::new(),
        });
        let s = self.states.len() - 1;
        self.index.insert(key, s);
        self.plan_and_run(s);
        s
    }

    pub(super) fn rows_in_period(&self, s: usize, dataset: DatasetId) -> usize {
        let state = &self.states[s];
        match &self.tables[dataset] {
            Some(t) => pass::rows_in_period(
                t,
                self.program.datasets[dataset].time,
                state.scanned.as_ref(),
            ),
            None => 0,
        }
    }

    fn grouping_id(
        &mut self,
        s: usize,
        grouping: Option<&Grouping>,
        reads: &[DatasetId],
    ) -> GroupingId {
        let Some(grouping) = grouping else {
            return 0;
        };
        // Domains depend on the datasets read, so the label alone is not the key.
        let key = format!("{}@{:?}", grouping.label(), reads);
        if let Some(id) = self.states[s].grouping_ids.get(&key) {
            return *id;
        }
        let tables: Vec<(DatasetId, &Table)> = reads
            .iter()
            .filter_map(|d| self.tables[*d].as_ref().map(|t| (*d, t)))
            .collect();
        let state = &mut self.states[s];
        let domain = Domain::build(
            self.program,
            grouping,
            &tables,
            self.tables,
            state.period.as_ref(),
            &self.clocks.calendar,
        );
        state.domains.push(domain);
        state
            .groupings
            .push(Some((grouping.clone(), reads.to_vec())));
        let id = state.domains.len() - 1;
        state.grouping_ids.insert(key, id);
        id
    }

    fn clock(&self, s: usize, clock: Clock) -> Option<i64> {
        let state = &self.states[s];
        match clock {
            Clock::AsOf => state.as_of,
            Clock::PeriodStart => state.period.as_ref().map(|p| p.start),
            Clock::PeriodEnd => state.period.as_ref().map(|p| p.end),
        }
    }

    /// A measure's outcome for every group of a grouping, the total last.
    fn measure_outcomes(&mut self, s: usize, m: MeasureId, g: GroupingId) -> Vec<Outcome> {
        if let Some(v) = self.states[s].memo.get(&(m, g)) {
            return v.clone();
        }
        let expr = &self.program.measures[m].expr;
        let mut outcomes: Vec<Outcome> = (0..=self.states[s].domains[g].len())
            .map(|i| self.outcome(s, expr, g, i, None))
            .collect();
        // What `except` left out, as the most any of the measure's aggregates did.
        let state = &self.states[s];
        for (i, outcome) in outcomes.iter_mut().enumerate() {
            outcome.excepted = state.measure_aggregates[m]
                .iter()
                .filter_map(|a| state.aggregates.get(&(*a, g)))
                .filter_map(|r| r.excepted.get(i).copied())
                .max()
                .unwrap_or(0);
        }
        self.states[s].memo.insert((m, g), outcomes.clone());
        outcomes
    }

    /// The value of an expression for group `i` of grouping `g` in state `s`; `indicator`
    /// is the indicator whose `value` the expression may name.
    fn outcome(
        &mut self,
        s: usize,
        expr: &Expr,
        g: GroupingId,
        i: usize,
        indicator: Option<usize>,
    ) -> Outcome {
        let (value, skipped) = match &expr.kind {
            ExprKind::Literal(lit) => (Cell::from_literal(lit).to_value(), 0),
            ExprKind::Category(_, c) => (Value::Category(*c), 0),
            ExprKind::IndicatorValue => match indicator {
                Some(id) => {
                    let e = &self.program.indicators[id].value;
                    return self.outcome(s, e, g, i, None);
                }
                None => (Value::Missing(Missing::Input), 0),
            },
            ExprKind::Clock(c) => (
                self.clock(s, *c)
                    .map_or(Value::Missing(Missing::NoPeriod), Value::DateTime),
                0,
            ),
            ExprKind::Aggregate(a) => match self.states[s].aggregates.get(&(*a, g)) {
                Some(r) => (r.values[i].clone(), r.skipped[i]),
                // The dataset could not be loaded; load errors were reported already.
                None => (Value::Missing(Missing::Input), 0),
            },
            ExprKind::Measure(m) => {
                let o = self.measure_outcomes(s, *m, g).swap_remove(i);
                (o.value, o.skipped)
            }
            ExprKind::Unary(op, x) => {
                let o = self.outcome(s, x, g, i, indicator);
                let v = match op {
                    UnaryOp::Not => value::not(o.value.cell()),
                    UnaryOp::Neg => value::negate(o.value.cell()),
                };
                (v.to_value(), o.skipped)
            }
            ExprKind::Binary(op, x, y) => {
                let a = self.outcome(s, x, g, i, indicator);
                let b = self.outcome(s, y, g, i, indicator);
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
                let a = self.outcome(s, x, g, i, indicator);
                let mut skipped = a.skipped;
                let mut found = false;
                for item in list {
                    let b = self.outcome(s, item, g, i, indicator);
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
                let a = self.outcome(s, x, g, i, indicator);
                (Value::Bool(a.value.is_missing() != *negated), a.skipped)
            }
            ExprKind::Call(function, args) if function.looks_back().is_some() => {
                return self.history(s, function, &args[0], g, i, indicator);
            }
            ExprKind::Call(
                Function::Status {
                    indicator: of,
                    statuses,
                },
                _,
            ) => (self.status_of(s, *of, statuses, g, i), 0),
            ExprKind::Call(
                Function::OverGroups {
                    of,
                    grouping,
                    reads,
                },
                args,
            ) => {
                if g != 0 {
                    // The checker keeps these out of grouped values.
                    (Value::Missing(Missing::Input), 0)
                } else {
                    return self.over_groups(s, *of, grouping, reads, &args[0], indicator);
                }
            }
            ExprKind::Call(function, args) => {
                let outcomes: Vec<Outcome> = args
                    .iter()
                    .map(|x| self.outcome(s, x, g, i, indicator))
                    .collect();
                let cells: Vec<Cell> = outcomes.iter().map(|o| o.value.cell()).collect();
                let skipped = outcomes.iter().map(|o| o.skipped).sum();
                (value::call(function, &cells).to_value(), skipped)
            }
            ExprKind::Column(_) | ExprKind::Relation { .. } | ExprKind::Error => {
                (Value::Missing(Missing::Input), 0)
            }
        };
        Outcome::new(value, skipped)
    }

    /// A function of `x`'s history: its values in this and earlier periods, oldest first.
    fn history(
        &mut self,
        s: usize,
        function: &Function,
        x: &Expr,
        g: GroupingId,
        i: usize,
        indicator: Option<usize>,
    ) -> Outcome {
        let back = function.looks_back().unwrap_or(0);
        let mut values = Vec::with_capacity(back as usize + 1);
        let mut skipped = 0;
        for k in (0..=back).rev() {
            let o = self.earlier(s, k, x, g, i, indicator);
            skipped += o.skipped;
            values.push(o.value);
        }
        let value = match function {
            Function::Previous => values.swap_remove(0),
            Function::Change => {
                value::arithmetic(BinaryOp::Sub, values[1].cell(), values[0].cell()).to_value()
            }
            Function::RelativeChange => {
                let change = value::arithmetic(BinaryOp::Sub, values[1].cell(), values[0].cell());
                value::arithmetic(BinaryOp::Div, change, values[0].cell()).to_value()
            }
            Function::MeanOver(_) => value::mean(&values),
            Function::Trend(_) => value::slope(&values),
            Function::Rising(_) | Function::Falling(_) => {
                let op = if matches!(function, Function::Rising(_)) {
                    CompareOp::Gt
                } else {
                    CompareOp::Lt
                };
                values
                    .windows(2)
                    .map(|w| value::compare(op, w[1].cell(), w[0].cell()))
                    .fold(Cell::Bool(true), value::and)
                    .to_value()
            }
            _ => Value::Missing(Missing::Input),
        };
        Outcome::new(value, skipped)
    }

    /// The value of `x` for the same group `back` periods before state `s`.
    fn earlier(
        &mut self,
        s: usize,
        back: u32,
        x: &Expr,
        g: GroupingId,
        i: usize,
        indicator: Option<usize>,
    ) -> Outcome {
        if back == 0 {
            return self.outcome(s, x, g, i, indicator);
        }
        let missing = |m| Outcome::new(Value::Missing(m), 0);
        let Some(period) = self.states[s].period.as_ref().and_then(|p| p.before(back)) else {
            return missing(Missing::NoPeriod);
        };
        if self.before_data(&period, x, indicator) {
            return missing(Missing::BeforeData);
        }
        let t = self.state(Some(&period));
        match self.same_group(s, g, i, t) {
            Some((g2, i2)) => self.outcome(t, x, g2, i2, indicator),
            // The group has no rows, and so no place, in that period.
            None => missing(Missing::NoValues),
        }
    }

    /// The status another indicator has for the same group (or its total, when it is not
    /// grouped the same way), as a category of the status scale.
    fn status_of(
        &mut self,
        s: usize,
        of: usize,
        statuses: &[String],
        g: GroupingId,
        i: usize,
    ) -> Value {
        let other = &self.program.indicators[of];
        let g2 = self.grouping_id(s, other.group_by.as_ref(), &other.reads);
        let i2 = self
            .group_in(s, g, i, s, g2)
            .unwrap_or_else(|| self.states[s].domains[g2].len());
        let Some(status) = self.indicator_outcome(s, of, g2, i2).status else {
            return Value::Missing(Missing::NoValues);
        };
        let name = if status == INSUFFICIENT_DATA {
            "insufficient_data"
        } else {
            status.as_str()
        };
        match statuses.iter().position(|s| s == name) {
            Some(k) => Value::Category(k as u16),
            None => Value::Missing(Missing::Input),
        }
    }

    /// `x` in every group of a grouping, summed up: the mean, least or greatest of the
    /// groups' values that are present.
    fn over_groups(
        &mut self,
        s: usize,
        of: GroupSummary,
        grouping: &Grouping,
        reads: &[DatasetId],
        x: &Expr,
        indicator: Option<usize>,
    ) -> Outcome {
        let g = self.grouping_id(s, Some(grouping), reads);
        let domain = &self.states[s].domains[g];
        let groups: Vec<usize> = (0..domain.len())
            .filter(|&j| !domain.is_placeholder(j))
            .collect();
        let mut skipped = 0;
        let mut values = Vec::new();
        for j in groups {
            let o = self.outcome(s, x, g, j, indicator);
            skipped += o.skipped;
            if !o.value.is_missing() {
                values.push(o.value);
            }
        }
        let value = match of {
            _ if values.is_empty() => Value::Missing(Missing::NoValues),
            GroupSummary::Mean => value::mean(&values),
            GroupSummary::Min | GroupSummary::Max => {
                let better = if of == GroupSummary::Min {
                    CompareOp::Lt
                } else {
                    CompareOp::Gt
                };
                let mut best = values[0].clone();
                for v in &values[1..] {
                    if value::compare(better, v.cell(), best.cell()).holds() {
                        best = v.clone();
                    }
                }
                best
            }
        };
        Outcome::new(value, skipped)
    }

    /// Whether a period ends before some timed dataset that `x` reads holds any data.
    fn before_data(&self, period: &Period, x: &Expr, indicator: Option<usize>) -> bool {
        let mut reads: Vec<DatasetId> = Vec::new();
        let mut stack = vec![x];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Aggregate(a) => reads.push(self.program.aggregates[*a].dataset),
                ExprKind::Measure(m) => reads.extend(&self.program.measures[*m].reads),
                ExprKind::IndicatorValue => {
                    if let Some(id) = indicator {
                        reads.extend(&self.program.indicators[id].reads);
                    }
                }
                _ => stack.extend(e.children()),
            }
        }
        reads
            .iter()
            .filter_map(|d| self.first[*d])
            .any(|first| period.end <= first)
    }

    /// Group `i` of grouping `g` in state `s`, found in state `t` by its label.
    fn same_group(
        &mut self,
        s: usize,
        g: GroupingId,
        i: usize,
        t: usize,
    ) -> Option<(GroupingId, usize)> {
        let Some((grouping, reads)) = self.states[s].groupings[g].clone() else {
            return Some((0, 0));
        };
        let g2 = self.grouping_id(t, Some(&grouping), &reads);
        self.group_in(s, g, i, t, g2).map(|i2| (g2, i2))
    }

    /// Group `i` of grouping `g` in state `s`, found among the groups of grouping `g2` in
    /// state `t` by its label; the total stays the total.
    fn group_in(
        &self,
        s: usize,
        g: GroupingId,
        i: usize,
        t: usize,
        g2: GroupingId,
    ) -> Option<usize> {
        let (from, to) = (&self.states[s].domains[g], &self.states[t].domains[g2]);
        if i == from.len() {
            return Some(to.len());
        }
        let label = from.labels.get(i)?;
        to.labels.iter().position(|l| l == label)
    }

    pub(super) fn measure_result(&mut self, s: usize, id: MeasureId) -> MeasureResult {
        let m = &self.program.measures[id];
        let g = self.grouping_id(s, m.group_by.as_ref(), &m.reads);
        let mut outcomes = self.measure_outcomes(s, id, g);
        let total = outcomes
            .pop()
            .unwrap_or(Outcome::new(Value::Missing(Missing::NoValues), 0));
        let groups = self.shown_groups(s, g, &self.states[s].measure_aggregates[id], outcomes);
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
    fn shown_groups<T>(
        &self,
        s: usize,
        g: GroupingId,
        uses: &[usize],
        results: Vec<T>,
    ) -> Vec<Group<T>> {
        let state = &self.states[s];
        let domain = &state.domains[g];
        let occupied = |i: usize| {
            uses.iter().any(|a| {
                state
                    .aggregates
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

    pub(super) fn indicator_result(&mut self, s: usize, id: usize) -> IndicatorResult {
        let program = self.program;
        let ind = &program.indicators[id];
        let g = self.grouping_id(s, ind.group_by.as_ref(), &ind.reads);
        let mut outcomes: Vec<IndicatorOutcome> = (0..=self.states[s].domains[g].len())
            .map(|i| self.indicator_outcome(s, id, g, i))
            .collect();
        let total = outcomes.pop().expect("every grouping has a total");
        let groups = self.shown_groups(s, g, &self.states[s].indicator_aggregates[id], outcomes);
        let target = ind.target.as_ref().map(|t| TargetResult {
            op: t.op,
            value: self.outcome(s, &t.value, 0, 0, Some(id)).value,
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

    fn indicator_outcome(
        &mut self,
        s: usize,
        id: usize,
        g: GroupingId,
        i: usize,
    ) -> IndicatorOutcome {
        self.decide(s, id, g, i).0
    }

    /// An indicator's outcome for group `i`, and what decided its status.
    pub(super) fn decide(
        &mut self,
        s: usize,
        id: usize,
        g: GroupingId,
        i: usize,
    ) -> (IndicatorOutcome, Decision) {
        let ind = &self.program.indicators[id];
        let Outcome { value, skipped, .. } = self.outcome(s, &ind.value, g, i, None);

        let target_met = ind.target.as_ref().and_then(|t| {
            let target = self.outcome(s, &t.value, g, i, Some(id)).value;
            match value::compare(t.op, value.cell(), target.cell()) {
                Cell::Bool(b) => Some(b),
                _ => None,
            }
        });

        // Without enough evidence there is no status; a gate that holds overrides the
        // criteria; then the first band that holds gives the status. A missing value, or a
        // gate or band that cannot be decided because something in it is missing, gives
        // insufficient data.
        let insufficient = || Some(INSUFFICIENT_DATA.to_string());
        let sample = ind
            .sample
            .as_ref()
            .map(|c| self.outcome(s, c, g, i, Some(id)).value);
        let mut status = None;
        let mut decision = Decision::NoBand;
        if sample.is_some_and(|v| v != Value::Bool(true)) {
            status = insufficient();
            decision = Decision::Sample;
        }
        for (k, gate) in ind.gates.iter().enumerate() {
            let Some(c) = &gate.condition else { continue };
            if status.is_some() {
                break;
            }
            match self.outcome(s, c, g, i, Some(id)).value {
                Value::Bool(true) => {
                    status = Some(gate.status.clone());
                    decision = Decision::Gate(k);
                }
                Value::Missing(_) => {
                    status = insufficient();
                    decision = Decision::UndecidedGate(k);
                }
                _ => {}
            }
        }
        if status.is_some() {
            // Decided before the criteria.
        } else if value.is_missing() {
            status = insufficient();
            decision = Decision::MissingValue;
        } else {
            for (k, band) in ind.criteria.iter().enumerate() {
                let holds = match &band.condition {
                    None => Value::Bool(true),
                    Some(c) => self.outcome(s, c, g, i, Some(id)).value,
                };
                match holds {
                    Value::Bool(true) => {
                        status = Some(band.status.clone());
                        decision = Decision::Band(k);
                        break;
                    }
                    Value::Missing(_) => {
                        status = Some(INSUFFICIENT_DATA.to_string());
                        decision = Decision::UndecidedBand(k);
                        break;
                    }
                    _ => {}
                }
            }
        }

        let outcome = IndicatorOutcome {
            value,
            skipped,
            status,
            target_met,
        };
        (outcome, decision)
    }
}

/// What decided an indicator's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    /// The sample condition does not hold: insufficient data.
    Sample,
    /// The gate of this index holds.
    Gate(usize),
    /// The gate of this index cannot be decided: insufficient data.
    UndecidedGate(usize),
    /// The value is missing: insufficient data.
    MissingValue,
    /// The band of this index is the first that holds.
    Band(usize),
    /// The band of this index cannot be decided: insufficient data.
    UndecidedBand(usize),
    /// No band holds: no status.
    NoBand,
}

/// The instants a time column holds: date-times as they are, dates at their first moment.
pub(super) fn instants<'c>(
    column: &'c Column,
    calendar: &'c Calendar,
) -> impl Iterator<Item = i64> + 'c {
    let len = match &column.data {
        ColumnData::DateTime(v) => v.len(),
        ColumnData::Date(v) => v.len(),
        _ => 0,
    };
    (0..len)
        .filter(|&r| !column.is_missing(r))
        .filter_map(move |r| match &column.data {
            ColumnData::DateTime(v) => Some(v[r]),
            ColumnData::Date(v) => Some(calendar.date_start(v[r])),
            _ => None,
        })
}
