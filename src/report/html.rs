//! The HTML report: one self-contained HTML5 document for the customers of the measurement,
//! the people who read its results (a CISO, a board), in the sense of the reporting format
//! of ISO/IEC 27004.
//!
//! Invariants, which tests/html.rs checks:
//! - Self-contained: the style sheet is inline; there is no script, and no font, image or
//!   other resource is fetched. Tables scroll sideways on a narrow screen, and a print
//!   layout keeps the colours.
//! - Deterministic: the document depends on the results alone, with no clock reading or
//!   random identifier, so that two runs diff line by line.
//! - Escaped: every text from the programme or its data (names, titles, categories,
//!   template facts, group keys) passes through [`markup::escape`].
//! - A status is shown by its word as well as its colour.
//!
//! It carries the same facts as the JSON report. [`render`] writes one period;
//! [`render_series`] a series as matrices, one column per period.

mod markup;
mod series;
mod single;
mod sparkline;
pub(super) mod status;
mod style;

use crate::check::{Facts, MeasureType, Program, Type};
use crate::diagnostic::Diagnostic;
use crate::eval::value::Value;
use crate::eval::{Outcome, Period, TargetResult};
use crate::syntax::ast::CompareOp;

use self::markup::Markup;
use super::display;

pub use self::series::render as render_series;
pub use self::single::render;

/// A whole document: the head with its title and style sheet, then the body `body` writes.
fn document(title: &str, body: impl FnOnce(&mut Markup)) -> String {
    let mut m = Markup::new();
    m.constant("<!DOCTYPE html>\n");
    m.el("html", &[("lang", "en")], |m| {
        m.el("head", &[], |m| {
            m.void("meta", &[("charset", "utf-8")]);
            m.void(
                "meta",
                &[
                    ("name", "viewport"),
                    ("content", "width=device-width, initial-scale=1"),
                ],
            );
            m.leaf("title", &[], title);
            m.el("style", &[], |m| m.constant(style::STYLE));
        });
        m.el("body", &[], |m| {
            body(m);
            m.el("footer", &[], |m| {
                m.leaf(
                    "p",
                    &[],
                    "Produced by msr from the programme's measures and indicators.",
                );
            });
        });
    });
    m.finish()
}

/// A section with its heading.
fn section(m: &mut Markup, id: &'static str, heading: &str, body: impl FnOnce(&mut Markup)) {
    m.el("section", &[("id", id)], |m| {
        m.leaf("h2", &[], heading);
        body(m);
    });
}

/// A section holding a matrix, which prints on a landscape page.
fn wide_section(m: &mut Markup, id: &'static str, heading: &str, body: impl FnOnce(&mut Markup)) {
    m.el("section", &[("id", id), ("class", "wide")], |m| {
        m.leaf("h2", &[], heading);
        body(m);
    });
}

/// A wide table in a box that scrolls sideways rather than overflow a narrow screen.
fn scroll(m: &mut Markup, body: impl FnOnce(&mut Markup)) {
    m.el("div", &[("class", "scroll")], body);
}

/// A row of column headings.
fn head_row(m: &mut Markup, headings: &[&str]) {
    m.el("thead", &[], |m| {
        m.el("tr", &[], |m| {
            for h in headings {
                m.leaf("th", &[("scope", "col")], h);
            }
        });
    });
}

/// One term and its description in a list of facts.
fn fact(m: &mut Markup, term: &str, description: &str) {
    m.leaf("dt", &[], term);
    m.leaf("dd", &[], description);
}

/// The period's label and bounds, and the instant the data was seen from when it was
/// given; or that the whole data was used.
fn when(m: &mut Markup, period: Option<&Period>, as_of: Option<i64>) {
    m.el("dl", &[("class", "facts")], |m| {
        match period {
            Some(p) => {
                fact(m, "Period", &p.label);
                fact(m, "From", &p.start_text());
                fact(m, "Until (not included)", &p.end_text());
                fact(m, "Time zone", p.calendar.name());
            }
            None => fact(m, "Period", "none given: the whole data is used"),
        }
        if let Some(at) = as_of {
            let text = match period {
                Some(p) => p.calendar.timestamp_text(at),
                None => crate::eval::period::timestamp_text(at),
            };
            fact(m, "Data as it stood at", &text);
        }
    });
}

/// The heading of a measure or an indicator: its title, then its name; its name alone
/// when it has no title.
fn heading(m: &mut Markup, name: &str, title: Option<&str>) {
    if let Some(title) = title {
        m.text(title);
        m.text(" ");
    }
    m.leaf("code", &[], name);
}

/// A table cell with a value as people read it; a missing value, which is words with its
/// reason, is set apart and may wrap.
fn value_cell(m: &mut Markup, program: &Program, value: &Value, ty: Type) {
    let class = match value.missing_reason() {
        Some(_) => "num missing",
        None => "num",
    };
    m.leaf("td", &[("class", class)], &display(program, value, ty));
}

/// A target in words: `at least 90%`.
pub(super) fn target_text(program: &Program, target: &TargetResult) -> String {
    let words = match target.op {
        CompareOp::Ge => "at least",
        CompareOp::Gt => "above",
        CompareOp::Le => "at most",
        CompareOp::Lt => "below",
        CompareOp::Eq => "exactly",
        CompareOp::Ne => "other than",
    };
    format!("{words} {}", display(program, &target.value, target.ty))
}

/// Whether a value meets its target: `met`, `not met`, or `-` without a target or a
/// value.
pub(super) fn met_text(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "not met",
        None => "-",
    }
}

/// Values an aggregate skipped because they were missing, when there were some.
fn skipped_text(skipped: u64) -> String {
    match skipped {
        0 => String::new(),
        1 => "1 missing value skipped".to_string(),
        n => format!("{n} missing values skipped"),
    }
}

/// Values skipped because missing, and rows excepted on purpose.
fn left_out(outcome: &Outcome) -> String {
    let excepted = match outcome.excepted {
        0 => String::new(),
        n => format!("{n} excepted"),
    };
    match (skipped_text(outcome.skipped), excepted) {
        (s, e) if e.is_empty() => s,
        (s, e) if s.is_empty() => e,
        (s, e) => format!("{s}, {e}"),
    }
}

/// A type as written, with its scale type and unit: `Percent; ratio scale; unit
/// fraction`.
fn type_text(program: &Program, ty: Type, type_name: &str) -> String {
    let mut parts = vec![type_name.to_string()];
    if let Some(scale) = ty.scale_type(&program.names) {
        parts.push(format!("{} scale", scale.keyword()));
    }
    if let Some(unit) = ty.unit(&program.names) {
        parts.push(format!("unit {unit}"));
    }
    parts.join("; ")
}

/// The ISO/IEC 27004 template facts an indicator states, under a heading; nothing when it
/// states none.
fn template_facts(m: &mut Markup, facts: &Facts) {
    // Taken apart field by field, so that a fact added to the language cannot be left out
    // here unnoticed.
    let Facts {
        id,
        need,
        concept,
        measure_type,
        frequency,
        owner,
        collector,
        customer,
        source,
        format,
        controls,
        evidence,
    } = facts;
    let text = |v: &Option<String>| v.clone();
    // Frequencies are keywords: `on_event` reads `on event`.
    let often = |v: &Option<String>| v.as_ref().map(|f| f.replace('_', " "));
    let stated = [
        ("Identifier", text(id)),
        ("Information need", text(need)),
        ("Measurable concept", text(concept)),
        (
            "Type of measure",
            measure_type.map(|t| measure_type_word(t).to_string()),
        ),
        ("Collected", often(&frequency.collect)),
        ("Analysed", often(&frequency.analyse)),
        ("Reported", often(&frequency.report)),
        ("Reviewed", often(&frequency.review)),
        ("Owner", text(owner)),
        ("Collector", text(collector)),
        ("Customer", text(customer)),
        ("Data source", text(source)),
        ("Reporting format", text(format)),
        (
            "Related controls",
            (!controls.is_empty()).then(|| controls.join(", ")),
        ),
        ("Implementation evidence", text(evidence)),
    ];
    let stated: Vec<(&str, String)> = stated
        .into_iter()
        .filter_map(|(term, value)| value.map(|v| (term, v)))
        .collect();
    if stated.is_empty() {
        return;
    }
    m.leaf("h4", &[], "About this indicator");
    m.el("dl", &[("class", "facts")], |m| {
        for (term, value) in &stated {
            fact(m, term, value);
        }
    });
}

fn measure_type_word(t: MeasureType) -> &'static str {
    match t {
        MeasureType::Performance => "performance",
        MeasureType::Effectiveness => "effectiveness",
        MeasureType::Implementation => "implementation",
        MeasureType::Efficiency => "efficiency",
        MeasureType::Impact => "impact",
    }
}

/// The warnings met while loading, or a line saying there were none.
fn warnings<'a>(m: &mut Markup, warnings: impl IntoIterator<Item = &'a Diagnostic>) {
    section(m, "warnings", "Warnings", |m| {
        let warnings: Vec<&Diagnostic> = warnings.into_iter().collect();
        if warnings.is_empty() {
            m.leaf("p", &[], "None.");
            return;
        }
        m.el("ul", &[("class", "warnings")], |m| {
            for w in warnings {
                m.el("li", &[], |m| {
                    m.leaf("code", &[], w.code);
                    m.text(" ");
                    if let Some((file, line, column)) = w.location() {
                        m.text(&format!("{file}:{line}:{column}: "));
                    }
                    m.text(&w.message);
                    if let Some(help) = &w.help {
                        m.leaf("span", &[("class", "note")], help);
                    }
                });
            }
        });
    });
}
