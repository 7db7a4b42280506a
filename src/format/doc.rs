//! Documents: text with possible line breaks, and the printer that lays them out in a width.
//!
//! This is the algebra of Wadler's "prettier printer", kept small: a [`Doc::group`] is
//! printed on one line when it fits in what is left of the line, and otherwise every
//! [`Doc::line`] directly inside it becomes a line break, indented by the [`Doc::nest`]
//! around it. Inner groups decide again for themselves, so the outermost structure breaks
//! first. A group that holds a forced break ([`Doc::hard`], or a block comment over several
//! lines) is always broken.
//!
//! Two rules of the printer keep the output clean whatever the documents hold: a line break
//! at the start of an empty line only moves that line's indentation (so a comment's forced
//! break and a group's break never make an empty line between them), and no line ends in
//! spaces. Blank lines are not made here: the declarations and blocks that keep them are
//! joined as text by the caller.

/// A document to lay out.
#[derive(Debug, Clone)]
pub(crate) enum Doc {
    /// Text of one or more lines, printed as it is.
    Text(String),
    /// A break: the given text when its group is flat, a new line when it is broken.
    Line(&'static str),
    /// A new line whatever the groups around decide; every group around it is broken.
    Hard,
    /// One space, unless the line is empty so far or already ends in a space: the room to
    /// leave before a comment.
    Gap,
    /// Text printed only when the innermost group around it is broken: a trailing comma.
    IfBroken(&'static str),
    /// The inner document, with its line breaks indented by so many more columns.
    Nest(usize, Box<Doc>),
    /// A unit that is printed flat if it fits; `true` when it must break.
    Group(bool, Box<Doc>),
    Concat(Vec<Doc>),
}

impl Doc {
    pub(crate) fn nil() -> Doc {
        Doc::Concat(Vec::new())
    }

    pub(crate) fn text(text: impl Into<String>) -> Doc {
        Doc::Text(text.into())
    }

    /// A space when flat, a line break when broken.
    pub(crate) fn line() -> Doc {
        Doc::Line(" ")
    }

    /// Nothing when flat, a line break when broken.
    pub(crate) fn softline() -> Doc {
        Doc::Line("")
    }

    pub(crate) fn hard() -> Doc {
        Doc::Hard
    }

    pub(crate) fn concat(docs: Vec<Doc>) -> Doc {
        Doc::Concat(docs)
    }

    pub(crate) fn nest(self, indent: usize) -> Doc {
        Doc::Nest(indent, Box::new(self))
    }

    pub(crate) fn group(self) -> Doc {
        Doc::Group(self.forces_break(), Box::new(self))
    }

    /// Whether the document cannot be printed on one line.
    fn forces_break(&self) -> bool {
        match self {
            Doc::Hard => true,
            Doc::Text(text) => text.contains('\n'),
            Doc::Group(forced, _) => *forced,
            Doc::Nest(_, inner) => inner.forces_break(),
            Doc::Concat(docs) => docs.iter().any(Doc::forces_break),
            Doc::Line(_) | Doc::Gap | Doc::IfBroken(_) => false,
        }
    }
}

impl From<&str> for Doc {
    fn from(text: &str) -> Doc {
        Doc::Text(text.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Broken,
}

type Command<'d> = (usize, Mode, &'d Doc);

/// Lays a document out in `width` columns, its first line and its breaks indented by
/// `indent`. The result has no final line break.
pub(crate) fn render(doc: &Doc, indent: usize, width: usize) -> String {
    let mut out = Output::new(indent);
    let mut stack: Vec<Command> = vec![(indent, Mode::Broken, doc)];
    while let Some((indent, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(text) => out.text(text),
            Doc::Line(flat) if mode == Mode::Flat => out.text(flat),
            Doc::Line(_) | Doc::Hard => out.newline(indent),
            Doc::Gap => out.gap(),
            Doc::IfBroken(text) if mode == Mode::Broken => out.text(text),
            Doc::IfBroken(_) => {}
            Doc::Nest(more, inner) => stack.push((indent + more, mode, inner)),
            Doc::Group(forced, inner) => {
                let flat = mode == Mode::Flat
                    || (!forced && fits(width as isize - out.column as isize, inner, &stack));
                let mode = if flat { Mode::Flat } else { Mode::Broken };
                stack.push((indent, mode, inner));
            }
            Doc::Concat(docs) => stack.extend(docs.iter().rev().map(|d| (indent, mode, d))),
        }
    }
    out.finish()
}

/// Whether `doc`, flat, and what follows it up to the next possible line break, fit in
/// `room` columns. A group that follows may break at its first line, so it ends the measure.
fn fits(mut room: isize, doc: &Doc, rest: &[Command]) -> bool {
    let mut local: Vec<(Mode, &Doc)> = vec![(Mode::Flat, doc)];
    let mut rest = rest.iter().rev();
    loop {
        let (mode, doc) = match local.pop() {
            Some(next) => next,
            None => match rest.next() {
                Some(&(_, mode, doc)) => (mode, doc),
                None => return true,
            },
        };
        match doc {
            Doc::Text(text) if text.contains('\n') => return true,
            Doc::Text(text) => room -= width_of(text) as isize,
            Doc::Line(flat) if mode == Mode::Flat => room -= flat.len() as isize,
            Doc::Line(_) | Doc::Hard => return true,
            Doc::Gap => room -= 1,
            Doc::IfBroken(text) if mode == Mode::Broken => room -= text.len() as isize,
            Doc::IfBroken(_) => {}
            Doc::Nest(_, inner) => local.push((mode, inner)),
            Doc::Group(_, inner) => local.push((mode, inner)),
            Doc::Concat(docs) => local.extend(docs.iter().rev().map(|d| (mode, d))),
        }
        if room < 0 {
            return false;
        }
    }
}

/// Columns a text takes; characters rather than bytes, which is right for every name and
/// close enough for the rest.
pub(crate) fn width_of(text: &str) -> usize {
    text.chars().count()
}

/// The text printed so far and where its last line stands.
struct Output {
    text: String,
    /// Whether the current line has nothing on it yet.
    empty: bool,
    /// The indentation of the current line, written before its first text.
    indent: usize,
    column: usize,
}

impl Output {
    fn new(indent: usize) -> Output {
        Output {
            text: String::new(),
            empty: true,
            indent,
            column: indent,
        }
    }

    fn text(&mut self, text: &str) {
        if self.empty {
            if text.trim().is_empty() {
                return;
            }
            self.text.extend(std::iter::repeat_n(' ', self.indent));
            self.empty = false;
        }
        self.text.push_str(text);
        self.column = match text.rfind('\n') {
            Some(at) => width_of(&text[at + 1..]),
            None => self.column + width_of(text),
        };
    }

    fn gap(&mut self) {
        if !self.empty && !self.text.ends_with(' ') {
            self.text(" ");
        }
    }

    fn newline(&mut self, indent: usize) {
        if !self.empty {
            self.trim_end();
            self.text.push('\n');
            self.empty = true;
        }
        self.indent = indent;
        self.column = indent;
    }

    fn trim_end(&mut self) {
        let kept = self.text.trim_end_matches(' ').len();
        self.text.truncate(kept);
    }

    fn finish(mut self) -> String {
        self.trim_end();
        if self.text.ends_with('\n') {
            self.text.pop();
        }
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(args: &[&str]) -> Doc {
        let mut inner = vec![Doc::softline()];
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                inner.push(",".into());
                inner.push(Doc::line());
            }
            inner.push((*arg).into());
        }
        Doc::concat(vec![
            "f(".into(),
            Doc::concat(inner).nest(2),
            Doc::IfBroken(","),
            Doc::softline(),
            ")".into(),
        ])
        .group()
    }

    #[test]
    fn a_group_that_fits_stays_on_one_line() {
        assert_eq!(render(&call(&["a", "b"]), 0, 20), "f(a, b)");
    }

    #[test]
    fn a_group_that_does_not_fit_breaks_every_line_and_adds_what_only_a_break_shows() {
        assert_eq!(
            render(&call(&["alpha", "beta"]), 0, 10),
            "f(\n  alpha,\n  beta,\n)"
        );
    }

    #[test]
    fn indentation_starts_where_the_caller_says() {
        assert_eq!(
            render(&call(&["alpha", "beta"]), 4, 12),
            "    f(\n      alpha,\n      beta,\n    )"
        );
    }

    #[test]
    fn a_forced_break_breaks_the_groups_around_it_without_an_empty_line() {
        let doc = Doc::concat(vec![
            "a".into(),
            Doc::text(" // note"),
            Doc::hard(),
            Doc::line(),
            "b".into(),
        ])
        .nest(2)
        .group();
        assert_eq!(render(&doc, 0, 80), "a // note\n  b");
    }

    #[test]
    fn what_follows_a_group_counts_until_the_next_possible_break() {
        let doc = Doc::concat(vec![
            Doc::concat(vec!["x".into(), Doc::line(), "y".into()]).group(),
            " tail that is long".into(),
        ]);
        assert_eq!(render(&doc, 0, 10), "x\ny tail that is long");
    }

    #[test]
    fn a_gap_is_one_space_except_at_the_start_of_a_line_or_after_a_space() {
        let doc = Doc::concat(vec![
            Doc::Gap,
            "(x".into(),
            Doc::Gap,
            Doc::Gap,
            "/* c */".into(),
        ]);
        assert_eq!(render(&doc, 0, 80), "(x /* c */");
    }

    #[test]
    fn lines_never_end_in_spaces() {
        let doc = Doc::concat(vec!["a ".into(), Doc::hard(), "b".into()]);
        assert_eq!(render(&doc, 0, 80), "a\nb");
    }
}
