//! The desks documents lie on, made from the photographs vendored under `testing/textures/`
//! (sources, licences and what was done to each in its README).
//!
//! Only `wood` and `gravel` are what their names say (the wood laid as planks cut from one
//! strip of a photographed table top). `stone` is a photograph of brick paving
//! tinted sand-grey, `fabric` a photograph of grass tinted navy and shrunk until the blades read
//! as a pile, `tablecloth` a drawn gingham check woven with that grass's grain, and `grey` a
//! plain grey drawn in code.

use image::RgbImage;
use std::sync::OnceLock;

/// A desk surface, named as the corpus labels name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desk {
    Wood,
    Stone,
    Fabric,
    Tablecloth,
    Gravel,
    Grey,
}

impl Desk {
    pub const ALL: [Desk; 6] = [Desk::Wood, Desk::Stone, Desk::Fabric, Desk::Tablecloth, Desk::Gravel, Desk::Grey];

    /// The name in the corpus labels (`texture`).
    pub fn name(self) -> &'static str {
        match self {
            Desk::Wood => "wood",
            Desk::Stone => "stone",
            Desk::Fabric => "fabric",
            Desk::Tablecloth => "tablecloth",
            Desk::Gravel => "gravel",
            Desk::Grey => "grey",
        }
    }

    /// How many output pixels one texture pixel spans when the document fills 60 % of the
    /// frame's width: the photographs are small, so they are magnified about as much as a
    /// phone camera resolves such a surface.
    pub fn zoom(self) -> f64 {
        match self {
            Desk::Wood => 3.0,
            Desk::Stone => 1.6,
            Desk::Fabric => 0.8,
            Desk::Tablecloth => 1.2,
            Desk::Gravel => 1.5,
            Desk::Grey => 1.0,
        }
    }

    /// The desk's colour (0–255 per channel) at a point of its plane, in texture pixels.
    pub fn color(self, [u, v]: [f64; 2]) -> [f32; 3] {
        match self {
            Desk::Wood => {
                // Planks as wide as the photographed strip of wood, each cut from another stretch
                // of it, with a dark groove between them.
                let wood = photo(Photo::Wood);
                let plank = (wood.width - 1) as f64;
                let k = (v / plank).floor();
                let across = v - k * plank;
                let groove = if across.min(plank - across) < 1.2 { 0.55 } else { 0.92 };
                wood.sample(across, u + k * 173.0).map(|c| c * groove)
            }
            Desk::Stone => tinted(photo(Photo::Brick).sample(u, v)[0], 111.0, 0.6, [164.0, 154.0, 140.0]),
            Desk::Fabric => tinted(photo(Photo::Grass).sample(u, v)[0], 118.0, 0.9, [62.0, 74.0, 112.0]),
            Desk::Tablecloth => {
                // Red gingham: a band every 22 texture pixels each way; red where both cross.
                let band = |t: f64| (t / 22.0).rem_euclid(2.0) < 1.0;
                let base = match (band(u), band(v)) {
                    (true, true) => [178.0, 46.0, 54.0],
                    (true, false) | (false, true) => [222.0, 148.0, 146.0],
                    (false, false) => [238.0, 232.0, 224.0],
                };
                let weave = photo(Photo::Grass).sample(u * 2.0, v * 2.0)[0];
                tinted(weave, 118.0, 0.22, base)
            }
            Desk::Gravel => tinted(photo(Photo::Gravel).sample(u, v)[0], 126.0, 1.0, [128.0, 126.0, 122.0]),
            Desk::Grey => [118.0, 118.0, 115.0],
        }
    }
}

/// A grey photograph's brightness `l` around its mean, with its contrast scaled, laid over `base`.
fn tinted(l: f32, mean: f32, contrast: f32, base: [f32; 3]) -> [f32; 3] {
    let gain = (1.0 + contrast * (l / mean - 1.0)).max(0.0);
    base.map(|c| (c * gain).min(245.0))
}

/// The vendored texture photographs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Photo {
    Wood,
    Brick,
    Grass,
    Gravel,
}

/// A decoded photograph, sampled with mirrored repeats so any plane point has a colour.
pub struct Decoded {
    pub width: usize,
    pub height: usize,
    rgb: Vec<f32>,
}

/// A texture photograph, decoded once.
pub fn photo(which: Photo) -> &'static Decoded {
    static CELLS: [OnceLock<Decoded>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (cell, bytes): (_, &[u8]) = match which {
        Photo::Wood => (&CELLS[0], include_bytes!("../textures/wood.jpg")),
        Photo::Brick => (&CELLS[1], include_bytes!("../textures/brick.jpg")),
        Photo::Grass => (&CELLS[2], include_bytes!("../textures/grass.jpg")),
        Photo::Gravel => (&CELLS[3], include_bytes!("../textures/gravel.jpg")),
    };
    cell.get_or_init(|| Decoded::new(bytes))
}

impl Decoded {
    /// Decodes a vendored JPEG; panics on one that does not decode.
    pub fn new(jpeg: &[u8]) -> Decoded {
        let img: RgbImage = image::load_from_memory(jpeg).expect("vendored photograph decodes").to_rgb8();
        let (w, h) = img.dimensions();
        Decoded { width: w as usize, height: h as usize, rgb: img.into_raw().into_iter().map(f32::from).collect() }
    }

    /// Bilinear sample at (u, v) in pixels, the photograph mirrored at its edges.
    pub fn sample(&self, u: f64, v: f64) -> [f32; 3] {
        let mirror = |t: f64, n: usize| {
            let period = 2.0 * n as f64;
            let t = t.rem_euclid(period);
            if t < n as f64 { t } else { period - t }
        };
        let (u, v) = (mirror(u, self.width - 1), mirror(v, self.height - 1));
        let (x0, y0) = (u.floor() as usize, v.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = ((u - x0 as f64) as f32, (v - y0 as f64) as f32);
        let at = |x: usize, y: usize, c: usize| self.rgb[(y * self.width + x) * 3 + c];
        std::array::from_fn(|c| {
            let top = at(x0, y0, c) * (1.0 - fx) + at(x1, y0, c) * fx;
            let bottom = at(x0, y1, c) * (1.0 - fx) + at(x1, y1, c) * fx;
            top * (1.0 - fy) + bottom * fy
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_textured_desk_has_texture_and_stays_below_clipping() {
        for desk in Desk::ALL {
            let lumas: Vec<f32> = (0..4000)
                .map(|i| {
                    let c = desk.color([(i % 80) as f64 * 7.3, (i / 80) as f64 * 5.1]);
                    assert!(c.iter().all(|&v| (0.0..=245.0).contains(&v)), "{}: {c:?}", desk.name());
                    0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2]
                })
                .collect();
            let mean = lumas.iter().sum::<f32>() / lumas.len() as f32;
            let sd = (lumas.iter().map(|l| (l - mean).powi(2)).sum::<f32>() / lumas.len() as f32).sqrt();
            if desk == Desk::Grey {
                assert!(sd < 0.01, "grey is plain: sd {sd}");
            } else {
                assert!(sd > 8.0, "{} is too flat: sd {sd}", desk.name());
            }
        }
    }
}
