//! docs/errors.md documents every diagnostic code that msr can report, and its examples do
//! what the page says.
//!
//! The page has one `### `msr::PHASE::NAME`` heading per code. Within a section, the fenced
//! blocks before the line that starts with `Fix:` are the failing example and those after
//! it are the fix: an `msr` block is a programme, a `csv` or `jsonl` block is the data file
//! that the programme's dataset reads (a fix without its own block reuses the failing one).
//!
//! The failing example of a checker warning checks without errors and warns with its code
//! alone; every fix of a syntax or checker example checks without errors or warnings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use msr::diagnostic::Diagnostic;

mod common;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Codes whose examples cannot run here: a root file that cannot be read, a source that the
/// checker rejects before data is loaded, bytes that are not UTF-8 (which Markdown cannot
/// hold), summaries that need more than twenty bad rows, a file that changes while it is
/// read (tested beside the loader), periods after the data (found when a period is
/// evaluated, not while loading; tested in tests/cli.rs), the formatter's own failures,
/// which are about files rather than programmes (tested in tests/fmt.rs and beside the
/// formatter), and the failures of evidence bundles, which are about directories (tested in
/// tests/evidence.rs and beside src/evidence).
const NOT_RUN: &[&str] = &[
    "msr::evidence::occupied",
    "msr::evidence::unwritable",
    "msr::evidence::programme_layout",
    "msr::evidence::not_a_bundle",
    "msr::fmt::unwritable_file",
    "msr::fmt::internal",
    "msr::data::changed_while_read",
    "msr::syntax::unreadable_file",
    "msr::data::unknown_format",
    "msr::data::invalid_utf8",
    "msr::data::too_many_errors",
    "msr::data::skipped_rows",
    "msr::data::after_data",
];

/// A fenced block: its language and its text.
#[derive(Debug, Clone)]
struct Block {
    language: String,
    text: String,
}

/// One documented code with the blocks of its failing example and of its fix.
#[derive(Debug)]
struct Section {
    code: String,
    failing: Vec<Block>,
    fix: Vec<Block>,
}

impl Section {
    fn programme(blocks: &[Block]) -> Option<&str> {
        blocks
            .iter()
            .find(|b| b.language == "msr")
            .map(|b| b.text.as_str())
    }

    fn data(blocks: &[Block]) -> Option<&str> {
        blocks
            .iter()
            .find(|b| b.language == "csv" || b.language == "jsonl")
            .map(|b| b.text.as_str())
    }
}

fn errors_page() -> String {
    let path = Path::new(ROOT).join("docs/errors.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The code named by a heading such as ``### `msr::check::cycle` ``.
fn heading_code(line: &str) -> Option<String> {
    let rest = line.strip_prefix('#')?.trim_start_matches('#');
    let code = rest.trim().strip_prefix('`')?.strip_suffix('`')?;
    code.starts_with("msr::").then(|| code.to_string())
}

fn sections(page: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut in_fix = false;
    let mut open: Option<Block> = None;
    for line in page.lines() {
        if let Some(block) = open.as_mut() {
            if line.trim_end() == "```" {
                let block = open.take().expect("an open block");
                if let Some(section) = sections.last_mut() {
                    if in_fix {
                        section.fix.push(block);
                    } else {
                        section.failing.push(block);
                    }
                }
            } else {
                block.text.push_str(line);
                block.text.push('\n');
            }
            continue;
        }
        if let Some(language) = line.strip_prefix("```") {
            open = Some(Block {
                language: language.trim().to_string(),
                text: String::new(),
            });
        } else if let Some(code) = heading_code(line) {
            sections.push(Section {
                code,
                failing: Vec::new(),
                fix: Vec::new(),
            });
            in_fix = false;
        } else if line.starts_with('#') {
            // A heading that is not a code closes the section before it.
            in_fix = true;
            sections.push(Section {
                code: String::new(),
                failing: Vec::new(),
                fix: Vec::new(),
            });
        } else if line.starts_with("Fix:") {
            in_fix = true;
        }
    }
    assert!(open.is_none(), "docs/errors.md ends inside a fenced block");
    sections.retain(|s| !s.code.is_empty());
    sections
}

/// Every string literal of the form `"msr::PHASE::NAME"` in the Rust sources under `src/`.
fn codes_in_source() -> BTreeSet<String> {
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
    let is_word = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let mut files = Vec::new();
    walk(&Path::new(ROOT).join("src"), &mut files);
    let mut codes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        for (at, _) in text.match_indices("\"msr::") {
            let rest = &text[at + 1..];
            let Some(end) = rest.find('"') else { continue };
            let candidate = &rest[..end];
            let parts: Vec<&str> = candidate.split("::").collect();
            if parts.len() == 3 && parts[0] == "msr" && is_word(parts[1]) && is_word(parts[2]) {
                codes.insert(candidate.to_string());
            }
        }
    }
    codes
}

#[test]
fn every_code_in_the_source_is_documented_and_every_documented_code_exists() {
    let page = errors_page();
    let documented: Vec<String> = sections(&page).into_iter().map(|s| s.code).collect();
    let unique: BTreeSet<String> = documented.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        documented.len(),
        "docs/errors.md documents a code twice: {documented:?}"
    );

    let mut in_source = codes_in_source();
    in_source.retain(|code| !common::UNREPORTED_CODES.contains(&code.as_str()));
    let undocumented: Vec<&String> = in_source.difference(&unique).collect();
    let unknown: Vec<&String> = unique.difference(&in_source).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "docs/errors.md is out of step with src/:\n  \
         codes in src/ without a section: {undocumented:?}\n  \
         sections for codes that src/ does not have: {unknown:?}"
    );
}

#[test]
fn every_checker_code_is_documented() {
    let page = errors_page();
    let documented: BTreeSet<String> = sections(&page).into_iter().map(|s| s.code).collect();
    let missing: Vec<&str> = msr::check::codes::ALL
        .iter()
        .copied()
        .filter(|code| !documented.contains(*code) && !common::UNREPORTED_CODES.contains(code))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/errors.md lacks checker codes {missing:?}"
    );
}

#[test]
fn every_section_has_a_failing_example_and_a_fix() {
    let incomplete: Vec<String> = sections(&errors_page())
        .into_iter()
        .filter(|s| s.failing.is_empty() || s.fix.is_empty())
        .map(|s| s.code)
        .collect();
    assert!(
        incomplete.is_empty(),
        "sections without a failing example or without a fix: {incomplete:?}"
    );
}

/// A fresh, empty directory for one example.
fn scratch() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "msr-errors-doc-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a writable temporary directory");
    dir
}

/// Writes a programme into `dir` and checks it as `msr check` does: the checked programme
/// with its warnings, or every diagnostic.
fn check_in(
    dir: &Path,
    programme: &str,
) -> Result<(msr::check::Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = dir.join("example.msr");
    std::fs::write(&path, programme).expect("a writable temporary file");
    let parsed = msr::syntax::load_program(&[path]).map_err(|(_, diagnostics)| diagnostics)?;
    msr::check::check(parsed)
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect()
}

fn all_codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn syntax_and_check_examples_fail_with_their_code_and_their_fixes_check() {
    let mut problems = Vec::new();
    for section in sections(&errors_page()) {
        let code = section.code.as_str();
        if code.starts_with("msr::data::") || NOT_RUN.contains(&code) {
            continue;
        }
        let (Some(failing), Some(fix)) = (
            Section::programme(&section.failing),
            Section::programme(&section.fix),
        ) else {
            problems.push(format!(
                "{code}: needs an `msr` block before and after `Fix:`"
            ));
            continue;
        };

        let dir = scratch();
        // The template's warnings are asked for (`msr check --template`); so are they here.
        let check_in = |dir: &Path, programme: &str| {
            let checked = check_in(dir, programme);
            match checked {
                Ok((program, mut warnings)) if code == "msr::check::template" => {
                    warnings.extend(msr::check::template::template_gaps(&program));
                    Ok((program, warnings))
                }
                other => other,
            }
        };
        match check_in(&dir, failing) {
            // Only a warning's example checks; it must warn with the section's code alone.
            Ok((_, warnings)) => {
                let found = all_codes(&warnings);
                if found.is_empty() {
                    problems.push(format!(
                        "{code}: the failing example checks without errors or warnings"
                    ));
                } else if found.iter().any(|c| *c != code) {
                    problems.push(format!("{code}: the failing example warns {found:?}"));
                }
            }
            Err(diagnostics) => {
                let found = codes(&diagnostics);
                if found.is_empty() || found.iter().any(|c| *c != code) {
                    problems.push(format!("{code}: the failing example reports {found:?}"));
                }
            }
        }
        match check_in(&dir, fix) {
            Err(diagnostics) => problems.push(format!(
                "{code}: the fix still reports {:?}",
                codes(&diagnostics)
            )),
            Ok((_, warnings)) if !warnings.is_empty() => {
                problems.push(format!("{code}: the fix warns {:?}", all_codes(&warnings)))
            }
            Ok(_) => {}
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        problems.is_empty(),
        "examples in docs/errors.md:\n{}",
        problems.join("\n")
    );
}

/// Checks a programme and loads its data, with `data` written to its first dataset's source.
fn load_in(dir: &Path, programme: &str, data: Option<&str>) -> Result<Vec<Diagnostic>, String> {
    let (program, _) = check_in(dir, programme)
        .map_err(|d| format!("the programme does not check: {:?}", codes(&d)))?;
    if let (Some(data), Some(dataset)) = (data, program.datasets.first()) {
        std::fs::write(dir.join(&dataset.source), data).expect("a writable temporary file");
    }
    match msr::eval::load_data(&program, dir, &msr::eval::DataAccess::default()) {
        Ok(loaded) => Ok(loaded.warnings),
        Err(errors) => Ok(errors),
    }
}

#[test]
fn data_examples_fail_with_their_code_and_their_fixes_load() {
    let mut problems = Vec::new();
    for section in sections(&errors_page()) {
        let code = section.code.as_str();
        if !code.starts_with("msr::data::") || NOT_RUN.contains(&code) {
            continue;
        }
        let Some(programme) = Section::programme(&section.failing) else {
            problems.push(format!("{code}: needs an `msr` block before `Fix:`"));
            continue;
        };
        let data = Section::data(&section.failing);
        let fixed_programme = Section::programme(&section.fix).unwrap_or(programme);
        let fixed_data = Section::data(&section.fix).or(data);

        let dir = scratch();
        match load_in(&dir, programme, data) {
            Err(problem) => problems.push(format!("{code}: failing example: {problem}")),
            Ok(diagnostics) => {
                let found = codes(&diagnostics);
                if found.is_empty() || found.iter().any(|c| *c != code) {
                    problems.push(format!("{code}: the failing example reports {found:?}"));
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);

        let dir = scratch();
        match load_in(&dir, fixed_programme, fixed_data) {
            Err(problem) => problems.push(format!("{code}: fix: {problem}")),
            Ok(diagnostics) if !diagnostics.is_empty() => {
                let found: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
                problems.push(format!("{code}: the fix still reports {found:?}"));
            }
            Ok(_) => {}
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        problems.is_empty(),
        "examples in docs/errors.md:\n{}",
        problems.join("\n")
    );
}
