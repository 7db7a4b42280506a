//! Types of values and the rules for combining them.
//!
//! The rules here decide what arithmetic, comparison and aggregation mean for each type:
//! a date-time minus a date-time is a duration, a count over a count is a percentage, a
//! duration is never compared with a plain number. They are pure functions of types, so
//! the expression checker and the evaluator agree by construction.

use std::fmt;

use crate::syntax::ast::{AggregateFn, BinaryOp, CompareOp};

/// Index of a scale in [`super::Program::scales`].
pub type ScaleId = usize;

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Int,
    Number,
    /// A number of things counted: a non-negative integer.
    Count,
    /// A dimensionless fraction, shown as a percentage (0.95 is 95 %).
    Percent,
    Duration,
    Date,
    DateTime,
    Text,
    /// A category of a declared scale.
    Category(ScaleId),
    /// The type of the literal `none`, which fits anywhere a value may be missing.
    None,
    /// A type that could not be decided because of an error already reported.
    Error,
}

impl Type {
    pub fn is_numeric(self) -> bool {
        matches!(self, Type::Int | Type::Number | Type::Count | Type::Percent)
    }

    /// Whether values of this type have an order (`<`, `min`, `median`).
    pub fn is_ordered(self, scales: &[ScaleInfo]) -> bool {
        match self {
            Type::Category(s) => scales.get(s).is_some_and(|s| s.ordinal),
            Type::Bool | Type::Text | Type::None | Type::Error => false,
            _ => true,
        }
    }

    /// The name a user writes for the type, with scales by their names.
    pub fn display(self, scales: &[ScaleInfo]) -> String {
        match self {
            Type::Category(s) => scales
                .get(s)
                .map_or_else(|| "category".to_string(), |s| s.name.clone()),
            other => other.to_string(),
        }
    }

    /// The type named by a declaration, for the built-in names.
    pub fn builtin(name: &str) -> Option<Type> {
        Some(match name {
            "Bool" => Type::Bool,
            "Int" => Type::Int,
            "Number" => Type::Number,
            "Count" => Type::Count,
            "Percent" => Type::Percent,
            "Duration" => Type::Duration,
            "Date" => Type::Date,
            "DateTime" => Type::DateTime,
            "Text" => Type::Text,
            _ => return None,
        })
    }
}

/// Every built-in type name, for did-you-mean.
pub const BUILTIN_TYPES: &[&str] = &[
    "Bool", "Int", "Number", "Count", "Percent", "Duration", "Date", "DateTime", "Text",
];

/// Type names that may be declared for a dataset column.
pub const COLUMN_TYPES: &[&str] = &[
    "Bool", "Int", "Number", "Text", "Date", "DateTime", "Duration",
];

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Bool => "Bool",
            Type::Int => "Int",
            Type::Number => "Number",
            Type::Count => "Count",
            Type::Percent => "Percent",
            Type::Duration => "Duration",
            Type::Date => "Date",
            Type::DateTime => "DateTime",
            Type::Text => "Text",
            Type::Category(_) => "category",
            Type::None => "none",
            Type::Error => "unknown",
        })
    }
}

/// What the type rules need to know of a scale.
#[derive(Debug, Clone)]
pub struct ScaleInfo {
    pub name: String,
    pub ordinal: bool,
}

/// The type of `lhs op rhs` for arithmetic, or `None` when the operation has no meaning.
pub fn arithmetic(op: BinaryOp, lhs: Type, rhs: Type) -> Option<Type> {
    use Type::*;
    if lhs == Error || rhs == Error {
        return Some(Error);
    }
    match op {
        BinaryOp::Add => match (lhs, rhs) {
            (Count, Count) | (Count, Int) | (Int, Count) => Some(Count),
            (Int, Int) => Some(Int),
            (Percent, Percent) => Some(Percent),
            (a, b) if a.is_numeric() && b.is_numeric() => Some(Number),
            (Duration, Duration) => Some(Duration),
            (DateTime | Date, Duration) | (Duration, DateTime | Date) => Some(DateTime),
            _ => Option::None,
        },
        BinaryOp::Sub => match (lhs, rhs) {
            (Count, Count) | (Count, Int) => Some(Count),
            (Int, Int) => Some(Int),
            (Percent, Percent) => Some(Percent),
            (a, b) if a.is_numeric() && b.is_numeric() => Some(Number),
            (Duration, Duration) => Some(Duration),
            (DateTime | Date, DateTime | Date) => Some(Duration),
            (DateTime | Date, Duration) => Some(DateTime),
            _ => Option::None,
        },
        BinaryOp::Mul => match (lhs, rhs) {
            (Int, Int) => Some(Int),
            (Count, Int) | (Int, Count) => Some(Count),
            (a, b) if a.is_numeric() && b.is_numeric() => Some(Number),
            (Duration, n) | (n, Duration) if n.is_numeric() => Some(Duration),
            _ => Option::None,
        },
        BinaryOp::Div => match (lhs, rhs) {
            // Like over like is a fraction of the whole.
            (Count, Count) => Some(Percent),
            (Duration, Duration) => Some(Number),
            (a, b) if a.is_numeric() && b.is_numeric() => Some(Number),
            (Duration, n) if n.is_numeric() => Some(Duration),
            _ => Option::None,
        },
        _ => Option::None,
    }
}

/// Whether two types may be compared with `op`.
pub fn comparable(op: CompareOp, lhs: Type, rhs: Type, scales: &[ScaleInfo]) -> bool {
    use Type::*;
    let equality = matches!(op, CompareOp::Eq | CompareOp::Ne);
    match (lhs, rhs) {
        (Error, _) | (_, Error) => true,
        (a, b) if a.is_numeric() && b.is_numeric() => true,
        (Duration, Duration) => true,
        (Date | DateTime, Date | DateTime) => true,
        (Text, Text) | (Bool, Bool) => equality,
        (Category(a), Category(b)) => a == b && (equality || lhs.is_ordered(scales)),
        _ => false,
    }
}

/// The result type of an aggregate over values of type `arg` (`None` for a plain count), or
/// `Err` with the reason the argument does not fit.
pub fn aggregate(
    func: AggregateFn,
    arg: Option<Type>,
    scales: &[ScaleInfo],
) -> Result<Type, &'static str> {
    use Type::*;
    let Some(arg) = arg else {
        return match func {
            AggregateFn::Count => Ok(Count),
            _ => Err("needs a value to aggregate: write `expression for dataset`"),
        };
    };
    if arg == Error {
        return Ok(match func {
            AggregateFn::Count | AggregateFn::CountDistinct => Count,
            _ => Error,
        });
    }
    match func {
        AggregateFn::Count | AggregateFn::CountDistinct => match arg {
            None => Err("cannot count the literal `none`"),
            _ => Ok(Count),
        },
        AggregateFn::Sum => match arg {
            Count | Int | Number | Duration => Ok(arg),
            Percent => Ok(Number),
            Bool => Err("cannot sum true/false values: count the rows where it holds instead"),
            _ => Err("can only sum numbers and durations"),
        },
        AggregateFn::Mean => match arg {
            Int | Number | Count | Percent => Ok(Number),
            Duration | DateTime => Ok(arg),
            Date => Ok(DateTime),
            // The mean of a condition is the share of rows where it holds.
            Bool => Ok(Percent),
            Category(_) if arg.is_ordered(scales) => {
                Err("an ordinal category has no mean, as its steps need not be equal")
            }
            _ => Err("can only average numbers, durations, date-times and conditions"),
        },
        AggregateFn::Median | AggregateFn::Percentile => match arg {
            Int | Number | Count | Percent => Ok(Number),
            Duration | DateTime | Date => Ok(arg),
            Category(_) if arg.is_ordered(scales) => Ok(arg),
            Category(_) => Err("a nominal category has no order, so no median or percentile"),
            _ => Err("needs ordered values: numbers, durations, dates or ordinal categories"),
        },
        AggregateFn::Min | AggregateFn::Max => match arg {
            Count | Int | Number | Percent | Duration | DateTime | Date => Ok(arg),
            Category(_) if arg.is_ordered(scales) => Ok(arg),
            Category(_) => Err("a nominal category has no order, so no minimum or maximum"),
            _ => Err("needs ordered values: numbers, durations, dates or ordinal categories"),
        },
    }
}

/// Whether a value of type `actual` may be declared as `declared`.
pub fn fits_declared(declared: Type, actual: Type) -> bool {
    use Type::*;
    match (declared, actual) {
        (Error, _) | (_, Error) | (_, None) => true,
        (a, b) if a == b => true,
        (Number, n) if n.is_numeric() => true,
        (Percent, Number) => true,
        (Count, Int) | (Int, Count) => true,
        (DateTime, Date) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scales() -> Vec<ScaleInfo> {
        vec![
            ScaleInfo {
                name: "Severity".into(),
                ordinal: true,
            },
            ScaleInfo {
                name: "Category".into(),
                ordinal: false,
            },
        ]
    }

    #[test]
    fn time_arithmetic() {
        assert_eq!(
            arithmetic(BinaryOp::Sub, Type::DateTime, Type::DateTime),
            Some(Type::Duration)
        );
        assert_eq!(
            arithmetic(BinaryOp::Add, Type::DateTime, Type::Duration),
            Some(Type::DateTime)
        );
        assert_eq!(
            arithmetic(BinaryOp::Add, Type::DateTime, Type::DateTime),
            None
        );
        assert_eq!(
            arithmetic(BinaryOp::Add, Type::Duration, Type::Number),
            None
        );
        assert_eq!(
            arithmetic(BinaryOp::Div, Type::Duration, Type::Count),
            Some(Type::Duration)
        );
    }

    #[test]
    fn count_over_count_is_a_percentage() {
        assert_eq!(
            arithmetic(BinaryOp::Div, Type::Count, Type::Count),
            Some(Type::Percent)
        );
        assert_eq!(
            arithmetic(BinaryOp::Add, Type::Count, Type::Count),
            Some(Type::Count)
        );
        assert!(fits_declared(Type::Percent, Type::Percent));
        assert!(!fits_declared(Type::Duration, Type::Percent));
    }

    #[test]
    fn comparisons_compare_like_with_like() {
        let s = scales();
        assert!(!comparable(CompareOp::Le, Type::Duration, Type::Int, &s));
        assert!(comparable(CompareOp::Ge, Type::Percent, Type::Number, &s));
        assert!(comparable(
            CompareOp::Ge,
            Type::Category(0),
            Type::Category(0),
            &s
        ));
        assert!(!comparable(
            CompareOp::Ge,
            Type::Category(1),
            Type::Category(1),
            &s
        ));
        assert!(comparable(
            CompareOp::Eq,
            Type::Category(1),
            Type::Category(1),
            &s
        ));
        assert!(!comparable(
            CompareOp::Eq,
            Type::Category(0),
            Type::Category(1),
            &s
        ));
        assert!(!comparable(CompareOp::Lt, Type::Text, Type::Text, &s));
    }

    #[test]
    fn aggregates_need_fitting_arguments() {
        let s = scales();
        assert_eq!(
            aggregate(AggregateFn::Mean, Some(Type::Duration), &s),
            Ok(Type::Duration)
        );
        assert!(aggregate(AggregateFn::Mean, Some(Type::Category(0)), &s).is_err());
        assert_eq!(
            aggregate(AggregateFn::Median, Some(Type::Category(0)), &s),
            Ok(Type::Category(0))
        );
        assert!(aggregate(AggregateFn::Median, Some(Type::Category(1)), &s).is_err());
        assert!(aggregate(AggregateFn::Sum, Some(Type::Text), &s).is_err());
        assert_eq!(aggregate(AggregateFn::Count, None, &s), Ok(Type::Count));
        assert!(aggregate(AggregateFn::Sum, None, &s).is_err());
        assert_eq!(
            aggregate(AggregateFn::Mean, Some(Type::Bool), &s),
            Ok(Type::Percent)
        );
    }
}
