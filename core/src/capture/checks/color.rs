//! Colour: is this a colour original, or a black-and-white copy?
//!
//! Each pixel's chroma is measured in an opponent space (R−G, (R+G)/2−B) after removing the
//! frame's median cast, so a grey copy under a warm lamp stays grey. The measure is the share of
//! pixels whose chroma stands out, so a colour document lying on a grey table, a small part of
//! the frame, still counts as colour. Chroma is taken relative to the pixel's brightness (as
//! saturation is), so a dim colour photo stays colour and a lamp's cast, which scales with
//! brightness, is removed everywhere; clipped pixels, whose colour is lost, are not counted.

use super::exposure::CLIP_LEVEL;
use crate::capture::analysis::Analysis;

/// Chroma (in 0–255 opponent units) from which a pixel counts as coloured.
pub const CHROMA_LEVEL: i32 = 16;
/// Pixels darker than this carry too much noise to judge their colour.
const MIN_LUMA: u8 = 16;
/// Chroma is judged as if every pixel had at least this luma.
const REFERENCE_LUMA: i32 = 128;

/// Fraction of the frame's (not too dark) pixels that are distinctly coloured.
pub fn chromatic_fraction(a: &Analysis) -> f64 {
    let opponents: Vec<(i32, i32)> = a
        .rgb
        .chunks_exact(3)
        .zip(&a.luma)
        .filter(|(p, &l)| l >= MIN_LUMA && p[0].min(p[1]).min(p[2]) < CLIP_LEVEL)
        .map(|(p, &l)| {
            let (r, g, b) = (p[0] as i32, p[1] as i32, p[2] as i32);
            let light = (l as i32).max(REFERENCE_LUMA / 3);
            let gain = |c: i32| (c * REFERENCE_LUMA / light).clamp(-255, 255);
            (gain(r - g), gain((r + g) / 2 - b))
        })
        .collect();
    if opponents.is_empty() {
        return 0.0;
    }
    let cast_rg = median(opponents.iter().map(|o| o.0));
    let cast_yb = median(opponents.iter().map(|o| o.1));
    let level = CHROMA_LEVEL * CHROMA_LEVEL;
    let coloured = opponents
        .iter()
        .filter(|(rg, yb)| {
            let (u, v) = (rg - cast_rg, yb - cast_yb);
            u * u + v * v >= level
        })
        .count();
    coloured as f64 / opponents.len() as f64
}

/// Median of values in −255..=255, by histogram.
fn median(values: impl Iterator<Item = i32>) -> i32 {
    let mut histogram = [0usize; 511];
    let mut n = 0;
    for v in values {
        histogram[(v + 255) as usize] += 1;
        n += 1;
    }
    let mut seen = 0;
    for (i, count) in histogram.iter().enumerate() {
        seen += count;
        if seen * 2 >= n {
            return i as i32 - 255;
        }
    }
    0
}
