//! Lowering `test` blocks: periods, fixture rows and expectations.
//!
//! A fixture table is one atomic token in the grammar, so that its line breaks survive; it is
//! split into lines and cells here. Every cell keeps its span, so a value that does not fit
//! its column is reported at the cell, in the `.msr` file.

use pest::iterators::Pair;

use super::{compare_op, line_comment_start, next, string_value, unescape, Lowerer, Result, Rule};
use crate::syntax::ast::*;
use crate::syntax::ParseError;

impl Lowerer {
    pub(super) fn test(&self, pair: Pair<Rule>) -> Result<TestDecl> {
        let span = self.span(&pair);
        let mut decl = TestDecl {
            name: String::new(),
            name_span: span,
            runs: Vec::new(),
            zones: Vec::new(),
            as_of: Vec::new(),
            givens: Vec::new(),
            expectations: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string => {
                    decl.name_span = self.span(&p);
                    decl.name = string_value(p);
                }
                Rule::test_period => {
                    let period =
                        next(&mut p.into_inner().filter(|q| q.as_rule() == Rule::period_name));
                    decl.runs.push(TestRun::Period(self.period_name(period)));
                }
                Rule::test_series => {
                    let mut names = p
                        .into_inner()
                        .filter(|q| q.as_rule() == Rule::period_name)
                        .map(|q| self.period_name(q));
                    let from = names.next().expect("a series has a first period");
                    let to = names.next().expect("a series has a last period");
                    decl.runs.push(TestRun::Series(from, to));
                }
                Rule::test_zone | Rule::test_as_of => {
                    let rule = p.as_rule();
                    let value = next(
                        &mut p
                            .into_inner()
                            .filter(|q| !matches!(q.as_rule(), Rule::kw_zone | Rule::kw_as_of)),
                    );
                    let at = self.span(&value);
                    if rule == Rule::test_zone {
                        decl.zones.push((string_value(value), at));
                    } else {
                        decl.as_of.push((value.as_str().to_string(), at));
                    }
                }
                Rule::given_decl => decl.givens.push(self.given(p)?),
                Rule::expectation => decl.expectations.push(self.expectation(p)?),
                _ => {}
            }
        }
        Ok(decl)
    }

    fn period_name(&self, pair: Pair<Rule>) -> PeriodName {
        PeriodName {
            span: self.span(&pair),
            text: pair.as_str().to_string(),
        }
    }

    fn given(&self, pair: Pair<Rule>) -> Result<Given> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_given);
        let dataset = self.ident(next(&mut inner));
        let rows = next(&mut inner);
        let rows = match rows.as_rule() {
            Rule::fixture_file => {
                let path = next(&mut rows.into_inner().filter(|p| p.as_rule() == Rule::string));
                Fixture::File {
                    span: self.span(&path),
                    path: string_value(path),
                }
            }
            _ => {
                let table_span = self.span(&rows);
                let text = next(&mut rows.into_inner());
                let (header, rows) = self.fixture_table(text.as_str(), text.as_span().start())?;
                Fixture::Table {
                    header,
                    rows,
                    span: table_span,
                }
            }
        };
        Ok(Given {
            dataset,
            rows,
            span,
        })
    }

    /// Splits a fixture table into its header and rows. `base` is the byte offset of `text`
    /// in the file.
    fn fixture_table(
        &self,
        text: &str,
        base: usize,
    ) -> Result<(Vec<FixtureCell>, Vec<Vec<FixtureCell>>)> {
        let lines = fixture_lines(text).map_err(|open| ParseError {
            code: "msr::syntax::unexpected",
            message: "this quoted cell is not closed".into(),
            start: base + open,
            end: base + open + 1,
            label: "the quote starts here".into(),
            help: Some("end the cell with `\"` on the same line".into()),
        })?;
        let mut header: Option<Vec<FixtureCell>> = None;
        let mut rows = Vec::new();
        for line in lines.iter().filter(|l| !l.cells.is_empty()) {
            let cells: Vec<FixtureCell> = line
                .cells
                .iter()
                .map(|&(at, raw)| self.cell(base + at, raw))
                .collect();
            match &header {
                None => {
                    for cell in &cells {
                        column_name(cell)?;
                    }
                    header = Some(cells);
                }
                Some(names) if cells.len() != names.len() => {
                    let first = cells.first().map_or(base, |c| c.span.start as usize);
                    let last = cells.last().map_or(base, |c| c.span.end as usize);
                    return Err(ParseError {
                        code: "msr::syntax::fixture_row",
                        message: format!(
                            "this row has {} {}, but the table names {} {}",
                            cells.len(),
                            if cells.len() == 1 { "cell" } else { "cells" },
                            names.len(),
                            if names.len() == 1 { "column" } else { "columns" },
                        ),
                        start: first,
                        end: last.max(first + 1),
                        label: "this row".into(),
                        help: Some(
                            "give one cell per column, separated by `|`; leave a cell empty for a missing value"
                                .into(),
                        ),
                    });
                }
                Some(_) => rows.push(cells),
            }
        }
        Ok((header.unwrap_or_default(), rows))
    }

    /// A cell as written at byte `at` of the file: empty is missing, and a quoted cell is
    /// its text with the escapes resolved.
    fn cell(&self, at: usize, raw: &str) -> FixtureCell {
        let span = Span::new(self.file, at, at + raw.len());
        let text = if raw.is_empty() {
            None
        } else if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
            Some(unescape(&raw[1..raw.len() - 1]))
        } else {
            Some(raw.to_string())
        };
        FixtureCell { text, span }
    }

    fn expectation(&self, pair: Pair<Rule>) -> Result<Expectation> {
        let span = self.span(&pair);
        let mut kind = None;
        let mut period = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::expect_diagnostic => kind = Some(self.expect_diagnostic(p)),
                Rule::expect_target => kind = Some(self.expect_target(p)),
                Rule::expect_value => kind = Some(self.expect_value(p)?),
                Rule::in_period => {
                    let name =
                        next(&mut p.into_inner().filter(|q| q.as_rule() == Rule::period_name));
                    period = Some(self.period_name(name));
                }
                _ => {}
            }
        }
        Ok(Expectation {
            kind: kind.expect("an expectation always says what it expects"),
            period,
            span,
        })
    }

    fn expect_diagnostic(&self, pair: Pair<Rule>) -> ExpectationKind {
        let mut code = String::new();
        let mut message = None;
        let mut span = self.span(&pair);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::diagnostic_code => {
                    span = self.span(&p);
                    code = p.as_str().to_string();
                }
                Rule::string => message = Some(string_value(p)),
                _ => {}
            }
        }
        ExpectationKind::Diagnostic {
            code,
            message,
            span,
        }
    }

    fn expect_target(&self, pair: Pair<Rule>) -> ExpectationKind {
        let mut indicator = None;
        let mut group = None;
        let mut met = true;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => indicator = Some(self.ident(p)),
                Rule::group_select => group = Some(self.group_select(p)),
                Rule::kw_misses => met = false,
                _ => {}
            }
        }
        ExpectationKind::Target {
            indicator: indicator.expect("a target expectation names an indicator"),
            group,
            met,
        }
    }

    fn expect_value(&self, pair: Pair<Rule>) -> Result<ExpectationKind> {
        let mut inner = pair.into_inner();
        let subject = self.subject(next(&mut inner));
        let rest = next(&mut inner);
        let check = match rest.as_rule() {
            Rule::expect_missing => {
                let reason = rest
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::string)
                    .map(|p| (self.span(&p), string_value(p)))
                    .map(|(span, text)| (text, span));
                ValueCheck::Missing { reason }
            }
            _ => {
                let op = compare_op(rest.as_str());
                let expected = next(&mut inner);
                let value = next(&mut expected.into_inner());
                let expected = match value.as_rule() {
                    Rule::expr => self.expr(value)?,
                    _ => self.constant(value)?,
                };
                let tolerance = match inner.next() {
                    Some(t) => {
                        let value =
                            next(&mut t.into_inner().filter(|q| q.as_rule() != Rule::kw_within));
                        Some(self.constant(value)?)
                    }
                    None => None,
                };
                ValueCheck::Compare {
                    op,
                    expected,
                    tolerance,
                }
            }
        };
        Ok(ExpectationKind::Value { subject, check })
    }

    fn subject(&self, pair: Pair<Rule>) -> Subject {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().peekable();
        let status = inner
            .peek()
            .is_some_and(|p| p.as_rule() == Rule::status_subject);
        let parts: Vec<Pair<Rule>> = if status {
            next(&mut inner).into_inner().collect()
        } else {
            inner.collect()
        };
        let mut name = None;
        let mut group = None;
        for p in parts {
            match p.as_rule() {
                Rule::name => name = Some(self.ident(p)),
                Rule::group_select => group = Some(self.group_select(p)),
                _ => {}
            }
        }
        Subject {
            name: name.expect("a subject always names a measure or an indicator"),
            status,
            group,
            span,
        }
    }

    fn group_select(&self, pair: Pair<Rule>) -> Vec<GroupPart> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::group_part)
            .map(|p| {
                let span = self.span(&p);
                let part = next(&mut p.into_inner());
                let text = match part.as_rule() {
                    Rule::kw_none => None,
                    Rule::string => Some(string_value(part)),
                    _ => Some(part.as_str().to_string()),
                };
                GroupPart { text, span }
            })
            .collect()
    }
}

/// One line of a fixture table as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FixtureLine<'t> {
    /// The cells, trimmed, quotes kept, each with its byte offset in the table's text; none
    /// for a blank line, a line of only a comment, or a Markdown rule line.
    pub cells: Vec<(usize, &'t str)>,
    /// The `//` comment that ends the line, with its offset.
    pub comment: Option<(usize, &'t str)>,
    /// Whether the line is a Markdown rule, `|---|:--|`, which holds no row.
    pub rule: bool,
}

/// The lines of a fixture table's text (what is between its braces), split into cells at `|`
/// outside quotes. A line may open and close with `|`, as a row of a Markdown table does; a
/// last bar otherwise ends an empty last cell. The error is the offset of a quote left open.
pub(crate) fn fixture_lines(text: &str) -> std::result::Result<Vec<FixtureLine<'_>>, usize> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let raw = raw.trim_end_matches(['\n', '\r']);
        let (line, comment) = match line_comment_start(raw) {
            Some(i) => (&raw[..i], Some((start + i, raw[i..].trim_end()))),
            None => (raw, None),
        };
        let rule = is_rule_line(line);
        let cells = if line.trim().is_empty() || rule {
            Vec::new()
        } else {
            split_cells(line)
                .map_err(|open| start + open)?
                .into_iter()
                .map(|(at, cell)| (start + at, cell))
                .collect()
        };
        lines.push(FixtureLine {
            cells,
            comment,
            rule,
        });
    }
    Ok(lines)
}

/// The cells of one line, trimmed, with their offsets in the line; the error is the offset
/// of a quote left open.
fn split_cells(line: &str) -> std::result::Result<Vec<(usize, &str)>, usize> {
    let mut bounds = Vec::new();
    let mut cell_start = 0;
    let mut quoted: Option<usize> = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quoted.is_some() => {
                chars.next();
            }
            '"' => quoted = if quoted.is_some() { None } else { Some(i) },
            '|' if quoted.is_none() => {
                bounds.push(cell_start..i);
                cell_start = i + 1;
            }
            _ => {}
        }
    }
    if let Some(open) = quoted {
        return Err(open);
    }
    bounds.push(cell_start..line.len());
    let trimmed = line.trim();
    if trimmed.starts_with('|') {
        bounds.remove(0);
        if trimmed.len() > 1 && trimmed.ends_with('|') && !bounds.is_empty() {
            bounds.pop();
        }
    }
    Ok(bounds
        .into_iter()
        .map(|range| {
            let raw = &line[range.clone()];
            let lead = raw.len() - raw.trim_start().len();
            (range.start + lead, raw.trim())
        })
        .collect())
}

/// A Markdown rule between a table's header and its rows: `|----|:---|`.
fn is_rule_line(line: &str) -> bool {
    line.contains('-')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '+'))
}

/// A header cell must be a column name.
fn column_name(cell: &FixtureCell) -> Result<()> {
    let ok = cell.text.as_deref().is_some_and(|t| {
        let mut chars = t.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if ok {
        return Ok(());
    }
    Err(ParseError {
        code: "msr::syntax::fixture_row",
        message: "the first line of a fixture table names the columns".into(),
        start: cell.span.start as usize,
        end: (cell.span.end as usize).max(cell.span.start as usize + 1),
        label: "expected a column name".into(),
        help: Some(
            "start the table with the names of the columns, such as `id | opened_at`".into(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use crate::syntax::ast::*;
    use crate::syntax::parse;

    fn test_decl(text: &str) -> TestDecl {
        match parse(FileId(0), text) {
            Ok(mut m) => m.tests.remove(0),
            Err(e) => panic!("parse failed: {e:?}"),
        }
    }

    fn table(decl: &TestDecl) -> (Vec<Option<String>>, Vec<Vec<Option<String>>>) {
        let Fixture::Table { header, rows, .. } = &decl.givens[0].rows else {
            panic!("not a table");
        };
        let texts = |cells: &[FixtureCell]| cells.iter().map(|c| c.text.clone()).collect();
        (texts(header), rows.iter().map(|r| texts(r)).collect())
    }

    fn s(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    #[test]
    fn a_table_splits_into_cells_with_empty_ones_missing() {
        let decl = test_decl(
            "test \"t\" {\n  given d {\n    a | b  | c\n    1 |    | x   // note\n\n    2 | \"|}\" |\n  }\n}",
        );
        let (header, rows) = table(&decl);
        assert_eq!(header, vec![s("a"), s("b"), s("c")]);
        assert_eq!(
            rows,
            vec![vec![s("1"), None, s("x")], vec![s("2"), s("|}"), None]]
        );
    }

    #[test]
    fn markdown_rows_open_and_close_with_bars() {
        let decl = test_decl("test \"t\" { given d {\n| a | b |\n|---|:--|\n| 1 |  |\n} }");
        let (header, rows) = table(&decl);
        assert_eq!(header, vec![s("a"), s("b")]);
        assert_eq!(rows, vec![vec![s("1"), None]]);
    }

    #[test]
    fn cells_keep_their_spans() {
        let text = "test \"t\" { given d {\n  name\n  \"x y\"\n} }";
        let decl = test_decl(text);
        let Fixture::Table { rows, .. } = &decl.givens[0].rows else {
            panic!("not a table");
        };
        let cell = &rows[0][0];
        assert_eq!(&text[cell.span.range()], "\"x y\"");
        assert_eq!(cell.text, s("x y"));
    }

    #[test]
    fn an_empty_table_has_no_columns_and_no_rows() {
        let (header, rows) = table(&test_decl("test \"t\" { given d {} }"));
        assert!(header.is_empty() && rows.is_empty());
    }

    #[test]
    fn a_ragged_row_or_a_bad_header_is_a_syntax_error() {
        for text in [
            "test \"t\" { given d {\n a | b\n 1\n} }",
            "test \"t\" { given d {\n a | 2b\n} }",
            "test \"t\" { given d {\n a\n \"open\n} }",
        ] {
            let errors = parse(FileId(0), text).expect_err(text);
            assert!(
                errors.iter().any(|e| e.code.starts_with("msr::syntax::")),
                "{text}: {errors:?}"
            );
        }
    }

    #[test]
    fn expectations_lower_to_what_they_say() {
        let decl = test_decl(
            "test \"t\" {\n series 2025-01 to 2025-03\n given d from \"rows.csv\"\n \
             expect m = 50% within 0.5% in 2025-02\n expect status(i)[\"a\", none] = red\n \
             expect i misses target\n expect m is none \"no values\"\n \
             expect diagnostic msr::data::bad_value \"unknown\"\n}",
        );
        assert!(
            matches!(&decl.runs[0], TestRun::Series(a, b) if a.text == "2025-01" && b.text == "2025-03")
        );
        assert!(matches!(&decl.givens[0].rows, Fixture::File { path, .. } if path == "rows.csv"));
        let kinds: Vec<&ExpectationKind> = decl.expectations.iter().map(|e| &e.kind).collect();
        match kinds[0] {
            ExpectationKind::Value {
                subject,
                check: ValueCheck::Compare { op, tolerance, .. },
            } => {
                assert_eq!(subject.name.name, "m");
                assert_eq!(*op, CompareOp::Eq);
                assert!(tolerance.is_some());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            decl.expectations[0]
                .period
                .as_ref()
                .map(|p| p.text.as_str()),
            Some("2025-02")
        );
        match kinds[1] {
            ExpectationKind::Value { subject, .. } => {
                assert!(subject.status);
                let parts: Vec<Option<String>> = subject
                    .group
                    .iter()
                    .flatten()
                    .map(|p| p.text.clone())
                    .collect();
                assert_eq!(parts, vec![s("a"), None]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            kinds[2],
            ExpectationKind::Target { met: false, .. }
        ));
        assert!(matches!(
            kinds[3],
            ExpectationKind::Value { check: ValueCheck::Missing { reason: Some((r, _)) }, .. } if r == "no values"
        ));
        assert!(matches!(
            kinds[4],
            ExpectationKind::Diagnostic { code, message: Some(m), .. }
                if code == "msr::data::bad_value" && m == "unknown"
        ));
    }
}
