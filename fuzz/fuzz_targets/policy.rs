//! `Policy::parse` on arbitrary text: it must never panic, and return `invalid_policy` or a
//! policy that keeps every invariant the pipeline relies on
//! (`hexin_testing::invariants::assert_parsed`, as core/tests/robustness.rs asserts too).
#![no_main]

use hexin_core::Policy;
use hexin_testing::invariants;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    invariants::assert_parsed(&Policy::parse(text));
});
