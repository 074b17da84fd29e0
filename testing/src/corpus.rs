//! The generated document corpus: documents photographed on real desk textures, each capture
//! labelled with its document's corners and the codes hexin must raise under the default
//! policy (`core/policies/icp-default.toml`). The same captures on every machine: each one is
//! drawn from its own seed.
//!
//! | case | what | expect |
//! | --- | --- | --- |
//! | clean | every kind on every desk (the textured-desk cases: `texture` says which) | [] |
//! | rounded | an ID card close up, its rounded corners large | [] |
//! | shadow | a soft shadow across the document and desk (42 % darker) | [] |
//! | thumb | a thumb over the document's bottom edge, corners clear | [] |
//! | similar_paper | the card on off-white paper that runs out of the frame | [] |
//! | low_light | dim (gain 0.38–0.46) and noisier (σ 5), still legible | [] |
//! | dark | gain 0.14–0.18: the document's mean luma under 55 | too_dark |
//! | off_frame | a corner outside the frame | document_incomplete |
//! | far | the document covers under 4 % of the frame | document_too_small |
//! | tilted | opposite sides differ by more than 35 % | document_tilted |
//! | blurred_card | the document defocused (radius 5–7 at 1600 px), the desk sharp | blurry |
//! | shallow_dof | the document sharp, the desk defocused (radius 7–10) | [] |
//! | glare_on_card | a small blown-out patch on the document | glare |
//! | bw_copy_warm_light | a black-and-white copy under a warm lamp (cast 8–14 %) | not_color |
//! | pale_back | the pale, mostly grey ID card back on grey gravel (once on plain grey) | [] |
//! | empty_table | no document | document_not_found |
//!
//! Every document capture except `off_frame` keeps all four corners inside the frame by at
//! least 3 % of its short side; every one except `tilted` shows at most 12 % perspective
//! (opposite-side length ratio − 1, the larger pair), and every one except `far` covers at
//! least 15 % of the frame. The tests hold the corpus to these bounds, so thresholds set
//! between them classify it.

use crate::desks::Desk;
use crate::documents::Sheet;
use crate::scene::{self, Effects, Pose, Shot};
use crate::synthetic::{camera_jpeg, Rng};
use hexin_core::MaterialKind;

/// The corpus recipe's version: bumped whenever a capture's pixels or labels change.
pub const RECIPE: u32 = 2;

/// One labelled capture.
#[derive(Debug, Clone)]
pub struct Capture {
    /// `NNNN-kind-texture-case.jpg`.
    pub file: String,
    pub kind: MaterialKind,
    pub texture: &'static str,
    pub case: &'static str,
    /// tl, tr, br, bl in upright pixels (pixel centres at integer coordinates); `None`: no
    /// document. An ID card's corners are those of its rectangle, where its straight edges
    /// meet, just outside its rounded outline.
    pub corners: Option<[[f64; 2]; 4]>,
    /// The codes hexin must raise; empty: it must accept the capture.
    pub expect: Vec<&'static str>,
    pub jpeg: Vec<u8>,
}

/// Every case, in corpus order.
pub const CASES: [&str; 16] = [
    "clean",
    "rounded",
    "shadow",
    "thumb",
    "similar_paper",
    "low_light",
    "dark",
    "off_frame",
    "far",
    "tilted",
    "blurred_card",
    "shallow_dof",
    "glare_on_card",
    "bw_copy_warm_light",
    "pale_back",
    "empty_table",
];

const ID_FRONT: Sheet = Sheet::IdFront;
const ID_BACK: Sheet = Sheet::IdBack;
const LICENCE_A4: Sheet = Sheet::Licence { landscape: true, a3: false };
const LICENCE_A3: Sheet = Sheet::Licence { landscape: false, a3: true };
const FORM: Sheet = Sheet::Form;
const ALL_SHEETS: [Sheet; 5] = [ID_FRONT, ID_BACK, LICENCE_A4, LICENCE_A3, FORM];

/// One planned capture, before it is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub case: &'static str,
    pub sheet: Sheet,
    pub desk: Desk,
    /// False for an empty desk: the sheet then only names the kind it is checked as.
    pub document: bool,
}

/// The captures of the corpus, in order: each case over several kinds and desks.
pub fn plans() -> Vec<Plan> {
    use Desk::*;
    let mut out = Vec::new();
    let mut add = |case, sheets: &[Sheet], desks: &[Desk], n: usize| {
        // Walk both lists so that neighbours differ in kind and in desk.
        for i in 0..n {
            let (sheet, desk) = (sheets[i % sheets.len()], desks[(i + i / desks.len()) % desks.len()]);
            out.push(Plan { case, sheet, desk, document: case != "empty_table" });
        }
    };
    for desk in Desk::ALL {
        add("clean", &ALL_SHEETS, &[desk], 5);
    }
    add("clean", &[ID_FRONT, ID_BACK], &Desk::ALL, 6);
    add("rounded", &[ID_FRONT, ID_BACK], &[Wood, Stone, Fabric, Grey], 8);
    add("shadow", &ALL_SHEETS, &[Wood, Fabric, Stone, Tablecloth, Grey, Gravel], 8);
    add("thumb", &[ID_FRONT, ID_BACK], &[Wood, Stone, Fabric, Tablecloth, Grey], 8);
    add("similar_paper", &[ID_FRONT, ID_BACK], &[Wood, Grey, Stone], 6);
    add("low_light", &ALL_SHEETS, &[Wood, Fabric, Grey, Tablecloth], 8);
    add("dark", &[ID_FRONT, LICENCE_A4, ID_BACK, FORM], &[Wood, Grey], 4);
    add("off_frame", &ALL_SHEETS, &[Wood, Stone, Fabric, Grey], 8);
    add("far", &[ID_FRONT, ID_BACK, LICENCE_A4], &[Wood, Stone, Fabric, Tablecloth], 8);
    add("tilted", &ALL_SHEETS, &[Wood, Grey, Stone, Fabric], 8);
    add("blurred_card", &ALL_SHEETS, &[Wood, Stone, Fabric, Tablecloth, Gravel], 8);
    add("shallow_dof", &ALL_SHEETS, &[Wood, Stone, Fabric, Tablecloth, Gravel], 8);
    add("glare_on_card", &ALL_SHEETS, &[Wood, Grey, Fabric, Stone], 8);
    add("bw_copy_warm_light", &[ID_FRONT, ID_BACK, LICENCE_A4], &[Wood, Grey, Fabric, Tablecloth], 6);
    add("pale_back", &[ID_BACK], &[Gravel], 5);
    add("pale_back", &[ID_BACK], &[Grey], 1);
    add("empty_table", &[ID_FRONT, ID_BACK, LICENCE_A4, FORM, ID_FRONT, LICENCE_A3], &Desk::ALL, 6);
    out
}

/// The codes hexin must raise for a case under the default policy.
pub fn expected(case: &str) -> Vec<&'static str> {
    match case {
        "dark" => vec!["too_dark"],
        "off_frame" => vec!["document_incomplete"],
        "far" => vec!["document_too_small"],
        "tilted" => vec!["document_tilted"],
        "blurred_card" => vec!["blurry"],
        "glare_on_card" => vec!["glare"],
        "bw_copy_warm_light" => vec!["not_color"],
        "empty_table" => vec!["document_not_found"],
        _ => vec![],
    }
}

/// The shot of the `index`-th plan at `width` × `height`: a pose drawn from the capture's seed
/// until it meets its case's bounds, and the case's effects. Panics when no pose fits the
/// frame; frames of 2:1, 16:9 and 4:3 have poses both ways round.
pub fn shot(plan: &Plan, index: usize, width: u32, height: u32) -> Shot {
    let seed = 0xC0_0000 + index as u64;
    let mut rng = Rng::new(seed);
    let size_mm = plan.sheet.size_mm();
    let case = plan.case;
    let pose = (0..10_000).find_map(|_| {
        let mut s = |lo: f64, hi: f64| lo + (hi - lo) * rng.unit() as f64;
        let mut pose = Pose {
            center: [s(0.44, 0.56), s(0.44, 0.56)],
            fill: s(0.55, 0.8),
            roll: s(-12.0, 12.0),
            pitch: s(-10.0, 10.0),
            yaw: s(-10.0, 10.0),
        };
        match case {
            "rounded" => (pose.fill, pose.roll, pose.pitch, pose.yaw) = (s(0.8, 0.86), s(-4.0, 4.0), s(-5.0, 5.0), s(-5.0, 5.0)),
            "far" => pose.fill = s(0.14, 0.2),
            "tilted" => {
                let sign = if s(0.0, 1.0) < 0.5 { -1.0 } else { 1.0 };
                if s(0.0, 1.0) < 0.6 { pose.pitch = sign * s(42.0, 50.0) } else { pose.yaw = sign * s(42.0, 50.0) }
                pose.fill = s(0.5, 0.8);
            }
            "off_frame" => {
                pose.fill = s(0.7, 0.85);
                let (dx, dy) = (s(0.14, 0.22), s(0.1, 0.18));
                pose.center = [0.5 + dx * if s(0.0, 1.0) < 0.5 { -1.0 } else { 1.0 }, 0.5 + dy * if s(0.0, 1.0) < 0.5 { -1.0 } else { 1.0 }];
            }
            _ => {}
        }
        let corners = pose.corners(size_mm, (width, height));
        let m = Measures::of(&corners, width, height);
        let fits = match case {
            "off_frame" => m.margin < -0.03 && m.perspective <= 0.12,
            "far" => m.margin >= 0.03 && m.perspective <= 0.12 && m.coverage < 0.04,
            "tilted" => m.margin >= 0.03 && m.perspective > 0.35 && m.coverage >= 0.15,
            _ => m.margin >= 0.03 && m.perspective <= 0.12 && m.coverage >= 0.15,
        };
        fits.then_some(pose)
    });
    let pose = pose.unwrap_or_else(|| panic!("no {case} pose fits a {width}x{height} frame"));
    let mut fx = Effects::default();
    let mut s = |lo: f32, hi: f32| lo + (hi - lo) * rng.unit();
    match case {
        "shadow" => fx.shadow = true,
        "thumb" => fx.thumb = true,
        "similar_paper" => fx.paper_under = true,
        "low_light" => (fx.gain, fx.noise) = (s(0.38, 0.46), 5.0),
        "dark" => (fx.gain, fx.noise) = (s(0.14, 0.18), 4.0),
        "blurred_card" => fx.card_blur = s(5.0, 7.0),
        "shallow_dof" => fx.desk_blur = s(7.0, 10.0),
        "glare_on_card" => fx.glare = Some(([s(0.25, 0.75) as f64, s(0.3, 0.7) as f64], s(0.025, 0.035))),
        "bw_copy_warm_light" => (fx.gray_copy, fx.warmth) = (true, s(0.08, 0.14)),
        _ => {}
    }
    Shot { width, height, desk: plan.desk, sheet: plan.document.then_some(plan.sheet), pose, effects: fx, seed, noise_seed: seed }
}

/// The corpus at `width` × `height` (1600 × 1200 is the reference; 4032 × 3024 for a 12 MP
/// bench), drawn on every core.
pub fn corpus(width: u32, height: u32) -> Vec<Capture> {
    let plans = plans();
    drawn_in_parallel(plans.len(), |i| capture(&plans[i], i, width, height))
}

/// `draw(0..n)` spread over every core, in order.
pub fn drawn_in_parallel<T: Send>(n: usize, draw: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(n.max(1));
    let mut slots: Vec<Option<T>> = (0..n).map(|_| None).collect();
    let draw = &draw;
    std::thread::scope(|scope| {
        for (t, chunk) in slots.chunks_mut(n.div_ceil(threads).max(1)).enumerate() {
            scope.spawn(move || {
                let first = t * n.div_ceil(threads);
                for (k, slot) in chunk.iter_mut().enumerate() {
                    *slot = Some(draw(first + k));
                }
            });
        }
    });
    slots.into_iter().map(|c| c.expect("every slot drawn")).collect()
}

/// Draws and encodes one capture.
pub fn capture(plan: &Plan, index: usize, width: u32, height: u32) -> Capture {
    let (img, corners) = scene::shoot(&shot(plan, index, width, height));
    let (kind, case) = (plan.sheet.kind(), plan.case);
    Capture {
        file: format!("{:04}-{}-{}-{}.jpg", index + 1, kind.as_str(), plan.desk.name(), case.replace('_', "-")),
        kind,
        texture: plan.desk.name(),
        case,
        corners,
        expect: expected(case),
        jpeg: camera_jpeg(&img),
    }
}

/// `labels.json`: `{"recipe", "captures": [{file, kind, texture, case, corners, expect}]}`.
pub fn labels_json(captures: &[Capture]) -> String {
    let captures: Vec<serde_json::Value> = captures
        .iter()
        .map(|c| {
            serde_json::json!({
                "file": c.file,
                "kind": c.kind.as_str(),
                "texture": c.texture,
                "case": c.case,
                "corners": c.corners,
                "expect": c.expect,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "recipe": RECIPE, "captures": captures })).expect("labels serialize")
}

/// What the bounds of the cases are stated in.
#[derive(Debug, Clone, Copy)]
pub struct Measures {
    /// Quadrilateral area over frame area.
    pub coverage: f64,
    /// Opposite-side length ratio − 1, the larger of the two pairs.
    pub perspective: f64,
    /// The corners' least distance inside the frame's edge, over the frame's short side
    /// (negative: a corner is outside).
    pub margin: f64,
}

impl Measures {
    pub fn of(q: &[[f64; 2]; 4], width: u32, height: u32) -> Measures {
        let (w, h) = (width as f64, height as f64);
        let area = (0..4).map(|i| q[i][0] * q[(i + 1) % 4][1] - q[(i + 1) % 4][0] * q[i][1]).sum::<f64>().abs() / 2.0;
        let [top, right, bottom, left] = scene::side_lengths(q);
        let ratio = |a: f64, b: f64| a.max(b) / a.min(b) - 1.0;
        let margin = q
            .iter()
            .map(|&[x, y]| (x + 0.5).min(w - 0.5 - x).min(y + 0.5).min(h - 0.5 - y))
            .fold(f64::INFINITY, f64::min)
            / w.min(h);
        Measures { coverage: area / (w * h), perspective: ratio(top, bottom).max(ratio(left, right)), margin }
    }
}
