//! `msr fmt`: snapshots of the layout, properties that hold over every programme of the
//! repository, and the command as a user runs it.
//!
//! The properties are checked here independently of the formatter's own check of its
//! result: the AST is compared through its `Debug` rendering with the spans cut out, and
//! comments are found by a scanner of this file's own. Update the snapshots with
//! `INSTA_UPDATE=always cargo test --test fmt` and read every changed `.snap` file before
//! accepting it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use msr::format::{format_source, WIDTH};
use msr::syntax::ast::FileId;

fn format(text: &str) -> String {
    match format_source("test.msr", text) {
        Ok(formatted) => formatted,
        Err(errors) => panic!("formatting failed: {}", errors[0].render_plain(100)),
    }
}

// ---------------------------------------------------------------------------------------
// Snapshots

#[test]
fn a_programme_written_without_care() {
    let text = r#"use "std:scales.msr"
dataset incidents "Incident tickets" { source "incidents.csv" time opened_at
id : Int opened_at : DateTime resolved_at : DateTime? severity : Severity
business_unit : Text cost : Money<EUR>? }
measure incidents_total : Count<incident> = count( incidents )
measure resolved_in_sla : Count = count(incidents where resolved_at - opened_at <= 72h and severity >= high or severity = low)
measure sla_rate : Percent = resolved_in_sla/incidents_total
indicator incident_sla "Incidents resolved within 72 hours" { need "Are incidents handled fast enough?"
value sla_rate target >= 95% criteria { green when value >= 95% amber when value >= 80% red otherwise }
by business_unit type effectiveness owner "Head of SOC" controls "A.5.24","A.5.26" }
"#;
    insta::assert_snapshot!(format(text));
}

#[test]
fn a_programme_with_comments_everywhere() {
    let text = std::fs::read_to_string(common::root("tests/corpus/valid/commented_programme.msr"))
        .expect("the corpus file is readable");
    insta::assert_snapshot!(format(&text));
}

#[test]
fn long_expressions_break_at_their_loosest_part() {
    let text = r#"measure exposed_assets_clean "Internet-facing assets without an open severe finding" : Count<asset> = count(assets where internet_facing and not exists(all_findings on asset_id = asset_id where severity >= high and detected_at < as_of and (mitigated_at is none or mitigated_at >= as_of)))
measure security_index "Security index" : Number = 100 * (0.35 * normalise(service_level, 50%, 95%) + 0.25 * normalise(trained_share, 50%, 95%) + 0.25 * normalise(remediation_rate, 40%, 95%) + 0.15 * normalise(mean_time_to_resolve, 72h, 8h))
measure p90_time_to_resolve_severe "90th percentile of time to resolve, high and critical" : Duration = percentile(90, resolved_at - detected_at for incidents where resolved_at is not none and severity >= high)
measure reported : Money<EUR> = default(mean(cost_eur for incidents where severity >= high except waived or accepted_risk), 0 EUR)
"#;
    insta::assert_snapshot!(format(text));
}

#[test]
fn scales_lookups_and_hierarchies() {
    let text = r#"scale Severity = ordinal [low, medium, high, critical,]
scale IncidentCategory = nominal [phishing, malware, unauthorised_access, policy_violation, lost_device, data_leakage]
scale Maturity = ordinal [nonexistent = 0, initial = 1, managed = 2, // the middle
  defined = 3, measured = 4, optimised = 5]
hierarchy org "Organisation chart" = units(unit,parent)
lookup remediation_deadline "Remediation deadline per severity" : Severity -> Duration { critical = 7d, high = 30d
  medium = 90d // the default of the procedure
  default = 180d }
"#;
    insta::assert_snapshot!(format(text));
}

// ---------------------------------------------------------------------------------------
// Properties over every programme of the repository

/// Every `.msr` file under the corpus, the examples, the standard library and the
/// benchmarks.
fn programmes() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a readable directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "msr") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for dir in ["tests/corpus", "examples", "stdlib", "benches"] {
        walk(Path::new(&common::root(dir)), &mut out);
    }
    out.sort();
    out
}

/// The programmes that parse, with their text.
fn parsing_programmes() -> Vec<(PathBuf, String)> {
    let all: Vec<(PathBuf, String)> = programmes()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable programme");
            (path, text)
        })
        .filter(|(_, text)| msr::syntax::parse(FileId(0), text).is_ok())
        .collect();
    assert!(all.len() >= 150, "only {} programmes parse", all.len());
    all
}

/// The AST of a source that parses, with every span cut out of its `Debug` rendering.
fn ast_without_spans(text: &str) -> String {
    let module = msr::syntax::parse(FileId(0), text).expect("the source parses");
    let debug = format!("{module:?}");
    let mut out = String::new();
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}').expect("a span closes") + at + 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// What scanning a source finds at a place: code, a string, or a comment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    Code,
    Text,
    LineComment,
    BlockComment,
}

/// The comments of a source, in order: `//` comments without the spaces that end their
/// line, block comments byte for byte.
fn comments(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut state = Scan::Code;
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match state {
            Scan::Code => match (c, next) {
                ('"', _) => state = Scan::Text,
                ('/', Some('/')) => {
                    state = Scan::LineComment;
                    current.push(c);
                }
                ('/', Some('*')) => {
                    state = Scan::BlockComment;
                    current.push_str("/*");
                    i += 1;
                }
                _ => {}
            },
            Scan::Text => match c {
                '\\' => i += 1,
                '"' => state = Scan::Code,
                _ => {}
            },
            Scan::LineComment if c == '\n' => {
                out.push(current.trim_end().to_string());
                current.clear();
                state = Scan::Code;
            }
            Scan::BlockComment if c == '*' && next == Some('/') => {
                current.push_str("*/");
                out.push(std::mem::take(&mut current));
                state = Scan::Code;
                i += 1;
            }
            Scan::LineComment | Scan::BlockComment => current.push(c),
        }
        i += 1;
    }
    if state == Scan::LineComment {
        out.push(current.trim_end().to_string());
    }
    out
}

/// Whether a line over the width is one that nothing can shorten: without its trailing
/// comment, and without its longest text literal (a title, a fact), it fits.
fn cannot_break(line: &str) -> bool {
    let mut code = line;
    if let Some(at) = comment_start(line) {
        code = line[..at].trim_end();
    }
    let longest_text = code
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|t| t.chars().count() + 2)
        .max()
        .unwrap_or(0);
    code.chars().count() <= WIDTH || code.chars().count() - longest_text <= WIDTH
}

/// Where a comment starts on a line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_text = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_text => i += 1,
            b'"' => in_text = !in_text,
            b'/' if !in_text && matches!(bytes.get(i + 1), Some(b'/' | b'*')) => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[test]
fn formatting_keeps_the_meaning_and_the_comments_of_every_programme() {
    let mut problems = Vec::new();
    for (path, text) in parsing_programmes() {
        let formatted = format(&text);
        if ast_without_spans(&formatted) != ast_without_spans(&text) {
            problems.push(format!("{}: the AST changed", path.display()));
        }
        if comments(&formatted) != comments(&text) {
            problems.push(format!("{}: the comments changed", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn formatting_twice_changes_nothing_more() {
    let mut problems = Vec::new();
    for (path, text) in parsing_programmes() {
        let once = format(&text);
        let twice = format(&once);
        if once != twice {
            problems.push(format!("{}:\n{once}\n---\n{twice}", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_line_outgrows_the_width_unless_nothing_can_break_it() {
    let mut problems = Vec::new();
    for (path, text) in parsing_programmes() {
        // The rows of a test's fixture table are one line each, however wide.
        let mut in_table = false;
        for line in format(&text).lines() {
            let code = line.trim();
            if in_table {
                in_table = code != "}";
                continue;
            }
            in_table = code.starts_with("given ") && code.ends_with('{');
            if line.chars().count() > WIDTH && !cannot_break(line) {
                problems.push(format!("{}: {line}", path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every space outside texts and comments doubled: the same lines, spaced differently.
fn spaced_out(text: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let skip = if rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else if let Some(body) = rest.strip_prefix("/*") {
            body.find("*/").map_or(rest.len(), |i| i + 4)
        } else if rest.starts_with('"') {
            let mut end = 1;
            let bytes = rest.as_bytes();
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            end + 1
        } else {
            let c = rest.chars().next().expect("a character");
            if c == ' ' {
                out.push(' ');
            }
            c.len_utf8()
        };
        out.push_str(&rest[..skip.min(rest.len())]);
        at += skip;
    }
    out
}

#[test]
fn the_layout_does_not_depend_on_the_spaces_of_the_input() {
    let mut problems = Vec::new();
    for (path, text) in parsing_programmes() {
        let spaced = spaced_out(&text);
        if msr::syntax::parse(FileId(0), &spaced).is_err() {
            // Spaces inside a money literal (`100  EUR`) are not allowed; leave it out.
            continue;
        }
        if format(&spaced) != format(&text) {
            problems.push(path.display().to_string());
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_examples_the_standard_library_and_the_formatting_guide_are_formatted() {
    let mut problems = Vec::new();
    for (path, text) in parsing_programmes() {
        let shipped = ["examples", "stdlib"]
            .iter()
            .any(|dir| path.starts_with(common::root(dir)));
        if shipped && format(&text) != text {
            problems.push(path.display().to_string());
        }
    }
    let guide = std::fs::read_to_string(common::root("docs/fmt.md")).expect("docs/fmt.md");
    for block in guide.split("```msr\n").skip(1) {
        let block = block.split("```").next().unwrap_or_default();
        if format(block) != block {
            problems.push(format!("docs/fmt.md:\n{block}"));
        }
    }
    assert!(
        problems.is_empty(),
        "not formatted:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// The command

const UNFORMATTED: &str = "measure total:Count=count(incidents)\n";
const FORMATTED: &str = "measure total : Count = count(incidents)\n";

/// Runs `msr` with `input` on its standard input.
fn msr_with_input(args: &[&str], input: &str) -> common::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_msr"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the msr binary runs");
    child
        .stdin
        .take()
        .expect("a piped standard input")
        .write_all(input.as_bytes())
        .expect("the input is written");
    let out = child.wait_with_output().expect("msr finishes");
    common::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a writable scratch file");
    path.display().to_string()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).expect("a readable file")
}

#[test]
fn fmt_rewrites_a_file_in_place_and_says_so() {
    let dir = common::temp_dir("fmt-in-place");
    let file = write(&dir, "m.msr", UNFORMATTED);
    let out = common::msr(&["fmt", &file]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(read(&file), FORMATTED);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, format!("reformatted {file}\n"));
}

#[test]
fn fmt_leaves_a_formatted_file_alone_down_to_its_modification_time() {
    let dir = common::temp_dir("fmt-unchanged");
    let file = write(&dir, "m.msr", FORMATTED);
    let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(long_ago))
        .expect("the modification time can be set");
    let out = common::msr(&["fmt", &file]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    let modified = std::fs::metadata(&file).and_then(|m| m.modified());
    assert_eq!(modified.ok(), Some(long_ago));
}

#[test]
fn fmt_check_names_the_files_that_would_change_and_changes_none() {
    let dir = common::temp_dir("fmt-check");
    let messy = write(&dir, "messy.msr", UNFORMATTED);
    let tidy = write(&dir, "tidy.msr", FORMATTED);
    let out = common::msr(&["fmt", "--check", &tidy, &messy]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, format!("{messy}\n"));
    assert_eq!(read(&messy), UNFORMATTED);
    assert_eq!(read(&tidy), FORMATTED);
}

#[test]
fn fmt_check_passes_on_formatted_files() {
    let dir = common::temp_dir("fmt-check-ok");
    let tidy = write(&dir, "tidy.msr", FORMATTED);
    let out = common::msr(&["fmt", "--check", &tidy]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_untouched_and_formats_the_others() {
    let dir = common::temp_dir("fmt-syntax-error");
    let broken_text = "measure total : Count = count(incidents\n";
    let broken = write(&dir, "broken.msr", broken_text);
    let messy = write(&dir, "messy.msr", UNFORMATTED);
    let out = common::msr(&["fmt", &broken, &messy]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(read(&broken), broken_text);
    assert_eq!(read(&messy), FORMATTED);
    assert!(
        out.stderr.contains("msr::syntax::unexpected"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("broken.msr:1:"), "{}", out.stderr);
    assert!(out.stderr.contains(&format!("reformatted {messy}")));
}

#[test]
fn fmt_reports_a_file_it_cannot_read() {
    let dir = common::temp_dir("fmt-missing");
    let missing = dir.join("missing.msr").display().to_string();
    let out = common::msr(&["fmt", &missing]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("msr::syntax::unreadable_file"),
        "{}",
        out.stderr
    );
}

#[test]
fn fmt_of_standard_input_writes_standard_output() {
    let out = msr_with_input(&["fmt", "-"], UNFORMATTED);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, FORMATTED),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr, "");

    let out = msr_with_input(&["fmt", "--check", "-"], UNFORMATTED);
    assert_eq!((out.code, out.stdout.as_str()), (1, "<stdin>\n"));
    let out = msr_with_input(&["fmt", "--check", "-"], FORMATTED);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

#[test]
fn fmt_of_standard_input_with_a_syntax_error_writes_nothing_to_standard_output() {
    let out = msr_with_input(&["fmt", "-"], "measure total : Count =\n");
    assert_eq!(out.code, 3);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("msr::syntax::unexpected"),
        "{}",
        out.stderr
    );
}

#[test]
fn standard_input_cannot_be_mixed_with_files() {
    let out = common::msr(&["fmt", "-", "other.msr"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("standard input"), "{}", out.stderr);
}
