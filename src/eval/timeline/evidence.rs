//! The rows behind a value: for each aggregate a measure or an indicator is computed from,
//! the rows of its dataset in the period that it counted, that it skipped for a missing
//! value, and that its `except` left out. This is the implementation evidence an auditor
//! asks for; rows its filter turned away are not behind the value and are not listed.

use std::collections::HashSet;

use crate::check::{Expr, ExprKind};
use crate::eval::pass;
use crate::eval::relations::{Links, Source};

use super::{GroupingId, Timeline};

/// What an aggregate did with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOutcome {
    /// The row passed the filter and its value went into the aggregate.
    Counted,
    /// The row passed the filter, but its value was missing and was skipped.
    Skipped,
    /// The aggregate's `except` left the row out on purpose.
    Excepted,
}

impl RowOutcome {
    pub fn word(self) -> &'static str {
        match self {
            RowOutcome::Counted => "counted",
            RowOutcome::Skipped => "skipped (missing value)",
            RowOutcome::Excepted => "excepted",
        }
    }
}

/// One row behind a value: the aggregate, the row of its dataset, and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceRow {
    pub aggregate: usize,
    pub row: u32,
    pub outcome: RowOutcome,
}

impl Timeline<'_> {
    /// The rows behind `aggregates` in state `s`, aggregate by aggregate, in row order; only
    /// those of group `group` of grouping `g` (with the groups rolled up into it) when one
    /// is given.
    pub(in crate::eval) fn evidence(
        &self,
        s: usize,
        aggregates: &[usize],
        group: Option<(GroupingId, usize)>,
    ) -> Vec<EvidenceRow> {
        let program = self.program;
        let state = &self.states[s];
        let period = state.scanned.as_ref();
        let links = Links::build(program, self.tables, period, |e| {
            self.bind_clock(s, e.clone())
        });
        let bind = |e: &Option<Expr>| e.as_ref().map(|e| self.bind_clock(s, e.clone()));

        let mut found = Vec::new();
        for &a in aggregates {
            let aggregate = &program.aggregates[a];
            let Some(table) = self.tables[aggregate.dataset].as_ref() else {
                continue;
            };
            let source = Source {
                table,
                links: &links,
            };
            let period_column = aggregate
                .period_column
                .or(program.datasets[aggregate.dataset].time);
            let (filter, except, value) = (
                bind(&aggregate.filter),
                bind(&aggregate.except),
                bind(&aggregate.value),
            );
            let groups = group.map(|(g, i)| {
                let domain = &state.domains[g];
                (domain.groups_of(aggregate.dataset), subtree(domain, i))
            });
            for row in 0..table.len {
                if !pass::row_in_period(table, period_column, row, period) {
                    continue;
                }
                if let Some((of_row, wanted)) = &groups {
                    if !of_row.get(row).is_some_and(|g| wanted.contains(g)) {
                        continue;
                    }
                }
                let holds =
                    |e: &Option<Expr>| e.as_ref().map(|e| pass::cell(e, source, row).holds());
                let outcome = if holds(&except) == Some(true) {
                    RowOutcome::Excepted
                } else if holds(&filter) == Some(false) {
                    continue;
                } else if value
                    .as_ref()
                    .is_some_and(|v| pass::cell(v, source, row).is_missing())
                {
                    RowOutcome::Skipped
                } else {
                    RowOutcome::Counted
                };
                found.push(EvidenceRow {
                    aggregate: a,
                    row: row as u32,
                    outcome,
                });
            }
        }
        found
    }
}

/// Group `i` and every group rolled up into it.
pub(super) fn subtree(domain: &crate::eval::groups::Domain, i: usize) -> HashSet<u32> {
    let mut groups = HashSet::from([i as u32]);
    // Children come before their parents in the roll-up, so from the end each parent is
    // settled before its children are looked at.
    for &(child, parent) in domain.rollup.iter().rev() {
        if groups.contains(&parent) {
            groups.insert(child);
        }
    }
    groups
}

/// The aggregates a value is computed from: those of its expression and, through the
/// measures it uses, theirs, each once, in the order met, those under a value summed up over
/// groups of its own (`mean_by`) among them.
pub(crate) fn aggregates_behind(program: &crate::check::Program, expr: &Expr) -> Vec<usize> {
    let mut found = Vec::new();
    let mut seen_measures = HashSet::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Aggregate(a) => {
                if !found.contains(a) {
                    found.push(*a);
                }
            }
            ExprKind::Measure(m) => {
                if seen_measures.insert(*m) {
                    stack.push(&program.measures[*m].expr);
                }
            }
            _ => stack.extend(e.children().into_iter().rev()),
        }
    }
    found
}
