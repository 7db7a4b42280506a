//! Checking expressions: name resolution and type inference.
//!
//! A bare name means, in order: a column of the dataset being aggregated (inside an
//! aggregate), `value` (inside an indicator), a measure, and finally a category of the scale
//! that the other side of a comparison has. Each expression gets a type; a mismatch is
//! reported once, and its node gets [`Type::Error`] so that it causes no further reports.

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::syntax::ast::{self, AggregateFn, BinaryOp, CompareOp, Literal, UnaryOp};

use super::program::{Aggregate, DatasetId, Expr, ExprKind, MeasureId};
use super::types::{self, Type};
use super::{codes, Checker};

/// Where an expression is checked, and what it was found to use.
pub(crate) struct Scope {
    /// The measure being checked, to catch a measure that names itself.
    measure: Option<MeasureId>,
    /// Inside an indicator: the type of `value`, once the value itself is checked.
    indicator_value: Option<Option<Type>>,
    /// Inside an aggregate: the dataset whose columns are in scope.
    row: Option<DatasetId>,
    pub(crate) measures: Vec<MeasureId>,
    pub(crate) datasets: Vec<DatasetId>,
}

impl Scope {
    pub(crate) fn measure(id: MeasureId) -> Self {
        Scope {
            measure: Some(id),
            indicator_value: None,
            row: None,
            measures: Vec::new(),
            datasets: Vec::new(),
        }
    }

    pub(crate) fn indicator(value: Option<Type>) -> Self {
        Scope {
            measure: None,
            indicator_value: Some(value),
            row: None,
            measures: Vec::new(),
            datasets: Vec::new(),
        }
    }
}

impl Checker<'_> {
    /// Checks an expression; `hint` is the type the context expects, used to resolve bare
    /// category names and text written for categories.
    pub(crate) fn expr(&mut self, e: &ast::Expr, scope: &mut Scope, hint: Option<Type>) -> Expr {
        let span = e.span;
        let (kind, ty) = match &e.kind {
            ast::ExprKind::Literal(lit) => return self.literal(lit, span, hint),
            ast::ExprKind::Name(ident) => return self.name(ident, scope, hint),
            ast::ExprKind::Unary(op, inner) => {
                let inner = self.expr(inner, scope, None);
                let ty = match (op, inner.ty) {
                    (_, Type::Error) => Type::Error,
                    (UnaryOp::Not, Type::Bool) => Type::Bool,
                    (UnaryOp::Neg, t) if t.is_numeric() || t == Type::Duration => {
                        if t == Type::Count {
                            Type::Int
                        } else {
                            t
                        }
                    }
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
                (ExprKind::Unary(*op, Box::new(inner)), ty)
            }
            ast::ExprKind::Binary(op, lhs, rhs) => return self.binary(*op, lhs, rhs, span, scope),
            ast::ExprKind::InList {
                value,
                list,
                negated,
            } => {
                let value = self.expr(value, scope, None);
                let mut items = Vec::new();
                for item in list {
                    let checked = self.expr(item, scope, Some(value.ty));
                    if !types::comparable(
                        CompareOp::Eq,
                        value.ty,
                        checked.ty,
                        &self.program.scale_info,
                    ) && checked.ty != Type::None
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
                    items.push(checked);
                }
                (
                    ExprKind::InList {
                        value: Box::new(value),
                        list: items,
                        negated: *negated,
                    },
                    Type::Bool,
                )
            }
            ast::ExprKind::IsNone { value, negated } => {
                let value = self.expr(value, scope, None);
                (
                    ExprKind::IsNone {
                        value: Box::new(value),
                        negated: *negated,
                    },
                    Type::Bool,
                )
            }
            ast::ExprKind::Aggregate(agg) => return self.aggregate(agg, span, scope),
        };
        Expr { kind, ty, span }
    }

    fn literal(&mut self, lit: &Literal, span: crate::syntax::Span, hint: Option<Type>) -> Expr {
        // Text written where a category is expected names the category.
        if let (Literal::Text(text), Some(Type::Category(scale))) = (lit, hint) {
            if let Some(kind) = self.category(scale, text) {
                return Expr {
                    kind,
                    ty: Type::Category(scale),
                    span,
                };
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
            Literal::None => Type::None,
        };
        Expr {
            kind: ExprKind::Literal(lit.clone()),
            ty,
            span,
        }
    }

    fn category(&self, scale: usize, name: &str) -> Option<ExprKind> {
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
                let ty = self.program.datasets[d].columns[c].ty;
                return Expr {
                    kind: ExprKind::Column(c),
                    ty,
                    span,
                };
            }
        }
        if name == "value" {
            if let Some(value) = scope.indicator_value {
                return match value {
                    Some(ty) => Expr {
                        kind: ExprKind::IndicatorValue,
                        ty,
                        span,
                    },
                    None => {
                        self.error(
                            codes::VALUE_OUTSIDE_INDICATOR,
                            span,
                            "an indicator's value cannot refer to `value`".into(),
                        )
                        .help = Some("name a measure or write an expression of measures".into());
                        Expr::error(span)
                    }
                };
            }
        }
        // Inside a row a measure is never allowed, so a category of the compared scale wins.
        if let (Some(_), Some(Type::Category(scale))) = (scope.row, hint) {
            if let Some(kind) = self.category(scale, name) {
                return Expr {
                    kind,
                    ty: Type::Category(scale),
                    span,
                };
            }
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
            let ty = self.program.measures[m].declared;
            let _ = scope.measure;
            return Expr {
                kind: ExprKind::Measure(m),
                ty,
                span,
            };
        }
        if let Some(Type::Category(scale)) = hint {
            if let Some(kind) = self.category(scale, name) {
                return Expr {
                    kind,
                    ty: Type::Category(scale),
                    span,
                };
            }
        }
        // A category name that only one scale has needs no context.
        let owners: Vec<usize> = (0..self.program.scales.len())
            .filter(|&s| self.category(s, name).is_some())
            .collect();
        if let [scale] = owners.as_slice() {
            if let Some(kind) = self.category(*scale, name) {
                return Expr {
                    kind,
                    ty: Type::Category(*scale),
                    span,
                };
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
        span: crate::syntax::Span,
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
            let r = self.expr(rhs, scope, Some(l.ty));
            (l, r)
        };

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
                } else if !none_test
                    && !types::comparable(cmp, l.ty, r.ty, &self.program.scale_info)
                {
                    self.comparison_error(cmp, &l, &r, span);
                }
                Type::Bool
            }
            _ => match types::arithmetic(op, l.ty, r.ty) {
                Some(ty) => ty,
                None => {
                    let (a, b) = (self.program.type_name(l.ty), self.program.type_name(r.ty));
                    let help = arithmetic_help(op, l.ty, r.ty);
                    let verb = match op {
                        BinaryOp::Add => "add",
                        BinaryOp::Sub => "subtract",
                        BinaryOp::Mul => "multiply",
                        _ => "divide",
                    };
                    let message = match op {
                        BinaryOp::Sub => format!("cannot subtract `{b}` from `{a}`"),
                        BinaryOp::Div => format!("cannot divide `{a}` by `{b}`"),
                        _ => format!("cannot {verb} `{a}` and `{b}`"),
                    };
                    let d = self
                        .operand_labels(codes::OPERATOR, message, &l, &r, span)
                        .with_help(help);
                    self.diagnostics.push(d);
                    Type::Error
                }
            },
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
                return Expr {
                    kind,
                    ty: Type::Bool,
                    span,
                };
            }
        }
        Expr {
            kind: ExprKind::Binary(op, Box::new(l), Box::new(r)),
            ty,
            span,
        }
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
    }

    fn comparison_error(&mut self, cmp: CompareOp, l: &Expr, r: &Expr, span: crate::syntax::Span) {
        let scales = &self.program.scale_info;
        let (a, b) = (l.ty.display(scales), r.ty.display(scales));
        let (message, help) = match (l.ty, r.ty) {
            (Type::Category(x), Type::Category(y)) if x == y => (
                format!("categories of nominal scale `{a}` have no order"),
                "compare with `=` or `!=`, or declare the scale `ordinal`".to_string(),
            ),
            (Type::Text, Type::Text) | (Type::Bool, Type::Bool) => (
                format!(
                    "`{a}` values have no order, so `{}` does not apply",
                    cmp.symbol()
                ),
                "compare with `=` or `!=`".to_string(),
            ),
            (Type::Duration, n) | (n, Type::Duration) if n.is_numeric() => (
                format!("cannot compare `{a}` with `{b}`"),
                "write the number as a duration, such as `72h` or `30d`".to_string(),
            ),
            _ => (
                format!("cannot compare `{a}` with `{b}`"),
                "compare values of the same kind: numbers with numbers, durations with durations"
                    .to_string(),
            ),
        };
        let d = self
            .operand_labels(codes::COMPARISON, message, l, r, span)
            .with_help(help);
        self.diagnostics.push(d);
    }

    /// A diagnostic about two operands: the primary label names the right operand's type,
    /// a secondary one the left's, so neither label covers the other.
    fn operand_labels(
        &self,
        code: &'static str,
        message: String,
        l: &Expr,
        r: &Expr,
        span: crate::syntax::Span,
    ) -> Diagnostic {
        let scales = &self.program.scale_info;
        let (a, b) = (l.ty.display(scales), r.ty.display(scales));
        let source = self.sources.source(span.file);
        Diagnostic::error(code, message)
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
            )
    }

    fn aggregate(
        &mut self,
        agg: &ast::Aggregate,
        span: crate::syntax::Span,
        scope: &mut Scope,
    ) -> Expr {
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
            let mut candidates: Vec<&str> = self
                .program
                .datasets
                .iter()
                .map(|d| d.name.as_str())
                .collect();
            candidates.sort_unstable();
            let help = did_you_mean(&agg.dataset.name, candidates.iter().copied())
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
                agg.dataset.span,
                format!("unknown dataset `{}`", agg.dataset),
            )
            .help = Some(help);
            return Expr::error(span);
        };
        if !scope.datasets.contains(&dataset) {
            scope.datasets.push(dataset);
        }

        let mut row = Scope {
            measure: scope.measure,
            indicator_value: None,
            row: Some(dataset),
            measures: Vec::new(),
            datasets: Vec::new(),
        };
        let value = agg.value.as_ref().map(|v| self.expr(v, &mut row, None));
        let filter = agg.filter.as_ref().map(|f| {
            let checked = self.expr(f, &mut row, None);
            self.expect_bool(&checked, "a `where` filter");
            checked
        });

        let period_column = agg.period_column.as_ref().and_then(|c| {
            let ds = &self.program.datasets[dataset];
            match ds.column(&c.name) {
                Some(i)
                    if matches!(ds.columns[i].ty, Type::DateTime | Type::Date | Type::Error) =>
                {
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
        });

        let rank = match (agg.func, agg.rank) {
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
        };

        let ty = match types::aggregate(
            agg.func,
            value.as_ref().map(|v| v.ty),
            &self.program.scale_info,
        ) {
            Ok(ty) => ty,
            Err(reason) => {
                let at = value.as_ref().map_or(span, |v| v.span);
                let message = match &value {
                    Some(v) => format!(
                        "`{}` of `{}` values: {reason}",
                        agg.func.keyword(),
                        self.program.type_name(v.ty)
                    ),
                    None => format!("`{}` {reason}", agg.func.keyword()),
                };
                let help = match (agg.func, value.as_ref().map(|v| v.ty)) {
                    (AggregateFn::Mean | AggregateFn::Sum, Some(Type::Category(_))) => {
                        "use `median` for a typical category, or count the rows of each category"
                            .to_string()
                    }
                    (_, None) => {
                        format!("write `{}(column for {})`", agg.func.keyword(), agg.dataset)
                    }
                    _ => "aggregate a column of a fitting type".to_string(),
                };
                self.error(codes::AGGREGATE_ARGUMENT, at, message).help = Some(help);
                Type::Error
            }
        };

        let id = self.program.aggregates.len();
        self.program.aggregates.push(Aggregate {
            func: agg.func,
            rank,
            value,
            dataset,
            period_column,
            filter,
            ty,
            span,
        });
        Expr {
            kind: ExprKind::Aggregate(id),
            ty,
            span,
        }
    }
}

fn arithmetic_help(op: BinaryOp, l: Type, r: Type) -> String {
    match (op, l, r) {
        (BinaryOp::Add, Type::DateTime | Type::Date, Type::DateTime | Type::Date) => {
            "date-times cannot be added; subtract them to get a duration".into()
        }
        (_, Type::Duration, n) | (_, n, Type::Duration) if n.is_numeric() => {
            "write the number as a duration, such as `72h` or `30d`".into()
        }
        (_, Type::Category(_), _) | (_, _, Type::Category(_)) => {
            "categories are not numbers: count them, or compare them".into()
        }
        (_, Type::Text, _) | (_, _, Type::Text) => "text has no arithmetic".into(),
        _ => "combine quantities of the same kind".into(),
    }
}
