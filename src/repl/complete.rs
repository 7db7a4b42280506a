//! Completion and hints: what Tab offers at the cursor, and the grey text after it.
//!
//! The context is read from the tokens before the cursor: a command and its argument, the
//! dataset slot of an aggregate, or a row expression, where the columns of the aggregate's
//! dataset are in scope. The dataset is found inside the aggregate's brackets, after `for`
//! or as its first name, also when it is written after the cursor.

use std::path::Path;

use crate::check::{Dataset, Program, Type};
use crate::syntax::ast::AGGREGATE_NAMES;

use super::commands::{self, COMMANDS};
use super::input::{self, Kind, Token};
use super::session::Session;

/// Keywords and functions offered wherever an expression can go.
const EXPRESSION_WORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "is",
    "none",
    "true",
    "false",
    "within",
    "count",
    "sum",
    "mean",
    "median",
    "mode",
    "min",
    "max",
    "percentile",
    "exists",
    "related",
    "score",
    "default",
    "previous",
    "change",
    "relative_change",
    "mean_over",
    "trend",
    "rising",
    "falling",
    "status",
    "normalise",
    "clamp",
    "mean_by",
    "min_by",
    "max_by",
    "as_of",
    "period_start",
    "period_end",
];

/// Keywords offered inside an aggregate's brackets.
const ROW_WORDS: &[&str] = &["where", "for", "at", "except", "distinct", "on"];

/// Keywords that open a declaration, offered at the start of an input.
const DECLARATION_WORDS: &[&str] = &[
    "measure",
    "indicator",
    "dataset",
    "scale",
    "lookup",
    "hierarchy",
    "use",
    "bind",
    "test",
    "base",
    "derived",
];

/// Type names offered after a measure's `:`.
const TYPE_WORDS: &[&str] = &[
    "Count", "Percent", "Number", "Int", "Duration", "Money", "Score", "Bool", "Text", "Date",
    "DateTime",
];

/// Whether a word before a bracket calls an aggregate, whose brackets hold a dataset's
/// rows: its name, or `distinct` of `count distinct (`.
fn calls_aggregate(word: &str) -> bool {
    AGGREGATE_NAMES.contains(&word) || word == "distinct"
}

/// Grey text after the cursor: the rest of a command's name, or what a command takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub text: String,
    /// Whether accepting the hint inserts its text; a description of the arguments is only
    /// shown.
    pub inserts: bool,
}

impl Session {
    /// The completions at byte `pos` of `line`: where the replaced word starts, and the
    /// words that can replace it, sorted.
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let line = &input::blank_continuation(line);
        let pos = floor_boundary(line, pos.min(line.len()));
        let before = &line[..pos];
        let start = word_start(before);
        let prefix = &before[start..];

        let trimmed = before.trim_start();
        if let Some(command) = trimmed.strip_prefix(':') {
            return self.complete_command(line, pos, command);
        }
        let words = self.expression_words(line, start);
        (start, matching(words, prefix))
    }

    fn complete_command(&self, line: &str, pos: usize, typed: &str) -> (usize, Vec<String>) {
        let before = &line[..pos];
        let Some(space) = typed.find(char::is_whitespace) else {
            // The command's name itself.
            let start = before.rfind(':').unwrap_or(0);
            let names = COMMANDS.iter().map(|c| format!(":{}", c.name)).collect();
            return (start, matching(names, &before[start..]));
        };
        let name = &typed[..space];
        let argument_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(pos, |(i, c)| i + c.len_utf8());
        let word = &before[argument_start..];
        let program = &self.program;
        let Some(command) = commands::find(name) else {
            return (pos, Vec::new());
        };
        let words: Vec<String> = match command.name {
            "load" | "save" => return (argument_start, msr_files(word)),
            "explain" => program
                .measures
                .iter()
                .map(|m| m.name.clone())
                .chain(program.indicators.iter().map(|i| i.name.clone()))
                .collect(),
            "data" => program.datasets.iter().map(|d| d.name.clone()).collect(),
            "help" => COMMANDS.iter().map(|c| c.name.to_string()).collect(),
            "period" => vec!["all".to_string()],
            "set" => {
                let args: Vec<&str> = before[before.find(name).unwrap_or(0) + name.len()..]
                    .split_whitespace()
                    .collect();
                let done = if word.is_empty() {
                    args.len()
                } else {
                    args.len().saturating_sub(1)
                };
                match (done, args.first()) {
                    (0, _) => ["format", "timing", "tz", "as_of"]
                        .map(String::from)
                        .to_vec(),
                    (1, Some(&"format")) => vec!["table".into(), "json".into()],
                    (1, Some(&"timing")) => vec!["on".into(), "off".into()],
                    (1, Some(&"tz")) => chrono_tz::TZ_VARIANTS
                        .iter()
                        .map(|z| z.name().to_string())
                        .collect(),
                    (1, Some(&"as_of")) => vec!["none".into()],
                    _ => Vec::new(),
                }
            }
            "type" => {
                // The argument is an expression of its own, after the command's name.
                let offset = before.len() - typed.len() + space;
                let expression = &line[offset..];
                let start = argument_start.max(word_start(before));
                let words = self.expression_words(expression, start - offset);
                return (start, matching(words, &before[start..]));
            }
            _ => Vec::new(),
        };
        (argument_start, matching(words, word))
    }

    /// The words that can stand at `start` in an expression or declaration.
    fn expression_words(&self, line: &str, start: usize) -> Vec<String> {
        let program = &self.program;
        let tokens = input::tokens(line);
        let before: Vec<&Token> = tokens
            .iter()
            .filter(|t| t.end <= start && !matches!(t.kind, Kind::Comment { .. }))
            .collect();
        let previous = before.last().copied();

        // `related(...).column`: the related dataset's columns.
        if previous.is_some_and(|t| t.text == ".") {
            if let Some(d) = related_before_dot(&before, program) {
                return column_names(&program.datasets[d]);
            }
            return Vec::new();
        }

        let context = row_context(&tokens, &before, program);
        match context {
            Some(Context::DatasetSlot) => names(program.datasets.iter().map(|d| &d.name)),
            Some(Context::Columns(d)) => {
                let dataset = &program.datasets[d];
                let mut words = column_names(dataset);
                words.extend(categories_of(program, dataset));
                words.extend(program.lookups.iter().map(|l| l.name.clone()));
                words.extend(words_of(ROW_WORDS));
                words.extend(words_of(EXPRESSION_WORDS));
                words
            }
            Some(Context::Unknown) => {
                let mut words = names(program.datasets.iter().map(|d| &d.name));
                words.extend(words_of(ROW_WORDS));
                words.extend(words_of(EXPRESSION_WORDS));
                words
            }
            None => self.top_level_words(&before),
        }
    }

    /// Words outside any aggregate: declarations at the start, types after a measure's
    /// `:`, grouping columns after `by`, else names and functions.
    fn top_level_words(&self, before: &[&Token]) -> Vec<String> {
        let program = &self.program;
        let previous = before.last().copied();
        if before.is_empty() {
            let mut words = words_of(DECLARATION_WORDS);
            words.extend(self.value_names());
            words.extend(words_of(EXPRESSION_WORDS));
            return words;
        }
        if previous.is_some_and(|t| t.text == ":" || t.text == "->" || t.is_word("per")) {
            let mut words = words_of(TYPE_WORDS);
            words.extend(program.scales.iter().map(|s| s.name.clone()));
            return words;
        }
        let after_by = before
            .iter()
            .rev()
            .take_while(|t| t.kind != Kind::Open && !t.is_word("measure"))
            .any(|t| t.is_word("by"));
        if after_by {
            // The columns of the datasets the input names, else of every dataset.
            let named: Vec<&Dataset> = program
                .datasets
                .iter()
                .filter(|d| before.iter().any(|t| t.is_word(&d.name)))
                .collect();
            let datasets = if named.is_empty() {
                program.datasets.iter().collect()
            } else {
                named
            };
            let mut words: Vec<String> = datasets.into_iter().flat_map(column_names).collect();
            words.extend(["day", "week", "month", "quarter", "year"].map(String::from));
            words.extend(program.hierarchies.iter().map(|h| h.name.clone()));
            return words;
        }
        let mut words = self.value_names();
        words.extend(words_of(EXPRESSION_WORDS));
        words.extend(words_of(&["by"]));
        words
    }

    /// Names an expression can use outside rows: measures, indicators (for `status`),
    /// lookups, and datasets (for aggregates).
    fn value_names(&self) -> Vec<String> {
        let program = &self.program;
        let mut words: Vec<String> = program.measures.iter().map(|m| m.name.clone()).collect();
        words.extend(program.indicators.iter().map(|i| i.name.clone()));
        words.extend(program.lookups.iter().map(|l| l.name.clone()));
        words.extend(program.datasets.iter().map(|d| d.name.clone()));
        words
    }

    /// The hint after the cursor, for a command line: the rest of a command's name when
    /// one command starts so, or what the command takes once it is written out.
    pub fn hint(&self, line: &str, pos: usize) -> Option<Hint> {
        if pos != line.len() {
            return None;
        }
        let typed = line.trim_start().strip_prefix(':')?;
        if typed.is_empty() {
            return None;
        }
        match typed.find(char::is_whitespace) {
            None => {
                let mut starting = COMMANDS.iter().filter(|c| c.name.starts_with(typed));
                let only = starting.next()?;
                if starting.next().is_some() || only.name == typed {
                    return None;
                }
                Some(Hint {
                    text: only.name[typed.len()..].to_string(),
                    inserts: true,
                })
            }
            Some(space) => {
                let command = commands::find(&typed[..space])?;
                let rest = &typed[space..];
                (rest.trim().is_empty() && !command.args.is_empty()).then(|| Hint {
                    text: if rest.ends_with(char::is_whitespace) {
                        command.args.to_string()
                    } else {
                        format!(" {}", command.args)
                    },
                    inserts: false,
                })
            }
        }
    }
}

/// Where the cursor stands inside the brackets of an aggregate or a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Where a dataset's name goes: `count(|`, `mean(x for |`.
    DatasetSlot,
    /// Inside rows of a known dataset, by index.
    Columns(usize),
    /// Inside an aggregate whose dataset is not written, or not known.
    Unknown,
}

/// The context of the innermost aggregate or relation whose brackets hold the cursor.
fn row_context(tokens: &[Token], before: &[&Token], program: &Program) -> Option<Context> {
    // The brackets open at the cursor, innermost last, each with the word before it.
    let mut open: Vec<(usize, Option<&str>)> = Vec::new();
    for (k, t) in before.iter().enumerate() {
        match t.kind {
            Kind::Open => {
                let word = k
                    .checked_sub(1)
                    .map(|j| before[j])
                    .filter(|w| w.kind == Kind::Word)
                    .map(|w| w.text);
                open.push((k, word));
            }
            Kind::Close => {
                open.pop();
            }
            _ => {}
        }
    }
    let dataset = |name: &str| program.datasets.iter().position(|d| d.name == name);
    for &(at, word) in open.iter().rev() {
        let Some(word) = word else { continue };
        let is_aggregate = calls_aggregate(word);
        let is_relation = word == "exists" || word == "related";
        if !is_aggregate && !is_relation {
            continue;
        }
        // The tokens inside these brackets at their own depth, before and after the cursor.
        let inside_before: Vec<&Token> = at_depth(&before[at + 1..]);
        let start = before[at].end;
        let whole: Vec<&Token> = at_depth(
            &tokens
                .iter()
                .filter(|t| t.start >= start && !matches!(t.kind, Kind::Comment { .. }))
                .collect::<Vec<_>>(),
        );
        let previous = inside_before.last().copied();

        if is_relation {
            let related = whole.first().and_then(|t| dataset(t.text));
            if inside_before.is_empty() {
                return Some(Context::DatasetSlot);
            }
            // `on KEY = KEY`: the first key is the related dataset's column, the second
            // this row's; after `where`, the related dataset's columns again.
            let equals = inside_before.iter().any(|t| t.text == "=");
            let filter = inside_before.iter().any(|t| t.is_word("where"));
            if equals && !filter {
                let outer = open
                    .iter()
                    .rev()
                    .skip_while(|(k, _)| *k != at)
                    .skip(1)
                    .find_map(|&(k, w)| {
                        let w = w?;
                        calls_aggregate(w).then_some(k)
                    });
                let outer_dataset = outer.and_then(|k| {
                    let inside = at_depth(&before[k + 1..]);
                    dataset_of(&inside, program)
                });
                return Some(outer_dataset.map_or(Context::Unknown, Context::Columns));
            }
            return Some(related.map_or(Context::Unknown, Context::Columns));
        }

        // Right after the bracket is the value, when a `for` follows, or else the
        // dataset; right after `for`, the dataset.
        let value_first = whole.iter().any(|t| t.is_word("for"));
        if inside_before.is_empty() && value_first {
            return Some(dataset_of(&whole, program).map_or(Context::Unknown, Context::Columns));
        }
        if inside_before.is_empty() || previous.is_some_and(|t| t.is_word("for")) {
            return Some(Context::DatasetSlot);
        }
        // `percentile(90, |`, `count distinct(|`: still the value's or dataset's place.
        if previous.is_some_and(|t| t.text == ",") && inside_before.len() == 2 {
            return Some(
                dataset_of(&whole, program).map_or(Context::DatasetSlot, Context::Columns),
            );
        }
        return Some(dataset_of(&whole, program).map_or(Context::Unknown, Context::Columns));
    }
    None
}

/// The tokens of a bracket's contents that are at its own depth, up to its close.
fn at_depth<'t, 'a>(tokens: &[&'t Token<'a>]) -> Vec<&'t Token<'a>> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for t in tokens {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close if depth == 0 => break,
            Kind::Close => depth -= 1,
            _ if depth == 0 => out.push(*t),
            _ => {}
        }
    }
    out
}

/// The dataset an aggregate's contents name: after `for`, else its first name.
fn dataset_of(inside: &[&Token], program: &Program) -> Option<usize> {
    let named = |t: &&Token| program.datasets.iter().position(|d| d.name == t.text);
    let after_for = inside
        .iter()
        .position(|t| t.is_word("for"))
        .and_then(|k| inside.get(k + 1));
    match after_for {
        Some(t) => named(t),
        None => inside.iter().find(|t| t.kind == Kind::Word).and_then(named),
    }
}

/// For `related(assets on ...).`, the related dataset.
fn related_before_dot(before: &[&Token], program: &Program) -> Option<usize> {
    let n = before.len();
    if n < 2 || before[n - 2].text != ")" {
        return None;
    }
    // Walk back to the matching open bracket.
    let mut depth = 0usize;
    let mut k = n - 2;
    loop {
        match before[k].kind {
            Kind::Close => depth += 1,
            Kind::Open => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        k = k.checked_sub(1)?;
    }
    let word = before.get(k.checked_sub(1)?)?;
    if !word.is_word("related") {
        return None;
    }
    let name = before.get(k + 1)?;
    program.datasets.iter().position(|d| d.name == name.text)
}

fn column_names(dataset: &Dataset) -> Vec<String> {
    dataset.columns.iter().map(|c| c.name.clone()).collect()
}

/// The categories of the scales of a dataset's columns.
fn categories_of(program: &Program, dataset: &Dataset) -> Vec<String> {
    dataset
        .columns
        .iter()
        .filter_map(|c| match c.ty {
            Type::Category(s) => program.scales.get(s),
            _ => None,
        })
        .flat_map(|s| s.categories.iter().cloned())
        .collect()
}

fn names<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    items.cloned().collect()
}

fn words_of(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The words that start with `prefix`, sorted, each once.
fn matching(mut words: Vec<String>, prefix: &str) -> Vec<String> {
    words.retain(|w| w.starts_with(prefix));
    words.sort();
    words.dedup();
    words
}

/// `.msr` files and folders whose paths start with `typed`, for `:load`.
fn msr_files(typed: &str) -> Vec<String> {
    let (dir, file_prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let read_from = if dir.is_empty() {
        Path::new(".")
    } else {
        Path::new(dir)
    };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            if !name.starts_with(file_prefix)
                || name.starts_with('.') && !file_prefix.starts_with('.')
            {
                return None;
            }
            let is_dir = entry.file_type().ok()?.is_dir();
            if is_dir {
                Some(format!("{dir}{name}/"))
            } else if name.ends_with(".msr") {
                Some(format!("{dir}{name}"))
            } else {
                None
            }
        })
        .collect();
    found.sort();
    found
}

/// Where the name that ends `text` starts.
fn word_start(text: &str) -> usize {
    text.char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The largest character boundary at or before `pos`.
fn floor_boundary(text: &str, mut pos: usize) -> usize {
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}
