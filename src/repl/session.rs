//! A session: the programme built from the files loaded and the declarations typed, the
//! datasets read so far, the period and the output settings; and what each input does.
//!
//! Declarations typed at the prompt are kept as texts of their own, after the files. A
//! declaration replaces any earlier one of the same name, in a file or typed before, so a
//! measure can be tried again and again. The programme is checked whole after every change,
//! and a change that does not check leaves the session as it was.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::check::{self, MeasureId, Program};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Clocks, DataAccess, Period, Results, Selection};
use crate::syntax::ast::Module;
use crate::syntax::{self, ParsedProgram};

use super::input::{self, Input};
use super::render;
use super::tables::Tables;

/// How a session starts.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The `.msr` files to load, each with what it imports.
    pub files: Vec<PathBuf>,
    /// The directory that dataset sources are relative to; the folder of the first file
    /// when `None`, else the current directory.
    pub data_dir: Option<PathBuf>,
    /// The reporting period, in any form `msr run --period` takes; the whole data when
    /// `None`.
    pub period: Option<String>,
    pub access: DataAccess,
    /// The time zone periods are read in and the instant the data is seen from, as
    /// `--tz` and `--as-of` give them; `:set tz` and `:set as_of` change them.
    pub clocks: Clocks,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text, as `msr run` prints.
    Table,
    /// One JSON value per result, in the layout of `msr run --format json`.
    Json,
}

/// What one input printed. Diagnostics come first, then errors, then the text.
#[derive(Debug, Default)]
pub struct Output {
    pub diagnostics: Vec<Diagnostic>,
    /// Mistakes in the use of the REPL itself, such as an unknown command.
    pub errors: Vec<String>,
    pub text: String,
    /// Whether the session ends.
    pub quit: bool,
}

impl Output {
    pub(super) fn text(text: impl Into<String>) -> Output {
        Output {
            text: text.into(),
            ..Output::default()
        }
    }

    pub(super) fn error(message: impl Into<String>) -> Output {
        Output {
            errors: vec![message.into()],
            ..Output::default()
        }
    }

    pub(super) fn diagnostics(diagnostics: Vec<Diagnostic>) -> Output {
        Output {
            diagnostics,
            ..Output::default()
        }
    }

    /// Adds a line of text.
    pub(super) fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    /// Everything printed, as a person sees it: diagnostics as the command line renders
    /// them at `width` columns, in colour or not, then errors, then the text.
    pub fn render(&self, width: usize, colour: bool) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.render(width, colour));
            out.push('\n');
        }
        for e in &self.errors {
            out.push_str(&format!("error: {e}\n"));
        }
        out.push_str(&self.text);
        out
    }
}

/// A declaration typed at the prompt.
#[derive(Debug, Clone)]
struct Entry {
    /// The name diagnostics give its text: `<input 3>`.
    name: String,
    text: String,
    declares: Names,
}

/// The names a module declares: datasets, hierarchies, lookups, measures and indicators
/// share one namespace, and scales have their own.
#[derive(Debug, Clone, Default)]
struct Names {
    values: Vec<String>,
    scales: Vec<String>,
    /// The datasets a `bind` binds.
    binds: Vec<String>,
    tests: Vec<String>,
}

impl Names {
    fn of(module: &Module) -> Names {
        let values = module
            .datasets
            .iter()
            .map(|d| &d.name)
            .chain(module.hierarchies.iter().map(|h| &h.name))
            .chain(module.lookups.iter().map(|l| &l.name))
            .chain(module.measures.iter().map(|m| &m.name))
            .chain(module.indicators.iter().map(|i| &i.name))
            .map(|n| n.name.clone())
            .collect();
        let scales = module.scales.iter().map(|s| s.name.name.clone()).collect();
        let binds = module
            .binds
            .iter()
            .map(|b| b.dataset.name.clone())
            .collect();
        let tests = module.tests.iter().map(|t| t.name.clone()).collect();
        Names {
            values,
            scales,
            binds,
            tests,
        }
    }

    /// The names both declare.
    fn shared_with(&self, other: &Names) -> Vec<String> {
        let shared = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|n| b.contains(n)).cloned().collect()
        };
        let mut names = shared(&self.values, &other.values);
        names.extend(shared(&self.scales, &other.scales));
        let mut names: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
        names.extend(
            shared(&self.binds, &other.binds)
                .into_iter()
                .map(|d| format!("a binding of `{d}`")),
        );
        names.extend(
            shared(&self.tests, &other.tests)
                .into_iter()
                .map(|t| format!("test \"{t}\"")),
        );
        names
    }

    fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.scales.is_empty()
            && self.binds.is_empty()
            && self.tests.is_empty()
    }

    fn within(&self, other: &Names) -> bool {
        self.values.iter().all(|n| other.values.contains(n))
            && self.scales.iter().all(|n| other.scales.contains(n))
            && self.binds.iter().all(|n| other.binds.contains(n))
            && self.tests.iter().all(|n| other.tests.contains(n))
    }

    /// Takes the declarations of these names out of a module.
    fn remove_from(&self, module: &mut Module) {
        let gone = |name: &str| self.values.iter().any(|n| n == name);
        module.datasets.retain(|d| !gone(&d.name.name));
        module.hierarchies.retain(|h| !gone(&h.name.name));
        module.lookups.retain(|l| !gone(&l.name.name));
        module.measures.retain(|m| !gone(&m.name.name));
        module.indicators.retain(|i| !gone(&i.name.name));
        module
            .scales
            .retain(|s| !self.scales.contains(&s.name.name));
        module
            .binds
            .retain(|b| !self.binds.contains(&b.dataset.name));
        module.tests.retain(|t| !self.tests.contains(&t.name));
    }
}

/// A REPL session. It knows nothing of terminals: a line editor, a script or a test feeds
/// it inputs and prints what each gives.
pub struct Session {
    pub(super) data_dir: PathBuf,
    pub(super) access: DataAccess,
    pub(super) clocks: Clocks,
    pub(super) period: Option<Period>,
    pub(super) files: Vec<PathBuf>,
    /// The files, parsed, with what they import.
    parsed: ParsedProgram,
    entries: Vec<Entry>,
    pub(super) program: Program,
    pub(super) tables: Tables,
    pub(super) format: Format,
    pub(super) timing: bool,
    /// Inputs evaluated so far, which name the texts of declarations and expressions.
    inputs: usize,
    /// The programme's warnings, as shown once, so that a declaration shows only those it
    /// brings.
    warned: Vec<String>,
}

impl Session {
    /// Starts a session and loads its files. The error is a period that cannot be read;
    /// problems with the files are in the output, and the session goes on without them.
    pub fn new(options: Options) -> Result<(Session, Output), String> {
        let calendar = options.clocks.calendar;
        let period = options
            .period
            .as_deref()
            .map(|p| calendar.parse(p))
            .transpose()?;
        let data_dir = options.data_dir.clone().unwrap_or_else(|| {
            options
                .files
                .first()
                .and_then(|f| f.parent())
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        });
        let mut session = Session {
            data_dir,
            access: options.access,
            clocks: options.clocks,
            period,
            files: Vec::new(),
            parsed: ParsedProgram::default(),
            entries: Vec::new(),
            program: Program::default(),
            tables: Tables::default(),
            format: Format::Table,
            timing: false,
            inputs: 0,
            warned: Vec::new(),
        };
        if let Ok((program, _)) = check::check(ParsedProgram::default()) {
            session.program = program;
        }
        let output = if options.files.is_empty() {
            Output::default()
        } else {
            session.load(&options.files)
        };
        Ok((session, output))
    }

    /// The checked programme as it stands.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The reporting period; `None` for the whole data.
    pub fn period(&self) -> Option<&Period> {
        self.period.as_ref()
    }

    /// Runs one input: a command, declarations, or an expression. Nothing a person types
    /// can end the session but `:quit`.
    pub fn eval_line(&mut self, input: &str) -> Output {
        let started = Instant::now();
        let text = input::strip_continuation(input);
        let mut output = match input::classify(&text) {
            Input::Empty => return Output::default(),
            Input::Command => self.command(text.trim()),
            Input::Declaration => self.declare(text.trim_end()),
            Input::Expression => match text.trim() {
                // A word meant for the REPL rather than a name, unless something has it.
                word @ ("quit" | "exit" | "help") if !self.has_name(word) => {
                    self.command(if word == "help" { ":help" } else { ":quit" })
                }
                _ => self.query(text.trim_end()),
            },
        };
        if self.timing && !output.quit {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            output.line(format!("time: {ms:.1} ms"));
        }
        output
    }

    /// The session's programme checked again, with the checker's warnings, which the
    /// programme the session keeps has already reported.
    pub(super) fn checked_again(
        &self,
    ) -> Result<(Program, Vec<crate::diagnostic::Diagnostic>), Vec<crate::diagnostic::Diagnostic>>
    {
        check::check(self.assemble(&self.parsed, &self.entries))
    }

    fn has_name(&self, name: &str) -> bool {
        self.program.measure(name).is_some()
            || self.program.indicator(name).is_some()
            || self.program.datasets.iter().any(|d| d.name == name)
    }

    fn next_name(&mut self) -> String {
        self.inputs += 1;
        format!("<input {}>", self.inputs)
    }

    /// The files with the typed declarations after them, each replacing earlier
    /// declarations of its names. Modules go newest first, because the checker reads them
    /// from the last: the files' declarations come first in the programme, then those
    /// typed, in the order typed.
    fn assemble(&self, files: &ParsedProgram, entries: &[Entry]) -> ParsedProgram {
        let mut parsed = files.clone();
        let mut typed: Vec<Module> = Vec::new();
        for entry in entries {
            let file =
                parsed
                    .sources
                    .add(PathBuf::from(&entry.name), &entry.name, entry.text.as_str());
            // Each entry parsed when it was typed, so this cannot fail.
            let Ok(mut module) = syntax::parse(file, &entry.text) else {
                continue;
            };
            module.uses.clear();
            for earlier in parsed.modules.iter_mut().chain(typed.iter_mut()) {
                entry.declares.remove_from(earlier);
            }
            typed.push(module);
        }
        typed.reverse();
        typed.append(&mut parsed.modules);
        parsed.modules = typed;
        parsed
    }

    /// Adds files to the programme, or reads them all again with `reload`.
    pub(super) fn load(&mut self, paths: &[PathBuf]) -> Output {
        let mut files = self.files.clone();
        for p in paths {
            if !files.contains(p) {
                files.push(p.clone());
            }
        }
        let mut output = self.rebuild(files);
        if output.diagnostics.iter().any(Diagnostic::is_error) {
            output.errors.push(if self.files.is_empty() {
                "nothing loaded: fix the files, then `:reload` or `:load` them".to_string()
            } else {
                "the programme stays as it was".to_string()
            });
            // Files given at the start are kept even when wrong, so that `:reload` tries
            // them again once fixed.
            if self.files.is_empty() {
                self.files = paths.to_vec();
            }
            return output;
        }
        output.line(self.summary());
        output
    }

    /// Reads and checks the files again with the typed declarations.
    pub(super) fn reload(&mut self) -> Output {
        let mut output = self.rebuild(self.files.clone());
        if output.diagnostics.iter().any(Diagnostic::is_error) {
            output
                .errors
                .push("the programme stays as it was".to_string());
        } else {
            output.line(self.summary());
        }
        output
    }

    fn rebuild(&mut self, files: Vec<PathBuf>) -> Output {
        let parsed = match syntax::load_program(&files) {
            Ok(parsed) => parsed,
            Err((_, errors)) => return Output::diagnostics(errors),
        };
        match check::check(self.assemble(&parsed, &self.entries)) {
            Ok((program, warnings)) => {
                self.files = files;
                self.parsed = parsed;
                self.adopt(program);
                self.warned = warnings.iter().map(signature).collect();
                Output::diagnostics(warnings)
            }
            Err(errors) => Output::diagnostics(errors),
        }
    }

    fn adopt(&mut self, program: Program) {
        self.program = program;
        self.tables.follow(&self.program);
    }

    /// One line on what the programme holds.
    pub(super) fn summary(&self) -> String {
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let files: Vec<String> = self.files.iter().map(|f| f.display().to_string()).collect();
        format!(
            "loaded {}: {}, {}, {}",
            if files.is_empty() {
                "no files".to_string()
            } else {
                files.join(", ")
            },
            count(self.program.datasets.len(), "dataset"),
            count(self.program.measures.len(), "measure"),
            count(self.program.indicators.len(), "indicator"),
        )
    }

    /// Declarations typed at the prompt: checked with the rest of the programme, then
    /// evaluated with everything that uses them.
    fn declare(&mut self, text: &str) -> Output {
        let name = self.next_name();
        let mut alone = ParsedProgram::default();
        let file = alone
            .sources
            .add(PathBuf::from(&name), &name, text.to_string());
        let module = match syntax::parse(file, text) {
            Ok(module) => module,
            Err(errors) => {
                let source = alone.sources.source(file);
                return Output::diagnostics(
                    errors
                        .into_iter()
                        .map(|e| e.into_diagnostic(source.clone()))
                        .collect(),
                );
            }
        };

        // `use` typed at the prompt loads the file, relative to the current directory.
        let mut files = self.files.clone();
        for import in &module.uses {
            let path = PathBuf::from(&import.path);
            if !files.contains(&path) {
                files.push(path);
            }
        }
        let parsed = if files == self.files {
            self.parsed.clone()
        } else {
            match syntax::load_program(&files) {
                Ok(parsed) => parsed,
                Err((_, errors)) => return Output::diagnostics(errors),
            }
        };
        let declares = Names::of(&module);
        let mut entries = self.entries.clone();
        if !declares.is_empty() {
            entries.push(Entry {
                name,
                text: text.to_string(),
                declares: declares.clone(),
            });
        }
        let (program, warnings) = match check::check(self.assemble(&parsed, &entries)) {
            Ok(checked) => checked,
            Err(errors) => return Output::diagnostics(errors),
        };

        let before = std::mem::take(&mut self.program);
        self.files = files;
        self.parsed = parsed;
        self.entries = without_replaced(entries);
        self.adopt(program);

        let before_warned =
            std::mem::replace(&mut self.warned, warnings.iter().map(signature).collect());
        let new_warnings = warnings
            .into_iter()
            .filter(|w| !before_warned.contains(&signature(w)))
            .collect();
        let mut output = Output::diagnostics(new_warnings);
        for import in &module.uses {
            output.line(format!("loaded {}", import.path));
        }
        self.report_declared(&before, &declares, &mut output);
        output
    }

    /// Says what a declaration changed, and evaluates it and what depends on it.
    fn report_declared(&mut self, before: &Program, declares: &Names, output: &mut Output) {
        let program = &self.program;
        let kind_of = |p: &Program, name: &str| -> Option<&'static str> {
            if p.measure(name).is_some() {
                Some("measure")
            } else if p.indicator(name).is_some() {
                Some("indicator")
            } else if p.datasets.iter().any(|d| d.name == name) {
                Some("dataset")
            } else if p.lookup(name).is_some() {
                Some("lookup")
            } else if p.hierarchies.iter().any(|h| h.name == name) {
                Some("hierarchy")
            } else {
                None
            }
        };
        for name in &declares.values {
            let kind = kind_of(program, name).unwrap_or("name");
            let verb = if kind_of(before, name).is_some() {
                "redefined"
            } else {
                "defined"
            };
            output.line(format!("{verb} {kind} {name}"));
        }
        for name in &declares.scales {
            let verb = if before.scales.iter().any(|s| s.name == *name) {
                "redefined"
            } else {
                "defined"
            };
            output.line(format!("{verb} scale {name}"));
        }
        for name in &declares.binds {
            if let Some(d) = program.datasets.iter().find(|d| d.name == *name) {
                output.line(format!("bound dataset {name} to {}", d.source));
            }
        }
        for name in &declares.tests {
            output.line(format!("defined test \"{name}\"; `:test` runs it"));
        }

        let Affected {
            datasets,
            selection,
            others,
        } = affected(program, declares);
        if !others.is_empty() {
            output.line(format!("re-evaluated {}", others.join(", ")));
        }
        if selection.measures.is_empty() && selection.indicators.is_empty() && datasets.is_empty() {
            return;
        }
        let program = std::mem::take(&mut self.program);
        let results = self.evaluate(&program, &selection, &datasets, output);
        output.line("");
        for d in &datasets {
            let name = &program.datasets[*d].name;
            if let Some(summary) = results.datasets.iter().find(|s| s.name == *name) {
                output.line(render::dataset_line(summary, results.period.is_some()));
            }
        }
        self.print_results(&program, &results, output);
        self.program = program;
    }

    /// An expression: checked against the programme, evaluated for the period, and
    /// printed with its type.
    fn query(&mut self, text: &str) -> Output {
        let (program, id, warnings) = match self.check_query(text) {
            Ok(checked) => checked,
            Err(output) => return output,
        };
        let mut output = Output::diagnostics(warnings);
        let selection = Selection {
            measures: vec![id],
            indicators: Vec::new(),
        };
        let results = self.evaluate(&program, &selection, &[], &mut output);
        // Back to the session's own programme; the query's added nothing else.
        self.tables.follow(&self.program);
        if let Some(result) = results.measures.first() {
            match self.format {
                Format::Table => output.text.push_str(&render::value(&program, result)),
                Format::Json => {
                    let json = render::value_json(&program, &results, text);
                    output.line(format!("{json:#}"));
                }
            }
        }
        output
    }

    /// The programme with an expression added as a measure, that measure and the
    /// expression's own warnings; or what is wrong with the expression.
    pub(super) fn check_query(
        &mut self,
        text: &str,
    ) -> Result<(Program, MeasureId, Vec<Diagnostic>), Output> {
        let name = self.next_name();
        let mut parsed = self.assemble(&self.parsed, &self.entries);
        let file = parsed
            .sources
            .add(PathBuf::from(&name), &name, text.to_string());
        let query = match syntax::parse_query(file, text) {
            Ok(query) => query,
            Err(error) => {
                let source = parsed.sources.source(file);
                return Err(Output::diagnostics(vec![error.into_diagnostic(source)]));
            }
        };
        match check::check_query(parsed, &query) {
            Ok((program, id, warnings)) => {
                // The warnings are the programme's, already shown when it was loaded,
                // unless the expression itself has one.
                let own: Vec<Diagnostic> = warnings
                    .into_iter()
                    .filter(|w| w.source.as_ref().is_some_and(|s| s.name() == name))
                    .collect();
                self.tables.follow(&program);
                Ok((program, id, own))
            }
            Err(errors) => Err(Output::diagnostics(errors)),
        }
    }

    /// Evaluates a selection of a programme for the period, reading first the datasets the
    /// programme reads (and `also_read`) that have not been read or whose files changed.
    pub(super) fn evaluate(
        &mut self,
        program: &Program,
        selection: &Selection,
        also_read: &[usize],
        output: &mut Output,
    ) -> Results {
        let mut wanted = eval::datasets_read(program);
        for &d in also_read {
            if let Some(w) = wanted.get_mut(d) {
                *w = true;
            }
        }
        let refreshed = self
            .tables
            .refresh(program, &wanted, &self.data_dir, &self.access);
        output.diagnostics.extend(refreshed.diagnostics);
        for name in refreshed.reread {
            output.line(format!("read dataset {name} again: its file changed"));
        }
        eval::evaluate_tables(
            program,
            self.tables.all(),
            self.period.as_ref(),
            self.clocks,
            Some(selection),
        )
    }

    /// Prints the measures, then the indicators, of some results.
    pub(super) fn print_results(&self, program: &Program, results: &Results, output: &mut Output) {
        match self.format {
            Format::Table => output.text.push_str(&render::results(program, results)),
            Format::Json => {
                let json = render::results_json(program, results);
                output.line(format!("{json:#}"));
            }
        }
    }
}

/// What declarations affect: what they declare and everything that uses it.
struct Affected {
    /// The datasets declared, to be read at once.
    datasets: Vec<usize>,
    /// The measures and indicators declared or affected, those declared first.
    selection: Selection,
    /// The names of those affected but not declared.
    others: Vec<String>,
}

/// The measures and indicators that declarations affect: those declared, the measures that
/// read a declared dataset or use a declared lookup, and every measure and indicator that
/// uses any of these, directly or through others.
fn affected(program: &Program, declares: &Names) -> Affected {
    let declared = |name: &String| declares.values.contains(name);
    let datasets: Vec<usize> = (0..program.datasets.len())
        .filter(|d| {
            let name = &program.datasets[*d].name;
            declared(name) || declares.binds.contains(name)
        })
        .collect();
    let lookups: Vec<&str> = program
        .lookups
        .iter()
        .filter(|l| declared(&l.name))
        .map(|l| l.name.as_str())
        .collect();
    let reads_new = |m: &crate::check::Measure| {
        m.reads.iter().any(|d| datasets.contains(d))
            || render::uses_lookup(program, &m.expr, &lookups)
    };
    let (mut measures, mut touched): (Vec<MeasureId>, Vec<MeasureId>) = (Vec::new(), Vec::new());
    for (id, m) in program.measures.iter().enumerate() {
        if declared(&m.name) {
            measures.push(id);
        } else if reads_new(m) {
            touched.push(id);
        }
    }
    let declared_count = measures.len();
    measures.append(&mut touched);
    measures.extend(program.measures_using(&measures));
    let mut indicators: Vec<usize> = (0..program.indicators.len())
        .filter(|i| declared(&program.indicators[*i].name))
        .collect();
    let declared_indicators = indicators.len();
    indicators.extend(program.indicators_using(&measures, &indicators));

    let others = measures[declared_count..]
        .iter()
        .map(|m| program.measures[*m].name.clone())
        .chain(
            indicators[declared_indicators..]
                .iter()
                .map(|i| program.indicators[*i].name.clone()),
        )
        .collect();
    Affected {
        datasets,
        selection: Selection {
            measures,
            indicators,
        },
        others,
    }
}

/// What tells one warning from another: its code, message and place.
fn signature(d: &Diagnostic) -> String {
    format!("{} {} {:?}", d.code, d.message, d.location())
}

impl Session {
    /// Writes the declarations typed in the session to `path`, in the canonical layout:
    /// after the file's own text when it exists, else in a new file that first imports the
    /// files loaded, so that it checks on its own. A declaration of a name the file already
    /// declares is refused rather than written twice.
    pub(super) fn save(&self, path: &Path) -> Output {
        if self.entries.is_empty() {
            return Output::error("nothing to save: no declaration was typed in this session");
        }
        let typed: Vec<&str> = self.entries.iter().map(|e| e.text.trim()).collect();
        let typed = typed.join("\n\n");

        let existing = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Output::error(format!("cannot read `{}`: {e}", path.display())),
        };
        // What is written is laid out canonically; a file that exists keeps its own layout.
        let canonical = |text: String| crate::format::format_source("saved", &text).unwrap_or(text);
        let text = match &existing {
            Some(old) => {
                if let Ok(module) = syntax::parse(syntax::FileId(0), old) {
                    let there = Names::of(&module);
                    let twice: Vec<String> = self
                        .entries
                        .iter()
                        .flat_map(|e| e.declares.shared_with(&there))
                        .collect();
                    if !twice.is_empty() {
                        return Output::error(format!(
                            "`{}` already declares {}: edit it there, or save to another file",
                            path.display(),
                            twice.join(", ")
                        ));
                    }
                }
                format!("{}\n\n{}", old.trim_end(), canonical(format!("{typed}\n")))
            }
            None => {
                let uses: Vec<String> = self
                    .files
                    .iter()
                    .map(|f| format!("use \"{}\"\n", import_path(f, path)))
                    .collect();
                let gap = if uses.is_empty() { "" } else { "\n" };
                canonical(format!("{}{gap}{typed}\n", uses.concat()))
            }
        };
        if let Err(e) = std::fs::write(path, text) {
            return Output::error(format!("cannot write `{}`: {e}", path.display()));
        }
        let count = self.entries.len();
        let noun = if count == 1 {
            "declaration"
        } else {
            "declarations"
        };
        Output::text(format!("saved {count} {noun} to {}\n", path.display()))
    }
}

/// How a file at `to` imports `file`: by a path relative to `to`'s folder (`tiny.msr`,
/// `../programme/tiny.msr`), or by its full path when the two share no folder.
fn import_path(file: &Path, to: &Path) -> String {
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let folder = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let (file, folder) = (absolute(file), absolute(&folder));
    let from: Vec<_> = folder.components().collect();
    let into: Vec<_> = file.components().collect();
    let common = from.iter().zip(&into).take_while(|(a, b)| a == b).count();
    if common <= 1 {
        return file.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        into[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The entries without those every name of which a later entry declares again.
fn without_replaced(entries: Vec<Entry>) -> Vec<Entry> {
    let mut kept: Vec<Entry> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let mut later = Names::default();
        for e in &entries[i + 1..] {
            later.values.extend(e.declares.values.iter().cloned());
            later.scales.extend(e.declares.scales.iter().cloned());
        }
        if !entry.declares.within(&later) {
            kept.push(entry.clone());
        }
    }
    kept
}
