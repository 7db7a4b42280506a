//! `msr run --format html` as a user runs it: one self-contained, well-formed document for
//! a period and for a series, on the shipped examples and on a programme whose names, facts
//! and data are full of characters that HTML gives a meaning to.

mod common;

use common::{msr_in, run_json, temp_dir};
use serde_json::Value;
use std::path::Path;

/// Runs `msr run ARGS --format html` from the crate root and returns the document, failing
/// on a non-zero exit.
fn html(args: &[&str]) -> String {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "html"]);
    let out = msr_in(Path::new(env!("CARGO_MANIFEST_DIR")), &all);
    assert_eq!(out.code, 0, "msr {all:?} failed:\n{}", out.stderr);
    out.stdout
}

/// Elements that HTML allows without an end tag.
const VOID: &[&str] = &["meta", "br", "hr", "img", "link", "input", "wbr", "col"];

/// Fails unless every element opened is closed, in order, and every `&` starts one of the
/// entities the report writes.
fn assert_balanced(doc: &str) {
    let mut open: Vec<String> = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("a tag is not ended: {rest:.80}"));
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        assert!(!tag.ends_with('/'), "self-closing tag <{tag}>");
        if let Some(name) = tag.strip_prefix('/') {
            let top = open
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(top, name, "</{name}> closes <{top}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "not a tag: <{tag}>");
        if name == "style" {
            // The style sheet is raw text up to its end tag.
            let close = rest.find("</style>").expect("the style sheet is closed");
            assert!(!rest[..close].contains('<'), "a `<` in the style sheet");
            rest = &rest[close..];
        }
        if !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "never closed: {open:?}");

    let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
    for (at, _) in doc.match_indices('&') {
        assert!(
            entities.iter().any(|e| doc[at..].starts_with(e)),
            "a bare `&`: {:.40}",
            &doc[at..]
        );
    }
}

/// Fails when the document would fetch anything or run a script.
fn assert_self_contained(doc: &str) {
    assert!(
        doc.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{doc:.200}"
    );
    assert!(doc.trim_end().ends_with("</html>"));
    for banned in [
        "http://", "https://", "<script", "<link", "src=", "url(", "@import", "<img",
    ] {
        assert!(!doc.contains(banned), "the document holds `{banned}`");
    }
    assert!(doc.contains("@media print"));
    assert!(doc.contains("overflow-x: auto"));
    assert_balanced(doc);
}

/// The text of the first element that starts with `start`, up to the end tag `end`.
fn element<'d>(doc: &'d str, start: &str, end: &str) -> &'d str {
    let at = doc
        .find(start)
        .unwrap_or_else(|| panic!("no `{start}` in the document"));
    let len = doc[at..].find(end).expect("the element is closed");
    &doc[at..at + len]
}

/// The class a status's colour is given by.
fn tone(status: &str) -> &'static str {
    match status {
        "green" => "st-green",
        "amber" | "yellow" => "st-amber",
        "red" => "st-red",
        "insufficient data" => "st-insufficient",
        _ => "st-other",
    }
}

/// Text as the document writes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn status_of(v: &Value) -> String {
    v["status"].as_str().unwrap_or("no band holds").to_string()
}

#[test]
fn a_period_report_states_the_period_and_the_data_read() {
    let doc = html(&["examples/incidents/incidents.msr", "--period", "2025-Q3"]);
    assert_self_contained(&doc);
    assert!(doc.contains("<title>Measurement report: 2025-Q3</title>"));
    let header = element(&doc, "<header>", "</header>");
    for text in [
        "2025-Q3",
        "2025-07-01T00:00:00Z",
        "2025-10-01T00:00:00Z",
        "UTC",
    ] {
        assert!(header.contains(text), "{text} missing from\n{header}");
    }
    // No instant was given to see the data from.
    assert!(!doc.contains("Data as it stood at"));

    let json = run_json(&["examples/incidents/incidents.msr", "--period", "2025-Q3"]);
    let data = element(&doc, "<section id=\"datasets\"", "</section>");
    for d in json["datasets"].as_array().unwrap() {
        let row = element(
            data,
            &format!("<code>{}</code>", d["name"].as_str().unwrap()),
            "</tr>",
        );
        for n in ["rows", "rows_in_period", "skipped_rows"] {
            assert!(
                row.contains(&format!(">{}<", d[n])),
                "{n} missing from\n{row}"
            );
        }
    }
    let measures = element(&doc, "<section id=\"measures\"", "</section>");
    for m in json["measures"].as_array().unwrap() {
        let name = m["name"].as_str().unwrap();
        let row = element(measures, &format!("<code>{name}</code>"), "</tr>");
        let display = escaped(m["display"].as_str().unwrap());
        assert!(row.contains(&display), "{display} missing from\n{row}");
    }
}

#[test]
fn every_isms_indicator_appears_with_its_status_word() {
    let args = ["examples/isms/isms.msr", "--period", "2025-Q3"];
    let doc = html(&args);
    assert_self_contained(&doc);
    let json = run_json(&args);
    let indicators = json["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 29);

    let mut insufficient = 0;
    for i in indicators {
        let name = i["name"].as_str().unwrap();
        let status = status_of(i);
        let article = element(
            &doc,
            &format!("<article class=\"indicator\" id=\"indicator-{name}\">"),
            "</article>",
        );
        let badge = format!("<span class=\"badge {}\">{status}</span>", tone(&status));
        assert!(article.contains(&badge), "{name}: no {badge}");
        let value = escaped(i["display"].as_str().unwrap());
        assert!(article.contains(&value), "{name}: no {value}");
        // Each group has its status too, in the table of groups.
        for g in i["groups"].as_array().unwrap() {
            let key = escaped(g["key"].as_str().unwrap());
            let row = element(article, &format!("<th scope=\"row\">{key}</th>"), "</tr>");
            let status = status_of(g);
            assert!(
                row.contains(&format!(">{status}</span>")),
                "{name} {key}: {row}"
            );
        }
        insufficient += usize::from(status == "insufficient data");
    }
    // The summary counts the indicators of each status.
    let summary = element(&doc, "<p class=\"summary\">", "</p>");
    assert!(
        summary.starts_with("<p class=\"summary\">29 indicators:"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(">{insufficient} insufficient data<")),
        "{summary}"
    );
}

/// Fails unless the matrix row of each indicator in `doc` shows, period by period, the
/// status that the JSON series gives.
fn assert_matrix_statuses(doc: &str, json: &Value) {
    let matrix = element(doc, "<section id=\"indicators\"", "</section>");
    for i in json["indicators"].as_array().unwrap() {
        let name = i["name"].as_str().unwrap();
        let row = element(matrix, &format!("<a href=\"#indicator-{name}\">"), "</tr>");
        let words: Vec<&str> = row
            .split("<span class=\"word\">")
            .skip(1)
            .map(|s| &s[..s.find('<').unwrap()])
            .collect();
        let expected: Vec<String> = i["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(status_of)
            .collect();
        assert_eq!(words, expected, "{name}");
        for status in &expected {
            assert!(
                row.contains(&format!("class=\"cell {}\"", tone(status))),
                "{name}"
            );
        }
    }
}

#[test]
fn a_series_is_a_matrix_with_a_sparkline_per_numeric_indicator() {
    let args = [
        "examples/year/year.msr",
        "--from",
        "2025-01",
        "--to",
        "2025-12",
    ];
    let doc = html(&args);
    assert_self_contained(&doc);
    let json = run_json(&args);
    assert_matrix_statuses(&doc, &json);

    let header = element(&doc, "<header>", "</header>");
    assert!(
        header.contains("2025-01 to 2025-12 by month, 12 periods"),
        "{header}"
    );
    let matrix = element(&doc, "<section id=\"indicators\"", "</section>");
    let head = element(matrix, "<thead>", "</thead>");
    for m in 1..=12 {
        assert!(head.contains(&format!(">2025-{m:02}</th>")), "2025-{m:02}");
    }
    for i in json["indicators"].as_array().unwrap() {
        let name = i["name"].as_str().unwrap();
        let row = element(matrix, &format!("<a href=\"#indicator-{name}\">"), "</tr>");
        assert!(
            row.contains("<svg class=\"spark\""),
            "{name} has no sparkline"
        );
        assert!(row.contains(&format!("aria-label=\"trend of {name}: lowest ")));
        // The facts of each indicator are stated once, below the matrix.
        let id = format!("id=\"indicator-{name}\"");
        assert_eq!(doc.matches(&id).count(), 1, "{name}");
    }
    assert!(doc.contains("<section id=\"measures\""));
}

#[test]
fn the_isms_series_shows_every_indicator_in_every_month() {
    let args = [
        "examples/isms/isms.msr",
        "--from",
        "2025-01",
        "--to",
        "2025-12",
    ];
    let doc = html(&args);
    assert_self_contained(&doc);
    assert_matrix_statuses(&doc, &run_json(&args));
}

#[test]
fn user_text_is_escaped_everywhere() {
    let dir = temp_dir("html-escaping");
    std::fs::write(
        dir.join("esc.msr"),
        r#"dataset things {
  source "things.csv"
  time seen_at
  seen_at : DateTime
  unit    : Text
  ok      : Bool
}

measure total "All <things> & 'stuff'" : Count = count(things)
measure good : Count = count(things where ok)
measure rate : Percent = good / total by unit

indicator good_rate "<script>alert('x')</script> & co" {
  value    rate
  target   >= 90%
  criteria {
    pass when value >= 90%
    fail otherwise
  }
  by       unit
  owner    "R&D <lead>"
  controls "A.5<1>", "B&C"
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("things.csv"),
        "seen_at,unit,ok\n\
         2025-09-01T00:00:00Z,<i>Ops</i>,true\n\
         2025-09-02T00:00:00Z,A&B,false\n\
         2025-09-03T00:00:00Z,\"say \"\"hi\"\"\",true\n\
         2025-09-04T00:00:00Z,O'Neil,true\n\
         2025-09-05T00:00:00Z,A&B,notabool\n",
    )
    .unwrap();
    let file = dir.join("esc.msr");
    let doc = html(&[
        file.to_str().unwrap(),
        "--period",
        "2025-09",
        "--skip-bad-rows",
    ]);
    assert_self_contained(&doc);

    for escaped in [
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co",
        "All &lt;things&gt; &amp; &#39;stuff&#39;",
        "<th scope=\"row\">&lt;i&gt;Ops&lt;/i&gt;</th>",
        "<th scope=\"row\">A&amp;B</th>",
        "<th scope=\"row\">say &quot;hi&quot;</th>",
        "<th scope=\"row\">O&#39;Neil</th>",
        "<dd>R&amp;D &lt;lead&gt;</dd>",
        "<dd>A.5&lt;1&gt;, B&amp;C</dd>",
    ] {
        assert!(doc.contains(escaped), "no `{escaped}`");
    }
    assert!(!doc.contains("<i>"));

    // Statuses of the designer's own are neutral, and carry their word.
    assert!(doc.contains("<span class=\"badge st-other\">fail</span>"));
    assert!(doc.contains("<span class=\"badge st-other\">pass</span>"));
    // The row left out while loading is counted and listed.
    let data = element(&doc, "<section id=\"datasets\"", "</section>");
    let row = element(data, "<code>things</code>", "</tr>");
    assert!(row.ends_with("<td class=\"num\">1</td>\n"), "{row}");
    let warnings = element(&doc, "<section id=\"warnings\">", "</section>");
    assert!(
        warnings.contains("invalid boolean `notabool`"),
        "{warnings}"
    );
}

#[test]
fn the_instant_the_data_is_seen_from_is_stated() {
    let tiny = "tests/fixtures/tiny/tiny.msr";
    let doc = html(&[tiny, "--period", "2025-09", "--as-of", "2025-09-20"]);
    let header = element(&doc, "<header>", "</header>");
    assert!(
        header.contains("<dt>Data as it stood at</dt>\n<dd>2025-09-20T00:00:00Z</dd>"),
        "{header}"
    );
    let series = html(&[
        tiny,
        "--from",
        "2025-08",
        "--to",
        "2025-09",
        "--as-of",
        "2025-09-20",
    ]);
    assert!(series.contains("<dd>2025-09-20T00:00:00Z</dd>"));
}

#[test]
fn the_whole_data_is_reported_without_a_period() {
    let doc = html(&["tests/fixtures/tiny/tiny.msr"]);
    assert_self_contained(&doc);
    assert!(doc.contains("<dd>none given: the whole data is used</dd>"));
}

#[test]
fn the_report_is_the_same_every_run() {
    let args = [
        "tests/fixtures/tiny/tiny.msr",
        "--from",
        "2025-08",
        "--to",
        "2025-10",
        "--every",
        "month",
    ];
    assert_eq!(html(&args), html(&args));
}

#[test]
fn the_tiny_report_in_full() {
    let doc = html(&["tests/fixtures/tiny/tiny.msr", "--period", "2025-09"]);
    assert_self_contained(&doc);
    insta::assert_snapshot!("tiny_period", doc);
}

#[test]
fn the_tiny_series_in_full() {
    let args = [
        "tests/fixtures/tiny/tiny.msr",
        "--from",
        "2025-08",
        "--to",
        "2025-10",
        "--every",
        "month",
    ];
    let doc = html(&args);
    assert_self_contained(&doc);
    insta::assert_snapshot!("tiny_series", doc);
}
