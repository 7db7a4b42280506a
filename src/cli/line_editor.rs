//! The terminal side of `msr repl`: rustyline's line editing wired to a session's
//! completion, hints and idea of a complete input, and a history file. Without a terminal,
//! inputs are read from standard input instead, one after another.

use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use rustyline::completion::{Completer, Pair};
use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{
    Cmd, ConditionalEventHandler, Context, Editor, Event, EventContext, EventHandler, KeyCode,
    KeyEvent, Modifiers, RepeatCount,
};

use crate::repl::{self, Output, Session};

/// Most entries the history keeps.
const HISTORY_SIZE: usize = 1000;

/// Errors from the terminal in a row after which the session gives up, so that a terminal
/// that has gone away does not keep it spinning.
const MOST_ERRORS: usize = 20;

/// The history file when none is named: `$XDG_DATA_HOME/msr/history`, else
/// `~/.local/share/msr/history`, else `%APPDATA%\msr\history`.
pub(super) fn default_history() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).map(PathBuf::from);
    let data = var("XDG_DATA_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|home| home.join(".local").join("share")))
        .or_else(|| var("APPDATA"))?;
    Some(data.join("msr").join("history"))
}

/// What the editor asks of the session while a line is edited.
struct Helper {
    session: Session,
    colour: bool,
}

impl Completer for Helper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, words) = self.session.complete(line, pos);
        let pairs = words
            .into_iter()
            .map(|w| Pair {
                display: w.clone(),
                replacement: w,
            })
            .collect();
        Ok((start, pairs))
    }
}

/// A hint from the session, as rustyline shows it.
struct CommandHint(repl::Hint);

impl Hint for CommandHint {
    fn display(&self) -> &str {
        &self.0.text
    }

    fn completion(&self) -> Option<&str> {
        self.0.inserts.then_some(self.0.text.as_str())
    }
}

impl Hinter for Helper {
    type Hint = CommandHint;

    fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<CommandHint> {
        self.session.hint(line, pos).map(CommandHint)
    }
}

const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Highlighter for Helper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if !self.colour || (!line.contains('\n') && bracket_pair(line, pos).is_none()) {
            return Cow::Borrowed(line);
        }
        // Continuation prompts dim like hints, and the bracket matching the one at the
        // cursor bold; neither changes the width.
        let matched = bracket_pair(line, pos);
        let mut out = String::with_capacity(line.len() + 16);
        let mut rest = line;
        let mut offset = 0;
        while !rest.is_empty() {
            if offset > 0 && line.as_bytes()[offset - 1] == b'\n' {
                if let Some(after) = rest.strip_prefix(repl::CONTINUATION) {
                    out.push_str(DIM);
                    out.push_str(repl::CONTINUATION);
                    out.push_str(RESET);
                    offset += repl::CONTINUATION.len();
                    rest = after;
                    continue;
                }
            }
            let Some(c) = rest.chars().next() else { break };
            if matched.is_some_and(|(a, b)| offset == a || offset == b) {
                out.push_str(BOLD);
                out.push(c);
                out.push_str(RESET);
            } else {
                out.push(c);
            }
            offset += c.len_utf8();
            rest = &rest[c.len_utf8()..];
        }
        Cow::Owned(out)
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.colour {
            Cow::Owned(format!("{DIM}{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, line: &str, pos: usize, _: CmdKind) -> bool {
        self.colour && (line.contains('\n') || bracket_pair(line, pos).is_some())
    }
}

impl Validator for Helper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if repl::is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl rustyline::Helper for Helper {}

/// The bracket at the cursor, or just before it, and the one that matches it, by byte
/// offset.
fn bracket_pair(line: &str, pos: usize) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let at = [pos, pos.checked_sub(1)?]
        .into_iter()
        .find(|&i| bytes.get(i).is_some_and(|b| b"()[]{}".contains(b)))?;
    let (open, close, forward) = match bytes[at] {
        b'(' => (b'(', b')', true),
        b'[' => (b'[', b']', true),
        b'{' => (b'{', b'}', true),
        b')' => (b'(', b')', false),
        b']' => (b'[', b']', false),
        _ => (b'{', b'}', false),
    };
    let mut depth = 0usize;
    let found = if forward {
        (at..bytes.len()).find(|&i| step(bytes[i], open, close, &mut depth))
    } else {
        (0..=at)
            .rev()
            .find(|&i| step(bytes[i], close, open, &mut depth))
    };
    found.filter(|&other| other != at).map(|other| (at, other))
}

/// Counts one byte of a bracket walk; true at the bracket that closes the walk.
fn step(b: u8, opens: u8, closes: u8, depth: &mut usize) -> bool {
    if b == opens {
        *depth += 1;
    } else if b == closes {
        *depth = depth.saturating_sub(1);
        return *depth == 0;
    }
    false
}

/// Enter runs a complete input and goes on to a new line, after a continuation prompt,
/// in an incomplete one.
struct Enter;

impl ConditionalEventHandler for Enter {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        if repl::is_complete(ctx.line()) {
            Some(Cmd::AcceptOrInsertLine {
                accept_in_the_middle: true,
            })
        } else {
            Some(Cmd::Insert(1, format!("\n{}", repl::CONTINUATION)))
        }
    }
}

/// Runs a session at the terminal until `:quit` or Ctrl-D. A history file that cannot be
/// read or written is reported once, and the session goes on without it.
pub(super) fn interactive(session: Session, history: Option<PathBuf>) -> Result<(), String> {
    let config = Config::builder()
        .history_ignore_space(true)
        .history_ignore_dups(true)
        .and_then(|b| b.max_history_size(HISTORY_SIZE))
        .map_err(|e| e.to_string())?
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .build();
    let mut editor: Editor<Helper, FileHistory> =
        Editor::with_config(config).map_err(|e| e.to_string())?;
    editor.set_helper(Some(Helper {
        session,
        colour: std::env::var_os("NO_COLOR").is_none(),
    }));
    editor.bind_sequence(
        KeyEvent(KeyCode::Enter, Modifiers::NONE),
        EventHandler::Conditional(Box::new(Enter)),
    );
    // Alt-Enter breaks the line anywhere, even in an input that could run.
    editor.bind_sequence(
        KeyEvent(KeyCode::Enter, Modifiers::ALT),
        EventHandler::Simple(Cmd::Insert(1, format!("\n{}", repl::CONTINUATION))),
    );
    let mut history = history;
    if let Some(path) = &history {
        if let Err(e) = load_history(&mut editor, path) {
            eprintln!("note: history off: {}: {e}", path.display());
            history = None;
        }
    }

    let mut errors = 0;
    loop {
        let line = match editor.readline(repl::PROMPT) {
            Ok(line) => line,
            // Ctrl-C drops the input being typed.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return Ok(()),
            Err(e) => {
                eprintln!("error: {e}");
                errors += 1;
                if errors >= MOST_ERRORS {
                    return Err("the terminal keeps failing".to_string());
                }
                continue;
            }
        };
        errors = 0;
        if !line.trim().is_empty() && editor.add_history_entry(line.as_str()).unwrap_or(false) {
            if let Some(path) = &history {
                if let Err(e) = editor.append_history(path) {
                    eprintln!("note: history off: {}: {e}", path.display());
                    history = None;
                }
            }
        }
        let Some(helper) = editor.helper_mut() else {
            return Ok(());
        };
        let output = helper.session.eval_line(&line);
        print(&output);
        if output.quit {
            return Ok(());
        }
    }
}

fn load_history(editor: &mut Editor<Helper, FileHistory>, path: &Path) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    match editor.load_history(path) {
        Ok(()) => Ok(()),
        Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs the inputs read from standard input, each as soon as it is complete; the end of
/// the input ends the last one. Bytes that are not UTF-8 are replaced. Returns whether
/// every input went without an error.
pub(super) fn scripted(mut session: Session) -> bool {
    let stdin = std::io::stdin();
    let mut ok = true;
    let mut pending = String::new();
    for line in stdin.lock().split(b'\n') {
        let Ok(bytes) = line else { break };
        let text = String::from_utf8_lossy(&bytes);
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(text.strip_suffix('\r').unwrap_or(&text));
        if repl::is_complete(&pending) {
            let output = session.eval_line(&pending);
            pending.clear();
            ok &= went_well(&output);
            print(&output);
            if output.quit {
                return ok;
            }
        }
    }
    if !pending.trim().is_empty() {
        let output = session.eval_line(&pending);
        ok &= went_well(&output);
        print(&output);
    }
    ok
}

fn went_well(output: &Output) -> bool {
    output.errors.is_empty() && !output.diagnostics.iter().any(|d| d.is_error())
}

/// Prints what an input gave: diagnostics and errors to standard error, the rest to
/// standard output.
pub(super) fn print(output: &Output) {
    super::print_diagnostics(&output.diagnostics);
    for e in &output.errors {
        eprintln!("error: {e}");
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(output.text.as_bytes());
    let _ = stdout.flush();
}
