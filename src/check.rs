//! Checking: from parsed modules to a resolved, typed [`Program`].
//!
//! The checker resolves every name (scales, datasets, columns, measures, categories),
//! infers and checks the type of every expression, proves that grouping columns exist in
//! every dataset a measure reads, and validates indicators' template facts. It reads no
//! data. All errors of a programme are collected and returned together; a programme that
//! checks without errors is ready for evaluation.

mod criteria;
mod currency;
pub mod explain;
mod expr;
mod facts;
mod indicator;
mod measure;
pub mod program;
pub mod types;

use std::collections::HashMap;

use crate::data::ColumnType;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::syntax::ast::{self, ScaleKind};
use crate::syntax::{ParsedProgram, SourceMap, Span};

pub use program::*;
pub use types::Type;

/// Error codes of the checker, each documented in docs/errors.md.
pub mod codes {
    pub const DUPLICATE: &str = "msr::check::duplicate";
    pub const UNKNOWN_NAME: &str = "msr::check::unknown_name";
    pub const UNKNOWN_TYPE: &str = "msr::check::unknown_type";
    pub const UNKNOWN_DATASET: &str = "msr::check::unknown_dataset";
    pub const UNKNOWN_COLUMN: &str = "msr::check::unknown_column";
    pub const UNKNOWN_CATEGORY: &str = "msr::check::unknown_category";
    pub const CYCLE: &str = "msr::check::cycle";
    pub const DATASET_SOURCE: &str = "msr::check::dataset_source";
    pub const SOURCE_FORMAT: &str = "msr::check::source_format";
    pub const TIME_COLUMN: &str = "msr::check::time_column";
    pub const TYPE_MISMATCH: &str = "msr::check::type_mismatch";
    pub const OPERATOR: &str = "msr::check::operator";
    pub const COMPARISON: &str = "msr::check::comparison";
    pub const CONDITION: &str = "msr::check::condition";
    pub const AGGREGATE_ARGUMENT: &str = "msr::check::aggregate_argument";
    pub const PERCENTILE_RANK: &str = "msr::check::percentile_rank";
    pub const NESTED_AGGREGATE: &str = "msr::check::nested_aggregate";
    pub const MEASURE_IN_ROW: &str = "msr::check::measure_in_row";
    pub const COLUMN_OUTSIDE_ROW: &str = "msr::check::column_outside_aggregate";
    pub const GROUP_COLUMN: &str = "msr::check::group_column";
    pub const INDICATOR_VALUE: &str = "msr::check::indicator_value";
    pub const REPEATED_ENTRY: &str = "msr::check::repeated_entry";
    pub const UNKNOWN_FACT: &str = "msr::check::unknown_fact";
    pub const REPEATED_FACT: &str = "msr::check::repeated_fact";
    pub const FACT_VALUE: &str = "msr::check::fact_value";
    pub const CRITERIA_ORDER: &str = "msr::check::criteria_order";
    pub const RESERVED_STATUS: &str = "msr::check::reserved_status";
    pub const RESERVED_NAME: &str = "msr::check::reserved_name";
    pub const VALUE_OUTSIDE_INDICATOR: &str = "msr::check::value_outside_indicator";
    pub const SCALE_TYPE: &str = "msr::check::scale_type";
    pub const ORDINAL_MEAN: &str = "msr::check::ordinal_mean";
    pub const DECLARED_SCALE: &str = "msr::check::declared_scale";
    pub const UNIT_MISMATCH: &str = "msr::check::unit_mismatch";
    pub const UNKNOWN_UNIT: &str = "msr::check::unknown_unit";
    pub const TYPE_ARGUMENT: &str = "msr::check::type_argument";
    pub const PERCENT_RANGE: &str = "msr::check::percent_range";
    pub const MEASURE_KIND: &str = "msr::check::measure_kind";
    pub const OPTIONAL_MEASURE: &str = "msr::check::optional_measure";
    pub const SCALE_MAPPING: &str = "msr::check::scale_mapping";
    pub const UNKNOWN_FUNCTION: &str = "msr::check::unknown_function";
    pub const FUNCTION_ARGUMENTS: &str = "msr::check::function_arguments";
    pub const ENTITY: &str = "msr::check::entity";
    pub const MISSING_IN_CRITERION: &str = "msr::check::missing_in_criterion";
    pub const UNREACHABLE_BAND: &str = "msr::check::unreachable_band";
    pub const OVERLAPPING_BANDS: &str = "msr::check::overlapping_bands";
    pub const UNCOVERED_VALUES: &str = "msr::check::uncovered_values";

    /// Every code above, for tests and documentation.
    pub const ALL: &[&str] = &[
        DUPLICATE,
        UNKNOWN_NAME,
        UNKNOWN_TYPE,
        UNKNOWN_DATASET,
        UNKNOWN_COLUMN,
        UNKNOWN_CATEGORY,
        CYCLE,
        DATASET_SOURCE,
        SOURCE_FORMAT,
        TIME_COLUMN,
        TYPE_MISMATCH,
        OPERATOR,
        COMPARISON,
        CONDITION,
        AGGREGATE_ARGUMENT,
        PERCENTILE_RANK,
        NESTED_AGGREGATE,
        MEASURE_IN_ROW,
        COLUMN_OUTSIDE_ROW,
        GROUP_COLUMN,
        INDICATOR_VALUE,
        REPEATED_ENTRY,
        UNKNOWN_FACT,
        REPEATED_FACT,
        FACT_VALUE,
        CRITERIA_ORDER,
        RESERVED_STATUS,
        RESERVED_NAME,
        VALUE_OUTSIDE_INDICATOR,
        SCALE_TYPE,
        ORDINAL_MEAN,
        DECLARED_SCALE,
        UNIT_MISMATCH,
        UNKNOWN_UNIT,
        TYPE_ARGUMENT,
        PERCENT_RANGE,
        MEASURE_KIND,
        OPTIONAL_MEASURE,
        SCALE_MAPPING,
        UNKNOWN_FUNCTION,
        FUNCTION_ARGUMENTS,
        ENTITY,
        MISSING_IN_CRITERION,
        UNREACHABLE_BAND,
        OVERLAPPING_BANDS,
        UNCOVERED_VALUES,
    ];
}

/// Checks a parsed programme. On success the diagnostics hold warnings only.
pub fn check(parsed: ParsedProgram) -> Result<(Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut checker = Checker {
        sources: &parsed.sources,
        diagnostics: Vec::new(),
        entity_of: HashMap::new(),
        program: Program {
            sources: parsed.sources.clone(),
            ..Program::default()
        },
    };
    checker.declarations(&parsed.modules);
    let Checker {
        diagnostics,
        program,
        ..
    } = checker;
    let mut diagnostics = diagnostics;
    // Report in source order, whatever order the checks ran in.
    diagnostics.sort_by_key(|d| {
        let file = d
            .source
            .as_ref()
            .map(|s| s.name().to_string())
            .unwrap_or_default();
        let at = d.labels.iter().find(|l| l.primary).map_or(0, |l| l.start);
        (file, at)
    });
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok((program, diagnostics))
    }
}

pub(crate) struct Checker<'a> {
    pub(crate) sources: &'a SourceMap,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The entity of each dataset, by the dataset's name.
    entity_of: HashMap<String, types::EntityId>,
    pub(crate) program: Program,
}

impl Checker<'_> {
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        span: Span,
        message: String,
    ) -> &mut Diagnostic {
        let diagnostic = self.sources.error(code, span, message);
        self.diagnostics.push(diagnostic);
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn declarations(&mut self, modules: &[ast::Module]) {
        // Imported files come after their importer in load order; check them first, so that
        // a name declared both in a file and in what it imports is reported in the importer.
        let scales: Vec<&ast::ScaleDecl> = modules.iter().rev().flat_map(|m| &m.scales).collect();
        let datasets: Vec<&ast::DatasetDecl> =
            modules.iter().rev().flat_map(|m| &m.datasets).collect();
        let measures: Vec<&ast::MeasureDecl> =
            modules.iter().rev().flat_map(|m| &m.measures).collect();
        let indicators: Vec<&ast::IndicatorDecl> =
            modules.iter().rev().flat_map(|m| &m.indicators).collect();

        for scale in &scales {
            self.scale(scale);
        }
        self.program.names.scales = self
            .program
            .scales
            .iter()
            .map(|s| types::ScaleInfo {
                name: s.name.clone(),
                ordinal: s.kind == ScaleKind::Ordinal,
            })
            .collect();
        self.entities(&datasets);

        // Datasets, measures and indicators share one namespace.
        let mut names: HashMap<String, Span> = HashMap::new();
        let mut declare = |checker: &mut Self, ident: &ast::Ident, what: &str| -> bool {
            if ident.name == "value" {
                checker
                    .error(
                        codes::RESERVED_NAME,
                        ident.span,
                        format!("a {what} cannot be named `value`"),
                    )
                    .help = Some(
                    "`value` names an indicator's value in its target and criteria; choose another name"
                        .into(),
                );
                return false;
            }
            if let Some(first) = names.get(&ident.name) {
                let mut d = checker.sources.error(
                    codes::DUPLICATE,
                    ident.span,
                    format!("`{}` is declared twice", ident.name),
                );
                d.labels[0].text = format!("second declaration of this {what}");
                let d = checker.first_declared(
                    d,
                    ident.span,
                    *first,
                    "rename one of them: datasets, measures and indicators share one namespace",
                );
                checker.diagnostics.push(d);
                return false;
            }
            names.insert(ident.name.clone(), ident.span);
            true
        };

        for decl in &datasets {
            let first = declare(self, &decl.name, "dataset");
            // A duplicate's body is checked too, so that its own errors are not lost.
            self.dataset(decl);
            if !first {
                self.program.datasets.pop();
            }
        }
        let mut measure_decls = Vec::new();
        for decl in &measures {
            if declare(self, &decl.name, "measure") {
                let declared = self.resolve_type(&decl.ty, false).unwrap_or(Type::Error);
                self.program.measures.push(Measure {
                    name: decl.name.name.clone(),
                    title: decl.title.clone(),
                    declared,
                    declared_scale: None,
                    ty: declared,
                    kind: MeasureKind::Constant,
                    expr: Expr::error(decl.expr.span),
                    group_by: None,
                    reads: Vec::new(),
                    depends_on: Vec::new(),
                    span: decl.span,
                    name_span: decl.name.span,
                    type_span: decl.ty.span,
                });
                measure_decls.push(*decl);
            }
        }
        let mut indicator_decls = Vec::new();
        for decl in &indicators {
            if declare(self, &decl.name, "indicator") {
                indicator_decls.push(*decl);
            }
        }

        self.measures(&measure_decls);
        for (id, decl) in measure_decls.iter().enumerate() {
            if let Some(group) = &decl.group_by {
                let reads = self.program.measures[id].reads.clone();
                self.program.measures[id].group_by = self.grouping(group, &reads);
            }
        }
        for decl in indicator_decls {
            self.indicator(decl);
        }
    }

    /// Adds where a name was first declared: a secondary label when that is in the same
    /// file, or else the file, line and column in the help, since a label can only point
    /// into the file the diagnostic shows.
    fn first_declared(&self, d: Diagnostic, at: Span, first: Span, help: &str) -> Diagnostic {
        if first.file == at.file {
            return d
                .with_secondary(
                    first.start as usize,
                    first.end as usize,
                    "first declared here",
                )
                .with_help(help);
        }
        let source = self.sources.source(first.file);
        let (line, column) = source.line_col(first.start as usize);
        d.with_help(format!(
            "{help}; the first declaration is in `{}` at line {line}, column {column}",
            source.name()
        ))
    }

    /// Reports an entry stated more than once, labelling the first statement too.
    fn repeated(&mut self, at: Span, first: Span, message: String, help: &str) {
        let mut d = self.sources.error(codes::REPEATED_ENTRY, at, message);
        d.labels[0].text = "stated again here".into();
        let d = d
            .with_secondary(
                first.start as usize,
                first.end as usize,
                "first stated here",
            )
            .with_help(help);
        self.diagnostics.push(d);
    }

    fn scale(&mut self, decl: &ast::ScaleDecl) {
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
                let d = self
                    .sources
                    .error(
                        codes::SCALE_MAPPING,
                        at,
                        format!(
                            "the score of `{}` does not rise above that of `{}`",
                            pair[1].name, pair[0].name
                        ),
                    )
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
    fn entities(&mut self, datasets: &[&ast::DatasetDecl]) {
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
    fn resolve_type(&mut self, ty: &ast::TypeRef, column: bool) -> Option<Type> {
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
                    self.unknown_currency(&arg.name, arg.span);
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

    fn dataset(&mut self, decl: &ast::DatasetDecl) {
        let mut columns: Vec<DatasetColumn> = Vec::new();
        for column in &decl.columns {
            if let Some(first) = columns.iter().find(|c| c.name == column.name.name) {
                let first = first.span;
                let d = self
                    .sources
                    .error(
                        codes::DUPLICATE,
                        column.name.span,
                        format!(
                            "column `{}` is declared twice in dataset `{}`",
                            column.name, decl.name
                        ),
                    )
                    .with_secondary(
                        first.start as usize,
                        first.end as usize,
                        "first declared here",
                    )
                    .with_help("declare each column once");
                self.diagnostics.push(d);
                continue;
            }
            let ty = self.resolve_type(&column.ty, true).unwrap_or(Type::Error);
            if let Some((stated, span)) = column.ty.scale_type {
                self.column_scale_type(column, ty, measure::scale_type_of(stated), span);
            }
            columns.push(DatasetColumn {
                name: column.name.name.clone(),
                ty,
                optional: column.ty.optional,
                span: column.name.span,
            });
        }

        let source = match decl.sources.as_slice() {
            [(path, span)] => Some((path.clone(), *span)),
            [] => {
                self.error(
                    codes::DATASET_SOURCE,
                    decl.name.span,
                    format!("dataset `{}` has no source", decl.name),
                )
                .help = Some(
                    "add `source \"file.csv\"` (CSV or JSON Lines, relative to the data directory)"
                        .into(),
                );
                None
            }
            [first, second, ..] => {
                let d = self
                    .sources
                    .error(
                        codes::DATASET_SOURCE,
                        second.1,
                        format!("dataset `{}` has more than one source", decl.name),
                    )
                    .with_secondary(first.1.start as usize, first.1.end as usize, "first source")
                    .with_help("declare one dataset per source file");
                self.diagnostics.push(d);
                Some(first.clone())
            }
        };

        if let Some((path, span)) = &source {
            let lower = path.to_ascii_lowercase();
            if ![".csv", ".jsonl", ".ndjson"]
                .iter()
                .any(|ext| lower.ends_with(ext))
            {
                self.error(
                    codes::SOURCE_FORMAT,
                    *span,
                    format!("cannot tell the format of `{path}` from its name"),
                )
                .help = Some(
                    "a source is CSV (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`); rename the file"
                        .into(),
                );
            }
        }

        let mut time = None;
        for (i, t) in decl.time.iter().enumerate() {
            if i > 0 {
                self.repeated(
                    t.span,
                    decl.time[0].span,
                    format!("dataset `{}` has more than one time column", decl.name),
                    "keep one `time`; a measure can place rows by another column with `at`",
                );
                continue;
            }
            match columns.iter().position(|c| c.name == t.name) {
                Some(c) if matches!(columns[c].ty, Type::DateTime | Type::Date | Type::Error) => {
                    time = Some(c)
                }
                Some(c) => {
                    let col = &columns[c];
                    let d = self
                        .sources
                        .error(
                            codes::TIME_COLUMN,
                            t.span,
                            format!("time column `{}` is not a date or date-time", t.name),
                        )
                        .with_secondary(col.span.start as usize, col.span.end as usize, format!("declared as `{}` here", col.ty.display(&self.program.names)))
                        .with_help("the time column places rows in reporting periods: declare it `DateTime` or `Date`");
                    self.diagnostics.push(d);
                }
                None => {
                    let help = did_you_mean(&t.name, columns.iter().map(|c| c.name.as_str()))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "declare the column in the dataset".into());
                    self.error(
                        codes::UNKNOWN_COLUMN,
                        t.span,
                        format!("dataset `{}` has no column `{}`", decl.name, t.name),
                    )
                    .help = Some(help);
                }
            }
        }

        self.program.datasets.push(Dataset {
            name: decl.name.name.clone(),
            title: decl.title.clone(),
            source: source.as_ref().map(|s| s.0.clone()).unwrap_or_default(),
            source_span: source.map(|s| s.1).unwrap_or(decl.name.span),
            time,
            entity: self.entity_of.get(&decl.name.name).copied().unwrap_or(0),
            columns,
            span: decl.name.span,
        });
    }

    /// Reports a scale type stated on a column that its type does not have.
    fn column_scale_type(
        &mut self,
        column: &ast::ColumnDecl,
        ty: Type,
        stated: types::ScaleType,
        span: Span,
    ) {
        let Some(actual) = ty.scale_type(&self.program.names) else {
            return;
        };
        if actual == stated {
            return;
        }
        let t = self.program.type_name(ty);
        let message = format!(
            "column `{}` is stated {}, but `{t}` is on {} scale",
            column.name,
            stated.keyword(),
            measure::article(actual)
        );
        let mut d = self.sources.error(codes::DECLARED_SCALE, span, message);
        d.labels[0].text = format!("stated {} here", stated.keyword());
        let help = match (stated, ty) {
            (types::ScaleType::Ordinal, Type::Int | Type::Number) => {
                "numbers are ratio-scale; for ranked levels, declare an ordinal scale of \
                 categories and give the column that scale"
                    .to_string()
            }
            _ => format!("state `{}`, or leave the scale type out", actual.keyword()),
        };
        self.diagnostics.push(d.with_help(help));
    }

    fn grouping(&mut self, group: &ast::GroupBy, reads: &[DatasetId]) -> Option<Grouping> {
        let mut key_type: Option<(Type, DatasetId)> = None;
        let mut ok = true;
        for &d in reads {
            let dataset = &self.program.datasets[d];
            let Some(column) = dataset.columns.iter().find(|c| c.name == group.column.name) else {
                let help = did_you_mean(
                    &group.column.name,
                    dataset.columns.iter().map(|c| c.name.as_str()),
                )
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "add the column to dataset `{}`, or group by a column every dataset has",
                        dataset.name
                    )
                });
                let d = self
                    .sources
                    .error(
                        codes::GROUP_COLUMN,
                        group.column.span,
                        format!(
                            "cannot group by `{}`: dataset `{}` has no such column",
                            group.column, dataset.name
                        ),
                    )
                    .with_help(help);
                let span = dataset.span;
                let d = if span.file == group.span.file {
                    d.with_secondary(
                        span.start as usize,
                        span.end as usize,
                        "this dataset is read by the grouped value",
                    )
                } else {
                    d
                };
                self.diagnostics.push(d);
                ok = false;
                continue;
            };
            let ty = column.ty;
            if group.bucket.is_some() && !matches!(ty, Type::DateTime | Type::Date | Type::Error) {
                let span = column.span;
                let d = self
                    .sources
                    .error(
                        codes::GROUP_COLUMN,
                        group.column.span,
                        format!(
                            "cannot group by the {} of `{}`: it is not a date or date-time",
                            group.bucket.map(|b| b.keyword()).unwrap_or_default(),
                            group.column
                        ),
                    )
                    .with_secondary(span.start as usize, span.end as usize, "declared here")
                    .with_help("time buckets apply to `Date` and `DateTime` columns");
                self.diagnostics.push(d);
                ok = false;
            }
            match key_type {
                Some((t, first))
                    if !(t == ty
                        || (matches!(t, Type::Date | Type::DateTime)
                            && matches!(ty, Type::Date | Type::DateTime)
                            && group.bucket.is_some())) =>
                {
                    let scales = &self.program.names;
                    let first = &self.program.datasets[first];
                    let message = format!(
                        "cannot group by `{}`: it is `{}` in dataset `{}` but `{}` in `{}`",
                        group.column,
                        t.display(scales),
                        first.name,
                        ty.display(scales),
                        dataset.name
                    );
                    let mut d = self
                        .sources
                        .error(codes::GROUP_COLUMN, group.column.span, message);
                    for (ds, ty) in [(first, t), (dataset, ty)] {
                        if let Some(c) = ds.columns.iter().find(|c| c.name == group.column.name) {
                            if c.span.file == group.span.file {
                                d = d.with_secondary(
                                    c.span.start as usize,
                                    c.span.end as usize,
                                    format!("`{}` in `{}`", ty.display(scales), ds.name),
                                );
                            }
                        }
                    }
                    self.diagnostics
                        .push(d.with_help("group by columns of the same type in every dataset"));
                    ok = false;
                }
                Some(_) => {}
                None => key_type = Some((ty, d)),
            }
        }
        if reads.is_empty() {
            self.error(
                codes::GROUP_COLUMN,
                group.span,
                format!(
                    "cannot group by `{}`: the value reads no dataset",
                    group.column
                ),
            )
            .help = Some("grouping splits the rows of the datasets a value aggregates".into());
            ok = false;
        }
        ok.then(|| Grouping {
            bucket: group.bucket,
            column: group.column.name.clone(),
            key_type: key_type.map_or(Type::Error, |(t, _)| t),
            span: group.span,
        })
    }

    pub(crate) fn expect_bool(&mut self, e: &Expr, what: &str) {
        if !matches!(e.ty, Type::Bool | Type::Error) {
            let ty = e.ty.display(&self.program.names);
            self.error(
                codes::CONDITION,
                e.span,
                format!("{what} must be true or false, but this is `{ty}`"),
            )
            .help = Some(match what {
                "a decision criterion" => "compare the value, as in `value >= 95%`".to_string(),
                _ => "compare it with something, as in `severity >= high` or `resolved_at is none`"
                    .to_string(),
            });
        }
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

/// The loader's column type for a checked type.
pub fn column_type(scales: &[Scale], ty: Type) -> ColumnType {
    match ty {
        Type::Bool => ColumnType::Bool,
        Type::Int | Type::Count(_) => ColumnType::Int,
        Type::Date => ColumnType::Date,
        Type::DateTime => ColumnType::DateTime,
        Type::Duration => ColumnType::Duration,
        Type::Category(s) => ColumnType::Category {
            scale: scales[s].name.as_str().into(),
            categories: scales[s]
                .categories
                .iter()
                .map(|c| c.as_str().into())
                .collect(),
        },
        Type::Text => ColumnType::Text,
        Type::Per(types::Quantity::Duration, _) => ColumnType::Duration,
        _ => ColumnType::Number,
    }
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
