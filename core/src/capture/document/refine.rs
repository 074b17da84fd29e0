//! Sharper corners: each side of a coarse quad is moved onto the strongest edge near it in a
//! larger plane, by a line fitted through the edge positions found along it.

use super::geometry::{Line, Point, Quad};
use super::plane::Plane;

/// Positions sampled along each side.
const SAMPLES: usize = 48;
/// Share of each side, at both ends, left out (rounded corners).
const END_SKIP: f64 = 0.1;
/// Fewest edge positions a side needs to be refitted.
const MIN_POINTS: usize = 12;

/// `quad` (in `plane` pixels) with each side refitted to the edge within `reach` pixels across
/// it. A side without a clear edge, or a corner that would move further than `2 × reach`,
/// keeps the coarse position.
pub fn refine(plane: &Plane, quad: &Quad, reach: f64) -> Quad {
    let c = quad.corners();
    let lines: [Option<Line>; 4] = std::array::from_fn(|k| fit_side(plane, c[k], c[(k + 1) % 4], reach));
    let coarse: [Option<Line>; 4] = std::array::from_fn(|k| Line::through(c[k], c[(k + 1) % 4]));
    let mut out = c;
    for k in 0..4 {
        // Corner k joins side k-1 (ending at it) and side k (starting from it).
        let before = lines[(k + 3) % 4].or(coarse[(k + 3) % 4]);
        let after = lines[k].or(coarse[k]);
        if let Some(p) = before.zip(after).and_then(|(a, b)| a.intersect(&b)) {
            if p.distance(c[k]) <= 2.0 * reach {
                out[k] = p;
            }
        }
    }
    Quad::from_corners(out)
}

/// Bilinear luma at a continuous position (pixel centres at +0.5), clamped to the plane.
fn sample(plane: &Plane, x: f64, y: f64) -> f64 {
    let fx = (x - 0.5).clamp(0.0, (plane.width - 1) as f64);
    let fy = (y - 0.5).clamp(0.0, (plane.height - 1) as f64);
    let (x0, y0) = (fx.floor() as usize, fy.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(plane.width - 1), (y0 + 1).min(plane.height - 1));
    let (ax, ay) = (fx - x0 as f64, fy - y0 as f64);
    let top = plane.at(x0, y0) as f64 * (1.0 - ax) + plane.at(x1, y0) as f64 * ax;
    let bottom = plane.at(x0, y1) as f64 * (1.0 - ax) + plane.at(x1, y1) as f64 * ax;
    top * (1.0 - ay) + bottom * ay
}

/// Fits a line through the strongest same-polarity edge across the side `a`–`b`.
fn fit_side(plane: &Plane, a: Point, b: Point, reach: f64) -> Option<Line> {
    let len = a.distance(b);
    if len < 4.0 {
        return None;
    }
    let (ux, uy) = ((b.x - a.x) / len, (b.y - a.y) / len);
    let (nx, ny) = (-uy, ux);
    let steps = (2.0 * reach).ceil() as i32;
    // Luma across the side at half-pixel steps, averaged over three points along it.
    let profile = |p: Point, d: f64| -> f64 {
        (-1..=1).map(|s| sample(plane, p.x + nx * d + ux * s as f64, p.y + ny * d + uy * s as f64)).sum::<f64>() / 3.0
    };
    let mut found: Vec<(Point, f64)> = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let t = len * (END_SKIP + (1.0 - 2.0 * END_SKIP) * i as f64 / (SAMPLES - 1) as f64);
        let p = Point::new(a.x + ux * t, a.y + uy * t);
        let derivative = |j: i32| profile(p, j as f64 * 0.5 + 0.5) - profile(p, j as f64 * 0.5 - 0.5);
        let values: Vec<f64> = (-steps..=steps).map(derivative).collect();
        let (best, &value) = values.iter().enumerate().max_by(|x, y| x.1.abs().total_cmp(&y.1.abs()))?;
        if value.abs() < 4.0 {
            continue;
        }
        // Sub-step peak from the parabola through the neighbours.
        let offset = match (best.checked_sub(1).map(|i| values[i].abs()), values.get(best + 1).map(|v| v.abs())) {
            (Some(l), Some(r)) if l + r < 2.0 * value.abs() => 0.5 * (l - r) / (l - 2.0 * value.abs() + r),
            _ => 0.0,
        };
        let d = ((best as i32 - steps) as f64 + offset) * 0.5;
        found.push((Point::new(p.x + nx * d, p.y + ny * d), value));
    }
    // Keep the dominant polarity: the document's side, not a line printed near it.
    let positive = found.iter().filter(|f| f.1 > 0.0).count();
    let keep_positive = 2 * positive >= found.len();
    let mut points: Vec<Point> = found.into_iter().filter(|f| (f.1 > 0.0) == keep_positive).map(|f| f.0).collect();
    let mut line = fit(&points)?;
    // One pass of outlier rejection: a thumb or a printed line pulls a few points away.
    let mut residuals: Vec<f64> = points.iter().map(|&p| line.distance(p).abs()).collect();
    residuals.sort_by(f64::total_cmp);
    let cut = (3.0 * residuals[residuals.len() / 2]).max(0.75);
    points.retain(|&p| line.distance(p).abs() <= cut);
    line = fit(&points)?;
    Some(line)
}

/// Total least squares line through the points.
fn fit(points: &[Point]) -> Option<Line> {
    if points.len() < MIN_POINTS {
        return None;
    }
    let n = points.len() as f64;
    let (mx, my) = (points.iter().map(|p| p.x).sum::<f64>() / n, points.iter().map(|p| p.y).sum::<f64>() / n);
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for p in points {
        let (dx, dy) = (p.x - mx, p.y - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    // The normal is the eigenvector of the smaller eigenvalue of the scatter matrix.
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let (nx, ny) = (-angle.sin(), angle.cos());
    Some(Line { nx, ny, rho: nx * mx + ny * my })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coarse_quad_snaps_to_the_true_edges() {
        // A bright quad on a dark plane, corners off the pixel grid.
        let truth = Quad::from_corners([Point::new(40.3, 30.6), Point::new(260.8, 45.2), Point::new(250.1, 190.7), Point::new(35.4, 170.2)]);
        let (w, h) = (300, 220);
        let lines: Vec<Line> = (0..4).map(|k| Line::through(truth.corners()[k], truth.corners()[(k + 1) % 4]).unwrap()).collect();
        // Anti-aliased by 4 × 4 supersampling.
        let data: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f64, (i / w) as f64);
                let inside = (0..16)
                    .filter(|s| {
                        let p = Point::new(x + (s % 4) as f64 / 4.0 + 0.125, y + (s / 4) as f64 / 4.0 + 0.125);
                        lines.iter().all(|l| l.distance(p) >= 0.0)
                    })
                    .count();
                (40 + inside * 160 / 16) as u8
            })
            .collect();
        let plane = Plane::packed(&data, w, h).unwrap();
        let coarse = Quad::from_corners(truth.corners().map(|p| Point::new(p.x + 1.7, p.y - 1.4)));
        let refined = refine(&plane, &coarse, 4.0);
        for (r, t) in refined.corners().iter().zip(truth.corners()) {
            assert!(r.distance(t) < 0.35, "{r:?} vs {t:?}");
        }
    }
}
