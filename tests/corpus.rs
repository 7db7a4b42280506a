//! The corpus of example programmes under `tests/corpus`.
//!
//! Every programme in `valid/` must check without errors. Every programme in `invalid/`
//! lists, in the comment lines that open it, the errors it must produce, one per line; and
//! any programme, valid or invalid, lists the checker's warnings it must produce:
//!
//! ```text
//! // expect: msr::check::comparison at 12
//! // expect: msr::check::unknown_type at common/shared.msr:6
//! // warn: msr::check::uncovered_values at 20
//! ```
//!
//! The line is one-based and is the line of the diagnostic's primary label; without a path
//! it is a line of the programme itself, with a path (relative to the programme's folder) a
//! line of a file it imports. A programme must produce exactly the errors and the warnings
//! it lists: the same codes at the same places, as many times as listed, and no others.
//!
//! Files under a `common/` folder are only imported by other programmes and are not checked
//! on their own.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use msr::diagnostic::Diagnostic;

mod common;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");

/// The fewest programmes each half of the corpus may hold.
const MINIMUM_PROGRAMMES: usize = 40;

/// The syntax errors that a single readable file can produce. (`unreadable_file` needs a
/// root file that cannot be read, which a corpus file never is.)
const SYNTAX_CODES_FROM_A_FILE: &[&str] = &[
    "msr::syntax::unexpected",
    "msr::syntax::too_deep",
    "msr::syntax::bad_literal",
    "msr::syntax::unreadable_import",
];

/// The checker codes that are warnings: they leave a programme valid. The corpus proves the
/// list right, as every diagnostic it produces with one of these codes must be a warning and
/// every other one an error.
const WARNING_CODES: &[&str] = &[
    "msr::check::missing_in_criterion",
    "msr::check::unreachable_band",
    "msr::check::overlapping_bands",
    "msr::check::uncovered_values",
    "msr::check::incomplete_lookup",
];

/// Codes of warnings reported only when asked for (`msr check --template`), so never by a
/// corpus programme; tests/cli.rs and the checker's own tests cover them.
const ASKED_FOR_CODES: &[&str] = &["msr::check::template"];

/// One error or warning, as the corpus compares them: code, file and one-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Located {
    code: String,
    file: PathBuf,
    line: usize,
}

impl Located {
    fn describe(&self, root: &Path) -> String {
        let folder = root.parent().unwrap_or(Path::new(""));
        if self.file == canonical(root) {
            format!("{} at {}", self.code, self.line)
        } else {
            let shown = self
                .file
                .strip_prefix(canonical(folder))
                .unwrap_or(&self.file);
            format!("{} at {}:{}", self.code, shown.display(), self.line)
        }
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Every `.msr` file under `dir`, recursively, except those in `common/` folders, sorted.
fn programmes(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a readable directory entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "common") {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "msr") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// What a programme must produce: its errors and its warnings, each sorted.
#[derive(Debug, Default)]
struct Expected {
    errors: Vec<Located>,
    warnings: Vec<Located>,
}

/// The expectations in the opening comment lines of a programme. An `// expect:` or
/// `// warn:` line anywhere else, or one that does not parse, is a mistake in the corpus.
fn expectations(path: &Path, text: &str) -> Result<Expected, String> {
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut out = Expected::default();
    let mut in_header = true;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        in_header &= trimmed.starts_with("//");
        let (rest, list, keyword) = if let Some(rest) = trimmed.strip_prefix("// expect:") {
            (rest, &mut out.errors, "expect")
        } else if let Some(rest) = trimmed.strip_prefix("// warn:") {
            (rest, &mut out.warnings, "warn")
        } else {
            continue;
        };
        if !in_header {
            return Err(format!(
                "line {}: `// {keyword}:` must be in the comment lines that open the file",
                index + 1
            ));
        }
        let parsed = rest.trim().split_once(" at ").and_then(|(code, place)| {
            let (file, line) = match place.rsplit_once(':') {
                Some((file, line)) => (canonical(&folder.join(file)), line),
                None => (canonical(path), place),
            };
            let valid_code = code.starts_with("msr::") && !code.contains(char::is_whitespace);
            let line: usize = line.trim().parse().ok().filter(|&l| l > 0)?;
            valid_code.then(|| Located {
                code: code.to_string(),
                file,
                line,
            })
        });
        match parsed {
            Some(expected) => list.push(expected),
            None => {
                return Err(format!(
                    "line {}: cannot read `{trimmed}`; write `// {keyword}: CODE at LINE` \
                     or `// {keyword}: CODE at PATH:LINE`",
                    index + 1
                ))
            }
        }
    }
    out.errors.sort();
    out.warnings.sort();
    Ok(out)
}

/// Loads and checks a programme as `msr check` does, returning every diagnostic.
fn diagnostics(path: &Path) -> Vec<Diagnostic> {
    let parsed = match msr::syntax::load_program(&[path.to_path_buf()]) {
        Ok(parsed) => parsed,
        Err((_, diagnostics)) => return diagnostics,
    };
    match msr::check::check(parsed) {
        Ok((_, warnings)) => warnings,
        Err(diagnostics) => diagnostics,
    }
}

/// The errors (or the warnings) among `diagnostics`, located; one without a location gets
/// line 0.
fn located(diagnostics: &[Diagnostic], errors: bool) -> Vec<Located> {
    let mut out: Vec<Located> = diagnostics
        .iter()
        .filter(|d| d.is_error() == errors)
        .map(|d| {
            let (file, line) = d.location().map_or((PathBuf::new(), 0), |(file, line, _)| {
                (canonical(Path::new(&file)), line)
            });
            Located {
                code: d.code.to_string(),
                file,
                line,
            }
        })
        .collect();
    out.sort();
    out
}

fn rendered(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| d.render_plain(100)).collect()
}

fn list(items: &[Located], root: &Path) -> String {
    if items.is_empty() {
        return "    (none)\n".to_string();
    }
    items
        .iter()
        .map(|l| format!("    {}\n", l.describe(root)))
        .collect()
}

/// Checks the programmes of one folder against their expectations and returns a report of
/// every programme that does not behave as expected. `must_fail` says whether the folder
/// holds invalid programmes (which must list errors) or valid ones (which must not).
fn mismatches(folder: &Path, must_fail: bool) -> String {
    let mut report = String::new();
    for path in programmes(folder) {
        let name = path
            .strip_prefix(CORPUS)
            .unwrap_or(&path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let expected = match expectations(&path, &text) {
            Ok(expected) => expected,
            Err(problem) => {
                let _ = writeln!(report, "{name}: {problem}\n");
                continue;
            }
        };
        if must_fail && expected.errors.is_empty() {
            let _ = writeln!(
                report,
                "{name}: an invalid programme must list its errors with `// expect:` lines\n"
            );
            continue;
        }
        if !must_fail && !expected.errors.is_empty() {
            let _ = writeln!(
                report,
                "{name}: a valid programme must not list `// expect:` lines; move it to invalid/\n"
            );
            continue;
        }

        let diagnostics = diagnostics(&path);
        let errors = located(&diagnostics, true);
        let warnings = located(&diagnostics, false);
        if errors != expected.errors || warnings != expected.warnings {
            let _ = write!(
                report,
                "{name}\n  expected errors:\n{}  actual errors:\n{}  expected warnings:\n{}  \
                 actual warnings:\n{}  diagnostics:\n{}\n",
                list(&expected.errors, &path),
                list(&errors, &path),
                list(&expected.warnings, &path),
                list(&warnings, &path),
                rendered(&diagnostics)
            );
        }
    }
    report
}

#[test]
fn every_valid_programme_checks_without_errors() {
    let report = mismatches(&Path::new(CORPUS).join("valid"), false);
    assert!(
        report.is_empty(),
        "valid programmes with errors, or with other warnings than they list:\n\n{report}"
    );
}

#[test]
fn every_invalid_programme_reports_exactly_the_errors_it_expects() {
    let report = mismatches(&Path::new(CORPUS).join("invalid"), true);
    assert!(
        report.is_empty(),
        "invalid programmes whose errors or warnings differ from their expectations:\n\n{report}"
    );
}

/// How many times each code is expected across the programmes under `folder`: as an error
/// (`// expect:`) or, with `errors` false, as a warning (`// warn:`).
fn expected_codes(folder: &str, errors: bool) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for path in programmes(&Path::new(CORPUS).join(folder)) {
        let text = std::fs::read_to_string(&path).expect("a readable corpus file");
        let expected = expectations(&path, &text).unwrap_or_default();
        let listed = if errors {
            expected.errors
        } else {
            expected.warnings
        };
        for located in listed {
            *counts.entry(located.code).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn every_checker_code_is_expected_by_some_invalid_programme() {
    let expected = expected_codes("invalid", true);
    let missing: Vec<&str> = msr::check::codes::ALL
        .iter()
        .copied()
        .filter(|code| !WARNING_CODES.contains(code) && !common::UNREPORTED_CODES.contains(code))
        .filter(|code| !ASKED_FOR_CODES.contains(code))
        .filter(|code| !expected.contains_key(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "no invalid programme in tests/corpus/invalid expects these checker codes: {missing:?}"
    );
}

#[test]
fn every_warning_code_is_expected_by_some_programme() {
    let expected = expected_codes("", false);
    let missing: Vec<&str> = WARNING_CODES
        .iter()
        .copied()
        .filter(|code| !expected.contains_key(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "no programme in tests/corpus lists these warnings with `// warn:`: {missing:?}"
    );
}

#[test]
fn warning_codes_are_the_codes_reported_as_warnings() {
    let mut wrong = Vec::new();
    for path in programmes(Path::new(CORPUS)) {
        for d in diagnostics(&path) {
            let listed = WARNING_CODES.contains(&d.code);
            if listed == d.is_error() {
                let (is, list) = if listed {
                    ("an error", "but is listed as a warning")
                } else {
                    ("a warning", "but is not listed as one")
                };
                wrong.push(format!("{} is {is} in {} {list}", d.code, path.display()));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    let unknown: Vec<&str> = WARNING_CODES
        .iter()
        .copied()
        .filter(|code| !msr::check::codes::ALL.contains(code))
        .collect();
    assert!(
        wrong.is_empty() && unknown.is_empty(),
        "WARNING_CODES is out of step with the checker:\n{}\nnot checker codes: {unknown:?}",
        wrong.join("\n")
    );
}

/// Every line of code (not a comment) in the Rust sources under `src/` that names `word` as
/// a whole word, as `(file, line)` pairs.
fn lines_naming(word: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a readable source directory") {
            let path = entry.expect("a readable directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let whole = line.match_indices(word).any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + word.len()..].chars().next();
                !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
            });
            if whole {
                found.push((file.clone(), line.trim().to_string()));
            }
        }
    }
    found
}

#[test]
fn codes_left_out_as_unreported_are_reported_nowhere() {
    let mut reported = Vec::new();
    for code in common::UNREPORTED_CODES {
        // The code lives in one constant; any use of that constant beyond its declaration
        // and its entry in `codes::ALL`, or of the code itself, may report it.
        let literal = format!("\"{code}\"");
        let holders = lines_naming(&literal);
        let constant = holders.iter().find_map(|(_, line)| {
            let rest = line.strip_prefix("pub const ")?;
            Some(rest.split(':').next()?.trim().to_string())
        });
        let Some(constant) = constant else {
            reported.push(format!("{code}: no `pub const` holds it"));
            continue;
        };
        let entry = format!("{constant},");
        let uses = lines_naming(&constant)
            .into_iter()
            .chain(holders)
            .filter(|(_, line)| !line.starts_with("pub const ") && *line != entry);
        reported.extend(uses.map(|(file, line)| format!("{code}: {}: {line}", file.display())));
    }
    assert!(
        reported.is_empty(),
        "codes listed as unreported may now be reported; take them out of UNREPORTED_CODES \
         and give each an invalid programme and a section in docs/errors.md:\n{}",
        reported.join("\n")
    );
}

#[test]
fn every_syntax_code_a_file_can_produce_is_expected_by_some_invalid_programme() {
    let expected = expected_codes("invalid", true);
    let missing: Vec<&str> = SYNTAX_CODES_FROM_A_FILE
        .iter()
        .copied()
        .filter(|code| !expected.contains_key(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "no invalid programme in tests/corpus/invalid expects these syntax codes: {missing:?}"
    );
}

#[test]
fn expected_codes_are_codes_that_exist() {
    let known: Vec<&str> = msr::check::codes::ALL
        .iter()
        .chain(SYNTAX_CODES_FROM_A_FILE)
        .copied()
        .collect();
    let unknown: Vec<String> = expected_codes("", true)
        .into_keys()
        .chain(expected_codes("", false).into_keys())
        .filter(|code| !known.contains(&code.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "the corpus expects codes that neither the checker nor the parser has: {unknown:?}"
    );
}

#[test]
fn several_invalid_programmes_expect_several_errors_at_once() {
    let several = programmes(&Path::new(CORPUS).join("invalid"))
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("a readable corpus file");
            expectations(path, &text).is_ok_and(|e| e.errors.len() > 1)
        })
        .count();
    assert!(
        several >= 5,
        "only {several} invalid programmes expect more than one error; keep at least 5 to \
         prove that every error of a programme is reported in one run"
    );
}

#[test]
fn the_corpus_holds_enough_programmes() {
    // The programmes about types and units are a corpus of their own within each half.
    for folder in ["valid", "invalid", "valid/types", "invalid/types"] {
        let found = programmes(&Path::new(CORPUS).join(folder)).len();
        assert!(
            found >= MINIMUM_PROGRAMMES,
            "tests/corpus/{folder} holds {found} programmes, fewer than {MINIMUM_PROGRAMMES}"
        );
    }
}

/// Every diagnostic the checker gives on the corpus explains itself: a labelled place in the
/// source and a help line that says what to do.
#[test]
fn every_check_diagnostic_has_a_label_and_a_help_line() {
    let mut poor = Vec::new();
    for folder in ["valid", "invalid"] {
        for path in programmes(&Path::new(CORPUS).join(folder)) {
            for d in diagnostics(&path)
                .iter()
                .filter(|d| d.code.starts_with("msr::check::"))
            {
                let labelled = d.labels.iter().any(|l| l.primary);
                let helped = d.help.as_deref().is_some_and(|h| !h.trim().is_empty());
                if !labelled || !helped {
                    poor.push(format!("{}: {} ({})", path.display(), d.code, d.message));
                }
            }
        }
    }
    assert!(
        poor.is_empty(),
        "diagnostics without a label or a help line:\n{}",
        poor.join("\n")
    );
}
