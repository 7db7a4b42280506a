//! Diagnostics shared by every phase of the pipeline.
//!
//! A [`Diagnostic`] carries a stable code (`msr::check::unknown_name`), a short lower-case
//! message, labelled spans into one source text, and at most one help line. Syntax and check
//! diagnostics point into `.msr` files; data diagnostics point into a snippet of the data file
//! that keeps its real line numbers, so the rendered report names the file, line and column
//! of the offending row.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// How serious a diagnostic is. Errors stop the phase that found them; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A text that diagnostics point into: a whole `.msr` file, or some lines of a data file.
///
/// `first_line` is the zero-based line number, in the real file, of the first line of `text`;
/// it is zero for a whole file.
#[derive(Debug, Clone)]
pub struct SourceText {
    name: Arc<str>,
    text: Arc<str>,
    first_line: usize,
    /// Zero-based column, in the real file, of the first character of `text`; non-zero only
    /// for a window cut out of a long line.
    first_column: usize,
}

impl SourceText {
    /// A whole file.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        SourceText {
            name: name.into(),
            text: text.into(),
            first_line: 0,
            first_column: 0,
        }
    }

    /// Some lines of a file, the first of which is line `first_line` (one-based) of the file.
    pub fn excerpt(name: impl Into<Arc<str>>, text: impl Into<String>, first_line: usize) -> Self {
        SourceText {
            name: name.into(),
            text: Arc::from(text.into()),
            first_line: first_line.saturating_sub(1),
            first_column: 0,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// One-based line and column of a byte offset into the text, as the user counts them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count();
        let column = if line == 0 {
            column + self.first_column
        } else {
            column
        };
        (self.first_line + line + 1, column + 1)
    }
}

impl SourceCode for SourceText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_bytes()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            if inner.line() == 0 {
                inner.column() + self.first_column
            } else {
                inner.column()
            },
            inner.line_count(),
        )))
    }
}

/// A label on a span of the diagnostic's source: the primary one at the fault, secondary
/// ones at the declarations that explain it.
#[derive(Debug, Clone)]
pub struct Label {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub primary: bool,
}

/// One problem found in a programme, its data, or its evaluation.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub source: Option<SourceText>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            source: None,
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Attaches the text that the labels point into.
    pub fn with_source(mut self, source: SourceText) -> Self {
        self.source = Some(source);
        self
    }

    /// Adds the primary label, at the fault.
    pub fn with_label(mut self, start: usize, end: usize, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            start,
            end,
            text: text.into(),
            primary: true,
        });
        self
    }

    /// Adds a secondary label, at a declaration that explains the fault.
    pub fn with_secondary(mut self, start: usize, end: usize, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            start,
            end,
            text: text.into(),
            primary: false,
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// File, line and column of the primary label, when the diagnostic has a source.
    pub fn location(&self) -> Option<(String, usize, usize)> {
        let source = self.source.as_ref()?;
        let label = self
            .labels
            .iter()
            .find(|l| l.primary)
            .or(self.labels.first())?;
        let (line, column) = source.line_col(label.start);
        Some((source.name().to_string(), line, column))
    }

    /// The diagnostic with its source cut down to a window around the labels when they sit on
    /// one very long line, so that a report never prints a megabyte of text. Line and column
    /// stay those of the real file.
    pub fn shortened(&self) -> Diagnostic {
        const LONGEST: usize = 400;
        const MARGIN: usize = 60;
        let (Some(source), Some(first), Some(last)) = (
            self.source.as_ref(),
            self.labels.iter().map(|l| l.start).min(),
            self.labels.iter().map(|l| l.end).max(),
        ) else {
            return self.clone();
        };
        let text = source.text();
        let line_start = text[..first.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = text[first.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |i| first + i);
        if line_end - line_start <= LONGEST || last > line_end {
            return self.clone();
        }

        let floor = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(first.saturating_sub(MARGIN).max(line_start));
        let end = floor((last.min(first + LONGEST) + MARGIN).min(line_end));
        let (line, column) = source.line_col(start);
        let window = SourceText {
            name: source.name.clone(),
            text: Arc::from(&text[start..end]),
            first_line: line - 1,
            first_column: column - 1,
        };
        let mut out = self.clone();
        out.source = Some(window);
        for label in &mut out.labels {
            label.start = label.start.clamp(start, end) - start;
            label.end = label.end.clamp(start, end) - start;
        }
        out
    }

    /// Renders the diagnostic as miette's graphical report at `width` columns, in colour or
    /// not, as the command line prints it.
    pub fn render(&self, width: usize, colour: bool) -> String {
        let theme = if colour {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme)
            .with_width(width)
            .with_links(false);
        let mut out = String::new();
        match handler.render_report(&mut out, &self.shortened()) {
            Ok(()) => out,
            Err(_) => format!("{}: {}", self.code, self.message),
        }
    }

    /// Renders the diagnostic as text without colour at a fixed width, as the CLI does when
    /// its output is not a terminal and as snapshot tests expect.
    pub fn render_plain(&self, width: usize) -> String {
        self.render(width, false)
    }

    /// A machine-readable form for JSON consumers.
    pub fn to_json(&self) -> serde_json::Value {
        let location = self.location();
        serde_json::json!({
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": location.as_ref().map(|l| l.0.clone()),
            "line": location.as_ref().map(|l| l.1),
            "column": location.as_ref().map(|l| l.2),
            "help": self.help,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().map(|l| {
            let span = SourceSpan::from(l.start..l.end.max(l.start));
            let text = (!l.text.is_empty()).then(|| l.text.clone());
            if l.primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        })))
    }
}

/// The closest candidate to a misspelt name, for a "did you mean" help line.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_one_based_and_count_characters() {
        let source = SourceText::new("f.msr", "ab\ncé d");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(3), (2, 1));
        assert_eq!(source.line_col(6), (2, 3));
        let excerpt = SourceText::excerpt("data.csv", "x,y\n", 42);
        assert_eq!(excerpt.line_col(2), (42, 3));
    }

    #[test]
    fn a_label_on_a_very_long_line_is_shown_in_a_window_at_its_real_place() {
        let line = format!("measure m : Int = {}", "1 + ".repeat(5_000));
        let at = line.len() - 100;
        let d = Diagnostic::error("msr::test", "too long")
            .with_source(SourceText::new("f.msr", format!("// first\n{line}\n")))
            .with_label(9 + at, 10 + at, "here");
        let short = d.shortened();
        assert!(short.source.as_ref().unwrap().text().len() < 600);
        assert_eq!(short.location(), d.location());
        assert_eq!(d.location(), Some(("f.msr".into(), 2, at + 1)));
        let rendered = d.render_plain(100);
        assert!(rendered.len() < 2_000, "{rendered}");
        assert!(
            rendered.contains(&format!("f.msr:2:{}", at + 1)),
            "{rendered}"
        );
    }
}
