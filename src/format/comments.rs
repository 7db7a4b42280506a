//! Comments, recovered from the gaps between tokens.
//!
//! The grammar's `COMMENT` rule is silent, so the parse tree holds no comments. The
//! [`Cursor`] walks the source behind the formatter, which asks for every token in source
//! order; whatever lies between two tokens is whitespace and comments, and the cursor reads
//! the comments there and hands each out exactly once, in order. That is what guarantees
//! that formatting neither drops, repeats nor reorders a comment.
//!
//! A comment is handed out in one of two roles:
//!
//! - **trailing**: it starts on the line of the token before it, and nothing but comments
//!   follows it on that line. It stays at the end of that token's line.
//! - **leading**: any other comment. It goes before the next token, on a line of its own if
//!   it had one, else inline.
//!
//! The cursor also remembers where the author left blank lines, which the layout keeps
//! between declarations and between the entries of a block.

use super::doc::Doc;

/// One comment as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Comment<'a> {
    /// The comment's text; a `//` comment without the spaces that end its line.
    pub text: &'a str,
    /// A `//` comment, which runs to the end of its line.
    pub is_line: bool,
    /// Only whitespace precedes it on its line.
    pub own_line: bool,
    /// Only whitespace follows it on its line.
    pub newline_after: bool,
    /// A blank line separates it from the token or comment before it.
    pub blank_before: bool,
}

impl Comment<'_> {
    /// The comment as a trailing one: after a space, then a forced break for a `//` comment.
    pub(crate) fn trailing_doc(&self) -> Doc {
        let mut docs = vec![Doc::Gap, Doc::text(self.text)];
        if self.is_line {
            docs.push(Doc::hard());
        }
        Doc::concat(docs)
    }

    /// The comment as a leading one, before a token: on a line of its own if it had one.
    ///
    /// A blank line before it is not kept here, inside a declaration's expression or head:
    /// documents have no blank lines, which only the lists of declarations and of block
    /// entries keep.
    fn leading_doc(&self) -> Doc {
        let mut docs = Vec::new();
        if self.own_line {
            docs.push(Doc::hard());
        } else {
            docs.push(Doc::Gap);
        }
        docs.push(Doc::text(self.text));
        docs.push(if self.is_line || self.newline_after {
            Doc::hard()
        } else {
            Doc::text(" ")
        });
        Doc::concat(docs)
    }
}

/// The comments on lines of their own before an entry of a block or a declaration.
#[derive(Debug, Clone, Default)]
pub(crate) struct Leading<'a> {
    pub comments: Vec<Comment<'a>>,
    /// A blank line separates what came before from the entry's first line: its first
    /// comment, or the entry itself.
    pub blank_before: bool,
    /// A blank line separates the last of `comments` from the entry.
    pub blank_after: bool,
}

/// A place in the source between tokens, and the comments read but not yet handed out.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    src: &'a str,
    /// Where reading stopped: the end of the last token, or of a comment read after it.
    pos: usize,
    /// Whether the comments on the rest of the last token's line have been read.
    trailing_read: bool,
    trailing: Vec<Comment<'a>>,
    leading: Vec<Comment<'a>>,
    /// Line breaks between the last token or comment read and `pos`.
    newlines: usize,
    /// How many comments have been handed out.
    emitted: usize,
    /// The first place where the formatter asked for a token the source does not have there.
    fault: Option<usize>,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(src: &'a str) -> Cursor<'a> {
        Cursor {
            src,
            pos: 0,
            // Nothing precedes the start of the file on its line.
            trailing_read: true,
            trailing: Vec::new(),
            leading: Vec::new(),
            newlines: 0,
            emitted: 0,
            fault: None,
        }
    }

    /// How many comments have been handed out so far.
    pub(crate) fn emitted(&self) -> usize {
        self.emitted
    }

    /// Where the formatter and the source first disagreed, if they did.
    pub(crate) fn fault(&self) -> Option<usize> {
        self.fault
    }

    /// Consumes the token `text` at `start`, and returns the comments to print before it
    /// followed by the token.
    pub(crate) fn token(&mut self, start: usize, text: &str) -> Doc {
        let at = self.scan();
        if at != start || !self.src[at..].starts_with(text) {
            self.fault.get_or_insert(at);
        }
        let mut docs = self.pending_docs();
        docs.push(Doc::text(text));
        self.consume(start + text.len());
        Doc::concat(docs)
    }

    /// Consumes `text` at `start` as it is, comments in it included, and prints nothing: for
    /// a token whose inside the formatter lays out itself (a fixture table), which starts
    /// right where the last token ended.
    pub(crate) fn verbatim(&mut self, start: usize, text: &str) {
        if self.pos != start || !self.src[start..].starts_with(text) {
            self.fault.get_or_insert(self.pos);
        }
        self.consume(start + text.len());
    }

    /// The comments before the next token, without the token: for a construct that starts
    /// there to print them before its groups rather than inside them, so that a comment on
    /// a line of its own does not break the construct it precedes.
    pub(crate) fn before_next(&mut self) -> Doc {
        self.scan();
        Doc::concat(self.pending_docs())
    }

    /// Consumes the punctuation `text`, which must come next in the source.
    pub(crate) fn punct(&mut self, text: &str) -> Doc {
        let at = self.scan();
        self.token(at, text)
    }

    /// Consumes `text` if it comes next in the source, printing nothing for it: for
    /// separators that the layout decides on itself. Comments around it stay pending.
    pub(crate) fn skip(&mut self, text: &str) -> bool {
        let at = self.scan();
        let present = self.src[at..].starts_with(text);
        if present {
            // Comments before the dropped separator stay before those after it.
            self.trailing.append(&mut self.leading);
            self.consume(at + text.len());
        }
        present
    }

    /// A line break of the layout, after the comments that trail the last token.
    pub(crate) fn line(&mut self, line: Doc) -> Doc {
        let mut docs = self.trailing_docs();
        docs.push(line);
        Doc::concat(docs)
    }

    /// The comments that trail the last token, for the caller to place at the end of its
    /// line.
    pub(crate) fn take_trailing(&mut self) -> Vec<Comment<'a>> {
        self.read_trailing();
        self.emitted += self.trailing.len();
        std::mem::take(&mut self.trailing)
    }

    /// The comments on lines of their own before the next token, with the blank lines
    /// around them. Comments on the next token's own line stay, to be printed inline.
    pub(crate) fn take_leading(&mut self) -> Leading<'a> {
        self.scan();
        // Comments still trailing the last token come first, whatever role they get here.
        let mut earlier = std::mem::take(&mut self.trailing);
        earlier.append(&mut self.leading);
        self.leading = earlier;
        let own = self
            .leading
            .iter()
            .rposition(|c| c.newline_after)
            .map_or(0, |last| last + 1);
        let comments: Vec<Comment> = self.leading.drain(..own).collect();
        self.emitted += comments.len();
        let blank_next = self
            .leading
            .first()
            .map_or(self.newlines >= 2, |c| c.blank_before);
        match comments.first() {
            Some(first) => Leading {
                blank_before: first.blank_before,
                blank_after: blank_next,
                comments,
            },
            None => Leading {
                blank_before: blank_next,
                blank_after: false,
                comments,
            },
        }
    }

    /// Every comment before the next token (or the end of the file), each for a line of
    /// its own: those that close a block.
    pub(crate) fn take_rest(&mut self) -> Vec<Comment<'a>> {
        let mut all = self.take_trailing();
        self.scan();
        self.emitted += self.leading.len();
        all.append(&mut self.leading);
        all
    }

    fn consume(&mut self, end: usize) {
        self.pos = end;
        self.trailing_read = false;
        self.newlines = 0;
    }

    /// Pending comments as documents: those trailing the last token, then those leading
    /// the next one.
    fn pending_docs(&mut self) -> Vec<Doc> {
        let mut docs = Vec::new();
        for comment in self.take_trailing() {
            docs.push(comment.trailing_doc());
            // The token comes next on the same line: after a block comment, a space.
            if !comment.is_line {
                docs.push(Doc::text(" "));
            }
        }
        self.emitted += self.leading.len();
        docs.extend(self.leading.drain(..).map(|c| c.leading_doc()));
        docs
    }

    fn trailing_docs(&mut self) -> Vec<Doc> {
        self.take_trailing()
            .iter()
            .map(Comment::trailing_doc)
            .collect()
    }

    /// Reads the comments on the rest of the last token's line if nothing but comments
    /// follows it there.
    fn read_trailing(&mut self) {
        if self.trailing_read {
            return;
        }
        self.trailing_read = true;
        let bytes = self.src.as_bytes();
        let mut at = self.pos;
        let mut found = Vec::new();
        loop {
            while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\r') {
                at += 1;
            }
            match self.comment_at(at) {
                Some(comment) => {
                    at = comment.0;
                    let is_line = comment.1.is_line;
                    found.push(comment.1);
                    if is_line {
                        break;
                    }
                }
                None if at == bytes.len() || bytes[at] == b'\n' => break,
                // Something follows on the line: the comments lead it instead.
                None => return,
            }
        }
        self.pos = at;
        self.trailing.extend(found);
    }

    /// Reads whitespace and comments up to the next token and returns where it starts.
    fn scan(&mut self) -> usize {
        self.read_trailing();
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b'\n' => {
                    self.newlines += 1;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                _ => match self.comment_at(self.pos) {
                    Some((end, comment)) => {
                        self.leading.push(comment);
                        self.pos = end;
                        self.newlines = 0;
                    }
                    None => break,
                },
            }
        }
        self.pos
    }

    /// The comment that starts at `at`, if one does, and where it ends.
    fn comment_at(&self, at: usize) -> Option<(usize, Comment<'a>)> {
        let rest = &self.src[at..];
        let (end, is_line) = if rest.starts_with("//") {
            (at + rest.find('\n').unwrap_or(rest.len()), true)
        } else if let Some(body) = rest.strip_prefix("/*") {
            // The parse succeeded, so every block comment is closed.
            let close = body.find("*/").map_or(body.len(), |i| i + 2);
            (at + 2 + close, false)
        } else {
            return None;
        };
        let text = &self.src[at..end];
        let text = if is_line { text.trim_end() } else { text };
        let line_start = self.src[..at].rfind('\n').map_or(0, |i| i + 1);
        let after = self.src[end..].trim_start_matches([' ', '\t', '\r']);
        Some((
            end,
            Comment {
                text,
                is_line,
                own_line: self.src[line_start..at].trim().is_empty(),
                newline_after: after.is_empty() || after.starts_with('\n'),
                blank_before: self.newlines >= 2,
            },
        ))
    }
}

/// The comments of a source that parses, in order, as the cursor reads them: for checking
/// that formatting kept them.
pub(crate) fn all_comments(src: &str) -> Vec<&str> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                // A string literal, honouring escapes; strings never span lines.
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' && bytes[at] != b'\n' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at += 1;
            }
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
                out.push(src[at..end].trim_end());
                at = end;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                let end = src[at + 2..].find("*/").map_or(src.len(), |i| at + i + 4);
                out.push(&src[at..end]);
                at = end;
            }
            _ => at += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::doc::render;

    fn texts(comments: &[Comment]) -> Vec<String> {
        comments.iter().map(|c| c.text.to_string()).collect()
    }

    #[test]
    fn a_comment_after_a_token_on_its_line_trails_it() {
        let src = "a // one\nb";
        let mut cursor = Cursor::new(src);
        cursor.token(0, "a");
        let trailing = cursor.take_trailing();
        assert_eq!(texts(&trailing), ["// one"]);
        assert!(cursor.take_leading().comments.is_empty());
    }

    #[test]
    fn a_block_comment_followed_by_a_token_on_the_same_line_leads_the_token() {
        let src = "a /* one */ b";
        let mut cursor = Cursor::new(src);
        cursor.token(0, "a");
        assert!(cursor.take_trailing().is_empty());
        let doc = cursor.token(12, "b");
        assert_eq!(render(&doc, 0, 80), "/* one */ b");
    }

    #[test]
    fn own_line_comments_lead_the_next_entry_with_the_blank_lines_around_them() {
        let src = "a\n\n// one\n// two\n\nb";
        let mut cursor = Cursor::new(src);
        cursor.token(0, "a");
        let leading = cursor.take_leading();
        assert_eq!(texts(&leading.comments), ["// one", "// two"]);
        assert!(leading.blank_before && leading.blank_after);
        assert!(cursor.fault().is_none());
    }

    #[test]
    fn every_comment_is_handed_out_once() {
        let src = "/* head */ a, // x\n b";
        let mut cursor = Cursor::new(src);
        let a = cursor.token(11, "a");
        let comma = cursor.punct(",");
        let rest = cursor.take_rest();
        assert_eq!(render(&a, 0, 80), "/* head */ a");
        assert_eq!(render(&comma, 0, 80), ",");
        assert_eq!(texts(&rest), ["// x"]);
        assert_eq!(cursor.emitted(), 2);
    }

    #[test]
    fn a_token_that_is_not_where_the_formatter_expects_it_is_a_fault() {
        let mut cursor = Cursor::new("a b");
        cursor.token(0, "a");
        cursor.punct(",");
        assert_eq!(cursor.fault(), Some(2));
    }

    #[test]
    fn comments_inside_strings_are_not_comments() {
        let src = "use \"a // b\" // real\n/* block\n */";
        assert_eq!(all_comments(src), ["// real", "/* block\n */"]);
    }
}
