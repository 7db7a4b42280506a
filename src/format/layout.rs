//! Lists of entries, one per line: the declarations of a file and the entries of a block.
//!
//! Each [`Item`] is laid out on its own first, then the list joins the items with the
//! comments on lines of their own before each, keeps a single blank line wherever the
//! author left one or more, and lines up the comments that trail consecutive one-line items.

use super::comments::{Comment, Leading};
use super::doc::width_of;
use super::WIDTH;

/// One entry, laid out.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub leading: Leading<'a>,
    /// The entry's lines, each indented, without a final line break.
    pub text: String,
    /// Comments after the entry's last token on its last line.
    pub trailing: Vec<Comment<'a>>,
}

impl Item<'_> {
    fn is_one_line(&self) -> bool {
        !self.text.contains('\n')
    }
}

/// Where blank lines go between the items of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spacing {
    /// Only where the author left one: the entries of a block.
    AsWritten,
    /// Also around every item of several lines: the declarations of a file.
    AroundLongItems,
}

/// The items one after another at `indent`, then the comments that close the list (before a
/// block's `}` or at the end of the file). Without a final line break.
pub(crate) fn join(items: &[Item], closing: &[Comment], indent: usize, spacing: Spacing) -> String {
    let columns = trailing_columns(items, indent);
    let mut lines: Vec<String> = Vec::new();
    let pad = " ".repeat(indent);

    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            let long = !item.is_one_line() || !items[i - 1].is_one_line();
            if item.leading.blank_before || (spacing == Spacing::AroundLongItems && long) {
                lines.push(String::new());
            }
        }
        for (j, comment) in item.leading.comments.iter().enumerate() {
            if j > 0 && comment.blank_before {
                lines.push(String::new());
            }
            lines.push(format!("{pad}{}", comment.text));
        }
        if !item.leading.comments.is_empty() && item.leading.blank_after {
            lines.push(String::new());
        }
        lines.push(with_trailing(&item.text, &item.trailing, columns[i]));
    }

    for (j, comment) in closing.iter().enumerate() {
        if comment.blank_before && (j > 0 || !items.is_empty()) {
            lines.push(String::new());
        }
        lines.push(format!("{pad}{}", comment.text));
    }
    lines.join("\n")
}

/// The text of an entry with the comments that trail it, the first starting at `column`
/// when that is given and leaves room for it.
fn with_trailing(text: &str, trailing: &[Comment], column: Option<usize>) -> String {
    if trailing.is_empty() {
        return text.to_string();
    }
    let comments: Vec<&str> = trailing.iter().map(|c| c.text).collect();
    let comments = comments.join(" ");
    let width = last_line_width(text);
    let gap = match column {
        Some(column) if column > width && column + width_of(&comments) <= WIDTH => column - width,
        _ => 1,
    };
    format!("{text}{}{comments}", " ".repeat(gap))
}

/// For each item, the column its trailing comments line up at: one space after the longest
/// one-line item with a trailing comment in its run. A run is a sequence of one-line items
/// without a blank line between them.
fn trailing_columns(items: &[Item], indent: usize) -> Vec<Option<usize>> {
    let mut columns = vec![None; items.len()];
    let mut start = 0;
    while start < items.len() {
        let mut end = start + 1;
        while end < items.len()
            && items[end - 1].is_one_line()
            && items[end].is_one_line()
            && !items[end].leading.blank_before
            && !items[end].leading.blank_after
        {
            end += 1;
        }
        let aligned = |item: &Item| {
            item.is_one_line()
                && !item.trailing.is_empty()
                && item.trailing.iter().all(|c| !c.text.contains('\n'))
        };
        let longest = items[start..end]
            .iter()
            .filter(|item| aligned(item))
            .map(|item| last_line_width(&item.text).max(indent))
            .max();
        if let Some(longest) = longest {
            for (i, item) in items.iter().enumerate().take(end).skip(start) {
                if aligned(item) {
                    columns[i] = Some(longest + 1);
                }
            }
        }
        start = end;
    }
    columns
}

fn last_line_width(text: &str) -> usize {
    width_of(text.rsplit('\n').next().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(text: &str, blank_before: bool) -> Comment<'_> {
        Comment {
            text,
            is_line: text.starts_with("//"),
            own_line: true,
            newline_after: true,
            blank_before,
        }
    }

    fn item<'a>(text: &str, trailing: Option<&'a str>, blank_before: bool) -> Item<'a> {
        Item {
            leading: Leading {
                comments: Vec::new(),
                blank_before,
                blank_after: false,
            },
            text: text.to_string(),
            trailing: trailing.map(|t| comment(t, false)).into_iter().collect(),
        }
    }

    #[test]
    fn trailing_comments_of_a_run_line_up_one_space_after_the_longest_entry() {
        let items = [
            item("  a : Int", Some("// one"), false),
            item("  bbbb : Int", None, false),
            item("  cc : Text", Some("// two"), false),
            item("  d : Int", Some("// after a blank line"), true),
        ];
        assert_eq!(
            join(&items, &[], 2, Spacing::AsWritten),
            "  a : Int   // one\n  bbbb : Int\n  cc : Text // two\n\n  d : Int // after a blank line"
        );
    }

    #[test]
    fn declarations_of_several_lines_are_set_apart_by_a_blank_line() {
        let items = [
            item("use \"a.msr\"", None, false),
            item("use \"b.msr\"", None, false),
            item("dataset d {\n}", None, false),
        ];
        assert_eq!(
            join(&items, &[], 0, Spacing::AroundLongItems),
            "use \"a.msr\"\nuse \"b.msr\"\n\ndataset d {\n}"
        );
    }

    #[test]
    fn leading_and_closing_comments_keep_one_blank_line_where_there_were_some() {
        let mut first = item("x", None, false);
        first.leading.comments = vec![comment("// a", false), comment("// b", true)];
        first.leading.blank_after = true;
        let closing = [comment("// end", true)];
        assert_eq!(
            join(&[first], &closing, 0, Spacing::AsWritten),
            "// a\n\n// b\n\nx\n\n// end"
        );
    }
}
