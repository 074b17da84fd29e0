//! `check` on arbitrary bytes: it must return `Ok` or an intake error, never panic, and
//! never decode past the policy's limits.
//!
//! Input layout: the first byte picks the material kind (`byte % 10`, in
//! `MaterialKind::ALL` order), the rest is the file. `scripts/fuzz.sh` writes seeds that way.
#![no_main]

use std::sync::OnceLock;

use hexin_core::{check, Code, MaterialKind, Policy, Verdict};
use libfuzzer_sys::fuzz_target;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(Policy::icp_default)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let kind = MaterialKind::ALL[selector as usize % MaterialKind::ALL.len()];
    let policy = policy();
    match check(bytes, kind, policy) {
        Err(e) => assert!(
            matches!(
                e.code(),
                Code::CorruptImage | Code::UnsupportedFormat | Code::InputTooLarge | Code::DimensionsTooLarge
            ),
            "`{e}` is not an intake error"
        ),
        Ok(report) => {
            let (w, h) = (report.metrics.width, report.metrics.height);
            let limits = &policy.limits;
            assert!(w > 0 && h > 0, "decoded an image with no pixels");
            assert!(
                w.max(h) <= limits.max_input_side && w as u64 * h as u64 <= limits.max_input_pixels,
                "decoded {w}x{h}, beyond the policy's limits"
            );
            assert_eq!(report.verdict == Verdict::Accept, report.output.is_some());
            if let Some(out) = &report.output {
                assert!(out.jpeg.len() as u64 <= policy.rules(kind).output_max_bytes);
            }
        }
    }
});
