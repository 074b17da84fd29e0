//! Colour: is this a colour original, or a black-and-white copy?
//!
//! A black-and-white copy has one grey value per point. Whatever light it is photographed under
//! (a warm lamp, a cool window, a green fluorescent tube, a channel clipped in the highlights),
//! each of its colour channels is then a function of that grey value alone, so its chroma is a
//! function of its luma. A colour original has chroma its luma does not predict: a red emblem
//! and a grey stone of the same brightness differ in colour.
//!
//! So the measure first learns the region's cast: how far each channel departs from luma, as a
//! smooth function of luma that vanishes in black, fitted by least squares over small blocks, the
//! blocks that stray far from the first fits left out, so a colour print does not bend the cast
//! towards itself. It then measures, block by block, how far the chroma departs from the chroma
//! the cast predicts at the block's own pixels' luma (a dim block's as if it were lit to
//! mid-grey). Blocks average away sensor noise, JPEG chroma bleeding and demosaicing fringes at
//! text edges; a coloured print survives them. The region is whatever the caller gives: the
//! whole frame today, the straightened document once it is found.

use super::exposure::CLIP_LEVEL;
use crate::capture::analysis::Analysis;

/// Side of the square blocks chroma is compared over, in analysis pixels.
const BLOCK: usize = 8;
/// Pixels darker than this carry too much noise to judge their colour.
const MIN_LUMA: u8 = 16;
/// Residual chroma (0–255 opponent units) a grey print reaches through noise, compression and
/// an imperfect cast fit: a block this far from the cast counts for nothing…
const NOISE_LEVEL: f32 = 12.0;
/// …and a block this far counts fully as coloured.
const COLOUR_LEVEL: f32 = 48.0;
/// The cast is refitted on the blocks within this distance of the previous fit.
const TRIM_LEVEL: f32 = 2.0 * NOISE_LEVEL;
/// Chroma of blocks darker than this luma is scaled up to it (at most threefold).
const MID_LUMA: f32 = 128.0;
/// Weight of the prior that the cast's curvature is 0, as a share of the blocks fitted.
const CURVATURE_PRIOR: f64 = 0.02;

/// Colourfulness, 0–1: the share of the region's blocks whose chroma departs from what their
/// luma predicts under the region's own cast, a block counting from 0 (within `NOISE_LEVEL`) to
/// 1 (beyond `COLOUR_LEVEL`). A black-and-white copy under any coloured light measures about 0;
/// a colour original measures the area of its colour prints, photos and seals.
pub fn colorfulness(a: &Analysis) -> f64 {
    let blocks = blocks(a);
    if blocks.is_empty() {
        return 0.0;
    }
    let mut cast = Cast::fit(&blocks, None);
    for _ in 0..2 {
        cast = Cast::fit(&blocks, Some(&cast));
    }
    let sum: f64 = blocks
        .iter()
        .map(|b| {
            let (rg, yb) = cast.predict_block(a, b);
            // A dim block's chroma is judged as if it were lit to mid-grey, as saturation is.
            let gain = (MID_LUMA / (b.luma * 255.0).max(MID_LUMA / 3.0)).max(1.0);
            let r = gain * (b.rg - rg).hypot(b.yb - yb);
            ((r - NOISE_LEVEL) / (COLOUR_LEVEL - NOISE_LEVEL)).clamp(0.0, 1.0) as f64
        })
        .sum();
    sum / blocks.len() as f64
}

/// One block's position, the count of its usable pixels, and their mean luma (0–1), channels and
/// opponent chroma (R−G, (R+G)/2−B).
struct Block {
    x: usize,
    y: usize,
    n: f32,
    luma: f32,
    rgb: [f32; 3],
    rg: f32,
    yb: f32,
    /// No usable pixel has a clipped channel, so the block shows the cast undistorted.
    clean: bool,
}

/// Calls `f` with (RGB, luma) for each usable (not too dark) pixel of the block at (`x`, `y`).
fn for_block_pixels(a: &Analysis, x: usize, y: usize, mut f: impl FnMut(&[u8], u8)) {
    for row in y * BLOCK..(y + 1) * BLOCK {
        let start = row * a.width + x * BLOCK;
        for (p, &l) in a.rgb[start * 3..(start + BLOCK) * 3].chunks_exact(3).zip(&a.luma[start..start + BLOCK]) {
            if l >= MIN_LUMA {
                f(p, l);
            }
        }
    }
}

/// Every block (whole blocks only) with at least half its pixels usable.
fn blocks(a: &Analysis) -> Vec<Block> {
    let (bw, bh) = (a.width / BLOCK, a.height / BLOCK);
    let mut out = Vec::with_capacity(bw * bh);
    for y in 0..bh {
        for x in 0..bw {
            let (mut n, mut luma, mut rgb, mut clean) = (0u32, 0u32, [0u32; 3], true);
            for_block_pixels(a, x, y, |p, l| {
                n += 1;
                luma += l as u32;
                (0..3).for_each(|c| rgb[c] += p[c] as u32);
                clean &= p[0].max(p[1]).max(p[2]) < CLIP_LEVEL;
            });
            if (n as usize) * 2 < BLOCK * BLOCK {
                continue;
            }
            let n = n as f32;
            let rgb = rgb.map(|s| s as f32 / n);
            let (rg, yb) = opponents(rgb);
            out.push(Block { x, y, n, luma: luma as f32 / n / 255.0, rgb, rg, yb, clean });
        }
    }
    out
}

fn opponents([r, g, b]: [f32; 3]) -> (f32, f32) {
    (r - g, (r + g) / 2.0 - b)
}

/// The cast: each channel's departure from luma as a function of luma `t` (0–1),
/// t · (a + b·t) — proportional to the light, as a lamp's tint is, with a little curvature for a
/// camera's tone curve — fitted where nothing is clipped; and the chroma it predicts at every luma
/// value, the channels clipped as a camera clips them.
struct Cast {
    rg: [f32; 256],
    yb: [f32; 256],
}

impl Cast {
    /// Least-squares fit over the clean blocks, or over those within `TRIM_LEVEL` of `previous`.
    /// The curvature is held back by a prior of `CURVATURE_PRIOR` blocks' weight, so that a few
    /// clusters of flat colour (paper, text, a seal) cannot each be met by a bent curve. Without
    /// any clean block the cast is neutral grey.
    fn fit(blocks: &[Block], previous: Option<&Cast>) -> Cast {
        let (mut n, mut t2, mut t3, mut t4) = (0f64, 0f64, 0f64, 0f64);
        let mut sums = [[0f64; 2]; 3];
        for b in blocks.iter().filter(|b| b.clean) {
            if let Some(cast) = previous {
                let at = (b.luma * 255.0).round() as usize;
                if (b.rg - cast.rg[at]).hypot(b.yb - cast.yb[at]) > TRIM_LEVEL {
                    continue;
                }
            }
            let t = b.luma as f64;
            n += 1.0;
            t2 += t * t;
            t3 += t * t * t;
            t4 += t * t * t * t;
            for (s, v) in sums.iter_mut().zip(b.rgb) {
                let departure = v as f64 - 255.0 * t;
                s[0] += t * departure;
                s[1] += t * t * departure;
            }
        }
        let (m11, m12, m22) = (t2, t3, t4 + CURVATURE_PRIOR * n);
        let det = m11 * m22 - m12 * m12;
        let coefficients = sums.map(|[y1, y2]| {
            if det > 0.0 {
                [(y1 * m22 - y2 * m12) / det, (m11 * y2 - m12 * y1) / det]
            } else {
                [0.0, 0.0]
            }
        });
        let mut cast = Cast { rg: [0.0; 256], yb: [0.0; 256] };
        for l in 0..256 {
            let t = l as f64 / 255.0;
            let rgb = coefficients.map(|[a, b]| (255.0 * t + t * (a + b * t)).clamp(0.0, 255.0) as f32);
            (cast.rg[l], cast.yb[l]) = opponents(rgb);
        }
        cast
    }

    /// The mean chroma the cast predicts for the block's usable pixels, each at its own luma.
    fn predict_block(&self, a: &Analysis, b: &Block) -> (f32, f32) {
        let (mut rg, mut yb) = (0.0, 0.0);
        for_block_pixels(a, b.x, b.y, |_, l| {
            rg += self.rg[l as usize];
            yb += self.yb[l as usize];
        });
        (rg / b.n, yb / b.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MaterialKind, Policy};
    use hexin_testing::synthetic::*;
    use image::RgbImage;

    const W: u32 = 1024;
    const H: u32 = 768;

    fn threshold() -> f64 {
        Policy::icp_default().rules(MaterialKind::IdCardBack).checks.not_color.threshold
    }

    fn measure(img: &RgbImage) -> f64 {
        colorfulness(&Analysis::new(img))
    }

    fn shot(img: RgbImage, seed: u64) -> RgbImage {
        noisy(img, 3.0, seed)
    }

    const WARM: [f32; 3] = [1.2, 1.0, 0.72];
    const COOL: [f32; 3] = [0.85, 0.98, 1.25];
    const GREEN: [f32; 3] = [0.85, 1.15, 0.8];

    /// All but the JPEG 60 copy passed the former measure (share of pixels with chroma off the
    /// frame's median cast: 0.008–0.074 against its 0.008): a cast that is not proportional to
    /// brightness, or clips a channel on the paper, made a grey copy look coloured.
    #[test]
    fn black_and_white_copies_under_coloured_light_are_not_colour() {
        let copy = grayscale(&document(Scene::new(W, H)), 0.0);
        let cases = [
            ("no cast", shot(copy.clone(), 1)),
            ("warm lamp", shot(grayscale(&document(Scene::new(W, H)), 0.25), 2)),
            ("warm light", shot(tint(&copy, WARM), 3)),
            ("cool light", shot(tint(&copy, COOL), 4)),
            ("green light", shot(tint(&copy, GREEN), 5)),
            ("JPEG 60", recompressed(&shot(copy.clone(), 6), 60)),
            ("warm light, JPEG 30", recompressed(&shot(tint(&copy, WARM), 7), 30)),
            ("green light, JPEG 40", recompressed(&shot(tint(&copy, GREEN), 8), 40)),
        ];
        for (name, img) in cases {
            let c = measure(&img);
            assert!(c < threshold() / 2.0, "{name}: {c}");
        }
    }

    /// A colour original with little colour: the pale back of an ID card (grey-blue, a faint
    /// guilloche, one small emblem) on grey gravel, and colour documents under strong casts.
    #[test]
    fn colour_originals_with_little_colour_are_colour() {
        let document = document(Scene::new(W, H));
        let back = pale_card_back(Scene::new(W, H));
        let small_back = pale_card_back(Scene { card_share: 0.5, ..Scene::new(W, H) });
        let cases = [
            ("ID front", shot(document.clone(), 11)),
            ("small ID front", shot(self::document(Scene { card_share: 0.4, ..Scene::new(W, H) }), 12)),
            ("ID front under very warm light", shot(tint(&document, [1.25, 1.0, 0.65]), 13)),
            ("ID front under warm light, JPEG 40", recompressed(&shot(tint(&document, WARM), 14), 40)),
            ("pale back on gravel", shot(back.clone(), 15)),
            ("pale back, half the frame wide", shot(small_back.clone(), 16)),
            ("pale back, low noise", noisy(small_back.clone(), 1.0, 17)),
            ("pale back under warm light", shot(tint(&back, WARM), 18)),
            ("pale back, JPEG 40", recompressed(&shot(small_back, 19), 40)),
        ];
        for (name, img) in cases {
            let c = measure(&img);
            assert!(c > 2.0 * threshold(), "{name}: {c}");
        }
    }

    #[test]
    fn nothing_to_judge_measures_zero() {
        let grey = RgbImage::from_pixel(64, 48, image::Rgb([120, 120, 120]));
        let white = RgbImage::from_pixel(64, 48, image::Rgb([255, 255, 255]));
        let black = RgbImage::from_pixel(64, 48, image::Rgb([4, 0, 8]));
        let tiny = RgbImage::from_pixel(7, 7, image::Rgb([200, 0, 0]));
        for img in [grey, white, black, tiny] {
            assert_eq!(measure(&img), 0.0);
        }
        assert_eq!(measure(&gravel(W, H, 3)), 0.0, "grey gravel is not colour");
    }

    #[test]
    fn colours_of_one_brightness_are_colour() {
        // Red, green and blue stripes of about the same luma: no cast predicts all three.
        let img = RgbImage::from_fn(96, 48, |x, _| image::Rgb(match x / 32 {
            0 => [200, 60, 60],
            1 => [40, 130, 40],
            _ => [90, 100, 230],
        }));
        let c = measure(&img);
        assert!(c > 0.6, "{c}");
    }

    #[test]
    fn a_red_seal_on_cream_paper_is_colour() {
        // Three flat clusters (paper, text, seal), as a scanned licence: the cast must not bend
        // through the seal.
        let img = RgbImage::from_fn(800, 600, |x, y| {
            let (dx, dy) = (x as f32 - 600.0, y as f32 - 420.0);
            let ring = ((dx * dx + dy * dy).sqrt() - 70.0).abs() < 5.0;
            let text = y % 40 < 4 && x > 80 && x < 500;
            image::Rgb(if ring { [200, 30, 36] } else if text { [30, 30, 32] } else { [240, 234, 220] })
        });
        let c = measure(&noisy(img, 2.0, 1));
        assert!(c > 2.0 * threshold(), "{c}");
    }
}
