//! Snapshots of diagnostics as a user reads them: the message, the primary label at the
//! fault, secondary labels at the declarations that explain it, and the help line.
//!
//! Each test checks one small programme and renders every diagnostic it produces at a
//! width of 100 columns, without colour, as `msr check` prints them when its output is not
//! a terminal: the errors of a programme that fails, or the warnings of one that checks. Update the snapshots with `INSTA_UPDATE=always cargo test --test diagnostics`
//! and read every changed `.snap` file before accepting it.

use msr::diagnostic::Diagnostic;

/// Every diagnostic of a programme that must fail, from parsing or from checking.
fn diagnostics(name: &str, text: &str) -> Vec<Diagnostic> {
    let parsed = match msr::syntax::parse_text(name, text) {
        Ok(parsed) => parsed,
        Err((_, diagnostics)) => return diagnostics,
    };
    match msr::check::check(parsed) {
        Ok(_) => panic!("{name} checked without errors, but this test needs it to fail"),
        Err(diagnostics) => diagnostics,
    }
}

fn rendered(name: &str, text: &str) -> String {
    let diagnostics = diagnostics(name, text);
    assert!(
        !diagnostics.is_empty(),
        "{name} failed without a diagnostic"
    );
    diagnostics
        .iter()
        .map(|d| d.render_plain(100))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every warning of a programme that must check without errors.
fn warnings(name: &str, text: &str) -> Vec<Diagnostic> {
    let parsed = msr::syntax::parse_text(name, text)
        .unwrap_or_else(|_| panic!("{name} does not parse, but this test needs it to check"));
    match msr::check::check(parsed) {
        Ok((_, warnings)) => warnings,
        Err(_) => panic!("{name} has errors, but this test needs it to check with warnings"),
    }
}

fn rendered_warnings(name: &str, text: &str) -> String {
    let warnings = warnings(name, text);
    assert!(!warnings.is_empty(), "{name} checked without a warning");
    warnings
        .iter()
        .map(|d| d.render_plain(100))
        .collect::<Vec<_>>()
        .join("\n")
}

const INCIDENTS: &str = r#"scale Severity = ordinal [low, medium, high, critical]

dataset incidents "Incident tickets" {
  source "incidents.csv"
  time opened_at
  opened_at     : DateTime
  resolved_at   : DateTime?
  severity      : Severity
  business_unit : Text
  cost          : Number?
}
"#;

/// The shared incident declarations followed by `rest`.
fn incidents(rest: &str) -> String {
    format!("{INCIDENTS}\n{rest}")
}

#[test]
fn misspelt_measure_suggests_the_declared_one() {
    let text = incidents(
        "measure incidents_total : Count = count(incidents)
measure high_incidents : Count = count(incidents where severity >= high)
measure high_share : Percent = high_incidents / incident_total
",
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn misspelt_column_in_a_filter_suggests_the_column() {
    let text = incidents("measure serious : Count = count(incidents where severty >= high)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn misspelt_dataset_suggests_the_declared_one() {
    let text = incidents("measure total_cost : Number = sum(cost for incident)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn misspelt_category_suggests_a_category_of_the_columns_scale() {
    let text = incidents("measure serious : Count = count(incidents where severity >= hihg)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn misspelt_type_suggests_a_type() {
    let text = incidents("measure incidents_total : Cuont = count(incidents)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn duplicate_measure_points_at_both_declarations() {
    let text = incidents(
        "measure open_incidents : Count = count(incidents where resolved_at is none)
measure resolved : Count = count(incidents where resolved_at is not none)
measure open_incidents : Count = count(incidents) - resolved
",
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn cycle_names_every_measure_in_it() {
    let text = incidents(
        "measure all_incidents : Count = open_incidents + closed_incidents
measure open_incidents : Count = backlog
measure backlog : Count = all_incidents - closed_incidents
measure closed_incidents : Count = count(incidents where resolved_at is not none)
",
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn declared_type_mismatch_points_at_the_declared_type() {
    let text = incidents("measure mttr : Percent = mean(resolved_at - opened_at for incidents)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn duration_compared_with_a_number_suggests_a_duration_literal() {
    let text = incidents(
        "measure within_sla : Count = count(incidents where resolved_at - opened_at <= 72)\n",
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn ordering_a_nominal_scale_suggests_equality_or_an_ordinal_scale() {
    let text = r#"scale Region = nominal [emea, americas, apac]

dataset incidents "Incident tickets" {
  source "incidents.csv"
  time opened_at
  opened_at : DateTime
  region    : Region
}

measure west : Count = count(incidents where region >= americas)
"#;
    insta::assert_snapshot!(rendered("regions.msr", text));
}

#[test]
fn mean_of_an_ordinal_scale_suggests_the_median() {
    let text = incidents("measure typical : Severity = mean(severity for incidents)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn measure_inside_a_filter_explains_rows_and_measures() {
    let text = incidents(
        "measure mean_cost : Number = mean(cost for incidents)
measure expensive : Count = count(incidents where cost > mean_cost)
",
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn column_outside_an_aggregate_suggests_aggregating_it() {
    let text = incidents("measure total_cost : Number = cost * 2\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn grouping_by_a_column_one_dataset_lacks_points_at_that_dataset() {
    let text = r#"dataset users "Directory users" {
  source "users.csv"
  user       : Text
  department : Text
}

dataset enrolments "MFA enrolments" {
  source "mfa.csv"
  entity user
  time enrolled_at
  user        : Text
  enrolled_at : DateTime
}

measure adoption : Percent = count(enrolments) / count(users) by department
"#;
    insta::assert_snapshot!(rendered("mfa.msr", text));
}

#[test]
fn time_column_of_the_wrong_type_points_at_its_declaration() {
    let text = r#"dataset tickets "Service desk tickets" {
  source "tickets.csv"
  time created
  created  : Text
  priority : Int
}
"#;
    insta::assert_snapshot!(rendered("tickets.msr", text));
}

#[test]
fn facts_misspelt_and_repeated_are_reported_together() {
    let text = incidents(
        r#"indicator incident_count "Incidents" {
  value    count(incidents)
  ownr     "Head of SOC"
  controls "A.5.24"
  controls "A.5.26"
  frequency collect monthy
}
"#,
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn band_after_otherwise_points_at_the_otherwise() {
    let text = incidents(
        r#"indicator resolution "Incidents resolved" {
  value count(incidents where resolved_at is not none) / count(incidents)
  criteria {
    green when value >= 90%
    red   otherwise
    amber when value >= 75%
  }
}
"#,
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn double_equals_explains_single_equals() {
    let text = incidents("measure serious : Count = count(incidents where severity == high)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn missing_equals_in_a_measure_says_what_is_expected() {
    let text = incidents("measure incidents_total : Count count(incidents)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn unclosed_indicator_brace_says_what_is_missing() {
    let text = incidents(
        r#"indicator incident_count "Incidents" {
  value  count(incidents)
  target <= 100
"#,
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn impossible_date_is_a_bad_literal() {
    let text = incidents(
        "measure after_change : Count = count(incidents where opened_at >= 2025-02-30)\n",
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn scale_list_without_a_comma() {
    let text = "scale Severity = ordinal [\n  low\n  medium,\n  high\n]\n";
    insta::assert_snapshot!(rendered("scales.msr", text));
}

#[test]
fn unterminated_string() {
    let text = "dataset incidents {\n  source \"incidents.csv\n  id : Int\n}\n";
    insta::assert_snapshot!(rendered("incidents.msr", text));
}

#[test]
fn unknown_name_inside_an_aggregate_of_a_criterion() {
    let text = incidents(
        r#"indicator costly "Costly incidents" {
  value count(incidents)
  criteria {
    red when count(incidents where cost > value) > 0
  }
}
"#,
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn grouping_column_of_different_types_names_both_datasets() {
    let text = r#"dataset laptops "Laptop inventory" {
  source "laptops.csv"
  site : Text
}

dataset losses "Lost device reports" {
  source "losses.csv"
  entity laptop
  site : Int
}

measure loss_rate : Percent = count(losses) / count(laptops) by site
"#;
    insta::assert_snapshot!(rendered("devices.msr", text));
}

#[test]
fn mean_of_a_scored_ordinal_scale_offers_the_scores() {
    let text = r#"scale Maturity = ordinal [initial = 1, managed = 2, defined = 3, optimised = 4]

dataset assessments "Control self-assessments" {
  source "assessments.csv"
  control  : Text
  maturity : Maturity
}

measure mean_maturity : Maturity = mean(maturity for assessments)
"#;
    insta::assert_snapshot!(rendered("maturity.msr", text));
}

#[test]
fn counts_of_different_entities_do_not_add() {
    let text = r#"dataset assets "Asset inventory" {
  source "cmdb.csv"
  asset_id : Text
}

dataset incidents "Incident tickets" {
  source "incidents.csv"
  asset_id : Text
}

measure assets_total : Count = count(assets)
measure exposure : Count = assets_total + count(incidents)
"#;
    insta::assert_snapshot!(rendered("exposure.msr", text));
}

#[test]
fn amounts_in_different_currencies_do_not_add() {
    let text = r#"dataset incidents "Incident tickets with costs" {
  source "incident_costs.csv"
  cost_eu : Money<EUR>
  cost_us : Money<USD>
}

measure total_cost : Money<EUR> = sum(cost_eu for incidents) + sum(cost_us for incidents)
"#;
    insta::assert_snapshot!(rendered("costs.msr", text));
}

#[test]
fn cis_1_1_completeness_score_is_a_duration_per_asset() {
    let text = r#"dataset inventory_updates "Asset inventory change log" {
  source "inventory_log.csv"
  updated_at : DateTime
}

dataset assets "Enterprise asset inventory" {
  source "cmdb.csv"
  asset_id : Text
}

measure since_update : Duration = 2025-01-01T00:00:00Z - max(updated_at for inventory_updates)
measure completeness_score : Percent = since_update / count(assets)
"#;
    insta::assert_snapshot!(rendered("cis_1_1.msr", text));
}

#[test]
fn cis_7_4_count_of_applications_against_days() {
    let text = r#"dataset applications "Application inventory" {
  source "applications.csv"
  application   : Text
  has_exception : Bool
}

indicator application_patching "Applications outside automated patching" {
  value  count(applications where has_exception)
  target <= 30d
}
"#;
    insta::assert_snapshot!(rendered("cis_7_4.msr", text));
}

#[test]
fn base_measure_that_combines_measures_names_them() {
    let text = incidents(
        "base measure all_incidents : Count = count(incidents)
base measure resolved : Count = count(incidents where resolved_at is not none)
base measure resolution_rate : Percent = resolved / all_incidents
",
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn count_stated_ordinal_says_it_is_ratio() {
    let text =
        incidents("measure serious : ordinal Count = count(incidents where severity >= high)\n");
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn share_target_above_one_hundred_percent() {
    let text = incidents(
        r#"indicator resolution "Incidents resolved" {
  value  count(incidents where resolved_at is not none) / count(incidents)
  target >= 150%
}
"#,
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn scores_that_do_not_rise_point_at_both_scores() {
    let text = "scale Maturity = ordinal [initial = 1, managed = 3, defined = 2, optimised = 4]\n";
    insta::assert_snapshot!(rendered("maturity.msr", text));
}

#[test]
fn criterion_on_a_measure_that_may_be_missing_warns() {
    let text = incidents(
        r#"measure open_incidents : Count = count(incidents where resolved_at is none)
measure mttr : Duration = mean(resolved_at - opened_at for incidents)

indicator backlog "Open incidents" {
  value open_incidents
  criteria {
    red   when value > 20 or mttr > 72h
    green otherwise
  }
}
"#,
    );
    insta::assert_snapshot!(rendered_warnings("incidents.msr", &text));
}

#[test]
fn band_taken_by_an_earlier_band_warns() {
    let text = incidents(
        r#"indicator resolution "Incidents resolved" {
  value count(incidents where resolved_at is not none) / count(incidents)
  criteria {
    amber when value >= 80%
    green when value >= 95%
    red   otherwise
  }
}
"#,
    );
    insta::assert_snapshot!(rendered_warnings("incidents.msr", &text));
}

#[test]
fn overlapping_bands_warn_with_the_shared_values() {
    let text = incidents(
        r#"indicator resolution_time "Mean time to resolve" {
  value mean(resolved_at - opened_at for incidents)
  criteria {
    green when value <= 24h
    amber when value >= 12h and value <= 72h
    red   otherwise
  }
}
"#,
    );
    insta::assert_snapshot!(rendered_warnings("incidents.msr", &text));
}

#[test]
fn criteria_that_leave_a_gap_warn_with_the_lowest_values() {
    let text = incidents(
        r#"indicator open_critical "Open critical incidents" {
  value count(incidents where severity = critical and resolved_at is none)
  criteria {
    green when value = 0
    red   when value > 3
  }
}
"#,
    );
    insta::assert_snapshot!(rendered_warnings("incidents.msr", &text));
}

#[test]
fn relation_keys_of_different_types_point_at_both_declarations() {
    let text = r#"dataset assets "Asset inventory" {
  source "assets.csv"
  entity asset
  id    : Int
  owner : Text
}

dataset findings "Vulnerability findings" {
  source "findings.csv"
  time found_at
  entity finding
  asset_id : Text
  cvss     : Number
  found_at : DateTime
}

measure clean_assets : Count<asset> =
  count(assets where not exists(findings on asset_id = id where cvss >= 7))
"#;
    insta::assert_snapshot!(rendered("vulnerabilities.msr", text));
}

#[test]
fn relation_keys_written_the_wrong_way_round_are_put_right() {
    let text = r#"dataset assets "Asset inventory" {
  source "assets.csv"
  id : Text
}

dataset findings "Vulnerability findings" {
  source "findings.csv"
  asset_id : Text
}

measure clean_assets : Count = count(assets where not exists(findings on id = asset_id))
"#;
    insta::assert_snapshot!(rendered("vulnerabilities.msr", text));
}

#[test]
fn misspelt_lookup_key_suggests_a_category_of_the_key_scale() {
    let text = incidents(
        r#"lookup resolution_deadline "Resolution deadline per severity" : Severity -> Duration {
  critical = 4h
  hihg     = 24h
  medium   = 72h
  low      = 7d
}
"#,
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}

#[test]
fn lookup_given_a_key_of_another_type_points_at_its_key_type() {
    let text = incidents(
        r#"lookup resolution_deadline : Severity -> Duration {
  critical = 4h
  high     = 24h
  default  = 7d
}

measure resolved_in_time : Count =
  count(incidents where resolved_at - opened_at <= resolution_deadline(business_unit))
"#,
    );
    insta::assert_snapshot!(rendered("incidents.msr", &text));
}
