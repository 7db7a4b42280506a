//! Units, scale types and the functions that go with them, as a user meets them in output:
//! results of tests/fixtures/units/units.msr checked against values worked out by hand, and
//! `msr check --explain-types`.
//!
//! The fixture's incidents (all in September 2025):
//!
//! | id | resolved after | unit    | cost (EUR) | category |
//! |----|----------------|---------|------------|----------|
//! | 1  | 12h            | Finance | 100        | phishing |
//! | 2  | 96h            | Finance | 250.5      | malware  |
//! | 3  | (open)         | IT      |            | phishing |
//! | 4  | 24h            | IT      | 50         | malware  |
//! | 5  | 1h             | HR      | 10         | phishing |
//!
//! and its four assets have maturities initial (scored 1), defined (3), managed (2) and
//! optimised (5).

mod common;

use common::{msr, root, run_json};
use serde_json::Value;

fn units() -> String {
    root("tests/fixtures/units/units.msr")
}

fn measure<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["measures"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == name))
        .unwrap_or_else(|| panic!("no measure `{name}` in {json:#}"))
}

#[test]
fn money_keeps_its_currency_and_rounds_only_for_display() {
    let json = run_json(&[&units()]);
    // 100 + 250.5 + 50 + 10; the open ticket has no cost and is skipped.
    let total = measure(&json, "total_cost");
    assert_eq!(total["value"], 410.5);
    assert_eq!(total["display"], "410.50 EUR");
    assert_eq!(total["type"], "Money<EUR>");
    assert_eq!(total["unit"], "EUR");
    assert_eq!(total["scale"], "ratio");
    assert_eq!(total["skipped"], 1);
    // A mean over no values is missing, and `default` gives the fallback.
    assert_eq!(measure(&json, "open_cost")["missing"], "no values");
    assert_eq!(measure(&json, "open_cost_or_zero")["display"], "0.00 EUR");
}

#[test]
fn a_quantity_divided_by_a_count_is_per_item() {
    let json = run_json(&[&units()]);
    // 410.50 EUR over 5 incidents.
    let cost = measure(&json, "cost_per_incident");
    assert_eq!(cost["value"], 82.1);
    assert_eq!(cost["display"], "82.10 EUR per incident");
    assert_eq!(cost["unit"], "EUR per incident");
    assert_eq!(cost["kind"], "derived");
    // 5 incidents over 4 assets.
    let rate = measure(&json, "incidents_per_asset");
    assert_eq!(rate["value"], 1.25);
    assert_eq!(rate["display"], "1.25 incidents per asset");
    assert_eq!(rate["type"], "Count<incident> per asset");
    // 12h + 96h + 24h + 1h = 133h, over 5 incidents: 26.6h = 1d 2h 36m.
    let time = measure(&json, "time_per_incident");
    assert_eq!(time["value"], 26.6 * 3600.0);
    assert_eq!(time["display"], "1d 2h 36m per incident");
    assert_eq!(time["unit"], "second per incident");

    // The target is read per incident too.
    let indicator = &json["indicators"][0];
    assert_eq!(indicator["target"]["display"], "100.00 EUR");
    assert_eq!(indicator["target_met"], true);
    assert_eq!(indicator["status"], "green");
}

#[test]
fn the_mode_takes_the_lowest_of_equally_frequent_values() {
    let json = run_json(&[&units()]);
    // Phishing 3 times, malware twice.
    assert_eq!(measure(&json, "usual_category")["value"], "phishing");
    assert_eq!(measure(&json, "usual_category")["scale"], "nominal");
    // Finance and IT twice each, HR once: the tie goes to the first in text order.
    assert_eq!(measure(&json, "usual_unit")["value"], "Finance");
}

#[test]
fn scores_turn_an_ordinal_into_a_ratio_scale_that_has_a_mean() {
    let json = run_json(&[&units()]);
    // (1 + 3 + 2 + 5) / 4.
    let mean = measure(&json, "mean_maturity");
    assert_eq!(mean["value"], 2.75);
    assert_eq!(mean["type"], "Score<Maturity>");
    assert_eq!(mean["scale"], "ratio");
    // initial < managed < defined < optimised: the lower of the two middle ones.
    let median = measure(&json, "median_maturity");
    assert_eq!(median["value"], "managed");
    assert_eq!(median["scale"], "ordinal");
}

#[test]
fn explain_types_lists_classification_scale_and_absence() {
    let out = msr(&["check", "--explain-types", &units()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = |name: &str| {
        out.stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no line for `{name}` in:\n{}", out.stdout))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        line("incidents_total"),
        "incidents_total base Count<incident> ratio never incidents"
    );
    assert_eq!(
        line("incidents_per_asset"),
        "incidents_per_asset derived Count<incident> per asset ratio division by zero \
         incidents_total, assets_total"
    );
    assert_eq!(
        line("median_maturity"),
        "median_maturity base Maturity ordinal no values assets"
    );
    assert_eq!(
        line("open_cost_or_zero"),
        "open_cost_or_zero derived Money<EUR> ratio never open_cost"
    );
    assert!(line("cost_control").starts_with("cost_control Money<EUR> per incident ratio"));
}

#[test]
fn explain_types_in_json_carries_the_same_facts() {
    let out = msr(&["check", "--explain-types", "--format", "json", &units()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).expect("the JSON output parses");
    let types = &json["types"][0];
    assert!(types["file"].as_str().unwrap().ends_with("units.msr"));
    let rate = types["measures"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["name"] == "time_per_incident"))
        .expect("the measure is listed");
    assert_eq!(rate["kind"], "derived");
    assert_eq!(rate["type"], "Duration per incident");
    assert_eq!(rate["unit"], "second per incident");
    assert_eq!(
        rate["missing"],
        serde_json::json!(["division by zero", "every value missing"])
    );
    assert_eq!(
        rate["uses"],
        serde_json::json!(["time_resolving", "incidents_total"])
    );
}
