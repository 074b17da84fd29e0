//! Where the document sits in a capture: located on the analysis copy, judged against the
//! policy (found, whole, large enough, not too tilted), and the transform that straightens it.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::capture::analysis::{fit_within, Analysis};
use crate::capture::checks::{Finding, Metrics};
use crate::capture::document::geometry::{Homography, Point, Quad};
use crate::capture::document::plane::Plane;
use crate::capture::document::refine::refine;
use crate::capture::document::warp::warp_rgb;
use crate::capture::document::{centre, Detector, Outcome, Shape, Sighting, WORKING_SIDE};
use crate::capture::rules::Rules;
use crate::code::Code;

/// Focal length assumed when a quad cannot tell, as a share of the frame's long side: a phone's
/// main camera (about 26 mm equivalent).
const FOCAL_GUESS: f64 = 0.8;

/// Long side of the second, finer search of a still in which nothing was found.
const FINE_SIDE: usize = 2 * WORKING_SIDE;

/// How much better than in the luma an outline found in a colour plane must be traced.
const COLOUR_MARGIN: f64 = 0.15;

/// A located document, as reported and sealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Document {
    /// Corners in the upright photo's full-resolution pixels; outside the frame when cut off.
    pub corners: Quad,
    /// Share of the outline traced by edges, 0–1.
    pub confidence: f64,
    /// The whole document lies inside the frame.
    pub complete: bool,
    /// Share of the frame it covers.
    pub coverage: f64,
    /// Opposite-side length ratio − 1, the larger pair (0 when photographed square-on).
    pub perspective: f64,
    /// Long/short side ratio measured flat.
    pub aspect: f64,
    /// The whole frame's metrics; the report's own are the straightened document's.
    pub frame_metrics: Metrics,
    /// Output pixel → upright source pixel, row-major 3 × 3, when the output is the
    /// straightened document.
    pub transform: Option<Vec<f64>>,
}

/// The straightened document: its size and the transform into the upright source.
#[derive(Debug, Clone)]
pub struct Straight {
    /// Its size at the source's resolution (what the resolution check judges).
    pub source_size: (u32, u32),
    /// The output size: `source_size` within the policy's long side.
    pub size: (u32, u32),
    /// Output pixel → upright full-resolution source pixel.
    pub to_upright: Homography,
    /// The straightened analysis copy the checks measure.
    pub analysis: Analysis,
}

/// What locating the document found.
#[derive(Debug)]
pub struct Placement {
    pub document: Option<Document>,
    pub findings: Vec<Finding>,
    pub straight: Option<Straight>,
}

/// Locates the document of `rules` in the analysis copy `frame` of an upright
/// `width` × `height` photo.
pub fn place(frame: &Analysis, (width, height): (u32, u32), frame_metrics: &Metrics, rules: &Rules) -> Placement {
    let c = &rules.checks;
    let shape = Shape {
        aspects: rules.document.aspects.clone(),
        aspect_tolerance: rules.document.aspect_tolerance,
        min_confidence: c.document_not_found.threshold,
    };
    let (sx, sy) = (width as f64 / frame.width as f64, height as f64 / frame.height as f64);
    let mut placement = Placement { document: None, findings: vec![], straight: None };
    let (sighting, complete) = match locate(frame, &shape) {
        (Outcome::NotFound { confidence }, _) => {
            let rule = &c.document_not_found;
            placement.findings.push(Finding::new(Code::DocumentNotFound, rule.severity, &rule.message, confidence, rule.threshold));
            return placement;
        }
        (Outcome::Incomplete(s), _) => (s, false),
        (Outcome::Found(s), plane) => {
            let plane = Plane::packed(&plane, frame.width, frame.height).expect("the planes are packed");
            let reach = 1.5 * frame.width.max(frame.height) as f64 / WORKING_SIDE as f64;
            (Sighting { quad: refine(&plane, &s.quad, reach.max(2.0)), ..s }, true)
        }
    };
    let quad = sighting.quad.scaled(sx, sy);
    let long = width.max(height) as f64;
    let aspect = quad.flat_aspect(centre(width as usize, height as usize), FOCAL_GUESS * long);
    let mut document = Document {
        corners: quad,
        confidence: crate::capture::checks::round(sighting.confidence),
        complete,
        coverage: crate::capture::checks::round(sighting.coverage(frame.width, frame.height).min(1.0)),
        perspective: crate::capture::checks::round(quad.perspective()),
        aspect: crate::capture::checks::round(aspect),
        frame_metrics: *frame_metrics,
        transform: None,
    };
    if !complete {
        let rule = &c.document_incomplete;
        placement.findings.push(Finding::flag(Code::DocumentIncomplete, rule.severity, &rule.message));
        placement.document = Some(document);
        return placement;
    }
    if document.coverage < c.document_too_small.threshold {
        let rule = &c.document_too_small;
        placement.findings.push(Finding::new(Code::DocumentTooSmall, rule.severity, &rule.message, document.coverage, rule.threshold));
    }
    if document.perspective > c.document_tilted.threshold {
        let rule = &c.document_tilted;
        placement.findings.push(Finding::new(Code::DocumentTilted, rule.severity, &rule.message, document.perspective, rule.threshold));
    }
    let straight = straighten(frame, (width, height), &sighting.quad, &quad, aspect, rules);
    if let Some(s) = &straight {
        document.transform = Some(s.to_upright.0.to_vec());
    }
    placement.document = Some(document);
    placement.straight = straight;
    placement
}

/// Looks in the luma first and, when that finds nothing, in two colour-opponent planes (blue and
/// red against luma, amplified): a pink card on beige paper differs in hue more than in
/// brightness. Returns the outcome and the plane it came from.
fn locate<'a>(frame: &'a Analysis, shape: &Shape) -> (Outcome, Cow<'a, [u8]>) {
    let mut detector = Detector::default();
    let luma = Plane::packed(&frame.luma, frame.width, frame.height).expect("the analysis copy is packed");
    let outcome = detector.locate(&luma, shape);
    if !matches!(outcome, Outcome::NotFound { .. }) {
        return (outcome, Cow::Borrowed(&frame.luma));
    }
    let mut best = (outcome, Cow::Borrowed(&[][..]));
    // Hue edges are fewer and noisier than brightness edges: what they outline must be traced
    // better to be believed.
    let strict = Shape { min_confidence: shape.min_confidence + COLOUR_MARGIN, ..shape.clone() };
    for channel in [2, 0] {
        let opponent: Vec<u8> = frame
            .rgb
            .chunks_exact(3)
            .zip(&frame.luma)
            .map(|(p, &y)| (128 + 3 * (p[channel] as i32 - y as i32)).clamp(0, 255) as u8)
            .collect();
        let plane = Plane::packed(&opponent, frame.width, frame.height).expect("packed by construction");
        let outcome = detector.locate(&plane, &strict);
        let better = match (&outcome, &best.0) {
            (Outcome::Found(_), _) => true,
            (Outcome::Incomplete(_), Outcome::NotFound { .. }) => true,
            (Outcome::NotFound { confidence: a }, Outcome::NotFound { confidence: b }) => a > b,
            _ => false,
        };
        if better {
            best = (outcome, Cow::Owned(opponent));
        }
        if matches!(best.0, Outcome::Found(_)) {
            break;
        }
    }
    if let Outcome::NotFound { confidence } = best.0 {
        // A document far away is a few dozen working pixels across, its short sides too weak
        // against a busy desk: look again at twice the resolution.
        match detector.locate_at(&luma, shape, FINE_SIDE) {
            Outcome::NotFound { confidence: fine } => best.0 = Outcome::NotFound { confidence: confidence.max(fine) },
            outcome => return (outcome, Cow::Borrowed(&frame.luma)),
        }
    }
    best
}

/// The straightened document's sizes and transforms, for `quad` (in the upright source's
/// `frame_size` pixels; `in_frame` is the same in the analysis copy's) at the policy's nearest
/// aspect.
fn straighten(frame: &Analysis, frame_size: (u32, u32), in_frame: &Quad, quad: &Quad, measured: f64, rules: &Rules) -> Option<Straight> {
    let aspect = rules.document.aspects.iter().copied().min_by(|a, b| (a / measured - 1.0).abs().total_cmp(&(b / measured - 1.0).abs()))?;
    let [top, right, bottom, left] = quad.sides();
    // Never more pixels than the frame has: the memory bound of the decode holds for the warp.
    let (fw, fh) = (frame_size.0 as f64, frame_size.1 as f64);
    let long = top.max(right).max(bottom).max(left).min((fw * fh * aspect).sqrt()).round().max(1.0);
    let short = (long / aspect).round().max(1.0);
    let source_size = if top + bottom >= left + right { (long as u32, short as u32) } else { (short as u32, long as u32) };
    let size = fit_within(source_size, rules.output_long_side);
    let to_upright = onto(size, quad)?;
    let small = fit_within(size, crate::capture::analysis::ANALYSIS_LONG_SIDE);
    let to_frame = onto(small, in_frame)?;
    let rgb = warp_rgb(&frame.rgb, (frame.width as u32, frame.height as u32), &to_frame, small);
    let analysis = Analysis::from_rgb(small.0 as usize, small.1 as usize, rgb);
    Some(Straight { source_size, size, to_upright, analysis })
}

/// The transform from a `w` × `h` rectangle's pixels onto `quad`.
fn onto((w, h): (u32, u32), quad: &Quad) -> Option<Homography> {
    let (w, h) = (w as f64, h as f64);
    let rect = [Point::new(0.0, 0.0), Point::new(w, 0.0), Point::new(w, h), Point::new(0.0, h)];
    Homography::mapping(rect, quad.corners())
}
