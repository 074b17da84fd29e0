//! Straight lines through the edge pixels: a Hough transform in which each edge pixel votes
//! only near its own gradient direction, then the strongest separated peaks.

use super::edges::Edges;
use super::geometry::Line;

/// Angle bins (1° each) over a half turn.
const ANGLES: usize = 180;
/// An edge pixel votes for lines within this many degrees of its gradient's normal.
const SPREAD: isize = 5;
/// Peaks closer than this (degrees, pixels) to a stronger one are the same line.
const SAME_ANGLE: usize = 6;
const SAME_RHO: f32 = 6.0;
/// At most this many lines within `BAND` degrees of one another: a striped or checked desk
/// must not take every place from the document's sides.
const PER_BAND: usize = 6;
const BAND: usize = 8;

/// A line and the number of edge pixels on it.
#[derive(Debug, Clone, Copy)]
pub struct Peak {
    pub line: Line,
    pub votes: u32,
}

/// The accumulator and its tables, kept between calls.
#[derive(Debug)]
pub struct Hough {
    cos: [f32; ANGLES],
    sin: [f32; ANGLES],
    acc: Vec<u16>,
    rhos: usize,
    candidates: Vec<(u16, u16, u16)>,
    /// The peaks kept so far, as (angle bin, centred rho).
    kept: Vec<(usize, f32)>,
    pub peaks: Vec<Peak>,
}

impl Default for Hough {
    fn default() -> Hough {
        let angle = |t: usize| (t as f32).to_radians();
        Hough {
            cos: std::array::from_fn(|t| angle(t).cos()),
            sin: std::array::from_fn(|t| angle(t).sin()),
            acc: Vec::new(),
            rhos: 0,
            candidates: Vec::new(),
            kept: Vec::new(),
            peaks: Vec::new(),
        }
    }
}

impl Hough {
    /// Finds up to `most` lines with at least `min_votes` edge pixels each, strongest first.
    pub fn find(&mut self, edges: &Edges, most: usize, min_votes: u16) {
        let (w, h) = (edges.width as f32, edges.height as f32);
        let (cx, cy) = (w / 2.0, h / 2.0);
        let half = (cx.hypot(cy)).ceil() as usize + 1;
        self.rhos = 2 * half + 1;
        self.acc.clear();
        self.acc.resize(ANGLES * self.rhos, 0);
        for &(x, y, angle) in &edges.points {
            let (px, py) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            for d in -SPREAD..=SPREAD {
                let t = (angle as isize + d).rem_euclid(ANGLES as isize) as usize;
                let rho = px * self.cos[t] + py * self.sin[t];
                let r = (rho + half as f32).round() as usize;
                let cell = &mut self.acc[t * self.rhos + r];
                *cell = cell.saturating_add(1);
            }
        }
        self.local_maxima(min_votes);
        self.separate(most, cx, cy, half);
    }

    /// Cells that are the largest in their 5 × 5 neighbourhood (angles wrap around).
    fn local_maxima(&mut self, min_votes: u16) {
        self.candidates.clear();
        let rhos = self.rhos;
        for t in 0..ANGLES {
            for r in 2..rhos - 2 {
                let v = self.acc[t * rhos + r];
                if v < min_votes {
                    continue;
                }
                let is_max = (-2isize..=2).all(|dt| {
                    let tt = (t as isize + dt).rem_euclid(ANGLES as isize) as usize;
                    // Across the wrap the same line has the opposite ρ.
                    let rr = |dr: isize| if (t as isize + dt) < 0 || t as isize + dt >= ANGLES as isize { rhos as isize - 1 - (r as isize + dr) } else { r as isize + dr };
                    (-2isize..=2).all(|dr| {
                        let other = self.acc[tt * rhos + rr(dr).clamp(0, rhos as isize - 1) as usize];
                        other < v || (other == v && (dt, dr) >= (0, 0))
                    })
                });
                if is_max {
                    self.candidates.push((v, t as u16, r as u16));
                }
            }
        }
        self.candidates.sort_unstable_by(|a, b| b.cmp(a));
    }

    /// Greedily keeps the strongest peaks that are not near a kept one.
    fn separate(&mut self, most: usize, cx: f32, cy: f32, half: usize) {
        self.peaks.clear();
        self.kept.clear();
        self.kept.reserve(most);
        self.peaks.reserve(most);
        for &(votes, t, r) in &self.candidates {
            if self.kept.len() == most {
                break;
            }
            let (t, rho) = (t as usize, r as f32 - half as f32);
            let near = self.kept.iter().any(|&(kt, kr)| {
                let dt = t.abs_diff(kt);
                if dt < SAME_ANGLE {
                    (rho - kr).abs() < SAME_RHO
                } else if ANGLES - dt < SAME_ANGLE {
                    (rho + kr).abs() < SAME_RHO
                } else {
                    false
                }
            });
            let crowded = self.kept.iter().filter(|&&(kt, _)| t.abs_diff(kt).min(ANGLES - t.abs_diff(kt)) < BAND).count() >= PER_BAND;
            if near || crowded {
                continue;
            }
            self.kept.push((t, rho));
            let (c, s) = (self.cos[t] as f64, self.sin[t] as f64);
            let abs_rho = rho as f64 + cx as f64 * c + cy as f64 * s;
            self.peaks.push(Peak { line: Line { nx: c, ny: s, rho: abs_rho }, votes: votes as u32 });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bright_rectangle_gives_its_four_sides() {
        let (w, h) = (160, 120);
        let img: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                if (30..130).contains(&x) && (20..90).contains(&y) { 200 } else { 50 }
            })
            .collect();
        let mut edges = Edges::default();
        edges.compute(&img, w, h);
        let mut hough = Hough::default();
        hough.find(&edges, 8, 20);
        assert!(hough.peaks.len() >= 4, "{:?}", hough.peaks);
        let top4 = &hough.peaks[..4];
        for (nx, ny, rho) in [(1.0, 0.0, 30.0), (1.0, 0.0, 130.0), (0.0, 1.0, 20.0), (0.0, 1.0, 90.0)] {
            assert!(
                top4.iter().any(|p| (p.line.nx - nx).abs() < 0.05 && (p.line.ny - ny).abs() < 0.05 && (p.line.rho - rho).abs() < 2.0),
                "no line {nx},{ny},{rho} in {top4:?}"
            );
        }
    }
}
