//! Evidence bundles as a user makes and checks them: `msr run --evidence DIR` and
//! `msr verify DIR`, on the shipped examples and on copies of them that are then changed.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{msr, msr_in, root, temp_dir};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The SHA-256 of a file, computed here from its bytes, apart from msr.
/// Asserts that the output of a command holds `text`, showing the output when it does not.
fn says(out: &common::Output, text: &str) {
    assert!(out.stdout.contains(text), "{}", out.stdout);
}

fn sha256_of(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    format!("{:x}", Sha256::digest(&bytes))
}

fn manifest(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("manifest.json")).expect("a manifest");
    serde_json::from_str(&text).expect("the manifest parses")
}

/// Every file under `dir`, by its path relative to it, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.insert(name, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// Runs `msr run ARGS --evidence DIR`, expecting success.
fn keep(args: &[&str], dir: &Path) -> common::Output {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--evidence", dir.to_str().unwrap()]);
    let out = msr(&all);
    assert_eq!(out.code, 0, "msr {all:?}:\n{}", out.stderr);
    out
}

/// A copy of the incidents example in a scratch folder: the programme's path there.
fn incidents_copy(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    for file in ["incidents.msr", "incidents.csv"] {
        std::fs::copy(root(&format!("examples/incidents/{file}")), dir.join(file)).unwrap();
    }
    dir.join("incidents.msr")
}

#[test]
fn the_incidents_bundle_records_what_the_run_read_and_computed() {
    let dir = temp_dir("evidence-incidents").join("bundle");
    let file = root("examples/incidents/incidents.msr");
    let args = ["--period", "2025-Q3"];
    let out = keep(&[&file, args[0], args[1]], &dir);
    assert!(out.stderr.contains("evidence written to"), "{}", out.stderr);

    let json = msr(&["run", &file, args[0], args[1], "--format", "json"]);
    let results = std::fs::read_to_string(dir.join("results.json")).unwrap();
    assert_eq!(
        results, json.stdout,
        "results.json is what --format json prints"
    );
    // The report itself still goes to standard output, in the format asked for.
    says(&out, "incident_service_level");

    let m = manifest(&dir);
    let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "format",
            "msr_version",
            "run",
            "programme",
            "datasets",
            "results",
            "indicators"
        ]
    );
    assert_eq!(m["format"], "msr-evidence/1");
    assert_eq!(m["msr_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["run"]["file"], file.as_str());
    assert_eq!(m["run"]["period"], "2025-Q3");
    assert_eq!(m["run"]["series"], Value::Null);
    assert_eq!(m["run"]["skip_bad_rows"], false);
    assert_eq!(m["run"]["data_dir"], Value::Null);

    // The programme and the standard-library file it imports, each copied byte for byte.
    let programme = m["programme"].as_array().unwrap();
    let paths: Vec<&str> = programme
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["programme/incidents.msr", "programme/std/scales.msr"]
    );
    assert_eq!(programme[0]["name"], file.as_str());
    assert_eq!(programme[1]["name"], "std:scales.msr");
    assert_eq!(programme[0]["sha256"], sha256_of(Path::new(&file)));
    assert_eq!(
        std::fs::read(dir.join("programme/incidents.msr")).unwrap(),
        std::fs::read(&file).unwrap()
    );
    for entry in programme {
        let copy = dir.join(entry["path"].as_str().unwrap());
        assert_eq!(entry["sha256"], sha256_of(&copy));
        assert_eq!(entry["bytes"], std::fs::metadata(&copy).unwrap().len());
    }

    let data = root("examples/incidents/incidents.csv");
    let dataset = &m["datasets"][0];
    assert_eq!(m["datasets"].as_array().unwrap().len(), 1);
    assert_eq!(dataset["name"], "incidents");
    assert_eq!(dataset["source"], "incidents.csv");
    assert_eq!(dataset["path"], data.as_str());
    assert_eq!(dataset["sha256"], sha256_of(Path::new(&data)));
    assert_eq!(dataset["bytes"], std::fs::metadata(&data).unwrap().len());
    let reported: Value = serde_json::from_str(&results).unwrap();
    assert_eq!(dataset["rows"], reported["datasets"][0]["rows"]);
    assert_eq!(dataset["skipped_rows"], 0);

    assert_eq!(m["results"]["path"], "results.json");
    assert_eq!(m["results"]["sha256"], sha256_of(&dir.join("results.json")));
    let indicators = m["indicators"].as_array().unwrap();
    assert_eq!(
        indicators.len(),
        reported["indicators"].as_array().unwrap().len()
    );
    for (summary, full) in indicators
        .iter()
        .zip(reported["indicators"].as_array().unwrap())
    {
        assert_eq!(summary["name"], full["name"]);
        assert_eq!(summary["statuses"][0]["period"], "2025-Q3");
        assert_eq!(summary["statuses"][0]["status"], full["status"]);
    }
}

#[test]
fn the_same_run_over_the_same_files_writes_the_same_bundle() {
    let scratch = temp_dir("evidence-determinism");
    let file = root("examples/incidents/incidents.msr");
    let (a, b) = (scratch.join("a"), scratch.join("b"));
    keep(&[&file, "--period", "2025-Q3"], &a);
    // The format of the printed report does not enter the bundle.
    keep(&[&file, "--period", "2025-Q3", "--format", "html"], &b);
    let first = files(&a);
    assert_eq!(first.len(), 4);
    assert_eq!(first, files(&b));

    // A different period is a different bundle.
    let c = scratch.join("c");
    keep(&[&file, "--period", "2025-Q2"], &c);
    assert_ne!(first.get("manifest.json"), files(&c).get("manifest.json"));
}

#[test]
fn a_series_over_the_isms_example_keeps_the_standard_catalogue_and_hashes_json_lines() {
    let dir = temp_dir("evidence-isms").join("bundle");
    let file = root("examples/isms/isms.msr");
    keep(&[&file, "--from", "2025-01", "--to", "2025-12"], &dir);
    let m = manifest(&dir);

    assert_eq!(m["run"]["period"], Value::Null);
    assert_eq!(
        m["run"]["series"],
        serde_json::json!({ "from": "2025-01", "to": "2025-12", "every": "month" })
    );

    let programme = m["programme"].as_array().unwrap();
    assert_eq!(programme[0]["path"], "programme/isms.msr");
    for (name, text) in msr::syntax::STDLIB {
        let listed = programme
            .iter()
            .find(|f| f["name"] == format!("std:{name}").as_str());
        if let Some(entry) = listed {
            let copy = dir.join(format!("programme/std/{name}"));
            assert_eq!(entry["path"], format!("programme/std/{name}").as_str());
            assert_eq!(std::fs::read_to_string(&copy).unwrap(), *text);
        }
    }
    let std_files = programme
        .iter()
        .filter(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .starts_with("programme/std/catalogue/")
        })
        .count();
    assert!(std_files >= 5, "{programme:?}");

    let phishing = m["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["source"] == "data/phishing.jsonl")
        .expect("the JSON Lines export is listed");
    let path = root("examples/isms/data/phishing.jsonl");
    assert_eq!(phishing["path"], path.as_str());
    assert_eq!(phishing["sha256"], sha256_of(Path::new(&path)));
    for dataset in m["datasets"].as_array().unwrap() {
        let read = Path::new(dataset["path"].as_str().unwrap());
        assert_eq!(dataset["sha256"], sha256_of(read), "{dataset}");
    }

    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["series"]["periods"].as_array().unwrap().len(), 12);
    for indicator in m["indicators"].as_array().unwrap() {
        let statuses = indicator["statuses"].as_array().unwrap();
        assert_eq!(statuses.len(), 12, "{indicator}");
        assert_eq!(statuses[0]["period"], "2025-01");
        assert_eq!(statuses[11]["period"], "2025-12");
    }
}

#[test]
fn verify_passes_a_fresh_bundle_and_finds_an_edited_programme_or_results_file() {
    let dir = temp_dir("evidence-verify").join("bundle");
    keep(
        &[
            &root("examples/incidents/incidents.msr"),
            "--period",
            "2025-Q3",
        ],
        &dir,
    );
    let bundle = dir.to_str().unwrap();

    let out = msr(&["verify", bundle]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", out.stdout);
    assert!(
        lines[..4].iter().all(|l| l.starts_with("ok ")),
        "{}",
        out.stdout
    );
    let manifest_sha = sha256_of(&dir.join("manifest.json"));
    assert_eq!(
        lines[4],
        format!("all 4 files match the manifest; manifest.json sha256 {manifest_sha}")
    );

    let copy = dir.join("programme/incidents.msr");
    let original = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(&copy, original.replace(">= 90%", ">= 80%")).unwrap();
    let out = msr(&["verify", bundle]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    says(&out, "changed  programme/incidents.msr\n");
    says(&out, "1 of 4 files does not match the manifest (1 changed)");
    std::fs::write(&copy, original).unwrap();
    assert_eq!(msr(&["verify", bundle]).code, 0);

    let results = dir.join("results.json");
    let text = std::fs::read_to_string(&results).unwrap();
    std::fs::write(&results, text.replace("\"amber\"", "\"green\"")).unwrap();
    let out = msr(&["verify", bundle]);
    assert_eq!(out.code, 1);
    says(&out, "changed  results.json\n");

    std::fs::remove_file(&results).unwrap();
    let out = msr(&["verify", bundle]);
    assert_eq!(out.code, 1);
    says(&out, "missing  results.json\n");
}

#[test]
fn verify_finds_a_changed_or_removed_data_file() {
    let programme = incidents_copy("evidence-data");
    let work = programme.parent().unwrap().to_path_buf();
    // Run from the programme's folder, as a user would, so that paths are relative to it.
    let out = msr_in(
        &work,
        &[
            "run",
            "incidents.msr",
            "--period",
            "2025-Q3",
            "--evidence",
            "bundle",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The path as the run read it: the programme's folder, `.`, joined with the source.
    assert_eq!(
        manifest(&work.join("bundle"))["datasets"][0]["path"],
        "./incidents.csv"
    );
    assert_eq!(msr_in(&work, &["verify", "bundle"]).code, 0);

    let data = work.join("incidents.csv");
    let original = std::fs::read(&data).unwrap();
    let mut changed = original.clone();
    let last = changed.iter().rposition(|&b| b.is_ascii_digit()).unwrap();
    changed[last] = if changed[last] == b'1' { b'2' } else { b'1' };
    std::fs::write(&data, &changed).unwrap();
    let out = msr_in(&work, &["verify", "bundle"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    says(&out, "changed  ./incidents.csv (dataset incidents)\n");

    // The original, kept in another folder, is found there with --data.
    let kept = work.join("kept");
    std::fs::create_dir_all(&kept).unwrap();
    std::fs::write(kept.join("incidents.csv"), &original).unwrap();
    std::fs::remove_file(&data).unwrap();
    let out = msr_in(&work, &["verify", "bundle"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    says(&out, "missing  ./incidents.csv (dataset incidents)\n");
    says(&out, "(1 missing)");
    let out = msr_in(&work, &["verify", "bundle", "--data", "kept"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    says(&out, "ok       kept/incidents.csv");
}

#[test]
fn verify_rerun_computes_the_results_again_from_the_data() {
    let programme = incidents_copy("evidence-rerun");
    let work = programme.parent().unwrap().to_path_buf();
    let run = [
        "run",
        "incidents.msr",
        "--period",
        "2025-Q3",
        "--evidence",
        "bundle",
    ];
    assert_eq!(msr_in(&work, &run).code, 0);
    let out = msr_in(&work, &["verify", "bundle", "--rerun"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    says(&out, "ok       rerun of results.json\n");

    // The data file changes, so the hashes and the rerun both differ.
    let data = work.join("incidents.csv");
    let text = std::fs::read_to_string(&data).unwrap();
    let header_end = text.find('\n').unwrap() + 1;
    let row_end = header_end + text[header_end..].find('\n').unwrap() + 1;
    std::fs::write(
        &data,
        format!("{}{}", &text[..header_end], &text[row_end..]),
    )
    .unwrap();
    let out = msr_in(&work, &["verify", "bundle", "--rerun"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    says(&out, "changed  ./incidents.csv");
    says(
        &out,
        "changed  rerun of results.json: a new run gives other results\n",
    );
}

#[test]
fn a_directory_holding_other_files_is_refused_and_left_as_it_was() {
    let dir = temp_dir("evidence-foreign");
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let file = root("examples/incidents/incidents.msr");
    // Named from its parent, so that the message is short enough to stay on one line.
    let name = dir.file_name().unwrap().to_str().unwrap();
    let run = ["run", &file, "--period", "2025-Q3", "--evidence", name];
    let out = msr_in(dir.parent().unwrap(), &run);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("msr::evidence::occupied"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("cannot take the evidence bundle"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "no report without its evidence");
    assert_eq!(files(&dir).len(), 1);

    // A file named as the directory is refused too.
    let plain = dir.join("notes.txt");
    let out = msr(&["run", &file, "--evidence", plain.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&plain).unwrap(), "mine");

    // A previous bundle is replaced, and is then the new run's.
    let bundle = dir.join("bundle");
    keep(&[&file, "--period", "2025-Q2"], &bundle);
    let out = keep(&[&file, "--period", "2025-Q3"], &bundle);
    assert!(out.stderr.contains("replacing"), "{}", out.stderr);
    assert_eq!(manifest(&bundle)["run"]["period"], "2025-Q3");
    assert_eq!(msr(&["verify", bundle.to_str().unwrap()]).code, 0);
}

#[test]
fn verify_refuses_a_directory_that_is_not_a_bundle() {
    let dir = temp_dir("evidence-not-a-bundle");
    // Named from its parent, so that the messages are short enough to stay on one line.
    let name = dir.file_name().unwrap().to_str().unwrap();
    let out = msr_in(dir.parent().unwrap(), &["verify", name]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("msr::evidence::not_a_bundle"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("it has no manifest.json"),
        "{}",
        out.stderr
    );

    std::fs::write(dir.join("manifest.json"), "[1, 2]").unwrap();
    let out = msr_in(dir.parent().unwrap(), &["verify", name]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("msr::evidence::not_a_bundle"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("manifest.json is not"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_run_that_fails_writes_no_bundle() {
    let programme = incidents_copy("evidence-failing");
    let work = programme.parent().unwrap().to_path_buf();
    std::fs::write(work.join("incidents.csv"), "nothing,useful\n1,2\n").unwrap();
    let out = msr_in(&work, &["run", "incidents.msr", "--evidence", "bundle"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!work.join("bundle").exists());
}

#[test]
fn skipped_rows_are_recorded() {
    let dir = temp_dir("evidence-skip");
    std::fs::write(
        dir.join("p.msr"),
        r#"
scale Severity = ordinal [low, high]
dataset incidents {
  source "incidents.csv"
  time opened_at
  id        : Int
  opened_at : DateTime
  severity  : Severity
}
measure total : Count = count(incidents)
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("incidents.csv"),
        "id,opened_at,severity\n1,2025-09-01T00:00:00Z,low\n2,2025-09-02T00:00:00Z,hgh\nx,2025-09-03T00:00:00Z,low\n4,2025-09-04T00:00:00Z,high\n",
    )
    .unwrap();
    let out = msr_in(
        &dir,
        &["run", "p.msr", "--skip-bad-rows", "--evidence", "bundle"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let m = manifest(&dir.join("bundle"));
    assert_eq!(m["run"]["skip_bad_rows"], true);
    assert_eq!(m["run"]["period"], Value::Null);
    assert_eq!(m["datasets"][0]["rows"], 2);
    assert_eq!(m["datasets"][0]["skipped_rows"], 2);
    assert_eq!(
        m["datasets"][0]["sha256"],
        sha256_of(&dir.join("incidents.csv"))
    );
    // The whole data is one period without a label, and this programme has no indicator.
    assert_eq!(m["indicators"], serde_json::json!([]));
    assert_eq!(msr_in(&dir, &["verify", "bundle", "--rerun"]).code, 0);
}
