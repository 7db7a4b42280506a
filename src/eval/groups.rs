//! Group domains: which groups a grouped value has, and which group each row is in.
//!
//! The groups of a column are the categories of its scale, in scale order, or else every
//! value the whole dataset holds (not only the period's rows), sorted; so a group with no
//! rows in the period still appears. The groups of a time bucket are the buckets that cover
//! the period (or the data, when no period is given). Rows with no key form a `(none)`
//! group, and rows whose bucket lies outside the period an `(outside the period)` group, so
//! that the groups always add up to the total; these two are reported only when some
//! aggregate counts rows in them.

use std::collections::{BTreeSet, HashMap};

use crate::check::{DatasetId, Grouping, Program, Type};
use crate::data::{Column, ColumnData, Table};

use super::period::{self, Calendar, Period};

/// The label of the group of rows with no key.
pub const NONE_GROUP: &str = "(none)";
/// The label of the group of rows whose time bucket lies outside the period.
pub const OUTSIDE_GROUP: &str = "(outside the period)";

/// The groups of one grouping and the group of every row of each dataset it covers.
#[derive(Debug, Clone, Default)]
pub struct Domain {
    pub labels: Vec<String>,
    rows: HashMap<DatasetId, Vec<u32>>,
    /// Which groups are `(none)` or `(outside the period)` groups (or combinations with
    /// one), which are reported only when some aggregate counts rows in them.
    placeholder: Vec<bool>,
    /// For a roll-up along a hierarchy, `(child, parent)` for every node under another,
    /// children before their parents: folding each child's values into its parent, in this
    /// order, gives every node its whole subtree.
    pub rollup: Vec<(u32, u32)>,
}

/// The most combinations of several keys' groups a domain lists in full; beyond it, only
/// the combinations that occur in the data are groups.
const MOST_COMBINATIONS: usize = 100_000;

impl Domain {
    /// A domain whose groups from `placeholders_from` on are placeholders.
    fn with_placeholders(
        labels: Vec<String>,
        rows: HashMap<DatasetId, Vec<u32>>,
        placeholders_from: usize,
    ) -> Self {
        let placeholder = (0..labels.len()).map(|i| i >= placeholders_from).collect();
        Domain {
            labels,
            rows,
            placeholder,
            rollup: Vec::new(),
        }
    }

    /// The domain of an ungrouped value: no groups, only the total.
    pub fn total_only() -> Self {
        Domain::default()
    }

    /// The number of groups, not counting the total.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The group of every row of a dataset; empty for the total-only domain.
    pub fn groups_of(&self, dataset: DatasetId) -> &[u32] {
        self.rows.get(&dataset).map_or(&[], Vec::as_slice)
    }

    /// Whether group `i` is a `(none)` or `(outside the period)` group.
    pub fn is_placeholder(&self, i: usize) -> bool {
        self.placeholder.get(i).copied().unwrap_or(false)
    }

    /// Builds the domain of `grouping` over the given datasets.
    pub fn build(
        program: &Program,
        grouping: &Grouping,
        datasets: &[(DatasetId, &Table)],
        all: &[Option<Table>],
        period: Option<&Period>,
        calendar: &Calendar,
    ) -> Domain {
        let mut keys: Vec<Domain> = grouping
            .keys
            .iter()
            .map(|key| {
                let columns: Vec<(DatasetId, &Column)> = datasets
                    .iter()
                    .filter_map(|(d, t)| t.column(&key.column).map(|c| (*d, c)))
                    .collect();
                let tree = key.hierarchy.map(|h| &program.hierarchies[h]);
                let mut domain = match (key.bucket, tree) {
                    (Some(bucket), _) => buckets(bucket, &columns, period, calendar),
                    (None, Some(h)) => match all.get(h.dataset).and_then(Option::as_ref) {
                        Some(units) => hierarchy(units, h.node, h.parent, &columns),
                        None => values(&columns),
                    },
                    (None, None) => match key.key_type {
                        Type::Category(scale) => {
                            categories(&program.scales[scale].categories, &columns)
                        }
                        _ => values(&columns),
                    },
                };
                for (d, _) in datasets {
                    domain.rows.entry(*d).or_default();
                }
                domain
            })
            .collect();
        if keys.len() == 1 {
            return keys.pop().unwrap_or_default();
        }
        combine(&keys, datasets)
    }
}

/// The domain of several keys together: every combination of their groups, the first key
/// varying slowest, labelled `Finance / high`. A combination with a `(none)` or `(outside
/// the period)` part is a placeholder. When there would be too many combinations, only
/// those that occur in the data are listed.
fn combine(keys: &[Domain], datasets: &[(DatasetId, &Table)]) -> Domain {
    let mut rows: HashMap<DatasetId, Vec<Vec<u32>>> = HashMap::new();
    for (d, _) in datasets {
        let per_key: Vec<&[u32]> = keys.iter().map(|k| k.groups_of(*d)).collect();
        let len = per_key.iter().map(|g| g.len()).min().unwrap_or(0);
        let parts = (0..len)
            .map(|r| per_key.iter().map(|g| g[r]).collect())
            .collect();
        rows.insert(*d, parts);
    }

    let product = keys
        .iter()
        .try_fold(1usize, |n, k| n.checked_mul(k.labels.len()))
        .filter(|&n| n <= MOST_COMBINATIONS);
    let combinations: Vec<Vec<u32>> = match product {
        Some(n) => (0..n)
            .map(|mut i| {
                let mut parts = vec![0; keys.len()];
                for (slot, k) in parts.iter_mut().zip(keys).rev() {
                    *slot = (i % k.labels.len()) as u32;
                    i /= k.labels.len();
                }
                parts
            })
            .collect(),
        None => {
            let seen: std::collections::BTreeSet<&Vec<u32>> = rows.values().flatten().collect();
            seen.into_iter().cloned().collect()
        }
    };
    let index: HashMap<&Vec<u32>, u32> = combinations
        .iter()
        .enumerate()
        .map(|(i, c)| (c, i as u32))
        .collect();

    let labels = combinations
        .iter()
        .map(|c| {
            let parts: Vec<&str> = c
                .iter()
                .zip(keys)
                .map(|(&g, k)| k.labels.get(g as usize).map_or("", String::as_str))
                .collect();
            parts.join(" / ")
        })
        .collect();
    let placeholder = combinations
        .iter()
        .map(|c| {
            c.iter()
                .zip(keys)
                .any(|(&g, k)| k.is_placeholder(g as usize))
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|(d, parts)| {
            let groups = parts
                .iter()
                .map(|p| index.get(p).copied().unwrap_or(u32::MAX))
                .collect();
            (d, groups)
        })
        .collect();
    Domain {
        labels,
        rows,
        placeholder,
        rollup: Vec::new(),
    }
}

/// The label of the group of rows whose unit the hierarchy does not hold.
pub const NOT_IN_HIERARCHY: &str = "(not in the hierarchy)";

/// The nodes of a hierarchy, roots first and every node followed by its subtree, siblings in
/// name order; each row is in the group of its unit. A parent that is not a node, or that
/// would make a unit its own ancestor, is left out, so the node is a root.
fn hierarchy(
    units: &Table,
    node: usize,
    parent: usize,
    columns: &[(DatasetId, &Column)],
) -> Domain {
    let text = |c: &Column, r: usize| -> Option<String> {
        if c.is_missing(r) {
            return None;
        }
        match &c.data {
            ColumnData::Text { codes, dictionary } => {
                Some(dictionary[codes[r] as usize].to_string())
            }
            _ => key_of(c, r).map(|k| label_of(c, k)),
        }
    };
    let (nodes, parents) = (&units.columns[node], &units.columns[parent]);
    let mut names: Vec<String> = Vec::new();
    let mut up: HashMap<String, Option<String>> = HashMap::new();
    for r in 0..units.len {
        if let Some(n) = text(nodes, r) {
            if !up.contains_key(&n) {
                names.push(n.clone());
            }
            up.insert(n, text(parents, r));
        }
    }
    names.sort();

    // Each node's parent, dropping parents that are not nodes or close a loop.
    let mut parent_of: HashMap<&str, &str> = HashMap::new();
    for name in &names {
        let Some(Some(p)) = up.get(name) else {
            continue;
        };
        if !up.contains_key(p) {
            continue;
        }
        let mut at = p.as_str();
        let mut steps = 0;
        let looped = loop {
            if at == name {
                break true;
            }
            match parent_of.get(at) {
                Some(next) if steps <= names.len() => {
                    at = next;
                    steps += 1;
                }
                _ => break false,
            }
        };
        if !looped {
            parent_of.insert(name, p);
        }
    }

    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for name in &names {
        if let Some(p) = parent_of.get(name.as_str()) {
            children.entry(p).or_default().push(name);
        }
    }
    let mut order: Vec<&str> = Vec::new();
    let mut stack: Vec<&str> = names
        .iter()
        .filter(|n| !parent_of.contains_key(n.as_str()))
        .map(String::as_str)
        .rev()
        .collect();
    while let Some(n) = stack.pop() {
        order.push(n);
        if let Some(kids) = children.get(n) {
            stack.extend(kids.iter().rev());
        }
    }
    let index: HashMap<&str, u32> = order
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, i as u32))
        .collect();
    let rollup = order
        .iter()
        .rev()
        .filter_map(|n| Some((index[n], index[parent_of.get(n)?])))
        .collect();

    const OUTSIDE: u32 = u32::MAX - 1;
    let mut rows = HashMap::new();
    for (d, column) in columns {
        let groups = (0..column_len(column))
            .map(|r| match text(column, r) {
                None => u32::MAX,
                Some(unit) => index.get(unit.as_str()).copied().unwrap_or(OUTSIDE),
            })
            .collect();
        rows.insert(*d, groups);
    }
    let mut labels: Vec<String> = order.iter().map(|n| n.to_string()).collect();
    let placeholders_from = labels.len();
    extra_group(&mut labels, &mut rows, NONE_GROUP);
    if rows.values().flatten().any(|&g| g == OUTSIDE) {
        let k = labels.len() as u32;
        labels.push(NOT_IN_HIERARCHY.to_string());
        for g in rows.values_mut().flatten() {
            if *g == OUTSIDE {
                *g = k;
            }
        }
    }
    let mut domain = Domain::with_placeholders(labels, rows, placeholders_from);
    domain.rollup = rollup;
    domain
}

/// Appends a group for rows that `key` cannot place, if there are such rows.
fn extra_group(labels: &mut Vec<String>, rows: &mut HashMap<DatasetId, Vec<u32>>, label: &str) {
    let placeholder = u32::MAX;
    if rows.values().flatten().any(|&g| g == placeholder) {
        let index = labels.len() as u32;
        labels.push(label.to_string());
        for g in rows.values_mut().flatten() {
            if *g == placeholder {
                *g = index;
            }
        }
    }
}

fn categories(names: &[String], columns: &[(DatasetId, &Column)]) -> Domain {
    let mut labels: Vec<String> = names.to_vec();
    let mut rows = HashMap::new();
    for (d, column) in columns {
        let ColumnData::Category(codes) = &column.data else {
            continue;
        };
        let groups = codes
            .iter()
            .enumerate()
            .map(|(r, &c)| {
                if column.is_missing(r) {
                    u32::MAX
                } else {
                    c as u32
                }
            })
            .collect();
        rows.insert(*d, groups);
    }
    let placeholders_from = labels.len();
    extra_group(&mut labels, &mut rows, NONE_GROUP);
    Domain::with_placeholders(labels, rows, placeholders_from)
}

/// A sortable key for a column value; [`label_of`] names it.
fn key_of(column: &Column, row: usize) -> Option<i128> {
    if column.is_missing(row) {
        return None;
    }
    Some(match &column.data {
        ColumnData::Int(v) | ColumnData::DateTime(v) | ColumnData::Duration(v) => v[row] as i128,
        ColumnData::Bool(v) => v[row] as i128,
        ColumnData::Date(v) => v[row] as i128,
        ColumnData::Number(v) => {
            // Order floats by their value through the bits of a total order.
            let bits = v[row].to_bits() as i64;
            (bits ^ (((bits >> 63) as u64) >> 1) as i64) as i128
        }
        ColumnData::Category(v) => v[row] as i128,
        ColumnData::Text { .. } | ColumnData::Unread => return None,
    })
}

/// The label of a key that [`key_of`] gave for a value of `column`.
fn label_of(column: &Column, key: i128) -> String {
    match &column.data {
        ColumnData::Int(_) => key.to_string(),
        ColumnData::Bool(_) => (key != 0).to_string(),
        ColumnData::Date(_) => period::date_text(key as i32),
        ColumnData::DateTime(_) => period::timestamp_text(key as i64),
        ColumnData::Duration(_) => format!("{}s", key as f64 / 1e6),
        ColumnData::Number(_) => {
            let ordered = key as i64;
            let bits = ordered ^ (((ordered >> 63) as u64) >> 1) as i64;
            f64::from_bits(bits as u64).to_string()
        }
        _ => key.to_string(),
    }
}

fn values(columns: &[(DatasetId, &Column)]) -> Domain {
    let is_text = columns
        .iter()
        .any(|(_, c)| matches!(c.data, ColumnData::Text { .. }));
    let mut rows = HashMap::new();

    let labels: Vec<String> = if is_text {
        // Text groups are the union of the dictionaries, sorted; rows map through codes.
        let all: BTreeSet<&str> = columns
            .iter()
            .filter_map(|(_, c)| match &c.data {
                ColumnData::Text { dictionary, .. } => Some(dictionary.iter().map(|s| &**s)),
                _ => None,
            })
            .flatten()
            .collect();
        let labels: Vec<String> = all.iter().map(|s| s.to_string()).collect();
        let index: HashMap<&str, u32> = all
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i as u32))
            .collect();
        for (d, column) in columns {
            if let ColumnData::Text { codes, dictionary } = &column.data {
                let by_code: Vec<u32> = dictionary.iter().map(|s| index[&**s]).collect();
                let groups = codes
                    .iter()
                    .enumerate()
                    .map(|(r, &c)| {
                        if column.is_missing(r) {
                            u32::MAX
                        } else {
                            by_code[c as usize]
                        }
                    })
                    .collect();
                rows.insert(*d, groups);
            }
        }
        labels
    } else {
        // Distinct keys first, labelled once each: rows only carry numbers.
        let keys: BTreeSet<(i128, usize)> = columns
            .iter()
            .enumerate()
            .flat_map(|(i, (_, c))| {
                (0..column_len(c)).filter_map(move |r| key_of(c, r).map(|k| (k, i)))
            })
            .collect();
        let mut labels: Vec<String> = Vec::new();
        let mut index: HashMap<i128, u32> = HashMap::new();
        for (key, column) in keys {
            if let std::collections::hash_map::Entry::Vacant(slot) = index.entry(key) {
                slot.insert(labels.len() as u32);
                labels.push(label_of(columns[column].1, key));
            }
        }
        for (d, column) in columns {
            let groups = (0..column_len(column))
                .map(|r| key_of(column, r).map_or(u32::MAX, |k| index[&k]))
                .collect();
            rows.insert(*d, groups);
        }
        labels
    };

    let mut labels = labels;
    let placeholders_from = labels.len();
    extra_group(&mut labels, &mut rows, NONE_GROUP);
    Domain::with_placeholders(labels, rows, placeholders_from)
}

/// The instant of a row's date-time, or the first moment of its date in the calendar.
fn instant(column: &Column, row: usize, calendar: &Calendar) -> Option<i64> {
    if column.is_missing(row) {
        return None;
    }
    match &column.data {
        ColumnData::DateTime(v) => Some(v[row]),
        ColumnData::Date(v) => Some(calendar.date_start(v[row])),
        _ => None,
    }
}

/// Buckets of a date-time column: those that cover the period (or the data). A row whose
/// bucket lies outside them goes to the `(outside the period)` group, which is reported only
/// when some aggregate counts such a row (one placed in the period by another column).
fn buckets(
    bucket: crate::syntax::ast::Bucket,
    columns: &[(DatasetId, &Column)],
    period: Option<&Period>,
    calendar: &Calendar,
) -> Domain {
    let (first, end) = match period {
        Some(p) => (Some(calendar.start(bucket, p.start)), Some(p.end)),
        None => {
            let all = columns
                .iter()
                .flat_map(|(_, c)| (0..column_len(c)).filter_map(|r| instant(c, r, calendar)));
            let (min, max) = all.fold((None, None), |(lo, hi): (Option<i64>, Option<i64>), t| {
                (
                    Some(lo.map_or(t, |l| l.min(t))),
                    Some(hi.map_or(t, |h| h.max(t))),
                )
            });
            (min.map(|m| calendar.start(bucket, m)), max.map(|m| m + 1))
        }
    };

    let mut starts = Vec::new();
    if let (Some(mut s), Some(end)) = (first, end) {
        while s < end {
            starts.push(s);
            s = calendar.next(bucket, s);
        }
    }
    let mut labels: Vec<String> = starts.iter().map(|&s| calendar.label(bucket, s)).collect();

    const OUTSIDE: u32 = u32::MAX - 1;
    let mut rows = HashMap::new();
    for (d, column) in columns {
        // Exports are mostly in time order: the last row's bucket usually holds the next.
        let mut last: Option<(i64, i64, u32)> = None;
        let groups = (0..column_len(column))
            .map(|r| match instant(column, r, calendar) {
                None => u32::MAX,
                Some(t) => match last {
                    Some((from, to, group)) if from <= t && t < to => group,
                    _ => {
                        let from = calendar.start(bucket, t);
                        let group = starts.binary_search(&from).map_or(OUTSIDE, |i| i as u32);
                        last = Some((from, calendar.next(bucket, from), group));
                        group
                    }
                },
            })
            .collect();
        rows.insert(*d, groups);
    }

    let placeholders_from = labels.len();
    extra_group(&mut labels, &mut rows, NONE_GROUP);
    if rows.values().flatten().any(|&g| g == OUTSIDE) {
        let index = labels.len() as u32;
        labels.push(OUTSIDE_GROUP.to_string());
        for g in rows.values_mut().flatten() {
            if *g == OUTSIDE {
                *g = index;
            }
        }
    }
    Domain::with_placeholders(labels, rows, placeholders_from)
}

fn column_len(column: &Column) -> usize {
    match &column.data {
        ColumnData::Int(v) => v.len(),
        ColumnData::Number(v) => v.len(),
        ColumnData::Bool(v) => v.len(),
        ColumnData::Text { codes, .. } => codes.len(),
        ColumnData::Category(v) => v.len(),
        ColumnData::Date(v) => v.len(),
        ColumnData::DateTime(v) | ColumnData::Duration(v) => v.len(),
        ColumnData::Unread => 0,
    }
}
