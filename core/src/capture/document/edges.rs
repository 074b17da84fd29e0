//! Edges of a small luma image: binomial smoothing, Sobel gradients, a noise-relative
//! threshold and non-maximum suppression. Buffers are kept between calls.

/// Weakest edge kept, in Sobel units (a clean step of Δ luma measures about 2.5·Δ after the
/// smoothing), whatever the noise.
const MIN_EDGE: u16 = 14;
/// Edges must stand this many times above the median gradient (the noise or the texture)…
const NOISE_FACTOR: u16 = 2;
/// …but no higher than this: on a busy tablecloth the document's edge is no stronger than the
/// pattern's, and the line search, not the threshold, tells them apart.
const MAX_EDGE: u16 = 96;

/// Gradients and thinned edge pixels of one image.
#[derive(Debug, Default)]
pub struct Edges {
    pub width: usize,
    pub height: usize,
    tmp: Vec<u16>,
    smooth: Vec<u8>,
    pub gx: Vec<i16>,
    pub gy: Vec<i16>,
    /// |gx| + |gy|.
    pub mag: Vec<u16>,
    /// The magnitude an edge pixel needs.
    pub threshold: u16,
    /// Thinned edge pixels: x, y and the gradient's angle in whole degrees, 0–179.
    pub points: Vec<(u16, u16, u8)>,
    histogram: Vec<u32>,
}

impl Edges {
    /// Recomputes everything for `img` (`width` × `height`, packed).
    pub fn compute(&mut self, img: &[u8], width: usize, height: usize) {
        self.width = width;
        self.height = height;
        self.smooth_from(img);
        self.sobel();
        self.threshold = self.noise_threshold();
        self.thin();
    }

    /// Separable [1 4 6 4 1] / 16 binomial blur, edges clamped.
    fn smooth_from(&mut self, img: &[u8]) {
        let (w, h) = (self.width, self.height);
        self.tmp.clear();
        self.tmp.resize(w * h, 0);
        const K: [u16; 5] = [1, 4, 6, 4, 1];
        let clamp = |v: isize, n: usize| v.clamp(0, n as isize - 1) as usize;
        for y in 0..h {
            let row = &img[y * w..(y + 1) * w];
            for x in 0..w {
                self.tmp[y * w + x] = (0..5).map(|k| K[k] * row[clamp(x as isize + k as isize - 2, w)] as u16).sum();
            }
        }
        self.smooth.clear();
        self.smooth.resize(w * h, 0);
        for y in 0..h {
            let rows: [usize; 5] = std::array::from_fn(|k| clamp(y as isize + k as isize - 2, h) * w);
            for x in 0..w {
                let s: u32 = (0..5).map(|k| K[k] as u32 * self.tmp[rows[k] + x] as u32).sum();
                self.smooth[y * w + x] = ((s + 128) >> 8) as u8;
            }
        }
    }

    fn sobel(&mut self) {
        let (w, h) = (self.width, self.height);
        for buf in [&mut self.gx, &mut self.gy] {
            buf.clear();
            buf.resize(w * h, 0);
        }
        self.mag.clear();
        self.mag.resize(w * h, 0);
        let s = &self.smooth;
        for y in 1..h.saturating_sub(1) {
            for x in 1..w - 1 {
                let p = |dx: isize, dy: isize| s[(y as isize + dy) as usize * w + (x as isize + dx) as usize] as i16;
                let gx = p(1, -1) + 2 * p(1, 0) + p(1, 1) - p(-1, -1) - 2 * p(-1, 0) - p(-1, 1);
                let gy = p(-1, 1) + 2 * p(0, 1) + p(1, 1) - p(-1, -1) - 2 * p(0, -1) - p(1, -1);
                let i = y * w + x;
                self.gx[i] = gx;
                self.gy[i] = gy;
                self.mag[i] = gx.unsigned_abs() + gy.unsigned_abs();
            }
        }
    }

    /// `NOISE_FACTOR` × the median magnitude, within `MIN_EDGE`..=`MAX_EDGE`.
    fn noise_threshold(&mut self) -> u16 {
        self.histogram.clear();
        self.histogram.resize(256, 0);
        for &m in &self.mag {
            self.histogram[(m as usize).min(255)] += 1;
        }
        let half = self.mag.len() as u32 / 2;
        let mut seen = 0;
        let median = self.histogram.iter().position(|&n| {
            seen += n;
            seen > half
        });
        (median.unwrap_or(0) as u16 * NOISE_FACTOR).clamp(MIN_EDGE, MAX_EDGE)
    }

    /// Keeps pixels above the threshold that are the largest along their gradient direction.
    fn thin(&mut self) {
        let (w, h) = (self.width, self.height);
        self.points.clear();
        for y in 1..h.saturating_sub(1) {
            for x in 1..w - 1 {
                let i = y * w + x;
                let m = self.mag[i];
                if m < self.threshold {
                    continue;
                }
                let (gx, gy) = (self.gx[i] as f32, self.gy[i] as f32);
                let angle = gy.atan2(gx).to_degrees().rem_euclid(180.0);
                // Neighbours along the gradient, by its direction quantized to 45°.
                let (a, b) = match ((angle + 22.5) / 45.0) as u32 % 4 {
                    0 => (i - 1, i + 1),
                    1 => (i - w - 1, i + w + 1),
                    2 => (i - w, i + w),
                    _ => (i - w + 1, i + w - 1),
                };
                if m > self.mag[a] && m >= self.mag[b] {
                    self.points.push((x as u16, y as u16, (angle as u8).min(179)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_gives_one_thin_line_of_edges_across_it() {
        let (w, h) = (40, 30);
        let img: Vec<u8> = (0..w * h).map(|i| if i % w < 20 { 60 } else { 120 }).collect();
        let mut e = Edges::default();
        e.compute(&img, w, h);
        let columns: std::collections::BTreeSet<u16> = e.points.iter().map(|p| p.0).collect();
        assert_eq!(columns.len(), 1, "{columns:?}");
        assert!(e.points.len() >= h - 6);
        assert!(e.points.iter().all(|p| p.2 == 0));
        let flat = vec![90u8; w * h];
        e.compute(&flat, w, h);
        assert!(e.points.is_empty());
    }
}
