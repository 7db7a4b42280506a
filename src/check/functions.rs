//! The functions an expression can apply: `score(x)`, which reads an ordinal category on
//! the numeric mapping its scale declares; `default(x, fallback)`, which gives a value where
//! `x` is missing; and the functions of a value's history over periods (`previous`,
//! `change`, `relative_change`, `mean_over`, `trend`, `rising`, `falling`), which the
//! analytical models of decision criteria are written with. A name that is none of these
//! may be a lookup table, called with its key (see the lookup module).

use crate::diagnostic::did_you_mean;
use crate::syntax::ast::{self, AggregateFn, BinaryOp};
use crate::syntax::Span;

use super::expr::Scope;
use super::program::{Absence, Expr, ExprKind, Function, GroupSummary};
use super::types::{self, Entity, ScaleType, Type};
use super::{codes, Checker};

/// The functions, each with how it is written, for messages and did-you-mean.
pub(super) const FUNCTIONS: &[(&str, &str)] = &[
    ("score", "score(x)"),
    ("default", "default(x, fallback)"),
    ("previous", "previous(x)"),
    ("change", "change(x)"),
    ("relative_change", "relative_change(x)"),
    ("mean_over", "mean_over(x, periods)"),
    ("trend", "trend(x, periods)"),
    ("rising", "rising(x, periods)"),
    ("falling", "falling(x, periods)"),
    ("status", "status(indicator)"),
    ("normalise", "normalise(x, worst, best)"),
    ("clamp", "clamp(x, low, high)"),
    ("mean_by", "mean_by(x, key)"),
    ("min_by", "min_by(x, key)"),
    ("max_by", "max_by(x, key)"),
];

/// The most periods a function of history may look back over.
const MOST_PERIODS: i64 = 120;

impl Checker<'_> {
    pub(super) fn call(
        &mut self,
        function: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> Expr {
        let name = function.name.as_str();
        let Some(&(_, shape)) = FUNCTIONS.iter().find(|(f, _)| *f == name) else {
            if let Some(id) = self.program.lookup(name) {
                return self.lookup_call(id, args, span, scope);
            }
            let lookups = self.program.lookups.iter().map(|l| l.name.as_str());
            let help = did_you_mean(name, FUNCTIONS.iter().map(|(f, _)| *f).chain(lookups))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    let all: Vec<String> =
                        FUNCTIONS.iter().map(|(_, s)| format!("`{s}`")).collect();
                    format!(
                        "the functions are {}; aggregates read a dataset, as in \
                         `mean(x for dataset)`",
                        all.join(", ")
                    )
                });
            self.error(
                codes::UNKNOWN_FUNCTION,
                function.span,
                format!("unknown function `{name}`"),
            )
            .help = Some(help);
            return Expr::error(span);
        };
        let arity = shape.matches(',').count() + 1;
        if args.len() != arity {
            self.error(
                codes::FUNCTION_ARGUMENTS,
                span,
                format!(
                    "`{name}` takes {arity} argument{}, not {}",
                    if arity == 1 { "" } else { "s" },
                    args.len()
                ),
            )
            .help = Some(format!("write `{shape}`"));
            return Expr::error(span);
        }
        match name {
            "score" | "default" => {}
            "status" => return self.status(&args[0], span, scope),
            "normalise" | "clamp" => return self.bounded(name, args, span, scope),
            "mean_by" | "min_by" | "max_by" => return self.over_groups(name, args, span, scope),
            _ => return self.history(name, shape, args, span, scope),
        }

        let x = self.expr(&args[0], scope, None);
        if name == "score" {
            return self.score(x, span, scope);
        }
        let fallback = self.expr(&args[1], scope, Some(x.ty));
        let fits = types::fits_declared(x.ty, fallback.ty) && fallback.ty != Type::None;
        if !fits {
            let (a, b) = (
                self.program.type_name(x.ty),
                self.program.type_name(fallback.ty),
            );
            let mut d = self.sources.error(
                codes::FUNCTION_ARGUMENTS,
                fallback.span,
                format!("the fallback is `{b}` but the value is `{a}`"),
            );
            d.labels[0].text = format!("this is `{b}`");
            let help = match x.ty.zero_literal() {
                Some(zero) => {
                    format!("give a fallback of the value's type `{a}`, such as `{zero}`")
                }
                None => format!("give a fallback of the value's type `{a}`"),
            };
            self.diagnostics.push(d.with_help(help));
        }
        let (ty, absence) = (x.ty, fallback.absence);
        Expr::new(
            ExprKind::Call(Function::Default, vec![x, fallback]),
            ty,
            absence,
            span,
        )
    }

    /// `status(indicator)`: another indicator's status, inside an indicator. Even when the
    /// call is wrong its type is a status, so that `status(x) = red` reports one mistake.
    fn status(&mut self, arg: &ast::Expr, span: Span, scope: &Scope) -> Expr {
        let failed = |scale: Option<usize>| match scale {
            Some(s) => Expr::new(ExprKind::Error, Type::Category(s), Absence::NEVER, span),
            None => Expr::error(span),
        };
        let status_scale = self.program.status_scale;
        let ast::ExprKind::Name(ident) = &arg.kind else {
            self.error(
                codes::FUNCTION_ARGUMENTS,
                arg.span,
                "`status` takes the name of an indicator".into(),
            )
            .help = Some("write `status(indicator_name) = red`".into());
            return failed(status_scale);
        };
        let (Some(from), true) = (self.current_indicator, scope.in_indicator()) else {
            self.error(
                codes::FUNCTION_ARGUMENTS,
                span,
                "`status` can only be used in an indicator".into(),
            )
            .help = Some(
                "judge a composite in an indicator's gates or criteria, as in \
                 `gate red when status(patching) = red`"
                    .into(),
            );
            return failed(status_scale);
        };
        let Some(&indicator) = self.indicator_ids.get(&ident.name) else {
            let help = did_you_mean(&ident.name, self.indicator_ids.keys().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "name an indicator declared in the programme".into());
            self.error(
                codes::UNKNOWN_NAME,
                ident.span,
                format!("unknown indicator `{}`", ident.name),
            )
            .help = Some(help);
            return failed(status_scale);
        };
        self.status_uses.push((from, indicator, ident.span));
        let Some(scale) = self.program.status_scale else {
            return failed(status_scale);
        };
        let statuses: Vec<String> = self.program.scales[scale].categories.clone();
        let function = Function::Status {
            indicator,
            statuses: statuses.into(),
        };
        Expr::new(
            ExprKind::Call(function, Vec::new()),
            Type::Category(scale),
            Absence::INPUT,
            span,
        )
    }

    /// `normalise(x, worst, best)` and `clamp(x, low, high)`: `x` against two bounds of
    /// its own kind.
    fn bounded(&mut self, name: &str, args: &[ast::Expr], span: Span, scope: &mut Scope) -> Expr {
        let x = self.expr(&args[0], scope, None);
        let low = self.expr(&args[1], scope, Some(x.ty));
        let high = self.expr(&args[2], scope, Some(x.ty));
        if x.ty == Type::Error {
            return Expr::error(span);
        }
        for bound in [&low, &high] {
            let fits = types::comparable(ast::CompareOp::Lt, x.ty, bound.ty, &self.program.names)
                .is_ok()
                && bound.ty != Type::None;
            if !fits {
                let (a, b) = (
                    self.program.type_name(x.ty),
                    self.program.type_name(bound.ty),
                );
                let mut d = self.sources.error(
                    codes::FUNCTION_ARGUMENTS,
                    bound.span,
                    format!("a bound of `{name}` is `{b}` but the value is `{a}`"),
                );
                d.labels[0].text = format!("this is `{b}`");
                self.diagnostics.push(d.with_help(format!(
                    "give bounds of the value's own kind, ordered like it: `{a}`"
                )));
                return Expr::error(span);
            }
        }
        let (function, ty) = match name {
            // How far along from worst to best: a share of the way.
            "normalise" => (Function::Normalise, Type::Percent),
            _ => (Function::Clamp, x.ty),
        };
        let mut absence = x.absence.union(low.absence).union(high.absence);
        if name == "normalise" {
            absence = absence.union(Absence::DIVISION);
        }
        Expr::new(
            ExprKind::Call(function, vec![x, low, high]),
            ty,
            absence,
            span,
        )
    }

    /// `mean_by(x, key)` and its kin: `x` per group of `key`, summed up over the groups.
    fn over_groups(
        &mut self,
        name: &str,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> Expr {
        if !scope.is_plain() {
            self.error(
                codes::FUNCTION_ARGUMENTS,
                span,
                format!("`{name}` cannot be used inside an aggregate's row expression"),
            )
            .help = Some(format!(
                "write `{name}(measure, column)` outside the aggregate"
            ));
            return Expr::error(span);
        }
        let x = self.expr(&args[0], scope, None);
        let key = match &args[1].kind {
            ast::ExprKind::Name(column) => Some(ast::GroupKey {
                bucket: None,
                hierarchy: None,
                column: column.clone(),
                span: args[1].span,
            }),
            ast::ExprKind::Call {
                function,
                args: inner,
            } => {
                let bucket = match function.name.as_str() {
                    "day" => Some(ast::Bucket::Day),
                    "week" => Some(ast::Bucket::Week),
                    "month" => Some(ast::Bucket::Month),
                    "quarter" => Some(ast::Bucket::Quarter),
                    "year" => Some(ast::Bucket::Year),
                    _ => None,
                };
                match (bucket, inner.as_slice()) {
                    (
                        Some(b),
                        [ast::Expr {
                            kind: ast::ExprKind::Name(column),
                            ..
                        }],
                    ) => Some(ast::GroupKey {
                        bucket: Some(b),
                        hierarchy: None,
                        column: column.clone(),
                        span: args[1].span,
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(key) = key else {
            self.error(
                codes::FUNCTION_ARGUMENTS,
                args[1].span,
                format!("the key of `{name}` must be a column or a time bucket of one"),
            )
            .help = Some(format!(
                "write `{name}(compliance, asset_id)` or `{name}(opened, month(opened_at))`"
            ));
            return Expr::error(span);
        };
        if x.ty == Type::Error {
            return Expr::error(span);
        }

        let of = match name {
            "mean_by" => GroupSummary::Mean,
            "min_by" => GroupSummary::Min,
            _ => GroupSummary::Max,
        };
        let names = &self.program.names;
        let ty = match of {
            GroupSummary::Mean => {
                types::aggregate(AggregateFn::Mean, Some(x.ty), Entity::Any, names).ok()
            }
            _ => x.ty.is_ordered(names).then_some(x.ty),
        };
        let Some(ty) = ty else {
            let t = x.ty.display(names);
            let mut d = self.sources.error(
                codes::SCALE_TYPE,
                x.span,
                format!("`{name}` cannot sum up `{t}` values over groups"),
            );
            d.labels[0].text = format!("this is `{t}`");
            self.diagnostics.push(d.with_help(
                "a mean needs an interval or ratio scale, a least or greatest value an order",
            ));
            return Expr::error(span);
        };
        let reads = self.reads_of(&x);
        let key = ast::GroupBy {
            span: key.span,
            keys: vec![key],
        };
        let Some(grouping) = self.grouping(&key, &reads) else {
            return Expr::error(span);
        };
        let function = Function::OverGroups {
            of,
            grouping: Box::new(grouping),
            reads,
        };
        let absence = x.absence.union(Absence::NO_VALUES);
        Expr::new(ExprKind::Call(function, vec![x]), ty, absence, span)
    }

    /// The datasets an expression reads, directly or through the measures it uses.
    fn reads_of(&self, e: &Expr) -> Vec<crate::check::DatasetId> {
        let mut reads = Vec::new();
        let mut stack = vec![e];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Aggregate(a) => reads.push(self.program.aggregates[*a].dataset),
                ExprKind::Measure(m) => reads.extend(&self.program.measures[*m].reads),
                _ => stack.extend(e.children()),
            }
        }
        reads.sort_unstable();
        reads.dedup();
        reads
    }

    /// A function of a value's history: its values in earlier periods.
    fn history(
        &mut self,
        name: &str,
        shape: &str,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> Expr {
        if scope.row.is_some() {
            self.error(
                codes::FUNCTION_ARGUMENTS,
                span,
                format!("`{name}` cannot be used inside an aggregate's row expression"),
            )
            .help = Some(format!(
                "`{name}` looks at earlier periods of a measure: declare the aggregate as a \
                 measure and write `{shape}` outside it"
            ));
            return Expr::error(span);
        }
        let x = self.expr(&args[0], scope, None);
        let periods = match args.get(1) {
            Some(n) => match self.periods(n, name, shape) {
                Some(n) => n,
                None => return Expr::error(span),
            },
            None => 1,
        };
        if x.ty == Type::Error {
            return Expr::error(span);
        }

        let names = &self.program.names;
        let scale = x.ty.scale_type(names);
        let needs = match name {
            "previous" => ScaleType::Nominal,
            "rising" | "falling" => ScaleType::Ordinal,
            "relative_change" => ScaleType::Ratio,
            _ => ScaleType::Interval,
        };
        let ty = match name {
            "previous" => Some(x.ty),
            "rising" | "falling" => Some(Type::Bool),
            "change" => types::arithmetic(BinaryOp::Sub, x.ty, x.ty, names).ok(),
            "relative_change" => {
                (x.ty.is_numeric() || x.ty == Type::Duration).then_some(Type::Percent)
            }
            "mean_over" => types::aggregate(AggregateFn::Mean, Some(x.ty), Entity::Any, names).ok(),
            _ => match x.ty {
                Type::Int | Type::Count(_) => Some(Type::Number),
                Type::Date | Type::DateTime => Some(Type::Duration),
                t => types::arithmetic(BinaryOp::Sub, t, t, names).ok(),
            },
        };
        let ty = match (ty, scale) {
            (Some(ty), Some(scale)) if scale >= needs => ty,
            _ => {
                let t = x.ty.display(names);
                let scale = scale.map_or("", ScaleType::keyword);
                let mut d = self.sources.error(
                    codes::SCALE_TYPE,
                    x.span,
                    format!(
                        "`{name}` needs values with {}, but `{t}` is {scale}",
                        needs.allows()
                    ),
                );
                d.labels[0].text = format!("this is `{t}`");
                let help = match needs {
                    ScaleType::Ordinal => "compare it with its value in the period before: `x != previous(x)`",
                    _ => "compare it with `previous(x)`, or follow a measure of a ratio or interval scale",
                };
                self.diagnostics.push(d.with_help(help));
                return Expr::error(span);
            }
        };

        let function = match name {
            "previous" => Function::Previous,
            "change" => Function::Change,
            "relative_change" => Function::RelativeChange,
            "mean_over" => Function::MeanOver(periods),
            "trend" => Function::Trend(periods),
            "rising" => Function::Rising(periods),
            _ => Function::Falling(periods),
        };
        let mut absence = x.absence.union(Absence::NO_PERIOD);
        if name == "relative_change" {
            absence = absence.union(Absence::DIVISION);
        }
        Expr::new(ExprKind::Call(function, vec![x]), ty, absence, span)
    }

    /// The number of periods a function of history spans: a whole number literal.
    fn periods(&mut self, n: &ast::Expr, name: &str, shape: &str) -> Option<u32> {
        let least = if name == "trend" { 2 } else { 1 };
        match n.kind {
            ast::ExprKind::Literal(ast::Literal::Int(k)) if (least..=MOST_PERIODS).contains(&k) => {
                Some(k as u32)
            }
            _ => {
                self.error(
                    codes::FUNCTION_ARGUMENTS,
                    n.span,
                    format!(
                        "the number of periods of `{name}` must be a whole number from {least} \
                         to {MOST_PERIODS}"
                    ),
                )
                .help = Some(format!(
                    "write it as a number, as in `{}`",
                    shape.replace("periods", "3")
                ));
                None
            }
        }
    }

    /// `score(x)`: the score of an ordinal category on its scale's numeric mapping.
    fn score(&mut self, x: Expr, span: Span, scope: &Scope) -> Expr {
        let scale = match x.ty {
            Type::Error => return Expr::error(span),
            Type::Category(s) if self.program.scales[s].scores.is_some() => s,
            Type::Category(s) => {
                let scale = &self.program.scales[s];
                let mut d = self.sources.error(
                    codes::SCALE_MAPPING,
                    x.span,
                    format!("scale `{}` declares no scores", scale.name),
                );
                d.labels[0].text = format!("this is `{}`", scale.name);
                let example = scale.scores_example();
                let help =
                    format!("give each category a score in the scale, as in `[{example}, ...]`");
                if let Some((at, text)) = self.origin(&x, scope) {
                    if at.file == x.span.file {
                        d = d.with_secondary(at.start as usize, at.end as usize, text);
                    }
                }
                self.diagnostics.push(d.with_help(help));
                return Expr::error(span);
            }
            other => {
                let t = self.program.type_name(other);
                self.error(
                    codes::FUNCTION_ARGUMENTS,
                    x.span,
                    format!("`score` takes a category of an ordinal scale, not `{t}`"),
                )
                .help = Some("`score` maps a category to the score its scale declares".into());
                return Expr::error(span);
            }
        };
        let absence = x.absence;
        let scores = self.program.scales[scale]
            .scores
            .clone()
            .unwrap_or_default();
        let function = Function::Score {
            scale,
            scores: scores.into(),
        };
        Expr::new(
            ExprKind::Call(function, vec![x]),
            Type::Score(scale),
            absence,
            span,
        )
    }
}
