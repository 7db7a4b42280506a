//! The standard measurement catalogue (stdlib/catalogue): its own tests pass, it runs on its
//! sample data with a status and the template facts for every indicator, its documentation
//! names every dataset and column it reads, and a user can import a module and bind its
//! datasets to an export of their own.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{msr, root, run_json};
use serde_json::Value;

/// Every `.msr` file of the catalogue, in name order.
fn modules() -> Vec<String> {
    let dir = PathBuf::from(root("stdlib/catalogue"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("the catalogue folder is readable")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "msr"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

fn run_sample(period: &str) -> Value {
    run_json(&[
        &root("stdlib/catalogue/all.msr"),
        "--data",
        &root("stdlib/catalogue/sample"),
        "--period",
        period,
    ])
}

#[test]
fn every_module_is_built_into_the_standard_library() {
    for file in modules() {
        let name = format!(
            "catalogue/{}",
            PathBuf::from(&file).file_name().unwrap().to_string_lossy()
        );
        let built_in = msr::syntax::STDLIB
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("`std:{name}` is not in the standard library"));
        let on_disk = std::fs::read_to_string(&file).unwrap();
        assert_eq!(built_in.1, on_disk, "`std:{name}` differs from {file}");
    }
}

#[test]
fn the_catalogues_own_tests_pass() {
    let files = modules();
    assert!(files.len() >= 7, "{files:?}");
    let mut args = vec!["test"];
    args.extend(files.iter().map(String::as_str));
    let out = msr(&args);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);

    let summary = out
        .stdout
        .lines()
        .rev()
        .find(|l| l.ends_with(" failed"))
        .unwrap_or_else(|| panic!("no summary in:\n{}", out.stdout));
    let passed: usize = summary.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 25, "{summary}");
    assert!(summary.ends_with(" 0 failed"), "{summary}");
}

#[test]
fn every_indicator_has_a_status_and_its_template_facts_on_the_sample_data() {
    let json = run_sample("2025-Q3");
    let indicators = json["indicators"].as_array().unwrap();
    assert!(indicators.len() >= 25, "{} indicators", indicators.len());

    let mut ids = BTreeSet::new();
    for indicator in indicators {
        let name = indicator["name"].as_str().unwrap();
        let status = indicator["status"].as_str();
        assert!(
            status.is_some_and(|s| s != "insufficient data"),
            "`{name}` has no status: {indicator}"
        );
        let facts = &indicator["facts"];
        for fact in [
            "id",
            "need",
            "owner",
            "collector",
            "customer",
            "type",
            "source",
        ] {
            assert!(facts[fact].is_string(), "`{name}` states no `{fact}`");
        }
        let frequency = &facts["frequency"];
        assert!(
            ["collect", "analyse", "report"]
                .iter()
                .any(|k| frequency[k].is_string()),
            "`{name}` states no frequency"
        );
        assert!(
            !facts["controls"].as_array().unwrap().is_empty(),
            "`{name}` names no control"
        );
        assert!(indicator["target"].is_object(), "`{name}` has no target");
        let id = facts["id"].as_str().unwrap().to_string();
        assert!(ids.insert(id.clone()), "the id `{id}` is used twice");
    }

    // The entries the catalogue promises, by source.
    for id in [
        "NIST-VM-1",
        "NIST-AT-1",
        "NIST-IA-1",
        "NIST-IR-1",
        "NIST-CP-1",
        "NIST-PL-1",
        "NIST-PS-1",
        "NIST-CA-1",
        "NIST-SA-1",
        "CIS-MTTID",
        "CIS-MTIR",
        "CIS-MTTMV",
        "CIS-MTTP",
        "CIS-PPC",
        "CIS-VSC",
        "CIS-PSWKSV",
        "CIS-PCSR",
        "CIS-MCI",
        "ISO27004-B.3",
        "ISO27004-B.11",
        "ISO27004-B.18",
        "ISO27004-B.10",
        "ISO27004-B.34",
        "ISO27004-B.6",
    ] {
        assert!(ids.contains(id), "no entry `{id}`");
    }
}

#[test]
fn the_sample_data_is_small_and_covers_every_dataset() {
    let (program, _) = checked_catalogue();
    let sample = PathBuf::from(root("stdlib/catalogue/sample"));
    let mut total = 0;
    for dataset in &program.datasets {
        let path = sample.join(&dataset.source);
        let size = std::fs::metadata(&path)
            .unwrap_or_else(|_| panic!("no sample file for `{}`", dataset.name))
            .len();
        total += size;
    }
    assert!(total < 1_000_000, "the sample data holds {total} bytes");
}

fn checked_catalogue() -> (msr::check::Program, Vec<msr::diagnostic::Diagnostic>) {
    let parsed = msr::syntax::load_program(&[PathBuf::from(root("stdlib/catalogue/all.msr"))])
        .unwrap_or_else(|(_, d)| panic!("the catalogue does not parse: {d:?}"));
    msr::check::check(parsed).unwrap_or_else(|d| panic!("the catalogue does not check: {d:?}"))
}

#[test]
fn the_documentation_names_every_dataset_and_column() {
    let (program, warnings) = checked_catalogue();
    assert!(warnings.is_empty(), "{warnings:?}");
    let doc = std::fs::read_to_string(root("docs/catalogue.md")).unwrap();

    for dataset in &program.datasets {
        let heading = format!("### `{}`", dataset.name);
        let start = doc
            .find(&heading)
            .unwrap_or_else(|| panic!("docs/catalogue.md has no `{heading}`"));
        let rest = &doc[start + heading.len()..];
        let section = &rest[..rest.find("\n#").unwrap_or(rest.len())];
        assert!(
            section.contains(&format!("`{}`", dataset.source)),
            "the section on `{}` does not name its file",
            dataset.name
        );
        for column in &dataset.columns {
            assert!(
                section.contains(&format!("| `{}` |", column.name)),
                "the section on `{}` does not describe its column `{}`",
                dataset.name,
                column.name
            );
        }
    }
}

// A user's own export of incidents: other column names, other texts for the categories and
// severities, local Berlin time.
const MINE: &str = r#"
use "std:catalogue/incidents.msr"

bind incidents {
  source "exports/tickets.csv"
  zone   "Europe/Berlin"
  incident_id  = "Key"
  category     = "Type" {
    "CAT 1" = unauthorised_access, "CAT 2" = denial_of_service, "CAT 3" = malicious_code,
    "CAT 4" = improper_usage, "CAT 5" = scans_probes, "CAT 6" = investigation
  }
  severity     = "Priority" { "P1" = critical, "P2" = high, "P3" = medium, "P4" = low }
  business_unit = "Team"
  occurred_at  = "Started"
  detected_at  = "Created"
  reported_at  = "Reported"
  recovered_at = "Restored"
  direct_loss  = "Loss"
  response_cost = "Effort cost"
}
"#;

const TICKETS: &str = "\
Key,Created,Type,Priority,Team,Started,Reported,Restored,Loss,Effort cost,Summary
J-1,2025-09-01T10:00:00,CAT 1,P1,SOC,2025-09-01T08:00:00,2025-09-01T10:30:00,2025-09-02T08:00:00,1000,200,phished credentials
J-2,2025-09-02T10:00:00,CAT 3,P3,IT,2025-09-02T04:00:00,2025-09-04T10:00:00,2025-09-03T04:00:00,,100,ransomware blocked
J-3,2025-09-03T10:00:00,CAT 6,P4,IT,,,,,,under investigation
J-4,2025-10-01T01:00:00,CAT 5,P4,IT,,,,,,scan of the perimeter
";

#[test]
fn a_user_binds_a_catalogue_dataset_to_their_own_export() {
    let dir = common::temp_dir("catalogue-bind");
    std::fs::write(dir.join("mine.msr"), MINE).unwrap();
    std::fs::create_dir_all(dir.join("exports")).unwrap();
    std::fs::write(dir.join("exports/tickets.csv"), TICKETS).unwrap();
    let file = dir.join("mine.msr");
    let file = file.to_str().unwrap();

    let out = msr(&["check", file]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The catalogue's tests are its own: they do not run with the user's programme.
    let out = msr(&["test", file]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("0 passed, 0 failed"), "{}", out.stdout);

    // 1 October 01:00 in Berlin is 30 September 23:00 UTC: four incidents in September.
    let json = run_json(&[file, "--period", "2025-09"]);
    let measure = |name: &str| {
        json["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap_or_else(|| panic!("no measure {name}"))["value"]
            .clone()
    };
    let indicator = |name: &str| {
        json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap_or_else(|| panic!("no indicator {name}"))
            .clone()
    };
    assert_eq!(measure("incidents_detected"), 4);
    // CAT 6 has no deadline; J-1 was reported in 30 minutes, J-2 after two days (late for
    // CAT 3), and J-4 not at all.
    assert_eq!(measure("incidents_reportable"), 3);
    assert_eq!(measure("incidents_reported_in_time"), 1);
    let reporting = indicator("incident_reporting");
    assert_eq!(reporting["status"], "red");
    assert_eq!(reporting["facts"]["id"], "NIST-IR-1");
    let group = |key: &str| {
        reporting["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == key)
            .unwrap_or_else(|| panic!("no group {key}"))
            .clone()
    };
    assert_eq!(group("unauthorised_access")["status"], "green");
    assert_eq!(group("malicious_code")["status"], "red");
    // Onset to detection: 2 h and 6 h.
    assert_eq!(measure("mean_time_to_discovery"), 4.0 * 3600.0);
    // (1000 + 200 + 100) EUR over four incidents.
    assert_eq!(measure("mean_incident_cost"), 325.0);
}

#[test]
fn a_users_export_with_an_unknown_category_is_refused_at_its_cell() {
    let dir = common::temp_dir("catalogue-bind-bad");
    std::fs::write(dir.join("mine.msr"), MINE).unwrap();
    std::fs::create_dir_all(dir.join("exports")).unwrap();
    std::fs::write(
        dir.join("exports/tickets.csv"),
        TICKETS.replace("CAT 5", "CAT 7"),
    )
    .unwrap();
    let out = msr(&["run", dir.join("mine.msr").to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("unknown category `CAT 7` in column `Type`"),
        "{}",
        out.stderr
    );
}
