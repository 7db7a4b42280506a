//! `msr explain` as a user runs it, on the tiny fixture whose September 2025 rows are worked
//! out by hand in tests/cli.rs: the tree of a computation in text and JSON, one group of a
//! grouped value, and the rows behind a value as CSV, which must account for the value.

use std::process::Command;

mod common;

/// Runs `msr explain ARGS` from the crate root, so that files are named as given.
fn explain(args: &[&str]) -> common::Output {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    common::msr_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &all)
}

const TINY: &str = "tests/fixtures/tiny/tiny.msr";

#[test]
fn an_indicator_is_explained_down_to_its_aggregates() {
    let out = explain(&[TINY, "incident_sla", "--period", "2025-09"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("indicator_tree", out.stdout);
}

#[test]
fn one_group_is_explained_with_its_own_rows() {
    let out = explain(&[TINY, "incident_sla", "--period", "2025-09", "--group", "IT"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("group_tree", out.stdout);
}

#[test]
fn json_carries_unit_criterion_target_and_row_counts() {
    let out = explain(&[
        TINY,
        "incident_sla",
        "--period",
        "2025-09",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["kind"], "indicator");
    assert_eq!(json["status"], "amber");
    assert_eq!(json["target_met"], false);
    assert_eq!(json["period"], "2025-09");
    assert!(json["criterion"]
        .as_str()
        .unwrap()
        .contains("amber when value >= 50%"));
    let rate = &json["inputs"][0];
    assert_eq!(rate["name"], "sla_rate");
    assert_eq!(rate["type"], "Percent");
    let resolved = &rate["inputs"][0]["inputs"][0];
    assert_eq!(resolved["kind"], "aggregate");
    assert_eq!(resolved["dataset"], "incidents");
    assert_eq!(resolved["rows_read"], 5);
    assert_eq!(resolved["rows_matched"], 3);
    assert_eq!(
        resolved["filter"],
        "resolved_at is not none and resolved_at - opened_at <= 72h"
    );
    assert_eq!(rate["inputs"][0]["unit"], "incident");
}

#[test]
fn the_rows_behind_a_mean_are_its_file_lines_and_keys() {
    let out = explain(&[TINY, "mttr", "--period", "2025-09", "--rows"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("mttr_rows", out.stdout);
}

/// The rows of a CSV text, without its header.
fn records(csv: &str) -> Vec<csv_row::Row> {
    csv_row::parse(csv)
}

mod csv_row {
    /// One record of the evidence CSV, by its fixed columns.
    #[derive(Debug)]
    pub struct Row {
        pub line: String,
        pub outcome: String,
    }

    pub fn parse(csv: &str) -> Vec<Row> {
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        reader
            .records()
            .map(|r| {
                let r = r.expect("valid CSV");
                Row {
                    line: r[3].to_string(),
                    outcome: r[4].to_string(),
                }
            })
            .collect()
    }
}

#[test]
fn counted_rows_account_for_every_count() {
    // Each count of the tiny programme in September, and the rows behind it.
    for (measure, value) in [
        ("incidents_total", 5),
        ("high_or_critical", 3),
        ("resolved_in_sla", 3),
        ("resolved_in_period", 4),
    ] {
        let out = explain(&[TINY, measure, "--period", "2025-09", "--rows"]);
        assert_eq!(out.code, 0, "{measure}: {}", out.stderr);
        let rows = records(&out.stdout);
        let counted = rows.iter().filter(|r| r.outcome == "counted").count();
        assert_eq!(counted, value, "{measure}:\n{}", out.stdout);
        assert!(rows
            .iter()
            .all(|r| r.line.parse::<u32>().is_ok_and(|l| l >= 2)));
    }
}

#[test]
fn skipped_and_excepted_rows_are_listed_as_such() {
    let dir = common::temp_dir("explain-evidence");
    std::fs::write(
        dir.join("p.msr"),
        r#"dataset findings {
  source "findings.csv"
  time found_at
  id       : Text
  found_at : DateTime
  cost     : Number?
  waived   : Bool
}
measure cost : Number = sum(cost for findings except waived)
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("findings.csv"),
        "id,found_at,cost,waived\nF1,2025-09-01T00:00:00Z,10,false\nF2,2025-09-02T00:00:00Z,,false\n\
         F3,2025-09-03T00:00:00Z,99,true\nF4,2025-08-03T00:00:00Z,5,false\n",
    )
    .unwrap();
    let file = dir.join("p.msr");
    let out = explain(&[
        file.to_str().unwrap(),
        "cost",
        "--period",
        "2025-09",
        "--rows",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = records(&out.stdout);
    let seen: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.line.as_str(), r.outcome.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("2", "counted"),
            ("3", "skipped (missing value)"),
            ("4", "excepted")
        ]
    );
    let tree = explain(&[file.to_str().unwrap(), "cost", "--period", "2025-09"]);
    assert!(
        tree.stdout
            .contains("3 rows of findings read, 1 excepted, 1 skipped (missing value)"),
        "{}",
        tree.stdout
    );
}

#[test]
fn mistakes_are_usage_errors_that_say_what_there_is() {
    let out = explain(&[TINY, "incident_sl"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `incident_sla`?"),
        "{}",
        out.stderr
    );

    let out = explain(&[
        TINY,
        "incident_sla",
        "--period",
        "2025-09",
        "--group",
        "Legal",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("its groups are Finance, HR, IT"),
        "{}",
        out.stderr
    );

    let out = explain(&[TINY, "mttr", "--group", "IT"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`mttr` is not grouped"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_msr"))
        .args(["explain", TINY, "mttr", "--rows"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the msr binary runs");
    // Read nothing and close the pipe before msr writes.
    drop(child.stdout.take());
    let status = child.wait().expect("msr ends");
    let mut stderr = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0));
}

const COMPOSITE: &str = "tests/fixtures/composite/composite.msr";

#[test]
fn a_minimum_over_groups_shows_the_group_that_gave_it_first() {
    // tests/composite.rs works the assets out by hand: a1 3 of 3, a2 1 of 2, a3 3 of 4.
    let out = explain(&[COMPOSITE, "weakest_asset"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("minimum_over_groups", out.stdout);

    let out = explain(&[COMPOSITE, "asset_compliance", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let mean = &json["inputs"][0];
    assert_eq!(mean["kind"], "over_groups");
    assert_eq!(mean["over"]["by"], "asset");
    assert_eq!(mean["over"]["groups"], 3);
    assert_eq!(mean["value"], 0.75);
    let groups: Vec<(&str, f64)> = mean["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["name"].as_str().unwrap(), g["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(groups, [("a1", 1.0), ("a2", 0.5), ("a3", 0.75)]);
    assert_eq!(
        mean["inputs"][2]["inputs"][0]["inputs"][0]["rows_matched"],
        3
    );

    // The rows behind the mean are those of every asset: the nine applications that
    // `count(apps)` counts, and the 3 + 1 + 3 compliant ones.
    let out = explain(&[COMPOSITE, "asset_compliance", "--rows"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(records(&out.stdout).len(), 9 + 7, "{}", out.stdout);
}

#[test]
fn many_groups_show_the_first_ten_and_say_how_many_there_are() {
    let dir = common::temp_dir("explain-many-groups");
    let programme = std::fs::read_to_string(common::root(COMPOSITE)).unwrap();
    std::fs::write(dir.join("composite.msr"), programme).unwrap();
    for file in ["staff.csv", "policies.csv"] {
        std::fs::copy(
            common::root(&format!("tests/fixtures/composite/{file}")),
            dir.join(file),
        )
        .unwrap();
    }
    // Twelve assets; the eighth has no compliant application, so it is the weakest.
    let mut apps = String::from("asset,up_to_date,exception\n");
    for k in 1..=12 {
        let ok = if k == 8 { "false" } else { "true" };
        apps.push_str(&format!("host{k:02},{ok},false\n"));
    }
    std::fs::write(dir.join("apps.csv"), apps).unwrap();
    let file = dir.join("composite.msr");
    let out = common::msr(&["explain", file.to_str().unwrap(), "weakest_asset"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("over 12 groups of asset; the first 10 shown"),
        "{}",
        out.stdout
    );
    let groups: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.split("group ").nth(1))
        .collect();
    assert_eq!(groups.len(), 10, "{}", out.stdout);
    assert!(groups[0].starts_with("host08 = 0%"), "{}", out.stdout);
}
