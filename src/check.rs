//! Checking: from parsed modules to a resolved, typed [`Program`].
//!
//! The checker resolves every name (scales, datasets, columns, measures, categories),
//! infers and checks the type of every expression, proves that grouping columns exist in
//! every dataset a measure reads, and validates indicators' template facts. It reads no
//! data. All errors of a programme are collected and returned together; a programme that
//! checks without errors is ready for evaluation.

mod expr;
mod facts;
pub mod program;
pub mod types;

use std::collections::{HashMap, HashSet};

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
    ];
}

/// Checks a parsed programme. On success the diagnostics hold warnings only.
pub fn check(parsed: ParsedProgram) -> Result<(Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut checker = Checker {
        sources: &parsed.sources,
        diagnostics: Vec::new(),
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
        self.program.scale_info = self
            .program
            .scales
            .iter()
            .map(|s| types::ScaleInfo {
                name: s.name.clone(),
                ordinal: s.kind == ScaleKind::Ordinal,
            })
            .collect();

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
                    ty: declared,
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

        for (id, decl) in measure_decls.iter().enumerate() {
            self.measure(id, decl);
        }
        self.measures_in_order();
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
        for category in &decl.categories {
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

        self.program.scales.push(Scale {
            name: decl.name.name.clone(),
            kind: decl.kind,
            categories: decl.categories.iter().map(|c| c.name.clone()).collect(),
            span: decl.name.span,
        });
    }

    /// The type a declaration names; `column` restricts it to what a dataset may hold.
    fn resolve_type(&mut self, ty: &ast::TypeRef, column: bool) -> Option<Type> {
        let name = ty.name.name.as_str();
        if let Some(id) = self.program.scales.iter().position(|s| s.name == name) {
            return Some(Type::Category(id));
        }
        let allowed: &[&str] = if column {
            types::COLUMN_TYPES
        } else {
            types::BUILTIN_TYPES
        };
        if allowed.contains(&name) {
            return Type::builtin(name);
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
        let help = match (suggestion, Type::builtin(name)) {
            (_, Some(_)) => format!(
                "a dataset column holds one of {}, or a declared scale",
                allowed.join(", ")
            ),
            (Some(s), None) => format!("did you mean `{s}`?"),
            (None, None) => format!(
                "the types are {}, or a scale declared with `scale`",
                allowed.join(", ")
            ),
        };
        let message = if Type::builtin(name).is_some() {
            format!("a dataset column cannot have type `{name}`")
        } else {
            format!("unknown type `{name}`")
        };
        self.error(codes::UNKNOWN_TYPE, ty.name.span, message).help = Some(help);
        None
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
                        .with_secondary(col.span.start as usize, col.span.end as usize, format!("declared as `{}` here", col.ty.display(&self.program.scale_info)))
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
            columns,
            span: decl.name.span,
        });
    }

    fn measure(&mut self, id: MeasureId, decl: &ast::MeasureDecl) {
        let mut scope = expr::Scope::measure(id);
        let declared = self.program.measures[id].declared;
        let hint = (declared != Type::Error).then_some(declared);
        let checked = self.expr(&decl.expr, &mut scope, hint);
        let measure = &self.program.measures[id];
        let declared = measure.declared;
        if !types::fits_declared(declared, checked.ty) {
            let scales = &self.program.scale_info;
            let d = self
                .sources
                .error(
                    codes::TYPE_MISMATCH,
                    decl.expr.span,
                    format!(
                        "measure `{}` is declared `{}` but its expression is `{}`",
                        decl.name,
                        declared.display(scales),
                        checked.ty.display(scales)
                    ),
                )
                .with_secondary(
                    measure.type_span.start as usize,
                    measure.type_span.end as usize,
                    "declared here",
                );
            self.diagnostics.push(d.with_help(format!(
                "declare the measure as `{}`, or change the expression",
                checked.ty.display(scales)
            )));
        }
        let measure = &mut self.program.measures[id];
        measure.ty = if declared == Type::Error {
            checked.ty
        } else {
            declared
        };
        measure.expr = checked;
        measure.depends_on = scope.measures;
        measure.reads = scope.datasets;
    }

    /// Orders measures so that each comes after those it uses, reporting cycles, and
    /// completes each measure's list of datasets read with those of the measures it uses.
    fn measures_in_order(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let n = self.program.measures.len();
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
                let deps = &self.program.measures[m].depends_on;
                if *next < deps.len() {
                    let dep = deps[*next];
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
                } else {
                    marks[m] = Mark::Done;
                    order.push(m);
                    stack.pop();
                }
            }
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

    /// Checks a `by` clause against the datasets that the grouped value reads.
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
                    let scales = &self.program.scale_info;
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

    fn indicator(&mut self, decl: &ast::IndicatorDecl) {
        let mut scope = expr::Scope::indicator(None);
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
        let value_ty = value.ty;

        let mut scope_value = expr::Scope::indicator(Some(value_ty));
        scope_value.measures = std::mem::take(&mut scope.measures);
        scope_value.datasets = std::mem::take(&mut scope.datasets);

        let target = self.target(decl, &mut scope_value, value_ty);
        let criteria = self.criteria(decl, &mut scope_value);
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
                self.grouping(first, &reads)
            }
        };

        self.program.indicators.push(Indicator {
            name: decl.name.name.clone(),
            title: decl.title.clone(),
            value,
            target,
            criteria,
            group_by,
            facts,
            reads,
            span: decl.name.span,
        });
    }

    fn target(
        &mut self,
        decl: &ast::IndicatorDecl,
        scope: &mut expr::Scope,
        value_ty: Type,
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
        let value = self.expr(&first.value, scope, Some(value_ty));
        if !types::comparable(first.op, value_ty, value.ty, &self.program.scale_info) {
            let scales = &self.program.scale_info;
            let message = format!(
                "the target is `{}` but the indicator's value is `{}`",
                value.ty.display(scales),
                value_ty.display(scales)
            );
            self.error(codes::COMPARISON, first.value.span, message)
                .help = Some("state the target in the same kind of quantity as the value".into());
        }
        Some(Target {
            op: first.op,
            value,
            span: first.span,
        })
    }

    fn criteria(&mut self, decl: &ast::IndicatorDecl, scope: &mut expr::Scope) -> Vec<Band> {
        let Some(((bands, _), rest)) = decl.criteria.split_first() else {
            return Vec::new();
        };
        let first_block = decl.criteria[0].1;
        for (_, span) in rest {
            self.repeated(
                *span,
                first_block,
                format!(
                    "indicator `{}` has more than one `criteria` block",
                    decl.name
                ),
                "list every band in one block",
            );
        }

        let mut out = Vec::new();
        let mut otherwise: Option<Span> = None;
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
        out
    }

    pub(crate) fn expect_bool(&mut self, e: &Expr, what: &str) {
        if !matches!(e.ty, Type::Bool | Type::Error) {
            let ty = e.ty.display(&self.program.scale_info);
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

/// The loader's column type for a checked type.
pub fn column_type(scales: &[Scale], ty: Type) -> ColumnType {
    match ty {
        Type::Bool => ColumnType::Bool,
        Type::Int | Type::Count => ColumnType::Int,
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
        _ => ColumnType::Number,
    }
}
