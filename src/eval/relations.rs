//! Relations between datasets at evaluation: the lookups that `exists(...)` and
//! `related(...).column` read.
//!
//! Before the passes of a period, each relation's lookup is built by one scan of the
//! related dataset: its rows in the period by its own time column (every row of a snapshot),
//! narrowed by the relation's condition, indexed by key in a hash table (a set of keys for
//! `exists`, a map from key to row for `related`). A row expression then reads a relation
//! with one lookup per row, so relating n rows to m costs O(n + m), never a nested loop.
//!
//! The lookups borrow the related tables and live only as long as the period's passes, so
//! they are handed to the row evaluators in a [`Source`] beside the table being scanned,
//! rather than bound into the expressions as the clock's instants are.
//!
//! Invariants: relations are built in the order the checker numbered them, so a relation in
//! another's condition is built before that condition is evaluated; a missing key is never
//! put in a lookup and never found in one; the checker proved both keys of a relation have
//! one type, so a key read from one side is comparable with the keys of the other.

use std::collections::HashMap;

use crate::check::{Expr, Program, RelationId};
use crate::data::Table;

use super::batch::{self, BATCH};
use super::pass;
use super::period::Period;
use super::value::{Cell, Missing};

/// Seeded per process, so that crafted keys cannot predict collisions, and fast on short
/// identifiers.
type Hasher = foldhash::fast::RandomState;

/// What a row expression reads: the table of its own dataset, and the lookups of the
/// relations it may use.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub table: &'a Table,
    pub links: &'a Links<'a>,
}

/// Each relation's lookup for one period, by relation.
#[derive(Default)]
pub struct Links<'a> {
    lookups: Vec<Lookup<'a>>,
}

enum Lookup<'a> {
    /// The keys of the related rows, for `exists(...)`.
    Keys(KeyIndex<'a, ()>),
    /// For `related(...).column`: the related table, the column read, and each key's row.
    Rows {
        table: &'a Table,
        column: usize,
        rows: KeyIndex<'a, Found>,
    },
    /// The related dataset was not loaded, which a failed load has reported already.
    Unloaded,
}

/// Which related rows hold a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    One(u32),
    Several,
}

/// Keys by their kind: everything held as a whole number (numbers by their bits), and text
/// borrowed from the related table, which a lookup can then find without allocating.
struct KeyIndex<'a, V> {
    ints: HashMap<i64, V, Hasher>,
    texts: HashMap<&'a str, V, Hasher>,
}

impl<'a, V> KeyIndex<'a, V> {
    fn new() -> Self {
        KeyIndex {
            ints: HashMap::default(),
            texts: HashMap::default(),
        }
    }

    fn get(&self, key: Key<'_>) -> Option<&V> {
        match key {
            Key::Int(i) => self.ints.get(&i),
            Key::Text(s) => self.texts.get(s),
        }
    }

    /// Sets `key`'s entry to `value`, or merges it with the entry already there.
    fn insert(&mut self, key: Key<'a>, value: V, merge: impl FnOnce(&mut V)) {
        match key {
            Key::Int(i) => match self.ints.entry(i) {
                std::collections::hash_map::Entry::Occupied(mut e) => merge(e.get_mut()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(value);
                }
            },
            Key::Text(s) => match self.texts.entry(s) {
                std::collections::hash_map::Entry::Occupied(mut e) => merge(e.get_mut()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(value);
                }
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key<'a> {
    Int(i64),
    Text(&'a str),
}

/// A cell as a key; `None` for a missing cell, which matches nothing.
fn key(cell: Cell<'_>) -> Option<Key<'_>> {
    Some(match cell {
        Cell::Missing(_) => return None,
        Cell::Text(s) => Key::Text(s),
        Cell::Int(i) | Cell::Duration(i) | Cell::DateTime(i) => Key::Int(i),
        Cell::Date(d) => Key::Int(d.into()),
        Cell::Category(c) => Key::Int(c.into()),
        Cell::Bool(b) => Key::Int(b.into()),
        // Not a number equals nothing, as `=` has it; both zeros are equal.
        Cell::Number(f) if f.is_nan() => return None,
        Cell::Number(0.0) => Key::Int(0),
        Cell::Number(f) => Key::Int(f.to_bits() as i64),
    })
}

impl<'a> Links<'a> {
    /// Builds the lookup of every relation of the programme over the related rows in
    /// `period` (all rows with a time for `None`); `bind` gives a relation's condition the
    /// instants of the period, as the passes' row expressions get them.
    pub fn build(
        program: &'a Program,
        tables: &'a [Option<Table>],
        period: Option<&Period>,
        bind: impl Fn(&Expr) -> Expr,
    ) -> Links<'a> {
        let mut links = Links::default();
        for relation in &program.relations {
            let Some(table) = tables.get(relation.dataset).and_then(Option::as_ref) else {
                links.lookups.push(Lookup::Unloaded);
                continue;
            };
            let filter = relation.filter.as_ref().map(&bind);
            let time = program.datasets[relation.dataset].time;
            let keys = &table.columns[relation.key];
            let key_at = |row: u32| key(pass::column_cell(keys, row as usize));
            let lookup = match relation.column {
                None => {
                    let mut index = KeyIndex::new();
                    links.each_related(table, time, filter.as_ref(), period, |row| {
                        if let Some(k) = key_at(row) {
                            index.insert(k, (), |_| {});
                        }
                    });
                    Lookup::Keys(index)
                }
                Some(column) => {
                    let mut rows = KeyIndex::new();
                    links.each_related(table, time, filter.as_ref(), period, |row| {
                        if let Some(k) = key_at(row) {
                            rows.insert(k, Found::One(row), |f| *f = Found::Several);
                        }
                    });
                    Lookup::Rows {
                        table,
                        column,
                        rows,
                    }
                }
            };
            links.lookups.push(lookup);
        }
        links
    }

    /// Calls `f` with each row of `table` in the period that meets `filter`, in order, a
    /// batch at a time as the passes read rows.
    fn each_related(
        &self,
        table: &Table,
        time: Option<usize>,
        filter: Option<&Expr>,
        period: Option<&Period>,
        mut f: impl FnMut(u32),
    ) {
        let source = Source { table, links: self };
        let mut rows = Vec::with_capacity(BATCH);
        let mut selected = Vec::with_capacity(BATCH);
        let mut start = 0;
        while start < table.len {
            let end = (start + BATCH).min(table.len);
            match time {
                Some(t) => {
                    pass::rows_in_period_of(&table.columns[t], start..end, period, &mut rows)
                }
                None => {
                    rows.clear();
                    rows.extend(start as u32..end as u32);
                }
            }
            let chosen = match filter {
                Some(filter) => {
                    batch::evaluate(filter, source, &rows).select(&rows, &mut selected);
                    &selected
                }
                None => &rows,
            };
            chosen.iter().copied().for_each(&mut f);
            start = end;
        }
    }

    /// The value of relation `relation` for a row whose key is `key`: whether a related row
    /// is there, or the related row's column, missing when there is no such row or several.
    pub fn read(&self, relation: RelationId, key_cell: Cell<'_>) -> Cell<'a> {
        let found = key(key_cell);
        match self.lookups.get(relation) {
            Some(Lookup::Keys(keys)) => Cell::Bool(found.is_some_and(|k| keys.get(k).is_some())),
            Some(Lookup::Rows {
                table,
                column,
                rows,
            }) => match found.and_then(|k| rows.get(k)) {
                None => Cell::Missing(Missing::NoRelatedRow),
                Some(Found::Several) => Cell::Missing(Missing::SeveralRelatedRows),
                Some(Found::One(row)) => pass::column_cell(&table.columns[*column], *row as usize),
            },
            Some(Lookup::Unloaded) | None => Cell::Missing(Missing::Input),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Column, ColumnData};

    #[test]
    fn keys_of_equal_values_are_equal_and_missing_keys_are_none() {
        assert_eq!(key(Cell::Number(0.0)), key(Cell::Number(-0.0)));
        assert_eq!(key(Cell::Number(f64::NAN)), None);
        assert_eq!(key(Cell::Missing(Missing::Input)), None);
        assert_eq!(key(Cell::Text("A1")), Some(Key::Text("A1")));
        assert_ne!(key(Cell::Number(1.5)), key(Cell::Number(2.5)));
    }

    #[test]
    fn an_index_marks_a_key_held_by_several_rows() {
        let mut rows: KeyIndex<Found> = KeyIndex::new();
        for (k, row) in [("a", 0), ("b", 1), ("a", 2)] {
            rows.insert(Key::Text(k), Found::One(row), |f| *f = Found::Several);
        }
        assert_eq!(rows.get(Key::Text("a")), Some(&Found::Several));
        assert_eq!(rows.get(Key::Text("b")), Some(&Found::One(1)));
        assert_eq!(rows.get(Key::Text("c")), None);
        assert_eq!(rows.get(Key::Int(1)), None);
    }

    #[test]
    fn reading_a_relation_finds_one_row_or_says_why_not() {
        let table = Table {
            name: "assets".into(),
            path: "assets.csv".into(),
            len: 3,
            columns: vec![Column {
                name: "owner".into(),
                data: ColumnData::Int(vec![10, 20, 30]),
                missing: None,
            }],
            skipped_rows: 0,
            lines: None,
            digest: None,
        };
        let mut rows = KeyIndex::new();
        rows.insert(Key::Int(1), Found::One(0), |f| *f = Found::Several);
        rows.insert(Key::Int(2), Found::One(1), |f| *f = Found::Several);
        rows.insert(Key::Int(2), Found::One(2), |f| *f = Found::Several);
        let mut keys = KeyIndex::new();
        keys.insert(Key::Int(1), (), |_| {});
        let links = Links {
            lookups: vec![
                Lookup::Keys(keys),
                Lookup::Rows {
                    table: &table,
                    column: 0,
                    rows,
                },
            ],
        };
        assert_eq!(links.read(0, Cell::Int(1)), Cell::Bool(true));
        assert_eq!(links.read(0, Cell::Int(2)), Cell::Bool(false));
        // A missing key matches nothing: there is no related row, which is not missing.
        assert_eq!(
            links.read(0, Cell::Missing(Missing::Input)),
            Cell::Bool(false)
        );
        assert_eq!(links.read(1, Cell::Int(1)), Cell::Int(10));
        assert_eq!(
            links.read(1, Cell::Int(2)),
            Cell::Missing(Missing::SeveralRelatedRows)
        );
        assert_eq!(
            links.read(1, Cell::Int(3)),
            Cell::Missing(Missing::NoRelatedRow)
        );
        assert_eq!(
            links.read(1, Cell::Missing(Missing::Input)),
            Cell::Missing(Missing::NoRelatedRow)
        );
        assert_eq!(links.read(2, Cell::Int(1)), Cell::Missing(Missing::Input));
    }
}
