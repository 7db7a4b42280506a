//! Series of periods and the functions of history, as a user runs them: results of
//! tests/fixtures/series/series.msr checked against values worked out by hand, time zones
//! and `--as-of`.
//!
//! The fixture's incidents per month of 2025, January to June: 2, 4, 3, 6, 8, 10, half of
//! them (by id) in Finance. Its staff were last trained on 2024-06-15 (alice), 2025-03-01
//! (bob) and 2025-05-20 (carol); dan never was.

mod common;

use common::{msr, root, run_json, tiny};
use serde_json::{json, Value};

fn series() -> String {
    root("tests/fixtures/series/series.msr")
}

fn first_half() -> Value {
    run_json(&[&series(), "--from", "2025-01", "--to", "2025-06"])
}

/// The values of a result in every period, as JSON.
fn values(json: &Value, kind: &str, name: &str) -> Vec<Value> {
    let result = json[kind]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["name"] == name))
        .unwrap_or_else(|| panic!("no {kind} `{name}`"));
    result["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].clone())
        .collect()
}

fn missing_reasons(json: &Value, name: &str) -> Vec<Value> {
    let result = json["measures"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["name"] == name))
        .unwrap();
    result["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["missing"].clone())
        .collect()
}

#[test]
fn previous_and_change_look_one_period_back() {
    let json = first_half();
    assert_eq!(json["series"]["every"], "month");
    assert_eq!(
        values(&json, "measures", "opened"),
        [json!(2), json!(4), json!(3), json!(6), json!(8), json!(10)]
    );
    // January looks back to December 2024, before the data's first period.
    assert_eq!(
        values(&json, "measures", "opened_before"),
        [
            Value::Null,
            json!(2),
            json!(4),
            json!(3),
            json!(6),
            json!(8)
        ]
    );
    assert_eq!(
        missing_reasons(&json, "opened_before")[0],
        "before the data's first period"
    );
    assert_eq!(
        values(&json, "measures", "opened_change"),
        [
            Value::Null,
            json!(2),
            json!(-1),
            json!(3),
            json!(2),
            json!(2)
        ]
    );
    // 4/2 - 1, 3/4 - 1, 6/3 - 1, 8/6 - 1, 10/8 - 1.
    let growth = values(&json, "measures", "opened_growth");
    let expected = [1.0, -0.25, 1.0, 1.0 / 3.0, 0.25];
    for (got, want) in growth[1..].iter().zip(expected) {
        assert!((got.as_f64().unwrap() - want).abs() < 1e-12, "{growth:?}");
    }
}

#[test]
fn means_trends_and_runs_over_several_periods() {
    let json = first_half();
    // Means of (2, 4, 3), (4, 3, 6), (3, 6, 8), (6, 8, 10); too short before March.
    let means = values(&json, "measures", "opened_mean_3");
    assert_eq!(means[..2], [Value::Null, Value::Null]);
    let expected = [3.0, 13.0 / 3.0, 17.0 / 3.0, 8.0];
    for (got, want) in means[2..].iter().zip(expected) {
        assert!((got.as_f64().unwrap() - want).abs() < 1e-12, "{means:?}");
    }
    // Least-squares slopes through three points one period apart: the covariance of
    // (-1, 0, 1) with the counts, over 2.
    assert_eq!(
        values(&json, "measures", "opened_trend_3")[2..],
        [json!(0.5), json!(1.0), json!(2.5), json!(2.0)]
    );
    // Rising twice in a row: 3 < 4 breaks it in March and April; 3 < 6 < 8 and 6 < 8 < 10.
    assert_eq!(
        values(&json, "measures", "opened_rising")[2..],
        [json!(false), json!(false), json!(true), json!(true)]
    );
}

#[test]
fn a_look_back_finds_the_same_group_in_the_earlier_period() {
    let json = first_half();
    let result = json["measures"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["name"] == "opened_by_unit_before"))
        .unwrap();
    // June's Finance count looks back to May's: ids 15–22 are May's, four of them odd.
    let june = &result["series"][5];
    let finance = june["groups"]
        .as_array()
        .and_then(|gs| gs.iter().find(|g| g["key"] == "Finance"))
        .unwrap();
    assert_eq!(finance["value"], 4);
}

#[test]
fn annex_b_trend_criteria_decide_only_with_enough_history() {
    let json = first_half();
    let statuses: Vec<Value> = json["indicators"][0]["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].clone())
        .collect();
    // Until June the mean of the last six periods reaches back before the data, so the
    // first band cannot be decided. In June: the last two average 9, the last six 5.5, and
    // 9 > 1.3 × 5.5.
    assert_eq!(statuses[..5], vec![json!("insufficient data"); 5][..]);
    assert_eq!(statuses[5], "red");
}

#[test]
fn a_rolling_window_counts_back_from_the_end_of_each_period() {
    let json = first_half();
    // To 1 February: alice only (bob's training lies ahead); to 1 June: all three; to
    // 1 July: bob and carol, alice's is more than 365 days old.
    assert_eq!(
        values(&json, "measures", "trained_recently"),
        [json!(1), json!(1), json!(2), json!(2), json!(3), json!(2)]
    );
    // From carol's training on 20 May to the end of June: 42 days.
    assert_eq!(
        values(&json, "measures", "since_last_training")[5],
        json!(42.0 * 86_400.0)
    );
}

#[test]
fn as_of_cuts_the_period_and_moves_the_window() {
    let json = run_json(&[&series(), "--period", "2025-06", "--as-of", "2025-06-15"]);
    // Five of June's ten incidents opened before the 15th.
    let opened = json["measures"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["name"] == "opened"))
        .unwrap();
    assert_eq!(opened["value"], 5);
    assert_eq!(json["as_of"], "2025-06-15T00:00:00Z");
    // The window ends on the 15th: carol's training is 26 days old.
    let since = json["measures"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["name"] == "since_last_training"))
        .unwrap();
    assert_eq!(since["value"], 26.0 * 86_400.0);
}

#[test]
fn a_time_zone_moves_rows_across_period_bounds() {
    // In Berlin, id 5 (30 September 23:59:59 UTC) is already in October, and id 7
    // (31 August 23:00 UTC) in September.
    let utc = run_json(&[&tiny(), "--period", "2025-09"]);
    let berlin = run_json(&[&tiny(), "--period", "2025-09", "--tz", "Europe/Berlin"]);
    let total = |json: &Value| {
        json["measures"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["name"] == "incidents_total"))
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(total(&utc), 5);
    assert_eq!(total(&berlin), 5);
    assert_eq!(berlin["period"]["start"], "2025-09-01T00:00:00+02:00");
    assert_eq!(berlin["period"]["time_zone"], "Europe/Berlin");
    let high = |json: &Value| {
        json["measures"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["name"] == "high_or_critical"))
            .unwrap()["value"]
            .clone()
    };
    // Id 5 (high) leaves and id 7 (critical) comes in: 3 either way, by other rows.
    assert_eq!(high(&utc), 3);
    assert_eq!(high(&berlin), 3);
    let units = |json: &Value| {
        json["measures"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["name"] == "per_unit"))
            .unwrap()["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["key"].as_str().unwrap().to_string(),
                    g["value"].as_i64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    // HR's only September ticket (id 5) moves to October; IT gains id 7.
    assert_eq!(
        units(&berlin),
        [
            ("Finance".to_string(), 2),
            ("HR".to_string(), 0),
            ("IT".to_string(), 3)
        ]
    );
}

#[test]
fn bad_time_settings_are_usage_errors() {
    let file = series();
    for args in [
        vec!["--tz", "Mars/Olympus"],
        vec!["--as-of", "yesterday"],
        vec!["--from", "2025-06", "--to", "2025-01"],
    ] {
        let mut all = vec!["run", file.as_str()];
        all.extend(args.iter().copied());
        let out = msr(&all);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    }
}

#[test]
fn a_dataset_in_a_local_time_zone_places_its_rows_by_their_instant() {
    let dir = common::temp_dir("zone");
    // 01:30 on 1 October in Berlin is 23:30 on 30 September in UTC; the second row has an
    // offset of its own, which the zone does not change.
    std::fs::write(
        dir.join("logins.csv"),
        "signed_in\n2025-10-01T01:30:00\n2025-10-01T01:30:00Z\n",
    )
    .unwrap();
    let programme = |zone: &str| {
        format!(
            "dataset logins {{\n  source \"logins.csv\"\n  {zone}\n  time signed_in\n  signed_in : DateTime\n}}\n\
             measure logins_total : Count = count(logins)\n"
        )
    };
    let run = |zone: &str| {
        let file = dir.join(format!("logins{}.msr", zone.len()));
        std::fs::write(&file, programme(zone)).unwrap();
        let json = run_json(&[file.to_str().unwrap(), "--period", "2025-09"]);
        json["measures"][0]["value"].as_i64().unwrap()
    };
    assert_eq!(run("zone \"Europe/Berlin\""), 1);
    assert_eq!(run(""), 0);
}

#[test]
fn a_series_says_the_instant_it_sees_the_data_from() {
    assert_eq!(first_half()["series"]["as_of"], Value::Null);
    let json = run_json(&[
        &series(),
        "--from",
        "2025-01",
        "--to",
        "2025-06",
        "--as-of",
        "2025-06-15T08:30:00Z",
    ]);
    assert_eq!(json["series"]["as_of"], "2025-06-15T08:30:00Z");
}
