//! The JSON report: one object with the period, datasets, indicators, measures and
//! warnings; for a series, the periods and one array of values per result. Its layout is
//! documented in docs/output.md and is stable for pipelines.

use serde_json::{json, Map, Value as Json};

use crate::check::{Program, Type};
use crate::eval::value::Value;
use crate::eval::{IndicatorOutcome, IndicatorResult, MeasureResult, Outcome, Period, Results};

use super::{display, json_value};

/// The whole report as one JSON object.
pub fn render(program: &Program, results: &Results) -> Json {
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
            let mut o = indicator_head(program, i);
            indicator_fields(&mut o, program, &i.total, i.ty);
            target_field(&mut o, program, i);
            o.insert("group_by".into(), json!(i.group_by));
            o.insert("groups".into(), indicator_groups(program, i));
            o.insert("facts".into(), facts(i));
            Json::Object(o)
        })
        .collect();

    let measures: Vec<Json> = results
        .measures
        .iter()
        .map(|m| {
            let mut o = measure_head(program, m);
            outcome_fields(&mut o, program, &m.total, m.ty);
            o.insert("group_by".into(), json!(m.group_by));
            o.insert("groups".into(), measure_groups(program, m));
            Json::Object(o)
        })
        .collect();

    json!({
        "period": results.period.as_ref().map(period),
        "whole_data": results.period.is_none(),
        "as_of": as_of(results),
        "datasets": datasets,
        "indicators": indicators,
        "measures": measures,
        "warnings": results.warnings.iter().map(|w| w.to_json()).collect::<Vec<_>>(),
    })
}

/// The instant the data was seen from (`--as-of`), when the run was given one.
fn as_of(results: &Results) -> Json {
    json!(results.as_of.map(crate::eval::period::timestamp_text))
}

/// A series as one JSON object: the periods, then each dataset, indicator and measure once
/// with a `series` array holding its value in every period, in the order of the periods.
pub fn render_series(program: &Program, series: &[Results], every: &str) -> Json {
    let Some(first) = series.first() else {
        return json!({ "series": { "every": every, "periods": [] } });
    };
    let periods: Vec<Json> = series
        .iter()
        .filter_map(|r| r.period.as_ref().map(period))
        .collect();
    let label = |r: &Results| r.period.as_ref().map(|p| p.label.clone());

    let datasets: Vec<Json> = first
        .datasets
        .iter()
        .enumerate()
        .map(|(k, d)| {
            json!({
                "name": d.name,
                "source": d.source,
                "rows": d.rows,
                "timed": d.timed,
                "skipped_rows": d.skipped_rows,
                "rows_in_period": series.iter().map(|r| r.datasets[k].rows_in_period).collect::<Vec<_>>(),
            })
        })
        .collect();

    let indicators: Vec<Json> = first
        .indicators
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let mut o = indicator_head(program, i);
            target_field(&mut o, program, i);
            o.insert("group_by".into(), json!(i.group_by));
            o.insert("facts".into(), facts(i));
            let points: Vec<Json> = series
                .iter()
                .map(|r| {
                    let i = &r.indicators[k];
                    let mut p = Map::new();
                    p.insert("period".into(), json!(label(r)));
                    indicator_fields(&mut p, program, &i.total, i.ty);
                    p.insert("groups".into(), indicator_groups(program, i));
                    Json::Object(p)
                })
                .collect();
            o.insert("series".into(), Json::Array(points));
            Json::Object(o)
        })
        .collect();

    let measures: Vec<Json> = first
        .measures
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let mut o = measure_head(program, m);
            o.insert("group_by".into(), json!(m.group_by));
            let points: Vec<Json> = series
                .iter()
                .map(|r| {
                    let m = &r.measures[k];
                    let mut p = Map::new();
                    p.insert("period".into(), json!(label(r)));
                    outcome_fields(&mut p, program, &m.total, m.ty);
                    p.insert("groups".into(), measure_groups(program, m));
                    Json::Object(p)
                })
                .collect();
            o.insert("series".into(), Json::Array(points));
            Json::Object(o)
        })
        .collect();

    let warnings: Vec<Json> = series
        .iter()
        .flat_map(|r| r.warnings.iter().map(|w| w.to_json()))
        .collect();
    json!({
        "series": { "every": every, "periods": periods, "as_of": as_of(first) },
        "datasets": datasets,
        "indicators": indicators,
        "measures": measures,
        "warnings": warnings,
    })
}

fn period(p: &Period) -> Json {
    json!({
        "label": p.label,
        "start": p.start_text(),
        "end": p.end_text(),
        "time_zone": p.calendar.name(),
    })
}

fn indicator_head(program: &Program, i: &IndicatorResult) -> Map<String, Json> {
    let mut o = Map::new();
    o.insert("name".into(), json!(i.name));
    o.insert("title".into(), json!(i.title));
    o.insert("type".into(), json!(i.type_name));
    type_fields(&mut o, program, i.ty);
    o
}

fn measure_head(program: &Program, m: &MeasureResult) -> Map<String, Json> {
    let mut o = Map::new();
    o.insert("name".into(), json!(m.name));
    o.insert("title".into(), json!(m.title));
    o.insert("type".into(), json!(m.type_name));
    type_fields(&mut o, program, m.ty);
    o.insert("kind".into(), json!(m.kind.keyword()));
    o
}

fn target_field(o: &mut Map<String, Json>, program: &Program, i: &IndicatorResult) {
    let target = match &i.target {
        Some(t) => json!({
            "op": t.op.symbol(),
            "value": json_value(program, &t.value, t.ty),
            "display": display(program, &t.value, t.ty),
        }),
        None => Json::Null,
    };
    o.insert("target".into(), target);
}

fn facts(i: &IndicatorResult) -> Json {
    serde_json::to_value(&i.facts).unwrap_or(Json::Null)
}

fn indicator_groups(program: &Program, i: &IndicatorResult) -> Json {
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
    Json::Array(groups)
}

fn measure_groups(program: &Program, m: &MeasureResult) -> Json {
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
    Json::Array(groups)
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
    o.insert("excepted".into(), json!(outcome.excepted));
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
