//! What the checker knows of each measure and indicator: its classification as a base or
//! derived measure (ISO/IEC 15939), its type, scale type and unit, and when its value may be
//! missing. `msr check --explain-types` prints this; it is computed from the checked
//! programme alone, before any data is read.

use serde::Serialize;

use super::program::{MeasureKind, Program};
use super::types::{ScaleType, Type};

/// The types of every measure and indicator of a programme, in declaration order.
#[derive(Debug, Clone, Serialize)]
pub struct TypeReport {
    pub measures: Vec<MeasureTypes>,
    pub indicators: Vec<IndicatorTypes>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureTypes {
    pub name: String,
    pub kind: MeasureKind,
    /// The type as the user writes it: `Count<incident>`, `Duration per incident`.
    #[serde(rename = "type")]
    pub type_name: String,
    pub scale: Option<ScaleType>,
    pub unit: Option<String>,
    /// Why the value may be missing; empty when it never is.
    pub missing: Vec<&'static str>,
    /// The datasets it aggregates directly.
    pub reads: Vec<String>,
    /// The measures it combines.
    pub uses: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorTypes {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub scale: Option<ScaleType>,
    pub unit: Option<String>,
    /// Why the value may be missing, in which case the status is `insufficient data`.
    pub missing: Vec<&'static str>,
}

/// The type report of a checked programme.
pub fn explain(program: &Program) -> TypeReport {
    let names = &program.names;
    let describe = |ty: Type| (ty.display(names), ty.scale_type(names), ty.unit(names));

    let measures = program
        .measures
        .iter()
        .map(|m| {
            let (type_name, scale, unit) = describe(m.ty);
            let mut reads: Vec<String> = Vec::new();
            for a in aggregates_of(&m.expr) {
                let name = &program.datasets[program.aggregates[a].dataset].name;
                if !reads.contains(name) {
                    reads.push(name.clone());
                }
            }
            MeasureTypes {
                name: m.name.clone(),
                kind: m.kind,
                type_name,
                scale,
                unit,
                missing: m.expr.absence.reasons(),
                reads,
                uses: m
                    .depends_on
                    .iter()
                    .map(|d| program.measures[*d].name.clone())
                    .collect(),
            }
        })
        .collect();

    let indicators = program
        .indicators
        .iter()
        .map(|i| {
            let (type_name, scale, unit) = describe(i.value.ty);
            IndicatorTypes {
                name: i.name.clone(),
                type_name,
                scale,
                unit,
                missing: i.value.absence.reasons(),
            }
        })
        .collect();

    TypeReport {
        measures,
        indicators,
    }
}

/// The aggregates an expression uses directly.
fn aggregates_of(e: &super::program::Expr) -> Vec<usize> {
    let mut found = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if let super::program::ExprKind::Aggregate(a) = e.kind {
            found.push(a);
        }
        stack.extend(e.children());
    }
    found.sort_unstable();
    found
}
