//! From lines to the document: every pair of near-parallel line pairs bounds a candidate
//! quad; each is scored by how much of its outline the image's edges actually trace.
//!
//! The frame's own borders are candidate lines too ("virtual" sides): a quad that needs one,
//! or whose corner falls outside the frame, is a document cut by the frame.

use std::ops::Range;

use super::edges::Edges;
use super::geometry::{Line, Point, Quad};
use super::hough::Peak;

/// Opposite sides may converge by this much (degrees) under perspective.
const PARALLEL: f64 = 50.0;
/// Adjacent sides meet at least this steeply (degrees).
const CROSSING: f64 = 45.0;
/// Share of each side, at both ends, left out of the score: rounded corners, a corner's clutter.
const END_SKIP: f64 = 0.1;
/// How far across the outline (pixels) an edge may lie and still trace it.
const REACH: i32 = 2;
/// |cos| between an edge's gradient and the side's normal, squared: within about 27°.
const ALIGNED: f32 = 0.8;
/// The most perspective the visible part of a cut-off document may show.
const MAX_CUT_PERSPECTIVE: f64 = 1.5;
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
/// How far past each corner (a share of the side) a line is checked for running on: a
/// document's edge stops at its corner, a tablecloth's stripe or a plank's seam does not.
const RUN_ON: f64 = 0.2;

/// One candidate line, with the edges along it tallied once so that any stretch of it scores
/// in constant time.
#[derive(Debug)]
struct Side {
    line: Line,
    /// On the frame's border: a side the frame cuts off, never traced.
    border: bool,
    /// A point on the line and its unit direction; `t` measures distance from the point.
    origin: Point,
    dir: (f64, f64),
    /// The stretch of `t` inside the frame, sampled at whole steps from `t0`.
    t0: f64,
    /// Where this side's running counts lie in [`Search::tallies`].
    counts: Range<usize>,
}

impl Side {
    /// The side on `line`, its running counts of samples with an edge of each polarity across
    /// the line appended to `tallies`.
    fn new(edges: &Edges, line: Line, border: bool, tallies: &mut Vec<[u32; 2]>) -> Side {
        let (w, h) = (edges.width as f64, edges.height as f64);
        let origin = Point::new(line.nx * line.rho, line.ny * line.rho);
        let dir = (-line.ny, line.nx);
        // The stretch of the line inside the frame (Liang–Barsky against the frame's box).
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        for (p, d, max) in [(origin.x, dir.0, w), (origin.y, dir.1, h)] {
            if d.abs() < 1e-12 {
                if p < 0.0 || p > max {
                    (lo, hi) = (0.0, -1.0);
                }
            } else {
                let (a, b) = ((0.0 - p) / d, (max - p) / d);
                lo = lo.max(a.min(b));
                hi = hi.min(a.max(b));
            }
        }
        let start = tallies.len();
        tallies.push([0, 0]);
        let mut side = Side { line, border, origin, dir, t0: lo, counts: start..start + 1 };
        if border || !(hi > lo) {
            return side;
        }
        let mut count = [0, 0];
        for k in 0..(hi - lo).floor() as usize {
            match polarity(edges, side.at(lo + k as f64 + 0.5), (line.nx as f32, line.ny as f32)) {
                1 => count[0] += 1,
                -1 => count[1] += 1,
                _ => {}
            }
            tallies.push(count);
        }
        side.counts.end = tallies.len();
        side
    }

    fn at(&self, t: f64) -> Point {
        Point::new(self.origin.x + self.dir.0 * t, self.origin.y + self.dir.1 * t)
    }

    fn param(&self, p: Point) -> f64 {
        (p.x - self.origin.x) * self.dir.0 + (p.y - self.origin.y) * self.dir.1
    }

    /// Samples in `[a, b]` inside the frame, and those with a positive and a negative edge;
    /// `tallies` are the search's.
    fn tally(&self, tallies: &[[u32; 2]], a: f64, b: f64) -> (u32, u32, u32) {
        let counts = &tallies[self.counts.clone()];
        let n = counts.len() - 1;
        let index = |t: f64| ((t - self.t0).round().max(0.0) as usize).min(n);
        let (i, j) = (index(a.min(b)), index(a.max(b)));
        (j.saturating_sub(i) as u32, counts[j][0] - counts[i][0], counts[j][1] - counts[i][1])
    }
}

/// Within this many pixels of a frame border along its whole stretch, a line is that border:
/// the edge a cut-off document or a vignette leaves on the last rows, not a document's side.
const BORDER_HUG: f64 = 1.5;

/// Whether `line` runs along one of the `w` × `h` frame's borders.
fn hugs_border(line: &Line, w: f64, h: f64) -> bool {
    let near = |rho: f64, max: f64| rho.abs() <= BORDER_HUG || (rho - max).abs() <= BORDER_HUG;
    // Nearly vertical or horizontal, and near a border at both ends of the frame.
    let along = |from: f64, to: f64, n: f64, m: f64, max: f64| {
        m.abs() > 1e-9 && near((line.rho - n * from) / m, max) && near((line.rho - n * to) / m, max)
    };
    along(0.0, h, line.ny, line.nx, w) || along(0.0, w, line.nx, line.ny, h)
}

/// +1 or -1 when an edge aligned with the line's normal lies within `REACH` pixels across the
/// line at `p`, by the sign of its gradient along the normal; 0 without one.
fn polarity(edges: &Edges, p: Point, (nx, ny): (f32, f32)) -> i8 {
    let (w, h) = (edges.width as i32, edges.height as i32);
    let mut strongest = 0f32;
    for d in -REACH..=REACH {
        let x = (p.x + nx as f64 * d as f64).floor() as i32;
        let y = (p.y + ny as f64 * d as f64).floor() as i32;
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
    (strongest > 0.0) as i8 - (strongest < 0.0) as i8
}

/// The quad search with its buffers, reused from frame to frame: they grow to the most lines,
/// pairs and candidates a frame has needed, and are not allocated again after that.
#[derive(Debug, Default)]
pub struct Search {
    sides: Vec<Side>,
    /// Every side's running counts, back to back.
    tallies: Vec<[u32; 2]>,
    /// Index pairs of near-parallel sides far enough apart to be opposite sides.
    pairs: Vec<(usize, usize)>,
    /// Whole outlines of an expected shape, with their areas.
    scored: Vec<(Candidate, f64)>,
}

impl Search {
    /// Scores every quad the lines bound.
    pub fn run(&mut self, edges: &Edges, peaks: &[Peak], expect: Expect) -> Best {
        let (w, h) = (edges.width as f64, edges.height as f64);
        let Search { sides, tallies, pairs, scored } = self;
        let lines = peaks.len() + 4;
        sides.clear();
        sides.reserve(lines);
        tallies.clear();
        // A line's stretch inside the frame is shorter than w + h.
        tallies.reserve(lines * (edges.width + edges.height + 1));
        for p in peaks {
            sides.push(Side::new(edges, p.line, hugs_border(&p.line, w, h), tallies));
        }
        for (nx, ny, rho) in [(1.0, 0.0, 0.0), (1.0, 0.0, w), (0.0, 1.0, 0.0), (0.0, 1.0, h)] {
            sides.push(Side::new(edges, Line { nx, ny, rho }, true, tallies));
        }
        let min_gap = 0.08 * w.min(h);
        pairs.clear();
        pairs.reserve(lines * (lines - 1) / 2);
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
        scored.clear();
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
                let outline = [&sides[a], &sides[d], &sides[b], &sides[c]];
                let Some((candidate, shaped)) = score((w, h), outline, tallies, expect) else { continue };
                if !shaped {
                    best.other_shape = best.other_shape.max(candidate.confidence);
                } else if candidate.complete {
                    scored.push((candidate, candidate.quad.area()));
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
            .iter()
            .filter(|(c, _)| c.confidence >= NEAR_BEST * top)
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .map(|&(c, _)| c);
        best
    }
}

/// Scores the quad whose sides lie, in turn, on `lines` (each crossing the next), in a
/// `w` × `h` frame; the flag says whether a complete quad has an expected aspect (always true
/// for a cut-off one).
fn score((w, h): (f64, f64), lines: [&Side; 4], tallies: &[[u32; 2]], expect: Expect) -> Option<(Candidate, bool)> {
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
    // What shows of a cut-off document is still a plausible outline, not a sliver.
    if !complete && quad.perspective() > MAX_CUT_PERSPECTIVE {
        return None;
    }
    let aspect = quad.flat_aspect(Point::new(w / 2.0, h / 2.0), 0.8 * w.max(h));
    // Under strong perspective the flat ratio is only as good as the focal-length guess.
    let tolerance = expect.tolerance * (1.0 + 2.0 * quad.perspective().min(1.0));
    let shaped = !complete || expect.aspects.iter().any(|&a| (aspect / a - 1.0).abs() <= tolerance);
    // Each traced side's share, and the run-on shares past its corners.
    let (mut traced, mut shown) = ([0.0; 4], 0);
    let (mut run_on, mut ends) = (0.0, 0);
    for (k, side) in lines.iter().enumerate() {
        if side.border {
            continue;
        }
        // Side k runs from corner k to corner k+1.
        let (ta, tb) = (side.param(corners[k]), side.param(corners[(k + 1) % 4]));
        let (start, end) = (ta.min(tb), ta.max(tb));
        let skip = END_SKIP * (end - start);
        let (seen, positive, negative) = side.tally(tallies, start + skip, end - skip);
        let length = (end - start - 2.0 * skip).max(1.0);
        if (seen as f64) < MIN_VISIBLE * length || seen == 0 {
            return None;
        }
        let sign_positive = positive >= negative;
        traced[shown] = positive.max(negative) as f64 / seen as f64;
        shown += 1;
        // The same edge running on past either corner.
        let reach = RUN_ON * (end - start);
        for (a, b) in [(start - reach, start), (end, end + reach)] {
            let (n, p, q) = side.tally(tallies, a, b);
            if n > 0 {
                run_on += if sign_positive { p } else { q } as f64 / n as f64;
                ends += 1;
            }
        }
    }
    if shown < 3 {
        return None;
    }
    let traced = &traced[..shown];
    let mean = traced.iter().sum::<f64>() / shown as f64;
    let min = traced.iter().copied().fold(1.0, f64::min);
    let run_on = run_on / ends.max(1) as f64;
    // A cut-off document shows fewer sides: it must trace them better to be believed.
    let confidence = (0.6 * mean + 0.4 * min) * (shown as f64 / 4.0).sqrt() * (1.0 - 0.5 * run_on);
    Some((Candidate { quad, confidence, complete }, shaped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_along_the_frame_border_are_the_border() {
        let (w, h) = (320.0, 240.0);
        assert!(hugs_border(&Line { nx: 0.0, ny: 1.0, rho: 239.0 }, w, h));
        assert!(hugs_border(&Line { nx: 1.0, ny: 0.0, rho: 0.5 }, w, h));
        assert!(!hugs_border(&Line { nx: 0.0, ny: 1.0, rho: 236.0 }, w, h));
        // Near the border at one end only.
        let slanted = Line::through(Point::new(0.0, 239.0), Point::new(320.0, 230.0)).unwrap();
        assert!(!hugs_border(&slanted, w, h));
    }
}
