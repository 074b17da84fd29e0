//! The real faces of the face corpus: three portraits vendored under `testing/faces/` (sources and
//! licences in its README), each with its face box and a feathered cut-out of head, hair and
//! shoulders that can be laid on any background at any size and roll.
//!
//! A portrait is addressed in face units: the face box's side is 1 and its centre is the origin
//! (x right, y down), so a placement only needs a centre, a side in pixels and a roll.

use crate::desks::Decoded;
use std::sync::OnceLock;

/// A person whose photograph the repository may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    /// NASA's portrait of Eileen Collins (scikit-image `astronaut`, public domain).
    Astronaut,
    /// The US Navy's portrait of Grace Hopper (matplotlib `grace_hopper`, public domain).
    Hopper,
    /// A man filming, his face turned three-quarters (scikit-image `camera`, CC0, grey).
    Camera,
}

/// Head, neck and shoulders as ellipses `[dx, dy, rx, ry]` in face units.
type Cutout = &'static [[f64; 4]];

impl Person {
    pub const ALL: [Person; 3] = [Person::Astronaut, Person::Hopper, Person::Camera];

    /// The name in the corpus labels (`person`).
    pub fn name(self) -> &'static str {
        match self {
            Person::Astronaut => "astronaut",
            Person::Hopper => "hopper",
            Person::Camera => "camera",
        }
    }

    fn photo(self) -> &'static Decoded {
        static CELLS: [OnceLock<Decoded>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let (cell, bytes): (_, &[u8]) = match self {
            Person::Astronaut => (&CELLS[0], include_bytes!("../faces/astronaut.jpg")),
            Person::Hopper => (&CELLS[1], include_bytes!("../faces/grace_hopper.jpg")),
            Person::Camera => (&CELLS[2], include_bytes!("../faces/camera.jpg")),
        };
        cell.get_or_init(|| Decoded::new(bytes))
    }

    /// The face box in the photograph: left, top and side in pixels, brows to chin (as
    /// SeetaFace's frontal detector and OpenCV's Haar cascade both frame it, to a few pixels).
    fn face(self) -> [f64; 3] {
        match self {
            Person::Astronaut => [113.0, 67.0, 96.0],
            Person::Hopper => [101.0, 108.0, 215.0],
            Person::Camera => [76.0, 78.0, 70.0],
        }
    }

    fn cutout(self) -> Cutout {
        match self {
            Person::Astronaut => &[[0.02, -0.22, 0.78, 0.98], [0.0, 2.0, 1.9, 1.45]],
            Person::Hopper => &[[-0.03, -0.2, 0.53, 0.75], [0.0, 0.55, 0.42, 0.55], [0.0, 1.75, 1.05, 1.2]],
            Person::Camera => &[[0.0, -0.15, 0.75, 0.95], [-0.2, 0.8, 0.5, 0.5], [-0.7, 2.0, 1.3, 1.3]],
        }
    }

    /// How far the cut-out reaches from the face's centre, in face units (for bounding boxes).
    pub fn reach(self) -> f64 {
        self.cutout().iter().map(|[dx, dy, rx, ry]| dx.hypot(*dy) + rx.max(*ry)).fold(0.0, f64::max) + 0.1
    }

    /// Colour and coverage (0–1) of the cut-out at `[u, v]` in face units, averaged over a
    /// pixel `footprint` face units wide (so that a face drawn small is not aliased).
    pub fn sample(self, [u, v]: [f64; 2], footprint: f64) -> ([f32; 3], f32) {
        let photo = self.photo();
        let [left, top, side] = self.face();
        let n = (footprint * side).ceil().clamp(1.0, 4.0) as usize;
        let (mut color, mut cover) = ([0.0f32; 3], 0.0f32);
        for j in 0..n {
            for i in 0..n {
                let (du, dv) = (((i as f64 + 0.5) / n as f64 - 0.5) * footprint, ((j as f64 + 0.5) / n as f64 - 0.5) * footprint);
                let (u, v) = (u + du, v + dv);
                let a = self.alpha([u, v]);
                if a <= 0.0 {
                    continue;
                }
                // Fade out within 8 pixels of the photograph's own edge.
                let (x, y) = (left + (u + 0.5) * side, top + (v + 0.5) * side);
                let edge = x.min(y).min(photo.width as f64 - 1.0 - x).min(photo.height as f64 - 1.0 - y);
                let a = a * (edge / 8.0).clamp(0.0, 1.0) as f32;
                if a > 0.0 {
                    let c = photo.sample(x, y);
                    (0..3).for_each(|k| color[k] += c[k] * a);
                    cover += a;
                }
            }
        }
        if cover > 0.0 {
            color = color.map(|c| c / cover);
        }
        (color, cover / (n * n) as f32)
    }

    /// The cut-out's coverage at a point: the union of its ellipses, feathered over 0.06 face units.
    fn alpha(self, [u, v]: [f64; 2]) -> f32 {
        self.cutout()
            .iter()
            .map(|&[dx, dy, rx, ry]| {
                let d = (((u - dx) / rx).hypot((v - dy) / ry) - 1.0) * rx.min(ry);
                (0.5 - d / 0.06).clamp(0.0, 1.0) as f32
            })
            .fold(0.0, f32::max)
    }

    /// The colour and the cut-out's coverage of each pixel of the photograph's face box (its
    /// corners lie partly outside the cut-out).
    pub fn face_pixels(self) -> Vec<([f32; 3], f32)> {
        let photo = self.photo();
        let [left, top, side] = self.face();
        let mut out = Vec::new();
        for y in top as usize..(top + side) as usize {
            for x in left as usize..(left + side) as usize {
                let at = [(x as f64 + 0.5 - left) / side - 0.5, (y as f64 + 0.5 - top) / side - 0.5];
                out.push((photo.sample(x as f64, y as f64), self.alpha(at)));
            }
        }
        out
    }
}

/// Rec. 601 luma of an RGB colour.
pub fn luma([r, g, b]: [f32; 3]) -> f32 {
    0.299 * r + 0.587 * g + 0.114 * b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cutout_covers_the_face_and_leaves_the_corners() {
        for p in Person::ALL {
            for (u, v) in [(0.0, 0.0), (-0.3, -0.3), (0.3, 0.3), (-0.3, 0.3), (0.3, -0.3)] {
                assert_eq!(p.sample([u, v], 0.01).1, 1.0, "{}: ({u}, {v}) not covered", p.name());
            }
            // The photograph's top corners lie outside the head.
            let photo = p.photo();
            let [left, top, side] = p.face();
            let corner = |x: f64, y: f64| [(x - left) / side - 0.5, (y - top) / side - 0.5];
            assert_eq!(p.sample(corner(10.0, 10.0), 0.01).1, 0.0, "{}", p.name());
            assert_eq!(p.sample(corner(photo.width as f64 - 10.0, 10.0), 0.01).1, 0.0, "{}", p.name());
        }
    }
}
