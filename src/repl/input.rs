//! What a line typed at the prompt is: a command, a declaration or an expression, and
//! whether it is complete or goes on over the next line.
//!
//! A light scanner splits the text into words, numbers, strings, brackets and symbols. It
//! never fails: it exists to judge unfinished input, which the grammar would only reject,
//! and the parser reports what is wrong once the input is complete.

/// The prompt of a new input.
pub const PROMPT: &str = "msr> ";

/// The prompt of each further line of an input that goes on, as wide as [`PROMPT`]. The
/// line editor writes it into the text, so it is taken out again before the text is read.
pub const CONTINUATION: &str = "...> ";

/// The keywords that open a declaration.
const DECLARATIONS: &[&str] = &[
    "use",
    "scale",
    "dataset",
    "hierarchy",
    "lookup",
    "measure",
    "indicator",
    "bind",
    "test",
];

/// Words after which an expression or declaration cannot end.
const OPEN_WORDS: &[&str] = &[
    "and", "or", "not", "where", "for", "by", "in", "is", "at", "except", "on", "when", "within",
    "distinct", "per", "base", "derived",
];

/// Symbols after which an expression or declaration cannot end.
const OPEN_SYMBOLS: &[&str] = &[
    "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", ",", ":", "->", ".",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Number,
    Text { closed: bool },
    Open,
    Close,
    Symbol,
    Comment { closed: bool },
}

/// A token of the input, by byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

impl Token<'_> {
    pub fn is(&self, kind: Kind, text: &str) -> bool {
        self.kind == kind && self.text == text
    }

    pub fn is_word(&self, text: &str) -> bool {
        self.is(Kind::Word, text)
    }
}

/// Splits text into tokens, skipping whitespace.
pub(super) fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let kind = match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'"' => {
                i += 1;
                let mut closed = false;
                while i < bytes.len() && bytes[i] != b'\n' {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            closed = true;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                Kind::Text { closed }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                Kind::Comment { closed: true }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                let mut closed = false;
                while i < bytes.len() {
                    if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        i += 2;
                        closed = true;
                        break;
                    }
                    i += 1;
                }
                Kind::Comment { closed }
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                Kind::Open
            }
            b')' | b']' | b'}' => {
                i += 1;
                Kind::Close
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Kind::Word
            }
            b if b.is_ascii_digit() => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
                {
                    i += 1;
                }
                Kind::Number
            }
            _ => {
                let two = text.get(i..i + 2).unwrap_or("");
                i += if matches!(two, "<=" | ">=" | "!=" | "->") {
                    2
                } else {
                    // One character, however many bytes it takes.
                    text[i..].chars().next().map_or(1, char::len_utf8)
                };
                Kind::Symbol
            }
        };
        let end = i.min(text.len());
        out.push(Token {
            kind,
            text: &text[start..end],
            start,
            end,
        });
    }
    out
}

/// The text without the continuation prompts that the line editor wrote at the start of
/// each further line.
pub fn strip_continuation(text: &str) -> String {
    let mut lines = text.split('\n');
    let mut out = lines.next().unwrap_or("").to_string();
    for line in lines {
        out.push('\n');
        out.push_str(line.strip_prefix(CONTINUATION).unwrap_or(line));
    }
    out
}

/// The text with each continuation prompt replaced by as many spaces, so that every
/// byte offset stays where it was.
pub(super) fn blank_continuation(text: &str) -> String {
    let blank = " ".repeat(CONTINUATION.len());
    text.replace(&format!("\n{CONTINUATION}"), &format!("\n{blank}"))
}

/// What an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Input {
    Empty,
    Command,
    Declaration,
    Expression,
}

/// Whether text is a command (`:load x.msr`), declarations, or an expression.
pub(super) fn classify(text: &str) -> Input {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Input::Empty;
    }
    if trimmed.starts_with(':') {
        return Input::Command;
    }
    let tokens = tokens(trimmed);
    let code: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t.kind, Kind::Comment { .. }))
        .collect();
    if code.is_empty() {
        return Input::Empty;
    }
    if declaration_start(&code).is_some() {
        Input::Declaration
    } else {
        Input::Expression
    }
}

/// The keyword of the declaration the tokens open, if they open one: a declaration keyword
/// followed by a name (a text for `use` and `test`), or `base` or `derived` followed by
/// `measure`. A measure that happens to be called `scale` is still an expression.
fn declaration_start<'a>(code: &[&Token<'a>]) -> Option<&'a str> {
    let first = code.first()?;
    let second = code.get(1);
    if first.is_word("base") || first.is_word("derived") {
        return second.filter(|t| t.is_word("measure")).map(|t| t.text);
    }
    if first.kind != Kind::Word || !DECLARATIONS.contains(&first.text) {
        return None;
    }
    match second {
        // A declaration cut short after its keyword is still one.
        None => Some(first.text),
        Some(t) if matches!(first.text, "use" | "test") && matches!(t.kind, Kind::Text { .. }) => {
            Some(first.text)
        }
        Some(t) if t.kind == Kind::Word => Some(first.text),
        Some(_) => None,
    }
}

/// Whether an input is complete and can run, or goes on over the next line: brackets left
/// open, a string or comment left open, a trailing operator or `=`, or a declaration that
/// has not reached its body yet. A blank line ends any input, so that a person can always
/// get out of one.
pub fn is_complete(text: &str) -> bool {
    let text = strip_continuation(text);
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.starts_with(':') {
        return true;
    }
    if let Some((_, last_line)) = text.rsplit_once('\n') {
        if last_line.trim().is_empty() {
            return true;
        }
    }

    let tokens = tokens(trimmed);
    let mut depth: i64 = 0;
    for t in &tokens {
        match t.kind {
            Kind::Text { closed: false } | Kind::Comment { closed: false } => return false,
            Kind::Open => depth += 1,
            Kind::Close => depth -= 1,
            _ => {}
        }
    }
    if depth > 0 {
        return false;
    }
    let code: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t.kind, Kind::Comment { .. }))
        .collect();
    let Some(last) = code.last() else {
        return true;
    };
    let open = match last.kind {
        Kind::Word => OPEN_WORDS.contains(&last.text) || DECLARATIONS.contains(&last.text),
        Kind::Symbol => OPEN_SYMBOLS.contains(&last.text),
        _ => false,
    };
    if open {
        return false;
    }
    match declaration_start(&code) {
        Some("measure") => code.iter().any(|t| t.is(Kind::Symbol, "=")),
        Some("dataset" | "indicator" | "lookup" | "bind" | "test") => {
            code.iter().any(|t| t.kind == Kind::Open)
        }
        Some("scale") => code.iter().any(|t| t.text == "["),
        Some("hierarchy") => code.iter().any(|t| t.text == ")"),
        Some("use") => code.iter().any(|t| matches!(t.kind, Kind::Text { .. })),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_brackets_strings_and_trailing_operators_go_on() {
        for text in [
            "count(incidents where",
            "measure m : Count =",
            "measure m : Count = count(incidents",
            "indicator i {",
            "indicator i { value m",
            "a +",
            "a and",
            "count(incidents) by",
            "\"unfinished",
            "a /* note",
            "dataset d",
            "measure m : Count",
            "scale S = ordinal",
            "use",
        ] {
            assert!(!is_complete(text), "{text:?} should go on");
        }
    }

    #[test]
    fn whole_inputs_commands_and_blank_lines_run() {
        for text in [
            "",
            "count(incidents)",
            "measure m : Count = 1",
            ":load a.msr",
            ":type count(",
            "a + b // a comment",
            "indicator i {\n value m\n}",
            "a)",
            "measure m : Count =\n",
            "measure m : Count =\n...> ",
            "scale S = nominal [a, b]",
            "use \"std:scales.msr\"",
            "hierarchy org = units(unit, parent)",
        ] {
            assert!(is_complete(text), "{text:?} should run");
        }
    }

    #[test]
    fn continuation_prompts_are_taken_out() {
        let typed = format!("measure m : Count =\n{CONTINUATION}  count(x)\n{CONTINUATION})");
        assert_eq!(
            strip_continuation(&typed),
            "measure m : Count =\n  count(x)\n)"
        );
        assert!(!is_complete(&format!("count(x\n{CONTINUATION}where")));
    }

    #[test]
    fn declarations_are_told_from_expressions() {
        assert_eq!(classify("measure m : Count = 1"), Input::Declaration);
        assert_eq!(classify("base measure m : Count = 1"), Input::Declaration);
        assert_eq!(classify("use \"x.msr\""), Input::Declaration);
        assert_eq!(classify("scale + 1"), Input::Expression);
        assert_eq!(classify("base"), Input::Expression);
        assert_eq!(classify("count(incidents)"), Input::Expression);
        assert_eq!(classify("  :q"), Input::Command);
        assert_eq!(classify(" // only a comment"), Input::Empty);
    }

    #[test]
    fn the_scanner_survives_any_text() {
        let texts = ["\"\\", "é(ü", "/*", "\u{0}\u{7f}", "1.2.3abc", "->>=<=!"];
        for text in texts {
            let tokens = tokens(text);
            assert!(tokens.iter().all(|t| t.end <= text.len()), "{text:?}");
            let _ = is_complete(text);
        }
    }
}
