//! Types of values: their scale types, their units, and the rules for combining them.
//!
//! Every type sits on one of the four scale types of ISO/IEC 15939 (nominal, ordinal,
//! interval, ratio), and the scale type decides which operations have a meaning: categories
//! can be counted and compared, an ordinal has an order and a median but no mean, a
//! date-time has differences and a mean but no sum, and only ratio-scale quantities have
//! sums, products and ratios. Quantities also carry units: a count says what it counts,
//! money its currency, and a quantity divided by a count is that quantity per item.
//!
//! The rules are pure functions of types, so the expression checker and the evaluator agree
//! by construction. A refusal says why an operation has no meaning, for the diagnostic.

use std::fmt;

use crate::syntax::ast::{AggregateFn, BinaryOp, CompareOp};

pub use super::currency::Currency;

/// Index of a scale in [`super::Program::scales`].
pub type ScaleId = usize;

/// Index of an entity, the kind of thing a dataset's rows are, in [`TypeNames::entities`].
pub type EntityId = u32;

/// What a count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// Rows of a dataset whose entity is this one: incidents, assets.
    Named(EntityId),
    /// A count whose things are not known, such as the distinct values of a column; it
    /// takes the entity of what it is combined with, or of the measure's declared type.
    Any,
}

impl Entity {
    /// The entity both sides count, if they count the same thing.
    fn unify(self, other: Entity) -> Option<Entity> {
        match (self, other) {
            (Entity::Any, e) | (e, Entity::Any) => Some(e),
            (a, b) if a == b => Some(a),
            _ => None,
        }
    }
}

/// The scale types of ISO/IEC 15939, weakest first: each allows what the one before it
/// allows, and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScaleType {
    /// Categories: equality, counts, the mode, grouping.
    Nominal,
    /// Ordered categories: also order, minimum, maximum, median and percentiles.
    Ordinal,
    /// Equal steps without a true zero (dates, date-times): also differences and the mean.
    Interval,
    /// A true zero: also sums, products and ratios.
    Ratio,
}

impl ScaleType {
    pub fn keyword(self) -> &'static str {
        match self {
            ScaleType::Nominal => "nominal",
            ScaleType::Ordinal => "ordinal",
            ScaleType::Interval => "interval",
            ScaleType::Ratio => "ratio",
        }
    }

    /// What the scale type adds to the one below it, for diagnostics.
    pub fn allows(self) -> &'static str {
        match self {
            ScaleType::Nominal => "equality, counts and the mode",
            ScaleType::Ordinal => "an order, a minimum, a maximum, a median and percentiles",
            ScaleType::Interval => "differences and a mean",
            ScaleType::Ratio => "sums, products and ratios",
        }
    }
}

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    /// A plain whole number.
    Int,
    /// A plain number.
    Number,
    /// A dimensionless fraction, shown as a percentage (0.95 is 95 %).
    Percent,
    /// A number of things counted.
    Count(Entity),
    Duration,
    Money(Currency),
    /// A ratio-scale score from the numeric mapping declared on an ordinal scale.
    Score(ScaleId),
    /// A quantity per item: `Count<incident> per asset`, `Duration per incident`.
    Per(Quantity, EntityId),
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

/// What a per-item quantity measures per item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quantity {
    Number,
    Count(Entity),
    Duration,
    Money(Currency),
    Score(ScaleId),
}

impl Quantity {
    pub fn ty(self) -> Type {
        match self {
            Quantity::Number => Type::Number,
            Quantity::Count(e) => Type::Count(e),
            Quantity::Duration => Type::Duration,
            Quantity::Money(c) => Type::Money(c),
            Quantity::Score(s) => Type::Score(s),
        }
    }

    /// The quantity a type measures, for the numerator of a per-item quantity.
    pub fn of(ty: Type) -> Option<Quantity> {
        Some(match ty {
            Type::Int | Type::Number | Type::Percent => Quantity::Number,
            Type::Count(e) => Quantity::Count(e),
            Type::Duration => Quantity::Duration,
            Type::Money(c) => Quantity::Money(c),
            Type::Score(s) => Quantity::Score(s),
            _ => return Option::None,
        })
    }
}

/// The names that types refer to by index: scales and entities.
#[derive(Debug, Clone, Default)]
pub struct TypeNames {
    pub scales: Vec<ScaleInfo>,
    /// Entity names, singular: `incident`, `asset`.
    pub entities: Vec<String>,
}

impl TypeNames {
    pub fn entity(&self, id: EntityId) -> &str {
        self.entities
            .get(id as usize)
            .map_or("item", String::as_str)
    }
}

/// What the type rules need to know of a scale.
#[derive(Debug, Clone)]
pub struct ScaleInfo {
    pub name: String,
    pub ordinal: bool,
}

impl Type {
    /// Plain numbers and fractions: no unit.
    pub fn is_dimensionless(self) -> bool {
        matches!(self, Type::Int | Type::Number | Type::Percent)
    }

    /// A ratio-scale quantity other than a duration: a number of some unit.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Type::Int
                | Type::Number
                | Type::Percent
                | Type::Count(_)
                | Type::Money(_)
                | Type::Score(_)
                | Type::Per(..)
        )
    }

    /// The scale type of the values; `None` for `none` and for an unknown type.
    pub fn scale_type(self, names: &TypeNames) -> Option<ScaleType> {
        Some(match self {
            Type::Bool | Type::Text => ScaleType::Nominal,
            Type::Category(s) => match names.scales.get(s) {
                Some(s) if s.ordinal => ScaleType::Ordinal,
                _ => ScaleType::Nominal,
            },
            Type::Date | Type::DateTime => ScaleType::Interval,
            Type::None | Type::Error => return Option::None,
            _ => ScaleType::Ratio,
        })
    }

    /// Whether values of this type have an order (`<`, `min`, `median`).
    pub fn is_ordered(self, names: &TypeNames) -> bool {
        self.scale_type(names)
            .is_some_and(|s| s >= ScaleType::Ordinal)
    }

    /// The name a user writes for the type: `Count<incident>`, `Money<EUR> per incident`.
    pub fn display(self, names: &TypeNames) -> String {
        match self {
            Type::Category(s) => names
                .scales
                .get(s)
                .map_or_else(|| "category".to_string(), |s| s.name.clone()),
            Type::Count(Entity::Named(e)) => format!("Count<{}>", names.entity(e)),
            Type::Money(c) => format!("Money<{c}>"),
            Type::Score(s) => format!(
                "Score<{}>",
                names.scales.get(s).map_or("scale", |s| s.name.as_str())
            ),
            Type::Per(q, e) => format!("{} per {}", q.ty().display(names), names.entity(e)),
            other => other.to_string(),
        }
    }

    /// The unit of the type's values as machine output gives them: `incident` for a count
    /// of incidents, `EUR`, `second` for a duration (given in seconds), `fraction` for a
    /// percentage (given as a fraction), `EUR per incident`; `None` for values without a
    /// unit.
    pub fn unit(self, names: &TypeNames) -> Option<String> {
        Some(match self {
            Type::Count(Entity::Named(e)) => names.entity(e).to_string(),
            Type::Percent => "fraction".to_string(),
            Type::Duration => "second".to_string(),
            Type::Money(c) => c.code().to_string(),
            Type::Score(s) => format!("{} score", names.scales.get(s)?.name),
            Type::Per(q, e) => {
                let of = q.ty().unit(names).unwrap_or_else(|| "1".to_string());
                format!("{of} per {}", names.entity(e))
            }
            _ => return Option::None,
        })
    }

    /// A zero of this type as a designer writes it (`0`, `0%`, `0h`, `0 EUR`), for help
    /// lines that suggest a fallback.
    pub fn zero_literal(self) -> Option<String> {
        Some(match self {
            Type::Count(_) | Type::Int | Type::Number | Type::Score(_) => "0".to_string(),
            Type::Percent => "0%".to_string(),
            Type::Duration => "0h".to_string(),
            Type::Money(c) => format!("0 {c}"),
            Type::Per(q, _) => return q.ty().zero_literal(),
            _ => return Option::None,
        })
    }

    /// The type named by a declaration without arguments, for the built-in names.
    pub fn builtin(name: &str) -> Option<Type> {
        Some(match name {
            "Bool" => Type::Bool,
            "Int" => Type::Int,
            "Number" => Type::Number,
            "Count" => Type::Count(Entity::Any),
            "Percent" => Type::Percent,
            "Duration" => Type::Duration,
            "Date" => Type::Date,
            "DateTime" => Type::DateTime,
            "Text" => Type::Text,
            _ => return Option::None,
        })
    }
}

/// A number with at most two decimals and no trailing zeros, as output and diagnostics
/// write plain numbers: `410.5`, `95`, `0.33`.
pub fn short_number(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// The plural of an entity's name, for display: `incidents`, `vulnerabilities`, `patches`.
pub fn plural(entity: &str) -> String {
    let consonant_y = entity.len() > 1
        && entity.ends_with('y')
        && !entity[..entity.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &entity[..entity.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| entity.ends_with(end))
    {
        format!("{entity}es")
    } else {
        format!("{entity}s")
    }
}

/// Every built-in type name, for did-you-mean.
pub const BUILTIN_TYPES: &[&str] = &[
    "Bool", "Int", "Number", "Count", "Percent", "Duration", "Money", "Score", "Date", "DateTime",
    "Text",
];

/// Type names that may be declared for a dataset column.
pub const COLUMN_TYPES: &[&str] = &[
    "Bool", "Int", "Number", "Count", "Duration", "Money", "Text", "Date", "DateTime",
];

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Bool => "Bool",
            Type::Int => "Int",
            Type::Number => "Number",
            Type::Count(_) => "Count",
            Type::Percent => "Percent",
            Type::Duration => "Duration",
            Type::Money(_) => "Money",
            Type::Score(_) => "Score",
            Type::Per(..) => "a quantity per item",
            Type::Date => "Date",
            Type::DateTime => "DateTime",
            Type::Text => "Text",
            Type::Category(_) => "category",
            Type::None => "none",
            Type::Error => "unknown",
        })
    }
}

/// Why an operation on two types has no meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An operand's scale type does not allow the operation: the type at fault, and the
    /// weakest scale type that would.
    Scale { culprit: Type, needs: ScaleType },
    /// Both are quantities, but of different units or dimensions: counts of different
    /// things, two currencies, money and hours, a duration and a plain number.
    Units,
    /// The operation means nothing for these operands (text arithmetic, the product of two
    /// counts).
    Meaning,
}

/// The refusal for an operation that needs `needs`, if an operand's scale type is weaker.
fn weaker_than(needs: ScaleType, l: Type, r: Type, names: &TypeNames) -> Option<Refusal> {
    [l, r].into_iter().find_map(|t| {
        let scale = t.scale_type(names)?;
        (scale < needs).then_some(Refusal::Scale { culprit: t, needs })
    })
}

/// The type of `lhs op rhs` for arithmetic, or why it has no meaning.
pub fn arithmetic(op: BinaryOp, l: Type, r: Type, names: &TypeNames) -> Result<Type, Refusal> {
    use Type::*;
    if l == Error || r == Error {
        return Ok(Error);
    }
    if l == None || r == None {
        return Err(Refusal::Meaning);
    }
    // Differences are the interval scale's one operation; everything else needs a ratio.
    let interval_difference = op == BinaryOp::Sub
        && matches!(l, Date | DateTime)
        && matches!(r, Date | DateTime | Duration);
    let interval_shift = op == BinaryOp::Add
        && matches!(
            (l, r),
            (Date | DateTime, Duration) | (Duration, Date | DateTime)
        );
    if interval_difference || interval_shift {
        return Ok(if matches!(r, Date | DateTime) {
            Duration
        } else {
            DateTime
        });
    }
    // A date-time shifted by a plain number: the number wants a unit of time.
    let instant = |t: Type| matches!(t, Date | DateTime);
    if matches!(op, BinaryOp::Add | BinaryOp::Sub)
        && (instant(l) && quantity(r) || quantity(l) && instant(r))
    {
        return Err(Refusal::Units);
    }
    let needs = match op {
        BinaryOp::Sub => ScaleType::Interval,
        _ => ScaleType::Ratio,
    };
    if let Some(refusal) = weaker_than(needs, l, r, names) {
        return Err(refusal);
    }
    if matches!(l, Date | DateTime) || matches!(r, Date | DateTime) {
        // A date-time beside anything but a duration or a date-time.
        return Err(match op {
            BinaryOp::Add | BinaryOp::Sub => Refusal::Units,
            _ => Refusal::Scale {
                culprit: if matches!(l, Date | DateTime) { l } else { r },
                needs: ScaleType::Ratio,
            },
        });
    }
    match op {
        BinaryOp::Add | BinaryOp::Sub => add(l, r).ok_or(Refusal::Units),
        BinaryOp::Mul => multiply(l, r),
        BinaryOp::Div => divide(l, r),
        _ => Err(Refusal::Meaning),
    }
}

/// The type of a sum or difference of two ratio-scale values of the same unit.
fn add(l: Type, r: Type) -> Option<Type> {
    use Type::*;
    Some(match (l, r) {
        (Int, Int) => Int,
        (Percent, Percent) => Percent,
        (a, b) if a.is_dimensionless() && b.is_dimensionless() => Number,
        // A plain whole number beside a count is that many of the same things.
        (Count(a), Count(b)) => Count(a.unify(b)?),
        (Count(e), Int | Number) | (Int | Number, Count(e)) => Count(e),
        (Duration, Duration) => Duration,
        (Money(a), Money(b)) if a == b => Money(a),
        (Score(a), Score(b)) if a == b => Score(a),
        (Score(s), Int | Number) | (Int | Number, Score(s)) => Score(s),
        (Per(a, e), Per(b, f)) if e == f => Per(Quantity::of(add(a.ty(), b.ty())?)?, e),
        _ => return Option::None,
    })
}

fn multiply(l: Type, r: Type) -> Result<Type, Refusal> {
    use Type::*;
    Ok(match (l, r) {
        (Int, Int) => Int,
        (Percent, Percent) => Percent,
        (a, b) if a.is_dimensionless() && b.is_dimensionless() => Number,
        // A plain number or a fraction scales a quantity.
        (q, n) | (n, q) if n.is_dimensionless() => q,
        // So much per item, times a number of those items.
        (Per(q, e), Count(c)) | (Count(c), Per(q, e)) if c.unify(Entity::Named(e)).is_some() => {
            q.ty()
        }
        _ => return Err(Refusal::Meaning),
    })
}

fn divide(l: Type, r: Type) -> Result<Type, Refusal> {
    use Type::*;
    Ok(match (l, r) {
        (a, b) if a.is_dimensionless() && b.is_dimensionless() => Number,
        (q, n) if n.is_dimensionless() => q,
        // Like over like: the share of a whole, or a plain ratio.
        (Count(a), Count(b)) if a.unify(b).is_some() => Percent,
        (Duration, Duration) => Number,
        (Money(a), Money(b)) if a == b => Number,
        (Score(a), Score(b)) if a == b => Number,
        (Per(a, e), Per(b, f)) if e == f && add(a.ty(), b.ty()).is_some() => Number,
        // Anything per item counted.
        (q, Count(Entity::Named(e))) => match Quantity::of(q) {
            Some(q) => Per(q, e),
            Option::None => return Err(Refusal::Meaning),
        },
        (q, Count(Entity::Any)) if Quantity::of(q).is_some() => q,
        (Count(_) | Money(_) | Duration | Score(_) | Per(..), Money(_) | Score(_)) => {
            return Err(Refusal::Units)
        }
        (Money(_) | Score(_) | Count(_), Duration) => return Err(Refusal::Units),
        _ => return Err(Refusal::Meaning),
    })
}

/// Whether two types may be compared with `op`, or why not.
pub fn comparable(op: CompareOp, l: Type, r: Type, names: &TypeNames) -> Result<(), Refusal> {
    use Type::*;
    let equality = matches!(op, CompareOp::Eq | CompareOp::Ne);
    if l == Error || r == Error {
        return Ok(());
    }
    if !equality {
        if let Some(refusal) = weaker_than(ScaleType::Ordinal, l, r, names) {
            return Err(refusal);
        }
    }
    match (l, r) {
        (Text, Text) | (Bool, Bool) => Ok(()),
        (Category(a), Category(b)) if a == b => Ok(()),
        (Date | DateTime, Date | DateTime) => Ok(()),
        (a, b) if quantity(a) && quantity(b) => add(a, b).map(|_| ()).ok_or(Refusal::Units),
        (Date | DateTime, b) | (b, Date | DateTime) if quantity(b) => Err(Refusal::Units),
        _ => Err(Refusal::Meaning),
    }
}

/// A ratio-scale quantity, durations included.
fn quantity(t: Type) -> bool {
    t.is_numeric() || t == Type::Duration
}

/// Why an aggregate does not take its argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateRefusal {
    /// The argument's scale type does not allow the aggregate.
    Scale { needs: ScaleType },
    /// The aggregate needs a value (`sum(cost for incidents)`).
    NeedsValue,
    /// Something else with a reason: `none` counted, conditions summed.
    Other(&'static str),
}

/// The result type of an aggregate over values of type `arg` (`None` for a plain count of
/// rows of `entity`), or why the argument does not fit.
pub fn aggregate(
    func: AggregateFn,
    arg: Option<Type>,
    entity: Entity,
    names: &TypeNames,
) -> Result<Type, AggregateRefusal> {
    use Type::*;
    let Some(arg) = arg else {
        return match func {
            AggregateFn::Count => Ok(Count(entity)),
            _ => Err(AggregateRefusal::NeedsValue),
        };
    };
    if arg == None {
        return Err(AggregateRefusal::Other("`none` has no values to aggregate"));
    }
    if arg == Error {
        return Ok(match func {
            AggregateFn::Count => Count(entity),
            AggregateFn::CountDistinct => Count(Entity::Any),
            _ => Error,
        });
    }
    let needs = match func {
        AggregateFn::Count | AggregateFn::CountDistinct | AggregateFn::Mode => ScaleType::Nominal,
        AggregateFn::Min | AggregateFn::Max | AggregateFn::Median | AggregateFn::Percentile => {
            ScaleType::Ordinal
        }
        // The mean of a condition is the share of rows where it holds: a proportion.
        AggregateFn::Mean if arg == Bool => return Ok(Percent),
        AggregateFn::Mean => ScaleType::Interval,
        AggregateFn::Sum if arg == Bool => {
            return Err(AggregateRefusal::Other(
                "true/false values have no sum: count the rows where it holds instead",
            ))
        }
        AggregateFn::Sum => ScaleType::Ratio,
    };
    if arg.scale_type(names).is_some_and(|s| s < needs) {
        return Err(AggregateRefusal::Scale { needs });
    }
    Ok(match func {
        AggregateFn::Count => Count(entity),
        AggregateFn::CountDistinct => Count(Entity::Any),
        AggregateFn::Mode | AggregateFn::Min | AggregateFn::Max => arg,
        // Between two middle counts lies a fraction of a thing, so the result is a number.
        AggregateFn::Median | AggregateFn::Percentile | AggregateFn::Mean => match arg {
            Int | Count(_) => Number,
            // A mean of days can fall between two midnights; a median is one of the days.
            Date if func == AggregateFn::Mean => DateTime,
            _ => arg,
        },
        AggregateFn::Sum => match arg {
            Percent => Number,
            _ => arg,
        },
    })
}

/// Whether a value of type `actual` may be declared as `declared`.
pub fn fits_declared(declared: Type, actual: Type) -> bool {
    use Type::*;
    match (declared, actual) {
        (Error, _) | (_, Error) | (_, None) => true,
        (a, b) if a == b => true,
        (Count(a), Count(b)) => a.unify(b).is_some(),
        (Count(_), Int) | (Int, Count(_)) => true,
        (Number, n) if n.is_dimensionless() || matches!(n, Count(_) | Score(_)) => true,
        (Percent, Number) => true,
        (DateTime, Date) => true,
        (Per(a, e), Per(b, f)) => e == f && fits_declared(a.ty(), b.ty()),
        _ => false,
    }
}

/// The type a measure's values have: the declared one, made precise by the inferred one
/// where the declaration leaves something open (`Count` for `Count<incident>`).
pub fn refine(declared: Type, actual: Type) -> Type {
    match (declared, actual) {
        (Type::Count(Entity::Any), Type::Count(e)) => Type::Count(e),
        (Type::Error, a) => a,
        (d, _) => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> TypeNames {
        TypeNames {
            scales: vec![
                ScaleInfo {
                    name: "Severity".into(),
                    ordinal: true,
                },
                ScaleInfo {
                    name: "Category".into(),
                    ordinal: false,
                },
            ],
            entities: vec!["incident".into(), "asset".into()],
        }
    }

    const INCIDENTS: Type = Type::Count(Entity::Named(0));
    const ASSETS: Type = Type::Count(Entity::Named(1));

    fn eur() -> Type {
        Type::Money(Currency::parse("EUR").unwrap())
    }

    fn usd() -> Type {
        Type::Money(Currency::parse("USD").unwrap())
    }

    fn arith(op: BinaryOp, l: Type, r: Type) -> Result<Type, Refusal> {
        arithmetic(op, l, r, &names())
    }

    #[test]
    fn time_arithmetic_follows_the_interval_scale() {
        use BinaryOp::*;
        assert_eq!(
            arith(Sub, Type::DateTime, Type::DateTime),
            Ok(Type::Duration)
        );
        assert_eq!(
            arith(Add, Type::DateTime, Type::Duration),
            Ok(Type::DateTime)
        );
        assert_eq!(
            arith(Add, Type::DateTime, Type::DateTime),
            Err(Refusal::Scale {
                culprit: Type::DateTime,
                needs: ScaleType::Ratio
            })
        );
        assert!(matches!(
            arith(Div, Type::DateTime, Type::Int),
            Err(Refusal::Scale { .. })
        ));
        assert_eq!(
            arith(Add, Type::Duration, Type::Number),
            Err(Refusal::Units)
        );
        assert_eq!(arith(Add, Type::DateTime, Type::Int), Err(Refusal::Units));
    }

    #[test]
    fn counts_of_different_things_do_not_add() {
        use BinaryOp::*;
        assert_eq!(arith(Add, INCIDENTS, INCIDENTS), Ok(INCIDENTS));
        assert_eq!(arith(Add, INCIDENTS, ASSETS), Err(Refusal::Units));
        assert_eq!(arith(Sub, INCIDENTS, Type::Int), Ok(INCIDENTS));
        assert_eq!(
            arith(Add, INCIDENTS, Type::Count(Entity::Any)),
            Ok(INCIDENTS)
        );
        assert_eq!(arith(Mul, INCIDENTS, ASSETS), Err(Refusal::Meaning));
    }

    #[test]
    fn ratios_of_counts_are_shares_or_rates() {
        use BinaryOp::*;
        assert_eq!(arith(Div, INCIDENTS, INCIDENTS), Ok(Type::Percent));
        assert_eq!(
            arith(Div, INCIDENTS, ASSETS),
            Ok(Type::Per(Quantity::Count(Entity::Named(0)), 1))
        );
        assert_eq!(
            arith(Div, Type::Duration, INCIDENTS),
            Ok(Type::Per(Quantity::Duration, 0))
        );
        let per_incident = arith(Div, eur(), INCIDENTS).unwrap();
        assert_eq!(per_incident.display(&names()), "Money<EUR> per incident");
        // So much per incident, times the incidents, is so much again.
        assert_eq!(arith(Mul, per_incident, INCIDENTS), Ok(eur()));
        assert_eq!(arith(Add, per_incident, eur()), Err(Refusal::Units));
    }

    #[test]
    fn currencies_stay_apart() {
        use BinaryOp::*;
        assert_eq!(arith(Add, eur(), eur()), Ok(eur()));
        assert_eq!(arith(Add, eur(), usd()), Err(Refusal::Units));
        assert_eq!(arith(Add, eur(), Type::Duration), Err(Refusal::Units));
        assert_eq!(arith(Add, eur(), Type::Number), Err(Refusal::Units));
        assert_eq!(arith(Mul, eur(), Type::Number), Ok(eur()));
        assert_eq!(arith(Div, eur(), eur()), Ok(Type::Number));
        assert_eq!(arith(Div, eur(), usd()), Err(Refusal::Units));
    }

    #[test]
    fn categories_have_no_arithmetic() {
        let refusal = arith(BinaryOp::Add, Type::Category(0), Type::Int);
        assert_eq!(
            refusal,
            Err(Refusal::Scale {
                culprit: Type::Category(0),
                needs: ScaleType::Ratio
            })
        );
    }

    #[test]
    fn comparisons_compare_like_with_like() {
        let n = names();
        use CompareOp::*;
        assert_eq!(
            comparable(Le, Type::Duration, Type::Int, &n),
            Err(Refusal::Units)
        );
        assert_eq!(
            comparable(Ge, INCIDENTS, Type::Duration, &n),
            Err(Refusal::Units)
        );
        assert_eq!(comparable(Ge, Type::Percent, Type::Number, &n), Ok(()));
        assert_eq!(comparable(Gt, INCIDENTS, Type::Int, &n), Ok(()));
        assert_eq!(comparable(Gt, INCIDENTS, ASSETS, &n), Err(Refusal::Units));
        assert_eq!(comparable(Gt, eur(), Type::Int, &n), Err(Refusal::Units));
        assert_eq!(
            comparable(Ge, Type::Category(0), Type::Category(0), &n),
            Ok(())
        );
        assert_eq!(
            comparable(Ge, Type::Category(1), Type::Category(1), &n),
            Err(Refusal::Scale {
                culprit: Type::Category(1),
                needs: ScaleType::Ordinal
            })
        );
        assert_eq!(
            comparable(Eq, Type::Category(1), Type::Category(1), &n),
            Ok(())
        );
        assert_eq!(
            comparable(Eq, Type::Category(0), Type::Category(1), &n),
            Err(Refusal::Meaning)
        );
        assert!(comparable(Lt, Type::Text, Type::Text, &n).is_err());
        assert_eq!(
            comparable(Eq, Type::Text, Type::Int, &n),
            Err(Refusal::Meaning)
        );
    }

    #[test]
    fn aggregates_follow_the_scale_type() {
        let n = names();
        let agg = |f, t| aggregate(f, Some(t), Entity::Named(0), &n);
        assert_eq!(agg(AggregateFn::Mean, Type::Duration), Ok(Type::Duration));
        assert_eq!(
            agg(AggregateFn::Mean, Type::Category(0)),
            Err(AggregateRefusal::Scale {
                needs: ScaleType::Interval
            })
        );
        assert_eq!(
            agg(AggregateFn::Sum, Type::DateTime),
            Err(AggregateRefusal::Scale {
                needs: ScaleType::Ratio
            })
        );
        assert_eq!(agg(AggregateFn::Mean, Type::DateTime), Ok(Type::DateTime));
        assert_eq!(
            agg(AggregateFn::Median, Type::Category(0)),
            Ok(Type::Category(0))
        );
        assert!(agg(AggregateFn::Median, Type::Category(1)).is_err());
        assert_eq!(
            agg(AggregateFn::Mode, Type::Category(1)),
            Ok(Type::Category(1))
        );
        assert_eq!(agg(AggregateFn::Mode, Type::Text), Ok(Type::Text));
        assert!(agg(AggregateFn::Sum, Type::Text).is_err());
        assert_eq!(agg(AggregateFn::Sum, eur()), Ok(eur()));
        assert_eq!(agg(AggregateFn::Mean, Type::Bool), Ok(Type::Percent));
        assert_eq!(
            aggregate(AggregateFn::Count, None, Entity::Named(1), &n),
            Ok(ASSETS)
        );
        assert_eq!(
            agg(AggregateFn::CountDistinct, Type::Text),
            Ok(Type::Count(Entity::Any))
        );
        assert_eq!(
            aggregate(AggregateFn::Sum, None, Entity::Named(0), &n),
            Err(AggregateRefusal::NeedsValue)
        );
    }

    #[test]
    fn declarations_fit_and_refine() {
        let any = Type::Count(Entity::Any);
        assert!(fits_declared(any, INCIDENTS));
        assert_eq!(refine(any, INCIDENTS), INCIDENTS);
        assert!(fits_declared(ASSETS, any));
        assert_eq!(refine(ASSETS, any), ASSETS);
        assert!(!fits_declared(ASSETS, INCIDENTS));
        assert!(fits_declared(Type::Percent, Type::Percent));
        assert!(!fits_declared(
            Type::Percent,
            Type::Per(Quantity::Duration, 1)
        ));
        assert!(!fits_declared(
            Type::Duration,
            Type::Per(Quantity::Duration, 0)
        ));
        assert!(!fits_declared(Type::Number, eur()));
    }

    #[test]
    fn units_name_what_values_measure() {
        let n = names();
        assert_eq!(INCIDENTS.unit(&n).as_deref(), Some("incident"));
        assert_eq!(
            Type::Per(Quantity::Duration, 0).unit(&n).as_deref(),
            Some("second per incident")
        );
        assert_eq!(
            Type::Per(Quantity::Count(Entity::Named(0)), 1)
                .unit(&n)
                .as_deref(),
            Some("incident per asset")
        );
        assert_eq!(eur().unit(&n).as_deref(), Some("EUR"));
        assert_eq!(Type::Number.unit(&n), None);
        assert_eq!(plural("vulnerability"), "vulnerabilities");
        assert_eq!(plural("patch"), "patches");
        assert_eq!(plural("day"), "days");
        assert_eq!(plural("asset"), "assets");
    }

    #[test]
    fn scale_types_of_the_types() {
        let n = names();
        assert_eq!(Type::Text.scale_type(&n), Some(ScaleType::Nominal));
        assert_eq!(Type::Category(1).scale_type(&n), Some(ScaleType::Nominal));
        assert_eq!(Type::Category(0).scale_type(&n), Some(ScaleType::Ordinal));
        assert_eq!(Type::DateTime.scale_type(&n), Some(ScaleType::Interval));
        assert_eq!(Type::Duration.scale_type(&n), Some(ScaleType::Ratio));
        assert_eq!(eur().scale_type(&n), Some(ScaleType::Ratio));
        assert_eq!(Type::None.scale_type(&n), None);
    }
}
