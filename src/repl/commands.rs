//! The REPL's commands: `:help`, `:load`, `:type`, `:explain`, `:data` and the rest, each
//! with a short alias.

use std::path::PathBuf;

use crate::check::explain::explain as type_report;
use crate::diagnostic::did_you_mean;
use crate::eval::{self, Calendar, Selection, Subject};
use crate::report::explain::{explanation, explanation_json};

use super::render;
use super::session::{Format, Output, Session};

/// A command: its name, its one-letter alias, what it takes and what it does.
pub(super) struct Command {
    pub name: &'static str,
    pub alias: Option<&'static str>,
    pub args: &'static str,
    pub about: &'static str,
}

/// Every command, in the order `:help` lists them.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "help",
        alias: Some("h"),
        args: "[COMMAND]",
        about: "list the commands, or say what one does",
    },
    Command {
        name: "load",
        alias: Some("l"),
        args: "FILE...",
        about: "add .msr files, with what they import, to the programme",
    },
    Command {
        name: "reload",
        alias: Some("r"),
        args: "",
        about: "read the files again; what was typed at the prompt stays",
    },
    Command {
        name: "type",
        alias: Some("t"),
        args: "EXPR",
        about: "type, scale type and unit of an expression, and when it may be missing",
    },
    Command {
        name: "explain",
        alias: Some("e"),
        args: "NAME [GROUP]",
        about: "how a measure or indicator is computed, down to the rows matched; or one group",
    },
    Command {
        name: "data",
        alias: Some("d"),
        args: "[NAME]",
        about: "a dataset's columns, row count and first rows; without a name, the list",
    },
    Command {
        name: "period",
        alias: Some("p"),
        args: "[PERIOD | all]",
        about: "show or set the period: 2025, 2025-Q3, 2025-09, 2025-W36 or 2025-09-14",
    },
    Command {
        name: "set",
        alias: None,
        args: "KEY VALUE",
        about: "format table|json; timing on|off (time each input); tz ZONE (periods' \
                time zone); as_of INSTANT|none (when the data is seen from)",
    },
    Command {
        name: "measures",
        alias: Some("m"),
        args: "",
        about: "every measure's value for the period",
    },
    Command {
        name: "indicators",
        alias: Some("i"),
        args: "",
        about: "every indicator's value and status for the period",
    },
    Command {
        name: "test",
        alias: None,
        args: "[TEXT]",
        about: "run the `test` blocks loaded or typed, or those whose name contains TEXT",
    },
    Command {
        name: "save",
        alias: None,
        args: "FILE",
        about: "write the declarations typed in this session to FILE (after its text, or in \
                a new file that imports those loaded)",
    },
    Command {
        name: "quit",
        alias: Some("q"),
        args: "",
        about: "leave (so does Ctrl-D)",
    },
];

/// The command a name or alias stands for.
pub(super) fn find(name: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.alias == Some(name))
}

/// How many rows `:data` shows.
const FIRST_ROWS: usize = 10;

impl Session {
    /// Runs a command line: `:name` and its arguments.
    pub(super) fn command(&mut self, line: &str) -> Output {
        let line = line.trim_start_matches(':');
        let (name, rest) = match line.find(char::is_whitespace) {
            Some(i) => (&line[..i], line[i..].trim()),
            None => (line, ""),
        };
        let Some(command) = find(name) else {
            let names = COMMANDS.iter().map(|c| c.name);
            let hint = match did_you_mean(name, names) {
                Some(c) => format!("; did you mean `:{c}`?"),
                None => "; `:help` lists the commands".to_string(),
            };
            return Output::error(format!("unknown command `:{name}`{hint}"));
        };
        match command.name {
            "help" => help(rest),
            "load" => self.load_command(rest),
            "reload" => self.reload(),
            "type" => self.type_command(rest),
            "explain" => self.explain_command(rest),
            "data" => self.data_command(rest),
            "period" => self.period_command(rest),
            "set" => self.set_command(rest),
            "measures" => self.all_measures(),
            "indicators" => self.all_indicators(),
            "test" => self.test_command(rest),
            "save" if rest.is_empty() => {
                Output::error("`:save` takes the file to write: `:save new_measures.msr`")
            }
            "save" => self.save(std::path::Path::new(rest)),
            _ => Output {
                quit: true,
                ..Output::default()
            },
        }
    }

    /// Runs the tests of every file loaded and of what was typed, on their own fixtures:
    /// the session's data and period play no part.
    fn test_command(&mut self, filter: &str) -> Output {
        let (program, warnings) = match self.checked_again() {
            Ok(checked) => checked,
            Err(errors) => return Output::diagnostics(errors),
        };
        if program.tests.is_empty() {
            return Output::text(
                "no tests: write `test \"name\" { ... }` or load a file that has some\n",
            );
        }
        let selection = crate::testing::Selection {
            filter: (!filter.is_empty()).then(|| filter.to_string()),
            imported: true,
        };
        let outcomes = crate::testing::run(&program, &warnings, &selection);
        let render = |d: &crate::diagnostic::Diagnostic| d.render(100, false);
        Output::text(crate::testing::render_text(&outcomes, None, &render))
    }

    fn load_command(&mut self, args: &str) -> Output {
        let paths: Vec<PathBuf> = args.split_whitespace().map(PathBuf::from).collect();
        if paths.is_empty() {
            return Output::error("`:load` takes the files to load: `:load incidents.msr`");
        }
        self.load(&paths)
    }

    fn type_command(&mut self, args: &str) -> Output {
        if args.is_empty() {
            return Output::error("`:type` takes an expression: `:type sla_rate * 100`");
        }
        // An indicator is not an expression, but its value has a type all the same.
        if let Some(id) = self.program.indicator(args) {
            let report = type_report(&self.program);
            let mut output = Output::default();
            match self.format {
                Format::Table => output.text = render::indicator_type(&report.indicators[id]),
                Format::Json => output.line(format!(
                    "{:#}",
                    serde_json::to_value(&report.indicators[id]).unwrap_or_default()
                )),
            }
            return output;
        }
        // A measure's own facts say what it is made from, which its name as an
        // expression would not.
        let (program, id, warnings) = match self.program.measure(args) {
            Some(m) => (self.program.clone(), m, Vec::new()),
            None => match self.check_query(args) {
                Ok(checked) => checked,
                Err(output) => return output,
            },
        };
        self.tables.follow(&self.program);
        let report = type_report(&program);
        let types = &report.measures[id];
        let mut output = Output::diagnostics(warnings);
        match self.format {
            Format::Table => output.text = render::measure_type(args, types),
            Format::Json => {
                let mut json = serde_json::to_value(types).unwrap_or_default();
                json["name"] = serde_json::json!(render::one_line(args));
                output.line(format!("{json:#}"));
            }
        }
        output
    }

    /// `:explain NAME [GROUP]`: the computation of a value's total, or of one group, named
    /// by its key as the results show it (`Human Resources`, `finance / high`).
    fn explain_command(&mut self, args: &str) -> Output {
        let (name, group) = match args.split_once(char::is_whitespace) {
            Some((name, group)) => (name, Some(group.trim())),
            None => (args, None),
        };
        let subject = if let Some(m) = self.program.measure(name) {
            Subject::Measure(m)
        } else if let Some(i) = self.program.indicator(name) {
            Subject::Indicator(i)
        } else {
            return Output::error(self.unknown("measure or indicator", name, true));
        };
        let program = std::mem::take(&mut self.program);
        let mut output = Output::default();
        // Evaluating nothing reads the datasets as an evaluation would.
        self.evaluate(&program, &Selection::default(), &[], &mut output);
        let (tables, period) = (self.tables.all(), self.period.as_ref());
        let step = match group {
            None => Ok(eval::explain(
                &program,
                tables,
                period,
                self.clocks,
                subject,
            )),
            Some(key) => eval::explain_group(&program, tables, period, self.clocks, subject, key)
                .map_err(|keys| match keys.is_empty() {
                    true => format!("`{name}` is not grouped, so it has no group `{key}`"),
                    false => format!(
                        "`{name}` has no group `{key}`; its groups are {}",
                        keys.join(", ")
                    ),
                }),
        };
        self.program = program;
        match step {
            Ok(step) => match self.format {
                Format::Table => output.text.push_str(&explanation(&self.program, &step)),
                Format::Json => {
                    output.line(format!("{:#}", explanation_json(&self.program, &step)))
                }
            },
            Err(message) => return Output::error(message),
        }
        output
    }

    fn data_command(&mut self, name: &str) -> Output {
        let program = std::mem::take(&mut self.program);
        let output = self.data_view(&program, name);
        self.program = program;
        output
    }

    fn data_view(&mut self, program: &crate::check::Program, name: &str) -> Output {
        if name.is_empty() {
            if program.datasets.is_empty() {
                return Output::text("no datasets\n");
            }
            return Output::text(render::datasets(program));
        }
        let Some(id) = program.datasets.iter().position(|d| d.name == name) else {
            return Output::error(self.unknown("dataset", name, false));
        };
        let mut output = Output::default();
        let results = self.evaluate(program, &Selection::default(), &[id], &mut output);
        let Some(table) = self.tables.get(id) else {
            output
                .errors
                .push(format!("dataset {name} could not be read"));
            return output;
        };
        let summary = results.datasets.iter().find(|d| d.name == name);
        let view = render::DataView {
            program,
            dataset: id,
            table,
            summary,
            period: self.period.as_ref(),
            rows: FIRST_ROWS,
        };
        match self.format {
            Format::Table => output.text.push_str(&view.table()),
            Format::Json => output.line(format!("{:#}", view.json())),
        }
        output
    }

    fn period_command(&mut self, args: &str) -> Output {
        match args {
            "" => {}
            "all" | "none" | "whole" => self.period = None,
            text => match self.clocks.calendar.parse(text) {
                Ok(period) => self.period = Some(period),
                Err(message) => return Output::error(message),
            },
        }
        Output::text(render::period_line(self.period.as_ref()))
    }

    fn set_command(&mut self, args: &str) -> Output {
        let words: Vec<&str> = args.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            ["format", "table"] => self.format = Format::Table,
            ["format", "json"] => self.format = Format::Json,
            ["timing", "on"] => self.timing = true,
            ["timing", "off"] => self.timing = false,
            ["tz", zone] => match Calendar::named(zone) {
                Ok(calendar) => {
                    self.clocks.calendar = calendar;
                    // The period keeps its name and is read again in the new zone.
                    if let Some(period) = &self.period {
                        self.period = calendar.parse(&period.label).ok();
                    }
                }
                Err(message) => return Output::error(message),
            },
            ["as_of" | "as-of", "none"] => self.clocks.as_of = None,
            ["as_of" | "as-of", text] => match self.clocks.calendar.instant(text) {
                Ok(instant) => self.clocks.as_of = Some(instant),
                Err(message) => return Output::error(message),
            },
            _ => {
                return Output::error(
                    "`:set` takes `format table`, `format json`, `timing on`, `timing off`, \
                     `tz ZONE` or `as_of INSTANT` (`as_of none` to see each period from its \
                     end)",
                );
            }
        }
        let format = match self.format {
            Format::Table => "table",
            Format::Json => "json",
        };
        let timing = if self.timing { "on" } else { "off" };
        let as_of = self
            .clocks
            .as_of
            .map_or_else(|| "none".to_string(), crate::eval::period::timestamp_text);
        Output::text(format!(
            "format {format}\ntiming {timing}\ntz {}\nas_of {as_of}\n",
            self.clocks.calendar.name()
        ))
    }

    fn all_measures(&mut self) -> Output {
        if self.program.measures.is_empty() {
            return Output::text("no measures\n");
        }
        let selection = Selection {
            measures: (0..self.program.measures.len()).collect(),
            indicators: Vec::new(),
        };
        self.show(&selection)
    }

    fn all_indicators(&mut self) -> Output {
        if self.program.indicators.is_empty() {
            return Output::text("no indicators\n");
        }
        let selection = Selection {
            measures: Vec::new(),
            indicators: (0..self.program.indicators.len()).collect(),
        };
        self.show(&selection)
    }

    fn show(&mut self, selection: &Selection) -> Output {
        let program = std::mem::take(&mut self.program);
        let mut output = Output::default();
        let results = self.evaluate(&program, selection, &[], &mut output);
        self.print_results(&program, &results, &mut output);
        self.program = program;
        output
    }

    /// An error for a name that is not there, with the closest one there is.
    fn unknown(&self, what: &str, name: &str, values: bool) -> String {
        if name.is_empty() {
            return format!("name a {what}");
        }
        let program = &self.program;
        let candidates: Vec<&str> = if values {
            program
                .measures
                .iter()
                .map(|m| m.name.as_str())
                .chain(program.indicators.iter().map(|i| i.name.as_str()))
                .collect()
        } else {
            program.datasets.iter().map(|d| d.name.as_str()).collect()
        };
        match did_you_mean(name, candidates) {
            Some(close) => format!("no {what} `{name}`; did you mean `{close}`?"),
            None => format!("no {what} `{name}`"),
        }
    }
}

/// `:help`, or `:help COMMAND`.
fn help(args: &str) -> Output {
    if !args.is_empty() {
        let name = args.trim_start_matches(':');
        return match find(name) {
            Some(c) => Output::text(format!("{}\n  {}\n", usage(c), c.about)),
            None => Output::error(format!("no command `:{name}`")),
        };
    }
    let mut out = String::from(
        "Type an expression to evaluate it for the period, or a declaration (measure,\n\
         indicator, dataset, scale, lookup, hierarchy, use) to add it to the programme;\n\
         a declaration replaces any earlier one of the same name. An input goes on over\n\
         several lines while a bracket is open or it ends in an operator, until a blank\n\
         line. Tab completes names, and columns inside an aggregate.\n\n",
    );
    let rows: Vec<(String, &str)> = COMMANDS.iter().map(|c| (usage(c), c.about)).collect();
    let width = rows.iter().map(|(u, _)| u.len()).max().unwrap_or(0);
    for (usage, about) in rows {
        out.push_str(&format!("{usage:width$}  {about}\n"));
    }
    Output::text(out)
}

/// How a command is written, its alias first: `:e, :explain NAME`.
fn usage(c: &Command) -> String {
    let alias = c.alias.map_or("    ".to_string(), |a| format!(":{a}, "));
    let mut text = format!("{alias}:{}", c.name);
    if !c.args.is_empty() {
        text.push(' ');
        text.push_str(c.args);
    }
    text
}
