//! The projective map (homography) between two planes, from four point pairs: how the corpus
//! places a flat document into a camera's view.

/// A 3×3 projective transform, row-major, scaled so that its last entry is 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography(pub [f64; 9]);

impl Homography {
    /// The map that takes each `from[i]` to `to[i]`, or `None` when three of either's points are
    /// collinear (no projective map does that).
    pub fn from_points(from: [[f64; 2]; 4], to: [[f64; 2]; 4]) -> Option<Homography> {
        // u = (a x + b y + c) / (g x + h y + 1), v = (d x + e y + f) / (g x + h y + 1): two
        // linear equations in (a..h) per pair, solved by Gauss-Jordan elimination.
        let mut m = [[0.0f64; 9]; 8];
        for (i, ([x, y], [u, v])) in from.into_iter().zip(to).enumerate() {
            m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        for col in 0..8 {
            let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
            let scale = m.iter().map(|row| row[col].abs()).fold(0.0, f64::max);
            if m[pivot][col].abs() <= 1e-10 * scale.max(1.0) {
                return None;
            }
            m.swap(col, pivot);
            let lead = m[col];
            for (r, row) in m.iter_mut().enumerate() {
                if r != col {
                    let f = row[col] / lead[col];
                    row.iter_mut().zip(lead).for_each(|(v, l)| *v -= f * l);
                }
            }
        }
        let h: [f64; 8] = std::array::from_fn(|i| m[i][8] / m[i][i]);
        let map = Homography([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0]);
        // A degenerate target solves the linear system without being reached (a point sent
        // through infinity): keep only a map that does take every point to its partner.
        let size = to.iter().flatten().fold(1.0f64, |s, v| s.max(v.abs()));
        let reached = from.into_iter().zip(to).all(|(p, q)| {
            let r = map.apply(p);
            (r[0] - q[0]).abs().max((r[1] - q[1]).abs()) <= 1e-7 * size
        });
        reached.then_some(map)
    }

    /// The image of a point.
    pub fn apply(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        let h = &self.0;
        let w = h[6] * x + h[7] * y + h[8];
        [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: [[f64; 2]; 4] = [[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0]];

    fn close(a: [f64; 2], b: [f64; 2]) -> bool {
        (a[0] - b[0]).abs() < 1e-6 && (a[1] - b[1]).abs() < 1e-6
    }

    #[test]
    fn maps_each_point_to_its_partner() {
        let quad = [[212.5, 140.0], [1390.0, 188.0], [1350.0, 990.5], [170.0, 1030.0]];
        let h = Homography::from_points(SQUARE, quad).unwrap();
        for (p, q) in SQUARE.into_iter().zip(quad) {
            assert!(close(h.apply(p), q), "{p:?} -> {:?}, not {q:?}", h.apply(p));
        }
        // The two maps between the same quads undo each other everywhere, not only at corners.
        let back = Homography::from_points(quad, SQUARE).unwrap();
        assert!(close(back.apply(h.apply([37.0, 81.0])), [37.0, 81.0]));
    }

    #[test]
    fn an_affine_map_stays_affine() {
        // Scale by 2, then shift by (10, 20): the midpoint goes to the midpoint.
        let to = SQUARE.map(|[x, y]| [2.0 * x + 10.0, 2.0 * y + 20.0]);
        let h = Homography::from_points(SQUARE, to).unwrap();
        assert!(close(h.apply([50.0, 25.0]), [110.0, 70.0]));
        assert!(h.0[6].abs() < 1e-12 && h.0[7].abs() < 1e-12);
    }

    #[test]
    fn collinear_points_have_no_map() {
        let line = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 5.0]];
        assert_eq!(Homography::from_points(SQUARE, line), None);
    }
}
