//! The type report of `msr check --explain-types` as aligned text: each measure with its
//! classification, type, scale type and when it may be missing; then each indicator.

use crate::check::explain::TypeReport;
use crate::check::types::ScaleType;

use super::table::{align, header};

/// The report as aligned text, measures first.
pub fn render(report: &TypeReport) -> String {
    let scale = |s: Option<ScaleType>| s.map_or("", ScaleType::keyword).to_string();
    let missing = |reasons: &[&str]| {
        if reasons.is_empty() {
            "never".to_string()
        } else {
            reasons.join(", ")
        }
    };

    let mut out = String::new();
    if !report.measures.is_empty() {
        let mut rows = vec![header(&[
            "MEASURE",
            "KIND",
            "TYPE",
            "SCALE",
            "MAY BE MISSING",
            "FROM",
        ])];
        for m in &report.measures {
            let from = m.reads.iter().chain(&m.uses).cloned().collect::<Vec<_>>();
            rows.push(vec![
                m.name.clone(),
                m.kind.keyword().to_string(),
                m.type_name.clone(),
                scale(m.scale),
                missing(&m.missing),
                from.join(", "),
            ]);
        }
        out.push_str(&align(&rows));
    }
    if !report.indicators.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let mut rows = vec![header(&[
            "INDICATOR",
            "TYPE",
            "SCALE",
            "MAY BE MISSING (THEN INSUFFICIENT DATA)",
        ])];
        for i in &report.indicators {
            rows.push(vec![
                i.name.clone(),
                i.type_name.clone(),
                scale(i.scale),
                missing(&i.missing),
            ]);
        }
        out.push_str(&align(&rows));
    }
    out
}
