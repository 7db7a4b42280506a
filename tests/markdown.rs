//! `msr run --format markdown` as a user runs it: the report of a period and of a series,
//! with the same values and statuses as the JSON report, and user texts escaped.

mod common;

use common::{msr, root, run_json};

fn markdown(args: &[&str]) -> String {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend(["--format", "markdown"]);
    let out = msr(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn a_period_report_of_the_tiny_fixture() {
    let tiny = root("tests/fixtures/tiny/tiny.msr");
    let text = markdown(&[&tiny, "--period", "2025-09"]);
    // The fixture's path differs from machine to machine; the rest does not.
    let text = text.replace(&tiny.replace("tiny.msr", ""), "");
    insta::assert_snapshot!("tiny_period", text);
}

#[test]
fn every_indicator_and_group_of_the_isms_example_has_its_status() {
    let isms = root("examples/isms/isms.msr");
    let text = markdown(&[&isms, "--period", "2025-Q3"]);
    let json = run_json(&[&isms, "--period", "2025-Q3"]);
    for i in json["indicators"].as_array().unwrap() {
        let name = i["name"].as_str().unwrap();
        let status = i["status"].as_str().unwrap();
        let row = text
            .lines()
            .find(|l| l.contains(&format!("(`{name}`)")))
            .unwrap_or_else(|| panic!("no row for {name}"));
        assert!(row.ends_with(&format!("**{status}** |")), "{row}");
        for g in i["groups"].as_array().unwrap() {
            let key = g["key"].as_str().unwrap().replace('_', "\\_");
            let status = g["status"].as_str().unwrap_or("no band holds");
            let section = text
                .split(&format!("### `{name}` by"))
                .nth(1)
                .unwrap_or_else(|| panic!("no groups of {name}"));
            assert!(
                section.lines().any(|l| l.starts_with(&format!("| {key} |"))
                    && l.ends_with(&format!("**{status}** |"))),
                "{name} / {key}"
            );
        }
    }
    // Every table row has as many cells as its header.
    let mut columns = 0;
    for line in text.lines() {
        if !line.starts_with('|') {
            columns = 0;
            continue;
        }
        let cells = line.replace("\\|", "").matches('|').count();
        if columns == 0 {
            columns = cells;
        }
        assert_eq!(cells, columns, "{line}");
    }
}

#[test]
fn a_series_has_a_column_per_period() {
    let isms = root("examples/isms/isms.msr");
    let text = markdown(&[
        &isms, "--from", "2025-10", "--to", "2025-12", "--every", "month",
    ]);
    assert!(text.starts_with("# Measurement report: 2025-10 to 2025-12\n"));
    assert!(text.contains("| Indicator | 2025-10 | 2025-11 | 2025-12 |\n|---|---|---|---|\n"));
    assert!(text.contains("In 2025-12: **29 indicators:**"), "{text}");
}

#[test]
fn user_texts_cannot_break_a_table_or_start_markup() {
    let dir = common::temp_dir("markdown-escape");
    std::fs::write(
        dir.join("p.msr"),
        "dataset tickets {\n  source \"t.csv\"\n  unit : Text\n}\n\
         measure total : Count = count(tickets)\n\
         indicator volume \"Tickets | <b>all</b> *teams*\" {\n  value total\n  \
         criteria { green when value >= 0 }\n  by unit\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("t.csv"), "unit\n\"R|D <x>\"\n").unwrap();
    let text = markdown(&[dir.join("p.msr").to_str().unwrap()]);
    assert!(
        text.contains("Tickets \\| \\<b\\>all\\</b\\> \\*teams\\* (`volume`)"),
        "{text}"
    );
    assert!(text.contains("| R\\|D \\<x\\> |"), "{text}");
    assert!(!text.contains("<b>"), "{text}");
}
