//! Flat documents, drawn in millimetres at any resolution: the ID card's two sides, a business
//! licence (A4 or A3, either way round) and a signed verification form. Text is glyph-like
//! strokes, not real characters: what matters to hexin is the layout's edges and colours.

use crate::people::Person;
use crate::synthetic::Rng;
use hexin_core::MaterialKind;
use image::{Rgb, RgbImage};

/// One document design and its physical size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    /// ID-1 card (85.6 × 54 mm), portrait side: pale guilloche, portrait, dark text.
    IdFront,
    /// ID-1 card, emblem side: pale grey-blue, a small coloured emblem, text.
    IdBack,
    /// Business licence: off-white paper, coloured border, text, a QR code, a red seal.
    Licence { landscape: bool, a3: bool },
    /// Verification form, A4 portrait: white, black table, text, a signature.
    Form,
}

impl Sheet {
    /// The material kind hexin checks this document as.
    pub fn kind(self) -> MaterialKind {
        match self {
            Sheet::IdFront => MaterialKind::IdCardFront,
            Sheet::IdBack => MaterialKind::IdCardBack,
            Sheet::Licence { .. } => MaterialKind::BusinessLicense,
            Sheet::Form => MaterialKind::VerificationForm,
        }
    }

    /// Width and height in millimetres, upright.
    pub fn size_mm(self) -> [f64; 2] {
        match self {
            Sheet::IdFront | Sheet::IdBack => [85.6, 54.0],
            Sheet::Licence { landscape, a3 } => {
                let (long, short) = if a3 { (420.0, 297.0) } else { (297.0, 210.0) };
                if landscape { [long, short] } else { [short, long] }
            }
            Sheet::Form => [210.0, 297.0],
        }
    }

    /// Corner radius in millimetres (ISO/IEC 7810 ID-1: 3.18 mm; paper: square).
    pub fn corner_radius_mm(self) -> f64 {
        match self {
            Sheet::IdFront | Sheet::IdBack => 3.18,
            _ => 0.0,
        }
    }

    /// Signed distance (mm) from a point of the document's plane to its outline: negative
    /// inside, the rounded corners included.
    pub fn outline_distance(self, [x, y]: [f64; 2]) -> f64 {
        let [w, h] = self.size_mm();
        let r = self.corner_radius_mm();
        // A rounded rectangle: a rectangle shrunk by r, grown by r.
        let (qx, qy) = ((x - w / 2.0).abs() - (w / 2.0 - r), (y - h / 2.0).abs() - (h / 2.0 - r));
        let outside = qx.max(0.0).hypot(qy.max(0.0));
        outside + qx.max(qy).min(0.0) - r
    }

    /// The document drawn flat at `px_per_mm`; pixel (i, j) shows the point (i + 0.5, j + 0.5)
    /// / `px_per_mm` mm. Corners outside the rounded outline are left as paper; the outline
    /// is applied when the document is placed in a scene.
    pub fn render(self, px_per_mm: f64, seed: u64) -> RgbImage {
        let [w, h] = self.size_mm();
        let mut c = Canvas {
            img: RgbImage::new((w * px_per_mm).ceil() as u32, (h * px_per_mm).ceil() as u32),
            s: px_per_mm,
            rng: Rng::new(seed),
        };
        match self {
            Sheet::IdFront => id_front(&mut c),
            Sheet::IdBack => id_back(&mut c),
            Sheet::Licence { .. } => licence(&mut c, w, h),
            Sheet::Form => form(&mut c),
        }
        c.img
    }
}

/// The face in the ID card front's portrait: its centre and side (brows to chin) in millimetres.
pub const ID_PORTRAIT_FACE: ([f64; 2], f64) = ([68.0, 20.5], 11.5);

const INK: [f32; 3] = [30.0, 30.0, 36.0];
const SEAL_RED: [f32; 3] = [206.0, 36.0, 40.0];

fn id_front(c: &mut Canvas) {
    // Guilloche: interfering waves over a blue-to-pink wash.
    c.fill(|x, y| {
        let (u, v) = (x / 85.6, y / 54.0);
        let wave = (((x * 1.9 + (y * 0.45).sin() * 3.0).sin() * 0.5 + 0.5) * ((y * 1.3 - (x * 0.2).cos() * 2.0).sin() * 0.3 + 0.7)) as f32;
        [228.0 + 14.0 * u as f32 - 10.0 * wave, 230.0 - 8.0 * v as f32 - 8.0 * wave, 242.0 - 20.0 * (u * v) as f32 - 14.0 * wave]
    });
    // Portrait on a pale studio background: a real face (Grace Hopper's head and shoulders, cut
    // by the photo's edge), so that a face detector finds it as it finds a real card's.
    let (lo, hi) = ([55.0, 6.0], [81.0, 40.0]);
    c.rect(lo, hi, [236.0, 238.0, 240.0]);
    c.portrait(lo, hi, Person::Hopper, ID_PORTRAIT_FACE);
    // Name, sex and ethnicity, birth date, two lines of address, then the ID number.
    for (line, (chars, x0)) in [(3, 6.0), (7, 6.0), (9, 6.0), (12, 6.0), (10, 14.0)].into_iter().enumerate() {
        c.label([6.0, 8.0 + line as f64 * 6.0], 2.4, 2);
        c.text([x0 + 8.0, 8.0 + line as f64 * 6.0], 3.0, chars, INK);
    }
    c.text([28.0, 44.5], 2.6, 18, INK);
}

fn id_back(c: &mut Canvas) {
    c.fill(|x, y| {
        let wave = ((x * 1.2 + (y * 0.6).sin() * 2.5).sin() * 0.5 + 0.5) * 6.0;
        [214.0 + wave as f32 * 0.4, 220.0 + wave as f32 * 0.3, 230.0 - wave as f32 * 0.2]
    });
    // The emblem: a red disc in a gold ring with gold stars.
    c.disc([15.0, 14.0], 7.0, [200.0, 40.0, 38.0]);
    c.ring([15.0, 14.0], 7.0, 0.9, [226.0, 182.0, 60.0]);
    for (dx, dy, r) in [(-2.5, -2.5, 1.6), (0.8, -4.2, 0.6), (2.2, -2.6, 0.6), (2.4, -0.4, 0.6), (0.9, 1.4, 0.6)] {
        c.disc([15.0 + dx, 14.0 + dy], r, [240.0, 206.0, 70.0]);
    }
    // Title (the country, then "resident identity card"), then the issuer and validity lines.
    c.text([29.0, 10.0], 4.0, 7, [60.0, 60.0, 66.0]);
    c.text([33.0, 19.0], 5.2, 5, [60.0, 60.0, 66.0]);
    for (line, chars) in [(0, 9), (1, 10)] {
        c.label([22.0, 38.0 + line as f64 * 6.5], 2.4, 4);
        c.text([36.0, 38.0 + line as f64 * 6.5], 2.8, chars, INK);
    }
}

fn licence(c: &mut Canvas, w: f64, h: f64) {
    let k = w.min(h) / 210.0; // layout scale: A3 is A4 enlarged
    c.fill(|_, _| [246.0, 242.0, 232.0]);
    let rule = c.rng.range(0, 2);
    let border = if rule == 0 { [172.0, 44.0, 44.0] } else { [30.0, 112.0, 128.0] };
    c.frame([8.0 * k, 8.0 * k], [w - 8.0 * k, h - 8.0 * k], 3.2 * k, border);
    c.frame([13.0 * k, 13.0 * k], [w - 13.0 * k, h - 13.0 * k], 0.6 * k, border);
    c.disc([w / 2.0, 28.0 * k], 7.0 * k, [196.0, 40.0, 38.0]);
    c.text([w / 2.0 - 30.0 * k, 42.0 * k], 12.0 * k, 4, INK);
    c.qr([w - 45.0 * k, 22.0 * k], 24.0 * k);
    let rows = ((h - 110.0 * k) / (13.0 * k)).floor() as usize;
    for line in 0..rows.min(10) {
        let y = 70.0 * k + line as f64 * 13.0 * k;
        c.label([30.0 * k, y], 4.2 * k, 4);
        let chars = c.rng.range(6, 16) as usize;
        c.text([62.0 * k, y], 4.6 * k, chars, INK);
    }
    c.seal([w - 60.0 * k, h - 45.0 * k], 21.0 * k);
}

fn form(c: &mut Canvas) {
    c.fill(|_, _| [250.0, 250.0, 247.0]);
    c.text([60.0, 16.0], 7.0, 10, INK);
    let (left, right, top, rows, row_h) = (15.0, 195.0, 32.0, 16, 13.0);
    for r in 0..=rows {
        c.rect([left, top + r as f64 * row_h - 0.25], [right, top + r as f64 * row_h + 0.25], INK);
    }
    let bottom = top + rows as f64 * row_h;
    for x in [left, 58.0, right] {
        c.rect([x - 0.25, top], [x + 0.25, bottom], INK);
    }
    for r in 0..rows {
        let y = top + r as f64 * row_h + 4.5;
        c.label([19.0, y], 3.6, 5);
        let chars = c.rng.range(4, 22) as usize;
        c.text([62.0, y], 3.8, chars, INK);
    }
    c.text([110.0, 252.0], 4.0, 5, INK);
    c.signature([140.0, 268.0], 40.0);
    c.text([120.0, 282.0], 3.6, 11, INK);
}

/// A flat image addressed in millimetres; shapes are anti-aliased by their signed distance.
struct Canvas {
    img: RgbImage,
    s: f64,
    rng: Rng,
}

impl Canvas {
    fn fill(&mut self, f: impl Fn(f64, f64) -> [f32; 3]) {
        let s = self.s;
        for (x, y, p) in self.img.enumerate_pixels_mut() {
            let c = f((x as f64 + 0.5) / s, (y as f64 + 0.5) / s);
            *p = Rgb(c.map(|v| v.round().clamp(0.0, 255.0) as u8));
        }
    }

    /// Paints `color` where `distance` (mm, negative inside) says, within the box `lo`..`hi`.
    fn paint(&mut self, lo: [f64; 2], hi: [f64; 2], color: [f32; 3], distance: impl Fn(f64, f64) -> f64) {
        let (w, h) = self.img.dimensions();
        let s = self.s;
        let px = |mm: f64, n: u32| ((mm * s).floor().max(0.0) as u32).min(n);
        for y in px(lo[1] - 1.0 / s, h)..px(hi[1] + 2.0 / s, h) {
            for x in px(lo[0] - 1.0 / s, w)..px(hi[0] + 2.0 / s, w) {
                let d = distance((x as f64 + 0.5) / s, (y as f64 + 0.5) / s) * s;
                let a = (0.5 - d).clamp(0.0, 1.0) as f32;
                if a > 0.0 {
                    let p = self.img.get_pixel_mut(x, y);
                    *p = Rgb(std::array::from_fn(|i| (p[i] as f32 * (1.0 - a) + color[i] * a).round() as u8));
                }
            }
        }
    }

    /// `person`'s cut-out within the box `lo`..`hi`, the face centred at `face.0` with side `face.1` (mm).
    fn portrait(&mut self, lo: [f64; 2], hi: [f64; 2], person: Person, ([cx, cy], side): ([f64; 2], f64)) {
        let (w, h) = self.img.dimensions();
        let s = self.s;
        let px = |mm: f64, n: u32| ((mm * s).round().max(0.0) as u32).min(n);
        for y in px(lo[1], h)..px(hi[1], h) {
            for x in px(lo[0], w)..px(hi[0], w) {
                let at = [((x as f64 + 0.5) / s - cx) / side, ((y as f64 + 0.5) / s - cy) / side];
                let (color, a) = person.sample(at, 1.0 / (s * side));
                if a > 0.0 {
                    let p = self.img.get_pixel_mut(x, y);
                    *p = Rgb(std::array::from_fn(|i| (p[i] as f32 * (1.0 - a) + color[i] * a).round() as u8));
                }
            }
        }
    }

    fn rect(&mut self, lo: [f64; 2], hi: [f64; 2], color: [f32; 3]) {
        self.paint(lo, hi, color, |x, y| (lo[0] - x).max(x - hi[0]).max(lo[1] - y).max(y - hi[1]));
    }

    /// The outline of a rectangle, `width` mm wide, inside `lo`..`hi`.
    fn frame(&mut self, lo: [f64; 2], hi: [f64; 2], width: f64, color: [f32; 3]) {
        self.rect(lo, [hi[0], lo[1] + width], color);
        self.rect([lo[0], hi[1] - width], hi, color);
        self.rect(lo, [lo[0] + width, hi[1]], color);
        self.rect([hi[0] - width, lo[1]], hi, color);
    }

    fn ellipse(&mut self, [cx, cy]: [f64; 2], [rx, ry]: [f64; 2], color: [f32; 3]) {
        let r = rx.min(ry);
        self.paint([cx - rx, cy - ry], [cx + rx, cy + ry], color, |x, y| {
            (((x - cx) / rx).hypot((y - cy) / ry) - 1.0) * r
        });
    }

    fn disc(&mut self, c: [f64; 2], r: f64, color: [f32; 3]) {
        self.ellipse(c, [r, r], color);
    }

    fn ring(&mut self, [cx, cy]: [f64; 2], r: f64, width: f64, color: [f32; 3]) {
        self.paint([cx - r - width, cy - r - width], [cx + r + width, cy + r + width], color, |x, y| {
            ((x - cx).hypot(y - cy) - r).abs() - width / 2.0
        });
    }

    /// A stroke from `a` to `b`, `width` mm wide, with round ends.
    fn stroke(&mut self, a: [f64; 2], b: [f64; 2], width: f64, color: [f32; 3]) {
        let lo = [a[0].min(b[0]) - width, a[1].min(b[1]) - width];
        let hi = [a[0].max(b[0]) + width, a[1].max(b[1]) + width];
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = (dx * dx + dy * dy).max(1e-12);
        self.paint(lo, hi, color, |x, y| {
            let t = (((x - a[0]) * dx + (y - a[1]) * dy) / len2).clamp(0.0, 1.0);
            (x - a[0] - t * dx).hypot(y - a[1] - t * dy) - width / 2.0
        });
    }

    /// `chars` glyph-like characters of height `size` mm, the first's top-left at `at`.
    fn text(&mut self, at: [f64; 2], size: f64, chars: usize, color: [f32; 3]) {
        let width = (size * 0.11).max(0.12);
        for i in 0..chars {
            let x0 = at[0] + i as f64 * size * 1.1;
            for _ in 0..self.rng.range(2, 6) {
                let p = |rng: &mut Rng| rng.unit() as f64 * size * 0.85;
                let (ax, ay) = (p(&mut self.rng), p(&mut self.rng));
                let (bx, by) = match self.rng.range(0, 3) {
                    0 => (p(&mut self.rng), ay),
                    1 => (ax, p(&mut self.rng)),
                    _ => (p(&mut self.rng), p(&mut self.rng)),
                };
                self.stroke([x0 + ax, at[1] + ay], [x0 + bx, at[1] + by], width, color);
            }
        }
    }

    /// A field label: lighter, smaller text in the document's accent colour.
    fn label(&mut self, at: [f64; 2], size: f64, chars: usize) {
        self.text(at, size, chars, [70.0, 96.0, 140.0]);
    }

    /// A QR-code-like square: three finder patterns and random modules.
    fn qr(&mut self, at: [f64; 2], side: f64) {
        let m = side / 25.0;
        let module = |c: &mut Canvas, i: usize, j: usize| {
            let lo = [at[0] + i as f64 * m, at[1] + j as f64 * m];
            c.rect(lo, [lo[0] + m, lo[1] + m], [20.0, 20.0, 20.0]);
        };
        for j in 0..25usize {
            for i in 0..25usize {
                let finder = |a: usize, b: usize| {
                    let (di, dj) = (i.abs_diff(a + 3), j.abs_diff(b + 3));
                    (di <= 3 && dj <= 3).then(|| di.max(dj) != 2)
                };
                let on = finder(0, 0).or(finder(18, 0)).or(finder(0, 18)).unwrap_or_else(|| self.rng.unit() < 0.5);
                if on {
                    module(self, i, j);
                }
            }
        }
    }

    /// A round red company seal: a ring, a star, and characters around the rim.
    fn seal(&mut self, c: [f64; 2], r: f64) {
        self.ring(c, r, r * 0.07, SEAL_RED);
        self.disc(c, r * 0.22, SEAL_RED);
        for k in 0..14 {
            let t = std::f64::consts::PI * (0.8 + 1.4 * k as f64 / 13.0);
            let (cs, sn) = (t.cos(), t.sin());
            let (a, b) = ([c[0] + cs * r * 0.62, c[1] + sn * r * 0.62], [c[0] + cs * r * 0.82, c[1] + sn * r * 0.82]);
            self.stroke(a, b, r * 0.05, SEAL_RED);
        }
        self.text([c[0] - r * 0.45, c[1] + r * 0.4], r * 0.2, 4, SEAL_RED);
    }

    /// A handwritten signature: a smooth random curve in blue-black ink, `length` mm long.
    fn signature(&mut self, at: [f64; 2], length: f64) {
        let freqs: Vec<(f64, f64, f64)> =
            (0..3).map(|_| (1.0 + self.rng.unit() as f64 * 5.0, self.rng.unit() as f64 * 6.0, 1.5 + self.rng.unit() as f64 * 3.0)).collect();
        let point = |t: f64| {
            let y = freqs.iter().map(|(f, phase, amp)| amp * (t * f * std::f64::consts::TAU + phase).sin()).sum::<f64>();
            let x = t * length + 3.0 * (t * 40.0).sin();
            [at[0] + x, at[1] + y]
        };
        for i in 0..200 {
            let (a, b) = (point(i as f64 / 200.0), point((i + 1) as f64 / 200.0));
            self.stroke(a, b, 0.6, [28.0, 34.0, 86.0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_is_the_rounded_rectangle() {
        let card = Sheet::IdFront;
        assert!(card.outline_distance([42.8, 27.0]) < -20.0);
        assert!((card.outline_distance([42.8, 0.0])).abs() < 1e-9);
        // The corner itself is cut off by the radius: r (√2 − 1) outside the arc.
        let cut = 3.18 * (2f64.sqrt() - 1.0);
        assert!((card.outline_distance([0.0, 0.0]) - cut).abs() < 1e-9);
        assert!((Sheet::Form.outline_distance([0.0, 0.0])).abs() < 1e-9);
    }

    #[test]
    fn documents_have_their_colours() {
        // Mean luma, share of ink, share of strongly coloured pixels of each design at 4 px/mm.
        for (sheet, ink_range, colour_range) in [
            (Sheet::IdFront, 0.01..0.25, 0.01..0.2),
            (Sheet::IdBack, 0.01..0.25, 0.01..0.06), // mostly grey: a small emblem
            (Sheet::Licence { landscape: true, a3: false }, 0.01..0.25, 0.01..0.2),
            (Sheet::Form, 0.01..0.25, 0.0..0.005), // black print, a blue-black signature
        ] {
            let img = sheet.render(4.0, 1);
            let n = (img.width() * img.height()) as f64;
            let luma: Vec<f64> = img.pixels().map(|p| 0.3 * p[0] as f64 + 0.59 * p[1] as f64 + 0.11 * p[2] as f64).collect();
            let mean = luma.iter().sum::<f64>() / n;
            let ink = luma.iter().filter(|&&l| l < 90.0).count() as f64 / n;
            let coloured = img.pixels().filter(|p| (p[0] as i32 - p[2] as i32).abs() > 60).count() as f64 / n;
            assert!(mean > 190.0, "{sheet:?}: mean {mean}");
            assert!(ink_range.contains(&ink), "{sheet:?}: ink {ink}");
            assert!(colour_range.contains(&coloured), "{sheet:?}: strongly coloured share {coloured}");
        }
    }
}
