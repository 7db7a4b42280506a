//! Explaining a value: how a measure or an indicator was computed, from its own value down
//! to the aggregates of the base measures, with every intermediate value and the rows each
//! aggregate counted. This serves people reading a result (the REPL's `:explain`), so it is
//! worked out for the total of a period, not for each group. A value summed up over groups
//! of its own (`mean_by`, `min_by`, `max_by`) shows the first of those groups, each with its
//! value and what it was computed from; the extreme group of a minimum or maximum comes
//! first.

use crate::check::{Expr, ExprKind, Function, GroupSummary, MeasureId, Type};
use crate::eval::value::{Missing, Value};

use super::{Decision, GroupingId, Timeline};

/// What one step of a computation is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    Indicator,
    Measure,
    /// An aggregate over the rows of the named dataset.
    Aggregate {
        dataset: String,
    },
    /// A value summed up over groups of its own: `mean_by`, `min_by` or `max_by`, the
    /// grouping as written, and how many groups it summed up; its inputs are the first of
    /// those groups.
    OverGroups {
        by: String,
        groups: usize,
    },
    /// One group of a value summed up over groups: its label is the group's key.
    Group,
}

/// The most groups an explanation shows under a value summed up over groups.
pub const GROUPS_SHOWN: usize = 10;

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
    /// How the value is grouped, for an indicator or measure that is.
    pub group_by: Option<String>,
    /// The key of the group the value is of; `None` for the total over every group.
    pub group: Option<String>,
    /// For an indicator: its status.
    pub status: Option<String>,
    /// For an indicator: what decided the status, in words, with the band or gate as
    /// written (`band \`amber when value >= 80%\` is the first that holds`).
    pub criterion: Option<String>,
    /// For an indicator with a target: the target as written, and whether the value meets
    /// it (`None` when the value is missing).
    pub target: Option<(String, Option<bool>)>,
    /// For an aggregate: the rows of its dataset in the period, which it read.
    pub read: Option<u64>,
    /// For an aggregate: the rows of the period that passed its filter.
    pub rows: Option<u64>,
    /// For an aggregate: the rows of the period that its `except` left out.
    pub excepted: Option<u64>,
    /// The missing values skipped: by an aggregate, or by the aggregates below a measure.
    pub skipped: u64,
    /// For an aggregate: its filter and its exception, as written.
    pub filter: Option<String>,
    pub except: Option<String>,
    /// The measures and aggregates the expression uses directly, in the order written.
    pub inputs: Vec<Step>,
}

impl Step {
    /// A step with a value and nothing else said of it yet.
    fn of(kind: StepKind, label: String, value: Value, ty: Type) -> Step {
        Step {
            kind,
            label,
            expr: None,
            value,
            ty,
            group_by: None,
            group: None,
            status: None,
            criterion: None,
            target: None,
            read: None,
            rows: None,
            excepted: None,
            skipped: 0,
            filter: None,
            except: None,
            inputs: Vec::new(),
        }
    }
}

/// What to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Measure(MeasureId),
    Indicator(usize),
}

/// Something an expression uses directly.
#[derive(Clone, Copy)]
enum Input<'e> {
    Measure(MeasureId),
    Aggregate(usize),
    OverGroups(&'e Expr),
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

    /// The computation of one group of a subject in state `s`, the group named by its key
    /// as the results show it (`finance`, `finance / high`); the groups there are when no
    /// group has that key.
    pub(in crate::eval) fn explain_group(
        &mut self,
        s: usize,
        subject: Subject,
        key: &str,
    ) -> Result<Step, Vec<String>> {
        let (g, i) = self.group_of(s, subject, key)?;
        Ok(match subject {
            Subject::Measure(m) => self.explain_measure(s, m, g, i),
            Subject::Indicator(id) => self.explain_indicator_at(s, id, g, i),
        })
    }

    /// The grouping of a subject and the index of its group with key `key`; the groups
    /// there are when none has it, or none when the subject is not grouped.
    pub(in crate::eval) fn group_of(
        &mut self,
        s: usize,
        subject: Subject,
        key: &str,
    ) -> Result<(GroupingId, usize), Vec<String>> {
        let program = self.program;
        let (grouping, reads) = match subject {
            Subject::Measure(m) => (
                program.measures[m].group_by.as_ref(),
                &program.measures[m].reads,
            ),
            Subject::Indicator(id) => (
                program.indicators[id].group_by.as_ref(),
                &program.indicators[id].reads,
            ),
        };
        let g = self.grouping_id(s, grouping, reads);
        let domain = &self.states[s].domains[g];
        match grouping.and(domain.labels.iter().position(|l| l == key)) {
            Some(i) => Ok((g, i)),
            None => Err(domain.labels.clone()),
        }
    }

    fn explain_indicator(&mut self, s: usize, id: usize) -> Step {
        let indicator = &self.program.indicators[id];
        let g = self.grouping_id(s, indicator.group_by.as_ref(), &indicator.reads);
        let total = self.states[s].domains[g].len();
        self.explain_indicator_at(s, id, g, total)
    }

    fn explain_indicator_at(&mut self, s: usize, id: usize, g: GroupingId, i: usize) -> Step {
        let program = self.program;
        let indicator = &program.indicators[id];
        let (outcome, decision) = self.decide(s, id, g, i);
        let inputs = self.inputs(s, &indicator.value, g, i);
        let text = |span| program.sources.text(span).to_string();
        let criterion = match decision {
            Decision::Sample => indicator.sample.as_ref().map(|c| {
                format!(
                    "the sample `{}` does not hold: too little evidence",
                    text(c.span)
                )
            }),
            Decision::Gate(k) => Some(format!("gate `{}` holds", text(indicator.gates[k].span))),
            Decision::UndecidedGate(k) => Some(format!(
                "gate `{}` cannot be decided: something in it is missing",
                text(indicator.gates[k].span)
            )),
            Decision::MissingValue => Some("the value is missing".to_string()),
            Decision::Band(k) => Some(format!(
                "`{}` is the first band that holds",
                text(indicator.criteria[k].span)
            )),
            Decision::UndecidedBand(k) => Some(format!(
                "`{}` cannot be decided: something in it is missing",
                text(indicator.criteria[k].span)
            )),
            Decision::NoBand if indicator.criteria.is_empty() => None,
            Decision::NoBand => Some("no band holds".to_string()),
        };
        Step {
            kind: StepKind::Indicator,
            label: indicator.name.clone(),
            expr: Some(text(indicator.value.span)),
            value: outcome.value,
            ty: indicator.value.ty,
            group_by: indicator.group_by.as_ref().map(|g| g.label()),
            group: self.states[s].domains[g].labels.get(i).cloned(),
            status: outcome.status,
            criterion,
            target: indicator
                .target
                .as_ref()
                .map(|t| (text(t.span), outcome.target_met)),
            read: None,
            rows: None,
            excepted: None,
            skipped: outcome.skipped,
            filter: None,
            except: None,
            inputs,
        }
    }

    fn explain_measure(&mut self, s: usize, m: MeasureId, g: GroupingId, i: usize) -> Step {
        let program = self.program;
        let measure = &program.measures[m];
        let outcome = self
            .measure_outcomes(s, m, g)
            .swap_remove(i.min(self.states[s].domains[g].len()));
        let inputs = self.inputs(s, &measure.expr, g, i);
        Step {
            expr: Some(program.sources.text(measure.expr.span).to_string()),
            group_by: measure.group_by.as_ref().map(|g| g.label()),
            group: self.states[s].domains[g].labels.get(i).cloned(),
            skipped: outcome.skipped,
            inputs,
            ..Step::of(
                StepKind::Measure,
                measure.name.clone(),
                outcome.value,
                measure.ty,
            )
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
                ExprKind::Call(Function::OverGroups { .. }, _) => Input::OverGroups(e),
                _ => {
                    // Children in reverse, so that they come off the stack in the order
                    // written.
                    stack.extend(e.children().into_iter().rev());
                    continue;
                }
            };
            let known = found.iter().any(|f| match (f, &input) {
                (Input::Measure(a), Input::Measure(b)) => a == b,
                (Input::Aggregate(a), Input::Aggregate(b)) => a == b,
                (Input::OverGroups(a), Input::OverGroups(b)) => std::ptr::eq(*a, *b),
                _ => false,
            });
            if !known {
                found.push(input);
            }
        }
        found
            .into_iter()
            .map(|input| match input {
                Input::Measure(m) => self.explain_measure(s, m, g, i),
                Input::Aggregate(a) => self.explain_aggregate(s, a, g, i),
                Input::OverGroups(call) => self.explain_over_groups(s, call, g, i),
            })
            .collect()
    }

    /// A value summed up over groups of its own, with the first of its groups: for a
    /// minimum or maximum, the group that gave it first.
    fn explain_over_groups(&mut self, s: usize, call: &Expr, g: GroupingId, i: usize) -> Step {
        let program = self.program;
        let ExprKind::Call(
            Function::OverGroups {
                of,
                grouping,
                reads,
            },
            args,
        ) = &call.kind
        else {
            unreachable!("only a value summed up over groups is explained here");
        };
        let total = self.outcome(s, call, g, i, None);
        let inner = self.grouping_id(s, Some(grouping), reads);
        let domain = &self.states[s].domains[inner];
        let mut groups: Vec<usize> = (0..domain.len())
            .filter(|&j| !domain.is_placeholder(j))
            .collect();
        let count = groups.len();
        let values: Vec<Value> = groups
            .iter()
            .map(|&j| self.outcome(s, &args[0], inner, j, None).value)
            .collect();
        if *of != GroupSummary::Mean {
            // The group that gave the minimum or maximum leads.
            if let Some(k) = values.iter().position(|v| *v == total.value) {
                let lead = groups.remove(k);
                groups.insert(0, lead);
            }
        }
        groups.truncate(GROUPS_SHOWN);

        let text = |e: &Expr| program.sources.text(e.span).to_string();
        let inputs = groups
            .into_iter()
            .map(|j| {
                let outcome = self.outcome(s, &args[0], inner, j, None);
                let key = self.states[s].domains[inner].labels[j].clone();
                Step {
                    skipped: outcome.skipped,
                    inputs: self.inputs(s, &args[0], inner, j),
                    ..Step::of(StepKind::Group, key, outcome.value, args[0].ty)
                }
            })
            .collect();
        let kind = StepKind::OverGroups {
            by: grouping.label(),
            groups: count,
        };
        Step {
            skipped: total.skipped,
            inputs,
            ..Step::of(kind, text(call), total.value, call.ty)
        }
    }

    fn explain_aggregate(&self, s: usize, a: usize, g: GroupingId, i: usize) -> Step {
        let program = self.program;
        let aggregate = &program.aggregates[a];
        let result = self.states[s].aggregates.get(&(a, g));
        let at = |v: Option<&Vec<u64>>| v.and_then(|v| v.get(i)).copied();
        let text = |e: &Option<crate::check::Expr>| {
            e.as_ref().map(|e| program.sources.text(e.span).to_string())
        };
        let period_column = aggregate
            .period_column
            .or(program.datasets[aggregate.dataset].time);
        // The rows read: those in the period, and for a group, those of the group (with
        // the groups rolled up into it).
        let scanned = self.states[s].scanned.as_ref();
        let domain = &self.states[s].domains[g];
        let read = self.tables[aggregate.dataset].as_ref().map(|t| {
            if i >= domain.len() {
                return crate::eval::pass::rows_in_period(t, period_column, scanned) as u64;
            }
            let of_row = domain.groups_of(aggregate.dataset);
            let wanted = super::evidence::subtree(domain, i);
            (0..t.len)
                .filter(|&r| of_row.get(r).is_some_and(|k| wanted.contains(k)))
                .filter(|&r| crate::eval::pass::row_in_period(t, period_column, r, scanned))
                .count() as u64
        });
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
            group: None,
            status: None,
            criterion: None,
            target: None,
            read,
            rows: at(result.map(|r| &r.rows)),
            excepted: at(result.map(|r| &r.excepted)),
            skipped: at(result.map(|r| &r.skipped)).unwrap_or(0),
            filter: text(&aggregate.filter),
            except: text(&aggregate.except),
            inputs: Vec::new(),
        }
    }
}
