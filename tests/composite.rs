//! Composite indicators, gates, minimum samples and the two kinds of ratio, as a user runs
//! them: results of tests/fixtures/composite/composite.msr worked out by hand.
//!
//! The fixture's applications per asset (compliant when up to date or excepted): a1 3 of
//! 3, a2 1 of 2, a3 3 of 4. Three of its four staff are trained. Its one policy was last
//! reviewed on 2024-01-10.

mod common;

use common::{root, run_json};
use serde_json::Value;

fn composite(period: &str) -> Value {
    run_json(&[
        &root("tests/fixtures/composite/composite.msr"),
        "--period",
        period,
    ])
}

fn result<'a>(json: &'a Value, kind: &str, name: &str) -> &'a Value {
    json[kind]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["name"] == name))
        .unwrap_or_else(|| panic!("no {kind} `{name}`"))
}

#[test]
fn a_pooled_ratio_and_a_mean_of_per_entity_ratios_differ() {
    let json = composite("2025-06");
    // 7 compliant of 9 in all.
    let pooled = result(&json, "measures", "pooled_compliance")["value"]
        .as_f64()
        .unwrap();
    assert!((pooled - 7.0 / 9.0).abs() < 1e-12);
    // (3/3 + 1/2 + 3/4) / 3.
    assert_eq!(result(&json, "measures", "asset_compliance")["value"], 0.75);
    // The weakest link: a2 at one half.
    assert_eq!(result(&json, "measures", "weakest_asset")["value"], 0.5);
}

#[test]
fn a_composite_index_weights_normalised_scores() {
    let json = composite("2025-06");
    // 100 × (0.6 × (75% − 50%) / (100% − 50%) + 0.4 × (75% − 60%) / (100% − 60%))
    // = 100 × (0.6 × 0.5 + 0.4 × 0.375) = 45.
    let index = result(&json, "measures", "security_index")["value"]
        .as_f64()
        .unwrap();
    assert!((index - 45.0).abs() < 1e-9, "{index}");
}

#[test]
fn a_gate_overrides_the_criteria_and_otherwise_the_bands_decide() {
    // At the end of June 2025 the policy review is 538 days old: the second gate gives red,
    // although the index (45) would be `initial`.
    let june_2025 = composite("2025-06");
    assert_eq!(
        result(&june_2025, "indicators", "security")["status"],
        "red"
    );
    // A year earlier the review was 173 days old and patching is amber, so no gate holds.
    let june_2024 = composite("2024-06");
    assert_eq!(
        result(&june_2024, "indicators", "patching")["status"],
        "amber"
    );
    assert_eq!(
        result(&june_2024, "indicators", "security")["status"],
        "initial"
    );
}

#[test]
fn too_small_a_sample_gives_insufficient_data() {
    let json = composite("2025-06");
    let awareness = result(&json, "indicators", "awareness");
    // Four staff, fewer than the five the sample needs: the 75% is shown but not judged.
    assert_eq!(awareness["value"], 0.75);
    assert_eq!(awareness["status"], "insufficient data");
}

#[test]
fn excepted_rows_leave_the_measure_and_are_counted() {
    let dir = common::temp_dir("except");
    std::fs::write(
        dir.join("findings.csv"),
        "finding,status,mitigated\nf1,open,false\nf2,waived,false\nf3,closed,true\nf4,accepted_risk,false\nf5,closed,true\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("findings.msr"),
        r#"dataset findings { source "findings.csv"  finding : Text  status : Text  mitigated : Bool }
measure in_scope : Count = count(findings except status in ["waived", "accepted_risk"])
measure mitigated : Count = count(findings where mitigated except status in ["waived", "accepted_risk"])
measure mitigated_share : Percent = mitigated / in_scope
"#,
    )
    .unwrap();
    let json = run_json(&[dir.join("findings.msr").to_str().unwrap()]);
    // f2 is waived and f4 an accepted risk: three findings remain, two of them mitigated.
    assert_eq!(result(&json, "measures", "in_scope")["value"], 3);
    assert_eq!(result(&json, "measures", "in_scope")["excepted"], 2);
    let share = result(&json, "measures", "mitigated_share");
    assert!((share["value"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(share["excepted"], 2);
}
