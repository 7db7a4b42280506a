//! Planning a period's state: which measures and indicators are wanted, which aggregates
//! they need under which groupings, and the one pass over each dataset that computes them,
//! with the clock of row expressions bound to the period's instants.

use crate::check::{Aggregate, Expr, ExprKind, Function, MeasureId, Program};
use crate::eval::groups::Domain;
use crate::eval::pass;
use crate::eval::relations::Links;
use crate::eval::Selection;
use crate::syntax::ast::Literal;

use super::{GroupingId, Timeline};

impl Timeline<'_> {
    /// Evaluates only the selected measures and indicators, and what they use. Must be
    /// called before any state is made.
    pub(in crate::eval) fn select(&mut self, selection: &Selection) {
        let program = self.program;
        let mut measures = vec![false; program.measures.len()];
        for &m in &selection.measures {
            measures[m] = true;
        }
        let mut indicators = vec![false; program.indicators.len()];
        let mut stack: Vec<usize> = selection.indicators.clone();
        // An indicator judged by another's status needs that one evaluated too.
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut indicators[i], true) {
                continue;
            }
            for e in program.indicators[i].expressions() {
                e.any(&mut |e| {
                    if let ExprKind::Call(Function::Status { indicator, .. }, _) = &e.kind {
                        stack.push(*indicator);
                    }
                    false
                });
            }
        }
        self.wanted = Some((measures, indicators));
    }

    fn wants_measure(&self, m: MeasureId) -> bool {
        self.wanted.as_ref().is_none_or(|(ms, _)| ms[m])
    }

    fn wants_indicator(&self, i: usize) -> bool {
        self.wanted.as_ref().is_none_or(|(_, is)| is[i])
    }

    /// Works out which aggregates every measure and indicator needs under which grouping,
    /// then computes them in one pass over each dataset.
    pub(super) fn plan_and_run(&mut self, s: usize) {
        let program = self.program;
        let mut needed: Vec<Vec<GroupingId>> = vec![Vec::new(); program.aggregates.len()];
        let mut nested = Vec::new();
        for (id, m) in program.measures.iter().enumerate() {
            if !self.wants_measure(id) {
                self.states[s].measure_aggregates.push(Vec::new());
                continue;
            }
            let g = self.grouping_id(s, m.group_by.as_ref(), &m.reads);
            let aggregates = need(
                program,
                std::iter::once(&m.expr),
                g,
                &mut needed,
                &mut nested,
            );
            self.states[s].measure_aggregates.push(aggregates);
        }
        for (id, i) in program.indicators.iter().enumerate() {
            if !self.wants_indicator(id) {
                self.states[s].indicator_aggregates.push(Vec::new());
                continue;
            }
            let g = self.grouping_id(s, i.group_by.as_ref(), &i.reads);
            let aggregates = need(program, i.expressions(), g, &mut needed, &mut nested);
            self.states[s].indicator_aggregates.push(aggregates);
        }
        // Values summed up over groups of their own, planned under those groupings.
        while let Some(call) = nested.pop() {
            if let ExprKind::Call(
                Function::OverGroups {
                    grouping, reads, ..
                },
                args,
            ) = &call.kind
            {
                let g = self.grouping_id(s, Some(grouping), reads);
                need(program, args.iter(), g, &mut needed, &mut nested);
            }
        }

        // Row expressions that read the clock get this period's instants as literals.
        let bound: Option<Vec<Aggregate>> = self.clocked.iter().any(|&c| c).then(|| {
            program
                .aggregates
                .iter()
                .map(|a| {
                    let mut a = a.clone();
                    a.filter = a.filter.map(|f| self.bind_clock(s, f));
                    a.except = a.except.map(|e| self.bind_clock(s, e));
                    a.value = a.value.map(|v| self.bind_clock(s, v));
                    a
                })
                .collect()
        });
        let aggregates = bound.as_deref().unwrap_or(&program.aggregates);
        let state = &self.states[s];
        let links = Links::build(program, self.tables, state.scanned.as_ref(), |e| {
            self.bind_clock(s, e.clone())
        });

        let mut results = Vec::new();
        for (d, dataset) in program.datasets.iter().enumerate() {
            let Some(table) = self.tables[d].as_ref() else {
                continue;
            };
            let wanted: Vec<(usize, Vec<(usize, &Domain)>)> = needed
                .iter()
                .enumerate()
                .filter(|(a, gs)| !gs.is_empty() && program.aggregates[*a].dataset == d)
                .map(|(a, gs)| (a, gs.iter().map(|g| (*g, &state.domains[*g])).collect()))
                .collect();
            if wanted.is_empty() {
                continue;
            }
            let plan = pass::DatasetPass {
                dataset: d,
                table,
                time: dataset.time,
                aggregates: wanted,
                links: &links,
            };
            results.extend(pass::run(aggregates, &plan, state.scanned.as_ref()));
        }
        self.states[s].aggregates.extend(results);
    }

    /// An expression with every clock replaced by its instant in state `s`.
    pub(super) fn bind_clock(&self, s: usize, mut e: Expr) -> Expr {
        if let ExprKind::Clock(c) = e.kind {
            e.kind = ExprKind::Literal(match self.clock(s, c) {
                Some(t) => Literal::DateTime(t),
                None => Literal::None,
            });
            return e;
        }
        e.kind = match e.kind {
            ExprKind::Unary(op, x) => ExprKind::Unary(op, Box::new(self.bind_clock(s, *x))),
            ExprKind::Binary(op, x, y) => ExprKind::Binary(
                op,
                Box::new(self.bind_clock(s, *x)),
                Box::new(self.bind_clock(s, *y)),
            ),
            ExprKind::InList {
                value,
                list,
                negated,
            } => ExprKind::InList {
                value: Box::new(self.bind_clock(s, *value)),
                list: list.into_iter().map(|x| self.bind_clock(s, x)).collect(),
                negated,
            },
            ExprKind::IsNone { value, negated } => ExprKind::IsNone {
                value: Box::new(self.bind_clock(s, *value)),
                negated,
            },
            ExprKind::Call(f, args) => {
                ExprKind::Call(f, args.into_iter().map(|x| self.bind_clock(s, x)).collect())
            }
            other => other,
        };
        e
    }
}

/// Records that the aggregates the expressions use, directly or through measures, are
/// needed under grouping `g`, and returns them.
///
/// A value summed up over groups of its own (`mean_by`) needs its aggregates under that
/// grouping instead; such calls are put in `nested` for the caller to plan.
fn need<'e>(
    program: &'e Program,
    exprs: impl Iterator<Item = &'e Expr>,
    g: GroupingId,
    needed: &mut [Vec<GroupingId>],
    nested: &mut Vec<&'e Expr>,
) -> Vec<usize> {
    let mut stack: Vec<&Expr> = exprs.collect();
    let mut seen_measures = Vec::new();
    let mut aggregates = Vec::new();
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Aggregate(a) => {
                if !needed[*a].contains(&g) {
                    needed[*a].push(g);
                }
                aggregates.push(*a);
            }
            ExprKind::Call(Function::OverGroups { .. }, _) => nested.push(e),
            ExprKind::Measure(m) if !seen_measures.contains(m) => {
                seen_measures.push(*m);
                stack.push(&program.measures[*m].expr);
            }
            _ => stack.extend(e.children()),
        }
    }
    aggregates
}

/// Whether an expression reads the clock.
pub(super) fn reads_clock(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Clock(_)) || e.children().into_iter().any(reads_clock)
}
