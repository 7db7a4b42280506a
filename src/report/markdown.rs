//! The Markdown report: the results as GitHub-flavoured Markdown, to paste into a wiki page,
//! a ticket or a review comment, or to keep beside the programme in a repository.
//!
//! It carries what a reader of the results needs: the period, a count of statuses, each
//! indicator's value, target and status with its groups, the measures, the data read and
//! the warnings. Every text from the programme or its data is escaped so that it cannot
//! break a table or start markup. Like the HTML report it is deterministic: it depends on
//! the results alone.

use crate::check::Program;
use crate::eval::{Group, IndicatorOutcome, IndicatorResult, Results};

use super::display;
use super::html::status::{tally, word};
use super::html::{met_text, target_text};
use super::table::group_keys;

/// One period's results.
pub fn render(program: &Program, results: &Results) -> String {
    let mut out = String::new();
    let label = results
        .period
        .as_ref()
        .map_or("the whole data", |p| p.label.as_str());
    out.push_str(&format!("# Measurement report: {}\n\n", escape(label)));
    out.push_str(&match &results.period {
        Some(p) => format!(
            "Period {}: from {} until {} (not included), in {}.\n",
            escape(&p.label),
            p.start_text(),
            p.end_text(),
            p.calendar.name()
        ),
        None => "No period given: the whole data is used.\n".to_string(),
    });
    if let Some(at) = results.as_of {
        let at = crate::eval::period::timestamp_text(at);
        out.push_str(&format!("\nThe data as it stood at {at}.\n"));
    }

    if !results.indicators.is_empty() {
        let statuses = results.indicators.iter().map(|i| i.total.status.as_deref());
        out.push_str(&format!("\n{}\n", summary(statuses)));
        out.push_str("\n## Indicators\n\n");
        out.push_str("| Indicator | Value | Target | Met | Status |\n");
        out.push_str("|---|---:|---|---|---|\n");
        for i in &results.indicators {
            out.push_str(&indicator_row(
                program,
                i,
                &name_cell(&i.name, i.title.as_deref()),
                &i.total,
            ));
        }
        for i in results.indicators.iter().filter(|i| i.group_by.is_some()) {
            out.push_str(&indicator_groups(program, i, &i.groups));
        }
    }

    if !results.measures.is_empty() {
        out.push_str("\n## Measures\n\n");
        out.push_str("| Measure | Value | Type | Skipped |\n");
        out.push_str("|---|---:|---|---:|\n");
        for m in &results.measures {
            out.push_str(&format!(
                "| {} | {} | `{}` | {} |\n",
                name_cell(&m.name, m.title.as_deref()),
                escape(&display(program, &m.total.value, m.ty)),
                code(&m.type_name),
                m.total.skipped
            ));
            if let Some(by) = &m.group_by {
                for g in &m.groups {
                    out.push_str(&format!(
                        "| &nbsp;&nbsp;`{}` = {} | {} | | {} |\n",
                        code(by),
                        escape(&g.key),
                        escape(&display(program, &g.result.value, m.ty)),
                        g.result.skipped
                    ));
                }
            }
        }
    }

    out.push_str(&datasets(results));
    out.push_str(&warnings(results));
    out
}

/// A series: one table of indicators and one of measures, a column per period, each cell
/// the value with the status.
pub fn render_series(program: &Program, series: &[Results], every: &str) -> String {
    let Some(first) = series.first() else {
        return "# Measurement report\n\nNo periods.\n".to_string();
    };
    let labels: Vec<String> = series
        .iter()
        .map(|r| {
            r.period
                .as_ref()
                .map_or_else(String::new, |p| p.label.clone())
        })
        .collect();
    let (from, to) = (&labels[0], &labels[labels.len() - 1]);
    let mut out = format!(
        "# Measurement report: {} to {}\n\n{} periods by {every}.\n",
        escape(from),
        escape(to),
        series.len()
    );
    if let Some(at) = first.as_of {
        let at = crate::eval::period::timestamp_text(at);
        out.push_str(&format!("\nThe data as it stood at {at}.\n"));
    }
    let head = |what: &str| {
        let mut head = format!("| {what} |");
        let mut rule = "|---|".to_string();
        for l in &labels {
            head.push_str(&format!(" {} |", escape(l)));
            rule.push_str("---|");
        }
        format!("{head}\n{rule}\n")
    };

    if !first.indicators.is_empty() {
        if let Some(last) = series.last() {
            let statuses = last.indicators.iter().map(|i| i.total.status.as_deref());
            out.push_str(&format!("\nIn {}: {}\n", escape(to), summary(statuses)));
        }
        out.push_str("\n## Indicators\n\n");
        out.push_str(&head("Indicator"));
        for (k, i) in first.indicators.iter().enumerate() {
            let mut row = format!("| {} |", name_cell(&i.name, i.title.as_deref()));
            for r in series {
                let i = &r.indicators[k];
                row.push_str(&format!(" {} |", outcome_cell(program, i, &i.total)));
            }
            out.push_str(&row);
            out.push('\n');
            let Some(by) = &i.group_by else { continue };
            for key in group_keys(series.iter().map(|r| &r.indicators[k].groups)) {
                let mut row = format!("| &nbsp;&nbsp;`{}` = {} |", code(by), escape(&key));
                for r in series {
                    let i = &r.indicators[k];
                    let cell = match i.groups.iter().find(|g| g.key == key) {
                        Some(g) => outcome_cell(program, i, &g.result),
                        None => String::new(),
                    };
                    row.push_str(&format!(" {cell} |"));
                }
                out.push_str(&row);
                out.push('\n');
            }
        }
    }

    if !first.measures.is_empty() {
        out.push_str("\n## Measures\n\n");
        out.push_str(&head("Measure"));
        for (k, m) in first.measures.iter().enumerate() {
            let mut row = format!("| {} |", name_cell(&m.name, m.title.as_deref()));
            for r in series {
                let m = &r.measures[k];
                row.push_str(&format!(
                    " {} |",
                    escape(&display(program, &m.total.value, m.ty))
                ));
            }
            out.push_str(&row);
            out.push('\n');
        }
    }

    let warned: Vec<&crate::diagnostic::Diagnostic> =
        series.iter().flat_map(|r| &r.warnings).collect();
    if !warned.is_empty() {
        out.push_str("\n## Warnings\n\n");
        for w in warned {
            out.push_str(&format!("- `{}`: {}\n", w.code, escape(&w.message)));
        }
    }
    out
}

/// `**29 indicators:** 22 green, 5 amber, ...`
fn summary<'a>(statuses: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let statuses: Vec<Option<&str>> = statuses.into_iter().collect();
    let counts: Vec<String> = tally(statuses.iter().copied())
        .into_iter()
        .map(|(status, n)| format!("{n} {}", escape(word(status))))
        .collect();
    let noun = if statuses.len() == 1 {
        "indicator"
    } else {
        "indicators"
    };
    format!("**{} {noun}:** {}", statuses.len(), counts.join(", "))
}

/// A measure's or an indicator's title with its name, or its name alone.
fn name_cell(name: &str, title: Option<&str>) -> String {
    match title {
        Some(title) => format!("{} (`{}`)", escape(title), code(name)),
        None => format!("`{}`", code(name)),
    }
}

fn indicator_row(
    program: &Program,
    i: &IndicatorResult,
    name: &str,
    outcome: &IndicatorOutcome,
) -> String {
    let target = i
        .target
        .as_ref()
        .map_or_else(String::new, |t| escape(&target_text(program, t)));
    format!(
        "| {name} | {} | {target} | {} | **{}** |\n",
        escape(&display(program, &outcome.value, i.ty)),
        met_text(outcome.target_met),
        escape(word(outcome.status.as_deref()))
    )
}

/// The groups of a grouped indicator, as a table of their own.
fn indicator_groups(
    program: &Program,
    i: &IndicatorResult,
    groups: &[Group<IndicatorOutcome>],
) -> String {
    let by = i.group_by.as_deref().unwrap_or_default();
    let mut out = format!("\n### `{}` by `{}`\n\n", code(&i.name), code(by));
    out.push_str("| Group | Value | Target | Met | Status |\n");
    out.push_str("|---|---:|---|---|---|\n");
    for g in groups {
        out.push_str(&indicator_row(program, i, &escape(&g.key), &g.result));
    }
    out
}

/// A value and its status in one cell of a series: `92% **green**`.
fn outcome_cell(program: &Program, i: &IndicatorResult, outcome: &IndicatorOutcome) -> String {
    let value = escape(&display(program, &outcome.value, i.ty));
    match &outcome.status {
        Some(status) => format!("{value} **{}**", escape(status)),
        None => value,
    }
}

fn datasets(results: &Results) -> String {
    if results.datasets.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n## Data read\n\n");
    out.push_str("| Dataset | Source | Rows | In the period | Bad rows skipped |\n");
    out.push_str("|---|---|---:|---:|---:|\n");
    for d in &results.datasets {
        let in_period = if d.timed {
            d.rows_in_period.to_string()
        } else {
            "all (a snapshot)".to_string()
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {in_period} | {} |\n",
            code(&d.name),
            escape(&d.source),
            d.rows,
            d.skipped_rows
        ));
    }
    out
}

fn warnings(results: &Results) -> String {
    if results.warnings.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n## Warnings\n\n");
    for w in &results.warnings {
        out.push_str(&format!("- `{}`: {}\n", w.code, escape(&w.message)));
    }
    out
}

/// Text made safe for a table cell: characters that Markdown or HTML would read as markup
/// are escaped, and a line break becomes a space.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A name or a type inside backticks, where nothing is markup: only a backtick or a bar
/// could break out, and names and types have neither. Group keys and titles, which come
/// from users, are escaped instead.
fn code(name: &str) -> String {
    name.replace(['`', '|'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_cells_and_markup_intact() {
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(
            escape("R&D *bold* _x_ [link](y)"),
            "R&amp;D \\*bold\\* \\_x\\_ \\[link\\](y)"
        );
        assert_eq!(escape("two\nlines"), "two lines");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(code("a`b|c"), "abc");
    }

    #[test]
    fn the_summary_counts_statuses_in_their_usual_order() {
        let s = summary([Some("red"), Some("green"), Some("green"), None]);
        assert_eq!(s, "**4 indicators:** 2 green, 1 red, 1 no band holds");
    }
}
