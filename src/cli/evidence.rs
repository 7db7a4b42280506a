//! `msr run --evidence DIR` and `msr verify DIR`: the command-line side of evidence bundles,
//! whose making and checking is [`crate::evidence`]. Here are the flags, the lines printed
//! and the exit codes: for `msr verify`, 0 when every file matches the manifest, 1 when one
//! is changed, missing or extra (or the results of `--rerun` differ), 2 when the directory
//! holds no bundle.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::evidence::{
    slash_path, Bundle, Check, Manifest, Role, RunRecord, SeriesRecord, Status, Target,
    Verification, RESULTS,
};

use super::run::{compute, Computed};
use super::{
    default_data_dir, emit, print_diagnostics, Every, OutputFormat, RunArgs, EXIT_DATA, EXIT_OK,
    EXIT_USAGE,
};

#[derive(clap::Args, Debug)]
pub(super) struct VerifyArgs {
    /// The directory that `msr run --evidence DIR` wrote.
    dir: PathBuf,
    /// Look for each dataset under this directory, by its source, instead of at the path
    /// the run read it from (relative to the current directory).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Also run the bundled programme again on the data, with the run's settings, and
    /// compare its results with results.json byte for byte.
    #[arg(long)]
    rerun: bool,
}

/// Writes the bundle of a run into `target`, saying so on stderr; the exit code when it
/// cannot be written, its reason printed.
pub(super) fn keep(args: &RunArgs, target: &Target, computed: &Computed) -> Result<(), u8> {
    let failed = |problems: Vec<_>| {
        print_diagnostics(&problems);
        EXIT_DATA
    };
    let bundle = Bundle::new(
        run_record(args, computed),
        &computed.program,
        computed.datasets.clone(),
        // A run that keeps evidence always renders its JSON report.
        computed.json.clone().unwrap_or_default(),
        &computed.series,
    )
    .map_err(failed)?;
    let sha256 = crate::evidence::write(target, &bundle).map_err(failed)?;

    let manifest = &bundle.manifest;
    let replacing = if target.replaces() {
        " (replacing the bundle there)"
    } else {
        ""
    };
    eprintln!(
        "evidence written to {}{replacing}: {} programme file{}, {} dataset{}; \
         manifest.json sha256 {sha256}",
        target.dir().display(),
        manifest.programme.len(),
        plural(manifest.programme.len()),
        manifest.datasets.len(),
        plural(manifest.datasets.len()),
    );
    Ok(())
}

/// The settings of the run that decide its results, as the manifest records them.
fn run_record(args: &RunArgs, computed: &Computed) -> RunRecord {
    let series = match (&args.from, &args.to, computed.every) {
        (Some(from), Some(to), Some(every)) => Some(SeriesRecord {
            from: from.clone(),
            to: to.clone(),
            every: every.to_string(),
        }),
        _ => None,
    };
    RunRecord {
        file: slash_path(&args.file),
        period: args.period.clone(),
        series,
        as_of: computed.as_of.map(crate::eval::period::timestamp_text),
        time_zone: args.tz.clone(),
        skip_bad_rows: args.skip_bad_rows,
        allow_any_path: args.allow_any_path,
        data_dir: args.data.as_deref().map(slash_path),
    }
}

/// `msr verify`: one line per file, then one that sums up.
pub(super) fn verify_command(args: &VerifyArgs) -> u8 {
    let verification = match crate::evidence::verify(&args.dir, args.data.as_deref()) {
        Ok(verification) => verification,
        Err(problems) => {
            print_diagnostics(&problems);
            return EXIT_USAGE;
        }
    };

    let mut lines: String = verification.checks.iter().map(line).collect();
    let mut rerun_differs = false;
    if args.rerun {
        let (word, note) = rerun(&verification, &args.dir, args.data.as_deref());
        rerun_differs = word != "ok";
        lines.push_str(&format!("{word:<8} rerun of {RESULTS}{note}\n"));
    }
    lines.push_str(&summary(&verification, rerun_differs));
    emit(&lines);

    if verification.all_match() && !rerun_differs {
        EXIT_OK
    } else {
        EXIT_DATA
    }
}

/// The line of one file: its status, its path, and for a dataset its name.
fn line(check: &Check) -> String {
    let dataset = match (&check.role, &check.dataset) {
        (Role::Data, Some(name)) => format!(" (dataset {name})"),
        _ => String::new(),
    };
    let reason = check
        .reason
        .as_ref()
        .map_or(String::new(), |r| format!(": {r}"));
    format!(
        "{:<8} {}{dataset}{reason}\n",
        check.status.word(),
        check.path
    )
}

/// The closing line: whether everything matches, what does not, and the manifest's hash,
/// for comparison with one recorded when the bundle was written.
fn summary(verification: &Verification, rerun_differs: bool) -> String {
    let checks = &verification.checks;
    let count = |status: Status| checks.iter().filter(|c| c.status == status).count();
    let sha256 = &verification.manifest_sha256;
    let files = checks.len();
    let wrong = files - count(Status::Ok);
    if wrong == 0 {
        let rerun = if rerun_differs {
            ", but the rerun does not"
        } else {
            ""
        };
        let all = match files {
            1 => "the one file matches".to_string(),
            n => format!("all {n} files match"),
        };
        return format!("{all} the manifest{rerun}; manifest.json sha256 {sha256}\n");
    }
    let parts: Vec<String> = [Status::Changed, Status::Missing, Status::Extra]
        .into_iter()
        .filter(|s| count(*s) > 0)
        .map(|s| format!("{} {}", count(s), s.word()))
        .collect();
    let verb = if wrong == 1 { "does" } else { "do" };
    let parts = parts.join(", ");
    format!(
        "{wrong} of {files} files {verb} not match the manifest ({parts}); \
         manifest.json sha256 {sha256}\n"
    )
}

/// Runs the bundled programme again with the settings the manifest records and compares
/// its JSON results with the bundle's `results.json`. The programme is read from the
/// bundle, so its `use` paths resolve to the bundled copies, except for the standard
/// library, which comes from this msr: a note says when that, or the version, differs.
/// The word of the rerun's line (`ok`, `changed` or `failed`) and what follows the name.
fn rerun(verification: &Verification, dir: &Path, data: Option<&Path>) -> (&'static str, String) {
    let manifest = &verification.manifest;
    let Some(root) = manifest.programme.first() else {
        return (
            "failed",
            ": the manifest lists no programme file".to_string(),
        );
    };
    if let Some(note) = differences_of_this_msr(manifest) {
        eprintln!("note: {note}; the rerun may differ for that reason alone");
    }
    let Some(args) = rerun_args(manifest, dir, &root.path, data) else {
        let every = manifest
            .run
            .series
            .as_ref()
            .map_or("", |s| s.every.as_str());
        return (
            "failed",
            format!(": `{every}` is not a length of period msr knows"),
        );
    };
    let recorded = std::fs::read(dir.join(RESULTS)).unwrap_or_default();
    match compute(&args) {
        Ok(again) if again.rendered.as_bytes() == recorded => ("ok", String::new()),
        Ok(_) => ("changed", ": a new run gives other results".to_string()),
        Err(_) => (
            "failed",
            ": the programme could not be run again".to_string(),
        ),
    }
}

/// The arguments of `msr run` that repeat the recorded run on the bundled programme.
fn rerun_args(manifest: &Manifest, dir: &Path, root: &str, data: Option<&Path>) -> Option<RunArgs> {
    let run = &manifest.run;
    let data = match (data, &run.data_dir) {
        (Some(data), _) => data.to_path_buf(),
        (None, Some(given)) => PathBuf::from(given),
        (None, None) => default_data_dir(Path::new(&run.file)),
    };
    let every = match &run.series {
        Some(series) => Some(Every::from_str(&series.every, true).ok()?),
        None => None,
    };
    Some(RunArgs {
        file: root
            .split('/')
            .fold(dir.to_path_buf(), |p, part| p.join(part)),
        data: Some(data),
        period: run.period.clone(),
        from: run.series.as_ref().map(|s| s.from.clone()),
        to: run.series.as_ref().map(|s| s.to.clone()),
        every,
        as_of: run.as_of.clone(),
        tz: run.time_zone.clone(),
        format: OutputFormat::Json,
        skip_bad_rows: run.skip_bad_rows,
        fail_on: Vec::new(),
        allow_any_path: run.allow_any_path,
        evidence: None,
    })
}

/// How this msr differs from the one that wrote the bundle in what a rerun depends on: its
/// version, and the standard-library files the programme read.
fn differences_of_this_msr(manifest: &Manifest) -> Option<String> {
    let this = env!("CARGO_PKG_VERSION");
    let mut notes = Vec::new();
    if manifest.msr_version != this {
        notes.push(format!(
            "the bundle was written by msr {}, and this is msr {this}",
            manifest.msr_version
        ));
    }
    let changed: Vec<&str> = manifest
        .programme
        .iter()
        .filter_map(|f| {
            let name = f.name.as_deref()?;
            let inside = name.strip_prefix(crate::syntax::STDLIB_PREFIX)?;
            let text = crate::syntax::STDLIB.iter().find(|(n, _)| *n == inside);
            let same =
                text.is_some_and(|(_, t)| crate::evidence::sha256_hex(t.as_bytes()) == f.sha256);
            (!same).then_some(name)
        })
        .collect();
    if !changed.is_empty() {
        notes.push(format!(
            "this msr's standard library differs from the bundled {}",
            changed.join(", ")
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
