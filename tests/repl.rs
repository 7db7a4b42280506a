//! The REPL's core driven without a terminal: scripted sessions over the tiny fixture (its
//! September 2025 rows are worked out by hand in tests/cli.rs), printed without colour at
//! 100 columns and compared with snapshots; completion; and inputs that must not end a
//! session.

mod common;

use std::path::{Path, PathBuf};

use msr::repl::{is_complete, Options, Session, CONTINUATION};

const TINY: &str = "tests/fixtures/tiny/tiny.msr";

fn start(files: &[&str], period: Option<&str>) -> (Session, String) {
    let options = Options {
        files: files.iter().map(PathBuf::from).collect(),
        period: period.map(String::from),
        ..Options::default()
    };
    let (session, loaded) = Session::new(options).expect("the period reads");
    (session, loaded.render(100, false))
}

/// Each input as typed at the prompt, followed by what it printed.
fn run(session: &mut Session, inputs: &[&str]) -> String {
    let mut out = String::new();
    for input in inputs {
        let shown = input.replace('\n', &format!("\n{CONTINUATION}"));
        out.push_str(&format!("msr> {shown}\n"));
        out.push_str(&session.eval_line(input).render(100, false));
    }
    out
}

fn transcript(inputs: &[&str]) -> String {
    let (mut session, loaded) = start(&[TINY], Some("2025-09"));
    loaded + &run(&mut session, inputs)
}

#[test]
fn expressions_are_evaluated_for_the_period_with_their_types() {
    insta::assert_snapshot!(transcript(&[
        "count(incidents)",
        "high_or_critical / incidents_total",
        "count(incidents) by business_unit",
        "mean(resolved_at - opened_at for incidents where severity >= high)",
        "sum(cost for incidents)",
        "incidents_total > 4 and sla_rate < 90%",
    ]));
}

#[test]
fn a_redefined_measure_is_evaluated_with_what_uses_it() {
    insta::assert_snapshot!(transcript(&[
        "measure resolved_in_sla : Count =\n  count(incidents where resolved_at - opened_at <= 96h)",
        "measure fast : Count = count(incidents where resolved_at - opened_at <= 12h)",
        "measure fast_share : Percent = fast / incidents_total",
        "measure fast : Count = count(incidents where resolved_at - opened_at <= 24h)",
    ]));
}

#[test]
fn a_declaration_that_does_not_check_leaves_the_programme_as_it_was() {
    insta::assert_snapshot!(transcript(&[
        "measure sla_rate : Duration = resolved_in_sla / incidents_total",
        "sla_rate",
        "measure broken : Count = count(incidents where",
        "count(incidents where severity >= hihg)",
        "sla_rate",
    ]));
}

#[test]
fn a_warning_is_shown_by_the_declaration_that_brings_it_and_not_again() {
    let (mut session, _) = start(&[TINY], Some("2025-09"));
    let indicator = "indicator fast_enough {\n  value sla_rate\n  criteria {\n    \
                     green when value >= 50%\n    amber when value >= 90%\n    \
                     red otherwise\n  }\n}";
    let declared = text(&mut session, indicator);
    assert!(
        declared.contains("msr::check::unreachable_band"),
        "{declared}"
    );
    assert!(
        declared.contains("defined indicator fast_enough"),
        "{declared}"
    );
    let again = text(&mut session, "measure other : Count = count(incidents)");
    assert!(!again.contains("unreachable_band"), "{again}");
}

#[test]
fn a_redefined_lookup_re_evaluates_the_measures_that_use_it() {
    let (mut session, _) = start(&["tests/fixtures/lookups/findings.msr"], None);
    let printed = text(
        &mut session,
        "lookup weight : Severity -> Number { low = 0, medium = 1, high = 3, critical = 9 }",
    );
    assert!(
        printed.starts_with("redefined lookup weight\nre-evaluated weighted_open\n"),
        "{printed}"
    );
}

#[test]
fn explain_goes_from_the_indicator_down_to_the_rows_matched() {
    insta::assert_snapshot!(transcript(&[
        ":explain incident_sla",
        ":e mttr",
        "measure doubled : Count = high_or_critical * 2 + count(incidents where cost > 100)",
        ":explain doubled",
        ":explain sla_rte",
    ]));
}

#[test]
fn type_tells_the_type_scale_type_unit_and_when_a_value_may_be_missing() {
    insta::assert_snapshot!(transcript(&[
        ":type sla_rate",
        ":t count(incidents where severity = critical) / 2",
        ":type median(severity for incidents)",
        ":type incident_sla",
        ":type severity",
    ]));
}

#[test]
fn data_shows_the_schema_the_row_count_and_the_first_rows() {
    insta::assert_snapshot!(transcript(&[":data", ":data incidents", ":d incident"]));
}

#[test]
fn the_period_changes_the_values_and_can_be_the_whole_data() {
    insta::assert_snapshot!(transcript(&[
        ":period",
        "count(incidents)",
        ":period 2025-10",
        "count(incidents)",
        ":p all",
        "count(incidents)",
        ":period 2025-13",
    ]));
}

#[test]
fn lists_help_settings_and_mistakes_in_commands() {
    insta::assert_snapshot!(transcript(&[
        ":help",
        ":help e",
        ":indicators",
        ":set",
        ":set format yaml",
        ":explian sla_rate",
        ":",
        "help",
    ]));
}

#[test]
fn results_in_json() {
    insta::assert_snapshot!(transcript(&[
        ":set format json",
        "count(incidents) by business_unit",
        ":type sla_rate",
        "measure fast : Count = count(incidents where resolved_at - opened_at <= 12h)",
    ]));
}

#[test]
fn every_measure_is_listed_with_its_value() {
    let (mut session, _) = start(&[TINY], Some("2025-09"));
    insta::assert_snapshot!(run(&mut session, &[":measures"]));
}

#[test]
fn a_dataset_typed_at_the_prompt_is_read_at_once() {
    let dir = common::temp_dir("repl-typed-dataset");
    let csv = std::fs::read_to_string(common::root("tests/fixtures/tiny/incidents.csv"))
        .expect("the fixture reads");
    std::fs::write(dir.join("tickets.csv"), csv).expect("a writable scratch folder");
    let options = Options {
        data_dir: Some(dir.clone()),
        ..Options::default()
    };
    let (mut session, _) = Session::new(options).expect("no period to read");
    insta::assert_snapshot!(run(
        &mut session,
        &[
            "use \"std:scales.msr\"",
            "dataset tickets {\n  source \"tickets.csv\"\n  time opened_at\n  opened_at : DateTime\n  severity : Severity\n}",
            "count(tickets where severity >= high) by severity",
            ":data tickets",
        ],
    ));
}

/// Writes the tiny fixture into a scratch folder, to be changed by a test.
fn tiny_copy(name: &str) -> PathBuf {
    let dir = common::temp_dir(name);
    for file in ["tiny.msr", "incidents.csv"] {
        let text = std::fs::read_to_string(common::root(&format!("tests/fixtures/tiny/{file}")))
            .expect("the fixture reads");
        std::fs::write(dir.join(file), text).expect("a writable scratch folder");
    }
    dir
}

fn start_in(dir: &Path) -> Session {
    let options = Options {
        files: vec![dir.join("tiny.msr")],
        period: Some("2025-09".into()),
        ..Options::default()
    };
    Session::new(options).expect("the period reads").0
}

fn text(session: &mut Session, input: &str) -> String {
    session.eval_line(input).render(100, false)
}

#[test]
fn a_data_file_that_changes_is_read_again_before_the_next_evaluation() {
    let dir = tiny_copy("repl-changed-data");
    let mut session = start_in(&dir);
    assert_eq!(
        text(&mut session, "incidents_total"),
        "5 : Count<incident>\n"
    );

    let csv = dir.join("incidents.csv");
    let mut rows = std::fs::read_to_string(&csv).expect("the copy reads");
    rows.push_str("8,2025-09-20T10:00:00Z,,low,HR,\n");
    std::fs::write(&csv, rows).expect("the copy is writable");
    assert_eq!(
        text(&mut session, "incidents_total"),
        "read dataset incidents again: its file changed\n6 : Count<incident>\n"
    );
    assert_eq!(
        text(&mut session, "incidents_total"),
        "6 : Count<incident>\n"
    );
}

#[test]
fn a_table_is_kept_while_its_declaration_and_its_file_stay_the_same() {
    let dir = tiny_copy("repl-kept-table");
    let mut session = start_in(&dir);
    assert_eq!(
        text(
            &mut session,
            "count(incidents where business_unit = \"HR\")"
        ),
        "1 : Count<incident>\n"
    );

    // The same length and modification time: to the session, the same file.
    let csv = dir.join("incidents.csv");
    let modified = std::fs::metadata(&csv)
        .and_then(|m| m.modified())
        .expect("the copy has a modification time");
    let rows = std::fs::read_to_string(&csv).expect("the copy reads");
    std::fs::write(&csv, rows.replace(",IT,", ",HR,")).expect("the copy is writable");
    std::fs::File::options()
        .write(true)
        .open(&csv)
        .and_then(|f| f.set_modified(modified))
        .expect("the modification time is set back");

    // Another measure changes the programme; the table is the one read before.
    text(&mut session, "measure other : Count = count(incidents)");
    assert_eq!(
        text(
            &mut session,
            "count(incidents where business_unit = \"HR\")"
        ),
        "1 : Count<incident>\n"
    );

    // A changed declaration is another dataset, read anew.
    let redeclared = "dataset incidents {\n  source \"incidents.csv\"\n  time opened_at\n  \
                      zone \"UTC\"\n  id : Int\n  opened_at : DateTime\n  \
                      resolved_at : DateTime?\n  severity : Severity\n  \
                      business_unit : Text\n  cost : Number?\n}";
    let declared = text(&mut session, redeclared);
    assert!(
        declared.starts_with("redefined dataset incidents"),
        "{declared}"
    );
    assert_eq!(
        text(
            &mut session,
            "count(incidents where business_unit = \"HR\")"
        ),
        "3 : Count<incident>\n"
    );
}

#[test]
fn load_and_reload_read_the_files_and_keep_what_was_typed() {
    let dir = tiny_copy("repl-reload");
    let extra = dir.join("extra.msr");
    std::fs::write(
        &extra,
        "measure lows : Count = count(incidents where severity = low)\n",
    )
    .expect("a writable scratch folder");
    let mut session = start_in(&dir);
    let load = format!(":load {}", extra.display());
    assert!(text(&mut session, &load).contains("15 measures"));
    text(&mut session, "measure typed : Count = lows + 1");
    assert_eq!(text(&mut session, "typed"), "2 : Count<incident>\n");

    std::fs::write(
        &extra,
        "measure lows : Count = count(incidents where severity <= medium)\n",
    )
    .expect("a writable scratch folder");
    let reloaded = text(&mut session, ":reload");
    assert!(reloaded.starts_with("loaded "), "{reloaded}");
    assert_eq!(text(&mut session, "typed"), "3 : Count<incident>\n");

    // A file that no longer checks leaves the programme as it was.
    std::fs::write(&extra, "measure lows : Count = count(incident)\n").expect("writable");
    let failed = text(&mut session, ":r");
    assert!(failed.contains("msr::check::unknown_dataset"), "{failed}");
    assert!(
        failed.contains("error: the programme stays as it was"),
        "{failed}"
    );
    assert_eq!(text(&mut session, "typed"), "3 : Count<incident>\n");
}

#[test]
fn completion_offers_names_columns_and_commands_where_they_fit() {
    let (session, _) = start(&[TINY], None);
    let complete = |line: &str| session.complete(line, line.len()).1;
    assert_eq!(complete(":ex"), [":explain"]);
    assert_eq!(complete(":explain sla"), ["sla_rate"]);
    assert_eq!(complete(":explain incident_"), ["incident_sla"]);
    assert_eq!(complete(":data in"), ["incidents"]);
    assert_eq!(complete(":set format "), ["json", "table"]);
    assert_eq!(complete(":help rel"), ["reload"]);
    assert_eq!(
        complete(":load tests/fixtures/ti"),
        ["tests/fixtures/tiny/"]
    );
    assert_eq!(
        complete(":load tests/fixtures/tiny/"),
        ["tests/fixtures/tiny/tiny.msr"]
    );
    assert_eq!(complete("sla_"), ["sla_rate"]);
    assert_eq!(complete("count(inc"), ["incidents"]);
    assert_eq!(complete("count(incidents where sev"), ["severity"]);
    assert_eq!(
        complete("count(incidents where severity >= cr"),
        ["critical"]
    );
    assert_eq!(
        complete("mean(resolved_at - opened_at for incidents where b"),
        ["business_unit", "by"].map(String::from)[..1]
    );
    assert_eq!(complete("mean(x for inc"), ["incidents"]);
    assert_eq!(complete("sum(cost for incidents at res"), ["resolved_at"]);
    assert_eq!(complete("count(incidents) by bus"), ["business_unit"]);
    assert_eq!(complete("measure x : Perc"), ["Percent"]);
    assert_eq!(complete(":type count(incidents where op"), ["opened_at"]);
    assert_eq!(complete("mea"), ["mean", "mean_by", "mean_over", "measure"]);

    // The dataset may come after the cursor, as in the value of a mean.
    let line = "mean(reso for incidents)";
    assert_eq!(
        session.complete(line, 9),
        (5, vec!["resolved_at".to_string()])
    );

    // A continuation prompt is not part of the input.
    let line = format!("count(incidents\n{CONTINUATION}where sev");
    assert_eq!(session.complete(&line, line.len()).1, ["severity"]);

    // Every column after `where`, none of another dataset's.
    let columns = complete("count(incidents where ");
    for c in [
        "id",
        "opened_at",
        "resolved_at",
        "severity",
        "business_unit",
        "cost",
    ] {
        assert!(columns.iter().any(|w| w == c), "{c} in {columns:?}");
    }
}

#[test]
fn completion_inside_relations_knows_which_dataset_each_key_belongs_to() {
    let (session, _) = start(&["tests/fixtures/relations/relations.msr"], None);
    let complete = |line: &str| session.complete(line, line.len()).1;
    assert_eq!(complete("count(findings where exists(as"), ["assets"]);
    assert_eq!(
        complete("count(findings where exists(assets on own"),
        ["owner"]
    );
    assert_eq!(
        complete("count(findings where exists(assets on id = asset"),
        ["asset_id"]
    );
    assert_eq!(
        complete("count(findings where exists(assets on id = asset_id where inter"),
        ["internet_facing"]
    );
    assert_eq!(
        complete("count(findings where related(assets on id = asset_id).ow"),
        ["owner"]
    );
}

#[test]
fn hints_finish_a_command_and_say_what_it_takes() {
    let (session, _) = start(&[TINY], None);
    let hint = |line: &str| session.hint(line, line.len()).map(|h| (h.text, h.inserts));
    assert_eq!(hint(":expl"), Some(("ain".to_string(), true)));
    assert_eq!(hint(":explain"), None);
    assert_eq!(hint(":explain "), Some(("NAME [GROUP]".to_string(), false)));
    assert_eq!(hint(":e "), Some(("NAME [GROUP]".to_string(), false)));
    assert_eq!(hint(":x"), None);
    assert_eq!(hint("count("), None);
}

#[test]
fn multi_line_input_goes_on_until_it_is_whole() {
    assert!(!is_complete("measure fast : Count ="));
    assert!(!is_complete(&format!(
        "measure fast : Count =\n{CONTINUATION}  count(incidents"
    )));
    assert!(is_complete(&format!(
        "measure fast : Count =\n{CONTINUATION}  count(incidents)"
    )));
    let (mut session, _) = start(&[TINY], Some("2025-09"));
    let typed = format!("measure fast : Count =\n{CONTINUATION}  count(incidents)");
    let printed = text(&mut session, &typed);
    assert!(printed.starts_with("defined measure fast\n"), "{printed}");
}

#[test]
fn no_input_ends_the_session_but_quit() {
    let (mut session, _) = start(&[TINY], Some("2025-09"));
    let enormous = format!("1{}", " + 1".repeat(20_000));
    let long_name = "a".repeat(100_000);
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    let garbage = String::from_utf8_lossy(b"count(\xff\xfe incidents \x00 where)").into_owned();
    let inputs = [
        enormous.as_str(),
        long_name.as_str(),
        deep.as_str(),
        garbage.as_str(),
        ":",
        "::",
        ": load",
        ":load",
        ":load does/not/exist.msr",
        ":data nope",
        ":explain",
        ":type",
        ":period 2025-W99",
        "\"unclosed",
        "measure",
        "dataset d { source \"../outside.csv\" x : Int }\nmeasure m : Count = count(d)",
        "}}}",
        "é",
        "count(incidents) by",
        "previous(incidents_total)",
    ];
    for input in inputs {
        let output = session.eval_line(input);
        assert!(!output.quit, "{input:.40} ended the session");
        let _ = output.render(100, false);
        for pos in (0..input.len().min(50)).chain([input.len()]) {
            let _ = session.complete(input, pos);
            let _ = session.hint(input, pos);
        }
        let _ = is_complete(input);
    }
    assert_eq!(
        text(&mut session, "incidents_total"),
        "5 : Count<incident>\n"
    );
    assert!(session.eval_line(":q").quit);
    assert!(session.eval_line("quit").quit);
}

/// Runs `msr repl ARGS` with `input` on standard input: exit code, standard output and
/// standard error.
fn scripted(args: &[&str], input: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_msr"))
        .arg("repl")
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).expect("the input is written");
    }
    let out = child.wait_with_output().expect("the binary ends");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn without_a_terminal_inputs_are_read_from_standard_input() {
    let input =
        b"measure fast : Count =\n  count(incidents where resolved_at - opened_at <= 12h)\n\
                 fast * 10\n";
    let (code, stdout, stderr) = scripted(&[TINY, "--period", "2025-09"], input);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("defined measure fast\n"), "{stdout}");
    assert!(stdout.ends_with("20 : Count<incident>\n"), "{stdout}");
    assert!(!stdout.contains("msr>"), "{stdout}");

    // An input that fails makes the exit code 1; the inputs after it still run.
    let (code, stdout, stderr) = scripted(&[TINY], b"nope + 1\n\xff\nincidents_total\n");
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown name `nope`"), "{stderr}");
    assert!(stdout.ends_with("7 : Count<incident>\n"), "{stdout}");

    // The end of the input ends the last one, complete or not.
    let (code, _, stderr) = scripted(&[TINY], b"count(incidents where");
    assert_eq!(code, 1);
    assert!(stderr.contains("msr::syntax::unexpected"), "{stderr}");

    let (code, _, stderr) = scripted(&[TINY, "--period", "2025-13"], b"");
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn tests_typed_at_the_prompt_run_with_test() {
    let (mut session, _) = start(&[TINY], Some("2025-09"));
    let defined = session
        .eval_line("test \"two high\" {\n  given incidents {\n    id | opened_at | severity | business_unit\n    1 | 2025-09-01T08:00:00Z | high | it\n    2 | 2025-09-02T08:00:00Z | critical | hr\n  }\n  expect high_or_critical = 2\n}")
        .render(100, false);
    assert!(defined.contains("defined test \"two high\""), "{defined}");
    let ran = session.eval_line(":test two").render(100, false);
    assert!(
        ran.contains("ok    two high") && ran.ends_with("1 passed, 0 failed\n"),
        "{ran}"
    );

    // Redefined under the same name, the test replaces the first, and now fails.
    session.eval_line("test \"two high\" { expect high_or_critical = 2 }");
    let ran = session.eval_line(":test").render(100, false);
    assert!(
        ran.contains("FAIL  two high") && ran.contains("+ actual   0"),
        "{ran}"
    );
    assert!(ran.ends_with("0 passed, 1 failed\n"), "{ran}");
}

#[test]
fn a_binding_typed_at_the_prompt_reads_the_file_again() {
    let dir = common::temp_dir("repl-bind");
    std::fs::copy(common::root(TINY), dir.join("tiny.msr")).unwrap();
    std::fs::write(
        dir.join("export.csv"),
        "Key,Opened,resolved_at,severity,business_unit,cost\n\
         1,2025-09-01T08:00:00Z,,P1,it,\n",
    )
    .unwrap();
    let mut session = start_in(&dir);
    let bound = text(
        &mut session,
        "bind incidents {\n  source \"export.csv\"\n  id = \"Key\"\n  opened_at = \"Opened\"\n  severity = \"severity\" { \"P1\" = critical }\n}",
    );
    assert!(
        bound.contains("bound dataset incidents to export.csv"),
        "{bound}"
    );
    assert_eq!(
        text(&mut session, "high_or_critical").trim(),
        "1 : Count<incident>"
    );
}

#[test]
fn explain_takes_a_group_by_its_key() {
    let (mut session, _) = start(&[TINY], Some("2025-09"));
    let it = text(&mut session, ":explain incident_sla IT");
    assert!(
        it.contains("incident_sla = 50% : Percent, status amber"),
        "{it}"
    );
    assert!(it.contains("this is group IT") && it.contains("2 rows of incidents read, 1 matched"));
    let none = text(&mut session, ":explain incident_sla Legal");
    assert!(none.contains("its groups are Finance, HR, IT"), "{none}");
}

#[test]
fn the_time_zone_and_the_instant_can_be_set_at_the_prompt() {
    // In Berlin, September starts on 31 August at 22:00 UTC and ends on 30 September at
    // 22:00 UTC: IT gains the incident of 31 August, 23:00 and HR loses that of 30 September,
    // 23:59. Seen from 12 September (midnight in Berlin), four incidents are there.
    let out = transcript(&[
        ":set",
        "count(incidents) by business_unit",
        ":set tz Europe/Berlin",
        ":period",
        "count(incidents) by business_unit",
        ":set as_of 2025-09-12",
        "count(incidents)",
        ":set as_of none",
        ":set tz Mars/Olympus",
        ":set as_of soon",
    ]);
    insta::assert_snapshot!(out);
}

#[test]
fn the_session_starts_with_the_clocks_it_is_given() {
    let options = Options {
        files: vec![PathBuf::from(TINY)],
        period: Some("2025-09".into()),
        clocks: msr::eval::Clocks {
            calendar: msr::eval::Calendar::named("Europe/Berlin").unwrap(),
            as_of: None,
        },
        ..Options::default()
    };
    let (mut session, _) = Session::new(options).expect("the period reads");
    let out = run(&mut session, &[":period"]);
    assert!(
        out.contains("period 2025-09 [2025-09-01T00:00:00+02:00, 2025-10-01T00:00:00+02:00)"),
        "{out}"
    );
}

#[test]
fn save_writes_the_typed_declarations_to_a_file_that_checks() {
    let dir = tiny_copy("repl-save");
    let mut session = start_in(&dir);
    assert!(text(&mut session, ":save new.msr").contains("nothing to save"));
    text(
        &mut session,
        "measure critical_count : Count = count(incidents where severity = critical)",
    );
    text(
        &mut session,
        "measure critical_share : Percent =\n  critical_count / incidents_total",
    );

    // A new file in a folder of its own imports the file loaded, by a relative path.
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let saved = dir.join("sub/new.msr");
    let out = text(&mut session, &format!(":save {}", saved.display()));
    assert!(out.contains("saved 2 declarations to"), "{out}");
    let written = std::fs::read_to_string(&saved).unwrap();
    assert_eq!(
        written,
        "use \"../tiny.msr\"\n\n\
         measure critical_count : Count = count(incidents where severity = critical)\n\n\
         measure critical_share : Percent = critical_count / incidents_total\n"
    );
    let checked = common::msr(&["check", saved.to_str().unwrap()]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);

    // A file that exists keeps its text, and gets the declarations after it.
    let notes = dir.join("notes.msr");
    std::fs::write(&notes, "// Measures tried at the prompt\n").unwrap();
    text(&mut session, &format!(":save {}", notes.display()));
    let written = std::fs::read_to_string(&notes).unwrap();
    assert!(
        written.starts_with("// Measures tried at the prompt\n\nmeasure critical_count"),
        "{written}"
    );

    // A name the file declares already is not written twice.
    text(
        &mut session,
        "measure incidents_total : Count = count(incidents) + 0",
    );
    let before = std::fs::read_to_string(dir.join("tiny.msr")).unwrap();
    let out = text(
        &mut session,
        &format!(":save {}", dir.join("tiny.msr").display()),
    );
    assert!(out.contains("already declares `incidents_total`"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join("tiny.msr")).unwrap(),
        before
    );
}

#[test]
fn save_says_what_it_needs_and_what_it_cannot_write() {
    let dir = tiny_copy("repl-save-errors");
    let mut session = start_in(&dir);
    text(
        &mut session,
        "measure doubled : Count = incidents_total * 2",
    );
    let out = text(&mut session, ":save");
    assert!(out.contains("`:save` takes the file to write"), "{out}");
    // A folder is neither a file to read nor one to write.
    let out = text(&mut session, &format!(":save {}", dir.display()));
    assert!(out.starts_with("error: cannot "), "{out}");
    let out = text(
        &mut session,
        &format!(":save {}", dir.join("no/such/new.msr").display()),
    );
    assert!(out.contains("cannot write"), "{out}");
}
