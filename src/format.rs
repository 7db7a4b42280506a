//! The canonical layout of `.msr` files: what `msr fmt` writes.
//!
//! [`format_source`] parses a source and prints it again in one layout, whatever layout it
//! had. It works from pest's concrete parse tree rather than from the AST, because the tree
//! keeps every token as written: literal spellings (`1.50 EUR`, `1h30m`), the brackets the
//! author put, the order of entries. Only whitespace, line breaks and a few separators the
//! layout owns (trailing commas, commas between lookup entries) change.
//!
//! The parts:
//!
//! - `doc`: documents and the printer that fits them into [`WIDTH`] columns;
//! - `comments`: the cursor that recovers comments from the gaps between tokens;
//! - `layout`: lists of entries, one per line, with blank lines and trailing comments;
//! - `decls`: one function per kind of declaration and of block entry;
//! - `expr`: expressions, folded by precedence to know where they may break;
//! - `testing`: `test` blocks, their fixture tables and expectations.
//!
//! Invariants. Tokens are printed in source order, each through the comment cursor, so every
//! comment comes out once and in its place among the tokens. The result is then checked
//! before it is returned: it must parse to the same AST (spans aside) and hold the same
//! comments in the same order. A layout bug therefore gives a diagnostic and leaves the file
//! as it was; it never changes what a programme means.

mod comments;
mod decls;
mod doc;
mod expr;
mod layout;
mod testing;
#[cfg(test)]
mod tests;

use pest::iterators::Pair;

use crate::diagnostic::{Diagnostic, SourceText};
use crate::syntax::{self, ast::FileId, Rule};
use comments::Cursor;
use doc::Doc;
use layout::{Item, Spacing};

/// The widest line the layout aims at. Longer lines remain only where nothing can break: a
/// long title, text or comment.
pub const WIDTH: usize = 100;

/// Columns of indentation per level of nesting.
const INDENT: usize = 2;

/// The source in canonical layout, or the syntax errors that keep it from being formatted.
///
/// `name` names the source in diagnostics. Imports are not followed and nothing is checked
/// beyond the syntax.
pub fn format_source(name: &str, text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = syntax::parse_text(name, text).map_err(|(_, errors)| errors)?;
    let source = SourceText::new(name, text);
    let (Some(module), Some(root)) = (parsed.modules.first(), syntax::parse_tree(text)) else {
        return Err(vec![not_kept(&source, None)]);
    };

    let mut formatter = Formatter {
        cursor: Cursor::new(text),
    };
    let formatted = formatter.file(root);
    if let Some(at) = formatter.cursor.fault() {
        return Err(vec![not_kept(&source, Some(at))]);
    }
    if !keeps(module, text, &formatted) {
        return Err(vec![not_kept(&source, None)]);
    }
    Ok(formatted)
}

/// Whether `formatted` is the same programme as `text`, whose module is `before`, in
/// another layout: the same AST but for its spans, and the same comments in the same order.
fn keeps(before: &syntax::ast::Module, text: &str, formatted: &str) -> bool {
    let Ok(after) = syntax::parse(FileId(0), formatted) else {
        return false;
    };
    shape(before) == shape(&after)
        && comments::all_comments(text) == comments::all_comments(formatted)
}

/// The diagnostic for a layout that would not keep the programme as it is, at the place
/// where the layout and the source parted, when that is known.
fn not_kept(source: &SourceText, at: Option<usize>) -> Diagnostic {
    let (at, label) = match at {
        Some(at) => (at, "the layout lost its place here"),
        None => (0, "in this file"),
    };
    Diagnostic::error(
        "msr::fmt::internal",
        "the formatter could not lay out this file without changing it",
    )
    .with_source(source.clone())
    .with_label(at, at, label)
    .with_help("the file is left as it was; this is a fault of `msr fmt`, please report it")
}

/// A module as text without its spans: what formatting must not change.
fn shape(module: &syntax::ast::Module) -> String {
    let debug = format!("{module:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    // A span prints as `Span { file: FileId(0), start: 1, end: 2 }`, with no braces inside.
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find('}').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The state of one formatting: the cursor over the source, which every token goes through.
struct Formatter<'a> {
    cursor: Cursor<'a>,
}

impl<'a> Formatter<'a> {
    /// The whole file: its declarations, one after another, and the comments after them.
    fn file(&mut self, root: Pair<'a, Rule>) -> String {
        let mut items = Vec::new();
        for declaration in root.into_inner() {
            if declaration.as_rule() == Rule::EOI {
                break;
            }
            items.push(self.item(|f| f.declaration(declaration)));
        }
        let closing = self.cursor.take_rest();
        let text = layout::join(&items, &closing, 0, Spacing::AroundLongItems);
        if text.is_empty() {
            text
        } else {
            text + "\n"
        }
    }

    /// One entry of a list: its own-line comments, its text and its trailing comments.
    fn item(&mut self, build: impl FnOnce(&mut Self) -> String) -> Item<'a> {
        let leading = self.cursor.take_leading();
        let text = build(self);
        let trailing = self.cursor.take_trailing();
        Item {
            leading,
            text,
            trailing,
        }
    }

    /// A `{ ... }` block: the head and its `{` on one line, the entries one per line indented
    /// by one level more, then `}`. An empty block stays `{}`.
    fn block(
        &mut self,
        indent: usize,
        head: Doc,
        entries: impl FnOnce(&mut Self) -> Vec<Item<'a>>,
    ) -> String {
        // The head has no place to break: a very long title leaves it past the width. A
        // break inside `indicator NAME "TITLE" {` would need a layout for a lone `{`, and
        // no title in the repository comes near.
        let open = self.punct("{");
        let mut text = self.render(Doc::concat(vec![head, " ".into(), open]), indent);
        let trailing = self.cursor.take_trailing();
        for comment in &trailing {
            text.push(' ');
            text.push_str(comment.text);
        }

        let items = entries(self);
        let closing = self.cursor.take_rest();
        let close = self.punct("}");
        let close = self.render(close, indent);
        if items.is_empty() && closing.is_empty() && trailing.is_empty() {
            return text + close.trim_start();
        }
        let body = layout::join(&items, &closing, indent + INDENT, Spacing::AsWritten);
        if body.is_empty() {
            format!("{text}\n{close}")
        } else {
            format!("{text}\n{body}\n{close}")
        }
    }

    fn render(&self, doc: Doc, indent: usize) -> String {
        doc::render(&doc, indent, WIDTH)
    }

    /// A token of the tree that has no parts: a name, a literal, a keyword.
    fn token(&mut self, pair: &Pair<'a, Rule>) -> Doc {
        self.cursor.token(pair.as_span().start(), pair.as_str())
    }

    /// Every token of a pair of words only (`count distinct`, `is not none`), one space
    /// apart.
    fn words(&mut self, pair: &Pair<'a, Rule>) -> Doc {
        let leaves = leaves(pair);
        let mut docs = Vec::with_capacity(leaves.len() * 2);
        for (i, leaf) in leaves.iter().enumerate() {
            if i > 0 {
                docs.push(" ".into());
            }
            docs.push(self.token(leaf));
        }
        Doc::concat(docs)
    }

    fn punct(&mut self, text: &str) -> Doc {
        self.cursor.punct(text)
    }

    /// A space when flat, a line break when broken.
    fn line(&mut self) -> Doc {
        self.cursor.line(Doc::line())
    }

    /// Nothing when flat, a line break when broken.
    fn softline(&mut self) -> Doc {
        self.cursor.line(Doc::softline())
    }
}

/// The tokens of a pair, in order: the pairs without parts, and strings whole.
fn leaves<'a>(pair: &Pair<'a, Rule>) -> Vec<Pair<'a, Rule>> {
    let mut out = Vec::new();
    let mut stack = vec![pair.clone()];
    while let Some(pair) = stack.pop() {
        let inner: Vec<Pair<Rule>> = pair.clone().into_inner().collect();
        if inner.is_empty() || pair.as_rule() == Rule::string {
            out.push(pair);
        } else {
            stack.extend(inner.into_iter().rev());
        }
    }
    out
}

/// The parts of a pair, in order.
fn children<'a>(pair: &Pair<'a, Rule>) -> Vec<Pair<'a, Rule>> {
    pair.clone().into_inner().collect()
}
