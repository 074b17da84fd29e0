//! Capture checks: pure functions over the analysis copy, each compared with the policy.

pub mod color;
pub mod exposure;
pub mod sharpness;

use serde::{Deserialize, Serialize};

use crate::capture::analysis::Analysis;
use crate::code::{Code, Message};
use crate::Error;
use crate::capture::rules::{Rules, ThresholdRule};
use crate::Severity;

/// One check that did not pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// The measured value, in the check's unit (pixels, blur effect, luma, fraction, bytes).
    pub measured: Option<f64>,
    /// The policy's limit for it.
    pub limit: Option<f64>,
    pub message: Message,
}

impl Finding {
    pub(crate) fn new(code: Code, severity: Severity, message: &Message, measured: f64, limit: f64) -> Finding {
        Finding { code, severity, measured: Some(round(measured)), limit: Some(limit), message: message.clone() }
    }

    /// A finding without a number to show.
    pub(crate) fn flag(code: Code, severity: Severity, message: &Message) -> Finding {
        Finding { code, severity, measured: None, limit: None, message: message.clone() }
    }
}

/// Every metric the checks measured on one capture.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Metrics {
    /// Upright width and height of the input.
    pub width: i32,
    pub height: i32,
    /// Blur effect, 0 (sharp) to 1 (flat).
    pub blur: f64,
    /// Mean luma, 0–255.
    pub mean_luma: f64,
    /// Fraction of pixels clipped to white.
    pub clipped: f64,
    /// Largest clipped patch, as a fraction of the frame.
    pub glare_patch: f64,
    /// Colourfulness, 0–1: the share of the image whose chroma its luma does not predict under
    /// the image's own colour cast (`color::colorfulness`).
    pub colorfulness: f64,
}

impl Metrics {
    /// Measures everything on the analysis copy of an upright `width` × `height` capture.
    pub fn measure(width: u32, height: u32, a: &Analysis) -> Metrics {
        Metrics {
            width: side(width),
            height: side(height),
            blur: sharpness::blur_effect(a),
            mean_luma: exposure::mean_luma(a),
            clipped: exposure::clipped_fraction(a),
            glare_patch: exposure::largest_clipped_patch(a),
            colorfulness: color::colorfulness(a),
        }
    }
}

/// An image's side as the signed count the bindings show (Kotlin's `Int`). A side measured
/// here was decoded within the budget (at most 80 MB of pixels) or read from a JPEG header
/// (at most 65,535): far below `i32::MAX`.
pub(crate) fn side(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// Compares metrics with the rules; returns the checks that failed.
pub fn evaluate(m: &Metrics, rules: &Rules) -> Vec<Finding> {
    let c = &rules.checks;
    let mut findings = Vec::new();
    if let Some((measured, limit)) = resolution_shortfall(m.width, m.height, rules) {
        let rule = &c.resolution_too_low;
        findings.push(Finding::new(Code::ResolutionTooLow, rule.severity, &rule.message, measured, limit));
    }
    let mut threshold = |code, rule: &ThresholdRule, measured: f64, failed: bool| {
        if failed {
            findings.push(Finding::new(code, rule.severity, &rule.message, measured, rule.threshold));
        }
    };
    threshold(Code::Blurry, &c.blurry, m.blur, m.blur > c.blurry.threshold);
    threshold(Code::TooDark, &c.too_dark, m.mean_luma, m.mean_luma < c.too_dark.threshold);
    threshold(Code::Overexposed, &c.overexposed, m.clipped, m.clipped > c.overexposed.threshold);
    threshold(Code::Glare, &c.glare, m.glare_patch, m.glare_patch > c.glare.threshold);
    if rules.color_required {
        threshold(Code::NotColor, &c.not_color, m.colorfulness, m.colorfulness < c.not_color.threshold);
    }
    findings
}

/// The side that falls short and its minimum, if either does.
fn resolution_shortfall(width: i32, height: i32, rules: &Rules) -> Option<(f64, f64)> {
    let (short, long) = (width.min(height), width.max(height));
    if i64::from(short) < i64::from(rules.min_short_side) {
        Some((short as f64, rules.min_short_side as f64))
    } else if i64::from(long) < i64::from(rules.min_long_side) {
        Some((long as f64, rules.min_long_side as f64))
    } else {
        None
    }
}

/// The output re-check: blur measured again on the encoded JPEG, as a server will see it, so
/// compression cannot turn an accepted capture into a blurry one unnoticed. Returns the blur
/// and the finding when it breaks the policy's limit.
pub fn recheck_output(jpeg: &[u8], rules: &Rules) -> Result<(f64, Option<Finding>), Error> {
    let blur = sharpness::output_blur(jpeg)?;
    let rule = &rules.checks.blurry;
    let finding = (blur > rule.threshold).then(|| Finding::new(Code::Blurry, rule.severity, &rule.message, blur, rule.threshold));
    Ok((blur, finding))
}

/// Six significant decimals: enough for any threshold, stable in JSON.
pub fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}
