//! The generated corpus is what its labels say: the document's edges are where the corners put
//! them, every case is there over several desks and kinds within its stated bounds, and the
//! same captures come out every time.

use hexin_testing::corpus::{corpus, expected, plans, shot, Capture, Measures, CASES};
use hexin_testing::scene::{shoot, Effects, Shot};
use hexin_testing::synthetic::camera_jpeg;
use hexin_testing::desks::Desk;
use image::GrayImage;
use std::collections::BTreeSet;

const W: u32 = 1600;
const H: u32 = 1200;

/// Bilinear luma at (x, y), or `None` within 3 pixels of the frame's edge.
fn luma(img: &GrayImage, x: f64, y: f64) -> Option<f64> {
    let (w, h) = (img.width() as f64, img.height() as f64);
    if x < 3.0 || y < 3.0 || x > w - 4.0 || y > h - 4.0 {
        return None;
    }
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (fx, fy) = (x - x0 as f64, y - y0 as f64);
    let p = |dx, dy| img.get_pixel(x0 + dx, y0 + dy)[0] as f64;
    Some((p(0, 0) * (1.0 - fx) + p(1, 0) * fx) * (1.0 - fy) + (p(0, 1) * (1.0 - fx) + p(1, 1) * fx) * fy)
}

/// Mean luma along the middle 70 % of the edge a → b, at each offset -R..=R pixels along its
/// inward normal (the corners run clockwise, so inward is to the right of a → b).
const R: usize = 16;
fn profile(img: &GrayImage, a: [f64; 2], b: [f64; 2]) -> Option<Vec<f64>> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len = dx.hypot(dy);
    let n = [-dy / len, dx / len];
    let mut sums = vec![0.0; 2 * R + 1];
    let mut count = 0;
    for k in 0..(len * 0.35) as usize {
        let s = 0.15 + 0.7 * k as f64 / (len * 0.35);
        let p = [a[0] + s * dx, a[1] + s * dy];
        let offsets = -(R as i32)..=R as i32;
        let row: Option<Vec<f64>> = offsets.map(|t| luma(img, p[0] + t as f64 * n[0], p[1] + t as f64 * n[1])).collect();
        if let Some(row) = row {
            sums.iter_mut().zip(row).for_each(|(s, v)| *s += v);
            count += 1;
        }
    }
    (count >= 20).then(|| sums.into_iter().map(|s| s / count as f64).collect())
}

/// Each labelled edge is a real step, and the steepest point within 5 pixels of the label is
/// on it (further in, a far licence's printed border makes its own step).
fn assert_edges(file: &str, jpeg: &[u8], q: [[f64; 2]; 4]) {
    let img = image::load_from_memory(jpeg).expect("capture decodes").to_luma8();
    let mut checked = 0;
    for i in 0..4 {
        let Some(p) = profile(&img, q[i], q[(i + 1) % 4]) else { continue };
        let at = |t: i32| p[(t + R as i32) as usize];
        let step = (at(3) - at(-3)).abs();
        assert!(step >= 4.0, "{file}: edge {i} has a step of only {step:.1}: {p:.0?}");
        let slope = |t: i32| (at(t + 1) - at(t - 1)).abs();
        let steepest = (-5..=5).max_by(|&a, &b| slope(a).total_cmp(&slope(b))).unwrap();
        assert!(steepest.abs() <= 1, "{file}: edge {i} is steepest {steepest} px off its label: {p:.0?}");
        checked += 1;
    }
    assert!(checked >= 2, "{file}: only {checked} edges in view");
}

/// Mean luma of the pixels inside a quadrilateral (convex, clockwise in image coordinates).
fn mean_inside(jpeg: &[u8], q: &[[f64; 2]; 4]) -> f64 {
    let img = image::load_from_memory(jpeg).expect("capture decodes").to_luma8();
    let inside = |x: f64, y: f64| {
        (0..4).all(|i| {
            let (a, b) = (q[i], q[(i + 1) % 4]);
            (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0.0
        })
    };
    let (sum, n) = img
        .enumerate_pixels()
        .filter(|(x, y, _)| inside(*x as f64, *y as f64))
        .fold((0.0, 0usize), |(s, n), (_, _, p)| (s + p[0] as f64, n + 1));
    sum / n as f64
}

#[test]
fn labels_match_the_pixels_and_the_cases_bounds() {
    let captures = corpus(W, H);
    assert_eq!(captures.len(), plans().len());
    assert!((120..=200).contains(&captures.len()), "{} captures", captures.len());
    for (i, c) in captures.iter().enumerate() {
        assert_eq!(c.expect, expected(c.case), "{}", c.file);
        let Some(q) = c.corners else {
            assert_eq!(c.case, "empty_table", "{}: no corners", c.file);
            continue;
        };
        if c.case == "blurred_card" {
            // A defocused edge has no steepest pixel: its label is that of the same shot in focus.
            let plan = plans()[i];
            let sharp = Shot { effects: Effects { card_blur: 0.0, ..shot(&plan, i, W, H).effects }, ..shot(&plan, i, W, H) };
            let (img, corners) = shoot(&sharp);
            assert_eq!(corners, c.corners);
            assert_edges(&c.file, &camera_jpeg(&img), q);
        } else {
            assert_edges(&c.file, &c.jpeg, q);
        }
        // Too dark for the policy (mean luma under 55) only where the label says so.
        if matches!(c.case, "dark" | "low_light") {
            let luma = mean_inside(&c.jpeg, &q);
            assert!(if c.case == "dark" { luma < 55.0 } else { luma > 70.0 }, "{}: document's mean luma {luma:.1}", c.file);
        }
        let m = Measures::of(&q, W, H);
        let (incomplete, small, tilted) = (c.case == "off_frame", c.case == "far", c.case == "tilted");
        assert_eq!(m.margin < 0.0, incomplete, "{}: {m:?}", c.file);
        assert!(if incomplete { m.margin < -0.03 } else { m.margin >= 0.03 }, "{}: {m:?}", c.file);
        assert!(if small { m.coverage < 0.04 } else { m.coverage >= 0.15 }, "{}: {m:?}", c.file);
        assert!(if tilted { m.perspective > 0.35 } else { m.perspective <= 0.12 }, "{}: {m:?}", c.file);
    }
}

#[test]
fn every_case_appears_over_several_desks_and_kinds() {
    let plans = plans();
    for case in CASES {
        let of_case: Vec<_> = plans.iter().filter(|p| p.case == case).collect();
        let desks: BTreeSet<_> = of_case.iter().map(|p| p.desk.name()).collect();
        let kinds: BTreeSet<_> = of_case.iter().map(|p| p.sheet.kind()).collect();
        assert!(of_case.len() >= 4, "{case}: {} captures", of_case.len());
        // The pale back is one kind by definition; every other case spans kinds and desks.
        assert!(desks.len() >= 2 && (kinds.len() >= 2 || case == "pale_back"), "{case}: {desks:?} {kinds:?}");
    }
    // The clean case is the textured-desk case: every desk, every kind on each.
    for desk in Desk::ALL {
        let kinds: BTreeSet<_> = plans.iter().filter(|p| p.case == "clean" && p.desk == desk).map(|p| p.sheet.kind()).collect();
        assert_eq!(kinds.len(), 4, "{}: {kinds:?}", desk.name());
    }
    assert!(plans.iter().all(|p| CASES.contains(&p.case)));
}

#[test]
fn the_same_captures_every_time_at_any_size() {
    let (a, b) = (corpus(400, 300), corpus(400, 300));
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        assert_eq!((&a.file, &a.corners), (&b.file, &b.corners));
        assert!(a.jpeg == b.jpeg, "{} differs between two runs", a.file);
        let img = image::load_from_memory(&a.jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (400, 300));
    }
    // Another size is the same scene scaled: the corners scale with the frame (pixel centres
    // at integers, so x' + 0.5 = (x + 0.5) * scale).
    let full = &corpus_one(1600, 1200);
    let small = &a[3];
    for (p, q) in full.corners.unwrap().iter().zip(small.corners.unwrap()) {
        for k in 0..2 {
            assert!(((p[k] + 0.5) / 4.0 - (q[k] + 0.5)).abs() < 1e-6, "{p:?} vs {q:?}");
        }
    }
}

fn corpus_one(width: u32, height: u32) -> Capture {
    hexin_testing::corpus::capture(&plans()[3], 3, width, height)
}
