//! The capture rules a policy sets for one material kind, and the limits on any input.

use serde::{Deserialize, Serialize};

use crate::canonical::MAX_SAFE_INTEGER;
use crate::capture::format::Format;
use crate::code::{Message, Severity};

/// The range each threshold may take, by check: the range of the metric it limits (blur effect,
/// fractions and confidence 0–1, mean luma 0–255, perspective 0–10). Policy validation and the
/// metric tests both use it.
pub const THRESHOLD_RANGES: [(&str, f64, f64); 8] = [
    ("blurry", 0.0, 1.0),
    ("too_dark", 0.0, 255.0),
    ("overexposed", 0.0, 1.0),
    ("glare", 0.0, 1.0),
    ("not_color", 0.0, 1.0),
    ("document_not_found", 0.0, 1.0),
    ("document_too_small", 0.0, 1.0),
    ("document_tilted", 0.0, 10.0),
];

/// Limits enforced before any pixel is allocated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub max_input_bytes: u64,
    pub max_input_pixels: u64,
    pub max_input_side: u32,
}

/// A check with a numeric threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdRule {
    pub threshold: f64,
    pub severity: Severity,
    pub message: Message,
}

/// A check whose limit comes from other rules (sizes, byte budget).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub severity: Severity,
    pub message: Message,
}

/// Every check's rule for one material kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRules {
    pub resolution_too_low: Rule,
    /// Blur effect (0 sharp … 1 flat) above which a capture is blurry.
    pub blurry: ThresholdRule,
    /// Mean luma (0–255) below which a capture is too dark.
    pub too_dark: ThresholdRule,
    /// Fraction of clipped pixels above which a capture is overexposed.
    pub overexposed: ThresholdRule,
    /// Area fraction of the largest clipped patch above which there is glare.
    pub glare: ThresholdRule,
    /// Colourfulness (`Metrics::colorfulness`) below which a capture is not colour.
    pub not_color: ThresholdRule,
    /// Outline confidence (0–1) below which no document was found.
    pub document_not_found: ThresholdRule,
    /// The frame cuts the document.
    pub document_incomplete: Rule,
    /// Share of the frame below which the document is too small.
    pub document_too_small: ThresholdRule,
    /// Perspective (opposite-side ratio − 1) above which the document is too tilted.
    pub document_tilted: ThresholdRule,
    pub budget_unreachable: Rule,
}

/// What becomes of a located document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentOutput {
    /// The straightened document, cropped to its edges.
    Document,
    /// The whole frame, as photographed (the document is still located and judged).
    Frame,
}

/// How a material kind's document is found and what is kept of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRules {
    /// Locate a document at all; off for face photos and free-form material.
    pub find: bool,
    /// Flat long/short side ratios accepted: 1.586 for an ID-1 card, 1.414 for A-series paper.
    pub aspects: Vec<f64>,
    /// Relative tolerance on the ratio.
    pub aspect_tolerance: f64,
    pub output: DocumentOutput,
}

/// The face checks of a face photo: a policy turns them on for a kind by giving this table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceRules {
    /// The detector's score (SeetaFace's, above 0; about 2 and up is a face) below which a
    /// face is not believed.
    pub face_not_found: ThresholdRule,
    /// More than one face.
    pub multiple_faces: Rule,
    /// Face height as a share of the frame's height below which the face is too small.
    pub face_too_small: ThresholdRule,
    /// How far the face's centre is from where a portrait puts it (mid-width, 40 % down), as a
    /// share of half the frame, beyond which it is off centre.
    pub face_off_center: ThresholdRule,
    /// The face's box reaches the frame's edge.
    pub face_cut_off: Rule,
    /// Roll in degrees beyond which the head leans too far.
    pub face_tilted: ThresholdRule,
    /// Mean luma (0–255) of the face below which it is too dark.
    pub face_too_dark: ThresholdRule,
    /// Share of the face's pixels clipped white above which it is overexposed.
    pub face_overexposed: ThresholdRule,
    /// Share of the background beside and above the head that is dark or textured above which
    /// it is not a plain, light background.
    pub background_not_plain: ThresholdRule,
    /// The face is on a card held up to the camera.
    pub face_is_document: Rule,
}

impl FaceRules {
    /// The threshold checks' rules by name, in the order of [`FACE_THRESHOLD_RANGES`].
    pub fn thresholds(&self) -> [(&'static str, &ThresholdRule); 7] {
        [
            ("face_not_found", &self.face_not_found),
            ("face_too_small", &self.face_too_small),
            ("face_off_center", &self.face_off_center),
            ("face_tilted", &self.face_tilted),
            ("face_too_dark", &self.face_too_dark),
            ("face_overexposed", &self.face_overexposed),
            ("background_not_plain", &self.background_not_plain),
        ]
    }
}

/// The range each face threshold may take: detector score, shares 0–1 (offset 0–2), degrees,
/// luma 0–255.
pub const FACE_THRESHOLD_RANGES: [(&str, f64, f64); 7] = [
    ("face_not_found", 0.01, 100.0),
    ("face_too_small", 0.0, 1.0),
    ("face_off_center", 0.0, 2.0),
    ("face_tilted", 0.0, 90.0),
    ("face_too_dark", 0.0, 255.0),
    ("face_overexposed", 0.0, 1.0),
    ("background_not_plain", 0.0, 1.0),
];

/// Whether a document side carries its holder's portrait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Portrait {
    Present,
    Absent,
}

/// The portrait a located document must (or must not) show: an ID card's front carries one,
/// its back none; the other side is `wrong_side`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortraitRule {
    pub expect: Portrait,
    /// The detector's score at which a face on the document counts, as `face_not_found`'s.
    pub threshold: f64,
    pub severity: Severity,
    pub message: Message,
}

/// The JPEG quality range the encoder may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityRange {
    pub min: u8,
    pub max: u8,
}

/// How the photo reached the SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum CaptureSource {
    /// Taken in the app's camera screen.
    Camera,
    /// Picked from the photo library or a file.
    Gallery,
}

impl CaptureSource {
    pub const ALL: [CaptureSource; 2] = [CaptureSource::Camera, CaptureSource::Gallery];
}

fn any_source() -> Vec<CaptureSource> {
    CaptureSource::ALL.to_vec()
}

/// The resolved rules for one material kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// How a capture may reach the SDK; both when absent. A draft refuses a capture from
    /// elsewhere, and sealing a material from elsewhere (`capture_source_not_allowed`).
    #[serde(default = "any_source")]
    pub sources: Vec<CaptureSource>,
    pub formats: Vec<Format>,
    pub min_short_side: u32,
    pub min_long_side: u32,
    pub output_long_side: u32,
    pub output_max_bytes: u64,
    pub color_required: bool,
    pub jpeg_quality: QualityRange,
    pub document: DocumentRules,
    pub checks: CheckRules,
    /// Face checks, for face photos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<FaceRules>,
    /// The portrait the located document must or must not show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portrait: Option<PortraitRule>,
}


impl CheckRules {
    /// The threshold checks' rules by name, in the order of [`THRESHOLD_RANGES`].
    pub fn thresholds(&self) -> [(&'static str, &ThresholdRule); 8] {
        [
            ("blurry", &self.blurry),
            ("too_dark", &self.too_dark),
            ("overexposed", &self.overexposed),
            ("glare", &self.glare),
            ("not_color", &self.not_color),
            ("document_not_found", &self.document_not_found),
            ("document_too_small", &self.document_too_small),
            ("document_tilted", &self.document_tilted),
        ]
    }
}

/// A refusal: the field's path in the policy document and why.
type Invalid = (String, String);

fn invalid(field: impl Into<String>, reason: impl ToString) -> Invalid {
    (field.into(), reason.to_string())
}

/// Refuses 0 and anything a manifest could not carry exactly.
fn check_count(field: &str, n: u64) -> Result<(), Invalid> {
    if n == 0 || n > MAX_SAFE_INTEGER {
        return Err(invalid(field, format!("must lie between 1 and {MAX_SAFE_INTEGER} (2^53 - 1)")));
    }
    Ok(())
}

impl Limits {
    /// Every limit positive and carried exactly by a manifest.
    pub(crate) fn validate(&self) -> Result<(), Invalid> {
        check_count("limits.max_input_bytes", self.max_input_bytes)?;
        check_count("limits.max_input_pixels", self.max_input_pixels)?;
        if self.max_input_side == 0 {
            return Err(invalid("limits.max_input_side", "must be positive"));
        }
        Ok(())
    }
}

impl Rules {
    /// Sizes consistent with each other, qualities within 1–100, thresholds within
    /// [`THRESHOLD_RANGES`]; `at` is the rules' place in the document (`defaults`, …).
    pub(crate) fn validate(&self, at: &str) -> Result<(), Invalid> {
        let r = self;
        let field = |name: &str| format!("{at}.{name}");
        if r.formats.is_empty() {
            return Err(invalid(field("formats"), "must list at least one format"));
        }
        if r.sources.is_empty() {
            return Err(invalid(field("sources"), "must list at least one capture source"));
        }
        if r.min_short_side > r.min_long_side {
            return Err(invalid(field("min_short_side"), "must not exceed min_long_side"));
        }
        if r.output_long_side < r.min_long_side || r.output_long_side > u16::MAX as u32 {
            return Err(invalid(field("output_long_side"), "must lie between min_long_side and 65535"));
        }
        if !(10_000..=MAX_SAFE_INTEGER).contains(&r.output_max_bytes) {
            return Err(invalid(field("output_max_bytes"), format!("must lie between 10000 and {MAX_SAFE_INTEGER} (2^53 - 1)")));
        }
        let q = r.jpeg_quality;
        if q.min == 0 || q.min > q.max || q.max > 100 {
            return Err(invalid(field("jpeg_quality"), "needs 1 <= min <= max <= 100"));
        }
        let d = &r.document;
        if d.find && (d.aspects.is_empty() || d.aspects.iter().any(|a| !(1.0..=10.0).contains(a))) {
            return Err(invalid(field("document.aspects"), "must list at least one long/short ratio between 1 and 10"));
        }
        if !(0.0..=1.0).contains(&d.aspect_tolerance) {
            return Err(invalid(field("document.aspect_tolerance"), "must lie between 0 and 1"));
        }
        within(&field("checks"), r.checks.thresholds(), &THRESHOLD_RANGES)?;
        if let Some(face) = &r.face {
            within(&field("face"), face.thresholds(), &FACE_THRESHOLD_RANGES)?;
        }
        if let Some(p) = &r.portrait {
            if !d.find {
                return Err(invalid(field("portrait"), "needs a document to find (document.find = true)"));
            }
            let (_, lo, hi) = FACE_THRESHOLD_RANGES[0];
            if !(lo..=hi).contains(&p.threshold) {
                return Err(invalid(field("portrait.threshold"), format!("must lie between {lo} and {hi}")));
            }
        }
        Ok(())
    }
}

/// Each rule's threshold within its range, the two lists in the same order.
fn within<const N: usize>(at: &str, rules: [(&str, &ThresholdRule); N], ranges: &[(&str, f64, f64); N]) -> Result<(), Invalid> {
    for ((name, rule), (_, lo, hi)) in rules.into_iter().zip(ranges) {
        if !(*lo..=*hi).contains(&rule.threshold) {
            return Err(invalid(format!("{at}.{name}.threshold"), format!("must lie between {lo} and {hi}")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_follow_the_ranges() {
        let rules = crate::Policy::icp_default();
        let names: Vec<_> = rules.rules(crate::MaterialKind::FacePhoto).checks.thresholds().map(|(name, _)| name).into();
        assert_eq!(names, THRESHOLD_RANGES.map(|(name, ..)| name));
    }
}
