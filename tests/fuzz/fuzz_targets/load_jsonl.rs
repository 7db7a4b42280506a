//! Fuzz target: any bytes, as a JSON Lines file, load with a schema of every column type,
//! with and without skipping bad rows, without a panic and with coherent tables and
//! diagnostics.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    msr_fuzz::load_both_ways(data, "jsonl");
});
