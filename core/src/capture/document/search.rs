//! From lines to the document: every pair of near-parallel line pairs bounds a candidate
//! quad; each is scored by how much of its outline the image's edges actually trace.
//!
//! The frame's own borders are candidate lines too ("virtual" sides): a quad that needs one,
//! or whose corner falls outside the frame, is a document cut by the frame.

use super::edges::Edges;
use super::geometry::{Line, Point, Quad};
use super::hough::Peak;

/// Opposite sides may converge by this much (degrees) under perspective.
const PARALLEL: f64 = 25.0;
/// Adjacent sides meet at least this steeply (degrees).
const CROSSING: f64 = 45.0;
/// Share of each side, at both ends, left out of the score: rounded corners, a corner's clutter.
const END_SKIP: f64 = 0.1;
/// How far across the outline (pixels) an edge may lie and still trace it.
const REACH: i32 = 2;
/// |cos| between an edge's gradient and the side's normal, squared: within about 27°.
const ALIGNED: f32 = 0.8;
/// A side must be this visible in the frame for its trace to count.
const MIN_VISIBLE: f64 = 0.3;

/// One candidate outline, in the searched image's pixels.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub quad: Quad,
    /// Share of the outline traced by edges of one polarity, 0–1.
    pub confidence: f64,
    /// All four corners inside the frame and no side on the frame's border.
    pub complete: bool,
}

/// What the document must look like.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// Accepted flat long/short ratios.
    pub aspects: &'a [f64],
    /// Relative tolerance on the ratio.
    pub tolerance: f64,
    /// The least area, as a fraction of the frame, worth considering.
    pub min_area: f64,
}

/// The best complete and the best cut-off candidates.
#[derive(Debug, Default, Clone, Copy)]
pub struct Best {
    pub complete: Option<Candidate>,
    pub partial: Option<Candidate>,
    /// The best confidence of a whole outline of another shape: a cut-off candidate that does
    /// not beat it is more likely part of that shape than a cut-off document.
    pub other_shape: f64,
}

/// Candidates within this share of the best confidence compete on size: a document's outline
/// wins over the photo box or table printed inside it.
const NEAR_BEST: f64 = 0.85;

struct Side {
    line: Line,
    border: bool,
}

/// Scores every quad the lines bound.
pub fn search(edges: &Edges, peaks: &[Peak], expect: Expect) -> Best {
    let (w, h) = (edges.width as f64, edges.height as f64);
    let mut sides: Vec<Side> = peaks.iter().map(|p| Side { line: p.line, border: false }).collect();
    for (nx, ny, rho) in [(1.0, 0.0, 0.0), (1.0, 0.0, w), (0.0, 1.0, 0.0), (0.0, 1.0, h)] {
        sides.push(Side { line: Line { nx, ny, rho }, border: true });
    }
    let min_gap = 0.08 * w.min(h);
    let mut pairs = Vec::new();
    for i in 0..sides.len() {
        for j in i + 1..sides.len() {
            let (a, b) = (&sides[i].line, &sides[j].line);
            if (sides[i].border && sides[j].border) || a.angle_to(b) > PARALLEL {
                continue;
            }
            let same = if a.nx * b.nx + a.ny * b.ny >= 0.0 { b.rho } else { -b.rho };
            if (a.rho - same).abs() >= min_gap {
                pairs.push((i, j));
            }
        }
    }
    let mut scored: Vec<(Candidate, f64)> = Vec::new();
    let mut best = Best::default();
    for (p, &(a, b)) in pairs.iter().enumerate() {
        for &(c, d) in &pairs[p + 1..] {
            if sides[a].line.angle_to(&sides[c].line) < CROSSING {
                continue;
            }
            let borders = [a, b, c, d].iter().filter(|&&i| sides[i].border).count();
            if borders > 1 {
                continue;
            }
            let Some((candidate, shaped)) = score(edges, [&sides[a], &sides[d], &sides[b], &sides[c]], expect) else { continue };
            if !shaped {
                best.other_shape = best.other_shape.max(candidate.confidence);
            } else if candidate.complete {
                let area = candidate.quad.area();
                scored.push((candidate, area));
            } else if best.partial.is_none_or(|p| candidate.confidence > p.confidence) {
                best.partial = Some(candidate);
            }
        }
    }
    let top = scored.iter().map(|(c, _)| c.confidence).fold(0.0, f64::max);
    if best.partial.is_some_and(|p| p.confidence <= best.other_shape) {
        best.partial = None;
    }
    best.complete = scored
        .into_iter()
        .filter(|(c, _)| c.confidence >= NEAR_BEST * top)
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .map(|(c, _)| c);
    best
}

/// Scores the quad whose sides lie, in turn, on `lines` (each crossing the next); the flag
/// says whether a complete quad has an expected aspect (always true for a cut-off one).
fn score(edges: &Edges, lines: [&Side; 4], expect: Expect) -> Option<(Candidate, bool)> {
    let (w, h) = (edges.width as f64, edges.height as f64);
    let mut corners = [Point::new(0.0, 0.0); 4];
    for k in 0..4 {
        corners[k] = lines[k].line.intersect(&lines[(k + 3) % 4].line)?;
        let p = corners[k];
        if p.x < -0.5 * w || p.x > 1.5 * w || p.y < -0.5 * h || p.y > 1.5 * h {
            return None;
        }
    }
    let polygon = Quad::from_corners(corners);
    if !polygon.is_convex() || polygon.area() < expect.min_area * w * h {
        return None;
    }
    let inside = |p: Point| p.x >= -1.0 && p.x <= w + 1.0 && p.y >= -1.0 && p.y <= h + 1.0;
    let complete = corners.iter().all(|&p| inside(p)) && lines.iter().all(|s| !s.border);
    let quad = Quad::ordered(corners);
    let aspect = quad.flat_aspect(Point::new(w / 2.0, h / 2.0), 0.8 * w.max(h));
    let shaped = !complete || expect.aspects.iter().any(|&a| (aspect / a - 1.0).abs() <= expect.tolerance);
    let mut traced = Vec::with_capacity(4);
    for k in 0..4 {
        if lines[k].border {
            continue;
        }
        // Side k runs from corner k to corner k+1 on lines[k].
        let (support, visible) = trace(edges, corners[k], corners[(k + 1) % 4]);
        if visible < MIN_VISIBLE {
            return None;
        }
        traced.push(support);
    }
    if traced.len() < 2 {
        return None;
    }
    let mean = traced.iter().sum::<f64>() / traced.len() as f64;
    let min = traced.iter().copied().fold(1.0, f64::min);
    // A cut-off document shows fewer sides: it must trace them better to be believed.
    let shown = traced.len() as f64 / 4.0;
    let confidence = (0.6 * mean + 0.4 * min) * shown.sqrt();
    Some((Candidate { quad, confidence, complete }, shaped))
}

/// How much of the segment `a`–`b` (its ends left out) an edge of one polarity traces, and
/// how much of it lies inside the frame.
fn trace(edges: &Edges, a: Point, b: Point) -> (f64, f64) {
    let (w, h) = (edges.width as i32, edges.height as i32);
    let len = a.distance(b);
    let (ux, uy) = ((b.x - a.x) / len, (b.y - a.y) / len);
    let (nx, ny) = (-uy as f32, ux as f32);
    let (start, end) = (END_SKIP * len, (1.0 - END_SKIP) * len);
    let (mut samples, mut seen, mut positive, mut negative) = (0u32, 0u32, 0u32, 0u32);
    let mut t = start;
    while t <= end {
        samples += 1;
        let (px, py) = (a.x + ux * t, a.y + uy * t);
        t += 1.0;
        let (x0, y0) = (px.floor() as i32, py.floor() as i32);
        if x0 < 2 || y0 < 2 || x0 >= w - 2 || y0 >= h - 2 {
            continue;
        }
        seen += 1;
        let mut strongest = 0f32;
        for d in -REACH..=REACH {
            let x = (px + nx as f64 * d as f64).floor() as i32;
            let y = (py + ny as f64 * d as f64).floor() as i32;
            if x < 1 || y < 1 || x >= w - 1 || y >= h - 1 {
                continue;
            }
            let i = (y * w + x) as usize;
            let (gx, gy) = (edges.gx[i] as f32, edges.gy[i] as f32);
            let along = gx * nx + gy * ny;
            if along.abs() >= edges.threshold as f32 && along * along >= ALIGNED * (gx * gx + gy * gy) && along.abs() > strongest.abs() {
                strongest = along;
            }
        }
        if strongest > 0.0 {
            positive += 1;
        } else if strongest < 0.0 {
            negative += 1;
        }
    }
    if seen == 0 {
        return (0.0, 0.0);
    }
    (positive.max(negative) as f64 / seen as f64, seen as f64 / samples.max(1) as f64)
}
