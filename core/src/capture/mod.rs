//! One capture, from untrusted bytes to the JPEG that leaves the device, in one direction:
//! [`format`] sniffs the container, [`intake`] decodes within the memory [`budget`] (with
//! [`jpeg_scan`] refusing truncated JPEGs), a small upright [`analysis`] copy is made,
//! [`placement`] finds the [`document`] in it and straightens it, [`checks`] measure the
//! document (or the whole frame, for kinds that are not documents), [`face`] judges a face
//! photo's face or which side of a card is in view, and [`normalize`] encodes
//! the output — the straightened document or the upright frame — within the byte budget.
//! [`check`] runs them all under one material's [`rules`].

pub mod analysis;
pub mod budget;
pub mod checks;
pub mod document;
pub mod face;
pub mod format;
pub mod guide;
pub mod intake;
mod jpeg_scan;
pub mod normalize;
pub mod placement;
pub mod rules;

use serde::{Deserialize, Serialize};

use crate::count;
use crate::hash::sha256_hex;
use crate::{Code, Error, Finding, MaterialKind, Metrics, Output, Severity};
use analysis::Analysis;
use face::FaceReport;
use document::warp::warp_rgb;
use image::RgbImage;
use placement::{Document, Straight};
use rules::{DocumentOutput, Limits, Rules};

/// Whether a capture may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Accept,
    Reject,
}

/// The result of checking one capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Report {
    pub material: MaterialKind,
    pub verdict: Verdict,
    /// Checks that did not pass; any with severity `block` makes the verdict `reject`.
    pub findings: Vec<Finding>,
    /// Everything measured, passed or not: on the straightened document when one was found,
    /// else on the whole frame.
    pub metrics: Metrics,
    /// Where the document is, for kinds the policy locates (absent when none was found).
    pub document: Option<Document>,
    /// The faces seen, for kinds with face checks or a portrait rule (absent when not looked
    /// for).
    pub face: Option<FaceReport>,
    /// Blur effect of the normalized output, re-measured after compression.
    pub output_blur: Option<f64>,
    /// The normalized capture; present only when accepted.
    pub output: Option<Output>,
}

/// Checks one capture of `kind` under `limits` and its `rules` and, if nothing blocks it,
/// normalizes it. [`crate::check`] takes them from a policy.
///
/// `Err` means the bytes could not be read as an image at all (unsupported, too large,
/// corrupt); everything about a readable image is a [`Finding`] in the report.
pub fn check(bytes: &[u8], kind: MaterialKind, limits: &Limits, rules: &Rules) -> Result<Report, Error> {
    let decoded = intake::decode(bytes, limits, rules)?;
    let (width, height) = decoded.upright_size();
    let frame = Analysis::oriented(&decoded.pixels, decoded.orientation);
    let frame_metrics = Metrics::measure(width, height, &frame);
    let (mut findings, document, straight) = if rules.document.find {
        let p = placement::place(&frame, (width, height), &frame_metrics, rules);
        (p.findings, p.document, p.straight)
    } else {
        (vec![], None, None)
    };
    let metrics = match &straight {
        Some(s) => Metrics::measure(s.source_size.0, s.source_size.1, &s.analysis),
        None => frame_metrics,
    };
    let judged = checks::evaluate(&metrics, rules);
    if rules.document.find && straight.is_none() {
        // No document to judge: only what explains the miss (the light, too few pixels); the
        // sharpness, glare and colour of the table are not the applicant's concern.
        findings.extend(judged.into_iter().filter(|f| matches!(f.code, Code::ResolutionTooLow | Code::TooDark | Code::Overexposed)));
    } else {
        findings.extend(judged);
    }
    let mut face = None;
    if let Some(rules) = &rules.face {
        let (found, seen) = face::judge(&frame, (width, height), rules);
        findings.extend(found);
        face = Some(seen);
    }
    // Which side of a card is in view, once the card itself is good enough to tell.
    if let (Some(rule), Some(s), false) = (&rules.portrait, &straight, blocks(&findings)) {
        let scale = s.size.0 as f64 / s.analysis.width as f64;
        let (found, seen) = face::portrait(&s.analysis, scale, &s.to_upright, rule);
        findings.extend(found);
        face = Some(seen);
    }
    let mut report =
        Report { material: kind, verdict: Verdict::Reject, findings: vec![], metrics, document, face, output_blur: None, output: None };
    if !blocks(&findings) {
        let image = match straight {
            Some(s) if rules.document.output == DocumentOutput::Document => straightened(&decoded, (width, height), &s),
            _ => intake::upright_within(decoded.pixels, decoded.orientation, rules.output_long_side),
        };
        if rules.document.output == DocumentOutput::Frame {
            report.document.iter_mut().for_each(|d| d.transform = None);
        }
        let search = normalize::encode_within(&image, rules.output_max_bytes, rules.jpeg_quality);
        match search.best {
            Some((quality, jpeg)) => {
                let (blur, finding) = checks::recheck_output(&jpeg, rules)?;
                report.output_blur = Some(checks::round(blur));
                findings.extend(finding);
                report.output = Some(Output {
                    width: checks::side(image.width()),
                    height: checks::side(image.height()),
                    bytes: count::signed(jpeg.len()),
                    sha256: sha256_hex(&jpeg),
                    quality: quality.into(),
                    jpeg,
                });
            }
            None => {
                let rule = &rules.checks.budget_unreachable;
                let (smallest, budget) = (search.smallest as f64, rules.output_max_bytes as f64);
                findings.push(Finding::new(Code::BudgetUnreachable, rule.severity, &rule.message, smallest, budget));
            }
        }
    }
    if !blocks(&findings) {
        report.verdict = Verdict::Accept;
    } else {
        report.output = None;
    }
    report.findings = findings;
    Ok(report)
}

/// The straightened document at its output size, sampled from the decoded pixels as stored
/// (the orientation and any decode-time scaling folded into the transform); `width` × `height`
/// is the upright photo's full-resolution size.
pub fn straightened(decoded: &intake::Decoded, (width, height): (u32, u32), s: &Straight) -> RgbImage {
    let stored = decoded.pixels.dimensions();
    let (uw, uh) = intake::upright_size(stored, decoded.orientation);
    let scale = document::geometry::Homography::scale(uw as f64 / width as f64, uh as f64 / height as f64);
    let to_stored = intake::upright_to_stored(decoded.orientation, stored).after(&scale.after(&s.to_upright));
    let rgb = warp_rgb(decoded.pixels.as_raw(), stored, &to_stored, s.size);
    RgbImage::from_raw(s.size.0, s.size.1, rgb).expect("warp returns a full buffer")
}

fn blocks(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Block)
}
