//! `test` blocks: periods, fixture tables and expectations.
//!
//! A fixture table is one token of the grammar, so its lines are laid out here: cells
//! separated by ` | ` and padded so that the columns line up, without the outer bars and
//! rule lines of a Markdown table; an empty cell stays empty; comments stay at the end of
//! their row, lined up one space after the widest row, or on lines of their own.

use pest::iterators::Pair;

use super::doc::{width_of, Doc};
use super::{children, Formatter, INDENT};
use crate::syntax::{fixture_lines, Rule};

impl<'a> Formatter<'a> {
    /// `test "NAME" { entries }`
    pub(super) fn test(&mut self, pair: Pair<'a, Rule>) -> String {
        let mut parts = children(&pair);
        let entries = parts.split_off(2.min(parts.len()));
        let head = self.spaced_words(&parts);
        self.block(0, head, |f| {
            entries
                .into_iter()
                .map(|entry| f.item(|f| f.test_entry(entry)))
                .collect()
        })
    }

    fn test_entry(&mut self, pair: Pair<'a, Rule>) -> String {
        match pair.as_rule() {
            Rule::given_decl => self.given(pair),
            Rule::expectation => {
                let doc = self.expectation(pair);
                self.render(doc, INDENT)
            }
            // `period P`, `series A to B`
            _ => {
                let doc = self.words(&pair);
                self.render(doc, INDENT)
            }
        }
    }

    /// `given DATASET from "file"`, or `given DATASET { table }`.
    fn given(&mut self, pair: Pair<'a, Rule>) -> String {
        let parts = children(&pair);
        let Some(rows) = parts.last().filter(|p| p.as_rule() == Rule::fixture_table) else {
            let doc = self.words(&pair);
            return self.render(doc, INDENT);
        };
        let head = self.spaced_words(&parts[..parts.len() - 1]);
        let open = self.punct("{");
        let head = self.render(Doc::concat(vec![head, " ".into(), open]), INDENT);
        let text = rows.clone().into_inner().next();
        let (start, text) = match &text {
            Some(t) => (t.as_span().start(), t.as_str()),
            None => (rows.as_span().start() + 1, ""),
        };
        self.cursor.verbatim(start, text);
        let close = self.punct("}");
        let close = self.render(close, INDENT);
        let table = table(text, 2 * INDENT);
        if table.is_empty() {
            return format!("{head}{}", close.trim_start());
        }
        format!("{head}\n{table}\n{close}")
    }

    /// `expect ...`: a subject, a comparison or `is none`, an expected literal, a tolerance;
    /// a target met or missed; or a diagnostic. `in PERIOD` after any.
    fn expectation(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut docs = Vec::new();
        for part in children(&pair) {
            if !docs.is_empty() {
                docs.push(" ".into());
            }
            docs.push(match part.as_rule() {
                Rule::expect_value | Rule::expect_target => self.expected_parts(part),
                _ => self.words(&part),
            });
        }
        Doc::concat(docs)
    }

    /// The parts of an expectation, one space apart; a subject and a group are written
    /// without spaces inside: `status(incident_sla)["it", high]`.
    fn expected_parts(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut docs = Vec::new();
        for part in children(&pair) {
            let rule = part.as_rule();
            let doc = match rule {
                Rule::subject => self.subject(part),
                Rule::group_select => self.group_select(part),
                Rule::expected => self.constant(part),
                _ => self.words(&part),
            };
            // A group follows its name directly.
            if !docs.is_empty() && rule != Rule::group_select {
                docs.push(" ".into());
            }
            docs.push(doc);
        }
        Doc::concat(docs)
    }

    fn subject(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut docs = Vec::new();
        for part in children(&pair) {
            match part.as_rule() {
                Rule::status_subject => {
                    for inner in children(&part) {
                        match inner.as_rule() {
                            Rule::kw_status => {
                                docs.push(self.token(&inner));
                                docs.push(self.punct("("));
                            }
                            Rule::name => {
                                docs.push(self.token(&inner));
                                docs.push(self.punct(")"));
                            }
                            _ => docs.push(self.group_select(inner)),
                        }
                    }
                }
                Rule::group_select => docs.push(self.group_select(part)),
                _ => docs.push(self.token(&part)),
            }
        }
        Doc::concat(docs)
    }

    /// `["it", high]`
    fn group_select(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut docs = vec![self.punct("[")];
        for (i, part) in children(&pair).into_iter().enumerate() {
            if i > 0 {
                docs.push(self.punct(","));
                docs.push(" ".into());
            }
            docs.push(self.words(&part));
        }
        docs.push(self.punct("]"));
        Doc::concat(docs)
    }

    /// A constant as an expectation or a lookup entry writes it: a literal, `-` and a
    /// literal, or a name.
    pub(super) fn constant(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut docs = Vec::new();
        for part in children(&pair) {
            if part.as_rule() == Rule::negative {
                docs.push(self.punct("-"));
                for literal in children(&part) {
                    docs.push(self.token(&literal));
                }
            } else if part.as_rule() == Rule::expr {
                // A computed value, in its parentheses.
                let open = self.punct("(");
                let inner = self.expr(part);
                let close = self.punct(")");
                docs.extend([open, inner, close]);
            } else {
                docs.push(self.token(&part));
            }
        }
        Doc::concat(docs)
    }

    /// The words of several pairs, one space apart.
    fn spaced_words(&mut self, pairs: &[Pair<'a, Rule>]) -> Doc {
        let mut docs = Vec::new();
        for pair in pairs {
            if !docs.is_empty() {
                docs.push(" ".into());
            }
            docs.push(self.words(pair));
        }
        Doc::concat(docs)
    }
}

/// The lines of a fixture table's text laid out at `indent`, without a final line break;
/// empty for a table without rows or comments. Text that does not split into cells (a quote
/// left open, which the parser has refused already) is kept as it is.
fn table(text: &str, indent: usize) -> String {
    let Ok(lines) = fixture_lines(text) else {
        return text.trim().to_string();
    };
    let columns = lines.iter().map(|l| l.cells.len()).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for line in &lines {
        for (w, (_, cell)) in widths.iter_mut().zip(&line.cells) {
            *w = (*w).max(width_of(cell));
        }
    }
    let pad = " ".repeat(indent);
    let row = |cells: &[(usize, &str)]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|((_, cell), w)| format!("{cell:w$}"))
            .collect();
        format!("{pad}{}", padded.join(" | "))
            .trim_end()
            .to_string()
    };
    let widest = lines
        .iter()
        .filter(|l| !l.cells.is_empty() && l.comment.is_some())
        .map(|l| width_of(&row(&l.cells)))
        .max()
        .unwrap_or(0);

    let mut out: Vec<String> = Vec::new();
    let mut blank = false;
    for line in &lines {
        match (&line.cells[..], line.comment) {
            ([], None) if !line.rule => blank = !out.is_empty(),
            ([], None) => {}
            ([], Some((_, comment))) => {
                if std::mem::take(&mut blank) {
                    out.push(String::new());
                }
                out.push(format!("{pad}{comment}"));
            }
            (cells, comment) => {
                if std::mem::take(&mut blank) {
                    out.push(String::new());
                }
                let mut text = row(cells);
                if let Some((_, comment)) = comment {
                    let gap = widest + 1 - width_of(&text);
                    text.push_str(&" ".repeat(gap.max(1)));
                    text.push_str(comment);
                }
                out.push(text);
            }
        }
    }
    out.join("\n")
}
