//! The JSON report: one object with the period, datasets, indicators, measures and
//! warnings. Its layout is documented in docs/output.md and is stable for pipelines.

use serde_json::{json, Map, Value as Json};

use crate::check::{Program, Type};
use crate::eval::value::Value;
use crate::eval::{IndicatorOutcome, Outcome, Results};

use super::{display, json_value};

/// The whole report as one JSON object.
pub fn render(program: &Program, results: &Results) -> Json {
    let period = results
        .period
        .as_ref()
        .map(|p| json!({ "label": p.label, "start": p.start_text(), "end": p.end_text() }));
    let datasets: Vec<Json> = results
        .datasets
        .iter()
        .map(|d| {
            json!({
                "name": d.name,
                "source": d.source,
                "rows": d.rows,
                "rows_in_period": d.rows_in_period,
                "timed": d.timed,
                "skipped_rows": d.skipped_rows,
            })
        })
        .collect();

    let indicators: Vec<Json> = results
        .indicators
        .iter()
        .map(|i| {
            let mut o = Map::new();
            o.insert("name".into(), json!(i.name));
            o.insert("title".into(), json!(i.title));
            o.insert("type".into(), json!(i.type_name));
            type_fields(&mut o, program, i.ty);
            indicator_fields(&mut o, program, &i.total, i.ty);
            o.insert(
                "target".into(),
                match &i.target {
                    Some(t) => json!({
                        "op": t.op.symbol(),
                        "value": json_value(program, &t.value, t.ty),
                        "display": display(program, &t.value, t.ty),
                    }),
                    None => Json::Null,
                },
            );
            o.insert("group_by".into(), json!(i.group_by));
            let groups: Vec<Json> = i
                .groups
                .iter()
                .map(|g| {
                    let mut go = Map::new();
                    go.insert("key".into(), json!(g.key));
                    indicator_fields(&mut go, program, &g.result, i.ty);
                    Json::Object(go)
                })
                .collect();
            o.insert("groups".into(), Json::Array(groups));
            o.insert(
                "facts".into(),
                serde_json::to_value(&i.facts).unwrap_or(Json::Null),
            );
            Json::Object(o)
        })
        .collect();

    let measures: Vec<Json> = results
        .measures
        .iter()
        .map(|m| {
            let mut o = Map::new();
            o.insert("name".into(), json!(m.name));
            o.insert("title".into(), json!(m.title));
            o.insert("type".into(), json!(m.type_name));
            type_fields(&mut o, program, m.ty);
            o.insert("kind".into(), json!(m.kind.keyword()));
            outcome_fields(&mut o, program, &m.total, m.ty);
            o.insert("group_by".into(), json!(m.group_by));
            let groups: Vec<Json> = m
                .groups
                .iter()
                .map(|g| {
                    let mut go = Map::new();
                    go.insert("key".into(), json!(g.key));
                    outcome_fields(&mut go, program, &g.result, m.ty);
                    Json::Object(go)
                })
                .collect();
            o.insert("groups".into(), Json::Array(groups));
            Json::Object(o)
        })
        .collect();

    json!({
        "period": period,
        "whole_data": results.period.is_none(),
        "datasets": datasets,
        "indicators": indicators,
        "measures": measures,
        "warnings": results.warnings.iter().map(|w| w.to_json()).collect::<Vec<_>>(),
    })
}

/// The unit of the values and their scale type (ISO/IEC 15939).
fn type_fields(o: &mut Map<String, Json>, program: &Program, ty: Type) {
    o.insert("unit".into(), json!(ty.unit(&program.names)));
    o.insert("scale".into(), json!(ty.scale_type(&program.names)));
}

fn value_fields(
    o: &mut Map<String, Json>,
    program: &Program,
    value: &Value,
    ty: Type,
    skipped: u64,
) {
    o.insert("value".into(), json_value(program, value, ty));
    o.insert("display".into(), json!(display(program, value, ty)));
    o.insert(
        "missing".into(),
        json!(value.missing_reason().map(|m| m.reason())),
    );
    o.insert("skipped".into(), json!(skipped));
}

fn outcome_fields(o: &mut Map<String, Json>, program: &Program, outcome: &Outcome, ty: Type) {
    value_fields(o, program, &outcome.value, ty, outcome.skipped);
}

fn indicator_fields(
    o: &mut Map<String, Json>,
    program: &Program,
    outcome: &IndicatorOutcome,
    ty: Type,
) {
    value_fields(o, program, &outcome.value, ty, outcome.skipped);
    o.insert("status".into(), json!(outcome.status));
    o.insert("target_met".into(), json!(outcome.target_met));
}
