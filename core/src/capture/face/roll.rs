//! How far a face leans (its roll), from a detector that gives no landmarks: a frontal face is
//! mirror-symmetric about the line through its nose, so the face's box is looked at turned
//! through a fan of angles, and the angle at which its left half best mirrors its right is the
//! one that makes it upright. A head turned aside is not symmetric at any angle: it has no
//! roll to measure.

use super::detector::{detect_packed, Face};
use super::turn::{source_of, turned};
use crate::capture::document::plane::Plane;

/// The angles looked at: every [`STEP`] degrees up to this far either way.
const REACH: f64 = 45.0;
const STEP: f64 = 3.0;
/// Side of the view, pixels.
const VIEW: usize = 64;
/// The view's side as multiples of the face box's (the box runs from brows to chin): the
/// symmetry of both, summed, is steadier than either's.
const SPANS: [f64; 2] = [0.9, 1.1];
/// Sideways shifts of the mirror line tried, view pixels each way: the box's centre is not
/// exactly the nose's.
const SHIFT: usize = 3;
/// Below this correlation of the two halves the face is not symmetric enough to tell (a head
/// turned aside, half in shadow). On the face corpus frontal faces peak at 0.51–0.79 at their
/// roll, the man filming with his head turned three-quarters at 0.38–0.47.
const MIN_SYMMETRY: f64 = 0.5;

/// The face's roll in degrees, clockwise as displayed; `None` when no angle shows a symmetric
/// face.
pub fn roll(plane: &Plane, face: &Face) -> Option<f64> {
    let side = face.width.max(face.height);
    let steps = (REACH / STEP) as i32;
    let angles: Vec<f64> = (-steps..=steps).map(|i| i as f64 * STEP).collect();
    let raw: Vec<f64> = angles
        .iter()
        .map(|&a| SPANS.iter().map(|span| symmetry(&turned(plane, face.centre(), a, side * span / VIEW as f64, (VIEW, VIEW)))).sum::<f64>() / SPANS.len() as f64)
        .collect();
    // Smoothed along the fan: one angle's noise is not a peak.
    let scores: Vec<f64> = (0..raw.len()).map(|i| (raw[i.saturating_sub(1)] + 2.0 * raw[i] + raw[(i + 1).min(raw.len() - 1)]) / 4.0).collect();
    let best = (0..angles.len()).max_by(|&a, &b| scores[a].total_cmp(&scores[b]))?;
    if scores[best] < MIN_SYMMETRY {
        return None;
    }
    // A parabola through the best and its neighbours puts the peak between the fan's angles.
    let offset = match (best.checked_sub(1).map(|i| scores[i]), scores.get(best + 1)) {
        (Some(l), Some(&r)) if l + r < 2.0 * scores[best] => 0.5 * (l - r) / (l - 2.0 * scores[best] + r),
        _ => 0.0,
    };
    Some(angles[best] + offset.clamp(-0.5, 0.5) * STEP)
}

/// The best normalized correlation between the view's left half and its mirrored right half,
/// over small sideways shifts of the mirror line.
fn symmetry(view: &[u8]) -> f64 {
    let mut best = f64::NEG_INFINITY;
    for shift in 0..=2 * SHIFT {
        // Mirror line at column `axis` (between pixels `axis - 1` and `axis`).
        let axis = VIEW / 2 + shift - SHIFT;
        let half = axis.min(VIEW - axis);
        let (mut n, mut sl, mut sr, mut sll, mut srr, mut slr) = (0f64, 0f64, 0f64, 0f64, 0f64, 0f64);
        for row in view.chunks_exact(VIEW) {
            for k in 0..half {
                let (l, r) = (row[axis - 1 - k] as f64, row[axis + k] as f64);
                n += 1.0;
                sl += l;
                sr += r;
                sll += l * l;
                srr += r * r;
                slr += l * r;
            }
        }
        let cov = slr - sl * sr / n;
        let var = ((sll - sl * sl / n) * (srr - sr * sr / n)).sqrt();
        if var > 0.0 {
            best = best.max(cov / var);
        }
    }
    best
}

/// A face anywhere in `plane` looked at turned `degrees`, shrunk to a long side of `side`:
/// the box (axis-aligned around where the face is, in `plane`'s pixels) of the largest.
pub fn turned_search(plane: &Plane, degrees: f64, side: usize, min_score: f64) -> Option<Face> {
    let scale = plane.width.max(plane.height) as f64 / side as f64;
    let size = ((plane.width as f64 / scale) as usize, (plane.height as f64 / scale) as usize);
    if size.0.min(size.1) < super::detector::WINDOW {
        return None;
    }
    let centre = (plane.width as f64 / 2.0, plane.height as f64 / 2.0);
    let view = turned(plane, centre, degrees, scale, size);
    let found = detect_packed(&view, size.0, size.1, min_score).into_iter().max_by(|a, b| a.height.total_cmp(&b.height))?;
    let (cx, cy) = source_of(found.centre(), centre, degrees, scale, size);
    let side = found.width.max(found.height) * scale;
    Some(Face { x: cx - side / 2.0, y: cy - side / 2.0, width: side, height: side, score: found.score })
}
