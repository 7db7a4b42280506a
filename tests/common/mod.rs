//! Helpers shared by the integration tests: running the binary and making scratch folders.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// What a run of the binary produced.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `msr` with the given arguments, as a user would, without colour.
pub fn msr(args: &[&str]) -> Output {
    msr_in(std::path::Path::new("."), args)
}

/// Runs `msr` in the folder `dir`, so that the files it names are relative to it.
pub fn msr_in(dir: &std::path::Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_msr"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("the msr binary runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `msr run ARGS --format json` and parses its output, failing on a non-zero exit.
pub fn run_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = msr(&all);
    assert_eq!(out.code, 0, "msr {all:?} failed:\n{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("the JSON output parses")
}

/// The path of a file under the crate root.
pub fn root(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// The small programme whose results are worked out by hand.
pub fn tiny() -> String {
    root("tests/fixtures/tiny/tiny.msr")
}

/// A fresh, empty scratch folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("msr-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch folder is created");
    dir
}

/// Checker codes that `msr::check::codes` declares but that no check reports: no programme
/// can show them, so the corpus and docs/errors.md leave them out. tests/corpus.rs proves
/// that each is still reported nowhere, so that one that starts being reported leaves this
/// list.
pub const UNREPORTED_CODES: &[&str] = &["msr::check::entity"];
