//! What every answer of hexin-core's untrusted-input entry points must satisfy, whatever the
//! input: asserted by the property tests (core/tests/robustness.rs) and the fuzz targets
//! (fuzz/fuzz_targets/check.rs, policy.rs) alike. Each function panics on a violation; proptest
//! shrinks the input that caused it, libFuzzer saves it.

use hexin_core::capture::format::{sniff, Sniffed};
use hexin_core::capture::rules::{Limits, Rules, FACE_THRESHOLD_RANGES, THRESHOLD_RANGES};
use hexin_core::hash::sha256_hex;
use hexin_core::{Code, Error, MaterialKind, Metrics, Policy, Report, Severity, Verdict};

/// The codes `check` may return as an `Err`: everything else about an image is a finding.
pub const INTAKE_CODES: [Code; 4] = [Code::CorruptImage, Code::UnsupportedFormat, Code::InputTooLarge, Code::DimensionsTooLarge];

/// The codes a report's findings may carry.
pub const FINDING_CODES: [Code; 22] = [
    Code::ResolutionTooLow,
    Code::Blurry,
    Code::TooDark,
    Code::Overexposed,
    Code::Glare,
    Code::NotColor,
    Code::DocumentNotFound,
    Code::DocumentIncomplete,
    Code::DocumentTooSmall,
    Code::DocumentTilted,
    Code::FaceNotFound,
    Code::MultipleFaces,
    Code::FaceTooSmall,
    Code::FaceOffCenter,
    Code::FaceCutOff,
    Code::FaceTilted,
    Code::FaceTooDark,
    Code::FaceOverexposed,
    Code::BackgroundNotPlain,
    Code::FaceIsDocument,
    Code::WrongSide,
    Code::BudgetUnreachable,
];

/// The findings that carry no number: a state, not a measure.
const FLAGS: [Code; 5] = [Code::DocumentIncomplete, Code::FaceNotFound, Code::FaceCutOff, Code::FaceIsDocument, Code::WrongSide];

/// `check(bytes, kind, policy)` answered sensibly: an intake error, or a report of a supported
/// image that keeps [`assert_report`].
pub fn assert_check(bytes: &[u8], kind: MaterialKind, policy: &Policy, result: &Result<Report, Error>) {
    match result {
        Err(e) => assert!(INTAKE_CODES.contains(&e.code()), "`{e}` has code {}, not an intake code", e.code()),
        Ok(report) => {
            assert!(matches!(sniff(bytes), Sniffed::Image(_)), "accepted bytes that are not a supported image: {:?}", sniff(bytes));
            assert_eq!(report.material, kind);
            assert_report(report, &policy.limits, policy.rules(kind));
        }
    }
}

/// A report consistent with itself and with the limits and rules it was made under: input
/// dimensions within the limits, every metric within its range, finding codes of the capture
/// checks, the verdict `accept` exactly when no finding blocks and exactly when there is an
/// output, and the output a JPEG within the byte budget at a quality in range.
pub fn assert_report(report: &Report, limits: &Limits, rules: &Rules) {
    let frame = report.document.as_ref().map_or(report.metrics, |d| d.frame_metrics);
    let (w, h) = (frame.width, frame.height);
    assert!(w > 0 && h > 0, "decoded an image with no pixels: {w}x{h}");
    assert!(
        i64::from(w.max(h)) <= i64::from(limits.max_input_side) && w as u64 * h as u64 <= limits.max_input_pixels,
        "decoded {w}x{h}, beyond the policy's limits {limits:?}"
    );
    assert!(report.metrics.width > 0 && report.metrics.height > 0, "measured no pixels: {:?}", report.metrics);
    assert_metrics(&report.metrics);
    if let Some(d) = &report.document {
        assert!(rules.document.find, "located a document the policy does not look for");
        assert_metrics(&d.frame_metrics);
        assert!((0.0..=1.0).contains(&d.confidence) && (0.0..=1.0).contains(&d.coverage), "{d:?}");
        assert!(d.perspective >= 0.0 && d.aspect >= 1.0, "{d:?}");
        assert!(d.corners.corners().iter().all(|p| p.x.is_finite() && p.y.is_finite()), "{d:?}");
        let incomplete = report.findings.iter().any(|f| f.code == Code::DocumentIncomplete);
        assert_eq!(d.complete, !incomplete, "{d:?} with findings {:?}", report.findings);
    }
    if let Some(face) = &report.face {
        assert!(rules.face.is_some() || rules.portrait.is_some(), "looked for faces the policy does not ask about");
        for b in &face.faces {
            let numbers = [b.x, b.y, b.width, b.height, b.score];
            assert!(numbers.iter().all(|v| v.is_finite()) && b.width > 0.0 && b.height > 0.0 && b.score > 0.0, "{b:?}");
        }
        let measures = [face.height_share, face.offset, face.roll, face.luma, face.clipped, face.background];
        assert!(measures.iter().flatten().all(|v| v.is_finite()), "{face:?}");
        assert!(face.roll.is_none_or(|r| r.abs() <= 90.0) && face.luma.is_none_or(|l| (0.0..=255.0).contains(&l)), "{face:?}");
        assert!([face.clipped, face.background].iter().flatten().all(|v| (0.0..=1.0).contains(v)), "{face:?}");
    } else {
        assert!(rules.face.is_none(), "a face photo's report without its faces");
    }
    for f in &report.findings {
        assert!(FINDING_CODES.contains(&f.code), "a finding with code {}", f.code);
        let numbers = f.measured.is_some_and(f64::is_finite) && f.limit.is_some_and(f64::is_finite);
        let flag = FLAGS.contains(&f.code) && f.measured.is_none() && f.limit.is_none();
        assert!(numbers || flag, "{f:?}");
    }
    let blocked = report.findings.iter().any(|f| f.severity == Severity::Block);
    assert_eq!(report.verdict == Verdict::Accept, !blocked, "verdict {:?} with findings {:?}", report.verdict, report.findings);
    assert_eq!(report.verdict == Verdict::Accept, report.output.is_some(), "verdict {:?}", report.verdict);
    if let Some(blur) = report.output_blur {
        assert!((0.0..=1.0).contains(&blur), "output blur {blur}");
    }
    if let Some(out) = &report.output {
        assert!(report.output_blur.is_some(), "an output whose blur was not re-measured");
        assert!(out.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]), "output is not a JPEG");
        assert_eq!(out.bytes, out.jpeg.len() as i64);
        assert!(out.bytes as u64 <= rules.output_max_bytes, "{} bytes over the budget {}", out.bytes, rules.output_max_bytes);
        assert!((rules.jpeg_quality.min..=rules.jpeg_quality.max).contains(&u8::try_from(out.quality).expect("a quality in 0–255")), "quality {}", out.quality);
        assert_eq!(out.sha256, sha256_hex(&out.jpeg));
    }
}

/// Every metric a threshold limits lies within that threshold's range ([`THRESHOLD_RANGES`]).
pub fn assert_metrics(m: &Metrics) {
    let measured = [("blurry", m.blur), ("too_dark", m.mean_luma), ("overexposed", m.clipped), ("glare", m.glare_patch), ("not_color", m.colorfulness)];
    for ((check, value), (name, lo, hi)) in measured.into_iter().zip(THRESHOLD_RANGES) {
        assert_eq!(check, name, "THRESHOLD_RANGES changed order");
        assert!((lo..=hi).contains(&value), "{check}: measured {value}, outside {lo}..={hi}");
    }
}

/// The answer of `Policy::parse`: `invalid_policy`, or a policy keeping [`assert_policy`].
pub fn assert_parsed(result: &Result<Policy, Error>) {
    match result {
        Err(e) => assert_eq!(e.code(), Code::InvalidPolicy, "{e}"),
        Ok(policy) => assert_policy(policy),
    }
}

/// A policy keeps every invariant the pipeline relies on: an id and a digest, positive limits,
/// and for every material kind at least one format, consistent sizes, an output side the JPEG
/// encoder can write, a budget of at least 10 000 bytes, qualities within 1–100 and every
/// threshold within its range.
pub fn assert_policy(p: &Policy) {
    assert_eq!(p.digest.len(), 64);
    assert!(!p.id.trim().is_empty());
    let l = &p.limits;
    assert!(l.max_input_bytes > 0 && l.max_input_pixels > 0 && l.max_input_side > 0, "{l:?}");
    for kind in MaterialKind::ALL {
        let r = p.rules(kind);
        assert!(!r.formats.is_empty(), "{kind}: no formats");
        assert!(r.min_short_side <= r.min_long_side, "{kind}: {r:?}");
        assert!(r.min_long_side <= r.output_long_side && r.output_long_side <= 65535, "{kind}: {r:?}");
        assert!(r.output_max_bytes >= 10_000, "{kind}: {r:?}");
        let q = r.jpeg_quality;
        assert!(1 <= q.min && q.min <= q.max && q.max <= 100, "{kind}: {q:?}");
        let faces = r.face.iter().flat_map(|f| f.thresholds().into_iter().zip(FACE_THRESHOLD_RANGES));
        for ((name, rule), (_, lo, hi)) in r.checks.thresholds().into_iter().zip(THRESHOLD_RANGES).chain(faces) {
            assert!((lo..=hi).contains(&rule.threshold), "{kind}: {name} threshold {} outside {lo}..={hi}", rule.threshold);
        }
        if let Some(p) = &r.portrait {
            assert!(r.document.find && p.threshold > 0.0, "{kind}: {p:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::panic::{catch_unwind, AssertUnwindSafe};

    use super::*;
    use crate::synthetic::{camera_jpeg, document, noisy, Scene};
    use hexin_core::check;

    const KIND: MaterialKind = MaterialKind::IdCardFront;

    fn holds(f: impl FnOnce()) -> bool {
        catch_unwind(AssertUnwindSafe(f)).is_ok()
    }

    #[test]
    fn a_real_report_holds_and_each_broken_copy_does_not() {
        let policy = Policy::icp_default();
        let bytes = camera_jpeg(&noisy(document(Scene::new(1600, 1200)), 3.0, 1));
        let report = check(&bytes, KIND, &policy).unwrap();
        assert_eq!(report.verdict, Verdict::Accept, "{:?}", report.findings);
        assert!(holds(|| assert_check(&bytes, KIND, &policy, &Ok(report.clone()))));
        let broken: [(&str, fn(&mut Report)); 7] = [
            ("rejected with an output", |r| r.verdict = Verdict::Reject),
            ("blur past 1", |r| r.metrics.blur = 1.5),
            ("luma NaN", |r| r.metrics.mean_luma = f64::NAN),
            ("no pixels", |r| r.metrics.width = 0),
            ("bytes miscounted", |r| r.output.as_mut().unwrap().bytes += 1),
            ("digest of other bytes", |r| r.output.as_mut().unwrap().sha256 = sha256_hex(b"")),
            ("a non-capture code", |r| {
                let message = hexin_core::Message { zh: "x".into(), en: "x".into() };
                let (measured, limit) = (Some(0.0), Some(0.0));
                r.findings.push(hexin_core::Finding { code: Code::InvalidPolicy, severity: Severity::Warn, measured, limit, message });
            }),
        ];
        for (name, brk) in broken {
            let mut r = report.clone();
            brk(&mut r);
            assert!(!holds(|| assert_check(&bytes, KIND, &policy, &Ok(r))), "{name} passed");
        }
        // A report for bytes that are not an image, or for another kind, does not hold.
        assert!(!holds(|| assert_check(b"not an image", KIND, &policy, &Ok(report.clone()))));
        assert!(!holds(|| assert_check(&bytes, MaterialKind::Other, &policy, &Ok(report.clone()))));
    }

    #[test]
    fn errors_hold_only_with_their_codes() {
        let policy = Policy::icp_default();
        let corrupt = check(b"\xFF\xD8\xFF", KIND, &policy);
        assert_eq!(corrupt.as_ref().unwrap_err().code(), Code::CorruptImage);
        assert!(holds(|| assert_check(b"\xFF\xD8\xFF", KIND, &policy, &corrupt)));
        let refused = Policy::parse("schema = 1");
        assert_eq!(refused.as_ref().unwrap_err().code(), Code::InvalidPolicy);
        assert!(holds(|| assert_parsed(&refused)));
        assert!(!holds(|| assert_check(b"", KIND, &policy, &Err(refused.unwrap_err()))));
        assert!(!holds(|| assert_parsed(&Err(corrupt.unwrap_err()))));
        assert!(holds(|| assert_parsed(&Ok(Policy::icp_default()))));
    }
}
