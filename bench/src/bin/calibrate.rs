//! Prints every check's measurement on the calibration set and on real photos, with the
//! false-accept and false-reject counts under the default policy.
//!
//! cargo run --release -p hexin-bench --bin calibrate -- [DIR_OR_FILE ...]
//!
//! Synthetic captures carry the codes they must raise. Real photos given on the command line are
//! expected to pass every check except those `real_expectation` names (scikit-image's grayscale
//! photos, its real motion-blurred clock, its deep-field sky); `resolution_too_low` is ignored for
//! them, since most are small.

use std::path::{Path, PathBuf};

use hexin_core::capture::analysis::Analysis;
use hexin_core::capture::checks::{evaluate, Metrics};
use hexin_core::capture::intake;
use hexin_core::{MaterialKind, Policy};
use hexin_testing::synthetic;

fn main() {
    let policy = Policy::icp_default();
    let rules = policy.rules(MaterialKind::IdCardFront);
    println!("{:<34} {:>7} {:>7} {:>8} {:>8} {:>8}  raised / expected", "capture", "blur", "luma", "clipped", "glare", "colour");
    let (mut false_accepts, mut false_rejects, mut total) = (0, 0, 0);
    for (name, _, img, expected) in synthetic::calibration_set(1600, 1200) {
        let bytes = synthetic::camera_jpeg(&img);
        let (metrics, raised) = measure(&bytes, &policy);
        let codes: Vec<&str> = raised.iter().map(|c| c.as_str()).collect();
        total += 1;
        let missing = expected.iter().filter(|e| !codes.contains(e)).count();
        let extra = codes.iter().filter(|c| !expected.contains(c) && **c != "resolution_too_low").count();
        false_accepts += missing.min(1);
        false_rejects += extra.min(1);
        row(&name, &metrics, &format!("{codes:?} / {expected:?}{}", if missing + extra > 0 { "  <-- MISMATCH" } else { "" }));
    }
    println!("\nsynthetic: {total} captures, {false_accepts} false accepts, {false_rejects} false rejects");
    let (mut real, mut real_fa, mut real_fr) = (0, 0, 0);
    for path in std::env::args().skip(1).flat_map(|a| files(Path::new(&a))) {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let decoded = match intake::decode(&bytes, &policy.limits, rules) {
            Ok(d) => d,
            Err(e) => {
                println!("{:<34} {}", short(&path), e.code());
                continue;
            }
        };
        drop(decoded);
        let (metrics, raised) = measure(&bytes, &policy);
        let codes: Vec<&str> = raised.iter().map(|c| c.as_str()).filter(|c| *c != "resolution_too_low").collect();
        let expected = real_expectation(&short(&path));
        let missing = expected.iter().filter(|e| !codes.contains(e)).count();
        let extra = codes.iter().filter(|c| !expected.contains(c)).count();
        real += 1;
        real_fa += missing.min(1);
        real_fr += extra.min(1);
        let flag = if missing + extra > 0 { "  <-- MISMATCH" } else { "" };
        row(&short(&path), &metrics, &format!("{codes:?} / {expected:?}{flag}"));
    }
    if real > 0 {
        println!("\nreal photos: {real} decodable, {real_fa} false accepts, {real_fr} false rejects");
    }
}

/// What a real photo must raise, by file name: scikit-image ships grayscale photos, a
/// genuinely motion-blurred one and a mostly black night sky. Everything else is a good photo.
fn real_expectation(name: &str) -> Vec<&'static str> {
    match name {
        "brick.png" | "camera.png" | "grass.png" | "gravel.png" | "page.png" | "text.png" | "moon.png" | "coins.png" => vec!["not_color"],
        "clock_motion.png" => vec!["blurry", "not_color"],
        "hubble_deep_field.jpg" => vec!["too_dark"],
        _ => vec![],
    }
}

fn measure(bytes: &[u8], policy: &Policy) -> (Metrics, Vec<hexin_core::Code>) {
    let rules = policy.rules(MaterialKind::IdCardFront);
    let d = intake::decode(bytes, &policy.limits, rules).expect("decodable fixture");
    let (w, h) = d.upright_size();
    let upright = intake::upright_within(d.pixels, d.orientation, rules.output_long_side);
    let metrics = Metrics::measure(w, h, &Analysis::new(&upright));
    let codes = evaluate(&metrics, rules).into_iter().map(|f| f.code).collect();
    (metrics, codes)
}

fn row(name: &str, m: &Metrics, tail: &str) {
    println!(
        "{:<34} {:>7.3} {:>7.1} {:>8.4} {:>8.4} {:>8.4}  {tail}",
        name, m.blur, m.mean_luma, m.clipped, m.glare_patch, m.colorfulness
    );
}

fn files(p: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(p) {
        Ok(entries) => {
            let mut v: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            v.sort();
            v
        }
        Err(_) => vec![p.to_path_buf()],
    }
}

fn short(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
