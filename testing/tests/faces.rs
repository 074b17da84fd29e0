//! The generated face corpus is what its labels say: every face within its case's bounds
//! (size, offset, margin, roll), the face's exposure and the background around the head as the
//! case states them in the decoded pixels, a card's portrait inside the card, and the same
//! captures every time.

use hexin_testing::faces::{capture, corpus, expected, fits, plans, FaceCapture, FaceMeasures, CASES};
use image::GrayImage;
use std::collections::BTreeSet;

fn gray(c: &FaceCapture) -> GrayImage {
    image::load_from_memory(&c.jpeg).expect("capture decodes").to_luma8()
}

/// The luma values of the pixels of `[x, y, w, h]` that lie in the frame.
fn pixels(img: &GrayImage, [x, y, w, h]: [f64; 4]) -> Vec<f64> {
    let (iw, ih) = (img.width() as f64, img.height() as f64);
    let (x0, y0) = (x.max(0.0) as u32, y.max(0.0) as u32);
    let (x1, y1) = ((x + w).min(iw) as u32, (y + h).min(ih) as u32);
    (y0..y1).flat_map(|j| (x0..x1).map(move |i| (i, j))).map(|(i, j)| img.get_pixel(i, j)[0] as f64).collect()
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn deviation(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

/// Two patches of background beside the head, at the face's brow height, clear of every
/// cut-out's head ellipse (0.9–1.3 face sides from the face's centre).
fn beside_the_head(b: [f64; 4]) -> [[f64; 4]; 2] {
    let (cx, cy, s) = (b[0] + b[2] / 2.0, b[1] + b[3] / 2.0, b[2]);
    [[cx - 1.3 * s, cy - 0.5 * s, 0.4 * s, 0.5 * s], [cx + 0.9 * s, cy - 0.5 * s, 0.4 * s, 0.5 * s]]
}

#[test]
fn labels_match_the_pixels_and_the_cases_bounds() {
    let captures = corpus();
    let mut wrong = Vec::new();
    // Every broken bound of every capture, not only the first.
    macro_rules! check {
        ($ok:expr, $($why:tt)+) => {{
            let ok: bool = $ok;
            if !ok {
                wrong.push(format!($($why)+));
            }
        }};
    }
    assert_eq!(captures.len(), plans().len());
    for c in &captures {
        assert_eq!(c.expect, expected(c.case), "{}", c.file);
        let img = gray(c);
        assert_eq!((img.width(), img.height()), (c.width, c.height), "{}", c.file);
        let faces = match c.case {
            "wall" | "no_person" | "id_back" | "back_as_front" => 0,
            "two_faces" => 2,
            _ => 1,
        };
        assert_eq!(c.faces.len(), faces, "{}", c.file);
        if faces == 0 {
            continue;
        }
        let main = FaceMeasures::of(c.faces[0], c.width, c.height);
        if matches!(c.case, "card_held_up" | "id_front" | "front_as_back") {
            // The card's portrait: small, wholly inside the frame.
            check!(main.margin > 0.05 && (0.05..0.16).contains(&main.size), "{}: {main:?}", c.file);
            continue;
        }
        let second = c.faces.get(1).map(|&b| FaceMeasures::of(b, c.width, c.height));
        check!(fits(c.case, &main, c.roll, second.as_ref()), "{}: {main:?} roll {} {second:?}", c.file, c.roll);
        // Each face measure sits clear of the contract's thresholds, on the side its label says.
        let codes = &c.expect;
        check!((main.size < 0.10) == codes.contains(&"face_too_small"), "{}: {main:?}", c.file);
        check!(main.size <= 0.06 || main.size >= 0.16, "{}: {main:?}", c.file);
        check!((main.offset > 0.5) == codes.contains(&"face_off_center"), "{}: {main:?}", c.file);
        check!(main.offset <= 0.25 || main.offset >= 0.6, "{}: {main:?}", c.file);
        check!((main.margin < 0.01) == codes.contains(&"face_cut_off"), "{}: {main:?}", c.file);
        check!(main.margin >= 0.03 || (0.15..=0.3).contains(&main.outside), "{}: {main:?}", c.file);
        check!((c.roll.abs() > 15.0) == codes.contains(&"face_tilted"), "{}: roll {}", c.file, c.roll);
        check!(c.roll.abs() <= 5.0 || (25.0..=30.0).contains(&c.roll.abs()), "{}: roll {}", c.file, c.roll);

        // The face's exposure, measured on the decoded capture.
        let face = pixels(&img, c.faces[0]);
        let luma = mean(&face);
        let blown = face.iter().filter(|&&l| l >= 250.0).count() as f64 / face.len() as f64;
        match c.case {
            "dark_face" => check!(luma <= 45.0, "{}: face luma {luma:.1}", c.file),
            "overexposed_face" => check!(blown >= 0.5, "{}: {blown:.2} of the face blown", c.file),
            _ => check!(luma >= 90.0 && blown <= 0.05, "{}: face luma {luma:.1}, {blown:.2} blown", c.file),
        }
        // The background beside the head: plain and light, or busy.
        for patch in beside_the_head(c.faces[0]) {
            let px = pixels(&img, patch);
            if px.len() < 100 {
                continue; // beyond the frame's edge
            }
            let (m, sd) = (mean(&px), deviation(&px));
            if c.case == "busy_background" {
                check!(sd > 20.0, "{}: background beside the head sd {sd:.1}", c.file);
            } else if !matches!(c.case, "two_faces" | "tilted") {
                check!(m > 190.0 && sd < 6.0, "{}: background beside the head mean {m:.1} sd {sd:.1}", c.file);
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_case_is_planned_over_several_people_or_backdrops() {
    let plans = plans();
    for case in CASES {
        let of_case: Vec<_> = plans.iter().filter(|p| p.case == case).collect();
        assert!(!of_case.is_empty(), "{case}: not planned");
        let people: BTreeSet<_> = of_case.iter().filter_map(|p| p.person.map(|p| p.name())).collect();
        let backdrops: BTreeSet<_> = of_case.iter().map(|p| p.backdrop.name()).collect();
        if of_case.len() >= 3 && of_case[0].person.is_some() {
            assert_eq!(people.len(), 3, "{case}: {people:?}");
        }
        assert!(of_case.len() == 1 || people.len() >= 2 || backdrops.len() >= 2, "{case}: {people:?} {backdrops:?}");
    }
    assert!(plans.iter().all(|p| CASES.contains(&p.case)));
}

#[test]
fn the_same_captures_every_time() {
    let plans = plans();
    for i in [0, 19, 42, 50] {
        let (a, b) = (capture(&plans[i], i), capture(&plans[i], i));
        assert_eq!((&a.file, &a.faces), (&b.file, &b.faces));
        assert!(a.jpeg == b.jpeg, "{} differs between two runs", a.file);
    }
}
