//! Row expressions evaluated a batch of rows at a time, over typed vectors.
//!
//! A batch is a selection: the indices of the rows still in play. An expression's value at
//! those rows is a [`Vector`], a typed array (instants, durations and integers as `i64`,
//! numbers as `f64`, category codes, truth values) with a validity mask, so that the common
//! operations of measures (a difference of two date-times, a comparison with a literal, a
//! test for a missing value, `and`) run as tight loops over arrays. A filter turns its truth
//! vector into the next selection. Operations without a typed loop fall back to the
//! cell-by-cell rules of [`super::value`], so both paths give the same values by
//! construction; a unit test holds them to each other.

use std::borrow::Cow;

use crate::check::{Expr, ExprKind, Function, Type};
use crate::data::{Column, ColumnData};
use crate::syntax::ast::{BinaryOp, CompareOp, Literal, UnaryOp};

use super::relations::Source;
use super::value::{self, Cell, Missing};

/// Rows per batch: large enough that a loop's set-up is paid rarely, small enough that a
/// batch's vectors stay in the cache.
pub const BATCH: usize = 1024;

/// What an `i64` lane holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    Int,
    Duration,
    DateTime,
}

/// An expression's values at the rows of a selection, one per row.
#[derive(Debug)]
pub struct Vector<'a> {
    /// Whether each value is present; a value where this is false is meaningless.
    pub valid: Vec<bool>,
    pub data: Data<'a>,
}

#[derive(Debug)]
pub enum Data<'a> {
    Ints(IntKind, Vec<i64>),
    Numbers(Vec<f64>),
    Codes(Vec<u16>),
    Truths(Vec<bool>),
    /// Values of other types, or from operations without a typed loop.
    Cells(Vec<Cell<'a>>),
}

impl<'a> Vector<'a> {
    fn new(valid: Vec<bool>, data: Data<'a>) -> Self {
        Vector { valid, data }
    }

    fn cells(cells: Vec<Cell<'a>>) -> Self {
        let valid = cells.iter().map(|c| !c.is_missing()).collect();
        Vector::new(valid, Data::Cells(cells))
    }

    /// The value at position `i` as a cell.
    pub fn cell(&self, i: usize) -> Cell<'a> {
        if !self.valid[i] {
            return Cell::Missing(Missing::Input);
        }
        match &self.data {
            Data::Ints(IntKind::Int, v) => Cell::Int(v[i]),
            Data::Ints(IntKind::Duration, v) => Cell::Duration(v[i]),
            Data::Ints(IntKind::DateTime, v) => Cell::DateTime(v[i]),
            Data::Numbers(v) => Cell::Number(v[i]),
            Data::Codes(v) => Cell::Category(v[i]),
            Data::Truths(v) => Cell::Bool(v[i]),
            Data::Cells(v) => v[i],
        }
    }

    fn to_cells(&self) -> Cow<'_, [Cell<'a>]> {
        match &self.data {
            Data::Cells(cells) => Cow::Borrowed(cells),
            _ => Cow::Owned((0..self.valid.len()).map(|i| self.cell(i)).collect()),
        }
    }

    /// The rows of `selection` where this truth vector holds.
    pub fn select(&self, selection: &[u32], out: &mut Vec<u32>) {
        out.clear();
        match &self.data {
            Data::Truths(values) => out.extend(
                selection
                    .iter()
                    .zip(values.iter().zip(&self.valid))
                    .filter(|(_, (&v, &ok))| v && ok)
                    .map(|(&row, _)| row),
            ),
            _ => out.extend(
                selection
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| self.cell(i).holds())
                    .map(|(_, &row)| row),
            ),
        }
    }
}

/// The value of the row expression `expr` at each row of `selection` of the source's table.
pub fn evaluate<'a>(expr: &'a Expr, source: Source<'a>, selection: &[u32]) -> Vector<'a> {
    let n = selection.len();
    match &expr.kind {
        ExprKind::Column(c) => column(&source.table.columns[*c], selection),
        ExprKind::Literal(lit) => literal(lit, n),
        ExprKind::Category(_, code) => Vector::new(vec![true; n], Data::Codes(vec![*code; n])),
        ExprKind::IsNone { value, negated } => {
            let v = evaluate(value, source, selection);
            let truths = v.valid.iter().map(|&ok| ok == *negated).collect();
            Vector::new(vec![true; n], Data::Truths(truths))
        }
        ExprKind::Unary(op, e) => unary(*op, evaluate(e, source, selection)),
        ExprKind::Binary(op, a, b) => binary(
            *op,
            evaluate(a, source, selection),
            evaluate(b, source, selection),
        ),
        ExprKind::Relation { relation, key } => {
            let keys = evaluate(key, source, selection);
            let found = (0..n).map(|i| source.links.read(*relation, keys.cell(i)));
            if expr.ty == Type::Bool {
                // Truths, which a filter selects by fastest.
                let (valid, truths) = found.map(|c| (!c.is_missing(), c.holds())).unzip();
                Vector::new(valid, Data::Truths(truths))
            } else {
                Vector::cells(found.collect())
            }
        }
        // A lookup's key is evaluated as a vector, so only the table is read row by row.
        ExprKind::Call(function @ Function::Lookup(_), args) if args.len() == 1 => {
            let keys = evaluate(&args[0], source, selection);
            Vector::cells(
                (0..n)
                    .map(|i| value::call(function, &[keys.cell(i)]))
                    .collect(),
            )
        }
        // Membership and whatever else has no typed loop: cell by cell.
        _ => Vector::cells(
            selection
                .iter()
                .map(|&row| super::pass::cell(expr, source, row as usize))
                .collect(),
        ),
    }
}

fn column<'a>(column: &'a Column, selection: &[u32]) -> Vector<'a> {
    let valid = match &column.missing {
        None => vec![true; selection.len()],
        Some(missing) => selection.iter().map(|&r| !missing[r as usize]).collect(),
    };
    fn gather<T: Copy>(values: &[T], selection: &[u32]) -> Vec<T> {
        selection.iter().map(|&r| values[r as usize]).collect()
    }
    let data = match &column.data {
        ColumnData::Int(v) => Data::Ints(IntKind::Int, gather(v, selection)),
        ColumnData::Duration(v) => Data::Ints(IntKind::Duration, gather(v, selection)),
        ColumnData::DateTime(v) => Data::Ints(IntKind::DateTime, gather(v, selection)),
        ColumnData::Number(v) => Data::Numbers(gather(v, selection)),
        ColumnData::Category(v) => Data::Codes(gather(v, selection)),
        ColumnData::Bool(v) => Data::Truths(gather(v, selection)),
        ColumnData::Date(_) | ColumnData::Text { .. } | ColumnData::Unread => {
            let cells = selection
                .iter()
                .map(|&r| super::pass::column_cell(column, r as usize))
                .collect();
            return Vector::cells(cells);
        }
    };
    Vector::new(valid, data)
}

fn literal(lit: &Literal, n: usize) -> Vector<'_> {
    let data = match lit {
        Literal::Int(i) => Data::Ints(IntKind::Int, vec![*i; n]),
        Literal::Duration(d) => Data::Ints(IntKind::Duration, vec![*d; n]),
        Literal::DateTime(t) => Data::Ints(IntKind::DateTime, vec![*t; n]),
        Literal::Number(f) | Literal::Percent(f) | Literal::Money(f, _) => {
            Data::Numbers(vec![*f; n])
        }
        Literal::Bool(b) => Data::Truths(vec![*b; n]),
        Literal::Date(_) | Literal::Text(_) | Literal::None => {
            return Vector::cells(vec![Cell::from_literal(lit); n]);
        }
    };
    Vector::new(vec![true; n], data)
}

fn unary(op: UnaryOp, v: Vector<'_>) -> Vector<'_> {
    match (op, v.data) {
        (UnaryOp::Not, Data::Truths(values)) => {
            Vector::new(v.valid, Data::Truths(values.iter().map(|b| !b).collect()))
        }
        (UnaryOp::Neg, Data::Numbers(values)) => {
            Vector::new(v.valid, Data::Numbers(values.iter().map(|f| -f).collect()))
        }
        (UnaryOp::Neg, Data::Ints(kind @ (IntKind::Int | IntKind::Duration), values)) => {
            let mut valid = v.valid;
            let values = checked(&mut valid, values.iter().map(|x| x.checked_neg()));
            Vector::new(valid, Data::Ints(kind, values))
        }
        (op, data) => {
            let v = Vector::new(v.valid, data);
            let f = match op {
                UnaryOp::Not => value::not,
                UnaryOp::Neg => value::negate,
            };
            Vector::cells(v.to_cells().iter().map(|&c| f(c)).collect())
        }
    }
}

/// Values of a checked operation; a `None` (an overflow) makes the value missing.
fn checked(valid: &mut [bool], results: impl Iterator<Item = Option<i64>>) -> Vec<i64> {
    results
        .zip(valid.iter_mut())
        .map(|(r, ok)| {
            *ok &= r.is_some();
            r.unwrap_or(0)
        })
        .collect()
}

fn both(a: &[bool], b: &[bool]) -> Vec<bool> {
    a.iter().zip(b).map(|(&x, &y)| x && y).collect()
}

/// An integer vector as numbers, as the cell rules read an integer beside a number.
fn as_numbers(v: Vector<'_>) -> Vector<'_> {
    match v.data {
        Data::Ints(IntKind::Int, values) => Vector::new(
            v.valid,
            Data::Numbers(values.into_iter().map(|x| x as f64).collect()),
        ),
        data => Vector::new(v.valid, data),
    }
}

fn binary<'a>(op: BinaryOp, a: Vector<'a>, b: Vector<'a>) -> Vector<'a> {
    use IntKind::{DateTime, Duration, Int};
    // An integer meets a number, or integers are divided: both are taken as numbers.
    let int = |v: &Vector| matches!(v.data, Data::Ints(Int, _));
    let num = |v: &Vector| matches!(v.data, Data::Numbers(_));
    let (a, b) = if (int(&a) && num(&b))
        || (num(&a) && int(&b))
        || (op == BinaryOp::Div && int(&a) && int(&b))
    {
        (as_numbers(a), as_numbers(b))
    } else {
        (a, b)
    };
    match (op, &a.data, &b.data) {
        (BinaryOp::And | BinaryOp::Or, Data::Truths(x), Data::Truths(y)) => {
            let and = op == BinaryOp::And;
            // Three-valued logic: a decisive operand decides even when the other is missing.
            let (mut valid, mut values) =
                (Vec::with_capacity(x.len()), Vec::with_capacity(x.len()));
            for i in 0..x.len() {
                let (p, q) = (a.valid[i].then_some(x[i]), b.valid[i].then_some(y[i]));
                let r = if and {
                    match (p, q) {
                        (Some(false), _) | (_, Some(false)) => Some(false),
                        (Some(true), Some(true)) => Some(true),
                        _ => None,
                    }
                } else {
                    match (p, q) {
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        (Some(false), Some(false)) => Some(false),
                        _ => None,
                    }
                };
                valid.push(r.is_some());
                values.push(r.unwrap_or(false));
            }
            Vector::new(valid, Data::Truths(values))
        }
        (BinaryOp::Compare(c), Data::Ints(k, x), Data::Ints(l, y)) if k == l => {
            compared(c, both(&a.valid, &b.valid), x, y, |p, q| Some(p.cmp(q)))
        }
        (BinaryOp::Compare(c), Data::Codes(x), Data::Codes(y)) => {
            compared(c, both(&a.valid, &b.valid), x, y, |p, q| Some(p.cmp(q)))
        }
        (BinaryOp::Compare(c), Data::Numbers(x), Data::Numbers(y)) => {
            compared(c, both(&a.valid, &b.valid), x, y, |p, q| p.partial_cmp(q))
        }
        (BinaryOp::Sub, Data::Ints(DateTime, x), Data::Ints(DateTime, y)) => {
            ints(Duration, both(&a.valid, &b.valid), x, y, i64::checked_sub)
        }
        (BinaryOp::Add | BinaryOp::Sub, Data::Ints(DateTime, x), Data::Ints(Duration, y)) => {
            let f = if op == BinaryOp::Add {
                i64::checked_add
            } else {
                i64::checked_sub
            };
            ints(DateTime, both(&a.valid, &b.valid), x, y, f)
        }
        (BinaryOp::Add | BinaryOp::Sub, Data::Ints(k, x), Data::Ints(l, y))
            if k == l && *k != DateTime =>
        {
            let f = if op == BinaryOp::Add {
                i64::checked_add
            } else {
                i64::checked_sub
            };
            ints(*k, both(&a.valid, &b.valid), x, y, f)
        }
        (BinaryOp::Mul, Data::Ints(Int, x), Data::Ints(Int, y)) => {
            ints(Int, both(&a.valid, &b.valid), x, y, i64::checked_mul)
        }
        (
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div,
            Data::Numbers(x),
            Data::Numbers(y),
        ) => {
            let mut valid = both(&a.valid, &b.valid);
            let values = x
                .iter()
                .zip(y)
                .zip(valid.iter_mut())
                .map(|((&p, &q), ok)| {
                    let r = match op {
                        BinaryOp::Add => p + q,
                        BinaryOp::Sub => p - q,
                        BinaryOp::Mul => p * q,
                        _ if q == 0.0 => f64::NAN,
                        _ => p / q,
                    };
                    // Division by zero and overflow give a missing value, never infinity.
                    *ok &= r.is_finite();
                    r
                })
                .collect();
            Vector::new(valid, Data::Numbers(values))
        }
        _ => {
            let (x, y) = (a.to_cells(), b.to_cells());
            let cells = x
                .iter()
                .zip(y.iter())
                .map(|(&p, &q)| match op {
                    BinaryOp::And => value::and(p, q),
                    BinaryOp::Or => value::or(p, q),
                    BinaryOp::Compare(c) => value::compare(c, p, q),
                    _ => value::arithmetic(op, p, q),
                })
                .collect();
            Vector::cells(cells)
        }
    }
}

fn ints<'a>(
    kind: IntKind,
    mut valid: Vec<bool>,
    x: &[i64],
    y: &[i64],
    f: fn(i64, i64) -> Option<i64>,
) -> Vector<'a> {
    let values = checked(&mut valid, x.iter().zip(y).map(|(&p, &q)| f(p, q)));
    Vector::new(valid, Data::Ints(kind, values))
}

fn compared<'a, T>(
    op: CompareOp,
    mut valid: Vec<bool>,
    x: &[T],
    y: &[T],
    order: impl Fn(&T, &T) -> Option<std::cmp::Ordering>,
) -> Vector<'a> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let values = x
        .iter()
        .zip(y)
        .zip(valid.iter_mut())
        .map(|((p, q), ok)| match order(p, q) {
            Some(o) => match op {
                CompareOp::Eq => o == Equal,
                CompareOp::Ne => o != Equal,
                CompareOp::Lt => o == Less,
                CompareOp::Le => o != Greater,
                CompareOp::Gt => o == Greater,
                CompareOp::Ge => o != Less,
            },
            // Unordered numbers (not a number) compare to nothing.
            None => {
                *ok = false;
                false
            }
        })
        .collect();
    Vector::new(valid, Data::Truths(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A programme whose filters and values use every operator on every column type, and
    /// a table with missing values, extremes and awkward numbers.
    const PROGRAMME: &str = r#"
scale Level = ordinal [low, medium, high]
dataset t "test rows" {
  source "t.csv"
  n : Int?
  x : Number?
  ok : Bool?
  label : Text?
  day : Date?
  opened : DateTime?
  closed : DateTime?
  took : Duration?
  level : Level?
}
measure m1 : Count = count(t where closed - opened <= 72h and level >= medium)
measure m2 : Count = count(t where not ok or n > 2 or x < 0.5)
measure m3 : Count = count(t where label is none or label in ["a", "b"])
measure m4 : Count = count(t where day >= 2025-01-02 and opened + took > closed)
measure m5 : Number = sum(x * x * 2.5 - n / 4 + n / 0 for t where x != 0)
measure m10 : Number = sum(x * 2 - (n + 0.5) for t where x > 1 or n / 2 < 1)
measure m6 : Int = sum(n * n - n + 3 for t)
measure m7 : Duration = mean(-took + took * 2 - (closed - opened) for t)
measure m8 : Number = sum(x / (x - 1.0) for t where x + 1 >= -1 and n = 2 or ok = true)
measure m9 : Count = count(t where closed - 1d < opened or took / 2 = 30m or level != high)
measure m11 : Count = count(t where exists(t on label = label where n > 1) or not exists(t on day = day))
measure m12 : Number = sum(related(t on n = n).x + related(t on level = level).x for t)
lookup weight : Level -> Number { high = 2.5, default = 1 }
lookup code : Text -> Int { "a" = 1, "b" = 2 }
measure m13 : Number = sum(weight(level) * code(label) for t where code(label) != 2)
"#;

    const ROWS: &str = "n,x,ok,label,day,opened,closed,took,level
1,0.5,true,a,2025-01-01,2025-01-01T00:00:00Z,2025-01-02T00:00:00Z,1h,low
2,1,false,b,2025-01-02,2025-01-01T00:00:00Z,2025-01-04T00:00:00Z,2h,high
5,2,true,a,2025-01-02,2025-01-01T00:00:00Z,2025-01-09T00:00:00Z,2h,medium
,,,,,,,,
9223372036854775807,1e308,true,c,2025-03-01,2025-01-01T12:00:00Z,2024-12-31T00:00:00Z,30m,medium
-3,-0.0,false,,2025-01-03,,2025-01-01T00:00:00Z,0s,
0,0,true,b,,2025-02-01T00:00:00Z,,,high
";

    #[test]
    fn batches_give_the_values_of_the_cell_rules() {
        let Ok(parsed) = crate::syntax::parse_text("t.msr", PROGRAMME) else {
            panic!("the test programme does not parse");
        };
        let Ok((program, _)) = crate::check::check(parsed) else {
            panic!("the test programme does not check");
        };
        let path = std::env::temp_dir().join(format!("msr-batch-{}.csv", std::process::id()));
        std::fs::write(&path, ROWS).unwrap();
        let schema = program.datasets[0].schema(&program.scales);
        let loaded = crate::data::load(&path, "t.csv", &schema, &Default::default());
        let _ = std::fs::remove_file(&path);
        let Ok((table, _)) = loaded else {
            panic!("the test rows do not load");
        };
        let tables = [Some(table)];
        let table = tables[0].as_ref().unwrap();
        let links = super::super::relations::Links::build(&program, &tables, None, Clone::clone);
        let source = Source {
            table,
            links: &links,
        };

        // Every row, and a selection that skips some and repeats none.
        for selection in [(0..table.len as u32).collect::<Vec<_>>(), vec![1, 3, 5]] {
            // Every subexpression, so that an intermediate value cannot hide a difference.
            let mut exprs: Vec<&Expr> = program
                .aggregates
                .iter()
                .flat_map(|a| a.filter.iter().chain(a.value.iter()))
                .collect();
            let mut compared = 0;
            while let Some(expr) = exprs.pop() {
                exprs.extend(expr.children());
                let vector = evaluate(expr, source, &selection);
                for (i, &row) in selection.iter().enumerate() {
                    let (by_batch, by_cell) = (
                        vector.cell(i),
                        super::super::pass::cell(expr, source, row as usize),
                    );
                    let same = match (by_batch, by_cell) {
                        (Cell::Missing(_), Cell::Missing(_)) => true,
                        (a, b) => a == b,
                    };
                    assert!(
                        same,
                        "row {row}: {by_batch:?} by batch, {by_cell:?} by cell"
                    );
                    compared += 1;
                }
            }
            assert!(compared > 10 * selection.len());
        }
    }
}
