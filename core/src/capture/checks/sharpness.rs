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

use crate::capture::analysis::Analysis;
use crate::capture::intake::decode_jpeg;
use crate::capture::rules::Limits;
use crate::Error;

const H: isize = 11;
const HALF: isize = H / 2;
/// Gradient (summed luma differences on the ×11 plane) below which a pixel is noise:
/// a luma step of 6 between pixels two apart.
pub const EDGE_FLOOR: u32 = 6 * 4 * H as u32;

/// The blur effect of the analysis copy, from 0 (sharp) to 1 (no detail at all).
pub fn blur_effect(a: &Analysis) -> f64 {
    let mut boxed = vec![0u16; a.luma.len()];
    [(1, 0), (0, 1), (1, 1), (1, -1)]
        .into_iter()
        .map(|d| directional_blur(&a.luma, a.width, a.height, d, &mut boxed))
        .fold(0.0, f64::max)
}

/// Blur effect along direction `d`, with gradients smoothed [1, 2, 1] across it (Sobel-like).
/// `boxed` is scratch space of the frame's size.
fn directional_blur(luma: &[u8], width: usize, height: usize, (dx, dy): (isize, isize), boxed: &mut [u16]) -> f64 {
    let margin = HALF as usize + 2;
    if width <= 2 * margin || height <= 2 * margin {
        return 1.0;
    }
    box_along(luma, width, height, (dx, dy), boxed);
    let w = width as isize;
    let step = dy * w + dx;
    let across = dx * w - dy; // perpendicular to d
    // Row by row over equal-length slices shifted by each tap's offset, without branches, so
    // the compiler vectorizes it. The sharp plane is the luma ×H: its gradient is H times
    // the luma's, exactly.
    let n = width - 2 * margin;
    let (mut sharp_total, mut lost_total) = (0u64, 0u64);
    for y in margin..height - margin {
        let start = (y * width + margin) as isize;
        let taps = |o: isize| [o - across + step, o - across - step, o + step, o - step, o + across + step, o + across - step];
        let l = taps(start).map(|o| &luma[o as usize..][..n]);
        let b = taps(start).map(|o| &boxed[o as usize..][..n]);
        let (mut sharp_row, mut lost_row) = (0u32, 0u32);
        for x in 0..n {
            let g = |p: [i32; 6]| ((p[0] - p[1]) + 2 * (p[2] - p[3]) + (p[4] - p[5])).unsigned_abs();
            let sharp = g(l.map(|r| r[x] as i32)) * H as u32;
            let blurred = g(b.map(|r| r[x] as i32));
            // Noise-level gradients count for nothing.
            let edge = (sharp >= EDGE_FLOOR) as u32;
            sharp_row += sharp * edge;
            lost_row += sharp.saturating_sub(blurred) * edge;
        }
        sharp_total += sharp_row as u64;
        lost_total += lost_row as u64;
    }
    if sharp_total == 0 {
        return 1.0;
    }
    (sharp_total - lost_total) as f64 / sharp_total as f64
}

/// The sum of H luma values centred on each pixel along `d`, by a sliding window, wherever the
/// whole window lies inside the frame (at least HALF from every edge); elsewhere unspecified.
fn box_along(luma: &[u8], width: usize, height: usize, (dx, dy): (isize, isize), boxed: &mut [u16]) {
    let (w, half) = (width, HALF as usize);
    let full = |x: usize, y: usize| -> u16 {
        (-HALF..=HALF).map(|k| luma[(y as isize + k * dy) as usize * w + (x as isize + k * dx) as usize] as u16).sum()
    };
    for x in half..w - half {
        boxed[half * w + x] = full(x, half);
    }
    for y in half + 1..height - half {
        let (done, rest) = boxed.split_at_mut(y * w);
        let (prev, cur) = (&done[(y - 1) * w..], &mut rest[..w]);
        let (add, sub) = (&luma[(y + half) * w..][..w], &luma[(y - half - 1) * w..][..w]);
        match (dx, dy) {
            (1, 0) => {
                let row = &luma[y * w..][..w];
                cur[half] = full(half, y);
                for x in half + 1..w - half {
                    cur[x] = cur[x - 1] + row[x + half] as u16 - row[x - half - 1] as u16;
                }
            }
            // Each window is the one a row up (and a column back or on), one pixel moved.
            (0, 1) => {
                for x in half..w - half {
                    cur[x] = prev[x] + add[x] as u16 - sub[x] as u16;
                }
            }
            (1, 1) => {
                cur[half] = full(half, y);
                for x in half + 1..w - half {
                    cur[x] = prev[x - 1] + add[x + half] as u16 - sub[x - half - 1] as u16;
                }
            }
            (1, -1) => {
                cur[w - half - 1] = full(w - half - 1, y);
                for x in half..w - half - 1 {
                    cur[x] = prev[x + 1] + add[x - half] as u16 - sub[x + half + 1] as u16;
                }
            }
            _ => unreachable!("blur directions are (1, 0), (0, 1), (1, 1) and (1, -1)"),
        }
    }
}

/// Re-measures blur on an encoded output, as a server will see it, so compression cannot
/// turn an accepted capture into a blurry one unnoticed.
pub fn output_blur(jpeg: &[u8]) -> Result<f64, Error> {
    // The output is ours, so only the format's own limits apply.
    let limits = Limits { max_input_bytes: u64::MAX, max_input_pixels: u64::MAX, max_input_side: u16::MAX as u32 };
    let (image, _) = decode_jpeg(jpeg, &limits)?;
    Ok(blur_effect(&Analysis::new(&image)))
}
