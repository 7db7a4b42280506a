//! The functions an expression can apply: `score(x)`, which reads an ordinal category on
//! the numeric mapping its scale declares, and `default(x, fallback)`, which gives a value
//! where `x` is missing.

use crate::diagnostic::did_you_mean;
use crate::syntax::ast;
use crate::syntax::Span;

use super::expr::Scope;
use super::program::{Expr, ExprKind, Function};
use super::types::{self, Type};
use super::{codes, Checker};

/// The functions, for did-you-mean.
const FUNCTIONS: &[&str] = &["score", "default"];

impl Checker<'_> {
    pub(super) fn call(
        &mut self,
        function: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> Expr {
        let arity = match function.name.as_str() {
            "score" => 1,
            "default" => 2,
            name => {
                let help = did_you_mean(name, FUNCTIONS.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        "the functions are `score(x)` and `default(x, fallback)`; aggregates \
                         read a dataset, as in `mean(x for dataset)`"
                            .into()
                    });
                self.error(
                    codes::UNKNOWN_FUNCTION,
                    function.span,
                    format!("unknown function `{name}`"),
                )
                .help = Some(help);
                return Expr::error(span);
            }
        };
        if args.len() != arity {
            let shape = if arity == 1 {
                "score(x)"
            } else {
                "default(x, fallback)"
            };
            self.error(
                codes::FUNCTION_ARGUMENTS,
                span,
                format!(
                    "`{}` takes {arity} argument{}, not {}",
                    function.name,
                    if arity == 1 { "" } else { "s" },
                    args.len()
                ),
            )
            .help = Some(format!("write `{shape}`"));
            return Expr::error(span);
        }

        let x = self.expr(&args[0], scope, None);
        if arity == 1 {
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
