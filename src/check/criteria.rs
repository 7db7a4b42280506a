//! Decision-criteria analysis: what an indicator's bands can and cannot decide, found from
//! their conditions alone, before any data is read.
//!
//! A band whose condition only compares the indicator's value with constants is turned into
//! the exact set of values it holds for. Walking the bands in the order the evaluator tries
//! them, the analysis finds bands that can never give their status, bands that partially
//! overlap an earlier one, and values that no band decides. Findings are plain data; the
//! checker words them as warnings.
//!
//! Invariants: a band whose condition cannot be analysed is never reported and never counts
//! as taking values, so an "unreachable" finding is always certain; bands after `otherwise`
//! are left to the checker's own ordering error; bounds are compared exactly, without
//! tolerance.

use std::cmp::{self, Ordering};

use crate::syntax::ast::{BinaryOp, CompareOp, Literal, UnaryOp};

use super::program::{Band, Expr, ExprKind};

const MICROS_PER_DAY: f64 = 86_400_000_000.0;

/// The values an indicator's value can take, as its type tells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Domain {
    /// Any real number (numbers, durations, dates, date-times, money).
    Real,
    /// A share of a whole: the real numbers from 0 to 1.
    Share,
    /// Whole numbers from `min` up (a count: min Some(0); a plain Int: None).
    Integer { min: Option<i64> },
    /// The categories of an ordinal scale: the whole numbers 0..count.
    Ordinal { count: u16 },
}

impl Domain {
    /// Whether only whole numbers are values.
    fn is_discrete(self) -> bool {
        !matches!(self, Domain::Real | Domain::Share)
    }

    /// Every value of the domain as one interval; empty for a scale without categories.
    fn range(self) -> Interval {
        match self {
            Domain::Real | Domain::Integer { min: None } => Interval::ALL,
            Domain::Share => Interval {
                lo: Bound::included(0.0),
                hi: Bound::included(1.0),
            },
            Domain::Integer { min: Some(min) } => Interval {
                lo: Bound::included(min as f64),
                hi: Bound::ABOVE,
            },
            Domain::Ordinal { count } => Interval {
                lo: Bound::included(0.0),
                hi: Bound::included(f64::from(count) - 1.0),
            },
        }
    }
}

/// One end of an [`Interval`]. An end at infinity means "no bound on this side" and never
/// holds its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    value: f64,
    inclusive: bool,
}

impl Bound {
    const BELOW: Bound = Bound {
        value: f64::NEG_INFINITY,
        inclusive: false,
    };
    const ABOVE: Bound = Bound {
        value: f64::INFINITY,
        inclusive: false,
    };

    // Adding zero turns -0.0 into 0.0, so that a bound never prints as "-0".
    fn included(value: f64) -> Bound {
        Bound {
            value: value + 0.0,
            inclusive: true,
        }
    }

    fn excluded(value: f64) -> Bound {
        Bound {
            value: value + 0.0,
            inclusive: false,
        }
    }

    /// The end's value, or `None` when the interval is unbounded on this side.
    pub fn value(self) -> Option<f64> {
        self.value.is_finite().then_some(self.value)
    }

    /// The end of the gap on the other side of this end: `< 5` is followed by `>= 5`.
    fn flipped(self) -> Bound {
        match self.value() {
            Some(value) => Bound {
                value,
                inclusive: !self.inclusive,
            },
            None => self,
        }
    }
}

/// Orders lower ends: by value, and at an equal value an included end starts first.
fn cmp_lower(a: &Bound, b: &Bound) -> Ordering {
    let by_value = a.value.partial_cmp(&b.value).unwrap_or(Ordering::Equal);
    by_value.then(b.inclusive.cmp(&a.inclusive))
}

/// Orders upper ends: by value, and at an equal value an excluded end stops first.
fn cmp_upper(a: &Bound, b: &Bound) -> Ordering {
    let by_value = a.value.partial_cmp(&b.value).unwrap_or(Ordering::Equal);
    by_value.then(a.inclusive.cmp(&b.inclusive))
}

/// A run of values between two ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Interval {
    pub lo: Bound,
    pub hi: Bound,
}

impl Interval {
    const ALL: Interval = Interval {
        lo: Bound::BELOW,
        hi: Bound::ABOVE,
    };

    fn point(value: f64) -> Interval {
        Interval {
            lo: Bound::included(value),
            hi: Bound::included(value),
        }
    }

    fn is_empty(&self) -> bool {
        self.lo.value > self.hi.value
            || (self.lo.value == self.hi.value && !(self.lo.inclusive && self.hi.inclusive))
    }

    fn intersect(&self, other: &Interval) -> Interval {
        Interval {
            lo: cmp::max_by(self.lo, other.lo, cmp_lower),
            hi: cmp::min_by(self.hi, other.hi, cmp_upper),
        }
    }

    /// The whole numbers of the interval, both ends included: `> 2` becomes `>= 3` and
    /// `< 2.5` becomes `<= 2`.
    fn whole(&self) -> Interval {
        let lo = match self.lo.value() {
            Some(v) if self.lo.inclusive => Bound::included(v.ceil()),
            Some(v) => Bound::included(v.floor() + 1.0),
            None => self.lo,
        };
        let hi = match self.hi.value() {
            Some(v) if self.hi.inclusive => Bound::included(v.floor()),
            Some(v) => Bound::included(v.ceil() - 1.0),
            None => self.hi,
        };
        Interval { lo, hi }
    }

    /// Short English for the interval, with `point` printing one value in its unit. The
    /// wording always tells an included end from an excluded one:
    ///
    /// | interval   | wording               |
    /// |------------|-----------------------|
    /// | `(-∞, ∞)`  | `any value`           |
    /// | `(-∞, b)`  | `below b`             |
    /// | `(-∞, b]`  | `up to b`             |
    /// | `(a, ∞)`   | `above a`             |
    /// | `[a, ∞)`   | `a or more`           |
    /// | `[a, a]`   | `exactly a`           |
    /// | `[a, b]`   | `from a to b`         |
    /// | `[a, b)`   | `from a to below b`   |
    /// | `(a, b]`   | `above a and up to b` |
    /// | `(a, b)`   | `above a and below b` |
    pub fn describe(&self, point: &dyn Fn(f64) -> String) -> String {
        let (lo_in, hi_in) = (self.lo.inclusive, self.hi.inclusive);
        match (self.lo.value(), self.hi.value()) {
            (None, None) => "any value".to_string(),
            (None, Some(b)) if hi_in => format!("up to {}", point(b)),
            (None, Some(b)) => format!("below {}", point(b)),
            (Some(a), None) if lo_in => format!("{} or more", point(a)),
            (Some(a), None) => format!("above {}", point(a)),
            (Some(a), Some(b)) => match (lo_in, hi_in) {
                (true, true) if a == b => format!("exactly {}", point(a)),
                (true, true) => format!("from {} to {}", point(a), point(b)),
                (true, false) => format!("from {} to below {}", point(a), point(b)),
                (false, true) => format!("above {} and up to {}", point(a), point(b)),
                (false, false) => format!("above {} and below {}", point(a), point(b)),
            },
        }
    }
}

/// Whether an interval ending at `hi` and one starting at `lo`, no earlier, leave no value of
/// the domain between them.
fn joins(hi: Bound, lo: Bound, domain: Domain) -> bool {
    hi.value > lo.value
        || (hi.value == lo.value && (hi.inclusive || lo.inclusive))
        // Among whole numbers, `<= 2` and `>= 3` leave nothing between them.
        || (domain.is_discrete() && hi.value + 1.0 >= lo.value)
}

/// The values a band holds for: sorted intervals, none empty, none overlapping or touching
/// another, all within the domain. Every operation builds its result through
/// [`ValueSet::new`], which keeps this so.
#[derive(Debug, Clone, Default, PartialEq)]
struct ValueSet {
    parts: Vec<Interval>,
}

impl ValueSet {
    fn new(parts: Vec<Interval>, domain: Domain) -> ValueSet {
        let range = domain.range();
        let mut parts: Vec<Interval> = parts
            .into_iter()
            .map(|p| if domain.is_discrete() { p.whole() } else { p })
            .map(|p| p.intersect(&range))
            .filter(|p| !p.is_empty())
            .collect();
        parts.sort_by(|a, b| cmp_lower(&a.lo, &b.lo));

        let mut merged: Vec<Interval> = Vec::with_capacity(parts.len());
        for part in parts {
            match merged.last_mut() {
                Some(last) if joins(last.hi, part.lo, domain) => {
                    last.hi = cmp::max_by(last.hi, part.hi, cmp_upper);
                }
                _ => merged.push(part),
            }
        }
        ValueSet { parts: merged }
    }

    fn full(domain: Domain) -> ValueSet {
        ValueSet::new(vec![Interval::ALL], domain)
    }

    /// The values for which `value <op> constant` holds.
    fn compare(op: CompareOp, constant: f64, domain: Domain) -> ValueSet {
        let run = |lo, hi| Interval { lo, hi };
        let parts = match op {
            CompareOp::Lt => vec![run(Bound::BELOW, Bound::excluded(constant))],
            CompareOp::Le => vec![run(Bound::BELOW, Bound::included(constant))],
            CompareOp::Gt => vec![run(Bound::excluded(constant), Bound::ABOVE)],
            CompareOp::Ge => vec![run(Bound::included(constant), Bound::ABOVE)],
            CompareOp::Eq => vec![Interval::point(constant)],
            CompareOp::Ne => vec![
                run(Bound::BELOW, Bound::excluded(constant)),
                run(Bound::excluded(constant), Bound::ABOVE),
            ],
        };
        ValueSet::new(parts, domain)
    }

    fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    fn union(&self, other: &ValueSet, domain: Domain) -> ValueSet {
        let parts = self.parts.iter().chain(&other.parts).copied().collect();
        ValueSet::new(parts, domain)
    }

    fn intersect(&self, other: &ValueSet, domain: Domain) -> ValueSet {
        let parts = self
            .parts
            .iter()
            .flat_map(|a| other.parts.iter().map(|b| a.intersect(b)))
            .collect();
        ValueSet::new(parts, domain)
    }

    /// The values of the domain outside the set.
    fn complement(&self, domain: Domain) -> ValueSet {
        let mut gaps = Vec::with_capacity(self.parts.len() + 1);
        let mut lo = Bound::BELOW;
        for part in &self.parts {
            gaps.push(Interval {
                lo,
                hi: part.lo.flipped(),
            });
            lo = part.hi.flipped();
        }
        gaps.push(Interval {
            lo,
            hi: Bound::ABOVE,
        });
        ValueSet::new(gaps, domain)
    }

    fn minus(&self, other: &ValueSet, domain: Domain) -> ValueSet {
        self.intersect(&other.complement(domain), domain)
    }

    fn is_subset(&self, other: &ValueSet, domain: Domain) -> bool {
        self.minus(other, domain).is_empty()
    }
}

/// What the analysis found about an indicator's criteria. Band numbers are positions in the
/// list of bands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Finding {
    /// The band never gives its status: the earlier bands in `taken_by`, tried in order, win
    /// every value it holds for. With `taken_by` empty, it holds for no value at all.
    Unreachable { band: usize, taken_by: Vec<usize> },
    /// The band shares values with the `earlier` band without holding all of that band's
    /// values; `shared` is the lowest run of values both hold for.
    Overlap {
        band: usize,
        earlier: usize,
        shared: Interval,
    },
    /// There is no `otherwise` and no band holds for the values of `gap`, the lowest run of
    /// such values.
    Uncovered { gap: Interval },
}

/// Analyses the bands of one indicator's criteria over the domain of its value: at most one
/// finding per band, in band order, then values no band decides.
pub(crate) fn analyse(bands: &[Band], domain: Domain) -> Vec<Finding> {
    let mut findings = Vec::new();
    // A scale without categories leaves the value nothing to be, and nothing to report.
    if ValueSet::full(domain).is_empty() {
        return findings;
    }

    let mut earlier: Vec<(usize, ValueSet)> = Vec::new();
    let mut taken = ValueSet::default();
    let mut all_analysed = true;
    let mut otherwise = false;
    for (index, band) in bands.iter().enumerate() {
        let Some(condition) = &band.condition else {
            otherwise = true;
            break;
        };
        let Some(values) = holds_for(condition, domain) else {
            all_analysed = false;
            continue;
        };
        if let Some(finding) = judge(index, &values, &earlier, &taken, domain) {
            findings.push(finding);
        }
        taken = taken.union(&values, domain);
        earlier.push((index, values));
    }

    if !otherwise && all_analysed {
        if let Some(gap) = taken.complement(domain).parts.first() {
            findings.push(Finding::Uncovered { gap: *gap });
        }
    }
    findings
}

/// The finding for one analysable band, given the analysable bands before it and the union
/// of their values.
fn judge(
    band: usize,
    values: &ValueSet,
    earlier: &[(usize, ValueSet)],
    taken: &ValueSet,
    domain: Domain,
) -> Option<Finding> {
    if values.is_subset(taken, domain) {
        // Name only the bands that win some of its values when tried in order, not every
        // earlier band that happens to share them.
        let mut left = values.clone();
        let mut taken_by = Vec::new();
        for (index, set) in earlier {
            if !left.intersect(set, domain).is_empty() {
                taken_by.push(*index);
                left = left.minus(set, domain);
            }
        }
        return Some(Finding::Unreachable { band, taken_by });
    }

    earlier.iter().find_map(|(index, set)| {
        let shared = values.intersect(set, domain);
        let first = shared.parts.first()?;
        // Holding every value of the earlier band is the cascade idiom, which relies on the
        // first match winning; only a partial overlap is worth a finding.
        (!set.is_subset(values, domain)).then_some(Finding::Overlap {
            band,
            earlier: *index,
            shared: *first,
        })
    })
}

/// The values a condition holds for, or `None` when it is built from anything but
/// comparisons of the indicator's value with constants, `and`, `or` and `not`.
fn holds_for(condition: &Expr, domain: Domain) -> Option<ValueSet> {
    match &condition.kind {
        ExprKind::Binary(BinaryOp::Compare(op), left, right) => match (&left.kind, &right.kind) {
            (ExprKind::IndicatorValue, _) => Some(ValueSet::compare(*op, constant(right)?, domain)),
            (_, ExprKind::IndicatorValue) => {
                Some(ValueSet::compare(mirrored(*op), constant(left)?, domain))
            }
            _ => None,
        },
        ExprKind::Binary(BinaryOp::And, left, right) => {
            let left = holds_for(left, domain)?;
            Some(left.intersect(&holds_for(right, domain)?, domain))
        }
        ExprKind::Binary(BinaryOp::Or, left, right) => {
            let left = holds_for(left, domain)?;
            Some(left.union(&holds_for(right, domain)?, domain))
        }
        ExprKind::Unary(UnaryOp::Not, inner) => Some(holds_for(inner, domain)?.complement(domain)),
        ExprKind::InList {
            value,
            list,
            negated,
        } if matches!(value.kind, ExprKind::IndicatorValue) => {
            let points = list
                .iter()
                .map(|item| constant(item).map(Interval::point))
                .collect::<Option<Vec<_>>>()?;
            let set = ValueSet::new(points, domain);
            Some(if *negated {
                set.complement(domain)
            } else {
                set
            })
        }
        _ => None,
    }
}

/// The comparison with its sides swapped: `95% <= value` is `value >= 95%`.
fn mirrored(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        CompareOp::Eq | CompareOp::Ne => op,
    }
}

/// A constant as a plain number on the value's scale: a fraction for a percentage,
/// microseconds for durations, dates and date-times, the position for a category.
fn constant(expr: &Expr) -> Option<f64> {
    let value = match &expr.kind {
        ExprKind::Literal(literal) => literal_number(literal)?,
        ExprKind::Category(_, index) => f64::from(*index),
        ExprKind::Unary(UnaryOp::Neg, inner) => match &inner.kind {
            ExprKind::Literal(literal) => -literal_number(literal)?,
            _ => return None,
        },
        _ => return None,
    };
    // An infinite or undefined constant cannot be the end of an interval.
    value.is_finite().then_some(value)
}

fn literal_number(literal: &Literal) -> Option<f64> {
    match literal {
        Literal::Int(i) => Some(*i as f64),
        Literal::Number(x) | Literal::Percent(x) | Literal::Money(x, _) => Some(*x),
        Literal::Duration(micros) | Literal::DateTime(micros) => Some(*micros as f64),
        // In microseconds, so that a date compares with a date-time.
        Literal::Date(days) => Some(f64::from(*days) * MICROS_PER_DAY),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Absence, Type};
    use crate::syntax::Span;

    const SEVERITY: usize = 0;
    const LOW: u16 = 0;
    const MEDIUM: u16 = 1;
    const HIGH: u16 = 2;
    const CRITICAL: u16 = 3;
    const SEVERITIES: Domain = Domain::Ordinal { count: 4 };
    const COUNTS: Domain = Domain::Integer { min: Some(0) };

    fn expr(kind: ExprKind, ty: Type) -> Expr {
        Expr::new(kind, ty, Absence::NEVER, Span::default())
    }

    fn value() -> Expr {
        expr(ExprKind::IndicatorValue, Type::Percent)
    }

    fn literal(literal: Literal) -> Expr {
        expr(ExprKind::Literal(literal), Type::Number)
    }

    fn pct(percent: f64) -> Expr {
        literal(Literal::Percent(percent / 100.0))
    }

    fn int(i: i64) -> Expr {
        literal(Literal::Int(i))
    }

    fn category(index: u16) -> Expr {
        expr(
            ExprKind::Category(SEVERITY, index),
            Type::Category(SEVERITY),
        )
    }

    fn compare(op: CompareOp, left: Expr, right: Expr) -> Expr {
        let kind = ExprKind::Binary(BinaryOp::Compare(op), Box::new(left), Box::new(right));
        expr(kind, Type::Bool)
    }

    /// `value <op> constant`, the usual way round.
    fn is(op: CompareOp, constant: Expr) -> Expr {
        compare(op, value(), constant)
    }

    fn and(left: Expr, right: Expr) -> Expr {
        let kind = ExprKind::Binary(BinaryOp::And, Box::new(left), Box::new(right));
        expr(kind, Type::Bool)
    }

    fn not(inner: Expr) -> Expr {
        expr(ExprKind::Unary(UnaryOp::Not, Box::new(inner)), Type::Bool)
    }

    fn neg(inner: Expr) -> Expr {
        expr(ExprKind::Unary(UnaryOp::Neg, Box::new(inner)), Type::Number)
    }

    fn in_list(list: Vec<Expr>, negated: bool) -> Expr {
        let kind = ExprKind::InList {
            value: Box::new(value()),
            list,
            negated,
        };
        expr(kind, Type::Bool)
    }

    fn band(status: &str, condition: Expr) -> Band {
        Band {
            status: status.to_string(),
            condition: Some(condition),
            span: Span::default(),
        }
    }

    fn otherwise(status: &str) -> Band {
        Band {
            status: status.to_string(),
            condition: None,
            span: Span::default(),
        }
    }

    fn percent(v: f64) -> String {
        format!("{}%", (v * 100.0).round())
    }

    fn plain(v: f64) -> String {
        v.to_string()
    }

    fn severity(v: f64) -> String {
        let names = ["low", "medium", "high", "critical"];
        names.get(v as usize).unwrap_or(&"?").to_string()
    }

    /// The only finding, described with `point`.
    fn describe_only(findings: &[Finding], point: &dyn Fn(f64) -> String) -> String {
        match findings {
            [Finding::Overlap { shared, .. }] => shared.describe(point),
            [Finding::Uncovered { gap }] => gap.describe(point),
            other => panic!("expected one overlap or gap, found {other:?}"),
        }
    }

    #[test]
    fn cascade_gives_no_finding() {
        let bands = [
            band("green", is(CompareOp::Ge, pct(95.0))),
            band("amber", is(CompareOp::Ge, pct(80.0))),
            otherwise("red"),
        ];
        assert_eq!(analyse(&bands, Domain::Real), vec![]);
    }

    #[test]
    fn reversed_thresholds_make_the_later_band_unreachable() {
        let bands = [
            band("green", is(CompareOp::Ge, pct(80.0))),
            band("amber", is(CompareOp::Ge, pct(95.0))),
            otherwise("red"),
        ];
        let expected = Finding::Unreachable {
            band: 1,
            taken_by: vec![0],
        };
        assert_eq!(analyse(&bands, Domain::Real), vec![expected]);
    }

    #[test]
    fn impossible_condition_is_unreachable_without_earlier_bands() {
        let impossible = and(is(CompareOp::Ge, pct(90.0)), is(CompareOp::Lt, pct(80.0)));
        let bands = [band("green", impossible), otherwise("red")];
        let expected = Finding::Unreachable {
            band: 0,
            taken_by: vec![],
        };
        assert_eq!(analyse(&bands, Domain::Real), vec![expected]);
    }

    #[test]
    fn unreachable_names_the_bands_that_win_and_outranks_overlap() {
        // Red shares values with green without holding all of them, but green and amber
        // between them win every value red holds for; black shares none of red's values and
        // blue, tried later, wins none.
        let bands = [
            band("black", is(CompareOp::Lt, pct(5.0))),
            band("green", is(CompareOp::Ge, pct(90.0))),
            band(
                "amber",
                and(is(CompareOp::Ge, pct(80.0)), is(CompareOp::Lt, pct(90.0))),
            ),
            band("blue", is(CompareOp::Ge, pct(10.0))),
            band(
                "red",
                and(is(CompareOp::Ge, pct(85.0)), is(CompareOp::Le, pct(95.0))),
            ),
            otherwise("grey"),
        ];
        let expected = Finding::Unreachable {
            band: 4,
            taken_by: vec![1, 2],
        };
        assert_eq!(analyse(&bands, Domain::Real), vec![expected]);
    }

    #[test]
    fn partial_overlap_of_a_range() {
        let bands = [
            band("green", is(CompareOp::Ge, pct(95.0))),
            band(
                "amber",
                and(is(CompareOp::Ge, pct(80.0)), is(CompareOp::Le, pct(97.0))),
            ),
            otherwise("red"),
        ];
        let findings = analyse(&bands, Domain::Real);
        assert!(
            matches!(
                findings[..],
                [Finding::Overlap {
                    band: 1,
                    earlier: 0,
                    ..
                }]
            ),
            "{findings:?}"
        );
        assert_eq!(describe_only(&findings, &percent), "from 95% to 97%");
    }

    #[test]
    fn opposite_directions_overlap() {
        let bands = [
            band("green", is(CompareOp::Ge, pct(95.0))),
            band("red", is(CompareOp::Lt, pct(97.0))),
        ];
        let findings = analyse(&bands, Domain::Real);
        assert!(
            matches!(
                findings[..],
                [Finding::Overlap {
                    band: 1,
                    earlier: 0,
                    ..
                }]
            ),
            "{findings:?}"
        );
        assert_eq!(describe_only(&findings, &percent), "from 95% to below 97%");
    }

    #[test]
    fn gap_without_otherwise() {
        let bands = [
            band("green", is(CompareOp::Ge, pct(95.0))),
            band("amber", is(CompareOp::Ge, pct(80.0))),
        ];
        let findings = analyse(&bands, Domain::Real);
        assert_eq!(describe_only(&findings, &percent), "below 80%");
    }

    #[test]
    fn first_gap_is_the_lowest() {
        let bands = [
            band("green", is(CompareOp::Gt, pct(95.0))),
            band(
                "amber",
                and(is(CompareOp::Ge, pct(50.0)), is(CompareOp::Lt, pct(95.0))),
            ),
        ];
        let findings = analyse(&bands, Domain::Real);
        assert_eq!(describe_only(&findings, &percent), "below 50%");
    }

    #[test]
    fn shares_lie_between_nothing_and_the_whole() {
        // `>= 0%` covers every share, so nothing is left below it.
        let bands = [
            band("high", is(CompareOp::Ge, pct(80.0))),
            band("low", is(CompareOp::Ge, pct(0.0))),
        ];
        assert_eq!(analyse(&bands, Domain::Share), vec![]);
        let gap = analyse(&bands[..1], Domain::Share);
        let [Finding::Uncovered { gap }] = gap.as_slice() else {
            panic!("{gap:?}");
        };
        assert_eq!((gap.lo.value(), gap.hi.value()), (Some(0.0), Some(0.8)));
    }

    #[test]
    fn full_coverage_without_otherwise() {
        let bands = [
            band("green", is(CompareOp::Ge, pct(95.0))),
            band("red", is(CompareOp::Lt, pct(95.0))),
        ];
        assert_eq!(analyse(&bands, Domain::Real), vec![]);

        // The single value 95% falls between `> 95%` and `< 95%`.
        let bands = [
            band("green", is(CompareOp::Gt, pct(95.0))),
            band("red", is(CompareOp::Lt, pct(95.0))),
        ];
        let findings = analyse(&bands, Domain::Real);
        assert_eq!(describe_only(&findings, &percent), "exactly 95%");
    }

    #[test]
    fn bands_after_otherwise_are_ignored() {
        let bands = [
            band("green", is(CompareOp::Ge, pct(80.0))),
            otherwise("red"),
            band("amber", is(CompareOp::Ge, pct(95.0))),
        ];
        assert_eq!(analyse(&bands, Domain::Real), vec![]);
    }

    #[test]
    fn counts_normalise_strict_bounds() {
        let bands = [
            band("red", is(CompareOp::Gt, int(0))),
            band("green", is(CompareOp::Eq, int(0))),
        ];
        assert_eq!(analyse(&bands, COUNTS), vec![]);
        // Over the reals the same bands leave every negative number undecided.
        assert_eq!(
            describe_only(&analyse(&bands, Domain::Real), &plain),
            "below 0"
        );

        let bands = [
            band("green", is(CompareOp::Eq, int(0))),
            band("red", is(CompareOp::Gt, int(1))),
        ];
        let findings = analyse(&bands, COUNTS);
        let expected = Finding::Uncovered {
            gap: Interval::point(1.0),
        };
        assert_eq!(findings, vec![expected]);
        assert_eq!(describe_only(&findings, &plain), "exactly 1");
    }

    #[test]
    fn integers_without_minimum() {
        let ints = Domain::Integer { min: None };
        let bands = [
            band("high", is(CompareOp::Ge, int(1))),
            band("low", is(CompareOp::Le, int(0))),
        ];
        assert_eq!(analyse(&bands, ints), vec![]);

        // `< 2.5` is `<= 2` among whole numbers, so `= 2` is taken.
        let bands = [
            band("low", is(CompareOp::Lt, literal(Literal::Number(2.5)))),
            band("two", is(CompareOp::Eq, int(2))),
            otherwise("high"),
        ];
        let expected = Finding::Unreachable {
            band: 1,
            taken_by: vec![0],
        };
        assert_eq!(analyse(&bands, ints), vec![expected]);
    }

    #[test]
    fn negative_constants() {
        let ints = Domain::Integer { min: None };
        let bands = [
            band("high", is(CompareOp::Ge, neg(int(5)))),
            band("low", is(CompareOp::Lt, neg(int(7)))),
        ];
        let findings = analyse(&bands, ints);
        assert_eq!(describe_only(&findings, &plain), "from -7 to -6");
    }

    #[test]
    fn ordinal_scale_is_clipped_to_its_categories() {
        let bands = [
            band("red", is(CompareOp::Ge, category(HIGH))),
            band("green", is(CompareOp::Le, category(MEDIUM))),
        ];
        assert_eq!(analyse(&bands, SEVERITIES), vec![]);

        let bands = [
            band("red", is(CompareOp::Ge, category(LOW))),
            band("amber", is(CompareOp::Eq, category(CRITICAL))),
        ];
        let expected = Finding::Unreachable {
            band: 1,
            taken_by: vec![0],
        };
        assert_eq!(analyse(&bands, SEVERITIES), vec![expected]);

        let bands = [
            band("red", is(CompareOp::Ge, category(CRITICAL))),
            band("green", is(CompareOp::Eq, category(LOW))),
        ];
        let findings = analyse(&bands, SEVERITIES);
        assert_eq!(describe_only(&findings, &severity), "from medium to high");
    }

    #[test]
    fn in_lists() {
        let bands = [
            band("green", in_list(vec![category(LOW)], false)),
            band(
                "amber",
                in_list(vec![category(MEDIUM), category(HIGH)], false),
            ),
            band("red", in_list(vec![category(LOW), category(MEDIUM)], true)),
        ];
        let findings = analyse(&bands, SEVERITIES);
        assert!(
            matches!(
                findings[..],
                [Finding::Overlap {
                    band: 2,
                    earlier: 1,
                    ..
                }]
            ),
            "{findings:?}"
        );
        assert_eq!(describe_only(&findings, &severity), "exactly high");

        // Neighbouring categories from a list join into one run.
        let bands = [
            band(
                "green",
                in_list(vec![category(LOW), category(MEDIUM), category(HIGH)], false),
            ),
            band(
                "red",
                in_list(
                    vec![category(HIGH), category(MEDIUM), category(CRITICAL)],
                    false,
                ),
            ),
        ];
        let findings = analyse(&bands, SEVERITIES);
        assert_eq!(describe_only(&findings, &severity), "from medium to high");

        let bands = [
            band(
                "red",
                in_list(vec![category(HIGH), category(CRITICAL)], false),
            ),
            band("amber", in_list(vec![category(CRITICAL)], false)),
            otherwise("green"),
        ];
        let expected = Finding::Unreachable {
            band: 1,
            taken_by: vec![0],
        };
        assert_eq!(analyse(&bands, SEVERITIES), vec![expected]);
    }

    #[test]
    fn not_takes_the_complement() {
        let bands = [
            band("green", not(is(CompareOp::Lt, pct(95.0)))),
            band("amber", is(CompareOp::Ge, pct(97.0))),
            otherwise("red"),
        ];
        let expected = Finding::Unreachable {
            band: 1,
            taken_by: vec![0],
        };
        assert_eq!(analyse(&bands, Domain::Real), vec![expected]);
    }

    #[test]
    fn unanalysable_band_hides_the_gap_but_not_later_unreachable_bands() {
        let other_measure = expr(ExprKind::Measure(0), Type::Percent);
        let bands = [
            band("green", is(CompareOp::Ge, other_measure)),
            band("amber", is(CompareOp::Ge, pct(80.0))),
            band("red", is(CompareOp::Ge, pct(90.0))),
        ];
        let expected = Finding::Unreachable {
            band: 2,
            taken_by: vec![1],
        };
        assert_eq!(analyse(&bands, Domain::Real), vec![expected]);

        // Without the unanalysable band, values below 80% are reported undecided.
        let expected = vec![
            Finding::Unreachable {
                band: 1,
                taken_by: vec![0],
            },
            Finding::Uncovered {
                gap: Interval {
                    lo: Bound::BELOW,
                    hi: Bound::excluded(80.0 / 100.0),
                },
            },
        ];
        assert_eq!(analyse(&bands[1..], Domain::Real), expected);
    }

    #[test]
    fn unsupported_constants_are_not_analysed() {
        let text = literal(Literal::Text("high".into()));
        let bands = [band("odd", is(CompareOp::Eq, text))];
        assert_eq!(analyse(&bands, Domain::Real), vec![]);

        let bands = [band("odd", is(CompareOp::Gt, value()))];
        assert_eq!(analyse(&bands, Domain::Real), vec![]);
    }

    #[test]
    fn reversed_operand_order() {
        let bands = [
            band("green", compare(CompareOp::Le, pct(80.0), value())),
            band("amber", is(CompareOp::Ge, pct(95.0))),
            otherwise("red"),
        ];
        let expected = Finding::Unreachable {
            band: 1,
            taken_by: vec![0],
        };
        assert_eq!(analyse(&bands, Domain::Real), vec![expected]);
    }

    #[test]
    fn dates_compare_with_date_times() {
        let day = literal(Literal::Date(1));
        let same_instant = literal(Literal::DateTime(86_400_000_000));
        let bands = [
            band("late", compare(CompareOp::Ge, value(), same_instant)),
            band("early", compare(CompareOp::Lt, value(), day)),
        ];
        assert_eq!(analyse(&bands, Domain::Real), vec![]);
    }

    #[test]
    fn empty_scale_gives_nothing() {
        let bands = [band("red", is(CompareOp::Ge, category(LOW)))];
        assert_eq!(analyse(&bands, Domain::Ordinal { count: 0 }), vec![]);
    }

    #[test]
    fn describe_wording() {
        let run = |lo, hi| Interval { lo, hi };
        let (a, b) = (0.8, 0.95);
        let cases = [
            (run(Bound::BELOW, Bound::ABOVE), "any value"),
            (run(Bound::BELOW, Bound::excluded(a)), "below 80%"),
            (run(Bound::BELOW, Bound::included(a)), "up to 80%"),
            (run(Bound::excluded(a), Bound::ABOVE), "above 80%"),
            (run(Bound::included(a), Bound::ABOVE), "80% or more"),
            (Interval::point(a), "exactly 80%"),
            (
                run(Bound::included(a), Bound::included(b)),
                "from 80% to 95%",
            ),
            (
                run(Bound::included(a), Bound::excluded(b)),
                "from 80% to below 95%",
            ),
            (
                run(Bound::excluded(a), Bound::included(b)),
                "above 80% and up to 95%",
            ),
            (
                run(Bound::excluded(a), Bound::excluded(b)),
                "above 80% and below 95%",
            ),
        ];
        for (interval, wording) in cases {
            assert_eq!(interval.describe(&percent), wording);
        }
        assert_eq!(Interval::point(-0.0).describe(&plain), "exactly 0");
    }

    #[test]
    fn bounds_read_back() {
        let gap = Interval {
            lo: Bound::BELOW,
            hi: Bound::included(3.0),
        };
        assert_eq!(gap.lo.value(), None);
        assert!(!gap.lo.inclusive);
        assert_eq!(gap.hi.value(), Some(3.0));
        assert!(gap.hi.inclusive);
    }
}
