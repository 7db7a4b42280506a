//! Sparklines: a small inline SVG line of a result's numeric values over a series, one
//! point per period. A missing value leaves a gap in the line; a value standing alone
//! between gaps is a dot. The line spans the lowest to the highest value, so it shows the
//! shape of the series and not its size: the numbers are in the cells beside it.

use crate::eval::value::Value;

use super::markup::Markup;

const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 28.0;
/// Room around the line for the stroke and the dots.
const PAD: f64 = 3.0;

/// The number a value is plotted at, `None` when it is missing or not a number (a
/// category, an instant, a text).
pub fn numeric(value: &Value) -> Option<f64> {
    let x = match value {
        Value::Int(i) => *i as f64,
        Value::Number(f) => *f,
        Value::Duration(d) => *d as f64,
        _ => return None,
    };
    x.is_finite().then_some(x)
}

/// Whether a series can be drawn: some value is a number and every value is a number or
/// missing.
pub fn drawable<'a>(values: impl IntoIterator<Item = &'a Value>) -> bool {
    let mut any = false;
    for value in values {
        if numeric(value).is_some() {
            any = true;
        } else if value.missing_reason().is_none() {
            return false;
        }
    }
    any
}

/// Each value's place on the canvas, `None` for a gap: the points spread evenly across,
/// the highest value at the top and the lowest at the bottom. A series with one value, or
/// whose values are all equal, lies across the middle.
pub fn scale(values: &[Option<f64>]) -> Vec<Option<(f64, f64)>> {
    let present = values.iter().flatten().copied();
    let low = present.clone().fold(f64::INFINITY, f64::min);
    let high = present.fold(f64::NEG_INFINITY, f64::max);
    let span = high - low;
    let step = if values.len() > 1 {
        (WIDTH - 2.0 * PAD) / (values.len() - 1) as f64
    } else {
        0.0
    };
    values
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let v = (*v)?;
            let x = if values.len() > 1 {
                PAD + k as f64 * step
            } else {
                WIDTH / 2.0
            };
            let y = if span > 0.0 && span.is_finite() {
                PAD + (high - v) / span * (HEIGHT - 2.0 * PAD)
            } else {
                HEIGHT / 2.0
            };
            Some((x, y))
        })
        .collect()
}

/// The SVG path of the runs of two points or more, each run a sub-path of its own so that
/// gaps stay open; and the points standing alone.
pub fn path(points: &[Option<(f64, f64)>]) -> (String, Vec<(f64, f64)>) {
    let mut d = String::new();
    let mut alone = Vec::new();
    for run in points.split(|p| p.is_none()) {
        let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
        match run.as_slice() {
            [] => {}
            [only] => alone.push(*only),
            [first, rest @ ..] => {
                if !d.is_empty() {
                    d.push(' ');
                }
                d.push_str(&format!("M{:.1} {:.1}", first.0, first.1));
                for (x, y) in rest {
                    d.push_str(&format!(" L{x:.1} {y:.1}"));
                }
            }
        }
    }
    (d, alone)
}

/// Writes the sparkline of `values`, described for screen readers by `label`; nothing when
/// no value is a number.
pub fn write(m: &mut Markup, values: &[Option<f64>], label: &str) {
    if values.iter().all(Option::is_none) {
        return;
    }
    let points = scale(values);
    let (d, alone) = path(&points);
    let view = format!("0 0 {WIDTH} {HEIGHT}");
    let (width, height) = (WIDTH.to_string(), HEIGHT.to_string());
    let attrs = [
        ("class", "spark"),
        ("viewBox", view.as_str()),
        ("width", width.as_str()),
        ("height", height.as_str()),
        ("role", "img"),
        ("aria-label", label),
    ];
    m.el("svg", &attrs, |m| {
        if !d.is_empty() {
            m.el("path", &[("d", &d)], |_| {});
        }
        // The latest value is marked, as the one the reader looks for first.
        let last = points.iter().rev().flatten().next().copied();
        for (x, y) in alone.into_iter().filter(|p| Some(*p) != last) {
            dot(m, x, y, "alone");
        }
        if let Some((x, y)) = last {
            dot(m, x, y, "last");
        }
    });
}

fn dot(m: &mut Markup, x: f64, y: f64, class: &'static str) {
    let (cx, cy) = (format!("{x:.1}"), format!("{y:.1}"));
    m.el(
        "circle",
        &[("class", class), ("cx", &cx), ("cy", &cy), ("r", "2")],
        |_| {},
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::Missing;

    #[test]
    fn values_span_the_height_highest_at_the_top() {
        let points = scale(&[Some(10.0), Some(20.0), Some(15.0)]);
        assert_eq!(
            points,
            vec![
                Some((PAD, HEIGHT - PAD)),
                Some((WIDTH / 2.0, PAD)),
                Some((WIDTH - PAD, HEIGHT / 2.0)),
            ]
        );
    }

    #[test]
    fn a_constant_series_lies_across_the_middle() {
        let points = scale(&[Some(0.9), Some(0.9), Some(0.9)]);
        assert!(points
            .iter()
            .all(|p| p.is_some_and(|(_, y)| y == HEIGHT / 2.0)));
        assert_eq!(scale(&[Some(5.0)]), vec![Some((WIDTH / 2.0, HEIGHT / 2.0))]);
    }

    #[test]
    fn missing_values_leave_gaps() {
        let points = scale(&[
            Some(1.0),
            Some(2.0),
            None,
            Some(3.0),
            None,
            Some(1.0),
            Some(3.0),
        ]);
        assert_eq!(points[2], None);
        let (d, alone) = path(&points);
        // Two runs, each its own sub-path; the value between two gaps is a dot.
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(alone.len(), 1);
        assert_eq!(alone[0].1, PAD);
    }

    #[test]
    fn an_all_missing_series_draws_nothing() {
        assert_eq!(scale(&[None, None]), vec![None, None]);
        let mut m = Markup::new();
        write(&mut m, &[None, None, None], "nothing");
        assert_eq!(m.finish(), "");
        let mut m = Markup::new();
        write(&mut m, &[], "nothing");
        assert_eq!(m.finish(), "");
    }

    #[test]
    fn the_svg_has_a_path_and_marks_the_latest_value() {
        let mut m = Markup::new();
        write(&mut m, &[Some(1.0), Some(3.0), None], "mttr <trend>");
        let svg = m.finish();
        assert!(
            svg.starts_with("<svg class=\"spark\" viewBox=\"0 0 120 28\""),
            "{svg}"
        );
        assert!(svg.contains("aria-label=\"mttr &lt;trend&gt;\""), "{svg}");
        assert!(
            svg.contains("<path d=\"M3.0 25.0 L60.0 3.0\"></path>"),
            "{svg}"
        );
        // The latest value is the last present, before the gap.
        assert!(
            svg.contains("<circle class=\"last\" cx=\"60.0\" cy=\"3.0\""),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"), "{svg}");
    }

    #[test]
    fn a_latest_value_standing_alone_is_drawn_once() {
        let mut m = Markup::new();
        write(&mut m, &[Some(1.0), None, Some(2.0)], "two dots");
        let svg = m.finish();
        assert!(!svg.contains("<path"), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
        assert_eq!(svg.matches("class=\"last\"").count(), 1, "{svg}");
    }

    #[test]
    fn only_numbers_are_drawn() {
        let missing = Value::Missing(Missing::NoValues);
        assert_eq!(numeric(&Value::Int(3)), Some(3.0));
        assert_eq!(numeric(&Value::Duration(1_500_000)), Some(1_500_000.0));
        assert_eq!(numeric(&Value::Number(f64::NAN)), None);
        assert_eq!(numeric(&Value::Category(1)), None);
        assert!(drawable([&Value::Number(0.5), &missing]));
        assert!(!drawable([&missing, &missing]));
        assert!(!drawable([&Value::Category(0), &Value::Int(1)]));
        assert!(!drawable([]));
    }
}
