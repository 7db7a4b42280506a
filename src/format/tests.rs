//! The layout of each construct, and comments in awkward places.
//!
//! Every case formats an input and compares it with the expected text, then formats the
//! expected text again to prove that it is a fixed point.

use super::*;

fn format(text: &str) -> String {
    match format_source("test.msr", text) {
        Ok(formatted) => formatted,
        Err(errors) => panic!(
            "formatting failed: {}",
            errors
                .iter()
                .map(|e| e.render_plain(100))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// Formats `input` to `expected`, and `expected` to itself.
#[track_caller]
fn formats(input: &str, expected: &str) {
    assert_eq!(format(input), expected, "formatting the input");
    assert_eq!(
        format(expected),
        expected,
        "formatting the expected text again"
    );
}

#[test]
fn use_lines_stay_together() {
    formats(
        "use   \"a.msr\"\nuse \"std:scales.msr\"\n",
        "use \"a.msr\"\nuse \"std:scales.msr\"\n",
    );
}

#[test]
fn an_empty_file_stays_empty_and_a_file_ends_with_one_line_break() {
    formats("", "");
    formats("\n\n  \n", "");
    formats("use \"a.msr\"", "use \"a.msr\"\n");
    formats("use \"a.msr\"\n\n\n", "use \"a.msr\"\n");
}

#[test]
fn a_scale_that_fits_is_one_line_without_a_trailing_comma() {
    formats(
        "scale Severity=ordinal[low,medium ,high,critical,]",
        "scale Severity = ordinal [low, medium, high, critical]\n",
    );
    formats(
        "scale Maturity = ordinal [initial=1, managed = 2]",
        "scale Maturity = ordinal [initial = 1, managed = 2]\n",
    );
}

#[test]
fn a_long_scale_puts_one_category_per_line_each_with_a_comma() {
    let input = "scale Category = nominal [phishing, malware, unauthorised_access, \
                 policy_violation, lost_device, data_leakage]";
    formats(
        input,
        "scale Category = nominal [\n  phishing,\n  malware,\n  unauthorised_access,\n  \
         policy_violation,\n  lost_device,\n  data_leakage,\n]\n",
    );
}

#[test]
fn a_scale_with_a_comment_inside_puts_one_category_per_line() {
    formats(
        "scale S = ordinal [low, // the least\n high]",
        "scale S = ordinal [\n  low, // the least\n  high,\n]\n",
    );
    formats(
        "scale S = ordinal [ // levels\n low, /* mid */ high]",
        "scale S = ordinal [ // levels\n  low,\n  /* mid */ high,\n]\n",
    );
}

#[test]
fn dataset_settings_and_columns_line_up() {
    formats(
        "dataset incidents \"Tickets\" {\n  source \"incidents.csv\"\n  time opened_at\n  \
         zone \"Europe/Berlin\"\n  id : Int\n  opened_at:DateTime\n  \
         business_unit :   Text\n}\n",
        "dataset incidents \"Tickets\" {\n  source \"incidents.csv\"\n  time   opened_at\n  \
         zone   \"Europe/Berlin\"\n  id            : Int\n  opened_at     : DateTime\n  \
         business_unit : Text\n}\n",
    );
}

#[test]
fn types_are_written_without_inner_spaces() {
    formats(
        "dataset d {\n  a : Count < incident >\n  b : Money<EUR> per incident\n  \
         c : ordinal Severity\n  d : DateTime ?\n}",
        "dataset d {\n  a : Count<incident>\n  b : Money<EUR> per incident\n  \
         c : ordinal Severity\n  d : DateTime?\n}\n",
    );
}

#[test]
fn blank_lines_in_a_block_are_kept_once_but_not_at_its_ends() {
    formats(
        "dataset d {\n\n  source \"d.csv\"\n\n\n\n  a : Int\n\n}",
        "dataset d {\n  source \"d.csv\"\n\n  a : Int\n}\n",
    );
}

#[test]
fn an_empty_block_is_written_with_its_braces_together() {
    formats("dataset d {\n\n}", "dataset d {}\n");
    formats("indicator i \"t\" { }", "indicator i \"t\" {}\n");
}

#[test]
fn trailing_comments_of_a_block_line_up() {
    formats(
        "dataset d {\n  source \"d.csv\" // the export\n  time opened // when\n  \
         a : Int /* key */\n}",
        "dataset d {\n  source \"d.csv\" // the export\n  time   opened  // when\n  \
         a : Int        /* key */\n}\n",
    );
}

#[test]
fn a_hierarchy_is_one_line_and_breaks_after_its_equals_sign() {
    formats(
        "hierarchy org \"Organisation\" = units( unit , parent )",
        "hierarchy org \"Organisation\" = units(unit, parent)\n",
    );
    let title = "t".repeat(70);
    formats(
        &format!("hierarchy organisation \"{title}\" = units(unit, parent)"),
        &format!("hierarchy organisation \"{title}\" =\n  units(unit, parent)\n"),
    );
}

#[test]
fn lookup_keys_line_up_and_commas_between_entries_go() {
    formats(
        "lookup deadline : Severity -> Duration { critical = 7d, high = 30d, \
         \"medium\" = 90d, default = - 1.5h, }",
        "lookup deadline : Severity -> Duration {\n  critical = 7d\n  high     = 30d\n  \
         \"medium\" = 90d\n  default  = -1.5h\n}\n",
    );
}

#[test]
fn a_measure_that_fits_is_one_line() {
    formats(
        "base  measure total \"All\" :Count<incident>=count( incidents )by month( opened_at ), unit",
        "base measure total \"All\" : Count<incident> = count(incidents) by month(opened_at), unit\n",
    );
}

#[test]
fn a_long_measure_puts_its_expression_on_the_next_line() {
    formats(
        "measure mean_time_to_resolve : Duration = mean(resolved_at - opened_at for incidents \
         where resolved_at is not none)",
        "measure mean_time_to_resolve : Duration =\n  \
         mean(resolved_at - opened_at for incidents where resolved_at is not none)\n",
    );
}

#[test]
fn a_long_measure_head_puts_its_type_and_then_its_title_on_lines_of_their_own() {
    let title = "t".repeat(70);
    formats(
        &format!("measure resolved_in_time \"{title}\" : Count<incident> = resolved / total"),
        &format!("measure resolved_in_time \"{title}\" :\n  Count<incident> = resolved / total\n"),
    );
    let title = "t".repeat(90);
    formats(
        &format!("measure resolved_in_time \"{title}\" : Count = resolved / total"),
        &format!("measure resolved_in_time\n  \"{title}\" :\n  Count = resolved / total\n"),
    );
}

#[test]
fn a_long_grouping_goes_to_a_line_of_its_own() {
    let input = "measure per_unit_and_severity_and_month : Count = \
                 count(incidents where severity >= high) by business_unit, severity, month(x)";
    formats(
        input,
        "measure per_unit_and_severity_and_month : Count =\n  \
         count(incidents where severity >= high) by business_unit, severity, month(x)\n",
    );
}

#[test]
fn declarations_of_several_lines_are_set_apart_and_one_liners_stay_as_grouped() {
    let long = "measure m : Duration =\n  \
                mean(resolved_at - opened_at for incidents where resolved_at is not none and x)";
    formats(
        &format!("measure a : Count = 1\nmeasure b : Count = 2\n{long}\nmeasure c : Count = 3"),
        &format!(
            "measure a : Count = 1\nmeasure b : Count = 2\n\n{long}\n\nmeasure c : Count = 3\n"
        ),
    );
    formats(
        "measure a : Count = 1\n\n\n\nmeasure b : Count = 2\n",
        "measure a : Count = 1\n\nmeasure b : Count = 2\n",
    );
}

#[test]
fn indicator_entries_line_up_on_their_first_word_and_bands_on_their_status() {
    formats(
        "indicator sla \"SLA\" {\n  value sla_rate\n  target >= 95%\n  criteria {\n    \
         green when value >= 95%\n    amber when value >= 80%\n    red otherwise\n  }\n  \
         gate red when evidence_age > 180d\n  sample incidents_total >= 5\n  by unit\n  \
         frequency collect monthly, report quarterly\n  controls \"A.5.24\", \"A.5.26\"\n}",
        "indicator sla \"SLA\" {\n  value     sla_rate\n  target    >= 95%\n  criteria {\n    \
         green when value >= 95%\n    amber when value >= 80%\n    red   otherwise\n  }\n  \
         gate      red when evidence_age > 180d\n  sample    incidents_total >= 5\n  \
         by        unit\n  frequency collect monthly, report quarterly\n  \
         controls  \"A.5.24\", \"A.5.26\"\n}\n",
    );
}

#[test]
fn a_long_fact_puts_one_value_per_line_under_the_first() {
    let controls: Vec<String> = (10..22).map(|i| format!("\"A.5.{i}\"")).collect();
    let expected = format!(
        "indicator i {{\n  value    x\n  controls {}\n}}\n",
        controls.join(",\n           ")
    );
    formats(
        &format!("indicator i {{ value x controls {} }}", controls.join(", ")),
        &expected,
    );
}

#[test]
fn a_long_entry_breaks_with_its_lines_indented_from_its_column() {
    formats(
        "indicator i {\n  value count(findings where severity >= high and mitigated_at - \
         detected_at <= deadline(severity)) / count(findings)\n}",
        "indicator i {\n  value count(findings\n          where severity >= high\n            \
         and mitigated_at - detected_at <= deadline(severity)) / count(findings)\n}\n",
    );
}

#[test]
fn long_logic_breaks_before_each_operator_of_the_loosest_chain_first() {
    formats(
        "measure m : Count = count(incidents where (severity = critical and resolved_at - \
         detected_at <= 24h) or (severity = high and resolved_at - detected_at <= 72h) or \
         (severity = low and resolved_at - detected_at <= 10d))",
        "measure m : Count =\n  count(incidents\n    \
         where (severity = critical and resolved_at - detected_at <= 24h)\n      \
         or (severity = high and resolved_at - detected_at <= 72h)\n      \
         or (severity = low and resolved_at - detected_at <= 10d))\n",
    );
}

#[test]
fn a_chain_that_opens_a_looser_chain_breaks_one_level_deeper() {
    let a = "a_long_condition_name_that_is_the_first";
    let b = "a_long_condition_name_that_is_the_second";
    let c = "a_long_condition_name_that_is_the_third";
    let d = "a_long_condition_name_that_is_the_fourth";
    formats(
        &format!("measure m : Count = count(x where {a} and {b} and {c} or {d})"),
        &format!(
            "measure m : Count =\n  count(x\n    where {a}\n        and {b}\n        \
             and {c}\n      or {d})\n"
        ),
    );
}

#[test]
fn long_sums_break_before_plus_and_minus_inside_their_brackets() {
    formats(
        "measure index : Number = 100 * (0.35 * normalise(service_level, 50%, 95%) + 0.25 * \
         normalise(trained_share, 50%, 95%) + 0.25 * normalise(remediation_rate, 40%, 95%))",
        "measure index : Number =\n  100 * (0.35 * normalise(service_level, 50%, 95%)\n    \
         + 0.25 * normalise(trained_share, 50%, 95%)\n    \
         + 0.25 * normalise(remediation_rate, 40%, 95%))\n",
    );
}

#[test]
fn an_aggregate_breaks_before_for_where_and_except() {
    let value = "resolved_at - detected_at + some_long_column_name - another_long_column_name - x";
    formats(
        &format!(
            "measure m : Duration = mean({value} for incidents where resolved_at is not none \
             except waived)"
        ),
        &format!(
            "measure m : Duration =\n  mean({value}\n    for incidents\n    \
             where resolved_at is not none\n    except waived)\n"
        ),
    );
    formats(
        "measure m : Duration = percentile( 90 , x for incidents at resolved_at where a )",
        "measure m : Duration = percentile(90, x for incidents at resolved_at where a)\n",
    );
}

#[test]
fn a_relation_breaks_before_its_where() {
    formats(
        "measure clean : Count<asset> = count(assets where internet_facing and not \
         exists(all_findings on asset_id = asset_id where severity >= high and detected_at < \
         as_of))",
        "measure clean : Count<asset> =\n  count(assets\n    where internet_facing\n      \
         and not exists(all_findings on asset_id = asset_id\n        \
         where severity >= high and detected_at < as_of))\n",
    );
    formats(
        "measure m : Count = count distinct( related( assets on id=asset_id ) . owner for f )",
        "measure m : Count = count distinct(related(assets on id = asset_id).owner for f)\n",
    );
}

#[test]
fn long_calls_and_lists_put_one_element_per_line() {
    let a = "x".repeat(45);
    let b = "y".repeat(45);
    formats(
        &format!("measure m : Number = default(mean({a} for incidents), {b})"),
        &format!("measure m : Number =\n  default(\n    mean({a} for incidents),\n    {b},\n  )\n"),
    );
    formats(
        &format!("measure m : Bool = c in [{a}, {b}, z,]"),
        &format!("measure m : Bool =\n  c in [\n    {a},\n    {b},\n    z,\n  ]\n"),
    );
    formats(
        "measure m : Bool = c not in[a,b,] and f( ) = 1",
        "measure m : Bool = c not in [a, b] and f() = 1\n",
    );
}

#[test]
fn operators_have_one_space_around_and_prefixes_none() {
    formats(
        "measure m : Bool = not(a)and - x>2 or y is  not  none or z within 30d or w is none",
        "measure m : Bool = not (a) and -x > 2 or y is not none or z within 30d or w is none\n",
    );
}

#[test]
fn literals_and_brackets_keep_their_spelling() {
    formats(
        "measure m : Money<EUR> = ((1.50 EUR)) + 2EUR * (1h30m / 90m) + 0.50 * x",
        "measure m : Money<EUR> = ((1.50 EUR)) + 2EUR * (1h30m / 90m) + 0.50 * x\n",
    );
    formats(
        "measure m : Bool = x > 2025-09-01T08:00 and t = \"a \\\"b\\\" // c\"",
        "measure m : Bool = x > 2025-09-01T08:00 and t = \"a \\\"b\\\" // c\"\n",
    );
}

#[test]
fn comments_at_the_start_and_after_the_last_declaration_stay() {
    formats(
        "\n\n// header\n\n/* block\n   kept as is */\nuse \"a.msr\"\n// after\n\n\n/* end */\n",
        "// header\n\n/* block\n   kept as is */\nuse \"a.msr\"\n// after\n\n/* end */\n",
    );
}

#[test]
fn a_comment_between_the_equals_sign_and_the_expression_stays_there() {
    formats(
        "measure m : Count =\n  // why\n  count(x)",
        "measure m : Count =\n  // why\n  count(x)\n",
    );
    formats(
        "measure m : Count = // why\n  count(x)",
        "measure m : Count = // why\n  count(x)\n",
    );
    formats(
        "measure m : Count = /* why */ count(x)",
        "measure m : Count = /* why */ count(x)\n",
    );
}

#[test]
fn comments_inside_criteria_stay_with_their_band() {
    formats(
        "indicator i {\n  value x\n  criteria { // bands\n    // the good\n    green when \
         value > 1 // above one\n\n    /* the rest */\n    red otherwise\n    // last\n  }\n}",
        "indicator i {\n  value x\n  criteria { // bands\n    // the good\n    green when \
         value > 1 // above one\n\n    /* the rest */\n    red   otherwise\n    // last\n  \
         }\n}\n",
    );
}

#[test]
fn block_comments_inside_expressions_stay_between_their_tokens() {
    formats(
        "measure m : Count = count(/* all */ x where /* only */ a and /* both */ b) /* end */",
        "measure m : Count = count( /* all */ x where /* only */ a and /* both */ b) /* end */\n",
    );
}

#[test]
fn a_line_comment_inside_an_expression_ends_its_line() {
    formats(
        "measure m : Count = count(scans // every scan\n where authenticated)",
        "measure m : Count =\n  count(scans // every scan\n    where authenticated)\n",
    );
    formats(
        "measure m : Bool = a and // first\n b and\n // before c\n c",
        "measure m : Bool =\n  a\n    and // first\n    b\n    and\n    // before c\n    c\n",
    );
}

#[test]
fn a_comment_before_a_closing_brace_stays_inside_the_block() {
    formats(
        "dataset d {\n  a : Int\n\n  // more to come\n}\n// after",
        "dataset d {\n  a : Int\n\n  // more to come\n}\n// after\n",
    );
}

#[test]
fn comments_around_a_dropped_comma_keep_their_order() {
    formats(
        "lookup l : Text -> Int { \"a\" = 1 /* one */ , // two\n \"b\" = 2 }",
        "lookup l : Text -> Int {\n  \"a\" = 1 /* one */ // two\n  \"b\" = 2\n}\n",
    );
}

#[test]
fn windows_line_endings_become_line_feeds() {
    formats(
        "use \"a.msr\" // one\r\n\r\nuse \"b.msr\"\r\n",
        "use \"a.msr\" // one\n\nuse \"b.msr\"\n",
    );
}

#[test]
fn a_syntax_error_gives_the_diagnostics_of_msr_check() {
    let errors = format_source("bad.msr", "measure m : Count = count(").unwrap_err();
    assert_eq!(errors[0].code, "msr::syntax::unexpected");
    let errors = format_source("bad.msr", "measure m : Date = 2025-02-30").unwrap_err();
    assert_eq!(errors[0].code, "msr::syntax::bad_literal");
}

#[test]
fn the_check_of_the_result_refuses_a_change_of_token_or_comment() {
    let text = "// one\nmeasure m : Count = a + b /* two */\n";
    let module = syntax::parse(FileId(0), text).expect("the text parses");
    assert!(keeps(&module, text, &format(text)));
    assert!(!keeps(
        &module,
        text,
        "// one\nmeasure m : Count = a - b /* two */\n"
    ));
    assert!(!keeps(
        &module,
        text,
        "// one\nmeasure m : Count = (a + b) * 1 /* two */\n"
    ));
    assert!(!keeps(
        &module,
        text,
        "measure m : Count = a + b /* two */\n"
    ));
    assert!(!keeps(
        &module,
        text,
        "/* two */ measure m : Count = a + b // one\n"
    ));
    assert!(!keeps(&module, text, "// one\nmeasure m : Count = a +\n"));
}

#[test]
fn a_layout_that_loses_its_place_is_a_diagnostic_not_a_changed_file() {
    let source = SourceText::new("x.msr", "measure m : Count = 1");
    let diagnostic = not_kept(&source, Some(8));
    assert_eq!(diagnostic.code, "msr::fmt::internal");
    assert_eq!(diagnostic.labels[0].start, 8);
    assert!(diagnostic.help.is_some());
}

#[test]
fn a_comment_before_an_expression_does_not_break_the_expression() {
    let title = "t".repeat(40);
    formats(
        &format!("measure exposed \"{title}\" : Count<asset> =/* c */ count(assets where facing)"),
        &format!(
            "measure exposed \"{title}\" : Count<asset> =\n  /* c */ count(assets where facing)\n"
        ),
    );
    formats(
        "measure m : Count =\n  // why\n  a - count(x where y)",
        "measure m : Count =\n  // why\n  a - count(x where y)\n",
    );
}

#[test]
fn a_block_comment_that_ended_a_line_stays_apart_from_the_next_token() {
    formats(
        "dataset d {\n  maturity/* c */\n  : Maturity\n}",
        "dataset d {\n  maturity /* c */ : Maturity\n}\n",
    );
}

#[test]
fn the_deepest_expressions_the_parser_accepts_format() {
    let depth = syntax::MAX_NESTING - 1;
    let nested = format!("{}x{}", "(".repeat(depth), ")".repeat(depth));
    let chain = vec!["a"; syntax::MAX_OPERATORS].join(" + ");
    let nots = "not ".repeat(syntax::MAX_OPERATORS - 1);
    for expr in [nested, format!("{nots}x"), chain.clone()] {
        let once = format(&format!("measure m : Number = {expr}"));
        assert_eq!(format(&once), once);
    }
    // The chain breaks before each `+`; brackets and prefixes have nowhere to break.
    let once = format(&format!("measure m : Number = {chain}"));
    assert!(once.lines().all(|line| line.len() <= WIDTH), "{once}");
}

#[test]
fn fixture_tables_line_up_their_columns_and_keep_their_comments() {
    formats(
        "test \"t\" {\nperiod   2025-09\n  given incidents {\n| id | opened_at | unit |\n|---|---|---|\n| a | 2025-09-01T10:00:00Z | \" it \" |   // first\n\n  // the second\n| bb |  |  it |\n}\n  given assets from   \"fixtures/assets.csv\"\n}\n",
        "test \"t\" {\n  period 2025-09\n  given incidents {\n    id | opened_at            | unit\n    a  | 2025-09-01T10:00:00Z | \" it \" // first\n\n    // the second\n    bb |                      | it\n  }\n  given assets from \"fixtures/assets.csv\"\n}\n",
    );
}

#[test]
fn an_empty_fixture_stays_on_its_line() {
    formats(
        "test \"t\" { given assets {   } }\n",
        "test \"t\" {\n  given assets {}\n}\n",
    );
}

#[test]
fn expectations_are_written_without_spaces_in_their_subjects() {
    formats(
        "test \"t\" {\n  expect status( sla )[ \"it\" ,high ] = red in 2025-08\n  expect m=-5 within 1\n  expect sla [\"it\"] misses target\n  expect m is none \"no values\"\n  expect diagnostic msr::data::bad_value \"unknown\"\n}\n",
        "test \"t\" {\n  expect status(sla)[\"it\", high] = red in 2025-08\n  expect m = -5 within 1\n  expect sla[\"it\"] misses target\n  expect m is none \"no values\"\n  expect diagnostic msr::data::bad_value \"unknown\"\n}\n",
    );
}

#[test]
fn bindings_line_up_and_recodings_break_when_long() {
    formats(
        "bind incidents {\nsource \"x.csv\"\n  zone \"Europe/Berlin\"\nid = \"Key\"\n  detected_at = \"Created\"\n  occurred_at = none\n  severity = \"Priority\" { \"P1\" = critical \"P2\" = high }\n}\n",
        "bind incidents {\n  source \"x.csv\"\n  zone   \"Europe/Berlin\"\n  id          = \"Key\"\n  detected_at = \"Created\"\n  occurred_at = none\n  severity    = \"Priority\" { \"P1\" = critical, \"P2\" = high }\n}\n",
    );
    let long: String = (1..=8)
        .map(|i| format!("\"Priority {i}\" = high, "))
        .collect();
    let text = format!("bind incidents {{\n  severity = \"Priority\" {{ {long}}}\n}}\n");
    let out = format(&text);
    assert!(
        out.contains("\"Priority\" {\n    \"Priority 1\" = high,\n"),
        "{out}"
    );
    assert!(out.contains("    \"Priority 8\" = high\n  }\n}"), "{out}");
    assert_eq!(format(&out), out);
}
