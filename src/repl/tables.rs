//! The datasets a session has read, kept between evaluations.
//!
//! A table is kept for as long as its dataset's declaration (source, columns, zone) stays
//! the same, whatever else the programme becomes, and is read again when its file's
//! modification time or length changes. Every column is kept, not only those the programme
//! reads now, so that the next expression can read any of them.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::check::Program;
use crate::data::{LoadOptions, Schema, Table};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, DataAccess};

/// What identifies a file's contents cheaply: its modification time and length.
type Stamp = (Option<SystemTime>, u64);

/// The tables of the datasets of the current programme, by dataset index.
#[derive(Default)]
pub(super) struct Tables {
    slots: Vec<Slot>,
    tables: Vec<Option<Table>>,
}

/// A dataset of the programme, and what is known of its file.
#[derive(Default)]
struct Slot {
    declaration: Option<(String, Schema)>,
    /// The file read and its stamp then; `None` before any attempt.
    read: Option<(PathBuf, Option<Stamp>)>,
}

/// What bringing the tables up to date did.
#[derive(Default)]
pub(super) struct Refreshed {
    pub diagnostics: Vec<Diagnostic>,
    /// Datasets read again because their file changed.
    pub reread: Vec<String>,
}

impl Tables {
    /// The tables, by the programme's dataset index, as evaluation takes them.
    pub fn all(&self) -> &[Option<Table>] {
        &self.tables
    }

    pub fn get(&self, dataset: usize) -> Option<&Table> {
        self.tables.get(dataset).and_then(Option::as_ref)
    }

    /// Places the tables at the dataset indices of a new programme, keeping those whose
    /// declaration is unchanged and dropping the others.
    pub fn follow(&mut self, program: &Program) {
        let mut old_slots = std::mem::take(&mut self.slots);
        let mut old_tables = std::mem::take(&mut self.tables);
        for dataset in &program.datasets {
            let declaration = (dataset.source.clone(), dataset.schema(&program.scales));
            let kept = old_slots
                .iter()
                .position(|s| s.declaration.as_ref() == Some(&declaration));
            match kept {
                Some(k) => {
                    self.slots.push(std::mem::take(&mut old_slots[k]));
                    self.tables.push(old_tables[k].take());
                }
                None => {
                    self.slots.push(Slot {
                        declaration: Some(declaration),
                        read: None,
                    });
                    self.tables.push(None);
                }
            }
        }
    }

    /// Reads each wanted dataset that has not been read, or whose file changed since. A
    /// file that could not be read is tried again only once it changes, so that its
    /// errors are reported once.
    pub fn refresh(
        &mut self,
        program: &Program,
        wanted: &[bool],
        data_dir: &Path,
        access: &DataAccess,
    ) -> Refreshed {
        let mut refreshed = Refreshed::default();
        let options = LoadOptions {
            keep: None,
            ..access.load.clone()
        };
        for (id, slot) in self.slots.iter_mut().enumerate() {
            if !wanted.get(id).copied().unwrap_or(false) {
                continue;
            }
            let path = match eval::dataset_path(program, id, data_dir, access.allow_any_path) {
                Ok(path) => path,
                Err(errors) => {
                    if slot.read.is_none() {
                        refreshed.diagnostics.extend(errors);
                        slot.read = Some((PathBuf::new(), None));
                    }
                    continue;
                }
            };
            let stamp = stamp(&path);
            let before = slot.read.take();
            if before.as_ref() == Some(&(path.clone(), stamp)) {
                slot.read = before;
                continue;
            }
            // The stamp is taken before reading, so a change while reading shows next time.
            slot.read = Some((path, stamp));
            match eval::load_dataset(program, id, data_dir, access.allow_any_path, &options) {
                Ok((table, warnings)) => {
                    if self.tables[id].is_some() {
                        refreshed.reread.push(program.datasets[id].name.clone());
                    }
                    self.tables[id] = Some(table);
                    refreshed.diagnostics.extend(warnings);
                }
                Err(errors) => {
                    self.tables[id] = None;
                    refreshed.diagnostics.extend(errors);
                }
            }
        }
        refreshed
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.modified().ok(), metadata.len()))
}
