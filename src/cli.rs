//! The command line: `msr check` and `msr run`.
//!
//! Only this module knows processes, flags, terminals and exit codes. The exit codes are
//! stable: 0 success, 1 a data or evaluation error, 2 a usage error, 3 a check failure,
//! 4 an indicator has a status named by `--fail-on`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::{self, Program};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, DataAccess, Period};
use crate::syntax;

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

#[derive(Parser, Debug)]
#[command(
    name = "msr",
    version,
    about = "Information-security measurement: check and run .msr programmes"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
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
    },
    /// Compute every measure and indicator of a programme for a reporting period.
    Run(RunArgs),
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
    /// Start of an explicit range: the start of this period (same forms as --period).
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// End of an explicit range: the end of this period (same forms as --period).
    #[arg(long, requires = "from")]
    to: Option<String>,
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
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OutputFormat {
    Table,
    Json,
    Csv,
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
    let code = match cli.command {
        Command::Check {
            files,
            format,
            explain_types,
        } => check_command(&files, format, explain_types),
        Command::Run(args) => run_command(&args),
    };
    ExitCode::from(code)
}

/// Prints diagnostics to stderr, in colour only on a terminal.
fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let colour = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let width = terminal_width();
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut lock = stderr.lock();
    for d in diagnostics {
        let mut out = String::new();
        if handler.render_report(&mut out, &d.shortened()).is_ok() {
            let _ = writeln!(lock, "{out}");
        } else {
            let _ = writeln!(lock, "{}: {}", d.code, d.message);
        }
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

/// Checks each file as a programme of its own (with what it imports).
fn check_command(files: &[PathBuf], format: DiagnosticFormat, explain_types: bool) -> u8 {
    let mut code = EXIT_OK;
    let mut diagnostics = Vec::new();
    let mut reports = Vec::new();
    for file in files {
        match load_and_check(std::slice::from_ref(file)) {
            Ok((program, warnings)) => {
                diagnostics.extend(warnings);
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
    match format {
        DiagnosticFormat::Text => {
            print_diagnostics(&diagnostics);
            for (i, (file, report)) in reports.iter().enumerate() {
                if files.len() > 1 {
                    let gap = if i > 0 { "\n" } else { "" };
                    println!("{gap}{}:", file.display());
                }
                print!("{}", crate::report::types(report));
            }
            if code == EXIT_OK {
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
            println!("{json:#}");
        }
    }
    code
}

fn run_command(args: &RunArgs) -> u8 {
    let period = match (&args.period, &args.from, &args.to) {
        (Some(p), _, _) => Period::parse(p).map(Some),
        (None, Some(from), Some(to)) => Period::range(from, to).map(Some),
        _ => Ok(None),
    };
    let period = match period {
        Ok(p) => p,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };

    let program = match load_and_check(std::slice::from_ref(&args.file)) {
        Ok((program, warnings)) => {
            print_diagnostics(&warnings);
            program
        }
        Err(errors) => {
            print_diagnostics(&errors);
            return EXIT_CHECK;
        }
    };

    let data_dir = args.data.clone().unwrap_or_else(|| {
        args.file
            .parent()
            .map(PathBuf::from)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."))
    });
    let access = DataAccess {
        allow_any_path: args.allow_any_path,
        load: crate::data::LoadOptions {
            skip_bad_rows: args.skip_bad_rows,
            keep: None,
        },
    };
    let data = match eval::load_data(&program, &data_dir, &access) {
        Ok(data) => data,
        Err(errors) => {
            print_diagnostics(&errors);
            return EXIT_DATA;
        }
    };
    print_diagnostics(&data.warnings);

    let results = eval::evaluate(&program, data, period.as_ref());
    let rendered = match args.format {
        OutputFormat::Table => crate::report::table(&program, &results),
        OutputFormat::Json => format!("{:#}\n", crate::report::json(&program, &results)),
        OutputFormat::Csv => crate::report::csv(&program, &results),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(rendered.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        // A closed pipe (`msr run ... | head`) is not an error of the run.
        return EXIT_OK;
    }

    let failing = |status: &Option<String>| {
        status.as_ref().is_some_and(|s| {
            args.fail_on
                .iter()
                .any(|f| f == s || f.replace('_', " ") == *s)
        })
    };
    let breached = results
        .indicators
        .iter()
        .any(|i| failing(&i.total.status) || i.groups.iter().any(|g| failing(&g.result.status)));
    if breached {
        EXIT_FAIL_ON
    } else {
        EXIT_OK
    }
}
