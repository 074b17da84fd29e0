//! The preview sequences are laid out as cameras deliver frames and show what their scripts say.

use hexin_testing::corpus::Measures;
use hexin_testing::frames::{frame_sequence, Frame, Sequence};
use hexin_testing::homography::Homography;

/// Mean luma of the 5 × 5 pixels around upright (x, y) of a frame, through its rotation.
fn upright(f: &Frame, x: usize, y: usize) -> i32 {
    let at = |x: usize, y: usize| {
        let (bx, by) = match f.rotation {
            0 => (x, y),
            90 => (y, f.height as usize - 1 - x),
            r => panic!("rotation {r} not drawn"),
        };
        f.luma[by * f.stride + bx] as i32
    };
    (y - 2..=y + 2).flat_map(|y| (x - 2..=x + 2).map(move |x| (x, y))).map(|(x, y)| at(x, y)).sum::<i32>() / 25
}

/// A blank point of the ID card's front (below the text, left of the number), upright.
fn blank(q: &[[f64; 2]; 4]) -> (usize, usize) {
    let unit = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
    let [x, y] = Homography::from_points(unit, *q).unwrap().apply([0.12, 0.88]);
    (x.round() as usize, y.round() as usize)
}

fn moved(a: &Frame, b: &Frame) -> f64 {
    let (p, q) = (a.corners.unwrap(), b.corners.unwrap());
    p.iter().zip(q).map(|(p, q)| (p[0] - q[0]).hypot(p[1] - q[1])).fold(0.0, f64::max)
}

#[test]
fn frames_are_padded_planes_whose_corners_frame_the_card() {
    for seq in Sequence::ALL {
        let frames = seq.frames();
        assert!(frames.len() >= 8, "{}", seq.name());
        for (i, f) in frames.iter().enumerate() {
            assert_eq!((f.width, f.height), (640, 480));
            assert!(f.stride > f.width as usize);
            assert_eq!(f.luma.len(), f.stride * f.height as usize);
            assert!(f.luma.chunks(f.stride).all(|row| row[f.width as usize..].iter().all(|&b| b == 255)), "padding");
            assert!(!f.expect.is_empty());
            let (uw, uh) = if f.rotation == 90 { (480, 640) } else { (640, 480) };
            match f.corners {
                None => assert_eq!(f.expect, ["no_document"]),
                Some(q) => {
                    // The card is paler than the wood desk around it, seen upright.
                    let (cx, cy) = blank(&q);
                    let card = upright(f, cx, cy);
                    let desk = upright(f, 8, uh / 2);
                    let dark = seq == Sequence::TooDark;
                    assert!(card > desk + if dark { 4 } else { 40 }, "{} frame {i}: card {card} desk {desk}", seq.name());
                    assert!(q.iter().all(|p| p[0] >= 0.0 && p[1] >= 0.0 && p[0] < uw as f64 && p[1] < uh as f64));
                }
            }
        }
    }
}

#[test]
fn sequences_move_and_hold_as_scripted() {
    let approach = Sequence::Approach.frames();
    let coverage = |f: &Frame| Measures::of(&f.corners.unwrap(), 640, 480).coverage;
    assert!(approach[..6].iter().all(|f| coverage(f) < 0.03));
    assert!(approach[12..].iter().all(|f| coverage(f) > 0.2 && f.expect == ["ready"]));
    let shake = Sequence::ShakeThenStill.frames();
    assert!(shake[..10].windows(2).all(|w| moved(&w[0], &w[1]) > 6.0), "shaking moves every frame");
    assert!(shake[10..].windows(2).all(|w| moved(&w[0], &w[1]) == 0.0), "held still");
    assert_eq!(shake[10..].len(), 12);
    // Still frames of one scene differ only by sensor noise.
    assert_ne!(shake[12].luma, shake[13].luma);
    let tilt = Sequence::StrongTilt.frames();
    assert!(Measures::of(&tilt[0].corners.unwrap(), 640, 480).perspective > 0.35);
    let portrait = Sequence::PortraitPhone.frames();
    assert!(portrait.iter().all(|f| f.rotation == 90));
}

#[test]
fn sequences_are_found_by_name_and_drawn_the_same_every_time() {
    for seq in Sequence::ALL {
        let (a, b) = (frame_sequence(seq.name()).unwrap(), seq.frames());
        assert!(a.iter().zip(&b).all(|(a, b)| a.luma == b.luma && a.corners == b.corners), "{}", seq.name());
    }
    assert!(frame_sequence("no-such-sequence").is_none());
}
