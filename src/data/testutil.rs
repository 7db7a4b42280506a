//! Helpers for the data module's tests: schemas, and loading bytes through a real file.
//!
//! Every load goes through [`super::load`] with a file under the system's temp directory,
//! named uniquely per call so that tests can run in parallel, and removed afterwards. The
//! display name is always `data.<extension>`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::{load, ColumnSpec, ColumnType, LoadOptions, Schema, Table};
use crate::diagnostic::Diagnostic;

/// A schema of dataset `incidents` with the given (name, type, optional) columns.
pub(super) fn schema(columns: &[(&str, ColumnType, bool)]) -> Schema {
    Schema {
        zone: None,
        dataset: "incidents".to_string(),
        columns: columns
            .iter()
            .map(|(name, ty, optional)| ColumnSpec {
                name: name.to_string(),
                ty: ty.clone(),
                optional: *optional,
                source_name: None,
                absent: false,
                bool_texts: Default::default(),
            })
            .collect(),
    }
}

/// The scale `severity`: low, medium, high.
pub(super) fn severity() -> ColumnType {
    let categories: Vec<Arc<str>> = ["low", "medium", "high"]
        .into_iter()
        .map(Arc::from)
        .collect();
    ColumnType::Category {
        scale: Arc::from("severity"),
        categories: categories.into(),
        aliases: Vec::new().into(),
    }
}

/// A file in the temp directory, removed when dropped.
pub(super) struct TempFile(pub PathBuf);

impl TempFile {
    pub(super) fn new(extension: &str, bytes: &[u8]) -> TempFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("msr-data-test-{}-{n}.{extension}", std::process::id());
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, bytes).expect("write temp file");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Loads `bytes` as a file with `extension`.
pub(super) fn load_bytes(
    bytes: &[u8],
    extension: &str,
    schema: &Schema,
    options: &LoadOptions,
) -> Result<(Table, Vec<Diagnostic>), Vec<Diagnostic>> {
    let file = TempFile::new(extension, bytes);
    load(&file.0, &format!("data.{extension}"), schema, options)
}

/// Loads `bytes`, expecting success without warnings.
pub(super) fn load_ok(bytes: &[u8], extension: &str, schema: &Schema) -> Table {
    match load_bytes(bytes, extension, schema, &LoadOptions::default()) {
        Ok((table, warnings)) => {
            assert!(warnings.is_empty(), "unexpected warnings: {warnings:?}");
            table
        }
        Err(errors) => panic!("unexpected errors: {errors:#?}"),
    }
}

/// Loads `bytes`, expecting errors, and checks that each is an error with a help line.
pub(super) fn load_errors(bytes: &[u8], extension: &str, schema: &Schema) -> Vec<Diagnostic> {
    match load_bytes(bytes, extension, schema, &LoadOptions::default()) {
        Ok((table, _)) => panic!("expected errors, loaded {} rows", table.len),
        Err(errors) => {
            assert!(
                errors.iter().all(|e| e.is_error() && e.help.is_some()),
                "{errors:#?}"
            );
            errors
        }
    }
}
