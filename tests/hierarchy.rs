//! Roll-ups along a hierarchy of organisational units, as a user runs them: results of
//! tests/fixtures/hierarchy/hierarchy.msr worked out by hand.
//!
//! The organisation: Group above Finance and IT; Finance above Accounting and Treasury; IT
//! above Security. The incidents by unit: Accounting 2 (one resolved), Treasury 1, Finance 1,
//! Security 3 (two resolved), IT 1, Sales 1 (not in the chart) and one with no unit.

mod common;

use common::{root, run_json};
use serde_json::Value;

fn groups(json: &Value, name: &str) -> Vec<(String, Value)> {
    let m = json["measures"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == name))
        .unwrap();
    m["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap().to_string(), g["value"].clone()))
        .collect()
}

#[test]
fn a_unit_holds_its_own_rows_and_those_of_every_unit_below_it() {
    let json = run_json(&[&root("tests/fixtures/hierarchy/hierarchy.msr")]);
    let counts: Vec<(String, i64)> = groups(&json, "per_unit")
        .into_iter()
        .map(|(k, v)| (k, v.as_i64().unwrap()))
        .collect();
    let expected = [
        // Roots first, each unit followed by the units below it, in name order.
        ("Group", 8),
        ("Finance", 4),
        ("Accounting", 2),
        ("Treasury", 1),
        ("IT", 4),
        ("Security", 3),
        ("(none)", 1),
        ("(not in the hierarchy)", 1),
    ];
    let expected: Vec<(String, i64)> = expected.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(counts, expected);
}

#[test]
fn a_ratio_rolls_up_as_the_ratio_of_the_rolled_up_parts() {
    let json = run_json(&[&root("tests/fixtures/hierarchy/hierarchy.msr")]);
    let shares = groups(&json, "resolved_share");
    let share = |key: &str| {
        shares
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_f64())
            .unwrap()
    };
    // Group: 6 of its 8 resolved; Finance: 3 of 4; Security: 2 of 3.
    assert_eq!(share("Group"), 0.75);
    assert_eq!(share("Finance"), 0.75);
    assert!((share("Security") - 2.0 / 3.0).abs() < 1e-12);
}
