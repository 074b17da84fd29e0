//! Prints every check's measurement on the calibration set and on real photos, with the
//! false-accept and false-reject counts under the default policy.
//!
//! cargo run --release -p hexin-core --example calibrate -- [DIR_OR_FILE ...]
//!
//! Synthetic captures carry the codes they must raise; real photos given on the command line
//! are taken as good captures (sharp, well exposed, colour) and only their metric rows are
//! printed with any code they raise, so a threshold that rejects a good real photo shows up.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};

use hexin_core::analysis::Analysis;
use hexin_core::checks::{evaluate, Metrics};
use hexin_core::{intake, normalize, MaterialKind, Policy};

fn main() {
    let policy = Policy::icp_default();
    let rules = policy.rules(MaterialKind::IdCardFront);
    println!("{:<34} {:>7} {:>7} {:>8} {:>8} {:>8}  raised / expected", "capture", "blur", "luma", "clipped", "glare", "chroma");
    let (mut false_accepts, mut false_rejects, mut total) = (0, 0, 0);
    for (name, img, expected) in support::calibration_set(1600, 1200) {
        let bytes = support::camera_jpeg(&img);
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
    let mut real = 0;
    let mut real_rejects = 0;
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
        real += 1;
        real_rejects += (!codes.is_empty()) as u32;
        row(&short(&path), &metrics, &format!("{codes:?}"));
    }
    if real > 0 {
        println!("\nreal photos: {real}, {real_rejects} raised a code other than resolution_too_low");
    }
}

fn measure(bytes: &[u8], policy: &Policy) -> (Metrics, Vec<hexin_core::Code>) {
    let rules = policy.rules(MaterialKind::IdCardFront);
    let d = intake::decode(bytes, &policy.limits, rules).expect("decodable fixture");
    let (w, h) = d.upright_size();
    let upright = normalize::upright_within(d.pixels, d.orientation, rules.output_long_side);
    let metrics = Metrics::measure(w, h, &Analysis::new(&upright));
    let codes = evaluate(&metrics, rules).into_iter().map(|f| f.code).collect();
    (metrics, codes)
}

fn row(name: &str, m: &Metrics, tail: &str) {
    println!(
        "{:<34} {:>7.3} {:>7.1} {:>8.4} {:>8.4} {:>8.4}  {tail}",
        name, m.blur, m.mean_luma, m.clipped, m.glare_patch, m.chromatic
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
