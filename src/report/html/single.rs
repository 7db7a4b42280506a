//! The HTML report of one period: the period and the instant the data was seen from, a
//! summary of the indicators' statuses with a table of them at a glance, one section per
//! indicator (value, status, target, groups, template facts), the measures, the datasets
//! read and the warnings.

use crate::check::Program;
use crate::eval::{IndicatorResult, Results};

use super::markup::Markup;
use super::status::{badge, counted, tally};
use super::{
    fact, head_row, heading, left_out, met_text, scroll, section, skipped_text, target_text,
    template_facts, type_text, value_cell, warnings, when,
};
use crate::report::display;

/// The report of one period (or of the whole data) as an HTML document.
pub fn render(program: &Program, results: &Results) -> String {
    let title = match &results.period {
        Some(p) => format!("Measurement report: {}", p.label),
        None => "Measurement report: the whole data".to_string(),
    };
    super::document(&title, |m| {
        m.el("header", &[], |m| {
            m.leaf("h1", &[], &title);
            when(m, results.period.as_ref(), results.as_of);
        });
        summary(m, program, results);
        if !results.indicators.is_empty() {
            section(m, "indicators", "Indicators", |m| {
                for i in &results.indicators {
                    indicator(m, program, i);
                }
            });
        }
        measures(m, program, results);
        datasets(m, results);
        warnings(m, &results.warnings);
    })
}

/// How many indicators have each status, then every indicator's value and status at a
/// glance, each linking to its section.
fn summary(m: &mut Markup, program: &Program, results: &Results) {
    section(m, "summary", "Summary", |m| {
        let n = results.indicators.len();
        if n == 0 {
            m.leaf("p", &[], "No indicators.");
            return;
        }
        m.el("p", &[("class", "summary")], |m| {
            let noun = if n == 1 { "indicator" } else { "indicators" };
            m.text(&format!("{n} {noun}:"));
            let statuses = results.indicators.iter().map(|i| i.total.status.as_deref());
            for (status, count) in tally(statuses) {
                m.text(" ");
                counted(m, status, count);
            }
        });
        scroll(m, |m| {
            m.el("table", &[], |m| {
                head_row(m, &["Indicator", "Value", "Target", "Status"]);
                m.el("tbody", &[], |m| {
                    for i in &results.indicators {
                        m.el("tr", &[], |m| {
                            m.el("th", &[("scope", "row")], |m| {
                                let href = format!("#{}", anchor(i));
                                m.el("a", &[("href", &href)], |m| {
                                    heading(m, &i.name, i.title.as_deref())
                                });
                            });
                            value_cell(m, program, &i.total.value, i.ty);
                            let target = i.target.as_ref().map(|t| target_text(program, t));
                            m.leaf("td", &[], target.as_deref().unwrap_or("-"));
                            m.el("td", &[], |m| badge(m, i.total.status.as_deref()));
                        });
                    }
                });
            });
        });
    });
}

/// The fragment identifier of an indicator's section.
fn anchor(i: &IndicatorResult) -> String {
    format!("indicator-{}", i.name)
}

/// One indicator: its value, status, target, groups and template facts.
fn indicator(m: &mut Markup, program: &Program, i: &IndicatorResult) {
    let id = anchor(i);
    m.el("article", &[("class", "indicator"), ("id", &id)], |m| {
        m.el("h3", &[], |m| heading(m, &i.name, i.title.as_deref()));
        m.el("dl", &[("class", "figures")], |m| {
            m.el("div", &[], |m| {
                m.leaf("dt", &[], "Value");
                let value = display(program, &i.total.value, i.ty);
                let class = match i.total.value.missing_reason() {
                    Some(_) => "value missing",
                    None => "value",
                };
                m.leaf("dd", &[("class", class)], &value);
            });
            m.el("div", &[], |m| {
                m.leaf("dt", &[], "Status");
                m.el("dd", &[], |m| badge(m, i.total.status.as_deref()));
            });
            if let Some(target) = &i.target {
                m.el("div", &[], |m| {
                    fact(m, "Target", &target_text(program, target))
                });
                m.el("div", &[], |m| {
                    fact(m, "Target met", met_text(i.total.target_met))
                });
            }
            if i.total.skipped > 0 {
                m.el("div", &[], |m| {
                    fact(m, "Skipped", &skipped_text(i.total.skipped))
                });
            }
        });
        m.leaf(
            "p",
            &[("class", "note")],
            &type_text(program, i.ty, &i.type_name),
        );
        groups(m, program, i);
        template_facts(m, &i.facts);
    });
}

/// The groups of a grouped indicator as a table: each group's value, whether it meets the
/// target, its status and the values it skipped.
fn groups(m: &mut Markup, program: &Program, i: &IndicatorResult) {
    let Some(by) = &i.group_by else {
        return;
    };
    if i.groups.is_empty() {
        m.leaf("p", &[], &format!("By {by}: no groups in this period."));
        return;
    }
    let targeted = i.target.is_some();
    let skipping = i.groups.iter().any(|g| g.result.skipped > 0);
    let mut headings = vec![by.as_str(), "Value"];
    if targeted {
        headings.push("Target met");
    }
    headings.push("Status");
    if skipping {
        headings.push("Skipped");
    }
    scroll(m, |m| {
        m.el("table", &[("class", "groups")], |m| {
            m.leaf("caption", &[], &format!("By {by}"));
            head_row(m, &headings);
            m.el("tbody", &[], |m| {
                for g in &i.groups {
                    m.el("tr", &[], |m| {
                        m.leaf("th", &[("scope", "row")], &g.key);
                        value_cell(m, program, &g.result.value, i.ty);
                        if targeted {
                            m.leaf("td", &[], met_text(g.result.target_met));
                        }
                        m.el("td", &[], |m| badge(m, g.result.status.as_deref()));
                        if skipping {
                            m.leaf("td", &[], &skipped_text(g.result.skipped));
                        }
                    });
                }
            });
        });
    });
}

/// Every measure with its value, type, kind and the values it left out; a grouped
/// measure is followed by its groups.
fn measures(m: &mut Markup, program: &Program, results: &Results) {
    if results.measures.is_empty() {
        return;
    }
    section(m, "measures", "Measures", |m| {
        scroll(m, |m| {
            m.el("table", &[], |m| {
                head_row(m, &["Measure", "Value", "Type", "Kind", "Left out"]);
                m.el("tbody", &[], |m| {
                    for r in &results.measures {
                        m.el("tr", &[], |m| {
                            m.el("th", &[("scope", "row")], |m| {
                                heading(m, &r.name, r.title.as_deref())
                            });
                            value_cell(m, program, &r.total.value, r.ty);
                            m.leaf("td", &[], &type_text(program, r.ty, &r.type_name));
                            m.leaf("td", &[], r.kind.keyword());
                            m.leaf("td", &[], &left_out(&r.total));
                        });
                        let Some(by) = &r.group_by else {
                            continue;
                        };
                        m.el("tr", &[("class", "by")], |m| {
                            m.leaf("th", &[("colspan", "5")], &format!("by {by}"));
                        });
                        for g in &r.groups {
                            m.el("tr", &[("class", "group")], |m| {
                                m.leaf("th", &[("scope", "row")], &g.key);
                                value_cell(m, program, &g.result.value, r.ty);
                                m.leaf("td", &[], "");
                                m.leaf("td", &[], "");
                                m.leaf("td", &[], &left_out(&g.result));
                            });
                        }
                    }
                });
            });
        });
    });
}

/// What was read from each dataset: its rows, those in the period, and the bad rows
/// skipped.
fn datasets(m: &mut Markup, results: &Results) {
    if results.datasets.is_empty() {
        return;
    }
    section(m, "datasets", "Data read", |m| {
        scroll(m, |m| {
            m.el("table", &[], |m| {
                let headings = [
                    "Dataset",
                    "Source",
                    "Rows",
                    "In the period",
                    "Bad rows skipped",
                ];
                head_row(m, &headings);
                m.el("tbody", &[], |m| {
                    for d in &results.datasets {
                        m.el("tr", &[], |m| {
                            m.el("th", &[("scope", "row")], |m| m.leaf("code", &[], &d.name));
                            m.leaf("td", &[], &d.source);
                            m.leaf("td", &[("class", "num")], &d.rows.to_string());
                            let in_period = match (d.timed, results.period.is_some()) {
                                (false, _) => "all (a snapshot, not cut to the period)".into(),
                                (true, true) => d.rows_in_period.to_string(),
                                (true, false) => "all (no period given)".into(),
                            };
                            m.leaf("td", &[("class", "num")], &in_period);
                            m.leaf("td", &[("class", "num")], &d.skipped_rows.to_string());
                        });
                    }
                });
            });
        });
    });
}
