//! How far a face leans (its roll), from a detector that gives no landmarks: a frontal face is
//! mirror-symmetric about the line through its nose, so the face's box is looked at turned
//! through a fan of angles, and the angle at which its left half best mirrors its right is the
//! one that makes it upright. A head turned aside is not symmetric at any angle: it has no
//! roll to measure.

use super::detector::Face;
use super::turn::turned;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A drawn face (eyes, brows, a nose and a mouth on an oval) leaning `degrees` clockwise.
    fn leaning(degrees: f64) -> Vec<u8> {
        let (sin, cos) = degrees.to_radians().sin_cos();
        (0..200 * 200)
            .map(|i| {
                let (x, y) = ((i % 200) as f64 - 100.0, (i / 200) as f64 - 100.0);
                // Into the face's own frame: turn back by the lean.
                let (u, v) = (x * cos + y * sin, -x * sin + y * cos);
                let blob = |cx: f64, cy: f64, rx: f64, ry: f64| ((u - cx) / rx).powi(2) + ((v - cy) / ry).powi(2) < 1.0;
                if blob(-22.0, -15.0, 9.0, 5.0) || blob(22.0, -15.0, 9.0, 5.0) || blob(0.0, 30.0, 16.0, 4.0) {
                    40
                } else if blob(-22.0, -30.0, 12.0, 2.5) || blob(22.0, -30.0, 12.0, 2.5) || blob(0.0, 8.0, 4.0, 10.0) {
                    90
                } else if blob(0.0, 0.0, 48.0, 62.0) {
                    190
                } else {
                    120
                }
            })
            .collect()
    }

    #[test]
    fn the_roll_is_the_lean_of_a_symmetric_face() {
        let face = Face { x: 55.0, y: 50.0, width: 90.0, height: 90.0, score: 5.0 };
        for lean in [0.0, 12.0, -20.0, 30.0] {
            let data = leaning(lean);
            let measured = roll(&Plane::packed(&data, 200, 200).unwrap(), &face).expect("a symmetric face");
            assert!((measured - lean).abs() < 3.0, "leaning {lean}°, measured {measured}°");
        }
        // Half the face dark: nothing mirrors, no roll.
        let mut half = leaning(0.0);
        half.chunks_exact_mut(200).for_each(|row| row[100..].iter_mut().for_each(|v| *v = 255 - *v / 3));
        assert_eq!(roll(&Plane::packed(&half, 200, 200).unwrap(), &face), None);
    }
}
