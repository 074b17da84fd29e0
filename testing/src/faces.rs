//! The generated face corpus: real faces ([`people`](crate::people)) laid on plain and busy
//! backgrounds, held up on an ID card, or missing, each capture labelled with its faces' boxes
//! and the codes hexin must raise under the default policy. The same captures on every machine:
//! each one is drawn from its own seed.
//!
//! Face photos are portrait 1200 × 1600 (one 3000 × 4000 for the 12 MP timing); ID card
//! captures are 1600 × 1200 like the document corpus. A face box is the square from brows to
//! chin, in upright pixels; its measures ([`FaceMeasures`]) are the contract's with hexin-core:
//! size = height / frame height, offset = max(|cx − W/2| / (W/2), |cy − 0.4 H| / (H/2)).
//!
//! | case | what | expect |
//! | --- | --- | --- |
//! | plain | one face, size 0.17–0.26, offset ≤ 0.2, roll ≤ 4°, on white or light grey | [] |
//! | plain_gradient | the same on a soft light gradient | [] |
//! | busy_background | the same on brick, gravel or grass | background_not_plain |
//! | two_faces | a plain face and a second one (size 0.09–0.115) beside it | multiple_faces |
//! | small_face | size 0.045–0.058 | face_too_small |
//! | off_center | size 0.16–0.2, offset 0.72–0.8, the box ≥ 3 % inside every edge | face_off_center |
//! | cut_off | size 0.18–0.24, 17–28 % of the box outside an edge (offset then > 0.6) | face_cut_off, face_off_center |
//! | tilted | roll 25–30° either way | face_tilted |
//! | dark_face | head and shoulders darkened: face-box mean luma 30–40, background light | face_too_dark |
//! | overexposed_face | head and shoulders blown out: 55–62 % of the face box at luma ≥ 252 (≥ 50 % ≥ 250 after noise and JPEG) | face_overexposed |
//! | card_held_up | an ID card front (a real face in its portrait) held up before a wall, no other face | face_is_document |
//! | wall | brick or gravel, no face | face_not_found |
//! | no_person | a cat, a coffee cup | face_not_found |
//! | 12mp | a plain face photo at 3000 × 4000 | [] |
//! | id_front, id_back | an ID card side on a desk, checked as that side | [] |
//! | front_as_back, back_as_front | an ID card side checked as the other side | wrong_side |
//!
//! The tests hold every capture to its case's bounds, so thresholds set between them classify it.

use crate::corpus::{self, drawn_in_parallel};
use crate::desks::{photo, Decoded, Desk, Photo};
use crate::documents::{Sheet, ID_PORTRAIT_FACE};
use crate::homography::Homography;
use crate::people::{luma, Person};
use crate::scene::{self, Effects, Pose, Shot};
use crate::synthetic::{camera_jpeg, noisy, Rng};
use hexin_core::MaterialKind;
use image::{Rgb, RgbImage};
use std::sync::OnceLock;

/// The face corpus recipe's version: bumped whenever a capture's pixels or labels change.
pub const RECIPE: u32 = 1;

/// The face photo's frame, portrait 3:4.
pub const FRAME: (u32, u32) = (1200, 1600);

/// Every case, in corpus order.
pub const CASES: [&str; 18] = [
    "plain",
    "plain_gradient",
    "busy_background",
    "two_faces",
    "small_face",
    "off_center",
    "cut_off",
    "tilted",
    "dark_face",
    "overexposed_face",
    "card_held_up",
    "wall",
    "no_person",
    "12mp",
    "id_front",
    "id_back",
    "front_as_back",
    "back_as_front",
];

/// The codes hexin must raise for a case under the default policy.
pub fn expected(case: &str) -> Vec<&'static str> {
    match case {
        "busy_background" => vec!["background_not_plain"],
        "two_faces" => vec!["multiple_faces"],
        "small_face" => vec!["face_too_small"],
        "off_center" => vec!["face_off_center"],
        "cut_off" => vec!["face_cut_off", "face_off_center"],
        "tilted" => vec!["face_tilted"],
        "dark_face" => vec!["face_too_dark"],
        "overexposed_face" => vec!["face_overexposed"],
        "card_held_up" => vec!["face_is_document"],
        "wall" | "no_person" => vec!["face_not_found"],
        "front_as_back" | "back_as_front" => vec!["wrong_side"],
        _ => vec![],
    }
}

/// A photograph with no person in it, vendored under `testing/faces/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Still {
    Chelsea,
    Coffee,
}

impl Still {
    fn photo(self) -> &'static Decoded {
        static CELLS: [OnceLock<Decoded>; 2] = [OnceLock::new(), OnceLock::new()];
        let (cell, bytes): (_, &[u8]) = match self {
            Still::Chelsea => (&CELLS[0], include_bytes!("../faces/chelsea.jpg")),
            Still::Coffee => (&CELLS[1], include_bytes!("../faces/coffee.jpg")),
        };
        cell.get_or_init(|| Decoded::new(bytes))
    }
}

/// What is behind the person, or in front of the camera when there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backdrop {
    /// One light colour.
    Plain([f32; 3]),
    /// A soft top-to-bottom gradient.
    Gradient([f32; 3], [f32; 3]),
    /// A texture photograph, magnified 2× (at 1200 pixels wide).
    Texture(Photo),
    /// A photograph filling the frame.
    Still(Still),
    /// A desk or wall of the document corpus, behind a card photographed by [`scene::shoot`].
    Desk(Desk),
}

impl Backdrop {
    /// The name in the corpus labels (`backdrop`).
    pub fn name(self) -> &'static str {
        match self {
            Backdrop::Plain(_) => "plain",
            Backdrop::Gradient(..) => "gradient",
            Backdrop::Texture(Photo::Brick) => "brick",
            Backdrop::Texture(Photo::Gravel) => "gravel",
            Backdrop::Texture(Photo::Grass) => "grass",
            Backdrop::Texture(Photo::Wood) => "wood",
            Backdrop::Still(Still::Chelsea) => "chelsea",
            Backdrop::Still(Still::Coffee) => "coffee",
            Backdrop::Desk(d) => d.name(),
        }
    }

    /// The colour at pixel (x, y) of a `w` × `h` frame.
    fn color(self, x: u32, y: u32, w: u32, h: u32) -> [f32; 3] {
        let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
        match self {
            Backdrop::Plain(c) => c,
            Backdrop::Gradient(top, bottom) => {
                let t = (fy / h as f64) as f32;
                std::array::from_fn(|i| top[i] * (1.0 - t) + bottom[i] * t)
            }
            Backdrop::Texture(p) => {
                let zoom = 2.0 * w as f64 / 1200.0;
                photo(p).sample(fx / zoom, fy / zoom)
            }
            Backdrop::Still(s) => {
                // Cover the frame, centred.
                let p = s.photo();
                let scale = (p.width as f64 / w as f64).min(p.height as f64 / h as f64);
                let (ox, oy) = ((p.width as f64 - w as f64 * scale) / 2.0, (p.height as f64 - h as f64 * scale) / 2.0);
                p.sample(ox + fx * scale - 0.5, oy + fy * scale - 0.5)
            }
            Backdrop::Desk(d) => unreachable!("{} is drawn by scene::shoot", d.name()),
        }
    }
}

/// How a head's exposure differs from the background's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tone {
    Normal,
    /// Multiplied by this gain (under 1).
    Dark(f32),
    /// Multiplied by this gain (over 1) and clipped.
    Blown(f32),
}

/// A person laid on the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub person: Person,
    /// The face box's centre and side, in frame pixels.
    pub center: [f64; 2],
    pub side: f64,
    /// Degrees; positive turns the head clockwise as seen.
    pub roll: f64,
    pub tone: Tone,
}

impl Placement {
    /// The truth box `[x, y, w, h]`: the face box, moved and scaled (and for a rolled head,
    /// the same square about the same centre).
    pub fn face_box(&self) -> [f64; 4] {
        [self.center[0] - self.side / 2.0, self.center[1] - self.side / 2.0, self.side, self.side]
    }
}

/// One planned capture, before it is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub case: &'static str,
    /// The kind it is checked as.
    pub kind: MaterialKind,
    /// The person (the main one for `two_faces`); `None` for a card or nobody.
    pub person: Option<Person>,
    pub backdrop: Backdrop,
    /// The card photographed, for `card_held_up` and the ID cases.
    pub sheet: Option<Sheet>,
}

const WHITES: [[f32; 3]; 4] = [[244.0, 244.0, 242.0], [232.0, 234.0, 236.0], [238.0, 235.0, 228.0], [226.0, 228.0, 230.0]];
const GRADIENTS: [([f32; 3], [f32; 3]); 3] = [
    ([248.0, 248.0, 248.0], [214.0, 216.0, 220.0]),
    ([222.0, 226.0, 232.0], [246.0, 246.0, 244.0]),
    ([244.0, 240.0, 232.0], [218.0, 216.0, 212.0]),
];
const BUSY: [Photo; 3] = [Photo::Brick, Photo::Gravel, Photo::Grass];

/// The captures of the corpus, in order.
pub fn plans() -> Vec<Plan> {
    let mut out = Vec::new();
    let face = MaterialKind::FacePhoto;
    let mut person = |case, n: usize, backdrop: &dyn Fn(usize) -> Backdrop| {
        for i in 0..n {
            let p = Person::ALL[(i + i / 3) % 3];
            out.push(Plan { case, kind: face, person: Some(p), backdrop: backdrop(i), sheet: None });
        }
    };
    let white = |i: usize| Backdrop::Plain(WHITES[i % WHITES.len()]);
    person("plain", 9, &white);
    person("plain_gradient", 3, &|i| Backdrop::Gradient(GRADIENTS[i].0, GRADIENTS[i].1));
    person("busy_background", 6, &|i| Backdrop::Texture(BUSY[(i + i / 3) % 3]));
    person("two_faces", 3, &white);
    person("small_face", 3, &white);
    person("off_center", 4, &white);
    person("cut_off", 4, &white);
    person("tilted", 4, &white);
    person("dark_face", 3, &white);
    person("overexposed_face", 3, &white);
    for desk in [Desk::Grey, Desk::Stone, Desk::Grey] {
        out.push(Plan { case: "card_held_up", kind: face, person: None, backdrop: Backdrop::Desk(desk), sheet: Some(Sheet::IdFront) });
    }
    for b in [Backdrop::Texture(Photo::Brick), Backdrop::Texture(Photo::Gravel)] {
        out.push(Plan { case: "wall", kind: face, person: None, backdrop: b, sheet: None });
    }
    for s in [Still::Chelsea, Still::Coffee] {
        out.push(Plan { case: "no_person", kind: face, person: None, backdrop: Backdrop::Still(s), sheet: None });
    }
    out.push(Plan { case: "12mp", kind: face, person: Some(Person::Hopper), backdrop: white(1), sheet: None });
    let (front, back) = (MaterialKind::IdCardFront, MaterialKind::IdCardBack);
    for (case, kind, sheet, n) in [
        ("id_front", front, Sheet::IdFront, 3),
        ("id_back", back, Sheet::IdBack, 3),
        ("front_as_back", back, Sheet::IdFront, 2),
        ("back_as_front", front, Sheet::IdBack, 2),
    ] {
        for i in 0..n {
            let desk = [Desk::Wood, Desk::Stone, Desk::Grey][i % 3];
            out.push(Plan { case, kind, person: None, backdrop: Backdrop::Desk(desk), sheet: Some(sheet) });
        }
    }
    out
}

/// One labelled capture.
#[derive(Debug, Clone)]
pub struct FaceCapture {
    /// `NNNN-kind-case-person.jpg` (or the backdrop's name when there is no person).
    pub file: String,
    pub kind: MaterialKind,
    pub case: &'static str,
    pub person: Option<Person>,
    pub backdrop: &'static str,
    pub width: u32,
    pub height: u32,
    /// The truth boxes `[x, y, w, h]` in upright pixels, the largest first.
    pub faces: Vec<[f64; 4]>,
    /// The main face's roll in degrees (0 without one).
    pub roll: f64,
    /// The codes hexin must raise; empty: it must accept the capture.
    pub expect: Vec<&'static str>,
    pub jpeg: Vec<u8>,
}

/// A face box's measures, as the contract with hexin-core states them.
#[derive(Debug, Clone, Copy)]
pub struct FaceMeasures {
    /// Box height over frame height.
    pub size: f64,
    /// max(|cx − W/2| / (W/2), |cy − 0.4 H| / (H/2)).
    pub offset: f64,
    /// The share of the box's area outside the frame.
    pub outside: f64,
    /// The box's least distance inside the frame's edges, each over the frame's size along it
    /// (negative: past the edge).
    pub margin: f64,
}

impl FaceMeasures {
    pub fn of([x, y, bw, bh]: [f64; 4], width: u32, height: u32) -> FaceMeasures {
        let (w, h) = (width as f64, height as f64);
        let (cx, cy) = (x + bw / 2.0, y + bh / 2.0);
        let inside = (x + bw).min(w).max(0.0) - x.max(0.0);
        let inside = inside * ((y + bh).min(h).max(0.0) - y.max(0.0));
        FaceMeasures {
            size: bh / h,
            offset: ((cx - w / 2.0).abs() / (w / 2.0)).max((cy - 0.4 * h).abs() / (h / 2.0)),
            outside: 1.0 - inside / (bw * bh),
            margin: (x / w).min(y / h).min((w - x - bw) / w).min((h - y - bh) / h),
        }
    }
}

/// Whether the main face (and the second one, for `two_faces`) meet their case's bounds.
pub fn fits(case: &str, main: &FaceMeasures, roll: f64, second: Option<&FaceMeasures>) -> bool {
    let normal = |m: &FaceMeasures| (0.17..=0.26).contains(&m.size) && m.offset <= 0.2 && m.margin >= 0.05;
    let upright = roll.abs() <= 4.0;
    match case {
        "small_face" => (0.045..=0.058).contains(&main.size) && main.offset <= 0.2 && main.margin >= 0.05 && upright,
        "off_center" => (0.16..=0.2).contains(&main.size) && main.offset >= 0.72 && main.margin >= 0.03 && upright,
        "cut_off" => (0.18..=0.24).contains(&main.size) && (0.17..=0.28).contains(&main.outside) && main.offset > 0.6 && upright,
        "tilted" => normal(main) && (25.0..=30.0).contains(&roll.abs()),
        "two_faces" => normal(main) && upright && second.is_some_and(|s| (0.09..=0.115).contains(&s.size) && s.margin >= 0.03),
        _ => normal(main) && upright,
    }
}

/// A face photo to take.
#[derive(Debug, Clone)]
pub struct FaceShot {
    pub width: u32,
    pub height: u32,
    pub backdrop: Backdrop,
    /// Drawn in order: a second face first, the main one over it.
    pub people: Vec<Placement>,
    pub seed: u64,
}

/// The face shot of the `index`-th plan (not for card plans): placements drawn from the
/// capture's seed until they meet the case's bounds.
pub fn face_shot(plan: &Plan, index: usize) -> FaceShot {
    let seed = 0xFA_0000 + index as u64;
    let (width, height) = if plan.case == "12mp" { (3000, 4000) } else { FRAME };
    let (w, h) = (width as f64, height as f64);
    let mut rng = Rng::new(seed);
    let Some(person) = plan.person else {
        return FaceShot { width, height, backdrop: plan.backdrop, people: vec![], seed };
    };
    let case = plan.case;
    let found = (0..10_000).find_map(|_| {
        let mut s = |lo: f64, hi: f64| lo + (hi - lo) * rng.unit() as f64;
        let sign = if s(0.0, 1.0) < 0.5 { -1.0 } else { 1.0 };
        let mut main = Placement {
            person,
            center: [w * (0.5 + s(-0.09, 0.09)), h * (0.4 + s(-0.07, 0.07))],
            side: h * s(0.17, 0.26),
            roll: s(-4.0, 4.0),
            tone: Tone::Normal,
        };
        let mut second = None;
        match case {
            "small_face" => main.side = h * s(0.045, 0.058),
            "off_center" => {
                main.side = h * s(0.16, 0.2);
                let off = s(0.72, 0.8);
                if index % 3 == 2 { main.center[1] = h * (0.4 + off / 2.0) } else { main.center[0] = w * (0.5 + sign * off / 2.0) }
            }
            "cut_off" => {
                main.side = h * s(0.18, 0.24);
                let out = s(0.17, 0.28) * main.side;
                match index % 4 {
                    0 => main.center[0] = main.side / 2.0 - out,
                    1 => main.center[0] = w - main.side / 2.0 + out,
                    2 => main.center[1] = main.side / 2.0 - out,
                    _ => main.center[0] = main.side / 2.0 - out,
                }
            }
            "tilted" => main.roll = sign * s(25.0, 30.0),
            "dark_face" => main.tone = Tone::Dark(dark_gain(person, s(30.0, 40.0) as f32)),
            "overexposed_face" => main.tone = Tone::Blown(blown_gain(person, s(0.55, 0.62) as f32)),
            "two_faces" => {
                // The main face a little to one side, the second beside it, higher up.
                main.center[0] = w * (0.5 - sign * s(0.02, 0.09));
                let other = Person::ALL[(Person::ALL.iter().position(|&p| p == person).unwrap_or(0) + 1) % 3];
                second = Some(Placement {
                    person: other,
                    center: [w * (0.5 + sign * s(0.32, 0.36)), h * s(0.12, 0.2)],
                    side: h * s(0.09, 0.115),
                    roll: s(-4.0, 4.0),
                    tone: Tone::Normal,
                });
            }
            _ => {}
        }
        let m = FaceMeasures::of(main.face_box(), width, height);
        let second_m = second.map(|p: Placement| FaceMeasures::of(p.face_box(), width, height));
        // The second head stays clear of the main one.
        let apart = second.is_none_or(|p| (p.center[0] - main.center[0]).abs() > 0.85 * main.side + 0.9 * p.side);
        (fits(case, &m, main.roll, second_m.as_ref()) && apart).then_some((main, second))
    });
    let (main, second) = found.unwrap_or_else(|| panic!("no {case} placement fits a {width}x{height} frame"));
    FaceShot { width, height, backdrop: plan.backdrop, people: second.into_iter().chain([main]).collect(), seed }
}

/// The luma of the plain backdrops the dark and blown heads are laid on, near enough.
const WHITE_LUMA: f32 = 236.0;

/// The gain that brings the face box of `person`'s cut-out, on white, to a mean luma of `target`.
fn dark_gain(person: Person, target: f32) -> f32 {
    let px = person.face_pixels();
    let n = px.len() as f32;
    let head = px.iter().map(|&(c, a)| luma(c) * a).sum::<f32>() / n;
    let white = px.iter().map(|&(_, a)| WHITE_LUMA * (1.0 - a)).sum::<f32>() / n;
    (target - white).max(0.0) / head
}

/// The gain (then clipping) that puts a `share` of `person`'s face box at luma ≥ 252.
fn blown_gain(person: Person, share: f32) -> f32 {
    let px = person.face_pixels();
    let blown = |g: f32| px.iter().filter(|&&(c, a)| a > 0.99 && luma(c.map(|v| (v * g).min(255.0))) >= 252.0).count() as f32 / px.len() as f32;
    let (mut lo, mut hi) = (1.0f32, 12.0f32);
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if blown(mid) < share { lo = mid } else { hi = mid }
    }
    hi
}

/// Draws a face shot, with sensor noise.
pub fn draw(shot: &FaceShot) -> RgbImage {
    let (w, h) = (shot.width, shot.height);
    let mut img = RgbImage::from_fn(w, h, |x, y| Rgb(shot.backdrop.color(x, y, w, h).map(byte)));
    for p in &shot.people {
        lay(&mut img, p);
    }
    noisy(img, 2.5, shot.seed)
}

fn byte(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// Lays a person's cut-out on the image.
fn lay(img: &mut RgbImage, p: &Placement) {
    let (w, h) = img.dimensions();
    let reach = p.person.reach() * p.side;
    let clip = |v: f64, n: u32| (v.max(0.0) as u32).min(n);
    let (sin, cos) = p.roll.to_radians().sin_cos();
    for y in clip(p.center[1] - reach, h)..clip(p.center[1] + reach + 1.0, h) {
        for x in clip(p.center[0] - reach, w)..clip(p.center[0] + reach + 1.0, w) {
            let (dx, dy) = (x as f64 + 0.5 - p.center[0], y as f64 + 0.5 - p.center[1]);
            let at = [(dx * cos + dy * sin) / p.side, (-dx * sin + dy * cos) / p.side];
            let (color, a) = p.person.sample(at, 1.0 / p.side);
            if a <= 0.0 {
                continue;
            }
            let color = match p.tone {
                Tone::Normal => color,
                Tone::Dark(g) | Tone::Blown(g) => color.map(|c| (c * g).min(255.0)),
            };
            let px = img.get_pixel_mut(x, y);
            *px = Rgb(std::array::from_fn(|i| byte(px[i] as f32 * (1.0 - a) + color[i] * a)));
        }
    }
}

/// The pose of a card held up to the camera (`card_held_up`): close, nearly square on.
fn held_up(seed: u64) -> Pose {
    let mut rng = Rng::new(seed);
    let mut s = |lo: f64, hi: f64| lo + (hi - lo) * rng.unit() as f64;
    Pose { center: [s(0.46, 0.54), s(0.42, 0.5)], fill: s(0.8, 0.9), roll: s(-8.0, 8.0), pitch: s(-8.0, 8.0), yaw: s(-8.0, 8.0) }
}

/// The portrait's face box on a photographed ID card front, bounding its four corners.
pub fn card_face_box(corners: &[[f64; 2]; 4]) -> [f64; 4] {
    let [cw, ch] = Sheet::IdFront.size_mm();
    let map = Homography::from_points([[0.0, 0.0], [cw, 0.0], [cw, ch], [0.0, ch]], *corners)
        .expect("a pose projects to a proper quadrilateral");
    let ([cx, cy], side) = ID_PORTRAIT_FACE;
    let pts = [[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]].map(|[u, v]| map.apply([cx + u * side, cy + v * side]));
    let (x0, x1) = pts.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
    let (y0, y1) = pts.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p[1]), hi.max(p[1])));
    [x0, y0, x1 - x0, y1 - y0]
}

/// Draws and encodes one capture.
pub fn capture(plan: &Plan, index: usize) -> FaceCapture {
    let (img, faces, roll) = match (plan.sheet, plan.backdrop) {
        (Some(sheet), Backdrop::Desk(desk)) => {
            let shot = if plan.case == "card_held_up" {
                let seed = 0xFA_0000 + index as u64;
                Shot { width: FRAME.0, height: FRAME.1, desk, sheet: Some(sheet), pose: held_up(seed), effects: Effects::default(), seed, noise_seed: seed }
            } else {
                // A clean document-corpus pose, from seeds the document corpus does not use.
                let doc = corpus::Plan { case: "clean", sheet, desk, document: true };
                corpus::shot(&doc, 1000 + index, 1600, 1200)
            };
            let (img, corners) = scene::shoot(&shot);
            let corners = corners.expect("a card is in the shot");
            let faces = if sheet == Sheet::IdFront { vec![card_face_box(&corners)] } else { vec![] };
            (img, faces, 0.0)
        }
        _ => {
            let shot = face_shot(plan, index);
            let mut people = shot.people.clone();
            people.reverse(); // the main face first
            let faces = people.iter().map(Placement::face_box).collect();
            (draw(&shot), faces, people.first().map_or(0.0, |p| p.roll))
        }
    };
    let who = plan.person.map_or(plan.backdrop.name(), Person::name);
    FaceCapture {
        file: format!("{:04}-{}-{}-{}.jpg", index + 1, plan.kind.as_str(), plan.case.replace('_', "-"), who),
        kind: plan.kind,
        case: plan.case,
        person: plan.person,
        backdrop: plan.backdrop.name(),
        width: img.width(),
        height: img.height(),
        faces,
        roll,
        expect: expected(plan.case),
        jpeg: camera_jpeg(&img),
    }
}

/// The whole corpus, drawn on every core.
pub fn corpus() -> Vec<FaceCapture> {
    let plans = plans();
    drawn_in_parallel(plans.len(), |i| capture(&plans[i], i))
}

/// `labels.json`: `{"recipe", "captures": [{file, kind, case, person, backdrop, width, height,
/// faces, roll, expect}]}`.
pub fn labels_json(captures: &[FaceCapture]) -> String {
    let captures: Vec<serde_json::Value> = captures
        .iter()
        .map(|c| {
            serde_json::json!({
                "file": c.file,
                "kind": c.kind.as_str(),
                "case": c.case,
                "person": c.person.map(Person::name),
                "backdrop": c.backdrop,
                "width": c.width,
                "height": c.height,
                "faces": c.faces,
                "roll": c.roll,
                "expect": c.expect,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "recipe": RECIPE, "captures": captures })).expect("labels serialize")
}
