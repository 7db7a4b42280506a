//! `msr repl` at a real pseudo-terminal, as a person uses it: a measure typed over two
//! lines, a dataset's name completed with Tab, `:quit`; then a second session that recalls
//! the measure from the history file with the up arrow (twice: `:q` came after it) and runs
//! it again.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::{Eof, Expect, Regex, Session};

const UP: &str = "\x1b[A";

fn spawn(history: &Path) -> expectrl::session::OsSession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_msr"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "repl",
            "tests/fixtures/tiny/tiny.msr",
            "--period",
            "2025-09",
        ])
        .arg("--history-file")
        .arg(history)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    let mut session = Session::spawn(command).expect("the binary starts in a terminal");
    session.set_expect_timeout(Some(Duration::from_secs(10)));
    session
}

#[test]
fn history_completion_and_multi_line_input_work_at_a_terminal() {
    let dir = common::temp_dir("repl-terminal");
    let history = dir.join("history");

    let mut first = spawn(&history);
    first.expect("msr> ").expect("the prompt");
    first.send("measure fast : Count =\r").expect("typing");
    first.expect("...> ").expect("a continuation prompt");
    first.send("  count(inc\t").expect("typing");
    first
        .expect("incidents")
        .expect("the dataset's name completed");
    first
        .send(" where resolved_at - opened_at <= 12h)\r")
        .expect("typing");
    first
        .expect("defined measure fast")
        .expect("the measure runs");
    first
        .expect(Regex(r"fast\s+2\s+Count<incident>"))
        .expect("its value for September");
    first.expect("msr> ").expect("the prompt again");
    first.send(":q\r").expect("typing");
    first.expect(Eof).expect("the session ends");

    let saved = std::fs::read_to_string(&history).expect("the history file is written");
    assert!(saved.contains("count(incidents where"), "{saved}");

    let mut second = spawn(&history);
    second.expect("msr> ").expect("the prompt");
    // The newest entry is `:q`; the measure is the one before.
    second.send(UP).expect("the up arrow");
    second.expect(":q").expect("the last input recalled");
    second.send(UP).expect("the up arrow again");
    second
        .expect("resolved_at - opened_at <= 12h)")
        .expect("the measure recalled with its second line");
    second.send("\r").expect("Enter");
    second
        .expect("defined measure fast")
        .expect("the recalled measure runs");
    second
        .expect(Regex(r"fast\s+2\s+Count<incident>"))
        .expect("with the same value");
    // Keys sent before the editor reads again could be flushed with the terminal's mode.
    second.expect("msr> ").expect("the prompt again");
    second.send("\x04").expect("Ctrl-D");
    second.expect(Eof).expect("the session ends");
}
