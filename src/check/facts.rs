//! The ISO/IEC 27004 template facts of an indicator: identifier, information need, measure
//! type, frequencies, responsible parties, data source, reporting format, related controls.
//!
//! Each fact may appear once; an unknown fact is an error with a did-you-mean, so that a
//! misspelt `ownr` is caught rather than ignored.

use crate::diagnostic::did_you_mean;
use crate::syntax::ast::{self, FactArg};

use super::program::{Facts, MeasureType};
use super::{codes, Checker};

/// Every fact an indicator may state, with what it holds.
pub const FACTS: &[(&str, &str)] = &[
    ("id", "an identifier, such as \"B.7\""),
    ("need", "the information need, as text"),
    ("concept", "the measurable concept, as text"),
    (
        "type",
        "`performance` or `effectiveness` (NIST: `implementation`, `efficiency`, `impact`)",
    ),
    (
        "frequency",
        "frequencies, such as `collect monthly, report quarterly`",
    ),
    ("owner", "the information owner, as text"),
    ("collector", "the information collector, as text"),
    ("customer", "who receives the results, as text"),
    ("source", "the data source, as text"),
    ("format", "the reporting format, as text"),
    (
        "controls",
        "related controls, as texts: \"A.5.24\", \"A.5.26\"",
    ),
    ("evidence", "the implementation evidence, as text"),
];

/// Words accepted as a frequency.
pub const FREQUENCIES: &[&str] = &[
    "continuously",
    "daily",
    "weekly",
    "fortnightly",
    "monthly",
    "quarterly",
    "semiannually",
    "annually",
    "yearly",
    "on_event",
];

impl Checker<'_> {
    pub(crate) fn facts(&mut self, decl: &ast::IndicatorDecl) -> Facts {
        let mut facts = Facts::default();
        let mut seen: Vec<(&str, ast::Span)> = Vec::new();

        for fact in &decl.facts {
            let name = fact.name.name.as_str();
            if !FACTS.iter().any(|(f, _)| *f == name) {
                let help = match did_you_mean(name, FACTS.iter().map(|(f, _)| *f)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "an indicator states {}",
                        FACTS
                            .iter()
                            .map(|(f, _)| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let message = format!("unknown fact `{name}` in indicator `{}`", decl.name);
                self.error(codes::UNKNOWN_FACT, fact.name.span, message)
                    .help = Some(help);
                continue;
            }
            if let Some((_, first)) = seen.iter().find(|(f, _)| *f == name) {
                let d = self
                    .sources
                    .error(
                        codes::REPEATED_FACT,
                        fact.name.span,
                        format!("fact `{name}` is stated twice"),
                    )
                    .with_secondary(
                        first.start as usize,
                        first.end as usize,
                        "first stated here",
                    )
                    .with_help(match name {
                        "controls" | "frequency" => {
                            "list every value in one statement, separated by commas"
                        }
                        _ => "state each fact once",
                    });
                self.diagnostics.push(d);
                continue;
            }
            seen.push((name, fact.name.span));

            match name {
                "type" => facts.measure_type = self.measure_type(fact),
                "frequency" => self.frequency(fact, &mut facts),
                "controls" => {
                    facts.controls = fact
                        .args
                        .iter()
                        .filter_map(|a| self.text_arg(fact, a))
                        .collect();
                }
                _ => {
                    let text = self.single_text(fact);
                    let slot = match name {
                        "id" => &mut facts.id,
                        "need" => &mut facts.need,
                        "concept" => &mut facts.concept,
                        "owner" => &mut facts.owner,
                        "collector" => &mut facts.collector,
                        "customer" => &mut facts.customer,
                        "source" => &mut facts.source,
                        "format" => &mut facts.format,
                        _ => &mut facts.evidence,
                    };
                    *slot = text;
                }
            }
        }
        facts
    }

    fn fact_error(&mut self, fact: &ast::Fact, span: ast::Span, message: String) {
        let expected = FACTS
            .iter()
            .find(|(f, _)| *f == fact.name.name)
            .map_or("", |(_, what)| *what);
        self.error(codes::FACT_VALUE, span, message).help =
            Some(format!("`{}` takes {expected}", fact.name.name));
    }

    fn text_arg(&mut self, fact: &ast::Fact, arg: &FactArg) -> Option<String> {
        match arg {
            FactArg::Text(text, _) => Some(text.clone()),
            other => {
                let message = format!("`{}` takes text in quotes", fact.name.name);
                self.fact_error(fact, other.span(), message);
                None
            }
        }
    }

    fn single_text(&mut self, fact: &ast::Fact) -> Option<String> {
        if let [_, extra, ..] = fact.args.as_slice() {
            let message = format!("`{}` takes one value", fact.name.name);
            self.fact_error(fact, extra.span(), message);
        }
        fact.args.first().and_then(|a| self.text_arg(fact, a))
    }

    fn measure_type(&mut self, fact: &ast::Fact) -> Option<MeasureType> {
        let arg = fact.args.first()?;
        let FactArg::Name(word) = arg else {
            self.fact_error(
                fact,
                arg.span(),
                "the measure type is a word, not text".into(),
            );
            return None;
        };
        let ty = match word.name.as_str() {
            "performance" => MeasureType::Performance,
            "effectiveness" => MeasureType::Effectiveness,
            "implementation" => MeasureType::Implementation,
            "efficiency" => MeasureType::Efficiency,
            "impact" => MeasureType::Impact,
            other => {
                let message = format!("unknown measure type `{other}`");
                self.fact_error(fact, word.span, message);
                return None;
            }
        };
        if let [_, extra, ..] = fact.args.as_slice() {
            self.fact_error(
                fact,
                extra.span(),
                "an indicator has one measure type".into(),
            );
        }
        Some(ty)
    }

    fn frequency(&mut self, fact: &ast::Fact, facts: &mut Facts) {
        for arg in &fact.args {
            let (kind, every) = match arg {
                FactArg::Frequency { kind, every } => (Some(kind), every),
                FactArg::Name(every) => (None, every),
                FactArg::Text(_, span) => {
                    self.fact_error(
                        fact,
                        *span,
                        "a frequency is a word such as `monthly`, not text".into(),
                    );
                    continue;
                }
            };
            if !FREQUENCIES.contains(&every.name.as_str()) {
                let help = did_you_mean(&every.name, FREQUENCIES.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("the frequencies are {}", FREQUENCIES.join(", ")));
                self.error(
                    codes::FACT_VALUE,
                    every.span,
                    format!("unknown frequency `{}`", every.name),
                )
                .help = Some(help);
                continue;
            }
            let value = Some(every.name.clone());
            let slots: Vec<&mut Option<String>> = match kind.map(|k| k.name.as_str()) {
                None => vec![
                    &mut facts.frequency.collect,
                    &mut facts.frequency.analyse,
                    &mut facts.frequency.report,
                ],
                Some("collect" | "collection") => vec![&mut facts.frequency.collect],
                Some("analyse" | "analyze" | "analysis") => vec![&mut facts.frequency.analyse],
                Some("report" | "reporting") => vec![&mut facts.frequency.report],
                Some(_) => vec![&mut facts.frequency.review],
            };
            let mut repeated = false;
            for slot in slots {
                repeated |= slot.is_some();
                *slot = value.clone();
            }
            if repeated {
                let what = match kind {
                    Some(k) => format!("`{}`", k.name),
                    None => "collection, analysis or reporting".to_string(),
                };
                self.error(
                    codes::FACT_VALUE,
                    arg.span(),
                    format!("the frequency of {what} is stated twice"),
                )
                .help = Some(
                    "a bare frequency such as `monthly` sets collection, analysis and reporting at once; name each instead, as in `collect monthly, report quarterly`"
                        .into(),
                );
            }
        }
    }
}
