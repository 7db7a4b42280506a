//! Checking: from parsed modules to a resolved, typed [`Program`].
//!
//! The checker resolves every name (scales, datasets, columns, lookups, measures, categories),
//! infers and checks the type of every expression, proves that grouping columns exist in
//! every dataset a measure reads, and validates indicators' template facts. It reads no
//! data. All errors of a programme are collected and returned together; a programme that
//! checks without errors is ready for evaluation.

mod binding;
mod criteria;
mod currency;
mod declared;
pub mod explain;
mod expr;
mod facts;
mod functions;
mod indicator;
mod lookup;
mod measure;
pub mod program;
mod refusal;
mod relation;
pub mod template;
mod test_block;
pub mod types;

use std::collections::HashMap;

use crate::data::ColumnType;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::syntax::ast::{self, ScaleKind};
use crate::syntax::{ParsedProgram, SourceMap, Span};

pub use program::*;
pub use test_block::{Expecting, SubjectOf, Test, TestExpectation, TestGiven, TestSubject};
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
    pub const TIME_ZONE: &str = "msr::check::time_zone";
    pub const KEY_TYPE: &str = "msr::check::key_type";
    pub const RELATION_OUTSIDE_ROW: &str = "msr::check::relation_outside_row";
    pub const UNKNOWN_KEY: &str = "msr::check::unknown_key";
    pub const REPEATED_KEY: &str = "msr::check::repeated_key";
    pub const ENTRY_TYPE: &str = "msr::check::entry_type";
    pub const LOOKUP_ARGUMENT: &str = "msr::check::lookup_argument";
    pub const INCOMPLETE_LOOKUP: &str = "msr::check::incomplete_lookup";
    pub const LOOKUP_KEY: &str = "msr::check::lookup_key";
    pub const TEST_EXPECTATION: &str = "msr::check::test_expectation";
    pub const TEST_PERIOD: &str = "msr::check::test_period";
    pub const BINDING: &str = "msr::check::binding";
    pub const TEMPLATE: &str = "msr::check::template";

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
        TIME_ZONE,
        KEY_TYPE,
        RELATION_OUTSIDE_ROW,
        UNKNOWN_KEY,
        REPEATED_KEY,
        ENTRY_TYPE,
        LOOKUP_ARGUMENT,
        INCOMPLETE_LOOKUP,
        LOOKUP_KEY,
        TEST_EXPECTATION,
        TEST_PERIOD,
        BINDING,
        TEMPLATE,
    ];
}

/// Checks a parsed programme. On success the diagnostics hold warnings only.
pub fn check(parsed: ParsedProgram) -> Result<(Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    check_with(parsed, None)
}

/// The name that [`check_query`] gives its expression in the checked programme. No name
/// written in a programme looks like this, so it clashes with none and nothing can use it.
pub const QUERY_NAME: &str = "(expression)";

/// Checks a parsed programme together with one expression on its own, as the REPL takes
/// it. The expression becomes one more measure, named [`QUERY_NAME`], whose type is
/// inferred instead of declared, so that it is evaluated like any measure. Returns the
/// programme, that measure's id and the warnings.
pub fn check_query(
    parsed: ParsedProgram,
    query: &ast::Query,
) -> Result<(Program, MeasureId, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (program, warnings) = check_with(parsed, Some(query))?;
    let id = program
        .measure(QUERY_NAME)
        .expect("the query is declared as a measure");
    Ok((program, id, warnings))
}

fn check_with(
    parsed: ParsedProgram,
    query: Option<&ast::Query>,
) -> Result<(Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut checker = Checker {
        sources: &parsed.sources,
        diagnostics: Vec::new(),
        entity_of: HashMap::new(),
        indicator_ids: HashMap::new(),
        current_indicator: None,
        status_uses: Vec::new(),
        program: Program {
            sources: parsed.sources.clone(),
            ..Program::default()
        },
    };
    checker.declarations(&parsed.modules, query);
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
    /// Each indicator by its name, and the one being checked.
    pub(crate) indicator_ids: HashMap<String, usize>,
    pub(crate) current_indicator: Option<usize>,
    /// Which indicator's status each indicator uses, and where.
    pub(crate) status_uses: Vec<(usize, usize, Span)>,
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

    fn declarations(&mut self, modules: &[ast::Module], query: Option<&ast::Query>) {
        // Imported files come after their importer in load order; check them first, so that
        // a name declared both in a file and in what it imports is reported in the importer.
        let scales: Vec<&ast::ScaleDecl> = modules.iter().rev().flat_map(|m| &m.scales).collect();
        let datasets: Vec<&ast::DatasetDecl> =
            modules.iter().rev().flat_map(|m| &m.datasets).collect();
        let hierarchies: Vec<&ast::HierarchyDecl> =
            modules.iter().rev().flat_map(|m| &m.hierarchies).collect();
        let lookups: Vec<&ast::LookupDecl> =
            modules.iter().rev().flat_map(|m| &m.lookups).collect();
        let measures: Vec<&ast::MeasureDecl> =
            modules.iter().rev().flat_map(|m| &m.measures).collect();
        let indicators: Vec<&ast::IndicatorDecl> =
            modules.iter().rev().flat_map(|m| &m.indicators).collect();

        for scale in &scales {
            self.scale(scale);
        }
        self.status_scale(&indicators);
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

        // Datasets, lookups, measures and indicators share one namespace.
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
                    "rename one of them: datasets, lookups, measures and indicators share one \
                     namespace",
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
        let binds: Vec<&ast::BindDecl> = modules.iter().rev().flat_map(|m| &m.binds).collect();
        self.bindings(&binds);
        for decl in &hierarchies {
            if declare(self, &decl.name, "hierarchy") {
                self.hierarchy(decl);
            }
        }
        // A query is a measure without a declared type, checked after the measures it may
        // use like any other.
        let query_decl = query.map(query_measure);
        let mut measure_decls = Vec::new();
        for decl in measures.iter().copied().chain(query_decl.as_ref()) {
            if decl.name.name == QUERY_NAME || declare(self, &decl.name, "measure") {
                let declared = if decl.name.name == QUERY_NAME {
                    Type::Error
                } else {
                    self.resolve_type(&decl.ty, false).unwrap_or(Type::Error)
                };
                let id = self.program.measures.len();
                self.program.measure_ids.insert(decl.name.name.clone(), id);
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
                measure_decls.push(decl);
            }
        }
        let mut indicator_decls = Vec::new();
        for decl in &indicators {
            if declare(self, &decl.name, "indicator") {
                self.indicator_ids
                    .insert(decl.name.name.clone(), indicator_decls.len());
                indicator_decls.push(*decl);
            }
        }
        // Lookups are checked before the measures that use them, and once every other name
        // is known, so that an entry naming a measure is reported as such.
        for decl in &lookups {
            let first = declare(self, &decl.name, "lookup");
            self.lookup(decl);
            if !first {
                self.program.lookups.pop();
            }
        }

        self.measures(&measure_decls);
        for (id, decl) in measure_decls.iter().enumerate() {
            if let Some(group) = &decl.group_by {
                let reads = self.program.measures[id].reads.clone();
                self.program.measures[id].group_by = self.grouping(group, &reads);
                let expr = self.program.measures[id].expr.clone();
                self.not_summarised_again(&expr, group.span);
            }
        }
        for (id, decl) in indicator_decls.iter().enumerate() {
            self.current_indicator = Some(id);
            self.indicator(decl);
        }
        self.current_indicator = None;
        self.status_cycles();

        let tests: Vec<&ast::TestDecl> = modules.iter().flat_map(|m| &m.tests).collect();
        self.tests(&tests);
    }

    /// The scale of the statuses indicators can have, so that `status(indicator) = red`
    /// compares like with like: every status a band or gate names, in the order first met.
    fn status_scale(&mut self, indicators: &[&ast::IndicatorDecl]) {
        let mut statuses: Vec<String> = Vec::new();
        let named = indicators.iter().flat_map(|i| {
            i.criteria
                .iter()
                .flat_map(|(bands, _)| bands)
                .chain(&i.gates)
                .map(|b| b.status.name.clone())
        });
        for status in named.chain(std::iter::once("insufficient_data".to_string())) {
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
        self.program.status_scale = Some(self.program.scales.len());
        self.program.scales.push(Scale {
            name: STATUS_SCALE.to_string(),
            kind: ScaleKind::Nominal,
            categories: statuses,
            scores: None,
            span: Span::default(),
        });
    }

    /// Reports indicators whose statuses depend on each other through `status(...)`.
    fn status_cycles(&mut self) {
        let n = self.program.indicators.len();
        let mut uses: Vec<Vec<(usize, Span)>> = vec![Vec::new(); n];
        for &(from, to, span) in &self.status_uses {
            uses[from].push((to, span));
        }
        let mut reported = std::collections::HashSet::new();
        for start in 0..n {
            // Depth-first from each indicator, looking for a way back to it; the cycle is
            // reported where the first indicator names the next.
            let mut stack: Vec<(usize, Vec<usize>, Option<Span>)> =
                vec![(start, vec![start], None)];
            let mut seen = vec![false; n];
            while let Some((at, path, first)) = stack.pop() {
                for &(to, span) in &uses[at] {
                    let first = first.or(Some(span));
                    if to == start {
                        let mut key = path.clone();
                        key.sort_unstable();
                        if reported.insert(key) {
                            self.report_status_cycle(&path, first.unwrap_or(span));
                        }
                    } else if !seen[to] {
                        seen[to] = true;
                        let mut next = path.clone();
                        next.push(to);
                        stack.push((to, next, first));
                    }
                }
            }
        }
    }

    fn report_status_cycle(&mut self, path: &[usize], at: Span) {
        let names: Vec<String> = path
            .iter()
            .chain(path.first())
            .map(|i| format!("`{}`", self.program.indicators[*i].name))
            .collect();
        let first = &self.program.indicators[path[0]].name;
        let message = format!(
            "the status of indicator `{first}` depends on itself: {}",
            names.join(" → ")
        );
        self.error(codes::CYCLE, at, message).help =
            Some("an indicator cannot be judged by its own status; break the cycle".into());
    }

    /// Adds where a name was first declared: a secondary label when that is in the same
    /// file, or else the file, line and column in the help, since a label can only point
    /// into the file the diagnostic shows.
    pub(super) fn first_declared(
        &self,
        d: Diagnostic,
        at: Span,
        first: Span,
        help: &str,
    ) -> Diagnostic {
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
    pub(super) fn repeated(&mut self, at: Span, first: Span, message: String, help: &str) {
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
                source_name: None,
                aliases: Vec::new(),
                bool_texts: Vec::new(),
                absent: false,
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
            self.source_format(path, *span);
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

        let zone = self.dataset_zone(&decl.name, &decl.zones);
        self.program.datasets.push(Dataset {
            name: decl.name.name.clone(),
            title: decl.title.clone(),
            source: source.as_ref().map(|s| s.0.clone()).unwrap_or_default(),
            source_span: source.map(|s| s.1).unwrap_or(decl.name.span),
            time,
            entity: self.entity_of.get(&decl.name.name).copied().unwrap_or(0),
            zone,
            columns,
            span: decl.name.span,
        });
    }

    /// Reports a source whose name does not say its format.
    pub(crate) fn source_format(&mut self, path: &str, span: Span) {
        let lower = path.to_ascii_lowercase();
        if ![".csv", ".jsonl", ".ndjson"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            self.error(
                codes::SOURCE_FORMAT,
                span,
                format!("cannot tell the format of `{path}` from its name"),
            )
            .help = Some(
                "a source is CSV (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`); rename the file"
                    .into(),
            );
        }
    }

    /// The zone a dataset states for its local timestamps.
    pub(crate) fn dataset_zone(
        &mut self,
        dataset: &ast::Ident,
        zones: &[(String, Span)],
    ) -> Option<chrono_tz::Tz> {
        let ((name, span), rest) = zones.split_first()?;
        for (_, extra) in rest {
            self.repeated(
                *extra,
                *span,
                format!("dataset `{dataset}` states its time zone more than once"),
                "keep one `zone`",
            );
        }
        self.time_zone(name, *span)
    }

    /// The IANA time zone `name` names, or an error at `span` with the nearest names.
    pub(crate) fn time_zone(&mut self, name: &str, span: Span) -> Option<chrono_tz::Tz> {
        match name.parse::<chrono_tz::Tz>() {
            Ok(zone) => Some(zone),
            Err(_) => {
                let help = did_you_mean(name, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()))
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        "name an IANA time zone such as `Europe/Berlin` or `America/New_York`"
                            .into()
                    });
                self.error(
                    codes::TIME_ZONE,
                    span,
                    format!("`{name}` is not an IANA time zone"),
                )
                .help = Some(help);
                None
            }
        }
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

    /// Checks a `by` clause, each of its keys, against the datasets the grouped value reads.
    pub(super) fn grouping(
        &mut self,
        group: &ast::GroupBy,
        reads: &[DatasetId],
    ) -> Option<Grouping> {
        let mut keys = Vec::new();
        let mut ok = true;
        if group.keys.len() > 1 {
            if let Some(key) = group.keys.iter().find(|k| k.hierarchy.is_some()) {
                self.error(
                    codes::GROUP_COLUMN,
                    key.span,
                    "a roll-up along a hierarchy is a grouping of its own".into(),
                )
                .help = Some("group by the hierarchy alone, or by the other keys alone".into());
                return None;
            }
        }
        for (i, key) in group.keys.iter().enumerate() {
            let before = group.keys[..i]
                .iter()
                .find(|k| k.column.name == key.column.name && k.bucket == key.bucket);
            if let Some(first) = before {
                self.repeated(
                    key.span,
                    first.span,
                    format!("`{}` is a grouping key twice", key.column),
                    "name each key once",
                );
                ok = false;
                continue;
            }
            match self.grouping_key(key, reads) {
                Some(k) => keys.push(k),
                None => ok = false,
            }
        }
        ok.then_some(Grouping {
            keys,
            span: group.span,
        })
    }

    /// A hierarchy: its dataset, and node and parent columns of one type.
    fn hierarchy(&mut self, decl: &ast::HierarchyDecl) {
        let Some(dataset) = self
            .program
            .datasets
            .iter()
            .position(|d| d.name == decl.dataset.name)
        else {
            let names: Vec<&str> = self
                .program
                .datasets
                .iter()
                .map(|d| d.name.as_str())
                .collect();
            let help = did_you_mean(&decl.dataset.name, names.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    "name the dataset that lists the units and their parents".into()
                });
            self.error(
                codes::UNKNOWN_DATASET,
                decl.dataset.span,
                format!("unknown dataset `{}`", decl.dataset),
            )
            .help = Some(help);
            return;
        };
        let ds = &self.program.datasets[dataset];
        let mut columns = Vec::new();
        for ident in [&decl.node, &decl.parent] {
            match ds.column(&ident.name) {
                Some(c) => columns.push(c),
                None => {
                    let help =
                        did_you_mean(&ident.name, ds.columns.iter().map(|c| c.name.as_str()))
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| "name a column of the dataset".into());
                    let message = format!("dataset `{}` has no column `{}`", ds.name, ident.name);
                    self.error(codes::UNKNOWN_COLUMN, ident.span, message).help = Some(help);
                    return;
                }
            }
        }
        let (node, parent) = (columns[0], columns[1]);
        let (node_ty, parent_ty) = (ds.columns[node].ty, ds.columns[parent].ty);
        if node_ty != parent_ty {
            let names = &self.program.names;
            let message = format!(
                "a parent is a node, but `{}` is `{}` and `{}` is `{}`",
                decl.node,
                node_ty.display(names),
                decl.parent,
                parent_ty.display(names)
            );
            self.error(codes::GROUP_COLUMN, decl.parent.span, message)
                .help = Some("declare the node and parent columns with the same type".into());
            return;
        }
        self.program.hierarchies.push(Hierarchy {
            name: decl.name.name.clone(),
            title: decl.title.clone(),
            dataset,
            node,
            parent,
            span: decl.name.span,
        });
    }

    /// Checks one key of a `by` clause against the datasets the grouped value reads.
    fn grouping_key(&mut self, group: &ast::GroupKey, reads: &[DatasetId]) -> Option<GroupingKey> {
        let hierarchy = match &group.hierarchy {
            None => None,
            Some(name) => Some(self.hierarchy_named(name)?),
        };
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
        let key_type = key_type.map_or(Type::Error, |(t, _)| t);
        if let Some(h) = hierarchy {
            let hierarchy = &self.program.hierarchies[h];
            let ds = &self.program.datasets[hierarchy.dataset];
            let node_ty = ds.columns[hierarchy.node].ty;
            if key_type != node_ty && key_type != Type::Error && node_ty != Type::Error {
                let names = &self.program.names;
                let message = format!(
                    "cannot roll `{}` up `{}`: it is `{}`, but the hierarchy's nodes are `{}`",
                    group.column,
                    hierarchy.name,
                    key_type.display(names),
                    node_ty.display(names)
                );
                self.error(codes::GROUP_COLUMN, group.column.span, message)
                    .help = Some("roll up a column that names the hierarchy's units".into());
                ok = false;
            }
        }
        ok.then(|| GroupingKey {
            bucket: group.bucket,
            hierarchy,
            hierarchy_name: group.hierarchy.as_ref().map(|h| h.name.clone()),
            column: group.column.name.clone(),
            key_type,
        })
    }

    fn hierarchy_named(&mut self, name: &ast::Ident) -> Option<HierarchyId> {
        if let Some(h) = self
            .program
            .hierarchies
            .iter()
            .position(|h| h.name == name.name)
        {
            return Some(h);
        }
        let names: Vec<&str> = self
            .program
            .hierarchies
            .iter()
            .map(|h| h.name.as_str())
            .collect();
        let help = did_you_mean(&name.name, names.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| {
                "declare it: `hierarchy org = units(unit, parent)`, or group by a time bucket \
                 such as `month(...)`"
                    .into()
            });
        self.error(
            codes::UNKNOWN_NAME,
            name.span,
            format!("unknown hierarchy `{}`", name.name),
        )
        .help = Some(help);
        None
    }

    /// Reports a grouped value that uses `mean_by` (or `min_by`, `max_by`), directly or
    /// through a measure: those sum up groups of their own, which a second grouping would
    /// have to nest inside.
    pub(crate) fn not_summarised_again(&mut self, e: &Expr, by: Span) {
        let mut stack = vec![e];
        let mut seen = Vec::new();
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Call(f @ Function::OverGroups { .. }, _) => {
                    let name = f.name();
                    let d = self.sources.error(
                        codes::FUNCTION_ARGUMENTS,
                        e.span,
                        format!("a grouped value cannot use `{name}`"),
                    );
                    let d = if by.file == e.span.file {
                        d.with_secondary(by.start as usize, by.end as usize, "grouped here")
                    } else {
                        d
                    };
                    self.diagnostics.push(d.with_help(format!(
                        "`{name}` sums up groups of its own; leave out the grouping, or group \
                         the measure that `{name}` reads instead"
                    )));
                    return;
                }
                ExprKind::Measure(m) if !seen.contains(m) => {
                    seen.push(*m);
                    stack.push(&self.program.measures[*m].expr);
                }
                _ => stack.extend(e.children()),
            }
        }
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

/// A query as a measure declaration whose type is left to inference.
fn query_measure(query: &ast::Query) -> ast::MeasureDecl {
    let name = ast::Ident {
        name: QUERY_NAME.to_string(),
        span: query.span,
    };
    ast::MeasureDecl {
        role: None,
        name: name.clone(),
        title: None,
        ty: ast::TypeRef {
            scale_type: None,
            name,
            arg: None,
            per: None,
            optional: false,
            span: query.span,
        },
        expr: query.expr.clone(),
        group_by: query.group_by.clone(),
        span: query.span,
    }
}

/// The name of the scale of indicator statuses, which no declared scale can have.
pub const STATUS_SCALE: &str = "status of an indicator";

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
            aliases: Vec::new().into(),
        },
        Type::Text => ColumnType::Text,
        Type::Per(types::Quantity::Duration, _) => ColumnType::Duration,
        _ => ColumnType::Number,
    }
}
