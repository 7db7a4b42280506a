//! What the fuzz targets share: the fixed schema the loader targets read with, and the
//! properties every load must have, whatever the bytes of the file.
//!
//! A load must never panic, and its result must be coherent: columns as long as the table,
//! missing values only where the schema allows them, codes inside their dictionaries,
//! errors only in `Err` and warnings only in `Ok`, the same outcome with and without
//! `skip_bad_rows` when no row is bad, and every diagnostic renderable and located inside
//! the file.

use std::path::PathBuf;
use std::sync::Arc;

use msr::data::{self, ColumnData, ColumnSpec, ColumnType, LoadOptions, Schema, Table};
use msr::diagnostic::{Diagnostic, Severity};

/// A schema with every column type, some columns optional; the seeds use these names.
pub fn schema() -> Schema {
    let categories: Arc<[Arc<str>]> = ["low", "medium", "high", "critical"]
        .iter()
        .map(|c| Arc::from(*c))
        .collect();
    let column = |name: &str, ty: ColumnType, optional: bool| ColumnSpec {
        name: name.to_string(),
        ty,
        optional,
        source_name: None,
        absent: false,
        bool_texts: Default::default(),
    };
    Schema {
        zone: None,
        dataset: "fuzzed".to_string(),
        columns: vec![
            column("id", ColumnType::Int, false),
            column("cost", ColumnType::Number, true),
            column("open", ColumnType::Bool, false),
            column("unit", ColumnType::Text, false),
            column("note", ColumnType::Text, true),
            column("due", ColumnType::Date, true),
            column("opened_at", ColumnType::DateTime, false),
            column("resolved_at", ColumnType::DateTime, true),
            column("effort", ColumnType::Duration, true),
            column(
                "severity",
                ColumnType::Category {
                    scale: Arc::from("Severity"),
                    categories,
                    aliases: Vec::new().into(),
                },
                false,
            ),
        ],
    }
}

/// A file of this process for the fuzz input, with the extension that picks the format.
fn scratch_file(extension: &str) -> PathBuf {
    std::env::temp_dir().join(format!("msr-fuzz-{}-input.{extension}", std::process::id()))
}

/// Loads `bytes` as a data file of the given format, with and without `skip_bad_rows`, and
/// asserts the properties every load must have.
pub fn load_both_ways(bytes: &[u8], extension: &str) {
    let path = scratch_file(extension);
    std::fs::write(&path, bytes).expect("the scratch file is written");
    let schema = schema();
    let display = format!("data.{extension}");
    let strict = data::load(&path, &display, &schema, &LoadOptions::default());
    let lenient = data::load(
        &path,
        &display,
        &schema,
        &LoadOptions {
            skip_bad_rows: true,
            ..LoadOptions::default()
        },
    );
    // Every other column kept: the rest are validated as strictly, only not stored.
    let keep: Vec<bool> = (0..schema.columns.len()).map(|i| i % 2 == 0).collect();
    let some_kept = data::load(
        &path,
        &display,
        &schema,
        &LoadOptions {
            skip_bad_rows: false,
            keep: Some(keep.clone()),
            row_lines: true,
            digest: true,
        },
    );
    // Lines as the loaders count them: CSV ends a line at LF, CRLF or a lone CR; JSON Lines
    // at LF alone.
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    let lines = lf + 1 + if extension == "csv" { lone_cr } else { 0 };

    for (result, kept) in [(&strict, None), (&lenient, None), (&some_kept, Some(&keep))] {
        match result {
            Ok((table, warnings)) => {
                table_is_coherent(table, &schema, kept);
                for warning in warnings {
                    assert_eq!(warning.severity, Severity::Warning, "{}", warning.message);
                    diagnostic_renders(warning, lines);
                }
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "a failed load says why");
                for error in errors {
                    assert_eq!(error.severity, Severity::Error, "{}", error.message);
                    diagnostic_renders(error, lines);
                }
            }
        }
    }

    // The digest covers every byte of the file, hashed in the one read.
    if let Ok((table, _)) = &some_kept {
        assert_eq!(table.digest.map(|d| d.bytes), Some(bytes.len() as u64));
    }
    if let Ok((table, warnings)) = &strict {
        assert_eq!(table.skipped_rows, 0);
        assert!(warnings.is_empty(), "a strict load has no warnings");
    }
    match (&strict, &lenient) {
        (Ok((strict, _)), Ok((lenient, warnings))) => {
            assert_eq!(strict.len, lenient.len, "no bad row, so the same rows");
            assert_eq!(lenient.skipped_rows, 0);
            assert!(warnings.is_empty(), "no bad row, so no warning");
        }
        (Ok(_), Err(errors)) => panic!(
            "the strict load succeeded but skipping bad rows failed: {}",
            errors[0].message
        ),
        (Err(_), Ok((lenient, _))) => assert!(
            lenient.skipped_rows > 0,
            "the strict load failed, so skipping must have left rows out"
        ),
        (Err(_), Err(_)) => {}
    }
    if let Ok((table, _)) = &some_kept {
        let kept_lines = table.lines.as_ref().expect("lines were asked for");
        assert_eq!(kept_lines.len(), table.len, "one line per row");
        assert!(
            kept_lines.windows(2).all(|w| w[0] < w[1]),
            "rows come from rising lines"
        );
        assert!(kept_lines.iter().all(|&l| l >= 1 && (l as usize) <= lines));
    }
    match (&strict, &some_kept) {
        (Ok((all, _)), Ok((some, _))) => assert_eq!(all.len, some.len, "the same rows"),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(errors)) | (Err(errors), Ok(_)) => panic!(
            "keeping fewer columns changed whether the load fails: {}",
            errors[0].message
        ),
    }
    let _ = std::fs::remove_file(path);
}

/// Every column holds one value per row, missing only where optional, codes in range.
fn table_is_coherent(table: &Table, schema: &Schema, kept: Option<&Vec<bool>>) {
    assert_eq!(table.columns.len(), schema.columns.len());
    for (i, (column, spec)) in table.columns.iter().zip(&schema.columns).enumerate() {
        assert_eq!(column.name, spec.name);
        let wanted = kept.is_none_or(|k| k[i]);
        assert_eq!(
            wanted,
            !matches!(column.data, ColumnData::Unread),
            "column `{}` is stored exactly when it is kept",
            spec.name
        );
        let len = match &column.data {
            ColumnData::Unread => continue,
            ColumnData::Int(v) => v.len(),
            ColumnData::Number(v) => {
                assert!(v.iter().all(|x| x.is_finite()), "numbers are finite");
                v.len()
            }
            ColumnData::Bool(v) => v.len(),
            ColumnData::Text { codes, dictionary } => {
                assert!(codes
                    .iter()
                    .all(|&c| (c as usize) < dictionary.len().max(1)));
                codes.len()
            }
            ColumnData::Category(v) => {
                let ColumnType::Category { categories, .. } = &spec.ty else {
                    panic!("a category column for a {:?} column", spec.ty);
                };
                assert!(v.iter().all(|&c| (c as usize) < categories.len()));
                v.len()
            }
            ColumnData::Date(v) => v.len(),
            ColumnData::DateTime(v) => v.len(),
            ColumnData::Duration(v) => v.len(),
        };
        assert_eq!(
            len, table.len,
            "column `{}` has one value per row",
            spec.name
        );
        if let Some(missing) = &column.missing {
            assert_eq!(missing.len(), table.len);
            assert!(
                spec.optional || !missing.iter().any(|&m| m),
                "column `{}` is required but has a missing value",
                spec.name
            );
        }
    }
}

/// A diagnostic renders as text and JSON, and its place lies inside a file of `lines` lines.
pub fn diagnostic_renders(diagnostic: &Diagnostic, lines: usize) {
    let text = diagnostic.render_plain(80);
    assert!(text.contains(diagnostic.code), "{text}");
    let _ = diagnostic.to_json();
    if let Some((_, line, column)) = diagnostic.location() {
        assert!(
            (1..=lines).contains(&line) && column >= 1,
            "`{}` is placed at {line}:{column}, outside a file of {lines} lines",
            diagnostic.message
        );
    }
}
