//! `Policy::parse` on arbitrary text: it must return a policy that keeps every invariant the
//! pipeline relies on, or `invalid_policy`, never panic.
#![no_main]

use hexin_core::{Code, MaterialKind, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let policy = match Policy::parse(text) {
        Ok(policy) => policy,
        Err(e) => {
            assert_eq!(e.code(), Code::InvalidPolicy, "{e}");
            return;
        }
    };
    let l = &policy.limits;
    assert!(l.max_input_bytes > 0 && l.max_input_pixels > 0 && l.max_input_side > 0);
    for kind in MaterialKind::ALL {
        let r = policy.rules(kind);
        assert!(!r.formats.is_empty());
        assert!(r.min_short_side <= r.min_long_side);
        assert!(r.min_long_side <= r.output_long_side && r.output_long_side <= 65535);
        assert!(r.output_max_bytes >= 10_000);
        let q = r.jpeg_quality;
        assert!(1 <= q.min && q.min <= q.max && q.max <= 100);
        let c = &r.checks;
        for (t, hi) in [
            (c.blurry.threshold, 1.0),
            (c.too_dark.threshold, 255.0),
            (c.overexposed.threshold, 1.0),
            (c.glare.threshold, 1.0),
            (c.not_color.threshold, 1.0),
        ] {
            assert!((0.0..=hi).contains(&t), "{kind}: threshold {t} outside 0..={hi}");
        }
    }
});
