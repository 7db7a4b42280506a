//! Checking expressions: name resolution, type inference and what may be missing.
//!
//! A bare name means, in order: a column of the dataset being aggregated (inside an
//! aggregate), `value` (inside an indicator), a measure, and finally a category of the scale
//! that the other side of a comparison has. Each expression gets a type, with its scale type
//! and unit, and the reasons its value may be missing. A mismatch is reported once, and its
//! node gets [`Type::Error`] so that it causes no further reports.
//!
//! A test narrows what may be missing: on the right of `x is not none and ...`, and of
//! `x is none or ...`, `x` is known to be present.

use crate::diagnostic::did_you_mean;
use crate::syntax::ast::{self, AggregateFn, BinaryOp, CompareOp, Literal, UnaryOp};
use crate::syntax::Span;

use super::program::{Absence, Aggregate, Clock, DatasetId, Expr, ExprKind, MeasureId};
use super::types::{self, Currency, Entity, Type};
use super::{codes, Checker};

/// A value that a test has shown to be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Measure(MeasureId),
    Column(usize),
    Value,
}

/// Where an expression is checked, and what it was found to use.
pub(crate) struct Scope {
    /// Inside an indicator: the type and absence of `value`, once the value is checked.
    indicator_value: Option<Option<(Type, Absence)>>,
    /// Inside an aggregate: the dataset whose columns are in scope.
    pub(super) row: Option<DatasetId>,
    /// Values shown present by the tests on the left of an enclosing `and` or `or`.
    present: Vec<Known>,
    pub(crate) measures: Vec<MeasureId>,
    pub(crate) datasets: Vec<DatasetId>,
}

impl Scope {
    /// Whether the expression is checked in an indicator (its value, target, criteria or
    /// gates).
    pub(crate) fn in_indicator(&self) -> bool {
        self.indicator_value.is_some()
    }

    /// Whether the expression is outside any aggregate's rows.
    pub(crate) fn is_plain(&self) -> bool {
        self.row.is_none()
    }

    pub(crate) fn measure() -> Self {
        Scope {
            indicator_value: None,
            row: None,
            present: Vec::new(),
            measures: Vec::new(),
            datasets: Vec::new(),
        }
    }

    pub(crate) fn indicator(value: Option<(Type, Absence)>) -> Self {
        Scope {
            indicator_value: Some(value),
            ..Scope::measure()
        }
    }

    /// The scope of a row expression over `dataset`: its columns are in scope.
    pub(super) fn rows(dataset: DatasetId) -> Self {
        Scope {
            row: Some(dataset),
            ..Scope::measure()
        }
    }
}

impl Checker<'_> {
    /// Checks an expression; `hint` is the type the context expects, used to resolve bare
    /// category names and text written for categories.
    pub(crate) fn expr(&mut self, e: &ast::Expr, scope: &mut Scope, hint: Option<Type>) -> Expr {
        let span = e.span;
        match &e.kind {
            ast::ExprKind::Literal(lit) => self.literal(lit, span, hint),
            ast::ExprKind::Name(ident) => self.name(ident, scope, hint),
            ast::ExprKind::Unary(op, inner) => self.unary(*op, inner, span, scope),
            ast::ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, span, scope),
            ast::ExprKind::InList {
                value,
                list,
                negated,
            } => {
                let value = self.expr(value, scope, None);
                let mut absence = value.absence;
                let mut items = Vec::new();
                for item in list {
                    let checked = self.expr(item, scope, Some(value.ty));
                    if checked.ty != Type::None
                        && types::comparable(CompareOp::Eq, value.ty, checked.ty, self.names())
                            .is_err()
                    {
                        let (a, b) = (
                            self.program.type_name(value.ty),
                            self.program.type_name(checked.ty),
                        );
                        self.error(
                            codes::COMPARISON,
                            checked.span,
                            format!("cannot look for `{b}` among values of `{a}`"),
                        )
                        .help = Some("list values of the same type as the tested value".into());
                    }
                    absence = absence.union(checked.absence);
                    items.push(checked);
                }
                let kind = ExprKind::InList {
                    value: Box::new(value),
                    list: items,
                    negated: *negated,
                };
                Expr::new(kind, Type::Bool, absence, span)
            }
            ast::ExprKind::IsNone { value, negated } => {
                let value = self.expr(value, scope, None);
                let kind = ExprKind::IsNone {
                    value: Box::new(value),
                    negated: *negated,
                };
                Expr::new(kind, Type::Bool, Absence::NEVER, span)
            }
            ast::ExprKind::Aggregate(agg) => self.aggregate(agg, span, scope),
            ast::ExprKind::Relation(relation) => self.relation(relation, span, scope),
            ast::ExprKind::Call { function, args } => self.call(function, args, span, scope),
            ast::ExprKind::Within { value, window } => self.within(value, *window, span, scope),
        }
    }

    /// `x within w`, which is `x >= as_of - w and x < as_of`.
    fn within(&mut self, value: &ast::Expr, window: i64, span: Span, scope: &mut Scope) -> Expr {
        let value = self.expr(value, scope, None);
        if !matches!(value.ty, Type::Date | Type::DateTime | Type::Error) {
            let ty = self.program.type_name(value.ty);
            let mut d = self.sources.error(
                codes::OPERATOR,
                value.span,
                format!("`within` takes a date or date-time, but this is `{ty}`"),
            );
            d.labels[0].text = format!("this is `{ty}`");
            self.diagnostics.push(d.with_help(
                "a window holds instants: `trained_at within 365d` counts back from the moment \
                 the run looks from",
            ));
            return Expr::error(span);
        }
        let absence = value.absence;
        let node = |kind, ty| Expr::new(kind, ty, Absence::NEVER, span);
        let as_of = || node(ExprKind::Clock(Clock::AsOf), Type::DateTime);
        let window = node(ExprKind::Literal(Literal::Duration(window)), Type::Duration);
        let start = node(
            ExprKind::Binary(BinaryOp::Sub, Box::new(as_of()), Box::new(window)),
            Type::DateTime,
        );
        let compare = |op, bound: Expr| {
            Expr::new(
                ExprKind::Binary(
                    BinaryOp::Compare(op),
                    Box::new(value.clone()),
                    Box::new(bound),
                ),
                Type::Bool,
                absence,
                span,
            )
        };
        let (after, before) = (
            compare(CompareOp::Ge, start),
            compare(CompareOp::Lt, as_of()),
        );
        Expr::new(
            ExprKind::Binary(BinaryOp::And, Box::new(after), Box::new(before)),
            Type::Bool,
            absence,
            span,
        )
    }

    pub(super) fn names(&self) -> &types::TypeNames {
        &self.program.names
    }

    fn unary(&mut self, op: UnaryOp, inner: &ast::Expr, span: Span, scope: &mut Scope) -> Expr {
        let inner = self.expr(inner, scope, None);
        let ty = match (op, inner.ty) {
            (_, Type::Error) => Type::Error,
            (UnaryOp::Not, Type::Bool) => Type::Bool,
            (UnaryOp::Neg, t) if t.is_numeric() || t == Type::Duration => t,
            (op, t) => {
                let t = self.program.type_name(t);
                let (message, help) = match op {
                    UnaryOp::Not => (
                        format!("`not` needs a condition, but this is `{t}`"),
                        "`not` applies to true/false conditions",
                    ),
                    UnaryOp::Neg => (
                        format!("cannot negate `{t}`"),
                        "only numbers and durations can be negated",
                    ),
                };
                self.error(codes::OPERATOR, span, message).help = Some(help.into());
                Type::Error
            }
        };
        let absence = inner.absence;
        Expr::new(ExprKind::Unary(op, Box::new(inner)), ty, absence, span)
    }

    pub(super) fn literal(&mut self, lit: &Literal, span: Span, hint: Option<Type>) -> Expr {
        // Text written where a category is expected names the category.
        if let (Literal::Text(text), Some(Type::Category(scale))) = (lit, hint) {
            if let Some(kind) = self.category(scale, text) {
                return Expr::new(kind, Type::Category(scale), Absence::NEVER, span);
            }
            let s = &self.program.scales[scale];
            let help = did_you_mean(text, s.categories.iter().map(String::as_str))
                .map(|c| format!("did you mean `{c}`?"))
                .unwrap_or_else(|| format!("the categories are {}", s.categories.join(", ")));
            let message = format!("`{text}` is not a category of scale `{}`", s.name);
            self.error(codes::UNKNOWN_CATEGORY, span, message).help = Some(help);
            return Expr::error(span);
        }
        let ty = match lit {
            Literal::Int(_) => Type::Int,
            Literal::Number(_) => Type::Number,
            Literal::Percent(_) => Type::Percent,
            Literal::Duration(_) => Type::Duration,
            Literal::Date(_) => Type::Date,
            Literal::DateTime(_) => Type::DateTime,
            Literal::Text(_) => Type::Text,
            Literal::Bool(_) => Type::Bool,
            Literal::Money(_, code) => match Currency::parse(code) {
                Some(c) => Type::Money(c),
                None => {
                    let expected = match hint {
                        Some(Type::Money(c)) => Some(c),
                        _ => None,
                    };
                    self.unknown_currency(code, span, expected);
                    return Expr::error(span);
                }
            },
            Literal::None => Type::None,
        };
        let absence = if *lit == Literal::None {
            Absence::INPUT
        } else {
            Absence::NEVER
        };
        Expr::new(ExprKind::Literal(lit.clone()), ty, absence, span)
    }

    /// Reports a currency code ISO 4217 does not have; `expected` is the currency of what
    /// the amount is compared or combined with, the likeliest meaning.
    pub(crate) fn unknown_currency(&mut self, code: &str, span: Span, expected: Option<Currency>) {
        let help = expected
            .map(|c| c.code())
            .or_else(|| did_you_mean(code, Currency::codes()))
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| "write an ISO 4217 code such as `EUR`, `USD` or `GBP`".into());
        self.error(
            codes::UNKNOWN_UNIT,
            span,
            format!("`{code}` is not an ISO 4217 currency code"),
        )
        .help = Some(help);
    }

    pub(super) fn category(&self, scale: usize, name: &str) -> Option<ExprKind> {
        let index = self.program.scales[scale]
            .categories
            .iter()
            .position(|c| c == name)?;
        Some(ExprKind::Category(scale, index as u16))
    }

    fn name(&mut self, ident: &ast::Ident, scope: &mut Scope, hint: Option<Type>) -> Expr {
        let span = ident.span;
        let name = ident.name.as_str();

        if let Some(d) = scope.row {
            if let Some(c) = self.program.datasets[d].column(name) {
                let column = &self.program.datasets[d].columns[c];
                let absence = if column.optional && !scope.present.contains(&Known::Column(c)) {
                    Absence::INPUT
                } else {
                    Absence::NEVER
                };
                return Expr::new(ExprKind::Column(c), column.ty, absence, span);
            }
        }
        if name == "value" {
            if let Some(value) = scope.indicator_value {
                let Some((ty, absence)) = value else {
                    self.error(
                        codes::VALUE_OUTSIDE_INDICATOR,
                        span,
                        "an indicator's value cannot refer to `value`".into(),
                    )
                    .help = Some("name a measure or write an expression of measures".into());
                    return Expr::error(span);
                };
                let absence = if scope.present.contains(&Known::Value) {
                    Absence::NEVER
                } else {
                    absence
                };
                return Expr::new(ExprKind::IndicatorValue, ty, absence, span);
            }
        }
        // Inside a row a measure is never allowed, so a category of the compared scale wins.
        if let (Some(_), Some(Type::Category(scale))) = (scope.row, hint) {
            if let Some(kind) = self.category(scale, name) {
                return Expr::new(kind, Type::Category(scale), Absence::NEVER, span);
            }
        }
        if let Some(clock) = clock_named(name).filter(|_| self.program.measure(name).is_none()) {
            let absence = match clock {
                Clock::AsOf => Absence::NEVER,
                Clock::PeriodStart | Clock::PeriodEnd => Absence::NO_PERIOD,
            };
            return Expr::new(ExprKind::Clock(clock), Type::DateTime, absence, span);
        }
        if let Some(m) = self.program.measure(name) {
            if scope.row.is_some() {
                self.error(
                    codes::MEASURE_IN_ROW,
                    span,
                    format!("measure `{name}` cannot be used inside a row expression"),
                )
                .help = Some(
                    "compare measures outside the aggregate, or use a literal threshold inside it"
                        .into(),
                );
                return Expr::error(span);
            }
            if !scope.measures.contains(&m) {
                scope.measures.push(m);
            }
            let measure = &self.program.measures[m];
            let absence = if scope.present.contains(&Known::Measure(m)) {
                Absence::NEVER
            } else {
                measure.expr.absence
            };
            return Expr::new(ExprKind::Measure(m), measure.ty, absence, span);
        }
        if let Some(Type::Category(scale)) = hint {
            if let Some(kind) = self.category(scale, name) {
                return Expr::new(kind, Type::Category(scale), Absence::NEVER, span);
            }
        }
        // A category name that only one scale has needs no context.
        // Statuses are named only beside `status(...)`, never on their own.
        let owners: Vec<usize> = (0..self.program.scales.len())
            .filter(|&s| Some(s) != self.program.status_scale)
            .filter(|&s| self.category(s, name).is_some())
            .collect();
        if let [scale] = owners.as_slice() {
            if let Some(kind) = self.category(*scale, name) {
                return Expr::new(kind, Type::Category(*scale), Absence::NEVER, span);
            }
        }

        self.unknown_name(ident, scope, hint);
        Expr::error(span)
    }

    fn unknown_name(&mut self, ident: &ast::Ident, scope: &Scope, hint: Option<Type>) {
        let name = ident.name.as_str();
        if name == "value" {
            let help = match scope.row {
                Some(_) => "inside an aggregate only the dataset's columns are in scope; compare `value` outside it",
                None => "`value` is the indicator's value, usable in its `target` and `criteria`",
            };
            self.error(
                codes::UNKNOWN_NAME,
                ident.span,
                "`value` cannot be used here".into(),
            )
            .help = Some(help.into());
            return;
        }
        if scope.row.is_none() {
            if let Some((dataset, column)) = self
                .program
                .datasets
                .iter()
                .find_map(|d| d.column(name).map(|c| (d.name.clone(), d.columns[c].ty)))
            {
                let example = match column {
                    t if t.is_numeric() || t == Type::Duration => {
                        format!("`sum({name} for {dataset})` or `mean({name} for {dataset})`")
                    }
                    Type::DateTime | Type::Date => format!("`max({name} for {dataset})`"),
                    _ => format!("`count({dataset} where {name} = ...)`"),
                };
                self.error(
                    codes::COLUMN_OUTSIDE_ROW,
                    ident.span,
                    format!("column `{name}` is used outside an aggregate"),
                )
                .help = Some(format!(
                    "a column has one value per row: aggregate it, as in {example}"
                ));
                return;
            }
        }
        if self.program.lookup(name).is_some() {
            self.error(
                codes::UNKNOWN_NAME,
                ident.span,
                format!("lookup `{name}` is used as a value"),
            )
            .help = Some(format!(
                "a lookup gives the value of a key: write `{name}(KEY)`"
            ));
            return;
        }
        if self.program.datasets.iter().any(|d| d.name == name) {
            self.error(
                codes::UNKNOWN_NAME,
                ident.span,
                format!("dataset `{name}` is used as a value"),
            )
            .help = Some(format!("aggregate it, as in `count({name})`"));
            return;
        }

        // What the name could have meant here: columns inside a row, measures outside one,
        // and the categories of the scale it is compared with.
        let columns: Vec<&str> = scope
            .row
            .map(|d| {
                self.program.datasets[d]
                    .columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let measures: Vec<&str> = if scope.row.is_none() {
            self.program
                .measures
                .iter()
                .map(|m| m.name.as_str())
                .collect()
        } else {
            Vec::new()
        };
        let categories: Vec<&str> = match hint {
            Some(Type::Category(s)) => self.program.scales[s]
                .categories
                .iter()
                .map(String::as_str)
                .collect(),
            _ => Vec::new(),
        };
        let mut candidates: Vec<&str> = columns.iter().chain(&measures).copied().collect();
        if scope.indicator_value.is_some() {
            candidates.push("value");
        }
        let suggestion = did_you_mean(name, candidates.iter().chain(&categories).copied());
        let as_category = match suggestion {
            Some(s) => categories.contains(&s),
            None => !categories.is_empty(),
        };

        let (code, message) = match (as_category, hint, scope.row) {
            (true, Some(Type::Category(s)), _) => (
                codes::UNKNOWN_CATEGORY,
                format!(
                    "`{name}` is not a category of scale `{}`",
                    self.program.scales[s].name
                ),
            ),
            (_, _, Some(d)) => (
                codes::UNKNOWN_NAME,
                format!(
                    "unknown name `{name}`: dataset `{}` has no such column",
                    self.program.datasets[d].name
                ),
            ),
            _ => (codes::UNKNOWN_NAME, format!("unknown name `{name}`")),
        };
        let help = match (suggestion, hint, scope.row) {
            (Some(s), _, _) => format!("did you mean `{s}`?"),
            (None, Some(Type::Category(s)), _) if as_category => format!(
                "the categories are {}",
                self.program.scales[s].categories.join(", ")
            ),
            (None, _, Some(d)) => format!(
                "the columns of `{}` are {}",
                self.program.datasets[d].name,
                columns.join(", ")
            ),
            _ => "declare it as a measure, or check the spelling".into(),
        };
        self.error(code, ident.span, message).help = Some(help);
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        span: Span,
        scope: &mut Scope,
    ) -> Expr {
        // Check the side that can stand alone first, so that a bare category name or a
        // text on the other side is read in the light of its type.
        let lhs_needs_context = match &lhs.kind {
            ast::ExprKind::Name(ident) => !self.resolves_alone(ident, scope),
            ast::ExprKind::Literal(Literal::Text(_)) => true,
            _ => false,
        };
        let (l, r) = if lhs_needs_context && matches!(op, BinaryOp::Compare(_)) {
            let r = self.expr(rhs, scope, None);
            let l = self.expr(lhs, scope, Some(r.ty));
            (l, r)
        } else {
            let l = self.expr(lhs, scope, None);
            // What the left side of `and` or `or` shows present holds on its right.
            let known = known_present(&l, op);
            let depth = scope.present.len();
            scope.present.extend(known);
            let r = self.expr(rhs, scope, Some(l.ty));
            scope.present.truncate(depth);
            (l, r)
        };

        let mut absence = l.absence.union(r.absence);
        let ty = match op {
            BinaryOp::And | BinaryOp::Or => {
                self.expect_bool(&l, &format!("each side of `{}`", op.symbol()));
                self.expect_bool(&r, &format!("each side of `{}`", op.symbol()));
                Type::Bool
            }
            BinaryOp::Compare(cmp) => {
                let none_test = l.ty == Type::None || r.ty == Type::None;
                if none_test && !matches!(cmp, CompareOp::Eq | CompareOp::Ne) {
                    self.error(
                        codes::COMPARISON,
                        span,
                        format!("`none` cannot be compared with `{}`", cmp.symbol()),
                    )
                    .help = Some("test for a missing value with `is none` or `is not none`".into());
                } else if !none_test {
                    self.check_comparison(cmp, &l, &r, span, scope);
                }
                Type::Bool
            }
            _ => {
                if op == BinaryOp::Div && !is_nonzero_literal(&r) {
                    absence = absence.union(Absence::DIVISION);
                }
                match types::arithmetic(op, l.ty, r.ty, self.names()) {
                    Ok(ty) => ty,
                    Err(refusal) => {
                        self.arithmetic_error(op, refusal, &l, &r, span, scope);
                        Type::Error
                    }
                }
            }
        };

        // `x = none` and `x != none` are tests for a missing value.
        if let BinaryOp::Compare(cmp @ (CompareOp::Eq | CompareOp::Ne)) = op {
            let negated = cmp == CompareOp::Ne;
            if r.ty == Type::None || l.ty == Type::None {
                let value = if r.ty == Type::None { l } else { r };
                let kind = ExprKind::IsNone {
                    value: Box::new(value),
                    negated,
                };
                return Expr::new(kind, Type::Bool, Absence::NEVER, span);
            }
        }
        Expr::new(
            ExprKind::Binary(op, Box::new(l), Box::new(r)),
            ty,
            absence,
            span,
        )
    }

    /// Whether a bare name means something without the type of the other side: a column,
    /// `value`, or a measure.
    fn resolves_alone(&self, ident: &ast::Ident, scope: &Scope) -> bool {
        let name = ident.name.as_str();
        scope
            .row
            .is_some_and(|d| self.program.datasets[d].column(name).is_some())
            || (name == "value" && scope.indicator_value.is_some())
            || self.program.measure(name).is_some()
            || clock_named(name).is_some()
    }

    fn aggregate(&mut self, agg: &ast::Aggregate, span: Span, scope: &mut Scope) -> Expr {
        if scope.row.is_some() {
            self.error(
                codes::NESTED_AGGREGATE,
                span,
                "an aggregate cannot be nested inside another".into(),
            )
            .help = Some(
                "declare the inner aggregate as a measure and compare outside the aggregate".into(),
            );
            return Expr::error(span);
        }
        let Some(dataset) = self
            .program
            .datasets
            .iter()
            .position(|d| d.name == agg.dataset.name)
        else {
            self.unknown_dataset(&agg.dataset);
            return Expr::error(span);
        };
        if !scope.datasets.contains(&dataset) {
            scope.datasets.push(dataset);
        }

        let mut row = Scope::rows(dataset);
        let value = agg.value.as_ref().map(|v| self.expr(v, &mut row, None));
        let filter = agg.filter.as_ref().map(|f| {
            let checked = self.expr(f, &mut row, None);
            self.expect_bool(&checked, "a `where` filter");
            checked
        });
        let except = agg.except.as_ref().map(|e| {
            let checked = self.expr(e, &mut row, None);
            self.expect_bool(&checked, "an `except` condition");
            checked
        });
        let period_column = agg
            .period_column
            .as_ref()
            .and_then(|c| self.period_column(dataset, c));
        let rank = self.percentile_rank(agg, span);

        let entity = Entity::Named(self.program.datasets[dataset].entity);
        let arg = value.as_ref().map(|v| v.ty);
        let ty = match types::aggregate(agg.func, arg, entity, self.names()) {
            Ok(ty) => ty,
            Err(refusal) => {
                self.aggregate_error(agg, refusal, value.as_ref(), span, &row);
                Type::Error
            }
        };
        let value_absence = value.as_ref().map_or(Absence::NEVER, |v| v.absence);
        let absence = match agg.func {
            AggregateFn::Count | AggregateFn::CountDistinct => Absence::NEVER,
            AggregateFn::Sum if value_absence.is_never() => Absence::NEVER,
            AggregateFn::Sum => Absence::ALL_MISSING,
            _ => Absence::NO_VALUES,
        };

        let id = self.program.aggregates.len();
        self.program.aggregates.push(Aggregate {
            func: agg.func,
            rank,
            value,
            dataset,
            period_column,
            filter,
            except,
            ty,
            span,
        });
        Expr::new(ExprKind::Aggregate(id), ty, absence, span)
    }

    pub(super) fn unknown_dataset(&mut self, name: &ast::Ident) {
        let mut candidates: Vec<&str> = self
            .program
            .datasets
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        candidates.sort_unstable();
        let help = did_you_mean(&name.name, candidates.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| {
                format!(
                    "the datasets are {}",
                    if candidates.is_empty() {
                        "none yet: declare one with `dataset`".to_string()
                    } else {
                        candidates.join(", ")
                    }
                )
            });
        self.error(
            codes::UNKNOWN_DATASET,
            name.span,
            format!("unknown dataset `{name}`"),
        )
        .help = Some(help);
    }

    /// The column of `at COLUMN`, if it can place rows in a period.
    fn period_column(&mut self, dataset: DatasetId, c: &ast::Ident) -> Option<usize> {
        let ds = &self.program.datasets[dataset];
        match ds.column(&c.name) {
            Some(i) if matches!(ds.columns[i].ty, Type::DateTime | Type::Date | Type::Error) => {
                Some(i)
            }
            Some(i) => {
                let col_span = ds.columns[i].span;
                let ty = self.program.type_name(ds.columns[i].ty);
                let d = self
                    .sources
                    .error(
                        codes::TIME_COLUMN,
                        c.span,
                        format!("`{}` cannot place rows in a period: it is `{ty}`", c.name),
                    )
                    .with_secondary(
                        col_span.start as usize,
                        col_span.end as usize,
                        "declared here",
                    )
                    .with_help("`at` takes a `DateTime` or `Date` column");
                self.diagnostics.push(d);
                None
            }
            None => {
                let help = did_you_mean(&c.name, ds.columns.iter().map(|c| c.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| "name a date-time column of the dataset".into());
                let message = format!("dataset `{}` has no column `{}`", ds.name, c.name);
                self.error(codes::UNKNOWN_COLUMN, c.span, message).help = Some(help);
                None
            }
        }
    }

    /// The rank of a percentile as a fraction; 0.5 for the other aggregates.
    fn percentile_rank(&mut self, agg: &ast::Aggregate, span: Span) -> f64 {
        match (agg.func, agg.rank) {
            (AggregateFn::Percentile, Some((r, rank_span))) => {
                if !(0.0..=1.0).contains(&r) {
                    self.error(
                        codes::PERCENTILE_RANK,
                        rank_span,
                        "a percentile rank must lie between 0 and 100".into(),
                    )
                    .help = Some("write the rank as `90` or `90%` for the 90th percentile".into());
                }
                r
            }
            (AggregateFn::Percentile, None) => {
                self.error(
                    codes::PERCENTILE_RANK,
                    span,
                    "`percentile` needs a rank".into(),
                )
                .help = Some(
                    "write the rank first, as in `percentile(90, delay for incidents)`".into(),
                );
                0.5
            }
            (func, Some((_, rank_span))) => {
                self.error(
                    codes::PERCENTILE_RANK,
                    rank_span,
                    format!("`{}` takes no rank", func.keyword()),
                )
                .help = Some("only `percentile` takes a rank".into());
                0.5
            }
            (_, None) => 0.5,
        }
    }
}

/// The instant a built-in name stands for: `as_of`, `period_start`, `period_end`.
fn clock_named(name: &str) -> Option<Clock> {
    Some(match name {
        "as_of" => Clock::AsOf,
        "period_start" => Clock::PeriodStart,
        "period_end" => Clock::PeriodEnd,
        _ => return None,
    })
}

/// What a checked left operand of `and` (or `or`) shows present on the right: the values
/// it tests with `is not none` (or `is none`).
fn known_present(e: &Expr, op: BinaryOp) -> Vec<Known> {
    let negated = match op {
        BinaryOp::And => true,
        BinaryOp::Or => false,
        _ => return Vec::new(),
    };
    match &e.kind {
        ExprKind::IsNone { value, negated: n } if *n == negated => match value.kind {
            ExprKind::Measure(m) => vec![Known::Measure(m)],
            ExprKind::Column(c) => vec![Known::Column(c)],
            ExprKind::IndicatorValue => vec![Known::Value],
            _ => Vec::new(),
        },
        ExprKind::Binary(o, a, b) if *o == op => {
            let mut known = known_present(a, op);
            known.extend(known_present(b, op));
            known
        }
        _ => Vec::new(),
    }
}

/// Whether an expression is a literal that cannot be zero, so dividing by it is safe.
fn is_nonzero_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Literal(lit) => match lit {
            Literal::Int(i) => *i != 0,
            Literal::Number(f) | Literal::Percent(f) | Literal::Money(f, _) => *f != 0.0,
            Literal::Duration(d) => *d != 0,
            _ => false,
        },
        _ => false,
    }
}
