//! Faces in a capture: the face photo's checks (one real face, large enough, centred, whole,
//! upright, well lit, on a plain light background, not on a card held up to the camera) and
//! whether a located document shows its holder's portrait (an ID card's front does, its back
//! not).
//!
//! [`detector`] finds frontal faces, [`roll`] measures how far one leans, [`measure`] its light
//! and background, [`turn`] the turned views both need.

pub mod detector;
pub mod measure;
pub mod roll;
pub mod turn;

use serde::{Deserialize, Serialize};

use crate::capture::analysis::Analysis;
use crate::capture::checks::{round, Finding};
use crate::capture::document::geometry::{Homography, Point};
use crate::capture::document::plane::Plane;
use crate::capture::document::{Detector, Outcome, Shape};
use crate::capture::rules::{FaceRules, Portrait, PortraitRule, ThresholdRule};
use crate::code::Code;
use detector::{detect, Face};

/// Where a portrait puts the face's centre, as a share of the frame's height from the top.
const PORTRAIT_EYE_LINE: f64 = 0.4;
/// A box this close to the frame's edge (share of the short side) touches it.
const EDGE: f64 = 0.01;
/// The whole frame is looked at again this far turned each way when no upright face is seen:
/// the frontal detector loses a face leaning much beyond 20°.
const TURNED: [f64; 2] = [-30.0, 30.0];
/// Long side of the turned views of the whole frame.
const TURNED_SIDE: usize = 512;
/// ID-1 cards (ISO/IEC 7810: 85.60 × 53.98 mm), as a document search looks for them.
const CARD: (f64, f64) = (1.586, 0.12);
/// A card's portrait face is this share of the card's short side (an ID card's is about 0.3).
const CARD_FACE: (f64, f64) = (0.12, 0.6);
/// The least outline confidence of a card held up: a card is traced all round, phantom
/// outlines in a room are not.
const CARD_CONFIDENCE: f64 = 0.75;
/// The most perspective (opposite-side ratio − 1) of a card held up to be photographed.
const CARD_PERSPECTIVE: f64 = 0.3;
/// How far from the card's middle, along its long side, the portrait's centre lies at least
/// (a share of the long side; an ID card's is at 0.29).
const CARD_PORTRAIT_OFFSET: f64 = 0.12;
/// Long side a located document is looked at for its portrait: the portrait box of an ID card
/// (26 × 34 mm of 85.6 × 54) then holds a face of about 80 pixels.
const PORTRAIT_SIDE: usize = 400;

/// The faces seen and what was measured on the largest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FaceReport {
    /// In the upright photo's full-resolution pixels, the largest first.
    pub faces: Vec<Face>,
    /// The largest face's height as a share of the frame's.
    pub height_share: Option<f64>,
    /// Its centre's distance from mid-width, 40 % down, as a share of half the frame (the
    /// larger of the two directions).
    pub offset: Option<f64>,
    /// How far it leans, degrees clockwise.
    pub roll: Option<f64>,
    /// Its mean luma, 0–255.
    pub luma: Option<f64>,
    /// Share of its pixels clipped white.
    pub clipped: Option<f64>,
    /// Share of the background beside and above the head that is dark or textured.
    pub background: Option<f64>,
}

impl FaceReport {
    /// The faces seen, nothing measured yet.
    fn of(faces: Vec<Face>) -> FaceReport {
        FaceReport { faces, height_share: None, offset: None, roll: None, luma: None, clipped: None, background: None }
    }
}

/// Where a face sits in a `width` × `height` frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Framing {
    /// Its height as a share of the frame's.
    pub share: f64,
    /// Its centre's distance from mid-width, 40 % down, as a share of half the frame (the
    /// larger of the two directions).
    pub offset: f64,
    /// Its box reaches the frame's edge.
    pub cut: bool,
}

impl Framing {
    pub fn of(face: &Face, width: usize, height: usize) -> Framing {
        let (w, h) = (width as f64, height as f64);
        let (cx, cy) = face.centre();
        let offset = ((cx - w / 2.0).abs() / (w / 2.0)).max((cy - PORTRAIT_EYE_LINE * h).abs() / (h / 2.0));
        let margin = EDGE * w.min(h);
        let cut = face.x < margin || face.y < margin || face.x + face.width > w - margin || face.y + face.height > h - margin;
        Framing { share: face.height / h, offset, cut }
    }
}

/// Judges the face photo whose analysis copy is `a` (of an upright `width` × `height` photo).
pub fn judge(a: &Analysis, (width, height): (u32, u32), rules: &FaceRules) -> (Vec<Finding>, FaceReport) {
    let luma = Plane::packed(&a.luma, a.width, a.height).expect("the analysis copy is packed");
    let min_score = rules.face_not_found.threshold;
    let mut faces = detect(&luma, a.width.max(a.height), min_score);
    if faces.is_empty() {
        faces.extend(TURNED.iter().find_map(|&d| detector::detect_turned(&luma, d, TURNED_SIDE, min_score)));
    }
    if faces.is_empty() {
        // A face in strong light keeps its eyes, brows and mouth but loses its shading: looked
        // at with the highlights stretched and the rest darkened, it can be found again.
        let darker: Vec<u8> = a.luma.iter().map(|&v| ((v as u32).pow(3) / (255 * 255)) as u8).collect();
        faces = detect(&Plane::packed(&darker, a.width, a.height).expect("packed"), a.width.max(a.height), min_score);
    }
    let (sx, sy) = (width as f64 / a.width as f64, height as f64 / a.height as f64);
    let mut report = FaceReport::of(faces.iter().map(|f| rounded(f.scaled(sx, sy))).collect());
    let mut findings = Vec::new();
    let Some(face) = faces.first() else {
        let rule = &rules.face_not_found;
        findings.push(Finding::flag(Code::FaceNotFound, rule.severity, &rule.message));
        return (findings, report);
    };
    let Framing { share, offset, cut } = Framing::of(face, a.width, a.height);
    // A face the frame cuts has no second half to mirror.
    let roll = if cut { None } else { roll::roll(&luma, face) };
    let (face_luma, clipped) = measure::light(&luma, face);
    let background = measure::background(a, face);
    report.height_share = Some(round(share));
    report.offset = Some(round(offset));
    report.roll = roll.map(round);
    report.luma = Some(round(face_luma));
    report.clipped = Some(round(clipped));
    report.background = background.map(round);

    if on_card(&luma, face) {
        // The face measured is the card's portrait, not the applicant's: that is all to say.
        let rule = &rules.face_is_document;
        findings.push(Finding::flag(Code::FaceIsDocument, rule.severity, &rule.message));
        return (findings, report);
    }
    if faces.len() > 1 {
        let rule = &rules.multiple_faces;
        findings.push(Finding::new(Code::MultipleFaces, rule.severity, &rule.message, faces.len() as f64, 1.0));
    }
    let mut threshold = |code, rule: &ThresholdRule, measured: f64, failed: bool| {
        if failed {
            findings.push(Finding::new(code, rule.severity, &rule.message, measured, rule.threshold));
        }
    };
    let r = rules;
    threshold(Code::FaceTooSmall, &r.face_too_small, share, share < r.face_too_small.threshold);
    threshold(Code::FaceOffCenter, &r.face_off_center, offset, offset > r.face_off_center.threshold);
    if let Some(roll) = roll {
        threshold(Code::FaceTilted, &r.face_tilted, roll.abs(), roll.abs() > r.face_tilted.threshold);
    }
    threshold(Code::FaceTooDark, &r.face_too_dark, face_luma, face_luma < r.face_too_dark.threshold);
    threshold(Code::FaceOverexposed, &r.face_overexposed, clipped, clipped > r.face_overexposed.threshold);
    if let Some(b) = background {
        threshold(Code::BackgroundNotPlain, &r.background_not_plain, b, b > r.background_not_plain.threshold);
    }
    if cut {
        findings.push(Finding::flag(Code::FaceCutOff, r.face_cut_off.severity, &r.face_cut_off.message));
    }
    (findings, report)
}

/// Whether `face` is a card's portrait: inside a whole ID-1 card outline traced with
/// confidence, seen nearly square-on, at a portrait's size and off to one end of the card (an
/// ID card's portrait sits in its outer third).
fn on_card(luma: &Plane, face: &Face) -> bool {
    let shape = Shape { aspects: vec![CARD.0], aspect_tolerance: CARD.1, min_confidence: CARD_CONFIDENCE };
    let Outcome::Found(card) = Detector::default().locate(luma, &shape) else {
        return false;
    };
    let quad = card.quad;
    let [top, right, bottom, left] = quad.sides();
    let landscape = top + bottom >= left + right;
    let short = if landscape { left + right } else { top + bottom } / 2.0;
    let rect = [Point::new(0.0, 0.0), Point::new(1.0, 0.0), Point::new(1.0, 1.0), Point::new(0.0, 1.0)];
    let (cx, cy) = face.centre();
    let Some(at) = Homography::mapping(quad.corners(), rect).and_then(|h| h.apply(Point::new(cx, cy))) else {
        return false;
    };
    let along = if landscape { at.x } else { at.y };
    let inside = (0.0..=1.0).contains(&at.x) && (0.0..=1.0).contains(&at.y);
    inside
        && quad.perspective() <= CARD_PERSPECTIVE
        && (CARD_FACE.0..=CARD_FACE.1).contains(&(face.height / short))
        && (along - 0.5).abs() >= CARD_PORTRAIT_OFFSET
}

/// Judges whether the straightened document `doc` shows a portrait as `rule` expects; the
/// faces found are mapped into the upright photo through `to_upright` (a pixel of `doc`,
/// scaled by `doc_scale`, to the upright photo). A card lies either way up: the straightened
/// copy is looked at as it is and half a turn round (a quarter turn each way when it stands
/// on its short side).
pub fn portrait(doc: &Analysis, doc_scale: f64, to_upright: &Homography, rule: &PortraitRule) -> (Option<Finding>, FaceReport) {
    let plane = Plane::packed(&doc.luma, doc.width, doc.height).expect("the analysis copy is packed");
    let (w, h) = (doc.width, doc.height);
    let turns: [f64; 2] = if w >= h { [0.0, 180.0] } else { [90.0, -90.0] };
    let scale = w.max(h) as f64 / PORTRAIT_SIDE as f64;
    let size = if w >= h { ((w as f64 / scale) as usize, (h as f64 / scale) as usize) } else { ((h as f64 / scale) as usize, (w as f64 / scale) as usize) };
    let centre = (w as f64 / 2.0, h as f64 / 2.0);
    let (mut faces, mut present) = (Vec::new(), false);
    if size.0.min(size.1) >= detector::WINDOW {
        for degrees in turns {
            let view = turn::turned(&plane, centre, degrees, scale, size);
            let found = detector::detect_packed(&view, size.0, size.1, rule.threshold);
            faces.extend(found.iter().filter_map(|f| {
                let (x0, y0) = turn::source_of((f.x, f.y), centre, degrees, scale, size);
                let (x1, y1) = turn::source_of((f.x + f.width, f.y + f.height), centre, degrees, scale, size);
                let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)].map(|(x, y)| to_upright.apply(Point::new(x * doc_scale, y * doc_scale)));
                upright_box(corners, f.score)
            }));
            present = !found.is_empty();
            if present {
                break;
            }
        }
    }
    let report = FaceReport::of(faces);
    let wrong = present != (rule.expect == Portrait::Present);
    (wrong.then(|| Finding::flag(Code::WrongSide, rule.severity, &rule.message)), report)
}

/// The axis-aligned box around four mapped corners.
fn upright_box(corners: [Option<Point>; 4], score: f64) -> Option<Face> {
    let mut b = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in corners {
        let p = p?;
        b = (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x), b.3.max(p.y));
    }
    Some(rounded(Face { x: b.0, y: b.1, width: b.2 - b.0, height: b.3 - b.1, score }))
}

fn rounded(f: Face) -> Face {
    Face { x: round(f.x), y: round(f.y), width: round(f.width), height: round(f.height), score: round(f.score) }
}
