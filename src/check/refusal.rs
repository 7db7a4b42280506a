//! Why an expression has no meaning, in words a metric designer acts on: the diagnostics
//! for comparisons, arithmetic and aggregates that the scale types or units refuse, each
//! with labels at the operands, at the declarations that gave them their types, and a
//! help line with a concrete fix.

use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{self, BinaryOp, CompareOp};
use crate::syntax::Span;

use super::expr::Scope;
use super::program::{Expr, ExprKind};
use super::types::{self, AggregateRefusal, Refusal, ScaleType, Type};
use super::{codes, Checker};

impl Checker<'_> {
    /// Reports a comparison of values that cannot be compared. A literal beside a quantity
    /// per item is read per item too: `mean_cost <= 500 EUR` compares costs per incident.
    pub(crate) fn check_comparison(
        &mut self,
        cmp: CompareOp,
        l: &Expr,
        r: &Expr,
        span: Span,
        scope: &Scope,
    ) {
        let per_item = |a: &Expr, b: &Expr| match (a.ty, &b.kind) {
            (Type::Per(q, _), ExprKind::Literal(_)) => q.ty(),
            _ => a.ty,
        };
        let (lt, rt) = (per_item(l, r), per_item(r, l));
        let Err(refusal) = types::comparable(cmp, lt, rt, self.names()) else {
            return;
        };
        let names = &self.program.names;
        let (a, b) = (l.ty.display(names), r.ty.display(names));
        let (code, message, help) = match refusal {
            Refusal::Scale { culprit, .. } => {
                let c = culprit.display(names);
                let message = match culprit {
                    Type::Category(_) => format!("categories of nominal scale `{c}` have no order"),
                    _ => format!(
                        "`{c}` values have no order, so `{}` does not apply",
                        cmp.symbol()
                    ),
                };
                let help = match culprit {
                    Type::Category(_) => "compare with `=` or `!=`, or declare the scale `ordinal`",
                    _ => "compare with `=` or `!=`",
                };
                (codes::SCALE_TYPE, message, help.to_string())
            }
            Refusal::Units => (
                codes::UNIT_MISMATCH,
                format!(
                    "cannot compare `{a}` with `{b}`: {}",
                    units_apart(lt, rt, names)
                ),
                units_help(lt, rt),
            ),
            Refusal::Meaning => (
                codes::COMPARISON,
                format!("cannot compare `{a}` with `{b}`"),
                "compare values of the same kind: numbers with numbers, text with text".to_string(),
            ),
        };
        let d = self
            .operand_labels(code, message, l, r, span, scope)
            .with_help(help);
        self.diagnostics.push(d);
    }

    pub(super) fn arithmetic_error(
        &mut self,
        op: BinaryOp,
        refusal: Refusal,
        l: &Expr,
        r: &Expr,
        span: Span,
        scope: &Scope,
    ) {
        let names = &self.program.names;
        let (a, b) = (l.ty.display(names), r.ty.display(names));
        let verb = match op {
            BinaryOp::Add => "add",
            BinaryOp::Sub => "subtract",
            BinaryOp::Mul => "multiply",
            _ => "divide",
        };
        let what = match op {
            BinaryOp::Sub => format!("cannot subtract `{b}` from `{a}`"),
            BinaryOp::Div => format!("cannot divide `{a}` by `{b}`"),
            _ => format!("cannot {verb} `{a}` and `{b}`"),
        };
        let (code, message, help) = match refusal {
            Refusal::Scale { culprit, needs } => {
                let (why, help) = scale_refusal(culprit, needs, names);
                (codes::SCALE_TYPE, format!("{what}: {why}"), help)
            }
            Refusal::Units => (
                codes::UNIT_MISMATCH,
                format!("{what}: {}", units_apart(l.ty, r.ty, names)),
                units_help(l.ty, r.ty),
            ),
            Refusal::Meaning => {
                let help = match (l.ty, r.ty) {
                    (Type::Text, _) | (_, Type::Text) => "text has no arithmetic".to_string(),
                    (Type::None, _) | (_, Type::None) => {
                        "`none` has no value to compute with; test for it with `is none`".into()
                    }
                    _ if op == BinaryOp::Mul => {
                        "a product of these quantities has no unit; divide them for a rate or a share"
                            .to_string()
                    }
                    _ if op == BinaryOp::Div => {
                        "divide a quantity by a count (per item) or by the same kind of quantity"
                            .to_string()
                    }
                    _ => "combine quantities of the same kind".to_string(),
                };
                (codes::OPERATOR, what, help)
            }
        };
        let d = self
            .operand_labels(code, message, l, r, span, scope)
            .with_help(help);
        self.diagnostics.push(d);
    }

    /// A diagnostic about two operands: the primary label names the right operand's type,
    /// a secondary one the left's, so neither label covers the other; and where an operand's
    /// type comes from a declaration in the same file, a label there.
    fn operand_labels(
        &self,
        code: &'static str,
        message: String,
        l: &Expr,
        r: &Expr,
        span: Span,
        scope: &Scope,
    ) -> Diagnostic {
        let names = &self.program.names;
        let (a, b) = (l.ty.display(names), r.ty.display(names));
        let source = self.sources.source(span.file);
        let mut d = Diagnostic::error(code, message)
            .with_source(source)
            .with_label(
                r.span.start as usize,
                r.span.end as usize,
                format!("this is `{b}`"),
            )
            .with_secondary(
                l.span.start as usize,
                l.span.end as usize,
                format!("this is `{a}`"),
            );
        for operand in [l, r] {
            if let Some((at, text)) = self.origin(operand, scope) {
                let inside = at.start >= span.start && at.end <= span.end;
                let labelled = d.labels.iter().any(|l| l.start == at.start as usize);
                if at.file == span.file && !inside && !labelled {
                    d = d.with_secondary(at.start as usize, at.end as usize, text);
                }
            }
        }
        d
    }

    /// The declaration that gives an expression its type, with a label for it: a measure's
    /// declared type, a column's declaration, or an ordinal or nominal scale.
    pub(crate) fn origin(&self, e: &Expr, scope: &Scope) -> Option<(Span, String)> {
        let names = &self.program.names;
        match &e.kind {
            ExprKind::Measure(m) => {
                let m = &self.program.measures[*m];
                Some((
                    m.type_span,
                    format!("`{}` is `{}`, declared here", m.name, m.ty.display(names)),
                ))
            }
            // A category column is explained by its scale, which says whether it is ordered.
            ExprKind::Column(c) if !matches!(e.ty, Type::Category(_)) => {
                let column = &self.program.datasets[scope.row?].columns[*c];
                Some((
                    column.span,
                    format!(
                        "`{}` is declared `{}` here",
                        column.name,
                        column.ty.display(names)
                    ),
                ))
            }
            // A related column is explained by its declaration in the related dataset.
            ExprKind::Relation { relation, .. } if !matches!(e.ty, Type::Category(_)) => {
                let relation = &self.program.relations[*relation];
                let column = &self.program.datasets[relation.dataset].columns[relation.column?];
                Some((
                    column.span,
                    format!(
                        "`{}` is declared `{}` here",
                        column.name,
                        column.ty.display(names)
                    ),
                ))
            }
            _ => match e.ty {
                Type::Category(s) if Some(s) != self.program.status_scale => {
                    let scale = &self.program.scales[s];
                    let kind = e.ty.scale_type(names).map_or("", ScaleType::keyword);
                    Some((
                        scale.span,
                        format!("`{}` is declared {kind} here", scale.name),
                    ))
                }
                _ => None,
            },
        }
    }

    pub(super) fn aggregate_error(
        &mut self,
        agg: &ast::Aggregate,
        refusal: AggregateRefusal,
        value: Option<&Expr>,
        span: Span,
        row: &Scope,
    ) {
        let func = agg.func.keyword();
        let dataset = &agg.dataset.name;
        let Some(value) = value else {
            self.error(
                codes::AGGREGATE_ARGUMENT,
                span,
                format!("`{func}` needs a value to aggregate"),
            )
            .help = Some(format!("write `{func}(column for {dataset})`"));
            return;
        };
        let names = &self.program.names;
        let ty = value.ty.display(names);
        let text = self.sources.text(value.span).to_string();
        let (code, message, help) = match refusal {
            AggregateRefusal::Scale { needs } => {
                let scale = value.ty.scale_type(names).unwrap_or(ScaleType::Nominal);
                let message = format!(
                    "`{func}` needs values on {} scale, but `{ty}` is {}",
                    scale_phrase(needs),
                    scale.keyword()
                );
                match (scale, value.ty) {
                    (ScaleType::Ordinal, Type::Category(s)) => {
                        let scale = &self.program.scales[s];
                        let scored = scale.scores.is_some();
                        let example = scale.scores_example();
                        let help = if scored {
                            format!(
                                "its categories have an order but no distances: use \
                                 `median({text} for {dataset})`, or `{func}(score({text}) for \
                                 {dataset})` to use the scores declared on `{ty}`"
                            )
                        } else {
                            format!(
                                "its categories have an order but no distances: use \
                                 `median({text} for {dataset})`, or declare a score for each \
                                 category of `{ty}` (`{example}, ...`) and use \
                                 `{func}(score({text}) for {dataset})`"
                            )
                        };
                        (codes::ORDINAL_MEAN, message, help)
                    }
                    (ScaleType::Nominal, _) => (
                        codes::SCALE_TYPE,
                        message,
                        format!(
                            "nominal values have only {}: use `mode({text} for {dataset})` for \
                             the most frequent, or count the rows of each",
                            ScaleType::Nominal.allows()
                        ),
                    ),
                    (ScaleType::Interval, _) => (
                        codes::SCALE_TYPE,
                        message,
                        format!(
                            "interval values have differences but no sum: use `mean({text} for \
                             {dataset})`, or sum durations such as `resolved_at - opened_at`"
                        ),
                    ),
                    _ => (
                        codes::SCALE_TYPE,
                        message,
                        "aggregate a value of a fitting scale type".to_string(),
                    ),
                }
            }
            AggregateRefusal::NeedsValue => (
                codes::AGGREGATE_ARGUMENT,
                format!("`{func}` needs a value to aggregate"),
                format!("write `{func}(column for {dataset})`"),
            ),
            AggregateRefusal::Other(reason) => (
                codes::AGGREGATE_ARGUMENT,
                format!("`{func}` of `{ty}` values: {reason}"),
                "aggregate a column of a fitting type".to_string(),
            ),
        };
        let mut d = self
            .sources
            .error(code, value.span, message)
            .with_help(help);
        d.labels[0].text = format!("this is `{ty}`");
        if let Some((at, text)) = self.origin(value, row) {
            if at.file == value.span.file {
                d = d.with_secondary(at.start as usize, at.end as usize, text);
            }
        }
        self.diagnostics.push(d);
    }
}

/// "an interval or ratio", for a message about the scale an operation needs.
fn scale_phrase(needs: ScaleType) -> &'static str {
    match needs {
        ScaleType::Nominal => "any",
        ScaleType::Ordinal => "an ordinal, interval or ratio",
        ScaleType::Interval => "an interval or ratio",
        ScaleType::Ratio => "a ratio",
    }
}

/// Why an operand's scale type refuses an arithmetic operation, and what to do instead.
fn scale_refusal(culprit: Type, needs: ScaleType, names: &types::TypeNames) -> (String, String) {
    let c = culprit.display(names);
    match culprit {
        Type::Category(_) if culprit.is_ordered(names) => (
            format!("`{c}` is ordinal: its categories have an order but no distances"),
            format!(
                "compare them, or declare a score for each category of `{c}` and use `score(...)`"
            ),
        ),
        Type::Category(_) | Type::Text => (
            format!("`{c}` is nominal: its values have no order and no distances"),
            "count them, or compare them with `=`".to_string(),
        ),
        Type::Bool => (
            "conditions are nominal: they have no arithmetic".to_string(),
            "count the rows where the condition holds".to_string(),
        ),
        _ if needs == ScaleType::Ratio => (
            format!(
                "`{c}` is on an interval scale: it has differences but no sums, products or ratios"
            ),
            "subtract two of them to get a duration, or add a duration to one".to_string(),
        ),
        _ => (
            format!(
                "`{c}` is {}",
                culprit.scale_type(names).map_or("", ScaleType::keyword)
            ),
            "use an operation its scale type allows".to_string(),
        ),
    }
}

/// Why two quantities' units keep them apart, for a message.
fn units_apart(l: Type, r: Type, names: &types::TypeNames) -> String {
    match (l, r) {
        (Type::Count(_), Type::Count(_)) => "they count different things".into(),
        (Type::Money(_), Type::Money(_)) => "they are in different currencies".into(),
        (Type::Per(_, a), Type::Per(_, b)) if a != b => format!(
            "one is per {} and the other per {}",
            names.entity(a),
            names.entity(b)
        ),
        (Type::Per(_, e), _) | (_, Type::Per(_, e)) => {
            format!("only one of them is per {}", names.entity(e))
        }
        (Type::Duration, n) | (n, Type::Duration) if n.is_dimensionless() => {
            "a plain number is not a length of time".into()
        }
        (Type::Count(e), Type::Duration) | (Type::Duration, Type::Count(e)) => {
            format!("a {} is not a length of time", counted(e, names))
        }
        (Type::Count(e), Type::Money(_)) | (Type::Money(_), Type::Count(e)) => {
            format!("a {} is not an amount of money", counted(e, names))
        }
        (Type::Money(_), Type::Duration) | (Type::Duration, Type::Money(_)) => {
            "an amount of money is not a length of time".into()
        }
        (Type::Date | Type::DateTime, _) | (_, Type::Date | Type::DateTime) => {
            "a date-time moves by a duration, not by a plain number".into()
        }
        (Type::Money(_), n) | (n, Type::Money(_)) if n.is_dimensionless() => {
            "a plain number is not an amount of money".into()
        }
        _ => "they are different kinds of quantity".into(),
    }
}

/// "count of incidents", or "count" when what is counted is not known.
fn counted(entity: types::Entity, names: &types::TypeNames) -> String {
    match entity {
        types::Entity::Named(e) => format!("count of {}", types::plural(names.entity(e))),
        types::Entity::Any => "count".to_string(),
    }
}

/// A concrete fix for two quantities whose units disagree, written for the right side,
/// which is the threshold in a comparison.
fn units_help(l: Type, r: Type) -> String {
    match (l, r) {
        (n, Type::Duration | Type::Money(_)) if n.is_dimensionless() => format!(
            "the other side is a plain `{n}`: compare it with a number or a percentage, such \
             as `95%`"
        ),
        (Type::Count(_), Type::Count(_)) => {
            "combine counts of the same thing; to relate two, divide them: a count of one per \
             count of the other is a rate"
                .into()
        }
        (Type::Money(_), Type::Money(_)) => {
            "convert the amounts to one currency in the data, or keep a measure per currency".into()
        }
        (Type::Duration, n) | (n, Type::Duration) if n.is_dimensionless() => {
            "write the number as a duration, such as `72h` or `30d`".into()
        }
        (Type::Count(_), Type::Duration) => {
            "compare the count with a plain number, such as `30`; or compare a duration, such \
             as the age of the oldest item, with `30d`"
                .into()
        }
        (Type::Date | Type::DateTime, _) | (_, Type::Date | Type::DateTime) => {
            "write the number as a duration, such as `30d`".into()
        }
        (Type::Money(c), n) | (n, Type::Money(c)) if n.is_dimensionless() => {
            format!("write the amount with its currency, such as `100 {c}`")
        }
        (Type::Per(..), _) | (_, Type::Per(..)) => {
            "multiply the per-item quantity by its count for a total, or divide the total by \
             the count"
                .into()
        }
        _ => "combine quantities of the same unit".into(),
    }
}
