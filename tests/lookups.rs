//! Lookup tables as a user runs them: results of tests/fixtures/lookups/findings.msr checked
//! against values worked out by hand.
//!
//! The fixture's ten findings, with how long each took to mitigate and the deadline of its
//! severity (critical 7d, high 30d, medium 90d, low 180d):
//!
//! | id | detected   | severity | team   | took       | in time |
//! |----|------------|----------|--------|------------|---------|
//! | 1  | 2025-01-02 | critical | web    | 3d         | yes     |
//! | 2  | 2025-01-03 | critical | db     | 12d        | no      |
//! | 3  | 2025-01-05 | critical | web    | 1d         | yes     |
//! | 4  | 2025-01-10 | high     | web    | 22d        | yes     |
//! | 5  | 2025-01-12 | high     | mobile | 2d         | yes     |
//! | 6  | 2025-01-20 | high     | db     | still open | no      |
//! | 7  | 2025-02-01 | medium   | db     | 120d       | no      |
//! | 8  | 2025-02-03 | medium   | web    | 26d        | yes     |
//! | 9  | 2025-02-10 | low      | mobile | still open | no      |
//! | 10 | 2025-02-14 | low      | web    | 76d        | yes     |
//!
//! Web findings belong to AppSec and db findings to the data platform; mobile findings have
//! no owner in the lookup.

mod common;

use common::{msr, root, run_json, temp_dir};
use serde_json::{json, Value};

const DAY: f64 = 86_400.0;

fn fixture() -> String {
    root("tests/fixtures/lookups/findings.msr")
}

fn measure<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["measures"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == name))
        .unwrap_or_else(|| panic!("no measure `{name}`"))
}

/// The value of each group of a grouped measure, by key.
fn groups(json: &Value, name: &str) -> Vec<(String, Value)> {
    measure(json, name)["groups"]
        .as_array()
        .expect("a grouped measure has groups")
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap_or_default().to_string(),
                g["value"].clone(),
            )
        })
        .collect()
}

#[test]
fn findings_are_counted_in_time_by_the_deadline_of_their_own_severity() {
    let json = run_json(&[&fixture()]);
    // In time: 1 and 3 (critical), 4 and 5 (high), 8 (medium), 10 (low).
    assert_eq!(measure(&json, "found")["value"], 10);
    assert_eq!(measure(&json, "mitigated_in_time")["value"], 6);
    assert_eq!(measure(&json, "in_time_rate")["value"], 0.6);
    let sla = &json["indicators"][0];
    assert_eq!(
        (sla["status"].clone(), sla["target_met"].clone()),
        (json!("amber"), json!(false))
    );
}

#[test]
fn counts_per_severity_follow_the_deadline_of_each() {
    let json = run_json(&[&fixture()]);
    let key = |k: &str, v: i64| (k.to_string(), json!(v));
    assert_eq!(
        groups(&json, "found_by_severity"),
        [
            key("low", 2),
            key("medium", 2),
            key("high", 3),
            key("critical", 3)
        ]
    );
    // Low: 10 (76d of 180d); medium: 8 (26d of 90d); high: 4 and 5; critical: 1 and 3.
    assert_eq!(
        groups(&json, "in_time_by_severity"),
        [
            key("low", 1),
            key("medium", 1),
            key("high", 2),
            key("critical", 2)
        ]
    );
}

#[test]
fn a_key_without_an_entry_leaves_its_row_out_of_a_filter() {
    let json = run_json(&[&fixture()]);
    // Only critical (1d) and high (3d) have an escalation deadline: 3 took 1d and 5 took 2d;
    // the medium and low findings have none, so their comparison never holds.
    assert_eq!(measure(&json, "escalated_in_time")["value"], 2);
    // Web findings belong to AppSec: 1, 3, 4, 8 and 10. Mobile has no owner: 5 and 9.
    assert_eq!(measure(&json, "owned_by_appsec")["value"], 5);
    assert_eq!(measure(&json, "without_owner")["value"], 2);
}

#[test]
fn values_of_a_lookup_are_summed_like_any_other() {
    let json = run_json(&[&fixture()]);
    // Open findings: 6 (high, weight 5) and 9 (low, weight 1).
    assert_eq!(measure(&json, "weighted_open")["value"], 6.0);
}

#[test]
fn a_lookup_takes_a_measure_or_a_literal_outside_rows() {
    let json = run_json(&[&fixture()]);
    // Ten severities, sorted: low, low, medium, medium, high, high, high, critical x3; the
    // lower middle value is high, whose deadline is 30 days.
    assert_eq!(measure(&json, "typical_severity")["value"], "high");
    assert_eq!(measure(&json, "deadline_of_typical")["value"], 30.0 * DAY);
    assert_eq!(measure(&json, "strictest_deadline")["value"], 7.0 * DAY);
    let mobile = measure(&json, "owner_of_mobile");
    assert_eq!(mobile["value"], Value::Null);
    assert_eq!(mobile["missing"], "no entry for the key");
}

#[test]
fn in_a_period_only_its_findings_are_looked_up() {
    let json = run_json(&[&fixture(), "--period", "2025-02"]);
    // February: 7 (medium, late), 8 (medium, in time), 9 (low, open), 10 (low, in time).
    assert_eq!(measure(&json, "found")["value"], 4);
    assert_eq!(measure(&json, "mitigated_in_time")["value"], 2);
    assert_eq!(json["indicators"][0]["status"], "amber");
    // Low, low, medium, medium: the lower middle is low, whose deadline is 180 days.
    assert_eq!(measure(&json, "typical_severity")["value"], "low");
    assert_eq!(measure(&json, "deadline_of_typical")["value"], 180.0 * DAY);
    assert_eq!(measure(&json, "escalated_in_time")["value"], 0);
}

#[test]
fn a_lookup_that_leaves_categories_out_warns_and_still_runs() {
    let dir = temp_dir("lookups-partial");
    let programme = dir.join("partial.msr");
    let text = std::fs::read_to_string(fixture())
        .expect("the fixture is readable")
        .replace("  medium   = 90d\n  low      = 180d\n", "");
    std::fs::write(&programme, text).expect("the programme is written");
    std::fs::copy(
        root("tests/fixtures/lookups/findings.csv"),
        dir.join("findings.csv"),
    )
    .expect("the data is copied");
    let path = programme.to_string_lossy().to_string();

    let check = msr(&["check", &path]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let all = format!("{}{}", check.stdout, check.stderr);
    assert!(all.contains("msr::check::incomplete_lookup"), "{all}");
    assert!(
        all.contains("lookup `remediation_deadline` has no entry for `low` and `medium`"),
        "{all}"
    );

    // Without their deadlines, 8 and 10 are no longer in time: 1, 3, 4 and 5 remain.
    let json = run_json(&[&path]);
    assert_eq!(measure(&json, "mitigated_in_time")["value"], 4);
    let _ = std::fs::remove_dir_all(&dir);
}
