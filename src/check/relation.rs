//! Checking relations between datasets: `exists(B on b_key = a_key where CONDITION)` and
//! `related(B on b_key = a_key).column`.
//!
//! A relation is read inside a row expression of some dataset A: an aggregate's filter or
//! value, or the condition of another relation. Its names are resolved on two sides: the
//! first key, the condition and the column read are B's; the second key is A's. The checker
//! proves that both keys have the same type, since keys of different types are never equal
//! and the relation would silently find nothing.
//!
//! Each relation is recorded in [`super::Program::relations`] after the relations in its own
//! condition, so that evaluation can build them in that order, inner ones first.

use crate::diagnostic::did_you_mean;
use crate::syntax::ast;
use crate::syntax::Span;

use super::expr::Scope;
use super::program::{Absence, DatasetId, Expr, ExprKind, Relation};
use super::types::Type;
use super::{codes, Checker};

impl Checker<'_> {
    pub(super) fn relation(&mut self, rel: &ast::Relation, span: Span, scope: &mut Scope) -> Expr {
        let word = if rel.column.is_some() {
            "related"
        } else {
            "exists"
        };
        let Some(this) = scope.row else {
            // The relation as written, on one line, to show where it belongs.
            let written: Vec<&str> = self.sources.text(span).split_whitespace().collect();
            let help = format!(
                "use it inside an aggregate of the rows it relates, as in `count({} where {})`",
                self.dataset_example(rel),
                written.join(" ")
            );
            self.error(
                codes::RELATION_OUTSIDE_ROW,
                span,
                format!(
                    "`{word}` reads the rows related to a row, but this is outside any aggregate"
                ),
            )
            .help = Some(help);
            return Expr::error(span);
        };
        let Some(other) = self
            .program
            .datasets
            .iter()
            .position(|d| d.name == rel.dataset.name)
        else {
            self.unknown_dataset(&rel.dataset);
            return Expr::error(span);
        };

        let (its_key, this_key) = self.keys(rel, other, this);
        let mut ok = its_key.is_some() && this_key.is_some();
        if let (Some(its), Some(mine)) = (its_key, this_key) {
            let (a, b) = (
                self.program.datasets[other].columns[its].ty,
                self.program.datasets[this].columns[mine].ty,
            );
            if a != b && a != Type::Error && b != Type::Error {
                self.key_type_mismatch(rel, (other, its), (this, mine));
                ok = false;
            }
        }

        let mut rows = Scope::rows(other);
        let filter = rel.filter.as_ref().map(|f| {
            let checked = self.expr(f, &mut rows, None);
            self.expect_bool(&checked, "a `where` filter");
            checked
        });
        let column = match &rel.column {
            Some(c) => {
                let found = self.program.datasets[other].column(&c.name);
                if found.is_none() {
                    self.unknown_column(other, c, None);
                    ok = false;
                }
                found
            }
            None => None,
        };
        let (Some(its_key), Some(this_key), true) = (its_key, this_key, ok) else {
            return Expr::error(span);
        };

        let (ty, absence) = match column {
            Some(c) => {
                let column = &self.program.datasets[other].columns[c];
                let input = if column.optional {
                    Absence::INPUT
                } else {
                    Absence::NEVER
                };
                (column.ty, input.union(Absence::NO_RELATED_ROW))
            }
            None => (Type::Bool, Absence::NEVER),
        };
        let key = {
            let column = &self.program.datasets[this].columns[this_key];
            let absence = if column.optional {
                Absence::INPUT
            } else {
                Absence::NEVER
            };
            Expr::new(
                ExprKind::Column(this_key),
                column.ty,
                absence,
                rel.this_key.span,
            )
        };
        let id = self.program.relations.len();
        self.program.relations.push(Relation {
            dataset: other,
            key: its_key,
            filter,
            column,
            span,
        });
        let kind = ExprKind::Relation {
            relation: id,
            key: Box::new(key),
        };
        Expr::new(kind, ty, absence, span)
    }

    /// The key columns of both sides, `other`'s first, reporting those that are not there.
    /// Keys written the wrong way round are reported once, with the order to write them in.
    fn keys(
        &mut self,
        rel: &ast::Relation,
        other: DatasetId,
        this: DatasetId,
    ) -> (Option<usize>, Option<usize>) {
        let datasets = &self.program.datasets;
        let its_key = datasets[other].column(&rel.its_key.name);
        let this_key = datasets[this].column(&rel.this_key.name);
        let swapped = its_key.is_none()
            && this_key.is_none()
            && datasets[this].column(&rel.its_key.name).is_some()
            && datasets[other].column(&rel.this_key.name).is_some();
        if swapped {
            let help = format!(
                "the related dataset's key comes first: write `{} on {} = {}`",
                rel.dataset, rel.this_key, rel.its_key
            );
            let label = format!(
                "`{}` is a column of `{}`, the rows being read",
                rel.its_key, datasets[this].name
            );
            self.unknown_column(other, &rel.its_key, Some(help));
            if let Some(d) = self.diagnostics.last_mut() {
                d.labels[0].text = label;
            }
            return (None, None);
        }
        if its_key.is_none() {
            self.unknown_column(other, &rel.its_key, None);
        }
        if this_key.is_none() {
            self.unknown_column(this, &rel.this_key, None);
        }
        (its_key, this_key)
    }

    /// Reports a column that `dataset` does not have; without a `help` of its own, the help
    /// names the closest column it has.
    fn unknown_column(&mut self, dataset: DatasetId, column: &ast::Ident, help: Option<String>) {
        let ds = &self.program.datasets[dataset];
        let help = help
            .or_else(|| {
                did_you_mean(&column.name, ds.columns.iter().map(|c| c.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"))
            })
            .unwrap_or_else(|| {
                let all: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
                format!("the columns of `{}` are {}", ds.name, all.join(", "))
            });
        let message = format!("dataset `{}` has no column `{}`", ds.name, column.name);
        self.error(codes::UNKNOWN_COLUMN, column.span, message).help = Some(help);
    }

    /// Reports keys of different types: the message names both, and labels point at both
    /// columns' declarations where they are in the same file as the relation.
    fn key_type_mismatch(
        &mut self,
        rel: &ast::Relation,
        (other, its): (DatasetId, usize),
        (this, mine): (DatasetId, usize),
    ) {
        let names = &self.program.names;
        let (b, a) = (&self.program.datasets[other], &self.program.datasets[this]);
        let (bc, ac) = (&b.columns[its], &a.columns[mine]);
        let (bt, at) = (bc.ty.display(names), ac.ty.display(names));
        let at_keys = rel.its_key.span.to(rel.this_key.span);
        let message = format!(
            "key `{}` of `{}` is `{bt}` but key `{}` of `{}` is `{at}`",
            bc.name, b.name, ac.name, a.name
        );
        let mut d = self.sources.error(codes::KEY_TYPE, at_keys, message);
        d.labels[0].text = "keys of different types never match".into();
        for (column, ty) in [(bc, &bt), (ac, &at)] {
            if column.span.file == at_keys.file {
                d = d.with_secondary(
                    column.span.start as usize,
                    column.span.end as usize,
                    format!("`{}` is declared `{ty}` here", column.name),
                );
            }
        }
        let help = format!(
            "declare both keys with one type: `{}` in `{}` as `{at}`, or `{}` in `{}` as `{bt}`",
            bc.name, b.name, ac.name, a.name
        );
        self.diagnostics.push(d.with_help(help));
    }

    /// The dataset whose rows a misplaced relation most likely meant to relate: one with
    /// the relation's second key, or else any other than the related one.
    fn dataset_example(&self, rel: &ast::Relation) -> String {
        let datasets = &self.program.datasets;
        datasets
            .iter()
            .find(|d| d.column(&rel.this_key.name).is_some() && d.name != rel.dataset.name)
            .or_else(|| datasets.iter().find(|d| d.name != rel.dataset.name))
            .map_or_else(|| "DATASET".to_string(), |d| d.name.clone())
    }
}
