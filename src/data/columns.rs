//! Typed column builders: where converted values go, one push per row.
//!
//! Invariants: a push either appends exactly one value (and, if the missing flags exist, one
//! flag) or appends nothing and returns the [`Problem`]; so after every column of a row has
//! been pushed, all builders have the same length, and [`ColumnBuilder::rollback`] to the
//! number of kept rows undoes a bad row exactly, dictionary entries included. Missing flags
//! are allocated at the first missing value. Nothing here allocates per value on the happy
//! path except a text seen for the first time.

use std::collections::HashMap;

/// The dictionary's hasher: seeded per process, so crafted data cannot predict collisions,
/// and much faster than the standard one on the short texts of categories and units.
type TextHasher = foldhash::fast::RandomState;
use std::sync::Arc;

use super::values::{self, Problem};
use super::{Column, ColumnData, ColumnSpec, ColumnType};

/// Collects the values of one column.
pub(super) struct ColumnBuilder {
    optional: bool,
    values: Values,
    missing: Option<Vec<bool>>,
    /// The day of the last timestamp read, for a date-time column.
    days: values::DayCache,
    /// A binding's texts for `true` and `false`, for a boolean column.
    bool_texts: Arc<[(Arc<str>, bool)]>,
}

enum Values {
    /// A column the programme never reads: each value is validated, then dropped.
    Unread {
        ty: ColumnType,
        len: usize,
    },
    Int(Vec<i64>),
    Number(Vec<f64>),
    Bool(Vec<bool>),
    Text(TextValues),
    Category {
        codes: Vec<u16>,
        categories: Arc<[Arc<str>]>,
        aliases: Arc<[(Arc<str>, u16)]>,
    },
    Date(Vec<i32>),
    DateTime(Vec<i64>),
    Duration(Vec<i64>),
}

/// Dictionary-encoded text.
struct TextValues {
    codes: Vec<u32>,
    dictionary: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32, TextHasher>,
    /// Whether the last push added a dictionary entry, so that a rollback can remove it.
    last_was_new: bool,
}

impl ColumnBuilder {
    /// A builder for a column that is validated but not kept.
    pub(super) fn unread(spec: &ColumnSpec) -> Self {
        ColumnBuilder {
            optional: spec.optional,
            values: Values::Unread {
                ty: spec.ty.clone(),
                len: 0,
            },
            missing: None,
            days: values::DayCache::default(),
            bool_texts: spec.bool_texts.clone(),
        }
    }

    /// A builder for `spec`, with room for `capacity` rows.
    pub(super) fn new(spec: &ColumnSpec, capacity: usize) -> Self {
        let values = match &spec.ty {
            ColumnType::Int => Values::Int(Vec::with_capacity(capacity)),
            ColumnType::Number => Values::Number(Vec::with_capacity(capacity)),
            ColumnType::Bool => Values::Bool(Vec::with_capacity(capacity)),
            ColumnType::Text => Values::Text(TextValues {
                codes: Vec::with_capacity(capacity),
                dictionary: Vec::new(),
                index: HashMap::default(),
                last_was_new: false,
            }),
            ColumnType::Category {
                categories,
                aliases,
                ..
            } => Values::Category {
                codes: Vec::with_capacity(capacity),
                categories: categories.clone(),
                aliases: aliases.clone(),
            },
            ColumnType::Date => Values::Date(Vec::with_capacity(capacity)),
            ColumnType::DateTime => Values::DateTime(Vec::with_capacity(capacity)),
            ColumnType::Duration => Values::Duration(Vec::with_capacity(capacity)),
        };
        ColumnBuilder {
            optional: spec.optional,
            values,
            missing: None,
            days: values::DayCache::default(),
            bool_texts: spec.bool_texts.clone(),
        }
    }

    /// The builder with its timestamps without an offset read in `zone`.
    pub(super) fn in_zone(mut self, zone: Option<chrono_tz::Tz>) -> Self {
        self.days = values::DayCache::in_zone(zone);
        self
    }

    /// The number of values pushed.
    pub(super) fn len(&self) -> usize {
        match &self.values {
            Values::Unread { len, .. } => *len,
            Values::Int(v) | Values::DateTime(v) | Values::Duration(v) => v.len(),
            Values::Number(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Text(t) => t.codes.len(),
            Values::Category { codes, .. } => codes.len(),
            Values::Date(v) => v.len(),
        }
    }

    /// Pushes a value written as text: a CSV field, or a JSON string for a column that is
    /// written as strings. Empty text is missing, and so is blank text except in Text,
    /// unless a binding recodes the empty text to a value.
    pub(super) fn push_text(&mut self, text: &str) -> Result<(), Problem> {
        if text.is_empty() && !self.recodes_empty() {
            return self.push_missing();
        }
        // Spreadsheets pad numbers and dates with spaces; text and categories stay exact.
        let padded = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_whitespace());
        let bytes = text.as_bytes();
        let trimmed = if padded(bytes.first()) || padded(bytes.last()) {
            text.trim()
        } else {
            text
        };
        if trimmed.is_empty() && !matches!(self.values, Values::Text(_)) && !self.recodes_empty() {
            return self.push_missing();
        }
        match &mut self.values {
            Values::Unread { ty, len } => {
                if !valid_text(ty, text, trimmed, &self.bool_texts, &mut self.days) {
                    return Err(Problem::Invalid);
                }
                *len += 1;
                return Ok(());
            }
            Values::Int(v) => v.push(values::parse_int(trimmed).ok_or(Problem::Invalid)?),
            Values::Number(v) => v.push(values::parse_number(trimmed).ok_or(Problem::Invalid)?),
            Values::Bool(v) => {
                v.push(bool_value(&self.bool_texts, trimmed).ok_or(Problem::Invalid)?)
            }
            Values::Text(t) => t.push(text)?,
            Values::Category {
                codes,
                categories,
                aliases,
            } => codes
                .push(category_code(categories, aliases, text, trimmed).ok_or(Problem::Invalid)?),
            Values::Date(v) => v.push(values::parse_date(trimmed).ok_or(Problem::Invalid)?),
            Values::DateTime(v) => v.push(
                values::parse_datetime_after(trimmed, &mut self.days).ok_or(Problem::Invalid)?,
            ),
            Values::Duration(v) => v.push(values::parse_duration(trimmed).ok_or(Problem::Invalid)?),
        }
        self.mark_present();
        Ok(())
    }

    /// Whether a binding gives blank text a value (`"" = false`), so that it is not missing.
    fn recodes_empty(&self) -> bool {
        let category_alias =
            |aliases: &[(Arc<str>, u16)]| aliases.iter().any(|(a, _)| a.is_empty());
        match &self.values {
            Values::Bool(_)
            | Values::Unread {
                ty: ColumnType::Bool,
                ..
            } => self.bool_texts.iter().any(|(t, _)| t.is_empty()),
            Values::Category { aliases, .. }
            | Values::Unread {
                ty: ColumnType::Category { aliases, .. },
                ..
            } => category_alias(aliases),
            _ => false,
        }
    }

    /// Pushes a JSON string: text for most columns, the wrong kind for numbers.
    pub(super) fn push_json_str(&mut self, text: &str) -> Result<(), Problem> {
        match self.values {
            Values::Int(_)
            | Values::Number(_)
            | Values::Unread {
                ty: ColumnType::Int | ColumnType::Number,
                ..
            } if !text.is_empty() => Err(Problem::WrongJsonType("a string")),
            _ => self.push_text(text),
        }
    }

    /// Pushes a JSON number given as a float.
    pub(super) fn push_json_f64(&mut self, value: f64) -> Result<(), Problem> {
        match &mut self.values {
            Values::Unread {
                ty: ColumnType::Int,
                len,
            } => {
                values::int_from_float(value).ok_or(Problem::Invalid)?;
                *len += 1;
                return Ok(());
            }
            Values::Unread {
                ty: ColumnType::Number,
                len,
            } => {
                *len += 1;
                return Ok(());
            }
            Values::Int(v) => v.push(values::int_from_float(value).ok_or(Problem::Invalid)?),
            Values::Number(v) => v.push(value),
            _ => return Err(Problem::WrongJsonType("a number")),
        }
        self.mark_present();
        Ok(())
    }

    /// Pushes a JSON number given as an integer.
    pub(super) fn push_json_i64(&mut self, value: i64) -> Result<(), Problem> {
        match &mut self.values {
            Values::Unread {
                ty: ColumnType::Int | ColumnType::Number,
                len,
            } => {
                *len += 1;
                return Ok(());
            }
            Values::Int(v) => v.push(value),
            Values::Number(v) => v.push(value as f64),
            _ => return Err(Problem::WrongJsonType("a number")),
        }
        self.mark_present();
        Ok(())
    }

    /// Pushes a JSON number given as an unsigned integer, which may exceed `i64`.
    pub(super) fn push_json_u64(&mut self, value: u64) -> Result<(), Problem> {
        match i64::try_from(value) {
            Ok(value) => self.push_json_i64(value),
            Err(_)
                if matches!(
                    self.values,
                    Values::Int(_)
                        | Values::Unread {
                            ty: ColumnType::Int,
                            ..
                        }
                ) =>
            {
                Err(Problem::Invalid)
            }
            Err(_) => self.push_json_f64(value as f64),
        }
    }

    /// Pushes a JSON boolean.
    pub(super) fn push_json_bool(&mut self, value: bool) -> Result<(), Problem> {
        match &mut self.values {
            Values::Unread {
                ty: ColumnType::Bool,
                len,
            } => {
                *len += 1;
                return Ok(());
            }
            Values::Bool(v) => v.push(value),
            _ => return Err(Problem::WrongJsonType("a boolean")),
        }
        self.mark_present();
        Ok(())
    }

    /// Pushes a missing value, which only an optional column accepts.
    pub(super) fn push_missing(&mut self) -> Result<(), Problem> {
        if !self.optional {
            return Err(Problem::Missing);
        }
        let len = self.len();
        match &mut self.values {
            Values::Unread { len, .. } => {
                *len += 1;
                return Ok(());
            }
            Values::Int(v) | Values::DateTime(v) | Values::Duration(v) => v.push(0),
            Values::Number(v) => v.push(0.0),
            Values::Bool(v) => v.push(false),
            Values::Text(t) => {
                t.codes.push(0);
                t.last_was_new = false;
            }
            Values::Category { codes, .. } => codes.push(0),
            Values::Date(v) => v.push(0),
        }
        self.missing
            .get_or_insert_with(|| vec![false; len])
            .push(true);
        Ok(())
    }

    fn mark_present(&mut self) {
        if let Some(missing) = &mut self.missing {
            missing.push(false);
        }
    }

    /// Cuts the column back to `len` values, undoing the pushes of a rejected row.
    pub(super) fn rollback(&mut self, len: usize) {
        if self.len() <= len {
            return;
        }
        match &mut self.values {
            Values::Unread { len: n, .. } => *n = len,
            Values::Int(v) | Values::DateTime(v) | Values::Duration(v) => v.truncate(len),
            Values::Number(v) => v.truncate(len),
            Values::Bool(v) => v.truncate(len),
            Values::Text(t) => t.rollback(len),
            Values::Category { codes, .. } => codes.truncate(len),
            Values::Date(v) => v.truncate(len),
        }
        if let Some(missing) = &mut self.missing {
            missing.truncate(len);
        }
    }

    /// The finished column; missing flags are dropped if no kept row is missing.
    pub(super) fn finish(self, name: &str) -> Column {
        let data = match self.values {
            Values::Unread { .. } => ColumnData::Unread,
            Values::Int(v) => ColumnData::Int(v),
            Values::Number(v) => ColumnData::Number(v),
            Values::Bool(v) => ColumnData::Bool(v),
            Values::Text(t) => ColumnData::Text {
                codes: t.codes,
                dictionary: t.dictionary,
            },
            Values::Category { codes, .. } => ColumnData::Category(codes),
            Values::Date(v) => ColumnData::Date(v),
            Values::DateTime(v) => ColumnData::DateTime(v),
            Values::Duration(v) => ColumnData::Duration(v),
        };
        Column {
            name: name.to_string(),
            data,
            missing: self.missing.filter(|m| m.contains(&true)),
        }
    }
}

impl ColumnBuilder {
    /// Appends the values of `other`, a builder of the same column that read later rows.
    pub(super) fn append(&mut self, other: ColumnBuilder) {
        let before = self.len();
        let added = other.len();
        match (&mut self.values, other.values) {
            (Values::Unread { len, .. }, Values::Unread { len: more, .. }) => *len += more,
            (Values::Int(a), Values::Int(b))
            | (Values::DateTime(a), Values::DateTime(b))
            | (Values::Duration(a), Values::Duration(b)) => a.extend(b),
            (Values::Number(a), Values::Number(b)) => a.extend(b),
            (Values::Bool(a), Values::Bool(b)) => a.extend(b),
            (Values::Date(a), Values::Date(b)) => a.extend(b),
            (Values::Category { codes: a, .. }, Values::Category { codes: b, .. }) => a.extend(b),
            (Values::Text(a), Values::Text(b)) => a.append(b),
            // Builders of one column always have the same kind.
            _ => {}
        }
        match (&mut self.missing, other.missing) {
            (Some(a), Some(b)) => a.extend(b),
            (Some(a), None) => a.resize(before + added, false),
            (None, Some(b)) => {
                let mut flags = vec![false; before];
                flags.extend(b);
                self.missing = Some(flags);
            }
            (None, None) => {}
        }
    }

    /// A builder of the same column, kind and dictionary-less, with nothing pushed.
    pub(super) fn empty_like(&self) -> ColumnBuilder {
        let values = match &self.values {
            Values::Unread { ty, .. } => Values::Unread {
                ty: ty.clone(),
                len: 0,
            },
            Values::Int(_) => Values::Int(Vec::new()),
            Values::Number(_) => Values::Number(Vec::new()),
            Values::Bool(_) => Values::Bool(Vec::new()),
            Values::Text(_) => Values::Text(TextValues {
                codes: Vec::new(),
                dictionary: Vec::new(),
                index: HashMap::default(),
                last_was_new: false,
            }),
            Values::Category {
                categories,
                aliases,
                ..
            } => Values::Category {
                codes: Vec::new(),
                categories: categories.clone(),
                aliases: aliases.clone(),
            },
            Values::Date(_) => Values::Date(Vec::new()),
            Values::DateTime(_) => Values::DateTime(Vec::new()),
            Values::Duration(_) => Values::Duration(Vec::new()),
        };
        ColumnBuilder {
            optional: self.optional,
            values,
            missing: None,
            days: values::DayCache::in_zone(self.days.zone),
            bool_texts: self.bool_texts.clone(),
        }
    }

    /// Makes room for `rows` more values.
    pub(super) fn reserve(&mut self, rows: usize) {
        match &mut self.values {
            Values::Unread { .. } => {}
            Values::Int(v) | Values::DateTime(v) | Values::Duration(v) => v.reserve(rows),
            Values::Number(v) => v.reserve(rows),
            Values::Bool(v) => v.reserve(rows),
            Values::Text(t) => t.codes.reserve(rows),
            Values::Category { codes, .. } => codes.reserve(rows),
            Values::Date(v) => v.reserve(rows),
        }
    }
}

/// The index of the category `text` names, by its own name or by an alias.
fn category_code(
    categories: &[Arc<str>],
    aliases: &[(Arc<str>, u16)],
    text: &str,
    trimmed: &str,
) -> Option<u16> {
    // Categories are exact, but blank text reaches here only when a binding recodes the
    // empty text, which it stands for.
    let text = if trimmed.is_empty() { trimmed } else { text };
    let index = categories.iter().position(|c| **c == *text);
    match index {
        Some(i) => u16::try_from(i).ok(),
        None => aliases.iter().find(|(a, _)| **a == *text).map(|(_, i)| *i),
    }
}

/// A boolean written as msr reads one everywhere, or as a binding's text for it.
fn bool_value(bool_texts: &[(Arc<str>, bool)], trimmed: &str) -> Option<bool> {
    values::parse_bool(trimmed).or_else(|| {
        bool_texts
            .iter()
            .find(|(t, _)| **t == *trimmed)
            .map(|(_, b)| *b)
    })
}

/// Whether text is a valid value of a column that is validated but not kept.
fn valid_text(
    ty: &ColumnType,
    text: &str,
    trimmed: &str,
    bool_texts: &[(Arc<str>, bool)],
    days: &mut values::DayCache,
) -> bool {
    match ty {
        ColumnType::Int => values::parse_int(trimmed).is_some(),
        ColumnType::Number => values::parse_number(trimmed).is_some(),
        ColumnType::Bool => bool_value(bool_texts, trimmed).is_some(),
        ColumnType::Text => true,
        ColumnType::Category {
            categories,
            aliases,
            ..
        } => category_code(categories, aliases, text, trimmed).is_some(),
        ColumnType::Date => values::parse_date(trimmed).is_some(),
        ColumnType::DateTime => values::parse_datetime_after(trimmed, days).is_some(),
        ColumnType::Duration => values::parse_duration(trimmed).is_some(),
    }
}

impl TextValues {
    /// Appends another dictionary-encoded run, mapping its codes into this dictionary.
    fn append(&mut self, other: TextValues) {
        let mut map = Vec::with_capacity(other.dictionary.len());
        for value in other.dictionary {
            let code = match self.index.get(&*value) {
                Some(&code) => code,
                None => {
                    let code = self.dictionary.len() as u32;
                    self.index.insert(value.clone(), code);
                    self.dictionary.push(value);
                    code
                }
            };
            map.push(code);
        }
        self.codes.extend(
            other
                .codes
                .iter()
                .map(|&c| map.get(c as usize).copied().unwrap_or(0)),
        );
        self.last_was_new = false;
    }

    fn push(&mut self, text: &str) -> Result<(), Problem> {
        // Looking up by &str first keeps values already seen free of allocation.
        if let Some(&code) = self.index.get(text) {
            self.codes.push(code);
            self.last_was_new = false;
            return Ok(());
        }
        let code = u32::try_from(self.dictionary.len()).map_err(|_| Problem::TooManyTexts)?;
        let value: Arc<str> = Arc::from(text);
        self.index.insert(value.clone(), code);
        self.dictionary.push(value);
        self.codes.push(code);
        self.last_was_new = true;
        Ok(())
    }

    /// A row pushes at most one value per column, so at most the last entry is the row's.
    fn rollback(&mut self, len: usize) {
        if self.last_was_new && self.codes.len() == len + 1 {
            if let Some(value) = self.dictionary.pop() {
                self.index.remove(&value);
            }
        }
        self.codes.truncate(len);
        self.last_was_new = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(ty: ColumnType, optional: bool) -> ColumnSpec {
        ColumnSpec {
            name: "c".to_string(),
            ty,
            optional,
            source_name: None,
            absent: false,
            bool_texts: Default::default(),
        }
    }

    #[test]
    fn text_is_dictionary_encoded_and_rollback_removes_new_entries() {
        let mut b = ColumnBuilder::new(&spec(ColumnType::Text, false), 4);
        b.push_text("a").unwrap();
        b.push_text("b").unwrap();
        b.push_text("a").unwrap();
        b.push_text("new").unwrap();
        b.rollback(3);
        b.push_text("b").unwrap();
        b.rollback(3);
        b.push_text("later").unwrap();
        let column = b.finish("c");
        let ColumnData::Text { codes, dictionary } = column.data else {
            panic!("not text")
        };
        assert_eq!(codes, vec![0, 1, 0, 2]);
        let words: Vec<&str> = dictionary.iter().map(|s| &**s).collect();
        assert_eq!(words, vec!["a", "b", "later"]);
        assert!(column.missing.is_none());
    }

    #[test]
    fn missing_flags_are_lazy_and_dropped_when_only_rolled_back_rows_had_them() {
        let mut b = ColumnBuilder::new(&spec(ColumnType::Int, true), 0);
        b.push_text("1").unwrap();
        b.push_text("").unwrap();
        b.rollback(1);
        b.push_text(" 2 ").unwrap();
        let column = b.finish("c");
        assert!(column.missing.is_none());
        assert!(matches!(column.data, ColumnData::Int(ref v) if v == &[1, 2]));

        let mut b = ColumnBuilder::new(&spec(ColumnType::Int, true), 0);
        b.push_text("1").unwrap();
        b.push_text("  ").unwrap();
        b.push_text("3").unwrap();
        let column = b.finish("c");
        assert_eq!(column.missing, Some(vec![false, true, false]));
        assert!(column.is_missing(1));
    }

    #[test]
    fn a_failed_push_appends_nothing() {
        let mut b = ColumnBuilder::new(&spec(ColumnType::Date, false), 0);
        assert_eq!(b.push_text("soon"), Err(Problem::Invalid));
        assert_eq!(b.push_text(""), Err(Problem::Missing));
        assert_eq!(
            b.push_json_bool(true),
            Err(Problem::WrongJsonType("a boolean"))
        );
        assert_eq!(b.len(), 0);
    }

    #[test]
    fn json_numbers_and_strings() {
        let mut b = ColumnBuilder::new(&spec(ColumnType::Int, false), 0);
        assert_eq!(
            b.push_json_str("4"),
            Err(Problem::WrongJsonType("a string"))
        );
        assert_eq!(b.push_json_f64(1.5), Err(Problem::Invalid));
        assert_eq!(b.push_json_u64(u64::MAX), Err(Problem::Invalid));
        b.push_json_f64(2.0).unwrap();
        b.push_json_u64(7).unwrap();
        assert!(matches!(b.finish("c").data, ColumnData::Int(ref v) if v == &[2, 7]));

        let mut b = ColumnBuilder::new(&spec(ColumnType::Number, false), 0);
        b.push_json_i64(-3).unwrap();
        b.push_json_f64(0.25).unwrap();
        assert!(matches!(b.finish("c").data, ColumnData::Number(ref v) if v == &[-3.0, 0.25]));

        let mut b = ColumnBuilder::new(&spec(ColumnType::Bool, false), 0);
        b.push_json_bool(true).unwrap();
        b.push_json_str("no").unwrap();
        assert_eq!(b.push_json_i64(1), Err(Problem::WrongJsonType("a number")));
        assert!(matches!(b.finish("c").data, ColumnData::Bool(ref v) if v == &[true, false]));
    }

    #[test]
    fn a_binding_adds_texts_for_booleans_and_may_give_the_empty_text_a_value() {
        let texts: Arc<[(Arc<str>, bool)]> =
            vec![(Arc::from("Y"), true), (Arc::from(""), false)].into();
        let spec = ColumnSpec {
            bool_texts: texts,
            ..spec(ColumnType::Bool, false)
        };
        let mut b = ColumnBuilder::new(&spec, 0);
        for text in ["Y", "", "  ", "yes", " Y "] {
            b.push_text(text).unwrap();
        }
        assert_eq!(b.push_text("N"), Err(Problem::Invalid));
        let column = b.finish("c");
        assert!(column.missing.is_none());
        assert!(
            matches!(column.data, ColumnData::Bool(ref v) if v == &[true, false, false, true, true])
        );

        // Validated only, the same texts are accepted.
        let mut b = ColumnBuilder::unread(&spec);
        assert_eq!(b.push_text(""), Ok(()));
        assert_eq!(b.push_text("Y"), Ok(()));
        assert_eq!(b.push_text("N"), Err(Problem::Invalid));

        // Without a text for it, the empty field is missing.
        let mut b = ColumnBuilder::new(&spec_bool_y(), 0);
        assert_eq!(b.push_text(""), Err(Problem::Missing));
    }

    fn spec_bool_y() -> ColumnSpec {
        ColumnSpec {
            bool_texts: vec![(Arc::from("Y"), true)].into(),
            ..spec(ColumnType::Bool, false)
        }
    }

    #[test]
    fn categories_are_exact() {
        let categories: Arc<[Arc<str>]> = vec![Arc::from("low"), Arc::from("high")].into();
        let ty = ColumnType::Category {
            scale: Arc::from("severity"),
            categories,
            aliases: Vec::new().into(),
        };
        let mut b = ColumnBuilder::new(&spec(ty, false), 0);
        b.push_text("high").unwrap();
        b.push_text("low").unwrap();
        assert_eq!(b.push_text("High"), Err(Problem::Invalid));
        assert_eq!(b.push_text(" low"), Err(Problem::Invalid));
        assert!(matches!(b.finish("c").data, ColumnData::Category(ref v) if v == &[1, 0]));

        // A binding's texts, the empty one among them.
        let ty = ColumnType::Category {
            scale: Arc::from("severity"),
            categories: vec![Arc::from("low"), Arc::from("high")].into(),
            aliases: vec![(Arc::from("P1"), 1), (Arc::from(""), 0)].into(),
        };
        let mut b = ColumnBuilder::new(&spec(ty, false), 0);
        for text in ["P1", "", " ", "high"] {
            b.push_text(text).unwrap();
        }
        assert_eq!(b.push_text("P2"), Err(Problem::Invalid));
        let column = b.finish("c");
        assert!(column.missing.is_none());
        assert!(matches!(column.data, ColumnData::Category(ref v) if v == &[1, 0, 0, 1]));
    }
}
