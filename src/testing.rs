//! Running the `test` blocks of a programme: fixture rows in, expectations checked.
//!
//! A test is a small run of the programme. Each dataset it gives rows for is read from its
//! fixture (a table in the test, or a file beside the `.msr` file); every other dataset is
//! empty. The programme is evaluated for the test's period or series, and for any other
//! period an expectation names with `in`, in one timeline so that look-backs are shared.
//! Then each expectation is compared with the result. Rows are validated exactly as in a
//! data file, so a bad cell is a diagnostic at the cell, which a test can also expect.
//!
//! Nothing here prints: [`run`] returns outcomes, and [`render_text`] and [`render_json`]
//! turn them into what the command line shows.

use std::path::{Path, PathBuf};

use crate::check::{Expecting, Program, SubjectOf, Test, TestExpectation, TestSubject, Type};
use crate::data::{self, InlineRows};
use crate::diagnostic::Diagnostic;
use crate::eval::value::{self, Cell, Value};
use crate::eval::{self, Calendar, Clocks, Data, Period, Results, INSUFFICIENT_DATA};
use crate::syntax::ast::{self, CompareOp, FileId};
use crate::syntax::Span;

/// How close two numbers must be to count as equal when an expectation gives no tolerance:
/// relative to the larger, so that rounding in the last digits of a computed ratio does not
/// fail a test.
const RELATIVE_EPSILON: f64 = 1e-9;

/// What one test came to.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    pub name: String,
    /// The file the test is in, as diagnostics name it.
    pub file: String,
    /// One-based line of the test's name.
    pub line: usize,
    /// How many expectations the test states.
    pub expectations: usize,
    pub failures: Vec<Failure>,
}

impl TestOutcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// One expectation that did not hold, or a problem that kept the test from running.
#[derive(Debug, Clone)]
pub struct Failure {
    /// One-based line and column of the expectation (or of the problem).
    pub line: usize,
    pub column: usize,
    /// The expectation as written, or what went wrong.
    pub what: String,
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// Diagnostics that explain the failure: fixture rows that did not load, a bad period.
    pub diagnostics: Vec<Diagnostic>,
}

/// Which tests to run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only tests whose name contains this text.
    pub filter: Option<String>,
    /// Also the tests of imported files; otherwise only those of the root file, the first
    /// the programme was loaded from.
    pub imported: bool,
}

/// Runs the tests of the programme's root file (imported files' tests are theirs to run,
/// unless the selection says otherwise). `warnings` are the checker's warnings, which a test
/// may expect as diagnostics.
pub fn run(program: &Program, warnings: &[Diagnostic], selection: &Selection) -> Vec<TestOutcome> {
    selected(program, selection)
        .map(|t| run_test(program, warnings, t))
        .collect()
}

fn selected<'p>(program: &'p Program, selection: &Selection) -> impl Iterator<Item = &'p Test> {
    let filter = selection.filter.clone();
    let imported = selection.imported;
    program
        .tests
        .iter()
        .filter(move |t| imported || t.span.file == FileId(0))
        .filter(move |t| filter.as_deref().is_none_or(|f| t.name.contains(f)))
}

/// Which measures and indicators the selected tests reach: those an expectation is about,
/// and those they are computed from (the measures they use, the indicators whose statuses
/// they read). The standard library's are left out: its own tests cover them.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// In the order of their files, then of their lines.
    pub measures: Vec<Covered>,
    pub indicators: Vec<Covered>,
}

impl Coverage {
    /// The coverage of several programmes' tests together: a measure or indicator that
    /// several programmes declare (by importing one file) is reached when any reaches it.
    pub fn merge(&mut self, other: Coverage) {
        fn merged(mut all: Vec<Covered>, more: Vec<Covered>) -> Vec<Covered> {
            for c in more {
                match all
                    .iter_mut()
                    .find(|a| a.file == c.file && a.line == c.line && a.name == c.name)
                {
                    Some(known) => known.covered |= c.covered,
                    None => all.push(c),
                }
            }
            all.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            all
        }
        self.measures = merged(std::mem::take(&mut self.measures), other.measures);
        self.indicators = merged(std::mem::take(&mut self.indicators), other.indicators);
    }
}

/// One measure or indicator, and whether a test reaches it.
#[derive(Debug, Clone)]
pub struct Covered {
    pub name: String,
    /// Where it is declared: file and one-based line.
    pub file: String,
    pub line: usize,
    pub covered: bool,
}

/// The coverage of the programme by the tests that `selection` runs; `None` when it runs
/// none, so that a file without tests (one that only imports others) counts for nothing.
pub fn coverage(program: &Program, selection: &Selection) -> Option<Coverage> {
    let mut expected = eval::Selection::default();
    let mut any = false;
    for test in selected(program, selection) {
        any = true;
        let of = expected_values(test);
        expected.measures.extend(of.measures);
        expected.indicators.extend(of.indicators);
    }
    let (measures, indicators) = eval::reached(program, &expected);

    let own = |span: Span| {
        let path = &program.sources.file(span.file).path;
        !path
            .to_string_lossy()
            .starts_with(crate::syntax::STDLIB_PREFIX)
    };
    let covered = |name: &str, span: Span, covered: bool| {
        let (line, _) = position(program, span);
        Covered {
            name: name.to_string(),
            file: program.sources.file(span.file).source.name().to_string(),
            line,
            covered,
        }
    };
    let mut coverage = Coverage::default();
    coverage.merge(Coverage {
        measures: program
            .measures
            .iter()
            .enumerate()
            .filter(|(_, m)| own(m.name_span) && m.name != crate::check::QUERY_NAME)
            .map(|(id, m)| covered(&m.name, m.name_span, measures[id]))
            .collect(),
        indicators: program
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| own(i.span))
            .map(|(id, i)| covered(&i.name, i.span, indicators[id]))
            .collect(),
    });
    any.then_some(coverage)
}

fn run_test(program: &Program, warnings: &[Diagnostic], test: &Test) -> TestOutcome {
    let (line, _) = position(program, test.span);
    let mut outcome = TestOutcome {
        name: test.name.clone(),
        file: program
            .sources
            .file(test.span.file)
            .source
            .name()
            .to_string(),
        line,
        expectations: test.expectations.len(),
        failures: Vec::new(),
    };

    let calendar = test.zone.map_or_else(Calendar::utc, Calendar::of_zone);
    let plan = match Plan::of(test, &calendar) {
        Ok(plan) => plan,
        Err(failure) => {
            outcome.failures.push(failure.locate(program));
            return outcome;
        }
    };
    let as_of = match &test.as_of {
        Some((text, span)) => match calendar.instant(text) {
            Ok(instant) => Some(instant),
            Err(message) => {
                let early = Early {
                    span: *span,
                    message,
                };
                outcome.failures.push(early.locate(program));
                return outcome;
            }
        },
        None => None,
    };

    let mut diagnostics: Vec<Diagnostic> = warnings.to_vec();
    let results = match fixtures(program, test) {
        Ok(data) => {
            let clocks = Clocks { calendar, as_of };
            let mut results = if plan.periods.is_empty() {
                vec![eval::evaluate(program, data, None, clocks)]
            } else {
                eval::evaluate_series(program, data, &plan.periods, clocks)
            };
            for r in &mut results {
                diagnostics.append(&mut r.warnings);
            }
            Some(results)
        }
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    };

    // Errors nobody expected fail the test, whatever else it expects.
    let expected_codes: Vec<&str> = test
        .expectations
        .iter()
        .filter_map(|e| match &e.kind {
            Expecting::Diagnostic { code, .. } => Some(code.as_str()),
            _ => None,
        })
        .collect();
    let unexpected: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error() && !expected_codes.contains(&d.code))
        .cloned()
        .collect();
    if !unexpected.is_empty() {
        let (line, column) = position(program, test.span);
        outcome.failures.push(Failure {
            line,
            column,
            what: "the fixtures could not be read".into(),
            expected: None,
            actual: None,
            diagnostics: unexpected,
        });
    }

    for expectation in &test.expectations {
        let verdict = match (&expectation.kind, &results) {
            (Expecting::Diagnostic { code, message }, _) => {
                expect_diagnostic(&diagnostics, code, message.as_deref())
            }
            (_, None) => Err(Mismatch::note("not evaluated: the fixtures have errors")),
            (_, Some(results)) => match plan.results_for(expectation, results, &calendar) {
                Ok(r) => check(program, expectation, r),
                Err(m) => Err(m),
            },
        };
        if let Err(mismatch) = verdict {
            let (line, column) = position(program, expectation.span);
            outcome.failures.push(Failure {
                line,
                column,
                what: program.sources.text(expectation.span).to_string(),
                expected: mismatch.expected,
                actual: mismatch.actual,
                diagnostics: Vec::new(),
            });
        }
    }
    outcome
}

/// The periods a test evaluates, in order, and which of them is the test's own.
struct Plan {
    periods: Vec<Period>,
    /// Index into `periods` of the period expectations without `in` are about; `None` when
    /// the test evaluates the whole data.
    own: Option<usize>,
}

/// A failure before anything is evaluated, located at a span.
struct Early {
    span: Span,
    message: String,
}

impl Early {
    fn locate(self, program: &Program) -> Failure {
        let (line, column) = position(program, self.span);
        // The calendar says what is wrong, then how to write a period.
        let (message, help) = crate::syntax::period_problem(&self.message);
        let diagnostic = program
            .sources
            .error(crate::check::codes::TEST_PERIOD, self.span, message.clone())
            .with_help(help);
        Failure {
            line,
            column,
            what: message,
            expected: None,
            actual: None,
            diagnostics: vec![diagnostic],
        }
    }
}

impl Plan {
    fn of(test: &Test, calendar: &Calendar) -> Result<Plan, Early> {
        let parse = |p: &ast::PeriodName| {
            calendar.parse(&p.text).map_err(|message| Early {
                span: p.span,
                message,
            })
        };
        let mut periods = Vec::new();
        let mut own = None;
        if let Some(p) = &test.period {
            periods.push(parse(p)?);
            own = Some(0);
        }
        if let Some((from, to)) = &test.series {
            periods = calendar
                .series(&from.text, &to.text, None)
                .map_err(|message| Early {
                    span: from.span.to(to.span),
                    message,
                })?;
            own = periods.len().checked_sub(1);
        }
        for e in &test.expectations {
            if let Some(p) = &e.period {
                let period = parse(p)?;
                if !periods.contains(&period) {
                    periods.push(period);
                }
            }
        }
        Ok(Plan { periods, own })
    }

    fn results_for<'r>(
        &self,
        expectation: &TestExpectation,
        results: &'r [Results],
        calendar: &Calendar,
    ) -> Result<&'r Results, Mismatch> {
        let index = match &expectation.period {
            Some(p) => {
                let period = calendar.parse(&p.text).map_err(Mismatch::note)?;
                self.periods.iter().position(|q| *q == period)
            }
            None if self.periods.is_empty() => Some(0),
            None => self.own,
        };
        match index.and_then(|i| results.get(i)) {
            Some(r) => Ok(r),
            // Expectations without `in` in a test that names periods only with `in`: the
            // whole data is not evaluated, so there is nothing to compare with.
            None => Err(Mismatch::note(
                "no period: give the test a `period`, or say `in PERIOD`",
            )),
        }
    }
}

/// Why an expectation does not hold.
struct Mismatch {
    expected: Option<String>,
    actual: Option<String>,
}

impl Mismatch {
    fn note(text: impl Into<String>) -> Mismatch {
        Mismatch {
            expected: None,
            actual: Some(text.into()),
        }
    }
}

/// The tables of a test: its fixtures, and an empty table for every other dataset the
/// programme reads.
fn fixtures(program: &Program, test: &Test) -> Result<Data, Vec<Diagnostic>> {
    let used = eval::datasets_read(program);
    let needed = eval::columns_read_by(program, &expected_values(test));
    let mut tables = Vec::with_capacity(program.datasets.len());
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (id, dataset) in program.datasets.iter().enumerate() {
        let given = test.givens.iter().find(|g| g.dataset == id);
        if !used[id] && given.is_none() {
            tables.push(None);
            continue;
        }
        let schema = dataset.schema(&program.scales);
        let read = eval::columns_read(program, id);
        let Some(given) = given else {
            tables.push(Some(data::empty_table(&schema)));
            continue;
        };
        let loaded = match &given.rows {
            ast::Fixture::Table { header, rows, span } => {
                let inline = InlineRows {
                    source: program.sources.source(span.file),
                    header: header
                        .iter()
                        .map(|c| (c.text.clone().unwrap_or_default(), c.span.range()))
                        .collect(),
                    rows: rows
                        .iter()
                        .map(|r| r.iter().map(|c| (c.text.clone(), c.span.range())).collect())
                        .collect(),
                    span: span.range(),
                };
                data::load_inline(&schema, &inline, &read, &needed[id])
            }
            ast::Fixture::File { path, span } => {
                let full = beside(program, span.file, path);
                let options = data::LoadOptions {
                    keep: Some(read),
                    ..data::LoadOptions::default()
                };
                data::load(&full, &full.display().to_string(), &schema, &options).map(
                    |(table, w)| {
                        warnings.extend(w);
                        table
                    },
                )
            }
        };
        match loaded {
            Ok(table) => tables.push(Some(table)),
            Err(e) => {
                errors.extend(e);
                tables.push(None);
            }
        }
    }
    if errors.is_empty() {
        Ok(Data { tables, warnings })
    } else {
        Err(errors)
    }
}

/// The measures and indicators a test's expectations are about: what its fixture tables
/// must give the columns of.
fn expected_values(test: &Test) -> eval::Selection {
    let mut selection = eval::Selection::default();
    for e in &test.expectations {
        let subject = match &e.kind {
            Expecting::Compare { subject, .. } | Expecting::Missing { subject, .. } => subject.of,
            Expecting::Target { indicator, .. } => SubjectOf::Indicator(*indicator),
            Expecting::Diagnostic { .. } => continue,
        };
        match subject {
            SubjectOf::Measure(m) => selection.measures.push(m),
            SubjectOf::Indicator(i) | SubjectOf::Status(i) => selection.indicators.push(i),
        }
    }
    selection
}

/// A fixture file's path: relative to the file the test is written in.
fn beside(program: &Program, file: FileId, path: &str) -> PathBuf {
    let test_file = &program.sources.file(file).path;
    match test_file.parent() {
        Some(dir) => dir.join(path),
        None => Path::new(path).to_path_buf(),
    }
}

fn expect_diagnostic(
    diagnostics: &[Diagnostic],
    code: &str,
    message: Option<&str>,
) -> Result<(), Mismatch> {
    let found = diagnostics
        .iter()
        .any(|d| d.code == code && message.is_none_or(|m| d.message.contains(m)));
    if found {
        return Ok(());
    }
    let produced: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    Err(Mismatch {
        expected: Some(match message {
            Some(m) => format!("{code} with \"{m}\""),
            None => code.to_string(),
        }),
        actual: Some(if produced.is_empty() {
            "no diagnostic".to_string()
        } else {
            produced.join("; ")
        }),
    })
}

/// Checks one expectation against the results of its period.
fn check(
    program: &Program,
    expectation: &TestExpectation,
    results: &Results,
) -> Result<(), Mismatch> {
    match &expectation.kind {
        Expecting::Diagnostic { .. } => Ok(()),
        Expecting::Target {
            indicator,
            group,
            met,
        } => {
            let result = &results.indicators[*indicator];
            let outcome = select(&result.total, &result.groups, group.as_deref())?;
            let word = |m: bool| if m { "meets target" } else { "misses target" };
            match outcome.target_met {
                Some(m) if m == *met => Ok(()),
                Some(m) => Err(Mismatch {
                    expected: Some(word(*met).into()),
                    actual: Some(format!(
                        "{} (value {})",
                        word(m),
                        eval_display(program, &outcome.value, result.ty)
                    )),
                }),
                None => Err(Mismatch {
                    expected: Some(word(*met).into()),
                    actual: Some(format!(
                        "no verdict: the value is {}",
                        eval_display(program, &outcome.value, result.ty)
                    )),
                }),
            }
        }
        Expecting::Missing { subject, reason } => {
            let actual = actual_value(program, subject, results)?;
            match actual.missing_reason() {
                Some(m) if reason.as_deref().is_none_or(|r| r == m.reason()) => Ok(()),
                _ => Err(Mismatch {
                    expected: Some(match reason {
                        Some(r) => format!("missing ({r})"),
                        None => "missing".into(),
                    }),
                    actual: Some(shown(program, subject, &actual)),
                }),
            }
        }
        Expecting::Compare {
            subject,
            op,
            expected,
            tolerance,
        } => {
            let actual = actual_value(program, subject, results)?;
            let wanted = constant(expected);
            let tolerance = tolerance.as_ref().map(constant);
            if holds(*op, &actual, &wanted, tolerance.as_ref()) {
                return Ok(());
            }
            let mut text = format!("{} {}", op_word(*op), shown(program, subject, &wanted));
            if let Some(t) = &tolerance {
                text.push_str(&format!(" ± {}", shown(program, subject, t)));
            }
            let mut actual_text = shown(program, subject, &actual);
            // Two values that look alike as the report rounds them: show more digits.
            if actual_text == shown(program, subject, &wanted) {
                if let Some(precise) = precise(&actual, subject.ty) {
                    actual_text.push_str(&format!(" (more exactly {precise})"));
                }
            }
            Err(Mismatch {
                expected: Some(text.trim_start().to_string()),
                actual: Some(actual_text),
            })
        }
    }
}

fn op_word(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "",
        other => other.symbol(),
    }
}

/// The value an expectation is about, from the results of its period.
fn actual_value(
    program: &Program,
    subject: &TestSubject,
    results: &Results,
) -> Result<Value, Mismatch> {
    let group = subject.group.as_deref();
    match subject.of {
        SubjectOf::Measure(m) => {
            let result = &results.measures[m];
            Ok(select(&result.total, &result.groups, group)?.value.clone())
        }
        SubjectOf::Indicator(i) => {
            let result = &results.indicators[i];
            Ok(select(&result.total, &result.groups, group)?.value.clone())
        }
        SubjectOf::Status(i) => {
            let result = &results.indicators[i];
            let outcome = select(&result.total, &result.groups, group)?;
            let Some(status) = &outcome.status else {
                return Ok(Value::Missing(value::Missing::NoValues));
            };
            let name = if status == INSUFFICIENT_DATA {
                "insufficient_data"
            } else {
                status.as_str()
            };
            let scale = program.status_scale.map(|s| &program.scales[s]);
            let index = scale.and_then(|s| s.categories.iter().position(|c| c == name));
            Ok(match index {
                Some(i) => Value::Category(i as u16),
                None => Value::Text(name.into()),
            })
        }
    }
}

/// The total, or the group whose key parts are `group`.
fn select<'r, T>(
    total: &'r T,
    groups: &'r [eval::Group<T>],
    group: Option<&[Option<String>]>,
) -> Result<&'r T, Mismatch> {
    let Some(parts) = group else {
        return Ok(total);
    };
    let label = parts
        .iter()
        .map(|p| p.as_deref().unwrap_or(eval::groups::NONE_GROUP))
        .collect::<Vec<_>>()
        .join(" / ");
    if let Some(g) = groups.iter().find(|g| g.key == label) {
        return Ok(&g.result);
    }
    let known: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
    Err(Mismatch {
        expected: Some(format!("a group `{label}`")),
        actual: Some(if known.is_empty() {
            "no groups".into()
        } else {
            format!("groups {}", known.join(", "))
        }),
    })
}

/// The value of a checked constant: a literal, a negated literal or a category.
fn constant(e: &crate::check::Expr) -> Value {
    use crate::check::ExprKind;
    match &e.kind {
        ExprKind::Literal(lit) => Cell::from_literal(lit).to_value(),
        ExprKind::Category(_, c) => Value::Category(*c),
        ExprKind::Unary(ast::UnaryOp::Neg, inner) => {
            value::negate(constant(inner).cell()).to_value()
        }
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (constant(a), constant(b));
            value::arithmetic(*op, a.cell(), b.cell()).to_value()
        }
        _ => Value::Missing(value::Missing::Input),
    }
}

/// Whether `actual op expected` holds, numbers within the tolerance, or within a relative
/// 1e-9 without one.
fn holds(op: CompareOp, actual: &Value, expected: &Value, tolerance: Option<&Value>) -> bool {
    if actual.is_missing() {
        return false;
    }
    if op == CompareOp::Eq {
        if let (Some(a), Some(b)) = (number(actual), number(expected)) {
            let allowed = match tolerance.and_then(number) {
                Some(t) => t.abs(),
                None => RELATIVE_EPSILON * a.abs().max(b.abs()),
            };
            return (a - b).abs() <= allowed;
        }
    }
    value::compare(op, actual.cell(), expected.cell()).holds()
}

/// A number or a duration as a float, for tolerances.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Duration(d) => Some(*d as f64),
        other => other.as_f64(),
    }
}

/// A number with ten decimals, for values the report's rounding makes look equal.
fn precise(v: &Value, ty: Type) -> Option<String> {
    let f = v.as_f64()?;
    let (f, unit) = if ty == Type::Percent {
        (f * 100.0, "%")
    } else {
        (f, "")
    };
    let text = format!("{f:.10}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    Some(format!("{text}{unit}"))
}

/// A value as the report shows it, in the subject's type.
fn shown(program: &Program, subject: &TestSubject, v: &Value) -> String {
    eval_display(program, v, subject.ty)
}

fn eval_display(program: &Program, v: &Value, ty: Type) -> String {
    match (v, ty) {
        (Value::Text(t), _) => t.to_string(),
        _ => crate::report::display(program, v, ty),
    }
}

/// One-based line and column of a span's start.
fn position(program: &Program, span: Span) -> (usize, usize) {
    program
        .sources
        .file(span.file)
        .source
        .line_col(span.start as usize)
}

/// The outcomes as the command line prints them: each test, a diff for each failure, and a
/// closing count.
pub fn render_text(
    outcomes: &[TestOutcome],
    coverage: Option<&Coverage>,
    render: &dyn Fn(&Diagnostic) -> String,
) -> String {
    let mut out = String::new();
    let mut file: Option<&str> = None;
    for t in outcomes {
        if file != Some(t.file.as_str()) {
            out.push_str(&format!("{}\n", t.file));
            file = Some(&t.file);
        }
        if t.passed() {
            out.push_str(&format!("  ok    {}\n", t.name));
            continue;
        }
        out.push_str(&format!("  FAIL  {}  (line {})\n", t.name, t.line));
        for f in &t.failures {
            out.push_str(&format!("        {}:{}: {}\n", f.line, f.column, f.what));
            if let Some(e) = &f.expected {
                out.push_str(&format!("          - expected {e}\n"));
            }
            if let Some(a) = &f.actual {
                out.push_str(&format!("          + actual   {a}\n"));
            }
            for d in &f.diagnostics {
                for line in render(d).lines() {
                    let line = format!("          {line}");
                    out.push_str(line.trim_end());
                    out.push('\n');
                }
            }
        }
    }
    if let Some(c) = coverage {
        out.push_str(&coverage_text(c));
    }
    let passed = outcomes.iter().filter(|t| t.passed()).count();
    out.push_str(&format!(
        "{passed} passed, {} failed\n",
        outcomes.len() - passed
    ));
    out
}

/// For measures and for indicators, how many the tests reach, and where each one they do
/// not reach is declared.
fn coverage_text(coverage: &Coverage) -> String {
    let mut out = "coverage\n".to_string();
    for (kind, all) in [
        ("measures", &coverage.measures),
        ("indicators", &coverage.indicators),
    ] {
        let reached = all.iter().filter(|c| c.covered).count();
        let share = if all.is_empty() {
            String::new()
        } else {
            let percent =
                crate::check::types::short_number(100.0 * reached as f64 / all.len() as f64);
            format!(" ({percent}%)")
        };
        out.push_str(&format!(
            "  {kind:<10}  {reached} of {} reached{share}\n",
            all.len()
        ));
        for c in all.iter().filter(|c| !c.covered) {
            out.push_str(&format!(
                "    not reached: {}  ({}:{})\n",
                c.name, c.file, c.line
            ));
        }
    }
    out
}

/// The coverage as JSON: for measures and for indicators, how many there are, how many are
/// reached, and those that are not.
pub fn coverage_json(coverage: &Coverage) -> serde_json::Value {
    let list = |all: &[Covered]| {
        let reached = all.iter().filter(|c| c.covered).count();
        serde_json::json!({
            "reached": reached,
            "total": all.len(),
            "not_reached": all
                .iter()
                .filter(|c| !c.covered)
                .map(|c| serde_json::json!({ "name": c.name, "file": c.file, "line": c.line }))
                .collect::<Vec<_>>(),
        })
    };
    serde_json::json!({
        "measures": list(&coverage.measures),
        "indicators": list(&coverage.indicators),
    })
}

/// The outcomes as JSON, for pipelines.
pub fn render_json(outcomes: &[TestOutcome]) -> serde_json::Value {
    let passed = outcomes.iter().filter(|t| t.passed()).count();
    let tests: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|t| {
            let failures: Vec<serde_json::Value> = t
                .failures
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "line": f.line,
                        "column": f.column,
                        "expectation": f.what,
                        "expected": f.expected,
                        "actual": f.actual,
                        "diagnostics": f.diagnostics.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::json!({
                "file": t.file,
                "name": t.name,
                "line": t.line,
                "passed": t.passed(),
                "expectations": t.expectations,
                "failures": failures,
            })
        })
        .collect();
    serde_json::json!({
        "tests": tests,
        "passed": passed,
        "failed": outcomes.len() - passed,
    })
}
