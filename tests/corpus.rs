//! The corpus of example programmes under `tests/corpus`.
//!
//! Every programme in `valid/` must check without errors (warnings are allowed). Every
//! programme in `invalid/` lists, in the comment lines that open it, the errors it must
//! produce, one per line:
//!
//! ```text
//! // expect: msr::check::comparison at 12
//! // expect: msr::check::unknown_type at common/shared.msr:6
//! ```
//!
//! The line is one-based and is the line of the diagnostic's primary label; without a path
//! it is a line of the programme itself, with a path (relative to the programme's folder) a
//! line of a file it imports. A programme must produce exactly the errors it lists: the same
//! codes at the same places, as many times as listed, and no others.
//!
//! Files under a `common/` folder are only imported by other programmes and are not checked
//! on their own.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use msr::diagnostic::Diagnostic;

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

/// One error, as the corpus compares them: code, file and one-based line.
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

/// The expectations in the opening comment lines of a programme. An `// expect:` line
/// anywhere else, or one that does not parse, is a mistake in the corpus.
fn expectations(path: &Path, text: &str) -> Result<Vec<Located>, String> {
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    let mut in_header = true;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        in_header &= trimmed.starts_with("//");
        let Some(rest) = trimmed.strip_prefix("// expect:") else {
            continue;
        };
        if !in_header {
            return Err(format!(
                "line {}: `// expect:` must be in the comment lines that open the file",
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
            Some(expected) => out.push(expected),
            None => {
                return Err(format!(
                    "line {}: cannot read `{trimmed}`; write `// expect: CODE at LINE` \
                     or `// expect: CODE at PATH:LINE`",
                    index + 1
                ))
            }
        }
    }
    out.sort();
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

/// The errors among `diagnostics`, located; an error without a location gets line 0.
fn located_errors(diagnostics: &[Diagnostic]) -> Vec<Located> {
    let mut out: Vec<Located> = diagnostics
        .iter()
        .filter(|d| d.is_error())
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
/// holds invalid programmes (which must list expectations) or valid ones (which must not).
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
        if must_fail && expected.is_empty() {
            let _ = writeln!(
                report,
                "{name}: an invalid programme must list its errors with `// expect:` lines\n"
            );
            continue;
        }
        if !must_fail && !expected.is_empty() {
            let _ = writeln!(
                report,
                "{name}: a valid programme must not list `// expect:` lines; move it to invalid/\n"
            );
            continue;
        }

        let diagnostics = diagnostics(&path);
        let actual = located_errors(&diagnostics);
        if actual != expected {
            let _ = write!(
                report,
                "{name}\n  expected:\n{}  actual:\n{}  diagnostics:\n{}\n",
                list(&expected, &path),
                list(&actual, &path),
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
        "valid programmes with errors:\n\n{report}"
    );
}

#[test]
fn every_invalid_programme_reports_exactly_the_errors_it_expects() {
    let report = mismatches(&Path::new(CORPUS).join("invalid"), true);
    assert!(
        report.is_empty(),
        "invalid programmes whose errors differ from their expectations:\n\n{report}"
    );
}

/// How many times each code is expected across the invalid programmes.
fn expected_codes() -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for path in programmes(&Path::new(CORPUS).join("invalid")) {
        let text = std::fs::read_to_string(&path).expect("a readable corpus file");
        for expected in expectations(&path, &text).unwrap_or_default() {
            *counts.entry(expected.code).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn every_checker_code_is_expected_by_some_invalid_programme() {
    let expected = expected_codes();
    let missing: Vec<&str> = msr::check::codes::ALL
        .iter()
        .copied()
        .filter(|code| !expected.contains_key(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "no invalid programme in tests/corpus/invalid expects these checker codes: {missing:?}"
    );
}

#[test]
fn every_syntax_code_a_file_can_produce_is_expected_by_some_invalid_programme() {
    let expected = expected_codes();
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
    let unknown: Vec<String> = expected_codes()
        .into_keys()
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
            expectations(path, &text).is_ok_and(|e| e.len() > 1)
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
    for (half, folder) in [("valid", "valid"), ("invalid", "invalid")] {
        let found = programmes(&Path::new(CORPUS).join(folder)).len();
        assert!(
            found >= MINIMUM_PROGRAMMES,
            "tests/corpus/{half} holds {found} programmes, fewer than {MINIMUM_PROGRAMMES}"
        );
    }
}
