//! What is measured around a face on the analysis copy: its light, and the background around
//! the head.

use super::detector::Face;
use crate::capture::analysis::Analysis;
use crate::capture::checks::exposure::CLIP_LEVEL;
use crate::capture::document::plane::Plane;

/// A background block darker than this mean luma is not a light background.
const DARK_BLOCK: f64 = 110.0;
/// A background block whose luma varies more than this (standard deviation) is textured.
const TEXTURED_BLOCK: f64 = 12.0;

/// Mean luma of the face's box in `luma` and the share of its pixels clipped white.
pub fn light(luma: &Plane, face: &Face) -> (f64, f64) {
    let cx = |v: f64| v.round().clamp(0.0, luma.width as f64) as usize;
    let cy = |v: f64| v.round().clamp(0.0, luma.height as f64) as usize;
    let (x0, y0, x1, y1) = (cx(face.x), cy(face.y), cx(face.x + face.width), cy(face.y + face.height));
    let (mut sum, mut clipped, mut n) = (0u64, 0u64, 0u64);
    for y in y0..y1 {
        for &v in &luma.row(y)[x0..x1] {
            sum += v as u64;
            clipped += (v >= CLIP_LEVEL) as u64;
            n += 1;
        }
    }
    if n == 0 {
        return (0.0, 0.0);
    }
    (sum as f64 / n as f64, clipped as f64 / n as f64)
}

/// The share of the background beside and above the head that is dark or textured, judged in
/// blocks of about 1/48 of the frame's long side; `None` when the head leaves no background
/// block to judge. The head is the face's box (brows to chin) widened by 30 % on each side and
/// raised by 60 % for the hair; the background runs down to the chin.
pub fn background(a: &Analysis, face: &Face) -> Option<f64> {
    let block = (a.width.max(a.height) / 48).max(4);
    let head = (face.x - 0.3 * face.width, face.y - 0.6 * face.height, face.x + 1.3 * face.width);
    let chin = (face.y + face.height).min(a.height as f64);
    let (mut blocks, mut busy) = (0usize, 0usize);
    for by in (0..a.height.saturating_sub(block - 1)).step_by(block) {
        if (by + block) as f64 > chin {
            break;
        }
        for bx in (0..a.width.saturating_sub(block - 1)).step_by(block) {
            let beside = (bx + block) as f64 <= head.0 || bx as f64 >= head.2;
            if !beside && (by + block) as f64 > head.1 {
                continue;
            }
            let (mean, sd) = block_stats(a, bx, by, block);
            blocks += 1;
            busy += (mean < DARK_BLOCK || sd > TEXTURED_BLOCK) as usize;
        }
    }
    (blocks > 0).then(|| busy as f64 / blocks as f64)
}

fn block_stats(a: &Analysis, x0: usize, y0: usize, side: usize) -> (f64, f64) {
    let (mut sum, mut squares) = (0f64, 0f64);
    for y in y0..y0 + side {
        for &v in &a.luma[y * a.width + x0..y * a.width + x0 + side] {
            sum += v as f64;
            squares += (v as f64) * (v as f64);
        }
    }
    let n = (side * side) as f64;
    let mean = sum / n;
    (mean, (squares / n - mean * mean).max(0.0).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis(w: usize, h: usize, pixel: impl Fn(usize, usize) -> u8) -> Analysis {
        let rgb = (0..w * h).flat_map(|i| [pixel(i % w, i / w); 3]).collect();
        Analysis::from_rgb(w, h, rgb)
    }

    #[test]
    fn a_white_wall_is_plain_and_a_checkerboard_is_not() {
        let face = Face { x: 160.0, y: 160.0, width: 80.0, height: 80.0, score: 5.0 };
        let wall = analysis(400, 480, |_, _| 230);
        assert_eq!(background(&wall, &face), Some(0.0));
        let checks = analysis(400, 480, |x, y| if (x / 3 + y / 3) % 2 == 0 { 60 } else { 220 });
        assert_eq!(background(&checks, &face), Some(1.0));
        let dim = analysis(400, 480, |_, _| 90);
        assert_eq!(background(&dim, &face), Some(1.0));
        // A face filling the frame leaves nothing to judge.
        let big = Face { x: -20.0, y: 0.0, width: 440.0, height: 440.0, score: 5.0 };
        assert_eq!(background(&wall, &big), None);
    }

    #[test]
    fn light_is_measured_inside_the_box_only() {
        let a = analysis(200, 200, |x, y| if (50..150).contains(&x) && (50..150).contains(&y) { 255 } else { 20 });
        let plane = Plane::packed(&a.luma, a.width, a.height).unwrap();
        let (luma, clipped) = light(&plane, &Face { x: 50.0, y: 50.0, width: 100.0, height: 100.0, score: 5.0 });
        assert_eq!((luma.round(), clipped), (255.0, 1.0));
    }
}
