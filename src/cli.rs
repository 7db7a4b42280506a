//! The command line: `msr check`, `msr run`, `msr explain`, `msr test`, `msr fmt`,
//! `msr repl` and `msr verify`.
//!
//! Only this module knows processes, flags, files, terminals and exit codes. The exit codes
//! are stable: 0 success, 1 a data or evaluation error (for `msr fmt --check`, a file that is
//! not formatted; for `msr verify`, a file that does not match), 2 a usage error, 3 a check
//! failure (for `msr fmt`, a file that could not be formatted; for `msr check
//! --deny-warnings`, a warning), 4 an indicator has a status named by `--fail-on`.

mod evidence;
mod line_editor;
mod run;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::{self, Program};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Calendar, Clocks, DataAccess};
use crate::syntax;
use crate::syntax::ast::Bucket;

/// Success.
pub const EXIT_OK: u8 = 0;
/// A data file could not be read or validated, or evaluation failed.
pub const EXIT_DATA: u8 = 1;
/// The command line was wrong.
pub const EXIT_USAGE: u8 = 2;
/// The programme has syntax or check errors.
pub const EXIT_CHECK: u8 = 3;
/// An indicator has a status named by `--fail-on`.
pub const EXIT_FAIL_ON: u8 = 4;
/// `msr fmt --check` found a file that formatting would change.
pub const EXIT_UNFORMATTED: u8 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "msr",
    version,
    about = "Information-security measurement: check, run and format .msr programmes"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The most threads loading and evaluation may use [default: every core the process
    /// may run on].
    #[arg(long, global = true, value_name = "N")]
    threads: Option<std::num::NonZeroUsize>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check programmes for errors without reading any data.
    Check {
        /// The .msr files to check, each a programme of its own (imports are followed).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
        format: DiagnosticFormat,
        /// Also print every measure and indicator with its classification (base or
        /// derived), type, scale type and unit, and when its value may be missing.
        #[arg(long)]
        explain_types: bool,
        /// Also warn about indicators that leave out entries of the ISO/IEC 27004 and
        /// NIST SP 800-55 measurement template (owner, information need, frequencies, ...).
        #[arg(long)]
        template: bool,
        /// Fail (exit code 3) when there is any warning, not only on errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Compute every measure and indicator of a programme for a reporting period.
    Run(RunArgs),
    /// Run the `test` blocks of programmes: fixture rows in, expectations checked.
    Test {
        /// The .msr files whose tests to run, each a programme of its own (imports are
        /// followed, but only the tests written in these files run).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Run only the tests whose name contains this text.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// How to print the outcome.
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
        format: DiagnosticFormat,
        /// Also report which measures and indicators the tests reach, and list those they
        /// do not.
        #[arg(long)]
        coverage: bool,
    },
    /// Rewrite .msr files in the canonical layout; only their layout changes.
    Fmt {
        /// The .msr files to format (imports are not followed), or `-` to read standard
        /// input and write the result to standard output.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing: print the files that formatting would change, one per line, and
        /// exit with 1 if there are any.
        #[arg(long)]
        check: bool,
    },
    /// Explore data and try measures at a prompt, with the given files loaded.
    Repl(ReplArgs),
    /// How a measure or indicator was computed for a period, as a tree down to the rows
    /// its aggregates read; with `--rows`, those rows as CSV.
    Explain(ExplainArgs),
    /// Check an evidence bundle that `msr run --evidence` wrote: its programme files and
    /// results against its manifest, and the data files if they are still there.
    Verify(evidence::VerifyArgs),
}

#[derive(clap::Args, Debug)]
struct ExplainArgs {
    /// The .msr file (imports are followed).
    file: PathBuf,
    /// The measure or indicator to explain.
    name: String,
    /// Directory that dataset sources are relative to [default: the folder of FILE].
    #[arg(long)]
    data: Option<PathBuf>,
    /// Reporting period (same forms as for `run`). Without a period the whole data is used.
    #[arg(long)]
    period: Option<String>,
    /// One group of a grouped value, by its key as `run` shows it (`finance`, or
    /// `finance / high` for two keys) [default: the total].
    #[arg(long, value_name = "KEY")]
    group: Option<String>,
    /// The moment the data is seen from (as for `run`).
    #[arg(long, value_name = "INSTANT")]
    as_of: Option<String>,
    /// IANA time zone that periods are read in [default: UTC].
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// How to print the tree.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
    format: DiagnosticFormat,
    /// Print, as CSV, the rows behind the value: for each aggregate, the rows of the period
    /// it counted, skipped or excepted, with file, line and key columns.
    #[arg(long)]
    rows: bool,
    /// Allow dataset sources outside the data directory (absolute paths or `..`).
    #[arg(long)]
    allow_any_path: bool,
}

#[derive(clap::Args, Debug)]
struct ReplArgs {
    /// .msr files to load (imports are followed); more can be loaded with `:load`.
    files: Vec<PathBuf>,
    /// Directory that dataset sources are relative to [default: the folder of the first
    /// FILE, else the current directory].
    #[arg(long)]
    data: Option<PathBuf>,
    /// Reporting period (same forms as for `run`; `:period` changes it). Without a period
    /// the whole data is used.
    #[arg(long)]
    period: Option<String>,
    /// IANA time zone that periods, buckets and dates are read in (`:set tz` changes it)
    /// [default: UTC].
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// See the data as it stood at this instant (`:set as_of` changes it) [default: the
    /// end of each period].
    #[arg(long, value_name = "INSTANT")]
    as_of: Option<String>,
    /// File that keeps the input history [default: $XDG_DATA_HOME/msr/history, else
    /// ~/.local/share/msr/history].
    #[arg(long, value_name = "PATH", conflicts_with = "no_history")]
    history_file: Option<PathBuf>,
    /// Keep no history of the inputs.
    #[arg(long)]
    no_history: bool,
    /// Leave out rows that do not fit the schema, reporting how many, instead of failing.
    #[arg(long)]
    skip_bad_rows: bool,
    /// Allow dataset sources outside the data directory (absolute paths or `..`).
    #[arg(long)]
    allow_any_path: bool,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The .msr file to run (imports are followed).
    file: PathBuf,
    /// Directory that dataset sources are relative to [default: the folder of FILE].
    #[arg(long)]
    data: Option<PathBuf>,
    /// Reporting period: a year (2025), quarter (2025-Q3), month (2025-09), ISO week
    /// (2025-W36) or day (2025-09-14). Without a period the whole data is used.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    period: Option<String>,
    /// First period of a series (same forms as --period): every period from it to --to is
    /// evaluated in turn.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last period of a series (same forms as --period).
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Length of each period of a series [default: the reporting frequency the indicators
    /// state, else the form of --from].
    #[arg(long, value_enum, requires = "from")]
    every: Option<Every>,
    /// The moment the data is seen from: periods are cut there and rolling windows count
    /// back from it [default: the end of each period]. A date, a date-time, or `now`.
    #[arg(long, value_name = "INSTANT")]
    as_of: Option<String>,
    /// IANA time zone that periods, buckets and dates are read in [default: UTC].
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Leave out rows that do not fit the schema, reporting how many, instead of failing.
    #[arg(long)]
    skip_bad_rows: bool,
    /// Exit with code 4 when some indicator (or group) has this status; may be repeated.
    #[arg(long = "fail-on", value_name = "STATUS")]
    fail_on: Vec<String>,
    /// Allow dataset sources outside the data directory (absolute paths or `..`).
    #[arg(long)]
    allow_any_path: bool,
    /// Also keep the evidence of the run in this directory: a manifest with the hashes of
    /// the programme and data read, the JSON results, and a copy of the programme. The
    /// directory must be new, empty, or hold a previous bundle, which is replaced.
    #[arg(long, value_name = "DIR")]
    evidence: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OutputFormat {
    /// Aligned text.
    Table,
    /// One JSON object, for programs.
    Json,
    /// One row per result, for spreadsheets.
    Csv,
    /// One self-contained HTML document, for the people who read the results.
    Html,
    /// GitHub-flavoured Markdown, for a wiki page, a ticket or a review comment.
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Every {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Every {
    fn bucket(self) -> Bucket {
        match self {
            Every::Day => Bucket::Day,
            Every::Week => Bucket::Week,
            Every::Month => Bucket::Month,
            Every::Quarter => Bucket::Quarter,
            Every::Year => Bucket::Year,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum DiagnosticFormat {
    Text,
    Json,
}

/// Stack for the thread that does the work. Expressions are bounded in depth (brackets and
/// operators), and this leaves room for the deepest one in every phase.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let worker = std::thread::Builder::new()
        .name("msr".into())
        .stack_size(STACK_SIZE)
        .spawn(main_on_this_thread);
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        // The thread could not start, or panicked (and printed why).
        _ => ExitCode::from(EXIT_DATA),
    }
}

fn main_on_this_thread() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    if let Some(threads) = cli.threads {
        crate::set_threads(threads.get());
    }
    let code = match cli.command {
        Command::Check {
            files,
            format,
            explain_types,
            template,
            deny_warnings,
        } => check_command(
            &files,
            format,
            CheckOptions {
                explain_types,
                template,
                deny_warnings,
            },
        ),
        Command::Run(args) => run::run_command(&args),
        Command::Test {
            files,
            filter,
            format,
            coverage,
        } => test_command(&files, filter, format, coverage),
        Command::Repl(args) => repl_command(args),
        Command::Explain(args) => explain_command(&args),
        Command::Fmt { files, check } => fmt_command(&files, check),
        Command::Verify(args) => evidence::verify_command(&args),
    };
    ExitCode::from(code)
}

/// Prints diagnostics to stderr, in colour only on a terminal.
fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let colour = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let width = terminal_width();
    let mut lock = stderr.lock();
    for d in diagnostics {
        let _ = writeln!(lock, "{}", d.render(width, colour));
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Parses and checks, printing diagnostics; the checked programme if there were no errors.
fn load_and_check(files: &[PathBuf]) -> Result<(Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let parsed = syntax::load_program(files).map_err(|(_, errors)| errors)?;
    check::check(parsed)
}

/// What `msr check` does beyond finding errors.
struct CheckOptions {
    explain_types: bool,
    template: bool,
    deny_warnings: bool,
}

/// Checks each file as a programme of its own (with what it imports).
fn check_command(files: &[PathBuf], format: DiagnosticFormat, options: CheckOptions) -> u8 {
    let explain_types = options.explain_types;
    let mut code = EXIT_OK;
    let mut diagnostics = Vec::new();
    let mut reports = Vec::new();
    for file in files {
        match load_and_check(std::slice::from_ref(file)) {
            Ok((program, warnings)) => {
                diagnostics.extend(warnings);
                if options.template {
                    diagnostics.extend(check::template::template_gaps(&program));
                }
                if explain_types {
                    reports.push((file, check::explain::explain(&program)));
                }
            }
            Err(errors) => {
                code = EXIT_CHECK;
                diagnostics.extend(errors);
            }
        }
    }
    let warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    let denied = code == EXIT_OK && options.deny_warnings && warnings > 0;
    if denied {
        code = EXIT_CHECK;
    }
    match format {
        DiagnosticFormat::Text => {
            print_diagnostics(&diagnostics);
            for (i, (file, report)) in reports.iter().enumerate() {
                if files.len() > 1 {
                    let gap = if i > 0 { "\n" } else { "" };
                    emit(&format!("{gap}{}:\n", file.display()));
                }
                emit(&crate::report::types(report));
            }
            if denied {
                eprintln!(
                    "{warnings} warning{} found, which --deny-warnings fails on",
                    if warnings == 1 { "" } else { "s" }
                );
            } else if code == EXIT_OK {
                let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                eprintln!("{}: no errors", names.join(", "));
            } else {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                eprintln!("{errors} error{} found", if errors == 1 { "" } else { "s" });
            }
        }
        DiagnosticFormat::Json => {
            let mut json = serde_json::json!({
                "ok": code == EXIT_OK,
                "diagnostics": diagnostics.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
            });
            if explain_types {
                let types: Vec<serde_json::Value> = reports
                    .iter()
                    .map(|(file, report)| {
                        let mut value = serde_json::to_value(report).unwrap_or_default();
                        value["file"] = serde_json::json!(file.display().to_string());
                        value
                    })
                    .collect();
                json["types"] = serde_json::json!(types);
            }
            emit(&format!("{json:#}\n"));
        }
    }
    code
}

/// Runs the tests of each file; exit 1 if any fails, 3 if a file does not check.
fn test_command(
    files: &[PathBuf],
    filter: Option<String>,
    format: DiagnosticFormat,
    with_coverage: bool,
) -> u8 {
    let selection = crate::testing::Selection {
        filter,
        imported: false,
    };
    let mut code = EXIT_OK;
    let mut outcomes = Vec::new();
    let mut coverage = with_coverage.then(crate::testing::Coverage::default);
    let mut problems = Vec::new();
    for file in files {
        match load_and_check(std::slice::from_ref(file)) {
            Ok((program, warnings)) => {
                let ran = crate::testing::run(&program, &warnings, &selection);
                if let (Some(all), Some(more)) = (
                    coverage.as_mut(),
                    crate::testing::coverage(&program, &selection),
                ) {
                    all.merge(more);
                }
                // Said on stderr, so that a pipeline reading the outcome is not disturbed.
                if ran.is_empty() && format == DiagnosticFormat::Text {
                    match &selection.filter {
                        Some(f) => eprintln!("{}: no test's name contains `{f}`", file.display()),
                        None => eprintln!("{}: no tests", file.display()),
                    }
                }
                outcomes.extend(ran);
            }
            Err(errors) => {
                code = EXIT_CHECK;
                problems.extend(errors);
            }
        }
    }
    if code == EXIT_OK && outcomes.iter().any(|t| !t.passed()) {
        code = EXIT_DATA;
    }
    match format {
        DiagnosticFormat::Text => {
            print_diagnostics(&problems);
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let render = |d: &Diagnostic| d.render(terminal_width(), colour);
            emit(&crate::testing::render_text(
                &outcomes,
                coverage.as_ref(),
                &render,
            ));
            if !problems.is_empty() {
                eprintln!("the tests of files with errors did not run");
            }
        }
        DiagnosticFormat::Json => {
            let mut json = crate::testing::render_json(&outcomes);
            if let Some(coverage) = &coverage {
                json["coverage"] = crate::testing::coverage_json(coverage);
            }
            json["diagnostics"] =
                serde_json::json!(problems.iter().map(Diagnostic::to_json).collect::<Vec<_>>());
            emit(&format!("{json:#}\n"));
        }
    }
    code
}

/// Explains one measure or indicator: the tree of its computation, or the rows behind it.
fn explain_command(args: &ExplainArgs) -> u8 {
    let clocks = match clocks(args.tz.as_deref(), args.as_of.as_deref()) {
        Ok(clocks) => clocks,
        Err(message) => return usage(&message),
    };
    let period = match args
        .period
        .as_deref()
        .map(|p| clocks.calendar.parse(p))
        .transpose()
    {
        Ok(period) => period,
        Err(message) => return usage(&message),
    };
    let program = match checked(&args.file) {
        Ok(program) => program,
        Err(code) => return code,
    };
    let subject = if let Some(m) = program.measure(&args.name) {
        eval::Subject::Measure(m)
    } else if let Some(i) = program.indicator(&args.name) {
        eval::Subject::Indicator(i)
    } else {
        let names = program
            .measures
            .iter()
            .map(|m| m.name.as_str())
            .chain(program.indicators.iter().map(|i| i.name.as_str()));
        let hint = match crate::diagnostic::did_you_mean(&args.name, names) {
            Some(near) => format!("; did you mean `{near}`?"),
            None => String::new(),
        };
        return usage(&format!(
            "`{}` is neither a measure nor an indicator of `{}`{hint}",
            args.name,
            args.file.display()
        ));
    };

    let load = crate::data::LoadOptions {
        row_lines: args.rows,
        ..crate::data::LoadOptions::default()
    };
    let data = match loaded(
        &program,
        &args.file,
        args.data.as_ref(),
        args.allow_any_path,
        load,
    ) {
        Ok(data) => data,
        Err(code) => return code,
    };
    let (tables, period) = (&data.tables, period.as_ref());

    let unknown_group = |keys: Vec<String>| {
        let group = args.group.as_deref().unwrap_or_default();
        let message = if keys.is_empty() {
            format!(
                "`{}` is not grouped, so it has no group `{group}`",
                args.name
            )
        } else {
            format!(
                "`{}` has no group `{group}`; its groups are {}",
                args.name,
                keys.join(", ")
            )
        };
        usage(&message)
    };
    if args.rows {
        return match eval::evidence(
            &program,
            tables,
            period,
            clocks,
            subject,
            args.group.as_deref(),
        ) {
            Ok(rows) => {
                emit(&crate::report::explain::evidence_csv(
                    &program, tables, &rows,
                ));
                EXIT_OK
            }
            Err(keys) => unknown_group(keys),
        };
    }
    let step = match &args.group {
        Some(key) => match eval::explain_group(&program, tables, period, clocks, subject, key) {
            Ok(step) => step,
            Err(keys) => return unknown_group(keys),
        },
        None => eval::explain(&program, tables, period, clocks, subject),
    };
    match args.format {
        DiagnosticFormat::Text => {
            let when = match period {
                Some(p) => format!("period {}", p.label),
                None => "the whole data".to_string(),
            };
            let group = args
                .group
                .as_ref()
                .map_or(String::new(), |g| format!(", group {g}"));
            emit(&format!("{} in {when}{group}\n", args.name));
            emit(&crate::report::explain::explanation(&program, &step));
        }
        DiagnosticFormat::Json => {
            let mut json = crate::report::explain::explanation_json(&program, &step);
            json["period"] = serde_json::json!(period.map(|p| p.label.clone()));
            json["group"] = serde_json::json!(args.group);
            emit(&format!("{json:#}\n"));
        }
    }
    EXIT_OK
}

/// Writes to standard output. A closed pipe (`msr explain ... | head`) is not an error of
/// the command, so what cannot be written is dropped.
fn emit(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
}

/// Reports a mistake on the command line.
fn usage(message: &str) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

/// The calendar of `--tz` and the instant of `--as-of`.
fn clocks(tz: Option<&str>, as_of: Option<&str>) -> Result<Clocks, String> {
    let calendar = match tz {
        Some(zone) => Calendar::named(zone)?,
        None => Calendar::utc(),
    };
    let as_of = match as_of {
        Some("now") => Some(chrono::Utc::now().timestamp_micros()),
        Some(text) => Some(calendar.instant(text)?),
        None => None,
    };
    Ok(Clocks { calendar, as_of })
}

/// The checked programme of one file, its warnings printed; the exit code when it does not
/// check, its errors printed.
fn checked(file: &std::path::Path) -> Result<Program, u8> {
    match load_and_check(&[file.to_path_buf()]) {
        Ok((program, warnings)) => {
            print_diagnostics(&warnings);
            Ok(program)
        }
        Err(errors) => {
            print_diagnostics(&errors);
            Err(EXIT_CHECK)
        }
    }
}

/// The datasets a programme reads, from `--data` or the programme's folder, their warnings
/// printed; the exit code when one cannot be read, the errors printed.
fn loaded(
    program: &Program,
    file: &std::path::Path,
    data: Option<&PathBuf>,
    allow_any_path: bool,
    load: crate::data::LoadOptions,
) -> Result<eval::Data, u8> {
    let data_dir = data.cloned().unwrap_or_else(|| default_data_dir(file));
    let access = DataAccess {
        allow_any_path,
        load,
    };
    match eval::load_data(program, &data_dir, &access) {
        Ok(data) => {
            print_diagnostics(&data.warnings);
            Ok(data)
        }
        Err(errors) => {
            print_diagnostics(&errors);
            Err(EXIT_DATA)
        }
    }
}

/// The folder of a programme file, where its data is unless `--data` says otherwise.
fn default_data_dir(file: &std::path::Path) -> PathBuf {
    file.parent()
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Formats each file in place, or with `--check` lists those that are not formatted. A file
/// that cannot be read, parsed or written is left as it is and reported; the others are
/// still formatted.
fn fmt_command(files: &[PathBuf], check: bool) -> u8 {
    let stdin = Path::new("-");
    if files.iter().any(|f| f == stdin) {
        if files.len() > 1 {
            eprintln!("error: `-` reads standard input and cannot be given with files");
            return EXIT_USAGE;
        }
        return fmt_stdin(check);
    }

    let mut diagnostics = Vec::new();
    let mut unformatted = false;
    for file in files {
        let name = file.display().to_string();
        let text = match syntax::read_file(file) {
            Ok(text) => text,
            Err(unreadable) => {
                diagnostics.extend(unreadable);
                continue;
            }
        };
        match crate::format::format_source(&name, &text) {
            Err(errors) => diagnostics.extend(errors),
            // An unchanged file is not written, so that its modification time stays.
            Ok(formatted) if formatted == text => {}
            Ok(_) if check => {
                println!("{name}");
                unformatted = true;
            }
            Ok(formatted) => match std::fs::write(file, formatted) {
                Ok(()) => eprintln!("reformatted {name}"),
                Err(err) => diagnostics.push(
                    Diagnostic::error(
                        "msr::fmt::unwritable_file",
                        format!("cannot write `{name}`: {}", syntax::os_reason(&err)),
                    )
                    .with_help("check that the file is writable; it was left as it was"),
                ),
            },
        }
    }

    print_diagnostics(&diagnostics);
    if !diagnostics.is_empty() {
        EXIT_CHECK
    } else if unformatted {
        EXIT_UNFORMATTED
    } else {
        EXIT_OK
    }
}

/// `msr fmt -`: formats standard input to standard output, for editors. On a syntax error
/// nothing is written to standard output.
fn fmt_stdin(check: bool) -> u8 {
    let name = "<stdin>";
    let mut text = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut text) {
        eprintln!(
            "error: cannot read standard input: {}",
            syntax::os_reason(&err)
        );
        return EXIT_CHECK;
    }
    match crate::format::format_source(name, &text) {
        Err(errors) => {
            print_diagnostics(&errors);
            EXIT_CHECK
        }
        Ok(formatted) if check => {
            if formatted == text {
                EXIT_OK
            } else {
                println!("{name}");
                EXIT_UNFORMATTED
            }
        }
        Ok(formatted) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe is the reader's choice, not an error of the formatting.
            let _ = stdout
                .write_all(formatted.as_bytes())
                .and_then(|_| stdout.flush());
            EXIT_OK
        }
    }
}

/// The REPL: at a terminal, with line editing and history; otherwise the inputs are read
/// from standard input, and the exit code says whether one of them failed.
fn repl_command(args: ReplArgs) -> u8 {
    let clocks = match clocks(args.tz.as_deref(), args.as_of.as_deref()) {
        Ok(clocks) => clocks,
        Err(message) => return usage(&message),
    };
    let options = crate::repl::Options {
        files: args.files,
        data_dir: args.data,
        period: args.period,
        clocks,
        access: DataAccess {
            allow_any_path: args.allow_any_path,
            load: crate::data::LoadOptions {
                skip_bad_rows: args.skip_bad_rows,
                ..crate::data::LoadOptions::default()
            },
        },
    };
    let (session, loaded) = match crate::repl::Session::new(options) {
        Ok(started) => started,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    if !std::io::stdin().is_terminal() {
        line_editor::print(&loaded);
        return if line_editor::scripted(session) {
            EXIT_OK
        } else {
            EXIT_DATA
        };
    }

    emit(&format!(
        "msr {}: type :help for the commands, :quit or Ctrl-D to leave\n",
        env!("CARGO_PKG_VERSION")
    ));
    line_editor::print(&loaded);
    emit(&crate::repl::period_line(session.period()));
    let history = if args.no_history {
        None
    } else {
        args.history_file.or_else(line_editor::default_history)
    };
    match line_editor::interactive(session, history) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_DATA
        }
    }
}
