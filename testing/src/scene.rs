//! A photograph of a document lying on a desk: the document is drawn flat, placed by a camera
//! pose, mapped into the frame with a homography together with the desk's plane, and then lit,
//! blurred, glared and noised as a phone camera would.

use crate::desks::Desk;
use crate::documents::Sheet;
use crate::homography::Homography;
use crate::synthetic::{defocus, exposure, glare, grayscale, noisy, Rng};
use image::{Rgb, RgbImage};

/// Where the document lies relative to the camera.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// The document's centre, as a fraction of the frame's width and height.
    pub center: [f64; 2],
    /// How much of the frame the unrotated, untilted document would fill: its width or height
    /// reaches this fraction of the frame's, whichever comes first.
    pub fill: f64,
    /// Rotation in the frame, and the tilts about the document's horizontal and vertical axes,
    /// in degrees.
    pub roll: f64,
    pub pitch: f64,
    pub yaw: f64,
}

/// The camera's focal length as a fraction of the frame's width (a phone's main camera).
const FOCAL: f64 = 0.8;

impl Pose {
    /// The document's corners (tl, tr, br, bl) in the frame, pixel centres at integer
    /// coordinates: a pinhole projection of the rotated document.
    pub fn corners(&self, size_mm: [f64; 2], (width, height): (u32, u32)) -> [[f64; 2]; 4] {
        let (w, h) = (width as f64, height as f64);
        let f = FOCAL * w;
        let [dw, dh] = size_mm;
        let z = f * (dw / w).max(dh / h) / self.fill;
        let (x0, y0) = ((self.center[0] - 0.5) * w * z / f, (self.center[1] - 0.5) * h * z / f);
        let (sr, cr) = self.roll.to_radians().sin_cos();
        let (sp, cp) = self.pitch.to_radians().sin_cos();
        let (sy, cy) = self.yaw.to_radians().sin_cos();
        [[0.0, 0.0], [dw, 0.0], [dw, dh], [0.0, dh]].map(|[x, y]| {
            let (x, y) = (x - dw / 2.0, y - dh / 2.0);
            // Yaw (about the vertical axis), then pitch (horizontal axis), then roll.
            let (x, z1) = (x * cy, x * sy);
            let (y, z1) = (y * cp - z1 * sp, y * sp + z1 * cp);
            let (x, y) = (x * cr - y * sr, x * sr + y * cr);
            let depth = z + z1;
            [f * (x + x0) / depth + w / 2.0 - 0.5, f * (y + y0) / depth + h / 2.0 - 0.5]
        })
    }
}

/// A photograph to take.
#[derive(Debug, Clone, Copy)]
pub struct Shot {
    pub width: u32,
    pub height: u32,
    pub desk: Desk,
    /// The document, or `None` for an empty desk.
    pub sheet: Option<Sheet>,
    pub pose: Pose,
    pub effects: Effects,
    /// Draws the scene: the document's text, the desk's offset, the light.
    pub seed: u64,
    /// Draws the sensor noise alone, so that frames of one scene differ as a camera's do.
    pub noise_seed: u64,
}

/// What goes wrong, or right, in a shot. The default is a clean photograph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effects {
    /// Defocus radius of the document only (at 1600 pixels wide; scaled with the frame).
    pub card_blur: f32,
    /// Defocus radius of the desk only (shallow depth of field).
    pub desk_blur: f32,
    /// A glare patch on the document: its centre in document fractions, radius in frame heights.
    pub glare: Option<([f64; 2], f32)>,
    /// The document is a black-and-white copy.
    pub gray_copy: bool,
    /// A warm lamp's cast over everything (red up, blue down by this fraction).
    pub warmth: f32,
    /// Exposure gain (1: normal) and sensor noise deviation.
    pub gain: f32,
    pub noise: f32,
    /// A soft shadow across the document (a hand or the phone between it and the light).
    pub shadow: bool,
    /// A thumb over the document's bottom edge.
    pub thumb: bool,
    /// The document lies on a sheet of off-white paper larger than the frame.
    pub paper_under: bool,
}

impl Default for Effects {
    fn default() -> Effects {
        Effects {
            card_blur: 0.0,
            desk_blur: 0.0,
            glare: None,
            gray_copy: false,
            warmth: 0.0,
            gain: 1.0,
            noise: 2.5,
            shadow: false,
            thumb: false,
            paper_under: false,
        }
    }
}

/// Takes the photograph: the image and the document's corners in it (tl, tr, br, bl).
pub fn shoot(shot: &Shot) -> (RgbImage, Option<[[f64; 2]; 4]>) {
    let Shot { width: w, height: h, desk, sheet, pose, effects: fx, seed, noise_seed } = *shot;
    let mut rng = Rng::new(seed);
    let size_mm = sheet.map_or([85.6, 54.0], Sheet::size_mm);
    let corners = pose.corners(size_mm, (w, h));
    let plane = Homography::from_points(corners, [[0.0, 0.0], [size_mm[0], 0.0], size_mm, [0.0, size_mm[1]]])
        .expect("a pose projects to a proper quadrilateral");
    let scale = w as f64 / 1600.0;
    // Output pixels per millimetre at the document, for the resolution it is drawn at.
    let px_per_mm = side_lengths(&corners).into_iter().fold(0.0, f64::max) / size_mm[0].max(size_mm[1]);
    // The desk's grain is fixed on its plane, sized as if the document filled 60 % of the
    // frame's width: it comes closer with the document as the camera approaches.
    let mm_per_texel = desk.zoom() * size_mm[0].max(size_mm[1]) / (0.6 * w as f64);
    // The document lies at an angle on the desk, somewhere on it.
    let offset = [rng.unit() as f64 * 400.0, rng.unit() as f64 * 400.0];
    let (turn_sin, turn_cos) = ((rng.unit() as f64 - 0.5) * 1.2).sin_cos();
    let paper = [(rng.unit() as f64 - 0.5) * 0.5, (rng.unit() as f64 - 0.5) * 1.2, (rng.unit() as f64 - 0.5) * 1.0];

    // The desk (and the paper on it), in the document's plane.
    let mut desk_img = RgbImage::from_fn(w, h, |x, y| {
        let [u, v] = plane.apply([x as f64, y as f64]);
        let color = if fx.paper_under && on_paper([u, v], size_mm, paper) {
            let grain = paper_grain(u, v);
            [236.0 * grain, 233.0 * grain, 226.0 * grain]
        } else {
            let (u, v) = (u * turn_cos - v * turn_sin, u * turn_sin + v * turn_cos);
            desk.color([u / mm_per_texel + offset[0], v / mm_per_texel + offset[1]])
        };
        to_rgb(color)
    });
    if fx.desk_blur > 0.0 {
        desk_img = defocus(&desk_img, px(fx.desk_blur, scale));
    }

    // The document over the desk: its colour premultiplied by its coverage (the outline
    // anti-aliased by the local pixel size), so that a defocused document blurs both and
    // spreads as much over the desk as it loses inside its edge.
    let mut img = desk_img;
    if let Some(sheet) = sheet {
        let flat_scale = (px_per_mm * 1.25).clamp(2.0, 48.0);
        let mut flat = sheet.render(flat_scale, seed ^ 0x5EED);
        if fx.gray_copy {
            flat = grayscale(&flat, 0.0);
        }
        let (mut layer, mut alpha) = (RgbImage::new(w, h), RgbImage::new(w, h));
        for (x, y, p) in layer.enumerate_pixels_mut() {
            let q = plane.apply([x as f64, y as f64]);
            let step = {
                let r = plane.apply([x as f64 + 1.0, y as f64]);
                (r[0] - q[0]).hypot(r[1] - q[1])
            };
            let a = (0.5 - sheet.outline_distance(q) / step).clamp(0.0, 1.0) as f32;
            if a > 0.0 {
                let c = bilinear(&flat, q[0] * flat_scale - 0.5, q[1] * flat_scale - 0.5);
                *p = Rgb(c.map(|v| byte(v * a)));
                alpha.put_pixel(x, y, Rgb([byte(a * 255.0); 3]));
            }
        }
        if fx.card_blur > 0.0 {
            let r = px(fx.card_blur, scale);
            (layer, alpha) = (defocus(&layer, r), defocus(&alpha, r));
        }
        for (x, y, p) in img.enumerate_pixels_mut() {
            let (c, a) = (layer.get_pixel(x, y), alpha.get_pixel(x, y)[0] as f32 / 255.0);
            *p = Rgb(std::array::from_fn(|i| byte(c[i] as f32 + p[i] as f32 * (1.0 - a))));
        }
        if fx.thumb {
            thumb(&mut img, &corners, &mut rng);
        }
    }

    // Light: a soft gradient and vignette, the shadow, the lamp's cast, the exposure.
    let (gx, gy) = (rng.unit() - 0.5, rng.unit() - 0.5);
    let shadow_line = shadow_line(&corners, &mut rng);
    let warm = [1.0 + fx.warmth, 1.0 + fx.warmth / 3.0, 1.0 - fx.warmth];
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (u, v) = (x as f32 / w as f32 - 0.5, y as f32 / h as f32 - 0.5);
        let mut light = 1.0 + 0.12 * (gx * u + gy * v) - 0.18 * (u * u + v * v);
        if fx.shadow {
            let [a, b, c] = shadow_line;
            let d = (a * x as f64 + b * y as f64 + c) / (0.04 * w as f64);
            light *= 1.0 - 0.42 * smoothstep(d) as f32;
        }
        *p = Rgb(std::array::from_fn(|i| byte(p[i] as f32 * light * warm[i])));
    }
    if fx.gain != 1.0 {
        img = exposure(&img, fx.gain);
    }
    if let Some(([gu, gv], radius)) = fx.glare.filter(|_| sheet.is_some()) {
        let at = Homography::from_points([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], corners)
            .expect("a pose projects to a proper quadrilateral")
            .apply([gu, gv]);
        img = glare(&img, (at[0] / w as f64) as f32, (at[1] / h as f64) as f32, radius * h as f32);
    }
    (noisy(img, fx.noise, noise_seed), sheet.map(|_| corners))
}

/// Lengths of the quadrilateral's sides: top, right, bottom, left.
pub fn side_lengths(q: &[[f64; 2]; 4]) -> [f64; 4] {
    std::array::from_fn(|i| {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        (b[0] - a[0]).hypot(b[1] - a[1])
    })
}

fn px(radius: f32, scale: f64) -> u32 {
    ((radius as f64 * scale).round() as u32).max(1)
}

fn to_rgb(c: [f32; 3]) -> Rgb<u8> {
    Rgb(c.map(byte))
}

/// A channel value rounded to a byte (`as` saturates at 0 and 255; no libm call in the hot
/// loops).
fn byte(v: f32) -> u8 {
    (v + 0.5) as u8
}

fn smoothstep(t: f64) -> f64 {
    let t = (t * 0.5 + 0.5).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Paper under the document: a sheet 2.6 by 3 times the document's size, turned by `angle`
/// and shifted by (`dx`, `dy`) document sizes, so that it runs out of the frame on some sides
/// and leaves the desk in view on others.
fn on_paper([u, v]: [f64; 2], [w, h]: [f64; 2], [angle, dx, dy]: [f64; 3]) -> bool {
    let (s, c) = angle.sin_cos();
    let (x, y) = (u - w * (0.5 + dx), v - h * (0.5 + dy));
    let (x, y) = (x * c + y * s, -x * s + y * c);
    x.abs() < w * 1.3 && y.abs() < h * 1.5
}

/// The faint unevenness of paper: a product of slow waves around 1.
fn paper_grain(u: f64, v: f64) -> f32 {
    (1.0 + 0.012 * ((u * 0.9).sin() * (v * 1.3).cos()) + 0.008 * ((u * 0.13 + v * 0.07).sin())) as f32
}

/// A line `a x + b y + c = 0` (unit normal) through the document's inner half, at a random angle.
fn shadow_line(q: &[[f64; 2]; 4], rng: &mut Rng) -> [f64; 3] {
    let (t, s) = (rng.unit() as f64, rng.unit() as f64);
    let lerp = |a: [f64; 2], b: [f64; 2], t: f64| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    let through = lerp(lerp(q[0], q[1], 0.3 + 0.4 * t), lerp(q[3], q[2], 0.3 + 0.4 * t), 0.3 + 0.4 * s);
    let angle = (rng.unit() as f64 - 0.5) * 1.6 + std::f64::consts::FRAC_PI_2 * (rng.range(0, 2) as f64);
    let (a, b) = (angle.cos(), angle.sin());
    [a, b, -(a * through[0] + b * through[1])]
}

/// A thumb reaching from below the frame over the document's bottom edge, away from its corners.
fn thumb(img: &mut RgbImage, q: &[[f64; 2]; 4], rng: &mut Rng) {
    let (w, h) = (img.width() as f64, img.height() as f64);
    let t = 0.3 + 0.4 * rng.unit() as f64;
    let edge = [q[3][0] + (q[2][0] - q[3][0]) * t, q[3][1] + (q[2][1] - q[3][1]) * t];
    let card_height = ((q[3][0] - q[0][0]).hypot(q[3][1] - q[0][1]) + (q[2][0] - q[1][0]).hypot(q[2][1] - q[1][1])) / 2.0;
    let r = card_height * 0.16;
    let tip = [edge[0], edge[1] - r * 0.3];
    let base = [edge[0] + (rng.unit() as f64 - 0.5) * w * 0.3, h + 2.0 * r];
    let (dx, dy) = (base[0] - tip[0], base[1] - tip[1]);
    let len2 = dx * dx + dy * dy;
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (x, y) = (x as f64, y as f64);
        let s = (((x - tip[0]) * dx + (y - tip[1]) * dy) / len2).clamp(0.0, 1.0);
        let d = (x - tip[0] - s * dx).hypot(y - tip[1] - s * dy);
        let a = (r + 0.5 - d).clamp(0.0, 1.0) as f32;
        if a > 0.0 {
            // Rounded flesh: darker towards the rim; a paler nail near the tip.
            let shade = (0.7 + 0.3 * (1.0 - (d / r).min(1.0).powi(2)).sqrt()) as f32;
            let nail = s * len2.sqrt() < r * 1.1 && d < r * 0.6;
            let skin = if nail { [236.0, 196.0, 186.0] } else { [214.0, 160.0, 128.0] };
            *p = Rgb(std::array::from_fn(|i| byte(p[i] as f32 * (1.0 - a) + skin[i] * shade * a)));
        }
    }
}

fn bilinear(img: &RgbImage, x: f64, y: f64) -> [f32; 3] {
    let (w, h) = (img.width() as f64, img.height() as f64);
    let (x, y) = (x.clamp(0.0, w - 1.0), y.clamp(0.0, h - 1.0));
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(img.width() - 1), (y0 + 1).min(img.height() - 1));
    let (fx, fy) = ((x - x0 as f64) as f32, (y - y0 as f64) as f32);
    let (a, b, c, d) = (img.get_pixel(x0, y0), img.get_pixel(x1, y0), img.get_pixel(x0, y1), img.get_pixel(x1, y1));
    std::array::from_fn(|i| {
        let top = a[i] as f32 * (1.0 - fx) + b[i] as f32 * fx;
        let bottom = c[i] as f32 * (1.0 - fx) + d[i] as f32 * fx;
        top * (1.0 - fy) + bottom * fy
    })
}
