//! Syntax: source files, parsing with the pest grammar, and lowering to the AST.
//!
//! [`load_program`] reads a root file and every file it imports with `use`, and returns
//! their modules together with a [`SourceMap`] that keeps each source text once. Spans are
//! byte offsets; line and column are computed only when a diagnostic is rendered.

pub mod ast;
mod lower;
mod period;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceText};
pub use ast::{FileId, Module, Span};
pub(crate) use lower::{datetime_micros, fixture_lines, parse_tree, precedence, Rule};
pub use period::{period_problem, period_start};

/// Deepest bracket nesting accepted. Deeper input is reported instead of risking the stack.
pub const MAX_NESTING: usize = 64;

/// Most operators accepted in one expression between brackets. With [`MAX_NESTING`], this
/// bounds the depth of every expression tree.
pub const MAX_OPERATORS: usize = 256;

/// A loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or resolved, used to find imports and data.
    pub path: PathBuf,
    /// The file as diagnostics name it.
    pub source: SourceText,
}

/// Every source file of a programme, each kept once.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, name: &str, text: impl Into<Arc<str>>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            path,
            source: SourceText::new(name, text),
        });
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn source(&self, id: FileId) -> SourceText {
        self.files[id.0 as usize].source.clone()
    }

    pub fn text(&self, span: Span) -> &str {
        let text = self.files[span.file.0 as usize].source.text();
        text.get(span.range()).unwrap_or("")
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// An error diagnostic whose primary label is at `span`.
    pub fn error(&self, code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, message)
            .with_source(self.source(span.file))
            .with_label(span.start as usize, span.end as usize, "")
    }
}

/// Parses one source text into a module, or the syntax errors found in it.
pub fn parse(file: FileId, text: &str) -> Result<Module, Vec<ParseError>> {
    if let Some(err) = lower::check_nesting(text) {
        return Err(vec![err]);
    }
    lower::parse_module(file, text)
}

/// Parses a source text that holds one expression, optionally grouped (`... by key`), as
/// the REPL takes it.
pub fn parse_query(file: FileId, text: &str) -> Result<ast::Query, ParseError> {
    if let Some(err) = lower::check_nesting(text) {
        return Err(err);
    }
    lower::parse_query(file, text)
}

/// A syntax error, before a source is attached to it.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub code: &'static str,
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub help: Option<String>,
}

impl ParseError {
    /// The error as a diagnostic pointing into `source`.
    pub fn into_diagnostic(self, source: SourceText) -> Diagnostic {
        let diagnostic = Diagnostic::error(self.code, self.message)
            .with_source(source)
            .with_label(self.start, self.end, self.label);
        match self.help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }
}

/// A programme's files, parsed: the root and everything it imports.
#[derive(Debug, Clone, Default)]
pub struct ParsedProgram {
    pub sources: SourceMap,
    pub modules: Vec<Module>,
}

/// Reads and parses the given root files and, transitively, the files they `use`.
///
/// A file imported several times (or in a cycle) is read once. All syntax errors of all
/// files are returned together.
pub fn load_program(roots: &[PathBuf]) -> Result<ParsedProgram, (ParsedProgram, Vec<Diagnostic>)> {
    let mut program = ParsedProgram::default();
    let mut seen: HashMap<PathBuf, FileId> = HashMap::new();
    let mut errors = Vec::new();
    let mut queue: Vec<(PathBuf, Option<(FileId, Span)>)> =
        roots.iter().map(|p| (p.clone(), None)).collect();
    queue.reverse();

    while let Some((path, imported_from)) = queue.pop() {
        let key = path.canonicalize().unwrap_or_else(|_| path.clone());
        if seen.contains_key(&key) {
            continue;
        }
        let text = match read_source(&path) {
            Ok(text) => text,
            Err(err) => {
                errors.push(unreadable(&program.sources, &path, imported_from, err));
                continue;
            }
        };

        let name = path.display().to_string();
        let file = program.sources.add(path.clone(), &name, text);
        seen.insert(key, file);
        let module = match parse(file, program.sources.file(file).source.text()) {
            Ok(module) => module,
            Err(errs) => {
                let source = program.sources.source(file);
                errors.extend(errs.into_iter().map(|e| e.into_diagnostic(source.clone())));
                continue;
            }
        };

        // Imports are relative to the importing file; push in reverse to read in order.
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for import in module.uses.iter().rev() {
            let target = if import.path.starts_with(STDLIB_PREFIX) {
                PathBuf::from(&import.path)
            } else {
                base.join(&import.path)
            };
            queue.push((target, Some((file, import.span))));
        }
        program.modules.push(module);
    }

    if errors.is_empty() {
        Ok(program)
    } else {
        Err((program, errors))
    }
}

/// Parses a source given as text (for tests and the REPL), with no imports followed.
pub fn parse_text(
    name: &str,
    text: &str,
) -> Result<ParsedProgram, (ParsedProgram, Vec<Diagnostic>)> {
    let mut program = ParsedProgram::default();
    let file = program.sources.add(PathBuf::from(name), name, text);
    match parse(file, text) {
        Ok(module) => {
            program.modules.push(module);
            Ok(program)
        }
        Err(errs) => {
            let source = program.sources.source(file);
            let diagnostics = errs
                .into_iter()
                .map(|e| e.into_diagnostic(source.clone()))
                .collect();
            Err((program, diagnostics))
        }
    }
}

/// Imports that start with this prefix name a file of the standard library, which is
/// built into the binary: `use "std:scales.msr"`.
pub const STDLIB_PREFIX: &str = "std:";

/// The standard library's files, by name.
pub const STDLIB: &[(&str, &str)] = &[
    ("scales.msr", include_str!("../stdlib/scales.msr")),
    (
        "catalogue/common.msr",
        include_str!("../stdlib/catalogue/common.msr"),
    ),
    (
        "catalogue/incidents.msr",
        include_str!("../stdlib/catalogue/incidents.msr"),
    ),
    (
        "catalogue/vulnerabilities.msr",
        include_str!("../stdlib/catalogue/vulnerabilities.msr"),
    ),
    (
        "catalogue/awareness.msr",
        include_str!("../stdlib/catalogue/awareness.msr"),
    ),
    (
        "catalogue/access.msr",
        include_str!("../stdlib/catalogue/access.msr"),
    ),
    (
        "catalogue/systems.msr",
        include_str!("../stdlib/catalogue/systems.msr"),
    ),
    (
        "catalogue/governance.msr",
        include_str!("../stdlib/catalogue/governance.msr"),
    ),
    (
        "catalogue/all.msr",
        include_str!("../stdlib/catalogue/all.msr"),
    ),
];

/// Reads one `.msr` file named on the command line, without following its imports.
pub fn read_file(path: &Path) -> Result<String, Vec<Diagnostic>> {
    std::fs::read_to_string(path)
        .map_err(|err| vec![unreadable(&SourceMap::default(), path, None, err)])
}

fn read_source(path: &Path) -> std::io::Result<String> {
    let text = path.to_string_lossy();
    match text.strip_prefix(STDLIB_PREFIX) {
        Some(name) => STDLIB
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, source)| source.to_string())
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file in the standard library",
                )
            }),
        None => std::fs::read_to_string(path),
    }
}

fn unreadable(
    sources: &SourceMap,
    path: &Path,
    imported_from: Option<(FileId, Span)>,
    err: std::io::Error,
) -> Diagnostic {
    let message = format!("cannot read `{}`: {}", path.display(), os_reason(&err));
    let stdlib = path.to_string_lossy().starts_with(STDLIB_PREFIX);
    match imported_from {
        Some((file, span)) => Diagnostic::error("msr::syntax::unreadable_import", message)
            .with_source(sources.source(file))
            .with_label(span.start as usize, span.end as usize, "imported here")
            .with_help(if stdlib {
                let names: Vec<String> = STDLIB
                    .iter()
                    .map(|(n, _)| format!("`{STDLIB_PREFIX}{n}`"))
                    .collect();
                format!("the standard library holds {}", names.join(", "))
            } else {
                "paths in `use` are relative to the file that imports them".to_string()
            }),
        None => Diagnostic::error("msr::syntax::unreadable_file", message)
            .with_help("check the path and that the file is readable"),
    }
}

/// An operating-system error as a clause: lower-case, without the error number.
pub(crate) fn os_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    let text = match text.find(" (os error") {
        Some(i) => &text[..i],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
