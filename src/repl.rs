//! The REPL: a session in which analysts load programmes, evaluate expressions and try
//! measures before a designer commits them to a file.
//!
//! [`Session`] is the core: it takes one input at a time (a command, declarations or an
//! expression) and gives back what to print, and it offers completions and hints for a
//! line being edited. It knows nothing of terminals; the command line wires it to a line
//! editor, and tests drive it directly. [`is_complete`] tells a line editor whether an input
//! is whole or goes on over the next line.

mod commands;
mod complete;
mod input;
mod render;
mod session;
mod tables;

pub use complete::Hint;
pub use input::{is_complete, strip_continuation, CONTINUATION, PROMPT};
pub use render::period_line;
pub use session::{Format, Options, Output, Session};
