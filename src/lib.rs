//! msr: a declarative language and interpreter for information-security measurement.
//!
//! The pipeline runs left to right, and each module knows only those to its right:
//!
//! ```text
//! cli ──► repl ──► report ──► eval ──► check ──► syntax
//!  ├──► evidence ─────────────┘ └──► data            ▲
//!  └──► format ──────────────────────────────────────┘
//! ```
//!
//! [`syntax`] parses `.msr` files into an AST whose every node has a byte span; [`check`]
//! resolves names and types and produces a checked [`check::Program`]; [`data`] loads datasets
//! into typed columns; [`eval`] computes measures and indicators for a reporting period;
//! [`report`] renders the results as a table, JSON, CSV, HTML or Markdown; and [`repl`] keeps
//! a session in which programmes, expressions and new measures are tried one input at a time.
//! `cli` skips `repl` for `check` and `run`. Beside the pipeline, [`format`] prints a parsed
//! file again in the canonical layout, for `msr fmt`; [`testing`] runs the `test` blocks of a
//! programme on their fixtures, for `msr test`; and [`evidence`] keeps what a run read and
//! computed as a bundle that `msr verify` checks later.

pub mod check;
pub mod cli;
pub mod data;
pub mod diagnostic;
pub mod eval;
pub mod evidence;
pub mod format;
pub mod repl;
pub mod report;
pub mod syntax;
pub mod testing;

use std::sync::atomic::{AtomicUsize, Ordering};

/// The threads that loading and evaluation may use; 0 for as many as the process may run
/// on.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// Limits the threads that loading a CSV file and passes over a dataset use, for the whole
/// process; 0 lifts the limit. One thread makes every load and pass sequential.
pub fn set_threads(threads: usize) {
    THREADS.store(threads, Ordering::Relaxed);
}

/// The threads a parallel step may use: the limit set, else every core the process may run
/// on.
pub(crate) fn threads() -> usize {
    match THREADS.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}
