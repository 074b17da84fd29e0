//! A turned, rescaled view of a luma plane: how a face is looked at upright when the photo
//! holds it at an angle, and how a card's portrait is read whichever way the card lies.

use crate::capture::document::plane::Plane;

/// Samples `plane` (bilinear; points outside take the nearest edge pixel) into a packed
/// `out_w` × `out_h` plane whose centre lands on `centre`, each output pixel `scale` plane
/// pixels wide, the grid turned `degrees` clockwise as the image is displayed (y down): a face
/// leaning that far clockwise comes out upright.
pub fn turned(plane: &Plane, centre: (f64, f64), degrees: f64, scale: f64, (out_w, out_h): (usize, usize)) -> Vec<u8> {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (maxx, maxy) = ((plane.width - 1) as f64, (plane.height - 1) as f64);
    let mut out = Vec::with_capacity(out_w * out_h);
    for v in 0..out_h {
        let dy = (v as f64 + 0.5 - out_h as f64 / 2.0) * scale;
        for u in 0..out_w {
            let dx = (u as f64 + 0.5 - out_w as f64 / 2.0) * scale;
            let x = (centre.0 + dx * cos - dy * sin - 0.5).clamp(0.0, maxx);
            let y = (centre.1 + dx * sin + dy * cos - 0.5).clamp(0.0, maxy);
            out.push(bilinear(plane, x, y));
        }
    }
    out
}

/// Where an output pixel of [`turned`] (same arguments) comes from in the plane.
pub fn source_of(point: (f64, f64), centre: (f64, f64), degrees: f64, scale: f64, (out_w, out_h): (usize, usize)) -> (f64, f64) {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let dx = (point.0 - out_w as f64 / 2.0) * scale;
    let dy = (point.1 - out_h as f64 / 2.0) * scale;
    (centre.0 + dx * cos - dy * sin, centre.1 + dx * sin + dy * cos)
}

fn bilinear(plane: &Plane, x: f64, y: f64) -> u8 {
    let (x0, y0) = (x.floor() as usize, y.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(plane.width - 1), (y0 + 1).min(plane.height - 1));
    let (fx, fy) = (x - x0 as f64, y - y0 as f64);
    let (a, b) = (plane.at(x0, y0) as f64, plane.at(x1, y0) as f64);
    let (c, d) = (plane.at(x0, y1) as f64, plane.at(x1, y1) as f64);
    let top = a + (b - a) * fx;
    let bottom = c + (d - c) * fx;
    (top + (bottom - top) * fy).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_turn_moves_the_right_edge_to_the_bottom() {
        // A 4 × 4 plane, bright in its rightmost column.
        let data: Vec<u8> = (0..16).map(|i| if i % 4 == 3 { 200 } else { 0 }).collect();
        let plane = Plane::packed(&data, 4, 4).unwrap();
        let same = turned(&plane, (2.0, 2.0), 0.0, 1.0, (4, 4));
        assert_eq!(same, data);
        // The grid turned 90° clockwise: the plane's right column becomes the output's top row.
        let quarter = turned(&plane, (2.0, 2.0), 90.0, 1.0, (4, 4));
        assert_eq!(&quarter[0..4], &[200, 200, 200, 200]);
        assert!(quarter[4..].iter().all(|&v| v == 0));
        let p = source_of((0.5, 0.5), (2.0, 2.0), 90.0, 1.0, (4, 4));
        assert!((p.0 - 3.5).abs() < 1e-9 && (p.1 - 0.5).abs() < 1e-9, "{p:?}");
    }
}
