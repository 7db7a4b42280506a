//! Explaining a value: how a measure or an indicator was computed, from its own value down
//! to the aggregates of the base measures, with every intermediate value and the rows each
//! aggregate counted. This serves people reading a result (the REPL's `:explain`), so it is
//! worked out for the total of a period, not for each group.

use crate::check::{ExprKind, Function, MeasureId, Type};
use crate::eval::value::{Missing, Value};

use super::{GroupingId, Timeline};

/// What one step of a computation is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    Indicator,
    Measure,
    /// An aggregate over the rows of the named dataset.
    Aggregate {
        dataset: String,
    },
}

/// One step of a computation: a value, what it is, and the steps it was computed from.
#[derive(Debug, Clone)]
pub struct Step {
    pub kind: StepKind,
    /// The name of an indicator or a measure; the text of an aggregate as written.
    pub label: String,
    /// The expression of an indicator's value or of a measure, as written.
    pub expr: Option<String>,
    pub value: Value,
    pub ty: Type,
    /// How the value is grouped, for an indicator or measure that is; the value is the
    /// total over every group.
    pub group_by: Option<String>,
    /// For an indicator: its status.
    pub status: Option<String>,
    /// For an aggregate: the rows of the period that passed its filter.
    pub rows: Option<u64>,
    /// For an aggregate: the rows of the period that its `except` left out.
    pub excepted: Option<u64>,
    /// The measures and aggregates the expression uses directly, in the order written.
    pub inputs: Vec<Step>,
}

/// What to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Measure(MeasureId),
    Indicator(usize),
}

/// Something an expression uses directly.
#[derive(Clone, Copy, PartialEq)]
enum Input {
    Measure(MeasureId),
    Aggregate(usize),
}

impl Timeline<'_> {
    /// The computation of a subject's total in state `s`.
    pub(in crate::eval) fn explain(&mut self, s: usize, subject: Subject) -> Step {
        match subject {
            Subject::Measure(m) => {
                let measure = &self.program.measures[m];
                let g = self.grouping_id(s, measure.group_by.as_ref(), &measure.reads);
                let total = self.states[s].domains[g].len();
                self.explain_measure(s, m, g, total)
            }
            Subject::Indicator(id) => self.explain_indicator(s, id),
        }
    }

    fn explain_indicator(&mut self, s: usize, id: usize) -> Step {
        let program = self.program;
        let indicator = &program.indicators[id];
        let g = self.grouping_id(s, indicator.group_by.as_ref(), &indicator.reads);
        let total = self.states[s].domains[g].len();
        let outcome = self.indicator_outcome(s, id, g, total);
        let inputs = self.inputs(s, &indicator.value, g, total);
        Step {
            kind: StepKind::Indicator,
            label: indicator.name.clone(),
            expr: Some(program.sources.text(indicator.value.span).to_string()),
            value: outcome.value,
            ty: indicator.value.ty,
            group_by: indicator.group_by.as_ref().map(|g| g.label()),
            status: outcome.status,
            rows: None,
            excepted: None,
            inputs,
        }
    }

    fn explain_measure(&mut self, s: usize, m: MeasureId, g: GroupingId, i: usize) -> Step {
        let program = self.program;
        let measure = &program.measures[m];
        let value = self
            .measure_outcomes(s, m, g)
            .swap_remove(i.min(self.states[s].domains[g].len()))
            .value;
        let inputs = self.inputs(s, &measure.expr, g, i);
        Step {
            kind: StepKind::Measure,
            label: measure.name.clone(),
            expr: Some(program.sources.text(measure.expr.span).to_string()),
            value,
            ty: measure.ty,
            group_by: measure.group_by.as_ref().map(|g| g.label()),
            status: None,
            rows: None,
            excepted: None,
            inputs,
        }
    }

    /// The steps of the measures and aggregates that an expression uses directly.
    fn inputs(
        &mut self,
        s: usize,
        expr: &crate::check::Expr,
        g: GroupingId,
        i: usize,
    ) -> Vec<Step> {
        let mut found: Vec<Input> = Vec::new();
        let mut stack = vec![expr];
        while let Some(e) = stack.pop() {
            let input = match &e.kind {
                ExprKind::Measure(m) => Input::Measure(*m),
                ExprKind::Aggregate(a) => Input::Aggregate(*a),
                // Values summed up over groups of their own are computed under those
                // groupings, which the total here does not show.
                ExprKind::Call(Function::OverGroups { .. }, _) => continue,
                _ => {
                    // Children in reverse, so that they come off the stack in the order
                    // written.
                    stack.extend(e.children().into_iter().rev());
                    continue;
                }
            };
            if !found.contains(&input) {
                found.push(input);
            }
        }
        found
            .into_iter()
            .map(|input| match input {
                Input::Measure(m) => self.explain_measure(s, m, g, i),
                Input::Aggregate(a) => self.explain_aggregate(s, a, g, i),
            })
            .collect()
    }

    fn explain_aggregate(&self, s: usize, a: usize, g: GroupingId, i: usize) -> Step {
        let program = self.program;
        let aggregate = &program.aggregates[a];
        let result = self.states[s].aggregates.get(&(a, g));
        let at = |v: Option<&Vec<u64>>| v.and_then(|v| v.get(i)).copied();
        Step {
            kind: StepKind::Aggregate {
                dataset: program.datasets[aggregate.dataset].name.clone(),
            },
            label: program.sources.text(aggregate.span).to_string(),
            expr: None,
            // Without a result the dataset could not be loaded.
            value: result
                .and_then(|r| r.values.get(i).cloned())
                .unwrap_or(Value::Missing(Missing::Input)),
            ty: aggregate.ty,
            group_by: None,
            status: None,
            rows: at(result.map(|r| &r.rows)),
            excepted: at(result.map(|r| &r.excepted)),
            inputs: Vec::new(),
        }
    }
}
