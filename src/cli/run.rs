//! `msr run`: one period, the whole data or a series of periods, evaluated and printed in
//! the format asked for, with an evidence bundle beside the report when `--evidence` asks
//! for one.

use std::io::Write;

use super::{
    checked, clocks, evidence, loaded, print_diagnostics, usage, Every, OutputFormat, RunArgs,
    EXIT_FAIL_ON, EXIT_OK, EXIT_USAGE,
};
use crate::check::Program;
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Clocks, Period};
use crate::syntax::ast::Bucket;

/// What a run evaluates: one period (or the whole data), or a series of periods.
enum Span {
    One(Option<Period>),
    Series { from: String, to: String },
}

/// The time settings and what to evaluate, from the command line.
fn run_span(args: &RunArgs) -> Result<(Clocks, Span), String> {
    let Clocks { calendar, as_of } = clocks(args.tz.as_deref(), args.as_of.as_deref())?;
    let span = match (&args.period, &args.from, &args.to) {
        (Some(p), _, _) => Span::One(Some(calendar.parse(p)?)),
        (None, Some(from), Some(to)) => {
            // The bounds are checked now, so that a mistake is a usage error.
            calendar.series(from, to, args.every.map(Every::bucket))?;
            Span::Series {
                from: from.clone(),
                to: to.clone(),
            }
        }
        _ => Span::One(None),
    };
    Ok((Clocks { calendar, as_of }, span))
}

/// The step of a series: `--every`, else the reporting frequency that every indicator
/// stating one agrees on, else the form of `--from`.
fn series_step(args: &RunArgs, program: &Program) -> Option<Bucket> {
    if let Some(every) = args.every {
        return Some(every.bucket());
    }
    let stated: Vec<Bucket> = program
        .indicators
        .iter()
        .filter_map(|i| i.facts.frequency.report.as_deref())
        .filter_map(|f| match f {
            "daily" => Some(Bucket::Day),
            "weekly" => Some(Bucket::Week),
            "monthly" => Some(Bucket::Month),
            "quarterly" => Some(Bucket::Quarter),
            "annually" | "yearly" => Some(Bucket::Year),
            _ => None,
        })
        .collect();
    match stated.split_first() {
        Some((first, rest)) if rest.iter().all(|b| b == first) => Some(*first),
        _ => None,
    }
}

/// What a run computed: the report in the format asked for, the results of each period,
/// and what an evidence bundle records beside them.
pub(super) struct Computed {
    pub(super) program: Program,
    pub(super) rendered: String,
    pub(super) series: Vec<eval::Results>,
    /// The JSON report, exactly as `--format json` prints it, when evidence is kept.
    pub(super) json: Option<String>,
    /// The length of each period, for a series.
    pub(super) every: Option<&'static str>,
    /// The instant the data was seen from, when the run was given one.
    pub(super) as_of: Option<i64>,
    /// The datasets read, with their hashes, when evidence is kept.
    pub(super) datasets: Vec<crate::evidence::DatasetEntry>,
}

/// `msr run`: the report on standard output, the bundle first when evidence is kept, and
/// exit code 4 when an indicator has a status named by `--fail-on`.
pub(super) fn run_command(args: &RunArgs) -> u8 {
    // The directory is judged before any work, so that one that cannot take the bundle is
    // a usage error and not a failure after the report.
    let target = match args.evidence.as_deref().map(crate::evidence::prepare) {
        Some(Err(problems)) => {
            print_diagnostics(&problems);
            return EXIT_USAGE;
        }
        prepared => prepared.and_then(Result::ok),
    };

    let computed = match compute(args) {
        Ok(computed) => computed,
        Err(code) => return code,
    };
    // The bundle is written before the report goes out, so that no report leaves without it.
    if let Some(target) = &target {
        if let Err(code) = evidence::keep(args, target, &computed) {
            return code;
        }
    }

    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(computed.rendered.as_bytes())
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
    let breached =
        computed.series.iter().flat_map(|r| &r.indicators).any(|i| {
            failing(&i.total.status) || i.groups.iter().any(|g| failing(&g.result.status))
        });
    if breached {
        EXIT_FAIL_ON
    } else {
        EXIT_OK
    }
}

/// Checks the programme, loads its data and evaluates it as `args` say, rendering the
/// report; the exit code when something fails, its reasons printed.
pub(super) fn compute(args: &RunArgs) -> Result<Computed, u8> {
    let (clocks, span) = run_span(args).map_err(|message| usage(&message))?;
    let program = checked(&args.file)?;

    let keep = args.evidence.is_some();
    let load = crate::data::LoadOptions {
        skip_bad_rows: args.skip_bad_rows,
        digest: keep,
        ..crate::data::LoadOptions::default()
    };
    let data = loaded(
        &program,
        &args.file,
        args.data.as_ref(),
        args.allow_any_path,
        load,
    )?;
    let datasets = crate::evidence::dataset_entries(&program, &data.tables);

    let json_of = |json: serde_json::Value| format!("{json:#}\n");
    let (rendered, json, series, every) = match span {
        Span::One(period) => {
            let after = periods_after(&program, &data, period.as_slice(), clocks);
            let mut results = eval::evaluate(&program, data, period.as_ref(), clocks);
            results.warnings.extend(after);
            let json = (keep || args.format == OutputFormat::Json)
                .then(|| json_of(crate::report::json(&program, &results)));
            let rendered = match (args.format, &json) {
                (OutputFormat::Json, Some(json)) => json.clone(),
                (OutputFormat::Html, _) => crate::report::html(&program, &results),
                (OutputFormat::Markdown, _) => crate::report::markdown(&program, &results),
                (OutputFormat::Csv, _) => crate::report::csv(&program, &results),
                _ => crate::report::table(&program, &results),
            };
            (rendered, json, vec![results], None)
        }
        Span::Series { from, to } => {
            let step = series_step(args, &program);
            let periods = clocks
                .calendar
                .series(&from, &to, step)
                .map_err(|message| usage(&message))?;
            let every = periods
                .first()
                .and_then(|p| p.bucket)
                .map_or("month", Bucket::keyword);
            if periods.len() > 1 {
                eprintln!("evaluating {} periods by {every}", periods.len());
            }
            let after = periods_after(&program, &data, &periods, clocks);
            let mut series = eval::evaluate_series(&program, data, &periods, clocks);
            if let Some(first) = series.first_mut() {
                first.warnings.extend(after);
            }
            let json = (keep || args.format == OutputFormat::Json)
                .then(|| json_of(crate::report::json_series(&program, &series, every)));
            let rendered = match (args.format, &json) {
                (OutputFormat::Json, Some(json)) => json.clone(),
                (OutputFormat::Html, _) => crate::report::html_series(&program, &series, every),
                (OutputFormat::Markdown, _) => {
                    crate::report::markdown_series(&program, &series, every)
                }
                (OutputFormat::Csv, _) => crate::report::csv_series(&program, &series),
                _ => crate::report::table_series(&program, &series, every),
            };
            (rendered, json, series, Some(every))
        }
    };
    Ok(Computed {
        program,
        rendered,
        series,
        json: json.filter(|_| keep),
        every,
        as_of: clocks.as_of,
        datasets,
    })
}

/// The warnings for periods that begin after a dataset's last row, printed; they go with
/// the results too, for the formats that carry warnings.
fn periods_after(
    program: &Program,
    data: &eval::Data,
    periods: &[Period],
    clocks: Clocks,
) -> Vec<Diagnostic> {
    let warnings = eval::periods_after_data(program, &data.tables, periods, &clocks.calendar);
    print_diagnostics(&warnings);
    warnings
}
