//! Points, quadrilaterals, lines and homographies, in continuous pixel coordinates: pixel
//! `(i, j)` covers `[i, i+1) × [j, j+1)`, so its centre is `(i + 0.5, j + 0.5)`.

use serde::{Deserialize, Serialize};

/// A point in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    pub fn distance(self, o: Point) -> f64 {
        (self.x - o.x).hypot(self.y - o.y)
    }

    fn scaled(self, sx: f64, sy: f64) -> Point {
        Point::new(self.x * sx, self.y * sy)
    }
}

/// A document's outline: four corners, clockwise from the top-left as the document reads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Quad {
    pub top_left: Point,
    pub top_right: Point,
    pub bottom_right: Point,
    pub bottom_left: Point,
}

impl Quad {
    pub fn from_corners([tl, tr, br, bl]: [Point; 4]) -> Quad {
        Quad { top_left: tl, top_right: tr, bottom_right: br, bottom_left: bl }
    }

    /// Top-left, top-right, bottom-right, bottom-left.
    pub fn corners(&self) -> [Point; 4] {
        [self.top_left, self.top_right, self.bottom_right, self.bottom_left]
    }

    /// The same quad in a frame scaled by `sx` × `sy`.
    pub fn scaled(&self, sx: f64, sy: f64) -> Quad {
        Quad::from_corners(self.corners().map(|p| p.scaled(sx, sy)))
    }

    /// Area by the shoelace formula (positive for any simple quad).
    pub fn area(&self) -> f64 {
        let c = self.corners();
        let twice: f64 = (0..4).map(|i| c[i].x * c[(i + 1) % 4].y - c[(i + 1) % 4].x * c[i].y).sum();
        twice.abs() / 2.0
    }

    /// Side lengths: top, right, bottom, left.
    pub fn sides(&self) -> [f64; 4] {
        let c = self.corners();
        [c[0].distance(c[1]), c[1].distance(c[2]), c[2].distance(c[3]), c[3].distance(c[0])]
    }

    /// How far the outline is from a rectangle seen straight on: the larger of the two
    /// opposite-side ratios, minus one (0 when held parallel; 0.25 when the far edge looks a
    /// fifth shorter than the near one).
    pub fn perspective(&self) -> f64 {
        let [t, r, b, l] = self.sides();
        let ratio = |a: f64, b: f64| a.max(b) / a.min(b).max(f64::MIN_POSITIVE);
        ratio(t, b).max(ratio(l, r)) - 1.0
    }

    /// The document's long/short side ratio as it would measure flat, undoing the perspective
    /// (Zhang & He, "Whiteboard scanning and image enhancement", 2007). The focal length, in
    /// pixels, comes from the quad itself when that is well-conditioned, else `focal_guess`;
    /// `centre` is the principal point (the frame's centre).
    pub fn flat_aspect(&self, centre: Point, focal_guess: f64) -> f64 {
        let h = |p: Point| [p.x - centre.x, p.y - centre.y, 1.0];
        let (m1, m2, m3, m4) = (h(self.top_left), h(self.top_right), h(self.bottom_left), h(self.bottom_right));
        let cross = |a: [f64; 3], b: [f64; 3]| [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
        let dot = |a: [f64; 3], b: [f64; 3]| a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        let m14 = cross(m1, m4);
        let k2 = dot(m14, m3) / dot(cross(m2, m4), m3);
        let k3 = dot(m14, m2) / dot(cross(m3, m4), m2);
        let n2 = [k2 * m2[0] - m1[0], k2 * m2[1] - m1[1], k2 * m2[2] - m1[2]];
        let n3 = [k3 * m3[0] - m1[0], k3 * m3[1] - m1[1], k3 * m3[2] - m1[2]];
        let f2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2]);
        let plausible = (0.25 * focal_guess * focal_guess)..=(4.0 * focal_guess * focal_guess);
        let f2 = if f2.is_finite() && plausible.contains(&f2) { f2 } else { focal_guess * focal_guess };
        let norm = |n: [f64; 3]| (n[0] * n[0] + n[1] * n[1]) / f2 + n[2] * n[2];
        let ratio = (norm(n2) / norm(n3)).sqrt();
        if ratio.is_finite() && ratio > 0.0 { ratio.max(1.0 / ratio) } else { f64::INFINITY }
    }

    /// Whether the corners turn the same way at every vertex (a convex, non-degenerate quad).
    pub fn is_convex(&self) -> bool {
        let c = self.corners();
        let cross = |i: usize| {
            let (a, b, d) = (c[i], c[(i + 1) % 4], c[(i + 2) % 4]);
            (b.x - a.x) * (d.y - b.y) - (b.y - a.y) * (d.x - b.x)
        };
        let signs: [f64; 4] = std::array::from_fn(cross);
        signs.iter().all(|&s| s > 1e-9) || signs.iter().all(|&s| s < -1e-9)
    }

    /// Orders four corners clockwise (on screen, y down) starting from the one nearest the
    /// top-left of the frame's reading direction: the corner with the smallest `x + y`.
    pub fn ordered(points: [Point; 4]) -> Quad {
        let cx = points.iter().map(|p| p.x).sum::<f64>() / 4.0;
        let cy = points.iter().map(|p| p.y).sum::<f64>() / 4.0;
        let mut p = points;
        p.sort_by(|a, b| (a.y - cy).atan2(a.x - cx).total_cmp(&(b.y - cy).atan2(b.x - cx)));
        let first = (0..4).min_by(|&i, &j| (p[i].x + p[i].y).total_cmp(&(p[j].x + p[j].y))).unwrap_or(0);
        p.rotate_left(first);
        Quad::from_corners(p)
    }
}

/// A straight line `x·cos θ + y·sin θ = ρ`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// Unit normal.
    pub nx: f64,
    pub ny: f64,
    pub rho: f64,
}

impl Line {
    pub fn from_angle(theta: f64, rho: f64) -> Line {
        Line { nx: theta.cos(), ny: theta.sin(), rho }
    }

    /// The line through two points (`None` when they coincide).
    pub fn through(a: Point, b: Point) -> Option<Line> {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = dx.hypot(dy);
        (len > 1e-9).then(|| {
            let (nx, ny) = (-dy / len, dx / len);
            Line { nx, ny, rho: nx * a.x + ny * a.y }
        })
    }

    /// Signed distance of `p` from the line, along the normal.
    pub fn distance(&self, p: Point) -> f64 {
        self.nx * p.x + self.ny * p.y - self.rho
    }

    /// Where two lines cross; `None` when (nearly) parallel.
    pub fn intersect(&self, o: &Line) -> Option<Point> {
        let det = self.nx * o.ny - self.ny * o.nx;
        (det.abs() > 1e-6).then(|| Point::new((self.rho * o.ny - self.ny * o.rho) / det, (self.nx * o.rho - self.rho * o.nx) / det))
    }

    /// Angle between the two lines' directions, 0–90°.
    pub fn angle_to(&self, o: &Line) -> f64 {
        (self.nx * o.nx + self.ny * o.ny).abs().min(1.0).acos().to_degrees()
    }
}

/// A projective transform of the plane, row-major 3 × 3.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography(pub [f64; 9]);

impl Homography {
    pub const IDENTITY: Homography = Homography([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);

    /// Scales x by `sx` and y by `sy`.
    pub fn scale(sx: f64, sy: f64) -> Homography {
        Homography([sx, 0.0, 0.0, 0.0, sy, 0.0, 0.0, 0.0, 1.0])
    }

    /// The transform taking each `from[i]` to `to[i]`; `None` when three points are collinear.
    pub fn mapping(from: [Point; 4], to: [Point; 4]) -> Option<Homography> {
        // Eight equations in h0..h7, with h8 = 1.
        let mut a = [[0.0f64; 9]; 8];
        for i in 0..4 {
            let (x, y, u, v) = (from[i].x, from[i].y, to[i].x, to[i].y);
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        for col in 0..8 {
            let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
            if a[pivot][col].abs() < 1e-12 {
                return None;
            }
            a.swap(col, pivot);
            for row in 0..8 {
                if row != col {
                    let f = a[row][col] / a[col][col];
                    for k in col..9 {
                        a[row][k] -= f * a[col][k];
                    }
                }
            }
        }
        let mut h = [1.0; 9];
        for i in 0..8 {
            h[i] = a[i][8] / a[i][i];
        }
        h.iter().all(|v| v.is_finite()).then_some(Homography(h))
    }

    /// Maps a point; `None` at or behind the horizon.
    pub fn apply(&self, p: Point) -> Option<Point> {
        let m = &self.0;
        let w = m[6] * p.x + m[7] * p.y + m[8];
        (w.abs() > 1e-12).then(|| Point::new((m[0] * p.x + m[1] * p.y + m[2]) / w, (m[3] * p.x + m[4] * p.y + m[5]) / w))
    }

    /// `self` after `first`: maps `p` to `self(first(p))`.
    pub fn after(&self, first: &Homography) -> Homography {
        let (a, b) = (&self.0, &first.0);
        let mut m = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                m[3 * r + c] = (0..3).map(|k| a[3 * r + k] * b[3 * k + c]).sum();
            }
        }
        Homography(m)
    }

    /// The inverse transform; `None` when singular.
    pub fn inverse(&self) -> Option<Homography> {
        let m = &self.0;
        let cof = [
            m[4] * m[8] - m[5] * m[7],
            m[2] * m[7] - m[1] * m[8],
            m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8],
            m[0] * m[8] - m[2] * m[6],
            m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6],
            m[1] * m[6] - m[0] * m[7],
            m[0] * m[4] - m[1] * m[3],
        ];
        let det = m[0] * cof[0] + m[1] * cof[3] + m[2] * cof[6];
        (det.abs() > 1e-12).then(|| Homography(cof.map(|c| c / det)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quad() -> [Point; 4] {
        [Point::new(10.0, 20.0), Point::new(300.0, 35.0), Point::new(280.0, 210.0), Point::new(25.0, 190.0)]
    }

    #[test]
    fn mapping_takes_each_corner_where_asked() {
        let to = [Point::new(0.0, 0.0), Point::new(856.0, 0.0), Point::new(856.0, 540.0), Point::new(0.0, 540.0)];
        let h = Homography::mapping(quad(), to).unwrap();
        for (a, b) in quad().into_iter().zip(to) {
            assert!(h.apply(a).unwrap().distance(b) < 1e-6);
        }
        let back = h.inverse().unwrap();
        for (a, b) in quad().into_iter().zip(to) {
            assert!(back.apply(b).unwrap().distance(a) < 1e-6);
        }
        let round = back.after(&h);
        let p = Point::new(123.0, 45.0);
        assert!(round.apply(p).unwrap().distance(p) < 1e-6);
    }

    #[test]
    fn collinear_points_have_no_mapping() {
        let line = [Point::new(0.0, 0.0), Point::new(1.0, 1.0), Point::new(2.0, 2.0), Point::new(3.0, 3.0)];
        assert!(Homography::mapping(line, quad()).is_none());
    }

    #[test]
    fn ordering_starts_top_left_and_runs_clockwise() {
        let [a, b, c, d] = quad();
        let q = Quad::ordered([c, a, d, b]);
        assert_eq!(q.corners(), quad());
        assert!(q.is_convex());
        let bow_tie = Quad::from_corners([a, c, b, d]);
        assert!(!bow_tie.is_convex());
    }

    #[test]
    fn perspective_is_zero_for_a_rectangle_and_grows_with_foreshortening() {
        let rect = Quad::from_corners([Point::new(0.0, 0.0), Point::new(100.0, 0.0), Point::new(100.0, 60.0), Point::new(0.0, 60.0)]);
        assert!(rect.perspective().abs() < 1e-12);
        assert!((rect.area() - 6000.0).abs() < 1e-9);
        let trapezoid = Quad::from_corners([Point::new(10.0, 0.0), Point::new(90.0, 0.0), Point::new(100.0, 60.0), Point::new(0.0, 60.0)]);
        assert!((trapezoid.perspective() - 0.25).abs() < 1e-12);
    }

    /// A 1.586 card seen by an 800-px-focal camera, tilted 35° one way and 20° the other,
    /// measures 1.586 again (the two vanishing points give the focal length).
    #[test]
    fn flat_aspect_undoes_the_perspective() {
        let (f, tilt, turn) = (800.0f64, 35f64.to_radians(), 20f64.to_radians());
        let project = |x: f64, y: f64| {
            // Rotate the card's plane about the x axis, then the y axis, 600 units ahead.
            let (yc, z1) = (y * tilt.cos(), y * tilt.sin());
            let (xc, zc) = (x * turn.cos() + z1 * turn.sin(), 600.0 - x * turn.sin() + z1 * turn.cos());
            Point::new(640.0 + f * (xc + 40.0) / zc, 480.0 + f * yc / zc)
        };
        let (w, h) = (85.6 * 2.0, 54.0 * 2.0);
        let q = Quad::from_corners([project(-w / 2.0, -h / 2.0), project(w / 2.0, -h / 2.0), project(w / 2.0, h / 2.0), project(-w / 2.0, h / 2.0)]);
        let naive = { let [t, r, b, l] = q.sides(); (t + b) / (l + r) };
        let flat = q.flat_aspect(Point::new(640.0, 480.0), 1000.0);
        assert!((flat - 1.585).abs() < 0.01, "flat {flat}, naive {naive}");
        assert!((naive - 1.585).abs() > 0.05, "the test needs real foreshortening: {naive}");
    }

    #[test]
    fn lines_meet_where_they_cross() {
        let a = Line::through(Point::new(0.0, 0.0), Point::new(10.0, 10.0)).unwrap();
        let b = Line::through(Point::new(0.0, 10.0), Point::new(10.0, 0.0)).unwrap();
        assert!(a.intersect(&b).unwrap().distance(Point::new(5.0, 5.0)) < 1e-9);
        assert!((a.angle_to(&b) - 90.0).abs() < 1e-9);
        assert!(a.distance(Point::new(5.0, 5.0)).abs() < 1e-9);
    }
}
