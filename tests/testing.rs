//! `msr test` as a user runs it: suites that pass, a suite whose every test fails in its own
//! way (its report is a snapshot), selection with `--filter`, JSON for pipelines, and the
//! exit codes.

mod common;

const SUITES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/suites");

/// Runs `msr ARGS` from the suites folder, so that the report names files as given.
fn msr_in_suites(args: &[&str]) -> common::Output {
    common::msr_in(std::path::Path::new(SUITES), args)
}

#[test]
fn passing_suites_pass_and_say_so() {
    let out = msr_in_suites(&["test", "pass/incidents.msr", "pass/imports.msr"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out
        .stdout
        .contains("pass/incidents.msr\n  ok    half of the incidents met the deadline"));
    assert!(out
        .stdout
        .contains("pass/imports.msr\n  ok    an asset inventory is a snapshot"));
    assert!(
        out.stdout.ends_with("12 passed, 0 failed\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn tests_of_imported_files_do_not_run_with_the_importer() {
    let out = msr_in_suites(&["test", "pass/imports.msr"]);
    assert!(!out.stdout.contains("the importer does not run this test"));
    // Run on its own, the imported file's test runs, and fails: it expects 99 assets.
    let own = msr_in_suites(&["test", "pass/common/shared.msr"]);
    assert_eq!(own.code, 1);
    assert!(own
        .stdout
        .contains("FAIL  the importer does not run this test"));
}

#[test]
fn failing_tests_show_a_diff_for_each_failure() {
    let out = msr_in_suites(&["test", "fail/mistakes.msr"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.ends_with("1 passed, 3 failed\n"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("failing_suite", out.stdout);
}

#[test]
fn json_output_carries_each_failure() {
    let out = msr_in_suites(&["test", "fail/mistakes.msr", "--format", "json"]);
    assert_eq!(out.code, 1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["passed"], 1);
    assert_eq!(json["failed"], 3);
    let first = &json["tests"][0];
    assert_eq!(first["name"], "values that differ");
    assert_eq!(first["passed"], false);
    let failure = &first["failures"][0];
    assert_eq!(failure["expectation"], "expect resolved_rate = 66%");
    assert_eq!(failure["expected"], "66%");
    assert_eq!(failure["actual"], "66.67%");
    assert_eq!(failure["line"], 35);
    let cell = &json["tests"][1]["failures"][0]["diagnostics"][0];
    assert_eq!(cell["code"], "msr::data::bad_value");
}

#[test]
fn filter_selects_tests_by_name() {
    let out = msr_in_suites(&["test", "fail/mistakes.msr", "--filter", "passing"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        out.stdout,
        "fail/mistakes.msr\n  ok    a passing test among failing ones\n1 passed, 0 failed\n"
    );
    let none = msr_in_suites(&["test", "fail/mistakes.msr", "--filter", "no such test"]);
    assert_eq!(none.code, 0);
    assert_eq!(none.stdout, "0 passed, 0 failed\n");
    assert_eq!(
        none.stderr,
        "fail/mistakes.msr: no test's name contains `no such test`\n"
    );
}

#[test]
fn a_programme_with_errors_runs_no_tests_and_exits_3() {
    let dir = common::temp_dir("test-check-failure");
    let file = dir.join("broken.msr");
    std::fs::write(
        &file,
        "measure m : Count = count(nothing)\ntest \"t\" { expect m = 0 }\n",
    )
    .unwrap();
    let out = common::msr(&["test", file.to_str().unwrap()]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("msr::check::unknown_dataset"),
        "{}",
        out.stderr
    );
    assert!(out
        .stderr
        .contains("the tests of files with errors did not run"));
}

/// The passing incidents suite, as `text`, with its fixture file, in `dir`.
fn write_suite(dir: &std::path::Path, text: &str) {
    std::fs::write(dir.join("incidents.msr"), text).unwrap();
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    std::fs::copy(
        format!("{SUITES}/pass/fixtures/incidents.csv"),
        dir.join("fixtures/incidents.csv"),
    )
    .unwrap();
}

#[test]
fn a_test_fails_when_the_programme_changes_under_it() {
    // The passing suite, with one measure's filter changed: the test that pins the measure
    // now fails, which is what tests are for.
    let dir = common::temp_dir("test-regression");
    let text = std::fs::read_to_string(format!("{SUITES}/pass/incidents.msr")).unwrap();
    let changed = text.replace("<= 72h)", "<= 12h)");
    assert_ne!(text, changed);
    write_suite(&dir, &changed);
    let out = common::msr(&["test", dir.join("incidents.msr").to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out
        .stdout
        .contains("FAIL  half of the incidents met the deadline"));
    assert!(out
        .stdout
        .contains("expect sla_rate = 50%\n          - expected 50%\n          + actual   0%"));
}

#[test]
fn a_tests_zone_and_instant_change_what_it_sees() {
    // Without its zone, the first test counts September in UTC; seen an hour and a half
    // later, the second sees one more incident. Both then fail.
    let dir = common::temp_dir("test-clock");
    let text = std::fs::read_to_string(format!("{SUITES}/pass/incidents.msr")).unwrap();
    let changed = text
        .replace(
            "  period 2025-09\n  zone   \"Europe/Berlin\"\n  given",
            "  period 2025-09\n  given",
        )
        .replace("as_of  2025-09-15T12:00:00", "as_of  2025-09-15T13:30:00");
    assert_eq!(
        text.len() - changed.len(),
        "  zone   \"Europe/Berlin\"\n".len()
    );
    write_suite(&dir, &changed);
    let out = common::msr(&[
        "test",
        dir.join("incidents.msr").to_str().unwrap(),
        "--filter",
        "the test's time zone",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains(
        "expect incidents_detected = 0 in 2025-08\n          - expected 0\n          + actual   1"
    ));
    let out = common::msr(&[
        "test",
        dir.join("incidents.msr").to_str().unwrap(),
        "--filter",
        "as it stood",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out
        .stdout
        .contains("expect incidents_detected = 2\n          - expected 2\n          + actual   3"));
}

#[test]
fn coverage_lists_what_the_tests_do_not_reach() {
    // The zone test expects only the count of incidents: every other measure and the
    // indicator go unreached, each named with its place.
    let out = msr_in_suites(&[
        "test",
        "pass/incidents.msr",
        "--coverage",
        "--filter",
        "time zone",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("coverage_of_one_test", out.stdout);

    // The empty period's test expects the count, the rate, the mean time and the status:
    // the rate reaches the count resolved in time through its division.
    let out = msr_in_suites(&[
        "test",
        "pass/incidents.msr",
        "--coverage",
        "--format",
        "json",
        "--filter",
        "an empty period",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let coverage = &json["coverage"];
    assert_eq!(coverage["indicators"]["reached"], 1);
    assert_eq!(coverage["measures"]["total"], 9);
    let not_reached: Vec<&str> = coverage["measures"]["not_reached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        not_reached,
        [
            "by_unit",
            "by_unit_and_severity",
            "worst",
            "total_cost",
            "change_in_incidents"
        ]
    );
}

#[test]
fn coverage_of_several_files_counts_each_declaration_once() {
    // The catalogue's modules, each with its own tests, and `all.msr`, which has none and
    // imports them all: every measure and indicator once, all reached.
    let modules: Vec<String> = std::fs::read_dir(common::root("stdlib/catalogue"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".msr"))
        .collect();
    let mut args = vec!["test", "--coverage", "--format", "json"];
    args.extend(modules.iter().map(String::as_str));
    let out = common::msr(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["coverage"]["indicators"]["total"], 28);
    assert_eq!(json["coverage"]["indicators"]["reached"], 28);
    assert_eq!(
        json["coverage"]["measures"]["reached"],
        json["coverage"]["measures"]["total"]
    );
}
