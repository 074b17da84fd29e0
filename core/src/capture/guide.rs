//! The live capture guide: the app feeds it camera preview frames (a luma plane as CameraX's
//! `ImageAnalysis` and `AVCaptureVideoDataOutput` deliver it, with the rotation that makes it
//! upright) and it answers, per frame, one [`Hint`], the document's quad to draw over the
//! preview, and when to take the photo. The photo is then checked by the full pipeline.
//!
//! A frame is judged in this order; the first that applies is the hint:
//!
//! 1. `no_document`: the detector found no document outline it is sure of
//!    ([`GuideConfig::min_confidence`]; `more_light` instead when the
//!    frame's mean luma is below the policy's `too_dark` threshold: in the dark edges fade);
//! 2. `more_light`: the document's mean luma is below `too_dark`;
//! 3. `keep_in_frame`: the frame cuts the document (a corner outside, a side on the border);
//! 4. `hold_still`: a corner moved more than [`GuideConfig::stillness`] since the previous
//!    frame: every later measure is unreliable while the phone moves, so it comes first;
//! 5. `move_closer`: the document covers less of the frame than `document_too_small`;
//! 6. `too_tilted`: its perspective exceeds `document_tilted`;
//! 7. `reduce_glare`: more of its pixels are clipped white than the `glare` threshold;
//! 8. `ready`, or `hold_still` on a frame that has no previous one to show the camera is still.
//!
//! A face photo's guide looks for the applicant's face instead, in the frame turned upright and
//! shrunk to [`FACE_SIDE`], and answers in this order:
//!
//! 1. `no_face` (`more_light` when the frame is dark), 2. `one_face_only`, 3.
//!    `keep_face_in_frame`, 4. `more_light` / `less_light` on the face (the policy's
//!    `face_too_dark` / `face_overexposed`), 5. `hold_still` (the box's centre moved more than
//!    a tenth of the face, or than [`GuideConfig::stillness`]), 6. `move_closer` (the face under
//!    twice `face_too_small`), 7. `center_face` (`face_off_center`), 8. `ready` (or
//!    `hold_still` on a first frame).
//!
//! Its quad is the face's box. Roll, the background and a card held up are judged on the photo
//! only. The face detector allocates as it runs, so a face frame is not allocation-free.
//!
//! After [`GuideConfig::ready_frames`] consecutive `ready` frames, [`Guidance::capture`] is
//! true once; any other hint starts the count again.
//!
//! Luma and glare are sampled on a grid of at most [`SAMPLED_SIDE`] points along the long
//! side, inside the quad. Once the detector's buffers have grown to what the frames need, a
//! document frame allocates nothing (`core/tests/guide_alloc.rs` counts).

use crate::capture::checks::exposure::CLIP_LEVEL;
use crate::capture::document::geometry::{Point, Quad};
use crate::capture::document::plane::Plane;
use crate::capture::document::{Detector, Outcome, Shape};
use crate::capture::face::detector::{detect_packed, WINDOW};
use crate::capture::face::measure::light;
use crate::capture::face::turn::turned;
use crate::capture::face::Framing;
use crate::capture::rules::Rules;
use crate::{Error, Message};

/// Long side of the grid luma and glare are sampled on.
pub const SAMPLED_SIDE: usize = 320;

/// Long side of the upright copy a face is looked for in: the smallest face found is then
/// the detector's 40-pixel window, an eighth of the frame's long side.
pub const FACE_SIDE: usize = 320;

/// The guide asks for a face this many times the photo's `face_too_small` (0.2 of the height by
/// default): the photo then clears its limit with room to spare, and faces smaller than an
/// eighth of the frame, which the preview's copy is too small to find, are not what it steers to.
const GUIDE_FACE_MARGIN: f64 = 2.0;

/// How far a face box's centre may move between frames, as a share of its side, and still
/// count as still (when more than [`GuideConfig::stillness`] allows).
const FACE_JITTER: f64 = 0.1;

/// How the guide decides; `Default` gives the values below.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuideConfig {
    /// Consecutive `ready` frames before auto-capture (8: about a third of a second at 25 fps).
    pub ready_frames: i32,
    /// The most a corner may move between two frames, as a share of the frame's diagonal, for
    /// the camera to count as still (0.01: 8 pixels on a 640 × 480 frame).
    pub stillness: f64,
    /// The least outline confidence (0–1) the guide believes, when above the policy's
    /// `document_not_found` threshold (0.75: on the scripted preview frames, phantom outlines
    /// that textured wood traces score 0.51–0.57 and real cards 0.97–1.0). An outline that
    /// comes and goes over an empty desk misleads more than a card missed for a frame; the
    /// photo itself is judged with the policy's threshold.
    pub min_confidence: f64,
}

impl Default for GuideConfig {
    fn default() -> Self {
        GuideConfig { ready_frames: 8, stillness: 0.01, min_confidence: 0.75 }
    }
}

/// What the applicant should do now, in the priority order of the module's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Hint {
    NoDocument,
    MoreLight,
    KeepInFrame,
    HoldStill,
    MoveCloser,
    TooTilted,
    ReduceGlare,
    Ready,
    NoFace,
    OneFaceOnly,
    LessLight,
    CenterFace,
    KeepFaceInFrame,
}

impl Hint {
    pub const ALL: [Hint; 13] = [
        Hint::NoDocument,
        Hint::MoreLight,
        Hint::KeepInFrame,
        Hint::HoldStill,
        Hint::MoveCloser,
        Hint::TooTilted,
        Hint::ReduceGlare,
        Hint::Ready,
        Hint::NoFace,
        Hint::OneFaceOnly,
        Hint::LessLight,
        Hint::CenterFace,
        Hint::KeepFaceInFrame,
    ];

    /// Its stable snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Hint::NoDocument => "no_document",
            Hint::MoreLight => "more_light",
            Hint::KeepInFrame => "keep_in_frame",
            Hint::HoldStill => "hold_still",
            Hint::MoveCloser => "move_closer",
            Hint::TooTilted => "too_tilted",
            Hint::ReduceGlare => "reduce_glare",
            Hint::Ready => "ready",
            Hint::NoFace => "no_face",
            Hint::OneFaceOnly => "one_face_only",
            Hint::LessLight => "less_light",
            Hint::CenterFace => "center_face",
            Hint::KeepFaceInFrame => "keep_face_in_frame",
        }
    }

    /// What to show the applicant.
    pub fn message(self) -> Message {
        let (zh, en) = match self {
            Hint::NoDocument => ("请将证件放入取景框", "Point the camera at the document"),
            Hint::MoreLight => ("光线太暗，请到明亮处", "Too dark: find more light"),
            Hint::KeepInFrame => (
                "请让证件四角都在画面内",
                "Keep all four corners in the frame",
            ),
            Hint::HoldStill => ("请保持手机稳定", "Hold still"),
            Hint::MoveCloser => ("请靠近一些", "Move closer"),
            Hint::TooTilted => (
                "请将手机与证件保持平行",
                "Hold the phone parallel to the document",
            ),
            Hint::ReduceGlare => (
                "有反光，请调整角度",
                "Glare: tilt a little to avoid reflections",
            ),
            Hint::Ready => ("保持不动，即将拍摄", "Hold it there: taking the photo"),
            Hint::NoFace => ("请正对镜头，露出完整面部", "Face the camera, your whole face visible"),
            Hint::OneFaceOnly => ("画面中只能有您一人", "Only you in the picture, please"),
            Hint::LessLight => ("面部过亮，请避开强光", "Too bright on your face: move out of strong light"),
            Hint::CenterFace => ("请将面部移到画面中间", "Move your face to the middle"),
            Hint::KeepFaceInFrame => ("请让整个面部都在画面内", "Keep your whole face in the frame"),
        };
        Message::new(zh, en)
    }
}

/// The answer for one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Guidance {
    pub hint: Hint,
    /// The document's outline in the upright frame, each coordinate a share of the upright
    /// width or height (0–1; outside that range where the frame cuts it). `None` without one.
    pub quad: Option<Quad>,
    /// Consecutive `ready` frames so far, this one included.
    pub ready_count: i32,
    /// True on the frame that completes [`GuideConfig::ready_frames`]: take the photo now.
    pub capture: bool,
}

/// The guide for one material kind, kept from frame to frame.
#[derive(Debug)]
pub struct CaptureGuide {
    config: GuideConfig,
    shape: Shape,
    too_dark: f64,
    too_small: f64,
    tilted: f64,
    glare: f64,
    detector: Detector,
    /// For a face photo: the face's limits; the guide then looks for a face, not a document.
    face: Option<FaceLimits>,
    /// The previous frame's quad (the face's box, for a face) in buffer pixels (upright view
    /// pixels), and the buffer's size and rotation.
    previous: Option<(Quad, (usize, usize, u32))>,
    ready_count: i32,
}

/// The policy's face limits the guide applies.
#[derive(Debug, Clone, Copy)]
struct FaceLimits {
    min_score: f64,
    too_small: f64,
    off_center: f64,
    too_dark: f64,
    overexposed: f64,
}

impl CaptureGuide {
    /// A guide to the document `rules` describe. Refuses kinds that have no document to find
    /// and configurations that could never be still or never capture.
    pub fn new(rules: &Rules, config: GuideConfig) -> Result<CaptureGuide, Error> {
        let invalid = |name: &str, reason: &str| Error::InvalidArgument {
            name: name.into(),
            reason: reason.into(),
        };
        let face = rules.face.as_ref().map(|f| FaceLimits {
            min_score: f.face_not_found.threshold,
            too_small: (GUIDE_FACE_MARGIN * f.face_too_small.threshold).min(1.0),
            off_center: f.face_off_center.threshold,
            too_dark: f.face_too_dark.threshold,
            overexposed: f.face_overexposed.threshold,
        });
        if face.is_none() && (!rules.document.find || rules.document.aspects.is_empty()) {
            return Err(invalid(
                "kind",
                "this material has neither a document to find (its policy sets document.find = false) nor face checks",
            ));
        }
        if config.ready_frames < 1 {
            return Err(invalid("ready_frames", "must be at least 1"));
        }
        if !(config.stillness > 0.0 && config.stillness <= 1.0) {
            return Err(invalid(
                "stillness",
                "must lie in (0, 1], a share of the frame's diagonal",
            ));
        }
        if !(0.0..=1.0).contains(&config.min_confidence) {
            return Err(invalid("min_confidence", "must lie in [0, 1]"));
        }
        let c = &rules.checks;
        let shape = Shape {
            aspects: rules.document.aspects.clone(),
            aspect_tolerance: rules.document.aspect_tolerance,
            min_confidence: c.document_not_found.threshold.max(config.min_confidence),
        };
        Ok(CaptureGuide {
            config,
            shape,
            too_dark: c.too_dark.threshold,
            too_small: c.document_too_small.threshold,
            tilted: c.document_tilted.threshold,
            glare: c.glare.threshold,
            detector: Detector::default(),
            face,
            previous: None,
            ready_count: 0,
        })
    }

    /// Judges one preview frame; `rotation` is the clockwise turn (0, 90, 180 or 270 degrees)
    /// that makes `frame` upright. The detector runs on the buffer as delivered.
    pub fn analyze(&mut self, frame: &Plane, rotation: u32) -> Result<Guidance, Error> {
        if !matches!(rotation, 0 | 90 | 180 | 270) {
            return Err(Error::InvalidArgument {
                name: "rotation".into(),
                reason: format!("{rotation} is not 0, 90, 180 or 270"),
            });
        }
        let layout = (frame.width, frame.height, rotation);
        let previous = self
            .previous
            .take()
            .filter(|(_, l)| *l == layout)
            .map(|(q, _)| q);
        let (hint, quad) = match self.face {
            Some(limits) => self.face_hint(frame, rotation, &limits, previous.as_ref()),
            None => {
                let (hint, quad) = self.document_hint(frame, layout, previous.as_ref());
                (hint, quad.map(|q| upright(&q, frame.width as f64, frame.height as f64, rotation)))
            }
        };
        self.ready_count = if hint == Hint::Ready {
            self.ready_count.saturating_add(1)
        } else {
            0
        };
        Ok(Guidance {
            hint,
            quad,
            ready_count: self.ready_count,
            capture: self.ready_count == self.config.ready_frames,
        })
    }

    /// The hint for a document and its quad in buffer pixels.
    fn document_hint(&mut self, frame: &Plane, layout: (usize, usize, u32), previous: Option<&Quad>) -> (Hint, Option<Quad>) {
        match self.detector.locate(frame, &self.shape) {
            Outcome::NotFound { .. } => {
                let hint = if mean_luma(frame, None) < self.too_dark {
                    Hint::MoreLight
                } else {
                    Hint::NoDocument
                };
                (hint, None)
            }
            Outcome::Incomplete(s) => {
                self.previous = Some((s.quad, layout));
                let hint = if mean_luma(frame, Some(&s.quad)) < self.too_dark {
                    Hint::MoreLight
                } else {
                    Hint::KeepInFrame
                };
                (hint, Some(s.quad))
            }
            Outcome::Found(s) => {
                self.previous = Some((s.quad, layout));
                (self.judge(frame, &s.quad, previous), Some(s.quad))
            }
        }
    }

    /// The hint for the applicant's face, looked for in the frame turned upright and shrunk to
    /// [`FACE_SIDE`], and its box in shares of the upright frame.
    fn face_hint(&mut self, frame: &Plane, rotation: u32, f: &FaceLimits, previous: Option<&Quad>) -> (Hint, Option<Quad>) {
        let (w, h) = (frame.width, frame.height);
        let (uw, uh) = if rotation.is_multiple_of(180) { (w, h) } else { (h, w) };
        let scale = (uw.max(uh) as f64 / FACE_SIDE as f64).max(1.0);
        let size = ((uw as f64 / scale) as usize, (uh as f64 / scale) as usize);
        if size.0.min(size.1) < WINDOW {
            return (Hint::NoFace, None);
        }
        let view = turned(frame, (w as f64 / 2.0, h as f64 / 2.0), -(rotation as f64), scale, size);
        let plane = Plane::packed(&view, size.0, size.1).expect("packed by construction");
        let faces = detect_packed(&view, size.0, size.1, f.min_score);
        let Some(face) = faces.iter().max_by(|a, b| a.height.total_cmp(&b.height)) else {
            let hint = if mean_luma(&plane, None) < self.too_dark { Hint::MoreLight } else { Hint::NoFace };
            return (hint, None);
        };
        let corners = [(face.x, face.y), (face.x + face.width, face.y), (face.x + face.width, face.y + face.height), (face.x, face.y + face.height)];
        let quad = Quad::from_corners(corners.map(|(x, y)| Point::new(x, y)));
        self.previous = Some((quad, (w, h, rotation)));
        // The box snaps to the detector's window steps and pyramid levels: between two frames of
        // a still face its size and corners jump, which is not the camera moving. Its centre is
        // steadier, and allowed a tenth of its side.
        let allowed = (self.config.stillness * (size.0 as f64).hypot(size.1 as f64)).max(FACE_JITTER * face.height);
        let moved = previous.map(|p| centre_of(p).distance(centre_of(&quad)) / allowed);
        let framing = Framing::of(face, size.0, size.1);
        let (luma, clipped) = light(&plane, face);
        let hint = if faces.len() > 1 {
            Hint::OneFaceOnly
        } else if framing.cut {
            Hint::KeepFaceInFrame
        } else if luma < f.too_dark {
            Hint::MoreLight
        } else if clipped > f.overexposed {
            Hint::LessLight
        } else if moved.is_some_and(|m| m > 1.0) {
            Hint::HoldStill
        } else if framing.share < f.too_small {
            Hint::MoveCloser
        } else if framing.offset > f.off_center {
            Hint::CenterFace
        } else if moved.is_none() {
            Hint::HoldStill
        } else {
            Hint::Ready
        };
        (hint, Some(quad.scaled(1.0 / size.0 as f64, 1.0 / size.1 as f64)))
    }

    /// Forgets the previous frame and the ready count (after a photo, or when the preview
    /// restarts).
    pub fn reset(&mut self) {
        self.previous = None;
        self.ready_count = 0;
    }

    /// The hint for a whole document `quad` (buffer pixels) in `frame`.
    fn judge(&self, frame: &Plane, quad: &Quad, previous: Option<&Quad>) -> Hint {
        let (w, h) = (frame.width as f64, frame.height as f64);
        let moved = previous.map(|p| movement(p, quad) / w.hypot(h));
        if mean_luma(frame, Some(quad)) < self.too_dark {
            Hint::MoreLight
        } else if moved.is_some_and(|m| m > self.config.stillness) {
            Hint::HoldStill
        } else if quad.area() / (w * h) < self.too_small {
            Hint::MoveCloser
        } else if quad.perspective() > self.tilted {
            Hint::TooTilted
        } else if clipped_share(frame, quad) > self.glare {
            Hint::ReduceGlare
        } else if moved.is_none() {
            Hint::HoldStill
        } else {
            Hint::Ready
        }
    }
}

/// The largest distance a corner moved between `a` and `b`, pairing corners in whichever
/// cyclic order matches best (a card near 45° may swap which corner counts as top-left).
fn movement(a: &Quad, b: &Quad) -> f64 {
    let (a, b) = (a.corners(), b.corners());
    (0..4)
        .map(|shift| {
            (0..4)
                .map(|i| a[i].distance(b[(i + shift) % 4]))
                .fold(0.0, f64::max)
        })
        .fold(f64::INFINITY, f64::min)
}

/// The mean of a quad's corners.
fn centre_of(quad: &Quad) -> Point {
    let c = quad.corners();
    Point::new(c.iter().map(|p| p.x).sum::<f64>() / 4.0, c.iter().map(|p| p.y).sum::<f64>() / 4.0)
}

/// The sampling step that puts at most [`SAMPLED_SIDE`] points along the long side.
fn step(frame: &Plane) -> usize {
    frame.width.max(frame.height).div_ceil(SAMPLED_SIDE).max(1)
}

/// Calls `visit` with each sampled pixel inside `quad` (the whole frame for `None`).
fn sample(frame: &Plane, quad: Option<&Quad>, mut visit: impl FnMut(u8)) {
    let step = step(frame);
    for y in (step / 2..frame.height).step_by(step) {
        let (x0, x1) = match quad {
            None => (0, frame.width),
            Some(q) => match span(q, y as f64 + 0.5) {
                Some((a, b)) => (
                    a.max(0.0).round() as usize,
                    (b.max(0.0).round() as usize).min(frame.width),
                ),
                None => continue,
            },
        };
        let row = frame.row(y);
        let first = x0.saturating_sub(step / 2).div_ceil(step) * step + step / 2;
        for x in (first..x1).step_by(step) {
            visit(row[x]);
        }
    }
}

/// Where the row at height `y` enters and leaves the quad (for a convex quad; the outer span
/// otherwise).
fn span(quad: &Quad, y: f64) -> Option<(f64, f64)> {
    let c = quad.corners();
    let mut range: Option<(f64, f64)> = None;
    for i in 0..4 {
        let (a, b): (Point, Point) = (c[i], c[(i + 1) % 4]);
        if (a.y <= y) != (b.y <= y) {
            let x = a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x);
            range = Some(range.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))));
        }
    }
    range
}

/// Mean luma (0–255) of the sampled pixels inside `quad`, or of the frame.
fn mean_luma(frame: &Plane, quad: Option<&Quad>) -> f64 {
    let (mut sum, mut n) = (0u64, 0u64);
    sample(frame, quad, |v| {
        sum += v as u64;
        n += 1;
    });
    if n == 0 {
        0.0
    } else {
        sum as f64 / n as f64
    }
}

/// Share of the sampled pixels inside `quad` at or above [`CLIP_LEVEL`].
fn clipped_share(frame: &Plane, quad: &Quad) -> f64 {
    let (mut clipped, mut n) = (0u64, 0u64);
    sample(frame, Some(quad), |v| {
        clipped += (v >= CLIP_LEVEL) as u64;
        n += 1;
    });
    if n == 0 {
        0.0
    } else {
        clipped as f64 / n as f64
    }
}

/// `quad` in a `w` × `h` buffer, turned `rotation` degrees clockwise into the upright frame,
/// its corners reordered from the upright top-left and scaled to shares of the upright size.
fn upright(quad: &Quad, w: f64, h: f64, rotation: u32) -> Quad {
    let (uw, uh) = if rotation.is_multiple_of(180) {
        (w, h)
    } else {
        (h, w)
    };
    let turn = |p: Point| match rotation {
        90 => Point::new(h - p.y, p.x),
        180 => Point::new(w - p.x, h - p.y),
        270 => Point::new(p.y, w - p.x),
        _ => p,
    };
    let turned = Quad::from_corners(quad.corners().map(turn));
    // A clockwise turn keeps the corners clockwise; the one now nearest the top-left leads.
    let lead = (0..4).min_by(|&i, &j| {
        let (a, b) = (turned.corners()[i], turned.corners()[j]);
        (a.x + a.y).total_cmp(&(b.x + b.y))
    });
    let mut corners = turned.corners();
    corners.rotate_left(lead.unwrap_or(0));
    Quad::from_corners(corners).scaled(1.0 / uw, 1.0 / uh)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quad(points: [(f64, f64); 4]) -> Quad {
        Quad::from_corners(points.map(|(x, y)| Point::new(x, y)))
    }

    fn assert_close(a: Quad, b: Quad) {
        let near = a.corners().iter().zip(b.corners()).all(|(p, q)| p.distance(q) < 1e-12);
        assert!(near, "{a:?} is not {b:?}");
    }

    #[test]
    fn a_quarter_turn_maps_buffer_corners_onto_the_upright_frame() {
        // A 40 × 20 buffer turned 90° clockwise is 20 wide and 40 tall; buffer (x, y) lands at
        // upright (20 - y, x), so the buffer's bottom-left leads.
        let q = quad([(10.0, 2.0), (30.0, 2.0), (30.0, 12.0), (10.0, 12.0)]);
        assert_close(upright(&q, 40.0, 20.0, 90), quad([(0.4, 0.25), (0.9, 0.25), (0.9, 0.75), (0.4, 0.75)]));
        assert_close(upright(&q, 40.0, 20.0, 0), q.scaled(1.0 / 40.0, 1.0 / 20.0));
        assert_close(upright(&q, 40.0, 20.0, 180), quad([(0.25, 0.4), (0.75, 0.4), (0.75, 0.9), (0.25, 0.9)]));
        assert_close(upright(&q, 40.0, 20.0, 270), quad([(0.1, 0.25), (0.6, 0.25), (0.6, 0.75), (0.1, 0.75)]));
    }

    #[test]
    fn sampling_stays_inside_the_quad_and_off_the_padding() {
        // 8 × 4 with a stride of 10: a bright square at x 2..6, padding 255 never sampled.
        let mut data = vec![255u8; 10 * 4];
        for y in 0..4 {
            for x in 0..8 {
                data[y * 10 + x] = if (2..6).contains(&x) { 200 } else { 0 };
            }
        }
        let plane = Plane::new(&data, 8, 4, 10).unwrap();
        let inside = quad([(2.0, 0.0), (6.0, 0.0), (6.0, 4.0), (2.0, 4.0)]);
        assert_eq!(mean_luma(&plane, Some(&inside)), 200.0);
        assert_eq!(mean_luma(&plane, None), 100.0);
        assert_eq!(clipped_share(&plane, &inside), 0.0);
        assert_eq!(span(&inside, 10.0), None);
    }

    #[test]
    fn movement_pairs_corners_in_the_best_cyclic_order() {
        let a = quad([(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]);
        let relabelled = quad([(10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]);
        assert_eq!(movement(&a, &relabelled), 0.0);
        assert_eq!(movement(&a, &a.scaled(1.0, 1.2)), 2.0);
    }
}
