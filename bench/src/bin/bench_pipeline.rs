//! Times the whole `check` pipeline on real files: the Rust side of `bench/compare.sh`.
//!
//! cargo build --release -p hexin-bench --bin bench_pipeline
//!
//! ```text
//! bench_pipeline [--repeat N] [--warmup W] FILE...   median wall time of `check`, one JSON line per file
//!                                                    (--budget B: the default policy with that byte budget)
//! bench_pipeline --once [--save-output OUT] FILE    one `check` (peak RSS of a fresh process)
//! bench_pipeline --encodes [--budget B,...] FILE...  quality search: interpolation vs bisection
//! bench_pipeline --stages [--repeat N] FILE...       median time of each stage of `check`
//! bench_pipeline --write-synthetic PATH [--orientation O]
//!                                                    a 4032x3024 photo of an ID card on a table
//! ```
//!
//! `--material KIND` (every mode but `--write-synthetic`): the kind `check` runs as; `other` (the
//! whole frame, no document step) by default, a document kind (`id-card-front` for the synthetic
//! photo, whose card has the ID-1 aspect that kind expects) to find, straighten and output the
//! document.
//!
//! Timings cover `check` only (the file is read before the clock starts). Never run this from a
//! test: timings belong to benchmarks, on a quiet machine.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use hexin_core::capture::analysis::Analysis;
use hexin_core::capture::checks::{self, Metrics};
use hexin_core::capture::normalize::{self, Search};
use hexin_core::capture::rules::QualityRange;
use hexin_core::capture::document::plane::Plane;
use hexin_core::capture::document::{Detector, Outcome, Shape};
use hexin_core::capture::intake;
use hexin_core::capture::placement;
use hexin_core::capture::straightened;
use hexin_core::{check, MaterialKind, Policy, Report};
use hexin_testing::{quality, synthetic};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_pipeline: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(PartialEq)]
enum Mode {
    Repeat,
    Once,
    Encodes,
    Stages,
    WriteSynthetic,
}

fn run(args: &[String]) -> Result<(), String> {
    let (mut mode, mut repeat, mut warmup, mut orientation) = (Mode::Repeat, 5usize, 1usize, 1u16);
    // `other` by default: the whole frame, no document step.
    let mut kind = MaterialKind::Other;
    let mut save: Option<String> = None;
    let mut budgets: Vec<u64> = Vec::new();
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--repeat" => repeat = number(value("--repeat")?)?.max(1),
            "--warmup" => warmup = number(value("--warmup")?)?,
            "--orientation" => orientation = number(value("--orientation")?)? as u16,
            "--once" => mode = Mode::Once,
            "--material" => kind = value("--material")?.parse()?,
            "--budget" => {
                budgets = value("--budget")?.split(',').map(|b| number(b.trim()).map(|n| n as u64)).collect::<Result<_, _>>()?
            }
            "--save-output" => save = Some(value("--save-output")?.clone()),
            "--encodes" => mode = Mode::Encodes,
            "--stages" => mode = Mode::Stages,
            "--write-synthetic" => mode = Mode::WriteSynthetic,
            "-h" | "--help" => {
                println!("usage: bench_pipeline [--material KIND] [--repeat N] [--warmup W] FILE... | --once [--save-output OUT] FILE | --encodes [--budget B,...] FILE... | --stages [--repeat N] FILE... | --write-synthetic PATH [--orientation O]");
                return Ok(());
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => files.push(a.clone()),
        }
    }
    if files.is_empty() {
        return Err("no file given (see --help)".into());
    }
    let policy = match (&mode, budgets.first()) {
        (Mode::Repeat | Mode::Once | Mode::Stages, Some(&budget)) => policy_with_budget(budget)?,
        _ => Policy::icp_default(),
    };
    match mode {
        Mode::WriteSynthetic => {
            for path in &files {
                write_synthetic(path, orientation)?;
            }
        }
        Mode::Once => {
            let bytes = read(&files[0])?;
            let start = Instant::now();
            let report = check(&bytes, kind, &policy).map_err(|e| format!("{}: {e}", files[0]))?;
            let elapsed = start.elapsed();
            if let (Some(path), Some(out)) = (&save, &report.output) {
                std::fs::write(path, &out.jpeg).map_err(|e| format!("{path}: {e}"))?;
            }
            let mut row: serde_json::Value = serde_json::from_str(&line(&files[0], &[elapsed], &report)).expect("JSON");
            // This process's own high-water mark (Linux), to cross-check the parent's wait4 figure.
            row["vm_hwm_mb"] = serde_json::json!(peak_rss_mb());
            println!("{row}");
        }
        Mode::Repeat => {
            for path in &files {
                let bytes = read(path)?;
                let mut times = Vec::with_capacity(repeat);
                let mut last = None;
                for i in 0..warmup + repeat {
                    let start = Instant::now();
                    let report = check(&bytes, kind, &policy).map_err(|e| format!("{path}: {e}"))?;
                    let elapsed = start.elapsed();
                    if i >= warmup {
                        times.push(elapsed);
                    }
                    last = Some(report);
                }
                println!("{}", line(path, &times, &last.expect("at least one run")));
            }
        }
        Mode::Encodes => {
            for path in &files {
                encodes(path, kind, &policy, &budgets)?;
            }
        }
        Mode::Stages => {
            for path in &files {
                stages(path, kind, &policy, warmup, repeat)?;
            }
        }
    }
    Ok(())
}

/// One JSON line: the median and every run's time, with what `check` decided.
fn line(path: &str, times: &[Duration], r: &Report) -> String {
    let ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
    let out = r.output.as_ref();
    let findings: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    serde_json::json!({
        "file": path,
        "material": r.material,
        "median_ms": round3(median(&ms)),
        "runs_ms": ms.iter().map(|&v| round3(v)).collect::<Vec<_>>(),
        "verdict": r.verdict,
        "findings": findings,
        // Where the document was found (kinds the policy locates): the timing of a document kind
        // means something only when this is present and complete.
        "document": r.document.as_ref().map(|d| serde_json::json!({
            "complete": d.complete,
            "confidence": d.confidence,
            "coverage": d.coverage,
            "corners": d.corners,
        })),
        "blur": r.metrics.blur,
        "output_blur": r.output_blur,
        "input": [r.metrics.width, r.metrics.height],
        "output": out.map(|o| [o.width, o.height]),
        "quality": out.map(|o| o.quality),
        "bytes": out.map(|o| o.bytes),
        "sha256": out.map(|o| o.sha256.clone()),
    })
    .to_string()
}

/// Encodes each quality search needs (hexin-core's interpolation, hexin-testing's bisection) on
/// the image `check` would encode (the straightened document, or the upright frame), at the policy's byte budget or at each of `budgets`;
/// one JSON line per budget.
fn encodes(path: &str, kind: MaterialKind, policy: &Policy, budgets: &[u64]) -> Result<(), String> {
    let rules = policy.rules(kind);
    let bytes = read(path)?;
    let decoded = intake::decode(&bytes, &policy.limits, rules).map_err(|e| format!("{path}: {e}"))?;
    let upright = if rules.document.find {
        let size = decoded.upright_size();
        let frame = Analysis::oriented(&decoded.pixels, decoded.orientation);
        let placed = placement::place(&frame, size, &Metrics::measure(size.0, size.1, &frame), rules);
        let s = placed.straight.ok_or(format!("{path}: no document to straighten ({:?})", placed.findings))?;
        straightened(&decoded, size, &s)
    } else {
        intake::upright_within(decoded.pixels, decoded.orientation, rules.output_long_side)
    };
    let policy_budget = [rules.output_max_bytes];
    for &budget in if budgets.is_empty() { &policy_budget[..] } else { budgets } {
        encodes_at(path, &upright, budget, rules.jpeg_quality)?;
    }
    Ok(())
}

fn encodes_at(path: &str, upright: &image::RgbImage, budget: u64, range: QualityRange) -> Result<(), String> {
    let mut row = serde_json::json!({ "file": path, "upright": [upright.width(), upright.height()], "budget": budget });
    let mut chosen = Vec::new();
    let strategies: [(&str, fn(&image::RgbImage, u64, QualityRange) -> Search); 2] =
        [("interpolate", normalize::encode_within), ("bisect", quality::bisect)];
    for (name, search) in strategies {
        let start = Instant::now();
        let s = search(upright, budget, range);
        let ms = start.elapsed().as_secs_f64() * 1e3;
        let best = s.best.as_ref().map(|(q, jpeg)| (*q, jpeg.len()));
        chosen.push(best);
        row[name] = serde_json::json!({
            "encodes": s.encodes,
            "smallest": s.smallest,
            "quality": best.map(|b| b.0),
            "bytes": best.map(|b| b.1),
            "ms": round3(ms),
        });
    }
    row["agree"] = serde_json::json!(chosen[0] == chosen[1]);
    println!("{row}");
    if chosen[0] != chosen[1] {
        return Err(format!("{path}: the strategies chose different qualities: {chosen:?}"));
    }
    Ok(())
}

/// Stages timed apart from the ones that contain them.
const APART: [&str; 2] = ["zune_jpeg", "locate_luma"];

/// The stages of `check`, timed one by one (median over `repeat` runs, after `warmup`), in the
/// order `check` runs them (zune-jpeg alone first, on the same bytes, to tell the decoder's share
/// of decode from the walk's). For a kind the policy locates: decode, the analysis copy, the
/// frame's metrics, placing the document (the search on the analysis copy's luma, and further
/// searches when the luma finds nothing; refining the corners; the straightened analysis copy), the document's metrics, warping the full-resolution pixels into the output; for
/// `other`: decode, the analysis copy, the metrics, resize + orient. Then both: the quality
/// search, re-decoding the output and measuring its blur (the post-compression re-check), hash.
/// The output is checked to be `check`'s own, byte for byte.
fn stages(path: &str, kind: MaterialKind, policy: &Policy, warmup: usize, repeat: usize) -> Result<(), String> {
    let rules = policy.rules(kind);
    let bytes = read(path)?;
    let expected = check(&bytes, kind, policy).map_err(|e| format!("{path}: {e}"))?;
    let expected = expected.output.ok_or(format!("{path}: `check` gave no output ({:?})", expected.findings))?;
    let mut times: Vec<(&str, Vec<f64>)> = Vec::new();
    let (mut encodes, mut luma_found) = (0, false);
    // The process's peak resident memory after each stage of the first run (Linux only; a
    // process-wide high-water mark, so only the first file's readings are its own).
    let mut peak_mb: Vec<(&str, Option<f64>)> = Vec::new();
    for i in 0..warmup + repeat {
        let mut lap = Lap::new();
        let mut stage = |name: &'static str, lap: &mut Lap| {
            let ms = lap.next();
            if i == 0 {
                peak_mb.push((name, peak_rss_mb()));
            }
            if i >= warmup {
                match times.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, t)) => t.push(ms),
                    None => times.push((name, vec![ms])),
                }
            }
        };
        // zune-jpeg alone, as `check` runs it minus the walk that refuses truncated data.
        let options = DecoderOptions::default().set_strict_mode(true).jpeg_set_out_colorspace(ColorSpace::RGB);
        std::hint::black_box(JpegDecoder::new_with_options(ZCursor::new(&bytes[..]), options).decode().map_err(|e| format!("{path}: {e:?}"))?);
        stage("zune_jpeg", &mut lap);
        let decoded = intake::decode(&bytes, &policy.limits, rules).map_err(|e| format!("{path}: {e}"))?;
        stage("decode", &mut lap);
        let (w, h) = decoded.upright_size();
        let frame = Analysis::oriented(&decoded.pixels, decoded.orientation);
        stage("analysis", &mut lap);
        let frame_metrics = Metrics::measure(w, h, &frame);
        stage("metrics", &mut lap);
        let image = if rules.document.find {
            // What `place` does first, alone: the search in the luma. When that finds nothing,
            // `place` searches further (colour planes), which `luma_found` = false tells.
            let luma = Plane::packed(&frame.luma, frame.width, frame.height).map_err(|e| e.to_string())?;
            let shape = Shape {
                aspects: rules.document.aspects.clone(),
                aspect_tolerance: rules.document.aspect_tolerance,
                min_confidence: rules.checks.document_not_found.threshold,
            };
            luma_found = !matches!(Detector::default().locate(&luma, &shape), Outcome::NotFound { .. });
            stage("locate_luma", &mut lap);
            let placed = placement::place(&frame, (w, h), &frame_metrics, rules);
            stage("place", &mut lap);
            let s = placed.straight.ok_or(format!("{path}: no document to straighten ({:?})", placed.findings))?;
            std::hint::black_box(Metrics::measure(s.source_size.0, s.source_size.1, &s.analysis));
            stage("document_metrics", &mut lap);
            let image = straightened(&decoded, (w, h), &s);
            stage("warp_output", &mut lap);
            image
        } else {
            let image = intake::upright_within(decoded.pixels, decoded.orientation, rules.output_long_side);
            stage("upright_within", &mut lap);
            image
        };
        let search = normalize::encode_within(&image, rules.output_max_bytes, rules.jpeg_quality);
        stage("encode_search", &mut lap);
        let (_, jpeg) = search.best.ok_or(format!("{path}: no quality fits the budget"))?;
        let out = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
            .map_err(|e| format!("{path}: re-reading the output: {e}"))?
            .into_rgb8();
        stage("output_redecode", &mut lap);
        let blur = checks::sharpness::blur_effect(&Analysis::new(&out));
        stage("output_blur", &mut lap);
        let digest = hexin_core::hash::sha256_hex(&jpeg);
        stage("sha256", &mut lap);
        if digest != expected.sha256 {
            return Err(format!("{path}: the stages made another output than `check` did"));
        }
        std::hint::black_box((frame_metrics, blur));
        encodes = search.encodes;
    }
    let mut row = serde_json::json!({ "file": path, "material": kind, "encodes": encodes });
    if rules.document.find {
        row["luma_found"] = luma_found.into();
    }
    let mut total = 0.0;
    // `zune_jpeg` (the decoder alone) and `locate_luma` are parts of `decode` and `place`, timed
    // apart: left out of the sum.
    for (name, t) in &times {
        let m = median(t);
        total += if APART.contains(name) { 0.0 } else { m };
        row[*name] = serde_json::json!(round3(m));
    }
    row["stages"] = times.iter().map(|(n, _)| *n).collect();
    row["sum_of_medians_ms"] = serde_json::json!(round3(total));
    row["peak_mb_after"] = peak_mb.iter().map(|(n, m)| (n.to_string(), serde_json::json!(m))).collect();
    println!("{row}");
    Ok(())
}

/// VmHWM of this process, in MB (10^6 bytes), from /proc/self/status.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb * 1.024).round() / 1e3)
}

struct Lap(Instant);

impl Lap {
    fn new() -> Lap {
        Lap(Instant::now())
    }
    /// Milliseconds since the last lap.
    fn next(&mut self) -> f64 {
        let now = Instant::now();
        let ms = (now - self.0).as_secs_f64() * 1e3;
        self.0 = now;
        ms
    }
}

/// The benchmark's synthetic capture: a 12.2 MP photo of an ID card (ID-1 aspect, 75 % of the
/// frame's width: what `id-card-front` expects) on a grey table with sensor noise, as a camera
/// JPEG at quality 92, with an EXIF orientation tag when `orientation` is not 1.
fn write_synthetic(path: &str, orientation: u16) -> Result<(), String> {
    let photo = synthetic::noisy(synthetic::document(synthetic::Scene::new(4032, 3024)), 3.0, 1);
    let mut jpeg = synthetic::camera_jpeg(&photo);
    if orientation != 1 {
        jpeg = synthetic::with_exif_orientation(&jpeg, orientation);
    }
    std::fs::write(path, jpeg).map_err(|e| format!("{path}: {e}"))
}

/// The default policy with another output byte budget, for runs where the budget binds.
fn policy_with_budget(budget: u64) -> Result<Policy, String> {
    let mut doc: serde_json::Value =
        toml::from_str(Policy::icp_default_source()).map_err(|e| format!("embedded policy: {e}"))?;
    doc["defaults"]["output_max_bytes"] = budget.into();
    Policy::parse(&doc.to_string()).map_err(|e| format!("--budget {budget}: {e}"))
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn number(s: &str) -> Result<usize, String> {
    s.parse().map_err(|_| format!("not a number: {s}"))
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

fn round3(v: f64) -> f64 {
    (v * 1e3).round() / 1e3
}
