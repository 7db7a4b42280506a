//! Checking indicators: the value, the target, the decision criteria and the template facts;
//! and the warnings about criteria that the analysis of their bands finds before any data
//! is read (bands that can never hold, bands that overlap, values left without a status,
//! and measures that may be missing where a criterion needs them).

use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{self, BinaryOp, Literal, UnaryOp};
use crate::syntax::Span;

use super::criteria::{self, Domain, Finding};
use super::expr::Scope;
use super::program::{Absence, Band, Expr, ExprKind, Function, Indicator, MeasureId, Target};
use super::types::{short_number, Type};
use super::{codes, Checker};

impl Checker<'_> {
    pub(super) fn indicator(&mut self, decl: &ast::IndicatorDecl) {
        let mut scope = Scope::indicator(None);
        let value = match decl.values.as_slice() {
            [] => {
                self.error(
                    codes::INDICATOR_VALUE,
                    decl.name.span,
                    format!("indicator `{}` has no value", decl.name),
                )
                .help = Some("add `value <measure or expression>`".into());
                Expr::error(decl.name.span)
            }
            [first, rest @ ..] => {
                for extra in rest {
                    self.repeated(
                        extra.span,
                        first.span,
                        format!("indicator `{}` has more than one value", decl.name),
                        "an indicator evaluates one value; declare another indicator",
                    );
                }
                self.expr(first, &mut scope, None)
            }
        };

        let mut scope_value = Scope::indicator(Some((value.ty, value.absence)));
        scope_value.measures = std::mem::take(&mut scope.measures);
        scope_value.datasets = std::mem::take(&mut scope.datasets);

        let target = self.target(decl, &mut scope_value, &value);
        let criteria = self.criteria(decl, &mut scope_value, &value);
        let gates = self.gates(decl, &mut scope_value);
        let sample = self.sample(decl, &mut scope_value);
        let facts = self.facts(decl);

        let mut reads = scope_value.datasets.clone();
        for m in &scope_value.measures {
            reads.extend(self.program.measures[*m].reads.iter().copied());
        }
        reads.sort_unstable();
        reads.dedup();

        let group_by = match decl.group_by.as_slice() {
            [] => None,
            [first, rest @ ..] => {
                for extra in rest {
                    self.repeated(
                        extra.span,
                        first.span,
                        format!("indicator `{}` is grouped twice", decl.name),
                        "group by one key",
                    );
                }
                for e in std::iter::once(&value)
                    .chain(criteria.iter().filter_map(|b| b.condition.as_ref()))
                {
                    self.not_summarised_again(e, first.span);
                }
                self.grouping(first, &reads)
            }
        };

        self.program.indicators.push(Indicator {
            name: decl.name.name.clone(),
            title: decl.title.clone(),
            value,
            target,
            criteria,
            gates,
            sample,
            group_by,
            facts,
            reads,
            span: decl.name.span,
        });
    }

    fn target(
        &mut self,
        decl: &ast::IndicatorDecl,
        scope: &mut Scope,
        value: &Expr,
    ) -> Option<Target> {
        let (first, rest) = decl.targets.split_first()?;
        for extra in rest {
            self.repeated(
                extra.span,
                first.span,
                format!("indicator `{}` has more than one target", decl.name),
                "state one target; decision criteria can hold several thresholds",
            );
        }
        let target = self.expr(&first.value, scope, Some(value.ty));
        // The value's own expression, so that the labels reach the measure's declaration.
        if value.span.file == target.span.file {
            self.check_comparison(first.op, value, &target, first.span, scope);
        }
        let _ = self.percent_in_range(value.ty, &target);
        Some(Target {
            op: first.op,
            value: target,
            span: first.span,
        })
    }

    /// Reports a percentage outside 0–100 % that the indicator's value, a share, is judged
    /// against.
    /// Whether one was reported.
    fn percent_in_range(&mut self, value_ty: Type, threshold: &Expr) -> bool {
        let f = match &threshold.kind {
            ExprKind::Literal(Literal::Percent(f)) => *f,
            ExprKind::Unary(UnaryOp::Neg, x) => match x.kind {
                ExprKind::Literal(Literal::Percent(f)) => -f,
                _ => return false,
            },
            _ => return false,
        };
        if value_ty != Type::Percent || (0.0..=1.0).contains(&f) {
            return false;
        }
        let mut d = self.sources.error(
            codes::PERCENT_RANGE,
            threshold.span,
            format!(
                "a share lies between 0% and 100%, so comparing it with {}% decides nothing",
                short_number(f * 100.0)
            ),
        );
        d.labels[0].text = "outside 0% to 100%".into();
        self.diagnostics.push(d.with_help(
            "correct the threshold; if the value can exceed the whole, declare it `Number`",
        ));
        true
    }

    fn criteria(
        &mut self,
        decl: &ast::IndicatorDecl,
        scope: &mut Scope,
        value: &Expr,
    ) -> Vec<Band> {
        let Some(((bands, _), rest)) = decl.criteria.split_first() else {
            return Vec::new();
        };
        let block = decl.criteria[0].1;
        for (_, span) in rest {
            self.repeated(
                *span,
                block,
                format!(
                    "indicator `{}` has more than one `criteria` block",
                    decl.name
                ),
                "list every band in one block",
            );
        }

        let mut out = Vec::new();
        let mut otherwise: Option<Span> = None;
        let mut out_of_range = false;
        for band in bands {
            if band.status.name == "insufficient_data" {
                self.error(
                    codes::RESERVED_STATUS,
                    band.status.span,
                    "`insufficient_data` is a reserved status".into(),
                )
                .help = Some(
                    "msr gives this status when the value is missing; choose another name".into(),
                );
            }
            if let Some(other) = otherwise {
                let mut d = self.sources.error(
                    codes::CRITERIA_ORDER,
                    band.span,
                    "this band comes after `otherwise` and can never hold".to_string(),
                );
                d.labels[0].text = "never tried".into();
                let d = d
                    .with_secondary(
                        other.start as usize,
                        other.end as usize,
                        "`otherwise` closes the list here",
                    )
                    .with_help("move `otherwise` to the end of the criteria");
                self.diagnostics.push(d);
            }
            let condition = band.condition.as_ref().map(|c| {
                let checked = self.expr(c, scope, None);
                self.expect_bool(&checked, "a decision criterion");
                out_of_range |= self.thresholds_in_range(value.ty, &checked);
                self.missing_in_criterion(&checked);
                checked
            });
            if condition.is_none() && otherwise.is_none() {
                otherwise = Some(band.span);
            }
            out.push(Band {
                status: band.status.name.clone(),
                condition,
                span: band.span,
            });
        }
        // A share compared with 150% is reported already; as a share it would also be a
        // band that never holds, which says the same thing twice.
        if !out_of_range {
            self.analyse_bands(&out, value.ty, block);
        }
        out
    }

    /// Gates, each a status and the condition that gives it before any criterion is tried.
    fn gates(&mut self, decl: &ast::IndicatorDecl, scope: &mut Scope) -> Vec<Band> {
        let mut gates = Vec::new();
        for gate in &decl.gates {
            if gate.status.name == "insufficient_data" {
                self.error(
                    codes::RESERVED_STATUS,
                    gate.status.span,
                    "`insufficient_data` is a reserved status".into(),
                )
                .help = Some(
                    "to require enough evidence before a status, state `sample CONDITION`".into(),
                );
            }
            let condition = gate.condition.as_ref().map(|c| {
                let checked = self.expr(c, scope, None);
                self.expect_bool(&checked, "a gate");
                self.missing_in_criterion(&checked);
                checked
            });
            gates.push(Band {
                status: gate.status.name.clone(),
                condition,
                span: gate.span,
            });
        }
        gates
    }

    /// The sample condition: the least evidence the indicator needs for a status.
    fn sample(&mut self, decl: &ast::IndicatorDecl, scope: &mut Scope) -> Option<Expr> {
        let (first, rest) = decl.samples.split_first()?;
        for extra in rest {
            self.repeated(
                extra.span,
                first.span,
                format!("indicator `{}` states its sample more than once", decl.name),
                "join the conditions with `and` in one `sample`",
            );
        }
        let checked = self.expr(first, scope, None);
        self.expect_bool(&checked, "a sample condition");
        Some(checked)
    }

    /// Checks every percentage the value is compared with in a band's condition; whether
    /// one was out of range.
    fn thresholds_in_range(&mut self, value_ty: Type, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Binary(BinaryOp::Compare(_), a, b) => {
                if matches!(a.kind, ExprKind::IndicatorValue) {
                    self.percent_in_range(value_ty, b)
                } else if matches!(b.kind, ExprKind::IndicatorValue) {
                    self.percent_in_range(value_ty, a)
                } else {
                    false
                }
            }
            ExprKind::Binary(_, a, b) => {
                let left = self.thresholds_in_range(value_ty, a);
                self.thresholds_in_range(value_ty, b) || left
            }
            ExprKind::Unary(_, x) => self.thresholds_in_range(value_ty, x),
            _ => false,
        }
    }

    /// Warns of each measure a criterion compares that may be missing: there, the criterion
    /// may not be decided, and the status is `insufficient data`. The indicator's own value
    /// is left out, as that rule is the documented meaning of a missing value.
    fn missing_in_criterion(&mut self, condition: &Expr) {
        let mut found = Vec::new();
        optional_measures(condition, &mut found);
        let mut warned: Vec<MeasureId> = Vec::new();
        for (m, span, absence) in found {
            if warned.contains(&m) {
                continue;
            }
            warned.push(m);
            let measure = &self.program.measures[m];
            let name = measure.name.clone();
            let fallback = measure
                .ty
                .zero_literal()
                .unwrap_or_else(|| "...".to_string());
            let message = format!(
                "`{name}` may be missing ({}), and then this criterion may not be decided",
                absence.reasons().join(", ")
            );
            let mut d = Diagnostic::warning(codes::MISSING_IN_CRITERION, message)
                .with_source(self.sources.source(span.file))
                .with_label(span.start as usize, span.end as usize, "may be missing");
            let declared = measure.name_span;
            if declared.file == span.file {
                d = d.with_secondary(
                    declared.start as usize,
                    declared.end as usize,
                    format!("`{name}` is declared here"),
                );
            }
            self.diagnostics.push(d.with_help(format!(
                "an undecided criterion gives the status `insufficient data`; to decide it, test \
                 first (`{name} is not none and ...`) or give a fallback \
                 (`default({name}, {fallback})`)"
            )));
        }
    }

    /// Turns the findings of the band analysis into warnings.
    fn analyse_bands(&mut self, bands: &[Band], value_ty: Type, block: Span) {
        let domain = match value_ty {
            Type::Count(_) => Domain::Integer { min: Some(0) },
            Type::Percent => Domain::Share,
            Type::Int => Domain::Integer { min: None },
            Type::Category(s) => Domain::Ordinal {
                count: self.program.scales[s].categories.len() as u16,
            },
            t if t.is_numeric() || matches!(t, Type::Duration | Type::Date | Type::DateTime) => {
                Domain::Real
            }
            _ => return,
        };
        let point = |x: f64| self.point_text(value_ty, x);
        let mut warnings = Vec::new();
        for finding in criteria::analyse(bands, domain) {
            let warning = match finding {
                Finding::Unreachable { band, taken_by } => {
                    let b = &bands[band];
                    let (message, help) = if taken_by.is_empty() {
                        (
                            format!("band `{}` holds for no value", b.status),
                            "check the bounds of its condition: no value satisfies them all"
                                .to_string(),
                        )
                    } else {
                        let by: Vec<String> = taken_by
                            .iter()
                            .map(|i| format!("`{}`", bands[*i].status))
                            .collect();
                        (
                            format!(
                                "band `{}` can never give its status: every value it holds for \
                                 is taken by {} first",
                                b.status,
                                by.join(" and ")
                            ),
                            "bands are tried in order: put the narrower band first, or correct \
                             its threshold"
                                .to_string(),
                        )
                    };
                    let mut d =
                        self.warning(codes::UNREACHABLE_BAND, b.span, message, "never decides");
                    for i in taken_by {
                        let s = bands[i].span;
                        d = d.with_secondary(s.start as usize, s.end as usize, "takes its values");
                    }
                    d.with_help(help)
                }
                Finding::Overlap {
                    band,
                    earlier,
                    shared,
                } => {
                    let (b, e) = (&bands[band], &bands[earlier]);
                    let message = format!(
                        "bands `{}` and `{}` both hold for values {}; `{}` comes first and \
                         decides them",
                        e.status,
                        b.status,
                        shared.describe(&point),
                        e.status
                    );
                    let s = e.span;
                    self.warning(codes::OVERLAPPING_BANDS, b.span, message, "overlaps an earlier band")
                        .with_secondary(s.start as usize, s.end as usize, "the earlier band")
                        .with_help("make the bands meet without overlapping, so that each range of values has the status it was written for")
                }
                Finding::Uncovered { gap } => {
                    let message =
                        format!("no band gives a status to values {}", gap.describe(&point));
                    self.warning(
                        codes::UNCOVERED_VALUES,
                        block,
                        message,
                        "these bands leave a gap",
                    )
                    .with_help("add a last band `STATUS otherwise`, or widen a band to cover them")
                }
            };
            warnings.push(warning);
        }
        self.diagnostics.extend(warnings);
    }

    fn warning(&self, code: &'static str, span: Span, message: String, label: &str) -> Diagnostic {
        Diagnostic::warning(code, message)
            .with_source(self.sources.source(span.file))
            .with_label(span.start as usize, span.end as usize, label)
    }

    /// A bound of a band as the designer would write it for a value of this type.
    fn point_text(&self, ty: Type, x: f64) -> String {
        match ty {
            Type::Percent => format!("{}%", short_number(x * 100.0)),
            Type::Duration => duration_text(x as i64),
            Type::Per(q, _) => self.point_text(q.ty(), x),
            Type::Money(c) => format!("{} {c}", short_number(x)),
            Type::Date | Type::DateTime => {
                let days = (x / 86_400_000_000.0).floor() as i64;
                let micros = x as i64 - days * 86_400_000_000;
                let date = chrono::NaiveDate::default() + chrono::Duration::days(days);
                if micros == 0 {
                    date.to_string()
                } else {
                    let time = chrono::NaiveTime::MIN + chrono::Duration::microseconds(micros);
                    format!("{date}T{}Z", time.format("%H:%M:%S"))
                }
            }
            Type::Category(s) => self.program.scales[s]
                .categories
                .get(x as usize)
                .cloned()
                .unwrap_or_else(|| short_number(x)),
            _ => short_number(x),
        }
    }
}

/// The measures a condition uses whose value may be missing, with where, and why; not those
/// under a test for `none` or given a fallback.
fn optional_measures(e: &Expr, found: &mut Vec<(MeasureId, Span, Absence)>) {
    match &e.kind {
        ExprKind::Measure(m) if !e.absence.is_never() => found.push((*m, e.span, e.absence)),
        ExprKind::Unary(_, x) => optional_measures(x, found),
        ExprKind::Binary(_, a, b) => {
            optional_measures(a, found);
            optional_measures(b, found);
        }
        ExprKind::InList { value, list, .. } => {
            optional_measures(value, found);
            for item in list {
                optional_measures(item, found);
            }
        }
        ExprKind::Call(Function::Default, args) => {
            if let Some(fallback) = args.get(1) {
                optional_measures(fallback, found);
            }
        }
        ExprKind::Call(_, args) => {
            for arg in args {
                optional_measures(arg, found);
            }
        }
        _ => {}
    }
}

/// A duration written as a literal, the way thresholds usually are: whole weeks or days
/// from a week up (`30d`), else whole hours (`24h`, `72h`), else mixed (`1h30m`).
fn duration_text(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let mut secs = micros.unsigned_abs() / 1_000_000;
    if secs == 0 {
        return format!("{}s", short_number(micros as f64 / 1e6));
    }
    if secs >= 7 * 86_400 && secs.is_multiple_of(86_400) {
        return format!("{sign}{}d", secs / 86_400);
    }
    if secs.is_multiple_of(3_600) {
        return format!("{sign}{}h", secs / 3_600);
    }
    let mut out = String::from(sign);
    for (size, unit) in [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_read_as_literals() {
        assert_eq!(duration_text(72 * 3_600_000_000), "72h");
        assert_eq!(duration_text(24 * 3_600_000_000), "24h");
        assert_eq!(duration_text(30 * 86_400_000_000), "30d");
        assert_eq!(duration_text(36 * 3_600_000_000 + 60_000_000), "1d12h1m");
        assert_eq!(duration_text(90 * 60_000_000), "1h30m");
        assert_eq!(short_number(95.0), "95");
        assert_eq!(short_number(97.5), "97.5");
    }
}
