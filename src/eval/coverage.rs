//! Whether the data covers the periods a run reports on.
//!
//! A count over a period after the last row of an export is zero because the export ends
//! there, not because nothing happened; an indicator that is green on "no incidents" would
//! then be green on no data. The values keep their rules (a count over no rows is 0), and
//! the run says which periods begin after the data ends.

use crate::check::Program;
use crate::data::Table;
use crate::diagnostic::Diagnostic;

use super::period::{timestamp_text, Calendar, Period};
use super::timeline::instants;

/// The code of the warning for periods that begin after a dataset's last row.
pub const AFTER_DATA: &str = "msr::data::after_data";

/// A warning for each timed dataset with rows whose last row comes before some of
/// `periods` begin, naming those periods. Empty datasets say nothing: they may be empty on
/// purpose, and their row counts are shown.
pub fn periods_after_data(
    program: &Program,
    tables: &[Option<Table>],
    periods: &[Period],
    calendar: &Calendar,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (dataset, table) in program.datasets.iter().zip(tables) {
        let (Some(table), Some(time)) = (table, dataset.time) else {
            continue;
        };
        let Some(last) = instants(&table.columns[time], calendar).max() else {
            continue;
        };
        let after: Vec<&str> = periods
            .iter()
            .filter(|p| p.start > last)
            .map(|p| p.label.as_str())
            .collect();
        if after.is_empty() {
            continue;
        }
        let span = dataset.source_span;
        warnings.push(
            warning(&dataset.name, last, &after)
                .with_source(program.sources.source(span.file))
                .with_label(
                    span.start as usize,
                    span.end as usize,
                    format!("its last row is of {}", timestamp_text(last)),
                ),
        );
    }
    warnings
}

fn warning(dataset: &str, last: i64, after: &[&str]) -> Diagnostic {
    let periods = match after {
        [one] => format!("period {one} begins"),
        [first, .., last] if after.len() > 3 => {
            format!("the {} periods from {first} to {last} begin", after.len())
        }
        [init @ .., last] => format!("periods {} and {last} begin", init.join(", ")),
        [] => String::new(),
    };
    Diagnostic::warning(
        AFTER_DATA,
        format!(
            "dataset `{dataset}` holds no row after {}, before {periods}",
            timestamp_text(last)
        ),
    )
    .with_help(
        "a count there is 0 because the data ends, not because nothing happened: export the \
         data again to cover the period, or report an earlier one",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_periods_after_the_data_are_named_in_one_warning() {
        let one = warning("incidents", 0, &["2026-Q1"]);
        assert_eq!(
            one.message,
            "dataset `incidents` holds no row after 1970-01-01T00:00:00Z, before period 2026-Q1 \
             begins"
        );
        assert!(!one.is_error());
        let two = warning("incidents", 0, &["2026-01", "2026-02"]);
        assert!(two
            .message
            .ends_with("before periods 2026-01 and 2026-02 begin"));
        let three = warning("incidents", 0, &["2026-01", "2026-02", "2026-03"]);
        assert!(three
            .message
            .ends_with("before periods 2026-01, 2026-02 and 2026-03 begin"));
        let many = warning(
            "incidents",
            0,
            &["2026-01", "2026-02", "2026-03", "2026-04"],
        );
        assert!(many
            .message
            .ends_with("before the 4 periods from 2026-01 to 2026-04 begin"));
    }
}
