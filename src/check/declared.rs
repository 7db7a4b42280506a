//! Declarations that give names to types: scales (with their categories and scores),
//! the entity each dataset's rows are, and the types that columns and measures declare
//! (`Count<incident>`, `Money<EUR> per asset`, `ordinal Severity`).

use std::collections::HashMap;

use crate::diagnostic::did_you_mean;
use crate::syntax::ast::{self, ScaleKind};
use crate::syntax::Span;

use super::program::Scale;
use super::types::{self, Type};
use super::{codes, Checker};

impl Checker<'_> {
    pub(super) fn scale(&mut self, decl: &ast::ScaleDecl) {
        if let Some(first) = self
            .program
            .scales
            .iter()
            .find(|s| s.name == decl.name.name)
        {
            let first = first.span;
            let d = self.sources.error(
                codes::DUPLICATE,
                decl.name.span,
                format!("scale `{}` is declared twice", decl.name),
            );
            let d = self.first_declared(d, decl.name.span, first, "rename one of the scales");
            self.diagnostics.push(d);
            return;
        }
        if Type::builtin(&decl.name.name).is_some() {
            self.error(
                codes::DUPLICATE,
                decl.name.span,
                format!("scale `{}` has the name of a built-in type", decl.name),
            )
            .help = Some("choose another name for the scale".into());
            return;
        }

        let mut seen: HashMap<&str, Span> = HashMap::new();
        for category in decl.categories.iter().map(|c| &c.name) {
            if let Some(first) = seen.get(category.name.as_str()) {
                let d = self
                    .sources
                    .error(
                        codes::DUPLICATE,
                        category.span,
                        format!(
                            "category `{}` appears twice in scale `{}`",
                            category, decl.name
                        ),
                    )
                    .with_secondary(
                        first.start as usize,
                        first.end as usize,
                        "first listed here",
                    )
                    .with_help("list each category once");
                self.diagnostics.push(d);
            }
            seen.insert(&category.name, category.span);
        }

        let scores = self.scores(decl);
        self.program.scales.push(Scale {
            name: decl.name.name.clone(),
            kind: decl.kind,
            categories: decl
                .categories
                .iter()
                .map(|c| c.name.name.clone())
                .collect(),
            scores,
            span: decl.name.span,
        });
    }

    /// The numeric mapping of a scale: a score for every category of an ordinal scale,
    /// rising with the order; or none at all.
    fn scores(&mut self, decl: &ast::ScaleDecl) -> Option<Vec<f64>> {
        let scored: Vec<(f64, Span)> = decl.categories.iter().filter_map(|c| c.score).collect();
        let (_, first) = *scored.first()?;
        if decl.kind == ScaleKind::Nominal {
            self.error(
                codes::SCALE_MAPPING,
                first,
                format!("nominal scale `{}` cannot score its categories", decl.name),
            )
            .help = Some(
                "scores rank categories, and a nominal scale has no order: declare it `ordinal`"
                    .into(),
            );
            return None;
        }
        if let Some(unscored) = decl.categories.iter().find(|c| c.score.is_none()) {
            self.error(
                codes::SCALE_MAPPING,
                unscored.name.span,
                format!(
                    "category `{}` has no score, but other categories of `{}` have",
                    unscored.name, decl.name
                ),
            )
            .help = Some("give every category a score, or none".into());
            return None;
        }
        for pair in decl.categories.windows(2) {
            let (Some((low, _)), Some((high, at))) = (pair[0].score, pair[1].score) else {
                continue;
            };
            if high <= low {
                let below = pair[0].score.map_or(at, |(_, s)| s);
                let mut d = self.sources.error(
                    codes::SCALE_MAPPING,
                    at,
                    format!(
                        "the score of `{}` does not rise above that of `{}`",
                        pair[1].name, pair[0].name
                    ),
                );
                d.labels[0].text = format!("`{}` scores {high} here", pair[1].name);
                let d = d
                    .with_secondary(
                        below.start as usize,
                        below.end as usize,
                        format!("`{}` scores {low} here", pair[0].name),
                    )
                    .with_help(
                        "scores follow the order of an ordinal scale, lowest first: each must be \
                         higher than the one before",
                    );
                self.diagnostics.push(d);
                return None;
            }
        }
        Some(scored.into_iter().map(|(score, _)| score).collect())
    }

    /// Names the entity of every dataset, its own `entity` or the singular of its name, so
    /// that types can name what a count counts before the datasets are checked.
    pub(super) fn entities(&mut self, datasets: &[&ast::DatasetDecl]) {
        for decl in datasets {
            let entity = match decl.entity.as_slice() {
                [] => singular(&decl.name.name),
                [first, rest @ ..] => {
                    for extra in rest {
                        self.repeated(
                            extra.span,
                            first.span,
                            format!("dataset `{}` names its entity more than once", decl.name),
                            "one row is one kind of thing: keep one `entity`",
                        );
                    }
                    first.name.clone()
                }
            };
            let names = &mut self.program.names.entities;
            let id = names.iter().position(|e| *e == entity).unwrap_or_else(|| {
                names.push(entity);
                names.len() - 1
            });
            self.entity_of
                .insert(decl.name.name.clone(), id as types::EntityId);
        }
    }

    /// The entity a type names: by its own name (`incident`) or by a dataset's (`incidents`).
    fn entity(&mut self, ident: &ast::Ident) -> Option<types::EntityId> {
        let names = &self.program.names.entities;
        if let Some(id) = names.iter().position(|e| *e == ident.name) {
            return Some(id as types::EntityId);
        }
        if let Some(id) = self.entity_of.get(&ident.name) {
            return Some(*id);
        }
        let candidates = names
            .iter()
            .map(String::as_str)
            .chain(self.entity_of.keys().map(String::as_str));
        let help = did_you_mean(&ident.name, candidates)
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| {
                format!(
                    "a count counts the rows of a dataset; the entities are {}",
                    if names.is_empty() {
                        "none yet: declare a dataset".to_string()
                    } else {
                        names.join(", ")
                    }
                )
            });
        self.error(
            codes::UNKNOWN_UNIT,
            ident.span,
            format!("no dataset counts `{}`", ident.name),
        )
        .help = Some(help);
        None
    }

    /// The type a declaration names; `column` restricts it to what a dataset may hold.
    pub(super) fn resolve_type(&mut self, ty: &ast::TypeRef, column: bool) -> Option<Type> {
        let base = self.base_type(ty, column)?;
        if !column && ty.optional {
            self.error(
                codes::OPTIONAL_MEASURE,
                ty.span,
                "a measure's type takes no `?`".into(),
            )
            .help = Some(
                "whether a measure may be missing is inferred from its expression; \
                 `msr check --explain-types` shows when"
                    .into(),
            );
        }
        let Some(per) = &ty.per else {
            return Some(base);
        };
        let entity = self.entity(per)?;
        match types::Quantity::of(base) {
            Some(q) => Some(Type::Per(q, entity)),
            None => {
                let t = self.program.type_name(base);
                self.error(
                    codes::TYPE_ARGUMENT,
                    per.span,
                    format!("`{t}` cannot be per {}", per.name),
                )
                .help = Some(
                    "only quantities are per item: numbers, counts, durations, money and scores"
                        .into(),
                );
                None
            }
        }
    }

    /// The type a declaration names, before `per`.
    fn base_type(&mut self, ty: &ast::TypeRef, column: bool) -> Option<Type> {
        let name = ty.name.name.as_str();
        let arg = ty.arg.as_ref();
        let needs_arg = |checker: &mut Self, example: &str| {
            checker
                .error(
                    codes::TYPE_ARGUMENT,
                    ty.name.span,
                    format!("`{name}` needs an argument"),
                )
                .help = Some(format!("write it as `{example}`"));
            None
        };
        if let Some(id) = self.program.scales.iter().position(|s| s.name == name) {
            return self.no_argument(ty, Type::Category(id));
        }
        let allowed: &[&str] = if column {
            types::COLUMN_TYPES
        } else {
            types::BUILTIN_TYPES
        };
        match name {
            _ if !allowed.contains(&name) => {}
            "Count" => {
                let Some(arg) = arg else {
                    return Some(Type::Count(types::Entity::Any));
                };
                return self
                    .entity(arg)
                    .map(|e| Type::Count(types::Entity::Named(e)));
            }
            "Money" => {
                let Some(arg) = arg else {
                    return needs_arg(self, "Money<EUR>");
                };
                let Some(currency) = types::Currency::parse(&arg.name) else {
                    self.unknown_currency(&arg.name, arg.span, None);
                    return None;
                };
                return Some(Type::Money(currency));
            }
            "Score" => {
                let Some(arg) = arg else {
                    return needs_arg(self, "Score<Maturity>");
                };
                let scale = self.program.scales.iter().position(|s| s.name == arg.name);
                return match scale {
                    Some(s) if self.program.scales[s].scores.is_some() => Some(Type::Score(s)),
                    _ => {
                        self.error(
                            codes::TYPE_ARGUMENT,
                            arg.span,
                            format!("`{}` is not a scale with scores", arg.name),
                        )
                        .help = Some(
                            "a score belongs to an ordinal scale that gives each category a \
                             score: `scale Maturity = ordinal [initial = 1, ...]`"
                                .into(),
                        );
                        None
                    }
                };
            }
            _ => return self.no_argument(ty, Type::builtin(name)?),
        }

        let scale_names: Vec<&str> = self
            .program
            .scales
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let suggestion = did_you_mean(
            name,
            allowed.iter().copied().chain(scale_names.iter().copied()),
        );
        let builtin = types::BUILTIN_TYPES.contains(&name);
        let help = match (suggestion, builtin) {
            (_, true) => format!(
                "a dataset column holds one of {}, or a declared scale",
                allowed.join(", ")
            ),
            (Some(s), false) => format!("did you mean `{s}`?"),
            (None, false) => format!(
                "the types are {}, or a scale declared with `scale`",
                allowed.join(", ")
            ),
        };
        let message = if builtin {
            format!("a dataset column cannot have type `{name}`")
        } else {
            format!("unknown type `{name}`")
        };
        self.error(codes::UNKNOWN_TYPE, ty.name.span, message).help = Some(help);
        None
    }

    /// `ty`, after reporting an argument that its type name does not take.
    fn no_argument(&mut self, ty: &ast::TypeRef, resolved: Type) -> Option<Type> {
        if let Some(arg) = &ty.arg {
            self.error(
                codes::TYPE_ARGUMENT,
                arg.span,
                format!("`{}` takes no argument", ty.name),
            )
            .help =
                Some("only `Count<entity>`, `Money<currency>` and `Score<scale>` take one".into());
        }
        Some(resolved)
    }
}

/// The singular of a dataset's name, for the entity its rows are: `incidents` gives
/// `incident`, `vulnerabilities` gives `vulnerability`. A dataset whose name this rule gets
/// wrong states its entity.
fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        return format!("{stem}y");
    }
    let sibilant = ["sses", "shes", "ches", "xes", "zes", "uses"];
    if sibilant.iter().any(|end| name.ends_with(end)) {
        return name[..name.len() - 2].to_string();
    }
    if ["ss", "us", "is"].iter().any(|end| name.ends_with(end)) || name.len() < 2 {
        return name.to_string();
    }
    name.strip_suffix('s').unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::singular;

    #[test]
    fn entities_are_the_singular_of_dataset_names() {
        for (plural, one) in [
            ("incidents", "incident"),
            ("vulnerabilities", "vulnerability"),
            ("losses", "loss"),
            ("statuses", "status"),
            ("patches", "patch"),
            ("changes", "change"),
            ("access", "access"),
            ("staff", "staff"),
        ] {
            assert_eq!(singular(plural), one);
        }
    }
}
