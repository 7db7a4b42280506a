//! Declarations and the entries of their blocks, one function each.
//!
//! A declaration is laid out at the left margin and returned as text; the file joins them.
//! Blocks put one entry per line, indented one level, and line up what reads as a table:
//! the first words of a dataset's settings and of an indicator's entries, a dataset's column
//! names before `:`, a lookup's keys before `=`, the statuses of decision criteria before
//! `when`. A new kind of declaration or entry is one more function here and one more arm in
//! [`Formatter::declaration`] or in the block's entry function.

use pest::iterators::Pair;

use super::doc::{width_of, Doc};
use super::layout::{self, Item, Spacing};
use super::{children, leaves, Formatter, INDENT, WIDTH};
use crate::syntax::Rule;

impl<'a> Formatter<'a> {
    /// One declaration, at the left margin.
    pub(super) fn declaration(&mut self, pair: Pair<'a, Rule>) -> String {
        match pair.as_rule() {
            Rule::use_decl => self.use_decl(pair),
            Rule::scale_decl => self.scale(pair),
            Rule::dataset_decl => self.dataset(pair),
            Rule::hierarchy_decl => self.hierarchy(pair),
            Rule::lookup_decl => self.lookup(pair),
            Rule::measure_decl => self.measure(pair),
            Rule::indicator_decl => self.indicator(pair),
            Rule::test_decl => self.test(pair),
            Rule::bind_decl => self.bind(pair),
            // Every declaration of the grammar has its arm above; one without fails the
            // check of the result, and the file is left as it was.
            _ => {
                let doc = self.words(&pair);
                self.render(doc, 0)
            }
        }
    }

    /// `use "path"`
    fn use_decl(&mut self, pair: Pair<'a, Rule>) -> String {
        let doc = self.spaced(&children(&pair));
        self.render(doc, 0)
    }

    /// `scale NAME = KIND [a, b, c]` on one line when it fits and holds no comment, else one
    /// category per line, each with its comma.
    fn scale(&mut self, pair: Pair<'a, Rule>) -> String {
        let mut parts = children(&pair).into_iter();
        let mut head = Vec::new();
        for part in parts.by_ref().take(2) {
            head.push(self.words(&part));
            head.push(" ".into());
        }
        head.push(self.punct("="));
        for part in parts.by_ref().take(1) {
            head.push(" ".into());
            head.push(self.words(&part));
        }
        head.push(" ".into());
        head.push(self.punct("["));
        let head = self.render(Doc::concat(head), 0);
        let categories = parts.next().map(|list| children(&list)).unwrap_or_default();

        // Try the line; a comment among the categories, or too long a line, rules it out.
        let before = self.cursor.clone();
        let flat = self.categories_flat(&categories);
        let flat = format!("{head}{}", self.render(flat, 0));
        if self.cursor.emitted() == before.emitted() && width_of(&flat) <= WIDTH {
            return flat;
        }
        self.cursor = before;
        self.categories_block(head, categories)
    }

    /// The categories of a scale one per line after `head`, which ends in `[`.
    fn categories_block(&mut self, head: String, categories: Vec<Pair<'a, Rule>>) -> String {
        let trailing = self.cursor.take_trailing();
        let count = categories.len();
        let items: Vec<Item> = categories
            .into_iter()
            .enumerate()
            .map(|(i, category)| {
                self.item(|f| {
                    let mut doc = vec![f.category(category)];
                    if i + 1 < count {
                        doc.push(f.punct(","));
                    } else {
                        // The layout owns the trailing comma.
                        f.cursor.skip(",");
                        doc.push(",".into());
                    }
                    f.render(Doc::concat(doc), INDENT)
                })
            })
            .collect();
        let closing = self.cursor.take_rest();
        let close = self.punct("]");
        let close = self.render(close, 0);
        let body = layout::join(&items, &closing, INDENT, Spacing::AsWritten);
        format!("{head}{}\n{body}\n{close}", trailing_text(&trailing))
    }

    fn categories_flat(&mut self, categories: &[Pair<'a, Rule>]) -> Doc {
        let mut docs = Vec::new();
        for (i, category) in categories.iter().enumerate() {
            if i > 0 {
                docs.push(self.punct(","));
                docs.push(" ".into());
            }
            docs.push(self.category(category.clone()));
        }
        self.cursor.skip(",");
        docs.push(self.punct("]"));
        Doc::concat(docs)
    }

    /// `name` or `name = score`.
    fn category(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut parts = children(&pair).into_iter();
        let mut docs = Vec::new();
        if let Some(name) = parts.next() {
            docs.push(self.token(&name));
        }
        if let Some(score) = parts.next() {
            docs.push(" ".into());
            docs.push(self.punct("="));
            docs.push(" ".into());
            docs.push(self.token(&score));
        }
        Doc::concat(docs)
    }

    /// `dataset NAME "TITLE" { settings and columns }`
    fn dataset(&mut self, pair: Pair<'a, Rule>) -> String {
        let (head, entries) = split_head(&pair);
        let head = self.spaced(&head);
        self.settings_and_columns(head, entries, Rule::column_decl, Self::column)
    }

    /// A block of settings (`source "x.csv"`), their first words padded to one width, and
    /// of columns, laid out by `column` with their names padded to another.
    fn settings_and_columns(
        &mut self,
        head: Doc,
        entries: Vec<Pair<'a, Rule>>,
        column_rule: Rule,
        column: fn(&mut Self, Pair<'a, Rule>, usize) -> Doc,
    ) -> String {
        let width = |of_columns: bool| {
            entries
                .iter()
                .filter(|e| (e.as_rule() == column_rule) == of_columns)
                .map(first_word_width)
                .max()
                .unwrap_or(0)
        };
        let (keyword, name) = (width(false), width(true));
        self.block(0, head, |f| {
            entries
                .into_iter()
                .map(|entry| {
                    f.item(|f| {
                        let doc = if entry.as_rule() == column_rule {
                            column(f, entry, name)
                        } else {
                            f.entry(entry, keyword)
                        };
                        f.render(doc, INDENT)
                    })
                })
                .collect()
        })
    }

    /// `name : Type`, the name padded to `width` so that the colons line up.
    fn column(&mut self, pair: Pair<'a, Rule>, width: usize) -> Doc {
        let mut parts = children(&pair).into_iter();
        let mut docs = Vec::new();
        if let Some(name) = parts.next() {
            docs.push(self.padded(&name, width));
        }
        docs.push(" ".into());
        docs.push(self.punct(":"));
        docs.push(" ".into());
        if let Some(ty) = parts.next() {
            docs.push(self.type_ref(ty));
        }
        Doc::concat(docs)
    }

    /// A type: `ordinal Severity`, `Count<incident>`, `Money<EUR> per incident`, `DateTime?`.
    fn type_ref(&mut self, pair: Pair<'a, Rule>) -> Doc {
        let mut docs = Vec::new();
        for part in children(&pair) {
            match part.as_rule() {
                Rule::type_name => {
                    if !docs.is_empty() {
                        docs.push(" ".into());
                    }
                    let mut name = children(&part).into_iter();
                    if let Some(base) = name.next() {
                        docs.push(self.token(&base));
                    }
                    if let Some(arg) = name.next() {
                        docs.push(self.punct("<"));
                        docs.push(self.words(&arg));
                        docs.push(self.punct(">"));
                    }
                }
                Rule::optional_mark => docs.push(self.token(&part)),
                _ => {
                    if !docs.is_empty() {
                        docs.push(" ".into());
                    }
                    docs.push(self.words(&part));
                }
            }
        }
        Doc::concat(docs)
    }

    /// `hierarchy NAME "TITLE" = DATASET(NODE, PARENT)`
    fn hierarchy(&mut self, pair: Pair<'a, Rule>) -> String {
        let parts = children(&pair);
        let head_len = parts.len().saturating_sub(3);
        let head = self.spaced(&parts[..head_len]);
        let equals = self.punct("=");
        let mut tree = vec![self.line()];
        for (i, part) in parts[head_len..].iter().enumerate() {
            match i {
                1 => tree.push(self.punct("(")),
                2 => {
                    tree.push(self.punct(","));
                    tree.push(" ".into());
                }
                _ => {}
            }
            tree.push(self.token(part));
        }
        tree.push(self.punct(")"));
        let doc = Doc::concat(vec![
            head,
            " ".into(),
            equals,
            Doc::concat(tree).nest(INDENT),
        ]);
        self.render(doc.group(), 0)
    }

    /// `lookup NAME "TITLE" : KEY -> VALUE { key = value ... }`, the keys padded so that the
    /// `=` line up. Commas between entries are left out.
    fn lookup(&mut self, pair: Pair<'a, Rule>) -> String {
        let parts = children(&pair);
        let types_at = parts
            .iter()
            .position(|p| p.as_rule() == Rule::type_ref)
            .unwrap_or(parts.len());
        let mut head = vec![self.spaced(&parts[..types_at])];
        let mut entries = Vec::new();
        let mut before_types = [":", "->"].into_iter();
        for part in &parts[types_at..] {
            match part.as_rule() {
                Rule::type_ref => {
                    let before = before_types.next().unwrap_or("->");
                    head.push(" ".into());
                    head.push(self.punct(before));
                    head.push(" ".into());
                    head.push(self.type_ref(part.clone()));
                }
                _ => entries.push(part.clone()),
            }
        }
        let width = entries.iter().map(first_word_width).max().unwrap_or(0);
        self.block(0, Doc::concat(head), |f| {
            entries
                .into_iter()
                .map(|entry| {
                    f.item(|f| {
                        let doc = f.lookup_entry(entry, width);
                        f.cursor.skip(",");
                        f.render(doc, INDENT)
                    })
                })
                .collect()
        })
    }

    fn lookup_entry(&mut self, pair: Pair<'a, Rule>, width: usize) -> Doc {
        let mut parts = children(&pair).into_iter();
        let mut docs = Vec::new();
        if let Some(key) = parts.next() {
            docs.push(self.padded(&key, width));
        }
        docs.push(" ".into());
        docs.push(self.punct("="));
        docs.push(" ".into());
        for value in parts {
            docs.push(self.constant(value));
        }
        Doc::concat(docs)
    }

    /// `[base|derived] measure NAME "TITLE" : TYPE = EXPR by KEYS`
    ///
    /// On one line when it fits; else the expression goes to the next line, indented. When
    /// even `... : TYPE =` is too long, the type goes to a line of its own, and the title
    /// too when `measure NAME "TITLE" :` is.
    fn measure(&mut self, pair: Pair<'a, Rule>) -> String {
        let mut head = Vec::new();
        let mut title = Doc::nil();
        let mut ty = Doc::nil();
        let mut body = Vec::new();
        for part in children(&pair) {
            match part.as_rule() {
                Rule::title => {
                    let line = self.line();
                    let text = self.words(&part);
                    title = Doc::concat(vec![line, text]).nest(INDENT).group();
                }
                Rule::type_ref => {
                    let colon = self.punct(":");
                    let line = self.line();
                    let type_doc = self.type_ref(part);
                    let equals = self.punct("=");
                    ty = Doc::concat(vec![
                        " ".into(),
                        colon,
                        Doc::concat(vec![line, type_doc, " ".into(), equals]).nest(INDENT),
                    ]);
                }
                Rule::expr => {
                    body.push(self.line());
                    body.push(self.expr(part));
                }
                Rule::group_by => {
                    let line = self.line();
                    let keys = self.group_by(part, 0);
                    body.push(Doc::concat(vec![line, keys]).group());
                }
                _ => {
                    if !head.is_empty() {
                        head.push(" ".into());
                    }
                    head.push(self.words(&part));
                }
            }
        }
        let declared = Doc::concat(vec![Doc::concat(head), title, ty]).group();
        let defined = Doc::concat(body).nest(INDENT).group();
        self.render(Doc::concat(vec![declared, defined]), 0)
    }

    /// `by KEY, KEY`, `by` padded to `width`. A key is a column, a bucket of one
    /// (`month(opened_at)`) or a roll-up (`org(unit)`).
    fn group_by(&mut self, pair: Pair<'a, Rule>, width: usize) -> Doc {
        let mut parts = children(&pair).into_iter();
        let mut docs = Vec::new();
        if let Some(by) = parts.next() {
            docs.push(self.padded(&by, width));
        }
        for (i, key) in parts.enumerate() {
            if i > 0 {
                docs.push(self.punct(","));
            }
            docs.push(" ".into());
            let key = children(&key);
            if let [function, column] = key.as_slice() {
                docs.push(self.words(function));
                docs.push(self.punct("("));
                docs.push(self.token(column));
                docs.push(self.punct(")"));
            } else {
                docs.push(self.spaced(&key));
            }
        }
        Doc::concat(docs)
    }

    /// `bind DATASET { source ... zone ... column = "name" { "text" = category } }`: the
    /// settings' keywords padded as a dataset's are, the columns padded so that `=` lines up.
    fn bind(&mut self, pair: Pair<'a, Rule>) -> String {
        let mut parts = children(&pair);
        let entries = parts.split_off(2.min(parts.len()));
        let head = self.spaced(&parts);
        self.settings_and_columns(head, entries, Rule::column_binding, Self::column_binding)
    }

    /// `severity = "Priority" { "P1" = critical, "P2" = high }`, the recoding on the line
    /// when it fits, else one text per line.
    fn column_binding(&mut self, pair: Pair<'a, Rule>, width: usize) -> Doc {
        let mut parts = children(&pair).into_iter();
        let mut docs = Vec::new();
        if let Some(name) = parts.next() {
            docs.push(self.padded(&name, width));
        }
        docs.push(" ".into());
        docs.push(self.punct("="));
        for part in parts {
            docs.push(" ".into());
            if part.as_rule() != Rule::recode {
                docs.push(self.token(&part));
                continue;
            }
            let mut inner = vec![self.punct("{")];
            let entries = children(&part);
            let count = entries.len();
            let mut body = Vec::new();
            for (i, entry) in entries.into_iter().enumerate() {
                body.push(self.line());
                let mut texts = children(&entry).into_iter();
                if let Some(text) = texts.next() {
                    body.push(self.token(&text));
                }
                body.push(" ".into());
                body.push(self.punct("="));
                body.push(" ".into());
                if let Some(category) = texts.next() {
                    body.push(self.token(&category));
                }
                self.cursor.skip(",");
                if i + 1 < count {
                    body.push(",".into());
                }
            }
            inner.push(Doc::concat(body).nest(INDENT));
            inner.push(self.line());
            inner.push(self.punct("}"));
            docs.push(Doc::concat(inner).group());
        }
        Doc::concat(docs)
    }

    /// `indicator NAME "TITLE" { entries }`, the first words of the entries padded so that
    /// what follows them lines up (the `criteria` block aside).
    fn indicator(&mut self, pair: Pair<'a, Rule>) -> String {
        let (head, entries) = split_head(&pair);
        let head = self.spaced(&head);
        let width = entries
            .iter()
            .filter(|e| e.as_rule() != Rule::criteria_entry)
            .map(first_word_width)
            .max()
            .unwrap_or(0);
        self.block(0, head, |f| {
            entries
                .into_iter()
                .map(|entry| f.item(|f| f.indicator_entry(entry, width)))
                .collect()
        })
    }

    fn indicator_entry(&mut self, pair: Pair<'a, Rule>, width: usize) -> String {
        let doc = match pair.as_rule() {
            Rule::criteria_entry => return self.criteria(pair),
            Rule::group_by => self.group_by(pair, width),
            Rule::fact => self.fact(pair, width),
            _ => self.entry(pair, width),
        };
        self.render(doc, INDENT)
    }

    /// `criteria { STATUS when CONDITION ... STATUS otherwise }`, the statuses padded so
    /// that `when` and `otherwise` line up.
    fn criteria(&mut self, pair: Pair<'a, Rule>) -> String {
        let mut parts = children(&pair).into_iter();
        let head = parts.next().map_or_else(Doc::nil, |k| self.token(&k));
        let bands: Vec<Pair<Rule>> = parts.collect();
        let width = bands.iter().map(first_word_width).max().unwrap_or(0);
        self.block(INDENT, head, |f| {
            bands
                .into_iter()
                .map(|band| {
                    f.item(|f| {
                        let doc = f.entry(band, width);
                        f.render(doc, 2 * INDENT)
                    })
                })
                .collect()
        })
    }

    /// A template fact: `owner "Head of SOC"`, `controls "A.5.24", "A.5.26"`, `frequency
    /// collect monthly, report quarterly`. A list of values too long for the line puts one
    /// value per line, under the first.
    fn fact(&mut self, pair: Pair<'a, Rule>, width: usize) -> Doc {
        let mut parts = children(&pair).into_iter();
        let Some(name) = parts.next() else {
            return Doc::nil();
        };
        let column = width.max(width_of(name.as_str())) + 1;
        let name = self.padded(&name, width);
        let mut values = Vec::new();
        for (i, value) in parts.enumerate() {
            if i > 0 {
                values.push(self.punct(","));
                values.push(self.line());
            }
            values.push(self.words(&value));
        }
        Doc::concat(vec![
            name,
            " ".into(),
            Doc::concat(values).nest(column).group(),
        ])
    }

    /// An entry that opens with a word and goes on with words and expressions: a dataset's
    /// `source "x.csv"`, an indicator's `target >= 95%` or `gate red when x > 0`, a band's
    /// `green when value >= 95%`. The first word is padded to `width`.
    ///
    /// What follows the first word is one column of the table: a long expression there
    /// breaks with its lines indented from that column.
    fn entry(&mut self, pair: Pair<'a, Rule>, width: usize) -> Doc {
        let mut parts = children(&pair).into_iter();
        let Some(first) = parts.next() else {
            return Doc::nil();
        };
        let column = width.max(width_of(first.as_str())) + 1;
        let first = self.padded(&first, width);
        let mut rest = Vec::new();
        for part in parts {
            rest.push(" ".into());
            rest.push(match part.as_rule() {
                Rule::expr => self.expr(part),
                _ => self.words(&part),
            });
        }
        Doc::concat(vec![first, Doc::concat(rest).nest(column)])
    }

    /// A token followed by the spaces that bring it to `width` columns.
    fn padded(&mut self, pair: &Pair<'a, Rule>, width: usize) -> Doc {
        let pad = width.saturating_sub(width_of(pair.as_str().trim()));
        let token = self.words(pair);
        Doc::concat(vec![token, Doc::text(" ".repeat(pad))])
    }

    /// The tokens of the pairs, one space apart.
    fn spaced(&mut self, pairs: &[Pair<'a, Rule>]) -> Doc {
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

/// A declaration's parts before its block (keyword, name, title), and its entries.
fn split_head<'a>(pair: &Pair<'a, Rule>) -> (Vec<Pair<'a, Rule>>, Vec<Pair<'a, Rule>>) {
    let mut parts = children(pair);
    let head_len = parts
        .iter()
        .take_while(|p| {
            matches!(
                p.as_rule(),
                Rule::kw_dataset | Rule::kw_indicator | Rule::name | Rule::title
            )
        })
        .count();
    let entries = parts.split_off(head_len);
    (parts, entries)
}

/// The width of an entry's first token: its keyword, name, key or status.
fn first_word_width(pair: &Pair<Rule>) -> usize {
    leaves(pair)
        .first()
        .map_or(0, |leaf| width_of(leaf.as_str()))
}

fn trailing_text(comments: &[super::comments::Comment]) -> String {
    comments.iter().map(|c| format!(" {}", c.text)).collect()
}
