//! hexin's face detection timed for bench/faces.sh: the detector alone on the analysis copy of a
//! photo (its share of `check`) and on a 640 × 480 preview frame, and a face photo's
//! `CaptureGuide` on that frame.
//!
//! ```text
//! face_timing --photo FILE --frame FILE.y [--repeat N]
//! ```
//!
//! `FILE.y` is a raw 640 × 480 luma plane. Prints one JSON object: `{"photo", "detector_ms",
//! "photo_faces", "frame_ms", "frame_faces", "guide_ms", "guide_hint"}`, medians over N runs
//! (default 5; 4 N on the frame) after one untimed.

use std::process::ExitCode;
use std::time::Instant;

use hexin_core::capture::analysis::Analysis;
use hexin_core::capture::document::plane::Plane;
use hexin_core::capture::face::detector::detect;
use hexin_core::capture::guide::{CaptureGuide, GuideConfig};
use hexin_core::{MaterialKind, Policy};
use serde_json::json;

/// The default policy's `face_not_found` threshold (core/policies/icp-default.toml).
const MIN_SCORE: f64 = 3.0;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("face_timing: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The median time of `f` over `n` runs after one untimed, in ms, and its last result.
fn timed<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut last = f();
    let mut times: Vec<f64> = (0..n)
        .map(|_| {
            let start = Instant::now();
            last = f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], last)
}

fn run(args: Vec<String>) -> Result<(), String> {
    let (mut photo, mut frame, mut repeat) = (None, None, 5);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--photo" => photo = Some(value()?.clone()),
            "--frame" => frame = Some(value()?.clone()),
            "--repeat" => {
                let v = value()?;
                repeat = v.parse().ok().filter(|&n: &usize| n > 0).ok_or(format!("--repeat {v}: not a positive count"))?;
            }
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    let (photo, frame) = (photo.ok_or("--photo FILE is required")?, frame.ok_or("--frame FILE.y is required")?);
    let upright = image::open(&photo).map_err(|e| format!("{photo}: {e}"))?.to_rgb8();
    let a = Analysis::new(&upright);
    let plane = Plane::packed(&a.luma, a.width, a.height).map_err(|e| e.to_string())?;
    let (detector_ms, faces) = timed(repeat, || detect(&plane, a.width.max(a.height), MIN_SCORE));
    let luma = std::fs::read(&frame).map_err(|e| format!("{frame}: {e}"))?;
    let preview = Plane::packed(&luma, 640, 480).map_err(|e| format!("{frame}: {e}"))?;
    let (frame_ms, frame_faces) = timed(repeat * 4, || detect(&preview, 640, MIN_SCORE));
    let policy = Policy::icp_default();
    let mut guide = CaptureGuide::new(policy.rules(MaterialKind::FacePhoto), GuideConfig::default()).map_err(|e| e.to_string())?;
    let (guide_ms, guidance) = timed(repeat * 4, || guide.analyze(&preview, 0));
    let hint = guidance.map_err(|e| e.to_string())?.hint.name();
    let line = json!({
        "photo": photo, "detector_ms": detector_ms, "photo_faces": faces.len(),
        "frame_ms": frame_ms, "frame_faces": frame_faces.len(), "guide_ms": guide_ms, "guide_hint": hint,
    });
    println!("{line}");
    Ok(())
}
