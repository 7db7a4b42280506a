//! Fuzz target: any bytes, read as text, format without a panic. A text that parses formats
//! without a fault of the formatter, and formatting its result again changes nothing.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match msr::format::format_source("fuzzed.msr", &text) {
        Ok(formatted) => {
            let again = msr::format::format_source("fuzzed.msr", &formatted)
                .unwrap_or_else(|errors| panic!("the result does not format: {}", errors[0].code));
            assert_eq!(again, formatted, "formatting twice changes nothing more");
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "a failed formatting says why");
            assert!(
                errors.iter().all(|e| e.code != "msr::fmt::internal"),
                "the formatter keeps every programme that parses"
            );
        }
    }
});
