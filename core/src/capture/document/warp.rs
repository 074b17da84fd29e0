//! Straightening: every output pixel sampled from the source through a homography, bilinear
//! (fixed-point positions and weights, 1/256 pixel), with sub-samples averaged where the output
//! is much smaller than the source region.

use super::geometry::{Homography, Point};

/// Bits of sub-pixel precision in the bilinear weights.
const FRAC: u32 = 8;
const ONE: u32 = 1 << FRAC;
/// Output pixels per run along a row: source positions are computed exactly at a run's ends and
/// stepped linearly in between.
const RUN: usize = 64;
/// Width of the column strips the output is made in when its rows run down the source's
/// columns (a 90° turn): each source row is then read in short steps by consecutive output rows
/// while it is in cache, instead of once per output row.
const STRIP: usize = 16;

/// Samples interleaved RGB `src` (`width` × `height`) into a `out_w` × `out_h` image whose
/// pixel centres map to the source through `to_source`. Points outside the source take its
/// nearest edge pixel.
pub fn warp_rgb(src: &[u8], (width, height): (u32, u32), to_source: &Homography, (out_w, out_h): (u32, u32)) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let (ow, oh) = (out_w as usize, out_h as usize);
    let centre = Point::new(out_w as f64 / 2.0, out_h as f64 / 2.0);
    // Source pixels per output pixel near the centre: how many sub-samples to average.
    let stretch = match (to_source.apply(centre), to_source.apply(Point::new(centre.x + 1.0, centre.y + 1.0))) {
        (Some(a), Some(b)) => a.distance(b) / std::f64::consts::SQRT_2,
        _ => 1.0,
    };
    let n = (stretch / 1.5).ceil().clamp(1.0, 4.0) as usize;
    // Sub-sample offsets within an output pixel; each sample's channels come out scaled by
    // ONE², their sum by n² more.
    let offsets: Vec<(f64, f64)> =
        (0..n * n).map(|s| (((s % n) as f64 + 0.5) / n as f64, ((s / n) as f64 + 0.5) / n as f64)).collect();
    let scale = (n * n) as u32 * ONE * ONE;
    let m = to_source.0;
    let (lim_x, lim_y) = ((w as i64 - 1) << 16, (h as i64 - 1) << 16);
    let mut out = vec![0u8; ow * oh * 3];
    // Output rows along source rows are made whole, in order (the source streams through the
    // cache); rows down source columns in strips.
    let strip = if m[0].abs() >= m[3].abs() { ow } else { STRIP };
    let mut acc = [0u32; RUN * 3];
    for left in (0..ow).step_by(strip) {
        let right_end = (left + strip).min(ow);
        for oy in 0..oh {
            for tx in (left..right_end).step_by(RUN) {
                let len = (tx + RUN).min(right_end) - tx;
                acc[..len * 3].fill(0);
                for &(dx, dy) in &offsets {
                    let y = oy as f64 + dy;
                    let (cx, cy, cq) = (m[1] * y + m[2], m[4] * y + m[5], m[7] * y + m[8]);
                    // The source position of output point (x, y) less half a pixel (the pixel
                    // centres' grid), in 1/65536 pixel.
                    let at = |x: f64| {
                        let q = m[6] * x + cq;
                        let r = if q.abs() > 1e-12 { 1.0 / q } else { 0.0 };
                        let fixed = |v: f64| ((v * r - 0.5).clamp(-1e9, 1e9) * 65536.0) as i64;
                        (fixed(m[0] * x + cx), fixed(m[3] * x + cy))
                    };
                    // Exact at the run's two ends and linear in between: over a run a
                    // document's homography bends by far less than the weights resolve.
                    let x = tx as f64 + dx;
                    let ((mut px, mut py), (bx, by)) = (at(x), at(x + len as f64));
                    let (step_x, step_y) = ((bx - px) / len as i64, (by - py) / len as i64);
                    for a in acc[..len * 3].chunks_exact_mut(3) {
                        let (fx, fy) = (px.clamp(0, lim_x), py.clamp(0, lim_y));
                        (px, py) = (px + step_x, py + step_y);
                        let (x0, y0) = ((fx >> 16) as usize, (fy >> 16) as usize);
                        let ax = (((fx & 0xFFFF) + 128) >> 8) as u32;
                        let ay = (((fy & 0xFFFF) + 128) >> 8) as u32;
                        let next = if x0 + 1 < w { 3 } else { 0 };
                        let below = if y0 + 1 < h { 3 * w } else { 0 };
                        let i = (y0 * w + x0) * 3;
                        let p = &src[i..i + below + next + 3];
                        let weights = [(ONE - ax) * (ONE - ay), ax * (ONE - ay), (ONE - ax) * ay, ax * ay];
                        for c in 0..3 {
                            a[c] += p[c] as u32 * weights[0]
                                + p[c + next] as u32 * weights[1]
                                + p[c + below] as u32 * weights[2]
                                + p[c + below + next] as u32 * weights[3];
                        }
                    }
                }
                let row = &mut out[(oy * ow + tx) * 3..(oy * ow + tx + len) * 3];
                if n == 1 {
                    row.iter_mut().zip(&acc).for_each(|(p, &a)| *p = ((a + scale / 2) >> (2 * FRAC)) as u8);
                } else {
                    row.iter_mut().zip(&acc).for_each(|(p, &a)| *p = ((a + scale / 2) / scale) as u8);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_warp_copies_and_a_shift_moves() {
        let (w, h) = (7u32, 5u32);
        let src: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
        assert_eq!(warp_rgb(&src, (w, h), &Homography::IDENTITY, (w, h)), src);
        let shifted = warp_rgb(&src, (w, h), &Homography([1.0, 0.0, 2.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0]), (3, 2));
        for y in 0..2usize {
            for x in 0..3usize {
                let s = ((y + 1) * w as usize + x + 2) * 3;
                assert_eq!(&shifted[(y * 3 + x) * 3..][..3], &src[s..s + 3]);
            }
        }
    }

    /// Bilinear at every output pixel centre, in floating point: what the fixed-point stepping
    /// must reproduce.
    fn exact(src: &[u8], (w, h): (usize, usize), t: &Homography, (ow, oh): (usize, usize)) -> Vec<u8> {
        let mut out = Vec::with_capacity(ow * oh * 3);
        for oy in 0..oh {
            for ox in 0..ow {
                let p = t.apply(Point::new(ox as f64 + 0.5, oy as f64 + 0.5)).expect("in front of the camera");
                let (fx, fy) = ((p.x - 0.5).clamp(0.0, (w - 1) as f64), (p.y - 0.5).clamp(0.0, (h - 1) as f64));
                let (x0, y0) = (fx as usize, fy as usize);
                let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
                let (ax, ay) = (fx - x0 as f64, fy - y0 as f64);
                for c in 0..3 {
                    let at = |x: usize, y: usize| src[(y * w + x) * 3 + c] as f64;
                    let top = at(x0, y0) * (1.0 - ax) + at(x1, y0) * ax;
                    let bottom = at(x0, y1) * (1.0 - ax) + at(x1, y1) * ax;
                    out.push((top * (1.0 - ay) + bottom * ay + 0.5) as u8);
                }
            }
        }
        out
    }

    #[test]
    fn fixed_point_stepping_matches_exact_bilinear_under_perspective_and_turns() {
        // A smooth source with detail (bilinear rounding, not aliasing, is what is compared).
        let (w, h) = (300usize, 200usize);
        let src: Vec<u8> = (0..w * h * 3)
            .map(|i| {
                let (x, y, c) = ((i / 3 % w) as f64, (i / 3 / w) as f64, i % 3);
                (127.5 + 120.0 * ((x * 0.21 + c as f64).sin() * (y * 0.13).cos())) as u8
            })
            .collect();
        let rect = |w: f64, h: f64| [Point::new(0.0, 0.0), Point::new(w, 0.0), Point::new(w, h), Point::new(0.0, h)];
        // A strongly tilted document (the far edge 40 % shorter), the same turned a quarter, and
        // a slight upscale; outputs no smaller than the source region, so one sample per pixel.
        let quads = [
            [Point::new(60.0, 20.0), Point::new(240.0, 20.0), Point::new(290.0, 190.0), Point::new(10.0, 190.0)],
            [Point::new(290.0, 10.0), Point::new(290.0, 190.0), Point::new(10.0, 160.0), Point::new(10.0, 40.0)],
            [Point::new(20.5, 30.25), Point::new(120.5, 32.0), Point::new(118.0, 100.75), Point::new(21.0, 99.0)],
        ];
        for (k, quad) in quads.into_iter().enumerate() {
            let size = (320usize, 210usize);
            let t = Homography::mapping(rect(size.0 as f64, size.1 as f64), quad).expect("a proper quad");
            let fast = warp_rgb(&src, (w as u32, h as u32), &t, (size.0 as u32, size.1 as u32));
            let slow = exact(&src, (w, h), &t, size);
            let worst = fast.iter().zip(&slow).map(|(&a, &b)| (a as i32 - b as i32).abs()).max().unwrap();
            assert!(worst <= 1, "quad {k}: off by {worst}");
        }
    }
}
