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
//! [`report`] renders the results as a table, JSON, CSV or HTML; and [`repl`] keeps a session in
//! which programmes, expressions and new measures are tried one input at a time. `cli` skips
//! `repl` for `check` and `run`. Beside the pipeline, [`format`] prints a parsed file again
//! in the canonical layout, for `msr fmt`; [`testing`] runs the `test` blocks of a
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
