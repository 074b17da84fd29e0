//! The live capture guide's time per preview frame: `CaptureGuide::analyze` on the 640 × 480
//! luma frames of every scripted sequence (`hexin_testing::frames`: found, not found, cut off,
//! dark, glare; landscape and portrait buffers), one thread, `ROUNDS` passes.
//!
//! ```text
//! guide_frames [ROUNDS]        # default 20; docs/performance.md says how it is run
//! ```
//!
//! Prints the median, p95 and max per frame over all frames, then the median per sequence.

use std::time::{Duration, Instant};

use hexin_core::capture::document::plane::Plane;
use hexin_core::capture::guide::{CaptureGuide, GuideConfig};
use hexin_core::{MaterialKind, Policy};
use hexin_testing::frames::Sequence;

fn main() {
    let rounds: usize = std::env::args().nth(1).map_or(20, |r| r.parse().expect("ROUNDS is a count"));
    let policy = Policy::icp_default();
    let sequences: Vec<_> = Sequence::ALL.iter().map(|s| (s.name(), s.frames())).collect();
    let mut all = Vec::new();
    let mut per_sequence = Vec::new();
    for (name, frames) in &sequences {
        let mut guide = CaptureGuide::new(policy.rules(MaterialKind::IdCardFront), GuideConfig::default()).expect("a document kind");
        let planes: Vec<Plane> = frames
            .iter()
            .map(|f| Plane::new(&f.luma, f.width as usize, f.height as usize, f.stride).expect("frames fit"))
            .collect();
        // One untimed pass sizes the buffers.
        for (plane, f) in planes.iter().zip(frames) {
            guide.analyze(plane, f.rotation).expect("valid rotation");
        }
        let mut times = Vec::with_capacity(rounds * planes.len());
        for _ in 0..rounds {
            guide.reset();
            for (plane, f) in planes.iter().zip(frames) {
                let start = Instant::now();
                std::hint::black_box(guide.analyze(std::hint::black_box(plane), f.rotation).expect("valid rotation"));
                times.push(start.elapsed());
            }
        }
        all.extend_from_slice(&times);
        per_sequence.push((name, times));
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (median, p95, max) = quantiles(&mut all);
    println!("analyze, 640x480 luma, {} frames x {rounds} rounds, one thread:", all.len() / rounds);
    println!("  median {:.2} ms, p95 {:.2} ms, max {:.2} ms", ms(median), ms(p95), ms(max));
    for (name, mut times) in per_sequence {
        let (median, p95, _) = quantiles(&mut times);
        println!("  {name:<18} median {:.2} ms, p95 {:.2} ms", ms(median), ms(p95));
    }
}

/// Median, 95th percentile and maximum.
fn quantiles(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), at(1.0))
}
