//! Bad and awkward data as a user meets it through `msr run`: each case is handled or
//! reported with the file, line and column, never a panic or a silent drop.

mod common;

use common::{msr, temp_dir};
use std::path::{Path, PathBuf};

const PROGRAMME: &str = r#"
scale Severity = ordinal [low, medium, high, critical]
dataset incidents {
  source "incidents.csv"
  time opened_at
  id        : Int
  opened_at : DateTime
  severity  : Severity
  note      : Text?
}
measure total : Count = count(incidents)
measure highs : Count = count(incidents where severity >= high)
"#;

/// Writes the programme and a data file into a fresh folder; returns the programme's path.
fn setup(name: &str, data_file: &str, data: &[u8]) -> PathBuf {
    let dir = temp_dir(name);
    let programme = PROGRAMME.replace("incidents.csv", data_file);
    std::fs::write(dir.join("p.msr"), programme).unwrap();
    std::fs::write(dir.join(data_file), data).unwrap();
    dir.join("p.msr")
}

fn run(path: &Path, extra: &[&str]) -> common::Output {
    let mut args = vec!["run", path.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    msr(&args)
}

fn total(out: &common::Output) -> serde_json::Value {
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json["measures"][0]["value"].clone()
}

#[test]
fn a_bad_value_fails_the_run_naming_file_line_column_and_value() {
    let p = setup(
        "bad_value",
        "incidents.csv",
        b"id,opened_at,severity,note\n1,2025-09-01T00:00:00Z,low,\n2,2025-09-31T00:00:00Z,high,\n",
    );
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("msr::data::bad_value"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("incidents.csv:3:3"), "{}", out.stderr);
    assert!(
        out.stderr.contains("`2025-09-31T00:00:00Z`"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn skipped_bad_rows_are_counted_in_every_output_format() {
    let p = setup(
        "skip",
        "incidents.csv",
        b"id,opened_at,severity,note\n1,2025-09-01T00:00:00Z,low,\n2,2025-09-02T00:00:00Z,hgh,\nx,2025-09-03T00:00:00Z,low,\n4,2025-09-04T00:00:00Z,high,\n",
    );
    let out = run(&p, &["--skip-bad-rows"]);
    assert_eq!(total(&out), 2);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["datasets"][0]["skipped_rows"], 2);
    assert_eq!(json["warnings"].as_array().unwrap().len(), 2);
    assert_eq!(json["warnings"][0]["line"], 3);
    assert!(
        out.stderr.contains("did you mean `high`?"),
        "{}",
        out.stderr
    );

    let table = msr(&["run", p.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(
        table.stdout.contains("2 bad rows skipped"),
        "{}",
        table.stdout
    );
    let csv = msr(&[
        "run",
        p.to_str().unwrap(),
        "--skip-bad-rows",
        "--format",
        "csv",
    ]);
    let dataset_row = csv
        .stdout
        .lines()
        .find(|l| l.starts_with("dataset,"))
        .unwrap();
    assert_eq!(dataset_row.split(',').nth(8), Some("2"), "{dataset_row}");
}

#[test]
fn a_missing_file_is_reported_with_its_path() {
    let dir = temp_dir("missing_file");
    std::fs::write(dir.join("p.msr"), PROGRAMME).unwrap();
    let out = run(&dir.join("p.msr"), &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("msr::data::unreadable"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("incidents.csv"), "{}", out.stderr);
}

#[test]
fn a_missing_column_is_reported_at_the_header_with_a_suggestion() {
    let p = setup(
        "missing_column",
        "incidents.csv",
        b"id,opened,severity,note\n1,2025-09-01T00:00:00Z,low,\n",
    );
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("msr::data::missing_column"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("incidents.csv:1:"), "{}", out.stderr);
    assert!(out.stderr.contains("`opened`"), "{}", out.stderr);
}

#[test]
fn an_empty_file_is_an_error_and_a_header_alone_is_zero_rows() {
    let p = setup("empty", "incidents.csv", b"");
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("msr::data::empty_file"),
        "{}",
        out.stderr
    );

    let p = setup(
        "header_only",
        "incidents.csv",
        b"id,opened_at,severity,note\n",
    );
    assert_eq!(total(&run(&p, &[])), 0);
}

#[test]
fn a_byte_order_mark_crlf_and_quoted_fields_are_read_correctly() {
    let data = "\u{feff}id,opened_at,severity,note\r\n\
                1,2025-09-01T00:00:00Z,low,\"a, quoted\r\nnote over two lines\"\r\n\
                2,2025-09-02T00:00:00Z,high,\"say \"\"hi\"\"\"\r\n\
                3,2025-09-03T00:00:00Z,critical,plain\r\n";
    let p = setup("bom_crlf", "incidents.csv", data.as_bytes());
    let out = run(&p, &[]);
    assert_eq!(total(&out), 3);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["measures"][1]["value"], 2);

    // A bad value after the multi-line field is reported at its real line.
    let bad = data.replace("3,2025-09-03", "3,2025-99-03");
    let p = setup("bom_crlf_bad", "incidents.csv", bad.as_bytes());
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("incidents.csv:5:3"), "{}", out.stderr);
}

#[test]
fn ragged_rows_and_invalid_utf8_are_located() {
    let p = setup(
        "ragged",
        "incidents.csv",
        b"id,opened_at,severity,note\n1,2025-09-01T00:00:00Z,low\n",
    );
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("msr::data::ragged_row"),
        "{}",
        out.stderr
    );

    let p = setup(
        "utf8",
        "incidents.csv",
        b"id,opened_at,severity,note\n1,2025-09-01T00:00:00Z,low,caf\xe9\n",
    );
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("msr::data::invalid_utf8"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(":2:"), "{}", out.stderr);
}

#[test]
fn json_lines_are_read_and_their_errors_located() {
    let p = setup(
        "jsonl",
        "incidents.jsonl",
        b"{\"id\": 1, \"opened_at\": \"2025-09-01T00:00:00Z\", \"severity\": \"high\"}\n\n{\"id\": 2, \"opened_at\": \"2025-09-02T00:00:00Z\", \"severity\": \"low\", \"note\": null}\n",
    );
    assert_eq!(total(&run(&p, &[])), 2);

    let p = setup(
        "jsonl_bad",
        "incidents.jsonl",
        b"{\"id\": 1, \"opened_at\": \"2025-09-01T00:00:00Z\", \"severity\": \"high\"}\n{\"id\": 2,\n",
    );
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("msr::data::bad_json"), "{}", out.stderr);
    assert!(out.stderr.contains("incidents.jsonl:2:"), "{}", out.stderr);
}

#[test]
fn a_missing_required_value_is_an_error_but_an_optional_one_is_not() {
    let p = setup(
        "required",
        "incidents.csv",
        b"id,opened_at,severity,note\n1,,low,\n",
    );
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("msr::data::missing_value"),
        "{}",
        out.stderr
    );
}

#[test]
fn sources_may_not_leave_the_data_directory_unless_allowed() {
    let dir = temp_dir("escape");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(
        dir.join("outside.csv"),
        "id,opened_at,severity,note\n1,2025-09-01T00:00:00Z,low,\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("data/p.msr"),
        PROGRAMME.replace("incidents.csv", "../outside.csv"),
    )
    .unwrap();
    let p = dir.join("data/p.msr");
    let out = run(&p, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("msr::data::path_outside_data"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--allow-any-path"), "{}", out.stderr);
    assert_eq!(total(&run(&p, &["--allow-any-path"])), 1);
}

#[test]
fn the_data_directory_can_be_given_explicitly() {
    let p = setup(
        "data_dir",
        "incidents.csv",
        b"id,opened_at,severity,note\n1,2025-09-01T00:00:00Z,low,\n",
    );
    let elsewhere = temp_dir("data_dir_program");
    std::fs::copy(&p, elsewhere.join("p.msr")).unwrap();
    let data_dir = p.parent().unwrap().to_str().unwrap().to_string();
    assert_eq!(
        total(&run(&elsewhere.join("p.msr"), &["--data", &data_dir])),
        1
    );
}
