//! The `msr` binary as a user runs it: exit codes, output formats, and results checked
//! against values worked out by hand from tests/fixtures/tiny/incidents.csv.
//!
//! The fixture's September 2025 rows (ids 1–5; id 7 opened in August and id 6 in October):
//!
//! | id | opened           | resolved after | severity | unit    | cost  |
//! |----|------------------|----------------|----------|---------|-------|
//! | 1  | 09-01 08:00      | 12h            | low      | Finance | 100   |
//! | 2  | 09-02 08:00      | 96h            | high     | Finance | 250.5 |
//! | 3  | 09-10 00:00      | (open)         | critical | IT      |       |
//! | 4  | 09-15 12:00      | 24h            | medium   | IT      | 50    |
//! | 5  | 09-30 23:59:59   | 1h 0m 1s       | high     | HR      | 10    |

mod common;

use common::{msr, root, run_json, tiny};
use serde_json::Value;

fn measure<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["measures"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == name))
        .unwrap_or_else(|| panic!("no measure `{name}` in {json:#}"))
}

fn indicator<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["indicators"]
        .as_array()
        .and_then(|is| is.iter().find(|i| i["name"] == name))
        .unwrap_or_else(|| panic!("no indicator `{name}` in {json:#}"))
}

fn group<'a>(result: &'a Value, key: &str) -> &'a Value {
    result["groups"]
        .as_array()
        .and_then(|gs| gs.iter().find(|g| g["key"] == key))
        .unwrap_or_else(|| panic!("no group `{key}` in {result:#}"))
}

#[test]
fn september_counts_are_cut_to_the_half_open_period() {
    let json = run_json(&[&tiny(), "--period", "2025-09"]);
    assert_eq!(json["period"]["label"], "2025-09");
    assert_eq!(json["period"]["start"], "2025-09-01T00:00:00Z");
    assert_eq!(json["period"]["end"], "2025-10-01T00:00:00Z");
    assert_eq!(json["whole_data"], false);
    // Ids 1–5; id 5 opened one second before the end of September.
    assert_eq!(measure(&json, "incidents_total")["value"], 5);
    // High: 2 and 5; critical: 3.
    assert_eq!(measure(&json, "high_or_critical")["value"], 3);
    // Within 72h: 1 (12h), 4 (24h), 5 (1h); 2 took 96h and 3 is open.
    assert_eq!(measure(&json, "resolved_in_sla")["value"], 3);
    assert_eq!(measure(&json, "sla_rate")["value"], 0.6);
    assert_eq!(measure(&json, "sla_rate")["display"], "60%");
    assert_eq!(measure(&json, "sla_rate")["kind"], "derived");
    assert_eq!(measure(&json, "incidents_total")["kind"], "base");
}

#[test]
fn mean_and_percentile_of_durations_are_exact_and_report_skipped_values() {
    let json = run_json(&[&tiny(), "--period", "2025-09"]);
    // (12h + 96h + 24h + 1h0m1s) / 4 = 33h 15m 0.25s.
    let mttr = measure(&json, "mttr");
    assert_eq!(mttr["value"], 33.0 * 3600.0 + 15.0 * 60.0 + 0.25);
    assert_eq!(mttr["display"], "1d 9h 15m");
    assert_eq!(mttr["type"], "Duration");
    // The filter leaves out the open ticket, so nothing is skipped.
    assert_eq!(mttr["skipped"], 0);
    // Sorted 1h0m1s, 12h, 24h, 96h; rank 0.9 × 3 = 2.7 → 24h + 0.7 × 72h = 74.4h.
    let p90 = measure(&json, "p90_time_to_resolve");
    let expected = 74.4 * 3600.0;
    assert!(
        (p90["value"].as_f64().unwrap() - expected).abs() < 1e-6,
        "{p90}"
    );
    // Without a filter the open ticket has no duration and is skipped.
    assert_eq!(p90["skipped"], 1);
}

#[test]
fn sums_distinct_counts_and_ordinal_medians() {
    let json = run_json(&[&tiny(), "--period", "2025-09"]);
    assert_eq!(measure(&json, "total_cost")["value"], 410.5);
    assert_eq!(measure(&json, "total_cost")["skipped"], 1);
    assert_eq!(measure(&json, "units")["value"], 3);
    // low, medium, high, high, critical: the middle one is high.
    assert_eq!(measure(&json, "median_severity")["value"], "high");
}

#[test]
fn a_measure_can_place_rows_by_another_date_time_column() {
    let json = run_json(&[&tiny(), "--period", "2025-09"]);
    // Resolved in September: 1, 2, 4 and 7 (opened in August); 5 resolved on 1 October.
    assert_eq!(measure(&json, "resolved_in_period")["value"], 4);
}

#[test]
fn a_row_with_an_empty_period_column_is_in_no_period_even_without_one() {
    // Only id 3 is unresolved.
    let json = run_json(&[&tiny()]);
    assert_eq!(measure(&json, "resolved_in_period")["value"], 6);
}

#[test]
fn groups_add_up_to_the_total_when_rows_are_placed_by_another_column() {
    let json = run_json(&[&tiny(), "--period", "2025-09"]);
    // Resolved in September: 1, 2 and 4, opened in September, and 7, opened in August.
    let m = measure(&json, "resolved_by_open_month");
    assert_eq!(m["value"], 4);
    assert_eq!(group(m, "2025-09")["value"], 3);
    assert_eq!(group(m, "(outside the period)")["value"], 1);
    // Counting by the time column itself, no row lies outside, so no such group is shown.
    let monthly = measure(&json, "monthly");
    let keys: Vec<&str> = monthly["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["2025-09"]);
}

#[test]
fn a_name_declared_in_a_file_and_in_its_import_is_reported_in_the_importer() {
    let dir = common::temp_dir("duplicate_across_files");
    std::fs::write(
        dir.join("common.msr"),
        "// shared\nscale Severity = ordinal [low, high]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("main.msr"),
        "use \"common.msr\"\nscale Severity = ordinal [low, medium, high]\n",
    )
    .unwrap();
    let out = msr(&["check", dir.join("main.msr").to_str().unwrap()]);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("main.msr:2:7"), "{}", out.stderr);
    assert!(
        out.stderr.contains("common.msr` at line 2, column 7"),
        "{}",
        out.stderr
    );
}

#[test]
fn check_takes_each_file_as_a_programme_of_its_own() {
    let out = msr(&[
        "check",
        &common::root("examples/incidents/incidents.msr"),
        &common::root("examples/vulnerabilities/vulnerabilities.msr"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn grouped_results_list_every_group_with_a_total() {
    let json = run_json(&[&tiny(), "--period", "2025-09"]);
    let per_unit = measure(&json, "per_unit");
    assert_eq!(per_unit["group_by"], "business_unit");
    assert_eq!(per_unit["value"], 5);
    assert_eq!(group(per_unit, "Finance")["value"], 2);
    assert_eq!(group(per_unit, "HR")["value"], 1);
    assert_eq!(group(per_unit, "IT")["value"], 2);

    let sla = indicator(&json, "incident_sla");
    assert_eq!(sla["value"], 0.6);
    assert_eq!(sla["status"], "amber");
    assert_eq!(sla["target_met"], false);
    assert_eq!(sla["target"]["op"], ">=");
    assert_eq!(sla["target"]["value"], 0.9);
    assert_eq!(group(sla, "Finance")["value"], 0.5);
    assert_eq!(group(sla, "Finance")["status"], "amber");
    assert_eq!(group(sla, "HR")["status"], "green");
    assert_eq!(group(sla, "HR")["target_met"], true);
    assert_eq!(sla["facts"]["owner"], "Head of SOC");
    assert_eq!(sla["facts"]["controls"][1], "A.5.26");
    assert_eq!(sla["facts"]["frequency"]["report"], "quarterly");
}

#[test]
fn a_group_with_no_rows_in_the_period_still_appears() {
    // In October only id 6 (Finance) was opened; HR and IT have no rows.
    let json = run_json(&[&tiny(), "--period", "2025-10"]);
    let per_unit = measure(&json, "per_unit");
    assert_eq!(group(per_unit, "HR")["value"], 0);
    assert_eq!(group(per_unit, "IT")["value"], 0);
    let sla = indicator(&json, "incident_sla");
    // 0 of 0 is a division by zero: missing, and the status says so.
    let hr = group(sla, "HR");
    assert_eq!(hr["value"], Value::Null);
    assert_eq!(hr["missing"], "division by zero");
    assert_eq!(hr["status"], "insufficient data");
    assert_eq!(hr["target_met"], Value::Null);
}

#[test]
fn time_buckets_cover_the_period() {
    let json = run_json(&[&tiny(), "--period", "2025-Q3"]);
    let monthly = measure(&json, "monthly");
    let keys: Vec<&str> = monthly["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["2025-07", "2025-08", "2025-09"]);
    assert_eq!(group(monthly, "2025-08")["value"], 1);
    assert_eq!(group(monthly, "2025-09")["value"], 5);
    assert_eq!(monthly["value"], 6);
}

#[test]
fn without_a_period_the_whole_data_is_used_and_the_output_says_so() {
    let json = run_json(&[&tiny()]);
    assert_eq!(json["period"], Value::Null);
    assert_eq!(json["whole_data"], true);
    assert_eq!(measure(&json, "incidents_total")["value"], 7);
    let out = msr(&["run", &tiny()]);
    assert!(
        out.stdout.contains("the whole data is used"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_series_runs_every_period_from_one_to_another() {
    let json = run_json(&[
        &tiny(),
        "--from",
        "2025-08",
        "--to",
        "2025-10",
        "--every",
        "month",
    ]);
    let labels: Vec<&str> = json["series"]["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2025-08", "2025-09", "2025-10"]);
    assert_eq!(json["series"]["every"], "month");
    // Id 7 opened in August, ids 1–5 in September, id 6 in October.
    let totals: Vec<i64> = measure(&json, "incidents_total")["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_i64().unwrap())
        .collect();
    assert_eq!(totals, [1, 5, 1]);
    assert_eq!(
        json["datasets"][0]["rows_in_period"],
        serde_json::json!([1, 5, 1])
    );
}

#[test]
fn a_series_steps_by_the_reporting_frequency_the_indicators_state() {
    // The fixture's only indicator reports quarterly.
    let json = run_json(&[&tiny(), "--from", "2025-08", "--to", "2025-10"]);
    assert_eq!(json["series"]["every"], "quarter");
    let sla = &json["indicators"][0]["series"];
    assert_eq!(sla[0]["period"], "2025-Q3");
    assert_eq!(sla[1]["period"], "2025-Q4");
    // Q4 holds id 6 alone, resolved in a day.
    assert_eq!(sla[1]["value"], 1.0);
    assert_eq!(sla[1]["status"], "green");
}

#[test]
fn weeks_quarters_and_years_are_accepted_periods() {
    for (period, count) in [
        ("2025-W36", 2),
        ("2025-Q3", 6),
        ("2025", 7),
        ("2025-09-01", 1),
    ] {
        let json = run_json(&[&tiny(), "--period", period]);
        assert_eq!(
            measure(&json, "incidents_total")["value"],
            count,
            "{period}"
        );
    }
}

#[test]
fn table_output_shows_indicators_then_measures_with_groups() {
    let out = msr(&["run", &tiny(), "--period", "2025-09"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    assert!(text.starts_with("period 2025-09 [2025-09-01T00:00:00Z, 2025-10-01T00:00:00Z)"));
    assert!(text.contains("dataset incidents: 5 of 7 rows in the period"));
    let ind = text.find("INDICATOR").unwrap();
    let mea = text.find("MEASURE").unwrap();
    assert!(ind < mea);
    assert!(text.contains("incident_sla  60%"), "{text}");
    assert!(text.contains("  by business_unit"));
    let mttr = text.lines().find(|l| l.starts_with("mttr ")).unwrap();
    assert_eq!(
        mttr.split_whitespace().collect::<Vec<_>>(),
        ["mttr", "1d", "9h", "15m", "Duration", "base"]
    );
}

#[test]
fn csv_output_has_one_row_per_result() {
    let out = msr(&["run", &tiny(), "--period", "2025-09", "--format", "csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "kind");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let find = |kind: &str, name: &str, group: &str| {
        rows.iter()
            .find(|r| &r[0] == kind && &r[1] == name && &r[3] == group)
            .unwrap_or_else(|| panic!("no row {kind} {name} {group}"))
            .clone()
    };
    assert_eq!(&find("measure", "incidents_total", "")[4], "5");
    assert_eq!(&find("measure", "per_unit", "IT")[4], "2");
    let sla = find("indicator", "incident_sla", "HR");
    assert_eq!(&sla[9], "green");
    assert_eq!(&sla[11], "true");
    assert_eq!(&find("dataset", "incidents", "")[8], "0");
}

#[test]
fn fail_on_a_status_exits_with_4() {
    let out = msr(&["run", &tiny(), "--period", "2025-09", "--fail-on", "red"]);
    assert_eq!(out.code, 0, "no group is red in September");
    let out = msr(&["run", &tiny(), "--period", "2025-09", "--fail-on", "amber"]);
    assert_eq!(out.code, 4);
    let out = msr(&[
        "run",
        &tiny(),
        "--period",
        "2025-10",
        "--fail-on",
        "insufficient_data",
    ]);
    assert_eq!(out.code, 4);
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(msr(&["run", &tiny(), "--period", "2025-13"]).code, 2);
    assert_eq!(msr(&["run", &tiny(), "--format", "xml"]).code, 2);
    assert_eq!(msr(&["frobnicate"]).code, 2);
    assert_eq!(msr(&["run", &tiny(), "--from", "2025-01"]).code, 2);
    let out = msr(&["run", &tiny(), "--period", "2025-Q5"]);
    assert!(out.stderr.contains("Q1 to Q4"), "{}", out.stderr);
}

#[test]
fn check_exits_0_when_clean_and_3_with_all_errors_listed() {
    let out = msr(&["check", &tiny()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("no errors"));

    let dir = common::temp_dir("check_errors");
    let file = dir.join("bad.msr");
    std::fs::write(
        &file,
        "dataset d { source \"d.csv\"\n  t : DateTime }\nmeasure a : Count = count(dd)\nmeasure b : Count = totl\n",
    )
    .unwrap();
    let out = msr(&["check", file.to_str().unwrap()]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("msr::check::unknown_dataset"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("msr::check::unknown_name"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("bad.msr:3:"), "{}", out.stderr);
    assert!(out.stderr.contains("2 errors found"), "{}", out.stderr);

    let out = msr(&["check", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(out.code, 3);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["diagnostics"][0]["line"], 3);
    assert_eq!(
        json["diagnostics"][0]["code"],
        "msr::check::unknown_dataset"
    );

    // `run` checks first and refuses a programme with errors.
    assert_eq!(msr(&["run", file.to_str().unwrap()]).code, 3);
}

#[test]
fn imports_are_followed_relative_to_the_importing_file() {
    let dir = common::temp_dir("imports");
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(
        dir.join("lib/common.msr"),
        "scale Severity = ordinal [low, high]\ndataset d { source \"d.csv\"\n  s : Severity }\n",
    )
    .unwrap();
    std::fs::write(dir.join("d.csv"), "s\nlow\nhigh\nhigh\n").unwrap();
    std::fs::write(
        dir.join("main.msr"),
        "use \"lib/common.msr\"\nmeasure highs : Count = count(d where s = high)\n",
    )
    .unwrap();
    let json = run_json(&[dir.join("main.msr").to_str().unwrap()]);
    assert_eq!(measure(&json, "highs")["value"], 2);

    std::fs::write(dir.join("broken.msr"), "use \"nowhere.msr\"\n").unwrap();
    let out = msr(&["check", dir.join("broken.msr").to_str().unwrap()]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("msr::syntax::unreadable_import"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_standard_library_is_built_in() {
    let dir = common::temp_dir("stdlib");
    std::fs::write(dir.join("f.csv"), "score,sev\n9.8,critical\n5.0,medium\n").unwrap();
    std::fs::write(
        dir.join("main.msr"),
        "use \"std:scales.msr\"\ndataset f { source \"f.csv\"\n  score : Number\n  sev : CvssSeverity }\nmeasure severe : Count = count(f where sev >= high)\n",
    )
    .unwrap();
    let json = run_json(&[dir.join("main.msr").to_str().unwrap()]);
    assert_eq!(measure(&json, "severe")["value"], 1);

    std::fs::write(dir.join("bad.msr"), "use \"std:nothing.msr\"\n").unwrap();
    let out = msr(&["check", dir.join("bad.msr").to_str().unwrap()]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("no such file in the standard library"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("`std:scales.msr`"), "{}", out.stderr);
}

#[test]
fn grouping_by_two_keys_lists_every_combination() {
    let json = run_json(&[&tiny(), "--period", "2025-09"]);
    let m = measure(&json, "per_unit_and_severity");
    assert_eq!(m["group_by"], "business_unit, severity");
    let groups = m["groups"].as_array().unwrap();
    // Three units (every value in the data) times four severities.
    assert_eq!(groups.len(), 12);
    assert_eq!(groups[0]["key"], "Finance / low");
    let count = |key: &str| group(m, key)["value"].as_i64().unwrap();
    // September: 1 low and 2 high in Finance, 5 high in HR, 4 medium and 3 critical in IT.
    assert_eq!(count("Finance / low"), 1);
    assert_eq!(count("Finance / high"), 1);
    assert_eq!(count("HR / high"), 1);
    assert_eq!(count("IT / critical"), 1);
    assert_eq!(count("IT / low"), 0);
    let total: i64 = groups.iter().map(|g| g["value"].as_i64().unwrap()).sum();
    assert_eq!(total, 5);
}

#[test]
fn check_template_warns_about_template_entries_left_out_and_deny_warnings_fails() {
    let dir = common::temp_dir("check-template");
    let file = dir.join("volume.msr");
    std::fs::write(
        &file,
        "dataset incidents {\n  source \"incidents.csv\"\n  time opened_at\n  opened_at : DateTime\n}\n\
         measure incidents_total : Count = count(incidents)\n\
         indicator incident_volume \"Incidents opened\" {\n  value incidents_total\n  \
         owner \"CISO\"\n  frequency collect monthly\n}\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();

    // Without --template the programme is fine.
    let plain = msr(&["check", file, "--deny-warnings"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);

    let out = msr(&["check", file, "--template"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The words of the report, without the wrapping of long lines.
    let words = out
        .stderr
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("msr::check::template"), "{}", out.stderr);
    assert!(
        words.contains(
            "indicator `incident_volume` leaves out 12 entries of the measurement template: \
             identifier, information need, measure type, target, decision criteria, \
             implementation evidence, reporting frequency, information collector, information \
             customer, data source, reporting format, related controls"
        ),
        "{}",
        out.stderr
    );
    assert!(words.contains("volume.msr:7:11"), "{}", out.stderr);
    assert!(words.contains("no errors"), "{}", out.stderr);

    let denied = msr(&["check", file, "--template", "--deny-warnings"]);
    assert_eq!(denied.code, 3, "{}", denied.stderr);
    assert!(denied
        .stderr
        .contains("1 warning found, which --deny-warnings fails on"));

    let json = msr(&["check", file, "--template", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["diagnostics"][0]["code"], "msr::check::template");
    assert_eq!(json["diagnostics"][0]["severity"], "warning");
}

#[test]
fn the_catalogue_and_the_isms_programme_fill_in_the_whole_template() {
    let out = msr(&[
        "check",
        "--template",
        "--deny-warnings",
        &root("stdlib/catalogue/all.msr"),
        &root("examples/isms/isms.msr"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn periods_after_the_last_row_of_the_data_are_named_in_a_warning() {
    // The tiny fixture's last incident opens on 1 October 2025.
    let out = msr(&["run", &tiny(), "--period", "2025-11"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let words = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("msr::data::after_data"), "{}", out.stderr);
    assert!(
        words.contains(
            "dataset `incidents` holds no row after 2025-10-01T00:00:00Z, before period 2025-11 begins"
        ),
        "{}",
        out.stderr
    );
    assert!(words.contains("tiny.msr:"), "{}", out.stderr);

    // A series names every period after the data in one warning, in the JSON too.
    let json = run_json(&[
        &tiny(),
        "--from",
        "2025-09",
        "--to",
        "2026-01",
        "--every",
        "month",
    ]);
    let warnings: Vec<&Value> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "msr::data::after_data")
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0]["message"]
        .as_str()
        .unwrap()
        .ends_with("before periods 2025-11, 2025-12 and 2026-01 begin"));

    // A period the data reaches into says nothing.
    let out = msr(&["run", &tiny(), "--period", "2025-10"]);
    assert!(!out.stderr.contains("after_data"), "{}", out.stderr);
}

#[test]
fn any_number_of_threads_gives_the_same_results() {
    let all = run_json(&[&tiny(), "--period", "2025-09"]);
    for threads in ["1", "3"] {
        let out = msr(&[
            "run",
            &tiny(),
            "--period",
            "2025-09",
            "--format",
            "json",
            "--threads",
            threads,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let json: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(json, all, "--threads {threads}");
    }
    let out = msr(&["run", &tiny(), "--threads", "0"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}
