//! The shipped examples, run as a user runs them, with key results worked out here straight
//! from the data files (read with the csv crate and serde_json, not with msr's loaders).

mod common;

use chrono::DateTime;
use common::{root, run_json};
use serde_json::Value;

/// An RFC 3339 timestamp in microseconds, or `None` for an empty field.
fn instant(text: &str) -> Option<i64> {
    (!text.is_empty()).then(|| {
        DateTime::parse_from_rfc3339(text)
            .expect("the example data holds RFC 3339 timestamps")
            .timestamp_micros()
    })
}

fn q3() -> (i64, i64) {
    (
        instant("2025-07-01T00:00:00Z").unwrap(),
        instant("2025-10-01T00:00:00Z").unwrap(),
    )
}

fn result<'a>(json: &'a Value, kind: &str, name: &str) -> &'a Value {
    json[kind]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["name"] == name))
        .unwrap_or_else(|| panic!("no {kind} `{name}`"))
}

struct Incident {
    detected: i64,
    resolved: Option<i64>,
    severity: String,
    business_unit: String,
}

fn incidents() -> Vec<Incident> {
    let mut reader = csv::Reader::from_path(root("examples/incidents/incidents.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (det, res, sev, bu) = (
        col("detected_at"),
        col("resolved_at"),
        col("severity"),
        col("business_unit"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Incident {
                detected: instant(&r[det]).unwrap(),
                resolved: instant(&r[res]),
                severity: r[sev].to_string(),
                business_unit: r[bu].to_string(),
            }
        })
        .collect()
}

#[test]
fn incident_example_matches_values_worked_out_from_the_csv() {
    let (start, end) = q3();
    let all = incidents();
    let in_q3: Vec<&Incident> = all
        .iter()
        .filter(|i| start <= i.detected && i.detected < end)
        .collect();
    let severe = in_q3
        .iter()
        .filter(|i| i.severity == "high" || i.severity == "critical")
        .count();
    let within_72h = in_q3
        .iter()
        .filter(|i| {
            i.resolved
                .is_some_and(|r| r - i.detected <= 72 * 3_600_000_000)
        })
        .count();
    let resolved: Vec<i64> = in_q3
        .iter()
        .filter_map(|i| i.resolved.map(|r| r - i.detected))
        .collect();
    let mean_micros =
        resolved.iter().map(|&d| d as i128).sum::<i128>() as f64 / resolved.len() as f64;
    let resolved_in_q3 = all
        .iter()
        .filter(|i| i.resolved.is_some_and(|r| start <= r && r < end))
        .count();
    let finance = in_q3
        .iter()
        .filter(|i| i.business_unit == "Finance")
        .count();

    let json = run_json(&[
        &root("examples/incidents/incidents.msr"),
        "--period",
        "2025-Q3",
    ]);
    assert_eq!(
        result(&json, "measures", "incidents_detected")["value"],
        in_q3.len()
    );
    assert_eq!(
        result(&json, "measures", "high_or_critical")["value"],
        severe
    );
    let rate = result(&json, "measures", "sla_72h_rate")["value"]
        .as_f64()
        .unwrap();
    assert!((rate - within_72h as f64 / in_q3.len() as f64).abs() < 1e-12);
    let mean = result(&json, "measures", "mean_time_to_resolve")["value"]
        .as_f64()
        .unwrap();
    assert!(
        (mean - (mean_micros / 1e6)).abs() < 1e-6,
        "{mean} vs {}",
        mean_micros / 1e6
    );
    assert_eq!(
        result(&json, "measures", "incidents_resolved")["value"],
        resolved_in_q3
    );
    let by_unit = result(&json, "measures", "incidents_by_unit");
    let group = by_unit["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "Finance")
        .unwrap();
    assert_eq!(group["value"], finance);

    // The fixture written by examples/incidents/expected.py agrees with both.
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(root("tests/fixtures/examples_expected.json")).unwrap(),
    )
    .unwrap();
    let expected = &fixture["incidents"]["measures"];
    assert_eq!(expected["incidents_detected"], in_q3.len());
    assert_eq!(expected["incidents_resolved"], resolved_in_q3);
}

#[test]
fn incident_example_indicators_have_statuses_for_every_group() {
    let json = run_json(&[
        &root("examples/incidents/incidents.msr"),
        "--period",
        "2025-Q3",
    ]);
    for indicator in json["indicators"].as_array().unwrap() {
        assert!(indicator["status"].is_string(), "{indicator:#}");
        assert_ne!(indicator["status"], "insufficient data", "{indicator:#}");
        assert!(indicator["facts"]["owner"].is_string(), "{indicator:#}");
        for group in indicator["groups"].as_array().unwrap() {
            assert!(group["status"].is_string(), "{group:#}");
        }
    }
}

#[test]
fn vulnerability_example_reads_json_lines_and_a_snapshot() {
    let text = std::fs::read_to_string(root("examples/vulnerabilities/findings.jsonl")).unwrap();
    let findings: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (start, end) = q3();
    let field = |f: &Value, name: &str| f[name].as_str().and_then(instant);
    let detected = findings
        .iter()
        .filter(|f| field(f, "detected_at").is_some_and(|t| start <= t && t < end))
        .count();
    let mitigated = findings
        .iter()
        .filter(|f| field(f, "mitigated_at").is_some_and(|t| start <= t && t < end))
        .count();
    let assets = std::fs::read_to_string(root("examples/vulnerabilities/assets.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .count();

    let json = run_json(&[
        &root("examples/vulnerabilities/vulnerabilities.msr"),
        "--period",
        "2025-Q3",
    ]);
    assert_eq!(
        result(&json, "measures", "findings_detected")["value"],
        detected
    );
    assert_eq!(
        result(&json, "measures", "findings_mitigated")["value"],
        mitigated
    );
    // The inventory is a snapshot: every run reads all of it.
    assert_eq!(result(&json, "measures", "assets_total")["value"], assets);
    let snapshot = json["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "assets")
        .unwrap();
    assert_eq!(snapshot["timed"], false);
    assert_eq!(snapshot["rows_in_period"], assets);
}

/// The twelve-month example, month by month: incidents resolved within the service level of
/// their severity, and staff trained in the 365 days before each month's end, worked out
/// here from the CSV files.
#[test]
fn year_example_matches_values_worked_out_from_the_csv() {
    let hours = |h: i64| h * 3_600_000_000;
    let deadline = |severity: &str| match severity {
        "critical" => hours(8),
        "high" => hours(24),
        "medium" => hours(72),
        _ => hours(120),
    };
    let mut reader = csv::Reader::from_path(root("examples/year/incidents.csv")).unwrap();
    let incidents: Vec<(i64, Option<i64>, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (instant(&r[3]).unwrap(), instant(&r[4]), r[2].to_string())
        })
        .collect();
    let mut reader = csv::Reader::from_path(root("examples/year/staff.csv")).unwrap();
    let trained: Vec<Option<chrono::NaiveDate>> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            chrono::NaiveDate::parse_from_str(&r[2], "%Y-%m-%d").ok()
        })
        .collect();

    let json = run_json(&[
        &root("examples/year/year.msr"),
        "--from",
        "2025-01",
        "--to",
        "2025-12",
    ]);
    assert_eq!(json["series"]["every"], "month");
    let series = |name: &str| result(&json, "measures", name)["series"].clone();
    let (levels, shares) = (series("service_level"), series("trained_share"));

    for month in 1..=12u32 {
        let start = chrono::NaiveDate::from_ymd_opt(2025, month, 1).unwrap();
        let end = start.checked_add_months(chrono::Months::new(1)).unwrap();
        let micros =
            |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_micros();
        let (from, to) = (micros(start), micros(end));
        let in_month: Vec<_> = incidents
            .iter()
            .filter(|(d, _, _)| from <= *d && *d < to)
            .collect();
        let in_time = in_month
            .iter()
            .filter(|(d, r, s)| r.is_some_and(|r| r - d <= deadline(s)))
            .count();
        let level = levels[month as usize - 1]["value"].as_f64().unwrap();
        assert!(
            (level - in_time as f64 / in_month.len() as f64).abs() < 1e-12,
            "service level in month {month}"
        );

        // Trained on a day from 365 days before the month's end, up to its last day.
        let window = end - chrono::Duration::days(365);
        let recent = trained
            .iter()
            .filter(|t| t.is_some_and(|t| window <= t && t < end))
            .count();
        let share = shares[month as usize - 1]["value"].as_f64().unwrap();
        assert!(
            (share - recent as f64 / trained.len() as f64).abs() < 1e-12,
            "trained share in month {month}"
        );
    }
}
