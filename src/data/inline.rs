//! Rows written inline in a `.msr` file: the fixture tables of tests.
//!
//! The cells are validated exactly as the cells of a CSV file are, by the same column
//! builders, so a fixture means what the same rows in a data file would mean. Diagnostics
//! point into the `.msr` file, at the cell.

use std::ops::Range;
use std::path::PathBuf;

use super::columns::ColumnBuilder;
use super::values::describe;
use super::{type_name, Column, ColumnSpec, Schema, Table};
use crate::diagnostic::{Diagnostic, SourceText};

/// A table of rows written in a source file.
#[derive(Debug, Clone)]
pub struct InlineRows {
    /// The file the table is written in.
    pub source: SourceText,
    /// The column names of the first line, each with its byte range in `source`.
    pub header: Vec<(String, Range<usize>)>,
    /// Each row's cells in header order: the text, `None` when empty, and its byte range.
    pub rows: Vec<Vec<(Option<String>, Range<usize>)>>,
    /// The whole table.
    pub span: Range<usize>,
}

/// Reads inline rows into a typed [`Table`] with the columns of `schema`.
///
/// `read[i]` says whether the programme reads schema column `i`, and `needed[i]` whether
/// what the rows are for (a test's expectations) depends on it. A column the table leaves
/// out is missing in every row when it is optional or not needed; a required column that
/// is needed must be there. Every problem is returned, each at its cell.
pub fn load_inline(
    schema: &Schema,
    rows: &InlineRows,
    read: &[bool],
    needed: &[bool],
) -> Result<Table, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut builders = Vec::with_capacity(schema.columns.len());
    // For each schema column, the header position that gives it.
    let mut given: Vec<Option<usize>> = Vec::with_capacity(schema.columns.len());
    for (i, spec) in schema.columns.iter().enumerate() {
        let at = rows.header.iter().position(|(name, _)| *name == spec.name);
        given.push(at);
        let is_read = read.get(i).copied().unwrap_or(true);
        let is_needed = is_read && needed.get(i).copied().unwrap_or(true);
        match at {
            Some(_) if is_read => builders.push(ColumnBuilder::new(spec, rows.rows.len())),
            Some(_) => builders.push(ColumnBuilder::unread(spec)),
            None if spec.optional || !is_needed => {
                // Left out and not needed, or optional: missing in every row.
                let spec = ColumnSpec {
                    optional: true,
                    absent: true,
                    ..spec.clone()
                };
                builders.push(if is_read {
                    ColumnBuilder::new(&spec, rows.rows.len())
                } else {
                    ColumnBuilder::unread(&spec)
                });
            }
            None => {
                errors.push(left_out(schema, spec, rows));
                builders.push(ColumnBuilder::unread(spec));
            }
        }
    }
    let mut builders: Vec<ColumnBuilder> = builders
        .into_iter()
        .map(|b| b.in_zone(schema.zone))
        .collect();

    // A required column left out is reported once, not once per row.
    let reported: Vec<bool> = schema
        .columns
        .iter()
        .zip(&given)
        .enumerate()
        .map(|(i, (spec, at))| {
            let is_needed =
                read.get(i).copied().unwrap_or(true) && needed.get(i).copied().unwrap_or(true);
            at.is_none() && !spec.optional && is_needed
        })
        .collect();
    for row in &rows.rows {
        let columns = builders
            .iter_mut()
            .zip(&schema.columns)
            .zip(&given)
            .zip(&reported);
        for (((builder, spec), at), reported) in columns {
            if *reported {
                continue;
            }
            let cell = at.and_then(|i| row.get(i));
            let pushed = match cell {
                Some((Some(text), _)) => builder.push_text(text),
                _ => builder.push_missing(),
            };
            let Err(problem) = pushed else {
                continue;
            };
            let (text, range) = match cell {
                Some((text, range)) => (text.clone().unwrap_or_default(), range.clone()),
                None => (String::new(), rows.span.clone()),
            };
            let words = describe(problem, spec, &text);
            errors.push(
                Diagnostic::error(words.code, words.message)
                    .with_source(rows.source.clone())
                    .with_label(range.start, range.end, words.label)
                    .with_help(words.help),
            );
            // The column is now a row short, but the load fails anyway; going on finds the
            // other bad cells.
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let columns: Vec<Column> = builders
        .into_iter()
        .zip(&schema.columns)
        .map(|(b, spec)| b.finish(&spec.name))
        .collect();
    Ok(Table {
        name: schema.dataset.clone(),
        path: PathBuf::from(rows.source.name()),
        len: rows.rows.len(),
        columns,
        skipped_rows: 0,
        lines: Some(
            rows.rows
                .iter()
                .map(|r| {
                    let at = r.first().map_or(rows.span.start, |(_, range)| range.start);
                    rows.source.line_col(at).0 as u32
                })
                .collect(),
        ),
        digest: None,
    })
}

/// A table of `schema` with no rows: the data of a dataset a test gives no rows for.
pub fn empty_table(schema: &Schema) -> Table {
    let columns = schema
        .columns
        .iter()
        .map(|spec| ColumnBuilder::new(spec, 0).finish(&spec.name))
        .collect();
    Table {
        name: schema.dataset.clone(),
        path: PathBuf::new(),
        len: 0,
        columns,
        skipped_rows: 0,
        lines: Some(Vec::new()),
        digest: None,
    }
}

fn left_out(schema: &Schema, spec: &ColumnSpec, rows: &InlineRows) -> Diagnostic {
    let column = &spec.name;
    let header = match (rows.header.first(), rows.header.last()) {
        (Some((_, first)), Some((_, last))) => first.start..last.end,
        _ => rows.span.clone(),
    };
    Diagnostic::error(
        "msr::data::missing_column",
        format!(
            "the rows of `{}` leave out column `{column}`, which the expectations depend on",
            schema.dataset
        ),
    )
    .with_source(rows.source.clone())
    .with_label(
        header.start,
        header.end,
        format!("no `{column}` among these columns"),
    )
    .with_help(format!(
        "add a `{column}` column to the table, or declare it optional: `{column}: {}?`",
        type_name(&spec.ty)
    ))
}
