//! Checking `test` blocks: what each expectation is about, and that its expected value could
//! ever be equal.
//!
//! A test is checked like the rest of the programme, before any fixture row is read: the
//! datasets it gives rows for and their column names, the measures and indicators its
//! expectations name, the number of parts of a group's key, and the type of each expected
//! value and tolerance against the subject's type. The cells of fixture tables are values of
//! data, so they are read and validated when the test runs, like a data file.

use std::collections::HashMap;

use crate::diagnostic::did_you_mean;
use crate::syntax::ast::{self, CompareOp, UnaryOp};
use crate::syntax::Span;

use super::expr::Scope;
use super::program::{Absence, DatasetId, Expr, ExprKind, IndicatorId, MeasureId};
use super::types::Type;
use super::{codes, Checker};

/// A checked test.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: String,
    /// Where the test's name is written.
    pub span: Span,
    /// `period P`: the period expectations without `in` are about.
    pub period: Option<ast::PeriodName>,
    /// `series FROM to TO`: every period from the first to the last is evaluated, and
    /// expectations without `in` are about the last.
    pub series: Option<(ast::PeriodName, ast::PeriodName)>,
    /// `zone "..."`: the time zone the test's periods are read in; UTC when `None`.
    pub zone: Option<chrono_tz::Tz>,
    /// `as_of ...`: the instant the data is seen from, as written, read in the test's zone
    /// when it has no offset.
    pub as_of: Option<(String, Span)>,
    pub givens: Vec<TestGiven>,
    pub expectations: Vec<TestExpectation>,
}

/// The rows a test gives one dataset.
#[derive(Debug, Clone)]
pub struct TestGiven {
    pub dataset: DatasetId,
    pub rows: ast::Fixture,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct TestExpectation {
    pub kind: Expecting,
    /// `in P`: the period the expectation is about, when not the test's own.
    pub period: Option<ast::PeriodName>,
    pub span: Span,
}

/// What a test expects.
#[derive(Debug, Clone)]
pub enum Expecting {
    /// The subject compares with a constant: `expected` has the subject's type, and the
    /// tolerance (only with `=`) is in the subject's unit.
    Compare {
        subject: TestSubject,
        op: CompareOp,
        expected: Expr,
        tolerance: Option<Expr>,
    },
    /// The subject is missing, for the reason given if one is.
    Missing {
        subject: TestSubject,
        reason: Option<String>,
    },
    /// The indicator meets its target (`met`), or misses it.
    Target {
        indicator: IndicatorId,
        group: Option<Vec<Option<String>>>,
        met: bool,
    },
    /// Loading the fixtures or evaluating gives a diagnostic with this code, whose message
    /// contains `message`.
    Diagnostic {
        code: String,
        message: Option<String>,
    },
}

/// The value an expectation is about.
#[derive(Debug, Clone)]
pub struct TestSubject {
    pub of: SubjectOf,
    /// The group's key parts, `None` for the group of rows without a key; no group for the
    /// total.
    pub group: Option<Vec<Option<String>>>,
    /// The type of the subject's value.
    pub ty: Type,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectOf {
    Measure(MeasureId),
    Indicator(IndicatorId),
    /// An indicator's status.
    Status(IndicatorId),
}

impl Checker<'_> {
    /// Checks the tests of every file; tests of one file must have different names.
    pub(super) fn tests(&mut self, tests: &[&ast::TestDecl]) {
        let mut names: HashMap<(crate::syntax::FileId, &str), Span> = HashMap::new();
        for decl in tests {
            let key = (decl.name_span.file, decl.name.as_str());
            if let Some(first) = names.get(&key) {
                let mut d = self.sources.error(
                    codes::DUPLICATE,
                    decl.name_span,
                    format!("two tests are named \"{}\"", decl.name),
                );
                d.labels[0].text = "second test of this name".into();
                let d =
                    self.first_declared(d, decl.name_span, *first, "give each test its own name");
                self.diagnostics.push(d);
            } else {
                names.insert(key, decl.name_span);
            }
            if let Some(test) = self.test(decl) {
                self.program.tests.push(test);
            }
        }
    }

    fn test(&mut self, decl: &ast::TestDecl) -> Option<Test> {
        let mut test = Test {
            name: decl.name.clone(),
            span: decl.name_span,
            period: None,
            series: None,
            zone: None,
            as_of: None,
            givens: Vec::new(),
            expectations: Vec::new(),
        };
        self.test_clock(decl, &mut test);
        let mut first_run: Option<Span> = None;
        for run in &decl.runs {
            let span = match run {
                ast::TestRun::Period(p) => p.span,
                ast::TestRun::Series(from, to) => from.span.to(to.span),
            };
            if let Some(first) = first_run {
                self.repeated(
                    span,
                    first,
                    "a test evaluates one period or one series".into(),
                    "keep one `period` or `series`, and name other periods with `in` on an expectation",
                );
                continue;
            }
            first_run = Some(span);
            match run {
                ast::TestRun::Period(p) => {
                    self.period_name(p);
                    test.period = Some(p.clone());
                }
                ast::TestRun::Series(from, to) => {
                    let first = self.period_name(from);
                    let last = self.period_name(to);
                    if let (Some(first), Some(last)) = (first, last) {
                        if last < first {
                            self.error(
                                codes::TEST_PERIOD,
                                from.span.to(to.span),
                                format!(
                                    "the series ends at `{}` before it starts at `{}`",
                                    to.text, from.text
                                ),
                            )
                            .help = Some(format!("write `series {} to {}`", to.text, from.text));
                        }
                    }
                    test.series = Some((from.clone(), to.clone()));
                }
            }
        }

        let mut given: HashMap<DatasetId, Span> = HashMap::new();
        for g in &decl.givens {
            let Some(dataset) = self
                .program
                .datasets
                .iter()
                .position(|d| d.name == g.dataset.name)
            else {
                self.unknown_dataset(&g.dataset);
                continue;
            };
            if let Some(first) = given.get(&dataset) {
                self.repeated(
                    g.dataset.span,
                    *first,
                    format!("the test gives rows of `{}` twice", g.dataset),
                    "give all of a dataset's rows in one `given`",
                );
                continue;
            }
            given.insert(dataset, g.dataset.span);
            if let ast::Fixture::Table { header, .. } = &g.rows {
                self.fixture_header(dataset, header);
            }
            test.givens.push(TestGiven {
                dataset,
                rows: g.rows.clone(),
                span: g.span,
            });
        }

        for e in &decl.expectations {
            if let Some(p) = &e.period {
                self.period_name(p);
            }
            if let Some(kind) = self.expectation(&e.kind) {
                test.expectations.push(TestExpectation {
                    kind,
                    period: e.period.clone(),
                    span: e.span,
                });
            }
        }
        Some(test)
    }

    /// The first day of a named period, or an error at the name.
    /// The test's `zone` and `as_of`, each given at most once.
    fn test_clock(&mut self, decl: &ast::TestDecl, test: &mut Test) {
        if let Some(((name, span), rest)) = decl.zones.split_first() {
            for (_, extra) in rest {
                self.repeated(
                    *extra,
                    *span,
                    "a test is read in one time zone".into(),
                    "keep one `zone`",
                );
            }
            test.zone = self.time_zone(name, *span);
        }
        if let Some(((text, span), rest)) = decl.as_of.split_first() {
            for (_, extra) in rest {
                self.repeated(
                    *extra,
                    *span,
                    "a test sees its data from one instant".into(),
                    "keep one `as_of`",
                );
            }
            let valid = if text.contains(['T', 't']) {
                crate::syntax::datetime_micros(text).is_some()
            } else {
                chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
            };
            if valid {
                test.as_of = Some((text.clone(), *span));
            } else {
                self.error(
                    codes::TEST_PERIOD,
                    *span,
                    format!("`{text}` is not a day of the calendar"),
                )
                .help = Some(
                    "write a date such as `2025-09-30`, or a date-time such as \
                     `2025-09-30T17:00:00`"
                        .into(),
                );
            }
        }
    }

    fn period_name(&mut self, p: &ast::PeriodName) -> Option<chrono::NaiveDate> {
        match crate::syntax::period_start(&p.text) {
            Ok((_, first)) => Some(first),
            Err(message) => {
                // The message says what is wrong, then how to write a period.
                let (message, help) = crate::syntax::period_problem(&message);
                self.error(codes::TEST_PERIOD, p.span, message).help = Some(help);
                None
            }
        }
    }

    /// Every name in a fixture's header is a column of the dataset, named once.
    fn fixture_header(&mut self, dataset: DatasetId, header: &[ast::FixtureCell]) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for cell in header {
            let Some(name) = cell.text.as_deref() else {
                continue;
            };
            if let Some(first) = seen.get(name) {
                self.repeated(
                    cell.span,
                    *first,
                    format!("column `{name}` is given twice"),
                    "give each column once in the header",
                );
                continue;
            }
            seen.insert(name, cell.span);
            let d = &self.program.datasets[dataset];
            if d.column(name).is_some() {
                continue;
            }
            let columns: Vec<&str> = d.columns.iter().map(|c| c.name.as_str()).collect();
            let help = did_you_mean(name, columns.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!("the columns of `{}` are {}", d.name, columns.join(", "))
                });
            let message = format!("dataset `{}` has no column `{name}`", d.name);
            self.error(codes::UNKNOWN_COLUMN, cell.span, message).help = Some(help);
        }
    }

    fn expectation(&mut self, kind: &ast::ExpectationKind) -> Option<Expecting> {
        match kind {
            ast::ExpectationKind::Diagnostic { code, message, .. } => Some(Expecting::Diagnostic {
                code: code.clone(),
                message: message.clone(),
            }),
            ast::ExpectationKind::Target {
                indicator,
                group,
                met,
            } => {
                let id = self.expected_indicator(indicator)?;
                if self.program.indicators[id].target.is_none() {
                    self.error(
                        codes::TEST_EXPECTATION,
                        indicator.span,
                        format!("indicator `{indicator}` has no target"),
                    )
                    .help = Some(format!(
                        "give `{indicator}` a `target`, or expect its value or status instead"
                    ));
                    return None;
                }
                let group =
                    self.expected_group(SubjectOf::Indicator(id), indicator, group.as_deref())?;
                Some(Expecting::Target {
                    indicator: id,
                    group,
                    met: *met,
                })
            }
            ast::ExpectationKind::Value { subject, check } => {
                let subject_span = subject.span;
                let subject = self.subject(subject)?;
                match check {
                    ast::ValueCheck::Missing { reason } => Some(Expecting::Missing {
                        subject,
                        reason: reason.as_ref().map(|(r, _)| r.clone()),
                    }),
                    ast::ValueCheck::Compare {
                        op,
                        expected,
                        tolerance,
                    } => {
                        if matches!(expected.kind, ast::ExprKind::Literal(ast::Literal::None))
                            && *op == CompareOp::Eq
                        {
                            return Some(Expecting::Missing {
                                subject,
                                reason: None,
                            });
                        }
                        let expected =
                            self.expected_value(&subject, *op, expected, subject_span)?;
                        let tolerance = match tolerance {
                            Some(t) => Some(self.tolerance(&subject, *op, t)?),
                            None => None,
                        };
                        Some(Expecting::Compare {
                            subject,
                            op: *op,
                            expected,
                            tolerance,
                        })
                    }
                }
            }
        }
    }

    fn subject(&mut self, subject: &ast::Subject) -> Option<TestSubject> {
        let name = &subject.name;
        let of = if subject.status {
            let id = self.expected_indicator(name)?;
            SubjectOf::Status(id)
        } else if let Some(m) = self.program.measure(&name.name) {
            SubjectOf::Measure(m)
        } else if let Some(&i) = self.indicator_ids.get(&name.name) {
            SubjectOf::Indicator(i)
        } else {
            self.unknown_subject(name, "a measure or an indicator");
            return None;
        };
        let ty = match of {
            SubjectOf::Measure(m) => self.program.measures[m].ty,
            SubjectOf::Indicator(i) => self.program.indicators[i].value.ty,
            SubjectOf::Status(_) => Type::Category(self.program.status_scale?),
        };
        let group = self.expected_group(of, name, subject.group.as_deref())?;
        Some(TestSubject { of, group, ty })
    }

    fn expected_indicator(&mut self, name: &ast::Ident) -> Option<IndicatorId> {
        if let Some(&i) = self.indicator_ids.get(&name.name) {
            return Some(i);
        }
        if self.program.measure(&name.name).is_some() {
            self.error(
                codes::TEST_EXPECTATION,
                name.span,
                format!("`{name}` is a measure, which has no status or target"),
            )
            .help = Some(format!(
                "expect the value of `{name}`, or the status of an indicator built on it"
            ));
            return None;
        }
        self.unknown_subject(name, "an indicator");
        None
    }

    fn unknown_subject(&mut self, name: &ast::Ident, what: &str) {
        let mut candidates: Vec<&str> = self.indicator_ids.keys().map(String::as_str).collect();
        if what != "an indicator" {
            candidates.extend(self.program.measures.iter().map(|m| m.name.as_str()));
        }
        candidates.sort_unstable();
        let help = did_you_mean(&name.name, candidates.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("an expectation names {what} of the programme"));
        self.error(
            codes::UNKNOWN_NAME,
            name.span,
            format!("unknown name `{name}`"),
        )
        .help = Some(help);
    }

    /// The key of the group an expectation is about: as many parts as the subject's
    /// grouping has keys, and none for an ungrouped subject.
    fn expected_group(
        &mut self,
        of: SubjectOf,
        name: &ast::Ident,
        group: Option<&[ast::GroupPart]>,
    ) -> Option<Option<Vec<Option<String>>>> {
        let Some(parts) = group else {
            return Some(None);
        };
        let grouping = match of {
            SubjectOf::Measure(m) => self.program.measures[m].group_by.as_ref(),
            SubjectOf::Indicator(i) | SubjectOf::Status(i) => {
                self.program.indicators[i].group_by.as_ref()
            }
        };
        let span = parts[0].span.to(parts[parts.len() - 1].span);
        let Some(grouping) = grouping else {
            self.error(
                codes::TEST_EXPECTATION,
                span,
                format!("`{name}` is not grouped, so it has no group to select"),
            )
            .help = Some(format!("expect the value of `{name}` without `[...]`"));
            return None;
        };
        if grouping.keys.len() != parts.len() {
            let keys: Vec<String> = grouping.keys.iter().map(|k| k.label()).collect();
            self.error(
                codes::TEST_EXPECTATION,
                span,
                format!(
                    "`{name}` is grouped by {}, so a group has {} {}, not {}",
                    keys.join(", "),
                    keys.len(),
                    if keys.len() == 1 { "key" } else { "keys" },
                    parts.len()
                ),
            )
            .help = Some(format!(
                "give one key per grouping column: [{}]",
                quoted(&keys)
            ));
            return None;
        }
        Some(Some(parts.iter().map(|p| p.text.clone()).collect()))
    }

    /// The expected value, checked against the subject's type; it must be a constant.
    fn expected_value(
        &mut self,
        subject: &TestSubject,
        op: CompareOp,
        expected: &ast::Expr,
        subject_span: Span,
    ) -> Option<Expr> {
        let value = self.constant(expected, subject.ty)?;
        if let SubjectOf::Status(i) = subject.of {
            if let ExprKind::Category(_, c) = value.kind {
                let status =
                    self.program.scales[self.program.status_scale?].categories[c as usize].clone();
                let indicator = &self.program.indicators[i];
                let possible = indicator
                    .criteria
                    .iter()
                    .chain(&indicator.gates)
                    .any(|b| b.status == status)
                    || status == "insufficient_data";
                if !possible {
                    let statuses: Vec<String> = indicator
                        .criteria
                        .iter()
                        .chain(&indicator.gates)
                        .map(|b| b.status.clone())
                        .chain(std::iter::once("insufficient_data".to_string()))
                        .collect();
                    self.error(
                        codes::TEST_EXPECTATION,
                        value.span,
                        format!("indicator `{}` never has status `{status}`", indicator.name),
                    )
                    .help = Some(format!("its statuses are {}", quoted(&statuses)));
                    return None;
                }
            }
        }
        let subject_expr = Expr::new(ExprKind::Error, subject.ty, Absence::NEVER, subject_span);
        let errors = self.diagnostics.len();
        self.check_comparison(
            op,
            &subject_expr,
            &value,
            subject_span.to(value.span),
            &Scope::measure(),
        );
        (self.diagnostics.len() == errors).then_some(value)
    }

    /// The tolerance of `= x within t`: a quantity in the subject's unit.
    fn tolerance(&mut self, subject: &TestSubject, op: CompareOp, t: &ast::Expr) -> Option<Expr> {
        if op != CompareOp::Eq {
            self.error(
                codes::TEST_EXPECTATION,
                t.span,
                format!("a tolerance goes with `=`, not with `{}`", op.symbol()),
            )
            .help = Some("write `= value within tolerance`, or leave the tolerance out".into());
            return None;
        }
        if !(subject.ty.is_numeric() || subject.ty == Type::Duration) {
            let ty = self.program.type_name(subject.ty);
            self.error(
                codes::TEST_EXPECTATION,
                t.span,
                format!("a `{ty}` value is equal or not, so it takes no tolerance"),
            )
            .help = Some("leave out `within ...`".into());
            return None;
        }
        let value = self.constant(t, subject.ty)?;
        let subject_expr = Expr::new(ExprKind::Error, subject.ty, Absence::NEVER, t.span);
        let errors = self.diagnostics.len();
        self.check_comparison(
            CompareOp::Le,
            &subject_expr,
            &value,
            t.span,
            &Scope::measure(),
        );
        (self.diagnostics.len() == errors).then_some(value)
    }

    /// A literal, a negated literal or a category of the hinted type; anything else is an
    /// error, since an expected value is stated, not computed.
    fn constant(&mut self, e: &ast::Expr, hint: Type) -> Option<Expr> {
        let before = self.diagnostics.len();
        let value = self.expr(e, &mut Scope::measure(), Some(hint));
        if self.diagnostics.len() != before {
            return None;
        }
        if !is_constant(&value) {
            self.error(
                codes::TEST_EXPECTATION,
                e.span,
                "an expected value is a literal, a category, or arithmetic on literals".into(),
            )
            .help = Some(
                "write the value the subject should have, such as `95%`, `high` or `(2 / 3)`"
                    .into(),
            );
            return None;
        }
        Some(value)
    }
}

/// Whether an expression reads nothing but literals and categories, with arithmetic: what
/// a test can expect without computing what it tests.
fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Literal(_) | ExprKind::Category(..) => true,
        ExprKind::Unary(UnaryOp::Neg, inner) => is_constant(inner),
        ExprKind::Binary(
            crate::syntax::ast::BinaryOp::Add
            | crate::syntax::ast::BinaryOp::Sub
            | crate::syntax::ast::BinaryOp::Mul
            | crate::syntax::ast::BinaryOp::Div,
            a,
            b,
        ) => is_constant(a) && is_constant(b),
        _ => false,
    }
}

/// Names in backticks, separated by commas.
fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
