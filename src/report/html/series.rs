//! The HTML report of a series: the periods, the statuses of the latest period, then a
//! matrix of the indicators with one column per period, each cell the value in the colour
//! of its status and with its word, and a sparkline of each result's numbers; the template
//! facts of each indicator once; the measures as a matrix too; the rows read in each period
//! and the warnings.

use crate::check::{Program, Type};
use crate::eval::value::Value;
use crate::eval::{Group, IndicatorOutcome, IndicatorResult, Outcome, Results};
use crate::report::display;
use crate::report::table::group_keys;

use super::markup::Markup;
use super::status::{counted, tally, tone, word};
use super::{
    fact, heading, left_out, scroll, section, skipped_text, sparkline, target_text, template_facts,
    type_text, warnings, wide_section,
};

/// A series as an HTML document; `every` names the length of its periods (`month`).
pub fn render(program: &Program, series: &[Results], every: &str) -> String {
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        let title = "Measurement report: no periods";
        return super::document(title, |m| {
            m.el("header", &[], |m| m.leaf("h1", &[], title));
            m.leaf("p", &[], "The series has no periods.");
        });
    };
    let labels: Vec<String> = series
        .iter()
        .map(|r| r.period.as_ref().map_or(String::new(), |p| p.label.clone()))
        .collect();
    let span = match (labels.first(), labels.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.clone(),
        _ => String::new(),
    };
    let title = format!("Measurement report: {span}");

    super::document(&title, |m| {
        m.el("header", &[], |m| {
            m.leaf("h1", &[], &title);
            bounds(m, series, &span, every);
        });
        latest(m, last);
        if !first.indicators.is_empty() {
            wide_section(m, "indicators", "Indicators", |m| {
                indicator_matrix(m, program, series, &labels);
            });
            section(m, "about", "About the indicators", |m| {
                for i in &first.indicators {
                    about(m, program, i);
                }
            });
        }
        if !first.measures.is_empty() {
            wide_section(m, "measures", "Measures", |m| {
                measure_matrix(m, program, series, &labels);
            });
        }
        datasets(m, series, &labels);
        warnings(m, series.iter().flat_map(|r| &r.warnings));
    })
}

/// The series' periods, its bounds and time zone, and the instant the data was seen from
/// when one was given.
fn bounds(m: &mut Markup, series: &[Results], span: &str, every: &str) {
    let first = series.first().and_then(|r| r.period.as_ref());
    let last = series.last().and_then(|r| r.period.as_ref());
    m.el("dl", &[("class", "facts")], |m| {
        let n = series.len();
        let periods = if n == 1 { "period" } else { "periods" };
        fact(m, "Series", &format!("{span} by {every}, {n} {periods}"));
        if let (Some(a), Some(b)) = (first, last) {
            fact(m, "From", &a.start_text());
            fact(m, "Until (not included)", &b.end_text());
            fact(m, "Time zone", a.calendar.name());
        }
        if let (Some(at), Some(p)) = (series.first().and_then(|r| r.as_of), first) {
            fact(m, "Data as it stood at", &p.calendar.timestamp_text(at));
        }
    });
}

/// How many indicators have each status in the latest period.
fn latest(m: &mut Markup, last: &Results) {
    section(m, "summary", "Summary", |m| {
        let n = last.indicators.len();
        if n == 0 {
            m.leaf("p", &[], "No indicators.");
            return;
        }
        let label = last.period.as_ref().map_or("", |p| p.label.as_str());
        m.el("p", &[("class", "summary")], |m| {
            let noun = if n == 1 { "indicator" } else { "indicators" };
            m.text(&format!("In the latest period, {label}, {n} {noun}:"));
            let statuses = last.indicators.iter().map(|i| i.total.status.as_deref());
            for (status, count) in tally(statuses) {
                m.text(" ");
                counted(m, status, count);
            }
        });
    });
}

/// The headings of a matrix: the result, two columns about it, then the periods.
fn matrix_head(m: &mut Markup, first: &str, second: &str, labels: &[String]) {
    m.el("thead", &[], |m| {
        m.el("tr", &[], |m| {
            for h in [first, second, "Trend"] {
                m.leaf("th", &[("scope", "col")], h);
            }
            for label in labels {
                m.leaf("th", &[("scope", "col"), ("class", "num")], label);
            }
        });
    });
}

/// A row that names the grouping of the rows under it.
fn by_row(m: &mut Markup, by: &str, columns: usize) {
    let span = columns.to_string();
    m.el("tr", &[("class", "by")], |m| {
        let attrs = [("colspan", span.as_str())];
        m.leaf("th", &attrs, &format!("by {by}"));
    });
}

/// A group's result in each period, `None` where the group does not appear.
fn group_in<'r, T>(periods: &[&'r Vec<Group<T>>], key: &str) -> Vec<Option<&'r T>> {
    periods
        .iter()
        .map(|groups| groups.iter().find(|g| g.key == key).map(|g| &g.result))
        .collect()
}

fn indicator_matrix(m: &mut Markup, program: &Program, series: &[Results], labels: &[String]) {
    let Some(first) = series.first() else {
        return;
    };
    scroll(m, |m| {
        m.el("table", &[("class", "matrix")], |m| {
            matrix_head(m, "Indicator", "Target", labels);
            m.el("tbody", &[], |m| {
                for (k, i) in first.indicators.iter().enumerate() {
                    let target = i.target.as_ref().map(|t| target_text(program, t));
                    let totals: Vec<Option<&IndicatorOutcome>> = series
                        .iter()
                        .map(|r| Some(&r.indicators[k].total))
                        .collect();
                    m.el("tr", &[], |m| {
                        m.el("th", &[("scope", "row")], |m| {
                            let href = format!("#indicator-{}", i.name);
                            m.el("a", &[("href", &href)], |m| {
                                heading(m, &i.name, i.title.as_deref())
                            });
                        });
                        m.leaf("td", &[], target.as_deref().unwrap_or("-"));
                        indicator_cells(m, program, i, &i.name, &totals);
                    });
                    let Some(by) = &i.group_by else {
                        continue;
                    };
                    by_row(m, by, labels.len() + 3);
                    let groups: Vec<&Vec<Group<IndicatorOutcome>>> =
                        series.iter().map(|r| &r.indicators[k].groups).collect();
                    for key in group_keys(groups.iter().copied()) {
                        let outcomes = group_in(&groups, &key);
                        m.el("tr", &[("class", "group")], |m| {
                            m.leaf("th", &[("scope", "row")], &key);
                            m.leaf("td", &[], "");
                            let name = format!("{}, {key}", i.name);
                            indicator_cells(m, program, i, &name, &outcomes);
                        });
                    }
                }
            });
        });
    });
}

/// The sparkline of an indicator's (or group's) values, then its value in each period in
/// the colour of its status and with the status word.
fn indicator_cells(
    m: &mut Markup,
    program: &Program,
    i: &IndicatorResult,
    name: &str,
    outcomes: &[Option<&IndicatorOutcome>],
) {
    let values: Vec<Option<&Value>> = outcomes.iter().map(|o| o.map(|o| &o.value)).collect();
    trend(m, program, i.ty, name, &values);
    for outcome in outcomes {
        let Some(o) = outcome else {
            absent(m);
            continue;
        };
        let status = o.status.as_deref();
        let class = format!("cell {}{}", tone(status).class(), missing_class(&o.value));
        m.el("td", &[("class", &class)], |m| {
            m.text(&display(program, &o.value, i.ty));
            m.leaf("span", &[("class", "word")], word(status));
            if o.skipped > 0 {
                m.leaf("span", &[("class", "note")], &skipped_text(o.skipped));
            }
        });
    }
}

/// The class that sets a missing value apart.
fn missing_class(value: &Value) -> &'static str {
    match value.missing_reason() {
        Some(_) => " missing",
        None => "",
    }
}

/// The cell of a group that does not appear in a period.
fn absent(m: &mut Markup) {
    let attrs = [("class", "cell"), ("title", "no such group in this period")];
    m.leaf("td", &attrs, "-");
}

/// The cell with the sparkline of a result's values, empty when they are not numbers.
fn trend(m: &mut Markup, program: &Program, ty: Type, name: &str, values: &[Option<&Value>]) {
    m.el("td", &[], |m| {
        if !sparkline::drawable(values.iter().flatten().copied()) {
            return;
        }
        let numbers: Vec<Option<f64>> = values
            .iter()
            .map(|v| v.and_then(sparkline::numeric))
            .collect();
        sparkline::write(m, &numbers, &trend_label(program, ty, name, values));
    });
}

/// What a sparkline shows, for those who cannot see it: its lowest, highest and latest
/// values.
fn trend_label(program: &Program, ty: Type, name: &str, values: &[Option<&Value>]) -> String {
    let numbers: Vec<(f64, &Value)> = values
        .iter()
        .flatten()
        .filter_map(|v| sparkline::numeric(v).map(|x| (x, *v)))
        .collect();
    let pick = |better: fn(f64, f64) -> bool| {
        let mut best: Option<(f64, &Value)> = None;
        for &(x, v) in &numbers {
            if best.is_none_or(|(b, _)| better(x, b)) {
                best = Some((x, v));
            }
        }
        best.map_or(String::new(), |(_, v)| display(program, v, ty))
    };
    let latest = numbers
        .last()
        .map_or(String::new(), |(_, v)| display(program, v, ty));
    format!(
        "trend of {name}: lowest {}, highest {}, latest {latest}",
        pick(|x, b| x < b),
        pick(|x, b| x > b)
    )
}

/// The facts of an indicator that do not change from period to period: its type, target
/// and template facts.
fn about(m: &mut Markup, program: &Program, i: &IndicatorResult) {
    let id = format!("indicator-{}", i.name);
    m.el("article", &[("class", "indicator"), ("id", &id)], |m| {
        m.el("h3", &[], |m| heading(m, &i.name, i.title.as_deref()));
        m.el("dl", &[("class", "facts")], |m| {
            fact(m, "Value type", &type_text(program, i.ty, &i.type_name));
            if let Some(target) = &i.target {
                fact(m, "Target", &target_text(program, target));
            }
            if let Some(by) = &i.group_by {
                fact(m, "Grouped by", by);
            }
        });
        template_facts(m, &i.facts);
    });
}

fn measure_matrix(m: &mut Markup, program: &Program, series: &[Results], labels: &[String]) {
    let Some(first) = series.first() else {
        return;
    };
    scroll(m, |m| {
        m.el("table", &[("class", "matrix")], |m| {
            matrix_head(m, "Measure", "Type", labels);
            m.el("tbody", &[], |m| {
                for (k, r) in first.measures.iter().enumerate() {
                    let totals: Vec<Option<&Outcome>> =
                        series.iter().map(|s| Some(&s.measures[k].total)).collect();
                    m.el("tr", &[], |m| {
                        m.el("th", &[("scope", "row")], |m| {
                            heading(m, &r.name, r.title.as_deref())
                        });
                        m.leaf("td", &[], &type_text(program, r.ty, &r.type_name));
                        measure_cells(m, program, r.ty, &r.name, &totals);
                    });
                    let Some(by) = &r.group_by else {
                        continue;
                    };
                    by_row(m, by, labels.len() + 3);
                    let groups: Vec<&Vec<Group<Outcome>>> =
                        series.iter().map(|s| &s.measures[k].groups).collect();
                    for key in group_keys(groups.iter().copied()) {
                        let outcomes = group_in(&groups, &key);
                        m.el("tr", &[("class", "group")], |m| {
                            m.leaf("th", &[("scope", "row")], &key);
                            m.leaf("td", &[], "");
                            let name = format!("{}, {key}", r.name);
                            measure_cells(m, program, r.ty, &name, &outcomes);
                        });
                    }
                }
            });
        });
    });
}

/// The sparkline of a measure's (or group's) values, then its value in each period with
/// the values it left out.
fn measure_cells(
    m: &mut Markup,
    program: &Program,
    ty: Type,
    name: &str,
    outcomes: &[Option<&Outcome>],
) {
    let values: Vec<Option<&Value>> = outcomes.iter().map(|o| o.map(|o| &o.value)).collect();
    trend(m, program, ty, name, &values);
    for outcome in outcomes {
        let Some(o) = outcome else {
            absent(m);
            continue;
        };
        let class = format!("cell{}", missing_class(&o.value));
        m.el("td", &[("class", &class)], |m| {
            m.text(&display(program, &o.value, ty));
            let left = left_out(o);
            if !left.is_empty() {
                m.leaf("span", &[("class", "note")], &left);
            }
        });
    }
}

/// What was read from each dataset: its rows and bad rows skipped, and its rows in each
/// period.
fn datasets(m: &mut Markup, series: &[Results], labels: &[String]) {
    let Some(first) = series.first() else {
        return;
    };
    if first.datasets.is_empty() {
        return;
    }
    wide_section(m, "datasets", "Data read", |m| {
        scroll(m, |m| {
            m.el("table", &[("class", "matrix")], |m| {
                m.el("thead", &[], |m| {
                    m.el("tr", &[], |m| {
                        for h in ["Dataset", "Source", "Rows", "Bad rows skipped"] {
                            m.leaf("th", &[("scope", "col")], h);
                        }
                        for label in labels {
                            m.leaf("th", &[("scope", "col"), ("class", "num")], label);
                        }
                    });
                });
                m.el("tbody", &[], |m| {
                    for (k, d) in first.datasets.iter().enumerate() {
                        m.el("tr", &[], |m| {
                            m.el("th", &[("scope", "row")], |m| m.leaf("code", &[], &d.name));
                            m.leaf("td", &[], &d.source);
                            m.leaf("td", &[("class", "num")], &d.rows.to_string());
                            m.leaf("td", &[("class", "num")], &d.skipped_rows.to_string());
                            if !d.timed {
                                let span = labels.len().to_string();
                                let text =
                                    "all rows in every period (a snapshot, not cut to the periods)";
                                m.leaf("td", &[("colspan", span.as_str())], text);
                                return;
                            }
                            for r in series {
                                let n = r.datasets.get(k).map_or(0, |d| d.rows_in_period);
                                m.leaf("td", &[("class", "num")], &n.to_string());
                            }
                        });
                    }
                });
            });
        });
    });
}
