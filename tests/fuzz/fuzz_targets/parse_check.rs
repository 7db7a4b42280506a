//! Fuzz target: any bytes, read as text, parse and (when they parse) check without a panic,
//! and every diagnostic renders as text and JSON.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let diagnostics = match msr::syntax::parse_text("fuzzed.msr", &text) {
        Ok(parsed) => match msr::check::check(parsed) {
            Ok((_, warnings)) => warnings,
            Err(errors) => {
                assert!(!errors.is_empty(), "a failed check says why");
                errors
            }
        },
        Err((_, errors)) => {
            assert!(!errors.is_empty(), "a failed parse says why");
            errors
        }
    };
    let lines = text.lines().count().max(1) + 1;
    for diagnostic in &diagnostics {
        msr_fuzz::diagnostic_renders(diagnostic, lines);
    }
});
