//! `check` on arbitrary bytes: it must never panic, and its answer must keep the invariants
//! core/tests/robustness.rs asserts too (`hexin_testing::invariants::assert_check`): an intake
//! error, or a consistent report that never decoded past the policy's limits.
//!
//! Input layout: the first byte picks the material kind (`byte % 10`, in
//! `MaterialKind::ALL` order), the rest is the file. `scripts/fuzz.sh` writes seeds that way.
#![no_main]

use std::sync::OnceLock;

use hexin_core::{check, MaterialKind, Policy};
use hexin_testing::invariants;
use libfuzzer_sys::fuzz_target;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(Policy::icp_default)
}

/// Known upstream decoder panics, by source path. libfuzzer-sys aborts on every panic, even
/// one that `check` catches; for these the hook only notes the panic and lets it unwind, so the
/// fuzzer can look past them *once hexin-core contains them*. If `check` does not catch it, the
/// unwind reaches the target's `extern "C"` boundary and the process still aborts ("panic in a
/// function that cannot unwind", right after the note): nothing is hidden.
const CONTAINED_PANICS: &[&str] = &[
    // zune-jpeg 0.5.15, hexin-core's JPEG decoder, panics on malformed scans in several places
    // (seen: `unwrap()` on `None` in idct/avx2.rs:246 and :378, a slice index in
    // idct/scalar.rs:37, the 1x1 IDCT every architecture uses, and an assertion in
    // upsampler/avx2.rs:184);
    // 0.5.16-rc3 decodes the first reproducer cleanly. Same family as
    // https://github.com/etemesi254/zune-image/issues/361. The entry names the version, so
    // upgrading zune-jpeg re-arms the fuzzer for that crate.
    "zune-jpeg-0.5.15/src/",
];

fn contain_known_panics() {
    let abort = std::panic::take_hook(); // libfuzzer-sys's: print, then abort
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file()).unwrap_or_default();
        if CONTAINED_PANICS.iter().any(|known| file.contains(known)) {
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            eprintln!("note: known upstream panic at {at}; hexin-core must contain it");
        } else {
            abort(info);
        }
    }));
}

fuzz_target!(init: contain_known_panics(), |data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let kind = MaterialKind::ALL[selector as usize % MaterialKind::ALL.len()];
    let policy = policy();
    invariants::assert_check(bytes, kind, policy, &check(bytes, kind, policy));
});
