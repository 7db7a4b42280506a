//! Input built to hurt: huge fields, enormous lines, deep nesting, a directory or a pipe
//! where a data file should be. Each run ends with a located diagnostic or a right answer,
//! never a panic, a hang or an unbounded message.

mod common;

use common::{msr, temp_dir};
use std::path::{Path, PathBuf};

const PROGRAMME: &str = r#"
dataset incidents {
  source "incidents.csv"
  id        : Int
  opened_at : DateTime
  note      : Text?
}
measure total : Count = count(incidents)
measure noted : Count = count(incidents where note is not none)
"#;

fn setup(name: &str, data: &[u8]) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("p.msr"), PROGRAMME).unwrap();
    std::fs::write(dir.join("incidents.csv"), data).unwrap();
    dir.join("p.msr")
}

fn run(path: &Path) -> common::Output {
    msr(&["run", path.to_str().unwrap(), "--format", "json"])
}

#[test]
fn a_huge_text_field_is_read_whole() {
    // A field of 24 MiB, larger than a part of the file, quoted and with line breaks inside.
    let mut data = b"id,opened_at,note\n1,2025-09-01T00:00:00Z,\"".to_vec();
    data.extend(std::iter::repeat_n(*b"abc,\n\"\"xyz", 2_400_000).flatten());
    data.extend_from_slice(b"\"\n2,2025-09-02T00:00:00Z,\n3,2025-09-03T00:00:00Z,short\n");
    let out = run(&setup("huge_text", &data));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["measures"][0]["value"], 3);
    assert_eq!(json["measures"][1]["value"], 2);
}

#[test]
fn a_huge_bad_value_is_located_and_shown_in_a_window() {
    let mut data = b"id,opened_at,note\n1,2025-09-01T00:00:00Z,\n2,".to_vec();
    data.extend(std::iter::repeat_n(b'9', 5_000_000));
    data.extend_from_slice(b",\n");
    let out = run(&setup("huge_bad", &data));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("msr::data::bad_value"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("incidents.csv:3:3"), "{}", out.stderr);
    // The message shows a window of the line, not five million digits.
    assert!(
        out.stderr.len() < 4_000,
        "{} bytes of stderr",
        out.stderr.len()
    );
}

#[test]
fn a_data_line_of_millions_of_fields_is_a_ragged_row() {
    let mut data = b"id,opened_at,note\n1,2025-09-01T00:00:00Z,\n".to_vec();
    data.extend(std::iter::repeat_n(b',', 3_000_000));
    data.push(b'\n');
    let out = run(&setup("many_fields", &data));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("msr::data::ragged_row"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("incidents.csv:3:1"), "{}", out.stderr);
    assert!(
        out.stderr.len() < 4_000,
        "{} bytes of stderr",
        out.stderr.len()
    );
}

#[test]
fn a_directory_in_place_of_the_data_file_is_reported() {
    let dir = temp_dir("directory_source");
    std::fs::write(dir.join("p.msr"), PROGRAMME).unwrap();
    std::fs::create_dir(dir.join("incidents.csv")).unwrap();
    let out = run(&dir.join("p.msr"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("incidents.csv"), "{}", out.stderr);
    assert!(out.stderr.contains("directory"), "{}", out.stderr);
}

#[test]
fn a_programme_on_one_enormous_line_is_checked() {
    // Four hundred kilobytes on one line: a measure summing a long list of small counts.
    let terms = vec!["count(incidents where id in [1, 2, 3])"; 10_000].join(" + ");
    let text = PROGRAMME.replace(
        "measure total : Count = count(incidents)",
        &format!("measure total : Count = {terms}"),
    );
    let dir = temp_dir("long_line");
    std::fs::write(dir.join("p.msr"), text).unwrap();
    let out = msr(&["check", dir.join("p.msr").to_str().unwrap()]);
    // Past the bound on operators in one expression: refused at the operator, with a window
    // of the line rather than the whole of it.
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("msr::syntax::too_deep"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("p.msr:8:"), "{}", out.stderr);
    assert!(
        out.stderr.len() < 4_000,
        "{} bytes of stderr",
        out.stderr.len()
    );
}

#[test]
fn thousands_of_open_brackets_are_refused_with_a_diagnostic() {
    for (open, close) in [("(", ""), ("[", ""), ("(", ")"), ("{", "")] {
        let text = format!(
            "measure m : Number = {}1{}",
            open.repeat(50_000),
            close.repeat(50_000)
        );
        let dir = temp_dir("brackets");
        std::fs::write(dir.join("p.msr"), text).unwrap();
        let out = msr(&["check", dir.join("p.msr").to_str().unwrap()]);
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert!(out.stderr.contains("msr::syntax::"), "{}", out.stderr);
        assert!(
            out.stderr.len() < 20_000,
            "{} bytes of stderr",
            out.stderr.len()
        );
    }
}
