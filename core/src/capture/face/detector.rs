//! Frontal faces in a luma plane: SeetaFace's funnel-structured cascade, run by the `rustface`
//! crate with its model embedded (core/models/README.md: BSD-2, 1.2 MB), so nothing is
//! downloaded at run time.
//!
//! The detector's window is [`WINDOW`] pixels and its pyramid only shrinks, so the smallest face
//! it finds is that many pixels of the plane it is given: the caller picks the plane's size
//! (and with it the smallest face and the time, about 80–100 ns a pixel here).

use std::io::Cursor;
use std::sync::OnceLock;

use rustface::{ImageData, Model};
use serde::{Deserialize, Serialize};

use super::turn::{source_of, turned};
use crate::capture::document::plane::{shrink_into, shrunk_size, Plane, ShrinkScratch};

/// SeetaFace Detection's frontal model, as shipped with rustface 0.1.7.
static MODEL: &[u8] = include_bytes!("../../../models/seeta_fd_frontal_v1.0.bin");

/// The detector's window: the smallest face it finds, in pixels of the plane it runs on.
pub const WINDOW: usize = 40;

/// A face's box and the detector's score for it (SeetaFace's last stage; above about 2 a face).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Face {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub score: f64,
}

impl Face {
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    /// The same box in a plane `sx` × `sy` times as large.
    pub fn scaled(&self, sx: f64, sy: f64) -> Face {
        Face { x: self.x * sx, y: self.y * sy, width: self.width * sx, height: self.height * sy, ..*self }
    }
}

fn model() -> &'static Model {
    static PARSED: OnceLock<Model> = OnceLock::new();
    // The embedded bytes are checked by the test `the_embedded_model_loads`.
    PARSED.get_or_init(|| rustface::read_model(Cursor::new(MODEL)).expect("the embedded face model parses"))
}

/// Finds frontal faces scoring at least `min_score` in `plane` shrunk to a long side of `side`
/// pixels; boxes in `plane`'s pixels, the largest first. Planes smaller than the window find
/// none.
pub fn detect(plane: &Plane, side: usize, min_score: f64) -> Vec<Face> {
    let (w, h) = shrunk_size(plane.width, plane.height, side);
    if w.min(h) < WINDOW {
        return vec![];
    }
    let mut small = Vec::new();
    shrink_into(plane, (w, h), &mut small, &mut ShrinkScratch::default());
    let (sx, sy) = (plane.width as f64 / w as f64, plane.height as f64 / h as f64);
    let mut faces: Vec<Face> = detect_packed(&small, w, h, min_score).into_iter().map(|f| f.scaled(sx, sy)).collect();
    faces.sort_by(|a, b| b.height.total_cmp(&a.height));
    faces
}

/// The largest face in `plane` looked at turned `degrees` clockwise and shrunk to a long side of
/// `side`: its box axis-aligned around where the face is, in `plane`'s pixels.
pub fn detect_turned(plane: &Plane, degrees: f64, side: usize, min_score: f64) -> Option<Face> {
    let scale = plane.width.max(plane.height) as f64 / side as f64;
    let size = ((plane.width as f64 / scale) as usize, (plane.height as f64 / scale) as usize);
    if size.0.min(size.1) < WINDOW {
        return None;
    }
    let centre = (plane.width as f64 / 2.0, plane.height as f64 / 2.0);
    let view = turned(plane, centre, degrees, scale, size);
    let found = detect_packed(&view, size.0, size.1, min_score).into_iter().max_by(|a, b| a.height.total_cmp(&b.height))?;
    let (cx, cy) = source_of(found.centre(), centre, degrees, scale, size);
    let side = found.width.max(found.height) * scale;
    Some(Face { x: cx - side / 2.0, y: cy - side / 2.0, width: side, height: side, score: found.score })
}

/// The detector on a packed `w` × `h` plane, at least [`WINDOW`] on each side.
pub(crate) fn detect_packed(luma: &[u8], w: usize, h: usize, min_score: f64) -> Vec<Face> {
    debug_assert!(w.min(h) >= WINDOW && luma.len() == w * h);
    // The model is shared; a detector (not `Send`, so not kept) is built per call from a copy.
    let mut detector = rustface::create_detector_with_model(model().clone());
    // rustface panics on a threshold ≤ 0; policy validation keeps it positive, this too.
    detector.set_score_thresh(min_score.max(0.01));
    detector.set_pyramid_scale_factor(0.8);
    detector.set_slide_window_step(4, 4);
    detector
        .detect(&ImageData::new(luma, w as u32, h as u32))
        .into_iter()
        .map(|f| {
            let b = f.bbox();
            Face { x: b.x() as f64, y: b.y() as f64, width: b.width() as f64, height: b.height() as f64, score: f.score() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_loads() {
        rustface::read_model(Cursor::new(MODEL)).unwrap();
    }

    #[test]
    fn planes_below_the_window_and_flat_planes_find_nothing() {
        let flat = vec![128u8; 300 * 200];
        assert!(detect(&Plane::packed(&flat, 300, 200).unwrap(), 300, 2.0).is_empty());
        let tiny = vec![0u8; 39 * 500];
        assert!(detect(&Plane::packed(&tiny, 39, 500).unwrap(), 500, 2.0).is_empty());
    }
}
