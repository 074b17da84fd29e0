//! Blur: the no-reference blur effect of Crété-Roffet et al. (2007), in four directions.
//!
//! The image is blurred again with an 11-tap box filter along a direction; a sharp image loses
//! much of its gradient along that direction, a blurry one little. The measure is the share of
//! gradient that survives (0 = sharp, 1 = flat), computed along the two axes (as
//! `skimage.measure.blur_effect` does) and the two diagonals, and the worst direction is kept: a
//! motion blur along any one of them is caught even when the others look sharp.
//!
//! Unlike the original, only edge pixels count: pixels whose gradient stays under a noise floor
//! are skipped, because sensor noise is always "sharp" and would make a blurred capture look
//! crisp. A frame with no edge above the floor has no detail and measures 1.

use crate::analysis::Analysis;

const H: isize = 11;
const HALF: isize = H / 2;
/// Gradient (in the units of [`gradient`] on the ×11 plane) below which a pixel is noise:
/// a luma step of 6 between pixels two apart.
pub const EDGE_FLOOR: u32 = 6 * 4 * H as u32;

/// The blur effect of the analysis copy, from 0 (sharp) to 1 (no detail at all).
pub fn blur_effect(a: &Analysis) -> f64 {
    [(1, 0), (0, 1), (1, 1), (1, -1)]
        .into_iter()
        .map(|d| directional_blur(&a.luma, a.width, a.height, d))
        .fold(0.0, f64::max)
}

/// Blur effect along direction `d`, with gradients smoothed [1, 2, 1] across it (Sobel-like).
fn directional_blur(luma: &[u8], width: usize, height: usize, (dx, dy): (isize, isize)) -> f64 {
    let margin = HALF as usize + 2;
    if width <= 2 * margin || height <= 2 * margin {
        return 1.0;
    }
    let w = width as isize;
    let step = dy * w + dx;
    let across = dx * w - dy; // perpendicular to d
    // The image blurred along d, valid wherever the whole box lies inside the frame.
    let mut boxed = vec![0u16; luma.len()];
    for y in HALF as usize..height - HALF as usize {
        let row = y * width;
        for x in HALF as usize..width - HALF as usize {
            let i = (row + x) as isize;
            boxed[i as usize] = (-HALF..=HALF).map(|k| luma[(i + k * step) as usize] as u16).sum();
        }
    }
    let sharp_plane: Vec<u16> = luma.iter().map(|&v| v as u16 * H as u16).collect();
    let (mut sharp_total, mut lost_total) = (0u64, 0u64);
    for y in margin..height - margin {
        let row = (y * width) as isize;
        let (mut sharp_row, mut lost_row) = (0u32, 0u32);
        for x in margin..width - margin {
            let i = row + x as isize;
            let sharp = gradient(&sharp_plane, i, step, across);
            if sharp < EDGE_FLOOR {
                continue;
            }
            let blurred = gradient(&boxed, i, step, across);
            sharp_row += sharp;
            lost_row += sharp.saturating_sub(blurred);
        }
        sharp_total += sharp_row as u64;
        lost_total += lost_row as u64;
    }
    if sharp_total == 0 {
        return 1.0;
    }
    (sharp_total - lost_total) as f64 / sharp_total as f64
}

/// |Sobel-like gradient| at `i` along `step`, smoothed across it.
#[inline(always)]
fn gradient(p: &[u16], i: isize, step: isize, across: isize) -> u32 {
    let g = |o: isize| p[(o + step) as usize] as i32 - p[(o - step) as usize] as i32;
    (g(i - across) + 2 * g(i) + g(i + across)).unsigned_abs()
}
