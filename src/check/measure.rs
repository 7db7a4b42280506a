//! Checking measures: in dependency order, so that a measure that uses another sees that
//! one's inferred type, unit and absence; then their classification as base or derived
//! measures (ISO/IEC 15939) and what their declarations state.

use std::collections::HashSet;

use crate::syntax::ast::{self, MeasureRole};
use crate::syntax::Span;

use super::expr::Scope;
use super::program::{MeasureId, MeasureKind};
use super::types::{self, Quantity, ScaleType, Type};
use super::{codes, Checker};

impl Checker<'_> {
    /// Checks every measure, each after those it uses; measures in a cycle are reported and
    /// checked with the declared types of the others.
    pub(super) fn measures(&mut self, decls: &[&ast::MeasureDecl]) {
        let deps: Vec<Vec<MeasureId>> = decls
            .iter()
            .map(|d| {
                let mut found = Vec::new();
                self.measures_named(&d.expr, &mut found);
                found
            })
            .collect();
        let order = self.order(&deps);
        for &id in &order {
            self.measure(id, decls[id]);
        }

        for &m in &order {
            let mut reads = self.program.measures[m].reads.clone();
            for &dep in &self.program.measures[m].depends_on {
                reads.extend(self.program.measures[dep].reads.iter().copied());
            }
            reads.sort_unstable();
            reads.dedup();
            self.program.measures[m].reads = reads;
        }
        self.program.order = order;
    }

    /// The measures an expression names outside aggregates, where names can be measures.
    fn measures_named(&self, e: &ast::Expr, found: &mut Vec<MeasureId>) {
        match &e.kind {
            ast::ExprKind::Name(ident) => {
                if let Some(m) = self.program.measure(&ident.name) {
                    if !found.contains(&m) {
                        found.push(m);
                    }
                }
            }
            ast::ExprKind::Literal(_)
            | ast::ExprKind::Aggregate(_)
            | ast::ExprKind::Relation(_) => {}
            ast::ExprKind::Unary(_, x)
            | ast::ExprKind::IsNone { value: x, .. }
            | ast::ExprKind::Within { value: x, .. } => self.measures_named(x, found),
            ast::ExprKind::Binary(_, a, b) => {
                self.measures_named(a, found);
                self.measures_named(b, found);
            }
            ast::ExprKind::InList { value, list, .. } => {
                self.measures_named(value, found);
                for item in list {
                    self.measures_named(item, found);
                }
            }
            ast::ExprKind::Call { args, .. } => {
                for arg in args {
                    self.measures_named(arg, found);
                }
            }
        }
    }

    fn measure(&mut self, id: MeasureId, decl: &ast::MeasureDecl) {
        let mut scope = Scope::measure();
        let declared = self.program.measures[id].declared;
        let hint = (declared != Type::Error).then_some(declared);
        let checked = self.expr(&decl.expr, &mut scope, hint);

        if !types::fits_declared(declared, checked.ty) {
            self.declared_type_mismatch(id, decl, checked.ty);
        }
        let ty = types::refine(declared, checked.ty);
        let kind = match (scope.measures.is_empty(), scope.datasets.is_empty()) {
            (false, _) => MeasureKind::Derived,
            (true, false) => MeasureKind::Base,
            (true, true) => MeasureKind::Constant,
        };

        let measure = &mut self.program.measures[id];
        measure.ty = ty;
        measure.kind = kind;
        measure.expr = checked;
        measure.depends_on = scope.measures;
        measure.reads = scope.datasets;

        if let Some((role, span)) = decl.role {
            self.stated_role(id, role, span);
        }
        if let Some((stated, span)) = decl.ty.scale_type {
            self.stated_scale_type(id, stated, span);
        }
    }

    fn declared_type_mismatch(&mut self, id: MeasureId, decl: &ast::MeasureDecl, actual: Type) {
        let measure = &self.program.measures[id];
        let names = &self.program.names;
        let (declared, inferred) = (measure.declared.display(names), actual.display(names));
        let help = match (measure.declared, actual) {
            (Type::Percent, Type::Per(q, e)) => format!(
                "a percentage divides a count by a count of the same thing, but this divides \
                 `{}` by a count of `{}`",
                q.ty().display(names),
                names.entity(e)
            ),
            (Type::Duration, Type::Per(Quantity::Duration, e)) => format!(
                "a total duration divided by a count is a duration per {}: declare it \
                 `{inferred}`, or take `mean(... for ...)` of the durations",
                names.entity(e)
            ),
            _ => format!("declare the measure as `{inferred}`, or change the expression"),
        };
        let mut d = self.sources.error(
            codes::TYPE_MISMATCH,
            decl.expr.span,
            format!(
                "measure `{}` is declared `{declared}` but its expression is `{inferred}`",
                decl.name
            ),
        );
        d.labels[0].text = format!("this is `{inferred}`");
        let d = d
            .with_secondary(
                measure.type_span.start as usize,
                measure.type_span.end as usize,
                format!("declared `{declared}` here"),
            )
            .with_help(help);
        self.diagnostics.push(d);
    }

    /// Reports a `base` or `derived` that the measure's expression contradicts.
    fn stated_role(&mut self, id: MeasureId, role: MeasureRole, span: crate::syntax::Span) {
        let measure = &self.program.measures[id];
        let (stated, fix) = match role {
            MeasureRole::Base => ("base", "derived"),
            MeasureRole::Derived => ("derived", "base"),
        };
        let why = match (role, measure.kind) {
            (MeasureRole::Base, MeasureKind::Base)
            | (MeasureRole::Derived, MeasureKind::Derived) => return,
            (MeasureRole::Base, MeasureKind::Derived) => {
                let uses: Vec<String> = measure
                    .depends_on
                    .iter()
                    .map(|m| format!("`{}`", self.program.measures[*m].name))
                    .collect();
                format!("it combines other measures ({})", uses.join(", "))
            }
            (MeasureRole::Derived, MeasureKind::Base) => {
                let read: Vec<String> = measure
                    .reads
                    .iter()
                    .map(|d| format!("`{}`", self.program.datasets[*d].name))
                    .collect();
                format!(
                    "it aggregates {} directly and uses no other measure",
                    read.join(", ")
                )
            }
            (_, MeasureKind::Constant) => "it reads no data and uses no other measure".to_string(),
        };
        let help = match measure.kind {
            MeasureKind::Constant => format!("remove `{stated}`: a fixed value is neither"),
            _ => format!("state `{fix}`, or leave the classification to the checker"),
        };
        let message = format!("measure `{}` is stated `{stated}`, but {why}", measure.name);
        let mut d = self.sources.error(codes::MEASURE_KIND, span, message);
        d.labels[0].text = format!("stated `{stated}` here");
        let expr_span = measure.expr.span;
        self.diagnostics.push(
            d.with_secondary(
                expr_span.start as usize,
                expr_span.end as usize,
                format!("this is a {} measure", measure.kind.keyword()),
            )
            .with_help(help),
        );
    }

    /// Reports a stated scale type that the measure's values do not have.
    fn stated_scale_type(&mut self, id: MeasureId, stated: ast::ScaleTypeName, span: Span) {
        let stated = scale_type_of(stated);
        self.program.measures[id].declared_scale = Some(stated);
        let measure = &self.program.measures[id];
        let Some(actual) = measure.ty.scale_type(&self.program.names) else {
            return;
        };
        if actual == stated {
            return;
        }
        let ty = measure.ty.display(&self.program.names);
        let message = format!(
            "measure `{}` is stated {}, but its values are `{ty}`, on {} scale",
            measure.name,
            stated.keyword(),
            article(actual)
        );
        let mut d = self.sources.error(codes::DECLARED_SCALE, span, message);
        d.labels[0].text = format!("stated {} here", stated.keyword());
        let expr_span = measure.expr.span;
        let help = format!(
            "`{ty}` is {}; state `{}`, or declare a type on {} scale",
            actual.keyword(),
            actual.keyword(),
            article(stated)
        );
        self.diagnostics.push(
            d.with_secondary(
                expr_span.start as usize,
                expr_span.end as usize,
                format!("this is `{ty}`, {}", actual.keyword()),
            )
            .with_help(help),
        );
    }

    /// Orders measures so that each comes after those it uses, reporting cycles. Every
    /// measure is in the order, those in a cycle in the order the search met them.
    fn order(&mut self, deps: &[Vec<MeasureId>]) -> Vec<MeasureId> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let n = deps.len();
        let mut marks = vec![Mark::New; n];
        let mut order = Vec::with_capacity(n);
        let mut reported: HashSet<Vec<MeasureId>> = HashSet::new();

        for root in 0..n {
            if marks[root] != Mark::New {
                continue;
            }
            // Iterative depth-first search, so long chains cannot overflow the stack.
            let mut stack: Vec<(MeasureId, usize)> = vec![(root, 0)];
            marks[root] = Mark::Active;
            while let Some(&mut (m, ref mut next)) = stack.last_mut() {
                let Some(&dep) = deps[m].get(*next) else {
                    marks[m] = Mark::Done;
                    order.push(m);
                    stack.pop();
                    continue;
                };
                *next += 1;
                match marks[dep] {
                    Mark::New => {
                        marks[dep] = Mark::Active;
                        stack.push((dep, 0));
                    }
                    Mark::Active => {
                        let start = stack.iter().position(|(s, _)| *s == dep).unwrap_or(0);
                        let chain: Vec<MeasureId> =
                            stack[start..].iter().map(|(s, _)| *s).collect();
                        let mut key = chain.clone();
                        key.sort_unstable();
                        if reported.insert(key) {
                            self.report_cycle(&chain);
                        }
                    }
                    Mark::Done => {}
                }
            }
        }
        order
    }

    fn report_cycle(&mut self, chain: &[MeasureId]) {
        let names: Vec<&str> = chain
            .iter()
            .map(|m| self.program.measures[*m].name.as_str())
            .collect();
        let path = names
            .iter()
            .chain(std::iter::once(&names[0]))
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" → ");
        let first = &self.program.measures[chain[0]];
        let mut d = self.sources.error(
            codes::CYCLE,
            first.name_span,
            format!("measure `{}` depends on itself: {path}", first.name),
        );
        d.labels[0].text = "this measure is part of a cycle".into();
        for m in &chain[1..] {
            let span = self.program.measures[*m].name_span;
            if span.file == first.name_span.file {
                d = d.with_secondary(span.start as usize, span.end as usize, "and so is this one");
            }
        }
        self.diagnostics
            .push(d.with_help("a measure cannot use its own value; break the cycle"));
    }
}

pub(super) fn scale_type_of(stated: ast::ScaleTypeName) -> ScaleType {
    match stated {
        ast::ScaleTypeName::Nominal => ScaleType::Nominal,
        ast::ScaleTypeName::Ordinal => ScaleType::Ordinal,
        ast::ScaleTypeName::Interval => ScaleType::Interval,
        ast::ScaleTypeName::Ratio => ScaleType::Ratio,
    }
}

/// "a ratio", "an ordinal", for a message.
pub(super) fn article(scale: ScaleType) -> String {
    match scale {
        ScaleType::Ordinal | ScaleType::Interval => format!("an {}", scale.keyword()),
        _ => format!("a {}", scale.keyword()),
    }
}
