//! Values and the operations on them.
//!
//! [`Value`] is a result: a measure's value for one group, owned. [`Cell`] is the same thing
//! borrowed from a table during the row pass, so that reading a text column costs no
//! allocation. Operations are defined on cells; a missing operand gives a missing result
//! with its reason, and a division by zero gives a missing value, never NaN or infinity.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use crate::check::{Constant, Function, LookupTable};
use crate::syntax::ast::{BinaryOp, CompareOp, Literal};

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Why a value is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Missing {
    /// An input value was missing (an empty cell, or a missing measure).
    Input,
    /// An aggregate had no values to work on.
    NoValues,
    DivisionByZero,
    /// A sum of all-missing values.
    AllMissing,
    /// The result does not fit in a number.
    Overflow,
    /// A value of a period before the data's first one.
    BeforeData,
    /// A value of an earlier period, or a bound of the period, when there is no period:
    /// the whole data is used, or the period has no calendar unit to step back by.
    NoPeriod,
    /// `related(...)` found no related row, or the row's key was missing.
    NoRelatedRow,
    /// `related(...)` found several related rows, and so no one value.
    SeveralRelatedRows,
    /// A lookup table has no value for the key.
    NoEntry,
}

impl Missing {
    pub fn reason(self) -> &'static str {
        match self {
            Missing::Input => "missing input",
            Missing::NoValues => "no values",
            Missing::DivisionByZero => "division by zero",
            Missing::AllMissing => "every value missing",
            Missing::Overflow => "overflow",
            Missing::BeforeData => "before the data's first period",
            Missing::NoPeriod => "no period to step back from",
            Missing::NoRelatedRow => "no related row",
            Missing::SeveralRelatedRows => "several related rows",
            Missing::NoEntry => "no entry for the key",
        }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

/// An owned value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Missing(Missing),
    Bool(bool),
    Int(i64),
    Number(f64),
    /// Microseconds.
    Duration(i64),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since the Unix epoch, UTC.
    DateTime(i64),
    Text(Arc<str>),
    /// Index into the categories of the value's scale.
    Category(u16),
}

impl Value {
    pub fn cell(&self) -> Cell<'_> {
        match self {
            Value::Missing(m) => Cell::Missing(*m),
            Value::Bool(b) => Cell::Bool(*b),
            Value::Int(i) => Cell::Int(*i),
            Value::Number(f) => Cell::Number(*f),
            Value::Duration(d) => Cell::Duration(*d),
            Value::Date(d) => Cell::Date(*d),
            Value::DateTime(t) => Cell::DateTime(*t),
            Value::Text(s) => Cell::Text(s),
            Value::Category(c) => Cell::Category(*c),
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Missing(_))
    }

    pub fn missing_reason(&self) -> Option<Missing> {
        match self {
            Value::Missing(m) => Some(*m),
            _ => None,
        }
    }

    /// The value as a number, for numeric results.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Number(f) => Some(*f),
            _ => None,
        }
    }
}

/// A value borrowed from a table, a literal or a [`Value`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Missing(Missing),
    Bool(bool),
    Int(i64),
    Number(f64),
    Duration(i64),
    Date(i32),
    DateTime(i64),
    Text(&'a str),
    Category(u16),
}

impl<'a> Cell<'a> {
    pub fn from_literal(lit: &'a Literal) -> Cell<'a> {
        match lit {
            Literal::Int(i) => Cell::Int(*i),
            Literal::Number(f) | Literal::Percent(f) | Literal::Money(f, _) => Cell::Number(*f),
            Literal::Duration(d) => Cell::Duration(*d),
            Literal::Date(d) => Cell::Date(*d),
            Literal::DateTime(t) => Cell::DateTime(*t),
            Literal::Text(s) => Cell::Text(s),
            Literal::Bool(b) => Cell::Bool(*b),
            Literal::None => Cell::Missing(Missing::Input),
        }
    }

    pub fn to_value(self) -> Value {
        match self {
            Cell::Missing(m) => Value::Missing(m),
            Cell::Bool(b) => Value::Bool(b),
            Cell::Int(i) => Value::Int(i),
            Cell::Number(f) => Value::Number(f),
            Cell::Duration(d) => Value::Duration(d),
            Cell::Date(d) => Value::Date(d),
            Cell::DateTime(t) => Value::DateTime(t),
            Cell::Text(s) => Value::Text(Arc::from(s)),
            Cell::Category(c) => Value::Category(c),
        }
    }

    pub fn is_missing(self) -> bool {
        matches!(self, Cell::Missing(_))
    }

    /// Whether a condition holds: only `true` does; missing and `false` do not.
    pub fn holds(self) -> bool {
        matches!(self, Cell::Bool(true))
    }

    /// A number on one axis, for ordering and statistics: numbers as themselves, durations
    /// and instants in microseconds, dates in microseconds of their midnight, categories
    /// by their rank.
    pub fn ordinal(self) -> Option<f64> {
        Some(match self {
            Cell::Int(i) => i as f64,
            Cell::Number(f) => f,
            Cell::Duration(d) | Cell::DateTime(d) => d as f64,
            Cell::Date(d) => d as f64 * MICROS_PER_DAY as f64,
            Cell::Category(c) => c as f64,
            Cell::Bool(b) => b as u8 as f64,
            Cell::Missing(_) | Cell::Text(_) => return None,
        })
    }
}

fn number(f: f64) -> Cell<'static> {
    if f.is_finite() {
        Cell::Number(f)
    } else {
        Cell::Missing(Missing::Overflow)
    }
}

fn instant(c: Cell) -> Option<i64> {
    match c {
        Cell::DateTime(t) => Some(t),
        Cell::Date(d) => (d as i64).checked_mul(MICROS_PER_DAY),
        _ => None,
    }
}

fn float(c: Cell) -> Option<f64> {
    match c {
        Cell::Int(i) => Some(i as f64),
        Cell::Number(f) => Some(f),
        _ => None,
    }
}

fn overflow_checked(v: Option<i64>, make: fn(i64) -> Cell<'static>) -> Cell<'static> {
    v.map_or(Cell::Missing(Missing::Overflow), make)
}

/// Arithmetic on two cells. The checker has ensured the operand types fit.
pub fn arithmetic(op: BinaryOp, a: Cell, b: Cell) -> Cell<'static> {
    use Cell::*;
    if let Missing(m) = a {
        return Missing(m);
    }
    if let Missing(m) = b {
        return Missing(m);
    }
    match op {
        BinaryOp::Add => match (a, b) {
            (Int(x), Int(y)) => overflow_checked(x.checked_add(y), Int),
            (Duration(x), Duration(y)) => overflow_checked(x.checked_add(y), Duration),
            (DateTime(_) | Date(_), Duration(d)) | (Duration(d), DateTime(_) | Date(_)) => {
                let t = instant(if matches!(a, Duration(_)) { b } else { a });
                overflow_checked(t.and_then(|t| t.checked_add(d)), DateTime)
            }
            _ => match (float(a), float(b)) {
                (Some(x), Some(y)) => number(x + y),
                _ => Missing(self::Missing::Input),
            },
        },
        BinaryOp::Sub => match (a, b) {
            (Int(x), Int(y)) => overflow_checked(x.checked_sub(y), Int),
            (Duration(x), Duration(y)) => overflow_checked(x.checked_sub(y), Duration),
            (DateTime(_) | Date(_), DateTime(_) | Date(_)) => overflow_checked(
                instant(a)
                    .zip(instant(b))
                    .and_then(|(x, y)| x.checked_sub(y)),
                Duration,
            ),
            (DateTime(_) | Date(_), Duration(d)) => {
                overflow_checked(instant(a).and_then(|t| t.checked_sub(d)), DateTime)
            }
            _ => match (float(a), float(b)) {
                (Some(x), Some(y)) => number(x - y),
                _ => Missing(self::Missing::Input),
            },
        },
        BinaryOp::Mul => match (a, b) {
            (Int(x), Int(y)) => overflow_checked(x.checked_mul(y), Int),
            (Duration(d), n) | (n, Duration(d)) => match float(n) {
                Some(f) => duration_from_f64(d as f64 * f),
                None => Missing(self::Missing::Input),
            },
            _ => match (float(a), float(b)) {
                (Some(x), Some(y)) => number(x * y),
                _ => Missing(self::Missing::Input),
            },
        },
        BinaryOp::Div => match (a, b) {
            (Duration(x), Duration(y)) => {
                if y == 0 {
                    Missing(self::Missing::DivisionByZero)
                } else {
                    number(x as f64 / y as f64)
                }
            }
            (Duration(d), n) => match float(n) {
                Some(0.0) => Missing(self::Missing::DivisionByZero),
                Some(f) => duration_from_f64(d as f64 / f),
                None => Missing(self::Missing::Input),
            },
            _ => match (float(a), float(b)) {
                (Some(_), Some(0.0)) => Missing(self::Missing::DivisionByZero),
                (Some(x), Some(y)) => number(x / y),
                _ => Missing(self::Missing::Input),
            },
        },
        _ => Missing(self::Missing::Input),
    }
}

/// A duration from fractional microseconds, rounded to the microsecond.
pub fn duration_from_f64(micros: f64) -> Cell<'static> {
    if micros.is_finite() && micros.abs() < i64::MAX as f64 {
        Cell::Duration(micros.round() as i64)
    } else {
        Cell::Missing(Missing::Overflow)
    }
}

/// Compares two cells; a missing operand makes the comparison missing.
pub fn compare(op: CompareOp, a: Cell, b: Cell) -> Cell<'static> {
    if let Cell::Missing(m) = a {
        return Cell::Missing(m);
    }
    if let Cell::Missing(m) = b {
        return Cell::Missing(m);
    }
    let ordering = match (a, b) {
        (Cell::Int(x), Cell::Int(y)) => Some(x.cmp(&y)),
        (Cell::Text(x), Cell::Text(y)) => Some(x.cmp(y)),
        (Cell::Bool(x), Cell::Bool(y)) => Some(x.cmp(&y)),
        (Cell::Category(x), Cell::Category(y)) => Some(x.cmp(&y)),
        (Cell::Duration(x), Cell::Duration(y)) => Some(x.cmp(&y)),
        (Cell::DateTime(_) | Cell::Date(_), Cell::DateTime(_) | Cell::Date(_)) => {
            instant(a).zip(instant(b)).map(|(x, y)| x.cmp(&y))
        }
        _ => float(a).zip(float(b)).and_then(|(x, y)| x.partial_cmp(&y)),
    };
    let Some(ordering) = ordering else {
        return Cell::Missing(Missing::Input);
    };
    Cell::Bool(match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
    })
}

/// `and` in three-valued logic: false wins over missing.
pub fn and(a: Cell, b: Cell) -> Cell<'static> {
    match (a, b) {
        (Cell::Bool(false), _) | (_, Cell::Bool(false)) => Cell::Bool(false),
        (Cell::Bool(true), Cell::Bool(true)) => Cell::Bool(true),
        (Cell::Missing(m), _) | (_, Cell::Missing(m)) => Cell::Missing(m),
        _ => Cell::Missing(Missing::Input),
    }
}

/// `or` in three-valued logic: true wins over missing.
pub fn or(a: Cell, b: Cell) -> Cell<'static> {
    match (a, b) {
        (Cell::Bool(true), _) | (_, Cell::Bool(true)) => Cell::Bool(true),
        (Cell::Bool(false), Cell::Bool(false)) => Cell::Bool(false),
        (Cell::Missing(m), _) | (_, Cell::Missing(m)) => Cell::Missing(m),
        _ => Cell::Missing(Missing::Input),
    }
}

pub fn not(a: Cell) -> Cell<'static> {
    match a {
        Cell::Bool(b) => Cell::Bool(!b),
        Cell::Missing(m) => Cell::Missing(m),
        _ => Cell::Missing(Missing::Input),
    }
}

pub fn negate(a: Cell) -> Cell<'static> {
    match a {
        Cell::Int(i) => overflow_checked(i.checked_neg(), Cell::Int),
        Cell::Number(f) => Cell::Number(-f),
        Cell::Duration(d) => overflow_checked(d.checked_neg(), Cell::Duration),
        Cell::Missing(m) => Cell::Missing(m),
        _ => Cell::Missing(Missing::Input),
    }
}

/// The mean of values of one kind, or the first reason one is missing.
pub fn mean(values: &[Value]) -> Value {
    if let Some(m) = values.iter().find_map(Value::missing_reason) {
        return Value::Missing(m);
    }
    let Some(first) = values.first() else {
        return Value::Missing(Missing::NoValues);
    };
    let sum: f64 = values.iter().filter_map(|v| v.cell().ordinal()).sum();
    let mean = sum / values.len() as f64;
    match first {
        Value::Duration(_) => duration_from_f64(mean).to_value(),
        Value::DateTime(_) | Value::Date(_) => Value::DateTime(mean.round() as i64),
        Value::Int(_) | Value::Number(_) => Value::Number(mean),
        _ => Value::Missing(Missing::Input),
    }
}

/// The least-squares slope of values taken one period apart, oldest first: how much they
/// change per period. Durations and instants give a duration per period.
pub fn slope(values: &[Value]) -> Value {
    if let Some(m) = values.iter().find_map(Value::missing_reason) {
        return Value::Missing(m);
    }
    let ys: Vec<f64> = values.iter().filter_map(|v| v.cell().ordinal()).collect();
    if ys.len() < 2 || ys.len() != values.len() {
        return Value::Missing(Missing::NoValues);
    }
    let n = ys.len() as f64;
    let t_mean = (n - 1.0) / 2.0;
    let y_mean = ys.iter().sum::<f64>() / n;
    let (mut covariance, mut variance) = (0.0, 0.0);
    for (t, y) in ys.iter().enumerate() {
        let dt = t as f64 - t_mean;
        covariance += dt * (y - y_mean);
        variance += dt * dt;
    }
    let slope = covariance / variance;
    match values[0] {
        Value::Duration(_) | Value::DateTime(_) | Value::Date(_) => {
            duration_from_f64(slope).to_value()
        }
        _ => Value::Number(slope),
    }
}

/// A function applied to its arguments' values.
pub fn call<'a>(function: &'a Function, args: &[Cell<'a>]) -> Cell<'a> {
    match (function, args) {
        (Function::Lookup(table), [key]) => lookup(table, *key),
        (Function::Score { scores, .. }, [Cell::Category(c)]) => scores
            .get(*c as usize)
            .map_or(Cell::Missing(Missing::Input), |s| Cell::Number(*s)),
        (Function::Default, [Cell::Missing(_), fallback]) => *fallback,
        (Function::Default, [value, _]) => *value,
        (_, [Cell::Missing(m), ..]) => Cell::Missing(*m),
        (Function::Normalise, [x, worst, best]) => {
            match (x.ordinal(), worst.ordinal(), best.ordinal()) {
                (Some(_), Some(w), Some(b)) if w == b => Cell::Missing(Missing::DivisionByZero),
                (Some(x), Some(w), Some(b)) => Cell::Number(((x - w) / (b - w)).clamp(0.0, 1.0)),
                _ => Cell::Missing(Missing::Input),
            }
        }
        (Function::Clamp, [x, low, high]) => {
            if compare(CompareOp::Lt, *x, *low).holds() {
                *low
            } else if compare(CompareOp::Gt, *x, *high).holds() {
                *high
            } else {
                *x
            }
        }
        _ => Cell::Missing(Missing::Input),
    }
}

/// The entry of a lookup table for a key. A key without an entry, or whose entry is `none`,
/// gives a missing value, as does a missing key.
fn lookup<'a>(table: &'a LookupTable, key: Cell<'a>) -> Cell<'a> {
    let entry = match key {
        Cell::Missing(m) => return Cell::Missing(m),
        Cell::Category(c) => table.by_category(c),
        Cell::Text(text) => table.by_text(text),
        _ => None,
    };
    match entry {
        Some(Constant::Category(c)) => Cell::Category(*c),
        Some(Constant::Literal(Literal::None)) | None => Cell::Missing(Missing::NoEntry),
        Some(Constant::Literal(literal)) => Cell::from_literal(literal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_and_slopes_of_a_history() {
        let counts = [Value::Int(10), Value::Int(12), Value::Int(17)];
        assert_eq!(mean(&counts), Value::Number(13.0));
        // Least squares through (0, 10), (1, 12), (2, 17): slope 3.5 per period.
        assert_eq!(slope(&counts), Value::Number(3.5));
        let hours = |h: i64| Value::Duration(h * 3_600_000_000);
        assert_eq!(slope(&[hours(4), hours(6)]), hours(2));
        let gap = [Value::Int(1), Value::Missing(Missing::BeforeData)];
        assert_eq!(mean(&gap), Value::Missing(Missing::BeforeData));
        assert_eq!(slope(&[Value::Int(1)]), Value::Missing(Missing::NoValues));
    }

    #[test]
    fn normalising_maps_worst_to_nothing_and_best_to_the_whole() {
        let pct = |f| Cell::Number(f);
        let at = |x| call(&Function::Normalise, &[pct(x), pct(0.5), pct(1.0)]);
        assert_eq!(at(0.75), Cell::Number(0.5));
        assert_eq!(at(0.2), Cell::Number(0.0));
        // Lower is better when the worst bound lies above the best.
        let hours = |h: i64| Cell::Duration(h * 3_600_000_000);
        let faster = call(&Function::Normalise, &[hours(12), hours(72), hours(0)]);
        assert_eq!(faster, Cell::Number(60.0 / 72.0));
        let flat = call(&Function::Normalise, &[pct(1.0), pct(1.0), pct(1.0)]);
        assert_eq!(flat, Cell::Missing(Missing::DivisionByZero));
        let capped = call(
            &Function::Clamp,
            &[Cell::Int(140), Cell::Int(0), Cell::Int(100)],
        );
        assert_eq!(capped, Cell::Int(100));
    }

    #[test]
    fn functions_map_scores_and_fall_back() {
        let score = Function::Score {
            scale: 0,
            scores: vec![1.0, 2.5].into(),
        };
        assert_eq!(call(&score, &[Cell::Category(1)]), Cell::Number(2.5));
        assert!(call(&score, &[Cell::Missing(Missing::Input)]).is_missing());
        let fallback = [Cell::Missing(Missing::NoValues), Cell::Int(0)];
        assert_eq!(call(&Function::Default, &fallback), Cell::Int(0));
        assert_eq!(
            call(&Function::Default, &[Cell::Int(3), Cell::Int(0)]),
            Cell::Int(3)
        );
    }

    #[test]
    fn lookups_give_the_entry_of_the_key_or_a_missing_value() {
        let table = LookupTable {
            name: "deadline".into(),
            categories: vec![
                None,
                Some(Constant::Literal(Literal::Duration(7))),
                Some(Constant::Literal(Literal::None)),
            ],
            texts: [("web".to_string(), Constant::Category(2))].into(),
            default: None,
        };
        let lookup = Function::Lookup(Arc::new(table));
        assert_eq!(call(&lookup, &[Cell::Category(1)]), Cell::Duration(7));
        for key in [Cell::Category(0), Cell::Category(2), Cell::Category(9)] {
            assert_eq!(call(&lookup, &[key]), Cell::Missing(Missing::NoEntry));
        }
        assert_eq!(call(&lookup, &[Cell::Text("web")]), Cell::Category(2));
        assert_eq!(
            call(&lookup, &[Cell::Missing(Missing::Input)]),
            Cell::Missing(Missing::Input)
        );
    }

    #[test]
    fn division_by_zero_is_missing_never_infinite() {
        assert_eq!(
            arithmetic(BinaryOp::Div, Cell::Int(3), Cell::Int(0)),
            Cell::Missing(Missing::DivisionByZero)
        );
        assert_eq!(
            arithmetic(BinaryOp::Div, Cell::Duration(10), Cell::Int(0)),
            Cell::Missing(Missing::DivisionByZero)
        );
        assert_eq!(
            arithmetic(BinaryOp::Div, Cell::Int(1), Cell::Int(4)),
            Cell::Number(0.25)
        );
    }

    #[test]
    fn time_arithmetic_is_exact() {
        let day = MICROS_PER_DAY;
        assert_eq!(
            arithmetic(BinaryOp::Sub, Cell::DateTime(3 * day), Cell::Date(1)),
            Cell::Duration(2 * day)
        );
        assert_eq!(
            arithmetic(BinaryOp::Add, Cell::Date(1), Cell::Duration(day / 2)),
            Cell::DateTime(day + day / 2)
        );
        assert_eq!(
            arithmetic(BinaryOp::Add, Cell::Int(i64::MAX), Cell::Int(1)),
            Cell::Missing(Missing::Overflow)
        );
    }

    #[test]
    fn comparisons_with_missing_are_missing_and_do_not_hold() {
        let c = compare(
            CompareOp::Le,
            Cell::Missing(Missing::Input),
            Cell::Duration(1),
        );
        assert!(c.is_missing());
        assert!(!c.holds());
        assert!(compare(CompareOp::Ge, Cell::Category(3), Cell::Category(2)).holds());
        assert!(compare(CompareOp::Eq, Cell::Date(1), Cell::DateTime(MICROS_PER_DAY)).holds());
        assert!(compare(CompareOp::Gt, Cell::Number(0.96), Cell::Int(0)).holds());
    }

    #[test]
    fn three_valued_logic() {
        let m = Cell::Missing(Missing::Input);
        assert_eq!(and(Cell::Bool(false), m), Cell::Bool(false));
        assert!(and(Cell::Bool(true), m).is_missing());
        assert_eq!(or(Cell::Bool(true), m), Cell::Bool(true));
        assert!(or(Cell::Bool(false), m).is_missing());
        assert!(not(m).is_missing());
    }
}
