//! Synthetic captures for tests, calibration and benchmarks: an ID-card-like document on a
//! table, photographed with sensor noise, and the ways a real capture goes wrong.

use crate::people::Person;
use hexin_core::MaterialKind;
use image::{Rgb, RgbImage};

/// A small deterministic generator (SplitMix64), so fixtures are the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % (hi - lo) as u64) as u32
    }
    /// Approximately normal with mean 0 and deviation 1.
    pub fn normal(&mut self) -> f32 {
        (0..4).map(|_| self.unit()).sum::<f32>() * 1.732 - 3.464
    }
}

/// How the document sits in the frame.
#[derive(Clone, Copy)]
pub struct Scene {
    pub width: u32,
    pub height: u32,
    /// Share of the frame's width the card spans.
    pub card_share: f32,
    pub seed: u64,
}

impl Scene {
    pub fn new(width: u32, height: u32) -> Scene {
        Scene { width, height, card_share: 0.75, seed: 7 }
    }
}

/// An ID-card-like document: pale coloured guilloche background, a portrait (a real face, so a
/// face detector finds it), dark text and a red seal, on a grey table.
pub fn document(scene: Scene) -> RgbImage {
    card(scene, true)
}

/// The same document without its portrait, as an ID card's back has none.
pub fn card_back(scene: Scene) -> RgbImage {
    card(scene, false)
}

/// An applicant's face photo: head and shoulders of a real person, the face a third of the
/// frame's height and centred, on a plain light wall with a soft fall-off of light.
pub fn face_photo(scene: Scene) -> RgbImage {
    let Scene { width: w, height: h, .. } = scene;
    let side = h.min(w * 4 / 3) as f64 / 3.0;
    let (fx, fy) = (w as f64 / 2.0, h as f64 * 0.4);
    RgbImage::from_fn(w, h, |x, y| {
        let wall = 228.0 - 14.0 * (y as f32 / h as f32);
        let (c, a) = Person::Hopper.sample([(x as f64 + 0.5 - fx) / side, (y as f64 + 0.5 - fy) / side], 1.0 / side);
        Rgb(std::array::from_fn(|i| (wall * (1.0 - a) + c[i] * a).round() as u8))
    })
}

fn card(scene: Scene, portrait: bool) -> RgbImage {
    let Scene { width: w, height: h, card_share, seed } = scene;
    let mut rng = Rng::new(seed);
    let mut img = RgbImage::from_fn(w, h, |x, y| {
        let t = 112.0 + 16.0 * (x as f32 / w as f32) - 8.0 * (y as f32 / h as f32);
        let v = t as u8;
        Rgb([v, v, v.saturating_sub(2)])
    });
    let cw = (w as f32 * card_share) as u32;
    let ch = (cw as f32 / 1.586) as u32; // ID-1 card aspect
    let (cx, cy) = ((w - cw) / 2, (h.saturating_sub(ch)) / 2);
    for y in cy..(cy + ch).min(h) {
        for x in cx..cx + cw {
            let (u, v) = ((x - cx) as f32 / cw as f32, (y - cy) as f32 / ch as f32);
            let wave = ((u * 60.0 + (v * 9.0).sin() * 3.0).sin() * 0.5 + 0.5) * 14.0;
            let r = 226.0 + 18.0 * u - wave * 0.4;
            let g = 232.0 - 10.0 * v - wave * 0.3;
            let b = 246.0 - 22.0 * u * v - wave;
            img.put_pixel(x, y, Rgb([r as u8, g as u8, b as u8]));
        }
    }
    // Portrait on the right third: a real face, as on a card's front, unless this is a back.
    let (px, py, pw, ph) = (cx + cw * 64 / 100, cy + ch * 15 / 100, cw * 28 / 100, ch * 62 / 100);
    if portrait {
        let side = pw as f64 * 0.55;
        let (fx, fy) = (px as f64 + pw as f64 / 2.0, py as f64 + ph as f64 * 0.4);
        for y in py..(py + ph).min(h) {
            for x in px..px + pw {
                let p = img.get_pixel_mut(x, y);
                *p = Rgb([236, 238, 240]);
                let (c, a) = Person::Hopper.sample([(x as f64 + 0.5 - fx) / side, (y as f64 + 0.5 - fy) / side], 1.0 / side);
                *p = Rgb(std::array::from_fn(|i| (p[i] as f32 * (1.0 - a) + c[i] * a).round() as u8));
            }
        }
    }
    // Text: lines of glyph-like strokes on the left.
    let cell = (ch / 22).max(6);
    let stroke = (cell / 6).max(1);
    for line in 0..7 {
        let y0 = cy + ch * 14 / 100 + line * cell * 2;
        let glyphs = rng.range(6, 16);
        for g in 0..glyphs {
            let x0 = cx + cw * 6 / 100 + g * cell * 11 / 10;
            if x0 + cell >= px {
                break;
            }
            for _ in 0..rng.range(2, 5) {
                let horizontal = rng.unit() < 0.5;
                let (ox, oy) = (rng.range(0, cell - stroke), rng.range(0, cell - stroke));
                let len = rng.range(cell / 3, cell);
                for k in 0..len {
                    for t in 0..stroke {
                        let (x, y) = if horizontal { (x0 + k, y0 + oy + t) } else { (x0 + ox + t, y0 + k) };
                        if x < w && y < h {
                            img.put_pixel(x, y, Rgb([28, 28, 34]));
                        }
                    }
                }
            }
        }
    }
    // A red seal ring at the bottom left.
    let (sx, sy, sr) = (cx as f32 + cw as f32 * 0.2, cy as f32 + ch as f32 * 0.8, ch as f32 * 0.11);
    for y in (sy - sr - 2.0) as u32..(sy + sr + 2.0) as u32 {
        for x in (sx - sr - 2.0) as u32..(sx + sr + 2.0) as u32 {
            let d = ((x as f32 - sx).powi(2) + (y as f32 - sy).powi(2)).sqrt();
            if (d - sr).abs() < stroke as f32 && y < h {
                img.put_pixel(x, y, Rgb([200, 30, 36]));
            }
        }
    }
    img
}

/// An A4 page held portrait — a signed form: white paper with a ruled table, lines of dark
/// text, a red seal and a blue signature — on the same grey table. It spans `card_share` of the
/// frame's height.
pub fn page(scene: Scene) -> RgbImage {
    let Scene { width: w, height: h, card_share, seed } = scene;
    let mut rng = Rng::new(seed);
    let mut img = RgbImage::from_fn(w, h, |x, y| {
        let v = (112.0 + 16.0 * (x as f32 / w as f32) - 8.0 * (y as f32 / h as f32)) as u8;
        Rgb([v, v, v.saturating_sub(2)])
    });
    let ph = ((h as f32 * card_share) as u32).min(h);
    let pw = ((ph as f32 / 1.414) as u32).min(w);
    let (px, py) = ((w - pw) / 2, (h - ph) / 2);
    let stroke = (ph / 400).max(1);
    let cell = (ph / 40).max(4);
    for y in py..py + ph {
        for x in px..px + pw {
            let (u, v) = (x - px, y - py);
            // A ruled table over the middle of the page.
            let in_table = u > pw / 10 && u < pw * 9 / 10 && v > ph / 4 && v < ph * 3 / 4;
            let ruled = in_table && ((v - ph / 4) % (cell * 2) < stroke || (u - pw / 10) % (pw / 4) < stroke);
            let shade = 246 - (u * 6 / pw) as u8;
            img.put_pixel(x, y, if ruled { Rgb([30, 30, 30]) } else { Rgb([shade, shade, shade.saturating_sub(3)]) });
        }
    }
    // Text: glyph-like strokes in the header and inside the table's rows.
    for line in 0..14 {
        let y0 = py + ph / 10 + line * cell * 2 + cell / 2 + if line >= 3 { ph / 10 } else { 0 };
        if y0 + cell >= py + ph * 17 / 20 {
            break;
        }
        let mut x0 = px + pw / 8;
        while x0 + cell < px + pw * 7 / 8 && rng.unit() < 0.93 {
            for _ in 0..rng.range(2, 4) {
                let horizontal = rng.unit() < 0.5;
                let (ox, oy, len) = (rng.range(0, cell / 2), rng.range(0, cell / 2), rng.range(cell / 4, cell / 2));
                for k in 0..len {
                    for t in 0..stroke {
                        let (x, y) = if horizontal { (x0 + ox + k, y0 + oy + t) } else { (x0 + ox + t, y0 + oy + k) };
                        img.put_pixel(x.min(w - 1), y.min(h - 1), Rgb([25, 25, 30]));
                    }
                }
            }
            x0 += cell * 3 / 4;
        }
    }
    // A red seal and a blue signature near the bottom.
    let (sx, sy, sr) = (px as f32 + pw as f32 * 0.7, py as f32 + ph as f32 * 0.85, pw as f32 * 0.09);
    let ring = (3 * stroke) as f32;
    for y in (sy - sr - 3.0) as u32..(sy + sr + 3.0) as u32 {
        for x in (sx - sr - 3.0) as u32..(sx + sr + 3.0) as u32 {
            let d = ((x as f32 - sx).powi(2) + (y as f32 - sy).powi(2)).sqrt();
            if (d - sr).abs() < ring {
                img.put_pixel(x, y, Rgb([205, 35, 40]));
            }
        }
    }
    for k in 0..pw / 4 {
        let x = px + pw / 6 + k;
        let y = (py as f32 + ph as f32 * 0.88 + (k as f32 / 9.0).sin() * cell as f32 * 0.4) as u32;
        for t in 0..2 * stroke {
            img.put_pixel(x, y + t, Rgb([30, 50, 160]));
        }
    }
    img
}

/// A capture of `kind` as the default policy expects it: a card for ID cards and residence
/// permits (without its portrait for a back), an A4 page for the other documents, a face photo
/// for face photos, the card for anything else.
pub fn for_kind(kind: MaterialKind, scene: Scene) -> RgbImage {
    match kind {
        MaterialKind::BusinessLicense
        | MaterialKind::VerificationForm
        | MaterialKind::AuthorizationLetter
        | MaterialKind::DomainCertificate
        | MaterialKind::PreApproval => page(Scene { card_share: 0.92, ..scene }),
        MaterialKind::IdCardBack => card_back(scene),
        MaterialKind::FacePhoto => face_photo(scene),
        _ => document(scene),
    }
}

/// Sensor noise: independent normal noise of deviation `sigma` on each channel.
pub fn noisy(mut img: RgbImage, sigma: f32, seed: u64) -> RgbImage {
    let mut rng = Rng::new(seed ^ 0xA5A5);
    for v in img.iter_mut() {
        *v = (*v as f32 + rng.normal() * sigma).round().clamp(0.0, 255.0) as u8;
    }
    img
}

/// Defocus: three box blurs of radius `r` (close to a Gaussian of sigma ≈ r).
pub fn defocus(img: &RgbImage, r: u32) -> RgbImage {
    let mut out = img.clone();
    for _ in 0..3 {
        out = box_blur(&out, r, true);
        out = box_blur(&out, r, false);
    }
    out
}

fn box_blur(img: &RgbImage, r: u32, horizontal: bool) -> RgbImage {
    let (w, h) = img.dimensions();
    let r = r as i64;
    let n = (2 * r + 1) as u32;
    let (outer, inner) = if horizontal { (h, w) } else { (w, h) };
    let mut out = RgbImage::new(w, h);
    let at = |o: u32, i: i64| {
        let i = i.clamp(0, inner as i64 - 1) as u32;
        if horizontal { img.get_pixel(i, o) } else { img.get_pixel(o, i) }
    };
    for o in 0..outer {
        let mut sum = [0u32; 3];
        for i in -r..=r {
            let p = at(o, i);
            (0..3).for_each(|c| sum[c] += p[c] as u32);
        }
        for i in 0..inner {
            let px = Rgb([0, 1, 2].map(|c| ((sum[c] + n / 2) / n) as u8));
            if horizontal { out.put_pixel(i, o, px) } else { out.put_pixel(o, i, px) }
            let (add, sub) = (at(o, i as i64 + r + 1), at(o, i as i64 - r));
            (0..3).for_each(|c| sum[c] = sum[c] + add[c] as u32 - sub[c] as u32);
        }
    }
    out
}

/// Motion blur: the average along a straight path of `length` pixels at `degrees`.
pub fn motion(img: &RgbImage, length: u32, degrees: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let (dx, dy) = (degrees.to_radians().cos(), degrees.to_radians().sin());
    let steps: Vec<(i64, i64)> = (0..length)
        .map(|k| {
            let t = k as f32 - (length - 1) as f32 / 2.0;
            ((t * dx).round() as i64, (t * dy).round() as i64)
        })
        .collect();
    RgbImage::from_fn(w, h, |x, y| {
        let mut sum = [0u32; 3];
        for &(ox, oy) in &steps {
            let sx = (x as i64 + ox).clamp(0, w as i64 - 1) as u32;
            let sy = (y as i64 + oy).clamp(0, h as i64 - 1) as u32;
            let p = img.get_pixel(sx, sy);
            (0..3).for_each(|c| sum[c] += p[c] as u32);
        }
        Rgb(sum.map(|s| (s / length) as u8))
    })
}

/// Exposure: every channel scaled by `gain`, clipping at 255.
pub fn exposure(img: &RgbImage, gain: f32) -> RgbImage {
    let mut out = img.clone();
    out.iter_mut().for_each(|v| *v = (*v as f32 * gain).round().min(255.0) as u8);
    out
}

/// Brightens without clipping: a gamma curve that lifts mid-tones.
pub fn brighten(img: &RgbImage, gamma: f32) -> RgbImage {
    let mut out = img.clone();
    out.iter_mut().for_each(|v| *v = (255.0 * (*v as f32 / 255.0).powf(gamma)).round().min(250.0) as u8);
    out
}

/// A specular reflection: a white elliptical blob, saturated at its core, fading at its rim.
pub fn glare(img: &RgbImage, cx: f32, cy: f32, radius: f32) -> RgbImage {
    let mut out = img.clone();
    let (w, h) = img.dimensions();
    let (cx, cy) = (cx * w as f32, cy * h as f32);
    for (x, y, p) in out.enumerate_pixels_mut() {
        let d2 = ((x as f32 - cx) / 1.6).powi(2) + (y as f32 - cy).powi(2);
        let a = 2.2 * (-d2 / (2.0 * radius * radius)).exp();
        for c in 0..3 {
            p[c] = (p[c] as f32 + a * 255.0).min(255.0) as u8;
        }
    }
    out
}

/// A black-and-white copy, photographed under a lamp whose white balance tints it by `warmth`
/// (0: none; 0.1: red gains 10 % and blue loses 10 %).
pub fn grayscale(img: &RgbImage, warmth: f32) -> RgbImage {
    let mut out = img.clone();
    for p in out.pixels_mut() {
        let l = (77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32) as f32 / 256.0;
        let tint = |gain: f32| (l * gain).round().min(255.0) as u8;
        *p = Rgb([tint(1.0 + warmth), tint(1.0 + warmth / 3.0), tint(1.0 - warmth)]);
    }
    out
}

/// A light's colour cast: each channel scaled by its gain (`[r, g, b]`), clipping at 255, as a
/// camera's white balance leaves it under a coloured lamp.
pub fn tint(img: &RgbImage, gains: [f32; 3]) -> RgbImage {
    let mut out = img.clone();
    for p in out.pixels_mut() {
        *p = Rgb([0, 1, 2].map(|c| (p[c] as f32 * gains[c]).round().min(255.0) as u8));
    }
    out
}

/// Grey gravel: stones of random grey shades with a faint warm or cool bias each, their
/// shading and sensor-like grain, as a greyish noisy texture under a document.
pub fn gravel(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut rng = Rng::new(seed);
    let cell = (width / 80).max(4);
    let (gw, gh) = (width / cell + 2, height / cell + 2);
    // One stone per cell, at a jittered centre, with a shade and a slight tint.
    let stones: Vec<(f32, f32, f32, f32)> = (0..gw * gh)
        .map(|i| {
            let (gx, gy) = ((i % gw) as f32, (i / gw) as f32);
            let centre = ((gx + rng.unit()) * cell as f32, (gy + rng.unit()) * cell as f32);
            (centre.0, centre.1, 80.0 + rng.unit() * 100.0, (rng.unit() - 0.5) * 4.0)
        })
        .collect();
    let img = RgbImage::from_fn(width, height, |x, y| {
        let (gx, gy) = (x / cell, y / cell);
        let mut best = (f32::MAX, 0.0, 0.0);
        for ny in gy.saturating_sub(1)..=(gy + 1).min(gh - 1) {
            for nx in gx.saturating_sub(1)..=(gx + 1).min(gw - 1) {
                let (sx, sy, shade, bias) = stones[(ny * gw + nx) as usize];
                let d = (x as f32 - sx).powi(2) + (y as f32 - sy).powi(2);
                if d < best.0 {
                    best = (d, shade, bias);
                }
            }
        }
        let (d, shade, bias) = best;
        let v = shade - d.sqrt() / cell as f32 * 25.0;
        Rgb([v + bias, v, v - bias].map(|c| c.clamp(0.0, 255.0) as u8))
    });
    noisy(img, 2.0, seed)
}

/// The back of an ID card photographed on gravel: pale grey-blue with a faint pastel guilloche,
/// a small red emblem with yellow stars at the top left and dark text; little colour at all.
pub fn pale_card_back(scene: Scene) -> RgbImage {
    let Scene { width: w, height: h, card_share, seed } = scene;
    let mut img = gravel(w, h, seed);
    let cw = (w as f32 * card_share) as u32;
    let ch = (cw as f32 / 1.586) as u32;
    let (cx, cy) = ((w - cw) / 2, (h.saturating_sub(ch)) / 2);
    for y in cy..(cy + ch).min(h) {
        for x in cx..cx + cw {
            let (u, v) = ((x - cx) as f32 / cw as f32, (y - cy) as f32 / ch as f32);
            // Two faint interleaved line families, one pink and one green, over grey-blue.
            let pink = ((u * 90.0 + (v * 7.0).sin() * 4.0).sin() * 0.5 + 0.5) * 4.0;
            let green = ((v * 70.0 + (u * 5.0).cos() * 3.0).sin() * 0.5 + 0.5) * 4.0;
            let r = 202.0 + pink - green * 0.5;
            let g = 206.0 - pink * 0.6 + green;
            let b = 212.0 - green * 0.5;
            img.put_pixel(x, y, Rgb([r as u8, g as u8, b as u8]));
        }
    }
    // The emblem: a red disc with a ring of yellow stars (dots), 12 % of the card's height.
    let (ex, ey, er) = (cx as f32 + cw as f32 * 0.14, cy as f32 + ch as f32 * 0.2, ch as f32 * 0.12);
    for y in (ey - er) as u32..(ey + er) as u32 + 1 {
        for x in (ex - er) as u32..(ex + er) as u32 + 1 {
            let (dx, dy) = (x as f32 - ex, y as f32 - ey);
            let d = (dx * dx + dy * dy).sqrt();
            if d > er {
                continue;
            }
            let angle = dy.atan2(dx) * 5.0 / std::f32::consts::PI;
            let star = (d - er * 0.6).abs() < er * 0.12 && (angle - angle.round()).abs() < 0.2;
            let c = if star || d < er * 0.2 { [236, 196, 40] } else { [196, 28, 34] };
            img.put_pixel(x, y, Rgb(c));
        }
    }
    // Text: two dark lines under the emblem.
    for line in 0..2 {
        let y0 = cy + ch * (62 + line * 14) / 100;
        for y in y0..y0 + (ch / 40).max(2) {
            for x in cx + cw * 30 / 100..cx + cw * 85 / 100 {
                if (x / (ch / 30).max(3)) % 3 != 2 {
                    img.put_pixel(x, y, Rgb([40, 42, 48]));
                }
            }
        }
    }
    img
}

/// The image after a round trip through a JPEG of `quality` (4:2:0), with its blocking and
/// chroma bleeding.
pub fn recompressed(img: &RgbImage, quality: u8) -> RgbImage {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("encode fixture");
    image::load_from_memory(&out).expect("decode fixture").to_rgb8()
}

/// Encodes as a camera would: a JPEG at quality 92.
pub fn camera_jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(img)
        .expect("encode fixture");
    out
}

/// Inserts an EXIF APP1 segment carrying only an orientation tag after the JPEG's SOI.
pub fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // value padding, next IFD = 0
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The named set of captures the checks are calibrated on, each with the kind it is checked as
/// (an ID card's front, but for the pale back) and the codes it must raise (an empty list: it
/// must be accepted).
pub fn calibration_set(width: u32, height: u32) -> Vec<(String, MaterialKind, RgbImage, Vec<&'static str>)> {
    let base = document(Scene::new(width, height));
    let shot = |img: RgbImage, seed: u64| noisy(img, 3.0, seed);
    let scale = width as f32 / 1600.0;
    let px = |v: f32| ((v * scale).round() as u32).max(1);
    let mut set = vec![
        ("sharp".to_string(), shot(base.clone(), 1), vec![]),
        // Sharp and in colour, near enough, but of too few pixels.
        ("small-card-on-grey-table".to_string(), shot(document(Scene { card_share: 0.4, ..Scene::new(width, height) }), 2), vec!["resolution_too_low"]),
        ("bright-scene-no-glare".to_string(), shot(brighten(&base, 0.6), 3), vec![]),
        ("slightly-soft".to_string(), shot(defocus(&base, px(1.0)), 4), vec![]),
        ("dim-but-usable".to_string(), shot(exposure(&base, 0.55), 5), vec![]),
    ];
    for r in [4.0, 6.0, 9.0] {
        set.push((format!("defocus-r{r}"), shot(defocus(&base, px(r)), 10 + r as u64), vec!["blurry"]));
    }
    for (len, deg) in [(24.0, 0.0), (24.0, 90.0), (28.0, 45.0), (28.0, 135.0), (36.0, 20.0)] {
        set.push((format!("motion-{len}px-{deg}deg"), shot(motion(&base, px(len), deg), 20 + deg as u64), vec!["blurry"]));
    }
    set.push(("dark".to_string(), shot(exposure(&base, 0.22), 30), vec!["too_dark"]));
    set.push(("very-dark".to_string(), shot(exposure(&base, 0.12), 31), vec!["too_dark"]));
    set.push(("overexposed".to_string(), shot(exposure(&base, 1.9), 32), vec!["overexposed", "glare"]));
    set.push(("glare".to_string(), shot(glare(&base, 0.4, 0.45, 0.05 * height as f32), 33), vec!["glare"]));
    set.push(("small-glare".to_string(), shot(glare(&base, 0.6, 0.5, 0.03 * height as f32), 34), vec!["glare"]));
    set.push(("grayscale".to_string(), shot(grayscale(&base, 0.0), 35), vec!["not_color"]));
    set.push(("grayscale-warm-lamp".to_string(), shot(grayscale(&base, 0.1), 36), vec!["not_color"]));
    let copy = grayscale(&base, 0.0);
    set.push(("grayscale-cool-light".to_string(), shot(tint(&copy, [0.85, 0.98, 1.25]), 37), vec!["not_color"]));
    set.push(("grayscale-green-light".to_string(), shot(tint(&copy, [0.85, 1.15, 0.8]), 38), vec!["not_color"]));
    set.push(("colour-under-warm-light".to_string(), shot(tint(&base, [1.2, 1.0, 0.72]), 39), vec![]));
    let mut set: Vec<_> = set.into_iter().map(|(name, img, expect)| (name, MaterialKind::IdCardFront, img, expect)).collect();
    let back = pale_card_back(Scene { card_share: 0.75, ..Scene::new(width, height) });
    set.push(("pale-card-back-on-gravel".to_string(), MaterialKind::IdCardBack, shot(back, 40), vec![]));
    set
}
