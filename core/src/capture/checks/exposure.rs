//! Exposure: darkness, clipping, and glare (a compact blown-out patch).

use crate::capture::analysis::Analysis;

/// A pixel is clipped when all three channels are at least this bright.
pub const CLIP_LEVEL: u8 = 250;

/// Mean luma, 0–255.
pub fn mean_luma(a: &Analysis) -> f64 {
    if a.luma.is_empty() {
        return 0.0;
    }
    a.luma.iter().map(|&v| v as u64).sum::<u64>() as f64 / a.luma.len() as f64
}

/// Fraction of pixels clipped to white.
pub fn clipped_fraction(a: &Analysis) -> f64 {
    let mask = clipped_mask(a);
    if mask.is_empty() {
        return 0.0;
    }
    mask.iter().filter(|&&m| m).count() as f64 / mask.len() as f64
}

/// Area of the largest 8-connected clipped patch that does not touch the frame's edge, as a
/// fraction of the frame.
///
/// Specular glare is a solid patch of clipped white lying on the document; a bright but
/// well-exposed scene has no clipped pixels at all, scattered clipped specks (anti-aliased
/// white print, sensor noise) never join into a patch, and a blown-out background that runs
/// off the frame (a window, the sky) is not on the document.
pub fn largest_clipped_patch(a: &Analysis) -> f64 {
    let mut mask = clipped_mask(a);
    if mask.is_empty() {
        return 0.0;
    }
    let (w, h) = (a.width, a.height);
    let mut stack = Vec::new();
    let mut largest = 0usize;
    for start in 0..mask.len() {
        if !mask[start] {
            continue;
        }
        mask[start] = false;
        stack.push(start);
        let (mut area, mut on_edge) = (0usize, false);
        while let Some(i) = stack.pop() {
            area += 1;
            let (x, y) = (i % w, i / w);
            on_edge |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
            for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    let j = ny * w + nx;
                    if mask[j] {
                        mask[j] = false;
                        stack.push(j);
                    }
                }
            }
        }
        if !on_edge {
            largest = largest.max(area);
        }
    }
    largest as f64 / mask.len() as f64
}

fn clipped_mask(a: &Analysis) -> Vec<bool> {
    a.rgb.chunks_exact(3).map(|p| p[0].min(p[1]).min(p[2]) >= CLIP_LEVEL).collect()
}
