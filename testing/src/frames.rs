//! Scripted camera-preview sequences for the live capture guide (issue 12, point 4): 640 × 480
//! luma planes as CameraX's `ImageAnalysis` and `AVCaptureVideoDataOutput` deliver them, with
//! a row stride wider than the width (padding bytes are 255, so a reader that strays into
//! them sees white columns) and the clockwise rotation that makes the frame upright.
//!
//! Each frame lists the hints a guide may answer for it (`expect`); the sequences are drawn
//! so that the answer is unambiguous except where the list offers two. A frame with no
//! previous frame cannot show that the camera is still, so a guide may answer `hold_still`
//! there. The sequences, and what a guide answers:
//!
//! - `empty_desk` (8 frames, wood): `no_document` throughout.
//! - `approach` (18): an ID card at 12 % of the frame's width for 6 frames (`move_closer`),
//!   then the phone approaches over 4 frames (`move_closer` or `hold_still` while the card is
//!   still small, then `hold_still`), then holds still at 62 %: `hold_still` or `ready` for 2
//!   frames, `ready` after.
//! - `shake_then_still` (22): the card jumps by up to 4 % of the frame and 3° between frames
//!   for 10 frames (`hold_still`), then is held still for 12 (`hold_still` or `ready` for 2,
//!   then `ready`: enough for an auto-capture that waits up to 10 frames).
//! - `glare` (10): a still card with a blown-out patch on it: `reduce_glare`.
//! - `too_dark` (10): a still card at gain 0.12: `more_light`.
//! - `strong_tilt` (10): a still card tilted 48° (opposite sides differ by more than a third):
//!   `too_tilted`.
//! - `portrait_phone` (12): the phone held upright, so the sensor's landscape buffer is
//!   rotated (rotation 90): a still card, `ready`.
//!
//! And one for a face photo's guide ([`Sequence::FACES`]):
//!
//! - `selfie` (12): the phone held upright (rotation 90) at a plain light wall for 3 frames
//!   (`no_face`), then at the applicant, still: `hold_still` on the first frame with the face,
//!   `ready` after.
//!
//! Corners are in upright pixels (after applying the rotation), pixel centres at integers.

use crate::desks::Desk;
use crate::documents::Sheet;
use crate::scene::{shoot, Effects, Pose, Shot};
use crate::synthetic::{face_photo, noisy, Rng, Scene};
use hexin_core::MaterialKind;

/// One preview frame.
#[derive(Debug, Clone)]
pub struct Frame {
    /// The buffer's size as the sensor delivers it (not upright).
    pub width: u32,
    pub height: u32,
    /// Bytes from one row to the next (more than `width`).
    pub stride: usize,
    /// Degrees clockwise that make the buffer upright: 0, 90, 180 or 270.
    pub rotation: u32,
    /// `stride * height` bytes of luma.
    pub luma: Vec<u8>,
    /// The document's corners in the upright frame, `None` without one.
    pub corners: Option<[[f64; 2]; 4]>,
    /// The hints a guide may answer for this frame.
    pub expect: &'static [&'static str],
}

/// The scripted sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequence {
    EmptyDesk,
    Approach,
    ShakeThenStill,
    Glare,
    TooDark,
    StrongTilt,
    PortraitPhone,
    Selfie,
}

const WIDTH: u32 = 640;
const HEIGHT: u32 = 480;
const PADDING: usize = 32;

impl Sequence {
    pub const ALL: [Sequence; 7] = [
        Sequence::EmptyDesk,
        Sequence::Approach,
        Sequence::ShakeThenStill,
        Sequence::Glare,
        Sequence::TooDark,
        Sequence::StrongTilt,
        Sequence::PortraitPhone,
    ];

    /// The sequences of a face photo's guide.
    pub const FACES: [Sequence; 1] = [Sequence::Selfie];

    /// The material kind whose guide the sequence is for.
    pub fn kind(self) -> MaterialKind {
        match self {
            Sequence::Selfie => MaterialKind::FacePhoto,
            _ => MaterialKind::IdCardFront,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sequence::EmptyDesk => "empty_desk",
            Sequence::Approach => "approach",
            Sequence::ShakeThenStill => "shake_then_still",
            Sequence::Glare => "glare",
            Sequence::TooDark => "too_dark",
            Sequence::StrongTilt => "strong_tilt",
            Sequence::PortraitPhone => "portrait_phone",
            Sequence::Selfie => "selfie",
        }
    }

    /// The frames, drawn from the sequence's own seeds.
    pub fn frames(self) -> Vec<Frame> {
        if self == Sequence::Selfie {
            return selfie();
        }
        let base = Pose { center: [0.5, 0.5], fill: 0.62, roll: 3.0, pitch: 4.0, yaw: -3.0 };
        let still = |i: usize, hint: &'static [&'static str]| if i == 0 { first(hint) } else { hint };
        let mut rng = Rng::new(0xF4A3E + self as u64);
        let script: Vec<(Pose, Effects, &'static [&'static str])> = match self {
            Sequence::EmptyDesk => (0..8).map(|_| (base, Effects::default(), &["no_document"][..])).collect(),
            Sequence::Approach => (0..18)
                .map(|i| {
                    let (fill, hint): (f64, &'static [&'static str]) = match i {
                        0..=5 => (0.12, &["move_closer"]),
                        6 => (0.25, &["move_closer", "hold_still"]),
                        7..=9 => (0.25 + 0.11 * (i - 6) as f64, &["hold_still"]),
                        10 | 11 => (0.62, &["hold_still", "ready"]),
                        _ => (0.62, &["ready"]),
                    };
                    // The far frames drift by under a pixel: a hand is never perfectly still.
                    let drift = if i <= 5 { 0.001 * i as f64 } else { 0.0 };
                    (Pose { fill, center: [0.5 + drift, 0.5], ..base }, Effects::default(), hint)
                })
                .collect(),
            Sequence::ShakeThenStill => (0..22)
                .map(|i| {
                    let mut s = |r: f64| (rng.unit() as f64 - 0.5) * 2.0 * r;
                    match i {
                        0..=9 => {
                            let pose = Pose { center: [0.5 + s(0.04), 0.5 + s(0.04)], roll: base.roll + s(3.0), ..base };
                            (pose, Effects::default(), &["hold_still"][..])
                        }
                        10 | 11 => (base, Effects::default(), &["hold_still", "ready"][..]),
                        _ => (base, Effects::default(), &["ready"][..]),
                    }
                })
                .collect(),
            Sequence::Glare => (0..10)
                .map(|i| (base, Effects { glare: Some(([0.4, 0.5], 0.04)), ..Effects::default() }, still(i, &["reduce_glare"])))
                .collect(),
            Sequence::TooDark => (0..10)
                .map(|i| (base, Effects { gain: 0.12, noise: 4.0, ..Effects::default() }, still(i, &["more_light"])))
                .collect(),
            Sequence::StrongTilt => (0..10)
                .map(|i| (Pose { pitch: 48.0, fill: 0.55, ..base }, Effects::default(), still(i, &["too_tilted"])))
                .collect(),
            Sequence::PortraitPhone => (0..12).map(|i| (base, Effects::default(), still(i, &["ready"]))).collect(),
            Sequence::Selfie => unreachable!("drawn by selfie()"),
        };
        let sheet = (self != Sequence::EmptyDesk).then_some(Sheet::IdFront);
        let portrait = self == Sequence::PortraitPhone;
        script
            .into_iter()
            .enumerate()
            .map(|(i, (pose, effects, expect))| {
                let (w, h) = if portrait { (HEIGHT, WIDTH) } else { (WIDTH, HEIGHT) };
                let shot = Shot { width: w, height: h, desk: Desk::Wood, sheet, pose, effects, seed: 0x5E0 + self as u64, noise_seed: i as u64 };
                let (img, corners) = shoot(&shot);
                Frame { luma: buffer(&img, portrait), corners, expect, ..frame(portrait) }
            })
            .collect()
    }
}

/// An empty frame of the sensor's landscape buffer, turned 90° when the phone is upright.
fn frame(portrait: bool) -> Frame {
    let stride = WIDTH as usize + PADDING;
    Frame { width: WIDTH, height: HEIGHT, stride, rotation: if portrait { 90 } else { 0 }, luma: vec![], corners: None, expect: &[] }
}

/// The luma buffer the sensor delivers for the upright image `img`, padding bytes 255.
fn buffer(img: &image::RgbImage, portrait: bool) -> Vec<u8> {
    let stride = WIDTH as usize + PADDING;
    let mut luma = vec![255u8; stride * HEIGHT as usize];
    let w = img.width();
    for (x, y, p) in img.enumerate_pixels() {
        // Turning the buffer 90° clockwise makes it upright: upright (x, y) is
        // buffer (y, buffer height - 1 - x).
        let (bx, by) = if portrait { (y as usize, (w - 1 - x) as usize) } else { (x as usize, y as usize) };
        luma[by * stride + bx] = ((77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32 + 128) >> 8) as u8;
    }
    luma
}

/// The `selfie` sequence: a plain wall, then the applicant's face held still.
fn selfie() -> Vec<Frame> {
    let wall = image::RgbImage::from_pixel(HEIGHT, WIDTH, image::Rgb([224, 224, 222]));
    (0..12)
        .map(|i| {
            let (img, expect): (_, &'static [&'static str]) = match i {
                0..=2 => (wall.clone(), &["no_face"]),
                3 => (noisy(face_photo(Scene::new(HEIGHT, WIDTH)), 2.0, i), &["hold_still"]),
                _ => (noisy(face_photo(Scene::new(HEIGHT, WIDTH)), 2.0, i), &["ready"]),
            };
            Frame { luma: buffer(&img, true), expect, ..frame(true) }
        })
        .collect()
}

/// The hints allowed on a sequence's first frame: those of the still frames, or `hold_still`.
fn first(hint: &'static [&'static str]) -> &'static [&'static str] {
    match hint {
        ["reduce_glare"] => &["reduce_glare", "hold_still"],
        ["more_light"] => &["more_light", "hold_still"],
        ["too_tilted"] => &["too_tilted", "hold_still"],
        _ => &["ready", "hold_still"],
    }
}

/// The frames of the sequence named `name`, or `None` for an unknown name.
pub fn frame_sequence(name: &str) -> Option<Vec<Frame>> {
    Sequence::ALL.into_iter().find(|s| s.name() == name).map(Sequence::frames)
}
