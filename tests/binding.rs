//! `bind`: a catalogue's dataset read from a user's own export, with its own column names and
//! its own texts for categories, as `msr run` sees it.

mod common;

const CATALOGUE: &str = r#"
scale Severity = ordinal [low, medium, high, critical]
dataset incidents "Incidents, in the catalogue's schema" {
  source "incidents.csv"
  time detected_at
  id          : Text
  detected_at : DateTime
  severity    : Severity
}
measure incidents_total : Count = count(incidents)
measure severe_incidents : Count = count(incidents where severity >= high)
"#;

const BOUND: &str = r#"
use "catalogue.msr"
bind incidents {
  source "exports/tickets.csv"
  zone   "Europe/Berlin"
  id          = "Key"
  detected_at = "Created"
  severity    = "Priority" { "P1" = critical, "P2" = high, "P3" = medium, "P4" = low }
}
"#;

fn programme(name: &str, tickets: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(name);
    std::fs::write(dir.join("catalogue.msr"), CATALOGUE).unwrap();
    std::fs::write(dir.join("mine.msr"), BOUND).unwrap();
    std::fs::create_dir_all(dir.join("exports")).unwrap();
    std::fs::write(dir.join("exports/tickets.csv"), tickets).unwrap();
    dir
}

fn measure(json: &serde_json::Value, name: &str) -> serde_json::Value {
    json["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no measure {name}"))["value"]
        .clone()
}

#[test]
fn a_bound_dataset_reads_the_files_names_and_texts() {
    // The export writes Berlin time: 1 October 00:30 there is 30 September 22:30 UTC, so
    // the first row is in September; read as UTC it would be in October.
    let dir = programme(
        "bind-run",
        "Created,Key,Priority,Summary\n\
         2025-10-01T00:30:00,J-1,P1,outage\n\
         2025-09-10T10:00:00,J-2,low,typo\n\
         2025-09-30T23:30:00,J-3,P3,phish\n",
    );
    let json = common::run_json(&[
        dir.join("mine.msr").to_str().unwrap(),
        "--period",
        "2025-09",
    ]);
    assert_eq!(measure(&json, "incidents_total"), 3);
    assert_eq!(measure(&json, "severe_incidents"), 1);
}

#[test]
fn a_bad_value_names_the_files_column_and_the_recoded_texts() {
    let dir = programme(
        "bind-bad",
        "Created,Key,Priority\n2025-09-10T10:00:00,J-2,P9\n",
    );
    let out = common::msr(&["run", dir.join("mine.msr").to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("unknown category `P9` in column `Priority`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`P1`, `P2`, `P3`, `P4`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_missing_column_is_named_as_the_file_should_name_it() {
    let dir = programme(
        "bind-missing",
        "Opened,Key,Priority\n2025-09-10T10:00:00,J-2,P1\n",
    );
    let out = common::msr(&["run", dir.join("mine.msr").to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("column `Created` is missing from the header"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unbound_programme_still_reads_the_catalogues_own_names() {
    let dir = programme("bind-unbound", "");
    std::fs::write(
        dir.join("incidents.csv"),
        "id,detected_at,severity\nI-1,2025-09-10T10:00:00Z,high\n",
    )
    .unwrap();
    let json = common::run_json(&[dir.join("catalogue.msr").to_str().unwrap()]);
    assert_eq!(measure(&json, "severe_incidents"), 1);
}

const WITH_OPTIONAL: &str = r#"
scale Severity = ordinal [low, medium, high, critical]
dataset incidents {
  source "incidents.csv"
  time detected_at
  detected_at : DateTime
  occurred_at : DateTime?
  severity    : Severity
}
measure incidents_total : Count = count(incidents)
measure onset_known : Count = count(incidents where occurred_at is not none)
"#;

#[test]
fn a_file_without_an_optional_column_binds_it_to_none() {
    for (source, rows) in [
        ("tickets.csv", "Created,severity\n2025-09-10T10:00:00Z,high\n"),
        // A key of the column's name is ignored: the binding says the file has none.
        (
            "tickets.jsonl",
            "{\"Created\": \"2025-09-10T10:00:00Z\", \"severity\": \"high\", \"occurred_at\": \"2025-09-01T00:00:00Z\"}\n",
        ),
    ] {
        let dir = common::temp_dir(&format!("bind-none-{source}"));
        std::fs::write(dir.join("catalogue.msr"), WITH_OPTIONAL).unwrap();
        std::fs::write(
            dir.join("mine.msr"),
            format!(
                "use \"catalogue.msr\"\nbind incidents {{\n  source \"{source}\"\n  \
                 detected_at = \"Created\"\n  occurred_at = none\n}}\n"
            ),
        )
        .unwrap();
        std::fs::write(dir.join(source), rows).unwrap();
        let json = common::run_json(&[dir.join("mine.msr").to_str().unwrap()]);
        assert_eq!(measure(&json, "incidents_total"), 1, "{source}");
        assert_eq!(measure(&json, "onset_known"), 0, "{source}");
    }
}

#[test]
fn a_missing_optional_column_suggests_binding_it_to_none() {
    let dir = common::temp_dir("bind-none-help");
    std::fs::write(dir.join("catalogue.msr"), WITH_OPTIONAL).unwrap();
    std::fs::write(
        dir.join("incidents.csv"),
        "detected_at,severity\n2025-09-10T10:00:00Z,high\n",
    )
    .unwrap();
    let out = common::msr(&["run", dir.join("catalogue.msr").to_str().unwrap()]);
    assert_eq!(out.code, 1);
    // The help line may wrap; compare its words.
    let words = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("`bind incidents { occurred_at = none }`"),
        "{}",
        out.stderr
    );
}

const STAFF: &str = r#"
dataset staff {
  source "staff.csv"
  id       : Text
  security : Bool
  vetted   : Bool?
  left     : Bool
}
measure security_staff : Count = count(staff where security)
measure vetted_staff : Count = count(staff where vetted)
measure vetting_unknown : Count = count(staff where vetted is none)
measure leavers : Count = count(staff where left)
"#;

const STAFF_BOUND: &str = r#"
use "catalogue.msr"
bind staff {
  source "export"
  security = "Security Role" { "Y" = true, "N" = false }
  vetted   = "Vetted" { "J" = true, "-" = false }
  left     = "Left" { "X" = true, "" = false }
}
"#;

/// The staff programme bound to `file` (`export.csv` or `export.jsonl`) holding `rows`.
fn staff(name: &str, file: &str, rows: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(name);
    std::fs::write(dir.join("catalogue.msr"), STAFF).unwrap();
    std::fs::write(
        dir.join("mine.msr"),
        STAFF_BOUND.replace("\"export\"", &format!("\"{file}\"")),
    )
    .unwrap();
    std::fs::write(dir.join(file), rows).unwrap();
    dir.join("mine.msr")
}

#[test]
fn a_binding_recodes_the_texts_a_file_writes_booleans_as() {
    // `yes` and `1` keep their usual meaning beside the binding's `Y` and `J`; an empty
    // `Vetted` is missing, while the binding makes an empty `Left` false.
    let csv = "id,Security Role,Vetted,Left\n\
               a,Y,J,X\n\
               b,N,-,\n\
               c,yes,,X\n\
               d, Y ,1, \n";
    let jsonl = "{\"id\": \"a\", \"Security Role\": \"Y\", \"Vetted\": \"J\", \"Left\": \"X\"}\n\
                 {\"id\": \"b\", \"Security Role\": \"N\", \"Vetted\": \"-\", \"Left\": \"\"}\n\
                 {\"id\": \"c\", \"Security Role\": true, \"Vetted\": null, \"Left\": \"X\"}\n\
                 {\"id\": \"d\", \"Security Role\": \"Y\", \"Vetted\": \"1\", \"Left\": \"\"}\n";
    for (file, rows) in [("export.csv", csv), ("export.jsonl", jsonl)] {
        let path = staff(&format!("bind-bool-{file}"), file, rows);
        let json = common::run_json(&[path.to_str().unwrap()]);
        assert_eq!(measure(&json, "security_staff"), 3, "{file}");
        assert_eq!(measure(&json, "vetted_staff"), 2, "{file}");
        assert_eq!(measure(&json, "vetting_unknown"), 1, "{file}");
        assert_eq!(measure(&json, "leavers"), 2, "{file}");
    }
}

#[test]
fn a_boolean_text_the_binding_does_not_know_is_a_located_error() {
    let path = staff(
        "bind-bool-bad",
        "export.csv",
        "id,Security Role,Vetted,Left\na,Y,J,X\nb,Q,J,X\n",
    );
    let out = common::msr(&["run", path.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let words = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("invalid boolean `Q` in column `Security Role`"),
        "{}",
        out.stderr
    );
    assert!(words.contains("export.csv:3:3"), "{}", out.stderr);
    assert!(
        words.contains("a text the binding recodes: `Y` for `true`, `N` for `false`"),
        "{}",
        out.stderr
    );

    // `Security Role` has no text for the empty field, so a blank is missing, which a
    // required column may not be.
    let path = staff(
        "bind-bool-blank",
        "export.csv",
        "id,Security Role,Vetted,Left\na,,J,X\n",
    );
    let out = common::msr(&["run", path.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("Security Role"), "{}", out.stderr);
}
