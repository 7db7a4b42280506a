//! Relations between datasets as a user runs them: the results of
//! tests/fixtures/relations/relations.msr checked against values worked out by hand.
//!
//! The fixture's data:
//!
//! - assets (a snapshot): A1 web01 alice internet-facing, A2 db01 bob, A3 mail01 alice
//!   internet-facing, A4 without a host name (carol), A5 files01 bob, A6 files01 dave;
//! - findings, placed in periods by `found_at`: in September F1 (A1, CVSS 9.8, open), F2 (A1,
//!   5.0, open), F3 (A2, 7.5, closed), F5 (no asset, 8.0, open), F6 (A9, which the inventory
//!   lacks, 9.0, open), F7 (A5, 6.5, open), F8 (A2, 7.2, open, on the 28th); in October F4
//!   (A3, 7.0, open) and F9 (A2, 4.0, open);
//! - discovered hosts (a snapshot): web01, db01, printer7, cam03, files01 and one without a
//!   name.

mod common;

use common::{root, run_json, temp_dir};
use serde_json::{json, Value};

fn relations() -> String {
    root("tests/fixtures/relations/relations.msr")
}

fn measure<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["measures"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == name))
        .unwrap_or_else(|| panic!("no measure `{name}`"))
}

fn value(json: &Value, name: &str) -> Value {
    measure(json, name)["value"].clone()
}

fn skipped(json: &Value, name: &str) -> Value {
    measure(json, name)["skipped"].clone()
}

#[test]
fn not_exists_counts_rows_without_a_related_row_in_the_period() {
    // September's open findings of CVSS 7 or more: F1 on A1, F6 on A9 and F8 on A2 (F3 is
    // closed, F7 below 7, F5 has no asset). So A3, A4, A5 and A6 are clean.
    let september = run_json(&[&relations(), "--period", "2025-09"]);
    assert_eq!(value(&september, "clean_assets"), json!(4));
    // October's only one is F4 on A3: every other asset is clean. The findings of
    // September are outside October, so they relate to nothing there.
    let october = run_json(&[&relations(), "--period", "2025-10"]);
    assert_eq!(value(&october, "clean_assets"), json!(5));
    // Over the whole data: F1, F4, F6 and F8 leave A4, A5 and A6.
    let whole = run_json(&[&relations()]);
    assert_eq!(value(&whole, "clean_assets"), json!(3));
}

#[test]
fn inventory_against_discovery_gives_both_differences_and_the_intersection() {
    let json = run_json(&[&relations(), "--period", "2025-09"]);
    // Discovered but not inventoried: printer7, cam03, and the host without a name, whose
    // missing key matches nothing.
    assert_eq!(value(&json, "unknown_hosts"), json!(3));
    assert_eq!(value(&json, "unknown_named_hosts"), json!(2));
    // In both: web01, db01, files01.
    assert_eq!(value(&json, "known_hosts"), json!(3));
    // Inventoried but not discovered: A3 (mail01), and A4, whose host name is missing.
    assert_eq!(value(&json, "unseen_assets"), json!(2));
}

#[test]
fn a_missing_key_matches_nothing_on_either_side() {
    let json = run_json(&[&relations(), "--period", "2025-09"]);
    // F5 has no asset and F6's asset is not inventoried: neither has a related asset.
    assert_eq!(value(&json, "orphan_findings"), json!(2));
    // F5, with no key, is not related to anything, so it cannot make an asset unclean
    // either: clean_assets counted A4 (no host name, no findings) among the clean ones.
    assert_eq!(value(&json, "clean_assets"), json!(4));
}

#[test]
fn related_reads_a_column_of_the_one_related_row() {
    let september = run_json(&[&relations(), "--period", "2025-09"]);
    // F1 and F2 are on A1, internet-facing and alice's; F3 and F8 on A2 and F7 on A5 are
    // not; F5 and F6 have no related asset, so their condition is missing, not true.
    assert_eq!(value(&september, "exposed_findings"), json!(2));
    assert_eq!(value(&september, "alice_findings"), json!(2));
    // Owners alice (A1) and bob (A2, A5); F5 and F6 have none and are skipped.
    assert_eq!(value(&september, "finding_owners"), json!(2));
    assert_eq!(skipped(&september, "finding_owners"), json!(2));

    let october = run_json(&[&relations(), "--period", "2025-10"]);
    // F4 on A3 (internet-facing, alice's) and F9 on A2 (bob's).
    assert_eq!(value(&october, "exposed_findings"), json!(1));
    assert_eq!(value(&october, "alice_findings"), json!(1));
    assert_eq!(value(&october, "finding_owners"), json!(2));
    assert_eq!(skipped(&october, "finding_owners"), json!(0));
}

#[test]
fn several_related_rows_give_no_value_unless_the_condition_leaves_one() {
    let json = run_json(&[&relations(), "--period", "2025-09"]);
    // web01 is alice's and db01 bob's; files01 is both A5's and A6's, so it has no one
    // owner; printer7, cam03 and the nameless host have no related asset. Four skipped.
    assert_eq!(value(&json, "owned_hosts"), json!(2));
    assert_eq!(skipped(&json, "owned_hosts"), json!(4));
    // Leaving out dave's assets leaves A5 alone under files01.
    assert_eq!(value(&json, "owned_hosts_without_dave"), json!(3));
    assert_eq!(skipped(&json, "owned_hosts_without_dave"), json!(3));
}

#[test]
fn a_relation_may_hold_another_and_read_the_clock() {
    let september = run_json(&[&relations(), "--period", "2025-09"]);
    // Findings of CVSS 9 or more in September: F1 on A1 and F6 on A9. A1 is web01, which
    // the scan discovered.
    assert_eq!(value(&september, "hosts_with_critical_findings"), json!(1));
    // The week before 2025-10-01: F7 (A5, the 25th) and F8 (A2, the 28th).
    assert_eq!(value(&september, "assets_found_last_week"), json!(2));

    let october = run_json(&[&relations(), "--period", "2025-10"]);
    assert_eq!(value(&october, "hosts_with_critical_findings"), json!(0));
    // The week before 2025-11-01 holds no finding.
    assert_eq!(value(&october, "assets_found_last_week"), json!(0));
}

#[test]
fn each_period_of_a_series_relates_to_its_own_rows() {
    let json = run_json(&[&relations(), "--from", "2025-09", "--to", "2025-10"]);
    let series: Vec<Value> = measure(&json, "clean_assets")["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].clone())
        .collect();
    assert_eq!(series, [json!(4), json!(5)]);
}

#[test]
fn a_dataset_read_only_through_a_relation_is_loaded() {
    let dir = temp_dir("relation-only");
    let fixtures = root("tests/fixtures/relations");
    for file in ["assets.csv", "discovered.csv"] {
        std::fs::copy(format!("{fixtures}/{file}"), dir.join(file)).unwrap();
    }
    let programme = dir.join("hosts.msr");
    std::fs::write(
        &programme,
        r#"dataset assets {
  source "assets.csv"
  id       : Text
  hostname : Text?
  owner    : Text
  internet_facing : Bool
}
dataset discovered {
  source "discovered.csv"
  host    : Text?
  address : Text
}
measure unknown_hosts : Count = count(discovered where not exists(assets on hostname = host))
"#,
    )
    .unwrap();
    let json = run_json(&[programme.to_str().unwrap()]);
    assert_eq!(value(&json, "unknown_hosts"), json!(3));
    let datasets: Vec<&Value> = json["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["name"])
        .collect();
    assert_eq!(datasets, [&json!("assets"), &json!("discovered")]);
    let _ = std::fs::remove_dir_all(&dir);
}
