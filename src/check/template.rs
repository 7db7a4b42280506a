//! The measurement template of ISO/IEC 27004 (Annex B) and NIST SP 800-55: which of its
//! entries an indicator leaves out.
//!
//! A programme runs without them, so they are not checked unless asked for (`msr check
//! --template`); a measurement programme that reports to an ISMS needs every entry, and a
//! missing owner or information need is a finding an auditor writes up.

use crate::diagnostic::Diagnostic;

use super::codes::TEMPLATE;
use super::program::{Indicator, Program};

/// One entry of the template: its name in the standards, how an indicator states it, and
/// whether it does.
type Entry = (&'static str, &'static str, fn(&Indicator) -> bool);

/// The entries in the order the template lists them. The formula is the indicator's
/// `value`, which every indicator has, and the measurable concept is optional in both
/// standards, so neither is here.
#[rustfmt::skip]
const ENTRIES: &[Entry] = &[
    ("identifier", "id \"...\"", |i| i.facts.id.is_some()),
    ("information need", "need \"...\"", |i| i.facts.need.is_some()),
    ("measure", "a title after the name: indicator NAME \"...\"", |i| i.title.is_some()),
    ("measure type", "type performance", |i| i.facts.measure_type.is_some()),
    ("target", "target >= ...", |i| i.target.is_some()),
    ("decision criteria", "criteria { ... }", |i| !i.criteria.is_empty()),
    ("implementation evidence", "evidence \"...\"", |i| i.facts.evidence.is_some()),
    ("collection frequency", "frequency collect monthly", |i| i.facts.frequency.collect.is_some()),
    ("reporting frequency", "frequency report quarterly", |i| i.facts.frequency.report.is_some()),
    ("information owner", "owner \"...\"", |i| i.facts.owner.is_some()),
    ("information collector", "collector \"...\"", |i| i.facts.collector.is_some()),
    ("information customer", "customer \"...\"", |i| i.facts.customer.is_some()),
    ("data source", "source \"...\"", |i| i.facts.source.is_some()),
    ("reporting format", "format \"...\"", |i| i.facts.format.is_some()),
    ("related controls", "controls \"...\"", |i| !i.facts.controls.is_empty()),
];

/// A warning for each indicator that leaves out entries of the template, naming them and
/// how to state them.
pub fn template_gaps(program: &Program) -> Vec<Diagnostic> {
    program
        .indicators
        .iter()
        .filter_map(|indicator| {
            let missing: Vec<&Entry> = ENTRIES
                .iter()
                .filter(|(_, _, stated)| !stated(indicator))
                .collect();
            (!missing.is_empty()).then(|| gap(program, indicator, &missing))
        })
        .collect()
}

fn gap(program: &Program, indicator: &Indicator, missing: &[&Entry]) -> Diagnostic {
    let names: Vec<&str> = missing.iter().map(|(name, _, _)| *name).collect();
    let count = match missing.len() {
        1 => "an entry".to_string(),
        n => format!("{n} entries"),
    };
    let span = indicator.span;
    let message = format!(
        "indicator `{}` leaves out {count} of the measurement template: {}",
        indicator.name,
        names.join(", ")
    );
    let warning = Diagnostic::warning(TEMPLATE, message)
        .with_source(program.sources.source(span.file))
        .with_label(
            span.start as usize,
            span.end as usize,
            "template incomplete",
        );
    let mut syntax: Vec<&str> = Vec::new();
    for (name, written, _) in missing {
        // Both frequencies go in one `frequency` fact.
        match *name {
            "reporting frequency" if syntax.contains(&"frequency collect monthly") => {
                let at = syntax.len() - 1;
                syntax[at] = "frequency collect monthly, report quarterly";
            }
            _ => syntax.push(written),
        }
    }
    let them = if missing.len() == 1 { "it" } else { "them" };
    warning.with_help(format!(
        "state {them} in the indicator: {}",
        syntax.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(text: &str) -> Program {
        let Ok(parsed) = crate::syntax::parse_text("t.msr", text) else {
            panic!("the programme does not parse");
        };
        let Ok((program, _)) = crate::check::check(parsed) else {
            panic!("the programme does not check");
        };
        program
    }

    const DATASET: &str = r#"
dataset incidents {
  source "incidents.csv"
  time opened_at
  opened_at : DateTime
}
measure incidents_total : Count = count(incidents)
"#;

    #[test]
    fn a_complete_indicator_has_no_gap() {
        let program = checked(&format!(
            r#"{DATASET}
indicator incident_volume "Incidents opened" {{
  id        "INC-1"
  need      "How many incidents does the organisation handle?"
  type      performance
  value     incidents_total
  target    <= 30
  criteria {{
    green when value <= 30
    red   otherwise
  }}
  evidence  "Incident tickets opened in the period"
  frequency collect monthly, report quarterly
  owner     "CISO"
  collector "SOC lead"
  customer  "Board"
  source    "Service desk"
  format    "Line chart with the target"
  controls  "A.5.24"
}}
"#
        ));
        assert!(template_gaps(&program).is_empty());
    }

    #[test]
    fn a_bare_indicator_lists_every_entry_and_how_to_state_it() {
        let program = checked(&format!(
            "{DATASET}\nindicator volume {{\n  value incidents_total\n  frequency report monthly\n}}\n"
        ));
        let gaps = template_gaps(&program);
        assert_eq!(gaps.len(), 1);
        let gap = &gaps[0];
        assert_eq!(gap.code, TEMPLATE);
        assert!(!gap.is_error());
        assert_eq!(
            gap.message,
            "indicator `volume` leaves out 14 entries of the measurement template: identifier, \
             information need, measure, measure type, target, decision criteria, \
             implementation evidence, collection frequency, information owner, information \
             collector, information customer, data source, reporting format, related controls"
        );
        let help = gap.help.as_deref().unwrap_or("");
        assert!(help.contains("id \"...\"; need \"...\""), "{help}");
        assert!(help.contains("frequency collect monthly;"), "{help}");
        assert!(!help.contains("report quarterly"), "{help}");
    }

    #[test]
    fn both_missing_frequencies_are_one_fact() {
        let program = checked(&format!(
            "{DATASET}\nindicator volume {{\n  value incidents_total\n}}\n"
        ));
        let help = template_gaps(&program)[0].help.clone().unwrap_or_default();
        assert!(
            help.contains("frequency collect monthly, report quarterly;"),
            "{help}"
        );
    }
}
