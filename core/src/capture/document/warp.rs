//! Straightening: every output pixel sampled from the source through a homography, bilinear,
//! with sub-samples averaged where the output is much smaller than the source region.

use super::geometry::{Homography, Point};

/// Samples interleaved RGB `src` (`width` × `height`) into a `out_w` × `out_h` image whose
/// pixel centres map to the source through `to_source`. Points outside the source take its
/// nearest edge pixel.
pub fn warp_rgb(src: &[u8], (width, height): (u32, u32), to_source: &Homography, (out_w, out_h): (u32, u32)) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let centre = Point::new(out_w as f64 / 2.0, out_h as f64 / 2.0);
    // Source pixels per output pixel near the centre: how many sub-samples to average.
    let stretch = match (to_source.apply(centre), to_source.apply(Point::new(centre.x + 1.0, centre.y + 1.0))) {
        (Some(a), Some(b)) => a.distance(b) / std::f64::consts::SQRT_2,
        _ => 1.0,
    };
    let n = (stretch / 1.5).ceil().clamp(1.0, 4.0) as usize;
    let weight = 1.0 / (n * n) as f32;
    let mut out = vec![0u8; out_w as usize * out_h as usize * 3];
    let m = &to_source.0;
    for (oy, row) in out.chunks_exact_mut(out_w as usize * 3).enumerate() {
        for (ox, px) in row.chunks_exact_mut(3).enumerate() {
            let mut acc = [0f32; 3];
            for s in 0..n * n {
                let x = ox as f64 + ((s % n) as f64 + 0.5) / n as f64;
                let y = oy as f64 + ((s / n) as f64 + 0.5) / n as f64;
                let q = m[6] * x + m[7] * y + m[8];
                let (sx, sy) = if q.abs() > 1e-12 { ((m[0] * x + m[1] * y + m[2]) / q, (m[3] * x + m[4] * y + m[5]) / q) } else { (0.0, 0.0) };
                let (fx, fy) = ((sx - 0.5).clamp(0.0, (w - 1) as f64), (sy - 0.5).clamp(0.0, (h - 1) as f64));
                let (x0, y0) = (fx as usize, fy as usize);
                let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
                let (ax, ay) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
                let at = |x: usize, y: usize, c: usize| src[(y * w + x) * 3 + c] as f32;
                for (c, a) in acc.iter_mut().enumerate() {
                    let top = at(x0, y0, c) + (at(x1, y0, c) - at(x0, y0, c)) * ax;
                    let bottom = at(x0, y1, c) + (at(x1, y1, c) - at(x0, y1, c)) * ax;
                    *a += top + (bottom - top) * ay;
                }
            }
            for (p, a) in px.iter_mut().zip(acc) {
                *p = (a * weight + 0.5) as u8;
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
}
